//! Makes a sync's changes, in the plan's order, each through the ops the
//! other commands run (journaled by the writer); a portfolio or product
//! created earlier in the run is found by name.

use std::collections::BTreeMap;

use super::{Change, SyncPlan};
use crate::aws::{Reader, VersionSource, Writer};
use crate::model::mapping::Tag;
use crate::ops::act::{ActError, opt_in, portfolio, publish};

/// How one change went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub line: String,
    pub ok: bool,
}

/// A token from the account and what a change makes: a run killed and
/// run again creates nothing twice.
fn token(account: &str, parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(account.as_bytes());
    for p in parts {
        hash.update(b"/");
        hash.update(p.as_bytes());
    }
    format!("spoke-{}", &hex::encode(hash.finalize())[..32])
}

/// The ids of portfolios and products by name, as read and as created.
struct Ids {
    portfolios: BTreeMap<String, String>,
    products: BTreeMap<String, String>,
}

impl Ids {
    fn portfolio(&self, name: &str) -> Result<&str, ActError> {
        self.portfolios
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| {
                ActError::Refused(format!(
                    "the portfolio {name} is not there (it was not created)"
                ))
            })
    }
    fn product(&self, name: &str) -> Result<&str, ActError> {
        self.products.get(name).map(String::as_str).ok_or_else(|| {
            ActError::Refused(format!(
                "the product {name} is not there (it was not created)"
            ))
        })
    }
}

/// Applies `plan`; one line per change. A change that fails is said and
/// the run goes on with the others that do not depend on it.
pub async fn apply(
    writer: &Writer,
    reader: &Reader,
    plan: &SyncPlan,
    mut on_line: impl FnMut(&Applied),
) -> Result<Vec<Applied>, ActError> {
    let account = reader.account().await?;
    let mut ids = Ids {
        portfolios: reader
            .list_local_portfolios()
            .await?
            .into_iter()
            .map(|p| (p.name, p.id))
            .collect(),
        products: reader
            .list_products()
            .await?
            .into_iter()
            .filter(|p| p.origin.is_local())
            .map(|p| (p.name, p.id))
            .collect(),
    };
    let mut done = Vec::new();
    for change in &plan.changes {
        let result = one(writer, reader, plan, &account, &mut ids, change).await;
        let applied = match result {
            Ok(()) => Applied {
                line: change.line(),
                ok: true,
            },
            Err(ActError::Journal(e)) => return Err(ActError::Journal(e)),
            Err(e) => Applied {
                line: format!("FAILED {} — {e}", change.line()),
                ok: false,
            },
        };
        on_line(&applied);
        done.push(applied);
    }
    Ok(done)
}

/// Stops sharing portfolio `id` with `targets`, each followed to its end.
async fn unshare(
    writer: &Writer,
    reader: &Reader,
    id: &str,
    name: &str,
    targets: Vec<crate::model::ShareTarget>,
) -> Result<(), ActError> {
    let plan = crate::ops::act::share::UnsharePlan {
        portfolio_id: id.to_string(),
        portfolio_name: name.to_string(),
        targets,
        not_shared: Vec::new(),
        notes: Vec::new(),
    };
    let results = crate::ops::act::share::apply_unshare(
        writer,
        reader,
        &plan,
        crate::ops::act::share::SHARE_POLL,
        |_| {},
    )
    .await?;
    match results.iter().find(|r| !r.ok()) {
        Some(r) => Err(ActError::Refused(r.line())),
        None => Ok(()),
    }
}

