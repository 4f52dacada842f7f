//! `spoke drift`: the version drift of every provisioned product of one
//! account or a fleet, as a table, JSON or CSV. Exit 3 when something
//! drifts, 1 when nothing drifts but an account could not be read (no
//! clean bill of health without every account), 0 otherwise.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{CommandError, Context, EXIT_DRIFT, EXIT_FAILED, clean, fleet};
use crate::cli::{Cli, DriftArgs, DriftFormat};
use crate::model::{AccountDrift, Drift, DriftRow, DriftSummary};
use crate::ops::bulk::report::ReportTarget;
use crate::ops::drift_report;
use crate::output::color::{self, Paint};

pub async fn run(cli: &Cli, args: &DriftArgs) -> Result<(), CommandError> {
    if args.resources {
        return super::resource_drift::run(cli, args).await;
    }
    let to_s3 = matches!(args.report, Some(ReportTarget::S3 { .. }));
    if args.yes && !to_s3 {
        return Err(CommandError::refused(
            "--yes: nothing here to do with it — it goes with --resources (detect drift now) or --report s3://BUCKET/PREFIX/ (put the report); nothing was sent",
        ));
    }
    let ctx = Context::new(cli)?;
    if args.yes {
        ctx.refuse_if_read_only("put the drift report in S3")?;
    }
    let selection = fleet::selection(cli, &ctx);
    let machine = !matches!(args.format, DriftFormat::Table);
    let scanned = Utc::now();
    let (_, accounts) = fleet::scan(&ctx, &selection, machine).await?;
    let shown = |r: &&DriftRow| !args.drifted_only || r.drifts();
    let put = match &args.report {
        Some(target) => report(&ctx, args, target, &accounts, &shown, scanned).await,
        None => Ok(()),
    };
    let text = match args.format {
        DriftFormat::Table => table(&accounts, &shown),
        DriftFormat::Json => json(&accounts, &shown),
        DriftFormat::Csv => csv(&accounts, &shown),
    };
    print!("{text}");
    if args.format == DriftFormat::Json {
        crate::output::json::document_written();
    }
    // The report was asked for: its failure is the command's, before drift.
    put?;
    let drifted: usize = accounts.iter().map(AccountDrift::drifted).sum();
    let gaps = gaps(&accounts);
    if drifted > 0 {
        Err(CommandError {
            code: EXIT_DRIFT,
            lines: vec![format!(
                "{drifted} provisioned product{}{}",
                if drifted == 1 { " drifts" } else { "s drift" },
                gaps.as_ref()
                    .map(|g| format!(" (and {g})"))
                    .unwrap_or_default()
            )],
        })
    } else if let Some(gaps) = gaps {
        Err(CommandError::new(
            EXIT_FAILED,
            format!("nothing drifts in what was read, but {gaps}"),
        ))
    } else {
        Ok(())
    }
}

/// Writes the drift report: to a file at once; to S3 only with `--yes`,
/// through the gate of the session's own account (PutObject, journaled).
async fn report(
    ctx: &Context,
    args: &DriftArgs,
    target: &ReportTarget,
    accounts: &[AccountDrift],
    shown: &dyn Fn(&&DriftRow) -> bool,
    scanned: DateTime<Utc>,
) -> Result<(), CommandError> {
    let scan_id = scanned.format("%Y%m%dT%H%M%S%.3fZ").to_string();
    let lines = drift_report::lines(accounts, shown, &scan_id, scanned);
    // On stderr: stdout carries the drift itself, in the format asked for.
    let say = |line: String| {
        if !crate::output::quiet() {
            eprintln!("{line}");
        }
    };
    match target {
        ReportTarget::Local(path) => {
            drift_report::write(path, &lines).map_err(|e| {
                CommandError::failed(format!(
                    "cannot write the drift report {}: {e} — give --report another path",
                    path.display()
                ))
            })?;
            crate::output::json::set("report_file", path.display().to_string().into());
            say(format!(
                "Report: {} ({} lines)",
                path.display(),
                lines.len()
            ));
            Ok(())
        }
        ReportTarget::S3 { bucket, prefix } => {
            let key = drift_report::key(prefix, &scan_id, scanned);
            if !args.yes {
                say(format!(
                    "Report not put: s3://{bucket}/{key} is a write (PutObject) — add --yes to put it; nothing changed"
                ));
                return Ok(());
            }
            let conn = ctx.connect_saying(true).await?;
            let writer = super::writer(&conn, &format!("put the drift report in s3://{bucket}/"))?;
            let url = drift_report::put_s3(writer, bucket, prefix, &scan_id, scanned, &lines)
                .await
                .map_err(|e| CommandError::failed(clean(&e)))?;
            crate::output::json::set("report_url", url.clone().into());
            say(format!("Report: {url} ({} lines)", lines.len()));
            Ok(())
        }
    }
}

