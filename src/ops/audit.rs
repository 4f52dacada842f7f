//! An audit: the whole inventory of every account of a selection, saved
//! as a [`Snapshot`] and written as JSON (everything), CSV (one table per
//! screen, in a folder), Markdown (a readable report with a drift
//! summary per account, the version matrix and its charts) or HTML (the
//! same report in one file, charts as inline SVG, for a ticket). Reads
//! only: an audit never builds a writer.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::Utc;
use futures::StreamExt;

use super::fleet::{self, ACCOUNTS_AT_ONCE, Member, Selection};
use super::inventory::scan;
use crate::aws::{AwsError, CallLog, ProfileSource};
use crate::csv;
use crate::files;
use crate::model::{
    AccountSnapshot, Drift, DriftSummary, Inventory, Read, SNAPSHOT_FORMAT, Section, Snapshot,
};

/// Scans every account of `selection` (a whole inventory each, as the
/// console does), [`ACCOUNTS_AT_ONCE`] at a time; an account that cannot
/// be reached or read is kept with the reason.
pub async fn take(
    source: &ProfileSource,
    selection: &Selection,
    region: Option<&str>,
    log: CallLog,
) -> Result<Snapshot, AwsError> {
    let members = fleet::connect(source, selection, region, log).await?;
    let endpoint = members
        .iter()
        .find_map(|m| m.session()?.endpoint().map(str::to_string))
        .map_or_else(|| "AWS".to_string(), |e| format!("the endpoint {e}"));
    let accounts = futures::stream::iter(members.into_iter().map(read).collect::<Vec<_>>())
        .buffered(ACCOUNTS_AT_ONCE)
        .collect()
        .await;
    Ok(Snapshot {
        format: SNAPSHOT_FORMAT,
        taken: Utc::now(),
        tool: format!("spoke {}", env!("CARGO_PKG_VERSION")),
        source: format!("{} on {endpoint}", selection.describe()),
        accounts,
    })
}

/// Stacks whose events are read at once, per account.
const STACKS_AT_ONCE: usize = 8;

async fn read(member: Member) -> AccountSnapshot {
    let (label, account) = (member.label.clone(), member.account.clone());
    let reader = match &member.reach {
        Ok((_, reader)) => reader,
        Err(e) => return AccountSnapshot::unreachable(label, account, e.to_string()),
    };
    let inventory = match scan(reader).await {
        Ok(inventory) => inventory,
        Err(e) => return AccountSnapshot::unreachable(label, account, e.to_string()),
    };
    let stacks: Vec<String> = inventory
        .provisioned
        .iter()
        .filter_map(|p| p.stack_arn.clone())
        .collect();
    let mut snapshot = AccountSnapshot::read(label, inventory);
    let read = futures::stream::iter(stacks.into_iter().map(|stack| async move {
        let events = reader.recent_events(&stack).await;
        (stack, events)
    }))
    .buffer_unordered(STACKS_AT_ONCE)
    .collect::<Vec<_>>()
    .await;
    for (stack, events) in read {
        match events {
            Ok(events) => {
                snapshot.events.insert(stack, events);
            }
            Err(e) => {
                snapshot.events_not_read.insert(stack, e.to_string());
            }
        }
    }
    snapshot
}

/// How a snapshot is written, from the path given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    /// A folder of CSV files, one per screen (a path ending in `/`, or
    /// a folder that exists).
    CsvFolder,
    /// The same CSV files in one `.zip` (deflated).
    CsvZip,
    Markdown,
    /// One HTML file, no network: [`super::audit_html`].
    Html,
}

impl Format {
    /// `.json`, `.md`, or a folder (a path ending in `/`, or one that
    /// exists) for the CSV tables; a `.csv` (one table) is refused with
    /// the folder to give instead, anything else with the choices.
    pub fn of(path: &Path) -> Result<Format, String> {
        if path.as_os_str().to_string_lossy().ends_with('/') || path.is_dir() {
            return Ok(Format::CsvFolder);
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => Ok(Format::Json),
            Some("md") => Ok(Format::Markdown),
            Some("zip") => Ok(Format::CsvZip),
            Some("html") | Some("htm") => Ok(Format::Html),
            // A `.csv` is one table; an audit is several.
            Some("csv") => Err(format!(
                "{}: an audit is several tables, one CSV file each — give a folder for them: {}/",
                path.display(),
                path.with_extension("").display()
            )),
            _ => Err(format!(
                "{}: say the format by the extension — .json (everything), .md (a report), .html (the report in one file, with its charts), or a folder ending in / (CSV tables, one per screen; .zip for them in one file)",
                path.display()
            )),
        }
    }
}

