//! The provisioned products screen: what was launched from the catalog,
//! on which version, and how far behind the latest it is. Drifted rows
//! stand out: the row's tone comes from its drift.

use std::collections::HashMap;

use crate::model::{Drift, DriftSummary, Product};
use crate::tui::screens::{Catalog, FleetCatalog, Scope};
use crate::tui::theme::DriftTone;
use crate::tui::views::{date, opt};
use crate::tui::widgets::table::{Cell, Column, RowTone, SortKey, TableRow, Tone, Width};

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Name", Width::Fill(2)),
        Column::new("Id", Width::Auto { min: 8, max: 24 }),
        Column::new("Product", Width::Fill(2)),
        Column::new("Version", Width::Auto { min: 7, max: 24 }),
        Column::new("Latest", Width::Auto { min: 6, max: 20 }),
        // "BEHIND 1" whole: the number is the point.
        Column::new("Drift", Width::Auto { min: 8, max: 13 }).sort(SortKey::Value),
        Column::new("Status", Width::Auto { min: 6, max: 16 }),
        // What the AWS console lists too, where the terminal has room.
        Column::new("Created", Width::Fixed(10))
            .sort(SortKey::Value)
            .wide(),
        Column::new("Last record", Width::Auto { min: 11, max: 24 }).wide(),
        Column::new("Owner", Width::Auto { min: 5, max: 40 }).wide(),
        Column::new("Auto-update", Width::Auto { min: 4, max: 11 })
            .sort(SortKey::Value)
            .wide(),
    ]
}

/// The cells of the wide columns: when it was launched, its last request
/// and who launched it (the ARN's resource part, `assumed-role/Ops/jane`).
fn wide_cells(pp: &crate::model::ProvisionedProduct) -> [Cell; 3] {
    let owner = pp
        .owner
        .as_deref()
        .map_or("", |arn| arn.splitn(6, ':').nth(5).unwrap_or(arn));
    [
        Cell::new(
            pp.created
                .map_or_else(|| "—".into(), |t| t.format("%Y-%m-%d").to_string()),
        )
        .value(pp.created.map_or(0, |t| t.timestamp())),
        Cell::new(opt(&pp.last_record_id)),
        Cell::new(owner),
    ]
}

/// The columns of a fleet: the account first.
pub fn fleet_columns() -> Vec<Column> {
    let mut all = vec![Column::new("Account", Width::Auto { min: 7, max: 24 })];
    all.extend(columns());
    all
}

/// A fleet's rows: every provisioned product of every account scanned, and
/// one row per account that could not be read, with the reason.
fn fleet_rows(fleet: &FleetCatalog, scope: &Scope) -> Vec<TableRow> {
    // A cell of the matrix: one product in one account.
    let only_accounts = match scope {
        Scope::Cell { within, .. } => Some(within.as_slice()),
        _ => None,
    };
    let (product, version) = match scope {
        Scope::Product { id, .. } => (Some(id.as_str()), None),
        Scope::Cell { product_id, .. } => (Some(product_id.as_str()), None),
        Scope::Version {
            product_id,
            version_id,
            ..
        } => (Some(product_id.as_str()), Some(version_id.as_str())),
        _ => (None, None),
    };
    let mut rows = Vec::new();
    for account in fleet
        .accounts()
        .iter()
        .filter(|a| only_accounts.is_none_or(|within| within.contains(&a.label)))
    {
        if let Some(why) = &account.unreachable {
            rows.push(
                TableRow::new(
                    format!("account:{}", account.label),
                    vec![
                        Cell::new(account.label.clone()),
                        Cell::new("— not reachable —"),
                        Cell::new(account.account.clone().unwrap_or_default()),
                        Cell::new(why.clone()),
                        Cell::new(""),
                        Cell::new(""),
                        Cell::new("UNREACHABLE").value(-1),
                        Cell::new(""),
                        Cell::new(""),
                        Cell::new(""),
                        Cell::new(""),
                        Cell::new(""),
                    ],
                )
                .tone(DriftTone::from(Drift::Tainted).row()),
            );
            continue;
        }
        for r in account
            .rows
            .iter()
            .filter(|r| product.is_none_or(|id| r.provisioned.product_id == id))
            .filter(|r| version.is_none_or(|v| r.provisioned.version_id == v))
        {
            let pp = &r.provisioned;
            let tone = DriftTone::from(r.drift);
            let status = Cell::new(pp.status.to_string());
            let status = if pp.status.is_in_progress() {
                status.tone(Tone::Event(crate::tui::theme::EventTone::InProgress))
            } else {
                status
            };
            let mut cells = vec![
                Cell::new(account.label.clone()),
                Cell::new(pp.name.clone()),
                Cell::new(pp.id.clone()),
                Cell::new(
                    pp.product_name
                        .clone()
                        .unwrap_or_else(|| pp.product_id.clone()),
                ),
                Cell::new(r.version_name.clone()),
                match (&r.latest, r.drift) {
                    (_, Drift::NotRead) => crate::tui::views::not_read_cell(),
                    (Some(v), _) => Cell::new(v.name.clone()),
                    (None, _) => Cell::new("—"),
                },
                Cell::new(drift_label(r.drift))
                    .tone(Tone::Drift(tone))
                    .value(r.drift.severity() as i64),
                status,
            ];
            cells.extend(wide_cells(pp));
            // A fleet reads no product's TagOptions: only the tag is known.
            cells.push(crate::tui::views::auto_update_cell(None, Some(pp), false));
            rows.push(TableRow::new(pp.id.clone(), cells).tone(tone.row()));
        }
    }
    rows
}

