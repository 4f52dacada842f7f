//! One provisioned product's life, each a level of its own: its records
//! (`h`; Enter on one opens the stack's events), its stack's resources
//! (`r`), its outputs (`t`), its parameters (`p`), its resource drift (`D`,
//! in [`super::resource_drift`]) and its self-service actions (`e`; Enter
//! on one plans running it). What was not read yet shows no rows (the
//! empty message says loading, or why not), never an empty list.

use chrono::{DateTime, Utc};

use crate::model::phase_of;
use crate::ops::life::{LifeData, LifePart, MASK, ParamChange, ParameterLine, Parameters};
use crate::tui::screens::{Catalog, Scope, Screen};
use crate::tui::theme::{EventTone, RowTone, Tone};
use crate::tui::widgets::table::{Cell, Column, TableRow, Width};

pub fn record_columns() -> Vec<Column> {
    vec![
        Column::new("Created", Width::Auto { min: 10, max: 16 }),
        Column::new("Type", Width::Auto { min: 6, max: 26 }),
        Column::new("Status", Width::Auto { min: 6, max: 20 }),
        Column::new("Version", Width::Auto { min: 7, max: 18 }),
        Column::new("Record", Width::Auto { min: 8, max: 18 }).wide(),
        Column::new("Error", Width::Fill(2)),
    ]
}

pub fn resource_columns() -> Vec<Column> {
    vec![
        Column::new("Logical id", Width::Auto { min: 10, max: 28 }),
        Column::new("Type", Width::Auto { min: 4, max: 32 }),
        Column::new("Status", Width::Auto { min: 6, max: 22 }),
        Column::new("Physical id", Width::Fill(2)),
        Column::new("Last change", Width::Auto { min: 11, max: 16 }).wide(),
    ]
}

pub fn action_columns() -> Vec<Column> {
    vec![
        Column::new("Name", Width::Auto { min: 6, max: 28 }),
        Column::new("Description", Width::Fill(3)),
        Column::new("Document", Width::Auto { min: 8, max: 40 }),
        Column::new("Parameters", Width::Fill(2)),
        Column::new("Id", Width::Auto { min: 6, max: 20 }).wide(),
    ]
}

pub fn output_columns() -> Vec<Column> {
    vec![
        Column::new("Key", Width::Auto { min: 3, max: 28 }),
        Column::new("Value", Width::Fill(3)),
        Column::new("Description", Width::Fill(2)).wide(),
    ]
}

pub fn parameter_columns() -> Vec<Column> {
    vec![
        Column::new("Key", Width::Auto { min: 3, max: 28 }),
        Column::new("Running", Width::Fill(2)),
        Column::new("Latest version", Width::Fill(2)),
        Column::new("An update would", Width::Fill(2)),
    ]
}

/// The part of the life a screen shows.
pub fn part_of(screen: Screen) -> Option<LifePart> {
    match screen {
        Screen::Records => Some(LifePart::Records),
        Screen::Resources => Some(LifePart::Resources),
        Screen::Outputs => Some(LifePart::Outputs),
        Screen::Parameters => Some(LifePart::Parameters),
        Screen::ResourceDrift => Some(LifePart::Drift),
        Screen::Actions => Some(LifePart::Actions),
        _ => None,
    }
}

/// The screen that shows `part` (the inverse of [`part_of`]).
pub fn screen_of(part: LifePart) -> Screen {
    match part {
        LifePart::Records => Screen::Records,
        LifePart::Resources => Screen::Resources,
        LifePart::Outputs => Screen::Outputs,
        LifePart::Parameters => Screen::Parameters,
        LifePart::Drift => Screen::ResourceDrift,
        LifePart::Actions => Screen::Actions,
    }
}

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map_or_else(|| "—".into(), |t| t.format("%Y-%m-%d %H:%M").to_string())
}

/// What was read of `part` for the provisioned product in `scope`.
pub fn read<'a>(catalog: &'a Catalog, scope: &Scope, part: LifePart) -> Option<&'a LifeData> {
    let Scope::Provisioned { id, .. } = scope else {
        return None;
    };
    catalog
        .life
        .as_ref()
        .filter(|l| &l.provisioned_id == id)?
        .part(part)?
        .as_ref()
        .ok()
}

/// Why `part` could not be read, if it could not.
pub fn error<'a>(catalog: &'a Catalog, scope: &Scope, part: LifePart) -> Option<&'a str> {
    let Scope::Provisioned { id, .. } = scope else {
        return None;
    };
    match catalog
        .life
        .as_ref()
        .filter(|l| &l.provisioned_id == id)?
        .part(part)?
    {
        Err(why) => Some(why),
        Ok(_) => None,
    }
}

