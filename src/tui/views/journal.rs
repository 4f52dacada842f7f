//! `:log`: the journal of every change made from spoke (this console, the
//! headless commands, earlier sessions), newest first: one row per action,
//! its intent joined with its result. An intent with no result (spoke
//! stopped during the call) and lines that are not entries are shown too.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::journal::{Contents, Entry, Phase};
use crate::model::Inventory;
use crate::tui::app::State;
use crate::tui::names::Names;
use crate::tui::theme::Theme;
use crate::tui::views::overlay_area;
use crate::tui::widgets::table::{self, Cell, Chrome, Column, RowTone, SortKey, TableRow, Width};

pub fn columns() -> Vec<Column> {
    vec![
        Column::new("Time", Width::Fixed(19)).sort(SortKey::Value),
        Column::new("Profile", Width::Auto { min: 7, max: 16 }),
        Column::new("Account", Width::Auto { min: 7, max: 12 }),
        Column::new("Operation", Width::Auto { min: 9, max: 30 }),
        Column::new("Target", Width::Fill(2)),
        Column::new("Outcome", Width::Fill(3)),
    ]
}

/// The target of an entry: what was changed, by name beside its id where
/// spoke knows the name (the account's profile, the portfolio, product or
/// provisioned product of the inventory open), then whom or what it went
/// to (a share's account, OU or organization; the product added).
fn target(e: &Entry, names: &Names, inventory: &Inventory) -> String {
    let t = |key: &str| e.targets.get(key).map(String::as_str);
    let named = |name: Option<&str>, id: &str| match name {
        Some(name) if name != id => format!("{name} ({id})"),
        _ => id.to_string(),
    };
    let portfolio = |id: &str| named(inventory.portfolio(id).map(|p| p.name.as_str()), id);
    let product = |id: &str| named(inventory.product(id).map(|p| p.name.as_str()), id);
    if let Some(name) = t("provisioned_product_name") {
        return name.to_string();
    }
    if let Some(id) = t("provisioned_product_id") {
        let name = inventory
            .provisioned
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.as_str());
        return named(name, id);
    }
    if let Some(id) = t("portfolio_id") {
        let mut out = portfolio(id);
        if let Some(account) = t("account") {
            out.push_str(&format!(" → {}", names.principal(account)));
        }
        for other in ["organizational_unit", "organization"] {
            if let Some(o) = t(other) {
                out.push_str(&format!(" → {o}"));
            }
        }
        if let Some(p) = t("product_id") {
            out.push_str(&format!(" → {}", product(p)));
        }
        return out;
    }
    t("product_id").map(product).unwrap_or_default()
}

/// Newest first; the intent and the result of an action as one row.
pub fn rows(contents: &Contents, names: &Names, inventory: &Inventory) -> Vec<TableRow> {
    let settled = contents.settled();
    let mut results = std::collections::HashMap::new();
    for e in contents.entries.iter().filter(|e| e.phase == Phase::Result) {
        results.insert(e.action.as_str(), e);
    }
    let mut rows: Vec<TableRow> = contents
        .entries
        .iter()
        .filter(|e| e.phase == Phase::Intent)
        .map(|intent| {
            let result = results.get(intent.action.as_str());
            let end = result
                .and_then(|r| r.record_id.as_deref())
                .and_then(|id| settled.get(id))
                .and_then(|e| e.outcome.as_ref());
            let (outcome, tone) = match result.and_then(|r| r.outcome.as_ref()) {
                Some(o) if o.ok => match end {
                    Some(end) if end.ok => {
                        (format!("{} → {}", o.message, end.message), RowTone::Normal)
                    }
                    Some(end) => (format!("{} → {}", o.message, end.message), RowTone::Bad),
                    None => (o.message.clone(), RowTone::Normal),
                },
                Some(o) => (format!("FAILED: {}", o.message), RowTone::Bad),
                None => (
                    "no result recorded: spoke stopped during the call — check it in AWS".into(),
                    RowTone::Warn,
                ),
            };
            TableRow::new(
                intent.action.clone(),
                vec![
                    Cell::new(intent.time.format("%Y-%m-%d %H:%M:%S").to_string())
                        .value(intent.time.timestamp_millis()),
                    Cell::new(intent.actor.profile.clone()),
                    Cell::new(intent.actor.account.clone()),
                    Cell::new(intent.operation.clone()),
                    Cell::new(target(intent, names, inventory)),
                    Cell::new(outcome),
                ],
            )
            .tone(tone)
        })
        .collect();
    rows.reverse();
    for (line, why) in &contents.bad_lines {
        rows.push(
            TableRow::new(
                format!("bad-{line}"),
                vec![
                    Cell::new(format!("line {line}")).value(0),
                    Cell::new(String::new()),
                    Cell::new(String::new()),
                    Cell::new("(not an entry)".to_string()),
                    Cell::new(String::new()),
                    Cell::new(why.clone()),
                ],
            )
            .tone(RowTone::Warn),
        );
    }
    rows
}

/// Draws the overlay over `area`; returns how many rows fit.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) -> usize {
    let area = overlay_area(frame, area, 96, 80);
    let empty = match state.journal().problem() {
        Some(problem) => problem.to_string(),
        None => "No changes journaled yet.".to_string(),
    };
    let mut chrome = Chrome::new("Journal (:log)", &empty, theme);
    chrome.border = theme.overlay.border;
    chrome.title_style = theme.overlay.title;
    table::draw(frame, area, state.journal().table(), theme, chrome)
}
