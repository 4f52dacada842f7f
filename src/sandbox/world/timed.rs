//! Records that move on a clock of their own, not a stack's: a termination
//! that keeps its stack (RetainPhysicalResources) and self-service actions.
//! Each goes CREATED → IN_PROGRESS at `start` → SUCCEEDED at `end`.

use super::{RecordStatus, Time, World};

#[derive(Debug, Clone)]
pub struct TimedRecord {
    pub record_id: String,
    pub start: Time,
    pub end: Time,
    pub then: AfterTimed,
}

/// What a timed record does to its provisioned product when it succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterTimed {
    /// Nothing more (a self-service action).
    Nothing,
    /// The provisioned product goes; its stack stays.
    Terminate,
}

impl World {
    /// Moves the timed records whose time has come.
    pub(super) fn advance_timed(&mut self, now: Time) {
        let mut done = Vec::new();
        for t in &self.timed {
            let Some(rec) = self.records.get_mut(&t.record_id) else {
                continue;
            };
            if now >= t.start && rec.status == RecordStatus::Created {
                rec.status = RecordStatus::InProgress;
                rec.updated = t.start;
            }
            if now >= t.end {
                rec.status = RecordStatus::Succeeded;
                rec.updated = t.end;
                done.push(t.clone());
            }
        }
        if done.is_empty() {
            return;
        }
        self.timed
            .retain(|t| !done.iter().any(|d| d.record_id == t.record_id));
        for t in done {
            let pp_id = self.records.get(&t.record_id).map(|r| r.pp_id.clone());
            let Some(pp_id) = pp_id else { continue };
            match t.then {
                AfterTimed::Terminate => self.remove_provisioned(&pp_id),
                // an action is no provisioning: LastSuccessfulProvisioningRecordId stays
                AfterTimed::Nothing => {}
            }
        }
    }
}
