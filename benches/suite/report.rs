//! The suite's table: one row per case, the figure measured next to the
//! bound it is compared with, their ratio and the target, printed as
//! Markdown (the README's table is this output).

use std::time::Duration;

/// What a case is held to.
#[derive(Debug, Clone)]
pub enum Target {
    /// No target: the figure is shown for what it is.
    None,
    /// measured ÷ bound at most this.
    Ratio(f64),
    /// The figure itself under this (times, in the figure's unit).
    Under(f64, &'static str),
}

#[derive(Debug, Clone)]
pub struct Row {
    pub case: String,
    pub measured: String,
    pub bound: String,
    pub ratio: Option<f64>,
    pub target: Target,
    /// The figure compared with an `Under` target.
    pub value: f64,
}

impl Row {
    /// A figure against a bound, held to a ratio.
    pub fn ratio(
        case: impl Into<String>,
        measured: String,
        bound: String,
        ratio: f64,
        target: Target,
    ) -> Row {
        Row {
            case: case.into(),
            measured,
            bound,
            ratio: Some(ratio),
            target,
            value: ratio,
        }
    }

    /// A figure held under an absolute target.
    pub fn under(case: impl Into<String>, measured: String, value: f64, target: Target) -> Row {
        Row {
            case: case.into(),
            measured,
            bound: "-".into(),
            ratio: None,
            target,
            value,
        }
    }

    fn target_text(&self) -> String {
        match &self.target {
            Target::None => "-".into(),
            Target::Ratio(r) => format!("≤ {r}×"),
            Target::Under(v, unit) => format!("< {v} {unit}"),
        }
    }

    /// Met, missed, or nothing to meet.
    pub fn verdict(&self) -> &'static str {
        let met = match &self.target {
            Target::None => return "",
            Target::Ratio(r) => self.ratio.is_some_and(|x| x <= *r),
            Target::Under(v, _) => self.value < *v,
        };
        if met { "met" } else { "MISSED" }
    }
}

/// The table, as the cases add their rows.
#[derive(Default)]
pub struct Table {
    rows: Vec<Row>,
}

impl Table {
    pub fn push(&mut self, row: Row) {
        println!(
            "  → {}: {} (bound {}, {}) {}",
            row.case,
            row.measured,
            row.bound,
            row.target_text(),
            row.verdict()
        );
        self.rows.push(row);
    }

    pub fn print(&self) {
        println!();
        print!("{}", self.markdown());
    }

    /// The table as Markdown, then how many cases met their target.
    pub fn markdown(&self) -> String {
        let mut out = String::from("| case | measured | bound | ratio | target | |\n");
        out.push_str("|---|---:|---:|---:|---|---|\n");
        for r in &self.rows {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                r.case,
                r.measured,
                r.bound,
                r.ratio.map_or("-".into(), |x| format!("{x:.2}")),
                r.target_text(),
                r.verdict()
            ));
        }
        let missed = self.rows.iter().filter(|r| r.verdict() == "MISSED").count();
        out.push_str(&format!(
            "\n{} cases, {} with a target, {missed} missed\n",
            self.rows.len(),
            self.rows
                .iter()
                .filter(|r| !matches!(r.target, Target::None))
                .count()
        ));
        out
    }
}

/// Median and 99th percentile (nearest rank) of some samples.
pub struct Stats {
    pub median: Duration,
    pub p99: Duration,
}

pub fn stats(mut samples: Vec<Duration>) -> Stats {
    assert!(!samples.is_empty(), "no samples");
    samples.sort();
    Stats {
        median: median(&samples),
        p99: samples[(samples.len() * 99).div_ceil(100) - 1],
    }
}

/// The median of sorted durations (the mean of the middle two when even).
pub fn median(sorted: &[Duration]) -> Duration {
    let n = sorted.len();
    if n.is_multiple_of(2) {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    } else {
        sorted[n / 2]
    }
}

/// "1.23 ms" below a second, "1.23 s" above.
pub fn time(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// "1.5 MiB", "812 B".
pub fn bytes(n: f64) -> String {
    if n >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", n / 1024.0 / 1024.0)
    } else if n >= 1024.0 {
        format!("{:.2} KiB", n / 1024.0)
    } else {
        format!("{n:.0} B")
    }
}
