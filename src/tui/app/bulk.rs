//! The bulk update (`U`): plan → typed confirmation → progress → report,
//! over the session's account or the fleet's.

use super::requests::Kind;
use std::collections::BTreeSet;

use crossterm::event::{KeyEvent, KeyEventKind};

use super::{Command, Dialog, Screen, State, busy, error_status, info};
use crate::model::OptIn;
use crate::ops::bulk::{BulkPlan, ItemStatus, Progress, Risk, RiskPreview, to_preview};
use crate::ops::fleet::Selection;
use crate::tui::keymap::{Action, Context, Typed};
use crate::tui::widgets::confirm::{Confirm, ConfirmOutcome, PlanLine, PlanTone};

/// The word typed to apply a bulk plan.
pub const CONFIRM_WORD: &str = "update";

/// How a bulk update ended, as the executor reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkOutcome {
    pub ends: Vec<ItemStatus>,
    /// Where the report was written, or why it could not be.
    pub report: Result<String, String>,
    /// Temporary plans of the risk preview that could not be deleted,
    /// each with the command that removes it.
    pub leftover: Vec<String>,
}

/// A bulk update under way or done.
#[derive(Debug, Clone)]
pub struct BulkRun {
    pub request: u64,
    pub plan: Box<BulkPlan>,
    /// One per plan item.
    pub statuses: Vec<ItemStatus>,
    pub cancelled: bool,
    pub done: bool,
    pub report: Option<Result<String, String>>,
    /// Why the run could not start or stopped.
    pub error: Option<String>,
}

impl BulkRun {
    /// Items to update, and how many of them are over.
    pub fn progress(&self) -> (usize, usize) {
        let todo: Vec<usize> = (0..self.plan.items.len())
            .filter(|&i| self.plan.items[i].will_update())
            .collect();
        let over = todo
            .iter()
            .filter(|&&i| self.statuses[i].is_final())
            .count();
        (todo.len(), over)
    }

    pub fn count(&self, label: &str) -> usize {
        self.statuses
            .iter()
            .enumerate()
            .filter(|(i, s)| self.plan.items[*i].will_update() && s.label() == label)
            .count()
    }

    /// How many updates ended in each of `buckets` equal stretches from the
    /// first end to the last (by the time AWS gave each record), with that
    /// span; `None` before two have ended with a time.
    pub fn ends_over_time(
        &self,
        buckets: usize,
    ) -> Option<(
        Vec<u64>,
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
    )> {
        use crate::ops::bulk::ItemStatus;
        let mut ends: Vec<chrono::DateTime<chrono::Utc>> = self
            .statuses
            .iter()
            .filter_map(|s| match s {
                ItemStatus::Succeeded { at, .. } | ItemStatus::Failed { at, .. } => *at,
                _ => None,
            })
            .collect();
        if ends.len() < 2 || buckets == 0 {
            return None;
        }
        ends.sort();
        let (first, last) = (ends[0], ends[ends.len() - 1]);
        let span = (last - first).num_milliseconds().max(1) as f64;
        let mut counts = vec![0u64; buckets];
        for t in &ends {
            let at = ((*t - first).num_milliseconds() as f64 / span * buckets as f64) as usize;
            counts[at.min(buckets - 1)] += 1;
        }
        Some((counts, first, last))
    }
}

impl State {
    /// True while a bulk update runs.
    pub fn bulk_running(&self) -> bool {
        self.bulk.as_ref().is_some_and(|b| !b.done)
    }

    /// `U`: plan the update of the marked provisioned products, else of
    /// every drifted one in view; a run under way shows its progress.
    pub(super) fn start_bulk(&mut self) -> Vec<Command> {
        if self.bulk_running() {
            self.dialog = Some(Dialog::BulkRun);
            return vec![];
        }
        if self.screen() != Screen::Provisioned {
            self.go_to(Screen::Provisioned);
        }
        let table = &self.level().table;
        let marked: Vec<String> = table
            .marked_keys()
            .into_iter()
            .map(str::to_string)
            .collect();
        let only: BTreeSet<String> = if marked.is_empty() {
            table
                .visible_keys()
                .into_iter()
                .filter(|id| {
                    self.catalog
                        .drift_of(id)
                        .is_some_and(|d| d != crate::model::Drift::Current)
                })
                .map(str::to_string)
                .collect()
        } else {
            marked.into_iter().collect()
        };
        if only.is_empty() {
            self.status = info(
                "Nothing drifts in view: no provisioned product to update (clear the filter, or mark rows with Space)".into(),
            );
            return vec![];
        }
        let request = self.requests.issue(Kind::Bulk);
        let n = only.len();
        self.status = busy(format!(
            "Planning the update of {n} provisioned product{}: each one's stack and resource changes…",
            crate::tui::widgets::text::plural(n)
        ));
        self.dialog = Some(Dialog::BulkPlanning { request, count: n });
        vec![Command::PlanBulk {
            generation: self.requests.generation(),
            request,
            only,
            policy: self.bulk_policy.clone(),
        }]
    }

