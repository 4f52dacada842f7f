//! The overlays over the screen: help (`?`, filtered by typing), the AWS
//! calls (`@`), the profile picker (`P`), the journal (`:log`); each is a
//! component of its own (its state, its keys, its rows), routed from here.

mod calls;
mod help;
mod journal;
mod profiles;

pub use calls::Calls;
pub use help::Help;
pub use journal::Journal;
pub use profiles::Profiles;

use super::*;

impl State {
    pub(super) fn toggle_overlay(&mut self, overlay: Overlay) {
        if self.overlay == Some(overlay) {
            self.overlay = None;
            return;
        }
        self.overlay = Some(overlay);
        match overlay {
            Overlay::Help => self.help.open(),
            Overlay::Calls => self.calls.open(),
            Overlay::Profiles | Overlay::Journal => {}
        }
    }

    /// Enter in the call log: everything it knows of the call selected,
    /// in a box over it (any key closes; the log stays open beneath).
    pub(super) fn call_detail(&mut self) {
        let Some(entry) = self.calls.selected() else {
            self.status = info("No call selected: the log is empty so far".into());
            return;
        };
        self.dialog = Some(Dialog::Report {
            title: format!("{} · {}", entry.operation, entry.profile),
            lines: views::calllog::detail(entry),
            ok: entry.outcome.is_ok(),
        });
    }

    /// `P` or `:profile`: the picker, on the current profile; the files are
    /// read again in case they changed.
    pub(super) fn open_profiles(&mut self) -> Vec<Command> {
        self.overlay = Some(Overlay::Profiles);
        self.profiles.open(self.session.profile());
        vec![Command::DiscoverProfiles]
    }

    /// Enter in the picker: the profile selected, or — with several
    /// marked (Space) — all of them at once, as a fleet.
    pub(super) fn pick_profile(&mut self) -> Vec<Command> {
        let marked: Vec<String> = self
            .profiles
            .table()
            .marked_keys()
            .into_iter()
            .map(str::to_string)
            .collect();
        if marked.len() > 1 {
            self.profiles.table_mut().clear_marks();
            self.overlay = None;
            return self.open_fleet(crate::ops::fleet::Selection::Profiles { names: marked });
        }
        let Some(name) = self.profiles.table().selected_key().map(str::to_string) else {
            return vec![];
        };
        self.overlay = None;
        self.fleet_selection = None;
        self.switch_to(name, None)
    }

    pub(super) fn rebuild_profiles(&mut self) {
        self.profiles.rebuild(self.session.profile());
    }

    pub(super) fn on_help_key(&mut self, key: KeyEvent) {
        if !self.help.key(key, &self.keymap) {
            self.overlay = None;
        }
    }

    pub(super) fn help_scroll(&mut self, delta: isize) {
        self.help.scroll(delta, &self.keymap);
    }

    pub(super) fn on_profiles(&mut self, result: Result<Vec<ProfileInfo>, String>) -> Vec<Command> {
        match result {
            Ok(profiles) => {
                self.profiles.set_list(profiles, self.session.profile());
            }
            Err(error) => self.status = error_status(format!("cannot list the profiles: {error}")),
        }
        vec![]
    }

    pub(super) fn on_calls(&mut self, entries: Vec<CallEntry>) -> Vec<Command> {
        let shown = self.overlay == Some(Overlay::Calls);
        self.calls.log(entries, shown);
        vec![]
    }
}
