//! A portfolio owner's other calls: UpdatePortfolio and ListPortfolioAccess.

use serde_json::{Value, json};

use super::{check_id, paged, portfolio_detail, tags};
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::JsonRequest;
use crate::sandbox::server::Ctx;
use crate::sandbox::world::{ShareKind, World};

fn length(member: &str, value: &str, min: usize, max: usize) -> Result<(), ApiError> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length between {min} and {max}"
        )));
    }
    Ok(())
}

/// UpdatePortfolio: the owner changes the name, description, provider and tags.
pub fn update_portfolio(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let id = req.required("Id")?.to_string();
    check_id("id", &id)?;
    let name = req.str("DisplayName")?.map(str::to_string);
    let description = req.str("Description")?.map(str::to_string);
    let provider = req.str("ProviderName")?.map(str::to_string);
    if let Some(n) = &name {
        length("displayName", n, 1, 100)?;
    }
    if let Some(d) = &description {
        length("description", d, 0, 2000)?;
    }
    if let Some(p) = &provider {
        length("providerName", p, 1, 50)?;
    }
    let add: Vec<(String, String)> = req
        .list("AddTags")?
        .iter()
        .filter_map(|t| {
            Some((
                t.get("Key")?.as_str()?.to_string(),
                t.get("Value")?.as_str()?.to_string(),
            ))
        })
        .collect();
    let remove: Vec<String> = req
        .list("RemoveTags")?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let p = world
        .portfolios
        .get_mut(&id)
        .filter(|p| p.owner == ctx.account && p.region == ctx.region)
        .ok_or_else(|| ApiError::not_found(format!("Portfolio {id} not found.")))?;
    if let Some(n) = name {
        p.name = n;
    }
    if let Some(d) = description {
        p.description = d;
    }
    if let Some(v) = provider {
        p.provider = v;
    }
    p.tags.retain(|(k, _)| !remove.contains(k));
    for (k, v) in add {
        p.tags.retain(|(x, _)| x != &k);
        p.tags.push((k, v));
    }
    if p.tags.len() > 20 {
        return Err(ApiError::new(
            400,
            "LimitExceededException",
            // guess: the message text.
            "A portfolio can have at most 20 tags.",
        ));
    }
    Ok(json!({ "PortfolioDetail": portfolio_detail(p), "Tags": tags(&p.tags) }))
}

/// ListPortfolioAccess: the accounts a portfolio is shared with (account
/// shares, and the members of the organization nodes it is shared with),
/// or those under one such node.
pub fn list_access(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let id = req.required("PortfolioId")?.to_string();
    check_id("portfolioId", &id)?;
    let parent = req.str("OrganizationParentId")?.map(str::to_string);
    let p = world
        .portfolios
        .get(&id)
        .filter(|p| p.owner == ctx.account && p.region == ctx.region)
        .ok_or_else(|| ApiError::not_found(format!("Portfolio {id} not found.")))?;
    let mut accounts: Vec<String> = Vec::new();
    match &parent {
        Some(node) => {
            let share = p
                .shares
                .iter()
                .find(|s| s.kind != ShareKind::Account && &s.principal == node)
                // guess: the message text.
                .ok_or_else(|| {
                    ApiError::invalid_parameters(format!(
                        "Portfolio {id} is not shared with organization node {node}."
                    ))
                })?;
            accounts.extend(world.accounts_under(share.kind, &share.principal));
        }
        None => {
            for s in &p.shares {
                match s.kind {
                    ShareKind::Account => accounts.push(s.principal.clone()),
                    kind => accounts.extend(world.accounts_under(kind, &s.principal)),
                }
            }
        }
    }
    accounts.retain(|a| a != &ctx.account);
    accounts.sort();
    accounts.dedup();
    let scope = format!("ListPortfolioAccess/{id}/{}", parent.unwrap_or_default());
    let (page, next) = paged(&scope, ctx, req, &accounts, 100)?;
    Ok(json!({ "AccountIds": page, "NextPageToken": next }))
}
