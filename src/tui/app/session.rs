//! The session on screen: opening a profile and region (a new generation),
//! connecting, reconnecting with `R`, the cached inventory shown first.

use super::*;

/// The session on screen: the profile and region asked for, and once
/// connected, where calls go, who we are, and whether it may act.
#[derive(Debug, Clone)]
pub struct Session {
    /// RO in the header: the account in front is read-only (until it is
    /// known, whether the profile may turn out so).
    read_only: bool,
    profile: String,
    /// The region asked for (the profile's or the config's when none);
    /// the session's once connected.
    region: Option<String>,
    connection: Option<Connection>,
    identity: Option<CallerIdentity>,
    /// Why this session cannot act, once connected (none: it can).
    no_writer: Option<String>,
    connecting: bool,
}

impl Session {
    pub(super) fn new(profile: String, region: Option<String>, read_only: bool) -> Self {
        Self {
            read_only,
            profile,
            region,
            connection: None,
            identity: None,
            no_writer: None,
            connecting: false,
        }
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    pub fn profile(&self) -> &str {
        &self.profile
    }

    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    pub fn connection(&self) -> Option<&Connection> {
        self.connection.as_ref()
    }

    pub fn identity(&self) -> Option<&CallerIdentity> {
        self.identity.as_ref()
    }

    pub fn no_writer(&self) -> Option<&str> {
        self.no_writer.as_deref()
    }

    /// A connection is being made.
    pub fn connecting(&self) -> bool {
        self.connecting
    }

    /// A test's session turned read-only after it connected.
    #[cfg(test)]
    pub(super) fn make_read_only(&mut self) {
        self.read_only = true;
    }
}

impl State {
    /// The first commands: read the profiles and connect to the profile
    /// given to [`State::new`].
    pub fn start(&mut self) -> Vec<Command> {
        let (profile, region) = (self.session.profile.clone(), self.session.region.clone());
        let mut commands = vec![Command::DiscoverProfiles];
        commands.extend(self.switch_to(profile, region));
        commands
    }

    /// Opens another profile and/or region: a new generation. The root
    /// screen stays (with its filter and sort); what was opened from it goes.
    pub fn switch_to(&mut self, profile: String, region: Option<String>) -> Vec<Command> {
        self.requests.new_generation();
        self.status = busy(format!("Connecting to profile {profile}…"));
        let read_only = self.session.read_only;
        self.session = Session::new(profile.clone(), region.clone(), read_only);
        self.session.connecting = true;
        self.catalog = Catalog::default();
        self.forget_refresh();
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
        self.cached_age = None;
        // A form or plan belongs to the session it was read in; a report
        // or a running action's progress stays.
        if matches!(
            self.dialog,
            Some(
                act::Dialog::Share { .. }
                    | act::Dialog::Accept { .. }
                    | act::Dialog::Launch { .. }
                    | act::Dialog::Update { .. }
                    | act::Dialog::Versions { .. }
                    | act::Dialog::Hub { .. }
                    | act::Dialog::Unshare { .. }
                    | act::Dialog::Repair { .. }
                    | act::Dialog::Action { .. }
                    | act::Dialog::Confirm { .. }
                    | act::Dialog::Detect { .. }
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

    /// `R`: reload, or reconnect if the connection failed.
    pub(super) fn refresh(&mut self) -> Vec<Command> {
        if self.overlay == Some(Overlay::Profiles) {
            return vec![Command::DiscoverProfiles];
        }
        if let Some(taken) = &self.snapshot {
            self.status = info(format!(
                "A saved snapshot ({taken}) is not read again: open the live account for fresh data"
            ));
            return vec![];
        }
        if self.session.connecting {
            return vec![];
        }
        if self.session.connection.is_none() {
            let (profile, region) = (self.session.profile.clone(), self.session.region.clone());
            return self.switch_to(profile, region);
        }
        let mut commands = self.load_catalog();
        // A part of a provisioned product's life in front: read again too.
        if crate::tui::views::life::part_of(self.screen()).is_some() {
            commands.extend(self.open_life(self.screen()));
        }
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

    pub(super) fn on_connected(
        &mut self,
        generation: Generation,
        read_only: bool,
        connection: Connection,
        identity: CallerIdentity,
        no_writer: Option<String>,
    ) -> Vec<Command> {
        if !self.requests.current(generation) {
            return vec![];
        }
        let session = &mut self.session;
        session.read_only = read_only;
        session.connecting = false;
        session.no_writer = no_writer;
        session.region = Some(connection.region.clone());
        session.connection = Some(connection);
        session.identity = Some(identity);
        self.profiles.connected(&self.session.profile);
        self.load_catalog()
    }

    pub(super) fn on_cache_loaded(
        &mut self,
        generation: Generation,
        inventory: Box<crate::model::Inventory>,
        age: String,
    ) -> Vec<Command> {
        // Only while nothing fresher is on screen.
        if !self.requests.current(generation) || !self.catalog.loaded.is_empty() {
            return vec![];
        }
        let commands = self.change_catalog(super::refresh::Change::Cached(inventory));
        self.status = busy(format!("Showing the catalog cached {age} ago; refreshing…"));
        self.cached_age = Some(age);
        commands
    }

    pub(super) fn on_connect_failed(
        &mut self,
        generation: Generation,
        error: String,
    ) -> Vec<Command> {
        if !self.requests.current(generation) {
            return vec![];
        }
        self.session.connecting = false;
        self.profiles.failed(&self.session.profile, error.clone());
        self.status = error_status(error);
        vec![]
    }
}
