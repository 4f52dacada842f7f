//! Where a table's columns and its detail pane go.

use ratatui::layout::Rect;

use super::model::Sort;
use super::row::{Column, Width};

/// The narrowest an id is cut to: `pp-yujr…o2a7j`.
const ID_FLOOR: u16 = 13;

pub(super) fn title_width(column: &Column) -> u16 {
    column.title.chars().count() as u16
}

/// The widths of the columns in `available` cells, 0 for a
/// [`Column::wide`] column left out: wide columns are shown, in order,
/// while every column shown fits at the width it wants.
pub fn column_widths(
    columns: &[Column],
    content: &[u16],
    sort: Option<Sort>,
    available: u16,
) -> Vec<u16> {
    if !columns.iter().any(|c| c.wide) {
        return fit_widths(columns, content, sort, available);
    }
    let desired = desired_widths(columns, content, sort);
    let cost = |i: usize| desired[i] as u32 + 1;
    let mut used: u32 = 2
        + (0..columns.len())
            .filter(|&i| !columns[i].wide)
            .map(cost)
            .sum::<u32>();
    let mut shown: Vec<bool> = columns.iter().map(|c| !c.wide).collect();
    for i in (0..columns.len()).filter(|&i| columns[i].wide) {
        if used + cost(i) <= available as u32 {
            used += cost(i);
            shown[i] = true;
        }
    }
    let kept: Vec<usize> = (0..columns.len()).filter(|&i| shown[i]).collect();
    let sub_columns: Vec<Column> = kept.iter().map(|&i| columns[i].clone()).collect();
    let sub_content: Vec<u16> = kept
        .iter()
        .map(|&i| content.get(i).copied().unwrap_or(0))
        .collect();
    let sub_sort = sort.and_then(|s| {
        Some(Sort {
            column: kept.iter().position(|&i| i == s.column)?,
            ..s
        })
    });
    let fitted = fit_widths(&sub_columns, &sub_content, sub_sort, available);
    let mut widths = vec![0; columns.len()];
    for (&i, w) in kept.iter().zip(fitted) {
        widths[i] = w;
    }
    widths
}

/// How wide each column would be with room to spare: its content within
/// its rule, and its title (with the sort arrow).
fn desired_widths(columns: &[Column], content: &[u16], sort: Option<Sort>) -> Vec<u16> {
    let sorted = sort.map(|s| s.column);
    (0..columns.len())
        .map(|i| {
            let title = title_width(&columns[i]) + if sorted == Some(i) { 2 } else { 0 };
            let content = content.get(i).copied().unwrap_or(0).max(title);
            match columns[i].width {
                Width::Fixed(n) => n,
                Width::Auto { min, max } => content.clamp(min, max.max(min).max(title)),
                Width::Fill(_) => content.min(48.max(title)),
            }
        })
        .collect()
}