    /// `:bulk [POLICY]`: sets the policy, then plans as `U` does.
    pub(super) fn bulk_command(&mut self, policy: Option<String>) -> Vec<Command> {
        if let Some(text) = policy {
            match text.parse::<crate::model::OptIn>() {
                Ok(p) => self.bulk_policy = p,
                Err(e) => {
                    self.status = error_status(e);
                    return vec![];
                }
            }
        }
        self.start_bulk()
    }

    /// `:resume`: the last stopped bulk run, shown for confirmation.
    pub(super) fn resume_bulk(&mut self) -> Vec<Command> {
        if self.bulk_running() {
            self.dialog = Some(Dialog::BulkRun);
            return vec![];
        }
        let request = self.requests.issue(Kind::Bulk);
        self.status = busy("Looking for a stopped bulk update in the journal…".into());
        vec![Command::ResumeBulk {
            generation: self.requests.generation(),
            request,
        }]
    }

    pub(super) fn on_bulk_planned(
        &mut self,
        result: Result<Box<BulkPlan>, String>,
        resumed: Option<(usize, usize)>,
    ) {
        self.requests.settle(Kind::Bulk);
        if matches!(self.dialog, Some(Dialog::BulkPlanning { .. })) {
            self.dialog = None;
        }
        let plan = match result {
            Ok(plan) => plan,
            Err(e) => {
                self.status = error_status(e);
                return;
            }
        };
        self.status = info(plan.summary());
        let confirm = plan_confirm(&plan, resumed, self.bulk_read_only(&plan));
        self.dialog = Some(Dialog::BulkPlan { plan, confirm });
    }

    /// Whether a bulk plan can never be applied here: one session that is
    /// read-only (or has no journal); in a fleet, each member is decided
    /// on its own by the gate, so only when every item it would update is
    /// skipped as read-only.
    fn bulk_read_only(&self, plan: &BulkPlan) -> bool {
        let single = match &plan.selection {
            Selection::Profiles { names } => names.len() == 1,
            Selection::Organization { .. } => false,
        };
        let all_refused = plan.to_update() == 0
            && plan
                .items
                .iter()
                .any(|i| matches!(i.item.skip, Some(crate::model::Skip::ReadOnly { .. })));
        all_refused || (single && (self.session.read_only() || self.session.no_writer().is_some()))
    }

    /// Ctrl-p in the plan: preview the risk of each item (a temporary
    /// provisioned product plan each, created and deleted).
    fn preview_bulk_risk(&mut self, plan: Box<BulkPlan>, confirm: Confirm) -> Vec<Command> {
        let n = to_preview(&plan);
        if confirm.is_read_only() {
            self.status = error_status(
                "This session is read-only: previewing the risk creates temporary plans, so it is not offered".into(),
            );
        } else if n == 0 {
            self.status = info("Every item's risk is already known: nothing to preview".into());
        } else {
            let request = self.requests.issue(Kind::Bulk);
            self.status = busy(format!(
                "Previewing the risk: creating and deleting {n} temporary provisioned product plan{}…",
                crate::tui::widgets::text::plural(n)
            ));
            self.dialog = Some(Dialog::BulkPlanning { request, count: n });
            return vec![Command::PreviewRisk {
                generation: self.requests.generation(),
                request,
                plan,
            }];
        }
        self.dialog = Some(Dialog::BulkPlan { plan, confirm });
        vec![]
    }

