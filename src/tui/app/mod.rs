//! The console's state and its transitions: `update(Msg) → Vec<Command>`.
//! No I/O and no `.await` here; `run.rs` executes the commands.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::keymap::{Action, Keymap};
use super::screens::{Catalog, Level, Scope, Screen, Watch};
use super::views;
use super::widgets;
use super::widgets::command::{self, Arg, CommandLine, Outcome};
use super::widgets::table::TableModel;
use super::widgets::text::plural;
use crate::model::ProfileInfo;
use crate::model::{CallEntry, CallerIdentity};

/// Where typed characters go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// To the keymap.
    None,
    /// To the filter of the table in front (`/`).
    Filter,
    /// To the command line (`:`).
    Command,
}

/// A view over the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// `?`: the keys, filterable by typing.
    Help,
    /// `@`: the AWS calls made.
    Calls,
    /// `P` or `:profile`: pick a profile.
    Profiles,
    /// `:log`: the journal of changes.
    Journal,
}

/// The help overlay: what is typed filters it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpState {
    pub filter: String,
    pub offset: usize,
    /// Lines that fit at the last draw.
    pub height: usize,
}

#[derive(Debug, Clone)]
pub struct State {
    pub read_only: bool,
    /// The profile and region asked for (the region may be left to the profile).
    pub profile: String,
    pub region: Option<String>,
    /// The session's generation and the requests awaited.
    requests: Requests,
    pub connection: Option<Connection>,
    pub identity: Option<CallerIdentity>,
    pub keymap: Keymap,
    pub catalog: Catalog,
    /// The navigation stack; never empty.
    nav: Vec<Level>,
    pub input: Input,
    pub overlay: Option<Overlay>,
    pub command: CommandLine,
    pub help: HelpState,
    /// The AWS calls of this console, oldest first.
    pub calls: Vec<CallEntry>,
    pub calls_table: TableModel,
    calls_stale: bool,
    /// The profiles of the AWS config files, once read.
    pub profiles: Option<Vec<ProfileInfo>>,
    /// The last credential or connection failure of each profile tried.
    pub profile_problems: std::collections::BTreeMap<String, String>,
    pub profiles_table: TableModel,
    pub status: Status,
    /// A mistake in a settings file, shown until the first key press.
    pub notice: Option<String>,
    /// Spinner frame, advanced by ticks while busy.
    pub spinner: usize,
    pub show_detail: bool,
    connecting: bool,
    /// The age of the cached inventory on screen, until the scan replaces it.
    pub cached_age: Option<String>,
    /// Sections of the running scan that have arrived.
    scan_parts: usize,
    ticks_since_poll: u32,
    quit: bool,
    /// Why this session cannot act, once connected (none: it can).
    pub no_writer: Option<String>,
    /// The form, plan or report in front, if any.
    pub dialog: Option<act::Dialog>,
    /// Actions of this console, oldest first.
    pub running: Vec<act::Running>,
    pub journal_table: TableModel,
    pub journal_problem: Option<String>,
    /// The form behind the plan on screen.
    last_form: Option<Box<act::Dialog>>,
    /// The accounts of a fleet, when the console shows several.
    pub fleet_selection: Option<crate::ops::fleet::Selection>,
    /// The opt-in policy of the next bulk update.
    pub bulk_policy: crate::model::OptIn,
    /// The bulk update under way or last done.
    pub bulk: Option<fleet::BulkRun>,
    /// "2026-11-24 02:40 UTC · profiles hub, …" when browsing a saved snapshot.
    pub snapshot: Option<String>,
}

impl State {
    pub fn new(profile: impl Into<String>, region: Option<String>, read_only: bool) -> Self {
        Self::with_keymap(profile, region, read_only, Keymap::default())
    }

    pub fn with_keymap(
        profile: impl Into<String>,
        region: Option<String>,
        read_only: bool,
        keymap: Keymap,
    ) -> Self {
        let mut root = Level::new(Screen::Portfolios, Scope::All);
        root.stale = false;
        Self {
            read_only,
            profile: profile.into(),
            region,
            requests: Requests::default(),
            connection: None,
            identity: None,
            keymap,
            catalog: Catalog::default(),
            nav: vec![root],
            input: Input::None,
            overlay: None,
            command: CommandLine::default(),
            help: HelpState::default(),
            calls: Vec::new(),
            calls_table: TableModel::new(views::calllog::columns()),
            calls_stale: false,
            profiles: None,
            profile_problems: Default::default(),
            profiles_table: TableModel::new(views::profiles::columns()),
            status: info(String::new()),
            notice: None,
            spinner: 0,
            show_detail: true,
            connecting: false,
            cached_age: None,
            scan_parts: 0,
            ticks_since_poll: 0,
            quit: false,
            no_writer: None,
            dialog: None,
            running: Vec::new(),
            journal_table: TableModel::new(views::journal::columns()),
            journal_problem: None,
            last_form: None,
            fleet_selection: None,
            bulk_policy: crate::model::OptIn::default(),
            bulk: None,
            snapshot: None,
        }
    }

