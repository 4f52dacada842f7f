//! Drawing: the frame every screen shares (header, table and detail pane,
//! status line, hint bar), the overlays, and one module per screen.

pub mod bulk;
pub mod calllog;
pub mod constraints;
pub mod dialogs;
pub mod events;
pub mod help;
pub mod journal;
pub mod life;
pub mod matrix;
pub mod portfolios;
pub mod principals;
pub mod products;
pub mod profiles;
pub mod provisioned;
pub mod resource_drift;
pub mod versions;
pub mod xray;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::app::{Input, Msg, Overlay, State, StatusKind};
use super::keymap::Action;
use super::screens::Screen;
use super::theme::Theme;
use super::widgets::table::{self, Chrome};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// What drawing keeps between frames: the theme, and how many rows each
/// table showed (for the state's page keys, see [`ViewState::sync`]).
#[derive(Debug, Default, Clone)]
pub struct ViewState {
    pub theme: Theme,
    pub screen_rows: usize,
    pub overlay_rows: usize,
    pub help_rows: usize,
}

impl ViewState {
    pub fn new(theme: Theme) -> Self {
        Self {
            theme,
            ..Self::default()
        }
    }

    /// What the last frame showed, for the state: drawing only reads the
    /// state; the loop hands it this message after each frame.
    pub fn drawn(&self) -> Msg {
        Msg::Drawn {
            screen: self.screen_rows,
            overlay: self.overlay_rows,
            help: self.help_rows,
        }
    }
}

/// Below this, a notice takes the screen instead of a broken layout.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 8;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, state: &State, view: &mut ViewState) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let quit = state
            .keymap()
            .key_label(Action::Quit)
            .map(|k| format!(" ({k} quits)"))
            .unwrap_or_default();
        let text = format!(
            "The terminal is {}×{}: spoke needs at least {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge it{quit}.",
            area.width, area.height
        );
        let lines: Vec<Line> = crate::tui::widgets::text::wrap(&text, area.width as usize)
            .into_iter()
            .map(Line::from)
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        view.screen_rows = 0;
        view.overlay_rows = 0;
        view.help_rows = 0;
        return;
    }
    let [header, body, status, hints] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    let theme = &view.theme.clone();
    draw_header(frame, header, state, theme);
    view.screen_rows = draw_screen(frame, body, state, theme);
    match state.overlay() {
        Some(Overlay::Help) => view.help_rows = help::draw(frame, body, state, theme),
        Some(Overlay::Calls) => view.overlay_rows = calllog::draw(frame, body, state, theme),
        Some(Overlay::Profiles) => view.overlay_rows = profiles::draw(frame, body, state, theme),
        Some(Overlay::Journal) => view.overlay_rows = journal::draw(frame, body, state, theme),
        None => {}
    }
    if state.dialog().is_some() {
        dialogs::draw(frame, body, state, theme);
    }
    if state.input() == Input::Command {
        draw_completion(frame, body, state, theme);
    }
    draw_status(frame, status, state, theme);
    draw_hints(frame, hints, state, theme);
    crate::tui::widgets::text::scrub(frame.buffer_mut());
}

