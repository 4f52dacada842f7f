//! Drawing a [`Form`] as a modal in the middle of the screen, .
//!
//! The modal is as large as its content and the frame allow (at most
//! [`Room`] columns). When the frame is too small, what matters most
//! stays: the focused field, then the hint line, the error, the intro.
//! Everything from outside is made printable first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::modal::{Room, hint_line, hints_width, modal_box, modal_rect, share_rows};
use super::super::text::{self, pad, printable, truncate, width, wrap};
use super::{Field, Form, Input, LIST_ROWS};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// Help lines shown under a field at most.
const HELP_LINES: usize = 3;
/// Error lines shown for a field or the form at most.
const ERROR_LINES: usize = 4;
/// The width a text field asks for when it is short.
const TEXT_WIDTH: usize = 24;
/// After the submit line's words, in a read-only session.
const PLAN_ONLY: &str = " — READ-ONLY: nothing can be submitted";

/// Where the columns of a field's line go.
struct Columns {
    /// The label's width.
    label: usize,
    /// The value's width.
    value: usize,
}

impl Columns {
    /// Cells before the value: the focus mark, the label, the required mark.
    fn indent(&self) -> usize {
        2 + self.label + 2
    }
}

/// Draws `form` in the middle of `area`.
pub fn draw(frame: &mut Frame, area: Rect, form: &Form, theme: &Theme, keys: &Keymap) {
    if area.width < 2 || area.height < 2 {
        return;
    }
    // The size the content asks for; text asks for more on a wider screen.
    let room = Room::of(area);
    let wide = room.wide;
    let label_width = form
        .fields
        .iter()
        .map(|f| width(&f.label))
        .max()
        .unwrap_or(0);
    let value_width = form
        .fields
        .iter()
        .map(|f| natural_value_width(f, wide))
        .max()
        .unwrap_or(0)
        .max(width(&form.submit_label) + 4 + if form.plan_only { width(PLAN_ONLY) } else { 0 });
    let hints = form.hints(keys);
    let hint_width = hints_width(&hints);
    let want_inner = (2 + label_width + 2 + value_width)
        .max(width(&form.intro).min(wide * 3 / 2))
        .max(width(&form.title) + if form.read_only { 16 } else { 4 })
        .max(hint_width)
        .max(form.error.as_deref().map_or(0, |e| width(e).min(wide) + 2));
    let want_width = want_inner + 4;

    // The width decides the lines, the lines the height.
    let width_now = room.width(want_width).min(area.width as usize);
    let inner_width = width_now.saturating_sub(if width_now >= 24 { 4 } else { 2 });
    let columns = columns(label_width, inner_width);
    let items: Vec<Vec<Line<'static>>> = (0..=form.fields.len())
        .map(|i| item_lines(form, i, &columns, theme))
        .collect();
    let intro: Vec<Line> = if form.intro.trim().is_empty() {
        Vec::new()
    } else {
        wrap(&form.intro, inner_width)
            .into_iter()
            .take(2)
            .map(|l| Line::styled(l, theme.form.note))
            .collect()
    };
    let error: Vec<Line> = form.error.as_deref().map_or_else(Vec::new, |e| {
        error_lines(e, inner_width, theme)
            .into_iter()
            .map(Line::from)
            .collect()
    });
    let total: usize = items.iter().map(Vec::len).sum();
    let want_height =
        intro.len() + usize::from(!intro.is_empty()) + total + error.len() + 1 + 1 + 2;
    let rect = modal_rect(area, want_width, want_height);

    // Rows by importance: the fields (one at least), the hints, the error,
    // the intro, the rest of the fields, then blank lines.
    let rows = rect.height.saturating_sub(2) as usize;
    let [
        fields_min,
        hint_rows,
        error_rows,
        intro_rows,
        fields_more,
        gap_top,
        gap_bottom,
    ] = share_rows(
        rows,
        &[
            1,
            1,
            error.len(),
            intro.len(),
            total.saturating_sub(1),
            usize::from(!intro.is_empty()),
            1,
        ],
    )[..]
    else {
        unreachable!()
    };
    let field_rows = fields_min + fields_more;
    let (first, above, below) = window(form, &items, field_rows);

    let inner = modal_box(
        frame,
        rect,
        &form.title,
        form.read_only,
        (above, below),
        theme,
    );
    let mut lines: Vec<Line> = intro.into_iter().take(intro_rows).collect();
    lines.extend(std::iter::repeat_n(Line::default(), gap_top));
    lines.extend(items.into_iter().skip(first).flatten().take(field_rows));
    lines.extend(std::iter::repeat_n(
        Line::default(),
        field_rows.saturating_sub(lines.len() - intro_rows - gap_top),
    ));
    lines.extend(error.into_iter().take(error_rows));
    lines.extend(std::iter::repeat_n(Line::default(), gap_bottom));
    if hint_rows > 0 {
        lines.push(hint_line(&hints, inner.width as usize, theme));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The first item shown in `rows` rows, and whether items are hidden above
/// and below. Remembers it, so the window moves only when the focus leaves.
fn window(form: &Form, items: &[Vec<Line>], rows: usize) -> (usize, bool, bool) {
    let heights: Vec<usize> = items.iter().map(Vec::len).collect();
    let focus = form.focus.min(heights.len() - 1);
    let first_focusable = form
        .fields
        .iter()
        .position(Field::focusable)
        .unwrap_or(form.fields.len());
    let mut first = if focus <= first_focusable {
        0
    } else {
        form.scroll.get().min(focus)
    };
    while first < focus && heights[first..=focus].iter().sum::<usize>() > rows {
        first += 1;
    }
    while first > 0 && heights[first - 1..].iter().sum::<usize>() <= rows {
        first -= 1;
    }
    form.scroll.set(first);
    let below = heights[first..].iter().sum::<usize>() > rows;
    (first, first > 0, below)
}

fn columns(label_width: usize, inner: usize) -> Columns {
    let label = label_width.min((inner * 2 / 5).max(4));
    Columns {
        label,
        value: inner.saturating_sub(2 + label + 2),
    }
}

/// How wide a field's value would like to be.
fn natural_value_width(field: &Field, wide: usize) -> usize {
    let value = match &field.input {
        Input::Text { value, masked, .. } => {
            let w = if *masked {
                text::graphemes(value).len()
            } else {
                width(value)
            };
            (w + 1).clamp(TEXT_WIDTH, wide)
        }
        Input::Choice { options, .. } => {
            options
                .iter()
                .map(|o| width(o))
                .max()
                .unwrap_or(6)
                .min(wide)
                + 4
        }
        Input::Toggle(_) => 3,
        Input::Note(note) => width(note).min(wide),
    };
    let help = field.help.as_deref().map_or(0, |h| width(h).min(wide));
    let error = field.error.as_deref().map_or(0, |e| width(e).min(wide) + 2);
    value.max(help).max(error)
}

/// `✗ message`, wrapped to `max` cells, at most [`ERROR_LINES`] lines.
fn error_lines(message: &str, max: usize, theme: &Theme) -> Vec<Vec<Span<'static>>> {
    let mut lines = wrap(message, max.saturating_sub(2));
    if lines.len() > ERROR_LINES {
        lines.truncate(ERROR_LINES);
        let last = format!("{} …", lines[ERROR_LINES - 1]);
        lines[ERROR_LINES - 1] = truncate(&last, max.saturating_sub(2)).into_owned();
    }
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let mark = if i == 0 { "✗ " } else { "  " };
            vec![Span::styled(format!("{mark}{l}"), theme.form.error)]
        })
        .collect()
}

