//! `--format json` on the headless commands: stdout carries JSON only,
//! one object a line (JSON Lines), and every line for a person goes to
//! stderr instead.
//!
//! Each object names the command and the version of its schema:
//!
//! ```json
//! {"schema_version":1,"command":"share","type":"event","event":"share_started",…}
//! {"schema_version":1,"command":"share","type":"result","outcome":"done",…}
//! ```
//!
//! - `type: "event"` — a step of a stream (a stack event, a share's
//!   progress, an item of a bulk update), written as it happens;
//! - `type: "result"` — the command's outcome, once, last: `outcome` is
//!   `planned` (the plan was shown, nothing changed for want of `--yes`),
//!   `unchanged` (nothing to do), `done` or `listed`; `plan` the plan's
//!   `title` and `lines` when one was made; `messages` the lines printed for
//!   a person (on stderr); and the command's own fields;
//! - `type: "error"` — when the command fails or is refused, last:
//!   `exit_code` and the `message` lines also printed on stderr (and the
//!   `plan`, if one was made). A result may come before it when the
//!   command did part of its work (`outcome: "failed"`, with what was done).
//!
//! The commands whose JSON is one document of their own (`drift`,
//! `matrix`, `lint`, `records`, `provision` …) keep it: their document
//! carries `schema_version` too. The README lists every command's fields.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Map, Value, json};

/// The version of the envelope and of each command's fields; raised when
/// a field changes meaning or goes away (new fields do not raise it).
pub const SCHEMA_VERSION: u32 = 1;

static JSON: AtomicBool = AtomicBool::new(false);
static RESULTED: AtomicBool = AtomicBool::new(false);
static DOCUMENT: AtomicBool = AtomicBool::new(false);
static RUN: Mutex<Run> = Mutex::new(Run {
    command: "",
    plan: None,
    planned: false,
    messages: Vec::new(),
    fields: None,
});

/// What this run has said so far, for its result.
struct Run {
    command: &'static str,
    plan: Option<(String, Vec<String>)>,
    /// The plan was shown and `--yes` was missing.
    planned: bool,
    messages: Vec<String>,
    /// Fields the command gave as it went ([`set`], [`push`]).
    fields: Option<Map<String, Value>>,
}

fn run() -> std::sync::MutexGuard<'static, Run> {
    RUN.lock().unwrap_or_else(|e| e.into_inner())
}

/// Set once, at a headless command's start: its name and whether it was
/// asked for JSON.
pub fn start(command: &'static str, on: bool) {
    JSON.store(on, Ordering::Relaxed);
    RESULTED.store(false, Ordering::Relaxed);
    DOCUMENT.store(false, Ordering::Relaxed);
    let mut run = run();
    run.command = command;
    run.plan = None;
    run.planned = false;
    run.messages.clear();
    run.fields = None;
}

/// A field of the result to come (the last value given wins).
pub fn set(key: &str, value: Value) {
    if json() {
        run()
            .fields
            .get_or_insert_with(Map::new)
            .insert(key.into(), value);
    }
}

/// An item of a list field of the result to come (`records`, `items`).
pub fn push(key: &str, value: Value) {
    if json() {
        let mut run = run();
        let fields = run.fields.get_or_insert_with(Map::new);
        match fields
            .entry(key)
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            Value::Array(items) => items.push(value),
            other => *other = Value::Array(vec![other.take(), value]),
        }
    }
}

/// True when stdout carries JSON (and people's lines go to stderr).
pub fn json() -> bool {
    JSON.load(Ordering::Relaxed)
}

/// A line said for a person (on stderr in JSON mode), kept for the
/// result's `messages`.
pub fn said(line: &str) {
    if json() {
        run().messages.push(line.to_string());
    }
}

/// The plan the command showed.
pub fn plan(title: &str, lines: &[String]) {
    if json() {
        run().plan = Some((title.to_string(), lines.to_vec()));
    }
}

/// The plan was shown and nothing changed, for want of `--yes`.
pub fn planned() {
    if json() {
        run().planned = true;
    }
}

