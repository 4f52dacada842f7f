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

/// How often a moving request's record is asked for, by every follower
/// (one launch or update, or each item of a bulk update).
pub const RECORD_POLL: Duration = Duration::from_secs(2);

/// Polls of a record that may fail in a row before it is given up on (a
/// failure that concerns the whole session, such as expired credentials,
/// gives up at once).
pub const PATIENCE: u32 = 10;

/// What a follower reads at each poll besides the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Follow {
    pub poll: Duration,
    /// Find the provisioned product's stack (reported once, as [`FollowEvent::Stack`]).
    pub stack: bool,
    /// Read the stack's new events (needs `stack`).
    pub events: bool,
    /// Read the record's outputs (the final record carries them).
    pub outputs: bool,
    /// Wait one `poll` before the first read (the record was just created).
    pub wait_first: bool,
}

impl Follow {
    /// A launch or update followed on stdout: stack, events and outputs.
    pub fn everything(poll: Duration) -> Follow {
        Follow {
            poll,
            stack: true,
            events: true,
            outputs: true,
            wait_first: false,
        }
    }

    /// The record and its stack (the console reads the events itself).
    pub fn record_and_stack(poll: Duration) -> Follow {
        Follow {
            events: false,
            ..Follow::everything(poll)
        }
    }

    /// The record's status only, read at once (a self-service action:
    /// it changes no stack).
    pub fn record_only(poll: Duration) -> Follow {
        Follow {
            wait_first: false,
            ..Follow::status(poll)
        }
    }

    /// The record's status only (an item of a bulk update).
    pub fn status(poll: Duration) -> Follow {
        Follow {
            poll,
            stack: false,
            events: false,
            outputs: false,
            wait_first: true,
        }
    }
}

/// Polls the record every `poll` until it is SUCCEEDED or FAILED, telling
/// `on_event` what changes; returns the final record with its outputs.
pub async fn follow(
    reader: &Reader,
    record_id: &str,
    poll: Duration,
    on_event: impl FnMut(FollowEvent),
) -> Result<Record, ActError> {
    follow_with(reader, record_id, Follow::everything(poll), on_event).await
}

/// [`follow`] without reading the stack's events (the console reads them
/// itself for its events screen): the record's status and the stack's ARN.
pub async fn follow_record(
    reader: &Reader,
    record_id: &str,
    poll: Duration,
    on_event: impl FnMut(FollowEvent),
) -> Result<Record, ActError> {
    follow_with(reader, record_id, Follow::record_and_stack(poll), on_event).await
}

/// The one follower: polls the record as `how` says until it is final. A
/// poll that fails is retried at the next tick (up to [`PATIENCE`] in a
/// row) so a blip does not lose the request; a status no SDK knows, seen
/// too long, ends it as [`ActError::Untracked`].
pub async fn follow_with(
    reader: &Reader,
    record_id: &str,
    how: Follow,
    mut on_event: impl FnMut(FollowEvent),
) -> Result<Record, ActError> {
    let mut status = String::new();
    let mut stack: Option<String> = None;
    let mut newest: Option<String> = None;
    let mut failures = 0;
    let mut unknown = UnknownStatusStreak::default();
    if how.wait_first {
        tokio::time::sleep(how.poll).await;
    }
    loop {
        let step = async {
            let record = if how.outputs {
                reader.record_with_outputs(record_id).await?
            } else {
                reader.record(record_id).await?
            };
            if how.stack
                && stack.is_none()
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
            if let Some(arn) = stack.as_ref().filter(|_| how.events) {
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
                    let mut record = record;
                    // An output that takes a NoEcho parameter is masked
                    // (CloudFormation gives it back as it is).
                    if let Some(stack) = &stack
                        && !record.outputs.is_empty()
                    {
                        crate::ops::life::mask_outputs(reader, stack, &mut record.outputs).await;
                    }
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
        tokio::time::sleep(how.poll).await;
    }
}
