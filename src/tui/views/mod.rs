//! Drawing: the frame every screen shares (header, status, hints) and one
//! module per screen.

pub mod portfolios;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{Mode, State, StatusKind};
use super::theme;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// What drawing remembers between frames (scroll positions).
#[derive(Debug, Default, Clone)]
pub struct ViewState {
    pub portfolios: portfolios::TableView,
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, state: &State, view: &mut ViewState) {
    let [header, body, status, hints] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_header(frame, header, state);
    portfolios::draw(frame, body, state, &mut view.portfolios);
    draw_status(frame, status, state);
    draw_hints(frame, hints, state);
}

fn field<'a>(label: &'a str, value: &'a str) -> [Span<'a>; 2] {
    [
        Span::styled(format!("  {label} "), theme::label()),
        Span::styled(value, theme::value()),
    ]
}

fn draw_header(frame: &mut Frame, area: Rect, state: &State) {
    let badge = if state.read_only {
        Span::styled(" RO ", theme::read_only_badge())
    } else {
        Span::styled(" RW ", theme::read_write_badge())
    };
    let pending = "…";
    let account = state
        .identity
        .as_ref()
        .map_or(pending, |i| i.account_id.as_str());
    let region = state.region.as_deref().unwrap_or(pending);
    let mut first = vec![badge, Span::styled(" spoke", theme::title())];
    first.extend(field("profile", &state.profile));
    first.extend(field("account", account));
    first.extend(field("region", region));

    let caller = state.identity.as_ref().map_or(pending, |i| i.arn.as_str());
    let mut second = vec![Span::raw("    ")];
    second.extend(field("caller", caller));
    if let Some(endpoint) = state
        .connection
        .as_ref()
        .and_then(|c| c.endpoint.as_deref())
    {
        second.extend(field("endpoint", endpoint));
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

fn draw_status(frame: &mut Frame, area: Rect, state: &State) {
    let line = match &state.mode {
        Mode::Command(text) => Line::from(vec![
            Span::styled(":", theme::key()),
            Span::raw(text.as_str()),
            Span::styled("█", theme::label()),
        ]),
        Mode::Normal => match state.status.kind {
            StatusKind::Busy => Line::from(vec![
                Span::styled(SPINNER[state.spinner % SPINNER.len()], theme::busy()),
                Span::raw(" "),
                Span::styled(state.status.text.as_str(), theme::busy()),
            ]),
            StatusKind::Error => Line::from(vec![
                Span::styled("✗ ", theme::error()),
                Span::styled(state.status.text.as_str(), theme::error()),
            ]),
            StatusKind::Info => Line::raw(state.status.text.as_str()),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_hints(frame: &mut Frame, area: Rect, state: &State) {
    let hints: &[(&str, &str)] = match state.mode {
        Mode::Command(_) => &[
            ("Enter", "run"),
            ("Esc", "cancel"),
            (":profile", "NAME"),
            (":region", "NAME"),
        ],
        Mode::Normal => &[
            ("q", "quit"),
            ("j/k", "move"),
            ("g/G", "top/bottom"),
            ("R", "refresh"),
            (":", "command"),
        ],
    };
    let mut spans = Vec::new();
    for (key, what) in hints {
        spans.push(Span::styled(format!(" {key}"), theme::key()));
        spans.push(Span::styled(format!(" {what} "), theme::label()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
