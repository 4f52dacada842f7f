//! Provisioned product plans over the wire: Create, Describe, List, Delete and
//! Execute ProvisionedProductPlan. The rules live in `world::plans`.

use serde_json::{Value, json};

use super::launch::{
    check_name, record_response, request_tags, requested, resolve, settle_parameters,
};
use super::provisioned::{access_level, role_of};
use super::{check_id, paged, tags};
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::{JsonRequest, timestamp};
use crate::sandbox::server::Ctx;
use crate::sandbox::world::plans::{Plan, PlanRequest, ResourceChange};
use crate::sandbox::world::{PpStatus, World, launch_path_id};

/// PageSize of DescribeProvisionedProductPlan and ListProvisionedProductPlans.
const PAGE_MAX: usize = 20;

fn change_json(c: &ResourceChange) -> Value {
    let modify = c.action == "MODIFY";
    let details: Vec<Value> = c
        .properties
        .iter()
        .map(|p| {
            json!({
                "Target": {
                    "Attribute": "PROPERTIES", "Name": p,
                    "RequiresRecreation": c.replacement.map(|r| r.recreation()),
                },
                "Evaluation": "STATIC",
            })
        })
        .collect();
    json!({
        "Action": c.action,
        "LogicalResourceId": c.logical_id,
        "PhysicalResourceId": c.physical_id,
        "ResourceType": c.resource_type,
        "Replacement": c.replacement.map(|r| r.wire()),
        "Scope": if modify { vec!["PROPERTIES"] } else { Vec::new() },
        "Details": details,
    })
}

fn summary(p: &Plan) -> Value {
    json!({
        "PlanName": p.name, "PlanId": p.id, "ProvisionProductId": p.pp_id,
        "ProvisionProductName": p.pp_name, "PlanType": "CLOUDFORMATION",
        "ProvisioningArtifactId": p.artifact_id,
    })
}

fn details(world: &World, ctx: &Ctx, p: &Plan) -> Value {
    let status = p.status(world, ctx.now);
    let parameters: Vec<Value> = p
        .requested
        .iter()
        .map(|(k, v)| match v {
            Some(v) => json!({"Key": k, "Value": v}),
            None => json!({"Key": k, "UsePreviousValue": true}),
        })
        .collect();
    json!({
        "CreatedTime": timestamp(p.created), "PathId": p.path_id, "ProductId": p.product_id,
        "PlanName": p.name, "PlanId": p.id, "ProvisionProductId": p.pp_id,
        "ProvisionProductName": p.pp_name, "PlanType": "CLOUDFORMATION",
        "ProvisioningArtifactId": p.artifact_id, "Status": status.status,
        "UpdatedTime": timestamp(status.updated), "NotificationArns": p.notification_arns,
        "ProvisioningParameters": parameters, "Tags": tags(&p.tags),
        "StatusMessage": status.message,
    })
}

fn notification_arns(req: &JsonRequest) -> Result<Vec<String>, ApiError> {
    let list = req.list("NotificationArns")?;
    if list.len() > 5 {
        return Err(ApiError::validation(
            "1 validation error detected: Value at 'notificationArns' failed to satisfy constraint: Member must have length less than or equal to 5",
        ));
    }
    list.iter()
        .map(|v| {
            v.as_str()
                .filter(|a| a.starts_with("arn:") && a.len() <= 1224)
                .map(str::to_string)
                .ok_or_else(|| {
                    ApiError::validation(format!(
                        "1 validation error detected: Value '{v}' at 'notificationArns' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[a-z0-9-\\.]{{1,63}}:[a-z0-9-\\.]{{0,63}}:[a-z0-9-\\.]{{0,63}}:[a-z0-9-\\.]{{0,63}}:[^/].{{0,1023}}"
                    ))
                })
        })
        .collect()
}

/// Whether a RESOURCE_UPDATE constraint of the path allows tag updates.
fn tag_updates_allowed(world: &World, portfolio_id: &str, product_id: &str) -> bool {
    world.constraints.values().any(|c| {
        c.portfolio_id == portfolio_id
            && c.product_id == product_id
            && c.constraint_type == "RESOURCE_UPDATE"
            && serde_json::from_str::<Value>(&c.parameters).is_ok_and(|v| {
                v.pointer("/Properties/TagUpdateOnProvisionedProduct")
                    .and_then(Value::as_str)
                    == Some("ALLOWED")
            })
    })
}

fn created(p: &Plan) -> Value {
    json!({
        "PlanName": p.name, "PlanId": p.id, "ProvisionProductId": p.pp_id,
        "ProvisionedProductName": p.pp_name, "ProvisioningArtifactId": p.artifact_id,
    })
}

