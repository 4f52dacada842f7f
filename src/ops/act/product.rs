//! The hub's products: created with their first version from a template
//! file, changed, put into and taken out of local portfolios, and given new
//! versions or rid of old ones — each a plan that reads what exists first.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::publish::{self, Publish};
use super::{ActError, pick};
use crate::aws::{ProductFields, Reader, VersionSource, Writer};
use crate::model::{FieldError, Portfolio, Product, Version};

/// A token from the account and what it names: a retry after a timeout
/// creates one product (or version), not two.
fn token(account: &str, parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    hash.update(account.as_bytes());
    for p in parts {
        hash.update(b"/");
        hash.update(p.as_bytes());
    }
    format!("spoke-{}", &hex::encode(hash.finalize())[..32])
}

fn check_name(field: &str, value: &str, max: usize) -> Result<(), ActError> {
    let n = value.trim().chars().count();
    if n == 0 || n > max {
        return Err(ActError::Invalid(vec![FieldError::new(
            field,
            format!("1 to {max} characters (this is {n})"),
        )]));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatePlan {
    pub fields: ProductFields,
    pub version_name: String,
    pub publish: Publish,
    /// A product of this account has that name: nothing is created.
    pub existing: Option<Product>,
    /// Added to this local portfolio too.
    pub portfolio: Option<Portfolio>,
    pub token: String,
}

impl CreatePlan {
    pub fn lines(&self) -> Vec<String> {
        if let Some(p) = &self.existing {
            return vec![format!(
                "a product named {} exists already ({}): nothing to create — add a version with `spoke version add`",
                p.name, p.id
            )];
        }
        let mut lines = self.publish.lines();
        lines.push(format!(
            "create the product {} (owner {}) with version {} from it",
            self.fields.name, self.fields.owner, self.version_name
        ));
        if let Some(p) = &self.portfolio {
            lines.push(format!(
                "add it to the local portfolio {} ({})",
                p.name, p.id
            ));
        }
        lines
    }
}

/// Checks the fields and the template, reads the products and the bucket.
#[allow(clippy::too_many_arguments)]
pub async fn plan_create(
    reader: &Reader,
    name: &str,
    owner: &str,
    description: Option<&str>,
    version_name: &str,
    template: &Path,
    bucket: Option<&str>,
    portfolio: Option<&str>,
) -> Result<CreatePlan, ActError> {
    check_name("name", name, 8191)?;
    check_name("owner", owner, 8191)?;
    check_name("version", version_name, 8192)?;
    let publish = publish::prepare(reader, template, bucket).await?;
    let products = reader.list_products().await?;
    let existing = products
        .into_iter()
        .find(|p| p.name == name.trim() && p.origin.is_local());
    let portfolio = match portfolio {
        Some(wanted) => Some(super::share::find_portfolio(reader, wanted).await?),
        None => None,
    };
    let account = reader.account().await?;
    Ok(CreatePlan {
        token: token(&account, &["product", name.trim()]),
        fields: ProductFields {
            name: name.trim().to_string(),
            owner: owner.trim().to_string(),
            description: description.map(str::to_string),
            ..ProductFields::default()
        },
        version_name: version_name.trim().to_string(),
        publish,
        existing,
        portfolio,
    })
}

/// Stores the template, creates the product, adds it to the portfolio: the
/// product's and the version's ids.
pub async fn create(
    writer: &Writer,
    reader: &Reader,
    plan: &CreatePlan,
) -> Result<(String, String), ActError> {
    if let Some(p) = &plan.existing {
        return Err(ActError::Refused(format!(
            "a product named {} exists already ({})",
            p.name, p.id
        )));
    }
    let url = publish::store(writer, reader, &plan.publish).await?;
    let source = VersionSource {
        name: plan.version_name.clone(),
        description: None,
        template_url: url,
    };
    let (product, version) = writer
        .create_product(&plan.fields, &source, &plan.token)
        .await?;
    if let Some(p) = &plan.portfolio {
        writer.associate_product(&product, &p.id, None).await?;
    }
    Ok((product, version))
}

/// A product this account owns, by id or name.
pub async fn find_owned(reader: &Reader, wanted: &str) -> Result<Product, ActError> {
    let product = super::launch::find_product(reader, wanted).await?;
    super::version::owned(&product)?;
    Ok(product)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatePlan {
    pub product: Product,
    pub name: Option<String>,
    pub owner: Option<String>,
    pub description: Option<String>,
}

impl UpdatePlan {
    pub fn changes(&self) -> Vec<String> {
        let p = &self.product;
        super::field_changes(&[
            ("name", Some(p.name.as_str()), self.name.as_deref()),
            ("owner", Some(p.owner.as_str()), self.owner.as_deref()),
            (
                "description",
                p.description.as_deref(),
                self.description.as_deref(),
            ),
        ])
    }

    pub fn lines(&self) -> Vec<String> {
        let p = &self.product;
        super::change_lines(
            &p.name,
            format!("change {} ({})", p.name, p.id),
            self.changes(),
        )
    }
}

pub async fn plan_update(
    reader: &Reader,
    product: &str,
    name: Option<&str>,
    owner: Option<&str>,
    description: Option<&str>,
) -> Result<UpdatePlan, ActError> {
    if name.is_none() && owner.is_none() && description.is_none() {
        return Err(ActError::Refused(
            "nothing to change: give --name, --owner or --description".into(),
        ));
    }
    if let Some(n) = name {
        check_name("name", n, 8191)?;
    }
    if let Some(o) = owner {
        check_name("owner", o, 8191)?;
    }
    Ok(UpdatePlan {
        product: find_owned(reader, product).await?,
        name: name.map(|s| s.trim().to_string()),
        owner: owner.map(|s| s.trim().to_string()),
        description: description.map(str::to_string),
    })
}

pub async fn update(writer: &Writer, plan: &UpdatePlan) -> Result<String, ActError> {
    if plan.changes().is_empty() {
        return Ok(plan.lines().join(""));
    }
    writer
        .update_product(
            &plan.product.id,
            plan.name.as_deref(),
            plan.owner.as_deref(),
            plan.description.as_deref(),
        )
        .await?;
    Ok(format!("changed {}", plan.product.name))
}

/// A product put into (or taken out of) a local portfolio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipPlan {
    pub product: Product,
    pub portfolio: Portfolio,
    pub add: bool,
    /// So already: nothing is sent.
    pub already: bool,
    /// For an imported product: the imported portfolio it comes from.
    pub source: Option<Portfolio>,
    /// Constraints of the product in that portfolio (AWS refuses to take
    /// it out while there are any).
    pub constraints: usize,
}

impl MembershipPlan {
    pub fn lines(&self) -> Vec<String> {
        let (p, f) = (&self.product, &self.portfolio);
        match (self.add, self.already) {
            (true, true) => vec![format!(
                "{} is in {} already: nothing to do",
                p.name, f.name
            )],
            (false, true) => vec![format!("{} is not in {}: nothing to do", p.name, f.name)],
            (true, false) => vec![format!(
                "add {} ({}) to the local portfolio {}{}",
                p.name,
                p.origin.describe(),
                f.name,
                self.source
                    .as_ref()
                    .map(|s| format!(", from the imported portfolio {}", s.name))
                    .unwrap_or_default()
            )],
            (false, false) if self.constraints > 0 => vec![format!(
                "{} has {} constraint{} in {}: remove them first (spoke constraint remove)",
                p.name,
                self.constraints,
                if self.constraints == 1 { "" } else { "s" },
                f.name
            )],
            (false, false) => vec![format!("take {} out of {}", p.name, f.name)],
        }
    }

    pub fn blocked(&self) -> bool {
        !self.add && !self.already && self.constraints > 0
    }
}

pub async fn plan_membership(
    reader: &Reader,
    product: &str,
    portfolio: &str,
    add: bool,
) -> Result<MembershipPlan, ActError> {
    let portfolio = super::share::find_portfolio(reader, portfolio).await?;
    let (held, constraints) = tokio::join!(
        reader.list_products_in(&portfolio.id),
        reader.list_constraints(&portfolio.id)
    );
    let held = held?;
    let all = reader.list_portfolios().await?;
    // The product: one in this portfolio, one of this account, or one of
    // an imported portfolio.
    let mut candidates: Vec<Product> = held.clone();
    candidates.extend(reader.list_products().await?);
    let mut source = None;
    for imported in all.iter().filter(|p| !p.origin.is_local()) {
        let products = reader.list_products_in(&imported.id).await?;
        if products
            .iter()
            .any(|p| p.id == product || p.name == product)
            && source.is_none()
        {
            source = Some(imported.clone());
        }
        candidates.extend(products);
    }
    candidates.sort_by(|a, b| a.id.cmp(&b.id));
    candidates.dedup_by(|a, b| a.id == b.id);
    let product = pick(&candidates, product, "product", |p| &p.id, |p| &p.name)?.clone();
    let inside = held.iter().any(|p| p.id == product.id);
    let constraints = constraints?
        .iter()
        .filter(|c| c.product_id == product.id && !c.inherited)
        .count();
    Ok(MembershipPlan {
        already: inside == add,
        source: if product.origin.is_local() {
            None
        } else {
            source
        },
        product,
        portfolio,
        add,
        constraints,
    })
}

pub async fn apply_membership(writer: &Writer, plan: &MembershipPlan) -> Result<String, ActError> {
    if plan.already {
        return Ok(plan.lines().join(""));
    }
    if plan.blocked() {
        return Err(ActError::Refused(plan.lines().join("")));
    }
    let (p, f) = (&plan.product, &plan.portfolio);
    if plan.add {
        writer
            .associate_product(&p.id, &f.id, plan.source.as_ref().map(|s| s.id.as_str()))
            .await?;
        Ok(format!("added {} to {}", p.name, f.name))
    } else {
        writer.disassociate_product(&p.id, &f.id).await?;
        Ok(format!("took {} out of {}", p.name, f.name))
    }
}

/// A new version of a product this account owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddVersionPlan {
    pub product: Product,
    pub versions: Vec<Version>,
    pub name: String,
    pub description: Option<String>,
    pub publish: Publish,
    pub token: String,
}

impl AddVersionPlan {
    pub fn lines(&self) -> Vec<String> {
        let mut lines = self.publish.lines();
        lines.push(format!(
            "add version {} to {} ({} version{} now)",
            self.name,
            self.product.name,
            self.versions.len(),
            if self.versions.len() == 1 { "" } else { "s" }
        ));
        lines.push("then: provisioned products on older versions drift BEHIND in every account that sees it".into());
        lines
    }
}

pub async fn plan_add_version(
    reader: &Reader,
    product: &str,
    name: &str,
    description: Option<&str>,
    template: &Path,
    bucket: Option<&str>,
) -> Result<AddVersionPlan, ActError> {
    check_name("name", name, 8192)?;
    let product = find_owned(reader, product).await?;
    let versions = reader.list_versions(&product.id).await?;
    if let Some(v) = versions.iter().find(|v| v.name == name.trim()) {
        return Err(ActError::Refused(format!(
            "{} has a version named {} already ({}): give another --name",
            product.name, v.name, v.id
        )));
    }
    let publish = publish::prepare(reader, template, bucket).await?;
    let account = reader.account().await?;
    Ok(AddVersionPlan {
        token: token(
            &account,
            &[
                "version",
                &product.id,
                name.trim(),
                &publish.template.digest,
            ],
        ),
        product,
        versions,
        name: name.trim().to_string(),
        description: description.map(str::to_string),
        publish,
    })
}

pub async fn add_version(
    writer: &Writer,
    reader: &Reader,
    plan: &AddVersionPlan,
) -> Result<String, ActError> {
    let url = publish::store(writer, reader, &plan.publish).await?;
    let source = VersionSource {
        name: plan.name.clone(),
        description: plan.description.clone(),
        template_url: url,
    };
    let id = writer
        .create_version(&plan.product.id, &source, &plan.token)
        .await?;
    Ok(format!(
        "added version {} ({id}) to {}",
        plan.name, plan.product.name
    ))
}

/// A version to delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteVersionPlan {
    pub product: Product,
    pub version: Version,
    /// The product's only version: AWS refuses.
    pub last: bool,
}

