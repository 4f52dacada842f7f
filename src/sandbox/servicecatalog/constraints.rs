//! CreateConstraint: the five constraint types, their parameters checked as
//! the API reference documents them, one LAUNCH (or STACKSET) per product and
//! portfolio, never both, and idempotency tokens.

use serde_json::{Map, Value, json};

use super::launch::check_name;
use super::{check_id, constraint_detail};
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::JsonRequest;
use crate::sandbox::server::Ctx;
use crate::sandbox::world::identity::parse_role_arn;
use crate::sandbox::world::{Constraint, World};

const TYPES: [&str; 5] = [
    "LAUNCH",
    "NOTIFICATION",
    "RESOURCE_UPDATE",
    "STACKSET",
    "TEMPLATE",
];

fn response(c: &Constraint, status: &str) -> Value {
    json!({
        "ConstraintDetail": constraint_detail(c),
        "ConstraintParameters": c.parameters,
        "Status": status,
    })
}

fn invalid(ctype: &str, why: &str) -> ApiError {
    ApiError::invalid_parameters(format!("Invalid {ctype} constraint parameters: {why}"))
}

fn string_list(v: Option<&Value>) -> Option<Vec<&str>> {
    let list: Vec<&str> = v?
        .as_array()?
        .iter()
        .map(Value::as_str)
        .collect::<Option<_>>()?;
    (!list.is_empty()).then_some(list)
}

fn non_empty_str<'v>(o: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
    o.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// Checks the parameters of a constraint of type `ctype`, as CreateConstraint documents them.
pub fn check_parameters(ctype: &str, p: &Map<String, Value>) -> Result<(), ApiError> {
    match ctype {
        "LAUNCH" => match (p.get("RoleArn"), p.get("LocalRoleName")) {
            (Some(_), Some(_)) | (None, None) => Err(invalid(
                ctype,
                "specify either RoleArn or LocalRoleName, but not both",
            )),
            (Some(_), None) => match non_empty_str(p, "RoleArn") {
                Some(arn) if parse_role_arn(arn).is_some() => Ok(()),
                _ => Err(invalid(
                    ctype,
                    "RoleArn must be an IAM role ARN such as arn:aws:iam::123456789012:role/LaunchRole",
                )),
            },
            (None, Some(_)) => match non_empty_str(p, "LocalRoleName") {
                Some(name)
                    if parse_role_arn(&format!("arn:aws:iam::000000000000:role/{name}"))
                        .is_some() =>
                {
                    Ok(())
                }
                _ => Err(invalid(
                    ctype,
                    "LocalRoleName must be a role name such as SCBasicLaunchRole",
                )),
            },
        },
        "NOTIFICATION" => match string_list(p.get("NotificationArns")) {
            Some(arns) if arns.iter().all(|a| a.starts_with("arn:aws:sns:")) => Ok(()),
            _ => Err(invalid(
                ctype,
                "NotificationArns must be a list of SNS topic ARNs such as arn:aws:sns:us-east-1:123456789012:Topic",
            )),
        },
        "RESOURCE_UPDATE" => {
            if p.get("Version").and_then(Value::as_str) != Some("2.0") {
                return Err(invalid(ctype, "Version must be \"2.0\""));
            }
            let policy = p
                .get("Properties")
                .and_then(Value::as_object)
                .and_then(|o| o.get("TagUpdateOnProvisionedProduct"))
                .and_then(Value::as_str);
            match policy {
                Some("ALLOWED" | "NOT_ALLOWED") => Ok(()),
                _ => Err(invalid(
                    ctype,
                    "Properties.TagUpdateOnProvisionedProduct must be ALLOWED or NOT_ALLOWED",
                )),
            }
        }
        "STACKSET" => {
            let props = p
                .get("Properties")
                .and_then(Value::as_object)
                .ok_or_else(|| {
                    invalid(
                        ctype,
                        "Properties with AccountList, RegionList, AdminRole and ExecutionRole are required",
                    )
                })?;
            let accounts = string_list(props.get("AccountList"))
                .ok_or_else(|| invalid(ctype, "Properties.AccountList must list account ids"))?;
            if !accounts
                .iter()
                .all(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(invalid(
                    ctype,
                    "Properties.AccountList must hold 12-digit account ids",
                ));
            }
            string_list(props.get("RegionList"))
                .ok_or_else(|| invalid(ctype, "Properties.RegionList must list regions"))?;
            for key in ["AdminRole", "ExecutionRole"] {
                non_empty_str(props, key)
                    .ok_or_else(|| invalid(ctype, &format!("Properties.{key} is required")))?;
            }
            Ok(())
        }
        "TEMPLATE" => {
            let rules = p
                .get("Rules")
                .and_then(Value::as_object)
                .filter(|r| !r.is_empty())
                .ok_or_else(|| invalid(ctype, "Rules must hold at least one rule"))?;
            for (name, rule) in rules {
                let assertions = rule
                    .get("Assertions")
                    .and_then(Value::as_array)
                    .filter(|a| !a.is_empty())
                    .ok_or_else(|| {
                        invalid(ctype, &format!("rule {name} needs a list of Assertions"))
                    })?;
                if !assertions.iter().all(|a| a.get("Assert").is_some()) {
                    return Err(invalid(
                        ctype,
                        &format!("every assertion of rule {name} needs an Assert"),
                    ));
                }
            }
            Ok(())
        }
        other => Err(ApiError::invalid_parameters(format!(
            "Constraint type {other} is not valid; the types are {}.",
            TYPES.join(", ")
        ))),
    }
}

