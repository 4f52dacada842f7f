//! "What it will do, then ask": the plan of a mutation (rows, from → to,
//! what is skipped and why) and a question.
//!
//! For one item the answer is `y` or no — No by default: `n`, Esc, Enter
//! and any other key mean no, only the scroll keys do not answer. For a
//! bulk action the user types the count or the word the dialog names, then
//! Enter. A read-only session sees the plan marked READ-ONLY and cannot
//! confirm it: any key but the scroll keys closes it.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::modal::{Hint, hint_line, hints_width, modal_box, modal_rect, share_rows};
use super::text::{self, grapheme_width, printable, truncate, width, wrap};
use crate::tui::keymap::{Action, Keymap, Typed};
use crate::tui::theme::Theme;

/// What a line of the plan says about itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum PlanTone {
    #[default]
    Normal,
    /// Will be done and is fine.
    Ok,
    /// Will be done; worth a look.
    Warn,
    /// Will not be done (and the line says why).
    Skip,
    /// Destructive, or not done for a failure (unreachable).
    Danger,
    /// Will be done, and it replaces or removes resources.
    Risky,
}

impl PlanTone {
    /// A symbol as well as a colour.
    pub fn symbol(self) -> &'static str {
        match self {
            PlanTone::Normal => " ",
            PlanTone::Ok => "✓",
            PlanTone::Warn => "!",
            PlanTone::Skip => "·",
            PlanTone::Danger => "✗",
            PlanTone::Risky => "⚠",
        }
    }

    fn style(self, theme: &Theme) -> Style {
        match self {
            PlanTone::Normal => theme.detail.value,
            PlanTone::Ok => theme.tones.good,
            PlanTone::Warn => theme.tones.warn,
            PlanTone::Skip => theme.tones.dim,
            PlanTone::Danger | PlanTone::Risky => theme.tones.bad,
        }
    }
}

/// One line of the plan: `label  value`, `label  from → to`, or a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanLine {
    pub label: String,
    pub from: Option<String>,
    pub value: String,
    pub tone: PlanTone,
}

impl PlanLine {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> PlanLine {
        PlanLine {
            label: label.into(),
            from: None,
            value: value.into(),
            tone: PlanTone::Normal,
        }
    }

    /// `label  from → to`.
    pub fn change(
        label: impl Into<String>,
        from: impl Into<String>,
        to: impl Into<String>,
    ) -> PlanLine {
        PlanLine {
            from: Some(from.into()),
            ..PlanLine::new(label, to)
        }
    }

    /// A line with no label.
    pub fn text(text: impl Into<String>) -> PlanLine {
        PlanLine::new("", text)
    }

    pub fn tone(mut self, tone: PlanTone) -> PlanLine {
        self.tone = tone;
        self
    }
}

/// How the user says yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmKind {
    /// `y`; anything else is no.
    YesNo,
    /// Types this word (or count), then Enter.
    Typed(String),
    /// Nothing to decide (nothing would be done): any key closes.
    Notice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmOutcome {
    Pending,
    Confirmed,
    Cancelled,
}

/// The longest answer a typed confirmation takes.
const TYPED_MAX: usize = 64;

/// A plan and its question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    title: String,
    plan: Vec<PlanLine>,
    note: Option<String>,
    question: String,
    kind: ConfirmKind,
    read_only: bool,
    typed: String,
    error: Option<String>,
    /// The first plan line shown; drawing keeps it in range.
    scroll: Cell<usize>,
    /// The plan rows shown at the last draw (for the page keys).
    rows: Cell<usize>,
}

impl Confirm {
    /// A yes/no question ("Update vpc-main?"), No by default.
    pub fn new(title: impl Into<String>, question: impl Into<String>) -> Confirm {
        Confirm {
            title: title.into(),
            plan: Vec::new(),
            note: None,
            question: question.into(),
            kind: ConfirmKind::YesNo,
            read_only: false,
            typed: String::new(),
            error: None,
            scroll: Cell::new(0),
            rows: Cell::new(0),
        }
    }

    /// Asks for `word` (a count, "update" …) to be typed instead of `y`.
    pub fn typed(mut self, word: impl Into<String>) -> Confirm {
        self.kind = ConfirmKind::Typed(word.into());
        self
    }

    /// Nothing would be done: the plan is shown, any key closes it.
    pub fn notice(mut self) -> Confirm {
        self.kind = ConfirmKind::Notice;
        self
    }

