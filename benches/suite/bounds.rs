//! The least a scan can cost, from the sandbox's world (what there is to
//! read) and the largest pages AWS allows — never from what spoke read, so
//! a spoke that read too little cannot lower its own bound.
//!
//! Page sizes: the `max` of each operation's page-size shape in AWS's API
//! models (botocore's `data/servicecatalog/2015-12-10/service-2.json` and
//! `data/organizations/2016-11-28/service-2.json`).

use std::collections::{BTreeMap, BTreeSet};

use spoke::sandbox::world::{ShareKind, World};

/// ListPortfolios, ListAcceptedPortfolioShares, DescribePortfolioShares:
/// `PageSizeMax100`.
pub const PORTFOLIO_PAGE: usize = 100;
/// SearchProductsAsAdmin: `PageSize` (max 20).
pub const PRODUCT_PAGE: usize = 20;
/// ListConstraintsForPortfolio: `PageSize` (max 20).
pub const CONSTRAINT_PAGE: usize = 20;
/// SearchProvisionedProducts: `SearchProvisionedProductsPageSize` (max 100).
pub const PROVISIONED_PAGE: usize = 100;
/// Organizations' ListAccounts: `MaxResults` (max 20).
pub const ACCOUNTS_PAGE: usize = 20;

/// The share types DescribePortfolioShares asks about, one call each
/// (its `Type` is required).
const SHARE_KINDS: [ShareKind; 4] = [
    ShareKind::Account,
    ShareKind::Organization,
    ShareKind::OrganizationalUnit,
    ShareKind::OrganizationMemberAccount,
];

/// Pages of `n` items, `size` a page: at least one (an empty list is a page).
pub fn pages(n: usize, size: usize) -> usize {
    n.div_ceil(size).max(1)
}

/// What one account sees of the world in its region: what a full scan
/// must read.
#[derive(Debug)]
pub struct Seen {
    /// Its own portfolios.
    pub local: usize,
    /// Portfolios it imported through an accepted account share (IMPORTED).
    pub imported_by_account: usize,
    /// Portfolios an organization node shares with it (AWS_ORGANIZATIONS).
    pub imported_by_organization: usize,
    /// Every portfolio it sees, each once.
    pub portfolios: usize,
    /// Per local portfolio, its shares of each type DescribePortfolioShares asks.
    pub shares_by_kind: Vec<[usize; 4]>,
    pub shares: usize,
    /// Per portfolio seen, the products it holds and the constraints set in it.
    pub held: Vec<usize>,
    pub constrained: Vec<usize>,
    /// Products it can reach, with their versions.
    pub products: usize,
    pub versions: usize,
    pub constraints: usize,
    pub provisioned: usize,
}

impl Seen {
    pub fn of(world: &World, account: &str, region: &str) -> Seen {
        let in_region: Vec<_> = world
            .portfolios
            .values()
            .filter(|p| p.region == region)
            .collect();
        let local: Vec<_> = in_region.iter().filter(|p| p.owner == account).collect();
        let imported = |via: &str| {
            in_region
                .iter()
                .filter(|p| world.imports_via(account, p, via))
                .count()
        };
        let visible: Vec<_> = world.visible_portfolios(account, region).collect();
        let shares_by_kind: Vec<[usize; 4]> = local
            .iter()
            .map(|p| SHARE_KINDS.map(|k| p.shares.iter().filter(|s| s.kind == k).count()))
            .collect();
        let constraints_in = |id: &str| {
            world
                .constraints
                .values()
                .filter(|c| c.portfolio_id == id)
                .count()
        };
        let products = world.visible_product_ids(account, region);
        Seen {
            local: local.len(),
            imported_by_account: imported("IMPORTED"),
            imported_by_organization: imported("AWS_ORGANIZATIONS"),
            portfolios: visible.len(),
            shares: shares_by_kind.iter().flatten().sum(),
            shares_by_kind,
            held: visible.iter().map(|p| p.products.len()).collect(),
            constrained: visible.iter().map(|p| constraints_in(&p.id)).collect(),
            versions: products
                .iter()
                .filter_map(|id| world.products.get(id))
                .map(|p| p.versions.len())
                .sum(),
            products: products.len(),
            constraints: visible.iter().map(|p| constraints_in(&p.id)).sum(),
            provisioned: world
                .provisioned
                .values()
                .filter(|p| p.account == account && p.region == region)
                .count(),
        }
    }

    /// The fewest calls, by operation, that read it all: every page full,
    /// one version list per product, nothing read twice.
    pub fn fewest(&self) -> BTreeMap<String, usize> {
        let mut f = BTreeMap::new();
        let mut put = |op: &str, n: usize| {
            *f.entry(op.to_string()).or_default() += n;
        };
        put("GetCallerIdentity", 1);
        put("ListPortfolios", pages(self.local, PORTFOLIO_PAGE));
        put(
            "ListAcceptedPortfolioShares",
            pages(self.imported_by_account, PORTFOLIO_PAGE)
                + pages(self.imported_by_organization, PORTFOLIO_PAGE),
        );
        put(
            "DescribePortfolioShares",
            self.shares_by_kind
                .iter()
                .flatten()
                .map(|&n| pages(n, PORTFOLIO_PAGE))
                .sum(),
        );
        // The account-wide search, then which portfolios hold what.
        put(
            "SearchProductsAsAdmin",
            pages(self.products, PRODUCT_PAGE)
                + self
                    .held
                    .iter()
                    .map(|&n| pages(n, PRODUCT_PAGE))
                    .sum::<usize>(),
        );
        put("ListProvisioningArtifacts", self.products);
        put(
            "ListConstraintsForPortfolio",
            self.constrained
                .iter()
                .map(|&n| pages(n, CONSTRAINT_PAGE))
                .sum(),
        );
        put("DescribeConstraint", self.constraints);
        put(
            "SearchProvisionedProducts",
            pages(self.provisioned, PROVISIONED_PAGE),
        );
        // Who may launch from each portfolio, each local one's TagOptions
        // and the accounts it reaches, each product's TagOptions (its
        // auto-update opt-in): a page or one call each (the generated
        // worlds give a portfolio fewer principals and accounts than a page).
        put("ListPrincipalsForPortfolio", self.portfolios);
        put("DescribePortfolio", self.local);
        put("ListPortfolioAccess", self.local);
        put("DescribeProductAsAdmin", self.products);
        f
    }

