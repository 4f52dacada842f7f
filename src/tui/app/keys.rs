//! Where a key goes: the dialog in front, the command line, the filter,
//! the help, else the keymap's action; and the `:` commands.

use super::*;

impl State {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return vec![];
        }
        self.notice = None;
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.quit = true;
            return vec![];
        }
        if self.dialog.is_some() {
            return self.on_dialog_key(key);
        }
        match self.input {
            Input::Command => return self.on_command_key(key),
            Input::Filter => {
                self.on_filter_key(key);
                return vec![];
            }
            Input::None => {}
        }
        if self.overlay == Some(Overlay::Help) {
            self.on_help_key(key);
            return vec![];
        }
        match self.keymap.action(&key) {
            Some(action) => self.on_action(action),
            None => vec![],
        }
    }

    pub(super) fn on_action(&mut self, action: Action) -> Vec<Command> {
        let in_overlay = self.overlay.is_some();
        match action {
            Action::Down => self.active_table_mut().move_by(1),
            Action::Up => self.active_table_mut().move_by(-1),
            Action::Top => self.active_table_mut().top(),
            Action::Bottom => self.active_table_mut().bottom(),
            Action::PageDown => self.active_table_mut().page_down(),
            Action::PageUp => self.active_table_mut().page_up(),
            Action::Filter => self.input = Input::Filter,
            Action::SortNext => self.active_table_mut().cycle_sort(),
            Action::SortReverse => self.active_table_mut().reverse_sort(),
            Action::Command => {
                self.command.open();
                self.input = Input::Command;
            }
            Action::Help => self.toggle_overlay(Overlay::Help),
            Action::Calls => self.toggle_overlay(Overlay::Calls),
            Action::Export => return self.export_view(),
            Action::Profiles => return self.open_profiles(),
            Action::Refresh if self.screen() == Screen::Xray && self.overlay.is_none() => {
                return self.load_xray();
            }
            Action::Refresh => return self.refresh(),
            Action::Quit => self.quit_unless_busy(),
            Action::Back => self.back(),
            Action::Drill if self.overlay == Some(Overlay::Profiles) => {
                return self.pick_profile();
            }
            Action::Drill if self.overlay == Some(Overlay::Calls) => self.call_detail(),
            Action::Mark if self.overlay == Some(Overlay::Profiles) => {
                self.profiles.table_mut().toggle_mark();
            }
            Action::ClearMarks if self.overlay == Some(Overlay::Profiles) => {
                self.profiles.table_mut().clear_marks();
            }
            _ if in_overlay => {}
            Action::Drill if self.screen() == Screen::Matrix => return self.drill_cell(),
            Action::Drill if self.screen() == Screen::Xray => return self.drill_finding(),
            Action::Drill => return self.drill(),
            Action::ColumnLeft => self.move_column(-1),
            Action::ColumnRight => self.move_column(1),
            Action::GroupBy => return self.toggle_by_ou(),
            Action::ShowConstraints => self.show_constraints(),
            Action::ScreenPortfolios => self.go_to(Screen::Portfolios),
            Action::ScreenProducts => self.go_to(Screen::Products),
            Action::ScreenConstraints => self.go_to(Screen::Constraints),
            Action::ScreenProvisioned => self.go_to(Screen::Provisioned),
            Action::ScreenEvents => return self.go_to_events(),
            Action::Mark => self.level_mut().table.toggle_mark(),
            Action::MarkAll => self.level_mut().table.mark_all_visible(),
            Action::ClearMarks => self.level_mut().table.clear_marks(),
            Action::Detail => self.show_detail = !self.show_detail,
            Action::Follow => self.toggle_follow(),
            Action::Records => return self.open_life(Screen::Records),
            Action::Resources => return self.open_life(Screen::Resources),
            Action::Outputs => return self.open_life(Screen::Outputs),
            Action::Parameters => return self.open_life(Screen::Parameters),
            Action::ResourceDrift => return self.on_resource_drift(),
            Action::ServiceActions => return self.open_life(Screen::Actions),
            Action::Share => return self.start_share(),
            Action::CopyUrl => self.copy_console_url(),
            Action::Terminate => return self.start_terminate(),
            Action::Repair => return self.start_repair(),
            Action::Accept => return self.start_accept(),
            Action::Launch => return self.start_launch(),
            Action::Update => return self.start_update(),
            Action::Versions => return self.start_versions(),
            Action::New => return self.start_new(),
            Action::NewProduct => return self.start_new_product(),
            Action::AutoUpdate => return self.start_opt_in(),
            Action::Principals => return self.start_principal(),
            Action::Unshare => return self.start_unshare(),
            Action::BulkUpdate => return self.start_bulk_update(),
            // The typing and the bulk dialogs' actions come from their own
            // contexts, never from the browsing keys.
            Action::Cancel
            | Action::Enter
            | Action::Submit
            | Action::NextField
            | Action::PreviousField
            | Action::LineUp
            | Action::LineDown
            | Action::ListPageUp
            | Action::ListPageDown
            | Action::CursorLeft
            | Action::CursorRight
            | Action::LineStart
            | Action::LineEnd
            | Action::DeleteBack
            | Action::DeleteForward
            | Action::DeleteWord
            | Action::ClearLine
            | Action::PreviewRisk
            | Action::IncludeRisky
            | Action::CancelRun => {}
        }
        vec![]
    }

    pub(super) fn on_filter_key(&mut self, key: KeyEvent) {
        let typed = self.keymap.typed(&key);
        let table = self.active_table_mut();
        match typed {
            Typed::Do(Action::Cancel) => {
                table.clear_filter();
                self.input = Input::None;
            }
            Typed::Do(Action::Enter) => self.input = Input::None,
            // On an empty filter it does nothing: only Esc or Enter
            // leave, so keys typed on are never taken for bindings.
            Typed::Do(Action::DeleteBack) => {
                let mut filter = table.filter().to_string();
                if filter.pop().is_some() {
                    table.set_filter(&filter);
                }
            }
            Typed::Do(Action::ClearLine) => table.clear_filter(),
            Typed::Do(Action::LineDown) => table.move_by(1),
            Typed::Do(Action::LineUp) => table.move_by(-1),
            Typed::Do(Action::ListPageDown) => table.page_down(),
            Typed::Do(Action::ListPageUp) => table.page_up(),
            Typed::Char(c) => {
                let mut filter = table.filter().to_string();
                filter.push(c);
                table.set_filter(&filter);
            }
            _ => {}
        }
    }

    pub(super) fn on_command_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let names = self.profiles.names();
        let regions = command::regions_of(self.partition());
        match self.command.key(self.keymap.typed(&key), &names, regions) {
            Outcome::Editing => vec![],
            Outcome::Cancel => {
                self.input = Input::None;
                vec![]
            }
            Outcome::Submit(line) => {
                self.input = Input::None;
                self.run_command_line(&line)
            }
        }
    }

    /// The regions `:region` completes and accepts: those of the account's
    /// partition.
    pub fn regions(&self) -> &'static [&'static str] {
        command::regions_of(self.partition())
    }

    /// The partition of the account connected (`aws`, `aws-cn`,
    /// `aws-us-gov`), from its caller ARN; `aws` until it is known.
    fn partition(&self) -> &str {
        self.identity()
            .and_then(|i| i.arn.split(':').nth(1))
            .filter(|p| !p.is_empty())
            .unwrap_or("aws")
    }

    /// A submitted `:` line.
    pub(super) fn run_command_line(&mut self, line: &str) -> Vec<Command> {
        let parsed = match command::parse(line) {
            Ok(Some(parsed)) => parsed,
            Ok(None) => return vec![],
            Err(e) => {
                self.status = error_status(e);
                return vec![];
            }
        };
        if let Some(screen) = Screen::from_name(parsed.command.name) {
            self.overlay = None;
            if screen == Screen::Events {
                return self.go_to_events();
            }
            self.go_to(screen);
            return vec![];
        }
        match (parsed.command.name, parsed.command.arg, parsed.arg) {
            ("xray", _, _) => {
                self.overlay = None;
                self.open_xray()
            }
            ("matrix", _, _) => {
                self.overlay = None;
                self.go_to(Screen::Matrix);
                vec![]
            }
            ("profile", _, None) => self.open_profiles(),
            ("profile", _, Some(name)) => match self.profiles.lacks(&name) {
                // An unknown name leaves the console where it is.
                Some(names) => {
                    self.status = error_status(format!(
                        "No profile {name} in your AWS config files; the profiles are: {} (P lists them)",
                        names.join(", ")
                    ));
                    vec![]
                }
                _ => {
                    self.fleet_selection = None;
                    self.switch_to(name, None)
                }
            },
            ("region", Arg::Region, Some(region)) => {
                match command::check_region(&region, self.partition()) {
                    Err(why) => {
                        self.status = error_status(why);
                        vec![]
                    }
                    Ok(known) => {
                        let commands = self
                            .switch_to(self.session.profile().to_string(), Some(region.clone()));
                        if !known {
                            self.status = info(format!(
                                "{region} is not a region spoke knows (a new one?) — switching; if it was mistyped, :region again"
                            ));
                        }
                        commands
                    }
                }
            }
            ("help", ..) => {
                self.overlay = None;
                self.toggle_overlay(Overlay::Help);
                vec![]
            }
            ("log", ..) => self.open_journal(),
            ("bulk", _, policy) => self.bulk_command(policy),
            ("resume", ..) => self.resume_bulk(),
            ("sync", _, Some(dir)) => self.start_sync(&dir, false),
            ("prune", _, Some(dir)) => self.start_sync(&dir, true),
            ("calls", ..) => {
                self.overlay = None;
                self.toggle_overlay(Overlay::Calls);
                vec![]
            }
            ("quit", ..) => {
                self.quit_unless_busy();
                vec![]
            }
            (other, ..) => {
                self.status = error_status(format!(":{other} is not wired to anything (a bug)"));
                vec![]
            }
        }
    }
}
