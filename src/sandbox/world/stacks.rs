//! CloudFormation stacks and how they move: a deployment (create or update) is
//! planned up front as a timeline of events with timestamps; `advance(now)`
//! makes the events whose time has come visible and applies their effects.
//! A world's history (stacks created weeks ago) and a live change use the same
//! code: the history's timestamps are simply already past.

use std::collections::{BTreeMap, VecDeque};

use chrono::Duration;

use super::ids::stable_hash;
use super::{TemplateResource, Time};

#[derive(Debug, Clone)]
pub struct StackEvent {
    pub event_id: String,
    pub logical_id: String,
    pub physical_id: String,
    pub resource_type: String,
    pub timestamp: Time,
    pub status: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct StackResource {
    pub logical_id: String,
    pub physical_id: String,
    pub resource_type: String,
    pub status: String,
    pub reason: Option<String>,
    pub updated: Time,
}

/// How a deployment ended, applied to its Service Catalog record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    Failed { reason: String },
}

#[derive(Debug, Clone)]
struct Scheduled {
    event: StackEvent,
    outcome: Option<Outcome>,
}

#[derive(Debug, Clone)]
pub struct Stack {
    pub id: String,
    pub name: String,
    pub account: String,
    pub region: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub created: Time,
    pub updated: Option<Time>,
    pub description: String,
    pub parameters: Vec<(String, String)>,
    pub outputs: Vec<(String, String, String)>,
    pub resources: BTreeMap<String, StackResource>,
    /// Visible events, oldest first.
    pub events: Vec<StackEvent>,
    /// The Service Catalog record the running deployment belongs to.
    pub record_id: Option<String>,
    pending: VecDeque<Scheduled>,
    event_counter: u64,
}

/// What a deployment does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentKind {
    Create,
    Update,
}

/// A deployment to plan: the resources before and after, and the one that fails, if any.
pub struct Deployment<'a> {
    pub kind: DeploymentKind,
    pub before: &'a [TemplateResource],
    pub after: &'a [TemplateResource],
    /// Logical ids of resources in both whose update creates a new physical resource.
    pub replaced: &'a [String],
    pub fails_on: Option<&'a str>,
    pub start: Time,
    pub record_id: String,
}

const STACK_TYPE: &str = "AWS::CloudFormation::Stack";

impl Stack {
    pub fn new(id: String, name: String, account: String, region: String, created: Time) -> Self {
        Self {
            id,
            name,
            account,
            region,
            status: "REVIEW_IN_PROGRESS".into(),
            status_reason: None,
            created,
            updated: None,
            description: String::new(),
            parameters: Vec::new(),
            outputs: Vec::new(),
            resources: BTreeMap::new(),
            events: Vec::new(),
            record_id: None,
            pending: VecDeque::new(),
            event_counter: 0,
        }
    }