/// The lines of item `index`: a field, or the submit line past the last.
fn item_lines(form: &Form, index: usize, columns: &Columns, theme: &Theme) -> Vec<Line<'static>> {
    let focused = form.focus == index;
    let indent = " ".repeat(columns.indent());
    let Some(field) = form.fields.get(index) else {
        // The submit line, after a blank one.
        let (words, style) = if form.read_only && form.plan_only {
            (
                format!("[ {}{PLAN_ONLY} ]", form.submit_label),
                theme.header.read_only,
            )
        } else if form.read_only {
            (
                "[ READ-ONLY session: nothing can be submitted ]".to_string(),
                theme.header.read_only,
            )
        } else if focused {
            (format!("[ {} ]", form.submit_label), theme.form.focused)
        } else {
            (format!("[ {} ]", form.submit_label), theme.form.submit)
        };
        let mark = if focused { "› " } else { "  " };
        let room = (columns.indent() + columns.value).saturating_sub(2);
        return vec![
            Line::default(),
            Line::from(vec![
                Span::styled(mark, theme.form.label),
                Span::styled(truncate(&words, room).into_owned(), style),
            ]),
        ];
    };

    // `› Label*   value`: the required mark right after the label.
    let label = truncate(&field.label, columns.label).into_owned();
    let mark = if field.required { "*" } else { "" };
    let gap = " ".repeat(columns.label + 2 - width(&label) - mark.len());
    let mut head = vec![
        Span::styled(if focused { "› " } else { "  " }, theme.form.label),
        Span::styled(label, theme.form.label),
        Span::styled(mark, theme.form.required),
        Span::raw(gap),
    ];
    let mut lines = Vec::new();
    match &field.input {
        Input::Note(note) => {
            let mut parts = wrap(note, columns.value).into_iter();
            head.push(Span::styled(
                parts.next().unwrap_or_default(),
                theme.form.note,
            ));
            lines.push(Line::from(head));
            for part in parts {
                lines.push(Line::from(vec![
                    Span::raw(indent.clone()),
                    Span::styled(part, theme.form.note),
                ]));
            }
        }
        _ => {
            head.extend(value_spans(form, field, focused, columns.value, theme));
            lines.push(Line::from(head));
        }
    }
    if focused && form.picker.is_some() {
        for spans in picker_lines(form, columns.value, theme) {
            lines.push(Line::from(
                [vec![Span::raw(indent.clone())], spans].concat(),
            ));
        }
    }
    if let Some(error) = &field.error {
        for spans in error_lines(error, columns.value, theme) {
            lines.push(Line::from(
                [vec![Span::raw(indent.clone())], spans].concat(),
            ));
        }
    }
    if let Some(help) = &field.help {
        let mut parts = wrap(help, columns.value);
        if parts.len() > HELP_LINES {
            parts.truncate(HELP_LINES);
            let last = format!("{} …", parts[HELP_LINES - 1]);
            parts[HELP_LINES - 1] = truncate(&last, columns.value).into_owned();
        }
        for part in parts {
            lines.push(Line::from(vec![
                Span::raw(indent.clone()),
                Span::styled(part, theme.form.help),
            ]));
        }
    }
    lines
}

