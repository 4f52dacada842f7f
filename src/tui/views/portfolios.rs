//! The portfolios screen: local and imported portfolios of the account,
//! how many products each holds and whom a local one is shared with.

use std::collections::HashMap;

use crate::model::{Read, Section, Share, ShareKind};
use crate::tui::names::Names;
use crate::tui::screens::{Catalog, Scope};
use crate::tui::views::{date, not_read_cell, opt};
use crate::tui::widgets::table::{Cell, Column, SortKey, TableRow, Tone, Width};

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Name", Width::Fill(2)),
        Column::new("Id", Width::Auto { min: 8, max: 24 }),
        Column::new("Origin", Width::Fill(1)),
        Column::new("Provider", Width::Fill(1)),
        Column::new("Products", Width::Auto { min: 4, max: 10 }).sort(SortKey::Value),
        Column::new("Shares", Width::Auto { min: 6, max: 16 }).sort(SortKey::Value),
    ]
}

pub fn rows(catalog: &Catalog, _scope: &Scope) -> Vec<TableRow> {
    let mut products: HashMap<&str, i64> = HashMap::new();
    for product in &catalog.products {
        for id in &product.portfolio_ids {
            *products.entry(id.as_str()).or_default() += 1;
        }
    }
    // (shares, of which pending)
    let mut shares: HashMap<&str, (usize, usize)> = HashMap::new();
    for share in &catalog.shares {
        let entry = shares.entry(share.portfolio_id.as_str()).or_default();
        entry.0 += 1;
        entry.1 += usize::from(!share.accepted);
    }
    let products_known = catalog.loaded.contains(&Section::Products);
    let shares_known = catalog.loaded.contains(&Section::Shares);
    let count = |known: bool, read: bool, applies: bool, n: usize, text: String| match (
        known, applies, read,
    ) {
        (false, _, _) => Cell::new("…"),
        (true, false, _) => Cell::new("—").value(-1),
        (true, true, false) => not_read_cell(),
        (true, true, true) => Cell::new(text).value(n as i64),
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
            let n = products.get(p.id.as_str()).copied().unwrap_or(0) as usize;
            let (shared, pending) = shares.get(p.id.as_str()).copied().unwrap_or_default();
            TableRow::new(
                p.id.clone(),
                vec![
                    Cell::new(p.name.clone()),
                    Cell::new(p.id.clone()),
                    origin,
                    Cell::new(p.provider.clone().unwrap_or_default()),
                    count(
                        products_known,
                        catalog.read_of(Section::Products, &p.id).is_read(),
                        true,
                        n,
                        n.to_string(),
                    ),
                    // Only the owner of a portfolio sees its shares.
                    count(
                        shares_known,
                        catalog.read_of(Section::Shares, &p.id).is_read(),
                        p.origin.is_local(),
                        shared,
                        shares_label(shared, pending),
                    ),
                ],
            )
        })
        .collect()
}