/// Writes `snapshot` to `path` as its extension says; files are readable
/// by the user only. Returns what was written.
pub fn write(snapshot: &Snapshot, path: &Path) -> Result<Vec<PathBuf>, String> {
    let fail = |p: &Path, e: std::io::Error| format!("cannot write {}: {e}", p.display());
    match Format::of(path)? {
        Format::Json => {
            let bytes = serde_json::to_vec_pretty(snapshot).map_err(|e| e.to_string())?;
            files::replace_private(path, &bytes).map_err(|e| fail(path, e))?;
            Ok(vec![path.to_path_buf()])
        }
        Format::Markdown => {
            files::replace_private(path, markdown(snapshot).as_bytes())
                .map_err(|e| fail(path, e))?;
            Ok(vec![path.to_path_buf()])
        }
        Format::Html => {
            files::replace_private(path, super::audit_html::html(snapshot).as_bytes())
                .map_err(|e| fail(path, e))?;
            Ok(vec![path.to_path_buf()])
        }
        Format::CsvFolder => {
            files::create_private_dir(path).map_err(|e| fail(path, e))?;
            let mut written = Vec::new();
            for (name, text) in csv_tables(snapshot) {
                let file = path.join(format!("{name}.csv"));
                files::replace_private(&file, text.as_bytes()).map_err(|e| fail(&file, e))?;
                written.push(file);
            }
            Ok(written)
        }
        Format::CsvZip => {
            let tables: Vec<(String, String)> = csv_tables(snapshot)
                .into_iter()
                .map(|(name, text)| (format!("{name}.csv"), text))
                .collect();
            let bytes = csv::zipped(&tables).map_err(|e| fail(path, e))?;
            files::replace_private(path, &bytes).map_err(|e| fail(path, e))?;
            Ok(vec![path.to_path_buf()])
        }
    }
}

/// Each account's inventory, with its label.
fn inventories(s: &Snapshot) -> impl Iterator<Item = (&str, &Inventory)> {
    s.accounts
        .iter()
        .filter_map(|a| Some((a.label.as_str(), a.inventory.as_ref()?)))
}

