//! The stack events screen: a header on where the stack's last operation
//! stands (status, resources pending / in progress / complete / failed,
//! elapsed time, the failure reasons, FOLLOWING or FROZEN; a timeline of
//! its resources when the terminal is big enough), above the
//! CloudFormation events of the stack, newest first, coloured and marked
//! by state (rain's habits).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::model::{EventPhase, Progress, StackWatch, phase_of};
use crate::tui::app::State;
use crate::tui::clock;
use crate::tui::keymap::Action;
use crate::tui::screens::{Catalog, EventWindow, Scope, Watch};
use crate::tui::theme::{EventTone, RowTone, Theme};
use crate::tui::views::opt;
use crate::tui::widgets::table::{Cell, Column, SortKey, TableModel, TableRow, Tone, Width};
use crate::tui::widgets::text::plural;

/// At most this many failure reasons in the header; the rest are counted.
const FAILURES_SHOWN: usize = 4;
/// At most this many resources in the timeline; the rest are counted.
const TIMELINE_ROWS: usize = 8;

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Time", Width::Auto { min: 8, max: 19 }).sort(SortKey::Value),
        Column::new("Status", Width::Auto { min: 8, max: 30 }),
        Column::new("Resource", Width::Fill(1)),
        Column::new("Type", Width::Fill(1)),
        Column::new("Reason", Width::Fill(2)),
    ]
}

/// When an event happened, as short as is unambiguous: `21:01:30` today,
/// `11-08 21:01:30` another day of this year, `2024-11-08 21:01:30` before
/// (UTC, like every time of the console).
pub fn event_time(at: DateTime<Utc>, today: NaiveDate) -> String {
    let day = at.date_naive();
    let format = if day == today {
        "%H:%M:%S"
    } else if day.year() == today.year() {
        "%m-%d %H:%M:%S"
    } else {
        "%Y-%m-%d %H:%M:%S"
    };
    at.format(format).to_string()
}

/// "42s", "3m 05s", "1h 02m".
pub fn elapsed(delta: TimeDelta) -> String {
    let s = delta.num_seconds().max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
    }
}

/// The events of the followed stack, if the scope is its provisioned
/// product (or any scope on the root events screen).
pub fn rows(catalog: &Catalog, scope: &Scope) -> Vec<TableRow> {
    rows_in(catalog, scope, None)
}

/// The events of the stack in `scope`, newest first; with a `window`, only
/// those of that record's stretch.
pub fn rows_in(catalog: &Catalog, scope: &Scope, window: Option<&EventWindow>) -> Vec<TableRow> {
    let Some(watch) = catalog.watch_for(scope) else {
        return Vec::new();
    };
    let today = clock::today();
    watch
        .stack
        .events()
        .iter()
        .rev()
        .filter(|e| window.is_none_or(|w| w.holds(e.timestamp)))
        .map(|e| {
            let tone = EventTone::from(e.phase());
            let row_tone = match tone {
                EventTone::Failed => RowTone::Bad,
                EventTone::Skipped => RowTone::Dim,
                _ => RowTone::Normal,
            };
            TableRow::new(
                e.event_id.clone(),
                vec![
                    Cell::new(event_time(e.timestamp, today)).value(e.timestamp.timestamp_millis()),
                    Cell::new(format!("{} {}", tone.symbol(), e.status)).tone(Tone::Event(tone)),
                    Cell::new(e.logical_id.clone()),
                    Cell::new(e.resource_type.clone()),
                    Cell::new(first_line(e.reason.as_deref().unwrap_or_default())),
                ],
            )
            .tone(row_tone)
        })
        .collect()
}

/// The key of the newest event the table shows (what following selects).
pub fn newest_shown<'a>(watch: &Watch, table: &'a TableModel) -> Option<&'a str> {
    let order: HashMap<&str, usize> = watch
        .stack
        .events()
        .iter()
        .enumerate()
        .map(|(i, e)| (e.event_id.as_str(), i))
        .collect();
    table
        .visible_rows()
        .filter_map(|r| order.get(r.key.as_str()).map(|&i| (i, r.key.as_str())))
        .max_by_key(|(i, _)| *i)
        .map(|(_, key)| key)
}

