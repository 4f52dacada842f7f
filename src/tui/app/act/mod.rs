//! The console's actions as state transitions: a key opens a form (after
//! reading what it needs), the form is checked, a plan is shown and
//! confirmed, the action runs in the background and reports back.
//!
//! In a read-only session the forms and plans open all the same, marked
//! READ-ONLY with no submit key (the plan can be seen, never confirmed):
//! no `Command::Act` is ever made (and the executor holds no writer to
//! run one). Where a key has nothing to open, the status line says the
//! session is read-only before anything else.

use super::requests::Kind;

use super::{Command, Overlay, State, busy, error_status, info};
use crate::model::Portfolio;
use crate::ops::act;
use crate::ops::act::request::{ActFailure, Prepare, Prepared, Request};
use crate::tui::screens::{Scope, Screen};
use crate::tui::widgets::confirm::{Confirm, PlanLine};
use crate::tui::widgets::form::Form;

mod actions;
pub(crate) mod forms;
pub(crate) mod hub;
mod progress;
mod repair;
mod submit;
mod terminate;

/// A modal in front of the screen.
#[derive(Debug, Clone)]
pub enum Dialog {
    Share {
        portfolio: Box<Portfolio>,
        form: Form,
    },
    Accept {
        shares: Vec<act::accept::PendingShare>,
        form: Form,
    },
    Launch {
        launch: Box<act::launch::LaunchForm>,
        form: Form,
    },
    Update {
        update: Box<act::update::UpdateForm>,
        form: Form,
    },
    /// The hub's side: a version of a product this account owns, and what
    /// to do to it.
    Versions {
        product: Box<crate::model::Product>,
        versions: Vec<crate::model::Version>,
        form: Form,
    },
    /// One of the hub's forms (a new portfolio, product or version, a principal).
    Hub { kind: Box<hub::HubForm>, form: Form },
    /// Which share of a local portfolio to stop.
    Unshare {
        choice: Box<hub::UnshareChoice>,
        form: Form,
    },
    /// The values a repair needs (NoEcho ones), before its plan.
    Repair {
        needs: Box<act::repair::RepairNeeds>,
        form: Form,
    },
    /// The values of a self-service action's TEXT_VALUE parameters.
    Action {
        plan: Box<act::service_action::ActionPlan>,
        form: Form,
    },
    /// The plan, waiting for yes or no; `then` is read once it is done.
    Confirm {
        confirm: Confirm,
        act: Box<Request>,
        then: Option<Prepare>,
    },
    /// A drift detection of the provisioned product in `scope`, waiting for
    /// yes or no.
    Detect { confirm: Confirm, scope: Box<Scope> },
    /// A running action's progress (Esc leaves it running).
    Progress { request: u64 },
    /// How an action ended.
    Report {
        title: String,
        lines: Vec<String>,
        ok: bool,
    },
    /// A bulk plan being made.
    BulkPlanning { request: u64, count: usize },
    /// A bulk plan, waiting for the typed word.
    BulkPlan {
        plan: Box<crate::ops::bulk::BulkPlan>,
        confirm: Confirm,
    },
    /// The progress of the bulk update (`State::bulk`).
    BulkRun,
    /// `q` with work in flight: quit anyway? (`behind` comes back on no).
    Quit {
        confirm: Confirm,
        behind: Option<Box<Dialog>>,
    },
}

/// An action under way or done in this console.
#[derive(Debug, Clone)]
pub struct Running {
    pub request: u64,
    pub title: String,
    pub lines: Vec<String>,
    pub status: Option<String>,
    /// The record AWS answered with, once it did.
    pub record: Option<String>,
    /// The stack being followed (a launch or an update), by product name.
    pub stack: Option<String>,
    /// The provisioned products its records are about, once AWS said:
    /// shown UNDER_CHANGE meanwhile, read again when it settles.
    pub provisioned: Vec<String>,
    pub done: Option<bool>,
    /// Read once the action succeeds (adding products after an accept).
    pub then: Option<Prepare>,
    /// The form it came from: if AWS refuses, it opens again with the
    /// error next to the field it concerns.
    pub form: Option<Box<Dialog>>,
    /// Its record puts the provisioned product under change (a
    /// self-service action does not: it is shown as it is).
    pub changes_product: bool,
}

impl State {
    /// This session may change things (not read-only, with a journal).
    pub fn can_act(&self) -> bool {
        !self.session.read_only() && self.session.no_writer().is_none()
    }

