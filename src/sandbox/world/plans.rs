//! Provisioned product plans (CreateProvisionedProductPlan and friends): the
//! resource changes a launch or an update would make, reviewed before they
//! are executed.
//!
//! A plan on an existing provisioned product diffs the resources of the
//! version it runs with those of the target version: a resource only in the
//! target is ADDed, one only in the current version is REMOVEd, one in both
//! is MODIFYed (in place unless a version in between marks it `replacement`,
//! see [`super::Product::change_between`]). A plan on the version already
//! running changes nothing. A plan for a new provisioned product ADDs every
//! resource and creates the provisioned product in PLAN_IN_PROGRESS, as AWS
//! does; a plan on an existing one leaves its status alone.
//!
//! The plan is ready (CREATE_SUCCESS) [`PLAN_SECONDS`] sandbox seconds after
//! it was asked for; executing it starts the launch or update, and its status
//! follows the record (EXECUTE_IN_PROGRESS → EXECUTE_SUCCESS or EXECUTE_FAILED).

use std::collections::BTreeMap;

use chrono::Duration;

use super::provisioning::{Change, Reservation};
use super::{PpStatus, Product, RecordStatus, Replacement, Stack, Time, Version, World};
use crate::sandbox::error::ApiError;

/// Sandbox seconds CloudFormation takes to make a plan's change set.
pub const PLAN_SECONDS: i64 = 5;

/// One resource change of a plan (Service Catalog's `ResourceChange`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceChange {
    /// ADD, MODIFY or REMOVE.
    pub action: &'static str,
    pub logical_id: String,
    /// The resource's physical id, for one that exists.
    pub physical_id: Option<String>,
    pub resource_type: String,
    /// For a MODIFY: whether the resource is replaced.
    pub replacement: Option<Replacement>,
    /// For a MODIFY: the properties the new version changes, when the world names them.
    pub properties: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub id: String,
    pub name: String,
    pub account: String,
    pub region: String,
    pub pp_id: String,
    pub pp_name: String,
    /// The plan reserved a new provisioned product (PLAN_IN_PROGRESS until executed).
    pub new_product: bool,
    pub product_id: String,
    pub artifact_id: String,
    pub path_id: String,
    /// The parameters as asked: key → value, or None for UsePreviousValue.
    pub requested: Vec<(String, Option<String>)>,
    /// The values the execution deploys.
    pub parameters: BTreeMap<String, String>,
    pub notification_arns: Vec<String>,
    pub tags: Vec<(String, String)>,
    pub user_arn: String,
    pub created: Time,
    pub changes: Vec<ResourceChange>,
    /// The record of its execution.
    pub execution: Option<String>,
}

/// A plan as CreateProvisionedProductPlan asks for it (ids resolved, parameters settled).
#[derive(Debug, Clone)]
pub struct PlanRequest {
    pub account: String,
    pub region: String,
    pub name: String,
    pub pp_name: String,
    pub product_id: String,
    pub artifact_id: String,
    pub path_id: String,
    pub requested: Vec<(String, Option<String>)>,
    pub parameters: BTreeMap<String, String>,
    pub notification_arns: Vec<String>,
    pub tags: Vec<(String, String)>,
    pub token: String,
    pub user_arn: String,
    pub at: Time,
}

/// Where a plan stands at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanStatus {
    pub status: &'static str,
    pub updated: Time,
    pub message: Option<String>,
}

impl Plan {
    pub fn status(&self, world: &World, now: Time) -> PlanStatus {
        let ready = self.created + Duration::seconds(PLAN_SECONDS);
        let Some(record) = self.execution.as_ref().and_then(|r| world.records.get(r)) else {
            return if now < ready {
                PlanStatus {
                    status: "CREATE_IN_PROGRESS",
                    updated: self.created,
                    message: None,
                }
            } else {
                PlanStatus {
                    status: "CREATE_SUCCESS",
                    updated: ready,
                    message: None,
                }
            };
        };
        let (status, message) = match record.status {
            RecordStatus::Succeeded => ("EXECUTE_SUCCESS", None),
            RecordStatus::Failed | RecordStatus::InProgressInError => (
                "EXECUTE_FAILED",
                record.errors.first().map(|(_, d)| d.clone()),
            ),
            RecordStatus::Created | RecordStatus::InProgress => ("EXECUTE_IN_PROGRESS", None),
        };
        PlanStatus {
            status,
            updated: record.updated,
            message,
        }
    }
}

