//! A product version's guidance and availability, as the account that owns
//! the product (the hub) sets them (`UpdateProvisioningArtifact`):
//! deprecate (provisioned products on it keep running and can be updated,
//! no new launch uses it), undeprecate, deactivate (neither launched nor
//! updated to), activate. The spokes see it at their next read: their
//! provisioned products on a deprecated version drift ON_DEPRECATED.

use super::{ActError, pick};
use crate::aws::{Reader, Writer};
use crate::model::{Product, Version};

/// What is done to the version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionAction {
    Deprecate,
    Undeprecate,
    Deactivate,
    Activate,
}

impl VersionAction {
    /// Every action, in the order a form offers them.
    pub const ALL: [VersionAction; 4] = [
        VersionAction::Deprecate,
        VersionAction::Undeprecate,
        VersionAction::Deactivate,
        VersionAction::Activate,
    ];

    /// The `Active` and the deprecated (`Guidance`) it sets.
    fn change(self) -> (Option<bool>, Option<bool>) {
        match self {
            VersionAction::Deprecate => (None, Some(true)),
            VersionAction::Undeprecate => (None, Some(false)),
            VersionAction::Deactivate => (Some(false), None),
            VersionAction::Activate => (Some(true), None),
        }
    }

    /// Whether `v` is so already.
    fn done(self, v: &Version) -> bool {
        match self {
            VersionAction::Deprecate => v.deprecated,
            VersionAction::Undeprecate => !v.deprecated,
            VersionAction::Deactivate => !v.active,
            VersionAction::Activate => v.active,
        }
    }

    pub fn verb(self) -> &'static str {
        match self {
            VersionAction::Deprecate => "deprecate",
            VersionAction::Undeprecate => "undeprecate",
            VersionAction::Deactivate => "deactivate",
            VersionAction::Activate => "activate",
        }
    }

    /// What it means for the accounts that use the version.
    fn effect(self) -> &'static str {
        match self {
            VersionAction::Deprecate => {
                "provisioned products on it keep running and can still be updated; no new launch can use it; they drift ON_DEPRECATED"
            }
            VersionAction::Undeprecate => "it is recommended again (Guidance DEFAULT)",
            VersionAction::Deactivate => {
                "no one can launch it or update to it; provisioned products on it drift ON_INACTIVE"
            }
            VersionAction::Activate => "it can be launched and updated to again",
        }
    }
}

/// A checked change of one version, ready to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionPlan {
    pub product: Product,
    pub version: Version,
    pub action: VersionAction,
    /// The version is so already: nothing is sent.
    pub already: bool,
    /// Other active, non-deprecated versions left (none: nothing could be
    /// launched as recommended).
    pub recommended_left: usize,
}

impl VersionPlan {
    pub fn lines(&self) -> Vec<String> {
        let v = &self.version;
        let what = format!("{} ({}) of {}", v.name, v.id, self.product.name);
        if self.already {
            return vec![format!(
                "{what} is {} already: nothing to do",
                match self.action {
                    VersionAction::Deprecate => "deprecated",
                    VersionAction::Undeprecate => "not deprecated",
                    VersionAction::Deactivate => "inactive",
                    VersionAction::Activate => "active",
                }
            )];
        }
        let mut lines = vec![
            format!("{} {what}", self.action.verb()),
            format!("then: {}", self.action.effect()),
        ];
        let removes = matches!(
            self.action,
            VersionAction::Deprecate | VersionAction::Deactivate
        );
        if removes && self.recommended_left == 0 {
            lines.push(format!(
                "warning: {} would have no active, non-deprecated version left: nothing could be launched as recommended",
                self.product.name
            ));
        }
        lines
    }
}

/// Reads the product (one this account owns, by id or name) and its
/// versions, and plans `action` on `version` (id or name).
pub async fn plan(
    reader: &Reader,
    product: &str,
    version: &str,
    action: VersionAction,
) -> Result<VersionPlan, ActError> {
    let (product, versions) = read(reader, product).await?;
    plan_for(product, &versions, version, action)
}

/// The product (one this account owns, by id or name) and its versions.
pub async fn read(reader: &Reader, product: &str) -> Result<(Product, Vec<Version>), ActError> {
    let product = super::launch::find_product(reader, product).await?;
    owned(&product)?;
    let versions = reader.list_versions(&product.id).await?;
    Ok((product, versions))
}

/// Only the account that owns a product changes its versions.
pub fn owned(product: &Product) -> Result<(), ActError> {
    if product.origin.is_local() {
        Ok(())
    } else {
        Err(ActError::Refused(format!(
            "{} is {}: only the account that owns it can change its versions",
            product.name,
            product.origin.describe()
        )))
    }
}

/// Plans `action` on `version` (id or name) of `product`, from its
/// versions as read.
pub fn plan_for(
    product: Product,
    versions: &[Version],
    version: &str,
    action: VersionAction,
) -> Result<VersionPlan, ActError> {
    owned(&product)?;
    let chosen = pick(versions, version, "version", |v| &v.id, |v| &v.name)?.clone();
    let recommended_left = versions
        .iter()
        .filter(|v| v.id != chosen.id && v.is_recommended())
        .count();
    Ok(VersionPlan {
        already: action.done(&chosen),
        product,
        version: chosen,
        action,
        recommended_left,
    })
}

/// Sends the change (nothing when the version is so already).
pub async fn apply(writer: &Writer, plan: &VersionPlan) -> Result<String, ActError> {
    if plan.already {
        return Ok(plan.lines().join(""));
    }
    let (active, deprecated) = plan.action.change();
    writer
        .update_version(&plan.product.id, &plan.version.id, active, deprecated)
        .await?;
    Ok(format!(
        "{}d {} of {}",
        plan.action.verb(),
        plan.version.name,
        plan.product.name
    ))
}
