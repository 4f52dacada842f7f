//! Everything one account sees of its catalog in one region: what a scan
//! gathers and the cache keeps.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::CallerIdentity;
use super::constraint::Constraint;
use super::drift::{Drift, DriftSummary, drift, drift_unread};
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
    /// Every section, in the order an inventory lists them.
    pub const ALL: [Section; 6] = [
        Section::Portfolios,
        Section::Shares,
        Section::Products,
        Section::Versions,
        Section::Constraints,
        Section::Provisioned,
    ];

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

/// How much of its section a [`Problem`] left unread.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// None of it: nothing of the section may be shown as read.
    All,
    /// The part of one portfolio (shares, products it holds, constraints)
    /// or one product (versions): its id.
    Of(String),
    /// The part of every portfolio or product: a call made for each of them
    /// was refused to the caller (a denial holds for all alike).
    Each,
    /// Some of it: what is there was read, but it is not all there is (one
    /// of the section's calls failed, or a denied call was replaced by one
    /// that sees less).
    Part,
}

/// A section (or part of one) that could not be read; the rest of the
/// inventory stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub section: Section,
    /// What of the section was not read (inventories saved before this was
    /// recorded count as [`Missing::Part`]).
    #[serde(default = "part")]
    pub missing: Missing,
    /// One line, as the aws layer phrased it.
    pub message: String,
}

fn part() -> Missing {
    Missing::Part
}

