//! The screens framework: which screens there are, what each shows of the
//! catalog (a [`Scope`]), and the navigation stack of levels, each with its
//! own table (filter, sort, selection, marks) so that `Esc` goes back to
//! exactly where the user was.
//!
//! The rows of each screen are built by its file under `views/` from the
//! [`Catalog`], the data the session loaded.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::model::{Constraint, Drift, Inventory, ProvisionedProduct, Section, StackWatch};
use crate::tui::views;
use crate::tui::widgets::table::{Column, Discarded, Prepared, TableModel, TableRow};

pub use crate::tui::fleet_catalog::FleetCatalog;

/// The screens, in number-key order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    Portfolios,
    Products,
    Constraints,
    Provisioned,
    Events,
    /// The versions of one product (Enter on a product); no number key.
    Versions,
    /// Who may launch from one portfolio (`i` on a portfolio).
    Principals,
    /// The record history of one provisioned product (`h`).
    Records,
    /// The resources of one provisioned product's stack (`r`).
    Resources,
    /// The outputs of one provisioned product (`t`).
    Outputs,
    /// The parameters one provisioned product runs with, beside the
    /// latest version's (`p`).
    Parameters,
    /// The resource drift of one provisioned product's stack (`D`).
    ResourceDrift,
    /// The self-service actions of one provisioned product (`e`).
    Actions,
    /// Which version of each product runs in which account (`:matrix`).
    Matrix,
    /// The hygiene findings of the account or the fleet (`:xray`).
    Xray,
}

impl Screen {
    pub const ALL: [Screen; 5] = [
        Screen::Portfolios,
        Screen::Products,
        Screen::Constraints,
        Screen::Provisioned,
        Screen::Events,
    ];

