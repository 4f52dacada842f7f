//! `spoke log`: the journal, one line per action (its intent and its
//! result together), or its raw JSON lines with `--json`. Lines that are
//! not entries (a line torn by a crash) are reported on stderr with their
//! line numbers.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;

use super::{CommandError, clean};
use crate::cli::{Cli, LogArgs};
use crate::journal::{self, Entry, Journal, Phase};

pub fn run(cli: &Cli, args: &LogArgs) -> Result<(), CommandError> {
    let path: PathBuf = match &cli.journal {
        Some(path) => path.clone(),
        None => Journal::user_path().map_err(|e| CommandError::refused(e.to_string()))?,
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::output::json::set("journal", path.display().to_string().into());
            crate::output::json::set("entries", serde_json::json!([]));
            crate::say!(
                "The journal {} is empty: spoke has changed nothing from here",
                clean(&path.display().to_string())
            );
            return Ok(());
        }
        Err(e) => {
            return Err(CommandError::refused(format!(
                "cannot read the journal {}: {e} — pass --journal FILE",
                path.display()
            )));
        }
    };
    let contents = journal::parse(&bytes);
    for (line, why) in &contents.bad_lines {
        eprintln!(
            "spoke: {}:{line}: {}",
            clean(&path.display().to_string()),
            clean(why)
        );
    }
    if args.output.json() {
        // One result: the entries (the last N lines with --tail), as
        // parsed, and the lines that are not entries.
        let skip = args
            .tail
            .map_or(0, |n| contents.entries.len().saturating_sub(n));
        crate::output::json::result(serde_json::json!({
            "outcome": "listed",
            "journal": path.display().to_string(),
            "entries": &contents.entries[skip..],
            "bad_lines": contents.bad_lines.iter().map(|(line, why)| serde_json::json!({"line": line, "why": why})).collect::<Vec<_>>(),
        }));
        return Ok(());
    }
    let lines = if args.json {
        json_lines(&bytes, &contents.bad_lines)
    } else {
        readable_lines(&contents.entries, cli.verbose > 0)
    };
    let skip = args.tail.map_or(0, |n| lines.len().saturating_sub(n));
    let mut out = std::io::stdout().lock();
    for line in &lines[skip..] {
        match writeln!(out, "{line}") {
            Ok(()) => {}
            // `spoke log | head`: the reader has all it wanted.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => {
                return Err(CommandError::failed(format!(
                    "cannot write the journal's lines: {e}"
                )));
            }
        }
    }
    Ok(())
}

/// The journal's entry lines as written, with control characters inside
/// strings escaped (the JSON means the same; the terminal is safe).
fn json_lines(bytes: &[u8], bad: &[(usize, String)]) -> Vec<String> {
    let bad: HashSet<usize> = bad.iter().map(|(n, _)| *n).collect();
    bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(i, line)| !bad.contains(&(i + 1)) && !line.iter().all(u8::is_ascii_whitespace))
        .map(|(_, line)| json_safe(&String::from_utf8_lossy(line)))
        .collect()
}

