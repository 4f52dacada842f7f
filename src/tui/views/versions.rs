//! The versions of one product (Enter on a product): each with when it was
//! made, whether it can be launched and is recommended, how many of this
//! account's provisioned products run it, and its description. Enter on a
//! version lists those provisioned products; `V` changes the version (the
//! hub's side).

use std::collections::HashMap;

use crate::model::Section;
use crate::tui::screens::{Catalog, Scope};
use crate::tui::views::{date, opt};
use crate::tui::widgets::table::{Cell, Column, RowTone, SortKey, TableRow, Tone, Width};

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Version", Width::Auto { min: 7, max: 24 }),
        Column::new("Id", Width::Auto { min: 8, max: 20 }),
        Column::new("Created", Width::Fixed(10)).sort(SortKey::Value),
        Column::new("Active", Width::Auto { min: 6, max: 8 }),
        Column::new("Guidance", Width::Auto { min: 7, max: 10 }),
        Column::new("Provisioned", Width::Auto { min: 4, max: 11 }).sort(SortKey::Value),
        Column::new("Description", Width::Fill(2)),
    ]
}

pub fn rows(catalog: &Catalog, scope: &Scope) -> Vec<TableRow> {
    let Scope::Product { id, .. } = scope else {
        return Vec::new();
    };
    let Some(product) = catalog.product(id) else {
        return Vec::new();
    };
    let mut running: HashMap<&str, i64> = HashMap::new();
    for pp in catalog.provisioned.iter().filter(|p| p.product_id == *id) {
        *running.entry(pp.version_id.as_str()).or_default() += 1;
    }
    let provisioned_read = catalog.loaded.contains(&Section::Provisioned)
        && catalog.read(Section::Provisioned).is_read();
    let latest = product.latest_version().map(|v| v.id.clone());
    product
        .versions
        .iter()
        .rev()
        .map(|v| {
            let n = running.get(v.id.as_str()).copied().unwrap_or(0);
            let name = if Some(&v.id) == latest.as_ref() {
                format!("{} (latest)", v.name)
            } else {
                v.name.clone()
            };
            let tone = if !v.active {
                RowTone::Warn
            } else if v.deprecated {
                RowTone::Dim
            } else {
                RowTone::Normal
            };
            TableRow::new(
                v.id.clone(),
                vec![
                    Cell::new(name),
                    Cell::new(v.id.clone()),
                    Cell::new(
                        v.created
                            .map_or_else(|| "—".into(), |t| t.format("%Y-%m-%d").to_string()),
                    )
                    .value(v.created.map_or(0, |t| t.timestamp())),
                    if v.active {
                        Cell::new("active")
                    } else {
                        Cell::new("INACTIVE").tone(Tone::Row(RowTone::Warn))
                    },
                    Cell::new(if v.deprecated {
                        "DEPRECATED"
                    } else {
                        "DEFAULT"
                    }),
                    if provisioned_read {
                        Cell::new(n.to_string()).value(n)
                    } else {
                        crate::tui::views::not_read_cell()
                    },
                    Cell::new(opt(&v.description)),
                ],
            )
            .tone(tone)
        })
        .collect()
}

pub fn detail(catalog: &Catalog, key: &str) -> Vec<(String, String)> {
    let Some((product, v)) = catalog
        .products
        .iter()
        .find_map(|p| Some((p, p.version(key)?)))
    else {
        return Vec::new();
    };
    let id = &product.id;
    let on_it: Vec<&str> = catalog
        .provisioned
        .iter()
        .filter(|p| p.product_id == *id && p.version_id == v.id)
        .map(|p| p.name.as_str())
        .collect();
    let mut lines = vec![
        ("Version".to_string(), v.label()),
        ("Id".into(), v.id.clone()),
        (
            "Product".into(),
            format!("{} ({})", product.name, product.id),
        ),
        ("Created".into(), date(v.created)),
        (
            "Active".into(),
            if v.active {
                "yes"
            } else {
                "no: cannot be launched or updated to"
            }
            .into(),
        ),
        (
            "Guidance".into(),
            if v.deprecated {
                "DEPRECATED: no new launch; still updatable"
            } else {
                "DEFAULT"
            }
            .into(),
        ),
        ("Description".into(), opt(&v.description)),
        ("Provisioned".into(), on_it.len().to_string()),
    ];
    lines.extend(on_it.into_iter().map(|n| (String::new(), format!("  {n}"))));
    lines
}
