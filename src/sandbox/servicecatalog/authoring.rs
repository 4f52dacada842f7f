//! The hub's authoring calls: products and their versions (provisioning
//! artifacts) made from templates in S3, changed, and deleted under AWS's
//! rules.

use serde_json::{Map, Value, json};

use super::{artifact_detail, check_id, product_view_detail, tags};
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::JsonRequest;
use crate::sandbox::server::Ctx;
use crate::sandbox::world::ids::named_id;
use crate::sandbox::world::{Product, Version, World};

const ARTIFACT_TYPES: &[&str] = &[
    "CLOUD_FORMATION_TEMPLATE",
    "MARKETPLACE_AMI",
    "MARKETPLACE_CAR",
    "TERRAFORM_OPEN_SOURCE",
    "TERRAFORM_CLOUD",
    "EXTERNAL",
];
const PRODUCT_TYPES: &[&str] = &[
    "CLOUD_FORMATION_TEMPLATE",
    "MARKETPLACE",
    "TERRAFORM_OPEN_SOURCE",
    "TERRAFORM_CLOUD",
    "EXTERNAL",
];

fn validation(member: &str, why: &str) -> ApiError {
    ApiError::validation(format!(
        "1 validation error detected: Value at '{member}' failed to satisfy constraint: {why}"
    ))
}

fn check_length(member: &str, value: &str, max: usize) -> Result<(), ApiError> {
    if value.chars().count() > max {
        return Err(validation(
            member,
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    Ok(())
}

/// `Tags` / `AddTags`: at most 20 `{Key, Value}`.
fn tag_list(req: &JsonRequest, key: &str) -> Result<Vec<(String, String)>, ApiError> {
    let list = req.list(key)?;
    if list.len() > 20 {
        return Err(validation(
            &format!("{}{}", key[..1].to_lowercase(), &key[1..]),
            "Member must have length less than or equal to 20",
        ));
    }
    list.iter()
        .map(|t| {
            let k = t.get("Key").and_then(Value::as_str);
            let v = t.get("Value").and_then(Value::as_str);
            match (k, v) {
                (Some(k), Some(v)) if !k.is_empty() && k.len() <= 128 && v.len() <= 256 => {
                    Ok((k.to_string(), v.to_string()))
                }
                _ => Err(ApiError::invalid_parameters(
                    "Each tag needs a Key (1 to 128 characters) and a Value (up to 256).",
                )),
            }
        })
        .collect()
}

/// A version built from `ProvisioningArtifactParameters`/`Parameters`: its
/// template loaded from the S3 URL `Info.LoadTemplateFromURL`.
fn new_version(
    world: &World,
    ctx: &Ctx,
    product_id: &str,
    member: &str,
    p: &Map<String, Value>,
    taken: &[Version],
) -> Result<Version, ApiError> {
    let name = p
        .get("Name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let description = p
        .get("Description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    check_length(&format!("{member}.name"), &name, 8192)?;
    check_length(&format!("{member}.description"), &description, 8192)?;
    if let Some(t) = p.get("Type").and_then(Value::as_str)
        && !ARTIFACT_TYPES.contains(&t)
    {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '{t}' at '{member}.type' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            ARTIFACT_TYPES.join(", ")
        )));
    }
    let info = p.get("Info").and_then(Value::as_object);
    let url = info
        .and_then(|i| i.get("LoadTemplateFromURL"))
        .and_then(Value::as_str);
    let Some(url) = url else {
        let physical = info.is_some_and(|i| i.contains_key("ImportFromPhysicalId"));
        return Err(ApiError::invalid_parameters(if physical {
            // guess: the sandbox keeps no stacks outside Service Catalog to import.
            "ImportFromPhysicalId is not supported by the sandbox; give LoadTemplateFromURL."
        } else {
            "Info must contain LoadTemplateFromURL (an S3 URL of the template) or ImportFromPhysicalId."
        }));
    };
    if !name.is_empty() && taken.iter().any(|v| v.name == name) {
        // guess: AWS's wording; that it refuses a name twice is documented
        // only by the console.
        return Err(ApiError::invalid_parameters(format!(
            "A provisioning artifact named {name} already exists for product {product_id}."
        )));
    }
    // Service Catalog answers a template it cannot use as invalid parameters.
    let (template, _) = world.template_from_url_for(url, &ctx.region, "servicecatalog")?;
    Ok(Version {
        id: named_id("pa", &[product_id, &name, &ctx.now.to_rfc3339()]),
        name,
        description,
        created: ctx.now,
        active: true,
        guidance: "DEFAULT".into(),
        template,
        fails_on: None,
        template_url: Some(url.to_string()),
    })
}

/// The key of an idempotency token in `World::product_tokens` and
/// `World::artifact_tokens`: Service Catalog is regional, so a token used in
/// one region means nothing in another (the token's pattern has no `:`, so
/// the region cannot run into it).
pub(super) fn token_key(ctx: &Ctx, scope: &str, token: &str) -> (String, String) {
    (
        ctx.account.clone(),
        format!("{}:{scope}:{token}", ctx.region),
    )
}

fn own_product<'w>(world: &'w mut World, ctx: &Ctx, id: &str) -> Result<&'w mut Product, ApiError> {
    world
        .products
        .get_mut(id)
        .filter(|p| p.region == ctx.region && p.owner_account == ctx.account)
        // guess: the message text.
        .ok_or_else(|| ApiError::not_found(format!("Product {id} not found.")))
}