/// A field's value in `max` cells.
fn value_spans(
    form: &Form,
    field: &Field,
    focused: bool,
    max: usize,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let style = if focused {
        theme.form.focused
    } else {
        theme.form.input
    };
    match &field.input {
        Input::Text {
            value,
            cursor,
            masked,
            ..
        } => text_spans(form, value, *cursor, *masked, focused, max, theme),
        Input::Choice { options, selected } => {
            let shown = match options.get(*selected) {
                Some(option) => truncate(option, max.saturating_sub(2)).into_owned(),
                None => "(none)".to_string(),
            };
            let widest = options.iter().map(|o| width(o)).max().unwrap_or(6);
            let cells = (widest + 2).min(max);
            vec![Span::styled(pad(&format!("{shown} ▾"), cells), style)]
        }
        Input::Toggle(on) => {
            let shown = if *on { "[x]" } else { "[ ]" };
            vec![Span::styled(truncate(shown, max).into_owned(), style)]
        }
        Input::Note(_) => Vec::new(),
    }
}

/// A text value in `max` cells: from its start, or, focused, around the
/// cursor (the window remembered in the form).
fn text_spans(
    form: &Form,
    value: &str,
    cursor: usize,
    masked: bool,
    focused: bool,
    max: usize,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let graphemes = text::graphemes(value);
    let shown: Vec<String> = graphemes
        .iter()
        .map(|g| {
            if masked {
                "•".to_string()
            } else {
                printable(g).into_owned()
            }
        })
        .collect();
    let widths: Vec<usize> = shown.iter().map(|g| text::grapheme_width(g)).collect();
    let n = shown.len();
    if !focused {
        let style = theme.form.input;
        let all: usize = widths.iter().sum();
        let room = if all > max {
            max.saturating_sub(1)
        } else {
            max
        };
        let mut out = String::new();
        let mut used = 0;
        for (g, w) in shown.iter().zip(&widths) {
            if used + w > room {
                break;
            }
            out.push_str(g);
            used += w;
        }
        if all > max && max > 0 {
            out.push('…');
        }
        return vec![Span::styled(pad(&out, max), style)];
    }

    let style = theme.form.focused;
    let cursor_style = style.patch(theme.form.cursor);
    // The grapheme under the cursor.
    let at = graphemes
        .iter()
        .scan(0, |end, g| {
            *end += g.len();
            Some(*end)
        })
        .take_while(|&end| end <= cursor)
        .count();
    let cursor_width = widths.get(at).copied().unwrap_or(1).max(1);
    let mut first = form.hscroll.get().min(at);
    while first < at && widths[first..at].iter().sum::<usize>() + cursor_width > max {
        first += 1;
    }
    while first > 0 && widths[first - 1..].iter().sum::<usize>() < max {
        first -= 1;
    }
    form.hscroll.set(first);

    let before: String = shown[first..at].concat();
    let mut used = widths[first..at].iter().sum::<usize>();
    let under = match shown.get(at) {
        Some(g) if widths[at] > 0 => g.clone(),
        _ => " ".to_string(),
    };
    used += cursor_width;
    let mut after = String::new();
    for i in at + 1..n {
        if used + widths[i] > max {
            break;
        }
        after.push_str(&shown[i]);
        used += widths[i];
    }
    let mut spans = vec![
        Span::styled(before, style),
        Span::styled(under, cursor_style),
        Span::styled(after, style),
    ];
    if used < max {
        spans.push(Span::styled(" ".repeat(max - used), style));
    }
    spans
}

