//! TagOptions: created in an account, associated with its own portfolios
//! and products (those products' launches then offer them as tags).

use serde_json::{Value, json};

use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::JsonRequest;
use crate::sandbox::server::Ctx;
use crate::sandbox::world::{TagOption, World};

pub fn detail(t: &TagOption) -> Value {
    json!({"Key": t.key, "Value": t.value, "Active": t.active, "Id": t.id, "Owner": t.owner})
}

/// The model's TagOptionKey/TagOptionValue: 1 to `max` characters of
/// letters, spaces, digits and `_.:/=+-@`.
fn check(member: &str, value: &str, max: usize) -> Result<(), ApiError> {
    let n = value.chars().count();
    if n == 0 || n > max {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length between 1 and {max}"
        )));
    }
    let allowed = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c);
    if !value.chars().all(allowed) {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]*)$"
        )));
    }
    Ok(())
}

/// CreateTagOption: one per key and value in an account.
pub fn create(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let key = req.required("Key")?.to_string();
    let value = req.required("Value")?.to_string();
    check("key", &key, 128)?;
    check("value", &value, 256)?;
    if world
        .tag_options
        .values()
        .any(|t| t.owner == ctx.account && t.key == key && t.value == value)
    {
        // guess: the message text.
        return Err(ApiError::duplicate(format!(
            "TagOption with key {key} and value {value} already exists."
        )));
    }
    let id = world.ids.next("tag");
    let t = TagOption {
        id: id.clone(),
        owner: ctx.account.clone(),
        key,
        value,
        active: true,
    };
    let out = json!({ "TagOptionDetail": detail(&t) });
    world.tag_options.insert(id, t);
    Ok(out)
}

/// The TagOption list of the caller's portfolio or product `resource`.
fn resource_tag_options<'w>(
    world: &'w mut World,
    ctx: &Ctx,
    resource: &str,
) -> Result<&'w mut Vec<String>, ApiError> {
    // guess: the message text.
    let missing = || ApiError::not_found(format!("Resource {resource} not found."));
    if let Some(p) = world.portfolios.get_mut(resource) {
        return (p.owner == ctx.account && p.region == ctx.region)
            .then_some(&mut p.tag_options)
            .ok_or_else(missing);
    }
    match world.products.get_mut(resource) {
        Some(p) if p.owner_account == ctx.account && p.region == ctx.region => {
            Ok(&mut p.tag_options)
        }
        _ => Err(missing()),
    }
}

fn own_tag_option<'w>(world: &'w World, ctx: &Ctx, id: &str) -> Result<&'w TagOption, ApiError> {
    world
        .tag_options
        .get(id)
        .filter(|t| t.owner == ctx.account)
        // guess: the message text.
        .ok_or_else(|| ApiError::not_found(format!("TagOption {id} not found.")))
}

/// AssociateTagOptionWithResource: an active TagOption of the caller with a
/// portfolio or product it owns.
pub fn associate(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let resource = req.required("ResourceId")?.to_string();
    let tag_id = req.required("TagOptionId")?.to_string();
    let t = own_tag_option(world, ctx, &tag_id)?;
    if !t.active {
        // guess: the message text.
        return Err(ApiError::invalid_state(format!(
            "TagOption {tag_id} is not active."
        )));
    }
    let (key, value) = (t.key.clone(), t.value.clone());
    let list = resource_tag_options(world, ctx, &resource)?;
    if list.contains(&tag_id) {
        return Err(ApiError::duplicate(format!(
            "TagOption {key}={value} is already associated with {resource}."
        )));
    }
    list.push(tag_id);
    Ok(json!({}))
}

/// DisassociateTagOptionFromResource.
pub fn disassociate(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let resource = req.required("ResourceId")?.to_string();
    let tag_id = req.required("TagOptionId")?.to_string();
    own_tag_option(world, ctx, &tag_id)?;
    let list = resource_tag_options(world, ctx, &resource)?;
    if !list.contains(&tag_id) {
        // guess: the message text.
        return Err(ApiError::not_found(format!(
            "TagOption {tag_id} is not associated with {resource}."
        )));
    }
    list.retain(|x| x != &tag_id);
    Ok(json!({}))
}