    /// The command that opens it (`:portfolios`).
    pub fn name(self) -> &'static str {
        match self {
            Screen::Portfolios => "portfolios",
            Screen::Products => "products",
            Screen::Constraints => "constraints",
            Screen::Provisioned => "provisioned",
            Screen::Events => "events",
            Screen::Versions => "versions",
            Screen::Principals => "principals",
            Screen::Records => "records",
            Screen::Resources => "resources",
            Screen::Outputs => "outputs",
            Screen::Parameters => "parameters",
            Screen::ResourceDrift => "resource-drift",
            Screen::Actions => "actions",
            Screen::Matrix => "matrix",
            Screen::Xray => "xray",
        }
    }

    pub fn from_name(name: &str) -> Option<Screen> {
        Screen::ALL.into_iter().find(|s| s.name() == name)
    }

    pub fn title(self) -> &'static str {
        match self {
            Screen::Portfolios => "Portfolios",
            Screen::Products => "Products",
            Screen::Constraints => "Constraints",
            Screen::Provisioned => "Provisioned products",
            Screen::Events => "Stack events",
            Screen::Versions => "Versions",
            Screen::Principals => "Principals",
            Screen::Records => "Records",
            Screen::Resources => "Stack resources",
            Screen::Outputs => "Outputs",
            Screen::Parameters => "Parameters",
            Screen::ResourceDrift => "Resource drift",
            Screen::Actions => "Self-service actions",
            Screen::Matrix => "Version matrix",
            Screen::Xray => "X-ray: hygiene findings",
        }
    }

    /// "portfolios", "provisioned products", for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Screen::Portfolios => "portfolios",
            Screen::Products => "products",
            Screen::Constraints => "constraints",
            Screen::Provisioned => "provisioned products",
            Screen::Events => "stack events",
            Screen::Versions => "versions",
            Screen::Principals => "principals",
            Screen::Records => "records",
            Screen::Resources => "stack resources",
            Screen::Outputs => "outputs",
            Screen::Parameters => "parameters",
            Screen::ResourceDrift => "resource drift",
            Screen::Actions => "self-service actions",
            Screen::Matrix => "products in the version matrix",
            Screen::Xray => "findings",
        }
    }

    /// The part of the catalog the screen needs before it can say "none".
    pub fn section(self) -> Option<Section> {
        match self {
            Screen::Portfolios => Some(Section::Portfolios),
            Screen::Products => Some(Section::Products),
            Screen::Constraints => Some(Section::Constraints),
            Screen::Provisioned => Some(Section::Provisioned),
            Screen::Events
            | Screen::Records
            | Screen::Resources
            | Screen::Outputs
            | Screen::Parameters
            | Screen::ResourceDrift => None,
            Screen::Actions => None,
            Screen::Matrix => Some(Section::Provisioned),
            Screen::Xray => None,
            Screen::Versions => Some(Section::Versions),
            Screen::Principals => Some(Section::Shares),
        }
    }

    pub fn columns(self) -> Vec<Column> {
        match self {
            Screen::Portfolios => views::portfolios::columns(),
            Screen::Products => views::products::columns(),
            Screen::Constraints => views::constraints::columns(),
            Screen::Provisioned => views::provisioned::columns(),
            Screen::Events => views::events::columns(),
            Screen::Versions => views::versions::columns(),
            Screen::Principals => views::principals::columns(),
            Screen::Records => views::life::record_columns(),
            Screen::Resources => views::life::resource_columns(),
            Screen::Outputs => views::life::output_columns(),
            Screen::Parameters => views::life::parameter_columns(),
            Screen::ResourceDrift => views::resource_drift::columns(),
            Screen::Actions => views::life::action_columns(),
            Screen::Matrix => views::matrix::columns(),
            Screen::Xray => views::xray::columns(),
        }
    }

    /// The columns for what `catalog` holds: the provisioned screen of a
    /// fleet has an Account column.
    pub fn columns_for(self, catalog: &Catalog) -> Vec<Column> {
        match self {
            Screen::Provisioned if catalog.fleet.is_some() => views::provisioned::fleet_columns(),
            _ => self.columns(),
        }
    }

    pub fn rows(self, catalog: &Catalog, scope: &Scope) -> Vec<TableRow> {
        match self {
            Screen::Portfolios => views::portfolios::rows(catalog, scope),
            Screen::Products => views::products::rows(catalog, scope),
            Screen::Constraints => views::constraints::rows(catalog, scope),
            Screen::Provisioned => views::provisioned::rows(catalog, scope),
            Screen::Events => views::events::rows(catalog, scope),
            Screen::Versions => views::versions::rows(catalog, scope),
            Screen::Principals => views::principals::rows(catalog, scope),
            Screen::Records
            | Screen::Resources
            | Screen::Outputs
            | Screen::Parameters
            | Screen::ResourceDrift
            | Screen::Actions => views::life::rows(self, catalog, scope),
            Screen::Matrix => views::matrix::rows(catalog),
            Screen::Xray => views::xray::rows(catalog),
        }
    }

    /// `key value` lines about one row, for the detail pane.
    pub fn detail(
        self,
        catalog: &Catalog,
        // Who the accounts are, asked only by the screens that name them
        // (a fleet's thousand accounts are not indexed for every frame).
        names: &dyn Fn() -> crate::tui::names::Names,
        key: &str,
    ) -> Vec<(String, String)> {
        match self {
            Screen::Portfolios => views::portfolios::detail(catalog, &names(), key),
            Screen::Products => views::products::detail(catalog, key),
            Screen::Constraints => views::constraints::detail(catalog, key),
            Screen::Provisioned => views::provisioned::detail(catalog, key),
            Screen::Events => views::events::detail(catalog, key),
            Screen::Versions => views::versions::detail(catalog, key),
            Screen::Principals => views::principals::detail(catalog, key),
            Screen::Records
            | Screen::Resources
            | Screen::Outputs
            | Screen::Parameters
            | Screen::ResourceDrift
            | Screen::Actions => views::life::detail(self, catalog, key),
            Screen::Matrix => views::matrix::detail(catalog, key),
            Screen::Xray => views::xray::detail(catalog, key),
        }
    }

    /// Where `Enter` on the row `key` leads.
    pub fn drill(self, catalog: &Catalog, scope: &Scope, key: &str) -> Result<Level, String> {
        match self {
            Screen::Portfolios => {
                let p = catalog.portfolio(key).ok_or("that portfolio is gone")?;
                Ok(Level::new(
                    Screen::Products,
                    Scope::Portfolio {
                        id: p.id.clone(),
                        name: p.name.clone(),
                    },
                ))
            }
            Screen::Products => {
                let p = catalog.product(key).ok_or("that product is gone")?;
                Ok(Level::new(
                    Screen::Versions,
                    Scope::Product {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        portfolio: scope.portfolio(),
                    },
                ))
            }
            Screen::Versions => {
                let Scope::Product {
                    id,
                    name,
                    portfolio,
                } = scope
                else {
                    return Err("these versions belong to no product".into());
                };
                let v = catalog
                    .product(id)
                    .and_then(|p| p.version(key))
                    .ok_or("that version is gone")?;
                Ok(Level::new(
                    Screen::Provisioned,
                    Scope::Version {
                        product_id: id.clone(),
                        product_name: name.clone(),
                        version_id: v.id.clone(),
                        version_name: v.name.clone(),
                        portfolio: portfolio.clone(),
                    },
                ))
            }
            Screen::Provisioned => Ok(Level::new(
                Screen::Records,
                provisioned_scope(catalog, key)?,
            )),
            Screen::Constraints => {
                Err("a constraint opens nothing further: its detail is on the right".into())
            }
            Screen::Principals => {
                Err("a principal opens nothing further: i adds one or takes it off".into())
            }
            Screen::Events => Err("an event opens nothing further".into()),
            Screen::Records => match scope {
                Scope::Provisioned { name, .. } => {
                    let window = EventWindow::of_record(catalog, scope, key)
                        .ok_or_else(|| format!("that record of {name} is gone"))?;
                    let mut level = Level::new(Screen::Events, scope.clone());
                    level.window = Some(window);
                    Ok(level)
                }
                _ => Err("these records belong to no provisioned product".into()),
            },
            Screen::ResourceDrift => Err(
                "a resource's property differences, expected vs actual, are in the detail (d)"
                    .into(),
            ),
            Screen::Actions => {
                Err("Enter runs the selected action (the plan is shown first)".into())
            }
            Screen::Matrix => Err("Enter on a cell lists its provisioned products".into()),
            Screen::Xray => Err("Enter opens the plan of the finding's fix".into()),
            Screen::Resources | Screen::Outputs | Screen::Parameters => Err(format!(
                "{} open nothing further: the detail (d) shows all of one",
                self.noun()
            )),
        }
    }

    /// Where `c` on the row `key` leads: the constraints of a portfolio or
    /// of a product.
    pub fn constraints_of(
        self,
        catalog: &Catalog,
        scope: &Scope,
        key: &str,
    ) -> Result<Level, String> {
        let scope = match self {
            Screen::Portfolios => {
                let p = catalog.portfolio(key).ok_or("that portfolio is gone")?;
                Scope::Portfolio {
                    id: p.id.clone(),
                    name: p.name.clone(),
                }
            }
            Screen::Products => {
                let p = catalog.product(key).ok_or("that product is gone")?;
                Scope::Product {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    portfolio: scope.portfolio(),
                }
            }
            _ => {
                return Err(
                    "constraints belong to a portfolio or a product: open one of those".into(),
                );
            }
        };
        Ok(Level::new(Screen::Constraints, scope))
    }
}

