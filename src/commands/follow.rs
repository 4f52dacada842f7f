//! Following a launch or an update on stdout: each new stack event as a
//! line, the record's final status, why it failed, its outputs.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};

use super::{CommandError, clean};
use crate::model::{Record, StackEvent, StackWatch};
use crate::ops::act::follow::{Follow, FollowEvent, RECORD_POLL, follow_with};
use crate::ops::session::{Reader, Writer};
use crate::output::json as out_json;

/// Prints `record`'s id and stops there (`--no-wait`), or follows it to
/// the end. `what` names the request ("the launch of dev-db"); `secrets`
/// are NoEcho values given, never printed even if an output holds them.
pub async fn report(
    reader: &Reader,
    writer: &Writer,
    record: &Record,
    what: &str,
    secrets: &[String],
    no_wait: bool,
) -> Result<(), CommandError> {
    let how = Follow::everything(RECORD_POLL);
    report_with(reader, writer, record, what, secrets, no_wait, how).await
}

/// [`report`], following the record as `how` says (a self-service
/// action: its record only, no stack).
pub async fn report_with(
    reader: &Reader,
    writer: &Writer,
    record: &Record,
    what: &str,
    secrets: &[String],
    no_wait: bool,
    how: Follow,
) -> Result<(), CommandError> {
    let out = Out { stderr: false };
    out.sent(record);
    if no_wait {
        out.not_waiting(record);
        return Ok(());
    }
    followed(reader, writer, record, what, secrets, how, out)
        .await
        .map(|_| ())
}

/// Where following prints: stdout, or stderr (when stdout carries JSON).
#[derive(Debug, Clone, Copy)]
pub(super) struct Out {
    pub stderr: bool,
}

impl Out {
    /// A line of progress: left out at `-q`.
    pub fn progress(self, text: &str) {
        if !crate::output::quiet() {
            self.line(text);
        }
    }

    pub fn line(self, text: &str) {
        if self.stderr || out_json::json() {
            out_json::said(text);
            eprintln!("{text}");
        } else {
            println!("{text}");
        }
    }

    /// "record rec-… CREATED for provisioned product pp-…".
    pub fn sent(self, record: &Record) {
        out_json::event("record_created", record_json(record, &[]));
        let product = record
            .provisioned_product_id
            .as_deref()
            .map(|id| format!(" for provisioned product {}", clean(id)))
            .unwrap_or_default();
        self.line(&format!(
            "record {} {}{product}",
            clean(&record.id),
            clean(&record.status)
        ));
    }

    /// Says where the status of a request not followed is.
    pub fn not_waiting(self, record: &Record) {
        self.line(&format!(
            "Not following it (--no-wait): its status is in `aws servicecatalog describe-record --id {}`",
            clean(&record.id)
        ));
    }
}

