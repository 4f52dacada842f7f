//! The profile picker: every profile of the AWS config and credentials
//! files, with how it gets credentials and its region; Enter switches.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::model::ProfileInfo;
use crate::tui::app::State;
use crate::tui::theme::Theme;
use crate::tui::views::overlay_area;
use crate::tui::widgets::table::{self, Cell, Chrome, Column, RowTone, TableRow, Width};

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Profile", Width::Fill(1)),
        Column::new("Kind", Width::Auto { min: 4, max: 18 }),
        Column::new("Region", Width::Auto { min: 6, max: 16 }),
        Column::new("Endpoint", Width::Fill(1)),
        Column::new("Problem", Width::Fill(2)),
    ]
}

/// One row per profile; the current one stands out, and one whose
/// credentials failed says why, on its own line.
pub fn rows(
    profiles: &[ProfileInfo],
    current: &str,
    problems: &std::collections::BTreeMap<String, String>,
) -> Vec<TableRow> {
    profiles
        .iter()
        .map(|p| {
            let problem = problems.get(&p.name);
            let tone = match (problem, p.name == current) {
                (Some(_), _) => RowTone::Bad,
                (None, true) => RowTone::Good,
                (None, false) => RowTone::Normal,
            };
            TableRow::new(
                p.name.clone(),
                vec![
                    Cell::new(if p.name == current {
                        format!("{} (current)", p.name)
                    } else {
                        p.name.clone()
                    }),
                    Cell::new(p.kind.label()),
                    Cell::new(p.region.clone().unwrap_or_else(|| "—".into())),
                    Cell::new(p.endpoint_url.clone().unwrap_or_default()),
                    Cell::new(problem.cloned().unwrap_or_default()),
                ],
            )
            .tone(tone)
        })
        .collect()
}

/// Draws the picker over `area`; returns how many rows fit.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) -> usize {
    let area = overlay_area(frame, area, 80, 70);
    let empty = match state.profiles().list() {
        None => "Reading the AWS config files…",
        Some(_) => "No profiles in the AWS config or credentials files.",
    };
    let mut chrome = Chrome::new("Profiles", empty, theme);
    chrome.border = theme.overlay.border;
    chrome.title_style = theme.overlay.title;
    table::draw(frame, area, state.profiles().table(), theme, chrome)
}
