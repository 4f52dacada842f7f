//! Self-service actions on a provisioned product: the ones associated
//! with the version it runs (listed), and running one — planned first
//! (refused while the product is busy, or for an action not associated
//! with its version, before anything is sent; parameters from
//! `DescribeServiceActionExecutionParameters` overridden by the caller's),
//! then sent with a fresh ExecuteToken and followed to its end.

use std::collections::BTreeMap;

use super::ActError;
use super::update::busy_reason;
use crate::aws::{AwsError, Reader, Writer};
use crate::model::launch::shown;
use crate::model::{
    ExecuteRequest, ExecutionParameter, FieldError, ProvisionedProduct, Record, ServiceAction,
};

/// "RDS PostgreSQL v2.0", the product and version `pp` runs.
pub fn runs(pp: &ProvisionedProduct) -> String {
    format!(
        "{} {}",
        pp.product_name.as_deref().unwrap_or(&pp.product_id),
        pp.version_name.as_deref().unwrap_or(&pp.version_id)
    )
}

/// The actions associated with the product and version `pp` runs now.
pub async fn list(
    reader: &Reader,
    pp: &ProvisionedProduct,
) -> Result<Vec<ServiceAction>, AwsError> {
    let mut actions = reader
        .service_actions(&pp.product_id, &pp.version_id)
        .await?;
    actions.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(actions)
}

/// One parameter of a planned run: what will be sent, or what Service
/// Catalog fills in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedParameter {
    pub name: String,
    pub kind: String,
    pub values: Vec<String>,
    /// Given by the caller (else Service Catalog's default).
    pub given: bool,
}

/// What running one action on one provisioned product will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPlan {
    pub provisioned: ProvisionedProduct,
    pub action: ServiceAction,
    pub parameters: Vec<PlannedParameter>,
    /// What `DescribeServiceActionExecutionParameters` said (kept so that
    /// values typed later are checked without reading again).
    pub execution: Vec<ExecutionParameter>,
    pub request: ExecuteRequest,
}

/// The longest value a parameter takes (`ExecutionParameterValue`: 0 to
/// 512 characters).
pub const MAX_VALUE: usize = 512;

/// The type of a parameter a caller gives (Service Catalog fills the
/// others, `TARGET`, with the provisioned product's resources).
pub const TEXT_VALUE: &str = "TEXT_VALUE";

impl ActionPlan {
    /// The parameters to ask for: the `TEXT_VALUE` ones (a `TARGET` one
    /// Service Catalog fills with the product's resources).
    pub fn askable(&self) -> Vec<&PlannedParameter> {
        self.parameters
            .iter()
            .filter(|p| p.kind == TEXT_VALUE)
            .collect()
    }

    /// The same run with the values `given` (checked as [`planned`]
    /// checks them) and a fresh ExecuteToken. Nothing is read or sent.
    pub fn with_values(&self, given: &BTreeMap<String, String>) -> Result<ActionPlan, ActError> {
        let parameters = planned(&self.action, &self.execution, given)?;
        Ok(ActionPlan {
            provisioned: self.provisioned.clone(),
            action: self.action.clone(),
            request: request(&self.provisioned, &self.action, &parameters),
            parameters,
            execution: self.execution.clone(),
        })
    }

    /// The plan's lines: the action, its document, each parameter.
    pub fn lines(&self) -> Vec<String> {
        let pp = &self.provisioned;
        let a = &self.action;
        let mut lines = vec![format!(
            "run {} ({}) on {} ({}, {}, {})",
            a.name,
            a.id,
            pp.name,
            pp.id,
            runs(pp),
            pp.status
        )];
        if let Some(d) = &a.description {
            lines.push(d.clone());
        }
        let role = a
            .assume_role
            .as_deref()
            .map(|r| format!(", as {r}"))
            .unwrap_or_default();
        lines.push(format!(
            "{} document {}{role}",
            if a.definition_type.is_empty() {
                "SSM_AUTOMATION"
            } else {
                &a.definition_type
            },
            a.document_label()
        ));
        if self.parameters.is_empty() {
            lines.push("no parameters".into());
        }
        for p in &self.parameters {
            let values = if p.values.is_empty() {
                "(none)".to_string()
            } else {
                p.values.join(", ")
            };
            let source = if p.given {
                "given"
            } else {
                "Service Catalog's default"
            };
            lines.push(format!("{} ({}): {values} — {source}", p.name, p.kind));
        }
        lines
    }
}

