//! `spoke export DIR`: the hub's local portfolios written as a catalog
//! folder — one `portfolio-NAME/` each, its `mapping.yaml` and the newest
//! template of each product (read back from its S3 URL) — such that
//! `spoke sync DIR` then finds nothing to change.

use std::path::{Path, PathBuf};

use crate::aws::Reader;
use crate::model::mapping::{AccountEntry, Mapping, ProductEntry, Tag};
use crate::model::{ConstraintKind, ConstraintParams, LaunchRole, ShareKind};
use crate::ops::act::ActError;

/// A folder or file name from a display name: lowercase letters, digits and `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "unnamed".into()
    } else {
        out
    }
}

/// What was written, and what could not be.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exported {
    pub files: Vec<PathBuf>,
    /// Products left out, with why (a template that cannot be read back).
    pub skipped: Vec<String>,
}

/// Writes the catalog of `reader`'s account under `dir` (created if missing;
/// an existing `portfolio-*` folder of the same name is written over).
pub async fn export(reader: &Reader, dir: &Path) -> Result<Exported, ActError> {
    let io = |path: &Path, e: std::io::Error| {
        ActError::Refused(format!("cannot write {}: {e}", path.display()))
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut out = Exported::default();
    for p in reader.list_local_portfolios().await? {
        let folder = dir.join(format!("portfolio-{}", slug(&p.name)));
        std::fs::create_dir_all(&folder).map_err(|e| io(&folder, e))?;
        let (tags, shares, principals, held, constraints) = tokio::join!(
            reader.portfolio_tags(&p.id),
            reader.list_shares(&p.id),
            reader.list_principals(&p.id),
            reader.list_products_in(&p.id),
            reader.list_constraints(&p.id)
        );
        let ((tags, portfolio_tag_options), shares, principals, held, constraints) =
            (tags?, shares?, principals?, held?, constraints?);
        let listed = |list: &[crate::model::TagOptionEntry]| -> Vec<Tag> {
            list.iter()
                .filter(|t| !t.opts_in())
                .map(|t| Tag {
                    key: t.key.clone(),
                    value: t.value.clone(),
                })
                .collect()
        };
        let mut products = Vec::new();
        for product in held.iter().filter(|x| x.origin.is_local()) {
            let versions = reader.list_versions(&product.id).await?;
            let Some(newest) = crate::model::product::ordered(&versions).last().copied() else {
                out.skipped.push(format!("{}: no version", product.name));
                continue;
            };
            let url = reader.version_template_url(&product.id, &newest.id).await?;
            let bytes = match &url {
                Some(url) => reader.s3_object(url).await?,
                None => None,
            };
            let Some(bytes) = bytes else {
                out.skipped.push(format!(
                    "{}: the template of {} cannot be read back (no S3 URL spoke can read)",
                    product.name, newest.name
                ));
                continue;
            };
            let ext = crate::model::template::check(&bytes).map_or("yaml", |t| t.format);
            let file = format!("{}.{ext}", slug(&product.name));
            let path = folder.join(&file);
            std::fs::write(&path, &bytes).map_err(|e| io(&path, e))?;
            out.files.push(path);
            let launch_role = constraints
                .iter()
                .find(|c| c.product_id == product.id && c.kind == ConstraintKind::Launch)
                .and_then(|c| match &c.params {
                    Some(ConstraintParams::Launch { role }) => Some(match role {
                        LaunchRole::LocalRoleName(n) => n.clone(),
                        LaunchRole::RoleArn(a) => a.clone(),
                    }),
                    _ => None,
                });
            let on_product = reader.product_tag_options(&product.id, None).await?;
            let opted = on_product.iter().any(crate::model::TagOptionEntry::opts_in);
            products.push(ProductEntry {
                name: product.name.clone(),
                template: file,
                owner: Some(product.owner.clone()),
                description: product.description.clone(),
                version: None,
                version_description: None,
                deprecate_previous: None,
                auto_update: opted,
                launch_role,
                template_rules: None,
                tag_options: listed(&on_product),
            });
        }
        let of = |kind: ShareKind| shares.iter().filter(move |s| s.kind == kind);
        let mapping = Mapping {
            name: p.name.clone(),
            description: p.description.clone(),
            owner: p.provider.clone(),
            products,
            accounts: of(ShareKind::Account)
                .map(|s| AccountEntry {
                    identifier: None,
                    number: s.principal.clone(),
                })
                .collect(),
            tags: tags
                .into_iter()
                .map(|(key, value)| Tag { key, value })
                .collect(),
            principals: principals.into_iter().map(|x| x.arn).collect(),
            organization: of(ShareKind::Organization).next().is_some(),
            organizational_units: of(ShareKind::OrganizationalUnit)
                .map(|s| s.principal.clone())
                .collect(),
            share_tag_options: shares.iter().any(|s| s.share_tag_options),
            share_principals: shares.iter().any(|s| s.share_principals),
            tag_options: listed(&portfolio_tag_options),
        };
        let text = serde_norway::to_string(&mapping).map_err(|e| {
            ActError::Refused(format!("cannot write the mapping of {}: {e}", p.name))
        })?;
        let path = folder.join("mapping.yaml");
        std::fs::write(
            &path,
            format!(
                "# Written by spoke export from {} ({}).\n{text}",
                p.name, p.id
            ),
        )
        .map_err(|e| io(&path, e))?;
        out.files.push(path);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_become_folder_names() {
        assert_eq!(super::slug("Data & Analytics"), "data-analytics");
        assert_eq!(super::slug("Hub Operations "), "hub-operations");
        assert_eq!(super::slug("—"), "unnamed");
    }
}
