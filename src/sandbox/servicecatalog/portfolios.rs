//! Portfolios, their shares and their constraints.

use serde_json::{Value, json};

use super::{constraint_detail, paged, portfolio_detail, visible_portfolio, visible_product};
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::JsonRequest;
use crate::sandbox::server::Ctx;
use crate::sandbox::world::{Portfolio, Share, ShareKind, World};

const SHARE_TYPES: &[&str] = &["IMPORTED", "AWS_SERVICECATALOG", "AWS_ORGANIZATIONS"];

fn sorted(mut list: Vec<&Portfolio>) -> Vec<&Portfolio> {
    list.sort_by(|a, b| a.created.cmp(&b.created).then(a.name.cmp(&b.name)));
    list
}

fn portfolio_page(
    op: &str,
    ctx: &Ctx,
    req: &JsonRequest,
    list: Vec<&Portfolio>,
) -> Result<Value, ApiError> {
    let details: Vec<Value> = sorted(list).into_iter().map(portfolio_detail).collect();
    let (page, next) = paged(op, ctx, req, &details, 100)?;
    Ok(json!({ "PortfolioDetails": page, "NextPageToken": next }))
}

pub fn list_portfolios(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let own = world
        .portfolios
        .values()
        .filter(|p| p.owner == ctx.account && p.region == ctx.region)
        .collect();
    portfolio_page("ListPortfolios", ctx, req, own)
}

pub fn describe_portfolio(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let p = visible_portfolio(world, ctx, req.required("Id")?)?;
    let tag_options: Vec<Value> = if p.owner == ctx.account {
        p.tag_options
            .iter()
            .filter_map(|id| world.tag_options.get(id))
            .map(|t| json!({"Key": t.key, "Value": t.value, "Active": t.active, "Id": t.id, "Owner": t.owner}))
            .collect()
    } else {
        Vec::new()
    };
    Ok(
        json!({ "PortfolioDetail": portfolio_detail(p), "Tags": super::tags(&p.tags), "TagOptions": tag_options, "Budgets": [] }),
    )
}

pub fn list_accepted(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let kind = req
        .enum_value("PortfolioShareType", SHARE_TYPES)?
        .unwrap_or("IMPORTED");
    let list: Vec<&Portfolio> = world
        .portfolios
        .values()
        .filter(|p| p.region == ctx.region && world.imports_via(&ctx.account, p, kind))
        .collect();
    portfolio_page(
        &format!("ListAcceptedPortfolioShares/{kind}"),
        ctx,
        req,
        list,
    )
}

fn owned<'w>(world: &'w World, ctx: &Ctx, id: &str) -> Result<&'w Portfolio, ApiError> {
    world
        .portfolios
        .get(id)
        .filter(|p| p.owner == ctx.account && p.region == ctx.region)
        .ok_or_else(|| ApiError::not_found(format!("Portfolio {id} not found.")))
}

/// A length check as the model states it (`min`..=`max` characters).
fn check_length(member: &str, value: &str, min: usize, max: usize) -> Result<(), ApiError> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length between {min} and {max}"
        )));
    }
    Ok(())
}

/// CreatePortfolio: a local portfolio of the caller; the same idempotency
/// token answers the same portfolio.
pub fn create_portfolio(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let name = req.required("DisplayName")?.to_string();
    let provider = req.required("ProviderName")?.to_string();
    let token = req.required("IdempotencyToken")?.to_string();
    let description = req.str("Description")?.unwrap_or("").to_string();
    check_length("displayName", &name, 1, 100)?;
    check_length("providerName", &provider, 1, 50)?;
    check_length("description", &description, 0, 2000)?;
    super::launch::check_name("idempotencyToken", &token, false)?;
    // Service Catalog is regional: a token counts in its own region.
    let key = super::authoring::token_key(ctx, "", &token);
    if let Some(p) = world
        .portfolio_tokens
        .get(&key)
        .and_then(|id| world.portfolios.get(id))
    {
        return Ok(json!({ "PortfolioDetail": super::portfolio_detail(p), "Tags": [] }));
    }
    let id = world.ids.next("port");
    let portfolio = Portfolio {
        id: id.clone(),
        owner: ctx.account.clone(),
        region: ctx.region.clone(),
        name,
        description,
        provider,
        created: ctx.now,
        products: Vec::new(),
        shares: Vec::new(),
        tag_options: Vec::new(),
        principals: Vec::new(),
        tags: Vec::new(),
    };
    let detail = super::portfolio_detail(&portfolio);
    world.portfolios.insert(id.clone(), portfolio);
    world.portfolio_tokens.insert(key, id);
    Ok(json!({ "PortfolioDetail": detail, "Tags": [] }))
}

