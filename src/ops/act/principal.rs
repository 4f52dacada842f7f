//! Who may launch from a portfolio: principals added and removed
//! (`AssociatePrincipalWithPortfolio`, `DisassociatePrincipalFromPortfolio`),
//! on a local portfolio or an imported one, each with a plan that reads the
//! portfolio's principals first.

use super::{ActError, pick};
use crate::aws::{Reader, Writer};
use crate::model::{FieldError, Portfolio, Principal};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalPlan {
    pub portfolio: Portfolio,
    pub principal: Principal,
    pub add: bool,
    /// It is so already: nothing is sent.
    pub already: bool,
}

impl PrincipalPlan {
    pub fn lines(&self) -> Vec<String> {
        let (p, who) = (&self.portfolio, &self.principal);
        let what = format!("{} ({})", who.arn, who.kind);
        match (self.add, self.already) {
            (true, true) => vec![format!(
                "{what} may launch from {} already: nothing to do",
                p.name
            )],
            (false, true) => vec![format!("{what} is not a principal of {}: nothing to do", p.name)],
            (true, false) => vec![format!(
                "let {what} launch from {} ({}, {})",
                p.name,
                p.id,
                p.origin.describe()
            )],
            (false, false) => vec![
                format!("remove {what} from {} ({})", p.name, p.id),
                "then: it can no longer launch this portfolio's products (what it launched keeps running)".into(),
            ],
        }
    }
}

/// A portfolio of this account, local or imported, by id or name.
pub async fn find_any_portfolio(reader: &Reader, wanted: &str) -> Result<Portfolio, ActError> {
    let all = reader.list_portfolios().await?;
    Ok(pick(&all, wanted, "portfolio", |p| &p.id, |p| &p.name)?.clone())
}

/// The partition of this account (`aws`, `aws-cn`, `aws-us-gov`), from its caller ARN.
async fn partition(reader: &Reader) -> Result<String, ActError> {
    let me = reader.caller_identity().await?;
    Ok(me.arn.split(':').nth(1).unwrap_or("aws").to_string())
}

/// Reads the portfolio and its principals and plans adding or removing
/// `principal` (an ARN, `role/NAME` of this account, or a pattern).
pub async fn plan(
    reader: &Reader,
    portfolio: &str,
    principal: &str,
    add: bool,
) -> Result<PrincipalPlan, ActError> {
    let account = reader.account().await?;
    let partition = partition(reader).await?;
    let principal = Principal::parse(principal, &account, &partition)
        .map_err(|e| ActError::Invalid(vec![FieldError::new("principal", e)]))?;
    let portfolio = find_any_portfolio(reader, portfolio).await?;
    let existing = reader.list_principals(&portfolio.id).await?;
    let has = existing.iter().any(|p| p.arn == principal.arn);
    Ok(PrincipalPlan {
        already: has == add,
        portfolio,
        principal,
        add,
    })
}

pub async fn apply(writer: &Writer, plan: &PrincipalPlan) -> Result<String, ActError> {
    let (p, who) = (&plan.portfolio, &plan.principal);
    if plan.already {
        return Ok(plan.lines().join(""));
    }
    if plan.add {
        writer
            .set_principal(&p.id, &who.arn, &who.kind, true)
            .await?;
        Ok(format!("{} may launch from {}", who.arn, p.name))
    } else {
        writer
            .set_principal(&p.id, &who.arn, &who.kind, false)
            .await?;
        Ok(format!("removed {} from {}", who.arn, p.name))
    }
}