/// The object of one line: the envelope, then `fields` (an object; any
/// other value goes under `value`); the envelope's own keys win.
pub fn envelope(command: &str, kind: &str, fields: Value) -> Value {
    let mut object = Map::new();
    object.insert("schema_version".into(), SCHEMA_VERSION.into());
    object.insert("command".into(), command.into());
    object.insert("type".into(), kind.into());
    match fields {
        Value::Object(map) => {
            for (key, value) in map {
                object.entry(key).or_insert(value);
            }
        }
        Value::Null => {}
        other => {
            object.insert("value".into(), other);
        }
    }
    Value::Object(object)
}

/// One line on stdout, written and flushed at once (a pipe reader sees
/// each event as it happens). A closed stdout is not an error of the
/// command's: the line is dropped.
fn line(value: &Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{value}");
    let _ = out.flush();
}

/// A step of a stream, on stdout in JSON mode (nothing otherwise: the
/// command prints its own line for a person).
pub fn event(event: &str, fields: Value) {
    if !json() {
        return;
    }
    let command = run().command;
    let mut value = envelope(command, "event", fields);
    if let Value::Object(map) = &mut value {
        map.insert("event".into(), event.into());
    }
    line(&value);
}

/// The run's own fields beside `fields`: the plan, the messages, and
/// `outcome` (`planned` when the plan was shown without `--yes`, else
/// `default`) unless `fields` has one.
fn with_run(fields: Value, default: &str) -> Value {
    let run = run();
    let mut map = match fields {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => Map::from_iter([("value".to_string(), other)]),
    };
    for (key, value) in run.fields.clone().unwrap_or_default() {
        map.entry(key).or_insert(value);
    }
    let outcome = if run.planned { "planned" } else { default };
    map.entry("outcome").or_insert_with(|| outcome.into());
    if let Some((title, lines)) = &run.plan {
        map.entry("plan")
            .or_insert_with(|| json!({ "title": title, "lines": lines }));
    }
    map.entry("messages").or_insert_with(|| json!(run.messages));
    Value::Object(map)
}

/// The command's outcome, on stdout in JSON mode: `fields` with the
/// run's plan and messages.
pub fn result(fields: Value) {
    if !json() {
        return;
    }
    RESULTED.store(true, Ordering::Relaxed);
    let fields = with_run(fields, "done");
    let command = run().command;
    line(&envelope(command, "result", fields));
}

/// A command that did not write its own result gets one at its end: its
/// plan and what it said (`outcome` planned or done).
pub fn finish() {
    if json() && !RESULTED.load(Ordering::Relaxed) {
        result(Value::Null);
    }
}

/// True once the command wrote a result or a document of its own.
pub fn resulted() -> bool {
    RESULTED.load(Ordering::Relaxed)
}

/// A command whose JSON is a document of its own wrote it: no envelope
/// result follows.
pub fn document_written() {
    RESULTED.store(true, Ordering::Relaxed);
    DOCUMENT.store(true, Ordering::Relaxed);
}

/// A failed or refused command, on stdout in JSON mode (its lines are on
/// stderr as well); not after a document of the command's own, which
/// says how it ended.
pub fn error(exit_code: i32, message: &[String]) {
    if !json() || DOCUMENT.load(Ordering::Relaxed) {
        return;
    }
    let mut fields = json!({ "exit_code": exit_code, "message": message });
    {
        let run = run();
        if let Some((title, lines)) = &run.plan {
            fields["plan"] = json!({ "title": title, "lines": lines });
        }
        for (key, value) in run.fields.clone().unwrap_or_default() {
            fields
                .as_object_mut()
                .map(|m| m.entry(key).or_insert(value));
        }
    }
    let command = run().command;
    line(&envelope(command, "error", fields));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_is_not_overwritten() {
        let value = envelope(
            "share",
            "result",
            json!({"outcome": "done", "command": "x", "type": "y"}),
        );
        assert_eq!(value["schema_version"], 1);
        assert_eq!(value["command"], "share");
        assert_eq!(value["type"], "result");
        assert_eq!(value["outcome"], "done");
        assert!(!value.to_string().contains('\n'), "one line");
        let scalar = envelope("log", "result", json!([1, 2]));
        assert_eq!(scalar["value"], json!([1, 2]));
    }
}
