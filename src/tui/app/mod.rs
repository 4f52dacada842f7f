//! The console's state and its transitions: `update(Msg) → Vec<Command>`.
//! No I/O and no `.await` here; `run.rs` executes the commands.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::keymap::{Action, Keymap, Typed};
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

#[derive(Debug, Clone)]
pub struct State {
    /// The profile and region on screen, and the connection once made.
    session: Session,
    /// The session's generation and the requests awaited.
    requests: Requests,
    keymap: Keymap,
    catalog: Catalog,
    /// The navigation stack; never empty.
    nav: Vec<Level>,
    input: Input,
    overlay: Option<Overlay>,
    command: CommandLine,
    help: Help,
    /// `@`: the AWS calls of this console.
    calls: Calls,
    /// `P`: the profiles of the AWS config files.
    profiles: Profiles,
    status: Status,
    /// A mistake in a settings file, shown until the first key press.
    notice: Option<String>,
    /// Spinner frame, advanced by ticks while busy.
    spinner: usize,
    show_detail: bool,
    /// The age of the cached inventory on screen, until the scan replaces it.
    cached_age: Option<String>,
    /// Sections of the running scan that have arrived.
    scan_parts: usize,
    ticks_since_poll: u32,
    quit: bool,
    /// The form, plan or report in front, if any.
    dialog: Option<act::Dialog>,
    /// Actions of this console, oldest first.
    running: Vec<act::Running>,
    /// `:log`: the journal.
    journal: Journal,
    /// The form behind the plan on screen.
    last_form: Option<Box<act::Dialog>>,
    /// The accounts of a fleet, when the console shows several.
    fleet_selection: Option<crate::ops::fleet::Selection>,
    /// The opt-in policy of the next bulk update.
    bulk_policy: crate::model::OptIn,
    /// The hygiene rules' switches and thresholds (`:xray`).
    lint_config: crate::ops::lint::LintConfig,
    /// The bucket templates are stored in, by profile (spoke's config).
    template_buckets: std::collections::BTreeMap<String, String>,
    /// The bulk update under way or last done.
    bulk: Option<bulk::BulkRun>,
    /// "2026-11-24 02:40 UTC · profiles hub, …" when browsing a saved snapshot.
    snapshot: Option<String>,
    /// How the clock of the endpoint differs from the wall clock (a
    /// sandbox at `--speed` other than 1), for the header.
    clock_note: Option<String>,
    /// Catalog changes applied off the input path.
    refresh: refresh::Refresh,
    /// Text for the terminal's clipboard, written (OSC 52) with the next frame.
    clipboard: Option<String>,
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
            session: Session::new(profile.into(), region, read_only),
            requests: Requests::default(),
            keymap,
            catalog: Catalog::default(),
            nav: vec![root],
            input: Input::None,
            overlay: None,
            command: CommandLine::default(),
            help: Help::default(),
            calls: Calls::default(),
            profiles: Profiles::default(),
            status: info(String::new()),
            notice: None,
            spinner: 0,
            show_detail: true,
            cached_age: None,
            scan_parts: 0,
            ticks_since_poll: 0,
            quit: false,
            dialog: None,
            running: Vec::new(),
            journal: Journal::default(),
            last_form: None,
            fleet_selection: None,
            bulk_policy: crate::model::OptIn::default(),
            lint_config: crate::ops::lint::LintConfig::default(),
            template_buckets: Default::default(),
            bulk: None,
            snapshot: None,
            clock_note: None,
            refresh: refresh::Refresh::default(),
            clipboard: None,
        }
    }

    /// Work in flight (the spinner turns).
    pub fn is_busy(&self) -> bool {
        self.session.connecting()
            || self.requests.any()
            || self.running.iter().any(|r| r.done.is_none())
            || self.bulk_running()
    }

    /// The current session's generation (results of others are dropped).
    pub fn generation(&self) -> Generation {
        self.requests.generation()
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
            Msg::Drawn {
                screen,
                overlay,
                help,
            } => {
                self.set_heights(screen, overlay, help);
                vec![]
            }
            Msg::Connected {
                generation,
                read_only,
                connection,
                identity,
                no_writer,
            } => self.on_connected(generation, read_only, connection, identity, no_writer),
            Msg::CacheLoaded {
                generation,
                inventory,
                age,
            } => self.on_cache_loaded(generation, inventory, age),
            Msg::ConnectFailed { generation, error } => self.on_connect_failed(generation, error),
            Msg::CatalogSection {
                generation,
                request,
                section,
                inventory,
            } => self.on_catalog_section(generation, request, section, inventory),
            Msg::CatalogLoaded {
                generation,
                request,
                result,
            } => self.on_catalog_loaded(generation, request, result),
            Msg::CatalogBuilt {
                generation,
                request,
                built,
            } => self.on_catalog_built(generation, request, built),
            Msg::EventsLoaded {
                generation,
                request,
                stack_id,
                result,
            } => self.on_events_loaded(generation, request, stack_id, result),
            Msg::LifeLoaded {
                generation,
                request,
                provisioned_id,
                part,
                result,
            } => self.on_life_loaded(generation, request, provisioned_id, part, result),
            Msg::DriftDetected {
                generation,
                request,
                provisioned_id,
                result,
            } => self.on_drift_detected(generation, request, provisioned_id, result),
            Msg::ProfilesDiscovered(result) => self.on_profiles(result),
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
            Msg::OusRead {
                generation,
                request,
                result,
            } => {
                if !self.requests.accepts(Kind::OuTree, generation, request) {
                    return vec![];
                }
                self.on_ous_read(result);
                vec![]
            }
            Msg::Linted {
                generation,
                request,
                result,
            } => {
                if !self.requests.accepts(Kind::Lint, generation, request) {
                    return vec![];
                }
                self.on_linted(result);
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
            Msg::BulkProgress { request, progress } => self.on_bulk_progress(request, progress),
            Msg::BulkDone { request, result } => self.on_bulk_done(request, result),
            Msg::Exported(result) => {
                self.status = match result {
                    Ok(text) => info(text),
                    Err(e) => error_status(e),
                };
                vec![]
            }
            Msg::CallsLogged(entries) => self.on_calls(entries),
            Msg::Retrying(retrying) => {
                self.calls.set_retrying(retrying);
                vec![]
            }
            Msg::ProvisionedRead {
                generation,
                id,
                result,
            } => self.on_provisioned_read(generation, id, result),
        }
    }
}

mod act;
mod browse;
mod bulk;
mod console_url;
mod events;
mod fleet;
mod keys;
mod life;
mod matrix;
mod msg;
mod overlays;
mod quit;
mod read;
mod refresh;
mod requests;
mod resource_drift;
mod session;
mod status;
mod xray;

pub use overlays::{Calls, Help, Journal, Profiles};
pub use refresh::{Built, Change, Garbage, Job, OFF_THREAD_ROWS};
pub use requests::{Kind, Requests};
pub use session::Session;
use status::{busy, error_status, info};

pub use msg::{CALLS_KEPT, Command, Connection, Generation, Msg, Status, StatusKind, TICK};

pub use act::{Dialog, Running};
pub use bulk::{BulkOutcome, BulkRun, CONFIRM_WORD};

#[cfg(test)]
mod act_tests;
#[cfg(test)]
mod bulk_tests;
#[cfg(test)]
mod fleet_tests;
#[cfg(test)]
mod matrix_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod xray_tests;