/// The level in front: its table, and the detail pane of its selected row.
fn draw_screen(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) -> usize {
    let level = state.level();
    let crumbs: Vec<&str> = state.nav()[..state.nav().len() - 1]
        .iter()
        .map(|l| l.screen.title())
        .collect();
    let mut title = if crumbs.is_empty() {
        level.title()
    } else {
        format!("{} › {}", crumbs.join(" › "), level.title())
    };
    // In a fleet only the provisioned products are the fleet's: the other
    // screens say whose they are, never passing for the whole.
    if let Some(fleet) = &state.catalog().fleet
        && !matches!(
            level.screen,
            Screen::Provisioned | Screen::Events | Screen::Matrix
        )
    {
        let key = state
            .keymap()
            .key_label(crate::tui::keymap::Action::ScreenProvisioned)
            .map(|k| format!(" ({k})"))
            .unwrap_or_default();
        title.push_str(&format!(
            " of {} only · the fleet of {} accounts: provisioned products{key} ·",
            state.profile(),
            fleet.members.unwrap_or(fleet.accounts().len())
        ));
    }
    let empty = state.empty_message(level);
    // The events screen: where the stack stands, above its events.
    let mut body = area;
    if level.screen == Screen::Events {
        let height = events::header_height(state, area);
        if height > 0 {
            let [header, rest] =
                Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(area);
            events::draw_header(frame, header, state, area, theme);
            body = rest;
        }
    }
    // The drift level: the stack's drift and when it was last checked.
    if level.screen == Screen::ResourceDrift && body.height > 4 {
        let text = resource_drift::header(
            state.drift_shown(&level.scope),
            state.detecting(&level.scope),
        );
        let [top, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
        let style = match state.drift_shown(&level.scope).map(|d| &d.status) {
            Some(crate::model::StackDriftStatus::Drifted) => theme.tones.warn,
            _ => theme.tones.dim,
        };
        let width = top.width as usize;
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                crate::tui::widgets::text::truncate(&text, width).into_owned(),
                style,
            ))),
            top,
        );
        body = rest;
    }
    // What could not be read for this screen (denied calls, an end user's
    // rights), said above the table rather than left out silently.
    let problems = problems_for(level.screen, state.catalog());
    if !problems.is_empty() && body.height > 6 {
        // Each warning whole, wrapped (an error names the operation, the
        // HTTP status and what to do: cut, it would lose the last part),
        // within a quarter of the screen; the rest counted.
        let room = (body.height as usize / 4).max(3);
        let width = (body.width as usize).saturating_sub(2).max(10);
        let mut lines: Vec<Line> = Vec::new();
        let mut shown = 0;
        for p in &problems {
            let wrapped = crate::tui::widgets::text::wrap(p, width);
            if shown > 0 && lines.len() + wrapped.len() + 1 > room {
                break;
            }
            for (i, text) in wrapped.into_iter().enumerate() {
                let lead = if i == 0 { "⚠ " } else { "  " };
                lines.push(Line::from(vec![
                    Span::styled(lead, theme.status.error),
                    Span::styled(text, theme.tones.warn),
                ]));
            }
            shown += 1;
        }
        if problems.len() > shown {
            lines.push(Line::from(Span::styled(
                format!(
                    "  … and {} more not read (@ lists the calls)",
                    problems.len() - shown
                ),
                theme.tones.dim,
            )));
        }
        let height = (lines.len() as u16).min(body.height / 2);
        let [top, rest] =
            Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(body);
        frame.render_widget(Paragraph::new(lines), top);
        body = rest;
    }
    let (table_area, detail_area) = table::split_detail(body, state.show_detail());
    if level.screen == Screen::Matrix {
        let made = matrix::matrix(state.catalog());
        let labels = &made.matrix.accounts;
        let title = match matrix::grouping_words(state.catalog()) {
            Some(words) => format!("{title} {words}"),
            None => title,
        };
        // A fleet's drift per account above, when there is room.
        let mut table_area = table_area;
        if state.catalog().fleet.is_some() && table_area.height >= 24 {
            let chart = (labels.len() as u16).clamp(1, 8) + 2;
            let [top, rest] =
                Layout::vertical([Constraint::Length(chart), Constraint::Min(0)]).areas(table_area);
            matrix::draw_drift_chart(frame, top, &made, theme);
            table_area = rest;
        }
        let rows = matrix::draw(frame, table_area, level, labels, theme, &title, &empty);
        if let Some(detail_area) = detail_area {
            // The selected product's versions across the fleet, below its detail.
            let key = level.table.selected_key();
            let (text_area, chart_area) = match key {
                Some(_) if detail_area.height >= 20 => {
                    let [a, b] = Layout::vertical([Constraint::Min(10), Constraint::Length(9)])
                        .areas(detail_area);
                    (a, Some(b))
                }
                _ => (detail_area, None),
            };
            table::draw_detail(frame, text_area, "Detail", &state.detail(), theme);
            if let (Some(area), Some(key)) = (chart_area, key) {
                matrix::draw_versions_chart(frame, area, &made, key, theme);
            }
        }
        return rows;
    }
    let rows = table::draw(
        frame,
        table_area,
        &level.table,
        theme,
        Chrome::new(&title, &empty, theme),
    );
    if let Some(detail_area) = detail_area {
        table::draw_detail(frame, detail_area, "Detail", &state.detail(), theme);
    }
    rows
}

