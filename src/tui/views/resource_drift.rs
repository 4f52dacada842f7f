//! The resource drift level of one provisioned product (`D`): its stack's
//! resources as the last drift detection saw them (MODIFIED and DELETED
//! stand out), a line above saying when it was last checked, and, in the
//! detail of a resource, each property's expected and actual value.

use crate::model::{ResourceDriftStatus, StackDrift, StackDriftStatus};
use crate::tui::theme::{EventTone, RowTone, Tone};
use crate::tui::widgets::table::{Cell, Column, TableRow, Width};

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Logical id", Width::Auto { min: 10, max: 28 }),
        Column::new("Type", Width::Auto { min: 4, max: 32 }),
        Column::new("Drift", Width::Auto { min: 5, max: 14 }),
        Column::new("Differences", Width::Auto { min: 11, max: 12 }),
        Column::new("Physical id", Width::Fill(2)),
    ]
}

fn tone(status: &ResourceDriftStatus) -> (EventTone, RowTone) {
    match status {
        ResourceDriftStatus::InSync => (EventTone::Complete, RowTone::Normal),
        ResourceDriftStatus::Modified => (EventTone::Failed, RowTone::Warn),
        ResourceDriftStatus::Deleted => (EventTone::Delete, RowTone::Bad),
        ResourceDriftStatus::NotChecked | ResourceDriftStatus::Other(_) => {
            (EventTone::Skipped, RowTone::Dim)
        }
    }
}

pub fn rows(drift: &StackDrift) -> Vec<TableRow> {
    drift
        .resources
        .iter()
        .map(|r| {
            let (event, row) = tone(&r.status);
            TableRow::new(
                r.logical_id.clone(),
                vec![
                    Cell::new(r.logical_id.clone()),
                    Cell::new(r.resource_type.clone()),
                    Cell::new(format!("{} {}", event.symbol(), r.status)).tone(Tone::Event(event)),
                    Cell::new(r.differences.len().to_string()).value(r.differences.len() as i64),
                    Cell::new(if r.physical_id.is_empty() {
                        "—".to_string()
                    } else {
                        r.physical_id.clone()
                    }),
                ],
            )
            .tone(row)
        })
        .collect()
}

pub fn detail(drift: &StackDrift, key: &str) -> Vec<(String, String)> {
    let Some(r) = drift.resources.iter().find(|r| r.logical_id == key) else {
        return Vec::new();
    };
    let kv = |k: &str, v: String| (k.to_string(), v);
    let mut lines = vec![
        kv("Logical id", r.logical_id.clone()),
        kv("Physical id", r.physical_id.clone()),
        kv("Type", r.resource_type.clone()),
        kv("Drift", r.status.to_string()),
        kv("Checked", crate::tui::views::date(r.checked)),
    ];
    if r.differences.is_empty() {
        let none = match r.status {
            ResourceDriftStatus::Deleted => "the resource is gone: deleted outside CloudFormation",
            ResourceDriftStatus::InSync => "none: it matches the template",
            _ => "none reported",
        };
        lines.push(kv("Differences", none.into()));
    }
    for d in &r.differences {
        lines.push(kv("Property", format!("{} ({})", d.path, d.kind)));
        lines.push(kv("  expected", d.expected.clone()));
        lines.push(kv("  actual", d.actual.clone()));
    }
    lines
}

/// The line above the table: the stack's drift and when it was last
/// checked, or that a detection runs.
pub fn header(drift: Option<&StackDrift>, detecting: bool) -> String {
    let now = if detecting {
        " · detecting drift (DetectStackDrift)…"
    } else {
        ""
    };
    match drift {
        Some(d) => format!("Stack drift: {}{now}", d.summary()),
        None if detecting => "Detecting drift (DetectStackDrift)…".into(),
        None => "Stack drift: not read yet".into(),
    }
}

/// What the table says when the stack has no resource drift to list.
pub fn empty(drift: &StackDrift, name: &str, detect_key: Option<&str>) -> String {
    let detect = detect_key
        .map(|k| format!(" — {k} detects it now"))
        .unwrap_or_default();
    match (&drift.note, &drift.status, drift.last_checked) {
        (Some(note), ..) => format!("The drift of {name} is not checked: {note}."),
        (None, StackDriftStatus::NotChecked, None) => {
            format!("The stack of {name} was never checked for drift{detect}.")
        }
        _ => format!("The last drift detection of {name} lists no resources{detect}."),
    }
}