fn record_tone(status: &str) -> (EventTone, RowTone) {
    match status {
        "SUCCEEDED" => (EventTone::Complete, RowTone::Normal),
        "FAILED" => (EventTone::Failed, RowTone::Bad),
        "IN_PROGRESS_IN_ERROR" => (EventTone::Failed, RowTone::Warn),
        _ => (EventTone::InProgress, RowTone::Normal),
    }
}

pub fn rows(screen: Screen, catalog: &Catalog, scope: &Scope) -> Vec<TableRow> {
    let Some(part) = part_of(screen) else {
        return Vec::new();
    };
    let names = |version: &Option<String>| -> String {
        let Some(v) = version else {
            return "—".into();
        };
        catalog
            .products
            .iter()
            .find_map(|p| p.version(v))
            .map_or_else(|| v.clone(), |v| v.label())
    };
    match read(catalog, scope, part) {
        Some(LifeData::Records(records)) => records
            .iter()
            .map(|r| {
                let (tone, row) = record_tone(&r.status);
                TableRow::new(
                    r.id.clone(),
                    vec![
                        Cell::new(when(r.created))
                            .value(r.created.map_or(0, |t| t.timestamp_millis())),
                        Cell::new(r.record_type.clone()),
                        Cell::new(format!("{} {}", tone.symbol(), r.status))
                            .tone(Tone::Event(tone)),
                        Cell::new(names(&r.version_id)),
                        Cell::new(r.id.clone()),
                        Cell::new(r.errors.first().cloned().unwrap_or_default()),
                    ],
                )
                .tone(row)
            })
            .collect(),
        Some(LifeData::Resources(resources)) => resources
            .iter()
            .map(|r| {
                let tone = EventTone::from(phase_of(&r.status));
                TableRow::new(
                    r.logical_id.clone(),
                    vec![
                        Cell::new(r.logical_id.clone()),
                        Cell::new(r.resource_type.clone()),
                        Cell::new(format!("{} {}", tone.symbol(), r.status))
                            .tone(Tone::Event(tone)),
                        Cell::new(if r.physical_id.is_empty() {
                            "—".to_string()
                        } else {
                            r.physical_id.clone()
                        }),
                        Cell::new(when(r.updated))
                            .value(r.updated.map_or(0, |t| t.timestamp_millis())),
                    ],
                )
            })
            .collect(),
        Some(LifeData::Outputs(outputs)) => outputs
            .iter()
            .map(|o| {
                TableRow::new(
                    o.key.clone(),
                    vec![
                        Cell::new(o.key.clone()),
                        Cell::new(o.value.clone()),
                        Cell::new(o.description.clone().unwrap_or_default()),
                    ],
                )
            })
            .collect(),
        Some(LifeData::Parameters(parameters)) => parameters
            .lines
            .iter()
            .map(|l| {
                let tone = match l.change {
                    ParamChange::NeedsValue => RowTone::Bad,
                    ParamChange::Dropped | ParamChange::NewDefault(_) => RowTone::Warn,
                    _ => RowTone::Normal,
                };
                TableRow::new(
                    l.key.clone(),
                    vec![
                        Cell::new(l.key.clone()),
                        Cell::new(l.running.clone().unwrap_or_else(|| "— (not set)".into())),
                        Cell::new(latest_text(parameters, l)),
                        Cell::new(l.change.text()),
                    ],
                )
                .tone(tone)
            })
            .collect(),
        Some(LifeData::Drift(drift)) => super::resource_drift::rows(drift),
        Some(LifeData::Actions(actions)) => actions
            .iter()
            .map(|a| {
                let described = a.detail_error.is_none();
                TableRow::new(
                    a.id.clone(),
                    vec![
                        Cell::new(a.name.clone()),
                        Cell::new(a.description.clone().unwrap_or_default()),
                        Cell::new(a.document_label()),
                        Cell::new(a.parameters_label()),
                        Cell::new(a.id.clone()),
                    ],
                )
                .tone(if described {
                    RowTone::Normal
                } else {
                    RowTone::Warn
                })
            })
            .collect(),
        None => Vec::new(),
    }
}