/// A count or value that was not read: never a 0 or a blank.
/// Whether a product (and a provisioned product of it) is opted in to
/// auto-update: `yes (tag)` when the provisioned product carries the tag
/// itself, `yes` / `no` from its product's TagOptions, `…` while they are
/// being read, `not read` when they were not.
pub fn auto_update_cell(
    product: Option<&crate::model::Product>,
    pp: Option<&crate::model::ProvisionedProduct>,
    loading: bool,
) -> crate::tui::widgets::table::Cell {
    use crate::model::bulk::{DEFAULT_OPT_IN_KEY, DEFAULT_OPT_IN_VALUE};
    use crate::tui::widgets::table::Cell;
    let tagged = pp.is_some_and(|pp| {
        pp.tags
            .iter()
            .any(|(k, v)| k == DEFAULT_OPT_IN_KEY && v.eq_ignore_ascii_case(DEFAULT_OPT_IN_VALUE))
    });
    let accent = crate::tui::theme::Tone::Accent;
    match product.and_then(crate::model::Product::auto_update) {
        _ if tagged => Cell::new("yes (tag)").tone(accent).value(2),
        Some(true) => Cell::new("yes").tone(accent).value(2),
        Some(false) => Cell::new("no").value(0),
        None if loading => Cell::new("…").value(-1),
        None => not_read_cell(),
    }
}

pub fn not_read_cell() -> crate::tui::widgets::table::Cell {
    crate::tui::widgets::table::Cell::new("not read")
        .tone(crate::tui::theme::Tone::Row(
            crate::tui::theme::RowTone::Warn,
        ))
        .value(-2)
}

/// The problems of the catalog that concern `screen`: "not shown: …".
pub fn problems_for(screen: Screen, catalog: &crate::tui::screens::Catalog) -> Vec<String> {
    use crate::model::Section;
    let sections: &[Section] = match screen {
        Screen::Portfolios => &[Section::Portfolios, Section::Shares],
        Screen::Products => &[Section::Products, Section::Versions],
        Screen::Constraints => &[Section::Constraints],
        Screen::Provisioned => &[Section::Provisioned, Section::Versions],
        Screen::Events
        | Screen::Records
        | Screen::Resources
        | Screen::Outputs
        | Screen::Parameters
        | Screen::ResourceDrift
        | Screen::Actions => &[],
        Screen::Versions => &[Section::Versions, Section::Provisioned],
        Screen::Principals => &[Section::Shares],
        Screen::Matrix => &[Section::Provisioned, Section::Versions],
        Screen::Xray => &[],
    };
    // A denial said the same way for each portfolio is shown once.
    let mut seen = std::collections::HashSet::new();
    catalog
        .problems
        .iter()
        .filter(|p| sections.contains(&p.section))
        .filter(|p| seen.insert(p.message.as_str()))
        .map(|p| p.message.clone())
        .collect()
}

/// A box in the middle of `area`, `percent` of its size, cleared.
pub fn overlay_area(
    frame: &mut Frame,
    area: Rect,
    width_percent: u16,
    height_percent: u16,
) -> Rect {
    let width = (area.width * width_percent / 100).max(area.width.min(40));
    let height = (area.height * height_percent / 100).max(area.height.min(8));
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    rect
}

