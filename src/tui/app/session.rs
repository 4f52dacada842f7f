//! The session on screen: opening a profile and region (a new generation),
//! connecting, reconnecting with `R`, the cached inventory shown first.

use super::*;

impl State {
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

    /// `R`: reload, or reconnect if the connection failed.
    pub(super) fn refresh(&mut self) -> Vec<Command> {
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
        self.read_only = read_only;
        self.connecting = false;
        self.no_writer = no_writer;
        self.profiles.connected(&self.profile);
        self.region = Some(connection.region.clone());
        self.connection = Some(connection);
        self.identity = Some(identity);
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
        self.catalog.set_inventory(*inventory);
        self.rebuild();
        self.status = busy(format!("Showing the catalog cached {age} ago; refreshing…"));
        self.cached_age = Some(age);
        vec![]
    }

    pub(super) fn on_connect_failed(
        &mut self,
        generation: Generation,
        error: String,
    ) -> Vec<Command> {
        if !self.requests.current(generation) {
            return vec![];
        }
        self.connecting = false;
        self.profiles.failed(&self.profile, error.clone());
        self.status = error_status(error);
        vec![]
    }
}
