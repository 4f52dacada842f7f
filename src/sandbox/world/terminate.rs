//! TerminateProvisionedProduct: a TERMINATE_PROVISIONED_PRODUCT record that
//! follows the deletion of the provisioned product's stack (or, with
//! RetainPhysicalResources, only the provisioned product goes). When it
//! succeeds the provisioned product is gone; its records and its deleted
//! stack (by id) remain, as in AWS.

use chrono::Duration;

use super::stacks::{Deployment, DeploymentKind, Outcome};
use super::timed::{AfterTimed, TimedRecord};
use super::{PpStatus, Record, RecordStatus, Time, World};
use crate::sandbox::error::ApiError;

pub const TERMINATE: &str = "TERMINATE_PROVISIONED_PRODUCT";

/// A termination, as TerminateProvisionedProduct asks for it.
#[derive(Debug, Clone)]
pub struct Termination {
    pub pp_id: String,
    pub token: String,
    /// Service Catalog stops managing the product even if its resources cannot be deleted.
    pub ignore_errors: bool,
    /// The provisioned product goes; the stack and its resources stay.
    pub retain: bool,
    pub at: Time,
}

impl World {
    pub fn terminate(&mut self, t: Termination) -> Result<String, ApiError> {
        let pp = self.provisioned.get(&t.pp_id).ok_or_else(|| {
            ApiError::not_found(format!("Provisioned product {} not found.", t.pp_id))
        })?;
        if let Some(r) = self.replayed(&pp.account, &t.token)
            && r.pp_id == pp.id
            && r.record_type == TERMINATE
        {
            return Ok(r.id.clone());
        }
        if matches!(pp.status, PpStatus::UnderChange | PpStatus::PlanInProgress) {
            // guess: AWS documents no error for this; the message names the state.
            return Err(ApiError::invalid_parameters(format!(
                "Provisioned product {} is in {} state and cannot be terminated until its current operation completes.",
                pp.id,
                pp.status.wire()
            )));
        }
        let stack = self.stacks.get(&pp.stack_id);
        if let Some(stack) = stack.filter(|s| s.is_busy() && !t.retain) {
            return Err(ApiError::invalid_parameters(format!(
                "Stack {} is in {} state and can not be deleted.",
                stack.id, stack.status
            )));
        }
        let record_id = self.ids.next("rec");
        let record = Record {
            id: record_id.clone(),
            account: pp.account.clone(),
            region: pp.region.clone(),
            pp_id: pp.id.clone(),
            pp_name: pp.name.clone(),
            record_type: TERMINATE.into(),
            status: RecordStatus::Created,
            created: t.at,
            updated: t.at,
            product_id: pp.product_id.clone(),
            artifact_id: pp.artifact_id.clone(),
            path_id: pp.path_id.clone(),
            errors: Vec::new(),
            tags: pp.tags.clone(),
            launch_role_arn: pp.launch_role_arn.clone(),
            outputs: Vec::new(),
            parameters: pp.parameters.clone(),
        };
        let (account, stack_id) = (pp.account.clone(), pp.stack_id.clone());
        let current = self
            .products
            .get(&pp.product_id)
            .and_then(|p| p.version(&pp.artifact_id))
            .map(|v| v.template.resources.clone())
            .unwrap_or_default();
        if t.retain {
            self.timed.push(TimedRecord {
                record_id: record_id.clone(),
                start: t.at + Duration::seconds(1),
                end: t.at + Duration::seconds(3),
                then: AfterTimed::Terminate,
            });
        } else {
            let fails_on = self.delete_fails.get(&stack_id).cloned();
            if let Some(stack) = self.stacks.get_mut(&stack_id) {
                stack.deploy(Deployment {
                    kind: DeploymentKind::Delete,
                    before: &current,
                    after: &[],
                    replaced: &[],
                    fails_on: fails_on.as_deref(),
                    start: t.at,
                    record_id: record_id.clone(),
                });
                self.moving.insert(stack_id);
            }
            self.terminating.insert(record_id.clone(), t.ignore_errors);
        }
        self.records.insert(record_id.clone(), record);
        if let Some(pp) = self.provisioned.get_mut(&t.pp_id) {
            pp.status = PpStatus::UnderChange;
            pp.status_message.clear();
            pp.last_record_id = record_id.clone();
        }
        self.idempotency
            .insert((account, t.token), record_id.clone());
        Ok(record_id)
    }

    /// A termination's stack deletion ended.
    pub(super) fn finish_termination(&mut self, record_id: &str, outcome: Outcome, at: Time) {
        let ignore_errors = self.terminating.remove(record_id).unwrap_or(false);
        let Some(rec) = self.records.get_mut(record_id) else {
            return;
        };
        rec.updated = at;
        let pp_id = rec.pp_id.clone();
        match outcome {
            Outcome::Succeeded => {
                rec.status = RecordStatus::Succeeded;
                self.remove_provisioned(&pp_id);
            }
            Outcome::Failed { reason } if ignore_errors => {
                // The resources that could not be deleted stay, unmanaged.
                rec.status = RecordStatus::Succeeded;
                rec.errors = vec![("CFN_STACK_FAILED".into(), reason)];
                self.remove_provisioned(&pp_id);
            }
            Outcome::Failed { reason } => {
                rec.status = RecordStatus::Failed;
                rec.errors = vec![("CFN_STACK_FAILED".into(), reason.clone())];
                if let Some(pp) = self.provisioned.get_mut(&pp_id) {
                    pp.status = PpStatus::Tainted;
                    pp.status_message = reason;
                }
            }
        }
    }

    /// Takes a provisioned product out of the catalog, keeping the
    /// bookkeeping of names and the index right; it is kept among the
    /// terminated ones (their records stay listed).
    pub fn remove_provisioned(&mut self, pp_id: &str) {
        let Some(pp) = self.provisioned.remove(pp_id) else {
            return;
        };
        self.provisioned_names
            .remove(&(pp.account.clone(), pp.region.clone(), pp.name.clone()));
        self.provisioned_index = None;
        self.terminated.insert(pp.id.clone(), pp);
    }
}
