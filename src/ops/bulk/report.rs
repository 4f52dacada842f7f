//! The report of a bulk run: one JSON object per line per item, with the
//! fields AWS's auto-update solution (aws-samples, "Service Catalog
//! provisioned product auto-update") logs for Athena, each with
//! `schema_version`; to a local file or to S3, partitioned by date
//! (`PREFIX/dt=YYYY-MM-DD/<batch>.jsonl`) where Athena reads it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{BulkPlan, ItemStatus};
use crate::aws::Writer;
use crate::files;

/// The version of the report's lines: a field added keeps it, a field
/// renamed or removed changes it.
pub const SCHEMA_VERSION: u32 = 1;

/// Where a report goes: `--report FILE` or `--report s3://BUCKET/PREFIX/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportTarget {
    Local(PathBuf),
    S3 { bucket: String, prefix: String },
}

/// `--report` that is neither a file nor `s3://BUCKET/PREFIX`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadTarget(String);

impl FromStr for ReportTarget {
    type Err = BadTarget;

    fn from_str(text: &str) -> Result<Self, BadTarget> {
        let Some(rest) = text.strip_prefix("s3://") else {
            if text.is_empty() {
                return Err(BadTarget(
                    "an empty path: give a FILE or s3://BUCKET/PREFIX/".into(),
                ));
            }
            return Ok(ReportTarget::Local(PathBuf::from(text)));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid = (3..=63).contains(&bucket.len())
            && bucket
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
        if !valid {
            return Err(BadTarget(format!(
                "{text}: not an S3 bucket name (3 to 63 of a-z, 0-9, '-', '.'): give s3://BUCKET/PREFIX/"
            )));
        }
        Ok(ReportTarget::S3 {
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
        })
    }
}

impl ReportTarget {
    /// The key of `plan`'s report under `prefix`: `PREFIX/dt=YYYY-MM-DD/<batch>.jsonl`,
    /// the UTC date the run was planned (a resumed run replaces its object).
    pub fn key(prefix: &str, plan: &BulkPlan) -> String {
        dated_key(prefix, plan.created, &format!("{}.jsonl", plan.batch))
    }
}

/// `PREFIX/dt=YYYY-MM-DD/NAME`, the UTC day of `at`: the partition Athena
/// projects on `dt`.
pub fn dated_key(prefix: &str, at: DateTime<Utc>, name: &str) -> String {
    let name = format!("dt={}/{name}", at.format("%Y-%m-%d"));
    if prefix.is_empty() {
        name
    } else {
        format!("{prefix}/{name}")
    }
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReportLine {
    /// [`SCHEMA_VERSION`].
    #[serde(rename = "schema_version")]
    pub schema_version: u32,
    /// `update` (a drift report's lines say `drift`).
    pub report_type: &'static str,
    /// The bulk run (its batch id), as every journal line of it says.
    pub batch_id: String,
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
                schema_version: SCHEMA_VERSION,
                report_type: "update",
                batch_id: plan.batch.clone(),
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

/// The report as JSON lines.
pub fn to_bytes(lines: &[ReportLine]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        serde_json::to_writer(&mut out, line).expect("a report line always serializes");
        out.write_all(b"\n").expect("writing to memory");
    }
    out
}

/// Writes the report (0600) as JSON lines.
pub fn write(path: &Path, lines: &[ReportLine]) -> std::io::Result<()> {
    files::replace_private(path, &to_bytes(lines))
}

/// Puts the report of `plan` in S3 at [`ReportTarget::key`] with `writer`
/// (the gate's: PutObject is a write, journaled); its `s3://` address, or
/// a line that says what failed and what to do.
pub async fn put_s3(
    writer: &Writer,
    bucket: &str,
    prefix: &str,
    plan: &BulkPlan,
    lines: &[ReportLine],
) -> Result<String, String> {
    let key = ReportTarget::key(prefix, plan);
    put_object(writer, bucket, &key, &to_bytes(lines)).await
}

/// Puts `body` at `s3://BUCKET/KEY` with `writer` (PutObject through the
/// gate, journaled): the address, or what failed and what to do.
pub async fn put_object(
    writer: &Writer,
    bucket: &str,
    key: &str,
    body: &[u8],
) -> Result<String, String> {
    let url = format!("s3://{bucket}/{key}");
    writer
        .put_report(bucket, key, body)
        .await
        .map(|()| url.clone())
        .map_err(|e| {
            let hint = if e.to_string().contains("NoSuchBucket") {
                format!(" — create the bucket (`aws s3 mb s3://{bucket} --profile {}`) or give --report another s3://BUCKET/PREFIX/", writer.profile())
            } else {
                String::new()
            };
            format!("cannot put the report in {url}: {e}{hint}")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_target_is_a_file_or_an_s3_prefix() {
        assert_eq!(
            "out/r.jsonl".parse::<ReportTarget>().unwrap(),
            ReportTarget::Local("out/r.jsonl".into())
        );
        assert_eq!(
            "s3://my-reports/spoke/runs/"
                .parse::<ReportTarget>()
                .unwrap(),
            ReportTarget::S3 {
                bucket: "my-reports".into(),
                prefix: "spoke/runs".into()
            }
        );
        assert_eq!(
            "s3://my-reports".parse::<ReportTarget>().unwrap(),
            ReportTarget::S3 {
                bucket: "my-reports".into(),
                prefix: String::new()
            }
        );
        assert!("s3://My_Bucket/x".parse::<ReportTarget>().is_err());
        assert!("s3:///x".parse::<ReportTarget>().is_err());
    }
}