fn field<'a>(label: &'a str, value: &'a str, theme: &Theme) -> [Span<'a>; 2] {
    [
        Span::styled(format!("  {label} "), theme.header.label),
        Span::styled(value, theme.header.value),
    ]
}

fn draw_header(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let badge = if state.read_only() {
        Span::styled(" RO ", theme.header.read_only)
    } else {
        Span::styled(" RW ", theme.header.read_write)
    };
    let pending = "…";
    let account = state
        .identity()
        .as_ref()
        .map_or(pending, |i| i.account_id.as_str());
    let region = state.region().unwrap_or(pending);
    let mut first = vec![badge, Span::styled(" spoke", theme.header.title)];
    first.extend(field("profile", state.profile(), theme));
    first.extend(field("account", account, theme));
    first.extend(field("region", region, theme));

    let fleet = state.catalog().fleet.as_ref().map(|f| {
        let n = f
            .members
            .map_or_else(|| "…".to_string(), |n| format!("{n} accounts"));
        format!("{n} · {}", f.label)
    });
    if let Some(fleet) = &fleet {
        first.extend(field("fleet", fleet, theme));
    }
    let caller = state
        .identity()
        .as_ref()
        .map_or(pending, |i| i.arn.as_str());
    let mut second = vec![Span::raw("    ")];
    if let Some(snapshot) = state.snapshot() {
        second.push(Span::styled(" SNAPSHOT ", theme.header.read_only));
        second.extend(field("taken", snapshot, theme));
    }
    if let Some(note) = state.clock_note() {
        // Times from the endpoint run apart from the journal's wall clock.
        second.push(Span::styled(format!(" {note} "), theme.header.read_only));
    }
    second.extend(field("caller", caller, theme));
    if let Some(endpoint) = state
        .connection()
        .as_ref()
        .and_then(|c| c.endpoint.as_deref())
    {
        second.extend(field("endpoint", endpoint, theme));
    }
    // Cut lines end in an ellipsis; `@` and the detail hold the whole text.
    let fit = |spans| {
        Line::from(crate::tui::widgets::text::truncate_spans(
            spans,
            area.width as usize,
        ))
    };
    frame.render_widget(Paragraph::new(vec![fit(first), fit(second)]), area);
}

