//! Self-service actions (SSM_AUTOMATION) an operator may run on a
//! provisioned product: what one is, and the parameters of running it.

use serde::{Deserialize, Serialize};

/// A parameter an action's document takes (`Definition.Parameters`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionParameter {
    pub name: String,
    /// `TARGET` (Service Catalog fills it with the product's resources) or
    /// `TEXT_VALUE` (a value given when it runs).
    pub kind: String,
}

/// A service action associated with a product's version
/// (`ListServiceActionsForProvisioningArtifact` + `DescribeServiceAction`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceAction {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// `SSM_AUTOMATION`.
    pub definition_type: String,
    /// The SSM document it runs (`AWS-RebootRdsInstance`); `None`: the
    /// detail was not read.
    pub document: Option<String>,
    pub document_version: Option<String>,
    /// `LAUNCH_ROLE` or a role ARN.
    pub assume_role: Option<String>,
    /// `None`: the detail was not read (never shown as "no parameters").
    pub parameters: Option<Vec<ActionParameter>>,
    /// Why the detail could not be read, if it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail_error: Option<String>,
}

impl ServiceAction {
    /// "AWS-RebootRdsInstance (version 1)", or `—` when not read.
    pub fn document_label(&self) -> String {
        match (&self.document, &self.document_version) {
            (Some(d), Some(v)) if !v.is_empty() => format!("{d} (version {v})"),
            (Some(d), _) => d.clone(),
            (None, _) => "—".into(),
        }
    }

    /// "InstanceId (TARGET), Reason (TEXT_VALUE)", "none", or `—` when not read.
    pub fn parameters_label(&self) -> String {
        match &self.parameters {
            None => "—".into(),
            Some(p) if p.is_empty() => "none".into(),
            Some(p) => p
                .iter()
                .map(|p| format!("{} ({})", p.name, p.kind))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// A parameter of running an action on one provisioned product, with the
/// values Service Catalog would use (`DescribeServiceActionExecutionParameters`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecutionParameter {
    pub name: String,
    pub kind: String,
    pub defaults: Vec<String>,
}

/// An execution, as `ExecuteProvisionedProductServiceAction` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecuteRequest {
    pub provisioned_product_id: String,
    pub provisioned_product_name: String,
    pub action_id: String,
    pub action_name: String,
    /// Each parameter's values; an empty map sends none (AWS uses the defaults).
    pub parameters: std::collections::BTreeMap<String, Vec<String>>,
    /// `ExecuteToken`: a retry of the same request executes once.
    pub token: String,
}