pub fn rows(catalog: &Catalog, scope: &Scope) -> Vec<TableRow> {
    if let Some(fleet) = &catalog.fleet {
        return fleet_rows(fleet, scope);
    }
    let (product, version) = match scope {
        Scope::Product { id, .. } => (Some(id.as_str()), None),
        Scope::Cell { product_id, .. } => (Some(product_id.as_str()), None),
        Scope::Version {
            product_id,
            version_id,
            ..
        } => (Some(product_id.as_str()), Some(version_id.as_str())),
        _ => (None, None),
    };
    let products: HashMap<&str, &Product> = catalog
        .products
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    catalog
        .provisioned
        .iter()
        .filter(|pp| product.is_none_or(|id| pp.product_id == id))
        .filter(|pp| version.is_none_or(|v| pp.version_id == v))
        .map(|pp| {
            let product = products.get(pp.product_id.as_str());
            let product_name = pp
                .product_name
                .clone()
                .or_else(|| product.map(|p| p.name.clone()))
                .unwrap_or_else(|| pp.product_id.clone());
            let version = product
                .and_then(|p| p.version(&pp.version_id))
                .map(|v| v.label())
                .or_else(|| pp.version_name.clone())
                .unwrap_or_else(|| pp.version_id.clone());
            // Versions never read have no latest: said, never "—".
            let latest = if catalog.versions_read(&pp.product_id) {
                Cell::new(
                    product
                        .and_then(|p| p.latest_version())
                        .map_or_else(|| "—".to_string(), |v| v.name.clone()),
                )
            } else {
                crate::tui::views::not_read_cell()
            };
            let (drift_cell, tone) = match catalog.drift_of(&pp.id) {
                Some(drift) => {
                    let tone = DriftTone::from(drift);
                    (
                        Cell::new(drift_label(drift))
                            .tone(Tone::Drift(tone))
                            .value(drift.severity() as i64),
                        tone.row(),
                    )
                }
                None => (Cell::new("…"), RowTone::Normal),
            };
            let status = Cell::new(pp.status.to_string());
            let status = if pp.status.is_in_progress() {
                status.tone(Tone::Event(crate::tui::theme::EventTone::InProgress))
            } else {
                status
            };
            let mut cells = vec![
                Cell::new(pp.name.clone()),
                Cell::new(pp.id.clone()),
                Cell::new(product_name),
                Cell::new(version),
                latest,
                drift_cell,
                status,
            ];
            cells.extend(wide_cells(pp));
            cells.push(crate::tui::views::auto_update_cell(
                product.copied(),
                Some(pp),
                !catalog.loaded.contains(&crate::model::Section::Versions),
            ));
            TableRow::new(pp.id.clone(), cells).tone(tone)
        })
        .collect()
}

/// The state as the issue names it: CURRENT, BEHIND 2, ON_DEPRECATED,
/// ON_INACTIVE, UNKNOWN, TAINTED.
pub fn drift_label(drift: Drift) -> String {
    drift.to_string()
}

/// "14 provisioned: 6 CURRENT · 8 BEHIND · 1 TAINTED" (states with none
/// left out), for the status line.
pub fn drift_summary(summary: &DriftSummary) -> String {
    let states = [
        (summary.current, "CURRENT"),
        (summary.behind, "BEHIND"),
        (summary.on_deprecated, "ON_DEPRECATED"),
        (summary.on_inactive, "ON_INACTIVE"),
        (summary.unknown, "UNKNOWN"),
        (summary.tainted, "TAINTED"),
        (summary.not_read, "NOT_READ"),
    ];
    let parts: Vec<String> = states
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, state)| format!("{n} {state}"))
        .collect();
    if parts.is_empty() {
        format!("{} provisioned", summary.total)
    } else {
        format!("{} provisioned: {}", summary.total, parts.join(" · "))
    }
}