    /// Shows a problem found before the first frame (a bad keymap or
    /// theme file) in the status line until the first key press, unless an
    /// error of the session needs the line.
    pub fn report(&mut self, problem: String) {
        self.notice = Some(match self.notice.take() {
            Some(before) => format!("{before}; {problem}"),
            None => problem,
        });
    }

    /// The first commands: read the profiles and connect to the profile
    /// given to [`State::new`].
    pub fn start(&mut self) -> Vec<Command> {
        let (profile, region) = (self.profile.clone(), self.region.clone());
        let mut commands = vec![Command::DiscoverProfiles];
        commands.extend(self.switch_to(profile, region));
        commands
    }

    /// Opens another profile and/or region: a new generation. The root
    /// screen stays (with its filter and sort); what was opened from it goes.
    pub fn switch_to(&mut self, profile: String, region: Option<String>) -> Vec<Command> {
        self.requests.new_generation();
        self.status = busy(format!("Connecting to profile {profile}…"));
        self.profile = profile.clone();
        self.region = region.clone();
        self.connection = None;
        self.identity = None;
        self.catalog = Catalog::default();
        self.nav.truncate(1);
        self.nav[0].scope = Scope::All;
        self.rebuild();
        if self.overlay == Some(Overlay::Profiles) {
            self.overlay = None;
            if self.input == Input::Filter {
                self.input = Input::None;
            }
        }
        self.rebuild_profiles();
        self.connecting = true;
        self.cached_age = None;
        self.no_writer = None;
        // A form or plan belongs to the session it was read in; a report
        // or a running action's progress stays.
        if matches!(
            self.dialog,
            Some(
                act::Dialog::Share { .. }
                    | act::Dialog::Accept { .. }
                    | act::Dialog::Launch { .. }
                    | act::Dialog::Update { .. }
                    | act::Dialog::Confirm { .. }
            )
        ) {
            self.dialog = None;
        }
        vec![Command::Connect {
            generation: self.requests.generation(),
            profile,
            region,
        }]
    }

    /// `q` or `:q`: quits at once when nothing is in flight; else asks
    /// first, saying what keeps running in AWS without spoke (y/N, No by
    /// default). The dialog in front comes back on no.
    pub(super) fn quit_unless_busy(&mut self) {
        if !self.has_work_in_flight() {
            self.quit = true;
            return;
        }
        if matches!(self.dialog, Some(act::Dialog::Quit { .. })) {
            return;
        }
        let behind = self.dialog.take().map(Box::new);
        self.dialog = Some(act::Dialog::Quit {
            confirm: self.quit_confirm(),
            behind,
        });
    }

    /// Work that goes on in AWS if spoke quits: a bulk update applying,
    /// an action (launch, update, share…) being followed.
    pub fn has_work_in_flight(&self) -> bool {
        self.bulk_running() || self.running.iter().any(|r| r.done.is_none())
    }

    /// The question `q` asks while work is in flight: what keeps running
    /// in AWS, each on its line.
    fn quit_confirm(&self) -> widgets::confirm::Confirm {
        use widgets::confirm::{Confirm, PlanLine, PlanTone};
        let mut lines = Vec::new();
        if let Some(run) = self.bulk.as_ref().filter(|b| !b.done) {
            let count = |running: bool| {
                run.statuses
                    .iter()
                    .enumerate()
                    .filter(|(i, s)| {
                        run.plan.items.get(*i).is_some_and(|p| p.will_update())
                            && match s {
                                crate::ops::bulk::ItemStatus::Running { .. } => running,
                                crate::ops::bulk::ItemStatus::Waiting => !running,
                                _ => false,
                            }
                    })
                    .count()
            };
            let (sent, waiting) = (count(true), count(false));
            let updates = |n: usize| format!("{n} update{}", plural(n));
            let mut parts = Vec::new();
            if sent > 0 {
                parts.push(format!(
                    "{} {} running in AWS and will finish without spoke",
                    updates(sent),
                    if sent == 1 { "is" } else { "are" }
                ));
            }
            if waiting > 0 && !run.cancelled {
                parts.push(if sent > 0 {
                    format!("{waiting} more will not start")
                } else {
                    format!("none was sent yet: {} will not start", updates(waiting))
                });
            }
            if parts.is_empty() {
                parts.push("its last updates are settling".to_string());
            }
            let mut said = parts.join("; ");
            let batch = run.plan.batch.get(..8).unwrap_or(&run.plan.batch);
            said.push_str(&format!(
                "; `:resume` or `spoke update --resume` picks the batch {batch} up again"
            ));
            lines.push(PlanLine::new("bulk update", said).tone(PlanTone::Warn));
        }
        for r in self.running.iter().filter(|r| r.done.is_none()) {
            let what = match (&r.record, &r.stack) {
                (Some(record), Some(stack)) => format!(
                    "record {record}{} — the stack of {stack} keeps changing in AWS; spoke will not see how it ends",
                    r.status
                        .as_deref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                ),
                (Some(record), None) => format!(
                    "record {record}{} goes on in AWS; spoke will not see how it ends",
                    r.status
                        .as_deref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                ),
                (None, _) => match &r.status {
                    Some(status) => {
                        format!("{status} in AWS, and it goes on; spoke will not see how it ends")
                    }
                    None => "its request is on its way to AWS; spoke will not see how it ends"
                        .to_string(),
                },
            };
            lines.push(PlanLine::new(r.title.clone(), what).tone(PlanTone::Warn));
        }
        if lines.is_empty() {
            return Confirm::new("Quit spoke?", "Nothing runs in AWS any more. Quit?");
        }
        Confirm::new("Quit spoke?", "Quit spoke while this runs?")
            .lines(lines)
            .note("Quitting stops nothing in AWS: what was sent goes on there.")
    }

