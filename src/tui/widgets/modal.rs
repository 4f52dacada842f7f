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

/// How big a modal may be in an area: it grows with the terminal, so a
/// dialog on a 200-column screen is not a strip in its middle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Room {
    /// The widest a modal gets: four fifths of the area, at least 100
    /// columns (all of a narrower area).
    pub max: usize,
    /// The narrowest: two fifths of the area.
    pub min: usize,
    /// How wide a value or a line of text asks to be before it wraps.
    pub wide: usize,
}

impl Room {
    pub fn of(area: Rect) -> Room {
        let w = area.width as usize;
        let max = (w * 4 / 5).max(100).min(w);
        Room {
            max,
            min: (w * 2 / 5).min(max),
            wide: max.saturating_sub(40).max(60),
        }
    }

    /// The width a modal that wants `want` columns gets.
    pub fn width(&self, want: usize) -> usize {
        want.clamp(self.min, self.max)
    }
}

/// Where a modal of `want` columns and rows goes in `area`: centred, as
/// wide as [`Room`] lets it be.
pub(super) fn modal_rect(area: Rect, want_width: usize, want_height: usize) -> Rect {
    let width = (Room::of(area).width(want_width) as u16).min(area.width);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_modal_grows_with_the_terminal() {
        let area = |w| Rect::new(0, 0, w, 40);
        // 80 columns: at most all of it, as before.
        assert_eq!(Room::of(area(80)).width(200), 80);
        assert_eq!(Room::of(area(80)).width(45), 45);
        // 200 columns: a short confirmation is not a strip in the middle,
        // and a long one may take four fifths.
        assert_eq!(Room::of(area(200)).width(45), 80);
        assert_eq!(Room::of(area(200)).width(300), 160);
        assert!(Room::of(area(200)).wide > Room::of(area(80)).wide);
        // A tiny area: never wider than it.
        assert_eq!(Room::of(area(20)).width(100), 20);
    }
}