/// One CSV table per screen, plus the accounts; every row names its account.
pub fn csv_tables(s: &Snapshot) -> Vec<(&'static str, String)> {
    let date = |d: Option<chrono::DateTime<Utc>>| d.map(|d| d.to_rfc3339()).unwrap_or_default();
    let mut accounts = csv::line(&[
        "label",
        "account",
        "caller",
        "region",
        "scanned_at",
        "unreachable",
        "not_read",
        "portfolios",
        "shares",
        "products",
        "versions",
        "constraints",
        "provisioned",
    ]);
    for a in &s.accounts {
        let inv = a.inventory.as_ref();
        let mut row = vec![
            a.label.clone(),
            a.account.clone().unwrap_or_default(),
            inv.map(|i| i.caller.arn.clone()).unwrap_or_default(),
            inv.map(|i| i.region.clone()).unwrap_or_default(),
            inv.map(|i| i.scanned_at.to_rfc3339()).unwrap_or_default(),
            a.unreachable.clone().unwrap_or_default(),
            inv.map(|i| {
                i.problems
                    .iter()
                    .map(|p| p.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default(),
        ];
        // What was read of each section: read, partly read or not read.
        row.extend(Section::ALL.map(|section| {
            match inv.map(|i| i.read(section)) {
                Some(Read::Whole) => "read",
                Some(Read::Partly(_)) => "partly read",
                Some(Read::Not(_)) | None => "not read",
            }
            .to_string()
        }));
        accounts.push_str(&csv::line(&row));
    }
    let mut portfolios = csv::line(&[
        "account",
        "id",
        "name",
        "origin",
        "provider",
        "created",
        "description",
    ]);
    let mut shares = csv::line(&[
        "account",
        "portfolio_id",
        "kind",
        "principal",
        "state",
        "share_tag_options",
        "share_principals",
    ]);
    let mut products = csv::line(&[
        "account",
        "id",
        "name",
        "owner",
        "type",
        "origin",
        "portfolios",
        "latest",
    ]);
    let mut versions = csv::line(&[
        "account",
        "product_id",
        "id",
        "name",
        "active",
        "deprecated",
        "created",
    ]);
    let mut constraints = csv::line(&[
        "account",
        "id",
        "type",
        "portfolio_id",
        "product_id",
        "owner",
        "inherited",
        "parameters",
    ]);
    let mut provisioned = csv::line(&[
        "account",
        "id",
        "name",
        "product_id",
        "product",
        "version_id",
        "version",
        "latest",
        "drift",
        "behind_by",
        "status",
        "stack",
        "owner",
    ]);
    for (label, inv) in inventories(s) {
        // Where a part was not read, a row says so where its rows would be.
        let mark = |width: usize, at: &[(usize, String)]| {
            let mut row = vec![String::new(); width];
            row[0] = label.to_string();
            for (i, text) in at {
                row[*i] = text.clone();
            }
            csv::line(&row)
        };
        let not_read = |p: &crate::model::Problem| format!("not read: {}", p.message);
        if let Read::Not(p) = inv.read(Section::Portfolios) {
            portfolios.push_str(&mark(7, &[(6, not_read(p))]));
        }
        if let Read::Not(p) = inv.read(Section::Products) {
            products.push_str(&mark(8, &[(2, not_read(p))]));
        }
        if let Read::Not(p) = inv.read(Section::Provisioned) {
            provisioned.push_str(&mark(12, &[(8, "NOT_READ".into()), (9, not_read(p))]));
        }
        for p in &inv.portfolios {
            if p.origin.is_local()
                && let Read::Not(problem) = inv.read_of(Section::Shares, &p.id)
            {
                shares.push_str(&mark(7, &[(1, p.id.clone()), (4, not_read(problem))]));
            }
            if let Read::Not(problem) = inv.read_of(Section::Constraints, &p.id) {
                constraints.push_str(&mark(8, &[(3, p.id.clone()), (7, not_read(problem))]));
            }
        }
        for p in &inv.products {
            if let Read::Not(problem) = inv.read_of(Section::Versions, &p.id) {
                versions.push_str(&mark(7, &[(1, p.id.clone()), (3, not_read(problem))]));
            }
        }
        for p in &inv.portfolios {
            portfolios.push_str(&csv::line(&[
                label.to_string(),
                p.id.clone(),
                p.name.clone(),
                p.origin.describe(),
                p.provider.clone().unwrap_or_default(),
                date(p.created),
                p.description.clone().unwrap_or_default(),
            ]));
        }
        for sh in &inv.shares {
            shares.push_str(&csv::line(&[
                label.to_string(),
                sh.portfolio_id.clone(),
                sh.kind.label().to_string(),
                sh.principal.clone(),
                sh.state().to_string(),
                sh.share_tag_options.to_string(),
                sh.share_principals.to_string(),
            ]));
        }
        for p in &inv.products {
            products.push_str(&csv::line(&[
                label.to_string(),
                p.id.clone(),
                p.name.clone(),
                p.owner.clone(),
                p.product_type.clone(),
                p.origin.describe(),
                p.portfolio_ids.join(" "),
                if inv.read_of(Section::Versions, &p.id).is_read() {
                    p.latest_version()
                        .map(|v| v.name.clone())
                        .unwrap_or_default()
                } else {
                    "not read".into()
                },
            ]));
            for v in &p.versions {
                versions.push_str(&csv::line(&[
                    label.to_string(),
                    p.id.clone(),
                    v.id.clone(),
                    v.name.clone(),
                    v.active.to_string(),
                    v.deprecated.to_string(),
                    date(v.created),
                ]));
            }
        }
        for c in &inv.constraints {
            constraints.push_str(&csv::line(&[
                label.to_string(),
                c.id.clone(),
                c.kind.to_string(),
                c.portfolio_id.clone(),
                c.product_id.clone(),
                c.owner.clone(),
                c.inherited.to_string(),
                c.params.as_ref().map(|p| p.summary()).unwrap_or_default(),
            ]));
        }
        for pp in &inv.provisioned {
            let product = inv.products.iter().find(|p| p.id == pp.product_id);
            provisioned.push_str(&csv::line(&[
                label.to_string(),
                pp.id.clone(),
                pp.name.clone(),
                pp.product_id.clone(),
                pp.product_name
                    .clone()
                    .or_else(|| product.map(|p| p.name.clone()))
                    .unwrap_or_default(),
                pp.version_id.clone(),
                product
                    .and_then(|p| p.version(&pp.version_id))
                    .map(|v| v.name.clone())
                    .or_else(|| pp.version_name.clone())
                    .unwrap_or_default(),
                product
                    .and_then(|p| p.latest_version())
                    .map(|v| v.name.clone())
                    .unwrap_or_default(),
                inv.drift_of(&pp.id).state().to_string(),
                inv.drift_of(&pp.id)
                    .behind_by()
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                pp.status.to_string(),
                pp.stack_arn.clone().unwrap_or_default(),
                pp.owner.clone().unwrap_or_default(),
            ]));
        }
    }
    let mut events = csv::line(&[
        "account",
        "provisioned_id",
        "provisioned",
        "stack_id",
        "time",
        "logical_id",
        "resource_type",
        "status",
        "reason",
        "event_id",
    ]);
    for a in &s.accounts {
        let Some(inv) = &a.inventory else { continue };
        for pp in &inv.provisioned {
            let Some(stack) = &pp.stack_arn else { continue };
            let row =
                |time: String, logical: &str, kind: &str, status: &str, reason: &str, id: &str| {
                    csv::line(&[
                        a.label.clone(),
                        pp.id.clone(),
                        pp.name.clone(),
                        stack.clone(),
                        time,
                        logical.to_string(),
                        kind.to_string(),
                        status.to_string(),
                        reason.to_string(),
                        id.to_string(),
                    ])
                };
            if let Some(why) = a.events_not_read.get(stack) {
                events.push_str(&row(String::new(), "", "", "not read", why, ""));
            }
            for e in a.events.get(stack).into_iter().flatten() {
                events.push_str(&row(
                    e.timestamp.to_rfc3339(),
                    &e.logical_id,
                    &e.resource_type,
                    &e.status,
                    e.reason.as_deref().unwrap_or_default(),
                    &e.event_id,
                ));
            }
        }
    }
    vec![
        ("accounts", accounts),
        ("portfolios", portfolios),
        ("shares", shares),
        ("products", products),
        ("versions", versions),
        ("constraints", constraints),
        ("provisioned", provisioned),
        ("events", events),
    ]
}

/// "Partly read: …" or "Not read: …" for a section read with a gap.
fn gap(read: Read<'_>) -> Option<String> {
    match read {
        Read::Whole => None,
        Read::Partly(p) => Some(format!("Partly read: {}", p.message)),
        Read::Not(p) => Some(format!("Not read: {}", p.message)),
    }
}

/// Markdown cell text: pipes and line breaks cannot break the table.
fn md(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The fleet's drift per account as a chart, the version matrix, and each
/// product's versions across the fleet (Mermaid, with the same as text
/// bars for where Mermaid is not drawn).
fn fleet_charts(out: &mut String, s: &Snapshot) {
    use super::charts;
    let accounts: Vec<crate::model::AccountDrift> =
        s.accounts.iter().map(AccountSnapshot::drift).collect();
    let matrix = crate::model::matrix::Matrix::of(&accounts);
    let bars = charts::drift_per_account(&accounts);
    let _ = writeln!(out, "\n### Drifted provisioned products per account\n");
    out.push_str(&charts::mermaid(
        "Drifted provisioned products per account",
        "drifted",
        &bars,
    ));
    let _ = writeln!(out, "\n```text\n{}```", charts::text_bars(&bars, 40));
    let unread = accounts.iter().filter(|a| a.unreachable.is_some()).count();
    if unread > 0 {
        let _ = writeln!(out, "\n{unread} account(s) not read: not in the chart.");
    }
    let _ = writeln!(out, "\n## Version matrix\n");
    out.push_str(&matrix.to_markdown());
    let _ = writeln!(out, "\n## Versions across the fleet\n");
    for p in &matrix.products {
        let _ = writeln!(
            out,
            "**{}** (latest {}): {} provisioned, {} drift\n",
            md(&p.name),
            p.latest.as_deref().unwrap_or("not read"),
            p.provisioned,
            p.drifted
        );
        let _ = writeln!(
            out,
            "```text\n{}```\n",
            charts::text_bars(&charts::versions_of(p), 30)
        );
    }
}

/// A readable report: where and when, a drift summary table per account,
/// then each account's portfolios, drifted provisioned products and what
/// could not be read.
pub fn markdown(s: &Snapshot) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Service Catalog audit\n");
    let _ = writeln!(
        out,
        "Taken {} by {} from {}.\n",
        s.taken.format("%Y-%m-%d %H:%M:%S UTC"),
        md(&s.tool),
        md(&s.source)
    );
    let _ = writeln!(out, "## Drift by account\n");
    let _ = writeln!(
        out,
        "| account | id | provisioned | current | behind | on deprecated | on inactive | unknown | tainted | versions not read |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|---|");
    for a in &s.accounts {
        match &a.inventory {
            Some(inv) => match inv.read(Section::Provisioned) {
                // No counts for what was not read: a 0 would say "none".
                Read::Not(p) => {
                    let _ = writeln!(
                        out,
                        "| {} | {} | not read: {} | | | | | | | |",
                        md(&a.label),
                        inv.account,
                        md(&p.message)
                    );
                }
                _ => {
                    let d: DriftSummary = inv
                        .provisioned
                        .iter()
                        .map(|p| inv.drift_of(&p.id))
                        .collect();
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                        md(&a.label),
                        inv.account,
                        d.total,
                        d.current,
                        d.behind,
                        d.on_deprecated,
                        d.on_inactive,
                        d.unknown,
                        d.tainted,
                        d.not_read
                    );
                }
            },
            None => {
                let _ = writeln!(
                    out,
                    "| {} | {} | not read: {} | | | | | | | |",
                    md(&a.label),
                    a.account.clone().unwrap_or_default(),
                    md(a.unreachable.as_deref().unwrap_or(""))
                );
            }
        }
    }
    fleet_charts(&mut out, s);
    for a in &s.accounts {
        let (label, Some(inv)) = (a.label.as_str(), &a.inventory) else {
            continue;
        };
        let _ = writeln!(out, "\n## {} ({})\n", md(label), inv.account);
        let _ = writeln!(
            out,
            "Caller `{}` in {}, scanned {}.\n",
            inv.caller.arn,
            inv.region,
            inv.scanned_at.format("%Y-%m-%d %H:%M:%S UTC")
        );
        if a.has_gaps() {
            let _ = writeln!(out, "Not read:\n");
            for p in &inv.problems {
                let _ = writeln!(out, "- {}", md(&p.message));
            }
            for (stack, why) in &a.events_not_read {
                let name = inv
                    .provisioned
                    .iter()
                    .find(|p| p.stack_arn.as_deref() == Some(stack))
                    .map_or(stack.as_str(), |p| p.name.as_str());
                let _ = writeln!(out, "- the stack events of {}: {}", md(name), md(why));
            }
            out.push('\n');
        }
        let _ = writeln!(out, "### Portfolios\n");
        if let Some(p) = gap(inv.read(Section::Portfolios)) {
            let _ = writeln!(out, "{}\n", md(&p));
        }
        let _ = writeln!(out, "| name | id | origin | shares |");
        let _ = writeln!(out, "|---|---|---|---|");
        for p in &inv.portfolios {
            let shares: Vec<String> = inv
                .shares
                .iter()
                .filter(|sh| sh.portfolio_id == p.id)
                .map(|sh| format!("{} ({})", sh.principal, sh.state()))
                .collect();
            let shares = match inv.read_of(Section::Shares, &p.id) {
                _ if !p.origin.is_local() => "—".to_string(),
                Read::Not(problem) => format!("not read: {}", problem.message),
                _ => shares.join(", "),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md(&p.name),
                p.id,
                md(&p.origin.describe()),
                md(&shares)
            );
        }
        if let Read::Not(p) = inv.read(Section::Provisioned) {
            let _ = writeln!(
                out,
                "\n### Drifted provisioned products\n\nNot read: {}",
                md(&p.message)
            );
            continue;
        }
        let unread: Vec<&str> = inv
            .provisioned
            .iter()
            .filter(|p| inv.drift_of(&p.id) == Drift::NotRead)
            .map(|p| p.name.as_str())
            .collect();
        let drifted: Vec<_> = inv
            .provisioned
            .iter()
            .filter(|p| inv.drift_of(&p.id).drifts())
            .collect();
        let _ = writeln!(
            out,
            "\n### Drifted provisioned products ({})\n",
            drifted.len()
        );
        if !unread.is_empty() {
            let _ = writeln!(
                out,
                "Drift not read (their products' versions were not read): {}\n",
                md(&unread.join(", "))
            );
        }
        if !drifted.is_empty() {
            let _ = writeln!(
                out,
                "| name | product | version | latest | drift | status |"
            );
            let _ = writeln!(out, "|---|---|---|---|---|---|");
            for pp in drifted {
                let product = inv.products.iter().find(|p| p.id == pp.product_id);
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    md(&pp.name),
                    md(&pp
                        .product_name
                        .clone()
                        .or_else(|| product.map(|p| p.name.clone()))
                        .unwrap_or_default()),
                    md(&product
                        .and_then(|p| p.version(&pp.version_id))
                        .map(|v| v.name.clone())
                        .unwrap_or_else(|| pp.version_id.clone())),
                    md(&product
                        .and_then(|p| p.latest_version())
                        .map(|v| v.name.clone())
                        .unwrap_or_default()),
                    inv.drift_of(&pp.id),
                    pp.status
                );
            }
        }
    }
    out
}