    /// "This session is read-only", or why else it cannot change anything.
    pub(in crate::tui::app) fn cannot_act(&self) -> String {
        match &self.session.no_writer() {
            Some(why) if !self.session.read_only() => {
                format!("This session cannot change anything ({why})")
            }
            _ => "This session is read-only".to_string(),
        }
    }

    /// An act key with nothing to open, in a session that cannot act: the
    /// status says so first — `doing` is not offered — then `rest`.
    fn not_offered(&mut self, doing: &str, rest: &str) {
        self.status = info(format!(
            "{}: {doing} is not offered{rest}",
            self.cannot_act()
        ));
    }

    /// `s`: share the selected portfolio.
    pub(super) fn start_share(&mut self) -> Vec<Command> {
        let Some(portfolio) = self
            .selected_on(Screen::Portfolios)
            .and_then(|id| self.catalog.portfolios.iter().find(|p| p.id == id).cloned())
        else {
            if !self.can_act() {
                self.not_offered(
                    "sharing",
                    "; a local portfolio's share form can be looked at from the portfolios screen (1)",
                );
                return vec![];
            }
            self.status = info("Select a portfolio to share (on the portfolios screen, 1)".into());
            return vec![];
        };
        if !portfolio.origin.is_local() && !self.can_act() {
            let rest = format!(
                " (and {} is {}: only the account that owns it could share it)",
                portfolio.name,
                portfolio.origin.describe()
            );
            self.not_offered("sharing", &rest);
            return vec![];
        }
        if !portfolio.origin.is_local() {
            self.status = error_status(format!(
                "{} is {}: only the account that owns it can share it",
                portfolio.name,
                portfolio.origin.describe()
            ));
            return vec![];
        }
        let org_shares = || {
            self.catalog
                .shares
                .iter()
                .filter(|s| s.kind == crate::model::ShareKind::Organization)
        };
        let organization = match org_shares().find(|s| s.portfolio_id == portfolio.id) {
            Some(s) => forms::KnownOrg::SharedWith(s.principal.clone()),
            None => match org_shares().next() {
                Some(s) => forms::KnownOrg::Seen(s.principal.clone()),
                None => forms::KnownOrg::Unknown,
            },
        };
        let form = forms::share(&portfolio, &organization, !self.can_act());
        self.dialog = Some(Dialog::Share {
            portfolio: Box::new(portfolio),
            form,
        });
        vec![]
    }

    /// `a`: accept a share offered to this account.
    pub(in crate::tui::app) fn start_accept(&mut self) -> Vec<Command> {
        self.prepare(
            Prepare::PendingShares,
            "Looking for shares offered to this account…",
        )
    }

    /// `l`: launch the selected product.
    pub(super) fn start_launch(&mut self) -> Vec<Command> {
        let Some(product) = self
            .selected_on(Screen::Products)
            .and_then(|id| self.catalog.products.iter().find(|p| p.id == id).cloned())
        else {
            if !self.can_act() {
                self.not_offered(
                    "launching",
                    "; a product's launch form can be looked at from the products screen (2)",
                );
                return vec![];
            }
            self.status = info("Select a product to launch (on the products screen, 2)".into());
            return vec![];
        };
        let text = format!("Reading the parameters of {}…", product.name);
        // Opened from a portfolio's products: that portfolio is the path.
        let path = self.nav.iter().rev().find_map(|l| match &l.scope {
            Scope::Portfolio { name, .. } => Some(name.clone()),
            _ => None,
        });
        self.prepare(
            Prepare::Launch {
                product_id: product.id,
                product_name: product.name,
                version: None,
                path,
                preselect: true,
            },
            &text,
        )
    }

    /// `V`: the versions of the selected product, to deprecate, undeprecate,
    /// deactivate or activate one (the hub's side: a product it owns).
    pub(super) fn start_versions(&mut self) -> Vec<Command> {
        let Some(product) = self
            .selected_on(Screen::Products)
            .or_else(|| self.product_in_scope())
            .and_then(|id| self.catalog.products.iter().find(|p| p.id == id).cloned())
        else {
            self.status =
                info("Select a product (on the products screen, 2) to change its versions".into());
            return vec![];
        };
        if let Err(why) = act::version::owned(&product) {
            self.status = info(why.to_string());
            return vec![];
        }
        let text = format!("Reading the versions of {}…", product.name);
        self.prepare(
            Prepare::Versions {
                product_id: product.id,
            },
            &text,
        )
    }

