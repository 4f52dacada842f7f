//! `:log`: the journal of changes, newest first, with what could not be
//! read of it.

use crate::tui::views;
use crate::tui::widgets::table::TableModel;

/// The journal overlay: its table, and why it is empty if it is.
#[derive(Debug, Clone)]
pub struct Journal {
    table: TableModel,
    problem: Option<String>,
}

impl Default for Journal {
    fn default() -> Self {
        Self {
            table: TableModel::new(views::journal::columns()),
            problem: None,
        }
    }
}

impl Journal {
    pub fn table(&self) -> &TableModel {
        &self.table
    }

    pub(in crate::tui::app) fn table_mut(&mut self) -> &mut TableModel {
        &mut self.table
    }

    /// Why the table is empty: still reading, or the journal could not be read.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Opened: reading it.
    pub(in crate::tui::app) fn open(&mut self) {
        self.table.top();
        self.problem = Some("Reading the journal…".into());
    }

    /// The journal was read; the lines that are not entries are counted
    /// for the status line.
    pub(in crate::tui::app) fn loaded(
        &mut self,
        result: Result<crate::journal::Contents, String>,
        names: &crate::tui::names::Names,
        inventory: &crate::model::Inventory,
    ) -> Option<usize> {
        match result {
            Ok(contents) => {
                self.problem = None;
                self.table
                    .set_rows(views::journal::rows(&contents, names, inventory));
                Some(contents.bad_lines.len()).filter(|n| *n > 0)
            }
            Err(e) => {
                self.problem = Some(format!("Cannot read the journal: {e}"));
                self.table.set_rows(Vec::new());
                None
            }
        }
    }
}
