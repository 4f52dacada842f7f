//! Products (as an administrator sees them), their versions, and TagOptions.

use serde_json::{Map, Value, json};

use super::{
    artifact_detail, launch_paths, paged, product_view_detail, product_view_summary,
    visible_portfolio, visible_product,
};
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::{JsonRequest, timestamp};
use crate::sandbox::server::Ctx;
use crate::sandbox::world::launch_path_id;
use crate::sandbox::world::{Product, World};

fn filter_values<'a>(filters: Option<&'a Map<String, Value>>, key: &str) -> Vec<&'a str> {
    filters
        .and_then(|f| f.get(key))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn matches(p: &Product, filters: Option<&Map<String, Value>>) -> bool {
    let text = filter_values(filters, "FullTextSearch");
    let owner = filter_values(filters, "Owner");
    let ptype = filter_values(filters, "ProductType");
    let hay = format!("{} {} {}", p.name, p.owner, p.description).to_lowercase();
    (text.is_empty() || text.iter().any(|t| hay.contains(&t.to_lowercase())))
        && (owner.is_empty() || owner.contains(&p.owner.as_str()))
        && (ptype.is_empty() || ptype.contains(&p.product_type.as_str()))
}

pub fn search_as_admin(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let portfolio = req.str("PortfolioId")?;
    let source = req.enum_value("ProductSource", &["ACCOUNT"])?;
    let sort = req
        .enum_value("SortBy", &["Title", "VersionCount", "CreationDate"])?
        .unwrap_or("Title");
    let descending =
        req.enum_value("SortOrder", &["ASCENDING", "DESCENDING"])? == Some("DESCENDING");
    let filters = req.object("Filters")?;
    let ids: Vec<String> = match portfolio {
        Some(pid) => visible_portfolio(world, ctx, pid)?.products.clone(),
        None => world
            .visible_product_ids(&ctx.account, &ctx.region)
            .into_iter()
            .collect(),
    };
    let mut list: Vec<&Product> = ids
        .iter()
        .filter_map(|id| world.products.get(id))
        .filter(|p| source.is_none() || p.owner_account == ctx.account)
        .filter(|p| matches(p, filters))
        .collect();
    list.sort_by(|a, b| match sort {
        "VersionCount" => a
            .versions
            .len()
            .cmp(&b.versions.len())
            .then(a.name.cmp(&b.name)),
        "CreationDate" => a.created.cmp(&b.created).then(a.name.cmp(&b.name)),
        _ => a.name.cmp(&b.name),
    });
    if descending {
        list.reverse();
    }
    let details: Vec<Value> = list
        .iter()
        .map(|p| product_view_detail(world, ctx, p))
        .collect();
    let scope = format!(
        "SearchProductsAsAdmin/{}/{}/{sort}/{descending}",
        portfolio.unwrap_or(""),
        source.unwrap_or("")
    );
    let (page, next) = paged(&scope, ctx, req, &details, 20)?;
    Ok(json!({ "ProductViewDetails": page, "NextPageToken": next }))
}

/// SearchProducts: the product views an end user can launch (those of the
/// portfolios it reaches), up to 100 a page.
pub fn search(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let sort = req.enum_value("SortBy", &["Title", "VersionCount", "CreationDate"])?;
    let descending =
        req.enum_value("SortOrder", &["ASCENDING", "DESCENDING"])? == Some("DESCENDING");
    let filters = req.object("Filters")?;
    let ids = world.visible_product_ids(&ctx.account, &ctx.region);
    let mut list: Vec<&Product> = ids
        .iter()
        .filter_map(|id| world.products.get(id))
        .filter(|p| matches(p, filters))
        .collect();
    match sort {
        Some("VersionCount") => list.sort_by(|a, b| {
            a.versions
                .len()
                .cmp(&b.versions.len())
                .then(a.name.cmp(&b.name))
        }),
        Some("CreationDate") => {
            list.sort_by(|a, b| a.created.cmp(&b.created).then(a.name.cmp(&b.name)))
        }
        Some(_) => list.sort_by(|a, b| a.name.cmp(&b.name)),
        None => {}
    }
    if descending {
        list.reverse();
    }
    let summaries: Vec<Value> = list
        .iter()
        .map(|p| product_view_summary(world, ctx, p))
        .collect();
    let scope = format!("SearchProducts/{sort:?}/{descending}");
    let (page, next) = paged(&scope, ctx, req, &summaries, 100)?;
    Ok(
        json!({ "ProductViewSummaries": page, "ProductViewAggregations": {}, "NextPageToken": next }),
    )
}

/// DescribeProduct (the end user's view): the product, its active versions
/// with their guidance, and its launch paths.
pub fn describe(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let p = match (req.str("Id")?, req.str("Name")?) {
        (Some(id), _) => visible_product(world, ctx, id)?,
        (None, Some(name)) => {
            let ids = world.visible_product_ids(&ctx.account, &ctx.region);
            world
                .products
                .values()
                .find(|p| p.name == name && ids.contains(&p.id))
                .ok_or_else(|| ApiError::not_found(format!("Product {name} not found.")))?
        }
        (None, None) => {
            return Err(ApiError::invalid_parameters(
                "Either Id or Name must be specified.",
            ));
        }
    };
    let artifacts: Vec<Value> = p
        .versions
        .iter()
        .filter(|v| v.active)
        .map(|v| {
            json!({
                "Id": v.id, "Name": v.name,
                "Description": (!v.description.is_empty()).then_some(&v.description),
                "CreatedTime": timestamp(v.created), "Guidance": v.guidance,
            })
        })
        .collect();
    let paths: Vec<Value> = launch_paths(world, ctx, &p.id)
        .into_iter()
        .map(|portfolio| json!({ "Id": launch_path_id(&portfolio.id), "Name": portfolio.name }))
        .collect();
    Ok(json!({
        "ProductViewSummary": product_view_summary(world, ctx, p),
        "ProvisioningArtifacts": artifacts,
        "Budgets": [],
        "LaunchPaths": paths,
    }))
}

