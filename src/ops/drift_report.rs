//! `spoke drift --report FILE|s3://BUCKET/PREFIX/`: the version drift of a
//! scan as JSON lines, one per provisioned product, with the field names of
//! the bulk update's report (so one Athena table reads both, told apart by
//! `ReportType`), each with `schema_version`. An account that could not be
//! read is a line of its own (`DriftStatus` ACCOUNT_NOT_READ and why), never
//! left out: an empty report would read as "nothing drifts".
//!
//! To S3 under `PREFIX/dt=YYYY-MM-DD/drift-<scan>.jsonl` (the UTC day of the
//! scan), through the gate (PutObject is a write, journaled) and only with
//! `--yes`; to a local file (0600) without.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::bulk::report::{self, SCHEMA_VERSION};
use crate::aws::Writer;
use crate::model::{AccountDrift, DriftRow};

/// One line of the drift report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DriftLine {
    #[serde(rename = "schema_version")]
    pub schema_version: u32,
    /// `drift` (the bulk update's lines say `update`).
    pub report_type: &'static str,
    /// This scan, as the object's name says it.
    pub scan_id: String,
    pub scanned_time: DateTime<Utc>,
    /// The profile, or the account's name in organization mode.
    pub account_label: String,
    /// Empty when the account's id is not known (it could not be reached).
    pub account_no: String,
    pub provisioned_product_name: String,
    pub provisioned_product_id: String,
    pub product_id: String,
    pub product_name: String,
    pub provisioned_version: String,
    pub provisioned_version_name: String,
    pub latest_version_id: String,
    pub latest_version_name: String,
    /// CURRENT, BEHIND, DEPRECATED, … as `spoke drift` says it;
    /// ACCOUNT_NOT_READ for an account's own line.
    pub drift_status: String,
    /// How many versions behind, when BEHIND.
    pub behind_by: Option<usize>,
    /// The provisioned product's status (AVAILABLE, TAINTED, …).
    pub provisioned_product_status: String,
    pub stack_arn: String,
    /// Why an account (or part of it) was not read.
    pub errors: String,
}

/// The lines of a scan: a line per provisioned product `shown`, and one
/// per account that could not be read.
pub fn lines(
    accounts: &[AccountDrift],
    shown: &dyn Fn(&&DriftRow) -> bool,
    scan_id: &str,
    scanned: DateTime<Utc>,
) -> Vec<DriftLine> {
    let mut out = Vec::new();
    for account in accounts {
        // What every line of the account says; each row fills in the rest.
        let base = DriftLine {
            schema_version: SCHEMA_VERSION,
            report_type: "drift",
            scan_id: scan_id.to_string(),
            scanned_time: scanned,
            account_label: account.label.clone(),
            account_no: account.account.clone().unwrap_or_default(),
            provisioned_product_name: String::new(),
            provisioned_product_id: String::new(),
            product_id: String::new(),
            product_name: String::new(),
            provisioned_version: String::new(),
            provisioned_version_name: String::new(),
            latest_version_id: String::new(),
            latest_version_name: String::new(),
            drift_status: String::new(),
            behind_by: None,
            provisioned_product_status: String::new(),
            stack_arn: String::new(),
            errors: account.problems.join("; "),
        };
        if let Some(why) = &account.unreachable {
            out.push(DriftLine {
                drift_status: "ACCOUNT_NOT_READ".into(),
                errors: why.clone(),
                ..base
            });
            continue;
        }
        for row in account.rows.iter().filter(shown) {
            let pp = &row.provisioned;
            let latest = row.latest.as_ref();
            out.push(DriftLine {
                provisioned_product_name: pp.name.clone(),
                provisioned_product_id: pp.id.clone(),
                product_id: pp.product_id.clone(),
                product_name: pp.product_name.clone().unwrap_or_default(),
                provisioned_version: pp.version_id.clone(),
                provisioned_version_name: row.version_name.clone(),
                latest_version_id: latest.map(|v| v.id.clone()).unwrap_or_default(),
                latest_version_name: latest.map(|v| v.name.clone()).unwrap_or_default(),
                drift_status: row.drift.state().to_string(),
                behind_by: row.drift.behind_by(),
                provisioned_product_status: pp.status.to_string(),
                stack_arn: pp.stack_arn.clone().unwrap_or_default(),
                ..base.clone()
            });
        }
    }
    out
}

/// The report as JSON lines.
pub fn to_bytes(lines: &[DriftLine]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        serde_json::to_writer(&mut out, line).expect("a report line always serializes");
        out.push(b'\n');
    }
    out
}

/// The object's key under `prefix`: `PREFIX/dt=YYYY-MM-DD/drift-<scan>.jsonl`.
pub fn key(prefix: &str, scan_id: &str, scanned: DateTime<Utc>) -> String {
    report::dated_key(prefix, scanned, &format!("drift-{scan_id}.jsonl"))
}

/// Writes the report to a local file (0600).
pub fn write(path: &std::path::Path, lines: &[DriftLine]) -> std::io::Result<()> {
    crate::files::replace_private(path, &to_bytes(lines))
}

/// Puts the report in S3 with `writer` (the gate's): its `s3://` address,
/// or a line saying what failed and what to do.
pub async fn put_s3(
    writer: &Writer,
    bucket: &str,
    prefix: &str,
    scan_id: &str,
    scanned: DateTime<Utc>,
    lines: &[DriftLine],
) -> Result<String, String> {
    let key = key(prefix, scan_id, scanned);
    report::put_object(writer, bucket, &key, &to_bytes(lines)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_dated_by_the_scan() {
        let at = "2026-12-07T10:00:00Z".parse().unwrap();
        assert_eq!(
            key("spoke/drift", "20261207T100000Z", at),
            "spoke/drift/dt=2026-12-07/drift-20261207T100000Z.jsonl"
        );
        assert_eq!(key("", "x", at), "dt=2026-12-07/drift-x.jsonl");
    }

    #[test]
    fn an_account_not_read_has_a_line_of_its_own() {
        let accounts = vec![AccountDrift::unreachable(
            "spoke-prod",
            Some("333344445555".into()),
            "AccessDenied".into(),
        )];
        let at = Utc::now();
        let lines = lines(&accounts, &|_| true, "s", at);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].drift_status, "ACCOUNT_NOT_READ");
        assert_eq!(lines[0].errors, "AccessDenied");
        let text = String::from_utf8(to_bytes(&lines)).unwrap();
        let back: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
        assert_eq!(back["AccountNo"], "333344445555");
        assert_eq!(back["schema_version"], 1);
        assert_eq!(back["ReportType"], "drift");
    }
}