async fn one(
    writer: &Writer,
    reader: &Reader,
    plan: &SyncPlan,
    account: &str,
    ids: &mut Ids,
    change: &Change,
) -> Result<(), ActError> {
    match change {
        Change::CreatePortfolio {
            name,
            provider,
            description,
        } => {
            let plan =
                portfolio::plan_create(reader, name, provider, description.as_deref()).await?;
            let id = portfolio::create(writer, &plan).await?;
            ids.portfolios.insert(name.clone(), id);
        }
        Change::UpdatePortfolio {
            portfolio,
            provider,
            description,
        } => {
            writer
                .update_portfolio(
                    ids.portfolio(portfolio)?,
                    None,
                    provider.as_deref(),
                    description.as_deref(),
                )
                .await?;
        }
        Change::TagPortfolio {
            portfolio,
            add,
            remove,
        } => {
            let add: Vec<(String, String)> = add
                .iter()
                .map(|Tag { key, value }| (key.clone(), value.clone()))
                .collect();
            writer
                .tag_portfolio(ids.portfolio(portfolio)?, &add, remove)
                .await?;
        }
        Change::CreateProduct {
            portfolio,
            name,
            owner,
            description,
            version,
            version_description,
            template,
            digest,
        } => {
            let publish = publish::prepare(reader, template, plan.bucket.as_deref()).await?;
            let url = publish::store(writer, reader, &publish).await?;
            let fields = crate::aws::ProductFields {
                name: name.clone(),
                owner: owner.clone(),
                description: description.clone(),
                ..Default::default()
            };
            let source = VersionSource {
                name: version.clone(),
                description: version_description.clone(),
                template_url: url,
            };
            let (id, _) = writer
                .create_product(
                    &fields,
                    &source,
                    &token(account, &["product", name, digest]),
                )
                .await?;
            ids.products.insert(name.clone(), id.clone());
            writer
                .associate_product(&id, ids.portfolio(portfolio)?, None)
                .await?;
        }
        Change::UpdateProduct {
            product,
            owner,
            description,
        } => {
            writer
                .update_product(
                    ids.product(product)?,
                    None,
                    owner.as_deref(),
                    description.as_deref(),
                )
                .await?;
        }
        Change::AddVersion {
            product,
            version,
            description,
            template,
            digest,
        } => {
            let publish = publish::prepare(reader, template, plan.bucket.as_deref()).await?;
            let url = publish::store(writer, reader, &publish).await?;
            let id = ids.product(product)?.to_string();
            let source = VersionSource {
                name: version.clone(),
                description: description.clone(),
                template_url: url,
            };
            writer
                .create_version(&id, &source, &token(account, &["version", &id, digest]))
                .await?;
        }
        Change::AddToPortfolio { product, portfolio } => {
            writer
                .associate_product(ids.product(product)?, ids.portfolio(portfolio)?, None)
                .await?;
        }
        Change::Deprecate {
            product,
            version_id,
            ..
        } => {
            writer
                .update_version(ids.product(product)?, version_id, None, Some(true))
                .await?;
        }
        Change::Share {
            portfolio,
            target,
            share_tag_options,
            share_principals,
        } => {
            let share = crate::ops::act::share::SharePlan {
                portfolio_id: ids.portfolio(portfolio)?.to_string(),
                portfolio_name: portfolio.clone(),
                targets: vec![target.clone()],
                share_tag_options: *share_tag_options,
                share_principals: *share_principals,
                already: Vec::new(),
                notes: Vec::new(),
            };
            let results = crate::ops::act::share::apply(
                writer,
                reader,
                &share,
                crate::ops::act::share::SHARE_POLL,
                |_| {},
            )
            .await?;
            if let Some(r) = results.iter().find(|r| !r.ok()) {
                return Err(ActError::Refused(r.line()));
            }
        }
        Change::Unshare { portfolio, target } => {
            let id = ids.portfolio(portfolio)?.to_string();
            unshare(writer, reader, &id, portfolio, vec![target.clone()]).await?;
        }
        Change::AddPrincipal {
            portfolio,
            principal,
        } => {
            writer
                .set_principal(
                    ids.portfolio(portfolio)?,
                    &principal.arn,
                    &principal.kind,
                    true,
                )
                .await?;
        }
        Change::RemovePrincipal {
            portfolio,
            principal,
        } => {
            writer
                .set_principal(
                    ids.portfolio(portfolio)?,
                    &principal.arn,
                    &principal.kind,
                    false,
                )
                .await?;
        }
        Change::OptIn { product } => {
            let plan = opt_in::plan(reader, ids.product(product)?, true).await?;
            opt_in::apply(writer, &plan).await?;
        }
        Change::LaunchConstraint {
            portfolio,
            product,
            role,
        } => {
            let role = crate::ops::act::accept::parse_role(role).map_err(ActError::Refused)?;
            let (pf, pr) = (ids.portfolio(portfolio)?, ids.product(product)?);
            writer
                .create_launch_constraint(pf, pr, &role, &token(account, &["launch", pf, pr]))
                .await?;
        }
        Change::RemoveFromPortfolio {
            product,
            portfolio,
            constraints,
        } => {
            for c in constraints {
                writer.delete_constraint(c).await?;
            }
            writer
                .disassociate_product(ids.product(product)?, ids.portfolio(portfolio)?)
                .await?;
        }
        Change::DeleteProduct { product } => {
            writer.delete_product(ids.product(product)?).await?;
        }
        Change::DeletePortfolio {
            portfolio,
            constraints,
            products,
            shares,
            principals,
        } => {
            let id = ids.portfolio(portfolio)?.to_string();
            for c in constraints {
                writer.delete_constraint(c).await?;
            }
            for p in products {
                writer.disassociate_product(ids.product(p)?, &id).await?;
            }
            if !shares.is_empty() {
                unshare(writer, reader, &id, portfolio, shares.clone()).await?;
            }
            for p in principals {
                writer.set_principal(&id, &p.arn, &p.kind, false).await?;
            }
            writer.delete_portfolio(&id).await?;
        }
        Change::TagOption {
            kind,
            name,
            key,
            value,
            add,
        } => {
            let resource = if *kind == "portfolio" {
                ids.portfolio(name)?.to_string()
            } else {
                ids.product(name)?.to_string()
            };
            let existing = reader
                .list_tag_options(Some(key))
                .await?
                .into_iter()
                .find(|t| t.key == *key && t.value == *value);
            let id = match (existing, add) {
                (Some(t), _) => t.id,
                (None, true) => writer.create_tag_option(key, value).await?,
                (None, false) => return Ok(()),
            };
            writer.tag_resource(&resource, &id, *add).await?;
        }
        Change::TemplateConstraint {
            portfolio,
            product,
            rules,
        } => {
            let (pf, pr) = (ids.portfolio(portfolio)?, ids.product(product)?);
            writer
                .create_constraint(
                    pf,
                    pr,
                    "TEMPLATE",
                    rules,
                    None,
                    &token(account, &["template", pf, pr, rules]),
                )
                .await?;
        }
    }
    Ok(())
}
