//! The console over a fleet (several profiles, or an organization): its
//! accounts reached and scanned one by one into the provisioned screen.

use super::requests::Kind;
use super::{Command, Screen, State, busy, error_status, info};
use crate::ops::fleet::Selection;
use crate::tui::screens::FleetCatalog;

impl State {
    /// Shows several accounts at once: the provisioned screen gets an
    /// Account column, the summary counts drift per account.
    pub fn open_fleet(&mut self, selection: Selection) -> Vec<Command> {
        let primary = match &selection {
            Selection::Profiles { names } if names.iter().any(|n| n == self.session.profile()) => {
                self.session.profile().to_string()
            }
            Selection::Profiles { names } => names[0].clone(),
            Selection::Organization { profile, .. } => profile.clone(),
        };
        self.fleet_selection = Some(selection);
        let commands = self.switch_to(primary, self.session.region().map(str::to_string));
        self.go_to(Screen::Provisioned);
        commands
    }
    /// Reach and scan the fleet (after the primary profile connected).
    pub(super) fn load_fleet(&mut self) -> Vec<Command> {
        let Some(selection) = self.fleet_selection.clone() else {
            return vec![];
        };
        let request = self.requests.issue(Kind::Fleet);
        self.catalog.fleet = Some(FleetCatalog::new(selection.describe()));
        self.rebuild_screen(Screen::Provisioned);
        self.rebuild_screen(Screen::Matrix);
        vec![Command::LoadFleet {
            generation: self.requests.generation(),
            request,
            selection,
        }]
    }
    pub(super) fn on_fleet_members(&mut self, result: Result<usize, String>) {
        let Some(fleet) = self.catalog.fleet.as_mut() else {
            return;
        };
        match result {
            Ok(n) => {
                fleet.members = Some(n);
                // In organization mode the count comes once the last page
                // of accounts is in, when the first accounts may be too.
                self.status = if fleet.accounts().is_empty() {
                    busy(format!("Scanning {n} accounts…"))
                } else {
                    busy(fleet.summary())
                };
            }
            Err(e) => {
                fleet.error = Some(e.clone());
                fleet.loading = false;
                self.requests.settle(Kind::Fleet);
                self.status = error_status(format!("The fleet cannot be listed: {e}"));
            }
        }
    }
    pub(super) fn on_fleet_account(&mut self, account: crate::model::AccountDrift) {
        let Some(fleet) = self.catalog.fleet.as_mut() else {
            return;
        };
        fleet.arrive(account);
        let summary = fleet.summary();
        // Accounts arrive in any order: a selection the user has not moved
        // stays on the first row, not on whichever row came first.
        let at_top =
            self.level().screen == Screen::Provisioned && self.level().table.selected() == 0;
        self.rebuild_screen(Screen::Provisioned);
        // The matrix is the fleet's too.
        self.rebuild_screen(Screen::Matrix);
        if at_top {
            self.level_mut().table.top();
        }
        self.status = busy(summary);
    }
    pub(super) fn on_fleet_loaded(&mut self) {
        self.requests.settle(Kind::Fleet);
        if let Some(fleet) = self.catalog.fleet.as_mut() {
            fleet.loading = false;
            self.status = info(fleet.summary());
        }
    }
}
