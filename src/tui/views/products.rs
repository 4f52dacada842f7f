//! The products screen: every product the account sees, or those of one
//! portfolio; versions by name, with the latest.

use std::collections::HashMap;

use crate::model::Section;
use crate::tui::screens::{Catalog, Scope};
use crate::tui::views::{date, opt};
use crate::tui::widgets::table::{Cell, Column, RowTone, SortKey, TableRow, Tone, Width};

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Name", Width::Fill(2)),
        Column::new("Id", Width::Auto { min: 8, max: 24 }),
        Column::new("Owner", Width::Fill(1)),
        Column::new("Origin", Width::Auto { min: 6, max: 30 }),
        Column::new("Latest", Width::Auto { min: 6, max: 24 }),
        // The TagOption AutoUpdateProvisionedProduct=true (the opt-in of
        // the auto-update convention).
        Column::new("Auto", Width::Auto { min: 3, max: 9 }).sort(SortKey::Value),
        Column::new("Versions", Width::Auto { min: 4, max: 10 }).sort(SortKey::Value),
        Column::new("Provisioned", Width::Auto { min: 4, max: 12 }).sort(SortKey::Value),
    ]
}

pub fn rows(catalog: &Catalog, scope: &Scope) -> Vec<TableRow> {
    let portfolio = scope.portfolio().map(|(id, _)| id);
    let mut provisioned: HashMap<&str, i64> = HashMap::new();
    for pp in &catalog.provisioned {
        *provisioned.entry(pp.product_id.as_str()).or_default() += 1;
    }
    let versions_known = catalog.loaded.contains(&Section::Versions);
    let provisioned_known = catalog.loaded.contains(&Section::Provisioned);
    catalog
        .products
        .iter()
        .filter(|p| {
            portfolio
                .as_ref()
                .is_none_or(|id| p.portfolio_ids.contains(id))
        })
        .map(|p| {
            let origin = Cell::new(p.origin.describe());
            let origin = if p.origin.is_local() {
                origin
            } else {
                origin.tone(Tone::Accent)
            };
            let latest = p.latest_version();
            let read = catalog.read_of(Section::Versions, &p.id).is_read();
            let (latest_cell, tone) = match (versions_known, latest) {
                (false, _) => (Cell::new("…"), RowTone::Normal),
                // Its versions were not read: not "none active".
                (true, _) if !read => (crate::tui::views::not_read_cell(), RowTone::Normal),
                (true, Some(v)) => (Cell::new(v.name.clone()), RowTone::Normal),
                // Nothing can be launched or updated to.
                (true, None) => (
                    Cell::new("none active").tone(Tone::Row(RowTone::Warn)),
                    RowTone::Warn,
                ),
            };
            let n_versions = p.versions.len() as i64;
            let n_pp = provisioned.get(p.id.as_str()).copied().unwrap_or(0);
            TableRow::new(
                p.id.clone(),
                vec![
                    Cell::new(p.name.clone()),
                    Cell::new(p.id.clone()),
                    Cell::new(p.owner.clone()),
                    origin,
                    latest_cell,
                    crate::tui::views::auto_update_cell(Some(p), None, !versions_known),
                    if versions_known && !read {
                        crate::tui::views::not_read_cell()
                    } else if versions_known {
                        Cell::new(n_versions.to_string()).value(n_versions)
                    } else {
                        Cell::new("…")
                    },
                    if provisioned_known && !catalog.read(Section::Provisioned).is_read() {
                        crate::tui::views::not_read_cell()
                    } else if provisioned_known {
                        Cell::new(n_pp.to_string()).value(n_pp)
                    } else {
                        Cell::new("…")
                    },
                ],
            )
            .tone(tone)
        })
        .collect()
}

pub fn detail(catalog: &Catalog, key: &str) -> Vec<(String, String)> {
    let Some(p) = catalog.product(key) else {
        return Vec::new();
    };
    let mut lines = vec![
        ("Name".to_string(), p.name.clone()),
        ("Id".into(), p.id.clone()),
        ("ARN".into(), p.arn.clone()),
        ("Owner".into(), p.owner.clone()),
        ("Distributor".into(), opt(&p.distributor)),
        ("Type".into(), p.product_type.clone()),
        ("Origin".into(), p.origin.describe()),
        ("Created".into(), date(p.created)),
        ("Description".into(), opt(&p.description)),
        (
            "Auto-update".into(),
            match (&p.tag_options, p.auto_update()) {
                (None, _) => "not read (its TagOptions were not read)".to_string(),
                (_, Some(true)) => "yes: TagOption AutoUpdateProvisionedProduct=true".to_string(),
                _ => "no (A opts it in, in the account that owns it)".to_string(),
            },
        ),
    ];
    if let Some(tags) = p.tag_options.as_ref().filter(|t| !t.is_empty()) {
        let shown: Vec<String> = tags
            .iter()
            .map(|t| {
                format!(
                    "{}={}{}",
                    t.key,
                    t.value,
                    if t.active { "" } else { " (inactive)" }
                )
            })
            .collect();
        lines.push(("TagOptions".into(), shown.join(", ")));
    }
    let portfolios: Vec<String> = p
        .portfolio_ids
        .iter()
        .map(|id| {
            catalog
                .portfolio(id)
                .map_or_else(|| id.clone(), |pf| format!("{} ({id})", pf.name))
        })
        .collect();
    lines.push(("Portfolios".into(), portfolios.len().to_string()));
    for name in portfolios {
        lines.push((String::new(), format!("  {name}")));
    }
    let latest = p.latest_version().map(|v| v.id.clone());
    match catalog.read_of(Section::Versions, &p.id) {
        crate::model::Read::Not(problem) => {
            lines.push(("Versions".into(), format!("not read: {}", problem.message)))
        }
        _ => lines.push(("Versions".into(), p.versions.len().to_string())),
    }
    for v in &p.versions {
        let mark = if Some(&v.id) == latest.as_ref() {
            " (latest)"
        } else {
            ""
        };
        // As the AWS console lists a version: active, guidance, description.
        lines.push((
            String::new(),
            format!(
                "  {}{mark}  {}  {} · {} · guidance {}",
                v.name,
                v.id,
                date(v.created),
                if v.active { "active" } else { "INACTIVE" },
                if v.deprecated {
                    "DEPRECATED"
                } else {
                    "DEFAULT"
                },
            ),
        ));
        if let Some(d) = v.description.as_deref().filter(|d| !d.trim().is_empty()) {
            lines.push((String::new(), format!("    {d}")));
        }
    }
    lines
}
