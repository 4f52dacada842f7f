//! Provisioning rules: ProvisionProduct and UpdateProvisionedProduct create a
//! record and drive the provisioned product's stack through a deployment; as
//! time passes (`advance`) the record and the provisioned product follow the
//! stack to SUCCEEDED, or to FAILED with the product TAINTED (failed update)
//! or ERROR (failed launch).

use std::collections::BTreeMap;

use super::stacks::{Deployment, DeploymentKind, Outcome, Stack};
use super::{PpStatus, ProvisionedProduct, Record, RecordStatus, Time, World};
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

/// An update, as UpdateProvisionedProduct asks for it (ids resolved, previous values merged).
#[derive(Debug, Clone)]
pub struct Change {
    pub pp_id: String,
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
        let name_key = (l.account.clone(), l.region.clone(), l.name.clone());
        if self.provisioned_names.contains(&name_key) {
            return Err(ApiError::duplicate(format!(
                "A provisioned product with the name {} already exists.",
                l.name
            )));
        }
        let product = self
            .products
            .get(&l.product_id)
            .ok_or_else(|| ApiError::not_found("Product not found"))?;
        let version = product
            .version(&l.artifact_id)
            .ok_or_else(|| {
                ApiError::not_found(format!("Provisioning artifact {} not found", l.artifact_id))
            })?
            .clone();
        let pp_id = self.ids.next("pp");
        let record_id = self.ids.next("rec");
        let stack_name = format!("SC-{}-{}", l.account, pp_id);
        let stack_id = format!(
            "arn:aws:cloudformation:{}:{}:stack/{}/{}",
            l.region,
            l.account,
            stack_name,
            self.ids.uuid()
        );
        let launch_role = self.launch_role(&l.account, &l.path_id, &l.product_id);
        let mut stack = Stack::new(
            stack_id.clone(),
            stack_name,
            l.account.clone(),
            l.region.clone(),
            l.at,
        );
        stack.description = format!("{} {}", product.name, version.name);
        stack.parameters = l
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        stack.deploy(Deployment {
            kind: DeploymentKind::Create,
            before: &[],
            after: &version.template.resources,
            fails_on: version.fails_on.as_deref(),
            start: l.at,
            record_id: record_id.clone(),
        });
        self.stacks.insert(stack_id.clone(), stack);
        self.moving.insert(stack_id.clone());
        self.records.insert(
            record_id.clone(),
            Record {
                id: record_id.clone(),
                account: l.account.clone(),
                region: l.region.clone(),
                pp_id: pp_id.clone(),
                pp_name: l.name.clone(),
                record_type: "PROVISION_PRODUCT".into(),
                status: RecordStatus::Created,
                created: l.at,
                updated: l.at,
                product_id: l.product_id.clone(),
                artifact_id: l.artifact_id.clone(),
                path_id: l.path_id.clone(),
                errors: Vec::new(),
                tags: l.tags.clone(),
                launch_role_arn: launch_role.clone(),
                outputs: Vec::new(),
                parameters: l.parameters.clone(),
            },
        );
        self.provisioned.insert(
            pp_id.clone(),
            ProvisionedProduct {
                id: pp_id,
                account: l.account.clone(),
                region: l.region,
                name: l.name,
                product_id: l.product_id,
                artifact_id: l.artifact_id,
                path_id: l.path_id,
                status: PpStatus::UnderChange,
                status_message: String::new(),
                created: l.at,
                idempotency_token: l.token.clone(),
                last_record_id: record_id.clone(),
                last_provisioning_record_id: record_id.clone(),
                last_successful_record_id: None,
                stack_id,
                tags: l.tags,
                user_arn: l.user_arn,
                launch_role_arn: launch_role,
                parameters: BTreeMap::new(),
            },
        );
        self.provisioned_names.insert(name_key);
        self.idempotency
            .insert((l.account, l.token), record_id.clone());
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
        let product = self
            .products
            .get(&pp.product_id)
            .ok_or_else(|| ApiError::not_found("Product not found"))?;
        let current = product
            .version(&pp.artifact_id)
            .map(|v| v.template.resources.clone())
            .unwrap_or_default();
        let target = product
            .version(&c.artifact_id)
            .ok_or_else(|| {
                ApiError::not_found(format!("Provisioning artifact {} not found", c.artifact_id))
            })?
            .clone();
        let record_id = self.ids.next("rec");
        let (account, region, name, stack_id) = (
            pp.account.clone(),
            pp.region.clone(),
            pp.name.clone(),
            pp.stack_id.clone(),
        );
        let launch_role = self.launch_role(&account, &c.path_id, &pp.product_id);
        let product_id = pp.product_id.clone();
        let tags = pp.tags.clone();
        if let Some(stack) = self.stacks.get_mut(&stack_id) {
            stack.deploy(Deployment {
                kind: DeploymentKind::Update,
                before: &current,
                after: &target.template.resources,
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
                self.finish_record(&record_id, &stack_id, outcome, last_event.unwrap_or(now));
            }
        }
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