/// The latest version's side of a parameter: its default, masked when NoEcho.
fn latest_text(parameters: &Parameters, line: &ParameterLine) -> String {
    match (&line.latest, &line.change) {
        (_, ParamChange::SameVersion) => format!("(runs {})", parameters.running_version),
        (_, ParamChange::Unknown) => "not read".into(),
        (None, _) => "— (no such parameter)".into(),
        (Some(p), _) if p.no_echo => match &p.default {
            Some(_) => format!("NoEcho, default {MASK}"),
            None => "NoEcho, no default".into(),
        },
        (Some(p), _) => match &p.default {
            Some(d) => format!("default {d}"),
            None => "no default".into(),
        },
    }
}

pub fn detail(screen: Screen, catalog: &Catalog, key: &str) -> Vec<(String, String)> {
    let Some(part) = part_of(screen) else {
        return Vec::new();
    };
    let Some(Ok(data)) = catalog.life.as_ref().and_then(|l| l.part(part)) else {
        return Vec::new();
    };
    let kv = |k: &str, v: String| (k.to_string(), v);
    match data {
        LifeData::Drift(drift) => super::resource_drift::detail(drift, key),
        LifeData::Records(records) => {
            let Some(r) = records.iter().find(|r| r.id == key) else {
                return Vec::new();
            };
            let mut lines = vec![
                kv("Record", r.id.clone()),
                kv("Type", r.record_type.clone()),
                kv("Status", r.status.clone()),
                kv(
                    "Version",
                    r.version_id.clone().unwrap_or_else(|| "—".into()),
                ),
                kv(
                    "Launch path",
                    r.path_id.clone().unwrap_or_else(|| "—".into()),
                ),
                kv("Created", when(r.created)),
                kv("Updated", when(r.updated)),
            ];
            lines.extend(r.errors.iter().map(|e| kv("Error", e.clone())));
            lines.push(kv("Enter", "the stack's events".into()));
            lines
        }
        LifeData::Resources(resources) => {
            let Some(r) = resources.iter().find(|r| r.logical_id == key) else {
                return Vec::new();
            };
            let mut lines = vec![
                kv("Logical id", r.logical_id.clone()),
                kv("Physical id", r.physical_id.clone()),
                kv("Type", r.resource_type.clone()),
                kv("Status", r.status.clone()),
                kv("Last change", when(r.updated)),
            ];
            if let Some(reason) = &r.status_reason {
                lines.push(kv("Reason", reason.clone()));
            }
            lines
        }
        LifeData::Outputs(outputs) => {
            let Some(o) = outputs.iter().find(|o| o.key == key) else {
                return Vec::new();
            };
            vec![
                kv("Key", o.key.clone()),
                kv("Value", o.value.clone()),
                kv("Description", o.description.clone().unwrap_or_default()),
            ]
        }
        LifeData::Parameters(parameters) => {
            let Some(l) = parameters.lines.iter().find(|l| l.key == key) else {
                return Vec::new();
            };
            let mut lines = vec![
                kv("Key", l.key.clone()),
                kv(
                    "Running",
                    l.running.clone().unwrap_or_else(|| "— (not set)".into()),
                ),
                kv("Runs version", parameters.running_version.clone()),
                kv(
                    "Latest version",
                    parameters
                        .latest
                        .as_ref()
                        .map_or_else(|| "none active".into(), |v| v.label()),
                ),
                kv("Latest side", latest_text(parameters, l)),
                kv("An update would", l.change.text()),
            ];
            if l.no_echo() {
                lines.push(kv(
                    "NoEcho",
                    "yes: CloudFormation never shows its value".into(),
                ));
            }
            if let Some(p) = &l.latest {
                if let Some(d) = &p.description {
                    lines.push(kv("Description", d.clone()));
                }
                if !p.allowed.is_empty() {
                    lines.push(kv("Allowed", p.allowed.join(", ")));
                }
            }
            if let Some(why) = &parameters.latest_unread {
                lines.push(kv("Not read", why.clone()));
            }
            lines
        }
        LifeData::Actions(actions) => {
            let Some(a) = actions.iter().find(|a| a.id == key) else {
                return Vec::new();
            };
            let mut lines = vec![
                kv("Action", a.name.clone()),
                kv("Id", a.id.clone()),
                kv("Description", a.description.clone().unwrap_or_default()),
                kv("Type", a.definition_type.clone()),
                kv("Document", a.document_label()),
                kv(
                    "Assume role",
                    a.assume_role.clone().unwrap_or_else(|| "—".into()),
                ),
                kv("Parameters", a.parameters_label()),
            ];
            if let Some(why) = &a.detail_error {
                lines.push(kv("Not described", why.clone()));
            }
            lines.push(kv("Enter", "plan running it".into()));
            lines
        }
    }
}
