//! CloudFormation stacks and how they move: a deployment (create or update) is
//! planned up front as a timeline of events with timestamps; `advance(now)`
//! makes the events whose time has come visible and applies their effects.
//! A world's history (stacks created weeks ago) and a live change use the same
//! code: the history's timestamps are simply already past.

use std::collections::{BTreeMap, VecDeque};

use super::ids::stable_hash;
use super::{Template, TemplateResource, Time};
use plan::Planner;

mod plan;
#[cfg(test)]
mod tests;

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
    /// The template of the last deployment (`GetTemplate`): during an
    /// update, the one it moves to.
    pub template: Option<Template>,
    /// Visible events, oldest first.
    pub events: Vec<StackEvent>,
    /// The Service Catalog record the running deployment belongs to.
    pub record_id: Option<String>,
    /// Resources changed outside CloudFormation, by logical id (see
    /// [`super::drift`]); a deployment that touches one brings it back in sync.
    pub out_of_band: BTreeMap<String, super::drift::OutOfBand>,
    pending: VecDeque<Scheduled>,
    event_counter: u64,
}

/// What a deployment does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentKind {
    Create,
    Update,
    /// The stack and its resources go (a termination).
    Delete,
}

/// A deployment to plan: the resources before and after, and the one that fails, if any.
pub struct Deployment<'a> {
    pub kind: DeploymentKind,
    pub before: &'a [TemplateResource],
    pub after: &'a [TemplateResource],
    /// Logical ids of resources in both whose update creates a new physical resource.
    pub replaced: &'a [String],
    /// The resource that fails (to create, update or, for a Delete, to be deleted).
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
            template: None,
            events: Vec::new(),
            record_id: None,
            out_of_band: BTreeMap::new(),
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
            DeploymentKind::Delete => plan.delete_stack(&d),
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
                self.out_of_band.remove(&e.logical_id);
            }
        } else if e.status == "DELETE_IN_PROGRESS"
            && self
                .resources
                .get(&e.logical_id)
                .is_some_and(|r| r.physical_id != e.physical_id)
        {
            // the old physical resource of a replaced one is being deleted
        } else {
            if matches!(e.status.as_str(), "CREATE_COMPLETE" | "UPDATE_COMPLETE") {
                // redeployed: its actual properties are the expected ones again
                self.out_of_band.remove(&e.logical_id);
            }
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
