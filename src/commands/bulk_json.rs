//! `spoke update --drifted --format json`: the plan's items, each item's
//! status as it changes (`item_status` events), and the run's report lines
//! (the field names of the report file and of the auto-update solution's
//! log) with the counts at its end.

use serde_json::{Value, json};

use crate::ops::bulk::report::{self, ReportLine};
use crate::ops::bulk::{BulkPlan, ItemStatus, Progress};
use crate::output::json as out_json;

/// The result's `batch`, `selection`, `policy`, `items` and `unreachable`.
pub fn plan(plan: &BulkPlan) {
    if !out_json::json() {
        return;
    }
    out_json::set("batch", plan.batch.clone().into());
    out_json::set("selection", plan.selection.describe().into());
    out_json::set("policy", plan.policy.describe().into());
    out_json::set("include_risky", plan.include_risky.into());
    let items: Vec<Value> = plan
        .items
        .iter()
        .map(|p| {
            let i = &p.item;
            json!({
                "profile": i.profile,
                "account": i.account,
                "provisioned_product_id": i.provisioned_id,
                "provisioned_product_name": i.provisioned_name,
                "product_id": i.product_id,
                "product_name": i.product_name,
                "from_version": { "id": i.from_id, "name": i.from_name },
                "to_version": i.to_id.as_ref().map(|id| json!({ "id": id, "name": i.to_name })),
                "action": if p.will_update() { "update" } else { "skip" },
                "skip_reason": i.skip.as_ref().map(|s| s.describe()),
                "risk": p.risk.describe(),
            })
        })
        .collect();
    out_json::set("items", items.into());
    let unreachable: Vec<Value> = plan
        .unreachable
        .iter()
        .map(|(label, why)| json!({ "account": label, "why": why }))
        .collect();
    out_json::set("unreachable", unreachable.into());
}

/// An `item_status` line: the item (index in the plan's `items`), its
/// status label and record, and why it failed, was skipped or halted.
pub fn progress(plan: &BulkPlan, p: &Progress) {
    if !out_json::json() {
        return;
    }
    let item = &plan.items[p.index].item;
    let (record, reason, record_status) = match &p.status {
        ItemStatus::Running { record, status } => (Some(record), None, Some(status.as_str())),
        ItemStatus::Succeeded { record, .. } => (Some(record), None, None),
        ItemStatus::Failed { record, reason, .. } => (record.as_ref(), Some(reason), None),
        ItemStatus::Skipped { reason } | ItemStatus::Halted { reason } => {
            (None, Some(reason), None)
        }
        ItemStatus::Waiting | ItemStatus::Cancelled => (None, None, None),
    };
    out_json::event(
        "item_status",
        json!({
            "index": p.index,
            "account": item.account,
            "provisioned_product_name": item.provisioned_name,
            "status": p.status.label(),
            "record_id": record,
            "record_status": record_status,
            "reason": reason,
        }),
    );
}

/// The result's `report` (a line per item, as the report file has them)
/// and `summary` (how many ended each way).
pub fn ended(plan: &BulkPlan, ends: &[ItemStatus]) {
    if !out_json::json() {
        return;
    }
    let lines: Vec<ReportLine> = report::lines(plan, ends);
    let count = |label: &str| ends.iter().filter(|e| e.label() == label).count();
    out_json::set("report", json!(lines));
    out_json::set(
        "summary",
        json!({
            "succeeded": count("SUCCEEDED"),
            "failed": count("FAILED"),
            "cancelled": count("CANCELLED"),
            "halted": count("HALTED"),
            "skipped": count("SKIPPED"),
        }),
    );
}
