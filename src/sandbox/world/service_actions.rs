//! Self-service actions (SSM_AUTOMATION): owned by an account, associated
//! with (product, version) pairs, executed against a provisioned product on
//! its current version. An execution is a record that moves CREATED →
//! IN_PROGRESS → SUCCEEDED over a few sandbox seconds.

use chrono::Duration;

use super::timed::{AfterTimed, TimedRecord};
use super::{PpStatus, Record, RecordStatus, Time, World};
use crate::sandbox::error::ApiError;

// guess: the record type AWS gives an action's execution (RecordType is a free string).
pub const EXECUTE_ACTION: &str = "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION";

#[derive(Debug, Clone)]
pub struct ServiceAction {
    pub id: String,
    pub owner: String,
    pub region: String,
    pub name: String,
    pub description: String,
    /// The SSM document's name (`AWS-RestartEC2Instance`).
    pub document: String,
    pub document_version: String,
    /// `LAUNCH_ROLE` or a role ARN.
    pub assume_role: String,
    /// (Name, Type) of its parameters: TARGET or TEXT_VALUE.
    pub parameters: Vec<(String, String)>,
    /// (product id, version id) pairs it is associated with.
    pub associations: Vec<(String, String)>,
}

impl ServiceAction {
    /// The Definition map (Name, Version, AssumeRole, Parameters as JSON).
    pub fn definition(&self) -> Vec<(&'static str, String)> {
        let params: Vec<serde_json::Value> = self
            .parameters
            .iter()
            .map(|(n, t)| serde_json::json!({"Name": n, "Type": t}))
            .collect();
        vec![
            ("Name", self.document.clone()),
            ("Version", self.document_version.clone()),
            ("AssumeRole", self.assume_role.clone()),
            (
                "Parameters",
                serde_json::to_string(&params).unwrap_or_default(),
            ),
        ]
    }

    pub fn is_associated(&self, product_id: &str, version_id: &str) -> bool {
        self.associations
            .iter()
            .any(|(p, v)| p == product_id && v == version_id)
    }

    /// The resource type a TARGET parameter of this document points at.
    // guess: Service Catalog fills a TARGET parameter with the physical ids
    // of the provisioned product's resources the document acts on.
    pub fn target_type(&self) -> Option<&'static str> {
        let d = self.document.to_lowercase();
        if d.contains("rds") {
            Some("AWS::RDS::DBInstance")
        } else if d.contains("ecs") {
            Some("AWS::ECS::Service")
        } else if d.contains("ec2") {
            Some("AWS::EC2::Instance")
        } else {
            None
        }
    }
}

/// An execution, as ExecuteProvisionedProductServiceAction asks for it.
#[derive(Debug, Clone)]
pub struct Execution {
    pub pp_id: String,
    pub action_id: String,
    pub token: String,
    pub at: Time,
}

/// Sandbox seconds an action runs.
const ACTION_SECONDS: i64 = 4;

impl World {
    /// The default values of the action's parameters for a provisioned
    /// product: a TARGET parameter gets the physical ids of its resources.
    pub fn target_values(&self, action: &ServiceAction, pp_id: &str) -> Vec<String> {
        let Some(pp) = self.provisioned.get(pp_id) else {
            return Vec::new();
        };
        let Some(stack) = self.stacks.get(&pp.stack_id) else {
            return Vec::new();
        };
        let matching: Vec<String> = stack
            .resources
            .values()
            .filter(|r| action.target_type() == Some(r.resource_type.as_str()))
            .map(|r| r.physical_id.clone())
            .collect();
        if matching.is_empty() {
            vec![pp.stack_id.clone()]
        } else {
            matching
        }
    }

    pub fn execute_action(&mut self, x: Execution) -> Result<String, ApiError> {
        let pp = self.provisioned.get(&x.pp_id).ok_or_else(|| {
            ApiError::not_found(format!("Provisioned product {} not found.", x.pp_id))
        })?;
        if let Some(r) = self.replayed(&pp.account, &x.token)
            && r.pp_id == pp.id
            && r.record_type == EXECUTE_ACTION
        {
            return Ok(r.id.clone());
        }
        let action = self.service_actions.get(&x.action_id).ok_or_else(|| {
            ApiError::not_found(format!("Service action {} not found.", x.action_id))
        })?;
        if matches!(pp.status, PpStatus::UnderChange | PpStatus::PlanInProgress) {
            // guess: the message text.
            return Err(ApiError::invalid_state(format!(
                "Provisioned product {} is in {} state; a self-service action can run when its current operation completes.",
                pp.id,
                pp.status.wire()
            )));
        }
        if !action.is_associated(&pp.product_id, &pp.artifact_id) {
            // guess: the message text.
            return Err(ApiError::invalid_parameters(format!(
                "Service action {} is not associated with provisioning artifact {} of product {}.",
                action.id, pp.artifact_id, pp.product_id
            )));
        }
        let record_id = self.ids.next("rec");
        let record = Record {
            id: record_id.clone(),
            account: pp.account.clone(),
            region: pp.region.clone(),
            pp_id: pp.id.clone(),
            pp_name: pp.name.clone(),
            record_type: EXECUTE_ACTION.into(),
            status: RecordStatus::Created,
            created: x.at,
            updated: x.at,
            product_id: pp.product_id.clone(),
            artifact_id: pp.artifact_id.clone(),
            path_id: pp.path_id.clone(),
            errors: Vec::new(),
            tags: pp.tags.clone(),
            launch_role_arn: pp.launch_role_arn.clone(),
            outputs: Vec::new(),
            parameters: pp.parameters.clone(),
        };
        let account = pp.account.clone();
        self.records.insert(record_id.clone(), record);
        self.timed.push(TimedRecord {
            record_id: record_id.clone(),
            start: x.at + Duration::seconds(1),
            end: x.at + Duration::seconds(ACTION_SECONDS),
            then: AfterTimed::Nothing,
        });
        if let Some(pp) = self.provisioned.get_mut(&x.pp_id) {
            pp.last_record_id = record_id.clone();
        }
        self.idempotency
            .insert((account, x.token), record_id.clone());
        Ok(record_id)
    }
}