/// "1 account could not be read, the versions of 2 provisioned products
/// were not read": what keeps this from being a clean bill of health.
fn gaps(accounts: &[AccountDrift]) -> Option<String> {
    let unreachable = accounts.iter().filter(|a| a.unreachable.is_some()).count();
    let not_read: usize = accounts.iter().map(|a| a.summary().not_read).sum();
    let mut parts = Vec::new();
    if unreachable > 0 {
        parts.push(format!(
            "{unreachable} account{} could not be read",
            if unreachable == 1 { "" } else { "s" }
        ));
    }
    if not_read > 0 {
        parts.push(format!(
            "the versions of {not_read} provisioned product{} were not read (drift NOT_READ)",
            if not_read == 1 { "" } else { "s" }
        ));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

const HEADER: [&str; 9] = [
    "ACCOUNT",
    "ACCOUNT ID",
    "PROVISIONED",
    "ID",
    "PRODUCT",
    "VERSION",
    "LATEST",
    "DRIFT",
    "STATUS",
];

fn cells(a: &AccountDrift, r: &DriftRow) -> [String; 9] {
    let p = &r.provisioned;
    [
        a.label.clone(),
        a.account.clone().unwrap_or_default(),
        p.name.clone(),
        p.id.clone(),
        p.product_name
            .clone()
            .unwrap_or_else(|| p.product_id.clone()),
        r.version_name.clone(),
        r.latest
            .as_ref()
            .map(|v| v.name.clone())
            .unwrap_or_default(),
        r.drift.to_string(),
        p.status.to_string(),
    ]
    .map(|c| clean(&c))
}

/// How a row of this drift stands out, in colour (`--color`).
fn drift_paint(drift: Drift) -> Option<Paint> {
    match drift {
        Drift::Current => None,
        Drift::Behind(_) | Drift::OnDeprecated => Some(Paint::Warn),
        Drift::OnInactive | Drift::Tainted => Some(Paint::Bad),
        Drift::Unknown | Drift::NotRead => Some(Paint::Dim),
    }
}

/// Aligned columns (coloured by drift when colour is on), then one
/// summary line per account.
pub fn table(accounts: &[AccountDrift], shown: &dyn Fn(&&DriftRow) -> bool) -> String {
    let mut rows: Vec<[String; 9]> = vec![HEADER.map(str::to_string)];
    let mut paints = vec![Some(Paint::Header)];
    for a in accounts {
        for r in a.rows.iter().filter(shown) {
            rows.push(cells(a, r));
            paints.push(drift_paint(r.drift));
        }
    }
    let mut out = String::new();
    for (line, paint) in super::aligned(&rows).lines().zip(paints) {
        match paint {
            Some(p) => out.push_str(&color::paint(line, p)),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out.push('\n');
    let mut total = DriftSummary::default();
    for a in accounts {
        let account = a
            .account
            .as_ref()
            .map(|id| format!(" ({id})"))
            .unwrap_or_default();
        match &a.unreachable {
            Some(why) => out.push_str(&format!(
                "{}{account}: NOT READ — {}\n",
                clean(&a.label),
                clean(why)
            )),
            None => {
                let s = a.summary();
                for r in &a.rows {
                    total.add(r.drift);
                }
                out.push_str(&format!(
                    "{}{account}: {} drifted — {s}\n",
                    clean(&a.label),
                    a.drifted()
                ));
                for p in &a.problems {
                    out.push_str(&format!("  could not read {}\n", clean(p)));
                }
            }
        }
    }
    if accounts.len() > 1 {
        let read = accounts.iter().filter(|a| a.unreachable.is_none()).count();
        let drifted: usize = accounts.iter().map(AccountDrift::drifted).sum();
        let scope = if read == accounts.len() {
            format!("all {read} accounts")
        } else {
            format!("{read} of {} accounts read", accounts.len())
        };
        out.push_str(&format!("{scope}: {drifted} drifted — {total}\n"));
    }
    out
}

#[derive(Serialize)]
// The fields in alphabetical order, as a JSON object's keys come out.
struct JsonAccount<'a> {
    account: Option<&'a str>,
    drifted: usize,
    label: &'a str,
    problems: &'a [String],
    provisioned: Vec<JsonRow<'a>>,
    unreachable: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    behind_by: Option<usize>,
    /// The state alone (`BEHIND`), how far in `behind_by`.
    drift: &'static str,
    id: &'a str,
    latest_version_id: Option<&'a str>,
    latest_version_name: Option<&'a str>,
    name: &'a str,
    product_id: &'a str,
    product_name: Option<&'a str>,
    stack_arn: Option<&'a str>,
    status: String,
    version_id: &'a str,
    version_name: &'a str,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    accounts: Vec<JsonAccount<'a>>,
}

/// `{"accounts": [{label, account, unreachable, problems, drifted, provisioned: […]}]}`.
pub fn json(accounts: &[AccountDrift], shown: &dyn Fn(&&DriftRow) -> bool) -> String {
    let list: Vec<JsonAccount<'_>> = accounts
        .iter()
        .map(|a| JsonAccount {
            label: &a.label,
            account: a.account.as_deref(),
            unreachable: a.unreachable.as_deref(),
            problems: &a.problems,
            drifted: a.drifted(),
            provisioned: a
                .rows
                .iter()
                .filter(shown)
                .map(|r| JsonRow {
                    id: &r.provisioned.id,
                    name: &r.provisioned.name,
                    product_id: &r.provisioned.product_id,
                    product_name: r.provisioned.product_name.as_deref(),
                    version_id: &r.provisioned.version_id,
                    version_name: &r.version_name,
                    latest_version_id: r.latest.as_ref().map(|v| v.id.as_str()),
                    latest_version_name: r.latest.as_ref().map(|v| v.name.as_str()),
                    drift: r.drift.state(),
                    behind_by: r.drift.behind_by(),
                    status: r.provisioned.status.to_string(),
                    stack_arn: r.provisioned.stack_arn.as_deref(),
                })
                .collect(),
        })
        .collect();
    // Written straight from the rows (no JSON tree built first: 50,000
    // rows of an organization would be copied once more).
    let mut text = serde_json::to_string_pretty(&JsonOut { accounts: list })
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// One row per provisioned product, DRIFT the state alone and BEHIND BY
/// how far (machines read fields, not `BEHIND 2`); an account that could
/// not be read (reached or not) is a row with DRIFT `NOT_READ` and the
/// reason in STATUS.
pub fn csv(accounts: &[AccountDrift], shown: &dyn Fn(&&DriftRow) -> bool) -> String {
    let mut out = String::new();
    let mut line = |cells: &[String]| out.push_str(&crate::csv::line(cells));
    // The table's columns with BEHIND BY after DRIFT.
    let split = |mut cells: Vec<String>, drift: &str, by: Option<usize>| {
        cells[7] = drift.to_string();
        cells.insert(8, by.map(|n| n.to_string()).unwrap_or_default());
        cells
    };
    let mut header: Vec<String> = HEADER.iter().map(|h| h.to_string()).collect();
    header.insert(8, "BEHIND BY".into());
    line(&header);
    for a in accounts {
        if let Some(why) = &a.unreachable {
            let mut row = vec![String::new(); HEADER.len()];
            row[0] = a.label.clone();
            row[1] = a.account.clone().unwrap_or_default();
            row[8] = why.clone();
            line(&split(row, "NOT_READ", None));
        }
        for r in a.rows.iter().filter(shown) {
            line(&split(
                cells(a, r).to_vec(),
                r.drift.state(),
                r.drift.behind_by(),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PpStatus;
    use crate::model::product::tests::version;
    use crate::model::provisioned::tests::pp;

    /// Written straight from the rows, the JSON is what a JSON tree of
    /// it prints: every object's keys in order, nothing lost.
    #[test]
    fn json_is_written_as_a_tree_of_it_would_be() {
        let versions = vec![
            version("pa-1", Some(1), true, false),
            version("pa-2", Some(2), true, false),
        ];
        let rows = vec![
            DriftRow::new(
                "spoke",
                pp("pp-1", "pa-1", PpStatus::Available),
                Some(&versions),
            ),
            DriftRow::new("spoke", pp("pp-2", "pa-2", PpStatus::Tainted), None),
        ];
        let accounts = vec![
            AccountDrift {
                label: "spoke".into(),
                account: Some("222233334444".into()),
                rows,
                versions: Default::default(),
                problems: vec!["versions of prod-x: denied".into()],
                unreachable: None,
            },
            AccountDrift::unreachable("gone", None, "AccessDenied".into()),
        ];
        let text = json(&accounts, &|_| true);
        let tree: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            text,
            format!(
                "{}\n",
                serde_json::to_string_pretty(&tree).expect("printed")
            )
        );
        assert_eq!(tree["accounts"][0]["provisioned"][0]["drift"], "BEHIND");
        assert_eq!(tree["accounts"][0]["provisioned"][0]["behind_by"], 1);
        assert_eq!(tree["accounts"][1]["unreachable"], "AccessDenied");
    }
}