fn draw_status(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let cursor = Span::styled("█", theme.header.label);
    // A status longer than the line ends in an ellipsis, never mid-word
    // unmarked (the warnings above the table and `@` hold the whole text).
    let fit = |text: &str, lead: usize| {
        crate::tui::widgets::text::truncate(text, (area.width as usize).saturating_sub(lead))
            .into_owned()
    };
    let line = match state.input() {
        Input::Command => {
            let mut spans = vec![
                Span::styled(":", theme.hints.key),
                Span::raw(state.command().input().to_string()),
                cursor,
            ];
            // Said as it is typed, before Enter.
            if let Some(problem) = crate::tui::widgets::command::live_problem(
                state.command().input(),
                &state.profiles().names(),
                state.regions(),
            ) {
                spans.push(Span::styled(format!("  ✗ {problem}"), theme.status.error));
            }
            Line::from(crate::tui::widgets::text::truncate_spans(
                spans,
                area.width as usize,
            ))
        }
        Input::Filter => {
            let table = state.active_table();
            let mut spans = vec![
                Span::styled("/", theme.hints.key),
                Span::styled(table.filter().to_string(), theme.table.filter),
                cursor,
            ];
            // Said as the user types, not after: a column that does not exist.
            if let Some(problem) = table.filter_problem() {
                spans.push(Span::styled(format!("  ✗ {problem}"), theme.status.error));
            }
            Line::from(crate::tui::widgets::text::truncate_spans(
                spans,
                area.width as usize,
            ))
        }
        Input::None => match (state.notice(), state.status().kind) {
            (Some(notice), kind) if kind != StatusKind::Error => Line::from(vec![
                Span::styled("✗ ", theme.status.error),
                Span::styled(fit(notice, 2), theme.status.error),
            ]),
            (_, StatusKind::Busy) => {
                // Calls tried again are the wait: said first.
                let text = match state.calls().retrying() {
                    [] => state.status().text.clone(),
                    [one] => format!("retrying {one} · {}", state.status().text),
                    [one, rest @ ..] => format!(
                        "retrying {one} and {} more · {}",
                        rest.len(),
                        state.status().text
                    ),
                };
                Line::from(vec![
                    Span::styled(SPINNER[state.spinner() % SPINNER.len()], theme.status.busy),
                    Span::raw(" "),
                    Span::styled(fit(&text, 2), theme.status.busy),
                ])
            }
            (_, StatusKind::Error) => Line::from(vec![
                Span::styled("✗ ", theme.status.error),
                Span::styled(fit(&state.status().text, 2), theme.status.error),
            ]),
            (_, StatusKind::Info) => Line::styled(fit(&state.status().text, 0), theme.status.info),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The candidates Tab offered, in a box above the command line.
fn draw_completion(frame: &mut Frame, body: Rect, state: &State, theme: &Theme) {
    let Some(completion) = state.command().completion() else {
        return;
    };
    let shown = completion.candidates.len().min(10);
    let width = completion
        .candidates
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0)
        .max(12) as u16
        + 4;
    let height = shown as u16 + 2;
    if body.height < height || body.width < width {
        return;
    }
    let area = Rect {
        x: body.x,
        y: body.y + body.height - height,
        width,
        height,
    };
    // Keep the selected candidate in the window.
    let first = completion
        .selected
        .map_or(0, |s| s.saturating_sub(shown - 1));
    let lines: Vec<Line> = completion
        .candidates
        .iter()
        .enumerate()
        .skip(first)
        .take(shown)
        .map(|(i, c)| {
            let style = if completion.selected == Some(i) {
                theme.table.selection
            } else {
                Style::new()
            };
            Line::styled(format!(" {c} "), style)
        })
        .collect();
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.overlay.border)
                .title(Span::styled(" Tab ", theme.overlay.title)),
        ),
        area,
    );
}

