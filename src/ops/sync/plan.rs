//! Reads the hub and compares it with the folder.

use std::collections::BTreeSet;

use super::{Change, SyncOptions, SyncPlan};
use crate::aws::Reader;
use crate::model::mapping::{PortfolioDir, ProductEntry, Tag};
use crate::model::{
    ConstraintKind, ConstraintParams, LaunchRole, Principal, Product, ShareKind, ShareTarget,
    Version, template,
};
use crate::ops::act::ActError;

/// The name a new version gets when the mapping gives none: the number
/// after the newest version's last number (`v2` → `v3`, `1.4` → `1.5`),
/// else `v` and the count.
pub fn next_version_name(versions: &[Version]) -> String {
    let newest = crate::model::product::ordered(versions).last().copied();
    let taken = |n: &str| versions.iter().any(|v| v.name == n);
    if let Some(v) = newest {
        let name = &v.name;
        let end = name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if end < name.len()
            && let Ok(n) = name[end..].parse::<u64>()
        {
            let next = format!("{}{}", &name[..end], n + 1);
            if !taken(&next) {
                return next;
            }
        }
    }
    let mut n = versions.len() + 1;
    while taken(&format!("v{n}")) {
        n += 1;
    }
    format!("v{n}")
}

/// The digests of a product's versions: from the content-addressed key of
/// each one stored by spoke; for the newest one without (published by
/// other means), its template read back from S3 when it can be.
async fn version_digests(
    reader: &Reader,
    product: &Product,
    versions: &[Version],
) -> Result<BTreeSet<String>, ActError> {
    let mut digests = BTreeSet::new();
    let newest = crate::model::product::ordered(versions)
        .last()
        .map(|v| v.id.clone());
    for v in versions {
        let url = reader.version_template_url(&product.id, &v.id).await?;
        match url.as_deref().and_then(template::digest_in_url) {
            Some(d) => {
                digests.insert(d.to_string());
            }
            None if Some(&v.id) == newest.as_ref() => {
                if let Some(url) = url
                    && let Ok(Some(bytes)) = reader.s3_object(&url).await
                {
                    use sha2::Digest;
                    digests.insert(hex::encode(sha2::Sha256::digest(&bytes)));
                }
            }
            None => {}
        }
    }
    Ok(digests)
}

fn tags_changes(desired: &[Tag], existing: &[(String, String)]) -> (Vec<Tag>, Vec<String>) {
    let add = desired
        .iter()
        .filter(|t| !existing.iter().any(|(k, v)| *k == t.key && *v == t.value))
        .cloned()
        .collect();
    let remove = existing
        .iter()
        .filter(|(k, _)| !desired.iter().any(|t| t.key == *k))
        .map(|(k, _)| k.clone())
        .collect();
    (add, remove)
}

/// The TagOptions a portfolio or product should carry (`desired`) against
/// those it carries: the missing ones added, the others taken off.
fn tag_option_changes(
    out: &mut SyncPlan,
    kind: &'static str,
    name: &str,
    desired: &[Tag],
    existing: &[crate::model::TagOptionEntry],
) {
    for t in desired {
        if !existing
            .iter()
            .any(|e| e.key == t.key && e.value == t.value)
        {
            out.changes.push(Change::TagOption {
                kind,
                name: name.to_string(),
                key: t.key.clone(),
                value: t.value.clone(),
                add: true,
            });
        }
    }
    for e in existing {
        // The auto-update opt-in is `auto_update`'s, not the list's.
        if e.opts_in() {
            continue;
        }
        if !desired.iter().any(|t| t.key == e.key && t.value == e.value) {
            out.changes.push(Change::TagOption {
                kind,
                name: name.to_string(),
                key: e.key.clone(),
                value: e.value.clone(),
                add: false,
            });
        }
    }
}

