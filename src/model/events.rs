//! CloudFormation stack events, and following a stack while it moves.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// The resource type of the stack itself in its own events.
pub const STACK_RESOURCE_TYPE: &str = "AWS::CloudFormation::Stack";

/// How often to poll a stack that moves, and one that has settled.
pub const POLL_MOVING: Duration = Duration::from_secs(2);
pub const POLL_SETTLED: Duration = Duration::from_secs(30);

/// One event of a stack (`DescribeStackEvents`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackEvent {
    pub event_id: String,
    pub stack_id: String,
    pub stack_name: String,
    pub logical_id: String,
    pub physical_id: Option<String>,
    pub resource_type: String,
    pub timestamp: DateTime<Utc>,
    /// CREATE_IN_PROGRESS, UPDATE_COMPLETE, DELETE_FAILED, …
    pub status: String,
    pub reason: Option<String>,
}

/// What an event status means, for colours and symbols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventPhase {
    InProgress,
    Complete,
    Failed,
    /// Part of a rollback (ROLLBACK_*, UPDATE_ROLLBACK_*).
    Rollback,
    /// A deletion (DELETE_IN_PROGRESS, DELETE_COMPLETE).
    Delete,
    Skipped,
    Other,
}

/// Classifies a CloudFormation resource or stack status.
pub fn phase_of(status: &str) -> EventPhase {
    if status.ends_with("_SKIPPED") {
        EventPhase::Skipped
    } else if status.ends_with("_FAILED") {
        EventPhase::Failed
    } else if status.contains("ROLLBACK") {
        EventPhase::Rollback
    } else if status.starts_with("DELETE_") {
        EventPhase::Delete
    } else if status.ends_with("_IN_PROGRESS") {
        EventPhase::InProgress
    } else if status.ends_with("_COMPLETE") {
        EventPhase::Complete
    } else {
        EventPhase::Other
    }
}

impl StackEvent {
    /// An event of the stack itself rather than of one of its resources.
    pub fn is_stack(&self) -> bool {
        self.resource_type == STACK_RESOURCE_TYPE
            && (self.logical_id == self.stack_name
                || self.physical_id.as_deref() == Some(&self.stack_id))
    }

    pub fn phase(&self) -> EventPhase {
        phase_of(&self.status)
    }

    /// A stack event that starts an operation (create, update, delete, import).
    pub fn starts_operation(&self) -> bool {
        self.is_stack()
            && matches!(
                self.status.as_str(),
                "CREATE_IN_PROGRESS"
                    | "UPDATE_IN_PROGRESS"
                    | "DELETE_IN_PROGRESS"
                    | "IMPORT_IN_PROGRESS"
                    | "REVIEW_IN_PROGRESS"
            )
    }
}

/// Whether a stack status is still moving (`…_IN_PROGRESS`).
pub fn stack_is_moving(status: &str) -> bool {
    status.ends_with("_IN_PROGRESS")
}

/// Where the last operation of a stack stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The stack's status after its newest stack event, if any.
    pub stack_status: Option<String>,
    /// Resources whose latest event in this operation is in progress.
    pub in_progress: usize,
    /// Resources whose latest event is complete (a deletion counts as done).
    pub complete: usize,
    /// Resources that failed at any point of this operation.
    pub failed: usize,
    pub skipped: usize,
    /// From the operation's first event to its last (settled) or to now.
    pub elapsed: TimeDelta,
    /// `logical id: reason` of the failed resources, in order, without repeats;
    /// the stack's own reason if no resource gave one.
    pub failures: Vec<String>,
}

/// The events of one stack, oldest first, as they arrive: what the events
/// screen follows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StackWatch {
    pub stack_id: String,
    events: Vec<StackEvent>,
    seen: HashSet<String>,
    /// The logical ids of the template the stack runs or moves to, once read.
    template: Option<Vec<String>>,
}

impl StackWatch {
    pub fn new(stack_id: impl Into<String>) -> Self {
        Self {
            stack_id: stack_id.into(),
            events: Vec::new(),
            seen: HashSet::new(),
            template: None,
        }
    }

    /// Oldest first.
    pub fn events(&self) -> &[StackEvent] {
        &self.events
    }

    /// The resources of the template the stack runs or moves to, when read.
    pub fn template(&self) -> Option<&[String]> {
        self.template.as_deref()
    }

    pub fn set_template(&mut self, logical_ids: Vec<String>) {
        self.template = Some(logical_ids);
    }

    /// What to give `events_since` next.
    pub fn newest_event_id(&self) -> Option<&str> {
        self.events.last().map(|e| e.event_id.as_str())
    }

    /// Appends events given oldest first; those already held are skipped.
    /// Returns how many were new.
    pub fn append(&mut self, events: impl IntoIterator<Item = StackEvent>) -> usize {
        let before = self.events.len();
        for e in events {
            if self.seen.insert(e.event_id.clone()) {
                self.events.push(e);
            }
        }
        self.events.len() - before
    }

