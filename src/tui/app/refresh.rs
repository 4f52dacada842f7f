//! A new catalog without freezing input. What a scan delivers (a section,
//! the whole inventory, a cached one) is a [`Change`]; applying it and
//! building the rows of the screen in front cost time in proportion to the
//! rows (100,000 provisioned products: a fifth of a second). Below
//! [`OFF_THREAD_ROWS`] that is done at once; at or over it, a [`Job`]
//! goes to the executor, which runs it on a blocking thread, and the
//! [`Built`] result is installed in one move. One job at a time: changes
//! that arrive meanwhile wait, in order, and go with the next. What is
//! replaced (the old inventory, the old rows) goes back to the executor
//! as [`Garbage`] to be dropped off the input path too.

use std::any::Any;
use std::sync::Arc;

use super::requests::Kind;
use super::*;
use crate::model::{Inventory, Section};
use crate::tui::screens::EventWindow;
use crate::tui::widgets::table::{Prepared, Spec};

/// A change of this many rows or more (or a catalog this large) is
/// applied off the input path: below it, it costs under a millisecond or
/// two and is applied at once (as the tests see it).
pub const OFF_THREAD_ROWS: usize = 5_000;

/// What arrived of the account's catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// One section of a running scan.
    Section(Section, Box<Inventory>),
    /// The whole inventory of a scan that finished: the status line
    /// summarises it once applied.
    Scanned(Box<Inventory>),
    /// An inventory from the cache, shown until the scan replaces it.
    Cached(Box<Inventory>),
    /// Provisioned products spoke just sent a request for: UNDER_CHANGE
    /// at once, before AWS is asked again.
    UnderChange(Vec<String>),
    /// One provisioned product read again (its record settled): it
    /// replaces the one shown, or joins them (a launch).
    Provisioned(Box<crate::model::ProvisionedProduct>),
    /// A provisioned product AWS no longer knows (terminated): it goes.
    Gone(String),
}

impl Change {
    /// The rows it brings (its largest collection).
    fn rows(&self) -> usize {
        match self {
            Change::Section(_, i) | Change::Scanned(i) | Change::Cached(i) => size(i),
            // The catalog's own size decides.
            Change::UnderChange(_) | Change::Provisioned(_) | Change::Gone(_) => 0,
        }
    }
}

fn size(inventory: &Inventory) -> usize {
    inventory
        .provisioned
        .len()
        .max(inventory.products.len())
        .max(inventory.portfolios.len())
        .max(inventory.constraints.len())
}

/// The table in front when a job started: its rows are built with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Front {
    screen: Screen,
    scope: Scope,
    window: Option<EventWindow>,
    spec: Spec,
}

/// Changes to apply to a catalog, and the rows to build of the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    base: Catalog,
    changes: Vec<Change>,
    front: Front,
}

/// A catalog with the changes applied, the rows of the table in front,
/// and the status line to show if a scan finished.
#[derive(Debug, Clone)]
pub struct Built {
    catalog: Catalog,
    front: Front,
    rows: Prepared,
    status: Option<Status>,
}

impl Job {
    /// Applies the changes and builds the rows (pure; any thread).
    pub fn run(self) -> Built {
        let Job {
            mut base,
            changes,
            front,
        } = self;
        let mut status = None;
        for change in changes {
            match change {
                Change::Section(section, inventory) => base.apply_section(section, inventory),
                Change::Scanned(inventory) => {
                    base.set_inventory(*inventory);
                    status = Some(super::browse::loaded_status(&base));
                }
                Change::Cached(inventory) => base.set_inventory(*inventory),
                Change::UnderChange(ids) => base.mark_under_change(&ids),
                Change::Provisioned(pp) => base.replace_provisioned(*pp),
                Change::Gone(id) => base.remove_provisioned(&id),
            }
        }
        let spec = front
            .spec
            .clone()
            .with_columns(front.screen.columns_for(&base));
        let rows = spec.prepare(Level::rows_of(
            front.screen,
            &front.scope,
            front.window.as_ref(),
            &base,
        ));
        Built {
            catalog: base,
            front,
            rows,
            status,
        }
    }
}

