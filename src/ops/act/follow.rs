//! Follow a launch or an update until it settles: the record's status,
//! the stack's new events as they arrive, the outputs at the end.

use std::time::Duration;

use super::ActError;
use crate::aws::Reader;
use crate::model::provisioned::UnknownStatusStreak;
use crate::model::{Record, StackEvent};

/// What following reports as it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowEvent {
    /// The stack behind the provisioned product is known.
    Stack {
        provisioned_id: String,
        stack_arn: String,
    },
    /// Events new since the last report, oldest first.
    Events(Vec<StackEvent>),
    /// The record's status changed.
    Status(String),
}

/// How often to ask while a request moves.
pub const FOLLOW_POLL: Duration = Duration::from_secs(2);

/// Polls the record every `poll` until it is SUCCEEDED or FAILED, telling
/// `on_event` what changes; returns the final record with its outputs.
/// A poll that fails is retried at the next tick (up to `patience` in a
/// row) so a blip does not lose the request.
pub async fn follow(
    reader: &Reader,
    record_id: &str,
    poll: Duration,
    on_event: impl FnMut(FollowEvent),
) -> Result<Record, ActError> {
    follow_with(reader, record_id, poll, true, on_event).await
}

/// [`follow`] without reading the stack's events (the console reads them
/// itself for its events screen): the record's status and the stack's ARN.
pub async fn follow_record(
    reader: &Reader,
    record_id: &str,
    poll: Duration,
    on_event: impl FnMut(FollowEvent),
) -> Result<Record, ActError> {
    follow_with(reader, record_id, poll, false, on_event).await
}

async fn follow_with(
    reader: &Reader,
    record_id: &str,
    poll: Duration,
    with_events: bool,
    mut on_event: impl FnMut(FollowEvent),
) -> Result<Record, ActError> {
    const PATIENCE: u32 = 5;
    let mut status = String::new();
    let mut stack: Option<String> = None;
    let mut newest: Option<String> = None;
    let mut failures = 0;
    let mut unknown = UnknownStatusStreak::default();
    loop {
        let step = async {
            let record = reader.record_with_outputs(record_id).await?;
            if stack.is_none()
                && let Some(pp) = &record.provisioned_product_id
                && let Some(found) = reader.provisioned_by_id(pp).await?
                && let Some(arn) = found.stack_arn
            {
                on_event(FollowEvent::Stack {
                    provisioned_id: pp.clone(),
                    stack_arn: arn.clone(),
                });
                stack = Some(arn);
            }
            if let Some(arn) = stack.as_ref().filter(|_| with_events) {
                let events = reader.events_since(arn, newest.as_deref()).await?;
                if let Some(last) = events.last() {
                    newest = Some(last.event_id.clone());
                    on_event(FollowEvent::Events(events));
                }
            }
            Ok::<_, crate::aws::AwsError>(record)
        };
        match step.await {
            Ok(record) => {
                failures = 0;
                if record.status != status {
                    status = record.status.clone();
                    on_event(FollowEvent::Status(status.clone()));
                }
                if record.is_final() {
                    return Ok(record);
                }
                if let Some(why) = unknown.saw(&record) {
                    return Err(ActError::Untracked(why));
                }
            }
            Err(e) if e.is_session_wide() => return Err(e.into()),
            Err(e) => {
                failures += 1;
                tracing::warn!(record_id, error = %e, failures, "following a record: poll failed");
                if failures >= PATIENCE {
                    return Err(e.into());
                }
            }
        }
        tokio::time::sleep(poll).await;
    }
}