/// The open choice list: a filter line, then the matching options.
fn picker_lines(form: &Form, max: usize, theme: &Theme) -> Vec<Vec<Span<'static>>> {
    let (Some(picker), Some(Input::Choice { options, selected })) =
        (&form.picker, form.fields.get(form.focus).map(|f| &f.input))
    else {
        return Vec::new();
    };
    let matches = form.matches();
    let count = format!("  {} of {}", matches.len(), options.len());
    let mut lines = Vec::new();
    if picker.filter.is_empty() {
        lines.push(vec![Span::styled(
            truncate(&format!("type to filter{count}"), max).into_owned(),
            theme.form.help,
        )]);
    } else {
        let filter = truncate(&picker.filter, max.saturating_sub(2 + width(&count)));
        lines.push(vec![
            Span::styled("/", theme.hints.key),
            Span::styled(filter.into_owned(), theme.table.filter),
            Span::styled("█", theme.header.label),
            Span::styled(count, theme.form.help),
        ]);
    }
    if matches.is_empty() {
        lines.push(vec![Span::styled("no match", theme.form.help)]);
    }
    let offset = picker.offset.min(matches.len().saturating_sub(LIST_ROWS));
    for (position, &option) in matches.iter().enumerate().skip(offset).take(LIST_ROWS) {
        let mark = if option == *selected { "✓ " } else { "  " };
        let shown = truncate(&options[option], max.saturating_sub(2));
        let row = pad(&format!("{mark}{shown}"), max);
        let style = if position == picker.highlight {
            theme.table.selection
        } else {
            Style::new()
        };
        lines.push(vec![Span::styled(row, style)]);
    }
    lines
}