    pub(super) fn on_risk_previewed(
        &mut self,
        result: Result<(Box<BulkPlan>, RiskPreview), String>,
    ) {
        let (plan, preview) = match result {
            Ok(done) => done,
            Err(e) => {
                self.requests.settle(Kind::Bulk);
                self.dialog = None;
                self.status = error_status(format!("The risk could not be previewed: {e}"));
                return;
            }
        };
        let region = plan.region.clone();
        self.on_bulk_planned(Ok(plan), None);
        let mut text = format!(
            "Risk previewed for {} item{}: {} temporary plan{} created and deleted",
            preview.previewed,
            crate::tui::widgets::text::plural(preview.previewed),
            preview.created - preview.leftover.len().min(preview.created),
            crate::tui::widgets::text::plural(preview.created),
        );
        if preview.cleaned > 0 {
            text.push_str(&format!(
                ", {} left by an earlier run deleted",
                preview.cleaned
            ));
        }
        self.status = match preview.leftover.first() {
            None => info(text),
            Some(first) => error_status(format!(
                "{text}; {} could not be deleted: {}",
                preview.leftover.len(),
                first.line(region.as_deref())
            )),
        };
    }

    /// Keys of the bulk dialogs; true if the key was theirs.
    pub(super) fn on_bulk_key(&mut self, key: KeyEvent) -> Option<Vec<Command>> {
        if key.kind == KeyEventKind::Release {
            return Some(vec![]);
        }
        match self.dialog.take()? {
            Dialog::BulkPlanning { request, count } => {
                if self.keymap.typed(&key) == Typed::Do(Action::Cancel) {
                    self.requests.settle(Kind::Bulk);
                    self.status = info("Planning abandoned: nothing was changed".into());
                } else {
                    self.dialog = Some(Dialog::BulkPlanning { request, count });
                }
                Some(vec![])
            }
            Dialog::BulkPlan {
                mut plan,
                mut confirm,
            } => {
                let bulk_action = self.keymap.action_in(Context::Bulk, &key);
                if bulk_action == Some(Action::PreviewRisk) {
                    return Some(self.preview_bulk_risk(plan, confirm));
                }
                if bulk_action == Some(Action::IncludeRisky) {
                    let include = !plan.include_risky;
                    plan.set_include_risky(include);
                    confirm = plan_confirm(&plan, None, confirm.is_read_only());
                    self.dialog = Some(Dialog::BulkPlan { plan, confirm });
                    return Some(vec![]);
                }
                match confirm.key(self.keymap.typed(&key)) {
                    ConfirmOutcome::Pending => {
                        self.dialog = Some(Dialog::BulkPlan { plan, confirm });
                        Some(vec![])
                    }
                    ConfirmOutcome::Cancelled => {
                        self.status = info("Cancelled: nothing was changed".into());
                        Some(vec![])
                    }
                    ConfirmOutcome::Confirmed => Some(self.apply_bulk(plan)),
                }
            }
            Dialog::BulkRun => {
                let closes = matches!(
                    self.keymap.typed(&key),
                    Typed::Do(Action::Cancel | Action::Enter)
                ) || self.keymap.action(&key) == Some(Action::Quit);
                match self.keymap.action_in(Context::Bulk, &key) {
                    Some(Action::CancelRun) if self.bulk_running() => {
                        if let Some(run) = self.bulk.as_mut() {
                            run.cancelled = true;
                        }
                        self.status = info(
                            "Cancelling: nothing more starts; the updates under way are followed to their end".into(),
                        );
                        self.dialog = Some(Dialog::BulkRun);
                        return Some(vec![Command::CancelBulk]);
                    }
                    _ if closes => {}
                    _ => self.dialog = Some(Dialog::BulkRun),
                }
                Some(vec![])
            }
            other => {
                self.dialog = Some(other);
                None
            }
        }
    }

    fn apply_bulk(&mut self, plan: Box<BulkPlan>) -> Vec<Command> {
        if plan.to_update() == 0 {
            self.status = info("Nothing to update: nothing was changed".into());
            return vec![];
        }
        // The gate refuses too; this says why before anything is sent.
        if self.bulk_read_only(&plan) {
            self.status = error_status(format!(
                "This session cannot change anything ({}): nothing was sent",
                self.session.no_writer().unwrap_or("read-only")
            ));
            return vec![];
        }
        let request = self.requests.issue_untracked();
        self.bulk = Some(BulkRun {
            request,
            statuses: plan
                .items
                .iter()
                .map(|i| match &i.item.skip {
                    Some(s) => ItemStatus::Skipped {
                        reason: s.describe(),
                    },
                    None => ItemStatus::Waiting,
                })
                .collect(),
            plan: plan.clone(),
            cancelled: false,
            done: false,
            report: None,
            error: None,
        });
        self.dialog = Some(Dialog::BulkRun);
        let unpreviewed = to_preview(&plan);
        self.status = busy(if unpreviewed > 0 {
            format!(
                "Previewing the risk ({unpreviewed} temporary plan{}, created and deleted), then updating {} provisioned products…",
                crate::tui::widgets::text::plural(unpreviewed),
                plan.to_update()
            )
        } else {
            format!("Updating {} provisioned products…", plan.to_update())
        });
        vec![Command::ApplyBulk {
            generation: self.requests.generation(),
            request,
            plan,
        }]
    }

