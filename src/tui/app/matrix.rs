//! The version matrix (`:matrix`): the cursor across the accounts, and
//! Enter on a cell — the provisioned products of that product there.

use super::{Command, State, info};
use crate::tui::screens::{Level, Scope, Screen};
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
                    },
                ));
                vec![]
            }
        }
    }
}
