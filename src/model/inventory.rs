//! Everything one account sees of its catalog in one region: what a scan
//! gathers and the cache keeps.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::CallerIdentity;
use super::constraint::Constraint;
use super::drift::{Drift, DriftSummary, drift};
use super::portfolio::{Portfolio, Share};
use super::product::{Product, Version};
use super::provisioned::ProvisionedProduct;

/// A part of the inventory, read by its own calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Portfolios,
    Shares,
    Products,
    Versions,
    Constraints,
    Provisioned,
}

impl Section {
    pub fn label(self) -> &'static str {
        match self {
            Section::Portfolios => "portfolios",
            Section::Shares => "shares",
            Section::Products => "products",
            Section::Versions => "versions",
            Section::Constraints => "constraints",
            Section::Provisioned => "provisioned products",
        }
    }
}

/// A section (or part of one) that could not be read; the rest of the
/// inventory stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub section: Section,
    /// One line, as the aws layer phrased it.
    pub message: String,
}

/// The catalog of one account in one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventory {
    pub account: String,
    pub region: String,
    pub caller: CallerIdentity,
    pub scanned_at: DateTime<Utc>,
    /// Local first, then imported.
    pub portfolios: Vec<Portfolio>,
    /// Shares of the local portfolios.
    pub shares: Vec<Share>,
    pub products: Vec<Product>,
    pub constraints: Vec<Constraint>,
    pub provisioned: Vec<ProvisionedProduct>,
    /// Drift of each provisioned product, by its id.
    pub drift: BTreeMap<String, Drift>,
    pub problems: Vec<Problem>,
}

impl Inventory {
    /// An empty inventory for `caller` in `region`.
    pub fn empty(
        caller: CallerIdentity,
        region: impl Into<String>,
        scanned_at: DateTime<Utc>,
    ) -> Self {
        Self {
            account: caller.account_id.clone(),
            region: region.into(),
            caller,
            scanned_at,
            portfolios: Vec::new(),
            shares: Vec::new(),
            products: Vec::new(),
            constraints: Vec::new(),
            provisioned: Vec::new(),
            drift: BTreeMap::new(),
            problems: Vec::new(),
        }
    }

