//! The messages the console's state takes ([`Msg`]: keys, ticks, AWS
//! results) and the work it gives the executor ([`Command`]), each
//! result tagged with the generation and request of its command.

use std::time::Duration;

use crossterm::event::KeyEvent;

use crate::model::{CallEntry, CallerIdentity, Inventory, ProfileInfo, Section};
use crate::ops::act::request::{ActEvent, ActFailure, ActOutcome, Prepare, Prepared, Request};

/// Bumped on every profile or region switch; results of older
/// generations are dropped.
pub type Generation = u64;

/// How often `run.rs` sends [`Msg::Tick`].
pub const TICK: Duration = Duration::from_millis(100);

/// How many AWS calls the `@` log keeps.
pub const CALLS_KEPT: usize = 1000;

/// Where the current session's calls go, once connected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub profile: String,
    pub region: String,
    /// A custom endpoint (the sandbox, LocalStack…), if any.
    pub endpoint: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    ScrollUp,
    ScrollDown,
    Tick,
    Resize,
    /// A frame was drawn: how many rows each visible table showed.
    Drawn {
        screen: usize,
        overlay: usize,
        help: usize,
    },
    Connected {
        generation: Generation,
        /// The session never builds a writer (`--read-only`, the config).
        read_only: bool,
        connection: Connection,
        identity: CallerIdentity,
        /// Why this session cannot act (read-only, no journal), if it cannot.
        no_writer: Option<String>,
    },
    ConnectFailed {
        generation: Generation,
        error: String,
    },
    /// A section of the catalog scan arrived; `inventory` is the scan so far.
    CatalogSection {
        generation: Generation,
        request: u64,
        section: Section,
        inventory: Box<Inventory>,
    },
    /// The catalog scan ended.
    CatalogLoaded {
        generation: Generation,
        request: u64,
        result: Result<Box<Inventory>, String>,
    },
    /// Stack events newer than those held, oldest first.
    EventsLoaded {
        generation: Generation,
        request: u64,
        stack_id: String,
        result: Result<crate::ops::stack::Polled, String>,
    },
    /// A part of one provisioned product's life was read.
    LifeLoaded {
        generation: Generation,
        request: u64,
        provisioned_id: String,
        part: crate::ops::life::LifePart,
        result: Result<crate::ops::life::LifeData, String>,
    },
    /// A drift detection ended: what it found, or why not.
    DriftDetected {
        generation: Generation,
        request: u64,
        provisioned_id: String,
        result: Result<crate::model::StackDrift, String>,
    },
    /// The profiles of the AWS config files.
    ProfilesDiscovered(Result<Vec<ProfileInfo>, String>),
    /// AWS calls made since the last report, oldest first.
    CallsLogged(Vec<CallEntry>),
    /// The calls being tried again now (none when it is over).
    Retrying(Vec<String>),
    /// The last inventory of this profile and region, from the cache, and its age.
    CacheLoaded {
        generation: Generation,
        inventory: Box<Inventory>,
        age: String,
    },
    /// What a form needs was read.
    Prepared {
        generation: Generation,
        request: u64,
        result: Result<Prepared, ActFailure>,
    },
    /// A running action's progress.
    ActProgress {
        generation: Generation,
        request: u64,
        event: ActEvent,
    },
    /// A running action ended.
    ActDone {
        generation: Generation,
        request: u64,
        result: Result<ActOutcome, ActFailure>,
    },
    /// The journal, read for `:log`.
    JournalLoaded(Result<crate::journal::Contents, String>),
    /// The fleet's accounts were reached (or the organization could not be listed).
    FleetMembers {
        generation: Generation,
        request: u64,
        result: Result<usize, String>,
    },
    /// One account of the fleet was scanned.
    FleetAccount {
        generation: Generation,
        request: u64,
        account: Box<crate::model::AccountDrift>,
    },
    /// Every account of the fleet was scanned.
    FleetLoaded {
        generation: Generation,
        request: u64,
    },
    /// The OU of each account of the organization (`:matrix` by OU), or
    /// why the tree could not be read.
    OusRead {
        generation: Generation,
        request: u64,
        result: Result<std::sync::Arc<std::collections::HashMap<String, String>>, String>,
    },
    /// The hygiene findings, or why they could not be had.
    Linted {
        generation: Generation,
        request: u64,
        result: Result<Box<crate::ops::lint::Report>, String>,
    },
    /// A bulk plan is ready (or a stopped run was found, with what its
    /// journal says: sent, settled).
    BulkPlanned {
        generation: Generation,
        request: u64,
        result: Result<Box<crate::ops::bulk::BulkPlan>, String>,
        resumed: Option<(usize, usize)>,
    },
    /// The risk of a bulk plan's items was previewed (`p` in its dialog):
    /// the plan with their risk, and what the preview did.
    RiskPreviewed {
        generation: Generation,
        request: u64,
        result: Result<
            (
                Box<crate::ops::bulk::BulkPlan>,
                crate::ops::bulk::RiskPreview,
            ),
            String,
        >,
    },
    /// An item of the running bulk update moved.
    BulkProgress {
        request: u64,
        progress: crate::ops::bulk::Progress,
    },
    /// An exported view was written (its path), or why not.
    Exported(Result<String, String>),
    /// A catalog change applied and the rows in front built, off the
    /// input path ([`Command::BuildCatalog`]).
    CatalogBuilt {
        generation: Generation,
        request: u64,
        built: Box<super::refresh::Built>,
    },
    /// A provisioned product read again: `None` if it is gone.
    ProvisionedRead {
        generation: Generation,
        id: String,
        result: Result<Option<crate::model::ProvisionedProduct>, String>,
    },
    /// The bulk update ended.
    BulkDone {
        request: u64,
        result: Result<super::bulk::BulkOutcome, String>,
    },
}