/// Follows `record` to its end, printing to `out`: the final record when
/// it SUCCEEDED; a FAILED one (its reasons printed) or one that could not
/// be followed is an error.
pub(super) async fn followed(
    reader: &Reader,
    writer: &Writer,
    record: &Record,
    what: &str,
    secrets: &[String],
    how: Follow,
    out: Out,
) -> Result<Record, CommandError> {
    // Events of earlier operations on the same stack are not this request's.
    let since = record.created.map(|t| t - TimeDelta::seconds(1));
    let mut watch: Option<StackWatch> = None;
    let last = follow_with(reader, &record.id, how, |event| match event {
        FollowEvent::Stack { stack_arn, .. } => {
            out.progress(&format!("stack {}", clean(&stack_arn)));
            out_json::event(
                "stack",
                json!({ "record_id": record.id, "stack_arn": stack_arn }),
            );
            watch = Some(StackWatch::new(stack_arn));
        }
        FollowEvent::Events(events) => {
            let fresh: Vec<StackEvent> = events
                .into_iter()
                .filter(|e| since.is_none_or(|t| e.timestamp >= t))
                .collect();
            for e in &fresh {
                out.progress(&format!("  {}", masked(&event_line(e), secrets)));
                out_json::event("stack_event", event_json(e, secrets));
            }
            if let Some(w) = &mut watch {
                w.append(fresh);
            }
        }
        FollowEvent::Status(status) => {
            out.progress(&format!("record {} {}", clean(&record.id), clean(&status)));
            out_json::event(
                "record_status",
                json!({ "record_id": record.id, "status": status }),
            );
        }
    })
    .await
    .map_err(|e| {
        let mut error = CommandError::from_act(e, &[]);
        error.lines.push(format!(
            "the request was sent (record {}); it may still be running in AWS",
            clean(&record.id)
        ));
        error.code = super::EXIT_FAILED;
        error
    })?;

    writer.settled(&last);
    let finished = record_json(&last, secrets);
    out_json::event("record_finished", finished.clone());
    out_json::push("records", finished);
    if last.succeeded() {
        if !last.outputs.is_empty() {
            out.line("Outputs:");
            for o in &last.outputs {
                out.line(&format!(
                    "  {} = {}",
                    clean(&o.key),
                    masked(&o.value, secrets)
                ));
            }
        }
        out.line(&format!("Done: {} SUCCEEDED", clean(what)));
        return Ok(last);
    }

    // FAILED: the stack's state (rolled back?) and the reasons.
    let progress = watch.as_ref().map(|w| w.progress(Utc::now()));
    if let Some(status) = progress.as_ref().and_then(|p| p.stack_status.as_deref()) {
        let note = if status.contains("ROLLBACK") {
            " (rolled back)"
        } else {
            ""
        };
        out.line(&format!("stack {}{note}", clean(status)));
    }
    let mut reasons: Vec<String> = progress.map(|p| p.failures).unwrap_or_default();
    for e in &last.errors {
        if !reasons.contains(e) {
            reasons.push(e.clone());
        }
    }
    out.line("Failed because:");
    // The cause first: resources cancelled because another failed come after it.
    reasons.sort_by_key(|r| r.contains("cancelled"));
    let reasons: Vec<String> = reasons.iter().map(|r| masked(r, secrets)).collect();
    for r in &reasons {
        out.line(&format!("  {r}"));
    }
    Err(CommandError::failed(format!(
        "{what} FAILED (record {}): {} — see the events above",
        last.id,
        reasons.first().map_or("AWS gave no reason", String::as_str)
    )))
}

/// `text` cleaned, with every NoEcho value given replaced by `****`.
pub(super) fn masked(text: &str, secrets: &[String]) -> String {
    let mut text = text.to_string();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        text = text.replace(secret.as_str(), "****");
    }
    clean(&text)
}

/// A record as the JSON of the commands that follow one: its id, type,
/// status, product, errors and outputs (NoEcho values given masked).
pub(super) fn record_json(record: &Record, secrets: &[String]) -> Value {
    json!({
        "record_id": record.id,
        "record_type": record.record_type,
        "status": record.status,
        "provisioned_product_id": record.provisioned_product_id,
        "version_id": record.version_id,
        "created": record.created,
        "updated": record.updated,
        "errors": record.errors.iter().map(|e| masked(e, secrets)).collect::<Vec<_>>(),
        "outputs": record.outputs.iter().map(|o| json!({
            "key": o.key,
            "value": masked(&o.value, secrets),
            "description": o.description,
        })).collect::<Vec<_>>(),
    })
}

/// A stack event as a `stack_event` line (its reason masked).
fn event_json(e: &StackEvent, secrets: &[String]) -> Value {
    json!({
        "timestamp": e.timestamp,
        "stack_name": e.stack_name,
        "logical_id": e.logical_id,
        "physical_id": e.physical_id,
        "resource_type": e.resource_type,
        "status": e.status,
        "reason": e.reason.as_deref().map(|r| masked(r, secrets)),
    })
}

/// `12:00:03  Bucket  CREATE_FAILED  reason`
fn event_line(e: &StackEvent) -> String {
    let mut line = format!(
        "{}  {}  {}",
        e.timestamp.format("%H:%M:%S"),
        clean(&e.logical_id),
        clean(&e.status)
    );
    if let Some(reason) = e.reason.as_deref().filter(|r| !r.is_empty()) {
        line.push_str("  ");
        line.push_str(&clean(reason));
    }
    line
}