/// The resource changes from `current` (the version a provisioned product
/// runs, and its stack) to `target`; every resource is added without a current version.
pub fn diff(
    product: &Product,
    current: Option<(&Version, &Stack)>,
    target: &Version,
) -> Vec<ResourceChange> {
    let Some((current, stack)) = current else {
        return target
            .template
            .resources
            .iter()
            .map(|r| ResourceChange {
                action: "ADD",
                logical_id: r.logical_id.clone(),
                physical_id: None,
                resource_type: r.resource_type.clone(),
                replacement: None,
                properties: Vec::new(),
            })
            .collect();
    };
    let physical = |id: &str| stack.resources.get(id).map(|r| r.physical_id.clone());
    let before = &current.template.resources;
    let after = &target.template.resources;
    let mut out = Vec::new();
    for r in after {
        if before.iter().any(|b| b.logical_id == r.logical_id) {
            if current.id == target.id {
                continue;
            }
            let (replacement, properties) =
                product.change_between(&current.id, &target.id, &r.logical_id);
            out.push(ResourceChange {
                action: "MODIFY",
                logical_id: r.logical_id.clone(),
                physical_id: physical(&r.logical_id),
                resource_type: r.resource_type.clone(),
                replacement: Some(replacement.unwrap_or(Replacement::False)),
                properties,
            });
        } else {
            out.push(ResourceChange {
                action: "ADD",
                logical_id: r.logical_id.clone(),
                physical_id: None,
                resource_type: r.resource_type.clone(),
                replacement: None,
                properties: Vec::new(),
            });
        }
    }
    for b in before
        .iter()
        .filter(|b| !after.iter().any(|a| a.logical_id == b.logical_id))
    {
        out.push(ResourceChange {
            action: "REMOVE",
            logical_id: b.logical_id.clone(),
            physical_id: physical(&b.logical_id),
            resource_type: b.resource_type.clone(),
            replacement: None,
            properties: Vec::new(),
        });
    }
    out
}

impl World {
    /// The plan of `account` with this id.
    pub fn plan_of(&self, account: &str, region: &str, id: &str) -> Result<&Plan, ApiError> {
        self.plans
            .get(id)
            .filter(|p| p.account == account && p.region == region)
            .ok_or_else(|| ApiError::not_found(format!("Plan {id} not found.")))
    }