/// CreateProduct: a product with its first version; the same idempotency
/// token answers the same product.
pub fn create_product(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let name = req.required("Name")?.to_string();
    let owner = req.required("Owner")?.to_string();
    let token = req.required("IdempotencyToken")?.to_string();
    let product_type = req
        .enum_value("ProductType", PRODUCT_TYPES)?
        .ok_or_else(|| {
            ApiError::validation("1 validation error detected: Value null at 'productType' failed to satisfy constraint: Member must not be null")
        })?
        .to_string();
    super::launch::check_name("idempotencyToken", &token, false)?;
    for (member, v) in [("name", &name), ("owner", &owner)] {
        check_length(member, v, 8191)?;
    }
    let text = |k: &str| -> Result<String, ApiError> { Ok(req.str(k)?.unwrap_or("").to_string()) };
    let (description, distributor, support_email) = (
        text("Description")?,
        text("Distributor")?,
        text("SupportEmail")?,
    );
    let tag_list = tag_list(req, "Tags")?;
    let key = token_key(ctx, "", &token);
    if let Some(p) = world
        .product_tokens
        .get(&key)
        .and_then(|id| world.products.get(id))
    {
        return Ok(json!({
            "ProductViewDetail": product_view_detail(world, ctx, p),
            "ProvisioningArtifactDetail": p.versions.first().map(artifact_detail),
            "Tags": tags(&p.tags),
        }));
    }
    if name.trim().is_empty() {
        return Err(ApiError::invalid_parameters("Name must not be empty."));
    }
    let artifact = req.object("ProvisioningArtifactParameters")?.ok_or_else(|| {
        ApiError::invalid_parameters(
            "ProvisioningArtifactParameters is required for a CLOUD_FORMATION_TEMPLATE product.",
        )
    })?;
    if product_type != "CLOUD_FORMATION_TEMPLATE" {
        // guess: the sandbox launches CloudFormation products only.
        return Err(ApiError::invalid_parameters(format!(
            "The sandbox creates CLOUD_FORMATION_TEMPLATE products only, not {product_type}."
        )));
    }
    let id = world.ids.next("prod");
    let version = new_version(
        world,
        ctx,
        &id,
        "provisioningArtifactParameters",
        artifact,
        &[],
    )?;
    let product = Product {
        view_id: named_id("prodview", &[&id]),
        id: id.clone(),
        owner_account: ctx.account.clone(),
        region: ctx.region.clone(),
        name,
        owner,
        description,
        distributor,
        support_email,
        product_type,
        created: ctx.now,
        versions: vec![version],
        tag_options: Vec::new(),
        tags: tag_list,
    };
    let out = json!({
        "ProductViewDetail": product_view_detail(world, ctx, &product),
        "ProvisioningArtifactDetail": artifact_detail(&product.versions[0]),
        "Tags": tags(&product.tags),
    });
    world.products.insert(id.clone(), product);
    world.product_tokens.insert(key, id);
    Ok(out)
}