    /// `u`: update the selected provisioned product.
    pub(in crate::tui::app) fn start_update(&mut self) -> Vec<Command> {
        let id = match &self.level().scope {
            Scope::Provisioned { id, .. } if self.screen() == Screen::Events => Some(id.clone()),
            _ => self.selected_on(Screen::Provisioned),
        };
        let Some(pp) = id.and_then(|id| {
            self.catalog
                .provisioned
                .iter()
                .find(|p| p.id == id)
                .cloned()
        }) else {
            if !self.can_act() {
                self.not_offered(
                    "updating",
                    "; a provisioned product's update form can be looked at from the provisioned screen (4)",
                );
                return vec![];
            }
            self.status = info(if self.catalog.fleet.is_some() {
                format!(
                    "u updates a provisioned product of the profile open ({}); for another account of the fleet, mark it (Space) and press U, or open its profile (P)",
                    self.session.profile()
                )
            } else {
                "Select a provisioned product to update (on the provisioned screen, 4)".into()
            });
            return vec![];
        };
        // Refused at once when the catalog already says it is busy.
        if let Some(why) = act::update::busy_reason(&pp) {
            if !self.can_act() {
                self.not_offered("updating", &format!(" (and {why})"));
                return vec![];
            }
            self.status = error_status(why);
            return vec![];
        }
        let text = format!("Reading what updating {} needs…", pp.name);
        self.prepare(
            Prepare::Update {
                provisioned_id: pp.id,
                version: None,
                product: None,
            },
            &text,
        )
    }

    /// `U`: the bulk update ([`State::start_bulk`]); in a session that
    /// cannot act (one profile, not a fleet: there each member is decided
    /// on its own), a key with nothing to plan says so first.
    pub(super) fn start_bulk_update(&mut self) -> Vec<Command> {
        let commands = self.start_bulk();
        if commands.is_empty()
            && self.dialog.is_none()
            && !self.can_act()
            && self.fleet_selection.is_none()
        {
            let said = std::mem::take(&mut self.status.text);
            let mut chars = said.chars();
            let said: String = chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default();
            self.not_offered("updating in bulk", &format!(" — {said}"));
        }
        commands
    }

    /// `:log`: the journal.
    pub(super) fn open_journal(&mut self) -> Vec<Command> {
        self.overlay = Some(Overlay::Journal);
        self.journal.open();
        vec![Command::LoadJournal]
    }

    /// The product the versions screen in front belongs to.
    pub(super) fn product_in_scope(&self) -> Option<String> {
        match (&self.level().scope, self.screen()) {
            (Scope::Product { id, .. }, Screen::Versions) if self.overlay.is_none() => {
                Some(id.clone())
            }
            _ => None,
        }
    }

    /// The selected row's key if the screen in front is `screen`.
    fn selected_on(&self, screen: Screen) -> Option<String> {
        (self.overlay.is_none() && self.screen() == screen)
            .then(|| self.level().table.selected_key().map(str::to_string))
            .flatten()
    }

    fn prepare(&mut self, what: Prepare, text: &str) -> Vec<Command> {
        if self.session.connection().is_none() {
            if !self.can_act() {
                let doing = match &what {
                    Prepare::Launch { .. } => "launching",
                    Prepare::Update { .. } => "updating",
                    Prepare::PendingShares => "accepting a share",
                    Prepare::AddProducts { .. } => "adding products",
                    Prepare::Versions { .. } => "changing a version",
                    Prepare::Hub(_) => "changing the catalog",
                    Prepare::Sync { .. } => "syncing the catalog",
                    Prepare::Terminate { .. } => "terminating",
                    Prepare::ServiceAction { .. } => "running an action",
                    Prepare::Repair { .. } => "repairing",
                };
                self.not_offered(
                    doing,
                    " (and not connected: nothing to read the form from; R retries)",
                );
                return vec![];
            }
            self.status =
                error_status("Not connected: nothing to read the form from (R retries)".into());
            return vec![];
        }
        let request = self.requests.issue(Kind::Prepare);
        self.status = busy(text.to_string());
        vec![Command::Prepare {
            generation: self.requests.generation(),
            request,
            what,
        }]
    }

