//! Provisioning rules: ProvisionProduct and UpdateProvisionedProduct create a
//! record and drive the provisioned product's stack through a deployment; as
//! time passes (`advance`) the record and the provisioned product follow the
//! stack to SUCCEEDED, or to FAILED with the product TAINTED (failed update)
//! or ERROR (failed launch).

use std::collections::BTreeMap;

use super::stacks::{Deployment, DeploymentKind, Outcome, Stack};
use super::{PpStatus, ProvisionedProduct, Record, RecordStatus, Replacement, Time, World};
use crate::sandbox::error::ApiError;

/// A launch, as ProvisionProduct asks for it (ids already resolved).
#[derive(Debug, Clone)]
pub struct Launch {
    pub account: String,
    pub region: String,
    pub product_id: String,
    pub artifact_id: String,
    pub path_id: String,
    pub name: String,
    pub parameters: BTreeMap<String, String>,
    pub tags: Vec<(String, String)>,
    pub token: String,
    pub user_arn: String,
    pub at: Time,
}

/// A provisioned product to create, before anything is deployed.
#[derive(Debug, Clone)]
pub struct Reservation {
    pub account: String,
    pub region: String,
    pub product_id: String,
    pub artifact_id: String,
    pub path_id: String,
    pub name: String,
    /// The values its launch deploys.
    pub parameters: BTreeMap<String, String>,
    pub tags: Vec<(String, String)>,
    pub token: String,
    pub user_arn: String,
    pub at: Time,
    pub status: PpStatus,
}

/// An update, as UpdateProvisionedProduct asks for it (ids resolved, previous values merged).
#[derive(Debug, Clone)]
pub struct Change {
    pub pp_id: String,
    /// Another product to move to (None: the same product).
    pub product_id: Option<String>,
    pub artifact_id: String,
    pub path_id: String,
    pub parameters: BTreeMap<String, String>,
    pub token: String,
    pub at: Time,
}

impl World {
    /// The launch role of a product launched through a portfolio (its LAUNCH constraint).
    pub fn launch_role(&self, account: &str, path_id: &str, product_id: &str) -> Option<String> {
        let portfolio_id = &self.portfolio_for_path(path_id)?.id;
        let c = self.constraints.values().find(|c| {
            c.portfolio_id == *portfolio_id
                && c.product_id == product_id
                && c.constraint_type == "LAUNCH"
        })?;
        let v: serde_json::Value = serde_json::from_str(&c.parameters).ok()?;
        if let Some(arn) = v.get("RoleArn").and_then(|r| r.as_str()) {
            return Some(arn.to_string());
        }
        v.get("LocalRoleName")
            .and_then(|r| r.as_str())
            .map(|n| format!("arn:aws:iam::{account}:role/{n}"))
    }

    /// A replayed idempotency token answers with the record it made the first time.
    pub fn replayed(&self, account: &str, token: &str) -> Option<&Record> {
        self.idempotency
            .get(&(account.to_string(), token.to_string()))
            .and_then(|id| self.records.get(id))
    }

    pub fn provision(&mut self, l: Launch) -> Result<String, ApiError> {
        if let Some(r) = self.replayed(&l.account, &l.token) {
            return Ok(r.id.clone());
        }
        let pp_id = self.ids.next("pp");
        let record_id = self.ids.next("rec");
        self.reserve_as(
            pp_id.clone(),
            Reservation {
                account: l.account,
                region: l.region,
                product_id: l.product_id,
                artifact_id: l.artifact_id,
                path_id: l.path_id,
                name: l.name,
                parameters: l.parameters,
                tags: l.tags,
                token: l.token.clone(),
                user_arn: l.user_arn,
                at: l.at,
                status: PpStatus::UnderChange,
            },
        )?;
        self.launch_as(record_id, &pp_id, &l.token, l.at)
    }

    /// Creates a provisioned product and its (empty) stack without deploying
    /// anything yet: a plan for a new provisioned product does this.
    pub fn reserve(&mut self, r: Reservation) -> Result<String, ApiError> {
        let pp_id = self.ids.next("pp");
        self.reserve_as(pp_id.clone(), r)?;
        Ok(pp_id)
    }

