//! Launch paths, provisioning parameters, and the two mutating calls that
//! start a deployment: ProvisionProduct and UpdateProvisionedProduct.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{launch_paths, visible_product};
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::JsonRequest;
use crate::sandbox::protocol::paging;
use crate::sandbox::server::Ctx;
use crate::sandbox::world::provisioning::{Change, Launch};
use crate::sandbox::world::{Parameter, Portfolio, Product, Version, World, launch_path_id};

fn constraint_summaries(world: &World, portfolio_id: &str, product_id: &str) -> Vec<Value> {
    world
        .constraints
        .values()
        .filter(|c| c.portfolio_id == portfolio_id && c.product_id == product_id)
        .map(|c| json!({"Type": c.constraint_type, "Description": (!c.description.is_empty()).then_some(&c.description)}))
        .collect()
}

pub fn list_launch_paths(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let product_id = req.required("ProductId")?;
    visible_product(world, ctx, product_id)?;
    let paths: Vec<Value> = launch_paths(world, ctx, product_id)
        .into_iter()
        .map(|p| {
            json!({
                "Id": launch_path_id(&p.id), "Name": p.name,
                "ConstraintSummaries": constraint_summaries(world, &p.id, product_id), "Tags": [],
            })
        })
        .collect();
    let size = paging::page_size(req.int("PageSize")?, 20, 20, "pageSize")?;
    let scope = format!("ListLaunchPaths/{}/{product_id}", ctx.account);
    let offset = paging::offset(&scope, req.str("PageToken")?, super::invalid_token)?;
    let (page, next) = paging::page(&scope, &paths, offset, size);
    Ok(json!({ "LaunchPathSummaries": page, "NextPageToken": next }))
}

/// The product, version and launch path a request names, by id or by name.
pub(super) struct Target<'w> {
    pub product: &'w Product,
    pub version: &'w Version,
    pub path: &'w Portfolio,
}

pub(super) fn resolve<'w>(
    world: &'w World,
    ctx: &Ctx,
    req: &JsonRequest,
    default_product: Option<&str>,
    default_version: Option<&str>,
    default_path: Option<&str>,
) -> Result<Target<'w>, ApiError> {
    let product = match (
        req.str("ProductId")?,
        req.str("ProductName")?,
        default_product,
    ) {
        (Some(id), _, _) => visible_product(world, ctx, id)?,
        (None, Some(name), _) => {
            let ids = world.visible_product_ids(&ctx.account, &ctx.region);
            world
                .products
                .values()
                .find(|p| p.name == name && ids.contains(&p.id))
                .ok_or_else(|| ApiError::not_found(format!("Product {name} not found.")))?
        }
        (None, None, Some(id)) => visible_product(world, ctx, id)?,
        (None, None, None) => {
            return Err(ApiError::invalid_parameters(
                "Either ProductId or ProductName must be specified.",
            ));
        }
    };
    let version = match (
        req.str("ProvisioningArtifactId")?,
        req.str("ProvisioningArtifactName")?,
        default_version,
    ) {
        (Some(id), _, _) | (None, None, Some(id)) => product.version(id).ok_or_else(|| {
            ApiError::not_found(format!(
                "Provisioning artifact {id} not found for product {}.",
                product.id
            ))
        })?,
        (None, Some(name), _) => product
            .versions
            .iter()
            .find(|v| v.name == name)
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "Provisioning artifact {name} not found for product {}.",
                    product.id
                ))
            })?,
        (None, None, None) => {
            return Err(ApiError::invalid_parameters(
                "Either ProvisioningArtifactId or ProvisioningArtifactName must be specified.",
            ));
        }
    };
    let paths = launch_paths(world, ctx, &product.id);
    let path = match (req.str("PathId")?, req.str("PathName")?) {
        (Some(id), _) => paths
            .iter()
            .find(|p| launch_path_id(&p.id) == id)
            .copied()
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "Launch path {id} not found for product {}.",
                    product.id
                ))
            })?,
        (None, Some(name)) => paths
            .iter()
            .find(|p| p.name == name)
            .copied()
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "Launch path {name} not found for product {}.",
                    product.id
                ))
            })?,
        (None, None) => match (
            default_path.and_then(|d| paths.iter().find(|p| launch_path_id(&p.id) == d)),
            paths.as_slice(),
        ) {
            (Some(p), _) => p,
            (None, [only]) => only,
            (None, []) => {
                return Err(ApiError::not_found(format!(
                    "No launch path found for product {}.",
                    product.id
                )));
            }
            (None, _) => {
                return Err(ApiError::invalid_parameters(format!(
                    "Product {} has more than one launch path; specify PathId or PathName (see ListLaunchPaths).",
                    product.id
                )));
            }
        },
    };
    Ok(Target {
        product,
        version,
        path,
    })
}