/// Work for `run.rs`; each result comes back as a [`Msg`] with the same tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Connect {
        generation: Generation,
        profile: String,
        region: Option<String>,
    },
    /// Apply catalog changes and build the rows in front on a blocking
    /// thread ([`super::refresh::Job::run`]); answered by
    /// [`Msg::CatalogBuilt`].
    BuildCatalog {
        generation: Generation,
        request: u64,
        job: Box<super::refresh::Job>,
    },
    /// Drop these on a blocking thread (rows and inventories replaced:
    /// dropping 100,000 rows is not free).
    Discard(super::refresh::Garbage),
    /// Scan the catalog (`ops::scan_with`), reporting each section.
    LoadCatalog {
        generation: Generation,
        request: u64,
    },
    /// One provisioned product read again (its record settled), in the
    /// account `account` (the fleet's member, else the session's).
    ReadProvisioned {
        generation: Generation,
        account: Option<String>,
        id: String,
    },
    /// The events of a stack after `since` (an event id), or all.
    LoadEvents {
        generation: Generation,
        request: u64,
        stack_id: String,
        since: Option<String>,
    },
    /// Read a part of one provisioned product's life (in the account of
    /// its stack: a fleet's member, else the session's).
    LoadLife {
        generation: Generation,
        request: u64,
        provisioned_id: String,
        stack_id: String,
        part: crate::ops::life::LifePart,
    },
    /// Detect the drift of a provisioned product's stack (confirmed; never
    /// built in a read-only session): the writer of the stack's account
    /// from the gate, `DetectStackDrift`, followed to its end.
    DetectDrift {
        generation: Generation,
        request: u64,
        provisioned_id: String,
        name: String,
        stack_id: String,
    },
    DiscoverProfiles,
    /// Read what a form needs.
    Prepare {
        generation: Generation,
        request: u64,
        what: Prepare,
    },
    /// Do a confirmed action (never built in a read-only session).
    Act {
        generation: Generation,
        request: u64,
        act: Request,
    },
    /// Read the journal for `:log`.
    LoadJournal,
    /// Reach every account of the fleet and scan their drift.
    LoadFleet {
        generation: Generation,
        request: u64,
        selection: crate::ops::fleet::Selection,
    },
    /// Read the OU tree of the organization of `selection` (`:matrix` by OU).
    ReadOus {
        generation: Generation,
        request: u64,
        selection: crate::ops::fleet::Selection,
    },
    /// Read the accounts of `selection` and run the hygiene rules (`:xray`).
    Lint {
        generation: Generation,
        request: u64,
        selection: crate::ops::fleet::Selection,
        config: Box<crate::ops::lint::LintConfig>,
    },
    /// Plan the bulk update of these provisioned products.
    PlanBulk {
        generation: Generation,
        request: u64,
        only: std::collections::BTreeSet<String>,
        policy: crate::model::OptIn,
    },
    /// Preview the risk of a bulk plan's items: a temporary provisioned
    /// product plan each, created and deleted (the user asked, with `p`).
    PreviewRisk {
        generation: Generation,
        request: u64,
        plan: Box<crate::ops::bulk::BulkPlan>,
    },
    /// Apply a confirmed bulk plan (its risk previewed first if it was
    /// not); the gate gives each account its writer or refuses it; what
    /// the journal says of its batch is honoured (resume).
    ApplyBulk {
        generation: Generation,
        request: u64,
        plan: Box<crate::ops::bulk::BulkPlan>,
    },
    /// Start nothing more of the running bulk update.
    CancelBulk,
    /// Find the last bulk run that was stopped, and what its journal says.
    ResumeBulk {
        generation: Generation,
        request: u64,
    },
    /// Write an exported view (`x`) to `file` in the current directory.
    Export {
        file: String,
        text: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Busy,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}
