//! `:xray`: the hygiene findings of the account open or the fleet
//! ([`crate::ops::lint`]) as a table like the others — severity, account,
//! rule, entity, what is wrong — with the rule's why and fix in the detail;
//! the rules that could not be checked are rows too, never a silent pass.

use crate::ops::lint::{Finding, Severity, rule};
use crate::tui::screens::Catalog;
use crate::tui::theme::RowTone;
use crate::tui::widgets::table::{Cell, Column, SortKey, TableRow, Width};

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Severity", Width::Auto { min: 7, max: 11 }).sort(SortKey::Value),
        Column::new("Account", Width::Auto { min: 7, max: 20 }),
        Column::new("Rule", Width::Auto { min: 8, max: 30 }),
        Column::new("Entity", Width::Auto { min: 8, max: 32 }),
        Column::new("Finding", Width::Fill(1)),
    ]
}

/// The key of finding `i` of the report.
pub fn key(i: usize) -> String {
    format!("finding:{i}")
}

/// The finding a row's key names.
pub fn finding<'a>(catalog: &'a Catalog, key: &str) -> Option<&'a Finding> {
    let i: usize = key.strip_prefix("finding:")?.parse().ok()?;
    catalog.lint.as_ref()?.report.as_ref()?.findings.get(i)
}

fn rank(severity: Severity) -> i64 {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Note => 2,
    }
}

pub fn rows(catalog: &Catalog) -> Vec<TableRow> {
    let Some(report) = catalog.lint.as_ref().and_then(|l| l.report.as_ref()) else {
        return Vec::new();
    };
    let mut rows: Vec<TableRow> = report
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let tone = match f.severity {
                Severity::Error => RowTone::Bad,
                Severity::Warning => RowTone::Warn,
                Severity::Note => RowTone::Normal,
            };
            TableRow::new(
                key(i),
                vec![
                    Cell::new(f.severity.label()).value(rank(f.severity)),
                    Cell::new(f.label.clone()),
                    Cell::new(f.rule),
                    Cell::new(format!("{} {}", f.entity.kind, f.entity.name)),
                    Cell::new(f.message.clone()),
                ],
            )
            .tone(tone)
        })
        .collect();
    rows.extend(report.unchecked.iter().enumerate().map(|(i, u)| {
        TableRow::new(
            format!("unchecked:{i}"),
            vec![
                Cell::new("not checked").value(3),
                Cell::new(u.label.clone()),
                Cell::new(u.rule),
                Cell::new("—"),
                Cell::new(u.why.clone()),
            ],
        )
        .tone(RowTone::Dim)
    }));
    rows.sort_by_key(|r| r.cells[0].value.unwrap_or(9));
    rows
}

pub fn detail(catalog: &Catalog, key: &str) -> Vec<(String, String)> {
    let Some(f) = finding(catalog, key) else {
        return vec![(
            String::new(),
            "A rule that could not be checked: its input was not read (the reason is in the row)."
                .into(),
        )];
    };
    let doc = rule(f.rule);
    let mut lines = vec![
        ("Rule".to_string(), f.rule.to_string()),
        ("Severity".to_string(), f.severity.label().to_string()),
        (
            "Account".to_string(),
            format!("{} ({})", f.label, f.account),
        ),
        (
            "Entity".to_string(),
            format!("{} {} ({})", f.entity.kind, f.entity.name, f.entity.id),
        ),
        ("Finding".to_string(), f.message.clone()),
    ];
    if let Some(doc) = doc {
        lines.push(("Why".to_string(), doc.why.to_string()));
    }
    lines.push(("Fix".to_string(), f.fix.describe()));
    let enter = match f.fix {
        crate::ops::lint::Fix::Console { .. } => "nothing spoke does: the fix is in words above",
        _ => "opens the plan of the fix",
    };
    lines.push(("Enter".to_string(), enter.to_string()));
    lines
}

/// What an empty `:xray` says: being read, could not be, or clean.
pub fn empty(catalog: &Catalog) -> String {
    match &catalog.lint {
        None => "The x-ray is not read yet: R reads it.".into(),
        Some(l) if l.loading => "Reading the accounts and running the hygiene rules…".into(),
        Some(l) => match (&l.error, &l.report) {
            (Some(e), _) => format!("The x-ray could not be read: {e} (R retries)"),
            (None, Some(r)) => format!(
                "No findings: {} rule(s) over {} account(s) found nothing.",
                r.rules.len(),
                r.accounts.len()
            ),
            (None, None) => "The x-ray is not read yet: R reads it.".into(),
        },
    }
}