/// Allowed values narrowed by the TEMPLATE constraints on (portfolio, product):
/// assertions of the form `Fn::Contains: [[values…], {Ref: Param}]`.
fn template_rules(
    world: &World,
    portfolio_id: &str,
    product_id: &str,
) -> BTreeMap<String, (Vec<String>, String)> {
    let mut out = BTreeMap::new();
    let rules = world
        .constraints
        .values()
        .filter(|c| {
            c.portfolio_id == portfolio_id
                && c.product_id == product_id
                && c.constraint_type == "TEMPLATE"
        })
        .filter_map(|c| serde_json::from_str::<Value>(&c.parameters).ok());
    for doc in rules {
        let Some(rules) = doc.get("Rules").and_then(Value::as_object) else {
            continue;
        };
        for rule in rules.values() {
            for a in rule
                .get("Assertions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(args) = a
                    .get("Assert")
                    .and_then(|x| x.get("Fn::Contains"))
                    .and_then(Value::as_array)
                else {
                    continue;
                };
                let (Some(values), Some(param)) = (
                    args.first().and_then(Value::as_array),
                    args.get(1)
                        .and_then(|r| r.get("Ref"))
                        .and_then(Value::as_str),
                ) else {
                    continue;
                };
                let values: Vec<String> = values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect();
                let why = a
                    .get("AssertDescription")
                    .and_then(Value::as_str)
                    .unwrap_or("template constraint")
                    .to_string();
                out.insert(param.to_string(), (values, why));
            }
        }
    }
    out
}

fn allowed_values(p: &Parameter, rules: &BTreeMap<String, (Vec<String>, String)>) -> Vec<String> {
    match rules.get(&p.key) {
        Some((narrowed, _)) if p.allowed_values.is_empty() => narrowed.clone(),
        Some((narrowed, _)) => p
            .allowed_values
            .iter()
            .filter(|v| narrowed.contains(v))
            .cloned()
            .collect(),
        None => p.allowed_values.clone(),
    }
}

pub fn describe_parameters(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let t = resolve(world, ctx, req, None, None, None)?;
    let rules = template_rules(world, &t.path.id, &t.product.id);
    let params: Vec<Value> = t
        .version
        .template
        .parameters
        .iter()
        .map(|p| {
            json!({
                "ParameterKey": p.key, "DefaultValue": p.default, "ParameterType": p.parameter_type,
                "IsNoEcho": p.no_echo, "Description": p.description,
                "ParameterConstraints": {
                    "AllowedValues": allowed_values(p, &rules),
                    "AllowedPattern": p.allowed_pattern,
                    "ConstraintDescription": p.constraint_description,
                },
            })
        })
        .collect();
    let mut usage = vec![json!({"Type": "version", "Value": "2010-09-09"})];
    if let Some(role) = world.launch_role(&ctx.account, &launch_path_id(&t.path.id), &t.product.id)
    {
        usage.push(json!({"Type": "launchAsRole", "Value": role}));
    }
    let tag_options: BTreeMap<String, Vec<String>> = t
        .product
        .tag_options
        .iter()
        .chain(t.path.tag_options.iter())
        .filter_map(|id| world.tag_options.get(id))
        .filter(|o| o.active)
        .fold(BTreeMap::new(), |mut m, o| {
            m.entry(o.key.clone()).or_default().push(o.value.clone());
            m
        });
    let outputs: Vec<Value> = t
        .version
        .template
        .outputs
        .iter()
        .map(|o| json!({"Key": o.key, "Description": o.description}))
        .collect();
    Ok(json!({
        "ProvisioningArtifactParameters": params,
        "ConstraintSummaries": constraint_summaries(world, &t.path.id, &t.product.id),
        "UsageInstructions": usage,
        "TagOptions": tag_options.into_iter().map(|(k, v)| json!({"Key": k, "Values": v})).collect::<Vec<_>>(),
        "ProvisioningArtifactOutputs": outputs,
        "ProvisioningArtifactOutputKeys": outputs,
    }))
}

