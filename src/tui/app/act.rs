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
use crossterm::event::KeyEvent;

use super::{Command, Overlay, State, busy, error_status, info};
use crate::model::{ParamSetting, Portfolio, ShareType};
use crate::ops::act;
use crate::ops::act::request::{ActEvent, ActFailure, ActOutcome, Prepare, Prepared, Request};
use crate::ops::act::share::ShareInput;
use crate::tui::forms;
use crate::tui::screens::{Level, Scope, Screen};
use crate::tui::widgets::confirm::{Confirm, ConfirmOutcome, PlanLine, PlanTone};
use crate::tui::widgets::form::{Form, FormOutcome};

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
    /// The plan, waiting for yes or no; `then` is read once it is done.
    Confirm {
        confirm: Confirm,
        act: Box<Request>,
        then: Option<Prepare>,
    },
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
    pub done: Option<bool>,
    /// Read once the action succeeds (adding products after an accept).
    pub then: Option<Prepare>,
    /// The form it came from: if AWS refuses, it opens again with the
    /// error next to the field it concerns.
    pub form: Option<Box<Dialog>>,
}

impl State {
    /// This session may change things (not read-only, with a journal).
    pub fn can_act(&self) -> bool {
        !self.read_only && self.no_writer.is_none()
    }

    /// "This session is read-only", or why else it cannot change anything.
    fn cannot_act(&self) -> String {
        match &self.no_writer {
            Some(why) if !self.read_only => {
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
    pub(super) fn start_accept(&mut self) -> Vec<Command> {
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
        self.prepare(
            Prepare::Launch {
                product_id: product.id,
                product_name: product.name,
                version: None,
                path: None,
            },
            &text,
        )
    }

    /// `u`: update the selected provisioned product.
    pub(super) fn start_update(&mut self) -> Vec<Command> {
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
                    self.profile
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

    /// The selected row's key if the screen in front is `screen`.
    fn selected_on(&self, screen: Screen) -> Option<String> {
        (self.overlay.is_none() && self.screen() == screen)
            .then(|| self.level().table.selected_key().map(str::to_string))
            .flatten()
    }

    fn prepare(&mut self, what: Prepare, text: &str) -> Vec<Command> {
        if self.connection.is_none() {
            if !self.can_act() {
                let doing = match &what {
                    Prepare::Launch { .. } => "launching",
                    Prepare::Update { .. } => "updating",
                    Prepare::PendingShares => "accepting a share",
                    Prepare::AddProducts { .. } => "adding products",
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
                let form = forms::update(&update, &kept, !self.can_act());
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
            Prepared::AddProducts(plan) => {
                let lines = plan.lines().into_iter().map(PlanLine::text).collect();
                self.confirm(Request::AddProducts(plan), "Add the products", lines, None);
            }
        }
        vec![]
    }

    /// Keys while a dialog is open.
    pub(super) fn on_dialog_key(&mut self, key: KeyEvent) -> Vec<Command> {
        // The quit key over a dialog that takes no text, while work is in
        // flight: the question (the dialog comes back on no).
        if matches!(
            self.dialog,
            Some(Dialog::BulkRun | Dialog::Progress { .. } | Dialog::Report { .. })
        ) && self.keymap.action(&key) == Some(crate::tui::keymap::Action::Quit)
            && self.has_work_in_flight()
        {
            self.quit_unless_busy();
            return vec![];
        }
        if let Some(commands) = self.on_bulk_key(key) {
            return commands;
        }
        let Some(mut dialog) = self.dialog.take() else {
            return vec![];
        };
        let outcome = match &mut dialog {
            Dialog::Share { form, .. }
            | Dialog::Accept { form, .. }
            | Dialog::Launch { form, .. }
            | Dialog::Update { form, .. } => match form.key(key) {
                FormOutcome::Editing => None,
                FormOutcome::Cancel => Some(false),
                FormOutcome::Submit => return self.submit(dialog),
            },
            Dialog::Confirm { confirm, .. } => match confirm.key(key) {
                ConfirmOutcome::Pending => None,
                ConfirmOutcome::Cancelled => Some(false),
                ConfirmOutcome::Confirmed => {
                    let Dialog::Confirm { act, then, .. } = dialog else {
                        unreachable!("matched as a confirmation")
                    };
                    return self.run_act(*act, then);
                }
            },
            // Any key closes; the work goes on.
            Dialog::Progress { .. } | Dialog::Report { .. } => return vec![],
            Dialog::Quit { confirm, behind } => match confirm.key(key) {
                ConfirmOutcome::Pending => None,
                ConfirmOutcome::Confirmed => {
                    self.quit = true;
                    return vec![];
                }
                ConfirmOutcome::Cancelled => {
                    self.dialog = behind.take().map(|d| *d);
                    self.status =
                        info("Not quitting: spoke goes on following what runs in AWS".into());
                    return vec![];
                }
            },
            Dialog::BulkPlanning { .. } | Dialog::BulkPlan { .. } | Dialog::BulkRun => {
                unreachable!("bulk dialogs take their own keys")
            }
        };
        match outcome {
            None => self.dialog = Some(dialog),
            Some(_) => self.status = info("Cancelled: nothing was changed".into()),
        }
        vec![]
    }

    /// A form was submitted: check it, then show the plan.
    fn submit(&mut self, dialog: Dialog) -> Vec<Command> {
        match dialog {
            Dialog::Share {
                portfolio,
                mut form,
            } => {
                let own = self
                    .identity
                    .as_ref()
                    .map_or("", |i| i.account_id.as_str())
                    .to_string();
                let input: ShareInput = forms::share_input(&form);
                match act::share::plan(&portfolio, &own, &input) {
                    Ok(plan) => {
                        let lines = plan.lines().into_iter().map(PlanLine::text).collect();
                        self.confirm(
                            Request::Share(plan),
                            &format!("Share {}", portfolio.name),
                            lines,
                            None,
                        );
                    }
                    Err(e) => {
                        forms::show_errors(&mut form, &e);
                        self.dialog = Some(Dialog::Share { portfolio, form });
                    }
                }
                vec![]
            }
            Dialog::Accept { shares, mut form } => match forms::accept_input(&form, &shares) {
                Ok(input) => {
                    let mut lines = vec![PlanLine::text(format!(
                        "accept the share of portfolio {} ({})",
                        input.portfolio_id,
                        match input.share_type {
                            ShareType::Account => "an account share: IMPORTED",
                            ShareType::Organization => "through AWS Organizations",
                        }
                    ))];
                    let then = input.add_to.as_ref().map(|(local, role)| {
                        lines.push(PlanLine::text(format!(
                            "then add its products to {local} with launch role {role} (shown before it is done)"
                        )));
                        Prepare::AddProducts {
                            imported_portfolio_id: input.portfolio_id.clone(),
                            local_portfolio_id: local.clone(),
                            role: role.clone(),
                        }
                    });
                    self.confirm(
                        Request::Accept {
                            portfolio_id: input.portfolio_id,
                            share_type: input.share_type,
                        },
                        "Accept a portfolio share",
                        lines,
                        then,
                    );
                    vec![]
                }
                Err(e) => {
                    forms::show_errors(&mut form, &e);
                    self.dialog = Some(Dialog::Accept { shares, form });
                    vec![]
                }
            },
            Dialog::Launch { launch, mut form } => {
                let (version, path, input) = forms::launch_input(&form, &launch);
                // Another version or path: read its parameters first.
                let path_changed = path.is_some()
                    && path.as_deref() != launch.path.as_ref().map(|p| p.id.as_str());
                if version != launch.version.id || path_changed {
                    let commands = self.prepare(
                        Prepare::Launch {
                            product_id: launch.product_id.clone(),
                            product_name: launch.product_name.clone(),
                            version: Some(version),
                            path,
                        },
                        "Reading the parameters of that version and path…",
                    );
                    self.dialog = Some(Dialog::Launch { launch, form });
                    return commands;
                }
                let taken = self
                    .catalog
                    .provisioned
                    .iter()
                    .any(|p| p.name == input.name);
                match act::launch::check(&launch, &input) {
                    Ok(_) if taken => {
                        form.clear_errors();
                        form.set_error(
                            "name",
                            "a provisioned product of this name exists in this account: pick another",
                        );
                        form.focus_first_error();
                        self.dialog = Some(Dialog::Launch { launch, form });
                    }
                    Ok(request) => {
                        let lines = act::launch::plan_lines(&launch, &request)
                            .into_iter()
                            .map(|(k, v)| PlanLine::new(k, v))
                            .collect();
                        self.confirm(
                            Request::Launch(request),
                            &format!("Launch {}", launch.product_name),
                            lines,
                            None,
                        );
                    }
                    Err(e) => {
                        forms::show_errors(&mut form, &e);
                        self.dialog = Some(Dialog::Launch { launch, form });
                    }
                }
                vec![]
            }
            Dialog::Update { update, mut form } => {
                let (version, changes) = forms::update_input(&form, &update);
                if version != update.to.id {
                    let commands = self.prepare(
                        Prepare::Update {
                            provisioned_id: update.provisioned.id.clone(),
                            version: Some(version),
                        },
                        "Reading the parameters of that version…",
                    );
                    self.dialog = Some(Dialog::Update { update, form });
                    return commands;
                }
                match act::update::check(&update, &changes) {
                    Ok(request) => {
                        let lines = act::update::diff_lines(&update, &request)
                            .into_iter()
                            .map(|(k, from, to)| {
                                let tone = if to.starts_with("(unchanged)") || from == to {
                                    PlanTone::Normal
                                } else if to.starts_with("(removed") {
                                    PlanTone::Danger
                                } else {
                                    PlanTone::Warn
                                };
                                PlanLine::change(k, from, to).tone(tone)
                            })
                            .collect();
                        let unchanged = request
                            .parameters
                            .iter()
                            .all(|(_, v)| *v == ParamSetting::Previous);
                        let title = if update.from.as_ref().map(|v| &v.id) == Some(&update.to.id)
                            && unchanged
                        {
                            format!(
                                "Update {} (same version, same parameters)",
                                update.provisioned.name
                            )
                        } else {
                            format!("Update {}", update.provisioned.name)
                        };
                        self.confirm(Request::Update(request), &title, lines, None);
                    }
                    Err(e) => {
                        forms::show_errors(&mut form, &e);
                        self.dialog = Some(Dialog::Update { update, form });
                    }
                }
                vec![]
            }
            other => {
                self.dialog = Some(other);
                vec![]
            }
        }
    }

    fn confirm(&mut self, act: Request, title: &str, lines: Vec<PlanLine>, then: Option<Prepare>) {
        self.last_form = self
            .dialog
            .take()
            .filter(|d| d.form().is_some())
            .map(Box::new);
        let confirm = forms::confirm(
            title,
            lines,
            self.read_only || !self.can_act(),
            self.no_writer.as_deref().filter(|_| !self.read_only),
        );
        self.dialog = Some(Dialog::Confirm {
            confirm,
            act: Box::new(act),
            then,
        });
    }

    fn run_act(&mut self, act: Request, then: Option<Prepare>) -> Vec<Command> {
        if !self.can_act() {
            // The confirm dialog cannot say yes here; never reached, but
            // the state refuses as well as the executor.
            self.status = error_status(format!(
                "Not done: {}",
                self.no_writer
                    .as_deref()
                    .unwrap_or("this session is read-only")
            ));
            return vec![];
        }
        let request = self.requests.issue_untracked();
        let title = act.title();
        self.running.push(Running {
            request,
            title: title.clone(),
            lines: Vec::new(),
            status: None,
            record: None,
            stack: None,
            done: None,
            then,
            form: self.last_form.take(),
        });
        self.dialog = Some(Dialog::Progress { request });
        self.status = busy(format!("{title}…"));
        vec![Command::Act {
            generation: self.requests.generation(),
            request,
            act,
        }]
    }

    pub(super) fn on_act_progress(&mut self, request: u64, event: ActEvent) -> Vec<Command> {
        let Some(run) = self.running.iter_mut().find(|r| r.request == request) else {
            return vec![];
        };
        match event {
            ActEvent::Line(line) => run.lines.push(line),
            ActEvent::Record(record) => {
                run.lines
                    .push(format!("request {} {}", record.id, record.status));
                run.record = Some(record.id);
                run.status = Some(record.status);
            }
            ActEvent::Status(status) => {
                run.lines.push(format!("request {status}"));
                run.status = Some(status);
            }
            ActEvent::Stack {
                provisioned_id,
                name,
                stack_arn,
            } => {
                run.lines.push(format!("following the stack of {name}"));
                run.stack = Some(name.clone());
                let title = run.title.clone();
                // Follow the stack live: the events screen of that product.
                if matches!(self.dialog, Some(Dialog::Progress { request: r }) if r == request) {
                    self.dialog = None;
                }
                self.overlay = None;
                let mut commands =
                    self.follow(provisioned_id.clone(), name.clone(), stack_arn.clone());
                self.nav.truncate(1);
                self.push(Level::new(
                    Screen::Events,
                    Scope::Provisioned {
                        id: provisioned_id,
                        name,
                        stack: stack_arn,
                    },
                ));
                if commands.is_empty() {
                    commands = self.load_events_if_not_yet();
                }
                self.status = busy(format!("{title}: following its stack…"));
                return commands;
            }
        }
        if let Some(status) = &self
            .running
            .iter()
            .find(|r| r.request == request)
            .and_then(|r| r.status.clone())
        {
            let title = self
                .running
                .iter()
                .find(|r| r.request == request)
                .map(|r| r.title.clone())
                .unwrap_or_default();
            self.status = busy(format!("{title}: {status}"));
        }
        vec![]
    }

    pub(super) fn on_act_done(
        &mut self,
        request: u64,
        result: Result<ActOutcome, ActFailure>,
    ) -> Vec<Command> {
        let Some(run) = self.running.iter_mut().find(|r| r.request == request) else {
            return vec![];
        };
        let title = run.title.clone();
        // An error (not a FAILED record): AWS refused the call itself.
        let refused = result.is_err();
        let (ok, lines) = match result {
            Ok(outcome) => (outcome.ok, outcome.lines),
            Err(failure) => {
                let mut lines = vec![failure.message.clone()];
                if failure.sent_nothing {
                    lines.push("Nothing was sent to AWS.".into());
                }
                (false, lines)
            }
        };
        run.lines.extend(lines.iter().cloned());
        run.done = Some(ok);
        let then = run.then.take().filter(|_| ok);
        // Refused by AWS before anything ran: back to the form, the error
        // next to its field.
        let refused_form = run.form.take().filter(|_| refused);
        let summary = lines.first().cloned().unwrap_or_default();
        self.status = if ok {
            info(format!("{title}: done — {summary}"))
        } else {
            error_status(format!("{title}: FAILED — {summary}"))
        };
        self.dialog = Some(match refused_form {
            Some(mut form) => {
                if let Some(f) = form.form_mut() {
                    forms::place_aws_error(f, &summary);
                }
                *form
            }
            None => Dialog::Report {
                title: format!("{title}: {}", if ok { "done" } else { "FAILED" }),
                lines,
                ok,
            },
        });
        // What changed shows on the screens.
        let mut commands = if self.connection.is_some() && !self.requests.awaits(Kind::Catalog) {
            self.load_catalog()
        } else {
            vec![]
        };
        if let Some(then) = then {
            commands.extend(self.prepare(then, "Reading the products to add…"));
        }
        commands
    }

    pub(super) fn on_journal(&mut self, result: Result<crate::journal::Contents, String>) {
        if let Some(bad) = self.journal.loaded(result) {
            self.status = error_status(format!(
                "The journal has {bad} line(s) that are not entries (e.g. cut short by a crash); shown at the end"
            ));
        }
    }
}

impl Dialog {
    /// The form, if the dialog is one.
    pub fn form(&self) -> Option<&Form> {
        match self {
            Dialog::Share { form, .. }
            | Dialog::Accept { form, .. }
            | Dialog::Launch { form, .. }
            | Dialog::Update { form, .. } => Some(form),
            _ => None,
        }
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        match self {
            Dialog::Share { form, .. }
            | Dialog::Accept { form, .. }
            | Dialog::Launch { form, .. }
            | Dialog::Update { form, .. } => Some(form),
            _ => None,
        }
    }
}
