//! The pieces every modal shares: where it goes, its box (title, READ-ONLY
//! badge, scroll mark), its hint line, and how its rows are shared when
//! the frame is too small.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Padding};

use super::text::{truncate, width};
use crate::tui::theme::Theme;

/// A key (as the keymap names it) and what it does, for a hint line.
pub type Hint = (String, &'static str);

/// The widest a modal gets.
pub const MAX_WIDTH: u16 = 100;

/// Where a modal of `want` columns and rows goes in `area`: centred, no
/// larger than `area` nor [`MAX_WIDTH`] wide.
pub(super) fn modal_rect(area: Rect, want_width: usize, want_height: usize) -> Rect {
    let width = (want_width.min(MAX_WIDTH as usize) as u16).min(area.width);
    let height = (want_height.min(u16::MAX as usize) as u16).min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// Clears `rect` and draws the modal's box: the title, a READ-ONLY badge,
/// and a scroll mark at the bottom. Returns the inside.
pub(super) fn modal_box(
    frame: &mut Frame,
    rect: Rect,
    title: &str,
    read_only: bool,
    more: (bool, bool),
    theme: &Theme,
) -> Rect {
    frame.render_widget(Clear, rect);
    let badge = " READ-ONLY ";
    let room = (rect.width as usize).saturating_sub(4);
    let mut spans = Vec::new();
    if read_only && room >= badge.len() + 4 {
        let title = truncate(title, room - badge.len() - 3);
        spans.push(Span::styled(format!(" {title} "), theme.overlay.title));
        spans.push(Span::styled(badge, theme.header.read_only));
    } else {
        let title = truncate(title, room.saturating_sub(2));
        spans.push(Span::styled(format!(" {title} "), theme.overlay.title));
    }
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.overlay.border)
        .title(Line::from(spans))
        .padding(Padding::horizontal(u16::from(rect.width >= 24)));
    let mark = match more {
        (true, true) => " ▲▼ more ",
        (true, false) => " ▲ more ",
        (false, true) => " ▼ more ",
        (false, false) => "",
    };
    if !mark.is_empty() && rect.width as usize >= width(mark) + 4 {
        block = block.title_bottom(Line::styled(mark, theme.hints.more).right_aligned());
    }
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// The keys of a modal on one line: `Tab next · Esc cancel`, as many as fit.
pub(super) fn hint_line(hints: &[Hint], max: usize, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (i, (key, what)) in hints.iter().enumerate() {
        let sep = if i == 0 { "" } else { " · " };
        let cost = width(sep) + width(key) + 1 + width(what);
        if used + cost > max {
            break;
        }
        used += cost;
        spans.push(Span::styled(sep, theme.hints.text));
        spans.push(Span::styled(key.to_string(), theme.hints.key));
        spans.push(Span::styled(format!(" {what}"), theme.hints.text));
    }
    Line::from(spans)
}

/// The cells [`hint_line`] would take for all of `hints`.
pub(super) fn hints_width(hints: &[Hint]) -> usize {
    hints
        .iter()
        .map(|(key, what)| width(key) + 1 + width(what) + 3)
        .sum::<usize>()
        .saturating_sub(3)
}

/// How the rows of a modal are shared when they are too few: each part
/// gets what it wants in order of importance.
pub(super) fn share_rows(mut rows: usize, wants: &[usize]) -> Vec<usize> {
    wants
        .iter()
        .map(|&want| {
            let got = want.min(rows);
            rows -= got;
            got
        })
        .collect()
}