fn pattern_error(member: &str, value: &str, pattern: &str) -> ApiError {
    ApiError::validation(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
    ))
}

/// `[a-zA-Z0-9][a-zA-Z0-9._-]*` (names) or `[a-zA-Z0-9][a-zA-Z0-9_-]*` (tokens), 1 to 128 characters.
pub(super) fn check_name(member: &str, value: &str, allow_dot: bool) -> Result<(), ApiError> {
    let pattern = if allow_dot {
        "[a-zA-Z0-9][a-zA-Z0-9._-]*"
    } else {
        "[a-zA-Z0-9][a-zA-Z0-9_-]*"
    };
    let mut chars = value.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok =
        chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || (allow_dot && c == '.'));
    if !first_ok || !rest_ok {
        return Err(pattern_error(member, value, pattern));
    }
    if value.len() > 128 {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to 128"
        )));
    }
    Ok(())
}

/// Requested parameters: key → Some(value), or None for UsePreviousValue.
pub(super) fn requested(req: &JsonRequest) -> Result<Vec<(String, Option<String>)>, ApiError> {
    req.list("ProvisioningParameters")?
        .iter()
        .map(|p| {
            let key = p.get("Key").and_then(Value::as_str).ok_or_else(|| {
                ApiError::invalid_parameters("A provisioning parameter has no Key.")
            })?;
            if p.get("UsePreviousValue").and_then(Value::as_bool) == Some(true) {
                Ok((key.to_string(), None))
            } else {
                Ok((
                    key.to_string(),
                    Some(
                        p.get("Value")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                    ),
                ))
            }
        })
        .collect()
}

/// The values a deployment gets, checked the way CloudFormation checks them.
pub(super) fn settle_parameters(
    world: &World,
    t: &Target<'_>,
    asked: &[(String, Option<String>)],
    previous: Option<&BTreeMap<String, String>>,
) -> Result<BTreeMap<String, String>, ApiError> {
    let template = &t.version.template.parameters;
    let unknown: Vec<&str> = asked
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !template.iter().any(|p| p.key == *k))
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::invalid_parameters(format!(
            "Parameters: [{}] do not exist in the template",
            unknown.join(", ")
        )));
    }
    let rules = template_rules(world, &t.path.id, &t.product.id);
    let mut values = BTreeMap::new();
    let mut missing = Vec::new();
    for p in template {
        let given = asked.iter().find(|(k, _)| *k == p.key).map(|(_, v)| v);
        let value = match given {
            Some(Some(v)) => Some(v.clone()),
            Some(None) => match previous.and_then(|prev| prev.get(&p.key)) {
                Some(v) => Some(v.clone()),
                None => {
                    return Err(ApiError::invalid_parameters(format!(
                        "UsePreviousValue was set for parameter {} but it has no previous value",
                        p.key
                    )));
                }
            },
            None => p.default.clone(),
        };
        let Some(value) = value else {
            missing.push(p.key.clone());
            continue;
        };
        let allowed = allowed_values(p, &rules);
        if !allowed.is_empty() && !allowed.contains(&value) {
            return Err(match rules.get(&p.key) {
                Some((narrowed, why)) if !narrowed.contains(&value) => {
                    ApiError::invalid_parameters(format!(
                        "Template constraint failed for parameter {}: {why}",
                        p.key
                    ))
                }
                _ => ApiError::invalid_parameters(format!(
                    "Parameter '{}' must be one of AllowedValues",
                    p.key
                )),
            });
        }
        values.insert(p.key.clone(), value);
    }
    if !missing.is_empty() {
        return Err(ApiError::invalid_parameters(format!(
            "Parameters: [{}] must have values",
            missing.join(", ")
        )));
    }
    Ok(values)
}

pub(super) fn record_response(world: &World, record_id: &str) -> Result<Value, ApiError> {
    let r = world
        .records
        .get(record_id)
        .ok_or_else(|| ApiError::not_found("Record not found."))?;
    Ok(json!({ "RecordDetail": super::record_detail(r) }))
}

pub(super) fn request_tags(req: &JsonRequest) -> Result<Vec<(String, String)>, ApiError> {
    Ok(req
        .list("Tags")?
        .iter()
        .filter_map(|t| {
            Some((
                t.get("Key")?.as_str()?.to_string(),
                t.get("Value")?.as_str()?.to_string(),
            ))
        })
        .collect())
}

