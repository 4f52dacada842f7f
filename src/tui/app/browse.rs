//! The screens and their navigation: the stack of levels, the catalog
//! they show, its scan arriving section by section, drilling in and out,
//! the detail of the selected row, exporting the table in view.

use super::*;

impl State {
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

    pub(super) fn level_mut(&mut self) -> &mut Level {
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
            Some(Overlay::Calls) => self.calls.table(),
            Some(Overlay::Profiles) => self.profiles.table(),
            Some(Overlay::Journal) => self.journal.table(),
            _ => &self.level().table,
        }
    }

    pub(super) fn active_table_mut(&mut self) -> &mut TableModel {
        match self.overlay {
            Some(Overlay::Calls) => self.calls.table_mut(),
            Some(Overlay::Profiles) => self.profiles.table_mut(),
            Some(Overlay::Journal) => self.journal.table_mut(),
            _ => &mut self.level_mut().table,
        }
    }

    /// After a draw: how many rows each visible table showed.
    pub(super) fn set_heights(&mut self, screen: usize, overlay: usize, help: usize) {
        self.level_mut().table.set_height(screen);
        match self.overlay {
            Some(Overlay::Calls) => self.calls.table_mut().set_height(overlay),
            Some(Overlay::Profiles) => self.profiles.table_mut().set_height(overlay),
            Some(Overlay::Journal) => self.journal.table_mut().set_height(overlay),
            Some(Overlay::Help) => self.help.set_height(help),
            None => {}
        }
    }

    /// What the empty table of a level says: loading, nothing, or why not.
    pub fn empty_message(&self, level: &Level) -> String {
        let region = self.session.region().unwrap_or("this region");
        // A snapshot is read once and for all: nothing to retry.
        let retry = match self.snapshot {
            Some(_) => String::new(),
            None => self
                .keymap
                .key_label(Action::Refresh)
                .map_or(String::new(), |k| format!(" — {k} retries")),
        };
        if level.screen == Screen::Xray {
            return crate::tui::views::xray::empty(&self.catalog);
        }
        if level.screen == Screen::Events {
            if let (Some(taken), Scope::Provisioned { name, .. }) = (&self.snapshot, &level.scope) {
                let why = self
                    .catalog
                    .watch
                    .as_ref()
                    .and_then(|w| w.poll_error.as_deref())
                    .unwrap_or("none were captured");
                return format!(
                    "The snapshot ({taken}) holds no stack events of {name}: {why}. Open the live account to follow its stack."
                );
            }
            return match (&level.scope, &self.catalog.watch) {
                (Scope::Provisioned { name, .. }, Some(w)) if w.loaded => match &level.window {
                    Some(window) => format!(
                        "The stack of {name} has no events {} ({} in all{}).",
                        window.describe(),
                        w.stack.events().len(),
                        self.keymap
                            .key_label(Action::ScreenEvents)
                            .map_or(String::new(), |k| format!(": {k} shows them"))
                    ),
                    None => format!("No events yet for the stack of {name}."),
                },
                (Scope::Provisioned { name, .. }, Some(w)) if w.failed_polls > 0 => format!(
                    "Cannot read the stack events of {name} yet — still trying: {}",
                    w.poll_error.as_deref().unwrap_or("no answer")
                ),
                (Scope::Provisioned { name, .. }, _) if self.requests.awaits(Kind::Events) => {
                    format!("Loading the stack events of {name}…")
                }
                (Scope::All, None) => {
                    "Select a provisioned product on the provisioned screen and open its stack events (5, or Enter on one of its records) to follow its stack."
                        .into()
                }
                _ => format!("No events loaded{retry}."),
            };
        }
        if let (Some(part), Scope::Provisioned { name, .. }) =
            (crate::tui::views::life::part_of(level.screen), &level.scope)
        {
            if let Some(why) = crate::tui::views::life::error(&self.catalog, &level.scope, part) {
                return format!("The {} of {name} were not read: {why}{retry}.", part.noun());
            }
            if self.life_pending(&level.scope, part) {
                return format!("Reading the {} of {name}…", part.noun());
            }
            if let Some(drift) = self.drift_shown(&level.scope) {
                let key = self.keymap.key_label(Action::ResourceDrift);
                let key = key.as_deref().filter(|_| self.can_act());
                return crate::tui::views::resource_drift::empty(drift, name, key);
            }
            if crate::tui::views::life::read(&self.catalog, &level.scope, part).is_some() {
                return format!("No {} for {name}.", part.noun());
            }
            return format!("The {} of {name} are not read yet.", part.noun());
        }
        match level.screen.section() {
            Some(section) if self.catalog.loaded.contains(&section) => {
                // "No portfolios" only when the read succeeded and found none.
                match level.read(&self.catalog) {
                    crate::model::Read::Whole => level.nothing(self.session.profile(), region),
                    crate::model::Read::Not(p) => format!(
                        "The {} were not read: {}{retry}.",
                        level.screen.noun(),
                        p.message
                    ),
                    crate::model::Read::Partly(p) => format!(
                        "None of the {} that could be read; not all could be: {}{retry}.",
                        level.screen.noun(),
                        p.message
                    ),
                }
            }
            _ if self.is_busy() => format!("Loading {}…", level.screen.noun()),
            _ if self.session.connection().is_none() => format!("Not connected{retry}."),
            _ => format!("Not loaded{retry}."),
        }
    }

    /// The detail lines of the selected row of the level in front.
    pub fn detail(&self) -> Vec<(String, String)> {
        let level = self.level();
        match level.table.selected_key() {
            Some(key) => level.screen.detail(&self.catalog, &|| self.names(), key),
            None => Vec::new(),
        }
    }

    pub(super) fn load_catalog(&mut self) -> Vec<Command> {
        self.scan_parts = 0;
        let request = self.requests.issue(Kind::Catalog);
        let cached = self.cached_prefix();
        self.status = busy(format!(
            "{cached}Loading the catalog of {}…",
            self.session.profile()
        ));
        let mut commands = vec![Command::LoadCatalog {
            generation: self.requests.generation(),
            request,
        }];
        commands.extend(self.load_fleet());
        commands
    }

    /// "cached 5m ago · " while a cached inventory is on screen.
    pub(super) fn cached_prefix(&self) -> String {
        self.cached_age
            .as_ref()
            .map(|age| format!("cached {age} ago · "))
            .unwrap_or_default()
    }

    /// The catalog changed: every level's rows are out of date; the one in
    /// front is rebuilt now, the others when they come back to front.
    pub(super) fn rebuild(&mut self) {
        for level in &mut self.nav {
            level.stale = true;
        }
        let catalog = &self.catalog;
        self.nav
            .last_mut()
            .expect("the navigation stack is never empty")
            .refresh(catalog);
    }

    pub(super) fn rebuild_screen(&mut self, screen: Screen) {
        for level in self.nav.iter_mut().filter(|l| l.screen == screen) {
            level.stale = true;
        }
        let catalog = &self.catalog;
        self.nav
            .last_mut()
            .expect("the navigation stack is never empty")
            .refresh(catalog);
    }

    pub(super) fn scroll(&mut self, delta: isize) {
        if self.input == Input::Command {
            return;
        }
        if self.overlay == Some(Overlay::Help) {
            self.help_scroll(delta);
        } else {
            self.active_table_mut().move_by(delta);
        }
    }

    /// `Esc`: closes the overlay, else clears the filter, else goes back.
    pub(super) fn back(&mut self) {
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

    pub(super) fn push(&mut self, mut level: Level) {
        level.refresh(&self.catalog);
        self.nav.push(level);
    }

    pub(super) fn drill(&mut self) -> Vec<Command> {
        if self.screen() == Screen::Actions {
            return self.start_service_action();
        }
        let level = self.level();
        // A drifted resource's differences are in its detail.
        if level.screen == Screen::ResourceDrift && level.table.selected_key().is_some() {
            self.show_detail = true;
            self.status = info(
                "The detail (right) shows the selected resource's property differences, expected vs actual".into(),
            );
            return vec![];
        }
        let Some(key) = level.table.selected_key() else {
            return vec![];
        };
        // A provisioned product opens its records, read as `h` reads them.
        if level.screen == Screen::Provisioned {
            return self.open_life(Screen::Records);
        }
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

    pub(super) fn show_constraints(&mut self) {
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

    /// `x`: the table in view (an overlay's, else the screen's), as
    /// filtered, to a CSV file: `spoke-<view>-<time>.csv`.
    pub(super) fn export_view(&mut self) -> Vec<Command> {
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

    pub(super) fn on_catalog_section(
        &mut self,
        generation: Generation,
        request: u64,
        section: crate::model::Section,
        inventory: Box<crate::model::Inventory>,
    ) -> Vec<Command> {
        if !self.requests.accepts(Kind::Catalog, generation, request) {
            return vec![];
        }
        let commands = self.change_catalog(super::refresh::Change::Section(section, inventory));
        self.scan_parts += 1;
        let cached = self.cached_prefix();
        self.status = busy(format!(
            "{cached}Loading the catalog of {}… {} of 6 parts in",
            self.session.profile(),
            self.scan_parts
        ));
        commands
    }

    pub(super) fn on_catalog_loaded(
        &mut self,
        generation: Generation,
        request: u64,
        result: Result<Box<crate::model::Inventory>, String>,
    ) -> Vec<Command> {
        if !self.requests.accepts(Kind::Catalog, generation, request) {
            return vec![];
        }
        self.requests.settle(Kind::Catalog);
        self.cached_age = None;
        match result {
            Ok(inventory) => self.change_catalog(super::refresh::Change::Scanned(inventory)),
            Err(error) => {
                self.status = error_status(error);
                vec![]
            }
        }
    }
}

/// The status line once a scan is in: its summary, or its problems.
pub(super) fn loaded_status(catalog: &Catalog) -> Status {
    match catalog.problems.as_slice() {
        [] => info(summary(catalog)),
        [only] => error_status(format!("{} (the rest is loaded)", only.message)),
        [first, rest @ ..] => error_status(format!(
            "{} (and {} more not read; the rest is loaded)",
            first.message,
            rest.len()
        )),
    }
}

/// "3 portfolios (1 local, 2 imported) · 9 products · 12 provisioned: 10 CURRENT · 2 BEHIND".
pub(super) fn summary(catalog: &Catalog) -> String {
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
    let own = format!(
        "{} ({local} local, {imported} imported) · {}",
        plural(portfolios.len(), "portfolio", "portfolios"),
        plural(catalog.products.len(), "product", "products"),
    );
    // A fleet's counts and the session account's are said apart.
    match &catalog.fleet {
        Some(fleet) => format!(
            "account {}: {own} · fleet: {}",
            catalog.caller.account_id,
            fleet.summary()
        ),
        None => format!("{own} · {}", views::provisioned::drift_summary(&drift)),
    }
}
