//! A self-service action in the console: Enter on one of the actions
//! level (`e`) reads its plan off the input path, the confirm dialog
//! shows it (read-only sessions: shown, never confirmed), and a yes hands
//! it to the executor, which follows its record to its end.

use super::super::{Command, State, error_status, info};
use crate::ops::act;
use crate::ops::act::request::Prepare;
use crate::ops::act::service_action::ActionPlan;
use crate::tui::screens::{Scope, Screen};
use crate::tui::widgets::confirm::PlanLine;

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
            },
            &text,
        )
    }

    /// The plan was read: ask.
    pub(in crate::tui::app) fn on_action_planned(&mut self, plan: Box<ActionPlan>) {
        let lines = plan.lines().into_iter().map(PlanLine::text).collect();
        let title = format!("Run {} on {}", plan.action.name, plan.provisioned.name);
        self.confirm(
            crate::ops::act::request::Request::ServiceAction(plan),
            &title,
            lines,
            None,
        );
    }
}
