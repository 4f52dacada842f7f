//! Provisioned products, their records and outputs.

use serde_json::{Value, json};

use super::{paged, pp_attribute, pp_detail, record_detail};
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::JsonRequest;
use crate::sandbox::server::Ctx;
use crate::sandbox::world::{ProvisionedProduct, World};

/// Account, Role or User (the default): whose provisioned products the caller sees.
pub(super) fn access_level(req: &JsonRequest) -> Result<&str, ApiError> {
    let Some(f) = req.object("AccessLevelFilter")? else {
        return Ok("User");
    };
    match f.get("Key").and_then(Value::as_str) {
        Some(k @ ("Account" | "Role" | "User")) => Ok(k),
        None => Ok("User"),
        Some(other) => Err(ApiError::validation(format!(
            "1 validation error detected: Value '{other}' at 'accessLevelFilter.key' failed to satisfy constraint: Member must satisfy enum value set: [Account, Role, User]"
        ))),
    }
}

pub(super) fn role_of(arn: &str) -> &str {
    // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION → ROLE
    arn.split_once(":assumed-role/")
        .and_then(|(_, r)| r.split('/').next())
        .unwrap_or(arn)
}

/// The provisioned products the caller may see at `level`; call
/// `World::index_provisioned` first, or it scans them all.
fn accessible<'w>(world: &'w World, ctx: &Ctx, level: &str) -> Vec<&'w ProvisionedProduct> {
    let me = &ctx.caller_arn;
    world
        .provisioned_in(&ctx.account, &ctx.region)
        .into_iter()
        .filter(|p| match level {
            "Account" => true,
            "Role" => role_of(&p.user_arn) == role_of(me),
            _ => p.user_arn == *me,
        })
        .collect()
}

/// One term of a SearchQuery: `field:value` or free text matched against the name.
fn matches(world: &World, p: &ProvisionedProduct, term: &str) -> bool {
    let product = world.products.get(&p.product_id);
    match term.split_once(':') {
        Some((field, value)) => match field {
            "name" => p.name.contains(value),
            "id" => p.id == value,
            "arn" => p.arn() == value,
            "status" => p.status.wire() == value,
            "productId" => p.product_id == value,
            "productName" => product.is_some_and(|x| x.name.contains(value)),
            "provisioningArtifactId" => p.artifact_id == value,
            "provisioningArtifactName" => product
                .and_then(|x| x.version(&p.artifact_id))
                .is_some_and(|v| v.name == value),
            "type" => value == "CFN_STACK",
            "lastRecordId" => p.last_record_id == value,
            _ => false,
        },
        None => p.name.to_lowercase().contains(&term.to_lowercase()),
    }
}

pub fn search(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let level = access_level(req)?;
    let sort = req.str("SortBy")?;
    if let Some(s) = sort
        && !["arn", "id", "name", "lastRecordId"].contains(&s)
    {
        return Err(ApiError::invalid_parameters(format!(
            "SortBy {s} is not valid. Valid values are arn, id, name and lastRecordId."
        )));
    }
    let descending =
        req.enum_value("SortOrder", &["ASCENDING", "DESCENDING"])? == Some("DESCENDING");
    let terms: Vec<String> = req
        .object("Filters")?
        .and_then(|f| f.get("SearchQuery"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    world.index_provisioned();
    let world = &*world;
    let mut list: Vec<&ProvisionedProduct> = accessible(world, ctx, level)
        .into_iter()
        .filter(|p| terms.iter().all(|t| matches(world, p, t)))
        .collect();
    match sort {
        Some("arn") => list.sort_by_key(|p| p.arn()),
        Some("name") => list.sort_by(|a, b| a.name.cmp(&b.name)),
        Some("lastRecordId") => list.sort_by(|a, b| a.last_record_id.cmp(&b.last_record_id)),
        _ => list.sort_by(|a, b| a.id.cmp(&b.id)),
    }
    if descending {
        list.reverse();
    }
    let total = list.len();
    let scope = format!(
        "SearchProvisionedProducts/{level}/{}/{descending}/{}",
        sort.unwrap_or(""),
        terms.join("|")
    );
    // Only the page is turned into JSON.
    let (page, next) = paged(&scope, ctx, req, &list, 100)?;
    let page: Vec<Value> = page.into_iter().map(|p| pp_attribute(world, p)).collect();
    Ok(json!({ "ProvisionedProducts": page, "TotalResultsCount": total, "NextPageToken": next }))
}

pub fn scan(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let level = access_level(req)?;
    world.index_provisioned();
    let mut list = accessible(world, ctx, level);
    list.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
    let items: Vec<Value> = list.into_iter().map(pp_detail).collect();
    let (page, next) = paged(
        &format!("ScanProvisionedProducts/{level}"),
        ctx,
        req,
        &items,
        20,
    )?;
    Ok(json!({ "ProvisionedProducts": page, "NextPageToken": next }))
}

pub(super) fn find<'w>(
    world: &'w World,
    ctx: &Ctx,
    id: Option<&str>,
    name: Option<&str>,
) -> Result<&'w ProvisionedProduct, ApiError> {
    let mine = |p: &&ProvisionedProduct| p.account == ctx.account && p.region == ctx.region;
    match (id, name) {
        (Some(_), Some(_)) => Err(ApiError::invalid_parameters(
            "Specify the Id or the Name of the provisioned product, not both.",
        )),
        (Some(id), None) => world
            .provisioned
            .get(id)
            .filter(mine)
            .ok_or_else(|| ApiError::not_found(format!("Provisioned product {id} not found."))),
        (None, Some(n)) => world
            .provisioned
            .values()
            .filter(mine)
            .find(|p| p.name == n || p.arn() == n)
            .ok_or_else(|| ApiError::not_found(format!("Provisioned product {n} not found."))),
        (None, None) => Err(ApiError::invalid_parameters(
            "Either the Id or the Name of the provisioned product must be specified.",
        )),
    }
}

