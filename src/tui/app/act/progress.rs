//! A running action's progress and how it ended, and the journal read
//! for `:log`.

use super::super::requests::Kind;

use super::super::{Command, State, busy, error_status, info};
use super::forms;
use crate::ops::act::request::{ActEvent, ActFailure, ActOutcome};
use crate::tui::screens::{Level, Scope, Screen};

use super::Dialog;

impl State {
    pub(in crate::tui::app) fn on_act_progress(
        &mut self,
        request: u64,
        event: ActEvent,
    ) -> Vec<Command> {
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
                if let Some(id) = record
                    .provisioned_product_id
                    .filter(|id| !run.provisioned.contains(id))
                {
                    run.provisioned.push(id.clone());
                    if run.changes_product {
                        return self.show_under_change(id);
                    }
                }
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
    pub(in crate::tui::app) fn on_act_done(
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
        // What changed shows on the screens: the provisioned product its
        // record was about, read again; what else it changed (a share, an
        // accept), by reading the account again.
        let provisioned = self
            .running
            .iter()
            .find(|r| r.request == request)
            .map(|r| r.provisioned.clone())
            .unwrap_or_default();
        let mut commands = match provisioned.as_slice() {
            [] if self.session.connection().is_some() && !self.requests.awaits(Kind::Catalog) => {
                self.load_catalog()
            }
            [] => vec![],
            ids => ids
                .iter()
                .flat_map(|id| self.read_provisioned(id))
                .collect(),
        };
        if let Some(then) = then {
            commands.extend(self.prepare(then, "Reading the products to add…"));
        }
        commands
    }
    /// A provisioned product spoke just sent a request for: UNDER_CHANGE
    /// on every screen at once; one that is not shown yet (a launch) is
    /// read to join them.
    pub(in crate::tui::app) fn show_under_change(&mut self, id: String) -> Vec<Command> {
        if self.catalog.provisioned_product(&id).is_none() {
            return self.read_provisioned(&id);
        }
        self.change_catalog(crate::tui::app::refresh::Change::UnderChange(vec![id]))
    }

    /// Reads one provisioned product again, in the account it lives in.
    pub(in crate::tui::app) fn read_provisioned(&mut self, id: &str) -> Vec<Command> {
        if self.snapshot.is_some() || self.session.connection().is_none() {
            return vec![];
        }
        let account = self
            .catalog
            .provisioned_product(id)
            .and_then(|p| crate::model::account_of_arn(&p.arn))
            .map(str::to_string);
        vec![Command::ReadProvisioned {
            generation: self.requests.generation(),
            account,
            id: id.to_string(),
        }]
    }

    /// A provisioned product read again: it replaces the one shown.
    pub(in crate::tui::app) fn on_provisioned_read(
        &mut self,
        generation: crate::tui::app::Generation,
        id: String,
        result: Result<Option<crate::model::ProvisionedProduct>, String>,
    ) -> Vec<Command> {
        if !self.requests.current(generation) {
            return vec![];
        }
        match result {
            Ok(Some(pp)) => {
                self.change_catalog(crate::tui::app::refresh::Change::Provisioned(Box::new(pp)))
            }
            // AWS no longer knows it (terminated): it goes from the screens.
            Ok(None) => self.change_catalog(crate::tui::app::refresh::Change::Gone(id)),
            Err(e) => {
                self.status = error_status(format!(
                    "{id} could not be read again: {e} — what is shown may be out of date"
                ));
                vec![]
            }
        }
    }

    pub(in crate::tui::app) fn on_journal(
        &mut self,
        result: Result<crate::journal::Contents, String>,
    ) {
        let names = self.names();
        if let Some(bad) = self.journal.loaded(result, &names, &self.catalog) {
            self.status = error_status(format!(
                "The journal has {bad} line(s) that are not entries (e.g. cut short by a crash); shown at the end"
            ));
        }
    }
}
