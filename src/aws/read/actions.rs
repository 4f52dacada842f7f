//! Self-service actions: those associated with a product's version
//! (`ListServiceActionsForProvisioningArtifact`, all pages, each described
//! with `DescribeServiceAction`), and the parameters of running one on a
//! provisioned product (`DescribeServiceActionExecutionParameters`).

use aws_sdk_servicecatalog::types::{ServiceActionDefinitionKey, ServiceActionSummary};

use super::{Reader, all_pages, concurrently, optional, text};
use crate::aws::error::AwsError;
use crate::model::{ActionParameter, ExecutionParameter, ServiceAction};

/// `ListServiceActionsForProvisioningArtifact` pages at most 20.
const PAGE: i32 = 20;

impl Reader {
    /// The actions associated with `version_id` of `product_id`, each with
    /// its detail (a detail that cannot be read says why, in
    /// `detail_error`; a failure of the whole session fails the list).
    pub async fn service_actions(
        &self,
        product_id: &str,
        version_id: &str,
    ) -> Result<Vec<ServiceAction>, AwsError> {
        let summaries = all_pages(
            "ListServiceActionsForProvisioningArtifact",
            |token| async move {
                let out = self
                    .catalog()
                    .list_service_actions_for_provisioning_artifact()
                    .product_id(product_id)
                    .provisioning_artifact_id(version_id)
                    .page_size(PAGE)
                    .set_page_token(token)
                    .send()
                    .await
                    .map_err(|e| {
                        self.session.context.map(
                            "servicecatalog",
                            "ListServiceActionsForProvisioningArtifact",
                            e,
                        )
                    })?;
                let page: Vec<ServiceAction> = out
                    .service_action_summaries()
                    .iter()
                    .filter_map(summary)
                    .collect();
                Ok((page, out.next_page_token().map(str::to_string)))
            },
        )
        .await?;
        let mut seen = std::collections::HashSet::new();
        let summaries: Vec<ServiceAction> = summaries
            .into_iter()
            .filter(|a| seen.insert(a.id.clone()))
            .collect();
        let described = concurrently(summaries, |mut action| async move {
            match self.describe_service_action(&action.id).await {
                Ok(detail) => Ok(ServiceAction {
                    // The list's name and description, the detail's definition.
                    id: action.id,
                    name: action.name,
                    description: action.description.or(detail.description),
                    ..detail
                }),
                Err(e) if e.is_session_wide() => Err(e),
                Err(e) => {
                    action.detail_error = Some(e.to_string());
                    Ok(action)
                }
            }
        })
        .await;
        described.into_iter().collect()
    }

    /// One action's detail (`DescribeServiceAction`).
    pub async fn describe_service_action(&self, id: &str) -> Result<ServiceAction, AwsError> {
        let out = self
            .catalog()
            .describe_service_action()
            .id(id)
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("servicecatalog", "DescribeServiceAction", e)
            })?;
        let detail = out.service_action_detail();
        let mut action = detail
            .and_then(|d| d.service_action_summary())
            .and_then(summary)
            .unwrap_or_else(|| ServiceAction {
                id: id.to_string(),
                name: id.to_string(),
                description: None,
                definition_type: String::new(),
                document: None,
                document_version: None,
                assume_role: None,
                parameters: None,
                detail_error: None,
            });
        let definition = detail.and_then(|d| d.definition());
        let get = |k: ServiceActionDefinitionKey| definition.and_then(|m| m.get(&k)).cloned();
        action.document = get(ServiceActionDefinitionKey::Name);
        action.document_version = get(ServiceActionDefinitionKey::Version);
        action.assume_role = get(ServiceActionDefinitionKey::AssumeRole);
        action.parameters = Some(match get(ServiceActionDefinitionKey::Parameters) {
            Some(json) => parameters(&json).map_err(|detail| AwsError::Other {
                operation: "DescribeServiceAction".into(),
                detail,
            })?,
            None => Vec::new(),
        });
        Ok(action)
    }

    /// The parameters of running action `action_id` on provisioned product
    /// `pp_id`, with the values Service Catalog fills in.
    pub async fn execution_parameters(
        &self,
        pp_id: &str,
        action_id: &str,
    ) -> Result<Vec<ExecutionParameter>, AwsError> {
        let out = self
            .catalog()
            .describe_service_action_execution_parameters()
            .provisioned_product_id(pp_id)
            .service_action_id(action_id)
            .send()
            .await
            .map_err(|e| {
                self.session.context.map(
                    "servicecatalog",
                    "DescribeServiceActionExecutionParameters",
                    e,
                )
            })?;
        Ok(out
            .service_action_parameters()
            .iter()
            .filter_map(|p| {
                Some(ExecutionParameter {
                    name: optional(p.name())?,
                    kind: text(p.r#type()),
                    defaults: p.default_values().to_vec(),
                })
            })
            .collect())
    }
}

fn summary(s: &ServiceActionSummary) -> Option<ServiceAction> {
    let id = optional(s.id())?;
    Some(ServiceAction {
        name: optional(s.name()).unwrap_or_else(|| id.clone()),
        id,
        description: optional(s.description()),
        definition_type: s
            .definition_type()
            .map(|t| t.as_str().to_string())
            .unwrap_or_default(),
        document: None,
        document_version: None,
        assume_role: None,
        parameters: None,
        detail_error: None,
    })
}

/// `[{"Name":"InstanceId","Type":"TARGET"}]`, the definition's parameters.
fn parameters(json: &str) -> Result<Vec<ActionParameter>, String> {
    #[derive(serde::Deserialize)]
    struct P {
        #[serde(rename = "Name")]
        name: String,
        #[serde(rename = "Type", default)]
        kind: String,
    }
    if json.trim().is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<P> = serde_json::from_str(json)
        .map_err(|e| format!("the action's Parameters are not a JSON list of Name/Type: {e}"))?;
    Ok(list
        .into_iter()
        .map(|p| ActionParameter {
            name: p.name,
            kind: p.kind,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_definitions_parameters_are_read_and_bad_json_is_an_error() {
        let p = super::parameters(r#"[{"Name":"InstanceId","Type":"TARGET"}]"#).unwrap();
        assert_eq!(p[0].name, "InstanceId");
        assert_eq!(p[0].kind, "TARGET");
        assert!(super::parameters("").unwrap().is_empty());
        assert!(super::parameters("{nope").is_err());
    }
}