/// The keys valid here, as (key, what it does).
pub fn hints(state: &State) -> Vec<(String, String)> {
    use life::part_of;
    let keymap = state.keymap();
    if let Some(dialog) = state.dialog() {
        return dialogs::hints(dialog, keymap)
            .into_iter()
            .map(|(k, w)| (k, w.to_string()))
            .collect();
    }
    let k = |a: Action| keymap.hint(a);
    let up_down = keymap.hint_pair(Action::LineUp, Action::LineDown);
    let owned = |pairs: Vec<(String, &str)>| -> Vec<(String, String)> {
        pairs.into_iter().map(|(k, w)| (k, w.to_string())).collect()
    };
    match (state.input(), state.overlay()) {
        (Input::Command, _) => {
            return owned(vec![
                (k(Action::NextField), "complete"),
                (up_down, "history"),
                (k(Action::Enter), "run"),
                (k(Action::Cancel), "cancel"),
            ]);
        }
        (Input::Filter, _) => {
            return owned(vec![
                (k(Action::Enter), "keep"),
                (k(Action::Cancel), "clear"),
                ("!".into(), "invert"),
                ("col:".into(), "in one column"),
                (up_down, "move"),
            ]);
        }
        (Input::None, Some(Overlay::Help)) => {
            return owned(vec![
                ("type".into(), "filter"),
                (up_down, "scroll"),
                (k(Action::Cancel), "close"),
            ]);
        }
        _ => {}
    }
    // Quit first, help last: when the bar overflows, help stands for "more".
    let mut actions: Vec<(Action, &str)> = vec![(Action::Quit, "quit")];
    match state.overlay() {
        Some(Overlay::Profiles) => actions.extend([
            (
                Action::Drill,
                if state.profiles().table().mark_count() > 1 {
                    "open the marked as a fleet"
                } else {
                    "switch"
                },
            ),
            (Action::Mark, "mark (several: a fleet)"),
            (Action::Back, "close"),
            (Action::Filter, "filter"),
            (Action::Refresh, "re-read"),
        ]),
        Some(Overlay::Calls | Overlay::Journal) => actions.extend([
            (Action::Back, "close"),
            (Action::Filter, "filter"),
            (Action::SortNext, "sort"),
        ]),
        Some(Overlay::Help) => {}
        None => {
            let level = state.level();
            let screen = level.screen;
            if matches!(
                screen,
                Screen::Portfolios | Screen::Products | Screen::Provisioned | Screen::Versions
            ) {
                actions.push((Action::Drill, "open"));
            }
            if state.nav().len() > 1 || !level.table.filter().is_empty() {
                actions.push((Action::Back, "back"));
            }
            if let Some(watch) = state
                .catalog()
                .watch_for(&level.scope)
                .filter(|_| screen == Screen::Events)
            {
                actions.push((
                    Action::Follow,
                    if watch.follow { "freeze" } else { "follow" },
                ));
            }
            if matches!(screen, Screen::Portfolios | Screen::Products) {
                actions.push((Action::ShowConstraints, "constraints"));
            }
            if screen == Screen::Records {
                actions.push((Action::Drill, "events"));
            }
            if screen == Screen::Xray {
                actions.push((Action::Drill, "its fix"));
                actions.push((Action::Refresh, "read again"));
            }
            if screen == Screen::Matrix {
                let by_ou = state.catalog().by_ou.is_some();
                let (next, previous) = match by_ou {
                    true => ("next OU", "previous OU"),
                    false => ("next account", "previous account"),
                };
                actions.push((Action::ColumnRight, next));
                actions.push((Action::ColumnLeft, previous));
                actions.push((Action::Drill, "its provisioned"));
                // Only an organization has OUs to group by.
                if matches!(
                    state.fleet_selection(),
                    Some(crate::ops::fleet::Selection::Organization { .. })
                ) {
                    actions.push((Action::GroupBy, if by_ou { "by account" } else { "by OU" }));
                }
            }
            if screen == Screen::ResourceDrift {
                actions.push((Action::Drill, "differences"));
                // A write: offered only where the session can act.
                if state.can_act() {
                    actions.push((Action::ResourceDrift, "detect drift"));
                }
            }
            // In a read-only session the plan can be looked at, not run.
            if screen == Screen::Actions {
                let what = if state.read_only() { "plan" } else { "run" };
                actions.push((Action::Drill, what));
            }
            // The parts of a provisioned product's life, from it or from one another.
            if screen == Screen::Provisioned
                || (part_of(screen).is_some() || screen == Screen::Events)
                    && matches!(level.scope, crate::tui::screens::Scope::Provisioned { .. })
            {
                for (action, what, shows) in [
                    (Action::Records, "records", Screen::Records),
                    (Action::Resources, "resources", Screen::Resources),
                    (Action::Outputs, "outputs", Screen::Outputs),
                    (Action::Parameters, "parameters", Screen::Parameters),
                    (
                        Action::ResourceDrift,
                        "resource drift",
                        Screen::ResourceDrift,
                    ),
                    (Action::ServiceActions, "actions", Screen::Actions),
                ] {
                    if shows != screen {
                        actions.push((action, what));
                    }
                }
            }
            // The keys that change things: hidden in a read-only session.
            if !state.read_only() {
                match screen {
                    Screen::Portfolios => {
                        actions.push((Action::Share, "share"));
                        actions.push((Action::New, "new portfolio"));
                        actions.push((Action::Principals, "principals"));
                        actions.push((Action::Unshare, "unshare"));
                    }
                    Screen::Products => {
                        actions.push((Action::Launch, "launch"));
                        actions.push((Action::Versions, "versions"));
                        actions.push((Action::New, "new version"));
                        actions.push((Action::NewProduct, "new product"));
                        actions.push((Action::AutoUpdate, "auto-update"));
                    }
                    Screen::Provisioned => {
                        if stuck(state, level) {
                            actions.push((Action::Repair, "repair"));
                        }
                        actions.push((Action::Update, "update"));
                        actions.push((Action::BulkUpdate, "update drifted"));
                        actions.push((Action::Terminate, "terminate"));
                    }
                    Screen::Records if stuck(state, level) => {
                        actions.push((Action::Repair, "repair"));
                    }
                    Screen::Events => actions.push((Action::Update, "update")),
                    Screen::Versions => {
                        actions.push((Action::Versions, "change"));
                        actions.push((Action::New, "new version"));
                    }
                    Screen::Principals => {
                        actions.push((Action::New, "add"));
                        actions.push((Action::Principals, "remove"));
                    }
                    Screen::Constraints
                    | Screen::Records
                    | Screen::Resources
                    | Screen::Outputs
                    | Screen::Parameters
                    | Screen::ResourceDrift
                    | Screen::Actions
                    | Screen::Matrix
                    | Screen::Xray => {}
                }
                actions.push((Action::Accept, "accept"));
            }
            actions.extend([
                (Action::Filter, "filter"),
                (Action::SortNext, "sort"),
                (Action::Mark, "mark"),
                (Action::Command, "command"),
                (Action::Profiles, "profile"),
            ]);
            // A snapshot is not read again: no refresh to offer.
            if state.snapshot().is_none() {
                actions.push((Action::Refresh, "refresh"));
            }
            actions.extend([(Action::Calls, "calls"), (Action::Detail, "detail")]);
        }
    }
    actions.push((Action::Help, "help"));
    actions
        .into_iter()
        .filter_map(|(action, what)| keymap.key_label(action).map(|k| (k, what.to_string())))
        .collect()
}