    /// The stack's status after its newest stack-level event.
    pub fn stack_status(&self) -> Option<&str> {
        self.events
            .iter()
            .rev()
            .find(|e| e.is_stack())
            .map(|e| e.status.as_str())
    }

    /// The stack is not moving (or nothing is known of it yet).
    pub fn is_settled(&self) -> bool {
        self.stack_status().is_none_or(|s| !stack_is_moving(s))
    }

    /// Poll fast while the stack moves, slowly once it settles.
    pub fn poll_interval(&self) -> Duration {
        if self.is_settled() {
            POLL_SETTLED
        } else {
            POLL_MOVING
        }
    }

    /// The events of the last operation (from its starting stack event on),
    /// or all of them if none is seen to start.
    pub fn last_operation(&self) -> &[StackEvent] {
        let start = self
            .events
            .iter()
            .rposition(StackEvent::starts_operation)
            .unwrap_or(0);
        &self.events[start..]
    }

    /// Counts, elapsed time and failure reasons of the last operation; `now`
    /// ends the elapsed time while the stack still moves.
    pub fn progress(&self, now: DateTime<Utc>) -> Progress {
        let op = self.last_operation();
        let mut latest: Vec<(&str, EventPhase)> = Vec::new();
        let mut failures: Vec<String> = Vec::new();
        for e in op {
            if e.is_stack() {
                continue;
            }
            let phase = e.phase();
            // A resource that failed stays failed for the rest of the operation,
            // whatever its rollback does to it.
            match latest.iter_mut().find(|(id, _)| *id == e.logical_id) {
                Some(entry) if entry.1 == EventPhase::Failed => {}
                Some(entry) => entry.1 = phase,
                None => latest.push((&e.logical_id, phase)),
            }
            if phase == EventPhase::Failed {
                let line = match &e.reason {
                    Some(r) => format!("{}: {r}", e.logical_id),
                    None => e.logical_id.clone(),
                };
                if !failures.contains(&line) {
                    failures.push(line);
                }
            }
        }
        if failures.is_empty() {
            failures.extend(
                op.iter()
                    .filter(|e| {
                        e.is_stack()
                            && matches!(e.phase(), EventPhase::Failed | EventPhase::Rollback)
                    })
                    .filter_map(|e| e.reason.clone())
                    .take(1),
            );
        }
        let count =
            |wanted: &[EventPhase]| latest.iter().filter(|(_, p)| wanted.contains(p)).count();
        let stack_status = self.stack_status().map(str::to_string);
        let end = match (&stack_status, op.last()) {
            (Some(s), Some(last)) if !stack_is_moving(s) => last.timestamp,
            _ => now,
        };
        let elapsed = op.first().map_or(TimeDelta::zero(), |first| {
            (end - first.timestamp).max(TimeDelta::zero())
        });
        Progress {
            stack_status,
            in_progress: count(&[EventPhase::InProgress]),
            complete: count(&[EventPhase::Complete, EventPhase::Delete]),
            failed: count(&[EventPhase::Failed]),
            skipped: count(&[EventPhase::Skipped]),
            elapsed,
            failures,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STACK: &str = "arn:aws:cloudformation:us-east-1:1:stack/SC-1-pp-a/x";

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap()
    }

    fn event(n: usize, logical: &str, status: &str, reason: Option<&str>) -> StackEvent {
        let stack = logical == "SC-1-pp-a";
        StackEvent {
            event_id: format!("ev-{n}"),
            stack_id: STACK.into(),
            stack_name: "SC-1-pp-a".into(),
            logical_id: logical.into(),
            physical_id: Some(if stack {
                STACK.into()
            } else {
                format!("{logical}-phys")
            }),
            resource_type: if stack {
                STACK_RESOURCE_TYPE.into()
            } else {
                "AWS::S3::Bucket".into()
            },
            timestamp: at(n as i64 * 10),
            status: status.into(),
            reason: reason.map(str::to_string),
        }
    }

    /// A create, then an update that fails on `Replica` and rolls back.
    fn history() -> Vec<StackEvent> {
        vec![
            event(0, "SC-1-pp-a", "CREATE_IN_PROGRESS", Some("User Initiated")),
            event(1, "Bucket", "CREATE_IN_PROGRESS", None),
            event(2, "Bucket", "CREATE_COMPLETE", None),
            event(3, "SC-1-pp-a", "CREATE_COMPLETE", None),
            event(4, "SC-1-pp-a", "UPDATE_IN_PROGRESS", Some("User Initiated")),
            event(5, "Role", "CREATE_IN_PROGRESS", None),
            event(6, "Replica", "CREATE_IN_PROGRESS", None),
            event(7, "Role", "CREATE_COMPLETE", None),
            event(
                8,
                "Replica",
                "CREATE_FAILED",
                Some("Invalid replication configuration"),
            ),
            event(
                9,
                "SC-1-pp-a",
                "UPDATE_ROLLBACK_IN_PROGRESS",
                Some("The following resource(s) failed to create: [Replica]."),
            ),
            event(10, "Role", "DELETE_IN_PROGRESS", None),
            event(11, "Role", "DELETE_COMPLETE", None),
            event(12, "Replica", "DELETE_SKIPPED", None),
            event(13, "SC-1-pp-a", "UPDATE_ROLLBACK_COMPLETE", None),
        ]
    }

    #[test]
    fn phases_of_statuses() {
        assert_eq!(phase_of("CREATE_IN_PROGRESS"), EventPhase::InProgress);
        assert_eq!(phase_of("UPDATE_COMPLETE"), EventPhase::Complete);
        assert_eq!(phase_of("CREATE_FAILED"), EventPhase::Failed);
        assert_eq!(phase_of("UPDATE_ROLLBACK_FAILED"), EventPhase::Failed);
        assert_eq!(phase_of("ROLLBACK_COMPLETE"), EventPhase::Rollback);
        assert_eq!(
            phase_of("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"),
            EventPhase::Rollback
        );
        assert_eq!(phase_of("DELETE_COMPLETE"), EventPhase::Delete);
        assert_eq!(phase_of("DELETE_SKIPPED"), EventPhase::Skipped);
        assert_eq!(phase_of("REVIEW_IN_PROGRESS"), EventPhase::InProgress);
        assert_eq!(phase_of("WHATEVER"), EventPhase::Other);
    }

    #[test]
    fn append_skips_what_it_has() {
        let mut w = StackWatch::new(STACK);
        assert_eq!(w.newest_event_id(), None);
        assert_eq!(w.append(history()[..5].to_vec()), 5);
        assert_eq!(w.append(history()[3..8].to_vec()), 3);
        assert_eq!(w.events().len(), 8);
        assert_eq!(w.newest_event_id(), Some("ev-7"));
        assert_eq!(w.events()[0].event_id, "ev-0");
    }

    #[test]
    fn a_moving_stack_is_polled_fast() {
        let mut w = StackWatch::new(STACK);
        assert!(w.is_settled());
        assert_eq!(w.poll_interval(), POLL_SETTLED);
        w.append(history()[..6].to_vec());
        assert_eq!(w.stack_status(), Some("UPDATE_IN_PROGRESS"));
        assert!(!w.is_settled());
        assert_eq!(w.poll_interval(), POLL_MOVING);
        w.append(history());
        assert_eq!(w.stack_status(), Some("UPDATE_ROLLBACK_COMPLETE"));
        assert_eq!(w.poll_interval(), POLL_SETTLED);
    }

    #[test]
    fn progress_of_a_moving_operation() {
        let mut w = StackWatch::new(STACK);
        w.append(history()[..8].to_vec());
        let p = w.progress(at(100));
        assert_eq!(p.stack_status.as_deref(), Some("UPDATE_IN_PROGRESS"));
        assert_eq!((p.in_progress, p.complete, p.failed), (1, 1, 0));
        // From the update's first event (t=40) to now.
        assert_eq!(p.elapsed, TimeDelta::seconds(60));
        assert!(p.failures.is_empty());
    }

    #[test]
    fn progress_of_a_failed_update_gathers_reasons() {
        let mut w = StackWatch::new(STACK);
        w.append(history());
        assert_eq!(w.last_operation().len(), 10);
        let p = w.progress(at(1000));
        assert_eq!(p.failures, ["Replica: Invalid replication configuration"]);
        assert_eq!(
            (p.in_progress, p.complete, p.failed, p.skipped),
            (0, 1, 1, 0)
        );
        // Settled: ends at the last event (t=130), not now.
        assert_eq!(p.elapsed, TimeDelta::seconds(90));
    }

    #[test]
    fn the_stack_reason_when_no_resource_gave_one() {
        let mut w = StackWatch::new(STACK);
        w.append(vec![
            event(0, "SC-1-pp-a", "CREATE_IN_PROGRESS", None),
            event(
                1,
                "SC-1-pp-a",
                "ROLLBACK_IN_PROGRESS",
                Some("quota exceeded"),
            ),
            event(2, "SC-1-pp-a", "ROLLBACK_COMPLETE", None),
        ]);
        let p = w.progress(at(50));
        assert_eq!(p.failures, ["quota exceeded"]);
        assert_eq!(p.elapsed, TimeDelta::seconds(20));
    }

    #[test]
    fn without_a_start_all_events_count() {
        let mut w = StackWatch::new(STACK);
        w.append(history()[5..8].to_vec());
        assert_eq!(w.last_operation().len(), 3);
        assert_eq!(w.stack_status(), None);
        let p = w.progress(at(80));
        assert_eq!((p.in_progress, p.complete), (1, 1));
        assert_eq!(p.elapsed, TimeDelta::seconds(30));
    }
}
