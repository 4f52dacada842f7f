//! The report of a bulk run: one JSON object per line per item, with the
//! fields AWS's auto-update solution (aws-samples, "Service Catalog
//! provisioned product auto-update") logs for Athena.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{BulkPlan, ItemStatus};
use crate::files;

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReportLine {
    pub provisioned_product_name: String,
    pub provisioned_product_id: String,
    pub product_id: String,
    pub product_name: String,
    pub account_no: String,
    /// The version it ran when scanned (its id).
    pub provisioned_version: String,
    pub provisioned_version_name: String,
    pub latest_version_id: String,
    pub latest_version_name: String,
    /// SUCCEEDED, FAILED, SKIPPED, CANCELLED, HALTED, IN_PROGRESS, WAITING.
    pub update_status: String,
    /// The failure, or why it was skipped or not started.
    pub errors: String,
    pub scanned_time: DateTime<Utc>,
    pub update_timestamp: Option<DateTime<Utc>>,
    pub stack_name: String,
    pub launched_by: String,
}

/// The report lines of `plan` with each item's `ends`.
pub fn lines(plan: &BulkPlan, ends: &[ItemStatus]) -> Vec<ReportLine> {
    plan.items
        .iter()
        .zip(ends)
        .map(|(p, end)| {
            let (errors, at) = match end {
                ItemStatus::Skipped { reason } | ItemStatus::Halted { reason } => {
                    (reason.clone(), None)
                }
                ItemStatus::Failed { reason, at, .. } => (reason.clone(), *at),
                ItemStatus::Succeeded { at, .. } => (String::new(), *at),
                _ => (String::new(), None),
            };
            ReportLine {
                provisioned_product_name: p.item.provisioned_name.clone(),
                provisioned_product_id: p.item.provisioned_id.clone(),
                product_id: p.item.product_id.clone(),
                product_name: p.item.product_name.clone(),
                account_no: p.item.account.clone(),
                provisioned_version: p.item.from_id.clone(),
                provisioned_version_name: p.item.from_name.clone(),
                latest_version_id: p.item.to_id.clone().unwrap_or_default(),
                latest_version_name: p.item.to_name.clone().unwrap_or_default(),
                update_status: end.label().to_string(),
                errors,
                scanned_time: p.scanned,
                update_timestamp: at,
                stack_name: p.stack_name.clone().unwrap_or_default(),
                launched_by: p.launched_by.clone().unwrap_or_default(),
            }
        })
        .collect()
}

/// Writes the report (0600) as JSON lines.
pub fn write(path: &Path, lines: &[ReportLine]) -> std::io::Result<()> {
    let mut out = Vec::new();
    for line in lines {
        serde_json::to_writer(&mut out, line).map_err(std::io::Error::other)?;
        out.write_all(b"\n")?;
    }
    files::replace_private(path, &out)
}
