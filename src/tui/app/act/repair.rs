//! `F`: the way out of TAINTED or ERROR, as [`crate::ops::act::repair`]
//! plans it. A TAINTED product's plan is an update again (to its last good
//! version), confirmed with `y`; a failed launch's is a termination then a
//! launch under the same name, confirmed by typing the name. A NoEcho value
//! the failed launch was given is asked for (masked) before the plan, as
//! CloudFormation never gives it back. A read-only session sees the plan
//! and cannot confirm it.

use super::super::{Command, State, error_status, info};
use super::Dialog;
use crate::ops::act;
use crate::ops::act::repair::{RepairNeeds, RepairPlan, RepairTo};
use crate::ops::act::request::{Prepare, Request};
use crate::tui::screens::{Scope, Screen};
use crate::tui::widgets::confirm::{PlanLine, PlanTone};
use crate::tui::widgets::form::{Field, Form};

impl State {
    /// The provisioned product `F` is about: the one selected on the
    /// provisioned screen, or the one a level of its life is of.
    fn repair_target(&self) -> Option<String> {
        let level = self.level();
        if self.overlay.is_some() {
            return None;
        }
        match (&level.scope, level.screen) {
            (_, Screen::Provisioned) => level.table.selected_key().map(str::to_string),
            (Scope::Provisioned { id, .. }, _) => Some(id.clone()),
            _ => None,
        }
    }

    /// `F`: reads the plan of the repair (off the input path).
    pub(in crate::tui::app) fn start_repair(&mut self) -> Vec<Command> {
        let Some(id) = self.repair_target() else {
            self.status = info(
                "Select a TAINTED or ERROR provisioned product to repair (on the provisioned screen, 4)"
                    .into(),
            );
            return vec![];
        };
        let Some(pp) = self.catalog.provisioned_product(&id) else {
            self.status = error_status(format!("{id} is no longer shown: R reads again"));
            return vec![];
        };
        if let Some(why) = act::repair::refusal(pp) {
            self.status = error_status(why);
            return vec![];
        }
        let own = self.identity().map(|i| i.account_id.clone());
        let account = crate::model::account_of_arn(&pp.arn).map(str::to_string);
        if own.is_some() && account.is_some() && account != own {
            self.status = error_status(format!(
                "{} lives in account {}, not in the one open ({}): open its profile (P) to repair it",
                pp.name,
                account.unwrap_or_default(),
                own.unwrap_or_default()
            ));
            return vec![];
        }
        let to = RepairTo::default_for(pp);
        let text = format!("Reading the way out for {}…", pp.name);
        self.prepare(
            Prepare::Repair {
                provisioned_id: id,
                to,
                values: Default::default(),
            },
            &text,
        )
    }

    /// The plan read: an update is confirmed with `y`, a relaunch (which
    /// deletes the failed stack first) by typing the name.
    pub(in crate::tui::app) fn on_repair_planned(&mut self, plan: Box<RepairPlan>) {
        let name = plan.provisioned().name.clone();
        let title = format!("Repair {name}");
        match plan.as_ref() {
            RepairPlan::Update { .. } => {
                let lines = plan.lines().into_iter().map(PlanLine::text).collect();
                self.confirm(Request::Repair(plan), &title, lines, None);
            }
            RepairPlan::Relaunch { .. } => {
                let mut lines: Vec<PlanLine> = Vec::new();
                let mut deleting = false;
                for line in plan.lines() {
                    // The termination's resources go: in red, up to step 2.
                    if line.starts_with("2. ") {
                        deleting = false;
                    }
                    let tone = if deleting {
                        PlanTone::Danger
                    } else {
                        PlanTone::Normal
                    };
                    if line.starts_with("1. ") {
                        deleting = true;
                    }
                    lines.push(PlanLine::text(line).tone(tone));
                }
                lines.push(PlanLine::text(
                    "The launch starts only once the termination has ended well.",
                ));
                self.confirm_typed(Request::Repair(plan), &title, lines, name);
            }
        }
    }

    /// Values only the user can give (NoEcho ones): a form asks for them.
    pub(in crate::tui::app) fn on_repair_needs(&mut self, needs: Box<RepairNeeds>) {
        let mut form = Form::new(format!("Repair {}", needs.name))
            .intro(
                "CloudFormation never gives back a NoEcho value: give it again for the new launch.",
            )
            .submit_label("Review the repair")
            .plan_only(!self.can_act());
        for field in &needs.fields {
            let input = if field.secret {
                Field::masked(&field.field, &field.field)
            } else {
                Field::text(&field.field, &field.field)
            };
            let input = input.required().help(field.message.clone());
            form.push(match needs.values.get(&field.field) {
                Some(v) => input.value(v.clone()),
                None => input,
            });
        }
        self.dialog = Some(Dialog::Repair { needs, form });
    }

    /// The values given: plan again with them.
    pub(in crate::tui::app) fn submit_repair(
        &mut self,
        needs: Box<RepairNeeds>,
        mut form: Form,
    ) -> Vec<Command> {
        let mut values = needs.values.clone();
        let mut missing = false;
        for field in &needs.fields {
            let value = form.value(&field.field).unwrap_or_default().to_string();
            if value.is_empty() {
                form.set_error(&field.field, "a value is required");
                missing = true;
            } else {
                values.insert(field.field.clone(), value);
            }
        }
        if missing {
            form.focus_first_error();
            self.dialog = Some(Dialog::Repair { needs, form });
            return vec![];
        }
        let text = format!("Reading the way out for {}…", needs.name);
        self.prepare(
            Prepare::Repair {
                provisioned_id: needs.provisioned_id.clone(),
                to: needs.to.clone(),
                values,
            },
            &text,
        )
    }
}
