//! `P` or `:profile`: the profiles of the AWS config files, the current
//! one marked, each with its last credential or connection failure.

use std::collections::BTreeMap;

use crate::model::ProfileInfo;
use crate::tui::views;
use crate::tui::widgets::table::TableModel;

/// The profile picker: the profiles once read, what went wrong with each
/// one tried, and their table.
#[derive(Debug, Clone)]
pub struct Profiles {
    list: Option<Vec<ProfileInfo>>,
    /// The last credential or connection failure of each profile tried.
    problems: BTreeMap<String, String>,
    table: TableModel,
}

impl Default for Profiles {
    fn default() -> Self {
        Self {
            list: None,
            problems: BTreeMap::new(),
            table: TableModel::new(views::profiles::columns()),
        }
    }
}

impl Profiles {
    /// The profiles of the AWS config files, once read.
    pub fn list(&self) -> Option<&[ProfileInfo]> {
        self.list.as_deref()
    }

    /// The last failure of each profile tried.
    pub fn problems(&self) -> &BTreeMap<String, String> {
        &self.problems
    }

    pub fn table(&self) -> &TableModel {
        &self.table
    }

    pub(in crate::tui::app) fn table_mut(&mut self) -> &mut TableModel {
        &mut self.table
    }

    /// The names known, for completion.
    pub fn names(&self) -> Vec<String> {
        self.list.iter().flatten().map(|p| p.name.clone()).collect()
    }

    /// Whether `name` is not among the profiles read (none read: unknown).
    pub fn lacks(&self, name: &str) -> Option<Vec<&str>> {
        let known = self.list.as_ref()?;
        (!known.iter().any(|p| p.name == name))
            .then(|| known.iter().map(|p| p.name.as_str()).collect())
    }

    /// The profiles were read.
    pub(in crate::tui::app) fn set_list(&mut self, list: Vec<ProfileInfo>, current: &str) {
        self.list = Some(list);
        self.rebuild(current);
    }

    /// `profile` connected: its last failure is forgotten.
    pub(in crate::tui::app) fn connected(&mut self, profile: &str) {
        self.problems.remove(profile);
    }

    /// `profile` could not be connected to.
    pub(in crate::tui::app) fn failed(&mut self, profile: &str, error: String) {
        self.problems.insert(profile.to_string(), error);
    }

    /// Opened on `current`, unfiltered.
    pub(in crate::tui::app) fn open(&mut self, current: &str) {
        self.table.clear_filter();
        self.table.select_key(current);
    }

    /// The rows again, `current` marked as the one open.
    pub(in crate::tui::app) fn rebuild(&mut self, current: &str) {
        let rows = views::profiles::rows(self.list().unwrap_or(&[]), current, &self.problems);
        self.table.set_rows(rows);
    }
}
