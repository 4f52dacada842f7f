//! One bulk run for both front ends: plan it, preview its risk, then save,
//! apply and report it, resumable from the journal. The console and
//! `spoke update --drifted`/`--resume` each only show what these return.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::apply::{ApplyOptions, ItemStatus, Progress, resume_state};
use super::plan::{PLAN_POLL, PlanOptions, RiskPreview, preview_risk};
use super::{BulkPlan, report};
use crate::journal;
use crate::ops::fleet::{self, Member, Writers, scan_drift};
use crate::ops::session::Gate;

/// Plans the bulk update of `only` (none: every drifted one) over
/// `members`, with reads only; the gate says which members are read-only
/// (their items are skipped), and no writer is built.
pub async fn plan_drifted(
    members: &[Member],
    gate: &Gate,
    mut options: PlanOptions,
    only: Option<BTreeSet<String>>,
) -> BulkPlan {
    let writers = fleet::writers(members, &gate.deciding_only()).await;
    let accounts = scan_drift(members, |_| {}).await;
    options.only = only;
    super::plan(members, &accounts, &writers, &options).await
}

/// Previews the risk of `plan`'s items (temporary plans, created and
/// deleted) in the members the gate gives a writer.
pub async fn preview(
    mut plan: BulkPlan,
    members: &[Member],
    gate: &Gate,
    cancel: &AtomicBool,
) -> (BulkPlan, RiskPreview) {
    let writers = fleet::writers(members, gate).await;
    let preview = preview_risk(&mut plan, members, &writers, PLAN_POLL, cancel).await;
    (plan, preview)
}

/// The last saved bulk plan beside `journal`, and (sent, settled) of its
/// batch; an error when there is nothing left to resume.
pub fn find_stopped(journal: &Path) -> Result<(BulkPlan, (usize, usize)), String> {
    let path = BulkPlan::saved(journal).into_iter().next().ok_or_else(|| {
        "No bulk update to resume: none was started from this journal".to_string()
    })?;
    let plan = BulkPlan::load(&path)?;
    let contents = journal::read(journal).map_err(|e| e.to_string())?;
    let state = resume_state(&contents, &plan.batch);
    if state.unfinished(&plan) == 0 {
        return Err(format!(
            "The last bulk update ({}) finished: nothing to resume",
            plan.created.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    Ok((plan, (state.submitted(), state.settled())))
}

/// How an applied run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub ends: Vec<ItemStatus>,
    /// Where the report was written, or why it could not be.
    pub report: Result<PathBuf, String>,
}

/// Where a batch's report goes unless asked otherwise: beside its plan.
pub fn default_report(journal: &Path, batch: &str) -> PathBuf {
    BulkPlan::path_for(journal, batch).with_extension("report.jsonl")
}

/// Saves `plan` beside the journal, applies it with `writers` honouring
/// what the journal says of its batch (settled items are not touched,
/// sent ones are followed), and writes the report (`report`, else beside
/// the plan). Fails only before anything is sent.
pub async fn apply_saved(
    plan: &BulkPlan,
    members: &[Member],
    writers: &Writers,
    journal_path: &Path,
    report: Option<PathBuf>,
    options: &ApplyOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Applied, String> {
    plan.save(journal_path)
        .map_err(|e| format!("cannot save the plan ({e}): nothing was sent"))?;
    let contents = journal::read(journal_path).map_err(|e| e.to_string())?;
    let resume = resume_state(&contents, &plan.batch);
    let ends = super::apply(plan, members, writers, &resume, options, progress).await;
    let path = report.unwrap_or_else(|| default_report(journal_path, &plan.batch));
    let report = report::write(&path, &report::lines(plan, &ends))
        .map(|()| path.clone())
        .map_err(|e| format!("{}: {e}", path.display()));
    Ok(Applied { ends, report })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Actor, Entry, Outcome, Phase};
    use crate::model::{BulkItem, Drift, OptIn, UpdateRequest};
    use crate::ops::bulk::{PlannedItem, Risk};
    use crate::ops::fleet::Selection;

    fn plan() -> BulkPlan {
        let item = |id: &str| PlannedItem {
            item: BulkItem {
                profile: "spoke-dev".into(),
                account: "1".into(),
                provisioned_id: id.into(),
                provisioned_name: id.into(),
                product_id: "prod-1".into(),
                product_name: "P".into(),
                from_id: "pa-1".into(),
                from_name: "v1".into(),
                to_id: Some("pa-2".into()),
                to_name: Some("v2".into()),
                drift: Drift::Behind(1),
                skip: None,
            },
            risk: Risk::Safe,
            request: Some(UpdateRequest {
                provisioned_product_id: id.into(),
                provisioned_product_name: id.into(),
                product_id: "prod-1".into(),
                version_id: "pa-2".into(),
                path_id: None,
                parameters: Vec::new(),
                secret_keys: Vec::new(),
                token: format!("token-{id}"),
            }),
            stack_name: None,
            launched_by: None,
            scanned: chrono::Utc::now(),
        };
        BulkPlan {
            batch: "batch-1".into(),
            created: chrono::Utc::now(),
            selection: Selection::Profiles {
                names: vec!["spoke-dev".into()],
            },
            region: None,
            policy: OptIn::Everything,
            include_risky: false,
            items: vec![item("pp-1"), item("pp-2")],
            unreachable: Vec::new(),
        }
    }

    fn entry(phase: Phase, token: Option<&str>, record: &str) -> Entry {
        Entry {
            time: chrono::Utc::now(),
            action: format!("a-{record}"),
            phase,
            batch: Some("batch-1".into()),
            actor: Actor {
                profile: "spoke-dev".into(),
                account: "1".into(),
                caller_arn: "arn".into(),
                region: "us-east-1".into(),
            },
            operation: "UpdateProvisionedProduct".into(),
            targets: Default::default(),
            parameters: Default::default(),
            token: token.map(str::to_string),
            record_id: Some(record.into()),
            outcome: Some(Outcome {
                ok: true,
                message: "SUCCEEDED".into(),
            }),
        }
    }

    #[test]
    fn a_stopped_run_is_found_until_every_item_settled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        assert!(
            find_stopped(&path)
                .unwrap_err()
                .contains("none was started")
        );
        let journal = crate::journal::Journal::open(&path).unwrap();
        plan().save(&path).unwrap();
        journal
            .append(&entry(Phase::Result, Some("token-pp-1"), "rec-1"))
            .unwrap();
        journal
            .append(&entry(Phase::Settled, None, "rec-1"))
            .unwrap();
        let (found, (sent, settled)) = find_stopped(&path).unwrap();
        assert_eq!(found.batch, "batch-1");
        assert_eq!((sent, settled), (1, 1));
        journal
            .append(&entry(Phase::Result, Some("token-pp-2"), "rec-2"))
            .unwrap();
        journal
            .append(&entry(Phase::Settled, None, "rec-2"))
            .unwrap();
        assert!(
            find_stopped(&path)
                .unwrap_err()
                .contains("nothing to resume")
        );
    }
}
