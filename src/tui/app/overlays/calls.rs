//! `@`: the AWS calls of this console, newest first; the log keeps the
//! last [`CALLS_KEPT`].

use crate::model::CallEntry;
use crate::tui::app::CALLS_KEPT;
use crate::tui::views;
use crate::tui::widgets::table::TableModel;

/// The calls overlay: the calls logged, and their table (rebuilt only
/// while shown).
#[derive(Debug, Clone)]
pub struct Calls {
    /// Calls being tried again now ("ListPortfolios (hub): attempt 3 of 10").
    retrying: Vec<String>,
    /// Oldest first.
    entries: Vec<CallEntry>,
    table: TableModel,
    stale: bool,
}

impl Default for Calls {
    fn default() -> Self {
        Self {
            retrying: Vec::new(),
            entries: Vec::new(),
            table: TableModel::new(views::calllog::columns()),
            stale: false,
        }
    }
}

impl Calls {
    /// The calls being tried again now, for the status line.
    pub fn retrying(&self) -> &[String] {
        &self.retrying
    }

    pub(in crate::tui::app) fn set_retrying(&mut self, retrying: Vec<String>) {
        self.retrying = retrying;
    }

    /// The call selected in the table.
    pub fn selected(&self) -> Option<&CallEntry> {
        let seq: u64 = self.table.selected_key()?.parse().ok()?;
        self.entries.iter().find(|e| e.seq == seq)
    }

    /// The calls logged, oldest first.
    pub fn entries(&self) -> &[CallEntry] {
        &self.entries
    }

    pub fn table(&self) -> &TableModel {
        &self.table
    }

    pub(in crate::tui::app) fn table_mut(&mut self) -> &mut TableModel {
        &mut self.table
    }

    /// New calls: the oldest beyond [`CALLS_KEPT`] go; the table follows
    /// at once if it is `shown`, else when it is opened.
    pub(in crate::tui::app) fn log(&mut self, entries: Vec<CallEntry>, shown: bool) {
        self.entries.extend(entries);
        if self.entries.len() > CALLS_KEPT {
            let extra = self.entries.len() - CALLS_KEPT;
            self.entries.drain(..extra);
        }
        self.stale = true;
        if shown {
            self.rebuild();
        }
    }

    /// Opened: up to date, on the newest call.
    pub(in crate::tui::app) fn open(&mut self) {
        self.rebuild();
        self.table.top();
    }

    fn rebuild(&mut self) {
        if self.stale {
            self.table.set_rows(views::calllog::rows(&self.entries));
            self.stale = false;
        }
    }
}
