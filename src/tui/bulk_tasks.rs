//! The console's fleet and bulk-update work, run as tasks by the executor
//! in `run.rs`: each reports back with [`Msg`]s tagged like the command.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::app::{BulkOutcome, Generation, Msg};
use crate::aws::Gate;
use crate::aws::{CallLog, ProfileSource};
use crate::journal;
use crate::model::OptIn;
use crate::ops::bulk::{
    self, ApplyOptions, BulkPlan, PlanOptions, RiskPreview, report, resume_state,
};
use crate::ops::fleet::{self, Member, Selection, scan_drift};

/// Reaches the fleet, then scans it account by account; the members are
/// returned for the bulk update to reuse.
pub async fn load_fleet(
    source: &ProfileSource,
    selection: &Selection,
    region: Option<&str>,
    log: CallLog,
    generation: Generation,
    request: u64,
    send: &(dyn Fn(Msg) + Send + Sync),
) -> Option<Vec<Member>> {
    let scanned = fleet::connect_and_scan(
        source,
        selection,
        region,
        log,
        |n| {
            send(Msg::FleetMembers {
                generation,
                request,
                result: Ok(n),
            })
        },
        |account| {
            send(Msg::FleetAccount {
                generation,
                request,
                account: Box::new(account.clone()),
            })
        },
    )
    .await;
    let members = match scanned {
        Ok((members, _)) => members,
        Err(e) => {
            send(Msg::FleetMembers {
                generation,
                request,
                result: Err(e.to_string()),
            });
            return None;
        }
    };
    send(Msg::FleetLoaded {
        generation,
        request,
    });
    Some(members)
}

/// Plans the bulk update of `only` over `members`, with reads only; the
/// gate says which members are read-only (their items are skipped).
pub async fn plan(
    members: &[Member],
    selection: Selection,
    region: Option<String>,
    gate: &Gate,
    only: std::collections::BTreeSet<String>,
    policy: OptIn,
) -> Result<Box<BulkPlan>, String> {
    let writers = fleet::writers(members, &gate.deciding_only()).await;
    let accounts = scan_drift(members, |_| {}).await;
    let mut options = PlanOptions::new(selection, region, policy);
    options.only = Some(only);
    Ok(Box::new(
        bulk::plan(members, &accounts, &writers, &options).await,
    ))
}

/// Previews the risk of `plan`'s items (temporary plans, created and
/// deleted) in the members the gate gives a writer.
pub async fn preview(
    mut plan: Box<BulkPlan>,
    members: &[Member],
    gate: &Gate,
) -> (Box<BulkPlan>, RiskPreview) {
    let writers = fleet::writers(members, gate).await;
    let cancel = AtomicBool::new(false);
    let preview =
        bulk::preview_risk(&mut plan, members, &writers, bulk::plan::PLAN_POLL, &cancel).await;
    (plan, preview)
}

/// The last saved bulk plan beside `journal`, and (sent, settled) of its
/// batch; an error when there is nothing left to resume.
pub fn find_stopped(journal: &Path) -> Result<(Box<BulkPlan>, (usize, usize)), String> {
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
    Ok((Box::new(plan), (state.submitted(), state.settled())))
}

/// Previews the risk of what was not previewed, then saves and applies
/// `plan` with `members` (each given its writer, or refused, by the gate),
/// honouring what the journal says of its batch; writes the report beside
/// the plan.
pub async fn apply(
    plan: &BulkPlan,
    members: &[Member],
    gate: &Gate,
    cancel: Arc<AtomicBool>,
    request: u64,
    send: &(dyn Fn(Msg) + Send + Sync),
) -> Result<BulkOutcome, String> {
    let journal_path = gate
        .journal_path()
        .ok_or("no journal to record changes in (no home directory): nothing was sent")?;
    let writers = fleet::writers(members, gate).await;
    let mut plan = plan.clone();
    let preview =
        bulk::preview_risk(&mut plan, members, &writers, bulk::plan::PLAN_POLL, &cancel).await;
    if preview.cancelled {
        return Err("cancelled while the risk was previewed: nothing was updated".into());
    }
    let plan = &plan;
    plan.save(journal_path)
        .map_err(|e| format!("cannot save the plan ({e}): nothing was sent"))?;
    let contents = journal::read(journal_path).map_err(|e| e.to_string())?;
    let resume = resume_state(&contents, &plan.batch);
    let options = ApplyOptions {
        cancel,
        ..ApplyOptions::default()
    };
    let ends = bulk::apply(plan, members, &writers, &resume, &options, &|progress| {
        send(Msg::BulkProgress { request, progress })
    })
    .await;
    let path = BulkPlan::path_for(journal_path, &plan.batch).with_extension("report.jsonl");
    let report = report::write(&path, &report::lines(plan, &ends))
        .map(|()| path.display().to_string())
        .map_err(|e| format!("{}: {e}", path.display()));
    let leftover = preview
        .leftover
        .iter()
        .map(|l| l.line(plan.region.as_deref()))
        .collect();
    Ok(BulkOutcome {
        ends,
        report,
        leftover,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Actor, Entry, Outcome, Phase};
    use crate::model::{BulkItem, Drift, UpdateRequest};
    use crate::ops::bulk::{PlannedItem, Risk};

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
