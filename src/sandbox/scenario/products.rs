//! TagOptions and products of a world file: each product's type and versions
//! checked, each version's template (resources, parameters, outputs) built.

use super::error::WorldError;
use super::names::{Names, region_of};
use super::schema::{ProductFile, TagOptionFile, VersionFile};
use crate::sandbox::world::ids::named_id;
use crate::sandbox::world::{
    Parameter, Product, TagOption, Template, TemplateOutput, TemplateResource, Version, World,
};

/// The product types Service Catalog knows (ProductType in the API reference).
const PRODUCT_TYPES: [&str; 5] = [
    "CLOUD_FORMATION_TEMPLATE",
    "MARKETPLACE",
    "TERRAFORM_OPEN_SOURCE",
    "TERRAFORM_CLOUD",
    "EXTERNAL",
];

pub(super) fn tag_options(
    n: &mut Names<'_>,
    w: &mut World,
    list: &[TagOptionFile],
) -> Result<(), WorldError> {
    for t in list {
        let owner = n.account(&t.account)?;
        let id = named_id("tag", &[&owner, &t.key, &t.value]);
        n.tags.insert((t.key.clone(), t.value.clone()), id.clone());
        w.tag_options.insert(
            id.clone(),
            TagOption {
                id,
                owner,
                key: t.key.clone(),
                value: t.value.clone(),
                active: t.active,
            },
        );
    }
    Ok(())
}

pub(super) fn products(
    n: &mut Names<'_>,
    w: &mut World,
    list: &[ProductFile],
) -> Result<(), WorldError> {
    let src = n.src;
    for p in list {
        let owner = n.account(&p.account)?;
        let id = named_id("prod", &[&owner, p.name.get_ref()]);
        if n.products
            .insert(p.name.get_ref().clone(), id.clone())
            .is_some()
        {
            return Err(src.on(
                &p.name,
                format!("product name `{}` is used twice", p.name.get_ref()),
            ));
        }
        if !PRODUCT_TYPES.contains(&p.product_type.as_str()) {
            return Err(src.on(
                &p.name,
                format!(
                    "product `{}`: type must be one of {}",
                    p.name.get_ref(),
                    PRODUCT_TYPES.join(", ")
                ),
            ));
        }
        if p.versions.is_empty() {
            return Err(src.on(
                &p.name,
                format!("product `{}` needs at least one version", p.name.get_ref()),
            ));
        }
        let mut versions: Vec<Version> = Vec::new();
        for v in &p.versions {
            if versions.iter().any(|x| x.name == *v.name.get_ref()) {
                return Err(src.on(
                    &v.name,
                    format!(
                        "version `{}` is used twice in product `{}`",
                        v.name.get_ref(),
                        p.name.get_ref()
                    ),
                ));
            }
            versions.push(version(n, &id, v)?);
        }
        let created = n.age(p.created_ago.as_ref(), 365)?;
        w.products.insert(
            id.clone(),
            Product {
                view_id: named_id("prodview", &[&id]),
                id,
                region: region_of(w, &owner),
                owner_account: owner,
                name: p.name.get_ref().clone(),
                owner: p.owner.clone(),
                description: p.description.clone(),
                distributor: p.distributor.clone(),
                support_email: p.support_email.clone(),
                product_type: p.product_type.clone(),
                created,
                versions,
                tag_options: n.tag_ids(&p.tag_options)?,
                tags: Vec::new(),
            },
        );
    }
    Ok(())
}

fn version(n: &Names<'_>, product_id: &str, v: &VersionFile) -> Result<Version, WorldError> {
    if let Some(fo) = &v.fails_on
        && !v.resources.iter().any(|r| r.id == *fo.get_ref())
    {
        return Err(n.src.on(
            fo,
            format!(
                "fails_on `{}` is not a resource of this version",
                fo.get_ref()
            ),
        ));
    }
    Ok(Version {
        id: named_id("pa", &[product_id, v.name.get_ref()]),
        name: v.name.get_ref().clone(),
        description: v.description.clone(),
        created: n.age(Some(&v.created_ago), 0)?,
        active: v.active,
        guidance: if v.deprecated {
            "DEPRECATED"
        } else {
            "DEFAULT"
        }
        .into(),
        template: template(v),
        fails_on: v.fails_on.as_ref().map(|s| s.get_ref().clone()),
        template_url: None,
    })
}

fn template(v: &VersionFile) -> Template {
    Template {
        resources: v
            .resources
            .iter()
            .map(|r| TemplateResource {
                logical_id: r.id.clone(),
                resource_type: r.resource_type.clone(),
                seconds: r.seconds,
                replacement: r.replacement.map(Into::into),
                properties: r.properties.clone(),
            })
            .collect(),
        parameters: v
            .parameters
            .iter()
            .map(|q| Parameter {
                key: q.key.clone(),
                parameter_type: q.parameter_type.clone(),
                default: q.default.clone(),
                description: q.description.clone(),
                no_echo: q.no_echo,
                allowed_values: q.allowed_values.clone(),
                allowed_pattern: q.allowed_pattern.clone(),
                constraint_description: q.constraint_description.clone(),
            })
            .collect(),
        outputs: v
            .outputs
            .iter()
            .map(|o| TemplateOutput {
                key: o.key.clone(),
                description: o.description.clone(),
                value: o.value.clone(),
            })
            .collect(),
    }
}