/// The hints that fit; the rest behind "more" (the help key).
fn draw_hints(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let hints = hints(state);
    let more_key = state
        .keymap()
        .key_label(Action::Help)
        .unwrap_or_else(|| "?".into());
    let more = format!(" {more_key} more… ");
    let width = area.width as usize;
    let cost = |(k, w): &(String, String)| k.chars().count() + w.chars().count() + 3;
    let total: usize = hints.iter().map(cost).sum();
    let mut spans = Vec::new();
    let mut used = 0;
    for (i, hint) in hints.iter().enumerate() {
        let last = i + 1 == hints.len();
        let room = if total <= width || last {
            width
        } else {
            width.saturating_sub(more.chars().count())
        };
        if used + cost(hint) > room {
            spans.push(Span::styled(more.clone(), theme.hints.more));
            break;
        }
        used += cost(hint);
        spans.push(Span::styled(format!(" {}", hint.0), theme.hints.key));
        spans.push(Span::styled(format!(" {} ", hint.1), theme.hints.text));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// An optional text for a detail line.
pub fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "—".into())
}

/// A time for a detail line.
pub fn date(value: Option<DateTime<Utc>>) -> String {
    value.map_or_else(
        || "—".into(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

/// The provisioned product the hints are about (selected, or the one a
/// level of its life is of) is TAINTED or ERROR: `F` repairs it.
fn stuck(state: &State, level: &crate::tui::screens::Level) -> bool {
    let id = match (&level.scope, level.screen) {
        (_, Screen::Provisioned) => level.table.selected_key(),
        (crate::tui::screens::Scope::Provisioned { id, .. }, _) => Some(id.as_str()),
        _ => None,
    };
    id.and_then(|id| state.catalog().provisioned_product(id))
        .is_some_and(|pp| crate::ops::act::repair::refusal(pp).is_none())
}