pub fn describe_as_admin(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let p = match (req.str("Id")?, req.str("Name")?) {
        (Some(id), _) => visible_product(world, ctx, id)?,
        (None, Some(name)) => {
            let ids = world.visible_product_ids(&ctx.account, &ctx.region);
            world
                .products
                .values()
                .find(|p| p.name == name && ids.contains(&p.id))
                .ok_or_else(|| ApiError::not_found(format!("Product {name} not found.")))?
        }
        (None, None) => {
            return Err(ApiError::invalid_parameters(
                "Either Id or Name must be specified.",
            ));
        }
    };
    // The product's TagOptions: the owner's own; another account sees them
    // only through a portfolio shared with it with TagOption sharing on
    // (`SourcePortfolioId`), as the API reference says.
    let mut shared_tag_options = p.owner_account == ctx.account;
    if let Some(source) = req.str("SourcePortfolioId")? {
        let sp = visible_portfolio(world, ctx, source)?;
        if !sp.products.contains(&p.id) {
            return Err(ApiError::invalid_parameters(format!(
                "Product {} is not in portfolio {source}.",
                p.id
            )));
        }
        shared_tag_options |= world.shares_tag_options_with(&ctx.account, sp);
    }
    let summaries: Vec<Value> = p
        .versions
        .iter()
        .map(|v| {
            json!({
                "Id": v.id, "Name": v.name,
                "Description": (!v.description.is_empty()).then_some(&v.description),
                "CreatedTime": timestamp(v.created), "ProvisioningArtifactMetadata": {},
            })
        })
        .collect();
    let tag_options: Vec<Value> = p
        .tag_options
        .iter()
        .filter(|_| shared_tag_options)
        .filter_map(|id| world.tag_options.get(id))
        .map(super::tag_options::detail)
        .collect();
    Ok(json!({
        "ProductViewDetail": product_view_detail(world, ctx, p),
        "ProvisioningArtifactSummaries": summaries,
        "Tags": super::tags(&p.tags), "TagOptions": tag_options, "Budgets": [],
    }))
}

pub fn list_artifacts(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let p = visible_product(world, ctx, req.required("ProductId")?)?;
    let details: Vec<Value> = p.versions.iter().map(artifact_detail).collect();
    Ok(json!({ "ProvisioningArtifactDetails": details }))
}

/// UpdateProvisioningArtifact: the account that owns a product changes a
/// version's name, description, `Active` or `Guidance`. Another account
/// (one that imported the product) does not find it.
pub fn update_artifact(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let product_id = req.required("ProductId")?.to_string();
    let artifact_id = req.required("ProvisioningArtifactId")?.to_string();
    super::check_id("productId", &product_id)?;
    super::check_id("provisioningArtifactId", &artifact_id)?;
    let name = req.str("Name")?.map(str::to_string);
    let description = req.str("Description")?.map(str::to_string);
    let active = req.bool("Active")?;
    let guidance = req.str("Guidance")?.map(str::to_string);
    if let Some(g) = &guidance
        && g != "DEFAULT"
        && g != "DEPRECATED"
    {
        // guess: the wording of the model's enum check.
        return Err(ApiError::new(
            400,
            "ValidationException",
            format!(
                "1 validation error detected: Value '{g}' at 'guidance' failed to satisfy constraint: Member must satisfy enum value set: [DEFAULT, DEPRECATED]"
            ),
        ));
    }
    let product = world
        .products
        .get_mut(&product_id)
        .filter(|p| p.region == ctx.region && p.owner_account == ctx.account)
        // guess: the message text.
        .ok_or_else(|| ApiError::not_found(format!("Product {product_id} not found.")))?;
    let version = product
        .versions
        .iter_mut()
        .find(|v| v.id == artifact_id)
        // guess: the message text.
        .ok_or_else(|| {
            ApiError::not_found(format!("ProvisioningArtifact {artifact_id} not found."))
        })?;
    if let Some(n) = name {
        version.name = n;
    }
    if let Some(d) = description {
        version.description = d;
    }
    if let Some(a) = active {
        version.active = a;
    }
    if let Some(g) = guidance {
        version.guidance = g;
    }
    Ok(json!({
        "ProvisioningArtifactDetail": artifact_detail(version),
        "Info": { "TemplateUrl": version.template_url },
        "Status": "AVAILABLE",
    }))
}

pub fn list_tag_options(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let filters = req.object("Filters")?;
    let key = filters.and_then(|f| f.get("Key")).and_then(Value::as_str);
    let value = filters.and_then(|f| f.get("Value")).and_then(Value::as_str);
    let active = filters
        .and_then(|f| f.get("Active"))
        .and_then(Value::as_bool);
    let details: Vec<Value> = world
        .tag_options
        .values()
        .filter(|t| t.owner == ctx.account)
        .filter(|t| key.is_none_or(|k| k == t.key) && value.is_none_or(|v| v == t.value) && active.is_none_or(|a| a == t.active))
        .map(|t| json!({"Key": t.key, "Value": t.value, "Active": t.active, "Id": t.id, "Owner": t.owner}))
        .collect();
    let scope = format!(
        "ListTagOptions/{}/{}/{:?}",
        key.unwrap_or(""),
        value.unwrap_or(""),
        active
    );
    let (page, next) = paged(&scope, ctx, req, &details, 20)?;
    // ListTagOptions names its next-page member PageToken, unlike the other operations.
    Ok(json!({ "TagOptionDetails": page, "PageToken": next }))
}