/// What was read of a section, or of one portfolio's or product's part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read<'a> {
    /// All of it.
    Whole,
    /// What is there was read; the problem says what is not.
    Partly(&'a Problem),
    /// Nothing: shown as "not read", never as empty or 0.
    Not(&'a Problem),
}

impl<'a> Read<'a> {
    pub fn is_read(self) -> bool {
        !matches!(self, Read::Not(_))
    }

    /// The problem behind a gap, if any.
    pub fn problem(self) -> Option<&'a Problem> {
        match self {
            Read::Whole => None,
            Read::Partly(p) | Read::Not(p) => Some(p),
        }
    }
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
    /// The failed last request (`DescribeRecord`) of each provisioned
    /// product whose last request failed, by its id: which version it
    /// tried and why it failed. Absent when it could not be read.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub failed_requests: BTreeMap<String, super::Record>,
    /// Why the failed request of a provisioned product could not be read.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub failed_requests_unread: BTreeMap<String, String>,
    /// Who may launch from each portfolio (ListPrincipalsForPortfolio), by
    /// portfolio id; a portfolio whose principals were not read is absent
    /// (a problem of the Shares section says why).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub principals: BTreeMap<String, Vec<super::Principal>>,
    /// The TagOptions of each local portfolio (DescribePortfolio), by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub portfolio_tag_options: BTreeMap<String, Vec<super::TagOptionEntry>>,
    /// The accounts each local portfolio reaches (ListPortfolioAccess:
    /// account shares and the members of the organization nodes), by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub portfolio_access: BTreeMap<String, Vec<String>>,
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
            failed_requests: BTreeMap::new(),
            failed_requests_unread: BTreeMap::new(),
            principals: BTreeMap::new(),
            portfolio_tag_options: BTreeMap::new(),
            portfolio_access: BTreeMap::new(),
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

    /// What was read of `section`: a problem that left all of it unread
    /// wins over one that left a part.
    pub fn read(&self, section: Section) -> Read<'_> {
        let mut partly = None;
        for p in self.problems.iter().filter(|p| p.section == section) {
            match p.missing {
                Missing::All => return Read::Not(p),
                _ => partly = partly.or(Some(p)),
            }
        }
        partly.map_or(Read::Whole, Read::Partly)
    }

    /// What was read of `section` for one portfolio or product: nothing if
    /// the section or its part was not read, partly if the section was read
    /// only in part.
    pub fn read_of(&self, section: Section, id: &str) -> Read<'_> {
        if let Some(p) = self.problems.iter().find(|p| {
            p.section == section
                && matches!(&p.missing, Missing::Each | Missing::Of(_))
                && match &p.missing {
                    Missing::Of(of) => of == id,
                    _ => true,
                }
        }) {
            return Read::Not(p);
        }
        // Other portfolios' or products' gaps are theirs.
        let mut partly = None;
        for p in self.problems.iter().filter(|p| p.section == section) {
            match p.missing {
                Missing::All => return Read::Not(p),
                Missing::Part => partly = partly.or(Some(p)),
                Missing::Of(_) | Missing::Each => {}
            }
        }
        partly.map_or(Read::Whole, Read::Partly)
    }

    /// Whether the versions of a product were read (and so its provisioned
    /// products' drift can be known). A product that is not in the
    /// inventory was read as absent only if the products were read whole.
    pub fn versions_read(&self, product_id: &str) -> bool {
        if self.product(product_id).is_none() && self.read(Section::Products) != Read::Whole {
            return false;
        }
        self.read_of(Section::Versions, product_id).is_read()
    }

    /// The drift of a provisioned product, as last computed (not read
    /// before it is).
    pub fn drift_of(&self, pp_id: &str) -> Drift {
        self.drift.get(pp_id).copied().unwrap_or(Drift::NotRead)
    }

    /// Recomputes the drift of every provisioned product from the products'
    /// versions read: one pass over each, whatever their numbers. A
    /// provisioned product whose product's versions were not read is
    /// [`Drift::NotRead`] (or tainted), never drift.
    pub fn compute_drift(&mut self) {
        let versions: HashMap<&str, &[Version]> = self
            .products
            .iter()
            .map(|p| (p.id.as_str(), p.versions.as_slice()))
            .collect();
        let mut read: HashMap<&str, bool> = HashMap::new();
        let computed = self
            .provisioned
            .iter()
            .map(|pp| {
                let product = pp.product_id.as_str();
                let was_read = *read
                    .entry(product)
                    .or_insert_with(|| self.versions_read(product));
                let d = if was_read {
                    drift(pp, versions.get(product).copied().unwrap_or(&[]))
                } else {
                    drift_unread(pp)
                };
                (pp.id.clone(), d)
            })
            .collect();
        self.drift = computed;
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
            tag_options: None,
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
        assert_eq!(inv.drift_of("pp-1"), Drift::NotRead, "not computed yet");
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
    fn unread_versions_give_not_read_never_drift() {
        let mut inv = sample();
        inv.problems.push(Problem {
            section: Section::Versions,
            missing: Missing::Of("prod-1".into()),
            message: "ListProvisioningArtifacts: HTTP 500".into(),
        });
        inv.compute_drift();
        assert_eq!(inv.drift_of("pp-1"), Drift::NotRead);
        assert_eq!(inv.drift_of("pp-2"), Drift::NotRead);
        assert_eq!(
            inv.drift_of("pp-3"),
            Drift::Tainted,
            "taint needs no versions"
        );
        assert_eq!(
            inv.drift_of("pp-4"),
            Drift::Unknown,
            "the products were read whole: its product is gone"
        );
        assert_eq!(
            inv.drift_summary().to_string(),
            "4 provisioned: 1 unknown, 1 tainted, 2 versions not read"
        );
        // The products not read whole: a product not among them is not read either.
        inv.problems.push(Problem {
            section: Section::Products,
            missing: Missing::Part,
            message: "SearchProductsAsAdmin: HTTP 500".into(),
        });
        inv.compute_drift();
        assert_eq!(inv.drift_of("pp-4"), Drift::NotRead);
    }

    #[test]
    fn what_was_read_of_a_section_and_of_its_parts() {
        let mut inv = sample();
        assert_eq!(inv.read(Section::Shares), Read::Whole);
        inv.problems.push(Problem {
            section: Section::Shares,
            missing: Missing::Of("port-1".into()),
            message: "DescribePortfolioShares: HTTP 500".into(),
        });
        assert!(!inv.read_of(Section::Shares, "port-1").is_read());
        assert_eq!(inv.read_of(Section::Shares, "port-2"), Read::Whole);
        inv.problems.push(Problem {
            section: Section::Portfolios,
            missing: Missing::Part,
            message: "ListAcceptedPortfolioShares: HTTP 500".into(),
        });
        assert!(matches!(inv.read(Section::Portfolios), Read::Partly(_)));
        inv.problems.push(Problem {
            section: Section::Portfolios,
            missing: Missing::All,
            message: "ListPortfolios: HTTP 500".into(),
        });
        assert!(
            !inv.read(Section::Portfolios).is_read(),
            "all wins over part"
        );
        // An inventory saved before `missing` was recorded still loads.
        let old: Problem =
            serde_json::from_str(r#"{"section":"shares","message":"denied"}"#).unwrap();
        assert_eq!(old.missing, Missing::Part);
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
            missing: Missing::Of("port-1".into()),
            message: "denied".into(),
        });
        let text = serde_json::to_string(&inv).unwrap();
        let back: Inventory = serde_json::from_str(&text).unwrap();
        assert_eq!(back, inv);
    }
}