    /// Whether events are still to come.
    pub fn is_moving(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Whether CloudFormation would refuse a new operation on this stack now.
    pub fn is_busy(&self) -> bool {
        self.is_moving() || self.status.ends_with("_IN_PROGRESS")
    }

    /// Plans a deployment: its events are queued with their timestamps.
    pub fn deploy(&mut self, d: Deployment<'_>) {
        self.record_id = Some(d.record_id.clone());
        let mut plan = Planner {
            stack: self,
            out: Vec::new(),
        };
        match d.kind {
            DeploymentKind::Create => plan.create(&d),
            DeploymentKind::Update => plan.update(&d),
        }
        let mut out = std::mem::take(&mut plan.out);
        out.sort_by_key(|s| s.event.timestamp);
        self.pending.extend(out);
    }

    /// Makes the events due by `now` visible; returns the outcome if the deployment ended.
    pub fn advance(&mut self, now: Time) -> Option<Outcome> {
        let mut ended = None;
        while self
            .pending
            .front()
            .is_some_and(|s| s.event.timestamp <= now)
        {
            let Some(s) = self.pending.pop_front() else {
                break;
            };
            self.apply(&s.event);
            if s.outcome.is_some() {
                ended = s.outcome;
            }
        }
        ended
    }

    fn apply(&mut self, e: &StackEvent) {
        if e.resource_type == STACK_TYPE && e.logical_id == self.name {
            self.status = e.status.clone();
            self.status_reason = e.reason.clone();
            if e.status == "UPDATE_IN_PROGRESS" {
                self.updated = Some(e.timestamp);
            }
        } else if e.status == "DELETE_COMPLETE" {
            // The old physical resource of a replaced one goes; the new one stays.
            let current = self
                .resources
                .get(&e.logical_id)
                .is_some_and(|r| e.physical_id.is_empty() || r.physical_id == e.physical_id);
            if current {
                self.resources.remove(&e.logical_id);
            }
        } else if e.status == "DELETE_IN_PROGRESS"
            && self
                .resources
                .get(&e.logical_id)
                .is_some_and(|r| r.physical_id != e.physical_id)
        {
            // the old physical resource of a replaced one is being deleted
        } else {
            self.resources.insert(
                e.logical_id.clone(),
                StackResource {
                    logical_id: e.logical_id.clone(),
                    physical_id: e.physical_id.clone(),
                    resource_type: e.resource_type.clone(),
                    status: e.status.clone(),
                    reason: e.reason.clone(),
                    updated: e.timestamp,
                },
            );
        }
        self.events.push(e.clone());
    }

    fn physical_id_for(&self, r: &TemplateResource) -> String {
        if let Some(existing) = self.resources.get(&r.logical_id) {
            return existing.physical_id.clone();
        }
        self.new_physical_id(r, None)
    }

    /// A physical id for a resource created anew; `salt` tells a replacement from the first one.
    fn new_physical_id(&self, r: &TemplateResource, salt: Option<&str>) -> String {
        let hash = match salt {
            None => stable_hash(&[&self.id, &r.logical_id]),
            Some(salt) => stable_hash(&[&self.id, &r.logical_id, salt]),
        };
        let suffix = format!("{:012X}", hash & 0xFFFF_FFFF_FFFF);
        match r.resource_type.as_str() {
            "AWS::S3::Bucket" => {
                format!("{}-{}-{}", self.name, r.logical_id, suffix).to_lowercase()
            }
            "AWS::SNS::Topic" | "AWS::SQS::Queue" => {
                let svc = if r.resource_type.contains("SNS") {
                    "sns"
                } else {
                    "sqs"
                };
                format!(
                    "arn:aws:{svc}:{}:{}:{}-{}-{suffix}",
                    self.region, self.account, self.name, r.logical_id
                )
            }
            _ => format!("{}-{}-{suffix}", self.name, r.logical_id),
        }
    }
}

struct Planner<'s> {
    stack: &'s mut Stack,
    out: Vec<Scheduled>,
}