pub fn detail(catalog: &Catalog, key: &str) -> Vec<(String, String)> {
    let Some(e) = catalog
        .watch
        .as_ref()
        .and_then(|w| w.stack.events().iter().find(|e| e.event_id == key))
    else {
        return Vec::new();
    };
    vec![
        ("Time".to_string(), e.timestamp.to_rfc3339()),
        ("Status".into(), e.status.clone()),
        ("Resource".into(), e.logical_id.clone()),
        ("Physical id".into(), opt(&e.physical_id)),
        ("Type".into(), e.resource_type.clone()),
        ("Reason".into(), opt(&e.reason)),
        ("Stack".into(), e.stack_name.clone()),
        ("Event".into(), e.event_id.clone()),
    ]
}

fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

/// The stack's name from its ARN (`…:stack/NAME/uuid`), else the ARN.
fn stack_name(stack_id: &str) -> &str {
    stack_id
        .split_once(":stack/")
        .and_then(|(_, rest)| rest.split('/').next())
        .unwrap_or(stack_id)
}

/// Resources the moving operation has not reached yet: those of its
/// template (once read) and those of earlier operations (not deleted
/// since) without an event in this one. None once the stack has settled.
pub fn pending(stack: &StackWatch) -> usize {
    if stack.is_settled() {
        return 0;
    }
    let op = stack.last_operation();
    let earlier = &stack.events()[..stack.events().len() - op.len()];
    let mut existing: Vec<&str> = Vec::new();
    for e in earlier.iter().filter(|e| !e.is_stack()) {
        let gone = e.status == "DELETE_COMPLETE";
        match existing.iter().position(|id| *id == e.logical_id) {
            Some(i) if gone => {
                existing.remove(i);
            }
            None if !gone => existing.push(&e.logical_id),
            _ => {}
        }
    }
    for id in stack.template().unwrap_or_default() {
        if !existing.contains(&id.as_str()) {
            existing.push(id);
        }
    }
    let touched: HashSet<&str> = op
        .iter()
        .filter(|e| !e.is_stack())
        .map(|e| e.logical_id.as_str())
        .collect();
    existing.iter().filter(|id| !touched.contains(*id)).count()
}

/// One resource of the last operation, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceSpan {
    pub logical_id: String,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
    /// Failed at some point of the operation, else its latest state.
    pub phase: EventPhase,
}

/// The resources of the last operation, in the order they started.
pub fn resource_spans(stack: &StackWatch) -> Vec<ResourceSpan> {
    let mut spans: Vec<ResourceSpan> = Vec::new();
    for e in stack.last_operation().iter().filter(|e| !e.is_stack()) {
        let phase = e.phase();
        match spans.iter_mut().find(|s| s.logical_id == e.logical_id) {
            Some(s) => {
                s.last = s.last.max(e.timestamp);
                if s.phase != EventPhase::Failed {
                    s.phase = phase;
                }
            }
            None => spans.push(ResourceSpan {
                logical_id: e.logical_id.clone(),
                first: e.timestamp,
                last: e.timestamp,
                phase,
            }),
        }
    }
    spans
}

/// What the header shows of a watched stack.
struct Header<'a> {
    watch: &'a Watch,
    progress: Progress,
    pending: usize,
    moving: bool,
    now: DateTime<Utc>,
}

impl<'a> Header<'a> {
    fn new(watch: &'a Watch) -> Self {
        let now = clock::now();
        Self {
            progress: watch.stack.progress(now),
            pending: pending(&watch.stack),
            moving: !watch.stack.is_settled(),
            watch,
            now,
        }
    }

    fn failure_lines(&self) -> usize {
        let polls = usize::from(self.watch.failed_polls > 0);
        polls
            + match self.progress.failures.len() {
                n if n > FAILURES_SHOWN => FAILURES_SHOWN + 1,
                n => n,
            }
    }