/// Reads the hub and plans what brings it in step with `dirs`.
pub async fn plan(
    reader: &Reader,
    dirs: &[PortfolioDir],
    options: &SyncOptions,
) -> Result<SyncPlan, ActError> {
    let account = reader.account().await?;
    let partition = reader
        .caller_identity()
        .await?
        .arn
        .split(':')
        .nth(1)
        .unwrap_or("aws")
        .to_string();
    let locals = reader.list_local_portfolios().await?;
    let products: Vec<Product> = reader
        .list_products()
        .await?
        .into_iter()
        .filter(|p| p.origin.is_local())
        .collect();
    let mut out = SyncPlan {
        bucket: options.bucket.clone(),
        ..SyncPlan::default()
    };
    // The organization id, once, if a mapping shares with it.
    let mut organization: Option<String> = None;
    for dir in dirs {
        let m = &dir.mapping;
        let existing = locals.iter().find(|p| p.name == m.name);
        let provider = m.owner.clone().unwrap_or_else(|| "spoke sync".into());
        // The portfolio and its tags.
        let (tags, tag_options, shares, principals, held, constraints) = match existing {
            None => {
                out.changes.push(Change::CreatePortfolio {
                    name: m.name.clone(),
                    provider: provider.clone(),
                    description: m.description.clone(),
                });
                (
                    Vec::new(),
                    Vec::new(),
                    Vec::new(),
                    Vec::new(),
                    Vec::new(),
                    Vec::new(),
                )
            }
            Some(p) => {
                let provider_changes = m
                    .owner
                    .as_ref()
                    .filter(|o| Some(*o) != p.provider.as_ref())
                    .cloned();
                let description_changes = m
                    .description
                    .as_ref()
                    .filter(|d| Some(*d) != p.description.as_ref())
                    .cloned();
                if provider_changes.is_some() || description_changes.is_some() {
                    out.changes.push(Change::UpdatePortfolio {
                        portfolio: m.name.clone(),
                        provider: provider_changes,
                        description: description_changes,
                    });
                }
                let (tags, shares, principals, held, constraints) = tokio::join!(
                    reader.portfolio_tags(&p.id),
                    reader.list_shares(&p.id),
                    reader.list_principals(&p.id),
                    reader.list_products_in(&p.id),
                    reader.list_constraints(&p.id)
                );
                let (tags, tag_options) = tags?;
                (tags, tag_options, shares?, principals?, held?, constraints?)
            }
        };
        tag_option_changes(&mut out, "portfolio", &m.name, &m.tag_options, &tag_options);
        let (add, remove) = tags_changes(&m.tags, &tags);
        if !add.is_empty() || !remove.is_empty() {
            out.changes.push(Change::TagPortfolio {
                portfolio: m.name.clone(),
                add,
                remove,
            });
        }
        // Its products.
        for entry in &m.products {
            plan_product(reader, &mut out, dir, entry, &products, &held, &constraints).await?;
        }
        for p in &held {
            if p.origin.is_local() && !m.products.iter().any(|e| e.name == p.name) {
                if options.prune {
                    out.changes.push(Change::RemoveFromPortfolio {
                        product: p.name.clone(),
                        portfolio: m.name.clone(),
                        constraints: constraints
                            .iter()
                            .filter(|c| c.product_id == p.id && !c.inherited)
                            .map(|c| c.id.clone())
                            .collect(),
                    });
                } else {
                    out.not_in_folder
                        .push(format!("product {} in {}", p.name, m.name));
                }
            }
        }
        // Shares: accounts, OUs, the organization.
        let mut wanted: Vec<ShareTarget> = m
            .accounts
            .iter()
            .map(|a| ShareTarget::Account(a.number.clone()))
            .collect();
        wanted.extend(
            m.organizational_units
                .iter()
                .map(|ou| ShareTarget::OrganizationalUnit(ou.clone())),
        );
        if m.organization {
            if organization.is_none() {
                organization = Some(reader.organization_id().await?);
            }
            if let Some(org) = &organization {
                wanted.push(ShareTarget::Organization(org.clone()));
            }
        }
        let kind_of = |t: &ShareTarget| match t {
            ShareTarget::Account(_) => ShareKind::Account,
            ShareTarget::OrganizationalUnit(_) => ShareKind::OrganizationalUnit,
            ShareTarget::Organization(_) => ShareKind::Organization,
        };
        for t in &wanted {
            if !shares
                .iter()
                .any(|s| s.kind == kind_of(t) && s.principal == t.id())
            {
                out.changes.push(Change::Share {
                    portfolio: m.name.clone(),
                    target: t.clone(),
                    share_tag_options: m.share_tag_options,
                    share_principals: m.share_principals,
                });
            }
        }
        for s in &shares {
            let target = match s.kind {
                ShareKind::Account => ShareTarget::Account(s.principal.clone()),
                ShareKind::OrganizationalUnit => {
                    ShareTarget::OrganizationalUnit(s.principal.clone())
                }
                ShareKind::Organization => ShareTarget::Organization(s.principal.clone()),
                // Reached through an organization share: not one of its own.
                ShareKind::OrganizationMemberAccount => continue,
            };
            if !wanted.contains(&target) {
                out.changes.push(Change::Unshare {
                    portfolio: m.name.clone(),
                    target,
                });
            }
        }
        // Principals.
        let mut desired: Vec<Principal> = Vec::new();
        for text in &m.principals {
            let p = Principal::parse(text, &account, &partition).map_err(|e| {
                ActError::Refused(format!(
                    "{}: principal {e}",
                    dir.dir.join("mapping.yaml").display()
                ))
            })?;
            desired.push(p);
        }
        for p in &desired {
            if !principals.iter().any(|x| x.arn == p.arn) {
                out.changes.push(Change::AddPrincipal {
                    portfolio: m.name.clone(),
                    principal: p.clone(),
                });
            }
        }
        for p in &principals {
            if !desired.iter().any(|x| x.arn == p.arn) {
                out.changes.push(Change::RemovePrincipal {
                    portfolio: m.name.clone(),
                    principal: p.clone(),
                });
            }
        }
    }
    for p in &locals {
        if dirs.iter().any(|d| d.mapping.name == p.name) {
            continue;
        }
        if !options.prune {
            out.not_in_folder.push(format!("portfolio {}", p.name));
            continue;
        }
        let (constraints, held, shares, principals) = tokio::join!(
            reader.list_constraints(&p.id),
            reader.list_products_in(&p.id),
            reader.list_shares(&p.id),
            reader.list_principals(&p.id)
        );
        out.changes.push(Change::DeletePortfolio {
            portfolio: p.name.clone(),
            constraints: constraints?
                .into_iter()
                .filter(|c| !c.inherited)
                .map(|c| c.id)
                .collect(),
            products: held?.into_iter().map(|x| x.name).collect(),
            shares: shares?
                .into_iter()
                .filter_map(|s| match s.kind {
                    ShareKind::Account => Some(ShareTarget::Account(s.principal)),
                    ShareKind::OrganizationalUnit => {
                        Some(ShareTarget::OrganizationalUnit(s.principal))
                    }
                    ShareKind::Organization => Some(ShareTarget::Organization(s.principal)),
                    ShareKind::OrganizationMemberAccount => None,
                })
                .collect(),
            principals: principals?,
        });
    }
    // Products named in no mapping: deleted, once out of every portfolio.
    let named: BTreeSet<&str> = dirs
        .iter()
        .flat_map(|d| d.mapping.products.iter().map(|p| p.name.as_str()))
        .collect();
    for p in &products {
        if named.contains(p.name.as_str()) {
            continue;
        }
        let said = format!("product {} ", p.name);
        if options.prune {
            out.changes.push(Change::DeleteProduct {
                product: p.name.clone(),
            });
        } else if !out.not_in_folder.iter().any(|n| n.starts_with(&said)) {
            out.not_in_folder.push(format!("product {}", p.name));
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
async fn plan_product(
    reader: &Reader,
    out: &mut SyncPlan,
    dir: &PortfolioDir,
    entry: &ProductEntry,
    products: &[Product],
    held: &[Product],
    constraints: &[crate::model::Constraint],
) -> Result<(), ActError> {
    let portfolio = &dir.mapping.name;
    let path = dir.dir.join(&entry.template);
    let bytes = std::fs::read(&path)
        .map_err(|e| ActError::Refused(format!("{}: cannot read it: {e}", path.display())))?;
    let file = template::check(&bytes).map_err(|e| {
        ActError::Invalid(vec![crate::model::FieldError::new(
            "template",
            format!("{}: {e}", path.display()),
        )])
    })?;
    let owner = entry.owner.clone().unwrap_or_else(|| "spoke sync".into());
    let existing = products.iter().find(|p| p.name == entry.name);
    let Some(product) = existing else {
        out.changes.push(Change::CreateProduct {
            portfolio: portfolio.clone(),
            name: entry.name.clone(),
            owner,
            description: entry.description.clone(),
            version: entry.version.clone().unwrap_or_else(|| "v1".into()),
            version_description: entry.version_description.clone(),
            template: path,
            digest: file.digest,
        });
        tag_option_changes(out, "product", &entry.name, &entry.tag_options, &[]);
        plan_product_extras(out, portfolio, entry, None, constraints);
        return Ok(());
    };
    let versions = reader.list_versions(&product.id).await?;
    let digests = version_digests(reader, product, &versions).await?;
    let mut new_version = None;
    if !digests.contains(&file.digest) {
        let name = match &entry.version {
            Some(v) if !versions.iter().any(|x| &x.name == v) => v.clone(),
            _ => next_version_name(&versions),
        };
        new_version = Some(name.clone());
        out.changes.push(Change::AddVersion {
            product: entry.name.clone(),
            version: name,
            description: entry.version_description.clone(),
            template: path,
            digest: file.digest,
        });
    }
    let owner_changes = entry
        .owner
        .as_ref()
        .filter(|o| **o != product.owner)
        .cloned();
    let description_changes = entry
        .description
        .as_ref()
        .filter(|d| Some(*d) != product.description.as_ref())
        .cloned();
    if owner_changes.is_some() || description_changes.is_some() {
        out.changes.push(Change::UpdateProduct {
            product: entry.name.clone(),
            owner: owner_changes,
            description: description_changes,
        });
    }
    if !held.iter().any(|p| p.id == product.id) {
        out.changes.push(Change::AddToPortfolio {
            product: entry.name.clone(),
            portfolio: portfolio.clone(),
        });
    }
    // Keep the newest `n` active versions undeprecated (a new one counts).
    if let Some(n) = entry.deprecate_previous {
        let recommended: Vec<&Version> = crate::model::product::ordered(&versions)
            .into_iter()
            .rev()
            .filter(|v| v.is_recommended())
            .collect();
        let keep = n.saturating_sub(usize::from(new_version.is_some()));
        for v in recommended.into_iter().skip(keep) {
            out.changes.push(Change::Deprecate {
                product: entry.name.clone(),
                version_id: v.id.clone(),
                version: v.name.clone(),
            });
        }
    }
    let on_product = reader.product_tag_options(&product.id, None).await?;
    let opted = on_product.iter().any(crate::model::TagOptionEntry::opts_in);
    tag_option_changes(out, "product", &entry.name, &entry.tag_options, &on_product);
    plan_product_extras(out, portfolio, entry, Some((product, opted)), constraints);
    Ok(())
}

/// The opt-in and the constraints a product entry asks for.
fn plan_product_extras(
    out: &mut SyncPlan,
    portfolio: &str,
    entry: &ProductEntry,
    existing: Option<(&Product, bool)>,
    constraints: &[crate::model::Constraint],
) {
    if entry.auto_update && !existing.is_some_and(|(_, opted)| opted) {
        out.changes.push(Change::OptIn {
            product: entry.name.clone(),
        });
    }
    let of_product = |kind: ConstraintKind| {
        existing.and_then(|(p, _)| {
            constraints
                .iter()
                .find(|c| c.product_id == p.id && c.kind == kind && !c.inherited)
        })
    };
    if let Some(role) = &entry.launch_role {
        match of_product(ConstraintKind::Launch) {
            None => out.changes.push(Change::LaunchConstraint {
                portfolio: portfolio.to_string(),
                product: entry.name.clone(),
                role: role.clone(),
            }),
            Some(c) => {
                let same = match &c.params {
                    Some(ConstraintParams::Launch {
                        role: LaunchRole::LocalRoleName(n),
                    }) => n == role,
                    Some(ConstraintParams::Launch {
                        role: LaunchRole::RoleArn(a),
                    }) => a == role,
                    _ => true,
                };
                if !same {
                    out.notes.push(format!(
                        "{} in {portfolio} has a LAUNCH constraint with another role ({}): remove it to change it (spoke constraint remove --id {})",
                        entry.name, c.id, c.id
                    ));
                }
            }
        }
    }
    if let Some(rules) = &entry.template_rules
        && of_product(ConstraintKind::Template).is_none()
    {
        out.changes.push(Change::TemplateConstraint {
            portfolio: portfolio.to_string(),
            product: entry.name.clone(),
            rules: serde_json::json!({ "Rules": rules }).to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(name: &str, days: i64) -> Version {
        Version {
            id: format!("pa-{name}"),
            name: name.into(),
            description: None,
            created: Some(chrono::Utc::now() - chrono::Duration::days(days)),
            active: true,
            deprecated: false,
        }
    }

    #[test]
    fn a_new_version_is_named_after_the_newest() {
        assert_eq!(next_version_name(&[v("v1", 9), v("v2", 1)]), "v3");
        assert_eq!(next_version_name(&[v("1.4", 1)]), "1.5");
        assert_eq!(next_version_name(&[v("first", 1)]), "v2");
        assert_eq!(next_version_name(&[v("v2", 1), v("v3", 5)]), "v4");
    }

    #[test]
    fn tags_not_listed_are_removed_and_changed_values_set() {
        let desired = vec![Tag {
            key: "a".into(),
            value: "1".into(),
        }];
        let (add, remove) = tags_changes(
            &desired,
            &[("a".into(), "0".into()), ("b".into(), "x".into())],
        );
        assert_eq!(add, desired);
        assert_eq!(remove, ["b"]);
    }
}