fn json_safe(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        let escape = (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if escape {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// How wide a line is without `--verbose`: what a terminal shows whole.
const WIDTH: usize = 120;

/// One line per action, in the order they started:
/// `time  profile  account  operation  targets  outcome  record`; the
/// outcome is cut to fit [`WIDTH`] unless `verbose`, which adds the caller.
fn readable_lines(entries: &[Entry], verbose: bool) -> Vec<String> {
    // action id → (intent, last result), in the order actions first appear.
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut actions: Vec<(Option<&Entry>, Option<&Entry>)> = Vec::new();
    let settled: HashMap<&str, &Entry> = entries
        .iter()
        .filter(|e| e.phase == Phase::Settled)
        .filter_map(|e| Some((e.record_id.as_deref()?, e)))
        .collect();
    for e in entries.iter().filter(|e| e.phase != Phase::Settled) {
        let i = *index.entry(&e.action).or_insert_with(|| {
            actions.push((None, None));
            actions.len() - 1
        });
        match e.phase {
            Phase::Intent => {
                actions[i].0.get_or_insert(e);
            }
            Phase::Result | Phase::Halted => actions[i].1 = Some(e),
            Phase::Settled => {}
        }
    }
    actions
        .into_iter()
        .filter_map(|(intent, result)| {
            let first = intent.or(result)?;
            let end = result
                .and_then(|r| r.record_id.as_deref())
                .and_then(|id| settled.get(id))
                .and_then(|e| e.outcome.as_ref());
            Some(action_line(
                first,
                intent.is_some(),
                result,
                end.map(|e| e.message.as_str()),
                verbose,
            ))
        })
        .collect()
}

fn action_line(
    first: &Entry,
    has_intent: bool,
    result: Option<&Entry>,
    settled: Option<&str>,
    verbose: bool,
) -> String {
    // Without --verbose, what it was done to and to whom (`port-… →
    // 333344445555`), not every id the request named.
    let value = |k: &str| first.targets.get(k).cloned();
    let targets: Vec<String> = if verbose {
        first
            .targets
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect()
    } else {
        let main = [
            "provisioned_product_name",
            "provisioned_product_id",
            "portfolio_id",
            "product_id",
        ]
        .iter()
        .find_map(|k| value(k));
        let to = ["account", "organizational_unit", "organization"]
            .iter()
            .find_map(|k| value(k))
            .map(|v| format!("→ {v}"));
        main.into_iter().chain(to).collect()
    };
    let mut outcome = match result.and_then(|r| r.outcome.as_ref()) {
        Some(o) if o.ok => format!("ok: {}", o.message),
        Some(o) => format!("FAILED: {}", o.message),
        None if result.is_some() => "result without an outcome".to_string(),
        // Short enough to stay whole: the point is to go and check.
        None if !verbose => "UNFINISHED: check it in AWS".to_string(),
        None => "UNFINISHED: no result journaled (spoke stopped mid-call) — check in AWS whether it happened".to_string(),
    };
    if let Some(end) = settled {
        outcome.push_str(&format!(" → {end}"));
    }
    let head = clean(&format!(
        "{}  {}  {}  {}  {}",
        first.time.format("%Y-%m-%d %H:%M:%SZ"),
        first.actor.profile,
        first.actor.account,
        first.operation,
        if targets.is_empty() {
            "-".to_string()
        } else {
            targets.join(" ")
        },
    ));
    let mut tail = String::new();
    if let Some(record) = result.and_then(|r| r.record_id.as_deref())
        && !outcome.contains(record)
    {
        tail.push_str(&format!("  record {record}"));
    }
    if !has_intent {
        tail.push_str("  (its intent line is missing)");
    }
    let outcome = clean(&outcome);
    let tail = clean(&tail);
    if verbose {
        return format!(
            "{head}  {outcome}{tail}  {}",
            clean(&first.actor.caller_arn)
        );
    }
    // The outcome gives way so the line fits; --verbose has it whole.
    let room = WIDTH
        .saturating_sub(head.chars().count() + 2 + tail.chars().count())
        .max(24);
    format!("{head}  {}{tail}", cut(&outcome, room))
}

/// `text` in at most `max` characters, an ellipsis where it was cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Actor, Outcome};

    fn entry(action: &str, phase: Phase, outcome: Option<Outcome>) -> Entry {
        Entry {
            time: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            action: action.into(),
            phase,
            batch: None,
            actor: Actor {
                profile: "hub".into(),
                account: "111122223333".into(),
                caller_arn: "arn:aws:sts::111122223333:assumed-role/Admin/alice".into(),
                region: "us-east-1".into(),
            },
            operation: "CreatePortfolioShare".into(),
            targets: [("portfolio_id".to_string(), "port-1\u{1b}[2J".to_string())].into(),
            parameters: Default::default(),
            token: None,
            record_id: None,
            outcome,
        }
    }

    #[test]
    fn an_action_is_one_line_and_an_unfinished_one_is_flagged() {
        let done = Outcome {
            ok: true,
            message: "shared".into(),
        };
        let entries = vec![
            entry("a1", Phase::Intent, None),
            entry("a2", Phase::Intent, None),
            entry("a1", Phase::Result, Some(done)),
        ];
        let lines = readable_lines(&entries, false);
        assert_eq!(lines.len(), 2);
        assert!(
            lines.iter().all(|l| l.chars().count() <= WIDTH),
            "{lines:?}"
        );
        assert!(
            !lines[0].contains("arn:aws:sts"),
            "the caller is --verbose's"
        );
        assert!(lines[1].ends_with("check it in AWS"), "{}", lines[1]);
        let verbose = readable_lines(&entries, true);
        assert!(verbose[0].ends_with("arn:aws:sts::111122223333:assumed-role/Admin/alice"));
        // A long outcome gives way, with an ellipsis.
        let long = Outcome {
            ok: false,
            message: "x".repeat(300),
        };
        let cut = readable_lines(
            &[
                entry("a3", Phase::Intent, None),
                entry("a3", Phase::Result, Some(long)),
            ],
            false,
        );
        assert_eq!(cut[0].chars().count(), WIDTH, "{}", cut[0]);
        assert!(cut[0].ends_with('…'));
        assert!(lines[0].contains("hub  111122223333  CreatePortfolioShare"));
        assert!(lines[0].contains("ok: shared"));
        assert!(lines[1].contains("UNFINISHED"));
        assert!(!lines[0].contains('\u{1b}'), "{}", lines[0]);
    }

    #[test]
    fn raw_lines_keep_their_meaning_but_lose_their_escapes() {
        assert_eq!(json_safe("{\"a\":\"x\u{9b}y\"}"), "{\"a\":\"x\\u009by\"}");
        let value: serde_json::Value =
            serde_json::from_str(&json_safe("{\"a\":\"x\u{9b}\"}")).unwrap();
        assert_eq!(value["a"], "x\u{9b}");
        let bytes = b"{\"a\":1}\n{torn\n\n{\"b\":2}\n";
        let lines = json_lines(bytes, &[(2, "bad".into())]);
        assert_eq!(lines, ["{\"a\":1}", "{\"b\":2}"]);
    }
}