/// Plans running `wanted` (an action's id or name) on `pp` with the
/// parameter values `given`. Nothing is sent.
pub async fn plan(
    reader: &Reader,
    pp: ProvisionedProduct,
    wanted: &str,
    given: &BTreeMap<String, String>,
) -> Result<ActionPlan, ActError> {
    if let Some(why) = busy_reason(&pp) {
        return Err(ActError::Refused(
            why.replace("then update", "then run the action"),
        ));
    }
    let actions = list(reader, &pp).await?;
    let action = match find(&actions, wanted) {
        Ok(a) => a.clone(),
        Err(why) => return Err(not_associated(reader, &pp, &actions, wanted, why).await),
    };
    if let Some(why) = &action.detail_error {
        return Err(ActError::Refused(format!(
            "the action {} could not be described ({why}): its document and parameters are unknown, so it is not run",
            action.name
        )));
    }
    let execution = reader.execution_parameters(&pp.id, &action.id).await?;
    let parameters = planned(&action, &execution, given)?;
    Ok(ActionPlan {
        request: request(&pp, &action, &parameters),
        provisioned: pp,
        action,
        parameters,
        execution,
    })
}

/// The execution of `parameters`, with a fresh ExecuteToken.
fn request(
    pp: &ProvisionedProduct,
    action: &ServiceAction,
    parameters: &[PlannedParameter],
) -> ExecuteRequest {
    ExecuteRequest {
        provisioned_product_id: pp.id.clone(),
        provisioned_product_name: pp.name.clone(),
        action_id: action.id.clone(),
        action_name: action.name.clone(),
        // Only what the caller gave: AWS fills in the rest itself.
        parameters: parameters
            .iter()
            .filter(|p| p.given)
            .map(|p| (p.name.clone(), p.values.clone()))
            .collect(),
        token: super::new_token(),
    }
}

