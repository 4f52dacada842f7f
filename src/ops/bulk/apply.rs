//! Applying a bulk plan: the updates, a bounded number at once, each
//! followed to its end; resumable from the journal.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;

use super::BulkPlan;
pub use super::status::{ItemStatus, Progress};
use super::waves::{WavePolicy, Waves};
use crate::aws::{Reader, Writer};
use crate::journal::{Contents, Phase};
use crate::ops::act::ActError;
use crate::ops::act::follow::{Follow, FollowEvent, follow_with};
use crate::ops::fleet::{Member, Writers};

/// Updates running at once in each account, by default.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// How often a running update's record is asked for: as every follower.
pub use crate::ops::act::follow::RECORD_POLL;

#[derive(Debug, Clone)]
pub struct ApplyOptions {
    pub concurrency: usize,
    pub poll: Duration,
    /// Set it to stop: items not yet started are cancelled; started ones
    /// are followed to their end.
    pub cancel: Arc<AtomicBool>,
    /// Failures (of this run) after which no new item starts ([`super::waves`]).
    pub max_failures: Option<usize>,
    /// Items updated first, in the plan's order; the rest only if all succeed.
    pub canary: Option<usize>,
}

impl ApplyOptions {
    pub fn waves(&self) -> WavePolicy {
        WavePolicy {
            canary: self.canary,
            max_failures: self.max_failures,
        }
    }
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            poll: RECORD_POLL,
            cancel: Arc::new(AtomicBool::new(false)),
            max_failures: None,
            canary: None,
        }
    }
}

/// What the journal says of an earlier run of a batch.
#[derive(Debug, Clone, Default)]
pub struct ResumeState {
    /// UpdateToken → the record AWS answered with.
    submitted: HashMap<String, String>,
    /// Record → (succeeded, message, when) of its settled line.
    settled: HashMap<String, (bool, String, DateTime<Utc>)>,
}

/// The state of `batch` in the journal: which updates were sent (their
/// record) and which settled.
pub fn resume_state(contents: &Contents, batch: &str) -> ResumeState {
    let mut state = ResumeState::default();
    for e in contents
        .entries
        .iter()
        .filter(|e| e.batch.as_deref() == Some(batch))
    {
        match e.phase {
            Phase::Result if e.operation == "UpdateProvisionedProduct" => {
                if let (Some(token), Some(record)) = (&e.token, &e.record_id) {
                    state.submitted.insert(token.clone(), record.clone());
                }
            }
            Phase::Settled => {
                if let (Some(record), Some(outcome)) = (&e.record_id, &e.outcome) {
                    state.settled.insert(
                        record.clone(),
                        (outcome.ok, outcome.message.clone(), e.time),
                    );
                }
            }
            _ => {}
        }
    }
    state
}

impl ResumeState {
    /// Items of the batch already sent.
    pub fn submitted(&self) -> usize {
        self.submitted.len()
    }

    /// Whether the update sent with `token` settled in an earlier run.
    pub fn settled_before(&self, token: &str) -> bool {
        self.submitted
            .get(token)
            .is_some_and(|record| self.settled.contains_key(record))
    }

    /// Items of the batch already settled.
    pub fn settled(&self) -> usize {
        self.settled.len()
    }

    /// Items of `plan` to update that have not settled.
    pub fn unfinished(&self, plan: &BulkPlan) -> usize {
        plan.items
            .iter()
            .filter_map(|i| i.request.as_ref().filter(|_| i.will_update()))
            .filter(|r| {
                self.submitted
                    .get(&r.token)
                    .is_none_or(|record| !self.settled.contains_key(record))
            })
            .count()
    }
}