pub fn create(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let portfolio_id = req.required("PortfolioId")?.to_string();
    let product_id = req.required("ProductId")?.to_string();
    let parameters = req.required("Parameters")?.to_string();
    let ctype = req.required("Type")?.to_string();
    let token = req.required("IdempotencyToken")?.to_string();
    let description = req.str("Description")?.unwrap_or("").to_string();
    check_id("portfolioId", &portfolio_id)?;
    check_id("productId", &product_id)?;
    check_name("idempotencyToken", &token, false)?;
    if description.chars().count() > 2000 {
        return Err(ApiError::validation(
            "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 2000",
        ));
    }
    let token_key = (ctx.account.clone(), token);
    if let Some(c) = world
        .constraint_tokens
        .get(&token_key)
        .and_then(|id| world.constraints.get(id))
    {
        return Ok(response(c, "CREATING"));
    }
    let portfolio = world
        .portfolios
        .get(&portfolio_id)
        .filter(|p| p.owner == ctx.account && p.region == ctx.region)
        .ok_or_else(|| ApiError::not_found(format!("Portfolio {portfolio_id} not found.")))?;
    if !portfolio.products.contains(&product_id) {
        return Err(ApiError::not_found(format!(
            "Product {product_id} is not associated with portfolio {portfolio_id}."
        )));
    }
    let parsed: Map<String, Value> = match serde_json::from_str(&parameters) {
        Ok(Value::Object(m)) => m,
        _ => {
            return Err(ApiError::invalid_parameters(
                "Parameters must be a JSON object.",
            ));
        }
    };
    check_parameters(&ctype, &parsed)?;
    let existing = |t: &str| {
        world.constraints.values().any(|c| {
            c.portfolio_id == portfolio_id && c.product_id == product_id && c.constraint_type == t
        })
    };
    if (ctype == "LAUNCH" || ctype == "STACKSET") && existing(&ctype) {
        return Err(ApiError::duplicate(format!(
            "A {ctype} constraint already exists for product {product_id} in portfolio {portfolio_id}."
        )));
    }
    let other = match ctype.as_str() {
        "LAUNCH" => Some("STACKSET"),
        "STACKSET" => Some("LAUNCH"),
        _ => None,
    };
    if let Some(other) = other.filter(|o| existing(o)) {
        return Err(ApiError::invalid_parameters(format!(
            "Product {product_id} has a {other} constraint in portfolio {portfolio_id}: a product cannot have both a LAUNCH and a STACKSET constraint."
        )));
    }
    let id = world.ids.next("cons");
    let c = Constraint {
        id: id.clone(),
        owner: ctx.account.clone(),
        portfolio_id,
        product_id,
        constraint_type: ctype,
        description,
        parameters: Value::Object(parsed).to_string(),
    };
    let out = response(&c, "CREATING");
    world.constraints.insert(id.clone(), c);
    world.constraint_tokens.insert(token_key, id);
    Ok(out)
}

/// DeleteConstraint: a constraint of the caller's.
pub fn delete(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let id = req.required("Id")?.to_string();
    check_id("id", &id)?;
    if world
        .constraints
        .get(&id)
        .is_none_or(|c| c.owner != ctx.account)
    {
        // guess: the message text.
        return Err(ApiError::not_found(format!("Constraint {id} not found.")));
    }
    world.constraints.remove(&id);
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn launch_takes_exactly_one_role() {
        assert!(check_parameters("LAUNCH", &params(json!({"LocalRoleName": "SCLaunch"}))).is_ok());
        assert!(
            check_parameters(
                "LAUNCH",
                &params(json!({"RoleArn": "arn:aws:iam::123456789012:role/L"}))
            )
            .is_ok()
        );
        let both = json!({"LocalRoleName": "a", "RoleArn": "arn:aws:iam::123456789012:role/L"});
        let e = check_parameters("LAUNCH", &params(both)).unwrap_err();
        assert_eq!(e.code, "InvalidParametersException");
        assert!(e.message.contains("not both"), "{}", e.message);
        assert!(check_parameters("LAUNCH", &params(json!({}))).is_err());
        assert!(check_parameters("LAUNCH", &params(json!({"RoleArn": "role"}))).is_err());
    }

    #[test]
    fn each_type_checks_its_documented_shape() {
        assert!(
            check_parameters(
                "NOTIFICATION",
                &params(json!({"NotificationArns": ["arn:aws:sns:us-east-1:123456789012:T"]}))
            )
            .is_ok()
        );
        assert!(
            check_parameters("NOTIFICATION", &params(json!({"NotificationArns": []}))).is_err()
        );
        let ru = |v: &str, p: &str| {
            check_parameters(
                "RESOURCE_UPDATE",
                &params(json!({"Version": v, "Properties": {"TagUpdateOnProvisionedProduct": p}})),
            )
        };
        assert!(ru("2.0", "ALLOWED").is_ok() && ru("2.0", "NOT_ALLOWED").is_ok());
        assert!(ru("1.0", "ALLOWED").is_err() && ru("2.0", "MAYBE").is_err());
        let stackset = json!({"Version": "String", "Properties": {
            "AccountList": ["123456789012"], "RegionList": ["us-east-1"],
            "AdminRole": "arn:aws:iam::123456789012:role/Admin", "ExecutionRole": "Exec"}});
        assert!(check_parameters("STACKSET", &params(stackset)).is_ok());
        assert!(
            check_parameters(
                "STACKSET",
                &params(json!({"Properties": {"AccountList": ["1"]}}))
            )
            .is_err()
        );
        let rules =
            json!({"Rules": {"R": {"Assertions": [{"Assert": {"Fn::Equals": ["a", "a"]}}]}}});
        assert!(check_parameters("TEMPLATE", &params(rules)).is_ok());
        assert!(check_parameters("TEMPLATE", &params(json!({"Rules": {}}))).is_err());
        assert!(check_parameters("QUOTA", &params(json!({}))).is_err());
    }
}
