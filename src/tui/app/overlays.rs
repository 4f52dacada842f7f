//! The overlays over the screen: help (`?`, filtered by typing), the AWS
//! calls (`@`), the profile picker (`P`), each with its keys and rows.

use super::*;

impl State {
    pub(super) fn toggle_overlay(&mut self, overlay: Overlay) {
        if self.overlay == Some(overlay) {
            self.overlay = None;
            return;
        }
        self.overlay = Some(overlay);
        match overlay {
            Overlay::Help => {
                self.help.filter.clear();
                self.help.offset = 0;
            }
            Overlay::Calls => {
                self.rebuild_calls();
                self.calls_table.top();
            }
            Overlay::Profiles | Overlay::Journal => {}
        }
    }
    /// `P` or `:profile`: the picker, on the current profile; the files are
    /// read again in case they changed.
    pub(super) fn open_profiles(&mut self) -> Vec<Command> {
        self.overlay = Some(Overlay::Profiles);
        self.profiles_table.clear_filter();
        let current = self.profile.clone();
        self.profiles_table.select_key(&current);
        vec![Command::DiscoverProfiles]
    }
    /// Enter in the picker: the profile selected, or — with several
    /// marked (Space) — all of them at once, as a fleet.
    pub(super) fn pick_profile(&mut self) -> Vec<Command> {
        let marked: Vec<String> = self
            .profiles_table
            .marked_keys()
            .into_iter()
            .map(str::to_string)
            .collect();
        if marked.len() > 1 {
            self.profiles_table.clear_marks();
            self.overlay = None;
            return self.open_fleet(crate::ops::fleet::Selection::Profiles { names: marked });
        }
        let Some(name) = self.profiles_table.selected_key().map(str::to_string) else {
            return vec![];
        };
        self.overlay = None;
        self.fleet_selection = None;
        self.switch_to(name, None)
    }
    pub(super) fn rebuild_profiles(&mut self) {
        let rows = views::profiles::rows(
            self.profiles.as_deref().unwrap_or(&[]),
            &self.profile,
            &self.profile_problems,
        );
        self.profiles_table.set_rows(rows);
    }
    pub(super) fn rebuild_calls(&mut self) {
        if self.calls_stale {
            self.calls_table.set_rows(views::calllog::rows(&self.calls));
            self.calls_stale = false;
        }
    }
    pub(super) fn on_help_key(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let page = self.help.height.max(1) as isize;
        match key.code {
            KeyCode::Esc if !self.help.filter.is_empty() => {
                self.help.filter.clear();
                self.help.offset = 0;
            }
            KeyCode::Esc | KeyCode::Enter => self.overlay = None,
            KeyCode::Backspace => {
                self.help.filter.pop();
                self.help.offset = 0;
            }
            KeyCode::Down => self.help_scroll(1),
            KeyCode::Up => self.help_scroll(-1),
            KeyCode::PageDown => self.help_scroll(page),
            KeyCode::PageUp => self.help_scroll(-page),
            KeyCode::Home => self.help.offset = 0,
            KeyCode::End => self.help_scroll(isize::MAX / 2),
            KeyCode::Char(_)
                if self.help.filter.is_empty()
                    && self.keymap.action(&key) == Some(Action::Help) =>
            {
                self.overlay = None;
            }
            KeyCode::Char(c) if !ctrl => {
                self.help.filter.push(c);
                self.help.offset = 0;
            }
            _ => {}
        }
    }
    pub(super) fn help_scroll(&mut self, delta: isize) {
        let lines = views::help::lines(&self.keymap, &self.help.filter).len();
        let last = lines.saturating_sub(self.help.height.max(1));
        self.help.offset = self.help.offset.saturating_add_signed(delta).min(last);
    }

    pub(super) fn on_profiles(&mut self, result: Result<Vec<ProfileInfo>, String>) -> Vec<Command> {
        match result {
            Ok(profiles) => {
                self.profiles = Some(profiles);
                self.rebuild_profiles();
            }
            Err(error) => self.status = error_status(format!("cannot list the profiles: {error}")),
        }
        vec![]
    }

    pub(super) fn on_calls(&mut self, entries: Vec<CallEntry>) -> Vec<Command> {
        self.calls.extend(entries);
        if self.calls.len() > CALLS_KEPT {
            let extra = self.calls.len() - CALLS_KEPT;
            self.calls.drain(..extra);
        }
        self.calls_stale = true;
        if self.overlay == Some(Overlay::Calls) {
            self.rebuild_calls();
        }
        vec![]
    }
}