/// The scope of the provisioned product `key`: what its records,
/// resources, outputs and stack events are of.
pub fn provisioned_scope(catalog: &Catalog, key: &str) -> Result<Scope, String> {
    let pp = catalog
        .provisioned_product(key)
        .ok_or("that provisioned product is gone")?;
    let stack = pp.stack_arn.clone().ok_or_else(|| {
        format!(
            "{} has no CloudFormation stack (not a CloudFormation product, or its launch failed before the stack was made)",
            pp.name
        )
    })?;
    Ok(Scope::Provisioned {
        id: pp.id.clone(),
        name: pp.name.clone(),
        stack,
    })
}

/// The stretch of a stack's events one record covers: from its creation
/// to its last change, open-ended while it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventWindow {
    pub record_id: String,
    pub record_type: String,
    pub from: DateTime<Utc>,
    /// `None` while the record is still running.
    pub to: Option<DateTime<Utc>>,
}

impl EventWindow {
    /// The window of the record `record_id` among the records read for
    /// the provisioned product in `scope`.
    pub fn of_record(catalog: &Catalog, scope: &Scope, record_id: &str) -> Option<EventWindow> {
        let crate::ops::life::LifeData::Records(records) =
            views::life::read(catalog, scope, crate::ops::life::LifePart::Records)?
        else {
            return None;
        };
        let record = records.iter().find(|r| r.id == record_id)?;
        let from = record.created.or(record.updated)?;
        let settled = record.is_final();
        Some(EventWindow {
            record_id: record.id.clone(),
            record_type: record.record_type.clone(),
            from,
            to: record.updated.filter(|_| settled),
        })
    }

