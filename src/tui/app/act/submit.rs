//! A dialog's keys: a form checked and submitted, a plan confirmed or
//! not, and the confirmed request handed to the executor.

use crossterm::event::KeyEvent;

use super::super::{Command, State, busy, error_status, info};
use super::forms;
use crate::model::{ParamSetting, ShareType};
use crate::ops::act;
use crate::ops::act::request::{Prepare, Request};
use crate::ops::act::share::ShareInput;
use crate::tui::widgets::confirm::{ConfirmOutcome, PlanLine, PlanTone};
use crate::tui::widgets::form::FormOutcome;

use super::{Dialog, Running};

impl State {
    /// Keys while a dialog is open.
    pub(in crate::tui::app) fn on_dialog_key(&mut self, key: KeyEvent) -> Vec<Command> {
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
        let typed = self.keymap.typed(&key);
        let outcome = match &mut dialog {
            Dialog::Share { form, .. }
            | Dialog::Accept { form, .. }
            | Dialog::Launch { form, .. }
            | Dialog::Update { form, .. }
            | Dialog::Versions { form, .. }
            | Dialog::Hub { form, .. }
            | Dialog::Unshare { form, .. }
            | Dialog::Repair { form, .. }
            | Dialog::Action { form, .. } => match form.key(typed) {
                FormOutcome::Editing => None,
                FormOutcome::Cancel => Some(false),
                FormOutcome::Submit => return self.submit(dialog),
            },
            Dialog::Confirm { confirm, .. } => match confirm.key(typed) {
                ConfirmOutcome::Pending => None,
                ConfirmOutcome::Cancelled => Some(false),
                ConfirmOutcome::Confirmed => {
                    let Dialog::Confirm { act, then, .. } = dialog else {
                        unreachable!("matched as a confirmation")
                    };
                    return self.run_act(*act, then);
                }
            },
            Dialog::Detect { confirm, .. } => match confirm.key(typed) {
                ConfirmOutcome::Pending => None,
                ConfirmOutcome::Cancelled => Some(false),
                ConfirmOutcome::Confirmed => {
                    let Dialog::Detect { scope, .. } = dialog else {
                        unreachable!("matched as a detection")
                    };
                    return self.run_detect(*scope);
                }
            },
            // Any key closes; the work goes on.
            Dialog::Progress { .. } | Dialog::Report { .. } => return vec![],
            Dialog::Quit { confirm, behind } => match confirm.key(typed) {
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
    pub(in crate::tui::app) fn submit(&mut self, dialog: Dialog) -> Vec<Command> {
        match dialog {
            Dialog::Hub { kind, form } => self.submit_hub(*kind, form),
            Dialog::Unshare { choice, form } => self.submit_unshare(*choice, form),
            Dialog::Repair { needs, form } => self.submit_repair(needs, form),
            Dialog::Action { plan, form } => self.submit_action(plan, form),
            Dialog::Share {
                portfolio,
                mut form,
            } => {
                let own = self
                    .session
                    .identity()
                    .as_ref()
                    .map_or("", |i| i.account_id.as_str())
                    .to_string();
                let input: ShareInput = forms::share_input(&form);
                // Whom it is shared with, as the scan read it (if it did).
                let existing: Option<Vec<crate::model::Share>> = self
                    .catalog
                    .read_of(crate::model::Section::Shares, &portfolio.id)
                    .is_read()
                    .then(|| self.catalog.shares_of(&portfolio.id).cloned().collect());
                match act::share::plan(&portfolio, &own, &input, existing.as_deref()) {
                    Ok(plan) if plan.is_empty() => {
                        self.dialog = Some(Dialog::Report {
                            title: format!("Share {}", portfolio.name),
                            lines: plan.lines(),
                            ok: true,
                        });
                    }
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
                    let what = match &input.offered {
                        Some((name, owner)) => {
                            format!("{name} ({}) from {owner}", input.portfolio_id)
                        }
                        None => format!("portfolio {}", input.portfolio_id),
                    };
                    let mut lines = vec![PlanLine::text(format!(
                        "accept the share of {what} into {} ({})",
                        self.names()
                            .principal(self.identity().map_or("", |i| i.account_id.as_str())),
                        match input.share_type {
                            ShareType::Account => "an account share: IMPORTED",
                            ShareType::Organization => "through AWS Organizations",
                        }
                    ))];
                    let local_label = input.add_to_label.clone();
                    let then = input.add_to.as_ref().map(|(target, role)| {
                        lines.push(PlanLine::text(format!(
                            "then add its products to {} with a launch constraint: launch role {role} (the products are shown before they are added)",
                            local_label.as_deref().unwrap_or(&target.wanted)
                        )));
                        for p in &target.principals {
                            lines.push(PlanLine::text(format!("and let {p} launch from it")));
                        }
                        Prepare::AddProducts {
                            imported_portfolio_id: input.portfolio_id.clone(),
                            target: target.clone(),
                            role: role.clone(),
                        }
                    });
                    self.confirm(
                        Request::Accept {
                            portfolio_id: input.portfolio_id,
                            portfolio_name: input.offered.map(|(name, _)| name),
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
                            preselect: false,
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
                    .find(|p| p.name == input.name)
                    .map(|p| p.id.clone());
                match act::launch::check(&launch, &input) {
                    Ok(_) if taken.is_some() => {
                        form.clear_errors();
                        form.set_error(
                            "name",
                            act::launch::name_taken(
                                &input.name,
                                taken.as_deref().unwrap_or_default(),
                            ),
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
            Dialog::Versions {
                product,
                versions,
                form,
            } => {
                let Some((version, action)) = forms::versions_input(&form, &versions) else {
                    self.dialog = Some(Dialog::Versions {
                        product,
                        versions,
                        form,
                    });
                    return vec![];
                };
                match act::version::plan_for((*product).clone(), &versions, &version, action) {
                    Ok(plan) if plan.already => {
                        self.dialog = Some(Dialog::Report {
                            title: format!("Versions of {}", product.name),
                            lines: plan.lines(),
                            ok: true,
                        });
                    }
                    Ok(plan) => {
                        let lines = plan.lines().into_iter().map(PlanLine::text).collect();
                        let title = format!("{} {}", action.verb(), plan.version.name);
                        self.confirm(Request::Version(Box::new(plan)), &title, lines, None);
                    }
                    Err(e) => {
                        self.status = error_status(e.to_string());
                        self.dialog = Some(Dialog::Versions {
                            product,
                            versions,
                            form,
                        });
                    }
                }
                vec![]
            }
            Dialog::Update { update, mut form } => {
                let (product, version, changes) = forms::update_input(&form, &update);
                // Another product: its latest version and its parameters.
                if product != update.product_id || version != update.to.id {
                    let (version, text) = if product != update.product_id {
                        (None, "Reading the versions and parameters of that product…")
                    } else {
                        (Some(version), "Reading the parameters of that version…")
                    };
                    let changing = product != update.provisioned.product_id;
                    let commands = self.prepare(
                        Prepare::Update {
                            provisioned_id: update.provisioned.id.clone(),
                            version,
                            product: changing.then_some(product),
                        },
                        text,
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
                        let title = if update.changes_product() {
                            format!(
                                "Update {}: {} → {} {}",
                                update.provisioned.name,
                                update.from_label(),
                                update.product_name,
                                update.to.label()
                            )
                        } else if update.from.as_ref().map(|v| &v.id) == Some(&update.to.id)
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
    pub(in crate::tui::app) fn confirm(
        &mut self,
        act: Request,
        title: &str,
        lines: Vec<PlanLine>,
        then: Option<Prepare>,
    ) {
        self.confirm_with(act, title, lines, then, None);
    }

    /// [`State::confirm`], confirmed by typing `word` (what it removes
    /// is named, not just `y`).
    pub(in crate::tui::app) fn confirm_typed(
        &mut self,
        act: Request,
        title: &str,
        lines: Vec<PlanLine>,
        word: String,
    ) {
        self.confirm_with(act, title, lines, None, Some(word));
    }

    fn confirm_with(
        &mut self,
        act: Request,
        title: &str,
        lines: Vec<PlanLine>,
        then: Option<Prepare>,
        typed: Option<String>,
    ) {
        self.last_form = self
            .dialog
            .take()
            .filter(|d| d.form().is_some())
            .map(Box::new);
        let confirm = forms::confirm(
            title,
            lines,
            self.session.read_only() || !self.can_act(),
            self.session
                .no_writer()
                .filter(|_| !self.session.read_only()),
        );
        let confirm = match typed {
            Some(word) => confirm.typed(word),
            None => confirm,
        };
        self.dialog = Some(Dialog::Confirm {
            confirm,
            act: Box::new(act),
            then,
        });
    }
    pub(in crate::tui::app) fn run_act(
        &mut self,
        act: Request,
        then: Option<Prepare>,
    ) -> Vec<Command> {
        if !self.can_act() {
            // The confirm dialog cannot say yes here; never reached, but
            // the state refuses as well as the executor.
            self.status = error_status(format!(
                "Not done: {}",
                self.session
                    .no_writer()
                    .unwrap_or("this session is read-only")
            ));
            return vec![];
        }
        let request = self.requests.issue_untracked();
        let title = act.title();
        let changes_product = !matches!(act, Request::ServiceAction(_));
        self.running.push(Running {
            changes_product,
            request,
            title: title.clone(),
            lines: Vec::new(),
            status: None,
            record: None,
            stack: None,
            provisioned: Vec::new(),
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
}
