//! Quitting: at once when nothing runs, else a question that says what
//! keeps running in AWS without spoke.

use super::*;

impl State {
    /// `q` or `:q`: quits at once when nothing is in flight; else asks
    /// first, saying what keeps running in AWS without spoke (y/N, No by
    /// default). The dialog in front comes back on no.
    pub(super) fn quit_unless_busy(&mut self) {
        if !self.has_work_in_flight() {
            self.quit = true;
            return;
        }
        if matches!(self.dialog, Some(act::Dialog::Quit { .. })) {
            return;
        }
        let behind = self.dialog.take().map(Box::new);
        self.dialog = Some(act::Dialog::Quit {
            confirm: self.quit_confirm(),
            behind,
        });
    }

    /// Work that goes on in AWS if spoke quits: a bulk update applying,
    /// an action (launch, update, share…) being followed.
    pub fn has_work_in_flight(&self) -> bool {
        self.bulk_running() || self.running.iter().any(|r| r.done.is_none())
    }

    /// The question `q` asks while work is in flight: what keeps running
    /// in AWS, each on its line.
    pub(super) fn quit_confirm(&self) -> widgets::confirm::Confirm {
        use widgets::confirm::{Confirm, PlanLine, PlanTone};
        let mut lines = Vec::new();
        if let Some(run) = self.bulk.as_ref().filter(|b| !b.done) {
            let count = |running: bool| {
                run.statuses
                    .iter()
                    .enumerate()
                    .filter(|(i, s)| {
                        run.plan.items.get(*i).is_some_and(|p| p.will_update())
                            && match s {
                                crate::ops::bulk::ItemStatus::Running { .. } => running,
                                crate::ops::bulk::ItemStatus::Waiting => !running,
                                _ => false,
                            }
                    })
                    .count()
            };
            let (sent, waiting) = (count(true), count(false));
            let updates = |n: usize| format!("{n} update{}", plural(n));
            let mut parts = Vec::new();
            if sent > 0 {
                parts.push(format!(
                    "{} {} running in AWS and will finish without spoke",
                    updates(sent),
                    if sent == 1 { "is" } else { "are" }
                ));
            }
            if waiting > 0 && !run.cancelled {
                parts.push(if sent > 0 {
                    format!("{waiting} more will not start")
                } else {
                    format!("none was sent yet: {} will not start", updates(waiting))
                });
            }
            if parts.is_empty() {
                parts.push("its last updates are settling".to_string());
            }
            let mut said = parts.join("; ");
            let batch = run.plan.batch.get(..8).unwrap_or(&run.plan.batch);
            said.push_str(&format!(
                "; `:resume` or `spoke update --resume` picks the batch {batch} up again"
            ));
            lines.push(PlanLine::new("bulk update", said).tone(PlanTone::Warn));
        }
        for r in self.running.iter().filter(|r| r.done.is_none()) {
            let what = match (&r.record, &r.stack) {
                (Some(record), Some(stack)) => format!(
                    "record {record}{} — the stack of {stack} keeps changing in AWS; spoke will not see how it ends",
                    r.status
                        .as_deref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                ),
                (Some(record), None) => format!(
                    "record {record}{} goes on in AWS; spoke will not see how it ends",
                    r.status
                        .as_deref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                ),
                (None, _) => match &r.status {
                    Some(status) => {
                        format!("{status} in AWS, and it goes on; spoke will not see how it ends")
                    }
                    None => "its request is on its way to AWS; spoke will not see how it ends"
                        .to_string(),
                },
            };
            lines.push(PlanLine::new(r.title.clone(), what).tone(PlanTone::Warn));
        }
        if lines.is_empty() {
            return Confirm::new("Quit spoke?", "Nothing runs in AWS any more. Quit?");
        }
        Confirm::new("Quit spoke?", "Quit spoke while this runs?")
            .lines(lines)
            .note("Quitting stops nothing in AWS: what was sent goes on there.")
    }

    /// Stops now (a signal): nothing to confirm.
    pub fn terminate(&mut self) {
        self.quit = true;
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }
}