    /// Whether an event at `t` belongs to the window.
    pub fn holds(&self, t: DateTime<Utc>) -> bool {
        t >= self.from && self.to.is_none_or(|to| t <= to)
    }

    /// "during rec-… (2026-12-07 08:01:02 – 08:05:40)": the record and its
    /// stretch, the end's date left out when it is the start's.
    pub fn describe(&self) -> String {
        let to = match self.to {
            None => "now".to_string(),
            Some(to) if to.date_naive() == self.from.date_naive() => {
                to.format("%H:%M:%S").to_string()
            }
            Some(to) => to.format("%Y-%m-%d %H:%M:%S").to_string(),
        };
        format!(
            "during {} ({} – {to})",
            self.record_id,
            self.from.format("%Y-%m-%d %H:%M:%S")
        )
    }
}

/// What part of the catalog a level shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Everything the account sees.
    All,
    /// In (or of) one portfolio.
    Portfolio { id: String, name: String },
    /// Of one product, in one portfolio if reached through it.
    Product {
        id: String,
        name: String,
        /// (id, name)
        portfolio: Option<(String, String)>,
    },
    /// Of one version of a product (its provisioned products).
    Version {
        product_id: String,
        product_name: String,
        version_id: String,
        version_name: String,
        portfolio: Option<(String, String)>,
    },
    /// Of one product in one account of the fleet (a cell of the matrix),
    /// or in the accounts of one OU (a cell of the matrix by OU).
    Cell {
        product_id: String,
        product_name: String,
        /// The account's label (its profile, or its name in an
        /// organization), or the OU's path.
        account: String,
        /// The labels of the accounts listed: the account, or the OU's.
        within: Vec<String>,
    },
    /// Of one provisioned product (its stack).
    Provisioned {
        id: String,
        name: String,
        stack: String,
    },
}

impl Scope {
    /// The portfolio this scope is within, if any: (id, name).
    pub fn portfolio(&self) -> Option<(String, String)> {
        match self {
            Scope::Portfolio { id, name } => Some((id.clone(), name.clone())),
            Scope::Product { portfolio, .. } | Scope::Version { portfolio, .. } => {
                portfolio.clone()
            }
            _ => None,
        }
    }
}

/// One level of the navigation stack.
#[derive(Debug, Clone)]
pub struct Level {
    pub screen: Screen,
    pub scope: Scope,
    pub table: TableModel,
    /// The catalog changed since its rows were built.
    pub stale: bool,
    /// On a stack's events opened from a record: that record's stretch.
    pub window: Option<EventWindow>,
    /// On the matrix: the account column under the cursor.
    pub column: usize,
}