    /// The longest chain of calls where each needs the one before: the
    /// pages of a list (each needs the previous token), then what needs
    /// the list. The caller's identity is needed by nothing else, so it is
    /// no link; nor are the versions of a portfolio's products, which the
    /// account-wide search already named.
    pub fn chain(&self) -> usize {
        let portfolio_pages = pages(self.local, PORTFOLIO_PAGE)
            .max(pages(self.imported_by_account, PORTFOLIO_PAGE))
            .max(pages(self.imported_by_organization, PORTFOLIO_PAGE));
        let most = |v: &[usize]| v.iter().copied().max().unwrap_or(0);
        let share_pages = self
            .shares_by_kind
            .iter()
            .flatten()
            .map(|&n| pages(n, PORTFOLIO_PAGE))
            .max();
        [
            // provisioned products, page after page
            pages(self.provisioned, PROVISIONED_PAGE),
            // products, page after page, then the last page's versions
            pages(self.products, PRODUCT_PAGE) + 1,
            // portfolios, then a portfolio's products
            portfolio_pages + pages(most(&self.held), PRODUCT_PAGE),
            // portfolios, then a portfolio's constraints, then their parameters
            portfolio_pages
                + pages(most(&self.constrained), CONSTRAINT_PAGE)
                + usize::from(self.constraints > 0),
            // portfolios, then a local portfolio's shares of one type
            portfolio_pages + share_pages.unwrap_or(0),
        ]
        .into_iter()
        .max()
        .unwrap_or(1)
    }
}

/// What `spoke drift` in organization mode must read of the world's
/// organization: its members, the provisioned products of each, and the
/// versions of every product they run.
#[derive(Debug)]
pub struct Fleet {
    /// Member account id → its provisioned products (in its region).
    pub provisioned: BTreeMap<String, usize>,
    /// The products the members run, each once.
    pub products: BTreeSet<String>,
}

impl Fleet {
    pub fn of(world: &World) -> Fleet {
        let org = world
            .organization
            .as_ref()
            .expect("a world with an organization");
        let mut provisioned: BTreeMap<String, usize> = world
            .accounts
            .values()
            .filter(|a| a.in_organization || a.id == org.management_account_id)
            .map(|a| (a.id.clone(), 0))
            .collect();
        let mut products = BTreeSet::new();
        for p in world.provisioned.values() {
            let home = world.accounts.get(&p.account).map(|a| a.region.as_str());
            if let Some(n) = provisioned.get_mut(&p.account)
                && home == Some(p.region.as_str())
            {
                *n += 1;
                products.insert(p.product_id.clone());
            }
        }
        Fleet {
            provisioned,
            products,
        }
    }

    pub fn members(&self) -> usize {
        self.provisioned.len()
    }

    /// The fewest calls, by operation: the hub's identity, the
    /// organization's pages, a role into each member but the hub, each
    /// member's search pages (an empty list is a page), one version list
    /// per product the fleet runs.
    pub fn fewest(&self) -> BTreeMap<String, usize> {
        let mut f = BTreeMap::new();
        f.insert("GetCallerIdentity".into(), 1);
        f.insert("ListAccounts".into(), pages(self.members(), ACCOUNTS_PAGE));
        f.insert("AssumeRole".into(), self.members() - 1);
        f.insert(
            "SearchProvisionedProducts".into(),
            self.provisioned
                .values()
                .map(|&n| pages(n, PROVISIONED_PAGE))
                .sum(),
        );
        f.insert("ListProvisioningArtifacts".into(), self.products.len());
        f
    }

    /// ListAccounts pages → AssumeRole → the fullest account's search
    /// pages → a version list.
    pub fn chain(&self) -> usize {
        let most = self.provisioned.values().copied().max().unwrap_or(0);
        pages(self.members(), ACCOUNTS_PAGE) + 1 + pages(most, PROVISIONED_PAGE) + 1
    }
}

/// Panics unless every operation was called at least as often as the
/// fewest calls that read it all: fewer means something was not read (or
/// the bound is wrong), and is a failure, not a win.
pub fn assert_no_fewer(
    case: &str,
    made: &BTreeMap<String, usize>,
    fewest: &BTreeMap<String, usize>,
) {
    let short: Vec<String> = fewest
        .iter()
        .filter(|(op, n)| made.get(*op).copied().unwrap_or(0) < **n)
        .map(|(op, n)| format!("{op} {} < {n}", made.get(op).copied().unwrap_or(0)))
        .collect();
    assert!(
        short.is_empty(),
        "{case}: fewer calls than reading the world takes ({}): spoke read less than there is, or the bound is wrong",
        short.join(", ")
    );
}
