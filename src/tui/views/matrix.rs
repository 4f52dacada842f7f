//! `:matrix`: which version of each product runs in which account —
//! products down, accounts across ([`crate::model::matrix`]). The rows
//! are a table like the others (filter, sort, selection, only the rows in
//! view drawn); the accounts are cells beyond its columns, drawn from the
//! column under the cursor (`←`/`→`) so a 1,000-account organization costs
//! what fits on the screen. Enter on a cell lists those provisioned products.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell as TuiCell, HighlightSpacing, Row, Table, TableState};

use crate::model::matrix::text::cell_marks;
use std::sync::Arc;

use crate::model::matrix::{CellState, Matrix, MatrixAccount, VersionCount};
use crate::model::{AccountDrift, DriftRow};
use crate::tui::fleet_catalog::MatrixMade;
use crate::tui::screens::{Catalog, Level};
use crate::tui::theme::{DriftTone, Theme, Tone};
use crate::tui::widgets::table::{Cell, Column, SortKey, TableRow, Width};
use crate::tui::widgets::text::truncate;

/// The columns before the accounts.
pub const FROZEN: usize = 4;
/// How wide an account's column is drawn.
const ACCOUNT_WIDTH: u16 = 18;

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Product", Width::Auto { min: 8, max: 28 }),
        Column::new("Latest", Width::Auto { min: 6, max: 10 }),
        Column::new("Drifted", Width::Auto { min: 7, max: 9 }).sort(SortKey::Value),
        Column::new("Fleet", Width::Auto { min: 8, max: 36 }),
    ]
}

/// The matrix of what the catalog holds: the fleet's accounts, or the
/// account open; OUs across once their tree is read (`b`). A fleet's is
/// made once per change of its accounts or of the tree, not once a frame.
pub fn matrix(catalog: &Catalog) -> Arc<MatrixMade> {
    match (&catalog.fleet, ou_paths(catalog)) {
        (Some(fleet), Some(paths)) => fleet.matrix_by(paths),
        (Some(fleet), None) => fleet.matrix(),
        (None, _) => Arc::new(MatrixMade::of(&[this_account(catalog)])),
    }
}

/// The OU tree the matrix is grouped by, once read.
pub fn ou_paths(catalog: &Catalog) -> Option<&Arc<std::collections::HashMap<String, String>>> {
    catalog
        .by_ou
        .as_ref()
        .and_then(|o| o.paths.as_ref())
        .filter(|_| catalog.fleet.is_some())
}

/// "by OU", "by OU (reading the OU tree…)" or nothing: what the title adds.
pub fn grouping_words(catalog: &Catalog) -> Option<&'static str> {
    match &catalog.by_ou {
        Some(o) if o.loading => Some("reading the OU tree… (accounts across until it is in)"),
        Some(_) if ou_paths(catalog).is_some() => Some("by OU"),
        _ => None,
    }
}

/// The column of the account open: its id, once known.
fn this_label(catalog: &Catalog) -> String {
    match catalog.caller.account_id.as_str() {
        "" => "this account".to_string(),
        id => id.to_string(),
    }
}

/// The account open, as a fleet's member would be scanned.
fn this_account(catalog: &Catalog) -> AccountDrift {
    let label = this_label(catalog);
    let label = label.as_str();
    let rows = catalog
        .provisioned
        .iter()
        .map(|pp| {
            let versions = catalog
                .product(&pp.product_id)
                .map(|p| p.versions.as_slice());
            let mut row = DriftRow::new(label, pp.clone(), versions);
            // The inventory knows what was read: its drift wins.
            if let Some(drift) = catalog.drift_of(&pp.id) {
                row.drift = drift;
            }
            if row.provisioned.product_name.is_none() {
                row.provisioned.product_name =
                    catalog.product(&pp.product_id).map(|p| p.name.clone());
            }
            row
        })
        .collect();
    AccountDrift {
        label: label.to_string(),
        account: Some(catalog.caller.account_id.clone()).filter(|a| !a.is_empty()),
        rows,
        versions: Default::default(),
        problems: Vec::new(),
        unreachable: None,
    }
}

/// How a state is coloured: as the drift it stands for.
fn drift_tone(state: CellState) -> DriftTone {
    match state {
        CellState::Current => DriftTone::Current,
        CellState::Behind => DriftTone::Behind,
        CellState::Deprecated => DriftTone::Deprecated,
        CellState::Inactive => DriftTone::Inactive,
        CellState::Tainted => DriftTone::Tainted,
        CellState::Unknown => DriftTone::Unknown,
        CellState::NotRead => DriftTone::NotRead,
    }
}

fn tone(state: CellState) -> Tone {
    Tone::Drift(drift_tone(state))
}

