//! The version matrix (`:matrix`): the cursor across the accounts (or
//! OUs, `b`), and Enter on a cell — the provisioned products of that
//! product there (in all of the OU's accounts).

use std::collections::HashMap;
use std::sync::Arc;

use super::requests::Kind;
use super::{Command, State, busy, error_status, info};
use crate::ops::fleet::Selection;
use crate::tui::screens::{Level, OuShown, Scope, Screen};
use crate::tui::views::matrix;

impl State {
    /// `←`/`→` on the matrix: the account column under the cursor.
    pub(super) fn move_column(&mut self, delta: isize) {
        if self.screen() != Screen::Matrix {
            return;
        }
        let accounts = matrix::matrix(&self.catalog).matrix.accounts.len();
        let level = self.level_mut();
        let column = level.column as isize + delta;
        level.column = column.clamp(0, accounts.saturating_sub(1) as isize) as usize;
    }

    /// Enter on a cell: its provisioned products, a level like the others.
    pub(super) fn drill_cell(&mut self) -> Vec<Command> {
        let made = matrix::matrix(&self.catalog);
        let level = self.level();
        let Some(product_id) = level.table.selected_key().map(str::to_string) else {
            return vec![];
        };
        let Some(account) = made
            .matrix
            .accounts
            .get(level.column)
            .map(|a| a.label.clone())
        else {
            return vec![];
        };
        let product_name = level
            .table
            .selected_row()
            .and_then(|r| r.cells.first())
            .map_or(product_id.clone(), |c| c.text.clone());
        let matrix = &made.matrix;
        let column = matrix.accounts.get(level.column);
        let within = match column {
            Some(c) if !c.members.is_empty() => c.members.clone(),
            _ => vec![account.clone()],
        };
        let running = matrix
            .products
            .iter()
            .position(|p| p.product_id == product_id)
            .and_then(|i| matrix.cell(i, level.column))
            .map(|c| c.count());
        match running {
            None => {
                self.status = info(format!(
                    "{account} was not read: nothing is known of {product_name} there (R reads again)"
                ));
                vec![]
            }
            Some(0) => {
                self.status = info(format!("No {product_name} runs in {account}"));
                vec![]
            }
            Some(_) => {
                self.push(Level::new(
                    Screen::Provisioned,
                    Scope::Cell {
                        product_id,
                        product_name,
                        account,
                        within,
                    },
                ));
                vec![]
            }
        }
    }

    /// `b` on the matrix of a fleet: OUs across (the organization's tree
    /// read off the input path, accounts across until it is in) or back to
    /// accounts. Only an organization fleet has a tree to read.
    pub(super) fn toggle_by_ou(&mut self) -> Vec<Command> {
        if self.screen() != Screen::Matrix {
            return vec![];
        }
        if self.catalog.by_ou.take().is_some() {
            // An answer still on its way is not waited for.
            self.requests.settle(Kind::OuTree);
            self.level_mut().column = 0;
            self.rebuild_screen(Screen::Matrix);
            self.status = info("Version matrix: accounts across".into());
            return vec![];
        }
        let selection = match &self.fleet_selection {
            Some(s @ Selection::Organization { .. }) => s.clone(),
            other => {
                let what = other
                    .as_ref()
                    .map_or("this account".to_string(), Selection::describe);
                self.status = error_status(format!(
                    "By OU: {what} is not an organization, so it has no OU tree — {}",
                    crate::ops::ou::FIX
                ));
                return vec![];
            }
        };
        let request = self.requests.issue(Kind::OuTree);
        self.catalog.by_ou = Some(OuShown {
            loading: true,
            paths: None,
        });
        self.rebuild_screen(Screen::Matrix);
        self.status = busy(format!(
            "Reading the OU tree of {}… (accounts across until it is in)",
            selection.describe()
        ));
        vec![Command::ReadOus {
            generation: self.requests.generation(),
            request,
            selection,
        }]
    }

    pub(super) fn on_ous_read(&mut self, result: Result<Arc<HashMap<String, String>>, String>) {
        self.requests.settle(Kind::OuTree);
        match result {
            Ok(paths) => {
                let ous: std::collections::BTreeSet<&String> = paths.values().collect();
                let n = ous.len();
                self.catalog.by_ou = Some(OuShown {
                    loading: false,
                    paths: Some(paths.clone()),
                });
                self.status = info(format!(
                    "Version matrix by OU: {n} OU(s) holding {} account(s) (b: accounts across)",
                    paths.len()
                ));
            }
            Err(e) => {
                // No tree, no grouping: accounts stay across.
                self.catalog.by_ou = None;
                self.status = error_status(format!(
                    "The OU tree could not be read: {e} (accounts stay across)"
                ));
            }
        }
        if self.screen() == Screen::Matrix {
            self.level_mut().column = 0;
        }
        self.rebuild_screen(Screen::Matrix);
    }
}