    pub(super) fn on_prepared(
        &mut self,
        request: u64,
        result: Result<Prepared, ActFailure>,
    ) -> Vec<Command> {
        if self.requests.awaited(Kind::Prepare) != Some(request) {
            return vec![];
        }
        self.requests.settle(Kind::Prepare);
        let prepared = match result {
            Ok(p) => p,
            Err(failure) if matches!(self.dialog, Some(Dialog::Hub { .. })) => {
                self.on_hub_refused(&failure);
                self.status = error_status(failure.message);
                return vec![];
            }
            Err(failure) => {
                // A form already open shows the problem there.
                if let Some(form) = self.dialog.as_mut().and_then(Dialog::form_mut) {
                    form.set_form_error(failure.message.clone());
                }
                self.status = error_status(failure.message);
                return vec![];
            }
        };
        self.status = info(String::new());
        match prepared {
            Prepared::Launch(launch) => {
                // Values typed before a version or path change are kept.
                let kept = match &self.dialog {
                    Some(Dialog::Launch { form, .. }) => forms::launch_values(form),
                    _ => Default::default(),
                };
                let form = forms::launch(&launch, &kept, !self.can_act());
                self.dialog = Some(Dialog::Launch { launch, form });
            }
            Prepared::Update(update) => {
                let kept = match &self.dialog {
                    Some(Dialog::Update { form, .. }) => forms::update_changes(form),
                    _ => Default::default(),
                };
                let others: Vec<(String, String)> = self
                    .catalog
                    .products
                    .iter()
                    .map(|p| (p.id.clone(), p.name.clone()))
                    .collect();
                let form = forms::update(&update, &others, &kept, !self.can_act());
                self.dialog = Some(Dialog::Update { update, form });
            }
            Prepared::PendingShares { shares, problems } => {
                let locals: Vec<&Portfolio> = self
                    .catalog
                    .portfolios
                    .iter()
                    .filter(|p| p.origin.is_local())
                    .collect();
                let form = forms::accept(&shares, &problems, &locals, !self.can_act());
                self.dialog = Some(Dialog::Accept { shares, form });
            }
            Prepared::Versions { product, versions } => {
                let mut form = forms::versions(&product, &versions, !self.can_act());
                // From the versions of a product: the one selected.
                if let Some(v) = self
                    .selected_on(Screen::Versions)
                    .and_then(|id| versions.iter().find(|v| v.id == id))
                {
                    form.set_value("version", &forms::version_label(v));
                }
                self.dialog = Some(Dialog::Versions {
                    product,
                    versions,
                    form,
                });
            }
            Prepared::Hub(action) => self.on_hub_planned(*action),
            Prepared::Terminate(plans) => self.on_terminate_planned(plans),
            Prepared::Sync(plan) => self.on_sync_planned(*plan),
            Prepared::ServiceAction { plan, asked } => self.on_action_planned(plan, asked),
            Prepared::Repair(plan) => self.on_repair_planned(plan),
            Prepared::RepairNeeds(needs) => self.on_repair_needs(needs),
            // Everything is there already: nothing to confirm.
            Prepared::AddProducts(plan) if plan.is_empty() => {
                self.dialog = Some(Dialog::Report {
                    title: format!("Add the products to {}", plan.local_portfolio_name),
                    lines: plan.lines(),
                    ok: true,
                });
            }
            Prepared::AddProducts(plan) => {
                let lines = plan.lines().into_iter().map(PlanLine::text).collect();
                self.confirm(Request::AddProducts(plan), "Add the products", lines, None);
            }
        }
        vec![]
    }
}

impl Dialog {
    /// The form, if the dialog is one.
    pub fn form(&self) -> Option<&Form> {
        match self {
            Dialog::Share { form, .. }
            | Dialog::Accept { form, .. }
            | Dialog::Launch { form, .. }
            | Dialog::Update { form, .. }
            | Dialog::Versions { form, .. }
            | Dialog::Hub { form, .. }
            | Dialog::Unshare { form, .. }
            | Dialog::Repair { form, .. }
            | Dialog::Action { form, .. } => Some(form),
            _ => None,
        }
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        match self {
            Dialog::Share { form, .. }
            | Dialog::Accept { form, .. }
            | Dialog::Launch { form, .. }
            | Dialog::Update { form, .. }
            | Dialog::Versions { form, .. }
            | Dialog::Hub { form, .. }
            | Dialog::Unshare { form, .. }
            | Dialog::Repair { form, .. }
            | Dialog::Action { form, .. } => Some(form),
            _ => None,
        }
    }
}