/// One row per product: its name, latest version, how many drift, the
/// fleet's versions, then one cell per account (beyond the columns).
pub fn rows_of(matrix: &Matrix) -> Vec<TableRow> {
    matrix
        .products
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut cells = vec![
                Cell::new(p.name.clone()),
                Cell::new(p.latest.clone().unwrap_or_else(|| "not read".into())),
                Cell::new(format!("{} of {}", p.drifted, p.provisioned)).value(p.drifted as i64),
                Cell::new(
                    p.totals
                        .iter()
                        .map(|v| format!("{}×{}", v.version, v.count))
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
            ];
            cells.extend((0..matrix.accounts.len()).map(|c| {
                let cell = matrix.cell(i, c);
                let mut words = cell_marks(cell);
                // An OU read in part: "(k of n not read)".
                if let (Some(_), Some(a)) = (cell, matrix.accounts.get(c))
                    && !a.not_read.is_empty()
                {
                    words.push_str(&format!(
                        " ({} of {} not read)",
                        a.not_read.len(),
                        a.members.len()
                    ));
                }
                match cell.map(|_| matrix.cell_state(i, c)) {
                    None => Cell::new(words).tone(tone(CellState::NotRead)),
                    Some(None) => Cell::new(words),
                    Some(Some(state)) => Cell::new(words).tone(tone(state)),
                }
            }));
            let mut row = TableRow::new(p.product_id.clone(), cells);
            if let Some(state) = p.state() {
                row = row.tone(drift_tone(state).row());
            }
            row
        })
        .collect()
}

pub fn rows(catalog: &Catalog) -> Vec<TableRow> {
    rows_of(&matrix(catalog).matrix)
}

/// The account columns that fit beside the frozen ones, from the first
/// that keeps `column` in view: (first, count).
pub fn window(column: usize, accounts: usize, room: u16) -> (usize, usize) {
    let fit = usize::from((room / (ACCOUNT_WIDTH + 1)).max(1));
    let first = (column + 1).saturating_sub(fit);
    (first, fit.min(accounts.saturating_sub(first)))
}

