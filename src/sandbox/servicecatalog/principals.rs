//! The principals of a portfolio: the IAM users, groups and roles (or name
//! patterns) that may launch its products.

use serde_json::{Value, json};

use super::{check_id, paged, visible_portfolio};
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::JsonRequest;
use crate::sandbox::server::Ctx;
use crate::sandbox::world::{Principal, World};

const PRINCIPAL_TYPES: &[&str] = &["IAM", "IAM_PATTERN"];
/// "You can associate a maximum of 10 Principals with a portfolio using
/// PrincipalType as IAM_PATTERN" (AssociatePrincipalWithPortfolio).
const MAX_PATTERNS: usize = 10;

/// Whether `arn` is an IAM user, group or role ARN of `kind`: `IAM` names
/// one account's principal (`arn:aws:iam::123456789012:role/Name`),
/// `IAM_PATTERN` none (`arn:aws:iam:::role/Name`, wildcards allowed).
fn well_formed(arn: &str, kind: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts[..] else {
        return false;
    };
    let account_ok = match kind {
        "IAM" => account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()),
        _ => account.is_empty(),
    };
    let (what, name) = resource.split_once('/').unwrap_or((resource, ""));
    prefix == "arn"
        && partition.starts_with("aws")
        && service == "iam"
        && region.is_empty()
        && account_ok
        && matches!(what, "user" | "group" | "role")
        && !name.is_empty()
        && (kind == "IAM_PATTERN" || !name.contains(['*', '?']))
}

fn principal_type(req: &JsonRequest, required: bool) -> Result<Option<String>, ApiError> {
    let t = req.enum_value("PrincipalType", PRINCIPAL_TYPES)?;
    if required && t.is_none() {
        return Err(ApiError::validation(
            "1 validation error detected: Value null at 'principalType' failed to satisfy constraint: Member must not be null",
        ));
    }
    Ok(t.map(str::to_string))
}

/// AssociatePrincipalWithPortfolio: on a portfolio the caller owns or imported.
pub fn associate(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let portfolio_id = req.required("PortfolioId")?.to_string();
    let arn = req.required("PrincipalARN")?.to_string();
    check_id("portfolioId", &portfolio_id)?;
    let kind = principal_type(req, true)?.unwrap_or_default();
    if !well_formed(&arn, &kind) {
        // guess: the message text.
        return Err(ApiError::invalid_parameters(format!(
            "PrincipalARN {arn} is not a valid {kind} principal: use an IAM user, group or role ARN{}",
            if kind == "IAM" {
                " such as arn:aws:iam::123456789012:role/Launcher"
            } else {
                " with no account, such as arn:aws:iam:::role/Launcher*"
            }
        )));
    }
    let p = visible_portfolio(world, ctx, &portfolio_id)?;
    let patterns = p
        .principals
        .iter()
        .filter(|x| x.kind == "IAM_PATTERN")
        .count();
    let exists = p.principals.iter().any(|x| x.arn == arn);
    if kind == "IAM_PATTERN" && !exists && patterns >= MAX_PATTERNS {
        return Err(ApiError::new(
            400,
            "LimitExceededException",
            // guess: the message text.
            format!("Portfolio {portfolio_id} already has {MAX_PATTERNS} IAM_PATTERN principals."),
        ));
    }
    if let Some(p) = world.portfolios.get_mut(&portfolio_id)
        && !exists
    {
        p.principals.push(Principal { arn, kind });
    }
    Ok(json!({}))
}

/// DisassociatePrincipalFromPortfolio: the type defaults to IAM; a principal
/// the portfolio does not have is not found.
pub fn disassociate(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let portfolio_id = req.required("PortfolioId")?.to_string();
    let arn = req.required("PrincipalARN")?.to_string();
    check_id("portfolioId", &portfolio_id)?;
    let kind = principal_type(req, false)?.unwrap_or_else(|| "IAM".into());
    let p = visible_portfolio(world, ctx, &portfolio_id)?;
    if !p.principals.iter().any(|x| x.arn == arn && x.kind == kind) {
        // guess: the message text.
        return Err(ApiError::not_found(format!(
            "Principal {arn} is not associated with portfolio {portfolio_id}."
        )));
    }
    if let Some(p) = world.portfolios.get_mut(&portfolio_id) {
        p.principals.retain(|x| !(x.arn == arn && x.kind == kind));
    }
    Ok(json!({}))
}

/// ListPrincipalsForPortfolio: paged, at most 20 a page.
pub fn list(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let portfolio_id = req.required("PortfolioId")?;
    check_id("portfolioId", portfolio_id)?;
    let p = visible_portfolio(world, ctx, portfolio_id)?;
    let items: Vec<Value> = p
        .principals
        .iter()
        .map(|x| json!({"PrincipalARN": x.arn, "PrincipalType": x.kind}))
        .collect();
    let scope = format!("ListPrincipalsForPortfolio/{portfolio_id}");
    let (page, next) = paged(&scope, ctx, req, &items, 20)?;
    Ok(json!({ "Principals": page, "NextPageToken": next }))
}

#[cfg(test)]
mod tests {
    use super::well_formed;

    #[test]
    fn principals_are_iam_arns_of_their_kind() {
        assert!(well_formed("arn:aws:iam::123456789012:role/Admin", "IAM"));
        assert!(well_formed("arn:aws:iam::123456789012:user/a/b", "IAM"));
        assert!(well_formed("arn:aws:iam:::role/Dev*", "IAM_PATTERN"));
        assert!(!well_formed("arn:aws:iam:::role/Dev", "IAM"));
        assert!(!well_formed(
            "arn:aws:iam::123456789012:role/Dev",
            "IAM_PATTERN"
        ));
        assert!(!well_formed("arn:aws:s3:::bucket", "IAM"));
        assert!(!well_formed("role/Admin", "IAM"));
        assert!(!well_formed("arn:aws:iam::123456789012:policy/P", "IAM"));
        assert!(!well_formed("arn:aws:iam::123456789012:role/A*", "IAM"));
    }
}
