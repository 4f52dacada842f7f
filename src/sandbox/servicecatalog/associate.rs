//! AssociateProductWithPortfolio: a product goes into a local portfolio, from
//! the caller's own products or from a portfolio it imported.

use serde_json::{Value, json};

use super::check_id;
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::JsonRequest;
use crate::sandbox::server::Ctx;
use crate::sandbox::world::{ShareKind, World};

pub fn associate(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let product_id = req.required("ProductId")?.to_string();
    let portfolio_id = req.required("PortfolioId")?.to_string();
    let source = req.str("SourcePortfolioId")?.map(str::to_string);
    check_id("productId", &product_id)?;
    check_id("portfolioId", &portfolio_id)?;
    if let Some(s) = &source {
        check_id("sourcePortfolioId", s)?;
    }
    world
        .portfolios
        .get(&portfolio_id)
        .filter(|p| p.owner == ctx.account && p.region == ctx.region)
        .ok_or_else(|| ApiError::not_found(format!("Portfolio {portfolio_id} not found.")))?;
    let product = world
        .products
        .get(&product_id)
        .filter(|p| p.region == ctx.region)
        .ok_or_else(|| ApiError::not_found(format!("Product {product_id} not found.")))?;
    let own = product.owner_account == ctx.account;
    match &source {
        Some(source) => {
            let sp = world
                .portfolios
                .get(source)
                .filter(|p| p.region == ctx.region && p.owner != ctx.account)
                .ok_or_else(|| ApiError::not_found(format!("Portfolio {source} not found.")))?;
            if world.import_type(&ctx.account, sp).is_none() {
                let pending = sp
                    .shares
                    .iter()
                    .any(|s| s.kind == ShareKind::Account && s.principal == ctx.account);
                return Err(if pending {
                    ApiError::invalid_parameters(format!(
                        "Portfolio {source} must be accepted before you can associate Products from it"
                    ))
                } else {
                    ApiError::not_found(format!("Portfolio {source} not found."))
                });
            }
            if !sp.products.contains(&product_id) {
                return Err(ApiError::invalid_parameters(format!(
                    "Product {product_id} is not associated with portfolio {source}."
                )));
            }
        }
        None if own => {}
        None => {
            let imported = world.portfolios.values().any(|p| {
                p.region == ctx.region
                    && p.products.contains(&product_id)
                    && world.import_type(&ctx.account, p).is_some()
            });
            if !imported {
                return Err(ApiError::not_found(format!(
                    "Product {product_id} not found."
                )));
            }
        }
    }
    if let Some(p) = world.portfolios.get_mut(&portfolio_id)
        && !p.products.contains(&product_id)
    {
        p.products.push(product_id);
    }
    Ok(json!({}))
}

/// DisassociateProductFromPortfolio: refused while the product has
/// constraints in that portfolio.
pub fn disassociate(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let product_id = req.required("ProductId")?.to_string();
    let portfolio_id = req.required("PortfolioId")?.to_string();
    check_id("productId", &product_id)?;
    check_id("portfolioId", &portfolio_id)?;
    let p = world
        .portfolios
        .get(&portfolio_id)
        .filter(|p| p.owner == ctx.account && p.region == ctx.region)
        .ok_or_else(|| ApiError::not_found(format!("Portfolio {portfolio_id} not found.")))?;
    if !p.products.contains(&product_id) {
        return Err(ApiError::not_found(format!(
            "Product {product_id} is not associated with portfolio {portfolio_id}."
        )));
    }
    let constraints = world
        .constraints
        .values()
        .filter(|c| c.portfolio_id == portfolio_id && c.product_id == product_id)
        .count();
    if constraints > 0 {
        // guess: that constraints block it, and the message text.
        return Err(ApiError::new(
            400,
            "ResourceInUseException",
            format!(
                "Product {product_id} has {constraints} constraint(s) in portfolio {portfolio_id}; delete them first."
            ),
        ));
    }
    if let Some(p) = world.portfolios.get_mut(&portfolio_id) {
        p.products.retain(|x| x != &product_id);
    }
    Ok(json!({}))
}