/// UpdateProduct: the owner changes a product's name, owner, description,
/// distributor, support e-mail and tags.
pub fn update_product(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let id = req.required("Id")?.to_string();
    check_id("id", &id)?;
    let add = tag_list(req, "AddTags")?;
    let remove: Vec<String> = req
        .list("RemoveTags")?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let fields = [
        ("Name", req.str("Name")?.map(str::to_string)),
        ("Owner", req.str("Owner")?.map(str::to_string)),
        ("Description", req.str("Description")?.map(str::to_string)),
        ("Distributor", req.str("Distributor")?.map(str::to_string)),
        ("SupportEmail", req.str("SupportEmail")?.map(str::to_string)),
    ];
    if fields[0].1.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(ApiError::invalid_parameters("Name must not be empty."));
    }
    let p = own_product(world, ctx, &id)?;
    for (field, value) in fields {
        let Some(value) = value else { continue };
        match field {
            "Name" => p.name = value,
            "Owner" => p.owner = value,
            "Description" => p.description = value,
            "Distributor" => p.distributor = value,
            _ => p.support_email = value,
        }
    }
    p.tags.retain(|(k, _)| !remove.contains(k));
    for (k, v) in add {
        p.tags.retain(|(x, _)| x != &k);
        p.tags.push((k, v));
    }
    let p = world
        .products
        .get(&id)
        .cloned()
        .unwrap_or_else(|| unreachable!());
    Ok(json!({
        "ProductViewDetail": product_view_detail(world, ctx, &p),
        "Tags": tags(&p.tags),
    }))
}

/// CreateProvisioningArtifact: a new version of the caller's product; the
/// same idempotency token answers the same version.
pub fn create_artifact(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let product_id = req.required("ProductId")?.to_string();
    let token = req.required("IdempotencyToken")?.to_string();
    check_id("productId", &product_id)?;
    super::launch::check_name("idempotencyToken", &token, false)?;
    let parameters = req.object("Parameters")?.ok_or_else(|| {
        ApiError::validation("1 validation error detected: Value null at 'parameters' failed to satisfy constraint: Member must not be null")
    })?;
    let answer = |v: &Version| {
        json!({
            "ProvisioningArtifactDetail": artifact_detail(v),
            "Info": { "TemplateUrl": v.template_url },
            "Status": "AVAILABLE",
        })
    };
    // guess: a token answers the version it made only for the product it
    // was made for; AWS documents no mismatch error for another product.
    let key = token_key(ctx, &product_id, &token);
    if let Some((p, v)) = world.artifact_tokens.get(&key)
        && let Some(v) = world.products.get(p).and_then(|p| p.version(v))
    {
        return Ok(answer(v));
    }
    let versions = own_product(world, ctx, &product_id)?.versions.clone();
    let version = new_version(world, ctx, &product_id, "parameters", parameters, &versions)?;
    let out = answer(&version);
    let vid = version.id.clone();
    own_product(world, ctx, &product_id)?.versions.push(version);
    world.artifact_tokens.insert(key, (product_id, vid));
    Ok(out)
}

/// DeleteProvisioningArtifact: refused for a product's last version and
/// for a version provisioned products use; another account's product is
/// not found.
pub fn delete_artifact(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let product_id = req.required("ProductId")?.to_string();
    let artifact_id = req.required("ProvisioningArtifactId")?.to_string();
    check_id("productId", &product_id)?;
    check_id("provisioningArtifactId", &artifact_id)?;
    let versions = own_product(world, ctx, &product_id)?.versions.len();
    if own_product(world, ctx, &product_id)?
        .version(&artifact_id)
        .is_none()
    {
        // guess: the message text.
        return Err(ApiError::not_found(format!(
            "ProvisioningArtifact {artifact_id} not found."
        )));
    }
    if versions == 1 {
        // guess: the message text; the rule is the API reference's.
        return Err(ApiError::invalid_parameters(format!(
            "Cannot delete the last provisioning artifact of product {product_id}: a product must have at least one."
        )));
    }
    let users = world
        .provisioned
        .values()
        .filter(|pp| pp.product_id == product_id && pp.artifact_id == artifact_id)
        .count();
    if users > 0 {
        // guess: the message text.
        return Err(ApiError::new(
            400,
            "ResourceInUseException",
            format!(
                "Provisioning artifact {artifact_id} is used by {users} provisioned product(s)."
            ),
        ));
    }
    own_product(world, ctx, &product_id)?
        .versions
        .retain(|v| v.id != artifact_id);
    Ok(json!({}))
}

