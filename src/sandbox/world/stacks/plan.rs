//! Planning a deployment: the timeline of stack and resource events a create
//! or an update goes through, its failure and rollback included.

use chrono::Duration;

use super::{Deployment, Outcome, STACK_TYPE, Scheduled, Stack, StackEvent};
use crate::sandbox::world::ids::stable_hash;
use crate::sandbox::world::{TemplateResource, Time};

pub(super) struct Planner<'s> {
    pub(super) stack: &'s mut Stack,
    pub(super) out: Vec<Scheduled>,
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

    pub(super) fn create(&mut self, d: &Deployment<'_>) {
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

    pub(super) fn update(&mut self, d: &Deployment<'_>) {
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

    /// A stack's deletion: the stack DELETE_IN_PROGRESS, each resource it
    /// still has deleted in the reverse order of the template, then the
    /// stack DELETE_COMPLETE; or, when a resource fails to be deleted,
    /// DELETE_FAILED for it and for the stack (the others still go).
    pub(super) fn delete_stack(&mut self, d: &Deployment<'_>) {
        let t0 = d.start;
        self.stack_event(t0, "DELETE_IN_PROGRESS", Some("User Initiated"));
        let mut order: Vec<TemplateResource> = d
            .before
            .iter()
            .filter(|r| self.stack.resources.contains_key(&r.logical_id))
            .cloned()
            .collect();
        // resources the template no longer names (none in practice) go last
        for r in self.stack.resources.values() {
            if !order.iter().any(|o| o.logical_id == r.logical_id) {
                order.insert(
                    0,
                    TemplateResource {
                        logical_id: r.logical_id.clone(),
                        resource_type: r.resource_type.clone(),
                        seconds: 2,
                        replacement: None,
                        properties: Vec::new(),
                    },
                );
            }
        }
        let mut at = t0;
        let mut failed = None;
        for r in order.iter().rev() {
            let pid = self.stack.physical_id_for(r);
            if d.fails_on == Some(r.logical_id.as_str()) {
                let begin = at + Duration::seconds(1);
                at = begin + Duration::seconds(i64::from((r.seconds / 2).max(1)));
                let (id, rtype) = (&r.logical_id, &r.resource_type);
                self.event(begin, id, &pid, rtype, "DELETE_IN_PROGRESS", None);
                let reason = Self::delete_failure_reason(r);
                self.event(at, id, &pid, rtype, "DELETE_FAILED", Some(&reason));
                failed = Some((r.logical_id.clone(), reason));
            } else {
                at = self.delete(at, r, &pid, i64::from(r.seconds / 2));
            }
        }
        at += Duration::seconds(1);
        match failed {
            Some((logical, reason)) => {
                let why = format!("The following resource(s) failed to delete: [{logical}]. ");
                self.stack_event(at, "DELETE_FAILED", Some(&why));
                self.finish(Outcome::Failed { reason });
            }
            None => {
                self.stack_event(at, "DELETE_COMPLETE", None);
                self.finish(Outcome::Succeeded);
            }
        }
    }

    fn delete_failure_reason(r: &TemplateResource) -> String {
        // guess: the handler's wording for a resource that cannot be deleted.
        format!(
            "Resource handler returned message: \"{} {} cannot be deleted: it is in use by another resource\" (HandlerErrorCode: ResourceConflict)",
            r.resource_type, r.logical_id
        )
    }
}