    /// CreateProvisionedProductPlan; answers the plan id.
    pub fn create_plan(&mut self, r: PlanRequest) -> Result<String, ApiError> {
        let token_key = (r.account.clone(), r.token.clone());
        if let Some(id) = self.plan_tokens.get(&token_key) {
            return Ok(id.clone());
        }
        let product = self
            .products
            .get(&r.product_id)
            .ok_or_else(|| ApiError::not_found(format!("Product {} not found.", r.product_id)))?;
        let target = product.version(&r.artifact_id).ok_or_else(|| {
            ApiError::not_found(format!(
                "Provisioning artifact {} not found.",
                r.artifact_id
            ))
        })?;
        let existing = self
            .provisioned
            .values()
            .find(|p| p.account == r.account && p.region == r.region && p.name == r.pp_name);
        let (pp_id, new_product, changes) = match existing {
            Some(pp) => {
                if pp.product_id != r.product_id {
                    return Err(ApiError::invalid_parameters(format!(
                        "Provisioned product {} was launched from product {}, not {}.",
                        pp.name, pp.product_id, r.product_id
                    )));
                }
                if !matches!(pp.status, PpStatus::Available | PpStatus::Tainted) {
                    return Err(ApiError::invalid_state(format!(
                        "Provisioned product {} is in {} state; a plan needs it AVAILABLE or TAINTED.",
                        pp.name,
                        pp.status.wire()
                    )));
                }
                if let Some(open) = self
                    .plans
                    .values()
                    .find(|p| p.pp_id == pp.id && p.execution.is_none())
                {
                    // guess: AWS's reference does not word this refusal;
                    // spoke never reads it (it lists the plans instead).
                    return Err(ApiError::invalid_parameters(format!(
                        "Provisioned product {} already has plan {}; execute or delete it first.",
                        pp.name, open.id
                    )));
                }
                let current = product
                    .version(&pp.artifact_id)
                    .zip(self.stacks.get(&pp.stack_id));
                (pp.id.clone(), false, diff(product, current, target))
            }
            None => {
                let changes = diff(product, None, target);
                let pp_id = self.reserve(Reservation {
                    account: r.account.clone(),
                    region: r.region.clone(),
                    product_id: r.product_id.clone(),
                    artifact_id: r.artifact_id.clone(),
                    path_id: r.path_id.clone(),
                    name: r.pp_name.clone(),
                    parameters: r.parameters.clone(),
                    tags: r.tags.clone(),
                    token: r.token.clone(),
                    user_arn: r.user_arn.clone(),
                    at: r.at,
                    status: PpStatus::PlanInProgress,
                })?;
                (pp_id, true, changes)
            }
        };
        let id = self.ids.next("pp");
        self.plans.insert(
            id.clone(),
            Plan {
                id: id.clone(),
                name: r.name,
                account: r.account,
                region: r.region,
                pp_id,
                pp_name: r.pp_name,
                new_product,
                product_id: r.product_id,
                artifact_id: r.artifact_id,
                path_id: r.path_id,
                requested: r.requested,
                parameters: r.parameters,
                notification_arns: r.notification_arns,
                tags: r.tags,
                user_arn: r.user_arn,
                created: r.at,
                changes,
                execution: None,
            },
        );
        self.plan_tokens.insert(token_key, id.clone());
        Ok(id)
    }

    /// ExecuteProvisionedProductPlan; answers the record of the launch or update.
    pub fn execute_plan(&mut self, id: &str, token: &str, at: Time) -> Result<String, ApiError> {
        let plan = self
            .plans
            .get(id)
            .ok_or_else(|| ApiError::not_found(format!("Plan {id} not found.")))?
            .clone();
        if let Some(r) = self.replayed(&plan.account, token) {
            return Ok(r.id.clone());
        }
        let status = plan.status(self, at);
        if status.status != "CREATE_SUCCESS" {
            return Err(ApiError::invalid_state(format!(
                "Plan {id} is in {} state and cannot be executed.",
                status.status
            )));
        }
        let record = if plan.new_product {
            self.start_launch(&plan.pp_id, token, at)?
        } else {
            let record = self.update_provisioned(Change {
                product_id: None,
                pp_id: plan.pp_id.clone(),
                artifact_id: plan.artifact_id.clone(),
                path_id: plan.path_id.clone(),
                parameters: plan.parameters.clone(),
                token: token.to_string(),
                at,
            })?;
            if let Some(pp) = self.provisioned.get_mut(&plan.pp_id)
                && !plan.tags.is_empty()
            {
                pp.tags = plan.tags.clone();
            }
            record
        };
        if let Some(p) = self.plans.get_mut(id) {
            p.execution = Some(record.clone());
        }
        Ok(record)
    }

    /// DeleteProvisionedProductPlan. A plan for a new provisioned product that
    /// was never executed takes its reserved provisioned product with it.
    pub fn delete_plan(&mut self, id: &str) -> Result<(), ApiError> {
        let plan = self
            .plans
            .remove(id)
            .ok_or_else(|| ApiError::not_found(format!("Plan {id} not found.")))?;
        self.plan_tokens.retain(|_, p| p != id);
        if plan.new_product
            && plan.execution.is_none()
            && let Some(pp) = self.provisioned.remove(&plan.pp_id)
        {
            self.provisioned_index = None;
            self.stacks.remove(&pp.stack_id);
            self.moving.remove(&pp.stack_id);
            self.provisioned_names
                .remove(&(pp.account, pp.region, pp.name));
        }
        Ok(())
    }
}