/// One sentence on what the drift means and what to do.
fn drift_explained(drift: Drift, latest: Option<&str>) -> String {
    let latest = latest.unwrap_or("none");
    match drift {
        Drift::Current => "on the latest version".into(),
        Drift::Behind(n) => format!(
            "{n} newer version{} out; latest is {latest}",
            crate::tui::widgets::text::plural(n)
        ),
        Drift::OnDeprecated => format!("its version is deprecated; latest is {latest}"),
        Drift::OnInactive => {
            format!("its version is inactive: it cannot be updated to again; latest is {latest}")
        }
        Drift::Unknown => "its version is not among the versions read of its product (deleted, or no longer visible)".into(),
        Drift::NotRead => {
            "not known: its product's versions were not read (the warning above says why)".into()
        }
        Drift::Tainted => "the last change failed: it is not what its version says".into(),
    }
}

/// The detail of a fleet's row: its account, then what any row shows.
fn fleet_detail(fleet: &FleetCatalog, key: &str) -> Vec<(String, String)> {
    if let Some(label) = key.strip_prefix("account:")
        && let Some(a) = fleet.accounts().iter().find(|a| a.label == label)
    {
        return vec![
            ("Account".into(), a.label.clone()),
            ("Id".into(), a.account.clone().unwrap_or_default()),
            (
                "Not reachable".into(),
                a.unreachable.clone().unwrap_or_default(),
            ),
        ];
    }
    let Some(r) = fleet.row(key) else {
        return Vec::new();
    };
    let pp = &r.provisioned;
    let latest = r.latest.as_ref();
    let account = fleet
        .accounts()
        .iter()
        .find(|a| a.label == r.label)
        .map(|a| format!("{} ({})", a.label, a.account.clone().unwrap_or_default()))
        .unwrap_or_else(|| r.label.clone());
    let mut lines = vec![
        ("Account".to_string(), account),
        ("Name".into(), pp.name.clone()),
        ("Id".into(), pp.id.clone()),
        ("ARN".into(), pp.arn.clone()),
        (
            "Product".into(),
            format!(
                "{} ({})",
                pp.product_name.clone().unwrap_or_default(),
                pp.product_id
            ),
        ),
        (
            "Version".into(),
            format!("{} ({})", r.version_name, pp.version_id),
        ),
        (
            "Latest".into(),
            match (latest, r.drift) {
                (_, Drift::NotRead) => "not read (its product's versions were not read)".into(),
                (Some(v), _) => format!("{} ({})", v.name, v.id),
                (None, _) => "—".into(),
            },
        ),
        (
            "Drift".into(),
            format!(
                "{} — {}",
                drift_label(r.drift),
                drift_explained(r.drift, latest.map(|v| v.name.as_str()))
            ),
        ),
        ("Status".into(), pp.status.to_string()),
    ];
    if let Some(message) = &pp.status_message {
        lines.push(("Status message".into(), message.clone()));
    }
    lines.extend([
        ("Stack".into(), opt(&pp.stack_arn)),
        ("Owner".into(), opt(&pp.owner)),
        ("Created".into(), date(pp.created)),
        ("Last record".into(), opt(&pp.last_record_id)),
        ("Last success".into(), opt(&pp.last_successful_record_id)),
    ]);
    lines
}

pub fn detail(catalog: &Catalog, key: &str) -> Vec<(String, String)> {
    if let Some(fleet) = &catalog.fleet {
        return fleet_detail(fleet, key);
    }
    let Some(pp) = catalog.provisioned_product(key) else {
        return Vec::new();
    };
    let product = catalog.product(&pp.product_id);
    let version = product
        .and_then(|p| p.version(&pp.version_id))
        .map(|v| v.label())
        .or_else(|| pp.version_name.clone())
        .unwrap_or_default();
    let latest = product.and_then(|p| p.latest_version());
    let drift = catalog.drift_of(&pp.id).map_or_else(
        || "not known yet".to_string(),
        |d| {
            format!(
                "{} — {}",
                drift_label(d),
                drift_explained(d, latest.map(|v| v.name.as_str()))
            )
        },
    );
    let mut lines = vec![
        ("Name".to_string(), pp.name.clone()),
        ("Id".into(), pp.id.clone()),
        ("ARN".into(), pp.arn.clone()),
        ("Account".into(), pp.account.clone()),
        (
            "Product".into(),
            format!(
                "{} ({})",
                pp.product_name.clone().unwrap_or_default(),
                pp.product_id
            ),
        ),
        ("Version".into(), format!("{version} ({})", pp.version_id)),
        (
            "Latest".into(),
            if catalog.versions_read(&pp.product_id) {
                latest.map_or("—".into(), |v| format!("{} ({})", v.name, v.id))
            } else {
                "not read (its product's versions were not read)".into()
            },
        ),
        ("Drift".into(), drift),
        ("Status".into(), pp.status.to_string()),
    ];
    if let Some(message) = &pp.status_message {
        lines.push(("Status message".into(), message.clone()));
    }
    if crate::model::drift::is_tainted(pp) {
        lines.extend(failed_request(catalog, pp, product));
    }
    lines.extend([
        ("Stack".into(), opt(&pp.stack_arn)),
        ("Owner".into(), opt(&pp.owner)),
        ("Created".into(), date(pp.created)),
        ("Last record".into(), opt(&pp.last_record_id)),
        ("Last success".into(), opt(&pp.last_successful_record_id)),
    ]);
    lines
}

