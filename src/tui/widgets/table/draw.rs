//! Drawing a table and its detail pane.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell as TuiCell, HighlightSpacing, Paragraph, Row, Table, TableState,
};

use super::highlight::spans;
use super::layout::column_widths;
use super::model::{Order, TableModel};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::printable;

/// What frames a table: its title and what to say when it has no rows.
#[derive(Debug, Clone, Copy)]
pub struct Chrome<'a> {
    pub title: &'a str,
    /// Shown when there are no rows at all (loading, nothing found, an error).
    pub empty: &'a str,
    /// The border's style (overlays stand out).
    pub border: Style,
    pub title_style: Style,
}

impl<'a> Chrome<'a> {
    pub fn new(title: &'a str, empty: &'a str, theme: &Theme) -> Self {
        Self {
            title,
            empty,
            border: theme.table.border,
            title_style: theme.table.title,
        }
    }
}

/// Draws the table in `area`; returns how many rows fit (tell the model
/// with [`TableModel::set_height`]).
/// `text` cut to its last `room` characters, `…` first when cut.
fn keep_end(text: &str, room: usize) -> std::borrow::Cow<'_, str> {
    let n = text.chars().count();
    if n <= room || room < 2 {
        return text.into();
    }
    let skip = n - (room - 1);
    let start = text.char_indices().nth(skip).map_or(text.len(), |(i, _)| i);
    format!("…{}", &text[start..]).into()
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    model: &TableModel,
    theme: &Theme,
    chrome: Chrome,
) -> usize {
    let count = if model.len() == model.total() {
        format!("({}) ", model.total())
    } else {
        format!("({} of {}) ", model.len(), model.total())
    };
    // A title too long for the frame loses its start (the way in), never
    // its end (what the table is) or the count.
    let room = usize::from(area.width)
        .saturating_sub(4 + count.chars().count() + model.filter().chars().count());
    let mut title = vec![Span::styled(
        format!(" {} ", keep_end(chrome.title, room)),
        chrome.title_style,
    )];
    title.push(Span::styled(count, chrome.title_style));
    if !model.filter().is_empty() {
        title.push(Span::styled(
            format!("/{} ", model.filter()),
            theme.table.filter,
        ));
    }
    if model.mark_count() > 0 {
        title.push(Span::styled(
            format!("{} marked ", model.mark_count()),
            theme.table.mark,
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(chrome.border)
        .title(Line::from(title));
    let inner = block.inner(area);
    let height = inner.height.saturating_sub(1) as usize;

    let sort = model.sort();
    let cells = column_widths(
        &model.columns,
        &model.content_widths,
        model.sort,
        inner.width,
    );
    // A wide column without room is left out whole.
    let shown: Vec<usize> = (0..model.columns.len())
        .filter(|&j| !model.columns[j].wide || cells.get(j).is_some_and(|w| *w > 0))
        .collect();
    let header = Row::new(
        std::iter::once(TuiCell::from("")).chain(shown.iter().map(|&i| {
            let c = &model.columns[i];
            let arrow = match sort {
                Some(s) if s.column == i && s.order == Order::Ascending => " ▲",
                Some(s) if s.column == i => " ▼",
                _ => "",
            };
            TuiCell::from(format!("{}{arrow}", c.title))
        })),
    )
    .style(theme.table.header);
    // Ids lose their middle (both ends tell them apart), the rest its end;
    // a value cut always ends in an ellipsis.
    let middle: Vec<bool> = model.columns.iter().map(|c| c.title == "Id").collect();
    let fit = |j: usize, text: &str| -> String {
        let max = cells.get(j).copied().unwrap_or(0) as usize;
        if middle.get(j).copied().unwrap_or(false) {
            super::super::text::shorten_middle(text, max)
        } else {
            super::super::text::truncate(text, max).into_owned()
        }
    };
    let widths = std::iter::once(Constraint::Length(1))
        .chain(shown.iter().map(|&j| Constraint::Length(cells[j])));

    let (offset, count) = model.window(height);
    // The matched characters, of the rows drawn only.
    let mut scratch = (!model.query.is_empty()).then(|| model.matcher.lock());
    let rows = model.view[offset..offset + count].iter().map(|&i| {
        let row = &model.rows[i];
        let marked = model.is_marked(&row.key);
        let mut style = theme.row(row.tone);
        if marked {
            style = style.patch(theme.table.mark);
        }
        let hits = match scratch.as_deref_mut() {
            Some(s) => model.query.highlights(row, &shown, s),
            None => Vec::new(),
        };
        let mark = TuiCell::from(if marked { "●" } else { " " });
        let cells = shown.iter().enumerate().filter_map(|(k, &j)| {
            let c = row.cells.get(j)?;
            let base = c.tone.map_or_else(Style::default, |tone| theme.tone(tone));
            let matched = hits.get(k).map_or(&[][..], Vec::as_slice);
            let text = fit(j, &c.text);
            Some(TuiCell::from(spans(
                &c.text,
                text,
                matched,
                base,
                theme.table.matched,
            )))
        });
        Row::new(std::iter::once(mark).chain(cells)).style(style)
    });
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(theme.table.selection)
        .highlight_symbol("›")
        .highlight_spacing(HighlightSpacing::Always);
    let selected = (!model.is_empty()).then(|| model.selected - offset);
    let mut state = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, area, &mut state);

    if model.is_empty() && inner.height > 2 {
        let message = if model.total() == 0 {
            chrome.empty.to_string()
        } else {
            match model.filter_problem() {
                Some(problem) => format!(
                    "No rows match /{} — {problem}. Esc clears the filter.",
                    model.filter()
                ),
                None => format!("No rows match /{} — Esc clears the filter.", model.filter()),
            }
        };
        // Wrapped, whole: an empty state may say why nothing was read.
        let room = (inner.height - 1) as usize;
        let mut lines =
            super::super::text::wrap(&message, (inner.width as usize).saturating_sub(2));
        if lines.len() > room {
            lines.truncate(room);
            if let Some(last) = lines.last_mut() {
                *last = super::super::text::truncate(&format!("{last} …"), inner.width as usize)
                    .into_owned();
            }
        }
        let height = lines.len() as u16;
        let line_area = Rect {
            y: inner.y + 1 + (inner.height - 1).saturating_sub(height) / 2,
            height,
            ..inner
        };
        frame.render_widget(
            Paragraph::new(
                lines
                    .into_iter()
                    .map(|l| Line::styled(l, theme.table.empty))
                    .collect::<Vec<_>>(),
            )
            .alignment(Alignment::Center),
            line_area,
        );
    }
    height
}

/// The detail pane: `key  value` lines supplied by the screen; a line
/// with an empty key is a heading or a continuation. Long values wrap
/// under themselves.
pub fn draw_detail(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: &[(String, String)],
    theme: &Theme,
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.table.border)
        .title(Span::styled(format!(" {title} "), theme.table.title));
    let width = block.inner(area).width as usize;
    let key_width = lines
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut text: Vec<Line> = Vec::new();
    for (k, v) in lines {
        // A value from AWS may hold control characters: shown, not obeyed.
        let v = printable(v);
        let v = v.as_ref();
        if k.is_empty() {
            let indent = v.chars().take_while(|c| *c == ' ').count();
            for (i, part) in wrap(v.trim_start(), width.saturating_sub(indent))
                .into_iter()
                .enumerate()
            {
                let pad = if i == 0 { indent } else { indent + 2 };
                text.push(Line::styled(
                    format!("{:pad$}{part}", ""),
                    theme.detail.value,
                ));
            }
        } else {
            let indent = key_width + 2;
            for (i, part) in wrap(v, width.saturating_sub(indent))
                .into_iter()
                .enumerate()
            {
                let key = if i == 0 { k.as_str() } else { "" };
                text.push(Line::from(vec![
                    Span::styled(format!("{key:<key_width$}  "), theme.detail.key),
                    Span::styled(part, theme.detail.value),
                ]));
            }
        }
    }
    frame.render_widget(Paragraph::new(text).block(block), area);
}

/// Greedy word wrap to `width` characters, keeping runs of spaces (a
/// detail's aligned columns); a word longer than a line breaks as
/// [`break_word`](super::super::text::break_word) says (ARNs after `:` or `/`).
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split(' ') {
        let w = super::super::text::width(word);
        let sep = usize::from(len > 0);
        if len + sep + w <= width {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            len += sep + w;
            continue;
        }
        if len > 0 {
            lines.push(std::mem::take(&mut line));
        }
        let mut pieces = super::super::text::break_word(word, width);
        line = pieces.pop().unwrap_or_default();
        len = super::super::text::width(&line);
        lines.extend(pieces);
    }
    if len > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}
