//! The hub's side: local portfolios created and deleted
//! (`CreatePortfolio`, `DeletePortfolio`), each with a plan that reads
//! what exists first.

use sha2::{Digest, Sha256};

use super::{ActError, pick};
use crate::aws::{Reader, Writer};
use crate::model::{FieldError, Portfolio};

/// A portfolio to create, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatePlan {
    pub name: String,
    pub provider: String,
    pub description: Option<String>,
    /// A local portfolio of that name exists: nothing is created.
    pub existing: Option<Portfolio>,
    /// Derived from the account and the name: a retry after a timeout
    /// creates one portfolio, not two.
    pub token: String,
}

impl CreatePlan {
    pub fn lines(&self) -> Vec<String> {
        match &self.existing {
            Some(p) => vec![format!(
                "a local portfolio named {} exists already ({}): nothing to create",
                p.name, p.id
            )],
            None => vec![format!(
                "create the local portfolio {} (provider {}{})",
                self.name,
                self.provider,
                self.description
                    .as_deref()
                    .map(|d| format!(", {d}"))
                    .unwrap_or_default()
            )],
        }
    }
}

/// Checks the fields as AWS does (display name 1–100 characters, provider
/// 1–50, description up to 2,000) and reads the local portfolios.
pub async fn plan_create(
    reader: &Reader,
    name: &str,
    provider: &str,
    description: Option<&str>,
) -> Result<CreatePlan, ActError> {
    let (name, provider) = (name.trim(), provider.trim());
    let mut errors = Vec::new();
    let length =
        |field: &str, value: &str, min: usize, max: usize, errors: &mut Vec<FieldError>| {
            let n = value.chars().count();
            if n < min || n > max {
                errors.push(FieldError::new(
                    field,
                    format!("{min} to {max} characters (this is {n})"),
                ));
            }
        };
    length("name", name, 1, 100, &mut errors);
    length("provider", provider, 1, 50, &mut errors);
    if let Some(d) = description {
        length("description", d, 0, 2000, &mut errors);
    }
    if !errors.is_empty() {
        return Err(ActError::Invalid(errors));
    }
    let locals = reader.list_local_portfolios().await?;
    let account = reader.account().await?;
    let mut hash = Sha256::new();
    hash.update(account.as_bytes());
    hash.update(b"/portfolio/");
    hash.update(name.as_bytes());
    Ok(CreatePlan {
        existing: locals.into_iter().find(|p| p.name == name),
        name: name.to_string(),
        provider: provider.to_string(),
        description: description.map(str::to_string),
        token: format!("spoke-{}", &hex::encode(hash.finalize())[..32]),
    })
}

/// Creates it (nothing when it exists); its id.
pub async fn create(writer: &Writer, plan: &CreatePlan) -> Result<String, ActError> {
    if let Some(p) = &plan.existing {
        return Ok(p.id.clone());
    }
    Ok(writer
        .create_portfolio(
            &plan.name,
            &plan.provider,
            plan.description.as_deref(),
            &plan.token,
        )
        .await?)
}

/// A portfolio to delete, and what keeps it from being deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletePlan {
    pub portfolio: Portfolio,
    /// "3 products", "2 shares"…: AWS refuses while any is there.
    pub in_use: Vec<String>,
}

impl DeletePlan {
    pub fn lines(&self) -> Vec<String> {
        if self.in_use.is_empty() {
            vec![format!(
                "delete the local portfolio {} ({})",
                self.portfolio.name, self.portfolio.id
            )]
        } else {
            vec![format!(
                "{} ({}) cannot be deleted while it has {}: remove them first",
                self.portfolio.name,
                self.portfolio.id,
                self.in_use.join(", ")
            )]
        }
    }
}

/// Reads the local portfolio `wanted` (id or name) and what it holds.
pub async fn plan_delete(reader: &Reader, wanted: &str) -> Result<DeletePlan, ActError> {
    let locals = reader.list_local_portfolios().await?;
    let portfolio = pick(&locals, wanted, "local portfolio", |p| &p.id, |p| &p.name)?.clone();
    let (products, constraints, shares) = tokio::join!(
        reader.list_products_in(&portfolio.id),
        reader.list_constraints(&portfolio.id),
        reader.list_shares(&portfolio.id)
    );
    let counted = [
        (products?.len(), "product"),
        (constraints?.len(), "constraint"),
        (shares?.len(), "share"),
    ];
    let in_use = counted
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}{}", if *n == 1 { "" } else { "s" }))
        .collect();
    Ok(DeletePlan { portfolio, in_use })
}

/// Deletes it; refused before any call while it holds anything.
pub async fn delete(writer: &Writer, plan: &DeletePlan) -> Result<(), ActError> {
    if !plan.in_use.is_empty() {
        return Err(ActError::Refused(plan.lines().join("")));
    }
    Ok(writer.delete_portfolio(&plan.portfolio.id).await?)
}

/// A local portfolio's name, provider or description changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatePlan {
    pub portfolio: Portfolio,
    pub name: Option<String>,
    pub provider: Option<String>,
    pub description: Option<String>,
}

impl UpdatePlan {
    pub fn changes(&self) -> Vec<String> {
        let p = &self.portfolio;
        super::field_changes(&[
            ("name", Some(p.name.as_str()), self.name.as_deref()),
            ("provider", p.provider.as_deref(), self.provider.as_deref()),
            (
                "description",
                p.description.as_deref(),
                self.description.as_deref(),
            ),
        ])
    }

    pub fn lines(&self) -> Vec<String> {
        let p = &self.portfolio;
        super::change_lines(
            &p.name,
            format!("change {} ({})", p.name, p.id),
            self.changes(),
        )
    }
}

pub async fn plan_update(
    reader: &Reader,
    wanted: &str,
    name: Option<&str>,
    provider: Option<&str>,
    description: Option<&str>,
) -> Result<UpdatePlan, ActError> {
    if name.is_none() && provider.is_none() && description.is_none() {
        return Err(ActError::Refused(
            "nothing to change: give --name, --provider or --description".into(),
        ));
    }
    let mut errors = Vec::new();
    for (field, value, max) in [("name", name, 100), ("provider", provider, 50)] {
        if let Some(v) = value {
            let n = v.trim().chars().count();
            if n == 0 || n > max {
                errors.push(FieldError::new(
                    field,
                    format!("1 to {max} characters (this is {n})"),
                ));
            }
        }
    }
    if description.is_some_and(|d| d.chars().count() > 2000) {
        errors.push(FieldError::new("description", "up to 2000 characters"));
    }
    if !errors.is_empty() {
        return Err(ActError::Invalid(errors));
    }
    let locals = reader.list_local_portfolios().await?;
    let portfolio = pick(&locals, wanted, "local portfolio", |p| &p.id, |p| &p.name)?.clone();
    Ok(UpdatePlan {
        portfolio,
        name: name.map(|s| s.trim().to_string()),
        provider: provider.map(|s| s.trim().to_string()),
        description: description.map(str::to_string),
    })
}

pub async fn update(writer: &Writer, plan: &UpdatePlan) -> Result<String, ActError> {
    if plan.changes().is_empty() {
        return Ok(plan.lines().join(""));
    }
    writer
        .update_portfolio(
            &plan.portfolio.id,
            plan.name.as_deref(),
            plan.provider.as_deref(),
            plan.description.as_deref(),
        )
        .await?;
    Ok(format!("changed {}", plan.portfolio.name))
}
