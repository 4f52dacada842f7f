//! Constraints of a product in a local portfolio, added and removed
//! (`CreateConstraint`, `DeleteConstraint`): LAUNCH (the role stacks are
//! created with), TEMPLATE (rules on parameters), NOTIFICATION (SNS topics
//! for stack events) and RESOURCE_UPDATE (whether end users may change
//! tags). Each parameter is checked as CreateConstraint documents it, and
//! the portfolio's constraints are read first.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{ActError, pick};
use crate::aws::{Reader, Writer};
use crate::model::{Constraint, ConstraintKind, FieldError, LaunchRole, Portfolio, Product};

/// A constraint as asked for, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstraintInput {
    Launch(String),
    /// JSON text of `{"Rules": {…}}`.
    Template(String),
    Notification(Vec<String>),
    /// ALLOWED or NOT_ALLOWED.
    ResourceUpdate(String),
}

/// A checked constraint: its type and its parameters as AWS takes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintSpec {
    pub kind: ConstraintKind,
    /// The JSON `Parameters`.
    pub parameters: String,
    /// What it does, for a plan.
    pub summary: String,
}

fn invalid(field: &str, message: impl Into<String>) -> ActError {
    ActError::Invalid(vec![FieldError::new(field, message)])
}

impl ConstraintInput {
    /// Checks it as CreateConstraint documents each type's parameters.
    pub fn check(&self) -> Result<ConstraintSpec, ActError> {
        match self {
            ConstraintInput::Launch(text) => {
                let role =
                    super::accept::parse_role(text).map_err(|e| invalid("launch_role", e))?;
                let (parameters, summary) = match &role {
                    LaunchRole::RoleArn(arn) => (
                        json!({ "RoleArn": arn }),
                        format!("launch with the role {arn}"),
                    ),
                    LaunchRole::LocalRoleName(n) => (
                        json!({ "LocalRoleName": n }),
                        format!("launch with the role {n} of the launching account"),
                    ),
                };
                Ok(ConstraintSpec {
                    kind: ConstraintKind::Launch,
                    parameters: parameters.to_string(),
                    summary,
                })
            }
            ConstraintInput::Template(text) => {
                let v: Value = serde_json::from_str(text).map_err(|e| {
                    invalid("template_rules", format!("not JSON: {e} — give {{\"Rules\": {{\"NAME\": {{\"Assertions\": […]}}}}}}"))
                })?;
                let rules = v
                    .get("Rules")
                    .and_then(Value::as_object)
                    .filter(|r| !r.is_empty())
                    .ok_or_else(|| {
                        invalid(
                            "template_rules",
                            "needs a non-empty \"Rules\" object: {\"Rules\": {\"NAME\": {\"Assertions\": […]}}}",
                        )
                    })?;
                for (name, rule) in rules {
                    let ok = rule
                        .get("Assertions")
                        .and_then(Value::as_array)
                        .is_some_and(|a| {
                            !a.is_empty() && a.iter().all(|x| x.get("Assert").is_some())
                        });
                    if !ok {
                        return Err(invalid(
                            "template_rules",
                            format!(
                                "rule {name} needs \"Assertions\": a list of {{\"Assert\": …}}"
                            ),
                        ));
                    }
                }
                let names: Vec<&str> = rules.keys().map(String::as_str).collect();
                Ok(ConstraintSpec {
                    kind: ConstraintKind::Template,
                    parameters: v.to_string(),
                    summary: format!("template rules {}", names.join(", ")),
                })
            }
            ConstraintInput::Notification(arns) => {
                if arns.is_empty() {
                    return Err(invalid("notify", "give at least one SNS topic ARN"));
                }
                if let Some(bad) = arns.iter().find(|a| {
                    let parts: Vec<&str> = a.splitn(6, ':').collect();
                    !matches!(parts.as_slice(), ["arn", _, "sns", region, account, topic]
                        if !region.is_empty() && account.len() == 12 && !topic.is_empty())
                }) {
                    return Err(invalid(
                        "notify",
                        format!("{bad} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC)"),
                    ));
                }
                Ok(ConstraintSpec {
                    kind: ConstraintKind::Notification,
                    parameters: json!({ "NotificationArns": arns }).to_string(),
                    summary: format!("send stack events to {}", arns.join(", ")),
                })
            }
            ConstraintInput::ResourceUpdate(v) => {
                let v = v.trim().to_ascii_uppercase();
                if v != "ALLOWED" && v != "NOT_ALLOWED" {
                    return Err(invalid("tag_updates", "ALLOWED or NOT_ALLOWED"));
                }
                Ok(ConstraintSpec {
                    kind: ConstraintKind::ResourceUpdate,
                    parameters: json!({
                        "Version": "2.0",
                        "Properties": { "TagUpdateOnProvisionedProduct": v }
                    })
                    .to_string(),
                    summary: format!(
                        "tag updates on provisioned products {}",
                        v.to_lowercase().replace('_', " ")
                    ),
                })
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddPlan {
    pub portfolio: Portfolio,
    pub product: Product,
    pub spec: ConstraintSpec,
    pub description: Option<String>,
    /// A constraint of this type exists already (one LAUNCH per product and portfolio).
    pub existing: Option<Constraint>,
    /// From the account, portfolio, product, type and parameters: a retry
    /// creates one constraint.
    pub token: String,
}

impl AddPlan {
    pub fn lines(&self) -> Vec<String> {
        let on = format!("{} in {}", self.product.name, self.portfolio.name);
        match &self.existing {
            Some(c) if self.spec.kind == ConstraintKind::Launch => vec![format!(
                "{on} has a LAUNCH constraint already ({}): remove it first (spoke constraint remove --id {})",
                c.id, c.id
            )],
            _ => vec![format!(
                "add a {} constraint to {on}: {}",
                self.spec.kind, self.spec.summary
            )],
        }
    }

    /// Whether AWS would refuse it (a second LAUNCH).
    pub fn blocked(&self) -> bool {
        self.existing.is_some() && self.spec.kind == ConstraintKind::Launch
    }
}

/// Reads the local portfolio, its products and constraints, and plans
/// adding `input` to `product` in it.
pub async fn plan_add(
    reader: &Reader,
    portfolio: &str,
    product: &str,
    input: &ConstraintInput,
    description: Option<&str>,
) -> Result<AddPlan, ActError> {
    let spec = input.check()?;
    let portfolio = super::share::find_portfolio(reader, portfolio).await?;
    let (products, constraints) = tokio::join!(
        reader.list_products_in(&portfolio.id),
        reader.list_constraints(&portfolio.id)
    );
    let products = products?;
    let product = pick(
        &products,
        product,
        "product in this portfolio",
        |p| &p.id,
        |p| &p.name,
    )?
    .clone();
    let existing = constraints?
        .into_iter()
        .find(|c| c.product_id == product.id && c.kind == spec.kind && !c.inherited);
    let account = reader.account().await?;
    let mut hash = Sha256::new();
    for part in [
        &account,
        &portfolio.id,
        &product.id,
        spec.kind.as_str(),
        &spec.parameters,
    ] {
        hash.update(part.as_bytes());
        hash.update(b"/");
    }
    Ok(AddPlan {
        token: format!("spoke-{}", &hex::encode(hash.finalize())[..32]),
        portfolio,
        product,
        spec,
        description: description.map(str::to_string),
        existing,
    })
}

pub async fn add(writer: &Writer, plan: &AddPlan) -> Result<String, ActError> {
    if plan.blocked() {
        return Err(ActError::Refused(plan.lines().join("")));
    }
    let id = writer
        .create_constraint(
            &plan.portfolio.id,
            &plan.product.id,
            plan.spec.kind.as_str(),
            &plan.spec.parameters,
            plan.description.as_deref(),
            &plan.token,
        )
        .await?;
    Ok(format!(
        "added {} constraint {id} to {} in {}",
        plan.spec.kind, plan.product.name, plan.portfolio.name
    ))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovePlan {
    pub constraint: Constraint,
    pub portfolio: Portfolio,
}

impl RemovePlan {
    pub fn lines(&self) -> Vec<String> {
        let c = &self.constraint;
        let mut lines = vec![format!(
            "remove the {} constraint {} of product {} in {}",
            c.kind, c.id, c.product_id, self.portfolio.name
        )];
        if c.kind == ConstraintKind::Launch {
            lines.push("then: launches of that product from this portfolio run with the caller's own rights".into());
        }
        lines
    }
}

/// Finds the constraint among the local portfolios' constraints.
pub async fn plan_remove(reader: &Reader, id: &str) -> Result<RemovePlan, ActError> {
    let locals = reader.list_local_portfolios().await?;
    for portfolio in locals {
        let constraints = reader.list_constraints(&portfolio.id).await?;
        if let Some(c) = constraints.into_iter().find(|c| c.id == id) {
            if c.inherited {
                return Err(ActError::Refused(format!(
                    "constraint {id} belongs to account {}: only it can remove it",
                    c.owner
                )));
            }
            return Ok(RemovePlan {
                constraint: c,
                portfolio,
            });
        }
    }
    Err(ActError::Refused(format!(
        "no constraint {id} in this account's local portfolios"
    )))
}

pub async fn remove(writer: &Writer, plan: &RemovePlan) -> Result<String, ActError> {
    writer.delete_constraint(&plan.constraint.id).await?;
    Ok(format!("removed constraint {}", plan.constraint.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_type_is_checked_before_any_call() {
        let launch = ConstraintInput::Launch("SCLaunchRole".into())
            .check()
            .unwrap();
        assert_eq!(launch.parameters, r#"{"LocalRoleName":"SCLaunchRole"}"#);
        assert!(
            ConstraintInput::Launch("arn:aws:iam::12:role/x".into())
                .check()
                .is_err()
        );
        let rules = r#"{"Rules": {"Small": {"Assertions": [{"Assert": {"Fn::Contains": [["t3.micro"], {"Ref": "InstanceType"}]}}]}}}"#;
        let t = ConstraintInput::Template(rules.into()).check().unwrap();
        assert_eq!(t.kind, ConstraintKind::Template);
        assert!(t.summary.contains("Small"));
        for bad in ["{", "{}", r#"{"Rules": {"A": {}}}"#] {
            let e = ConstraintInput::Template(bad.into()).check().unwrap_err();
            assert!(e.to_string().contains("template_rules"), "{e}");
        }
        assert!(
            ConstraintInput::Notification(vec!["arn:aws:sns:us-east-1:111122223333:T".into()])
                .check()
                .is_ok()
        );
        assert!(
            ConstraintInput::Notification(vec!["arn:aws:sqs:us-east-1:111122223333:Q".into()])
                .check()
                .is_err()
        );
        assert!(ConstraintInput::Notification(vec![]).check().is_err());
        let ru = ConstraintInput::ResourceUpdate("allowed".into())
            .check()
            .unwrap();
        assert!(ru.parameters.contains("\"ALLOWED\"") && ru.parameters.contains("2.0"));
        assert!(
            ConstraintInput::ResourceUpdate("maybe".into())
                .check()
                .is_err()
        );
    }
}
