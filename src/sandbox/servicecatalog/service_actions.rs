//! Self-service actions: ListServiceActions,
//! ListServiceActionsForProvisioningArtifact, DescribeServiceAction,
//! DescribeServiceActionExecutionParameters,
//! ExecuteProvisionedProductServiceAction and
//! (Dis)AssociateServiceActionWith(From)ProvisioningArtifact. An account
//! sees its own actions and those associated with products it reaches (a
//! spoke sees the hub's actions on the products it imported).

use serde_json::{Map, Value, json};

use super::launch::{check_name, record_response};
use super::provisioned::find;
use super::{check_id, paged, visible_product};
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::JsonRequest;
use crate::sandbox::server::Ctx;
use crate::sandbox::world::World;
use crate::sandbox::world::service_actions::{Execution, ServiceAction};

fn summary(a: &ServiceAction) -> Value {
    json!({
        "Id": a.id, "Name": a.name,
        "Description": (!a.description.is_empty()).then_some(&a.description),
        "DefinitionType": "SSM_AUTOMATION",
    })
}

/// An action the caller may see, or ResourceNotFoundException.
fn visible_action<'w>(
    world: &'w World,
    ctx: &Ctx,
    id: &str,
) -> Result<&'w ServiceAction, ApiError> {
    let not_found = || ApiError::not_found(format!("Service action {id} not found."));
    let a = world.service_actions.get(id).ok_or_else(not_found)?;
    if a.region != ctx.region {
        return Err(not_found());
    }
    if a.owner == ctx.account {
        return Ok(a);
    }
    let reached = world.visible_product_ids(&ctx.account, &ctx.region);
    if a.associations.iter().any(|(p, _)| reached.contains(p)) {
        Ok(a)
    } else {
        Err(not_found())
    }
}

pub fn list(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let mine: Vec<Value> = world
        .service_actions
        .values()
        .filter(|a| a.owner == ctx.account && a.region == ctx.region)
        .map(summary)
        .collect();
    let (page, next) = paged("ListServiceActions", ctx, req, &mine, 20)?;
    Ok(json!({ "ServiceActionSummaries": page, "NextPageToken": next }))
}

pub fn list_for_artifact(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let product_id = req.required("ProductId")?;
    check_id("productId", product_id)?;
    let artifact_id = req.required("ProvisioningArtifactId")?;
    check_id("provisioningArtifactId", artifact_id)?;
    let product = visible_product(world, ctx, product_id)?;
    product.version(artifact_id).ok_or_else(|| {
        ApiError::not_found(format!(
            "Provisioning artifact {artifact_id} not found for product {product_id}."
        ))
    })?;
    let list: Vec<Value> = world
        .service_actions
        .values()
        .filter(|a| a.is_associated(product_id, artifact_id))
        .map(summary)
        .collect();
    let (page, next) = paged(
        &format!("ListServiceActionsForProvisioningArtifact/{product_id}/{artifact_id}"),
        ctx,
        req,
        &list,
        20,
    )?;
    Ok(json!({ "ServiceActionSummaries": page, "NextPageToken": next }))
}

pub fn describe(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let id = req.required("Id")?;
    let a = visible_action(world, ctx, id)?;
    let definition: Map<String, Value> = a
        .definition()
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v)))
        .collect();
    Ok(json!({
        "ServiceActionDetail": { "ServiceActionSummary": summary(a), "Definition": definition }
    }))
}

pub fn execution_parameters(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let pp_id = req.required("ProvisionedProductId")?;
    let pp = find(world, ctx, Some(pp_id), None)?;
    let a = visible_action(world, ctx, req.required("ServiceActionId")?)?;
    let params: Vec<Value> = a
        .parameters
        .iter()
        .map(|(name, kind)| {
            let defaults = if kind == "TARGET" {
                world.target_values(a, &pp.id)
            } else {
                Vec::new()
            };
            json!({"Name": name, "Type": kind, "DefaultValues": defaults})
        })
        .collect();
    Ok(json!({ "ServiceActionParameters": params }))
}