/// Values to drop where it costs the input nothing (the executor drops
/// them on a blocking thread).
#[derive(Clone)]
pub struct Garbage(Arc<dyn Any + Send + Sync>);

impl Garbage {
    pub fn new(value: impl Any + Send + Sync) -> Garbage {
        Garbage(Arc::new(value))
    }
}

impl std::fmt::Debug for Garbage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Garbage")
    }
}

impl PartialEq for Garbage {
    fn eq(&self, other: &Garbage) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Garbage {}

/// The changes waiting for the job in flight.
#[derive(Debug, Clone, Default)]
pub(super) struct Refresh {
    pending: Vec<Change>,
    /// The job in flight (its request).
    building: Option<u64>,
}

impl State {
    /// Takes what a scan delivered: applied now if small, else by a job.
    pub(super) fn change_catalog(&mut self, change: Change) -> Vec<Command> {
        self.refresh.pending.push(change);
        if self.refresh.building.is_some() {
            return vec![];
        }
        self.build_catalog()
    }

    /// A new session: what was waiting or building is of the old one.
    pub(super) fn forget_refresh(&mut self) {
        self.refresh = Refresh::default();
    }

    fn build_catalog(&mut self) -> Vec<Command> {
        let changes = std::mem::take(&mut self.refresh.pending);
        if changes.is_empty() {
            return vec![];
        }
        let rows = changes
            .iter()
            .map(Change::rows)
            .max()
            .unwrap_or(0)
            .max(size(&self.catalog));
        let level = self.level();
        let front = Front {
            screen: level.screen,
            scope: level.scope.clone(),
            window: level.window.clone(),
            spec: level.table.spec(),
        };
        if rows < OFF_THREAD_ROWS {
            let base = std::mem::take(&mut self.catalog);
            let built = Job {
                base,
                changes,
                front,
            }
            .run();
            let Built {
                catalog,
                front,
                rows,
                status,
            } = built;
            self.catalog = catalog;
            drop(self.install(front, rows, status));
            return vec![];
        }
        let request = self.requests.issue(Kind::Rows);
        self.refresh.building = Some(request);
        vec![Command::BuildCatalog {
            generation: self.requests.generation(),
            request,
            job: Box::new(Job {
                base: self.catalog.clone(),
                changes,
                front,
            }),
        }]
    }

    /// A job's result: installed if it answers the job in flight of this
    /// session (else dropped off the input path); then the next job.
    pub(super) fn on_catalog_built(
        &mut self,
        generation: Generation,
        request: u64,
        built: Box<Built>,
    ) -> Vec<Command> {
        if !self.requests.accepts(Kind::Rows, generation, request) {
            return vec![Command::Discard(Garbage::new(built))];
        }
        self.requests.settle(Kind::Rows);
        self.refresh.building = None;
        let Built {
            catalog,
            front,
            rows,
            status,
        } = *built;
        let old = self.catalog.take_inventory(catalog);
        let rows = self.install(front, rows, status);
        let mut commands = vec![Command::Discard(Garbage::new((old, rows)))];
        commands.extend(self.build_catalog());
        commands
    }

    /// Every level is out of date; the one in front takes the rows built
    /// if it is still the one they were built for, else is built now.
    /// Gives back what it replaced.
    fn install(
        &mut self,
        front: Front,
        rows: Prepared,
        status: Option<Status>,
    ) -> Option<crate::tui::widgets::table::Discarded> {
        for level in &mut self.nav {
            level.stale = true;
        }
        let catalog_now = &self.catalog;
        let level = self
            .nav
            .last_mut()
            .expect("the navigation stack is never empty");
        let replaced = if level.screen == front.screen
            && level.scope == front.scope
            && level.window == front.window
        {
            Some(level.install(rows, catalog_now))
        } else {
            level.refresh(catalog_now);
            None
        };
        if let Some(status) = status {
            self.status = status;
        }
        replaced
    }
}