impl Level {
    pub fn new(screen: Screen, scope: Scope) -> Self {
        Self {
            screen,
            scope,
            table: TableModel::new(screen.columns()),
            stale: true,
            window: None,
            column: 0,
        }
    }

    /// The rows a level of `screen` in `scope` (and `window`) shows.
    pub fn rows_of(
        screen: Screen,
        scope: &Scope,
        window: Option<&EventWindow>,
        catalog: &Catalog,
    ) -> Vec<TableRow> {
        match (screen, window) {
            (Screen::Events, Some(window)) => views::events::rows_in(catalog, scope, Some(window)),
            _ => screen.rows(catalog, scope),
        }
    }

    /// Builds the rows from the catalog if they are out of date; on the
    /// events screen of a stack followed, selects its newest event.
    pub fn refresh(&mut self, catalog: &Catalog) {
        if self.stale {
            self.table.set_columns(self.screen.columns_for(catalog));
            let rows = Level::rows_of(self.screen, &self.scope, self.window.as_ref(), catalog);
            self.table.set_rows(rows);
            self.stale = false;
            self.follow_newest(catalog);
        }
    }

    /// Takes rows built off the input path from `catalog` (as `refresh`
    /// would have built them); gives back the rows replaced.
    pub fn install(&mut self, rows: Prepared, catalog: &Catalog) -> Discarded {
        let replaced = self.table.install(rows);
        self.stale = false;
        self.follow_newest(catalog);
        replaced
    }

    /// Selects the newest event shown, if this is the events screen of a
    /// stack followed.
    pub fn follow_newest(&mut self, catalog: &Catalog) {
        if self.screen != Screen::Events {
            return;
        }
        if let Some(watch) = catalog.watch_for(&self.scope).filter(|w| w.follow)
            && let Some(newest) = views::events::newest_shown(watch, &self.table)
        {
            let newest = newest.to_string();
            self.table.select_key(&newest);
        }
    }

    /// "Products in Networking", for the table's title.
    pub fn title(&self) -> String {
        let screen = self.screen.title();
        match (&self.scope, self.screen) {
            (Scope::All, _) => screen.to_string(),
            (Scope::Portfolio { name, .. }, Screen::Products) => format!("{screen} in {name}"),
            (Scope::Portfolio { name, .. }, _) => format!("{screen} of portfolio {name}"),
            (
                Scope::Product {
                    name, portfolio, ..
                },
                _,
            ) => match portfolio {
                Some((_, portfolio)) => format!("{screen} of {name} in {portfolio}"),
                None => format!("{screen} of {name}"),
            },
            (
                Scope::Cell {
                    product_name,
                    account,
                    ..
                },
                _,
            ) => format!("{screen} of {product_name} in {account}"),
            (Scope::Provisioned { name, .. }, _) => match &self.window {
                Some(window) => format!("{screen} of {name} {}", window.describe()),
                None => format!("{screen} of {name}"),
            },
            (
                Scope::Version {
                    product_name,
                    version_name,
                    portfolio,
                    ..
                },
                _,
            ) => match portfolio {
                Some((_, portfolio)) => {
                    format!("{screen} on {product_name} {version_name} in {portfolio}")
                }
                None => format!("{screen} on {product_name} {version_name}"),
            },
        }
    }