    pub fn portfolio(&self, id: &str) -> Option<&Portfolio> {
        self.portfolios.iter().find(|p| p.id == id)
    }

    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    /// Whom a local portfolio is shared with.
    pub fn shares_of<'a>(&'a self, portfolio_id: &'a str) -> impl Iterator<Item = &'a Share> + 'a {
        self.shares
            .iter()
            .filter(move |s| s.portfolio_id == portfolio_id)
    }

    /// The products a portfolio holds.
    pub fn products_in<'a>(
        &'a self,
        portfolio_id: &'a str,
    ) -> impl Iterator<Item = &'a Product> + 'a {
        self.products
            .iter()
            .filter(move |p| p.portfolio_ids.iter().any(|id| id == portfolio_id))
    }

    /// The constraints of a portfolio, of one of its products if given.
    pub fn constraints_of<'a>(
        &'a self,
        portfolio_id: &'a str,
        product_id: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Constraint> + 'a {
        self.constraints.iter().filter(move |c| {
            c.portfolio_id == portfolio_id && product_id.is_none_or(|p| p == c.product_id)
        })
    }

    /// The portfolios that hold a product.
    pub fn portfolios_of<'a>(
        &'a self,
        product: &'a Product,
    ) -> impl Iterator<Item = &'a Portfolio> + 'a {
        product
            .portfolio_ids
            .iter()
            .filter_map(|id| self.portfolio(id))
    }

    /// The latest version of a product (see [`latest_version`](super::latest_version)).
    pub fn latest_version_of(&self, product_id: &str) -> Option<&Version> {
        self.product(product_id)?.latest_version()
    }

    /// The drift of a provisioned product, as last computed.
    pub fn drift_of(&self, pp_id: &str) -> Drift {
        self.drift.get(pp_id).copied().unwrap_or(Drift::Unknown)
    }

    /// Recomputes the drift of every provisioned product from the products'
    /// versions: one pass over each, whatever their numbers.
    pub fn compute_drift(&mut self) {
        let versions: HashMap<&str, &[Version]> = self
            .products
            .iter()
            .map(|p| (p.id.as_str(), p.versions.as_slice()))
            .collect();
        self.drift = self
            .provisioned
            .iter()
            .map(|pp| {
                let vs = versions.get(pp.product_id.as_str()).copied().unwrap_or(&[]);
                (pp.id.clone(), drift(pp, vs))
            })
            .collect();
    }

    /// The provisioned products counted by drift state.
    pub fn drift_summary(&self) -> DriftSummary {
        self.provisioned
            .iter()
            .map(|pp| self.drift_of(&pp.id))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::product::tests::version;
    use crate::model::provisioned::tests::pp;
    use crate::model::{ConstraintKind, Origin, PpStatus, ProductOrigin, ShareKind};

    fn caller() -> CallerIdentity {
        CallerIdentity {
            account_id: "222233334444".into(),
            arn: "arn:aws:sts::222233334444:assumed-role/Admin/alice".into(),
            user_id: "AROA:alice".into(),
        }
    }

    fn sample() -> Inventory {
        let mut inv = Inventory::empty(
            caller(),
            "us-east-1",
            DateTime::from_timestamp(0, 0).unwrap(),
        );
        inv.portfolios.push(Portfolio {
            id: "port-1".into(),
            arn: "arn:aws:catalog:us-east-1:222233334444:portfolio/port-1".into(),
            name: "Local".into(),
            description: None,
            provider: None,
            created: None,
            origin: Origin::Local,
        });
        inv.shares.push(Share {
            portfolio_id: "port-1".into(),
            kind: ShareKind::Account,
            principal: "333344445555".into(),
            accepted: false,
            share_tag_options: false,
            share_principals: false,
        });
        inv.products.push(Product {
            id: "prod-1".into(),
            arn: "arn:aws:catalog:us-east-1:111122223333:product/prod-1".into(),
            name: "Bucket".into(),
            owner: "Platform".into(),
            product_type: "CLOUD_FORMATION_TEMPLATE".into(),
            description: None,
            distributor: None,
            created: None,
            origin: ProductOrigin::Imported {
                owner_account: "111122223333".into(),
            },
            portfolio_ids: vec!["port-1".into()],
            versions: vec![
                version("pa-1", Some(1), true, false),
                version("pa-2", Some(2), true, false),
            ],
        });
        inv.constraints.push(Constraint {
            id: "cons-1".into(),
            kind: ConstraintKind::Launch,
            description: None,
            owner: "222233334444".into(),
            portfolio_id: "port-1".into(),
            product_id: "prod-1".into(),
            inherited: false,
            params: None,
        });
        inv.provisioned
            .push(pp("pp-1", "pa-1", PpStatus::Available));
        inv.provisioned
            .push(pp("pp-2", "pa-2", PpStatus::Available));
        inv.provisioned.push(pp("pp-3", "pa-2", PpStatus::Tainted));
        let mut orphan = pp("pp-4", "pa-1", PpStatus::Available);
        orphan.product_id = "prod-gone".into();
        inv.provisioned.push(orphan);
        inv
    }

    #[test]
    fn drift_is_computed_for_every_provisioned_product() {
        let mut inv = sample();
        assert_eq!(inv.drift_of("pp-1"), Drift::Unknown, "not computed yet");
        inv.compute_drift();
        assert_eq!(inv.drift_of("pp-1"), Drift::Behind(1));
        assert_eq!(inv.drift_of("pp-2"), Drift::Current);
        assert_eq!(inv.drift_of("pp-3"), Drift::Tainted);
        assert_eq!(inv.drift_of("pp-4"), Drift::Unknown);
        assert_eq!(
            inv.drift_summary().to_string(),
            "4 provisioned: 1 current, 1 behind, 1 unknown, 1 tainted"
        );
    }

    #[test]
    fn lookups_follow_ids() {
        let inv = sample();
        assert_eq!(inv.shares_of("port-1").count(), 1);
        assert_eq!(
            inv.products_in("port-1").map(|p| &p.id).collect::<Vec<_>>(),
            ["prod-1"]
        );
        assert_eq!(inv.products_in("port-2").count(), 0);
        assert_eq!(inv.constraints_of("port-1", None).count(), 1);
        assert_eq!(inv.constraints_of("port-1", Some("prod-2")).count(), 0);
        let product = inv.product("prod-1").unwrap();
        assert_eq!(inv.portfolios_of(product).count(), 1);
        assert_eq!(inv.latest_version_of("prod-1").unwrap().id, "pa-2");
        assert!(inv.latest_version_of("prod-x").is_none());
    }

    #[test]
    fn an_inventory_survives_json() {
        let mut inv = sample();
        inv.compute_drift();
        inv.problems.push(Problem {
            section: Section::Shares,
            message: "denied".into(),
        });
        let text = serde_json::to_string(&inv).unwrap();
        let back: Inventory = serde_json::from_str(&text).unwrap();
        assert_eq!(back, inv);
    }
}