pub fn detail(catalog: &Catalog, names: &Names, key: &str) -> Vec<(String, String)> {
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
    if let Read::Not(problem) = catalog.read_of(Section::Products, &p.id) {
        lines.push(("Products".into(), format!("not read: {}", problem.message)));
    } else {
        lines.push(("Products".into(), products.len().to_string()));
    }
    for name in products {
        lines.push((String::new(), format!("  {name}")));
    }
    if p.origin.is_local() {
        let shares: Vec<&Share> = catalog
            .shares
            .iter()
            .filter(|s| s.portfolio_id == p.id)
            .collect();
        let pending = shares.iter().filter(|s| !s.accepted).count();
        let heading = match catalog.read_of(Section::Shares, &p.id) {
            _ if !catalog.loaded.contains(&Section::Shares) => "…".into(),
            Read::Not(problem) => format!("not read: {}", problem.message),
            _ => shares_label(shares.len(), pending),
        };
        lines.push(("Shared with".into(), heading));
        let kind_width = shares
            .iter()
            .map(|s| kind_label(s.kind).len())
            .max()
            .unwrap_or(0);
        let principals: Vec<String> = shares
            .iter()
            .map(|s| names.principal(&s.principal))
            .collect();
        let principal_width = principals
            .iter()
            .map(|p| p.chars().count())
            .max()
            .unwrap_or(0);
        for (s, principal) in shares.iter().zip(&principals) {
            lines.push((
                String::new(),
                format!(
                    "  {:kind_width$}  {principal:principal_width$}  {}{}",
                    kind_label(s.kind),
                    s.state(),
                    share_extras(s)
                ),
            ));
        }
    }
    // Who may launch from it, and its TagOptions (the Shares section reads them).
    let loaded = catalog.loaded.contains(&Section::Shares);
    match catalog.principals.get(&p.id) {
        _ if !loaded => lines.push(("Principals".into(), "…".into())),
        None => lines.push(("Principals".into(), "not read".into())),
        Some(list) if list.is_empty() => lines.push((
            "Principals".into(),
            "none: no IAM principal is given access to launch from it (i adds one)".into(),
        )),
        Some(list) => {
            lines.push(("Principals".into(), list.len().to_string()));
            for who in list {
                let kind = if who.kind == "IAM_PATTERN" {
                    " (pattern)"
                } else {
                    ""
                };
                lines.push((String::new(), format!("  {}{kind}", who.arn)));
            }
        }
    }
    if p.origin.is_local() {
        let tags = match catalog.portfolio_tag_options.get(&p.id) {
            _ if !loaded => "…".to_string(),
            None => "not read".to_string(),
            Some(list) if list.is_empty() => "none".to_string(),
            Some(list) => list
                .iter()
                .map(|t| format!("{}={}", t.key, t.value))
                .collect::<Vec<_>>()
                .join(", "),
        };
        lines.push(("TagOptions".into(), tags));
        match catalog.portfolio_access.get(&p.id) {
            _ if !loaded => lines.push(("Reaches".into(), "…".into())),
            None => lines.push(("Reaches".into(), "not read".into())),
            Some(list) => {
                lines.push((
                    "Reaches".into(),
                    format!(
                        "{} account{} (ListPortfolioAccess)",
                        list.len(),
                        if list.len() == 1 { "" } else { "s" }
                    ),
                ));
                for account in list.iter().take(20) {
                    lines.push((String::new(), format!("  {}", names.principal(account))));
                }
                if list.len() > 20 {
                    lines.push((String::new(), format!("  … {} more", list.len() - 20)));
                }
            }
        }
    }
    lines
}

/// "2", or "2 (1 pending)" while some wait for the other account.
/// What a share passes on beyond the portfolio, as AWS's console shows it.
fn share_extras(s: &Share) -> String {
    match (s.share_tag_options, s.share_principals) {
        (false, false) => String::new(),
        (true, false) => " · TagOptions shared".into(),
        (false, true) => " · principals shared".into(),
        (true, true) => " · TagOptions and principals shared".into(),
    }
}

pub fn shares_label(shares: usize, pending: usize) -> String {
    if pending == 0 {
        shares.to_string()
    } else {
        format!("{shares} ({pending} pending)")
    }
}

/// Whom a share is with, as the Service Catalog console says it.
pub fn kind_label(kind: ShareKind) -> &'static str {
    match kind {
        ShareKind::Account => "account",
        ShareKind::OrganizationalUnit => "OU",
        ShareKind::Organization => "organization",
        ShareKind::OrganizationMemberAccount => "org member account",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_with_what_is_pending() {
        assert_eq!(shares_label(0, 0), "0");
        assert_eq!(shares_label(2, 0), "2");
        assert_eq!(shares_label(2, 1), "2 (1 pending)");
        assert_eq!(
            kind_label(ShareKind::OrganizationMemberAccount),
            "org member account"
        );
    }
}
