//! The modal in front of the screen: an action's form, its plan waiting
//! for confirmation, its progress, and how it ended; the question `q`
//! asks while work is in flight.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::tui::app::{Dialog, State};
use crate::tui::keymap::{Action, Keymap};
use crate::tui::theme::Theme;
use crate::tui::widgets::modal::Hint;
use crate::tui::widgets::text::printable;
use crate::tui::widgets::{confirm, form};

/// Draws the dialog of `state` over `area`.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(dialog) = state.dialog() else {
        return;
    };
    let keys = state.keymap();
    let esc = keys.hint(Action::Cancel);
    match dialog {
        Dialog::Share { form, .. }
        | Dialog::Accept { form, .. }
        | Dialog::Launch { form, .. }
        | Dialog::Update { form, .. }
        | Dialog::Versions { form, .. }
        | Dialog::Hub { form, .. }
        | Dialog::Unshare { form, .. }
        | Dialog::Repair { form, .. }
        | Dialog::Action { form, .. } => form::draw(frame, area, form, theme, keys),
        Dialog::Confirm { confirm, .. } | Dialog::Detect { confirm, .. } => {
            confirm::draw(frame, area, confirm, theme, keys)
        }
        Dialog::Progress { request } => {
            let Some(run) = state.running().iter().find(|r| r.request == *request) else {
                return;
            };
            let spinner = super::SPINNER[state.spinner() % super::SPINNER.len()];
            let mut lines: Vec<Line> = run
                .lines
                .iter()
                .map(|l| Line::from(printable(l).into_owned()))
                .collect();
            if run.done.is_none() {
                lines.push(Line::from(Span::styled(
                    format!(
                        "{spinner} working… ({esc} leaves it running; the status line follows it)"
                    ),
                    theme.status.busy,
                )));
            }
            draw_box(
                frame,
                area,
                &run.title,
                lines,
                theme,
                &format!("{esc} hide"),
            );
        }
        Dialog::Report { title, lines, ok } => {
            let style = if *ok {
                theme.status.info
            } else {
                theme.status.error
            };
            let lines: Vec<Line> = lines
                .iter()
                .map(|l| Line::from(Span::styled(printable(l).into_owned(), style)))
                .collect();
            draw_box(frame, area, title, lines, theme, "any key closes");
        }
        Dialog::BulkPlanning { count, .. } => {
            let spinner = super::SPINNER[state.spinner() % super::SPINNER.len()];
            let lines = vec![
                Line::from(format!(
                    "{spinner} Reading the stack of each of {count} provisioned products and"
                )),
                Line::from(
                    "  what its update would replace (a provisioned product plan, deleted once read)…",
                ),
            ];
            draw_box(
                frame,
                area,
                "Planning the bulk update",
                lines,
                theme,
                &format!("{esc} abandon"),
            );
        }
        Dialog::BulkPlan { confirm, .. } => confirm::draw(frame, area, confirm, theme, keys),
        Dialog::BulkRun => super::bulk::draw(frame, area, state, theme),
        Dialog::Quit { confirm, .. } => confirm::draw(frame, area, confirm, theme, keys),
    }
}

/// The keys of the dialog, for the hint bar.
pub fn hints(dialog: &Dialog, keys: &Keymap) -> Vec<Hint> {
    let esc = keys.hint(Action::Cancel);
    match dialog {
        Dialog::Share { form, .. }
        | Dialog::Accept { form, .. }
        | Dialog::Launch { form, .. }
        | Dialog::Update { form, .. }
        | Dialog::Versions { form, .. }
        | Dialog::Hub { form, .. }
        | Dialog::Unshare { form, .. }
        | Dialog::Repair { form, .. }
        | Dialog::Action { form, .. } => form.hints(keys),
        Dialog::Confirm { confirm, .. } | Dialog::Detect { confirm, .. } => confirm.hints(keys),
        Dialog::Progress { .. } => vec![(esc, "hide; the action goes on")],
        Dialog::Report { .. } => vec![("any key".into(), "close")],
        Dialog::BulkPlanning { .. } => vec![(esc, "abandon")],
        Dialog::BulkPlan { plan, confirm } => {
            let mut hints = Vec::new();
            if !confirm.is_read_only() && crate::ops::bulk::to_preview(plan) > 0 {
                hints.push((
                    keys.hint(Action::PreviewRisk),
                    "preview the risk (temporary plans)",
                ));
            }
            hints.push((keys.hint(Action::IncludeRisky), "include/leave out risky"));
            hints.extend(confirm.hints(keys));
            hints
        }
        Dialog::BulkRun => vec![
            (keys.hint(Action::CancelRun), "cancel what has not started"),
            (esc, "hide; it goes on"),
        ],
        Dialog::Quit { confirm, .. } => confirm.hints(keys),
    }
}

/// A bordered box sized to its lines, in the middle of `area`.
pub(super) fn draw_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line>,
    theme: &Theme,
    keys: &str,
) {
    let width = lines
        .iter()
        .map(|l| l.width())
        .max()
        .unwrap_or(0)
        .max(title.chars().count() + 4)
        .saturating_add(4)
        .min(100)
        .min(area.width as usize) as u16;
    let inner = (width as usize).saturating_sub(2).max(1);
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let height = (rows + 3).min(area.height as usize) as u16;
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    let mut lines = lines;
    lines.push(Line::from(Span::styled(keys.to_string(), theme.hints.text)));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.overlay.border)
        .title(Span::styled(
            format!(" {} ", printable(title)),
            theme.overlay.title,
        ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}