    /// While polls fail: how many, why, and that nothing will be missed.
    fn polls_failing(&self, theme: &Theme) -> Option<Line<'static>> {
        let n = self.watch.failed_polls as usize;
        (n > 0).then(|| {
            let why = self
                .watch
                .poll_error
                .as_deref()
                .map(first_line)
                .unwrap_or_default();
            Line::from(vec![
                Span::styled(
                    format!("⚠ {n} poll{} failed in a row", plural(n)),
                    theme.status.error,
                ),
                Span::styled(
                    format!(" — still polling, the events will catch up: {why}"),
                    theme.tones.warn,
                ),
            ])
        })
    }

    /// The status line, the counts, the failures.
    fn summary(&self, theme: &Theme) -> Vec<Line<'static>> {
        let p = &self.progress;
        let today = clock::today();
        let mut first = match &p.stack_status {
            Some(status) => {
                let tone = EventTone::from(phase_of(status));
                vec![Span::styled(
                    format!("{} {status}", tone.symbol()),
                    theme.event(tone),
                )]
            }
            None => vec![Span::styled(
                "status not known yet",
                theme.row(RowTone::Dim),
            )],
        };
        let op = self.watch.stack.last_operation();
        if let Some(start) = op.first() {
            let (what, took) = if self.moving {
                ("elapsed", elapsed(p.elapsed))
            } else {
                ("took", elapsed(p.elapsed))
            };
            first.extend([
                Span::styled(format!("   {what} "), theme.detail.key),
                Span::styled(took, theme.detail.value),
                Span::styled("   started ", theme.detail.key),
                Span::styled(event_time(start.timestamp, today), theme.detail.value),
                Span::styled("   events ", theme.detail.key),
                Span::styled(
                    self.watch.stack.events().len().to_string(),
                    theme.detail.value,
                ),
            ]);
        }
        let dim = theme.row(RowTone::Dim);
        let count = |n: usize, symbol: &str, what: &str, style: Style| {
            let style = if n == 0 { dim } else { style };
            Span::styled(format!("{symbol} {n} {what}   "), style)
        };
        let mut counts = vec![
            count(self.pending, "○", "pending", theme.event(EventTone::Other)),
            count(
                p.in_progress,
                EventTone::InProgress.symbol(),
                "in progress",
                theme.event(EventTone::InProgress),
            ),
            count(
                p.complete,
                EventTone::Complete.symbol(),
                "complete",
                theme.event(EventTone::Complete),
            ),
            count(
                p.failed,
                EventTone::Failed.symbol(),
                "failed",
                theme.event(EventTone::Failed),
            ),
        ];
        if p.skipped > 0 {
            counts.push(count(
                p.skipped,
                EventTone::Skipped.symbol(),
                "skipped",
                theme.event(EventTone::Skipped),
            ));
        }
        let mut lines = vec![Line::from(first), Line::from(counts)];
        lines.extend(self.polls_failing(theme));
        let failed = theme.event(EventTone::Failed);
        let shown = if p.failures.len() > FAILURES_SHOWN {
            FAILURES_SHOWN
        } else {
            p.failures.len()
        };
        for reason in &p.failures[..shown] {
            lines.push(Line::styled(
                format!("{} {}", EventTone::Failed.symbol(), first_line(reason)),
                failed,
            ));
        }
        if p.failures.len() > shown {
            lines.push(Line::styled(
                format!(
                    "  … and {} more failures (filter the table with /FAILED)",
                    p.failures.len() - shown
                ),
                failed,
            ));
        }
        lines
    }

    /// From the first resource event of the operation to its last, or to
    /// now while it moves.
    fn timeline_scale(&self, spans: &[ResourceSpan]) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let start = spans.iter().map(|s| s.first).min()?;
        let end = if self.moving {
            self.now
        } else {
            spans.iter().map(|s| s.last).max().unwrap_or(start)
        };
        Some((start, end.max(start + TimeDelta::seconds(1))))
    }

    /// " Timeline 11:58:02 → now ".
    fn timeline_title(&self) -> String {
        let spans = resource_spans(&self.watch.stack);
        match self.timeline_scale(&spans) {
            Some((start, end)) => {
                let today = clock::today();
                let end = if self.moving {
                    "now".to_string()
                } else {
                    event_time(end, today)
                };
                format!(" Timeline {} → {end} ", event_time(start, today))
            }
            None => " Timeline ".into(),
        }
    }

    /// One line per resource: a bar from its first event to its last (to
    /// now while it is in progress), on the scale of the operation.
    fn timeline(&self, width: usize, rows: usize, theme: &Theme) -> Vec<Line<'static>> {
        let spans = resource_spans(&self.watch.stack);
        let Some((start, end)) = self.timeline_scale(&spans) else {
            return Vec::new();
        };
        let total = (end - start).num_milliseconds().max(1) as f64;
        let name_width = spans
            .iter()
            .map(|s| s.logical_id.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(8, 24);
        let bar_width = width.saturating_sub(name_width + 1).max(1);
        let column = |t: DateTime<Utc>| {
            let x = (t - start).num_milliseconds() as f64 / total * bar_width as f64;
            (x as usize).min(bar_width - 1)
        };
        let (shown, more) = if spans.len() > rows {
            (rows.saturating_sub(1), spans.len() - rows.saturating_sub(1))
        } else {
            (spans.len(), 0)
        };
        let mut lines: Vec<Line> = spans[..shown]
            .iter()
            .map(|s| {
                let tone = EventTone::from(s.phase);
                let last = if self.moving && s.phase == EventPhase::InProgress {
                    end
                } else {
                    s.last
                };
                let (from, to) = (column(s.first), column(last));
                let name: String = s.logical_id.chars().take(name_width).collect();
                Line::from(vec![
                    Span::styled(format!("{name:<name_width$} "), theme.detail.key),
                    Span::raw(" ".repeat(from)),
                    Span::styled("━".repeat(to - from + 1), theme.event(tone)),
                ])
            })
            .collect();
        if more > 0 {
            lines.push(Line::styled(
                format!("… {more} more resources"),
                theme.detail.key,
            ));
        }
        lines
    }
}

