//! `T`: terminate the selected provisioned product, or the marked ones.
//! What goes is read first (the stack's resources), listed before anything
//! else, and confirmed by typing the product's name (several: `terminate
//! N`); then each is terminated and followed to its end. A read-only
//! session sees the plan and cannot confirm it.

use super::super::{Command, State, error_status, info};
use crate::ops::act;
use crate::ops::act::request::{Prepare, Request};
use crate::ops::act::terminate::TerminatePlan;
use crate::tui::screens::{Scope, Screen};
use crate::tui::widgets::confirm::{PlanLine, PlanTone};

impl State {
    /// The provisioned products `T` is about: those marked on the
    /// provisioned screen, else the one selected there (or the one a level
    /// of its life is of).
    fn terminate_targets(&self) -> Vec<String> {
        let level = self.level();
        if self.overlay.is_some() {
            return Vec::new();
        }
        match (&level.scope, level.screen) {
            (_, Screen::Provisioned) if level.table.mark_count() > 0 => level
                .table
                .marked_keys()
                .into_iter()
                .map(str::to_string)
                .collect(),
            (_, Screen::Provisioned) => level
                .table
                .selected_key()
                .map(str::to_string)
                .into_iter()
                .collect(),
            (Scope::Provisioned { id, .. }, _) => vec![id.clone()],
            _ => Vec::new(),
        }
    }

    /// `T`: reads what terminating the targets deletes (off the input path).
    pub(in crate::tui::app) fn start_terminate(&mut self) -> Vec<Command> {
        let ids = self.terminate_targets();
        if ids.is_empty() {
            if !self.can_act() {
                self.not_offered(
                    "terminating",
                    "; a provisioned product's termination plan can be looked at from the provisioned screen (4)",
                );
                return vec![];
            }
            self.status = info(
                "Select a provisioned product to terminate (on the provisioned screen, 4), or mark several (Space)".into(),
            );
            return vec![];
        }
        let own = self.identity().map(|i| i.account_id.clone());
        let mut names = Vec::new();
        for id in &ids {
            let Some(pp) = self.catalog.provisioned_product(id) else {
                self.status = error_status(format!("{id} is no longer shown: R reads again"));
                return vec![];
            };
            // A fleet's other accounts are written to with their own
            // profiles: the console acts on the account it is open on.
            let account = crate::model::account_of_arn(&pp.arn).map(str::to_string);
            if own.is_some() && account.is_some() && account != own {
                self.status = error_status(format!(
                    "{} lives in account {}, not in the one open ({}): open its profile (P) to terminate it",
                    pp.name,
                    account.unwrap_or_default(),
                    own.unwrap_or_default()
                ));
                return vec![];
            }
            // Refused at once when the catalog already says it is busy.
            if let Some(why) = act::update::busy_reason(pp) {
                self.status = error_status(why.replace("then update", "then terminate"));
                return vec![];
            }
            names.push(pp.name.clone());
        }
        let text = match names.as_slice() {
            [one] => format!("Reading what terminating {one} deletes…"),
            many => format!(
                "Reading what terminating {} provisioned products deletes…",
                many.len()
            ),
        };
        self.prepare(
            Prepare::Terminate {
                provisioned_ids: ids,
            },
            &text,
        )
    }

    /// The plans read: what goes first, then the confirmation, typed.
    pub(in crate::tui::app) fn on_terminate_planned(&mut self, plans: Vec<TerminatePlan>) {
        let (title, word) = match plans.as_slice() {
            [one] => (
                format!("Terminate {}", one.provisioned.name),
                one.provisioned.name.clone(),
            ),
            many => (
                format!("Terminate {} provisioned products", many.len()),
                format!("terminate {}", many.len()),
            ),
        };
        let mut lines = Vec::new();
        for plan in &plans {
            // Its first line names it; what goes follows, in red unless kept.
            let goes = if plan.options.retain_physical_resources {
                PlanTone::Warn
            } else {
                PlanTone::Danger
            };
            for (i, line) in plan.lines().into_iter().enumerate() {
                let tone = if i == 0 { PlanTone::Normal } else { goes };
                lines.push(PlanLine::text(line).tone(tone));
            }
        }
        lines.push(PlanLine::text(
            "This cannot be undone. Each is followed to its end; a failure stops the rest.",
        ));
        self.confirm_typed(Request::Terminate(plans), &title, lines, word);
    }
}