pub fn describe(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let pp = find(world, ctx, req.str("Id")?, req.str("Name")?)?;
    Ok(json!({ "ProvisionedProductDetail": pp_detail(pp), "CloudWatchDashboards": [] }))
}

pub fn describe_record(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let id = req.required("Id")?;
    let r = world
        .records
        .get(id)
        .filter(|r| r.account == ctx.account && r.region == ctx.region)
        .ok_or_else(|| ApiError::not_found(format!("Record {id} not found.")))?;
    let outputs: Vec<Value> = r
        .outputs
        .iter()
        .map(|(k, v, d)| json!({"OutputKey": k, "OutputValue": v, "Description": (!d.is_empty()).then_some(d)}))
        .collect();
    let (page, next) = paged(&format!("DescribeRecord/{id}"), ctx, req, &outputs, 20)?;
    Ok(json!({ "RecordDetail": record_detail(r), "RecordOutputs": page, "NextPageToken": next }))
}

pub fn record_history(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let level = access_level(req)?;
    let filter = req.object("SearchFilter")?;
    let key = filter.and_then(|f| f.get("Key")).and_then(Value::as_str);
    let value = filter.and_then(|f| f.get("Value")).and_then(Value::as_str);
    if let Some(k) = key
        && k != "product"
        && k != "provisionedproduct"
    {
        // guess: the message text (the model documents `product` and `provisionedproduct`).
        return Err(ApiError::invalid_parameters(format!(
            "SearchFilter key {k} is not valid. Valid keys are product and provisionedproduct."
        )));
    }
    // Terminated provisioned products' records are still listed.
    let me = &ctx.caller_arn;
    let pps: std::collections::HashSet<String> = accessible(world, ctx, level)
        .into_iter()
        .chain(world.terminated.values().filter(|p| {
            p.account == ctx.account
                && p.region == ctx.region
                && match level {
                    "Account" => true,
                    "Role" => role_of(&p.user_arn) == role_of(me),
                    _ => p.user_arn == *me,
                }
        }))
        .map(|p| p.id.clone())
        .collect();
    let mut list: Vec<_> = world
        .records
        .values()
        .filter(|r| r.account == ctx.account && r.region == ctx.region && pps.contains(&r.pp_id))
        .filter(|r| match (key, value) {
            (Some("product"), Some(v)) => r.product_id == v,
            (Some("provisionedproduct"), Some(v)) => r.pp_id == v,
            _ => true,
        })
        .collect();
    list.sort_by(|a, b| b.created.cmp(&a.created).then(b.id.cmp(&a.id)));
    let items: Vec<Value> = list.into_iter().map(record_detail).collect();
    let scope = format!(
        "ListRecordHistory/{level}/{}/{}",
        key.unwrap_or(""),
        value.unwrap_or("")
    );
    let (page, next) = paged(&scope, ctx, req, &items, 20)?;
    Ok(json!({ "RecordDetails": page, "NextPageToken": next }))
}

pub fn outputs(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let pp = find(
        world,
        ctx,
        req.str("ProvisionedProductId")?,
        req.str("ProvisionedProductName")?,
    )?;
    let keys: Vec<&str> = req
        .list("OutputKeys")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let outputs: Vec<Value> = pp
        .last_successful_record_id
        .as_ref()
        .and_then(|id| world.records.get(id))
        .map(|r| r.outputs.clone())
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _, _)| keys.is_empty() || keys.contains(&k.as_str()))
        .map(|(k, v, d)| json!({"OutputKey": k, "OutputValue": v, "Description": (!d.is_empty()).then_some(d)}))
        .collect();
    let (page, next) = paged(
        &format!("GetProvisionedProductOutputs/{}", pp.id),
        ctx,
        req,
        &outputs,
        20,
    )?;
    Ok(json!({ "Outputs": page, "NextPageToken": next }))
}