pub fn provision(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let name = req.required("ProvisionedProductName")?.to_string();
    check_name("provisionedProductName", &name, true)?;
    let token = req.required("ProvisionToken")?.to_string();
    check_name("provisionToken", &token, false)?;
    // The same token again: the first request's record, nothing launched.
    // guess: AWS documents no error for a token sent again with other
    // parameters, so the first record is returned whatever they are.
    if let Some(r) = world.replayed(&ctx.account, &token) {
        let id = r.id.clone();
        return record_response(world, &id);
    }
    let t = resolve(world, ctx, req, None, None, None)?;
    if !t.version.active {
        return Err(ApiError::invalid_parameters(format!(
            "Provisioning artifact {} is not active and cannot be launched.",
            t.version.id
        )));
    }
    // AWS: users can update a product on a deprecated version, but not launch new ones from it.
    if t.version.guidance == "DEPRECATED" {
        return Err(ApiError::invalid_parameters(format!(
            "Provisioning artifact {} is deprecated and cannot be used to launch a new provisioned product.",
            t.version.id
        )));
    }
    let parameters = settle_parameters(world, &t, &requested(req)?, None)?;
    let launch = Launch {
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        product_id: t.product.id.clone(),
        artifact_id: t.version.id.clone(),
        path_id: launch_path_id(&t.path.id),
        name,
        parameters,
        tags: request_tags(req)?,
        token,
        user_arn: ctx.caller_arn.clone(),
        at: ctx.now,
    };
    let record = world.provision(launch)?;
    record_response(world, &record)
}

pub fn update(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let token = req.required("UpdateToken")?.to_string();
    check_name("updateToken", &token, false)?;
    if let Some(r) = world.replayed(&ctx.account, &token) {
        let id = r.id.clone();
        return record_response(world, &id);
    }
    let mine = |p: &&crate::sandbox::world::ProvisionedProduct| {
        p.account == ctx.account && p.region == ctx.region
    };
    let pp = match (
        req.str("ProvisionedProductId")?,
        req.str("ProvisionedProductName")?,
    ) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid_parameters(
                "Specify ProvisionedProductId or ProvisionedProductName, not both.",
            ));
        }
        (Some(id), None) => world.provisioned.get(id).filter(mine),
        (None, Some(name)) => world
            .provisioned
            .values()
            .filter(mine)
            .find(|p| p.name == name || p.arn() == name),
        (None, None) => {
            return Err(ApiError::invalid_parameters(
                "Either ProvisionedProductId or ProvisionedProductName must be specified.",
            ));
        }
    }
    .ok_or_else(|| ApiError::not_found("Provisioned product not found."))?
    .clone();
    // Another product (AWS allows it): its version must be named, and the
    // launch path must be one of the new product's.
    let other_product = match (req.str("ProductId")?, req.str("ProductName")?) {
        (Some(id), _) => id != pp.product_id,
        (None, Some(name)) => world
            .products
            .get(&pp.product_id)
            .is_none_or(|p| p.name != name),
        (None, None) => false,
    };
    if other_product
        && req.str("ProvisioningArtifactId")?.is_none()
        && req.str("ProvisioningArtifactName")?.is_none()
    {
        // guess: the message text.
        return Err(ApiError::invalid_parameters(
            "ProvisioningArtifactId or ProvisioningArtifactName must be specified when changing the product of a provisioned product.",
        ));
    }
    let (same_version, same_path) = if other_product {
        (None, None)
    } else {
        (Some(pp.artifact_id.as_str()), Some(pp.path_id.as_str()))
    };
    let t = resolve(
        world,
        ctx,
        req,
        Some(&pp.product_id),
        same_version,
        same_path,
    )?;
    if !t.version.active {
        return Err(ApiError::invalid_parameters(format!(
            "Provisioning artifact {} is not active.",
            t.version.id
        )));
    }
    let parameters = settle_parameters(world, &t, &requested(req)?, Some(&pp.parameters))?;
    let change = Change {
        pp_id: pp.id.clone(),
        product_id: other_product.then(|| t.product.id.clone()),
        artifact_id: t.version.id.clone(),
        path_id: launch_path_id(&t.path.id),
        parameters,
        token,
        at: ctx.now,
    };
    let record = world.update_provisioned(change)?;
    record_response(world, &record)
}