/// DescribeProvisioningArtifact: a version of a product the caller can
/// reach, by id or name; `Info.TemplateUrl` is the URL its template was
/// loaded from (a version the world came with has none).
pub fn describe_artifact(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let product = match (req.str("ProductId")?, req.str("ProductName")?) {
        (Some(id), _) => super::visible_product(world, ctx, id)?,
        (None, Some(name)) => {
            let ids = world.visible_product_ids(&ctx.account, &ctx.region);
            world
                .products
                .values()
                .find(|p| p.name == name && ids.contains(&p.id))
                .ok_or_else(|| ApiError::not_found(format!("Product {name} not found.")))?
        }
        // guess: the message text.
        (None, None) => {
            return Err(ApiError::invalid_parameters(
                "Either ProductId or ProductName must be specified.",
            ));
        }
    };
    let version = match (
        req.str("ProvisioningArtifactId")?,
        req.str("ProvisioningArtifactName")?,
    ) {
        (Some(id), _) => product.version(id),
        (None, Some(name)) => product.versions.iter().find(|v| v.name == name),
        (None, None) => {
            return Err(ApiError::invalid_parameters(
                "Either ProvisioningArtifactId or ProvisioningArtifactName must be specified.",
            ));
        }
    }
    // guess: the message text.
    .ok_or_else(|| ApiError::not_found("ProvisioningArtifact not found."))?;
    let mut info = Map::new();
    if let Some(url) = &version.template_url {
        info.insert("TemplateUrl".into(), json!(url));
    }
    let mut out = json!({
        "ProvisioningArtifactDetail": artifact_detail(version),
        "Info": info,
        "Status": "AVAILABLE",
    });
    if req.bool("IncludeProvisioningArtifactParameters")? == Some(true) {
        let params: Vec<Value> = version
            .template
            .parameters
            .iter()
            .map(|p| {
                json!({
                    "ParameterKey": p.key, "DefaultValue": p.default,
                    "ParameterType": p.parameter_type, "IsNoEcho": p.no_echo,
                    "Description": p.description,
                    "ParameterConstraints": {
                        "AllowedValues": p.allowed_values,
                        "AllowedPattern": p.allowed_pattern,
                        "ConstraintDescription": p.constraint_description,
                    },
                })
            })
            .collect();
        out["ProvisioningArtifactParameters"] = json!(params);
    }
    Ok(out)
}

/// DeleteProduct: the owner's product, refused while a portfolio holds it
/// (as the API reference says) or a provisioned product runs it.
pub fn delete_product(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let id = req.required("Id")?.to_string();
    check_id("id", &id)?;
    own_product(world, ctx, &id)?;
    let held = world
        .portfolios
        .values()
        .filter(|p| p.products.contains(&id))
        .count();
    if held > 0 {
        // guess: the message text.
        return Err(ApiError::new(
            400,
            "ResourceInUseException",
            format!("Product {id} is associated with {held} portfolio(s); disassociate it first."),
        ));
    }
    // guess: that provisioned products keep it from being deleted.
    let running = world
        .provisioned
        .values()
        .filter(|p| p.product_id == id)
        .count();
    if running > 0 {
        return Err(ApiError::new(
            400,
            "ResourceInUseException",
            format!("Product {id} has {running} provisioned product(s)."),
        ));
    }
    world.products.remove(&id);
    Ok(json!({}))
}