    pub(super) fn on_bulk_progress(&mut self, request: u64, progress: Progress) -> Vec<Command> {
        let Some(run) = self.bulk.as_mut().filter(|r| r.request == request) else {
            return vec![];
        };
        // The row follows: UNDER_CHANGE once sent, read again once settled.
        let item = run
            .plan
            .items
            .get(progress.index)
            .map(|i| i.item.provisioned_id.clone());
        let was_running = run
            .statuses
            .get(progress.index)
            .is_some_and(|s| matches!(s, ItemStatus::Running { .. }));
        let sent = matches!(progress.status, ItemStatus::Running { .. }) && !was_running;
        let settled = matches!(
            progress.status,
            ItemStatus::Succeeded { .. }
                | ItemStatus::Failed {
                    record: Some(_),
                    ..
                }
        );
        if let Some(slot) = run.statuses.get_mut(progress.index) {
            *slot = progress.status;
        }
        let (total, over) = run.progress();
        if self.dialog.is_none() || !matches!(self.dialog, Some(Dialog::BulkRun)) {
            self.status = busy(format!(
                "Bulk update: {over}/{total} done ({} failed) — U shows it",
                run.count("FAILED")
            ));
        }
        match item {
            Some(id) if sent => self.change_catalog(super::refresh::Change::UnderChange(vec![id])),
            Some(id) if settled => self.read_provisioned(&id),
            _ => vec![],
        }
    }

    pub(super) fn on_bulk_done(
        &mut self,
        request: u64,
        result: Result<BulkOutcome, String>,
    ) -> Vec<Command> {
        let Some(run) = self.bulk.as_mut().filter(|r| r.request == request) else {
            return vec![];
        };
        run.done = true;
        // Items that settled without a progress message of it (the run's
        // end says so): their rows are read again too.
        let mut settled = Vec::new();
        match result {
            Ok(outcome) => {
                for (i, end) in outcome.ends.iter().enumerate() {
                    let sent = matches!(
                        end,
                        ItemStatus::Succeeded { .. }
                            | ItemStatus::Failed {
                                record: Some(_),
                                ..
                            }
                    );
                    if sent && run.statuses.get(i) != Some(end) {
                        settled
                            .extend(run.plan.items.get(i).map(|p| p.item.provisioned_id.clone()));
                    }
                }
                run.statuses = outcome.ends;
                run.report = Some(outcome.report);
                if let Some(first) = outcome.leftover.first() {
                    run.error = Some(format!(
                        "{} temporary plan(s) could not be deleted — {first}",
                        outcome.leftover.len()
                    ));
                }
            }
            Err(e) => run.error = Some(e),
        }
        let (ok, failed, cancelled) = (
            run.count("SUCCEEDED"),
            run.count("FAILED"),
            run.count("CANCELLED"),
        );
        let text = match &run.error {
            Some(e) => format!("Bulk update stopped: {e}"),
            None => format!(
                "Bulk update done: {ok} succeeded, {failed} failed, {cancelled} not started{}",
                if failed + cancelled > 0 {
                    " — :resume retries what did not settle"
                } else {
                    ""
                }
            ),
        };
        let bad = failed > 0 || run.error.is_some();
        // What changed shows: each item's row is read again as it settles.
        self.status = if bad { error_status(text) } else { info(text) };
        // The end is shown, unless the operator is busy with another dialog.
        if self.dialog.is_none() {
            self.dialog = Some(Dialog::BulkRun);
        }
        settled
            .iter()
            .flat_map(|id| self.read_provisioned(id))
            .collect()
    }
}

