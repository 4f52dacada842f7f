//! CloudFormation resource drift in the console: `D` on a provisioned
//! product opens its drift level (the last detection's results, read like
//! the other parts of its life); `D` on that level asks, then detects
//! drift now (`DetectStackDrift`, a write: only through the executor's
//! gate, never offered in a read-only session). The last results stay on
//! screen while it runs; the answer comes back as [`Msg::DriftDetected`],
//! tagged, so an older one is dropped, and a failure never clears them.
//!
//! [`Msg::DriftDetected`]: super::msg::Msg::DriftDetected

use super::State;
use super::act::Dialog;
use super::msg::{Command, Generation};
use super::status::{busy, error_status, info};
use crate::model::StackDrift;
use crate::ops::life::{LifeData, LifePart};
use crate::tui::keymap::Action;
use crate::tui::screens::{Scope, Screen};
use crate::tui::widgets::confirm::{Confirm, PlanLine};

impl State {
    /// `D`: the drift level of the selected provisioned product; on that
    /// level, a detection (asked first).
    pub(super) fn on_resource_drift(&mut self) -> Vec<Command> {
        if self.level().screen == Screen::ResourceDrift {
            self.ask_detect();
            return vec![];
        }
        self.open_life(Screen::ResourceDrift)
    }

    /// The drift detection running for the provisioned product in `scope`.
    pub fn detecting(&self, scope: &Scope) -> bool {
        let Scope::Provisioned { id, .. } = scope else {
            return false;
        };
        self.catalog
            .life
            .as_ref()
            .is_some_and(|l| &l.provisioned_id == id && l.detecting.is_some())
    }

    /// What the drift level shows, if it was read.
    pub fn drift_shown(&self, scope: &Scope) -> Option<&StackDrift> {
        match crate::tui::views::life::read(&self.catalog, scope, LifePart::Drift) {
            Some(LifeData::Drift(d)) => Some(d),
            _ => None,
        }
    }

    fn ask_detect(&mut self) {
        let scope = self.level().scope.clone();
        let Scope::Provisioned { name, stack, .. } = &scope else {
            return;
        };
        if !self.can_act() {
            self.status = info(format!(
                "{}: drift detection (DetectStackDrift changes the stack's drift status) is not offered; the last detection's results are shown",
                self.cannot_act()
            ));
            return;
        }
        if self.detecting(&scope) {
            self.status = busy(format!("Drift detection of {name} already runs…"));
            return;
        }
        let confirm = Confirm::new(format!("Detect drift of {name}"), "Detect now?").lines([
            PlanLine::new("Call", "DetectStackDrift (journaled)"),
            PlanLine::new("Stack", stack.clone()),
            PlanLine::text(
                "CloudFormation compares each resource with its template: the resources stay as they are; the stack's drift status and last check time change",
            ),
        ]);
        self.dialog = Some(Dialog::Detect {
            confirm,
            scope: Box::new(scope),
        });
    }

    /// The detection was confirmed: hand it to the executor (which asks the
    /// gate for the writer of the stack's account).
    pub(super) fn run_detect(&mut self, scope: Scope) -> Vec<Command> {
        let Scope::Provisioned { id, name, stack } = scope else {
            return vec![];
        };
        if !self.can_act() {
            self.status = error_status(format!("Not done: {}", self.cannot_act()));
            return vec![];
        }
        let request = self.requests.issue_untracked();
        let Some(life) = self
            .catalog
            .life
            .as_mut()
            .filter(|l| l.provisioned_id == id)
        else {
            return vec![];
        };
        life.detecting = Some(request);
        // A read of the last results still on its way would land on the
        // fresh ones: it is dropped.
        life.pending.remove(&LifePart::Drift);
        self.status = busy(format!("Detecting the drift of {name} (DetectStackDrift)…"));
        vec![Command::DetectDrift {
            generation: self.requests.generation(),
            request,
            provisioned_id: id,
            name,
            stack_id: stack,
        }]
    }

    pub(super) fn on_drift_detected(
        &mut self,
        generation: Generation,
        request: u64,
        provisioned_id: String,
        result: Result<StackDrift, String>,
    ) -> Vec<Command> {
        if !self.requests.current(generation) {
            return vec![];
        }
        let Some(life) = self
            .catalog
            .life
            .as_mut()
            .filter(|l| l.provisioned_id == provisioned_id)
            .filter(|l| l.detecting == Some(request))
        else {
            return vec![];
        };
        life.detecting = None;
        let again = self
            .keymap
            .key_label(Action::ResourceDrift)
            .map_or_else(|| "detecting".to_string(), |k| k.to_string());
        self.status = match &result {
            Ok(drift) => info(format!("Drift detected: {}", drift.summary())),
            // What was shown stays: a failure is said, never an empty list.
            Err(why) => error_status(format!(
                "Drift detection failed: {why} — the last results stay; {again} again retries"
            )),
        };
        if let Ok(drift) = result {
            life.parts
                .insert(LifePart::Drift, Ok(LifeData::Drift(Box::new(drift))));
        }
        self.rebuild_screen(Screen::ResourceDrift);
        vec![]
    }
}
