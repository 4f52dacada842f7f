//! A self-service action in the console: Enter on one of the actions
//! level (`e`) reads its plan off the input path; an action that takes
//! values (TEXT_VALUE parameters) asks for them first in a form, prefilled
//! with Service Catalog's defaults, and is planned again with them (the
//! same check as `spoke action run --param`); the confirm dialog shows the
//! plan (read-only sessions: shown, never confirmed), and a yes hands it
//! to the executor, which follows its record to its end.

use std::collections::BTreeMap;

use super::super::{Command, State, error_status, info};
use super::Dialog;
use crate::ops::act;
use crate::ops::act::request::Prepare;
use crate::ops::act::service_action::ActionPlan;
use crate::tui::screens::{Scope, Screen};
use crate::tui::widgets::confirm::PlanLine;
use crate::tui::widgets::form::{Field, Form};

use crate::ops::act::service_action::TEXT_VALUE as ASKED;

impl State {
    /// Enter on the actions level: the plan of running the selected one.
    pub(in crate::tui::app) fn start_service_action(&mut self) -> Vec<Command> {
        let level = self.level();
        let Scope::Provisioned { id, .. } = &level.scope else {
            return vec![];
        };
        if level.screen != Screen::Actions {
            return vec![];
        }
        let Some(action_id) = level.table.selected_key().map(str::to_string) else {
            self.status = info("No action selected".into());
            return vec![];
        };
        let id = id.clone();
        let name = self
            .catalog
            .provisioned_product(&id)
            .map_or_else(|| id.clone(), |p| p.name.clone());
        // Refused at once when the catalog already says it is busy.
        if let Some(why) = self
            .catalog
            .provisioned_product(&id)
            .and_then(act::update::busy_reason)
        {
            let why = why.replace("then update", "then run the action");
            if !self.can_act() {
                self.not_offered("running an action", &format!(" (and {why})"));
                return vec![];
            }
            self.status = error_status(why);
            return vec![];
        }
        let text = format!("Reading what running the action on {name} needs…");
        self.prepare(
            Prepare::ServiceAction {
                provisioned_id: id,
                action_id,
                values: None,
            },
            &text,
        )
    }

    /// The plan was read: the values first if the action takes some and
    /// they were not asked for yet, else ask.
    pub(in crate::tui::app) fn on_action_planned(&mut self, plan: Box<ActionPlan>, asked: bool) {
        if !asked && plan.parameters.iter().any(|p| p.kind == ASKED) {
            let form = action_form(&plan, !self.can_act());
            self.dialog = Some(Dialog::Action { plan, form });
            return;
        }
        let lines = plan.lines().into_iter().map(PlanLine::text).collect();
        let title = format!("Run {} on {}", plan.action.name, plan.provisioned.name);
        self.confirm(
            crate::ops::act::request::Request::ServiceAction(plan),
            &title,
            lines,
            None,
        );
    }

    /// The values given: planned again with them (a value left as Service
    /// Catalog's default is not sent).
    pub(in crate::tui::app) fn submit_action(
        &mut self,
        plan: Box<ActionPlan>,
        form: Form,
    ) -> Vec<Command> {
        let values: BTreeMap<String, String> = plan
            .parameters
            .iter()
            .filter(|p| p.kind == ASKED)
            .filter_map(|p| {
                let typed = form.value(&p.name)?.trim().to_string();
                let default = p.values.join(",");
                // Empty, or as it was: Service Catalog's default stands.
                (!typed.is_empty() && typed != default).then(|| (p.name.clone(), typed))
            })
            .collect();
        let text = format!("Reading what running {} needs…", plan.action.name);
        self.prepare(
            Prepare::ServiceAction {
                provisioned_id: plan.provisioned.id.clone(),
                action_id: plan.action.id.clone(),
                values: Some(values),
            },
            &text,
        )
    }
}

/// One field per value the action takes, with Service Catalog's default;
/// the parameters it fills itself shown as notes.
fn action_form(plan: &ActionPlan, read_only: bool) -> Form {
    let mut form = Form::new(format!(
        "Run {} on {}",
        plan.action.name, plan.provisioned.name
    ))
    .intro(
        plan.action
            .description
            .clone()
            .unwrap_or_else(|| format!("The values {} takes.", plan.action.name)),
    )
    .submit_label("Review the action")
    .plan_only(read_only);
    for p in &plan.parameters {
        let value = p.values.join(",");
        if p.kind == ASKED {
            let help = if value.is_empty() {
                "a value (TEXT_VALUE); left empty, the document's own default applies".to_string()
            } else {
                "a value (TEXT_VALUE); the default is Service Catalog's".to_string()
            };
            form.push(Field::text(&p.name, &p.name).value(value).help(help));
        } else {
            let shown = if value.is_empty() {
                "filled by Service Catalog".to_string()
            } else {
                format!("{value} (filled by Service Catalog)")
            };
            form.push(Field::note(
                &p.name,
                format!("{} ({})", p.name, p.kind),
                shown,
            ));
        }
    }
    form
}