pub fn execute(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let token = req.required("ExecuteToken")?.to_string();
    check_name("executeToken", &token, false)?;
    let pp_id = find(
        world,
        ctx,
        Some(req.required("ProvisionedProductId")?),
        None,
    )?
    .id
    .clone();
    let action = visible_action(world, ctx, req.required("ServiceActionId")?)?;
    if let Some(given) = req.object("Parameters")? {
        if let Some(unknown) = given
            .keys()
            .find(|k| !action.parameters.iter().any(|(n, _)| n == *k))
        {
            // guess: the message text.
            return Err(ApiError::invalid_parameters(format!(
                "Parameter {unknown} is not a parameter of service action {}.",
                action.id
            )));
        }
        if let Some((k, _)) = given
            .iter()
            .find(|(_, v)| !v.as_array().is_some_and(|l| l.iter().all(Value::is_string)))
        {
            return Err(ApiError::invalid_parameters(format!(
                "The values of parameter {k} must be a list of strings."
            )));
        }
        // ExecutionParameterValue: 0 to 512 characters.
        if let Some((k, _)) = given.iter().find(|(_, v)| {
            v.as_array().is_some_and(|l| {
                l.iter()
                    .any(|s| s.as_str().is_some_and(|s| s.chars().count() > 512))
            })
        }) {
            // guess: the message text (the code is the model's constraint).
            return Err(ApiError::validation(format!(
                "1 validation error detected: Value at 'parameters' failed to satisfy constraint: the values of {k} must have length less than or equal to 512"
            )));
        }
    }
    let action_id = action.id.clone();
    let record = world.execute_action(Execution {
        pp_id,
        action_id,
        token,
        at: ctx.now,
    })?;
    record_response(world, &record)
}

/// The action, product and version an association names; the caller must own
/// the action and the product.
fn association<'w>(
    world: &'w mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<(&'w mut ServiceAction, String, String), ApiError> {
    let action_id = req.required("ServiceActionId")?.to_string();
    let product_id = req.required("ProductId")?.to_string();
    let artifact_id = req.required("ProvisioningArtifactId")?.to_string();
    for (member, v) in [
        ("serviceActionId", &action_id),
        ("productId", &product_id),
        ("provisioningArtifactId", &artifact_id),
    ] {
        check_id(member, v)?;
    }
    let product = world
        .products
        .get(&product_id)
        .filter(|p| p.owner_account == ctx.account && p.region == ctx.region)
        .ok_or_else(|| ApiError::not_found(format!("Product {product_id} not found.")))?;
    product.version(&artifact_id).ok_or_else(|| {
        ApiError::not_found(format!(
            "Provisioning artifact {artifact_id} not found for product {product_id}."
        ))
    })?;
    let action = world
        .service_actions
        .get_mut(&action_id)
        .filter(|a| a.owner == ctx.account && a.region == ctx.region)
        .ok_or_else(|| ApiError::not_found(format!("Service action {action_id} not found.")))?;
    Ok((action, product_id, artifact_id))
}

pub fn associate(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let (action, product, artifact) = association(world, ctx, req)?;
    if action.is_associated(&product, &artifact) {
        return Err(ApiError::duplicate(format!(
            "Service action {} is already associated with provisioning artifact {artifact}.",
            action.id
        )));
    }
    action.associations.push((product, artifact));
    Ok(json!({}))
}

pub fn disassociate(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let (action, product, artifact) = association(world, ctx, req)?;
    if !action.is_associated(&product, &artifact) {
        // guess: the message text.
        return Err(ApiError::not_found(format!(
            "Service action {} is not associated with provisioning artifact {artifact}.",
            action.id
        )));
    }
    action
        .associations
        .retain(|(p, v)| !(*p == product && *v == artifact));
    Ok(json!({}))
}