impl Planner<'_> {
    fn event(
        &mut self,
        at: Time,
        logical: &str,
        physical: &str,
        rtype: &str,
        status: &str,
        reason: Option<&str>,
    ) {
        self.stack.event_counter += 1;
        let event_id = if rtype == STACK_TYPE {
            let h = stable_hash(&[&self.stack.id, &self.stack.event_counter.to_string()]);
            format!(
                "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
                h >> 32,
                (h >> 16) & 0xffff,
                h & 0xfff,
                (h >> 4) & 0xfff,
                h & 0xffff_ffff_ffff
            )
        } else {
            format!("{logical}-{}-{}", status, self.stack.event_counter)
        };
        self.out.push(Scheduled {
            event: StackEvent {
                event_id,
                logical_id: logical.into(),
                physical_id: physical.into(),
                resource_type: rtype.into(),
                timestamp: at,
                status: status.into(),
                reason: reason.map(Into::into),
            },
            outcome: None,
        });
    }

    fn stack_event(&mut self, at: Time, status: &str, reason: Option<&str>) {
        let (name, id) = (self.stack.name.clone(), self.stack.id.clone());
        self.event(at, &name, &id, STACK_TYPE, status, reason);
    }

    /// Deletes a resource: DELETE_IN_PROGRESS a second after `after`, DELETE_COMPLETE
    /// `takes` seconds later; returns when it completed.
    fn delete(&mut self, after: Time, r: &TemplateResource, physical: &str, takes: i64) -> Time {
        let begin = after + Duration::seconds(1);
        let end = begin + Duration::seconds(takes.max(1));
        let (id, rtype) = (&r.logical_id, &r.resource_type);
        self.event(begin, id, physical, rtype, "DELETE_IN_PROGRESS", None);
        self.event(end, id, physical, rtype, "DELETE_COMPLETE", None);
        end
    }

    fn finish(&mut self, outcome: Outcome) {
        if let Some(last) = self.out.last_mut() {
            last.outcome = Some(outcome);
        }
    }

    /// Each resource starts a second after the one before it and takes its own time.
    fn schedule(resources: &[TemplateResource], start: Time) -> Vec<(Time, Time)> {
        resources
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let begin = start + Duration::seconds(1 + i as i64);
                (
                    begin,
                    begin + Duration::seconds(i64::from(r.seconds.max(1))),
                )
            })
            .collect()
    }

    fn failure_reason(r: &TemplateResource) -> String {
        format!(
            "Resource handler returned message: \"Invalid request provided: {} properties failed validation\" (HandlerErrorCode: InvalidRequest)",
            r.resource_type
        )
    }

    fn create(&mut self, d: &Deployment<'_>) {
        let t0 = d.start;
        self.stack_event(t0, "CREATE_IN_PROGRESS", Some("User Initiated"));
        let times = Self::schedule(d.after, t0);
        let fail_at = d
            .fails_on
            .and_then(|f| d.after.iter().position(|r| r.logical_id == f))
            .map(|i| (i, times[i].1));
        let mut created = Vec::new();
        for (i, r) in d.after.iter().enumerate() {
            let (begin, end) = times[i];
            if fail_at.is_some_and(|(_, t)| begin >= t) {
                continue;
            }
            let pid = self.stack.physical_id_for(r);
            self.event(
                begin,
                &r.logical_id,
                "",
                &r.resource_type,
                "CREATE_IN_PROGRESS",
                None,
            );
            self.event(
                begin,
                &r.logical_id,
                &pid,
                &r.resource_type,
                "CREATE_IN_PROGRESS",
                Some("Resource creation Initiated"),
            );
            match fail_at {
                Some((fi, _)) if fi == i => {
                    self.event(
                        end,
                        &r.logical_id,
                        &pid,
                        &r.resource_type,
                        "CREATE_FAILED",
                        Some(&Self::failure_reason(r)),
                    );
                }
                Some((_, t)) if end >= t => {
                    self.event(
                        t,
                        &r.logical_id,
                        &pid,
                        &r.resource_type,
                        "CREATE_FAILED",
                        Some("Resource creation cancelled"),
                    );
                    created.push((r, pid));
                }
                _ => {
                    self.event(
                        end,
                        &r.logical_id,
                        &pid,
                        &r.resource_type,
                        "CREATE_COMPLETE",
                        None,
                    );
                    created.push((r, pid));
                }
            }
        }
        let end = times.iter().map(|t| t.1).max().unwrap_or(t0);
        match (fail_at, d.fails_on) {
            (Some((fi, t)), Some(failed)) => {
                let reason = format!(
                    "The following resource(s) failed to create: [{failed}]. Rollback requested by user."
                );
                let mut at = t + Duration::seconds(1);
                self.stack_event(at, "ROLLBACK_IN_PROGRESS", Some(&reason));
                for (r, pid) in created.iter().rev() {
                    at = self.delete(at, r, pid, i64::from(r.seconds / 2));
                }
                // the failed resource itself is cleaned up too
                if let Some(r) = d.after.iter().find(|r| r.logical_id == failed) {
                    at += Duration::seconds(1);
                    self.event(
                        at,
                        &r.logical_id,
                        "",
                        &r.resource_type,
                        "DELETE_COMPLETE",
                        None,
                    );
                }
                at += Duration::seconds(1);
                self.stack_event(at, "ROLLBACK_COMPLETE", None);
                self.finish(Outcome::Failed {
                    reason: Self::failure_reason(&d.after[fi]),
                });
            }
            _ => {
                self.stack_event(end + Duration::seconds(1), "CREATE_COMPLETE", None);
                self.finish(Outcome::Succeeded);
            }
        }
    }

    fn update(&mut self, d: &Deployment<'_>) {
        const REPLACING: &str = "Requested update requires the creation of a new physical resource; hence creating one.";
        let t0 = d.start;
        self.stack_event(t0, "UPDATE_IN_PROGRESS", Some("User Initiated"));
        let times = Self::schedule(d.after, t0);
        let fail_at = d
            .fails_on
            .and_then(|f| d.after.iter().position(|r| r.logical_id == f))
            .map(|i| (i, times[i].1));
        let existed = |r: &TemplateResource| d.before.iter().any(|b| b.logical_id == r.logical_id);
        let replaced = |r: &TemplateResource| existed(r) && d.replaced.contains(&r.logical_id);
        // (resource, its physical id now, its physical id before, what happened to it)
        let mut touched = Vec::new();
        for (i, r) in d.after.iter().enumerate() {
            let (begin, end) = times[i];
            if fail_at.is_some_and(|(_, t)| begin >= t) {
                continue;
            }
            let old = self.stack.physical_id_for(r);
            let (verb, pid) = if replaced(r) {
                ("REPLACE", self.stack.new_physical_id(r, Some(&d.record_id)))
            } else if existed(r) {
                ("UPDATE", old.clone())
            } else {
                ("CREATE", old.clone())
            };
            let (id, rtype) = (&r.logical_id, &r.resource_type);
            let status = |s: &str| match verb {
                "CREATE" => format!("CREATE_{s}"),
                _ => format!("UPDATE_{s}"),
            };
            match verb {
                "REPLACE" => {
                    self.event(
                        begin,
                        id,
                        &old,
                        rtype,
                        "UPDATE_IN_PROGRESS",
                        Some(REPLACING),
                    );
                    self.event(
                        begin,
                        id,
                        &pid,
                        rtype,
                        "UPDATE_IN_PROGRESS",
                        Some("Resource creation Initiated"),
                    );
                }
                "UPDATE" => self.event(begin, id, &pid, rtype, "UPDATE_IN_PROGRESS", None),
                _ => {
                    self.event(begin, id, &pid, rtype, "CREATE_IN_PROGRESS", None);
                    self.event(
                        begin,
                        id,
                        &pid,
                        rtype,
                        "CREATE_IN_PROGRESS",
                        Some("Resource creation Initiated"),
                    );
                }
            }
            match fail_at {
                Some((fi, _)) if fi == i => {
                    self.event(
                        end,
                        id,
                        &pid,
                        rtype,
                        &status("FAILED"),
                        Some(&Self::failure_reason(r)),
                    );
                }
                Some((_, t)) if end >= t => {
                    let msg = if verb == "CREATE" {
                        "Resource creation cancelled"
                    } else {
                        "Resource update cancelled"
                    };
                    self.event(t, id, &pid, rtype, &status("FAILED"), Some(msg));
                    touched.push((r, pid, old, verb));
                }
                _ => {
                    self.event(end, id, &pid, rtype, &status("COMPLETE"), None);
                    touched.push((r, pid, old, verb));
                }
            }
        }
        let end = times.iter().map(|t| t.1).max().unwrap_or(t0);
        match (fail_at, d.fails_on) {
            (Some((fi, t)), Some(failed)) => {
                let reason = format!("The following resource(s) failed to update: [{failed}]. ");
                let mut at = t + Duration::seconds(1);
                self.stack_event(at, "UPDATE_ROLLBACK_IN_PROGRESS", Some(&reason));
                for (r, _, old, verb) in touched.iter().rev() {
                    if *verb != "CREATE" {
                        // back to the resource as it was (the old one of a replacement)
                        at += Duration::seconds(1);
                        let (id, rtype) = (&r.logical_id, &r.resource_type);
                        self.event(at, id, old, rtype, "UPDATE_IN_PROGRESS", None);
                        at += Duration::seconds(i64::from((r.seconds / 2).max(1)));
                        self.event(at, id, old, rtype, "UPDATE_COMPLETE", None);
                    }
                }
                if let Some(r) = d.after.get(fi).filter(|r| existed(r)) {
                    let pid = self.stack.physical_id_for(r);
                    at += Duration::seconds(1);
                    self.event(
                        at,
                        &r.logical_id,
                        &pid,
                        &r.resource_type,
                        "UPDATE_COMPLETE",
                        None,
                    );
                }
                at += Duration::seconds(1);
                self.stack_event(at, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", None);
                // what the update created goes: new resources, new physical resources of replacements
                for (r, pid, _, verb) in touched.iter() {
                    if *verb != "UPDATE" {
                        at = self.delete(at, r, pid, 1);
                    }
                }
                // a new resource that failed to create is removed as well
                if let Some(r) = d.after.get(fi).filter(|r| !existed(r)) {
                    let pid = self.stack.physical_id_for(r);
                    at += Duration::seconds(1);
                    self.event(
                        at,
                        &r.logical_id,
                        &pid,
                        &r.resource_type,
                        "DELETE_COMPLETE",
                        None,
                    );
                }
                at += Duration::seconds(2);
                self.stack_event(at, "UPDATE_ROLLBACK_COMPLETE", None);
                self.finish(Outcome::Failed {
                    reason: Self::failure_reason(&d.after[fi]),
                });
            }
            _ => {
                let mut at = end + Duration::seconds(1);
                self.stack_event(at, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", None);
                // the old physical resources of replaced ones
                for (r, _, old, verb) in touched.iter() {
                    if *verb == "REPLACE" {
                        at = self.delete(at, r, old, 1);
                    }
                }
                for r in d
                    .before
                    .iter()
                    .filter(|b| !d.after.iter().any(|a| a.logical_id == b.logical_id))
                {
                    let pid = self.stack.physical_id_for(r);
                    at = self.delete(at, r, &pid, 1);
                }
                self.stack_event(at + Duration::seconds(1), "UPDATE_COMPLETE", None);
                self.finish(Outcome::Succeeded);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn res(id: &str, secs: u32) -> TemplateResource {
        TemplateResource {
            logical_id: id.into(),
            resource_type: "AWS::S3::Bucket".into(),
            seconds: secs,
            replacement: None,
            properties: Vec::new(),
        }
    }

    fn stack() -> Stack {
        let t = chrono::Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        Stack::new(
            "arn:aws:cloudformation:us-east-1:1:stack/SC-1-pp-x/u".into(),
            "SC-1-pp-x".into(),
            "1".into(),
            "us-east-1".into(),
            t,
        )
    }

    #[test]
    fn create_moves_through_events_over_time() {
        let mut s = stack();
        let t0 = s.created;
        let r = [res("A", 3), res("B", 5)];
        s.deploy(Deployment {
            kind: DeploymentKind::Create,
            before: &[],
            after: &r,
            replaced: &[],
            fails_on: None,
            start: t0,
            record_id: "rec-1".into(),
        });
        assert_eq!(s.advance(t0), None);
        assert_eq!(s.status, "CREATE_IN_PROGRESS");
        assert_eq!(s.events.len(), 1);
        assert_eq!(s.advance(t0 + Duration::seconds(2)), None);
        assert!(s.events.len() > 1);
        assert_eq!(
            s.advance(t0 + Duration::seconds(60)),
            Some(Outcome::Succeeded)
        );
        assert_eq!(s.status, "CREATE_COMPLETE");
        assert_eq!(s.resources.len(), 2);
        assert!(s.resources.values().all(|r| r.status == "CREATE_COMPLETE"));
        assert!(!s.is_moving());
    }

    #[test]
    fn failed_create_rolls_back_and_removes_resources() {
        let mut s = stack();
        let t0 = s.created;
        let r = [res("A", 3), res("B", 5), res("C", 2)];
        s.deploy(Deployment {
            kind: DeploymentKind::Create,
            before: &[],
            after: &r,
            replaced: &[],
            fails_on: Some("B"),
            start: t0,
            record_id: "r".into(),
        });
        let out = s.advance(t0 + Duration::seconds(600));
        assert!(matches!(out, Some(Outcome::Failed { .. })));
        assert_eq!(s.status, "ROLLBACK_COMPLETE");
        assert!(s.resources.is_empty(), "{:?}", s.resources);
        assert!(
            s.events
                .iter()
                .any(|e| e.status == "CREATE_FAILED" && e.logical_id == "B")
        );
    }

    #[test]
    fn failed_update_rolls_back() {
        let mut s = stack();
        let t0 = s.created;
        let v1 = [res("A", 3)];
        let v2 = [res("A", 3), res("B", 4)];
        s.deploy(Deployment {
            kind: DeploymentKind::Create,
            before: &[],
            after: &v1,
            replaced: &[],
            fails_on: None,
            start: t0,
            record_id: "r1".into(),
        });
        s.advance(t0 + Duration::seconds(60));
        let t1 = t0 + Duration::seconds(100);
        s.deploy(Deployment {
            kind: DeploymentKind::Update,
            before: &v1,
            after: &v2,
            replaced: &[],
            fails_on: Some("B"),
            start: t1,
            record_id: "r2".into(),
        });
        assert!(s.is_busy());
        let out = s.advance(t1 + Duration::seconds(600));
        assert!(matches!(out, Some(Outcome::Failed { .. })));
        assert_eq!(s.status, "UPDATE_ROLLBACK_COMPLETE");
        assert_eq!(s.resources.keys().collect::<Vec<_>>(), vec!["A"]);
        assert!(
            s.events
                .windows(2)
                .all(|w| w[0].timestamp <= w[1].timestamp),
            "events come in time order"
        );
    }

    #[test]
    fn update_removes_dropped_resources() {
        let mut s = stack();
        let t0 = s.created;
        let v1 = [res("A", 3), res("Old", 2)];
        let v2 = [res("A", 3), res("New", 2)];
        s.deploy(Deployment {
            kind: DeploymentKind::Create,
            before: &[],
            after: &v1,
            replaced: &[],
            fails_on: None,
            start: t0,
            record_id: "r1".into(),
        });
        s.advance(t0 + Duration::seconds(60));
        s.deploy(Deployment {
            kind: DeploymentKind::Update,
            before: &v1,
            after: &v2,
            replaced: &[],
            fails_on: None,
            start: t0 + Duration::seconds(100),
            record_id: "r2".into(),
        });
        assert_eq!(
            s.advance(t0 + Duration::seconds(600)),
            Some(Outcome::Succeeded)
        );
        assert_eq!(s.status, "UPDATE_COMPLETE");
        assert_eq!(s.resources.keys().collect::<Vec<_>>(), vec!["A", "New"]);
    }

    #[test]
    fn a_replaced_resource_gets_a_new_physical_id_and_the_old_one_is_deleted() {
        let mut s = stack();
        let t0 = s.created;
        let v1 = [res("A", 3), res("B", 2)];
        s.deploy(Deployment {
            kind: DeploymentKind::Create,
            before: &[],
            after: &v1,
            replaced: &[],
            fails_on: None,
            start: t0,
            record_id: "r1".into(),
        });
        s.advance(t0 + Duration::seconds(60));
        let old = s.resources["A"].physical_id.clone();
        let untouched = s.resources["B"].physical_id.clone();
        s.deploy(Deployment {
            kind: DeploymentKind::Update,
            before: &v1,
            after: &v1,
            replaced: &["A".to_string()],
            fails_on: None,
            start: t0 + Duration::seconds(100),
            record_id: "r2".into(),
        });
        assert_eq!(
            s.advance(t0 + Duration::seconds(600)),
            Some(Outcome::Succeeded)
        );
        let new = &s.resources["A"].physical_id;
        assert_ne!(new, &old, "a new physical resource");
        assert_eq!(s.resources["A"].status, "UPDATE_COMPLETE");
        assert_eq!(s.resources["B"].physical_id, untouched);
        assert!(
            s.events.iter().any(|e| e.logical_id == "A"
                && e.physical_id == old
                && e.status == "DELETE_COMPLETE")
        );
        assert!(
            s.events
                .windows(2)
                .all(|w| w[0].timestamp <= w[1].timestamp)
        );
    }
}