impl DeleteVersionPlan {
    pub fn lines(&self) -> Vec<String> {
        if self.last {
            return vec![format!(
                "{} is the only version of {}: a product keeps at least one (add another first)",
                self.version.name, self.product.name
            )];
        }
        vec![
            format!("delete version {} ({}) of {}", self.version.name, self.version.id, self.product.name),
            "AWS refuses while provisioned products in any account run it: deprecate it first and update them".into(),
        ]
    }
}

pub async fn plan_delete_version(
    reader: &Reader,
    product: &str,
    version: &str,
) -> Result<DeleteVersionPlan, ActError> {
    let product = find_owned(reader, product).await?;
    let versions = reader.list_versions(&product.id).await?;
    let version = pick(&versions, version, "version", |v| &v.id, |v| &v.name)?.clone();
    Ok(DeleteVersionPlan {
        last: versions.len() == 1,
        product,
        version,
    })
}

pub async fn delete_version(writer: &Writer, plan: &DeleteVersionPlan) -> Result<String, ActError> {
    if plan.last {
        return Err(ActError::Refused(plan.lines().join("")));
    }
    writer
        .delete_version(&plan.product.id, &plan.version.id)
        .await?;
    Ok(format!(
        "deleted version {} of {}",
        plan.version.name, plan.product.name
    ))
}