    pub fn line(mut self, line: PlanLine) -> Confirm {
        self.plan.push(line);
        self
    }

    pub fn lines(mut self, lines: impl IntoIterator<Item = PlanLine>) -> Confirm {
        self.plan.extend(lines);
        self
    }

    pub fn push(&mut self, line: PlanLine) {
        self.plan.push(line);
    }

    /// A line above the question (why nothing can be done, what follows).
    pub fn note(mut self, note: impl Into<String>) -> Confirm {
        self.note = Some(note.into());
        self
    }

    /// A read-only session: the plan is shown, nothing can be confirmed.
    pub fn read_only(mut self, read_only: bool) -> Confirm {
        self.read_only = read_only;
        self
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn plan(&self) -> &[PlanLine] {
        &self.plan
    }

    pub fn kind(&self) -> &ConfirmKind {
        &self.kind
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// What has been typed so far (a typed confirmation).
    pub fn typed_text(&self) -> &str {
        &self.typed
    }

    /// Why the last answer was not taken.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The first plan line shown.
    pub fn scroll(&self) -> usize {
        self.scroll.get()
    }

    /// The keys valid now, as (key, what it does), for a hint line.
    pub fn hints(&self, keys: &Keymap) -> Vec<Hint> {
        let k = |a: Action| keys.hint(a);
        let mut hints = match (&self.kind, self.read_only) {
            (_, true) | (ConfirmKind::Notice, _) => vec![("any key".into(), "close")],
            (ConfirmKind::YesNo, false) => vec![
                ("y".into(), "yes"),
                (
                    format!("n/{}/{}", k(Action::Enter), k(Action::Cancel)),
                    "no",
                ),
            ],
            (ConfirmKind::Typed(_), false) => {
                vec![(k(Action::Enter), "confirm"), (k(Action::Cancel), "cancel")]
            }
        };
        hints.push((keys.hint_pair(Action::LineUp, Action::LineDown), "scroll"));
        hints
    }

    /// Scrolls on the scroll keys (and j/k when `letters`); false for any other key.
    fn scroll_key(&mut self, key: Typed, letters: bool) -> bool {
        let page = self.rows.get().max(1);
        let now = self.scroll.get();
        let to = match key {
            Typed::Do(Action::LineUp) => now.saturating_sub(1),
            Typed::Char('k') if letters => now.saturating_sub(1),
            Typed::Do(Action::LineDown) => now.saturating_add(1),
            Typed::Char('j') if letters => now.saturating_add(1),
            Typed::Do(Action::ListPageUp) => now.saturating_sub(page),
            Typed::Do(Action::ListPageDown) => now.saturating_add(page),
            Typed::Do(Action::LineStart) => 0,
            Typed::Do(Action::LineEnd) => self.plan.len().saturating_mul(8),
            _ => return false,
        };
        // Drawing brings it back in range.
        self.scroll.set(to.min(self.plan.len().saturating_mul(8)));
        true
    }

    /// Handles a key. A yes/no question takes `y` for yes and any other
    /// key (but the scroll keys) for no; a typed confirmation takes the
    /// word and Enter.
    pub fn key(&mut self, key: Typed) -> ConfirmOutcome {
        if key == Typed::Ignored {
            return ConfirmOutcome::Pending;
        }
        match self.kind.clone() {
            ConfirmKind::Notice => {
                if self.scroll_key(key, true) {
                    ConfirmOutcome::Pending
                } else {
                    ConfirmOutcome::Cancelled
                }
            }
            _ if self.read_only => {
                if self.scroll_key(key, true) {
                    ConfirmOutcome::Pending
                } else {
                    ConfirmOutcome::Cancelled
                }
            }
            ConfirmKind::YesNo => {
                if matches!(key, Typed::Char('y' | 'Y')) {
                    ConfirmOutcome::Confirmed
                } else if self.scroll_key(key, true) {
                    ConfirmOutcome::Pending
                } else {
                    ConfirmOutcome::Cancelled
                }
            }
            ConfirmKind::Typed(word) => {
                match key {
                    Typed::Do(Action::Cancel) => return ConfirmOutcome::Cancelled,
                    Typed::Do(Action::Enter) => {
                        let typed = self.typed.trim();
                        if !typed.is_empty() && typed.to_lowercase() == word.trim().to_lowercase() {
                            return ConfirmOutcome::Confirmed;
                        }
                        self.error = Some(if typed.is_empty() {
                            format!("Type {word} to go ahead, or Esc to change nothing")
                        } else {
                            format!(
                                "“{typed}” is not {word}: type {word} to go ahead, or Esc to change nothing"
                            )
                        });
                        self.typed.clear();
                    }
                    Typed::Do(Action::DeleteBack) => {
                        self.typed.pop();
                    }
                    Typed::Do(Action::ClearLine) => self.typed.clear(),
                    Typed::Char(c) => {
                        if self.typed.chars().count() < TYPED_MAX {
                            self.typed.push(c);
                            self.error = None;
                        }
                    }
                    other => {
                        self.scroll_key(other, false);
                    }
                }
                ConfirmOutcome::Pending
            }
        }
    }
}

/// Words with their styles wrapped to `max` cells; a word longer than a
/// line is cut between graphemes.
fn wrap_spans(parts: &[(String, Style)], max: usize) -> Vec<Vec<Span<'static>>> {
    let max = max.max(1);
    let mut lines: Vec<Vec<Span<'static>>> = Vec::new();
    let mut line: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (part, style) in parts {
        for word in part.split_whitespace() {
            let word = printable(word);
            let w = width(&word);
            if used > 0 && used + 1 + w <= max {
                line.push(Span::styled(format!(" {word}"), *style));
                used += 1 + w;
                continue;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            let mut chunk = String::new();
            for g in text::graphemes(&word) {
                let gw = grapheme_width(g);
                if used + gw > max && used > 0 {
                    line.push(Span::styled(std::mem::take(&mut chunk), *style));
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                chunk.push_str(g);
                used += gw;
            }
            line.push(Span::styled(chunk, *style));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The plan's lines drawn in `inner` cells.
fn plan_lines(confirm: &Confirm, inner: usize, theme: &Theme) -> Vec<Line<'static>> {
    let toned = confirm.plan.iter().any(|l| l.tone != PlanTone::Normal);
    let symbol = if toned { 2 } else { 0 };
    let label = confirm
        .plan
        .iter()
        .map(|l| width(&l.label))
        .max()
        .unwrap_or(0)
        .min((inner * 2 / 5).max(4));
    let mut lines = Vec::new();
    for line in &confirm.plan {
        let style = line.tone.style(theme);
        let label_style = if line.tone == PlanTone::Skip {
            theme.tones.dim
        } else {
            theme.detail.key
        };
        let lead = if line.label.is_empty() {
            symbol
        } else {
            symbol + label + 2
        };
        let mut parts = Vec::new();
        if let Some(from) = &line.from {
            let from_style = if line.tone == PlanTone::Skip {
                theme.tones.dim
            } else {
                theme.detail.value
            };
            parts.push((from.clone(), from_style));
            parts.push(("→".to_string(), theme.tones.dim));
        }
        parts.push((line.value.clone(), style));
        for (i, spans) in wrap_spans(&parts, inner.saturating_sub(lead))
            .into_iter()
            .enumerate()
        {
            let mut out = Vec::new();
            if toned {
                let mark = if i == 0 { line.tone.symbol() } else { " " };
                out.push(Span::styled(format!("{mark} "), style));
            }
            if !line.label.is_empty() {
                let shown = if i == 0 {
                    text::pad(&truncate(&line.label, label), label)
                } else {
                    " ".repeat(label)
                };
                out.push(Span::styled(format!("{shown}  "), label_style));
            }
            out.extend(spans);
            lines.push(Line::from(out));
        }
    }
    lines
}

/// Draws `confirm` in the middle of `area`.
pub fn draw(frame: &mut Frame, area: Rect, confirm: &Confirm, theme: &Theme, keys: &Keymap) {
    if area.width < 2 || area.height < 2 {
        return;
    }
    let hints = confirm.hints(keys);
    let word = match &confirm.kind {
        ConfirmKind::Typed(word) => Some(word.as_str()),
        ConfirmKind::YesNo | ConfirmKind::Notice => None,
    };
    let question = if confirm.read_only {
        "This session is read-only: nothing will be done.".to_string()
    } else if word.is_some() || confirm.kind == ConfirmKind::Notice {
        confirm.question.clone()
    } else {
        format!("{} [y/N]", confirm.question)
    };
    let prompt = word.map(|w| format!("Type {w} to go ahead: "));
    // Text asks for more room on a wider screen before it wraps.
    let room = super::modal::Room::of(area);
    let plan_width = confirm
        .plan
        .iter()
        .map(|l| {
            let label = width(&l.label);
            let value = width(&l.value) + l.from.as_deref().map_or(0, |f| width(f) + 3);
            2 + label.min(40) + 2 + value.min(room.wide + 10)
        })
        .max()
        .unwrap_or(0);
    let want_inner = plan_width
        .max(width(&question).min(room.wide + 30))
        .max(
            confirm
                .note
                .as_deref()
                .map_or(0, |n| width(n).min(room.wide + 30)),
        )
        .max(prompt.as_deref().map_or(0, |p| width(p) + 12))
        .max(hints_width(&hints))
        .max(width(&confirm.title) + if confirm.read_only { 16 } else { 4 });
    let want_width = want_inner + 4;
    let width_now = room.width(want_width).min(area.width as usize);
    let inner_width = width_now.saturating_sub(if width_now >= 24 { 4 } else { 2 });

    let plan = plan_lines(confirm, inner_width, theme);
    let question_style = if confirm.read_only {
        theme.header.read_only
    } else {
        theme.form.question
    };
    let question: Vec<Line> = wrap(&question, inner_width)
        .into_iter()
        .take(3)
        .map(|l| Line::styled(l, question_style))
        .collect();
    let note: Vec<Line> = confirm.note.as_deref().map_or_else(Vec::new, |n| {
        wrap(n, inner_width)
            .into_iter()
            .take(3)
            .map(|l| Line::styled(l, theme.tones.warn))
            .collect()
    });
    let input: Option<Line> = match (&prompt, confirm.read_only) {
        (Some(prompt), false) => {
            let typed = truncate(
                &confirm.typed,
                inner_width.saturating_sub(width(prompt) + 1),
            );
            Some(Line::from(vec![
                Span::styled(truncate(prompt, inner_width).into_owned(), theme.form.label),
                Span::styled(typed.into_owned(), theme.form.focused),
                Span::styled(" ", theme.form.focused.patch(theme.form.cursor)),
            ]))
        }
        _ => None,
    };
    let error: Vec<Line> = confirm.error.as_deref().map_or_else(Vec::new, |e| {
        wrap(e, inner_width.saturating_sub(2))
            .into_iter()
            .take(3)
            .enumerate()
            .map(|(i, l)| {
                let mark = if i == 0 { "✗ " } else { "  " };
                Line::styled(format!("{mark}{l}"), theme.form.error)
            })
            .collect()
    });
    let want_height = plan.len()
        + 1
        + note.len()
        + question.len()
        + usize::from(input.is_some())
        + error.len()
        + 2
        + 2;
    let rect = modal_rect(area, want_width, want_height);

    // Rows by importance: the question and the answer first, the plan last.
    let rows = rect.height.saturating_sub(2) as usize;
    let [
        question_rows,
        input_rows,
        error_rows,
        plan_min,
        hint_rows,
        note_rows,
        plan_more,
        gap_plan,
        gap_hint,
    ] = share_rows(
        rows,
        &[
            question.len(),
            usize::from(input.is_some()),
            error.len(),
            usize::from(!plan.is_empty()),
            1,
            note.len(),
            plan.len().saturating_sub(1),
            usize::from(!plan.is_empty()),
            1,
        ],
    )[..]
    else {
        unreachable!()
    };
    let plan_rows = plan_min + plan_more;
    let max_scroll = plan.len().saturating_sub(plan_rows);
    let first = confirm.scroll.get().min(max_scroll);
    confirm.scroll.set(first);
    confirm.rows.set(plan_rows);

    let inner = modal_box(
        frame,
        rect,
        &confirm.title,
        confirm.read_only,
        (first > 0, first < max_scroll),
        theme,
    );
    let mut lines: Vec<Line> = plan.into_iter().skip(first).take(plan_rows).collect();
    lines.extend(std::iter::repeat_n(Line::default(), gap_plan));
    lines.extend(note.into_iter().take(note_rows));
    lines.extend(question.into_iter().take(question_rows));
    lines.extend(input.into_iter().take(input_rows));
    lines.extend(error.into_iter().take(error_rows));
    lines.extend(std::iter::repeat_n(Line::default(), gap_hint));
    if hint_rows > 0 {
        lines.push(hint_line(&hints, inner.width as usize, theme));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
#[path = "confirm_tests.rs"]
mod tests;
