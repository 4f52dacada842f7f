//! Who may launch from one portfolio (`i` on a portfolio): its principals,
//! IAM users, groups and roles of an account, or name patterns; `i` there
//! adds one or takes the selected one off.

use crate::model::Section;
use crate::tui::screens::{Catalog, Scope};
use crate::tui::widgets::table::{Cell, Column, TableRow, Width};

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Principal", Width::Fill(3)),
        Column::new("Type", Width::Auto { min: 4, max: 11 }),
        Column::new("Kind", Width::Auto { min: 4, max: 5 }),
        Column::new("Account", Width::Auto { min: 7, max: 12 }),
    ]
}

pub fn rows(catalog: &Catalog, scope: &Scope) -> Vec<TableRow> {
    let Scope::Portfolio { id, .. } = scope else {
        return Vec::new();
    };
    let Some(list) = catalog.principals.get(id) else {
        // Read with the shares: once they are in, absent means not read.
        if !catalog.loaded.contains(&Section::Shares) {
            return Vec::new();
        }
        return vec![TableRow::new(
            "principals:not-read".to_string(),
            vec![
                crate::tui::views::not_read_cell(),
                Cell::new("ListPrincipalsForPortfolio failed: the calls (@) say why"),
                Cell::new(""),
                Cell::new(""),
            ],
        )];
    };
    list.iter()
        .map(|p| {
            let resource = p.arn.splitn(6, ':').nth(5).unwrap_or(&p.arn);
            let kind = resource.split('/').next().unwrap_or("");
            let account = p.arn.split(':').nth(4).unwrap_or("");
            TableRow::new(
                p.arn.clone(),
                vec![
                    Cell::new(p.arn.clone()),
                    Cell::new(p.kind.clone()),
                    Cell::new(kind.to_string()),
                    Cell::new(if account.is_empty() {
                        "any".to_string()
                    } else {
                        account.to_string()
                    }),
                ],
            )
        })
        .collect()
}

pub fn detail(catalog: &Catalog, key: &str) -> Vec<(String, String)> {
    let Some((portfolio, p)) = catalog
        .principals
        .iter()
        .find_map(|(pf, list)| Some((pf, list.iter().find(|p| p.arn == key)?)))
    else {
        return Vec::new();
    };
    let name = catalog.portfolio(portfolio).map_or_else(
        || portfolio.clone(),
        |p| format!("{} ({portfolio})", p.name),
    );
    vec![
        ("Principal".to_string(), p.arn.clone()),
        (
            "Type".into(),
            if p.kind == "IAM_PATTERN" {
                "IAM_PATTERN: matched in every account the portfolio reaches".into()
            } else {
                "IAM: this principal of this account".into()
            },
        ),
        ("Portfolio".into(), name),
    ]
}

/// Whether the principals of the portfolio in `scope` were read.
pub fn read(catalog: &Catalog, scope: &Scope) -> bool {
    match scope {
        Scope::Portfolio { id, .. } => {
            catalog.loaded.contains(&Section::Shares) && catalog.principals.contains_key(id)
        }
        _ => false,
    }
}