/// What the failed last request of `pp` tried (its version) and why it
/// failed, as its record says; or that the record was not read.
fn failed_request(
    catalog: &Catalog,
    pp: &crate::model::ProvisionedProduct,
    product: Option<&Product>,
) -> Vec<(String, String)> {
    let Some(record) = catalog.failed_requests.get(&pp.id) else {
        let record = opt(&pp
            .last_provisioning_record_id
            .clone()
            .or(pp.last_record_id.clone()));
        let why = catalog
            .failed_requests_unread
            .get(&pp.id)
            .map_or("it was not asked", String::as_str);
        return vec![(
            "Failed request".into(),
            format!("{record}: not read — {why}"),
        )];
    };
    let version = record.version_id.as_deref().map_or_else(
        || "—".to_string(),
        |id| {
            product
                .and_then(|p| p.version(id))
                .map_or_else(|| id.to_string(), |v| format!("{} ({id})", v.name))
        },
    );
    let mut lines = vec![
        (
            "Failed request".into(),
            format!(
                "{} {} · {} · {}",
                record.record_type,
                record.id,
                record.status,
                date(record.updated.or(record.created))
            ),
        ),
        ("Failed version".into(), version),
    ];
    for (i, e) in record.errors.iter().enumerate() {
        let label = if i == 0 { "Failed because" } else { "" };
        lines.push((label.into(), e.clone()));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tainted_product_says_which_version_failed_and_why() {
        let mut inventory = crate::tui::fixtures::inventory();
        let pp = inventory
            .provisioned
            .iter()
            .find(|p| p.id == "pp-tgwattach01")
            .unwrap()
            .clone();
        let version = inventory
            .product(&pp.product_id)
            .and_then(|p| p.latest_version())
            .unwrap()
            .clone();
        let mut catalog = Catalog::default();
        catalog.set_inventory(inventory.clone());
        let unread = detail(&catalog, "pp-tgwattach01");
        let find = |lines: &[(String, String)], key: &str| {
            lines.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
        };
        // Not read: said, with what to do.
        assert!(
            find(&unread, "Failed request")
                .unwrap()
                .ends_with(": not read — it was not asked"),
            "{unread:?}"
        );
        inventory.failed_requests.insert(
            pp.id.clone(),
            crate::model::Record {
                id: "rec-failed01".into(),
                record_type: "UPDATE_PROVISIONED_PRODUCT".into(),
                status: "FAILED".into(),
                created: None,
                updated: None,
                version_id: Some(version.id.clone()),
                errors: vec!["Attachment: CREATE_FAILED — limit exceeded".into()],
                provisioned_product_id: Some(pp.id.clone()),
                path_id: None,
                outputs: Vec::new(),
            },
        );
        catalog.set_inventory(inventory);
        let read = detail(&catalog, "pp-tgwattach01");
        assert_eq!(
            find(&read, "Failed version").unwrap(),
            format!("{} ({})", version.name, version.id)
        );
        assert!(
            find(&read, "Failed request")
                .unwrap()
                .contains("rec-failed01 · FAILED")
        );
        assert_eq!(
            find(&read, "Failed because").unwrap(),
            "Attachment: CREATE_FAILED — limit exceeded"
        );
    }

    #[test]
    fn drift_reads_as_the_issue_names_it() {
        let labels: Vec<String> = [
            Drift::Current,
            Drift::Behind(3),
            Drift::OnDeprecated,
            Drift::OnInactive,
            Drift::Unknown,
            Drift::Tainted,
        ]
        .into_iter()
        .map(drift_label)
        .collect();
        assert_eq!(
            labels,
            [
                "CURRENT",
                "BEHIND 3",
                "ON_DEPRECATED",
                "ON_INACTIVE",
                "UNKNOWN",
                "TAINTED"
            ]
        );
        let summary: DriftSummary = [
            Drift::Current,
            Drift::Behind(1),
            Drift::Behind(2),
            Drift::Tainted,
        ]
        .into_iter()
        .collect();
        assert_eq!(
            drift_summary(&summary),
            "4 provisioned: 1 CURRENT · 2 BEHIND · 1 TAINTED"
        );
        assert_eq!(drift_summary(&DriftSummary::default()), "0 provisioned");
    }
}