pub fn create(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let name = req.required("PlanName")?.to_string();
    req.required("PlanType")?;
    req.enum_value("PlanType", &["CLOUDFORMATION"])?;
    check_id("productId", req.required("ProductId")?)?;
    check_id(
        "provisioningArtifactId",
        req.required("ProvisioningArtifactId")?,
    )?;
    let pp_name = req.required("ProvisionedProductName")?.to_string();
    check_name("provisionedProductName", &pp_name, true)?;
    let token = req.required("IdempotencyToken")?.to_string();
    check_name("idempotencyToken", &token, false)?;
    let notification_arns = notification_arns(req)?;
    let request_tags = request_tags(req)?;
    if request_tags.len() > 50 {
        return Err(ApiError::validation(
            "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
        ));
    }
    if let Some(p) = world
        .plan_tokens
        .get(&(ctx.account.clone(), token.clone()))
        .and_then(|id| world.plans.get(id))
    {
        return Ok(created(p));
    }
    let existing = world
        .provisioned
        .values()
        .find(|p| p.account == ctx.account && p.region == ctx.region && p.name == pp_name)
        .cloned();
    if let Some(pp) = existing
        .as_ref()
        .filter(|p| !matches!(p.status, PpStatus::Available | PpStatus::Tainted))
    {
        return Err(ApiError::invalid_state(format!(
            "Provisioned product {} is in {} state; a plan needs it AVAILABLE or TAINTED.",
            pp.name,
            pp.status.wire()
        )));
    }
    let t = resolve(
        world,
        ctx,
        req,
        None,
        None,
        existing.as_ref().map(|p| p.path_id.as_str()),
    )?;
    if !t.version.active {
        return Err(ApiError::invalid_parameters(format!(
            "Provisioning artifact {} is not active.",
            t.version.id
        )));
    }
    if existing.is_none() && t.version.guidance == "DEPRECATED" {
        return Err(ApiError::invalid_parameters(format!(
            "Provisioning artifact {} is deprecated and cannot be used to launch a new provisioned product.",
            t.version.id
        )));
    }
    let asked = requested(req)?;
    let parameters =
        settle_parameters(world, &t, &asked, existing.as_ref().map(|p| &p.parameters))?;
    if let Some(pp) = &existing {
        let mut current = pp.tags.clone();
        let mut wanted = request_tags.clone();
        current.sort();
        wanted.sort();
        if !wanted.is_empty()
            && wanted != current
            && !tag_updates_allowed(world, &t.path.id, &t.product.id)
        {
            return Err(ApiError::invalid_parameters(format!(
                "Tags of provisioned product {} cannot be updated: product {} needs a RESOURCE_UPDATE constraint with TagUpdateOnProvisionedProduct ALLOWED.",
                pp.name, t.product.id
            )));
        }
    }
    let plan = PlanRequest {
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        name,
        pp_name,
        product_id: t.product.id.clone(),
        artifact_id: t.version.id.clone(),
        path_id: launch_path_id(&t.path.id),
        requested: asked,
        parameters,
        notification_arns,
        tags: request_tags,
        token,
        user_arn: ctx.caller_arn.clone(),
        at: ctx.now,
    };
    let id = world.create_plan(plan)?;
    world
        .plans
        .get(&id)
        .map(created)
        .ok_or_else(|| ApiError::not_found(format!("Plan {id} not found.")))
}

pub fn describe(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let id = req.required("PlanId")?;
    check_id("planId", id)?;
    let plan = world.plan_of(&ctx.account, &ctx.region, id)?;
    let changes: Vec<Value> = plan.changes.iter().map(change_json).collect();
    let (page, next) = paged(
        &format!("DescribeProvisionedProductPlan/{id}"),
        ctx,
        req,
        &changes,
        PAGE_MAX,
    )?;
    Ok(json!({
        "ProvisionedProductPlanDetails": details(world, ctx, plan),
        "ResourceChanges": page,
        "NextPageToken": next,
    }))
}

pub fn list(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let level = access_level(req)?;
    let pp_id = req.str("ProvisionProductId")?;
    if let Some(id) = pp_id {
        check_id("provisionProductId", id)?;
        world
            .provisioned
            .get(id)
            .filter(|p| p.account == ctx.account && p.region == ctx.region)
            .ok_or_else(|| ApiError::not_found(format!("Provisioned product {id} not found.")))?;
    }
    let mut list: Vec<&Plan> = world
        .plans
        .values()
        .filter(|p| p.account == ctx.account && p.region == ctx.region)
        .filter(|p| pp_id.is_none_or(|id| p.pp_id == id))
        .filter(|p| match level {
            "Account" => true,
            "Role" => role_of(&p.user_arn) == role_of(&ctx.caller_arn),
            _ => p.user_arn == ctx.caller_arn,
        })
        .collect();
    list.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
    let items: Vec<Value> = list.into_iter().map(summary).collect();
    let scope = format!(
        "ListProvisionedProductPlans/{level}/{}",
        pp_id.unwrap_or("")
    );
    let (page, next) = paged(&scope, ctx, req, &items, PAGE_MAX)?;
    Ok(json!({ "ProvisionedProductPlans": page, "NextPageToken": next }))
}

pub fn delete(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let id = req.required("PlanId")?.to_string();
    check_id("planId", &id)?;
    req.bool("IgnoreErrors")?;
    world.plan_of(&ctx.account, &ctx.region, &id)?;
    world.delete_plan(&id)?;
    Ok(json!({}))
}

pub fn execute(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let id = req.required("PlanId")?.to_string();
    check_id("planId", &id)?;
    let token = req.required("IdempotencyToken")?.to_string();
    check_name("idempotencyToken", &token, false)?;
    world.plan_of(&ctx.account, &ctx.region, &id)?;
    let record = world.execute_plan(&id, &token, ctx.now)?;
    record_response(world, &record)
}
