//! The progress of a bulk update: a bar, the counts, and one line per
//! item being updated with its status (failures with their reason).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::ops::bulk::ItemStatus;
use crate::tui::app::State;
use crate::tui::keymap::Action;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::printable;

/// Cells of the progress bar.
const BAR: usize = 40;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(run) = state.bulk() else {
        return;
    };
    let (total, over) = run.progress();
    let filled = (over * BAR).checked_div(total).unwrap_or(BAR);
    let mut lines = vec![
        Line::from(vec![
            Span::styled("█".repeat(filled), theme.tones.good),
            Span::styled("░".repeat(BAR - filled), theme.tones.dim),
            Span::raw(format!("  {over}/{total}")),
        ]),
        Line::from(format!(
            "{} succeeded · {} failed · {} running · {} waiting · {} not started",
            run.count("SUCCEEDED"),
            run.count("FAILED"),
            run.count("IN_PROGRESS"),
            run.count("WAITING"),
            run.count("CANCELLED") + run.count("HALTED"),
        )),
    ];
    // A halted run (a canary failed, the failure budget spent) says why,
    // and that --resume sends what was not started.
    if let Some(why) = run.statuses.iter().find_map(|s| match s {
        ItemStatus::Halted { reason } => Some(reason),
        _ => None,
    }) {
        lines.push(Line::from(Span::styled(
            printable(&format!(
                "Halted — {} item(s) {why}; `spoke update --resume {}` sends them later",
                run.count("HALTED"),
                run.plan.batch
            ))
            .into_owned(),
            theme.tones.warn,
        )));
    }
    // The updates' ends over time, as a sparkline: a run that slows
    // (throttling, a slow version) shows it.
    if let Some((counts, first, last)) = run.ends_over_time(BAR) {
        lines.push(Line::from(vec![
            Span::styled(sparkline(&counts), theme.tones.good),
            Span::styled(
                format!(
                    "  ends over time, {} → {}",
                    first.format("%H:%M:%S"),
                    last.format("%H:%M:%S")
                ),
                theme.tones.dim,
            ),
        ]));
    }
    if run.cancelled && !run.done {
        lines.push(Line::from(Span::styled(
            "Cancelling: nothing more starts; the updates under way are followed to their end",
            theme.tones.warn,
        )));
    }
    if let Some(e) = &run.error {
        lines.push(Line::from(Span::styled(
            printable(e).into_owned(),
            theme.status.error,
        )));
    }
    match &run.report {
        Some(Ok(path)) => lines.push(Line::from(format!("Report: {}", printable(path)))),
        Some(Err(e)) => lines.push(Line::from(Span::styled(
            format!("No report: {}", printable(e)),
            theme.status.error,
        ))),
        None => {}
    }
    lines.push(Line::from(""));
    // Running and failed first, then the others; as many as fit.
    let mut items: Vec<usize> = (0..run.plan.items.len())
        .filter(|&i| run.plan.items[i].will_update())
        .collect();
    items.sort_by_key(|&i| match &run.statuses[i] {
        ItemStatus::Failed { .. } => 0,
        ItemStatus::Running { .. } => 1,
        ItemStatus::Waiting => 2,
        ItemStatus::Halted { .. } => 3,
        _ => 4,
    });
    let room = (area.height as usize).saturating_sub(lines.len() + 4);
    for &i in items.iter().take(room) {
        let item = &run.plan.items[i].item;
        let (text, style) = match &run.statuses[i] {
            ItemStatus::Succeeded { .. } => ("✓ SUCCEEDED".to_string(), theme.tones.good),
            ItemStatus::Failed { reason, .. } => (format!("✗ FAILED: {reason}"), theme.tones.bad),
            ItemStatus::Running { status, .. } => (format!("… {status}"), theme.status.busy),
            ItemStatus::Waiting => ("· waiting".to_string(), theme.tones.dim),
            ItemStatus::Cancelled => ("· not started".to_string(), theme.tones.dim),
            ItemStatus::Halted { reason } => (format!("· halted: {reason}"), theme.tones.warn),
            ItemStatus::Skipped { reason } => (format!("· skipped: {reason}"), theme.tones.dim),
        };
        lines.push(Line::from(vec![
            Span::raw(
                printable(&format!(
                    "{} {} {} → {}  ",
                    item.profile,
                    item.provisioned_name,
                    item.from_name,
                    item.to_name.as_deref().unwrap_or("—")
                ))
                .into_owned(),
            ),
            Span::styled(printable(&text).into_owned(), style),
        ]));
    }
    if items.len() > room {
        lines.push(Line::from(Span::styled(
            format!("… and {} more", items.len() - room),
            theme.tones.dim,
        )));
    }
    let title = if run.done {
        "Bulk update: done"
    } else {
        "Bulk update: running"
    };
    let keymap = state.keymap();
    let esc = keymap.hint(Action::Cancel);
    let keys = if run.done {
        format!("{esc} close")
    } else {
        format!(
            "{} cancel what has not started · {esc} hide",
            keymap.hint(Action::CancelRun)
        )
    };
    super::dialogs::draw_box(frame, area, title, lines, theme, &keys);
}

/// Counts as a line of bars, `▁` to `█` relative to the largest (a
/// sparkline that sits in a line of text); an empty stretch is a space.
pub fn sparkline(counts: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = counts.iter().copied().max().unwrap_or(0).max(1);
    counts
        .iter()
        .map(|&n| match n {
            0 => ' ',
            n => BARS[((n * 8).div_ceil(top) as usize).clamp(1, 8) - 1],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_sparkline_is_relative_to_its_largest() {
        assert_eq!(super::sparkline(&[0, 1, 4, 8]), " ▁▄█");
        assert_eq!(super::sparkline(&[]), "");
    }
}