/// DeletePortfolio: refused (ResourceInUseException) while the portfolio
/// holds products, constraints, shares or principals, as AWS refuses; one shared with
/// the caller is not found.
pub fn delete_portfolio(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let id = req.required("Id")?.to_string();
    super::check_id("id", &id)?;
    let p = owned(world, ctx, &id)?;
    let constraints = world
        .constraints
        .values()
        .filter(|c| c.portfolio_id == id)
        .count();
    let in_use = [
        (p.products.len(), "products"),
        (constraints, "constraints"),
        (p.shares.len(), "shares"),
        (p.principals.len(), "principals"),
    ];
    if let Some((n, what)) = in_use.iter().find(|(n, _)| *n > 0) {
        // guess: the message text.
        return Err(ApiError::new(
            400,
            "ResourceInUseException",
            format!("Portfolio {id} has {n} {what} associated with it; remove them first."),
        ));
    }
    world.portfolios.remove(&id);
    Ok(json!({}))
}

pub fn describe_shares(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let id = req.required("PortfolioId")?;
    let kind = req
        .enum_value("Type", &["ACCOUNT", "ORGANIZATION", "ORGANIZATIONAL_UNIT", "ORGANIZATION_MEMBER_ACCOUNT"])?
        .ok_or_else(|| {
            ApiError::validation("1 validation error detected: Value null at 'type' failed to satisfy constraint: Member must not be null")
        })?;
    let p = owned(world, ctx, id)?;
    let details: Vec<Value> = p
        .shares
        .iter()
        .filter(|s| s.kind.wire() == kind)
        .map(|s| {
            let accepted = match s.kind {
                ShareKind::Account => world
                    .accounts
                    .get(&s.principal)
                    .is_some_and(|a| a.accepted.contains(&p.id)),
                _ => true,
            };
            json!({
                "PrincipalId": s.principal, "Type": s.kind.wire(), "Accepted": accepted,
                "ShareTagOptions": s.share_tag_options, "SharePrincipals": s.share_principals,
            })
        })
        .collect();
    let (page, next) = paged(
        &format!("DescribePortfolioShares/{id}/{kind}"),
        ctx,
        req,
        &details,
        100,
    )?;
    Ok(json!({ "PortfolioShareDetails": page, "NextPageToken": next }))
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

pub fn create_share(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let id = req.required("PortfolioId")?.to_string();
    owned(world, ctx, &id)?;
    let share_tag_options = req.bool("ShareTagOptions")?.unwrap_or(false);
    let share_principals = req.bool("SharePrincipals")?.unwrap_or(false);
    let (kind, principal) = share_target(world, ctx, req)?;
    let already = world.portfolios.get(&id).is_some_and(|p| {
        p.shares
            .iter()
            .any(|s| s.kind == kind && s.principal == principal)
    });
    if !already && let Some(p) = world.portfolios.get_mut(&id) {
        p.shares.push(Share {
            kind,
            principal: principal.clone(),
            share_tag_options,
            share_principals,
        });
    }
    if kind == ShareKind::Account {
        return Ok(json!({}));
    }
    let token =
        super::share_status::start_node_operation(world, ctx, id.clone(), kind, principal.clone());
    // guess: a node share that reaches no account (every one failed, the
    // status ends ERROR) leaves no share behind, so it can be made again.
    let failed_everywhere = world
        .share_operations
        .get(&token)
        .is_some_and(|op| !op.accounts.is_empty() && op.failures.len() == op.accounts.len());
    if !already
        && failed_everywhere
        && let Some(p) = world.portfolios.get_mut(&id)
    {
        p.shares
            .retain(|s| !(s.kind == kind && s.principal == principal));
    }
    Ok(json!({ "PortfolioShareToken": token }))
}

/// Whom a share request names: an account (`AccountId`) or an organization
/// node (`OrganizationNode`), checked as CreatePortfolioShare checks them.
fn share_target(
    world: &World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<(ShareKind, String), ApiError> {
    let account = req.str("AccountId")?;
    let node = req.object("OrganizationNode")?;
    match (account, node) {
        (Some(_), Some(_)) | (None, None) => Err(ApiError::invalid_parameters(
            "Either AccountId or OrganizationNode must be provided, but not both.",
        )),
        (Some(a), None) => {
            if !is_account_id(a) {
                return Err(ApiError::validation(format!(
                    "1 validation error detected: Value '{a}' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9]{{12}}$"
                )));
            }
            if a == ctx.account {
                return Err(ApiError::invalid_parameters(
                    "You cannot share a portfolio with your own account.",
                ));
            }
            Ok((ShareKind::Account, a.to_string()))
        }
        (None, Some(n)) => {
            let t = n.get("Type").and_then(Value::as_str).unwrap_or("");
            let v = n.get("Value").and_then(Value::as_str).unwrap_or("");
            let org = world.organization.as_ref().ok_or_else(|| {
                ApiError::invalid_state("AWS Organizations access is not enabled for this account: the account is not in an organization.")
            })?;
            if org.management_account_id != ctx.account {
                return Err(ApiError::new(
                    400,
                    "OperationNotSupportedException",
                    "Only the management account of the organization or a delegated administrator can share with an organization node.",
                ));
            }
            let kind = match t {
                "ORGANIZATION" => ShareKind::Organization,
                "ORGANIZATIONAL_UNIT" => ShareKind::OrganizationalUnit,
                "ACCOUNT" => ShareKind::OrganizationMemberAccount,
                other => {
                    return Err(ApiError::validation(format!(
                        "1 validation error detected: Value '{other}' at 'organizationNode.type' failed to satisfy constraint: Member must satisfy enum value set: [ORGANIZATION, ORGANIZATIONAL_UNIT, ACCOUNT]"
                    )));
                }
            };
            let value = v.rsplit('/').next().unwrap_or(v).to_string();
            let known = match kind {
                ShareKind::Organization => value == org.id,
                ShareKind::OrganizationalUnit => org.ous.iter().any(|o| o.id == value),
                _ => world.accounts.contains_key(&value) && value != ctx.account,
            };
            if !known {
                return Err(ApiError::invalid_parameters(format!(
                    "Organization node {v} is not part of organization {}.",
                    org.id
                )));
            }
            Ok((kind, value))
        }
    }
}

/// DeletePortfolioShare: the owner stops sharing a portfolio with an
/// account or an organization node. The accounts lose the imported
/// portfolio; an account share shared again must be accepted again. An
/// organization node's removal is followed with its token.
pub fn delete_share(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let id = req.required("PortfolioId")?.to_string();
    owned(world, ctx, &id)?;
    let (kind, principal) = share_target(world, ctx, req)?;
    let portfolio = world
        .portfolios
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found(format!("Portfolio {id} not found.")))?;
    let Some(at) = portfolio
        .shares
        .iter()
        .position(|s| s.kind == kind && s.principal == principal)
    else {
        // guess: the error and its words for a share that does not exist.
        return Err(ApiError::not_found(format!(
            "Portfolio {id} is not shared with {principal}."
        )));
    };
    portfolio.shares.remove(at);
    if kind == ShareKind::Account {
        if let Some(a) = world.accounts.get_mut(&principal) {
            a.accepted.remove(&id);
        }
        return Ok(json!({}));
    }
    let token = super::share_status::start_node_operation(world, ctx, id, kind, principal);
    Ok(json!({ "PortfolioShareToken": token }))
}

pub fn accept_share(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let id = req.required("PortfolioId")?.to_string();
    let kind = req
        .enum_value("PortfolioShareType", SHARE_TYPES)?
        .unwrap_or("IMPORTED");
    let not_shared =
        || ApiError::not_found(format!("Portfolio {id} is not shared with this account."));
    let p = world
        .portfolios
        .get(&id)
        .filter(|p| p.region == ctx.region)
        .ok_or_else(not_shared)?;
    match kind {
        "IMPORTED" => {
            if !p
                .shares
                .iter()
                .any(|s| s.kind == ShareKind::Account && s.principal == ctx.account)
            {
                return Err(not_shared());
            }
            if let Some(a) = world.accounts.get_mut(&ctx.account) {
                a.accepted.insert(id);
            }
        }
        "AWS_ORGANIZATIONS" => {
            if !world.imports_via(&ctx.account, p, "AWS_ORGANIZATIONS") {
                return Err(not_shared());
            }
        }
        _ => {
            return Err(ApiError::invalid_parameters(
                "Portfolios shared by AWS Service Catalog cannot be accepted.",
            ));
        }
    }
    Ok(json!({}))
}

pub fn list_for_product(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let product_id = req.required("ProductId")?;
    visible_product(world, ctx, product_id)?;
    let list = world
        .visible_portfolios(&ctx.account, &ctx.region)
        .filter(|p| p.products.iter().any(|x| x == product_id))
        .collect();
    portfolio_page(
        &format!("ListPortfoliosForProduct/{product_id}"),
        ctx,
        req,
        list,
    )
}

pub fn list_constraints(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let portfolio_id = req.required("PortfolioId")?;
    let p = visible_portfolio(world, ctx, portfolio_id)?;
    let product = req.str("ProductId")?;
    let mut list: Vec<_> = world
        .constraints
        .values()
        .filter(|c| c.portfolio_id == p.id && product.is_none_or(|x| x == c.product_id))
        .collect();
    list.sort_by(|a, b| {
        (&a.product_id, &a.constraint_type).cmp(&(&b.product_id, &b.constraint_type))
    });
    let details: Vec<Value> = list.into_iter().map(constraint_detail).collect();
    let (page, next) = paged(
        &format!(
            "ListConstraintsForPortfolio/{portfolio_id}/{}",
            product.unwrap_or("")
        ),
        ctx,
        req,
        &details,
        20,
    )?;
    Ok(json!({ "ConstraintDetails": page, "NextPageToken": next }))
}

pub fn describe_constraint(
    world: &mut World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let id = req.required("Id")?;
    let c = world
        .constraints
        .get(id)
        .filter(|c| visible_portfolio(world, ctx, &c.portfolio_id).is_ok())
        .ok_or_else(|| ApiError::not_found(format!("Constraint {id} not found.")))?;
    Ok(
        json!({ "ConstraintDetail": constraint_detail(c), "ConstraintParameters": c.parameters, "Status": "AVAILABLE" }),
    )
}