/// A version's name or description changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameVersionPlan {
    pub product: Product,
    pub version: Version,
    pub name: Option<String>,
    pub description: Option<String>,
}

impl RenameVersionPlan {
    pub fn changes(&self) -> Vec<String> {
        let v = &self.version;
        super::field_changes(&[
            ("name", Some(v.name.as_str()), self.name.as_deref()),
            (
                "description",
                v.description.as_deref(),
                self.description.as_deref(),
            ),
        ])
    }

    pub fn lines(&self) -> Vec<String> {
        let (v, p) = (&self.version, &self.product);
        super::change_lines(
            &format!("{} of {}", v.name, p.name),
            format!("change version {} ({}) of {}", v.name, v.id, p.name),
            self.changes(),
        )
    }
}

pub async fn plan_rename_version(
    reader: &Reader,
    product: &str,
    version: &str,
    name: Option<&str>,
    description: Option<&str>,
) -> Result<RenameVersionPlan, ActError> {
    if name.is_none() && description.is_none() {
        return Err(ActError::Refused(
            "nothing to change: give --name or --description".into(),
        ));
    }
    if let Some(n) = name {
        check_name("name", n, 8192)?;
    }
    let product = find_owned(reader, product).await?;
    let versions = reader.list_versions(&product.id).await?;
    let version = pick(&versions, version, "version", |v| &v.id, |v| &v.name)?.clone();
    if let Some(n) = name.map(str::trim)
        && let Some(other) = versions.iter().find(|v| v.name == n && v.id != version.id)
    {
        return Err(ActError::Refused(format!(
            "{} has a version named {n} already ({}): give another --name",
            product.name, other.id
        )));
    }
    Ok(RenameVersionPlan {
        product,
        version,
        name: name.map(|n| n.trim().to_string()),
        description: description.map(str::to_string),
    })
}

pub async fn rename_version(writer: &Writer, plan: &RenameVersionPlan) -> Result<String, ActError> {
    if plan.changes().is_empty() {
        return Ok(plan.lines().join(""));
    }
    writer
        .rename_version(
            &plan.product.id,
            &plan.version.id,
            plan.name.as_deref(),
            plan.description.as_deref(),
        )
        .await?;
    Ok(format!(
        "changed version {} of {}",
        plan.name.as_deref().unwrap_or(&plan.version.name),
        plan.product.name
    ))
}