    /// "No products in Networking." — what an empty, loaded level says.
    /// What was read of what this level shows: the section, or the part of
    /// it of the portfolio or product in scope.
    pub fn read<'a>(&self, catalog: &'a Catalog) -> crate::model::Read<'a> {
        use crate::model::Read;
        let Some(section) = self.screen.section() else {
            return Read::Whole;
        };
        // A fleet's provisioned products say per account what was not read.
        if section == Section::Provisioned && catalog.fleet.is_some() {
            return Read::Whole;
        }
        let part = match (&self.screen, &self.scope) {
            (Screen::Products, Scope::Portfolio { id, .. })
            | (Screen::Constraints, Scope::Portfolio { id, .. }) => Some(id.clone()),
            (Screen::Constraints, Scope::Product { portfolio, .. }) => {
                portfolio.as_ref().map(|(id, _)| id.clone())
            }
            _ => None,
        };
        match part {
            Some(id) => catalog.read_of(section, &id),
            // Of every portfolio shown, the part was not read: nothing was.
            None if matches!(section, Section::Constraints)
                && !catalog.portfolios.is_empty()
                && catalog
                    .portfolios
                    .iter()
                    .all(|p| !catalog.read_of(section, &p.id).is_read()) =>
            {
                catalog.read_of(section, &catalog.portfolios[0].id)
            }
            None => catalog.read(section),
        }
    }

    pub fn nothing(&self, profile: &str, region: &str) -> String {
        match &self.scope {
            Scope::All => format!(
                "No {} for profile {profile} in {region}.",
                self.screen.noun()
            ),
            _ => format!("No {}.", self.title().to_lowercase()),
        }
    }
}

/// The stack whose events the events screen follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    /// The provisioned product behind the stack.
    pub provisioned_id: String,
    pub name: String,
    pub stack: StackWatch,
    /// Its events have been read at least once.
    pub loaded: bool,
    /// The newest event stays selected as events arrive; `f` freezes
    /// the selection where it is, and follows again.
    pub follow: bool,
    /// Polls that failed since the last one that got through, and why the
    /// last failed: the header says so until the events catch up.
    pub failed_polls: u32,
    pub poll_error: Option<String>,
}

impl Watch {
    /// How long until the next poll: the stack's own pace once its events
    /// are known and polls work; fast before, and while polls fail (no one
    /// knows whether it moves).
    pub fn poll_interval(&self) -> std::time::Duration {
        if self.loaded && self.failed_polls == 0 {
            self.stack.poll_interval()
        } else {
            crate::model::POLL_MOVING
        }
    }

    /// A stack not read yet, followed.
    pub fn new(provisioned_id: String, name: String, stack_id: String) -> Self {
        Self {
            provisioned_id,
            name,
            stack: StackWatch::new(stack_id),
            loaded: false,
            follow: true,
            failed_polls: 0,
            poll_error: None,
        }
    }
}

/// What was read of one provisioned product's life: each part absent
/// until its answer comes (never shown as empty), or why it could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Life {
    pub provisioned_id: String,
    /// The request each part awaits (an answer to an older one is dropped).
    pub pending: std::collections::HashMap<crate::ops::life::LifePart, u64>,
    pub parts: std::collections::HashMap<
        crate::ops::life::LifePart,
        Result<crate::ops::life::LifeData, String>,
    >,
    /// The drift detection running on its stack (its request), if one is:
    /// the last results stay on screen meanwhile.
    pub detecting: Option<u64>,
}

impl Life {
    pub fn part(
        &self,
        part: crate::ops::life::LifePart,
    ) -> Option<&Result<crate::ops::life::LifeData, String>> {
        self.parts.get(&part)
    }
}

/// What the session has loaded, for the screens to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// What has arrived of the scan (sections not in `loaded` are empty
    /// because they were not read yet, not because there is nothing).
    /// Shared (not copied) with a build of rows off the input path.
    inventory: Arc<Inventory>,
    /// The sections that have arrived.
    pub loaded: BTreeSet<Section>,
    pub watch: Option<Watch>,
    /// The life of the provisioned product whose records, resources or
    /// outputs are open.
    pub life: Option<Life>,
    /// Several accounts at once: the provisioned screen shows theirs.
    pub fleet: Option<FleetCatalog>,
    /// The hygiene findings (`:xray`), once asked for.
    pub lint: Option<LintShown>,
    /// `:matrix` with OUs across, once asked for (`None`: accounts across).
    pub by_ou: Option<OuShown>,
}

