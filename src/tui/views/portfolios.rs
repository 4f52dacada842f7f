//! The portfolios screen: local and imported portfolios of the account,
//! how many products each holds and whom a local one is shared with.

use std::collections::HashMap;

use crate::tui::screens::{Catalog, Scope};
use crate::tui::views::{date, opt};
use crate::tui::widgets::table::{Cell, Column, SortKey, TableRow, Tone, Width};

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Name", Width::Fill(2)),
        Column::new("Id", Width::Auto { min: 8, max: 24 }),
        Column::new("Origin", Width::Fill(1)),
        Column::new("Provider", Width::Fill(1)),
        Column::new("Products", Width::Auto { min: 4, max: 10 }).sort(SortKey::Value),
        Column::new("Shares", Width::Auto { min: 4, max: 10 }).sort(SortKey::Value),
    ]
}

pub fn rows(catalog: &Catalog, _scope: &Scope) -> Vec<TableRow> {
    let mut products: HashMap<&str, i64> = HashMap::new();
    for product in &catalog.products {
        for id in &product.portfolio_ids {
            *products.entry(id.as_str()).or_default() += 1;
        }
    }
    let mut shares: HashMap<&str, i64> = HashMap::new();
    for share in &catalog.shares {
        *shares.entry(share.portfolio_id.as_str()).or_default() += 1;
    }
    let products_known = catalog.loaded.contains(&crate::model::Section::Products);
    let shares_known = catalog.loaded.contains(&crate::model::Section::Shares);
    let count = |known: bool, map: &HashMap<&str, i64>, id: &str, applies: bool| {
        let n = map.get(id).copied().unwrap_or(0);
        match (known, applies) {
            (false, _) => Cell::new("…"),
            (true, false) => Cell::new("—").value(-1),
            (true, true) => Cell::new(n.to_string()).value(n),
        }
    };
    catalog
        .portfolios
        .iter()
        .map(|p| {
            let origin = Cell::new(p.origin.describe());
            let origin = if p.origin.is_local() {
                origin
            } else {
                origin.tone(Tone::Accent)
            };
            TableRow::new(
                p.id.clone(),
                vec![
                    Cell::new(p.name.clone()),
                    Cell::new(p.id.clone()),
                    origin,
                    Cell::new(p.provider.clone().unwrap_or_default()),
                    count(products_known, &products, &p.id, true),
                    // Only the owner of a portfolio sees its shares.
                    count(shares_known, &shares, &p.id, p.origin.is_local()),
                ],
            )
        })
        .collect()
}

pub fn detail(catalog: &Catalog, key: &str) -> Vec<(String, String)> {
    let Some(p) = catalog.portfolio(key) else {
        return Vec::new();
    };
    let mut lines = vec![
        ("Name".to_string(), p.name.clone()),
        ("Id".into(), p.id.clone()),
        ("ARN".into(), p.arn.clone()),
        ("Origin".into(), p.origin.describe()),
        ("Provider".into(), opt(&p.provider)),
        ("Created".into(), date(p.created)),
        ("Description".into(), opt(&p.description)),
    ];
    let products: Vec<&str> = catalog
        .products
        .iter()
        .filter(|prod| prod.portfolio_ids.contains(&p.id))
        .map(|prod| prod.name.as_str())
        .collect();
    lines.push(("Products".into(), products.len().to_string()));
    for name in products {
        lines.push((String::new(), format!("  {name}")));
    }
    if p.origin.is_local() {
        let shares: Vec<_> = catalog
            .shares
            .iter()
            .filter(|s| s.portfolio_id == p.id)
            .collect();
        lines.push(("Shared with".into(), shares.len().to_string()));
        for s in shares {
            lines.push((
                String::new(),
                format!("  {} {} ({})", s.kind.label(), s.principal, s.state()),
            ));
        }
    }
    lines
}