/// Applies `plan`: each item to update is sent (or, resumed, followed or
/// left as the journal says) with `writers[label]`, at most
/// `options.concurrency` at once in each account, and followed until its record settles.
/// `progress` hears of every change; the result holds every item's end.
pub async fn apply(
    plan: &BulkPlan,
    members: &[Member],
    writers: &Writers,
    resume: &ResumeState,
    options: &ApplyOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Vec<ItemStatus> {
    let readers: HashMap<&str, &Reader> = members
        .iter()
        .filter_map(|m| Some((m.label.as_str(), m.reader()?)))
        .collect();
    let writers = &writers.in_batch(&plan.batch);
    let mut results: Vec<ItemStatus> = plan
        .items
        .iter()
        .map(|i| match &i.item.skip {
            Some(skip) => ItemStatus::Skipped {
                reason: skip.describe(),
            },
            None => ItemStatus::Waiting,
        })
        .collect();
    // An item whose risk was never previewed is not sent: what it would
    // replace is unknown (the front ends preview before they apply).
    for (i, planned) in plan.items.iter().enumerate() {
        if planned.will_update() && planned.risk == super::Risk::NotPreviewed {
            results[i] = ItemStatus::Skipped {
                reason: "its risk was not previewed: nothing was sent".into(),
            };
        }
    }
    let todo: Vec<usize> = (0..plan.items.len())
        .filter(|&i| plan.items[i].will_update() && plan.items[i].risk != super::Risk::NotPreviewed)
        .collect();
    // Items a resumed run finds settled are told as the journal says and
    // not counted by the waves; the canary is the first of the others.
    let (before, pending): (Vec<usize>, Vec<usize>) = todo.into_iter().partition(|&i| {
        plan.items[i]
            .request
            .as_ref()
            .is_some_and(|r| resume.settled_before(&r.token))
    });
    let waves = &Waves::new(options.waves());
    let (canary, rest) = waves.policy().split(&pending);
    let limits = &super::limits::Limits::new(options.concurrency);
    let readers = &readers;
    let wave = |indices: Vec<usize>, counted: bool| {
        futures::stream::iter(indices.into_iter().map(move |index| {
            let planned = &plan.items[index];
            let label = planned.item.profile.as_str();
            let reader = readers.get(label).copied();
            let writer = writers
                .get(label)
                .ok_or_else(|| match writers.refused(label) {
                    Some(refusal) => refusal.to_string(),
                    None => format!("account {label} is not reachable now"),
                });
            async move {
                let _permit = limits.acquire(label).await;
                let end = run_item(planned, reader, writer, resume, options, waves, &|status| {
                    progress(Progress { index, status })
                })
                .await;
                if counted {
                    waves.ended(&end);
                }
                progress(Progress {
                    index,
                    status: end.clone(),
                });
                (index, end)
            }
        }))
        .buffer_unordered(super::limits::FLEET_AT_ONCE)
        .collect::<Vec<(usize, ItemStatus)>>()
    };
    let mut ends = wave(before, false).await;
    if !canary.is_empty() {
        waves.canary(true);
        let canary_ends = wave(canary, true).await;
        waves.canary_ended(&canary_ends.iter().map(|e| e.1.clone()).collect::<Vec<_>>());
        ends.extend(canary_ends);
    }
    ends.extend(wave(rest, true).await);
    for (i, end) in ends {
        results[i] = end;
    }
    results
}

async fn run_item(
    planned: &super::PlannedItem,
    reader: Option<&Reader>,
    writer: Result<&Writer, String>,
    resume: &ResumeState,
    options: &ApplyOptions,
    waves: &Waves,
    progress: &(dyn Fn(ItemStatus) + Send + Sync),
) -> ItemStatus {
    let Some(request) = &planned.request else {
        return ItemStatus::Skipped {
            reason: "nothing to send".into(),
        };
    };
    let submitted = resume.submitted.get(&request.token).cloned();
    if let Some((ok, message, at)) = submitted.as_ref().and_then(|r| resume.settled.get(r)) {
        let record = submitted.clone().unwrap_or_default();
        return if *ok {
            ItemStatus::Succeeded {
                record,
                at: Some(*at),
            }
        } else {
            ItemStatus::Failed {
                record: Some(record),
                reason: message.clone(),
                at: Some(*at),
            }
        };
    }
    let reader = match (reader, writer) {
        (Some(reader), Ok(writer)) => (reader, writer),
        (None, _) => {
            return ItemStatus::Failed {
                record: submitted,
                reason: format!("account {} is not reachable now", planned.item.profile),
                at: None,
            };
        }
        // A member refused by the gate now (the rules changed since the
        // plan was made) is not written to: nothing is sent.
        (Some(_), Err(why)) if submitted.is_none() => {
            return ItemStatus::Skipped { reason: why };
        }
        (Some(_), Err(why)) => {
            return ItemStatus::Failed {
                record: submitted,
                reason: format!("sent before, but cannot be followed: {why}"),
                at: None,
            };
        }
    };
    let (reader, writer) = reader;
    let record_id = match submitted {
        Some(record) => record,
        None => {
            if options.cancel.load(Ordering::SeqCst) {
                return ItemStatus::Cancelled;
            }
            if let Some(reason) = waves.halted() {
                writer.not_started(request, &reason);
                return ItemStatus::Halted { reason };
            }
            match writer.update(request).await {
                Ok(record) => {
                    progress(ItemStatus::Running {
                        record: record.id.clone(),
                        status: record.status.clone(),
                    });
                    if record.is_final() {
                        writer.settled(&record);
                        return ended(&record);
                    }
                    record.id
                }
                Err(e) => {
                    return ItemStatus::Failed {
                        record: None,
                        reason: e.to_string(),
                        at: Some(Utc::now()),
                    };
                }
            }
        }
    };
    let mut last_status = String::new();
    let followed = follow_with(reader, &record_id, Follow::status(options.poll), |event| {
        if let FollowEvent::Status(status) = event
            && status != last_status
        {
            last_status = status.clone();
            progress(ItemStatus::Running {
                record: record_id.clone(),
                status,
            });
        }
    })
    .await;
    match followed {
        Ok(record) => {
            writer.settled(&record);
            ended(&record)
        }
        Err(ActError::Untracked(why)) => ItemStatus::Failed {
            record: Some(record_id.clone()),
            reason: format!("{why} (`spoke update --resume` follows it again)"),
            at: None,
        },
        Err(e) => ItemStatus::Failed {
            record: Some(record_id.clone()),
            reason: format!(
                "lost track of record {record_id} ({e}) — `spoke update --resume` follows it again"
            ),
            at: None,
        },
    }
}

fn ended(record: &crate::model::Record) -> ItemStatus {
    if record.succeeded() {
        ItemStatus::Succeeded {
            record: record.id.clone(),
            at: record.updated,
        }
    } else {
        ItemStatus::Failed {
            record: Some(record.id.clone()),
            reason: if record.errors.is_empty() {
                record.status.clone()
            } else {
                record.errors.join("; ")
            },
            at: record.updated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Actor, Entry, Outcome};

    fn entry(phase: Phase, batch: &str, token: Option<&str>, record: Option<&str>) -> Entry {
        Entry {
            time: Utc::now(),
            action: "a".into(),
            phase,
            batch: Some(batch.into()),
            actor: Actor {
                profile: "p".into(),
                account: "1".into(),
                caller_arn: "arn".into(),
                region: "r".into(),
            },
            operation: if phase == Phase::Settled {
                "UPDATE_PROVISIONED_PRODUCT".into()
            } else {
                "UpdateProvisionedProduct".into()
            },
            targets: Default::default(),
            parameters: Default::default(),
            token: token.map(str::to_string),
            record_id: record.map(str::to_string),
            outcome: Some(Outcome {
                ok: true,
                message: "SUCCEEDED".into(),
            }),
        }
    }

    #[test]
    fn the_journal_tells_what_was_sent_and_what_settled() {
        let contents = Contents {
            entries: vec![
                entry(Phase::Intent, "b1", Some("t1"), None),
                entry(Phase::Result, "b1", Some("t1"), Some("rec-1")),
                entry(Phase::Settled, "b1", None, Some("rec-1")),
                entry(Phase::Intent, "b1", Some("t2"), None),
                entry(Phase::Result, "b1", Some("t3"), Some("rec-3")),
                entry(Phase::Result, "other", Some("t4"), Some("rec-4")),
            ],
            bad_lines: Vec::new(),
        };
        let state = resume_state(&contents, "b1");
        assert_eq!(state.submitted(), 2);
        assert_eq!(state.settled(), 1);
        assert_eq!(state.submitted.get("t3").map(String::as_str), Some("rec-3"));
        assert!(!state.submitted.contains_key("t2"));
        assert!(!state.submitted.contains_key("t4"));
    }
}