/// The widths of the columns in `available` cells (the table's inner
/// width): each column as wide as it wants (its rule and its content);
/// room to spare goes to the `Fill` columns by weight; a shortfall is taken
/// from the columns that can give (down to a floor), in proportion: ids
/// first (their middle, down to `pp-yujr…o2a7j`), then text, then codes,
/// then names (they tell rows apart), then ids again.
///
/// The sorted column makes room for its arrow.
fn fit_widths(columns: &[Column], content: &[u16], sort: Option<Sort>, available: u16) -> Vec<u16> {
    // The selection symbol, the mark column, and a space before each column.
    let room = available.saturating_sub(2 + columns.len() as u16) as u32;
    let sorted = sort.map(|s| s.column);
    let titles: Vec<u16> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| title_width(c) + if sorted == Some(i) { 2 } else { 0 })
        .collect();
    let content: Vec<u16> = content
        .iter()
        .zip(&titles)
        .map(|(&c, &t)| c.max(t))
        .collect();
    let desired = desired_widths(columns, &content, sort);
    // An id reads by both ends (`pp-yu…o2a7j`): it gives its middle first,
    // so that names stay whole longer.
    let is_id = |i: usize| columns[i].title == "Id";
    let last: Vec<u16> = (0..columns.len())
        .map(|i| match columns[i].width {
            Width::Fixed(n) => n,
            Width::Auto { min, .. } => min.max(titles[i]).min(desired[i]),
            Width::Fill(_) => desired[i].min(titles[i].max(10)),
        })
        .collect();
    // Before the last pass an id keeps enough of both ends to tell it apart.
    let first: Vec<u16> = (0..columns.len())
        .map(|i| match columns[i].width {
            Width::Auto { .. } if is_id(i) => desired[i].min(ID_FLOOR.max(last[i])),
            _ => last[i],
        })
        .collect();
    let total: u32 = desired.iter().map(|&d| d as u32).sum();
    let mut widths = desired.clone();
    if total <= room {
        let extra = room - total;
        let weights: u32 = columns
            .iter()
            .map(|c| match c.width {
                Width::Fill(w) => w as u32,
                _ => 0,
            })
            .sum();
        if let Some(per_weight) = (extra * 1000).checked_div(weights) {
            let mut given = 0;
            for (i, c) in columns.iter().enumerate() {
                if let Width::Fill(w) = c.width {
                    let share = per_weight * w as u32 / 1000;
                    widths[i] += share as u16;
                    given += share;
                }
            }
            // What rounding left goes to the first Fill column.
            if let Some(i) = columns
                .iter()
                .position(|c| matches!(c.width, Width::Fill(_)))
            {
                widths[i] += (extra - given) as u16;
            }
        }
    } else {
        // Ids give their middle first (down to both ends), then text that
        // reads well cut (Fill), then codes (Auto), then names — they tell
        // rows apart, so they stay whole the longest —, and ids last.
        let is_name = |i: usize| columns[i].title == "Name";
        let mut deficit = total - room;
        for pass in 0..5 {
            let give = |i: usize| match pass {
                0 => is_id(i),
                1 => matches!(columns[i].width, Width::Fill(_)) && !is_name(i),
                2 => matches!(columns[i].width, Width::Auto { .. }) && !is_id(i),
                3 => is_name(i),
                _ => is_id(i),
            };
            let floor = if matches!(pass, 2 | 4) { &last } else { &first };
            let slack: Vec<u32> = (0..columns.len())
                .map(|i| {
                    if give(i) {
                        widths[i].saturating_sub(floor[i]) as u32
                    } else {
                        0
                    }
                })
                .collect();
            let total_slack: u32 = slack.iter().sum();
            if total_slack == 0 {
                continue;
            }
            let cut_all = deficit.min(total_slack);
            let mut cut_done = 0;
            for (i, &s) in slack.iter().enumerate() {
                let cut = cut_all * s / total_slack;
                widths[i] -= cut as u16;
                cut_done += cut;
            }
            // What rounding left, one cell at a time from the widest.
            while cut_done < cut_all {
                let Some(i) = (0..columns.len())
                    .filter(|&i| slack[i] > 0 && widths[i] > floor[i])
                    .max_by_key(|&i| widths[i])
                else {
                    break;
                };
                widths[i] -= 1;
                cut_done += 1;
            }
            deficit -= cut_done;
            if deficit == 0 {
                break;
            }
        }
    }
    widths
}

/// Splits a screen's area between the table and its detail pane: on the
/// right when the terminal is wide, below when it is tall, else none.
pub fn split_detail(area: Rect, show: bool) -> (Rect, Option<Rect>) {
    if !show {
        return (area, None);
    }
    if area.width >= 120 {
        let detail = (area.width / 3).clamp(40, 72);
        let table = Rect {
            width: area.width - detail,
            ..area
        };
        let pane = Rect {
            x: area.x + table.width,
            width: detail,
            ..area
        };
        (table, Some(pane))
    } else if area.height >= 24 {
        let detail = (area.height * 2 / 5).max(8);
        let table = Rect {
            height: area.height - detail,
            ..area
        };
        let pane = Rect {
            y: area.y + table.height,
            height: detail,
            ..area
        };
        (table, Some(pane))
    } else {
        (area, None)
    }
}