    /// Stops now (a signal): nothing to confirm.
    pub fn terminate(&mut self) {
        self.quit = true;
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Work in flight (the spinner turns).
    pub fn is_busy(&self) -> bool {
        self.connecting
            || self.requests.any()
            || self.running.iter().any(|r| r.done.is_none())
            || self.bulk_running()
    }

    /// The current session's generation (results of others are dropped).
    pub fn generation(&self) -> Generation {
        self.requests.generation()
    }

    /// The navigation stack, root first.
    pub fn nav(&self) -> &[Level] {
        &self.nav
    }

    /// The level in front.
    pub fn level(&self) -> &Level {
        self.nav
            .last()
            .expect("the navigation stack is never empty")
    }

    fn level_mut(&mut self) -> &mut Level {
        self.nav
            .last_mut()
            .expect("the navigation stack is never empty")
    }

    pub fn screen(&self) -> Screen {
        self.level().screen
    }

    /// The table keys act on: the overlay's, else the screen's.
    pub fn active_table(&self) -> &TableModel {
        match self.overlay {
            Some(Overlay::Calls) => &self.calls_table,
            Some(Overlay::Profiles) => &self.profiles_table,
            Some(Overlay::Journal) => &self.journal_table,
            _ => &self.level().table,
        }
    }

    fn active_table_mut(&mut self) -> &mut TableModel {
        match self.overlay {
            Some(Overlay::Calls) => &mut self.calls_table,
            Some(Overlay::Profiles) => &mut self.profiles_table,
            Some(Overlay::Journal) => &mut self.journal_table,
            _ => &mut self.level_mut().table,
        }
    }

    /// After a draw: how many rows each visible table showed.
    pub fn set_heights(&mut self, screen: usize, overlay: usize, help: usize) {
        self.level_mut().table.set_height(screen);
        match self.overlay {
            Some(Overlay::Calls) => self.calls_table.set_height(overlay),
            Some(Overlay::Profiles) => self.profiles_table.set_height(overlay),
            Some(Overlay::Journal) => self.journal_table.set_height(overlay),
            Some(Overlay::Help) => self.help.height = help,
            None => {}
        }
    }

    /// What the empty table of a level says: loading, nothing, or why not.
    pub fn empty_message(&self, level: &Level) -> String {
        let region = self.region.as_deref().unwrap_or("this region");
        let retry = self
            .keymap
            .key_label(Action::Refresh)
            .map_or(String::new(), |k| format!(" — {k} retries"));
        if level.screen == Screen::Events {
            return match (&level.scope, &self.catalog.watch) {
                (Scope::Provisioned { name, .. }, Some(w)) if w.loaded => {
                    format!("No events yet for the stack of {name}.")
                }
                (Scope::Provisioned { name, .. }, Some(w)) if w.failed_polls > 0 => format!(
                    "Cannot read the stack events of {name} yet — still trying: {}",
                    w.poll_error.as_deref().unwrap_or("no answer")
                ),
                (Scope::Provisioned { name, .. }, _) if self.requests.awaits(Kind::Events) => {
                    format!("Loading the stack events of {name}…")
                }
                (Scope::All, None) => {
                    "Open a provisioned product (Enter on the provisioned screen) to follow its stack."
                        .into()
                }
                _ => format!("No events loaded{retry}."),
            };
        }
        match level.screen.section() {
            Some(section) if self.catalog.loaded.contains(&section) => {
                level.nothing(&self.profile, region)
            }
            _ if self.is_busy() => format!("Loading {}…", level.screen.noun()),
            _ if self.connection.is_none() => format!("Not connected{retry}."),
            _ => format!("Not loaded{retry}."),
        }
    }

    /// The detail lines of the selected row of the level in front.
    pub fn detail(&self) -> Vec<(String, String)> {
        let level = self.level();
        match level.table.selected_key() {
            Some(key) => level.screen.detail(&self.catalog, key),
            None => Vec::new(),
        }
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Command> {
        // What arrives while the quit question is up goes to the dialog
        // behind it; the question then says what is still in flight.
        let from_user = matches!(msg, Msg::Key(_) | Msg::ScrollUp | Msg::ScrollDown);
        let Some(act::Dialog::Quit { confirm, behind }) = self
            .dialog
            .take_if(|d| !from_user && matches!(d, act::Dialog::Quit { .. }))
        else {
            return self.on_msg(msg);
        };
        self.dialog = behind.map(|d| *d);
        let commands = self.on_msg(msg);
        let behind = self.dialog.take().map(Box::new);
        let fresh = self.quit_confirm();
        let confirm = if fresh.plan() == confirm.plan() && fresh.kind() == confirm.kind() {
            confirm
        } else {
            fresh
        };
        self.dialog = Some(act::Dialog::Quit { confirm, behind });
        commands
    }

    fn on_msg(&mut self, msg: Msg) -> Vec<Command> {
        match msg {
            Msg::Key(key) => {
                let before = self.events_selection();
                let commands = self.on_key(key);
                self.freeze_if_moved(before);
                commands
            }
            Msg::ScrollUp | Msg::ScrollDown => {
                let before = self.events_selection();
                self.scroll(if matches!(msg, Msg::ScrollUp) { -3 } else { 3 });
                self.freeze_if_moved(before);
                vec![]
            }
            Msg::Tick => self.on_tick(),
            Msg::Resize => vec![],
            Msg::Connected {
                generation,
                read_only,
                connection,
                identity,
                no_writer,
            } => {
                if !self.requests.current(generation) {
                    return vec![];
                }
                self.read_only = read_only;
                self.connecting = false;
                self.no_writer = no_writer;
                self.profile_problems.remove(&self.profile);
                self.region = Some(connection.region.clone());
                self.connection = Some(connection);
                self.identity = Some(identity);
                self.load_catalog()
            }
            Msg::CacheLoaded {
                generation,
                inventory,
                age,
            } => {
                // Only while nothing fresher is on screen.
                if !self.requests.current(generation) || !self.catalog.loaded.is_empty() {
                    return vec![];
                }
                self.catalog.set_inventory(*inventory);
                self.rebuild();
                self.status = busy(format!("Showing the catalog cached {age} ago; refreshing…"));
                self.cached_age = Some(age);
                vec![]
            }
            Msg::ConnectFailed { generation, error } => {
                if !self.requests.current(generation) {
                    return vec![];
                }
                self.connecting = false;
                self.profile_problems
                    .insert(self.profile.clone(), error.clone());
                self.status = error_status(error);
                vec![]
            }
            Msg::CatalogSection {
                generation,
                request,
                section,
                inventory,
            } => {
                if !self.requests.accepts(Kind::Catalog, generation, request) {
                    return vec![];
                }
                self.catalog.apply_section(section, &inventory);
                self.rebuild();
                self.scan_parts += 1;
                let cached = self.cached_prefix();
                self.status = busy(format!(
                    "{cached}Loading the catalog of {}… {} of 6 parts in",
                    self.profile, self.scan_parts
                ));
                vec![]
            }
            Msg::CatalogLoaded {
                generation,
                request,
                result,
            } => {
                if !self.requests.accepts(Kind::Catalog, generation, request) {
                    return vec![];
                }
                self.requests.settle(Kind::Catalog);
                self.cached_age = None;
                match result {
                    Ok(inventory) => {
                        self.catalog.set_inventory(*inventory);
                        self.rebuild();
                        self.status = match self.catalog.problems.as_slice() {
                            [] => info(summary(&self.catalog)),
                            [only] => error_status(format!(
                                "{}: {} (the rest is loaded)",
                                only.section.label(),
                                only.message
                            )),
                            [first, rest @ ..] => error_status(format!(
                                "{}: {} (and {} more problems; the rest is loaded)",
                                first.section.label(),
                                first.message,
                                rest.len()
                            )),
                        };
                    }
                    Err(error) => self.status = error_status(error),
                }
                vec![]
            }
            Msg::EventsLoaded {
                generation,
                request,
                stack_id,
                result,
            } => {
                if !self.requests.accepts(Kind::Events, generation, request) {
                    return vec![];
                }
                self.requests.settle(Kind::Events);
                self.ticks_since_poll = 0;
                let Some(watch) = self
                    .catalog
                    .watch
                    .as_mut()
                    .filter(|w| w.stack.stack_id == stack_id)
                else {
                    return vec![];
                };
                match result {
                    Ok(events) => {
                        watch.loaded = true;
                        let new = watch.stack.append(events);
                        let failed = std::mem::take(&mut watch.failed_polls);
                        watch.poll_error = None;
                        let name = watch.name.clone();
                        if new > 0 {
                            self.rebuild_screen(Screen::Events);
                        }
                        if failed > 0 {
                            // Read from the newest event held: what came
                            // while polls failed is all there, once.
                            self.status = info(format!(
                                "Stack events of {name}: polling works again — caught up with {new} new event{} after {failed} failed poll{}",
                                plural(new),
                                plural(failed as usize),
                            ));
                        } else if self.status.kind == StatusKind::Busy && !self.is_busy() {
                            self.status = info(format!(
                                "{} events of {}",
                                self.catalog
                                    .watch
                                    .as_ref()
                                    .map_or(0, |w| w.stack.events().len()),
                                self.catalog.watch.as_ref().map_or("", |w| w.name.as_str())
                            ));
                        }
                    }
                    Err(error) => {
                        watch.failed_polls += 1;
                        watch.poll_error = Some(error.clone());
                        let every = views::events::elapsed(
                            chrono::TimeDelta::from_std(watch.poll_interval()).unwrap_or_default(),
                        );
                        self.status = error_status(format!(
                            "Stack events of {}: {} — {} poll{} failed in a row; still polling every {every}, the events will catch up",
                            watch.name,
                            error,
                            watch.failed_polls,
                            plural(watch.failed_polls as usize),
                        ));
                    }
                }
                vec![]
            }
            Msg::ProfilesDiscovered(result) => {
                match result {
                    Ok(profiles) => {
                        self.profiles = Some(profiles);
                        self.rebuild_profiles();
                    }
                    Err(error) => {
                        self.status = error_status(format!("cannot list the profiles: {error}"))
                    }
                }
                vec![]
            }
            Msg::Prepared {
                generation,
                request,
                result,
            } => {
                if !self.requests.current(generation) {
                    return vec![];
                }
                self.on_prepared(request, result)
            }
            // Actions are followed to their end across profile switches.
            Msg::ActProgress { request, event, .. } => self.on_act_progress(request, event),
            Msg::ActDone {
                request, result, ..
            } => self.on_act_done(request, result),
            Msg::JournalLoaded(result) => {
                self.on_journal(result);
                vec![]
            }
            Msg::FleetMembers {
                generation,
                request,
                result,
            } => {
                if !self.requests.accepts(Kind::Fleet, generation, request) {
                    return vec![];
                }
                self.on_fleet_members(result);
                vec![]
            }
            Msg::FleetAccount {
                generation,
                request,
                account,
            } => {
                if !self.requests.accepts(Kind::Fleet, generation, request) {
                    return vec![];
                }
                self.on_fleet_account(*account);
                vec![]
            }
            Msg::FleetLoaded {
                generation,
                request,
            } => {
                if !self.requests.accepts(Kind::Fleet, generation, request) {
                    return vec![];
                }
                self.on_fleet_loaded();
                vec![]
            }
            Msg::BulkPlanned {
                generation,
                request,
                result,
                resumed,
            } => {
                if !self.requests.accepts(Kind::Bulk, generation, request) {
                    return vec![];
                }
                self.on_bulk_planned(result, resumed);
                vec![]
            }
            Msg::RiskPreviewed {
                generation,
                request,
                result,
            } => {
                if !self.requests.accepts(Kind::Bulk, generation, request) {
                    return vec![];
                }
                self.on_risk_previewed(result);
                vec![]
            }
            // A bulk update is followed to its end across profile switches.
            Msg::BulkProgress { request, progress } => {
                self.on_bulk_progress(request, progress);
                vec![]
            }
            Msg::BulkDone { request, result } => self.on_bulk_done(request, result),
            Msg::Exported(result) => {
                self.status = match result {
                    Ok(text) => info(text),
                    Err(e) => error_status(e),
                };
                vec![]
            }
            Msg::CallsLogged(entries) => {
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
    }

    fn on_tick(&mut self) -> Vec<Command> {
        if self.is_busy() {
            self.spinner = self.spinner.wrapping_add(1);
        }
        // Follow the stack on the events screen: fast while it moves.
        let follow = self.screen() == Screen::Events && !self.requests.awaits(Kind::Events);
        let Some(watch) = self.catalog.watch.as_ref().filter(|_| follow) else {
            return vec![];
        };
        self.ticks_since_poll += 1;
        if TICK * self.ticks_since_poll < watch.poll_interval() {
            return vec![];
        }
        let (stack_id, since) = (
            watch.stack.stack_id.clone(),
            watch.stack.newest_event_id().map(str::to_string),
        );
        self.load_events(stack_id, since)
    }

    /// "cached 5m ago · " while a cached inventory is on screen.
    fn cached_prefix(&self) -> String {
        self.cached_age
            .as_ref()
            .map(|age| format!("cached {age} ago · "))
            .unwrap_or_default()
    }

    fn load_catalog(&mut self) -> Vec<Command> {
        self.scan_parts = 0;
        let request = self.requests.issue(Kind::Catalog);
        let cached = self.cached_prefix();
        self.status = busy(format!("{cached}Loading the catalog of {}…", self.profile));
        let mut commands = vec![Command::LoadCatalog {
            generation: self.requests.generation(),
            request,
        }];
        commands.extend(self.load_fleet());
        commands
    }

    fn load_events(&mut self, stack_id: String, since: Option<String>) -> Vec<Command> {
        let request = self.requests.issue(Kind::Events);
        self.ticks_since_poll = 0;
        vec![Command::LoadEvents {
            generation: self.requests.generation(),
            request,
            stack_id,
            since,
        }]
    }

    /// `R`: reload, or reconnect if the connection failed.
    fn refresh(&mut self) -> Vec<Command> {
        if self.overlay == Some(Overlay::Profiles) {
            return vec![Command::DiscoverProfiles];
        }
        if self.connecting {
            return vec![];
        }
        if self.connection.is_none() {
            let (profile, region) = (self.profile.clone(), self.region.clone());
            return self.switch_to(profile, region);
        }
        let mut commands = self.load_catalog();
        if self.screen() == Screen::Events
            && !self.requests.awaits(Kind::Events)
            && let Some(w) = &self.catalog.watch
        {
            let (id, since) = (
                w.stack.stack_id.clone(),
                w.stack.newest_event_id().map(str::to_string),
            );
            commands.extend(self.load_events(id, since));
        }
        commands
    }

    /// The catalog changed: every level's rows are out of date; the one in
    /// front is rebuilt now, the others when they come back to front.
    fn rebuild(&mut self) {
        for level in &mut self.nav {
            level.stale = true;
        }
        let catalog = &self.catalog;
        self.nav
            .last_mut()
            .expect("the navigation stack is never empty")
            .refresh(catalog);
    }

    fn rebuild_screen(&mut self, screen: Screen) {
        for level in self.nav.iter_mut().filter(|l| l.screen == screen) {
            level.stale = true;
        }
        let catalog = &self.catalog;
        self.nav
            .last_mut()
            .expect("the navigation stack is never empty")
            .refresh(catalog);
    }

    fn rebuild_profiles(&mut self) {
        let rows = views::profiles::rows(
            self.profiles.as_deref().unwrap_or(&[]),
            &self.profile,
            &self.profile_problems,
        );
        self.profiles_table.set_rows(rows);
    }

    fn rebuild_calls(&mut self) {
        if self.calls_stale {
            self.calls_table.set_rows(views::calllog::rows(&self.calls));
            self.calls_stale = false;
        }
    }

    fn scroll(&mut self, delta: isize) {
        if self.input == Input::Command {
            return;
        }
        if self.overlay == Some(Overlay::Help) {
            self.help_scroll(delta);
        } else {
            self.active_table_mut().move_by(delta);
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
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

    fn on_action(&mut self, action: Action) -> Vec<Command> {
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
            Action::Refresh => return self.refresh(),
            Action::Quit => self.quit_unless_busy(),
            Action::Back => self.back(),
            Action::Drill if self.overlay == Some(Overlay::Profiles) => {
                return self.pick_profile();
            }
            Action::Mark if self.overlay == Some(Overlay::Profiles) => {
                self.profiles_table.toggle_mark();
            }
            Action::ClearMarks if self.overlay == Some(Overlay::Profiles) => {
                self.profiles_table.clear_marks();
            }
            _ if in_overlay => {}
            Action::Drill => return self.drill(),
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
            Action::Share => return self.start_share(),
            Action::Accept => return self.start_accept(),
            Action::Launch => return self.start_launch(),
            Action::Update => return self.start_update(),
            Action::BulkUpdate => return self.start_bulk_update(),
        }
        vec![]
    }

    /// On the events screen, the selected event and the filter (to tell
    /// whether a key moved the selection).
    fn events_selection(&self) -> Option<(Option<String>, String)> {
        (self.overlay.is_none() && self.screen() == Screen::Events).then(|| {
            let table = &self.level().table;
            (
                table.selected_key().map(str::to_string),
                table.filter().to_string(),
            )
        })
    }

    /// The user moved the selection off the newest event: following stops.
    /// A new filter keeps following, on the newest event it shows.
    fn freeze_if_moved(&mut self, before: Option<(Option<String>, String)>) {
        let after = self.events_selection();
        let (Some(before), Some(after)) = (before, after) else {
            return;
        };
        if after == before {
            return;
        }
        let catalog = &self.catalog;
        let level = self
            .nav
            .last_mut()
            .expect("the navigation stack is never empty");
        if after.1 != before.1 {
            level.follow_newest(catalog);
            return;
        }
        if self.catalog.freeze_unless_newest(level) {
            let key = self.keymap.key_label(Action::Follow).unwrap_or_default();
            self.status = info(format!(
                "Frozen: new events no longer move the selection — {key} follows again"
            ));
        }
    }

    /// `f`: follow the newest event of the stack shown, or stop.
    fn toggle_follow(&mut self) {
        let level = self.level();
        let shown =
            level.screen == Screen::Events && self.catalog.watch_for(&level.scope).is_some();
        let Some(watch) = self.catalog.watch.as_mut().filter(|_| shown) else {
            let key = self
                .keymap
                .key_label(Action::ScreenEvents)
                .unwrap_or_default();
            self.status = info(format!(
                "Nothing to follow here: open the events of a stack first ({key}, or Enter on a provisioned product)"
            ));
            return;
        };
        watch.follow = !watch.follow;
        self.status = info(if watch.follow {
            "Following: the newest event stays selected as events arrive".into()
        } else {
            "Frozen: new events no longer move the selection".into()
        });
        let catalog = &self.catalog;
        self.nav
            .last_mut()
            .expect("the navigation stack is never empty")
            .follow_newest(catalog);
    }

    fn toggle_overlay(&mut self, overlay: Overlay) {
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

    /// `x`: the table in view (an overlay's, else the screen's), as
    /// filtered, to a CSV file: `spoke-<view>-<time>.csv`.
    fn export_view(&mut self) -> Vec<Command> {
        let view = match self.overlay {
            Some(Overlay::Calls) => "calls",
            Some(Overlay::Profiles) => "profiles",
            Some(Overlay::Journal) => "journal",
            Some(Overlay::Help) => {
                self.status = info("The help is not a table: close it (Esc), then x".into());
                return vec![];
            }
            None => self.screen().name(),
        };
        let table = self.active_table();
        let rows = table.len();
        let text = table.to_csv();
        let file = format!(
            "spoke-{view}-{}.csv",
            chrono::Utc::now().format("%Y%m%d-%H%M%S")
        );
        self.status = busy(format!("Exporting {rows} rows to {file}…"));
        vec![Command::Export { file, text }]
    }

    /// `P` or `:profile`: the picker, on the current profile; the files are
    /// read again in case they changed.
    fn open_profiles(&mut self) -> Vec<Command> {
        self.overlay = Some(Overlay::Profiles);
        self.profiles_table.clear_filter();
        let current = self.profile.clone();
        self.profiles_table.select_key(&current);
        vec![Command::DiscoverProfiles]
    }

    /// Enter in the picker: the profile selected, or — with several
    /// marked (Space) — all of them at once, as a fleet.
    fn pick_profile(&mut self) -> Vec<Command> {
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

    /// `Esc`: closes the overlay, else clears the filter, else goes back.
    fn back(&mut self) {
        if self.overlay.is_some() {
            if !self.active_table().filter().is_empty() {
                self.active_table_mut().clear_filter();
            } else {
                self.overlay = None;
            }
            return;
        }
        if !self.level().table.filter().is_empty() {
            self.level_mut().table.clear_filter();
        } else if self.nav.len() > 1 {
            self.nav.pop();
            let catalog = &self.catalog;
            self.nav
                .last_mut()
                .expect("the navigation stack is never empty")
                .refresh(catalog);
        }
    }

    fn push(&mut self, mut level: Level) {
        level.refresh(&self.catalog);
        self.nav.push(level);
    }

    fn drill(&mut self) -> Vec<Command> {
        let level = self.level();
        let Some(key) = level.table.selected_key() else {
            return vec![];
        };
        match level.screen.drill(&self.catalog, &level.scope, key) {
            Ok(next) => {
                let commands = match &next.scope {
                    Scope::Provisioned { id, name, stack } => {
                        self.follow(id.clone(), name.clone(), stack.clone())
                    }
                    _ => vec![],
                };
                self.push(next);
                commands
            }
            Err(why) => {
                self.status = info(why);
                vec![]
            }
        }
    }

    /// Starts following a stack (or keeps following it).
    fn follow(&mut self, provisioned_id: String, name: String, stack_id: String) -> Vec<Command> {
        if let Some(w) = &self.catalog.watch
            && w.stack.stack_id == stack_id
        {
            return vec![];
        }
        self.catalog.watch = Some(Watch::new(provisioned_id, name, stack_id.clone()));
        self.load_events(stack_id, None)
    }

    fn show_constraints(&mut self) {
        let level = self.level();
        let Some(key) = level.table.selected_key() else {
            return;
        };
        match level
            .screen
            .constraints_of(&self.catalog, &level.scope, key)
        {
            Ok(next) => self.push(next),
            Err(why) => self.status = info(why),
        }
    }

    /// A number key or a screen command: that screen, from its root.
    pub fn go_to(&mut self, screen: Screen) {
        if self.nav.len() == 1 && self.screen() == screen {
            return;
        }
        self.nav.clear();
        self.push(Level::new(screen, Scope::All));
    }

    /// `5` or `:events`: the events of the provisioned product selected on
    /// the nearest provisioned screen, else those followed last.
    fn go_to_events(&mut self) -> Vec<Command> {
        let selected = self
            .nav
            .iter()
            .rev()
            .find(|l| l.screen == Screen::Provisioned)
            .and_then(|l| Some((l.table.selected_key()?.to_string(), l.scope.clone())));
        if let Some((key, scope)) = selected {
            match Screen::Provisioned.drill(&self.catalog, &scope, &key) {
                Ok(level) => {
                    let Scope::Provisioned { id, name, stack } = level.scope.clone() else {
                        unreachable!("a provisioned product opens its stack events")
                    };
                    let mut commands = self.follow(id, name, stack);
                    self.nav.clear();
                    self.push(level);
                    if commands.is_empty() {
                        commands = self.load_events_if_not_yet();
                    }
                    return commands;
                }
                Err(why) => self.status = info(why),
            }
        }
        self.go_to(Screen::Events);
        self.load_events_if_not_yet()
    }

    /// The followed stack's events, if never read and not on their way.
    fn load_events_if_not_yet(&mut self) -> Vec<Command> {
        match &self.catalog.watch {
            Some(w) if !w.loaded && !self.requests.awaits(Kind::Events) => {
                let id = w.stack.stack_id.clone();
                self.load_events(id, None)
            }
            _ => vec![],
        }
    }

    fn on_filter_key(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let table = self.active_table_mut();
        match key.code {
            KeyCode::Esc => {
                table.clear_filter();
                self.input = Input::None;
            }
            KeyCode::Enter => self.input = Input::None,
            // On an empty filter it does nothing: only Esc or Enter
            // leave, so keys typed on are never taken for bindings.
            KeyCode::Backspace => {
                let mut filter = table.filter().to_string();
                if filter.pop().is_some() {
                    table.set_filter(&filter);
                }
            }
            KeyCode::Char('u') if ctrl => table.clear_filter(),
            KeyCode::Down => table.move_by(1),
            KeyCode::Up => table.move_by(-1),
            KeyCode::PageDown => table.page_down(),
            KeyCode::PageUp => table.page_up(),
            KeyCode::Char(c) if !ctrl => {
                let mut filter = table.filter().to_string();
                filter.push(c);
                table.set_filter(&filter);
            }
            _ => {}
        }
    }

    fn on_help_key(&mut self, key: KeyEvent) {
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

    fn help_scroll(&mut self, delta: isize) {
        let lines = views::help::lines(&self.keymap, &self.help.filter).len();
        let last = lines.saturating_sub(self.help.height.max(1));
        self.help.offset = self.help.offset.saturating_add_signed(delta).min(last);
    }

    fn on_command_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let names: Vec<String> = self
            .profiles
            .iter()
            .flatten()
            .map(|p| p.name.clone())
            .collect();
        match self.command.key(key, &names) {
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

    /// A submitted `:` line.
    fn run_command_line(&mut self, line: &str) -> Vec<Command> {
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
            ("profile", _, None) => self.open_profiles(),
            ("profile", _, Some(name)) => match &self.profiles {
                // An unknown name leaves the console where it is.
                Some(known) if !known.iter().any(|p| p.name == name) => {
                    let names: Vec<&str> = known.iter().map(|p| p.name.as_str()).collect();
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
                self.switch_to(self.profile.clone(), Some(region))
            }
            ("help", ..) => {
                self.overlay = None;
                self.toggle_overlay(Overlay::Help);
                vec![]
            }
            ("log", ..) => self.open_journal(),
            ("bulk", _, policy) => self.bulk_command(policy),
            ("resume", ..) => self.resume_bulk(),
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

/// "3 portfolios (1 local, 2 imported) · 9 products · 12 provisioned: 10 CURRENT · 2 BEHIND".
fn summary(catalog: &Catalog) -> String {
    let portfolios = &catalog.portfolios;
    let local = portfolios.iter().filter(|p| p.origin.is_local()).count();
    let imported = portfolios.len() - local;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let drift: crate::model::DriftSummary = catalog
        .provisioned
        .iter()
        .filter_map(|pp| catalog.drift_of(&pp.id))
        .collect();
    let provisioned = match &catalog.fleet {
        Some(fleet) => fleet.summary(),
        None => views::provisioned::drift_summary(&drift),
    };
    format!(
        "{} ({local} local, {imported} imported) · {} · {provisioned}",
        plural(portfolios.len(), "portfolio", "portfolios"),
        plural(catalog.products.len(), "product", "products"),
    )
}

fn busy(text: String) -> Status {
    Status {
        kind: StatusKind::Busy,
        text,
    }
}

fn info(text: String) -> Status {
    Status {
        kind: StatusKind::Info,
        text,
    }
}

fn error_status(text: String) -> Status {
    Status {
        kind: StatusKind::Error,
        text,
    }
}

mod act;
mod fleet;
mod msg;
mod requests;

pub use requests::{Kind, Requests};

pub use msg::{CALLS_KEPT, Command, Connection, Generation, Msg, Status, StatusKind, TICK};

pub use act::{Dialog, Running};
pub use fleet::{BulkOutcome, BulkRun, CONFIRM_WORD};

#[cfg(test)]
mod act_tests;
#[cfg(test)]
mod fleet_tests;
#[cfg(test)]
mod tests;
