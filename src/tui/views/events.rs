//! The stack events screen: the CloudFormation events of the stack behind
//! a provisioned product, newest first, coloured and marked by state.

use crate::tui::screens::{Catalog, Scope};
use crate::tui::theme::{EventTone, RowTone};
use crate::tui::views::opt;
use crate::tui::widgets::table::{Cell, Column, SortKey, TableRow, Tone, Width};

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Time", Width::Fixed(8)).sort(SortKey::Value),
        Column::new("Status", Width::Auto { min: 8, max: 30 }),
        Column::new("Resource", Width::Fill(1)),
        Column::new("Type", Width::Fill(1)),
        Column::new("Reason", Width::Fill(2)),
    ]
}

/// The events of the followed stack, if the scope is its provisioned
/// product (or any scope on the root events screen).
pub fn rows(catalog: &Catalog, scope: &Scope) -> Vec<TableRow> {
    let Some(watch) = &catalog.watch else {
        return Vec::new();
    };
    if let Scope::Provisioned { id, .. } = scope
        && *id != watch.provisioned_id
    {
        return Vec::new();
    }
    watch
        .stack
        .events()
        .iter()
        .rev()
        .map(|e| {
            let tone = EventTone::from(e.phase());
            let row_tone = match tone {
                EventTone::Failed => RowTone::Bad,
                EventTone::Skipped => RowTone::Dim,
                _ => RowTone::Normal,
            };
            TableRow::new(
                e.event_id.clone(),
                vec![
                    Cell::new(e.timestamp.format("%H:%M:%S").to_string())
                        .value(e.timestamp.timestamp_millis()),
                    Cell::new(format!("{} {}", tone.symbol(), e.status)).tone(Tone::Event(tone)),
                    Cell::new(e.logical_id.clone()),
                    Cell::new(e.resource_type.clone()),
                    Cell::new(e.reason.clone().unwrap_or_default()),
                ],
            )
            .tone(row_tone)
        })
        .collect()
}

pub fn detail(catalog: &Catalog, key: &str) -> Vec<(String, String)> {
    let Some(e) = catalog
        .watch
        .as_ref()
        .and_then(|w| w.stack.events().iter().find(|e| e.event_id == key))
    else {
        return Vec::new();
    };
    vec![
        ("Time".to_string(), e.timestamp.to_rfc3339()),
        ("Status".into(), e.status.clone()),
        ("Resource".into(), e.logical_id.clone()),
        ("Physical id".into(), opt(&e.physical_id)),
        ("Type".into(), e.resource_type.clone()),
        ("Reason".into(), opt(&e.reason)),
        ("Stack".into(), e.stack_name.clone()),
        ("Event".into(), e.event_id.clone()),
    ]
}
