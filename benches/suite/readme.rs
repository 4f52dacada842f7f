//! `SPOKE_BENCH_README=1 cargo bench --bench suite`: the table of a full
//! run written into the README, between `<!-- bench:start -->` and
//! `<!-- bench:end -->`, with the line that says when, from which commit
//! and on what machine it was measured (and how busy the machine was).
//! `SPOKE_BENCH_README=path/to/README.md` writes another file;
//! `SPOKE_BENCH_NOTE="…"` adds a sentence to that line.

use std::path::{Path, PathBuf};
use std::process::Command;

const START: &str = "<!-- bench:start -->";
const END: &str = "<!-- bench:end -->";

/// The README to write, if one was asked for.
pub fn wanted() -> Option<PathBuf> {
    let v = std::env::var("SPOKE_BENCH_README").ok()?;
    Some(match v.as_str() {
        "" | "0" => return None,
        "1" => Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"),
        path => PathBuf::from(path),
    })
}

/// The one-minute load average (other work on the machine while it ran).
pub fn load() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Rewrites the block of `path` with `table`; `loads` the load averages
/// at the start and the end of the run.
pub fn write(path: &Path, table: &str, loads: (Option<f64>, Option<f64>)) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (Some(start), Some(end)) = (text.find(START), text.find(END)) else {
        return Err(format!(
            "{} has no {START} … {END} block to write the table in",
            path.display()
        ));
    };
    if end < start {
        return Err(format!("{}: {END} comes before {START}", path.display()));
    }
    let note = std::env::var("SPOKE_BENCH_NOTE")
        .map(|n| format!(" {}", n.trim()))
        .unwrap_or_default();
    let busy = match loads {
        (Some(a), Some(b)) => format!(", load average {a:.2} at the start and {b:.2} at the end"),
        _ => String::new(),
    };
    let block = format!(
        "{START}\n<!-- written by `SPOKE_BENCH_README=1 cargo bench --bench suite` (benches/suite/readme.rs) -->\n\
         Latest run: {}, {}, on {}{busy}; the sandbox shares the cores with spoke.{note}\n\n{table}",
        chrono::Utc::now().format("%Y-%m-%d"),
        commit(path.parent().unwrap_or(Path::new("."))),
        machine(),
    );
    let mut out = String::with_capacity(text.len() + block.len());
    out.push_str(&text[..start]);
    out.push_str(&block);
    out.push_str(&text[end..]);
    std::fs::write(path, out).map_err(|e| format!("{}: {e}", path.display()))
}

/// "commit 1a2b3c4" (and whether the tree had changes not committed).
fn commit(dir: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(head) => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("commit {head} with changes not committed")
            } else {
                format!("commit {head}")
            }
        }
        None => "no git commit known".into(),
    }
}

/// "2 cores (AMD EPYC 7B13), 7.8 GiB, Linux 6.1.0".
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map(|kib| format!(", {:.1} GiB", kib / 1024.0 / 1024.0))
        .unwrap_or_default();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|r| format!(", {} {}", std::env::consts::OS, r.trim()))
        .unwrap_or_default();
    format!("{cores} cores ({cpu}){memory}{kernel}")
}
