//! The constraints screen: the constraints of the account's portfolios,
//! or of one portfolio or product, with their parameters decoded.

use std::collections::HashMap;

use crate::model::ConstraintParams;
use crate::tui::screens::{Catalog, Scope};
use crate::tui::views::opt;
use crate::tui::widgets::table::{Cell, Column, RowTone, TableRow, Width};

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Type", Width::Auto { min: 6, max: 16 }),
        Column::new("Product", Width::Fill(1)),
        Column::new("Portfolio", Width::Fill(1)),
        Column::new("Owner", Width::Auto { min: 5, max: 14 }),
        Column::new("From", Width::Auto { min: 4, max: 10 }),
        Column::new("Parameters", Width::Fill(3)),
    ]
}

pub fn rows(catalog: &Catalog, scope: &Scope) -> Vec<TableRow> {
    let (portfolio, product) = match scope {
        Scope::Portfolio { id, .. } => (Some(id.as_str()), None),
        Scope::Product { id, portfolio, .. } => (
            portfolio.as_ref().map(|(id, _)| id.as_str()),
            Some(id.as_str()),
        ),
        _ => (None, None),
    };
    let products: HashMap<&str, &str> = catalog
        .products
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let portfolios: HashMap<&str, &str> = catalog
        .portfolios
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let product_name = |id: &str| products.get(id).copied().unwrap_or(id).to_string();
    let portfolio_name = |id: &str| portfolios.get(id).copied().unwrap_or(id).to_string();
    catalog
        .constraints
        .iter()
        .filter(|c| portfolio.is_none_or(|id| c.portfolio_id == id))
        .filter(|c| product.is_none_or(|id| c.product_id == id))
        .map(|c| {
            let (params, tone) = match &c.params {
                Some(p) => (p.summary(), RowTone::Normal),
                // DescribeConstraint failed: say so, quietly.
                None => (
                    c.description
                        .clone()
                        .unwrap_or_else(|| "parameters unreadable".into()),
                    RowTone::Warn,
                ),
            };
            TableRow::new(
                c.id.clone(),
                vec![
                    Cell::new(c.kind.to_string()),
                    Cell::new(product_name(&c.product_id)),
                    Cell::new(portfolio_name(&c.portfolio_id)),
                    Cell::new(c.owner.clone()),
                    Cell::new(if c.inherited { "inherited" } else { "local" }),
                    Cell::new(params),
                ],
            )
            .tone(tone)
        })
        .collect()
}

pub fn detail(catalog: &Catalog, key: &str) -> Vec<(String, String)> {
    let Some(c) = catalog.constraint(key) else {
        return Vec::new();
    };
    let name_of_product = catalog
        .product(&c.product_id)
        .map_or(String::new(), |p| format!("{} ", p.name));
    let name_of_portfolio = catalog
        .portfolio(&c.portfolio_id)
        .map_or(String::new(), |p| format!("{} ", p.name));
    let mut lines = vec![
        ("Id".to_string(), c.id.clone()),
        ("Type".into(), c.kind.to_string()),
        ("Description".into(), opt(&c.description)),
        ("Owner".into(), c.owner.clone()),
        (
            "From".into(),
            if c.inherited {
                "inherited from the portfolio's owner".into()
            } else {
                "local".into()
            },
        ),
        (
            "Product".into(),
            format!("{name_of_product}({})", c.product_id),
        ),
        (
            "Portfolio".into(),
            format!("{name_of_portfolio}({})", c.portfolio_id),
        ),
    ];
    match &c.params {
        None => lines.push(("Parameters".into(), "could not be read".into())),
        Some(ConstraintParams::Template { rules }) => {
            lines.push(("Rules".into(), rules.len().to_string()));
            for rule in rules {
                let when = rule
                    .condition
                    .as_ref()
                    .map_or(String::new(), |c| format!(" when {c}"));
                lines.push((String::new(), format!("  {}{when}", rule.name)));
                for a in &rule.assertions {
                    lines.push((String::new(), format!("    assert {}", a.assert)));
                    if let Some(d) = &a.description {
                        lines.push((String::new(), format!("      {d}")));
                    }
                }
            }
        }
        Some(ConstraintParams::StackSet {
            accounts,
            regions,
            admin_role,
            execution_role,
        }) => {
            lines.push(("Accounts".into(), accounts.join(", ")));
            lines.push(("Regions".into(), regions.join(", ")));
            lines.push((
                "Admin role".into(),
                admin_role.clone().unwrap_or_else(|| "—".into()),
            ));
            lines.push((
                "Execution role".into(),
                execution_role.clone().unwrap_or_else(|| "—".into()),
            ));
        }
        Some(params) => lines.push(("Parameters".into(), params.summary())),
    }
    lines
}