/// The watch the events screen of this scope shows, once its events came.
fn shown_watch(state: &State) -> Option<&Watch> {
    state
        .catalog()
        .watch_for(&state.level().scope)
        .filter(|w| w.loaded)
}

/// Whether the header has room for the timeline beside it.
fn timeline_fits(area: Rect) -> bool {
    area.width >= 140 && area.height >= 30
}

/// How many lines the header takes in `area` (the screen's body); 0 when
/// there is no stack to show.
pub fn header_height(state: &State, area: Rect) -> u16 {
    let Some(watch) = shown_watch(state) else {
        return 0;
    };
    let header = Header::new(watch);
    let mut inner = 2 + header.failure_lines();
    if timeline_fits(area) {
        let resources = resource_spans(&watch.stack).len().min(TIMELINE_ROWS);
        inner = inner.max(resources);
    }
    (inner as u16 + 2).min(area.height.saturating_sub(5))
}

/// The header of the events screen.
pub fn draw_header(frame: &mut Frame, area: Rect, state: &State, body: Rect, theme: &Theme) {
    let Some(watch) = shown_watch(state) else {
        return;
    };
    let header = Header::new(watch);
    let (summary_area, timeline_area) = if timeline_fits(body) {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(area);
        (left, Some(right))
    } else {
        (area, None)
    };
    let key = state
        .keymap()
        .key_label(Action::Follow)
        .map_or(String::new(), |k| format!(" · {k} "));
    let mode = if let Some(taken) = state.snapshot().and_then(|s| s.split(" · ").next()) {
        Span::styled(format!(" AS CAPTURED {taken} "), theme.row(RowTone::Warn))
    } else if watch.follow {
        Span::styled(format!(" FOLLOWING{key}freezes "), theme.row(RowTone::Good))
    } else {
        Span::styled(format!(" FROZEN{key}follows "), theme.row(RowTone::Warn))
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.table.border)
        .title(Span::styled(
            format!(" {} · {} ", watch.name, stack_name(&watch.stack.stack_id)),
            theme.table.title,
        ))
        .title_top(Line::from(mode).right_aligned());
    frame.render_widget(
        Paragraph::new(header.summary(theme)).block(block),
        summary_area,
    );
    if let Some(area) = timeline_area {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.table.border)
            .title(Span::styled(header.timeline_title(), theme.table.title));
        let inner = block.inner(area);
        let lines = header.timeline(inner.width as usize, inner.height as usize, theme);
        frame.render_widget(Paragraph::new(lines).block(block), area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StackEvent;
    use crate::tui::fixtures;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_time_shows_the_date_when_not_today() {
        let t = at("2026-11-08T21:01:30.229Z");
        assert_eq!(event_time(t, day("2026-11-08")), "21:01:30");
        assert_eq!(event_time(t, day("2026-11-09")), "11-08 21:01:30");
        assert_eq!(event_time(t, day("2027-01-02")), "2026-11-08 21:01:30");
        // Just before midnight UTC is yesterday just after it.
        let late = at("2026-11-08T23:59:59Z");
        assert_eq!(event_time(late, day("2026-11-09")), "11-08 23:59:59");
    }

    #[test]
    fn elapsed_reads_short() {
        assert_eq!(elapsed(TimeDelta::seconds(0)), "0s");
        assert_eq!(elapsed(TimeDelta::seconds(42)), "42s");
        assert_eq!(elapsed(TimeDelta::seconds(185)), "3m 05s");
        assert_eq!(elapsed(TimeDelta::seconds(3720)), "1h 02m");
        assert_eq!(elapsed(TimeDelta::seconds(-3)), "0s");
    }

    #[test]
    fn stack_names_come_from_the_arn() {
        assert_eq!(
            stack_name(&fixtures::stack_arn("pp-1")),
            "SC-222222222222-pp-1"
        );
        assert_eq!(stack_name("not-an-arn"), "not-an-arn");
    }

    fn watch(events: Vec<StackEvent>) -> StackWatch {
        let mut w = StackWatch::new(fixtures::stack_arn("pp-tgwattach01"));
        w.append(events);
        w
    }

    #[test]
    fn pending_counts_resources_not_reached_while_moving() {
        let moving = fixtures::moving_events();
        // The create made Bucket, Queue, Topic, OldAlarm; the update
        // deleted nothing yet and has reached Bucket and Queue.
        let w = watch(moving.clone());
        assert!(!w.is_settled());
        assert_eq!(pending(&w), 2);
        // Settled, nothing is pending.
        let mut settled = moving;
        let mut last = settled.last().unwrap().clone();
        last.event_id = "ev-done".into();
        last.logical_id = last.stack_name.clone();
        last.resource_type = crate::model::STACK_RESOURCE_TYPE.into();
        last.status = "UPDATE_COMPLETE".into();
        settled.push(last);
        assert_eq!(pending(&watch(settled)), 0);
    }

    #[test]
    fn a_new_stack_counts_its_template_as_pending() {
        // The create has reached one resource of five.
        let moving = fixtures::moving_events();
        let first_op_end = moving
            .iter()
            .position(|e| e.is_stack() && e.status == "CREATE_IN_PROGRESS")
            .unwrap();
        let mut create: Vec<StackEvent> = moving[..=first_op_end].to_vec();
        let mut reached = moving[first_op_end].clone();
        reached.event_id = "ev-bucket".into();
        reached.logical_id = "Bucket".into();
        reached.resource_type = "AWS::S3::Bucket".into();
        create.push(reached);
        let mut w = watch(create);
        assert_eq!(pending(&w), 0, "without the template nothing is known");
        w.set_template(
            ["Bucket", "Queue", "Topic", "Alarm", "Role"]
                .map(String::from)
                .to_vec(),
        );
        assert_eq!(pending(&w), 4);
    }

    #[test]
    fn spans_run_from_first_to_last_event_of_the_operation() {
        let w = watch(fixtures::events());
        let spans = resource_spans(&w);
        let names: Vec<&str> = spans.iter().map(|s| s.logical_id.as_str()).collect();
        assert_eq!(names, ["Attachment", "RouteTable"]);
        // Failed stays failed through the rollback.
        assert_eq!(spans[0].phase, EventPhase::Failed);
        assert_eq!((spans[0].last - spans[0].first).num_seconds(), 21);
        assert_eq!(spans[1].phase, EventPhase::Skipped);
    }
}
