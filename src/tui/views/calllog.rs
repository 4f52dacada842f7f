//! `@`: the AWS calls this console made (operation, account, result,
//! duration), newest first. The data layer records them (`aws::CallLog`);
//! `run.rs` passes new ones in as they are made.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::model::{CallEntry, CallOutcome};
use crate::tui::app::State;
use crate::tui::theme::Theme;
use crate::tui::views::overlay_area;
use crate::tui::widgets::table::{self, Cell, Chrome, Column, RowTone, SortKey, TableRow, Width};

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Time", Width::Fixed(8)).sort(SortKey::Value),
        Column::new("Service", Width::Auto { min: 3, max: 16 }),
        Column::new("Operation", Width::Fill(2)),
        Column::new("Target", Width::Fill(2)).wide(),
        Column::new("Profile", Width::Auto { min: 7, max: 16 }),
        Column::new("Account", Width::Auto { min: 7, max: 12 }),
        Column::new("Result", Width::Fill(2)),
        Column::new("Duration", Width::Auto { min: 8, max: 10 }).sort(SortKey::Value),
    ]
}

/// Newest first.
pub fn rows(entries: &[CallEntry]) -> Vec<TableRow> {
    entries
        .iter()
        .rev()
        .map(|e| {
            let tone = match (&e.outcome, e.attempts) {
                (CallOutcome::Ok, 0 | 1) => RowTone::Normal,
                (CallOutcome::Ok, _) => RowTone::Warn,
                _ => RowTone::Bad,
            };
            TableRow::new(
                e.seq.to_string(),
                vec![
                    Cell::new(e.started.format("%H:%M:%S").to_string())
                        .value(e.started.timestamp_millis()),
                    Cell::new(e.service.clone()),
                    Cell::new(e.operation.clone()),
                    Cell::new(e.target.clone().unwrap_or_default()),
                    Cell::new(e.profile.clone()),
                    Cell::new(e.account.clone().unwrap_or_else(|| "…".into())),
                    Cell::new(e.result()),
                    Cell::new(format!("{} ms", e.duration_ms)).value(e.duration_ms as i64),
                ],
            )
            .tone(tone)
        })
        .collect()
}

/// Everything the log knows of one call, for Enter on it.
pub fn detail(e: &CallEntry) -> Vec<String> {
    vec![
        format!(
            "Time       {}",
            e.started.format("%Y-%m-%d %H:%M:%S%.3f UTC")
        ),
        format!("Service    {}", e.service),
        format!("Operation  {}", e.operation),
        format!(
            "Target     {}",
            e.target.as_deref().unwrap_or("— (the request names no id)")
        ),
        format!("Profile    {}", e.profile),
        format!(
            "Account    {}",
            e.account.as_deref().unwrap_or("not known yet")
        ),
        format!("Region     {}", e.region),
        format!("Result     {}", e.outcome),
        format!(
            "Attempts   {}{}",
            e.attempts,
            if e.attempts > 1 {
                " (the SDK tried again)"
            } else {
                ""
            }
        ),
        format!(
            "Duration   {} ms, every attempt and wait included",
            e.duration_ms
        ),
    ]
}

/// Draws the overlay over `area`; returns how many rows fit.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) -> usize {
    let area = overlay_area(frame, area, 94, 80);
    let mut chrome = Chrome::new("AWS calls", "No AWS calls yet.", theme);
    chrome.border = theme.overlay.border;
    chrome.title_style = theme.overlay.title;
    table::draw(frame, area, state.calls().table(), theme, chrome)
}