/// The plan as a confirmation: one line per item, updated ones first.
pub(super) fn plan_confirm(
    plan: &BulkPlan,
    resumed: Option<(usize, usize)>,
    read_only: bool,
) -> Confirm {
    let title = match resumed {
        Some(_) => format!("Resume bulk update {}", short(&plan.batch)),
        None => "Update drifted provisioned products".to_string(),
    };
    // A resumed run sends only what was not sent before.
    let sent = resumed.map_or(0, |(sent, _)| sent);
    let left = plan.to_update().saturating_sub(sent);
    let question = match (plan.to_update(), left, resumed) {
        (0, ..) => "Nothing to update: every item is skipped, for the reason on its line (:bulk everything widens the policy)".to_string(),
        (n, 0, Some(_)) => format!(
            "All {n} update{} of this run were sent before: follow them to their end? Nothing is sent",
            crate::tui::widgets::text::plural(n)
        ),
        (_, left, Some(_)) => format!(
            "Send the {left} update{} not sent yet, each to its latest version ({sent} sent before are not sent again)",
            crate::tui::widgets::text::plural(left)
        ),
        (n, _, None) => format!(
            "Update {n} provisioned product{}, each to its latest version",
            crate::tui::widgets::text::plural(n)
        ),
    };
    let mut lines = vec![PlanLine::new(
        "policy",
        format!(
            "{}{}",
            plan.policy.describe(),
            match &plan.policy {
                OptIn::Everything => String::new(),
                _ => " (:bulk POLICY changes it)".into(),
            }
        ),
    )];
    if let Some((sent, settled)) = resumed {
        lines.push(PlanLine::new(
            "journal",
            format!("{sent} already sent, {settled} settled: those are not sent again"),
        ));
    }
    lines.push(PlanLine::text(plan.summary()));
    let mut items: Vec<&crate::ops::bulk::PlannedItem> = plan.items.iter().collect();
    items.sort_by_key(|i| {
        (
            !i.will_update(),
            i.item.profile.clone(),
            i.item.provisioned_name.clone(),
        )
    });
    for p in items {
        let i = &p.item;
        let label = format!("{} {}", i.profile, i.provisioned_name);
        let to = i.to_name.clone().unwrap_or_else(|| "—".into());
        let line = match &i.skip {
            None => {
                let risk = match &p.risk {
                    Risk::Risky { changes } => format!("  ⚠ {}", changes.join(", ")),
                    Risk::Unavailable { why } => format!("  (risk unavailable: {why})"),
                    Risk::NotPreviewed => "  (risk not previewed)".into(),
                    _ => String::new(),
                };
                // It will run, and it replaces or removes: a warning, not
                // the glyph of a failure.
                let tone = if matches!(p.risk, Risk::Risky { .. }) {
                    PlanTone::Risky
                } else {
                    PlanTone::Ok
                };
                PlanLine::change(label, i.from_name.clone(), format!("{to}{risk}")).tone(tone)
            }
            Some(skip) => PlanLine::new(label, format!("skip: {}", skip.describe())).tone(
                if matches!(skip, crate::model::Skip::Risky { .. }) {
                    PlanTone::Warn
                } else {
                    PlanTone::Skip
                },
            ),
        };
        lines.push(line);
    }
    for (label, why) in &plan.unreachable {
        lines.push(
            PlanLine::new(label.clone(), format!("not reachable: {why}")).tone(PlanTone::Danger),
        );
    }
    let risky = plan
        .items
        .iter()
        .filter(|i| matches!(i.risk, Risk::Risky { .. }))
        .count();
    let unpreviewed = to_preview(plan);
    let note = if unpreviewed > 0 && !read_only {
        format!(
            "Risk not previewed: Ctrl-p previews it (creates and deletes {unpreviewed} temporary plan{}); typing {CONFIRM_WORD} previews it first and leaves out what replaces or removes resources unless Tab includes it",
            crate::tui::widgets::text::plural(unpreviewed)
        )
    } else if risky > 0 {
        format!(
            "Tab {} the {risky} update{} that replace or remove resources",
            if plan.include_risky {
                "leaves out"
            } else {
                "includes"
            },
            if risky == 1 { "" } else { "s" }
        )
    } else {
        "Each update is journaled before it is sent; a stopped run resumes with :resume".into()
    };
    let confirm = Confirm::new(title, question)
        .lines(lines)
        .read_only(read_only);
    // Nothing to send: nothing to type either — nothing at all to do, or
    // only the records of what was sent to follow (a yes is enough).
    if plan.to_update() == 0 {
        return confirm.notice();
    }
    if left == 0 {
        return confirm;
    }
    confirm.typed(CONFIRM_WORD).note(note)
}

fn short(batch: &str) -> &str {
    batch.get(..8).unwrap_or(batch)
}
