//! The charts of the reports, from plain series: drift per account, and a
//! product's versions across the fleet. Each as Mermaid (the `.md` report:
//! GitHub and most wikis draw it), as bars of text (where Mermaid is not
//! drawn) and as inline SVG (the `.html` report: one file, no network).

use std::fmt::Write as _;

use crate::model::AccountDrift;
use crate::model::matrix::{CellState, MatrixProduct};

/// The most bars a chart draws; the rest are counted under it.
pub const MAX_BARS: usize = 40;

/// One bar: its label, its value, and what it stands for (its colour).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: usize,
    pub state: CellState,
}

/// Drift per account, the most drifted first (then by name); accounts
/// not read are left out of the bars (and counted by the caller).
pub fn drift_per_account(accounts: &[AccountDrift]) -> Vec<Bar> {
    let mut bars: Vec<Bar> = accounts
        .iter()
        .filter(|a| a.unreachable.is_none())
        .map(|a| Bar {
            label: a.label.clone(),
            value: a.drifted(),
            state: if a.drifted() > 0 {
                CellState::Behind
            } else {
                CellState::Current
            },
        })
        .collect();
    bars.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
    bars
}

/// A product's versions across the fleet, as its totals list them.
pub fn versions_of(product: &MatrixProduct) -> Vec<Bar> {
    product
        .totals
        .iter()
        .map(|v| Bar {
            label: v.version.clone(),
            value: v.count,
            state: v.state,
        })
        .collect()
}

fn quoted(text: &str) -> String {
    text.replace('"', "'")
}

/// A Mermaid bar chart (`xychart-beta`), at most [`MAX_BARS`] bars.
pub fn mermaid(title: &str, y: &str, bars: &[Bar]) -> String {
    let shown = &bars[..bars.len().min(MAX_BARS)];
    let labels: Vec<String> = shown
        .iter()
        .map(|b| format!("\"{}\"", quoted(&b.label)))
        .collect();
    let values: Vec<String> = shown.iter().map(|b| b.value.to_string()).collect();
    let top = shown.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let mut out = String::from("```mermaid\nxychart-beta\n");
    let _ = writeln!(out, "    title \"{}\"", quoted(title));
    let _ = writeln!(out, "    x-axis [{}]", labels.join(", "));
    let _ = writeln!(out, "    y-axis \"{}\" 0 --> {top}", quoted(y));
    let _ = writeln!(out, "    bar [{}]", values.join(", "));
    out.push_str("```\n");
    if bars.len() > shown.len() {
        let _ = writeln!(out, "\n({} more not drawn)", bars.len() - shown.len());
    }
    out
}

/// Bars of text: `label  ████████ 12`, `width` cells for the largest.
pub fn text_bars(bars: &[Bar], width: usize) -> String {
    let shown = &bars[..bars.len().min(MAX_BARS)];
    let top = shown.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let name = shown
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for b in shown {
        let cells = (b.value * width).div_ceil(top);
        let _ = writeln!(out, "{:<name$}  {} {}", b.label, "█".repeat(cells), b.value);
    }
    if bars.len() > shown.len() {
        let _ = writeln!(out, "({} more not drawn)", bars.len() - shown.len());
    }
    out
}

/// The colour of a state in the SVG (the console's theme, in spirit).
pub fn colour(state: CellState) -> &'static str {
    match state {
        CellState::Current => "#2e7d32",
        CellState::Behind => "#f9a825",
        CellState::Deprecated => "#ef6c00",
        CellState::Inactive => "#c62828",
        CellState::Tainted => "#b71c1c",
        CellState::Unknown => "#6a1b9a",
        CellState::NotRead => "#9e9e9e",
    }
}

/// Escapes text for HTML and SVG.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart as inline SVG: one row per bar, its label, the
/// bar in its state's colour and its value.
pub fn svg(title: &str, bars: &[Bar]) -> String {
    const ROW: usize = 18;
    const LABEL: usize = 180;
    const WIDTH: usize = 420;
    let shown = &bars[..bars.len().min(MAX_BARS)];
    let top = shown.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = ROW * shown.len() + 28;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\"><title>{}</title>",
        LABEL + WIDTH + 60,
        LABEL + WIDTH + 60,
        escape(title)
    );
    let _ = write!(
        out,
        "<text x=\"0\" y=\"14\" font-weight=\"bold\" font-size=\"13\">{}</text>",
        escape(title)
    );
    for (i, b) in shown.iter().enumerate() {
        let y = 24 + i * ROW;
        let w = (b.value * WIDTH).div_ceil(top);
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{y}\" width=\"{w}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            LABEL - 6,
            y + 12,
            escape(&b.label),
            LABEL,
            ROW - 4,
            colour(b.state),
            escape(&b.label),
            b.value,
            LABEL + w + 4,
            y + 12,
            b.value
        );
    }
    out.push_str("</svg>");
    if bars.len() > shown.len() {
        let _ = write!(out, "<p>({} more not drawn)</p>", bars.len() - shown.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Vec<Bar> {
        vec![
            Bar {
                label: "spoke-a".into(),
                value: 4,
                state: CellState::Behind,
            },
            Bar {
                label: "spoke \"b\"".into(),
                value: 1,
                state: CellState::Behind,
            },
        ]
    }

    #[test]
    fn the_charts_carry_every_bar_and_value() {
        let m = mermaid("Drift per account", "drifted", &bars());
        assert!(m.contains("x-axis [\"spoke-a\", \"spoke 'b'\"]"), "{m}");
        assert!(m.contains("bar [4, 1]"), "{m}");
        let t = text_bars(&bars(), 8);
        assert!(t.contains("spoke-a    ████████ 4"), "{t}");
        assert!(t.contains("spoke \"b\"  ██ 1"), "{t}");
        let s = svg("Drift <per> account", &bars());
        assert!(
            s.contains("<title>Drift &lt;per&gt; account</title>"),
            "{s}"
        );
        assert_eq!(s.matches("<rect").count(), 2);
        assert!(s.contains("spoke &quot;b&quot;: 1"), "{s}");
    }

    #[test]
    fn past_the_most_bars_the_rest_are_counted() {
        let many: Vec<Bar> = (0..MAX_BARS + 3)
            .map(|i| Bar {
                label: format!("a{i}"),
                value: i,
                state: CellState::Current,
            })
            .collect();
        assert!(mermaid("t", "y", &many).contains("(3 more not drawn)"));
        assert!(svg("t", &many).contains("(3 more not drawn)"));
    }
}