/// Draws the matrix: the frozen columns, then the accounts in the window,
/// the cell under the cursor highlighted. Gives the rows' height.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    level: &Level,
    labels: &[MatrixAccount],
    theme: &Theme,
    title: &str,
    empty: &str,
) -> usize {
    let model = &level.table;
    let across = if title.contains("by OU") {
        "OUs"
    } else {
        "accounts"
    };
    let count = if model.len() == model.total() {
        format!("({} products × {} {across}) ", model.total(), labels.len())
    } else {
        format!(
            "({} of {} products × {} {across}) ",
            model.len(),
            model.total(),
            labels.len()
        )
    };
    let mut spans = vec![Span::styled(format!(" {title} "), theme.table.title)];
    spans.push(Span::styled(count, theme.table.title));
    if !model.filter().is_empty() {
        spans.push(Span::styled(
            format!("/{} ", model.filter()),
            theme.table.filter,
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.table.border)
        .title(Line::from(spans));
    let inner = block.inner(area);
    let height = inner.height.saturating_sub(1) as usize;
    // The frozen columns at the widths they want, within a third of the screen each.
    let frozen: Vec<u16> = (0..FROZEN)
        .map(|j| {
            let want = model
                .visible_rows()
                .take(200)
                .filter_map(|r| r.cells.get(j))
                .map(|c| c.text.chars().count() as u16)
                .chain(std::iter::once(
                    model.columns()[j].title.chars().count() as u16
                ))
                .max()
                .unwrap_or(4);
            want.clamp(4, (inner.width / 4).max(8))
        })
        .collect();
    let used: u16 = frozen.iter().map(|w| w + 1).sum::<u16>() + 2;
    let column = level.column.min(labels.len().saturating_sub(1));
    let (first, shown) = window(column, labels.len(), inner.width.saturating_sub(used));
    let header = Row::new(
        std::iter::once(TuiCell::from(""))
            .chain(
                model
                    .columns()
                    .iter()
                    .map(|c| TuiCell::from(c.title.to_string())),
            )
            .chain(
                labels[first..first + shown]
                    .iter()
                    .enumerate()
                    .map(|(k, l)| {
                        let text = truncate(&l.label, ACCOUNT_WIDTH as usize).into_owned();
                        if first + k == column {
                            TuiCell::from(Span::styled(text, theme.table.selection))
                        } else {
                            TuiCell::from(text)
                        }
                    }),
            ),
    )
    .style(theme.table.header);
    let (offset, visible) = model.window(height);
    let selected_row = model.selected();
    let rows = model
        .visible_rows()
        .skip(offset)
        .take(visible)
        .enumerate()
        .map(|(n, row)| {
            let on_row = offset + n == selected_row;
            let frozen_cells = (0..FROZEN).map(|j| {
                let c = row.cells.get(j);
                let text = c.map_or("", |c| c.text.as_str());
                TuiCell::from(truncate(text, frozen[j] as usize).into_owned())
            });
            let account_cells = (first..first + shown).map(|k| {
                let Some(c) = row.cells.get(FROZEN + k) else {
                    return TuiCell::from("");
                };
                let text = truncate(&c.text, ACCOUNT_WIDTH as usize).into_owned();
                let mut style = c.tone.map_or(Style::default(), |t| theme.tone(t));
                if on_row && k == column {
                    style = style
                        .patch(theme.table.selection)
                        .patch(Style::default().add_modifier(ratatui::style::Modifier::REVERSED));
                }
                TuiCell::from(Span::styled(text, style))
            });
            Row::new(
                std::iter::once(TuiCell::from(""))
                    .chain(frozen_cells)
                    .chain(account_cells),
            )
            .style(theme.row(row.tone))
        });
    let widths = std::iter::once(Constraint::Length(1))
        .chain(frozen.iter().map(|w| Constraint::Length(*w)))
        .chain((0..shown).map(|_| Constraint::Length(ACCOUNT_WIDTH)));
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(theme.table.selection)
        .highlight_symbol("›")
        .highlight_spacing(HighlightSpacing::Always);
    let selected = (!model.is_empty()).then(|| selected_row - offset);
    let mut state = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, area, &mut state);
    if model.is_empty() && inner.height > 2 {
        let message = if model.total() == 0 {
            empty.to_string()
        } else {
            format!(
                "No products match /{} — Esc clears the filter.",
                model.filter()
            )
        };
        let line = Rect {
            y: inner.y + inner.height / 2,
            height: 1,
            ..inner
        };
        frame.render_widget(
            ratatui::widgets::Paragraph::new(Line::styled(
                truncate(&message, inner.width as usize).into_owned(),
                theme.table.empty,
            )),
            line,
        );
    }
    height
}

/// The detail of a product row: its versions across the fleet, and how
/// many accounts run it.
pub fn detail(catalog: &Catalog, key: &str) -> Vec<(String, String)> {
    let made = matrix(catalog);
    let Some((product, accounts)) = made.product(key) else {
        return vec![("".into(), "that product is no longer in the matrix".into())];
    };
    let mut lines = vec![
        ("Product".to_string(), product.name.clone()),
        ("Id".to_string(), key.to_string()),
        (
            "Latest".to_string(),
            product.latest.clone().unwrap_or_else(|| "not read".into()),
        ),
        (
            "Provisioned".to_string(),
            format!("{} ({} drift)", product.provisioned, product.drifted),
        ),
        ("Accounts".to_string(), format!("{accounts} run it")),
    ];
    lines.push((
        "Marks".to_string(),
        "↓ behind · dep deprecated · off inactive · ✗ tainted · ? unknown version".to_string(),
    ));
    lines.push((String::new(), "Across the fleet:".to_string()));
    for v in &product.totals {
        lines.push((
            format!("  {}", v.version),
            format!("{} · {}", v.count, v.state.word()),
        ));
    }
    lines
}

/// The colour of a state, as its cells have it.
fn state_style(theme: &Theme, state: CellState) -> Style {
    theme.tone(tone(state))
}

/// Above the matrix of a fleet: drifted provisioned products per account,
/// the most drifted first, as many as fit (a bar chart).
pub fn draw_drift_chart(frame: &mut Frame, area: Rect, made: &MatrixMade, theme: &Theme) {
    let bars = &made.bars;
    let unread = made.unread;
    let room = usize::from(area.height.saturating_sub(2));
    let mut title = format!(
        " Drifted per account (most first, {} of {}",
        bars.len().min(room),
        bars.len()
    );
    if unread > 0 {
        title.push_str(&format!("; {unread} not read"));
    }
    title.push_str(") ");
    let shown: Vec<ratatui::widgets::Bar> = bars
        .iter()
        .take(room)
        .map(|b| {
            ratatui::widgets::Bar::with_label(truncate(&b.label, 20).into_owned(), b.value as u64)
                .style(state_style(theme, b.state))
        })
        .collect();
    let chart = ratatui::widgets::BarChart::horizontal(shown)
        .bar_width(1)
        .bar_gap(0)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.table.border)
                .title(Span::styled(title, theme.table.title)),
        );
    frame.render_widget(chart, area);
}

/// Below the detail of a product: how many run each of its versions
/// across the fleet (a bar chart, each bar in its state's colour).
pub fn draw_versions_chart(
    frame: &mut Frame,
    area: Rect,
    made: &MatrixMade,
    product_id: &str,
    theme: &Theme,
) {
    let Some((product, _)) = made.product(product_id) else {
        return;
    };
    let mut counts: Vec<&VersionCount> = product.totals.iter().collect();
    counts.sort_by(|a, b| a.version.cmp(&b.version));
    let bars: Vec<ratatui::widgets::Bar> = counts
        .iter()
        .map(|v| {
            ratatui::widgets::Bar::with_label(v.version.clone(), v.count as u64)
                .style(state_style(theme, v.state))
        })
        .collect();
    let chart = ratatui::widgets::BarChart::horizontal(bars)
        .bar_width(1)
        .bar_gap(0)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.table.border)
                .title(Span::styled(
                    " Its versions across the fleet ",
                    theme.table.title,
                )),
        );
    frame.render_widget(chart, area);
}