    fn reserve_as(&mut self, pp_id: String, r: Reservation) -> Result<(), ApiError> {
        let name_key = (r.account.clone(), r.region.clone(), r.name.clone());
        if self.provisioned_names.contains(&name_key) {
            return Err(ApiError::duplicate(format!(
                "A provisioned product with the name {} already exists.",
                r.name
            )));
        }
        let product = self
            .products
            .get(&r.product_id)
            .ok_or_else(|| ApiError::not_found("Product not found"))?;
        let version = product.version(&r.artifact_id).ok_or_else(|| {
            ApiError::not_found(format!("Provisioning artifact {} not found", r.artifact_id))
        })?;
        let stack_name = format!("SC-{}-{}", r.account, pp_id);
        let stack_id = format!(
            "arn:aws:cloudformation:{}:{}:stack/{}/{}",
            r.region,
            r.account,
            stack_name,
            self.ids.uuid()
        );
        let mut stack = Stack::new(
            stack_id.clone(),
            stack_name,
            r.account.clone(),
            r.region.clone(),
            r.at,
        );
        stack.description = format!("{} {}", product.name, version.name);
        stack.parameters = r
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        self.stacks.insert(stack_id.clone(), stack);
        let launch_role = self.launch_role(&r.account, &r.path_id, &r.product_id);
        self.provisioned_index = None;
        self.provisioned.insert(
            pp_id.clone(),
            ProvisionedProduct {
                id: pp_id,
                account: r.account,
                region: r.region,
                name: r.name,
                product_id: r.product_id,
                artifact_id: r.artifact_id,
                path_id: r.path_id,
                status: r.status,
                status_message: String::new(),
                created: r.at,
                idempotency_token: r.token,
                last_record_id: String::new(),
                last_provisioning_record_id: String::new(),
                last_successful_record_id: None,
                stack_id,
                tags: r.tags,
                user_arn: r.user_arn,
                launch_role_arn: launch_role,
                parameters: r.parameters,
            },
        );
        self.provisioned_names.insert(name_key);
        Ok(())
    }

    /// Launches a reserved provisioned product: its stack is created with the
    /// resources of its version. Answers the PROVISION_PRODUCT record.
    pub fn start_launch(&mut self, pp_id: &str, token: &str, at: Time) -> Result<String, ApiError> {
        let record_id = self.ids.next("rec");
        self.launch_as(record_id, pp_id, token, at)
    }