/// The OU tree `:matrix` groups by: being read (accounts stay across until
/// it is in), or read. A tree that could not be read is no grouping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OuShown {
    pub loading: bool,
    /// Account id → its OU's path (`Root/Workloads`).
    pub paths: Option<Arc<std::collections::HashMap<String, String>>>,
}

/// What `:xray` has: being read, read, or why it could not be.
#[derive(Debug, Clone, Default)]
pub struct LintShown {
    pub loading: bool,
    pub report: Option<Arc<crate::ops::lint::Report>>,
    pub error: Option<String>,
}

/// The same report (the same read), not an equal one.
impl PartialEq for LintShown {
    fn eq(&self, other: &LintShown) -> bool {
        self.loading == other.loading
            && self.error == other.error
            && match (&self.report, &other.report) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

impl Eq for LintShown {}

impl Default for Catalog {
    /// Nothing read yet.
    fn default() -> Self {
        let nobody = crate::model::CallerIdentity {
            account_id: String::new(),
            arn: String::new(),
            user_id: String::new(),
        };
        Catalog {
            inventory: Arc::new(Inventory::empty(nobody, "", chrono::DateTime::UNIX_EPOCH)),
            loaded: BTreeSet::new(),
            watch: None,
            life: None,
            fleet: None,
            lint: None,
            by_ou: None,
        }
    }
}

/// The catalog reads as the inventory it holds (portfolios, products,
/// drift…); only the catalog's own methods change it.
impl std::ops::Deref for Catalog {
    type Target = Inventory;

    fn deref(&self) -> &Inventory {
        &self.inventory
    }
}

impl Catalog {
    /// Takes the section `section` from an inventory being scanned (the
    /// rest of it may not have arrived yet): moved, not copied.
    pub fn apply_section(&mut self, section: Section, mut inventory: Box<Inventory>) {
        let mine = Arc::make_mut(&mut self.inventory);
        let from = &mut *inventory;
        match section {
            Section::Portfolios => mine.portfolios = std::mem::take(&mut from.portfolios),
            Section::Shares => mine.shares = std::mem::take(&mut from.shares),
            Section::Products | Section::Versions => {
                mine.products = std::mem::take(&mut from.products)
            }
            Section::Constraints => mine.constraints = std::mem::take(&mut from.constraints),
            Section::Provisioned => mine.provisioned = std::mem::take(&mut from.provisioned),
        }
        mine.problems = std::mem::take(&mut from.problems);
        self.loaded.insert(section);
        self.compute_drift();
    }

    /// Takes a whole inventory (a scan that finished).
    pub fn set_inventory(&mut self, inventory: Inventory) {
        self.inventory = Arc::new(inventory);
        self.loaded = Section::ALL.into();
        self.compute_drift();
    }

    /// Takes what `built` read of the account (its inventory and which
    /// sections are in), keeping this catalog's stack watch and fleet
    /// (they change on their own meanwhile); gives back the inventory
    /// replaced, for the caller to drop where it costs nothing.
    pub fn take_inventory(&mut self, built: Catalog) -> Arc<Inventory> {
        self.loaded = built.loaded;
        std::mem::replace(&mut self.inventory, built.inventory)
    }

    /// Marks provisioned products as under change (spoke just sent a
    /// request for them), here and in the fleet's rows.
    pub fn mark_under_change(&mut self, ids: &[String]) {
        let mine = Arc::make_mut(&mut self.inventory);
        for pp in mine.provisioned.iter_mut().filter(|p| ids.contains(&p.id)) {
            pp.status = crate::model::PpStatus::UnderChange;
        }
        if let Some(fleet) = &mut self.fleet {
            for r in fleet
                .accounts_mut()
                .iter_mut()
                .flat_map(|a| a.rows.iter_mut())
            {
                if ids.contains(&r.provisioned.id) {
                    r.provisioned.status = crate::model::PpStatus::UnderChange;
                }
            }
        }
        self.compute_drift();
    }

    /// Takes a provisioned product read again: it replaces the one of the
    /// same id (here and in the fleet's rows, its drift measured again), or
    /// joins this account's (a launch).
    /// A provisioned product AWS no longer knows: off every screen.
    pub fn remove_provisioned(&mut self, id: &str) {
        if let Some(fleet) = &mut self.fleet {
            for a in fleet.accounts_mut() {
                a.rows.retain(|r| r.provisioned.id != id);
            }
        }
        let mine = Arc::make_mut(&mut self.inventory);
        mine.provisioned.retain(|p| p.id != id);
        self.compute_drift();
    }

    pub fn replace_provisioned(&mut self, pp: ProvisionedProduct) {
        if let Some(fleet) = &mut self.fleet {
            for a in fleet.accounts_mut() {
                let versions = a.versions.get(&pp.product_id).map(Vec::as_slice);
                if let Some(r) = a.rows.iter_mut().find(|r| r.provisioned.id == pp.id) {
                    *r = crate::model::DriftRow::new(&a.label, pp.clone(), versions);
                }
            }
        }
        let mine = Arc::make_mut(&mut self.inventory);
        match mine.provisioned.iter_mut().find(|p| p.id == pp.id) {
            Some(shown) => *shown = pp,
            None if self.loaded.contains(&Section::Provisioned)
                && crate::model::account_of_arn(&pp.arn) == Some(mine.account.as_str()) =>
            {
                mine.provisioned.push(pp)
            }
            None => {}
        }
        self.compute_drift();
    }

    /// Drift from the products' versions, once both halves are in (the
    /// inventory's own computation); none before.
    fn compute_drift(&mut self) {
        let mine = Arc::make_mut(&mut self.inventory);
        if !self.loaded.contains(&Section::Versions) || !self.loaded.contains(&Section::Provisioned)
        {
            mine.drift.clear();
            return;
        }
        mine.compute_drift();
    }

    /// A provisioned product of this account, or of any account of the fleet.
    pub fn provisioned_product(&self, id: &str) -> Option<&ProvisionedProduct> {
        self.provisioned.iter().find(|p| p.id == id).or_else(|| {
            self.fleet
                .as_ref()
                .and_then(|f| f.row(id))
                .map(|r| &r.provisioned)
        })
    }

    pub fn constraint(&self, id: &str) -> Option<&Constraint> {
        self.constraints.iter().find(|c| c.id == id)
    }

    /// The stack the events screen of `scope` shows: the one followed, on
    /// the root events screen or the events of its provisioned product.
    pub fn watch_for(&self, scope: &Scope) -> Option<&Watch> {
        let watch = self.watch.as_ref()?;
        match scope {
            Scope::All => Some(watch),
            Scope::Provisioned { id, .. } if *id == watch.provisioned_id => Some(watch),
            _ => None,
        }
    }

    /// After the user moved the selection of the events level `level`:
    /// off the newest event, following stops (the selection would jump
    /// away from what is being read). True if it did.
    pub fn freeze_unless_newest(&mut self, level: &Level) -> bool {
        if level.screen != Screen::Events {
            return false;
        }
        let Some(watch) = self.watch_for(&level.scope).filter(|w| w.follow) else {
            return false;
        };
        let newest = views::events::newest_shown(watch, &level.table);
        if newest.is_none() || newest == level.table.selected_key() {
            return false;
        }
        if let Some(watch) = self.watch.as_mut() {
            watch.follow = false;
        }
        true
    }

    /// The drift of a provisioned product, if known yet.
    pub fn drift_of(&self, id: &str) -> Option<Drift> {
        self.drift
            .get(id)
            .copied()
            .or_else(|| self.fleet.as_ref().and_then(|f| f.row(id)).map(|r| r.drift))
    }
}