/// By id, else by exact name (one only).
fn find<'a>(actions: &'a [ServiceAction], wanted: &str) -> Result<&'a ServiceAction, String> {
    if let Some(a) = actions.iter().find(|a| a.id == wanted) {
        return Ok(a);
    }
    let named: Vec<&ServiceAction> = actions.iter().filter(|a| a.name == wanted).collect();
    match named.as_slice() {
        [one] => Ok(one),
        [] => Err(String::new()),
        many => Err(format!(
            "more than one action is named {} — give its id: {}",
            shown(wanted),
            many.iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The refusal for an action not among those of `pp`'s version: whether
/// it exists elsewhere (an id AWS describes), and which ones there are.
async fn not_associated(
    reader: &Reader,
    pp: &ProvisionedProduct,
    actions: &[ServiceAction],
    wanted: &str,
    ambiguous: String,
) -> ActError {
    if !ambiguous.is_empty() {
        return ActError::Refused(ambiguous);
    }
    let choices = if actions.is_empty() {
        "it has none".to_string()
    } else {
        format!(
            "its actions are: {}",
            actions
                .iter()
                .map(|a| format!("{} ({})", a.name, a.id))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let known = match wanted.starts_with("act-") {
        true => reader.describe_service_action(wanted).await.ok(),
        false => None,
    };
    let what = match known {
        Some(a) => format!("the action {} ({}) is not", a.name, a.id),
        None => format!("no action {} is", shown(wanted)),
    };
    ActError::Refused(format!(
        "{what} associated with {}, the version {} runs — {choices}",
        runs(pp),
        pp.name
    ))
}

/// Each parameter of the action: the caller's value, else the default;
/// a value for a parameter the action does not take, or longer than
/// [`MAX_VALUE`] characters, is an error (next to that parameter).
pub fn planned(
    action: &ServiceAction,
    execution: &[ExecutionParameter],
    given: &BTreeMap<String, String>,
) -> Result<Vec<PlannedParameter>, ActError> {
    let mut known: Vec<(String, String, Vec<String>)> = execution
        .iter()
        .map(|p| (p.name.clone(), p.kind.clone(), p.defaults.clone()))
        .collect();
    // A parameter of the definition that the execution call did not name.
    for p in action.parameters.iter().flatten() {
        if !known.iter().any(|(n, _, _)| *n == p.name) {
            known.push((p.name.clone(), p.kind.clone(), Vec::new()));
        }
    }
    let too_long = given
        .iter()
        .filter(|(k, _)| known.iter().any(|(n, _, _)| n == *k))
        .filter(|(_, v)| v.chars().count() > MAX_VALUE)
        .map(|(k, v)| {
            FieldError::new(
                k,
                format!(
                    "{} characters: a parameter's value is at most {MAX_VALUE} — shorten it",
                    v.chars().count()
                ),
            )
        });
    let errors: Vec<FieldError> = given
        .keys()
        .filter(|k| !known.iter().any(|(n, _, _)| n == *k))
        .map(|k| {
            FieldError::new(
                k,
                format!(
                    "{} takes no parameter {} — its parameters are: {}",
                    action.name,
                    shown(k),
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known
                            .iter()
                            .map(|(n, _, _)| n.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ),
            )
        })
        .chain(too_long)
        .collect();
    if !errors.is_empty() {
        return Err(ActError::Invalid(errors));
    }
    Ok(known
        .into_iter()
        .map(|(name, kind, defaults)| match given.get(&name) {
            Some(v) => PlannedParameter {
                name,
                kind,
                values: vec![v.clone()],
                given: true,
            },
            None => PlannedParameter {
                name,
                kind,
                values: defaults,
                given: false,
            },
        })
        .collect())
}

/// Sends the execution; the record of the request.
pub async fn execute(writer: &Writer, plan: &ActionPlan) -> Result<Record, ActError> {
    Ok(writer.execute_action(&plan.request).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ActionParameter;

    fn action() -> ServiceAction {
        ServiceAction {
            id: "act-1".into(),
            name: "Restart service".into(),
            description: None,
            definition_type: "SSM_AUTOMATION".into(),
            document: Some("Platform-RestartEcsService".into()),
            document_version: Some("1".into()),
            assume_role: Some("LAUNCH_ROLE".into()),
            parameters: Some(vec![
                ActionParameter {
                    name: "ServiceArn".into(),
                    kind: "TARGET".into(),
                },
                ActionParameter {
                    name: "Reason".into(),
                    kind: "TEXT_VALUE".into(),
                },
            ]),
            detail_error: None,
        }
    }

    #[test]
    fn defaults_are_overridden_by_what_is_given_and_unknown_keys_refused() {
        let execution = vec![
            ExecutionParameter {
                name: "ServiceArn".into(),
                kind: "TARGET".into(),
                defaults: vec!["arn:svc".into()],
            },
            ExecutionParameter {
                name: "Reason".into(),
                kind: "TEXT_VALUE".into(),
                defaults: vec![],
            },
        ];
        let given = BTreeMap::from([("Reason".to_string(), "deploy".to_string())]);
        let p = planned(&action(), &execution, &given).unwrap();
        assert_eq!(p[0].values, ["arn:svc"]);
        assert!(!p[0].given);
        assert_eq!(p[1].values, ["deploy"]);
        assert!(p[1].given);

        let bad = BTreeMap::from([("Nope".to_string(), "x".to_string())]);
        let e = planned(&action(), &execution, &bad).unwrap_err();
        assert_eq!(e.field_errors()[0].field, "Nope");
        assert!(e.to_string().contains("ServiceArn, Reason"));
    }

    #[test]
    fn a_value_is_at_most_512_characters() {
        let execution = vec![ExecutionParameter {
            name: "Reason".into(),
            kind: "TEXT_VALUE".into(),
            defaults: vec![],
        }];
        let at_most = BTreeMap::from([("Reason".to_string(), "é".repeat(MAX_VALUE))]);
        assert!(planned(&action(), &execution, &at_most).is_ok());
        let over = BTreeMap::from([("Reason".to_string(), "é".repeat(MAX_VALUE + 1))]);
        let e = planned(&action(), &execution, &over).unwrap_err();
        assert_eq!(e.field_errors()[0].field, "Reason");
        assert!(e.to_string().contains("513 characters"), "{e}");
    }

    #[test]
    fn an_action_is_found_by_id_or_name() {
        let mut other = action();
        other.id = "act-2".into();
        let actions = vec![action(), other];
        assert_eq!(find(&actions, "act-2").unwrap().id, "act-2");
        assert!(
            find(&actions, "Restart service")
                .unwrap_err()
                .contains("act-1, act-2")
        );
        assert_eq!(find(&actions[..1], "Restart service").unwrap().id, "act-1");
        assert_eq!(find(&actions, "Reboot"), Err(String::new()));
    }
}