    fn launch_as(
        &mut self,
        record_id: String,
        pp_id: &str,
        token: &str,
        at: Time,
    ) -> Result<String, ApiError> {
        let pp = self
            .provisioned
            .get(pp_id)
            .ok_or_else(|| ApiError::not_found("Provisioned product not found"))?;
        let version = self
            .products
            .get(&pp.product_id)
            .and_then(|p| p.version(&pp.artifact_id))
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "Provisioning artifact {} not found",
                    pp.artifact_id
                ))
            })?
            .clone();
        let launch_role = self.launch_role(&pp.account, &pp.path_id, &pp.product_id);
        let record = Record {
            id: record_id.clone(),
            account: pp.account.clone(),
            region: pp.region.clone(),
            pp_id: pp.id.clone(),
            pp_name: pp.name.clone(),
            record_type: "PROVISION_PRODUCT".into(),
            status: RecordStatus::Created,
            created: at,
            updated: at,
            product_id: pp.product_id.clone(),
            artifact_id: pp.artifact_id.clone(),
            path_id: pp.path_id.clone(),
            errors: Vec::new(),
            tags: pp.tags.clone(),
            launch_role_arn: launch_role.clone(),
            outputs: Vec::new(),
            parameters: pp.parameters.clone(),
        };
        let stack_id = pp.stack_id.clone();
        let account = pp.account.clone();
        if let Some(stack) = self.stacks.get_mut(&stack_id) {
            stack.template = Some(version.template.clone());
            stack.deploy(Deployment {
                kind: DeploymentKind::Create,
                before: &[],
                after: &version.template.resources,
                replaced: &[],
                fails_on: version.fails_on.as_deref(),
                start: at,
                record_id: record_id.clone(),
            });
        }
        self.moving.insert(stack_id);
        self.records.insert(record_id.clone(), record);
        if let Some(pp) = self.provisioned.get_mut(pp_id) {
            pp.status = PpStatus::UnderChange;
            pp.launch_role_arn = launch_role;
            pp.last_record_id = record_id.clone();
            pp.last_provisioning_record_id = record_id.clone();
            // The values become the provisioned product's when the launch succeeds.
            pp.parameters = BTreeMap::new();
        }
        self.idempotency
            .insert((account, token.to_string()), record_id.clone());
        Ok(record_id)
    }

    pub fn update_provisioned(&mut self, c: Change) -> Result<String, ApiError> {
        let pp = self
            .provisioned
            .get(&c.pp_id)
            .ok_or_else(|| ApiError::not_found("Provisioned product not found"))?;
        if let Some(r) = self.replayed(&pp.account, &c.token) {
            return Ok(r.id.clone());
        }
        if pp.status == PpStatus::UnderChange || pp.status == PpStatus::PlanInProgress {
            return Err(ApiError::invalid_parameters(format!(
                "Provisioned product {} is in {} state and cannot be updated until its current operation completes.",
                pp.id,
                pp.status.wire()
            )));
        }
        let stack = self
            .stacks
            .get(&pp.stack_id)
            .ok_or_else(|| ApiError::not_found("Stack not found"))?;
        if stack.is_busy() {
            return Err(ApiError::invalid_parameters(format!(
                "Stack {} is in {} state and can not be updated.",
                stack.id, stack.status
            )));
        }
        if stack.status == "ROLLBACK_COMPLETE" {
            return Err(ApiError::invalid_parameters(format!(
                "Stack {} is in ROLLBACK_COMPLETE state and can not be updated.",
                stack.id
            )));
        }
        let current = self
            .products
            .get(&pp.product_id)
            .and_then(|p| p.version(&pp.artifact_id))
            .map(|v| v.template.resources.clone())
            .unwrap_or_default();
        let target_product = c
            .product_id
            .clone()
            .unwrap_or_else(|| pp.product_id.clone());
        let changes_product = target_product != pp.product_id;
        let product = self
            .products
            .get(&target_product)
            .ok_or_else(|| ApiError::not_found("Product not found"))?;
        let target = product
            .version(&c.artifact_id)
            .ok_or_else(|| {
                ApiError::not_found(format!("Provisioning artifact {} not found", c.artifact_id))
            })?
            .clone();
        let replaced: Vec<String> = target
            .template
            .resources
            .iter()
            .filter(|r| current.iter().any(|b| b.logical_id == r.logical_id))
            .filter(|r| {
                if changes_product {
                    // guess: another product's resource of the same logical id
                    // is updated in place when it is of the same type, else replaced.
                    return current.iter().any(|b| {
                        b.logical_id == r.logical_id && b.resource_type != r.resource_type
                    });
                }
                product
                    .change_between(&pp.artifact_id, &target.id, &r.logical_id)
                    .0
                    == Some(Replacement::True)
            })
            .map(|r| r.logical_id.clone())
            .collect();
        let record_id = self.ids.next("rec");
        let (account, region, name, stack_id) = (
            pp.account.clone(),
            pp.region.clone(),
            pp.name.clone(),
            pp.stack_id.clone(),
        );
        let launch_role = self.launch_role(&account, &c.path_id, &target_product);
        let product_id = target_product;
        let tags = pp.tags.clone();
        if let Some(stack) = self.stacks.get_mut(&stack_id) {
            stack.template = Some(target.template.clone());
            stack.deploy(Deployment {
                kind: DeploymentKind::Update,
                before: &current,
                after: &target.template.resources,
                replaced: &replaced,
                fails_on: target.fails_on.as_deref(),
                start: c.at,
                record_id: record_id.clone(),
            });
        }
        self.moving.insert(stack_id);
        self.records.insert(
            record_id.clone(),
            Record {
                id: record_id.clone(),
                account: account.clone(),
                region,
                pp_id: c.pp_id.clone(),
                pp_name: name,
                record_type: "UPDATE_PROVISIONED_PRODUCT".into(),
                status: RecordStatus::Created,
                created: c.at,
                updated: c.at,
                product_id,
                artifact_id: c.artifact_id,
                path_id: c.path_id,
                errors: Vec::new(),
                tags,
                launch_role_arn: launch_role,
                outputs: Vec::new(),
                parameters: c.parameters,
            },
        );
        if let Some(pp) = self.provisioned.get_mut(&c.pp_id) {
            pp.status = PpStatus::UnderChange;
            pp.status_message.clear();
            pp.last_record_id = record_id.clone();
            pp.last_provisioning_record_id = record_id.clone();
        }
        self.idempotency
            .insert((account, c.token), record_id.clone());
        Ok(record_id)
    }

    /// Moves every stack with events due by `now`, and their records and provisioned products.
    pub fn advance(&mut self, now: Time) {
        let moving: Vec<String> = self.moving.iter().cloned().collect();
        for stack_id in moving {
            let Some(stack) = self.stacks.get_mut(&stack_id) else {
                continue;
            };
            let began = !stack.events.is_empty();
            let outcome = stack.advance(now);
            let record_id = stack.record_id.clone();
            let still_moving = stack.is_moving();
            let last_event = stack.events.last().map(|e| e.timestamp);
            if !still_moving {
                self.moving.remove(&stack_id);
            }
            let Some(record_id) = record_id else { continue };
            if let Some(rec) = self.records.get_mut(&record_id)
                && rec.status == RecordStatus::Created
                && (began || last_event.is_some())
            {
                rec.status = RecordStatus::InProgress;
                rec.updated = last_event.unwrap_or(rec.updated);
            }
            if let Some(outcome) = outcome {
                let at = last_event.unwrap_or(now);
                if self
                    .records
                    .get(&record_id)
                    .is_some_and(|r| r.record_type == super::terminate::TERMINATE)
                {
                    self.finish_termination(&record_id, outcome, at);
                    continue;
                }
                self.finish_record(&record_id, &stack_id, outcome, at);
            }
        }
        self.advance_timed(now);
    }

    fn finish_record(&mut self, record_id: &str, stack_id: &str, outcome: Outcome, at: Time) {
        let Some(rec) = self.records.get_mut(record_id) else {
            return;
        };
        rec.updated = at;
        let Some(pp) = self.provisioned.get_mut(&rec.pp_id) else {
            return;
        };
        match outcome {
            Outcome::Succeeded => {
                rec.status = RecordStatus::Succeeded;
                pp.status = PpStatus::Available;
                pp.status_message.clear();
                pp.product_id = rec.product_id.clone();
                pp.artifact_id = rec.artifact_id.clone();
                pp.path_id = rec.path_id.clone();
                pp.parameters = rec.parameters.clone();
                pp.launch_role_arn = rec.launch_role_arn.clone();
                pp.last_successful_record_id = Some(rec.id.clone());
                let outputs = self
                    .products
                    .get(&rec.product_id)
                    .and_then(|p| p.version(&rec.artifact_id))
                    .map(|v| v.template.outputs.clone())
                    .unwrap_or_default();
                let stack = self.stacks.get_mut(stack_id);
                let stack_name = stack.as_ref().map(|s| s.name.clone()).unwrap_or_default();
                let resolved: Vec<(String, String, String)> = outputs
                    .iter()
                    .map(|o| {
                        let mut v = o.value.replace("${StackName}", &stack_name);
                        v = v
                            .replace("${AccountId}", &rec.account)
                            .replace("${Region}", &rec.region);
                        for (k, val) in &rec.parameters {
                            v = v.replace(&format!("${{Param:{k}}}"), val);
                        }
                        (o.key.clone(), v, o.description.clone())
                    })
                    .collect();
                rec.outputs = resolved.clone();
                if let Some(stack) = stack {
                    stack.outputs = resolved;
                    stack.parameters = rec
                        .parameters
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                }
            }
            Outcome::Failed { reason } => {
                rec.status = RecordStatus::Failed;
                rec.errors = vec![("CFN_STACK_FAILED".into(), reason.clone())];
                if rec.record_type == "PROVISION_PRODUCT" {
                    pp.status = PpStatus::Error;
                } else {
                    pp.status = PpStatus::Tainted;
                }
                pp.status_message = reason;
            }
        }
    }
}
