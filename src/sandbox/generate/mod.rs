//! Worlds at a given scale, for benchmarks and load tests: the generator writes
//! world TOML, which loads through [`super::scenario::load`] like any world file.
//!
//! The world: a hub (the organization's management account) that owns every
//! product, spread over hub portfolios of at most [`MAX_PRODUCTS_PER_PORTFOLIO`]
//! products each, all shared with the organization; N spoke accounts in OUs of
//! up to 25; each spoke runs `provisioned_per_account` provisioned products.
//! Products have three or four versions (a third of them with a deprecated
//! first version). The provisioned products spread their drift: about half on
//! the latest version, a fifth behind by one, some behind by two, a few on a
//! deprecated version. Everything is settled (AVAILABLE) when the world loads.
//! The same arguments always give the same text.
//!
//! With [`Scale::with_spoke_portfolios`], each spoke also keeps local
//! portfolios of its own, as teams do in a hub-and-spoke catalog: each holds
//! a few of the hub's products (imported through the organization share)
//! with the team's own launch constraint, and is shared by account with the
//! hub (not accepted) and with the next spokes (the first of them accepted,
//! so it imports the portfolio).

use std::fmt::Write as _;

mod catalog;
mod provisioned;
#[cfg(test)]
mod tests;

use catalog::{KINDS, opted_in, versions, write_product, write_spoke_portfolio};
use provisioned::provisioned;

/// The most products a generated hub portfolio holds.
pub const MAX_PRODUCTS_PER_PORTFOLIO: usize = 50;

/// The hub products a spoke's local portfolio holds (fewer when the world
/// has fewer products).
pub const PRODUCTS_PER_SPOKE_PORTFOLIO: usize = 5;

/// The other spokes a spoke's local portfolio is shared with (the first
/// accepts), besides the hub.
pub const SPOKE_SHARES: usize = 2;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    /// Spoke accounts; the hub comes on top of them.
    pub spokes: usize,
    /// Products, all owned by the hub.
    pub products: usize,
    /// Provisioned products in each spoke (the hub runs none).
    pub provisioned_per_account: usize,
    /// Hub portfolios to spread the products over. Never fewer than needed to
    /// keep each at most [`MAX_PRODUCTS_PER_PORTFOLIO`], never more than there
    /// are products; 0 means just as many as needed.
    pub portfolios: usize,
    /// Local portfolios in each spoke (see [`Scale::with_spoke_portfolios`]).
    pub spoke_portfolios: usize,
    /// What a bulk update meets in a real fleet (see [`Scale::with_trouble`]).
    pub trouble: bool,
}

impl Scale {
    pub fn new(spokes: usize, products: usize, provisioned_per_account: usize) -> Self {
        Self {
            spokes,
            products,
            provisioned_per_account,
            portfolios: 0,
            spoke_portfolios: 0,
            trouble: false,
        }
    }

    /// `n` local portfolios in each spoke, each with a few of the hub's
    /// products, the team's launch constraint on each, and account shares:
    /// to the hub (pending) and to the next [`SPOKE_SHARES`] spokes, the
    /// first of which accepted it.
    pub fn with_spoke_portfolios(mut self, n: usize) -> Self {
        self.spoke_portfolios = n;
        self
    }

    /// A fleet with trouble in it: products whose latest version is broken
    /// (every fifth, from the second: an update to it fails and leaves the
    /// provisioned product TAINTED) or replaces a resource (every fifth, from
    /// the third: a risky update); in each spoke, the third provisioned
    /// product under change (an update to the latest still running) and the
    /// fourth TAINTED (its last update, onto a broken version, failed).
    pub fn with_trouble(mut self) -> Self {
        self.trouble = true;
        self
    }

    /// Product `i`'s latest version fails to deploy.
    pub fn broken_latest(&self, i: usize) -> bool {
        self.trouble && i % 5 == 1
    }

    /// Product `i`'s latest version replaces a resource.
    pub fn replacing_latest(&self, i: usize) -> bool {
        self.trouble && i % 5 == 2
    }

    /// Product `i`'s latest version takes two days to deploy (a data
    /// migration): what the provisioned products under change run. Never
    /// an opted-in product, so a bulk update by tag does not wait on it.
    pub fn slow_latest(&self, i: usize) -> bool {
        self.trouble && i % 5 == 3 && !opted_in(i)
    }

    /// The first product from `from` on (wrapping) that `pick` accepts.
    fn product_where(&self, from: usize, pick: impl Fn(usize) -> bool) -> Option<usize> {
        (0..self.products)
            .map(|k| (from + k) % self.products)
            .find(|&i| pick(i))
    }

    /// Spreads the products over (up to) `n` portfolios.
    pub fn with_portfolios(mut self, n: usize) -> Self {
        self.portfolios = n;
        self
    }

    /// How many hub portfolios the world gets.
    pub fn portfolio_count(&self) -> usize {
        if self.products == 0 {
            return 0;
        }
        let needed = self.products.div_ceil(MAX_PRODUCTS_PER_PORTFOLIO);
        self.portfolios.clamp(needed, self.products)
    }
}

/// A world of one hub and `accounts` spokes, `products` products, and
/// `provisioned_per_account` provisioned products in each spoke.
pub fn generate(accounts: usize, products: usize, provisioned_per_account: usize) -> String {
    generate_with(&Scale::new(accounts, products, provisioned_per_account))
}

/// The account id of the hub of a generated world.
pub const HUB_ID: &str = "100000000000";

/// The profile (account) name of spoke `i` (0-based) of a generated world.
pub fn spoke_name(i: usize, spokes: usize) -> String {
    let width = digits(spokes).max(3);
    format!("spoke-{:0width$}", i + 1)
}

fn digits(n: usize) -> usize {
    n.max(1).ilog10() as usize + 1
}

fn spoke_id(i: usize) -> String {
    format!("{:012}", 200_000_000_000u64 + i as u64 + 1)
}

fn product_name(i: usize) -> String {
    format!("{} {:04}", KINDS[i % KINDS.len()].name, i + 1)
}

/// A world at the scale asked for, as world TOML.
pub fn generate_with(s: &Scale) -> String {
    let mut out = String::with_capacity(
        4096 + s.products * 1500 + s.spokes * s.provisioned_per_account * 200,
    );
    let portfolios = s.portfolio_count();
    let _ = writeln!(
        out,
        "# A generated world: a hub, {} spokes, {} products in {} portfolios, {} provisioned products per spoke.\n",
        s.spokes, s.products, portfolios, s.provisioned_per_account
    );

    // the organization: the hub manages it, spokes sit in OUs of up to 25
    let _ = writeln!(
        out,
        "[organization]\nid = \"o-generated00\"\nmanagement_account = \"hub\"\n"
    );
    for (n, chunk) in (0..s.spokes).collect::<Vec<_>>().chunks(25).enumerate() {
        let names: Vec<String> = chunk
            .iter()
            .map(|&i| format!("\"{}\"", spoke_name(i, s.spokes)))
            .collect();
        let _ = writeln!(
            out,
            "[[organization.ous]]\nid = \"ou-gen0-{:08}\"\nname = \"Workloads {:02}\"\naccounts = [{}]\n",
            n + 1,
            n + 1,
            names.join(", ")
        );
    }

    let _ = writeln!(
        out,
        "[[accounts]]\nname = \"hub\"\nid = \"{HUB_ID}\"\ncaller = \"assumed-role/ServiceCatalogAdmin/alice\"\n"
    );
    for i in 0..s.spokes {
        let _ = writeln!(
            out,
            "[[accounts]]\nname = \"{}\"\nid = \"{}\"\ncaller = \"assumed-role/ServiceCatalogAdmin/alice\"\n",
            spoke_name(i, s.spokes),
            spoke_id(i)
        );
    }

    let _ = writeln!(
        out,
        "[[tag_options]]\naccount = \"hub\"\nkey = \"AutoUpdateProvisionedProduct\"\nvalue = \"true\"\n"
    );

    for i in 0..s.products {
        write_product(&mut out, s, i);
    }

    for p in 0..portfolios {
        let members: Vec<usize> = (p..s.products).step_by(portfolios).collect();
        let names: Vec<String> = members
            .iter()
            .map(|&i| format!("\"{}\"", product_name(i)))
            .collect();
        let _ = writeln!(
            out,
            "[[portfolios]]\naccount = \"hub\"\nname = \"Catalog {:02}\"\nprovider = \"Cloud Platform Team\"\ncreated_ago = \"400d\"\nproducts = [{}]\nshares = [{{ organization = true }}]\n",
            p + 1,
            names.join(", ")
        );
        for &i in &members {
            let _ = writeln!(
                out,
                "[[portfolios.constraints]]\nproduct = \"{}\"\ntype = \"LAUNCH\"\nparameters = {{ LocalRoleName = \"SCLaunchRole\" }}\n",
                product_name(i)
            );
        }
    }

    for i in 0..s.spokes {
        for j in 0..s.spoke_portfolios {
            write_spoke_portfolio(&mut out, s, i, j);
        }
    }

    // Provisioned products, written in the order their last step happened:
    // loading then never keeps more than a few stacks moving at once.
    let mut pps = provisioned(s);
    pps.sort_by_key(|p| std::cmp::Reverse(p.steps.last().map_or(0, |s| s.1)));
    for p in &pps {
        let vs = versions(p.product);
        let steps: Vec<String> = p
            .steps
            .iter()
            .map(|&(v, ago)| format!("{{ version = \"{}\", ago = \"{ago}s\" }}", vs[v].0))
            .collect();
        let in_progress = p
            .in_progress
            .map(|v| {
                format!(
                    "in_progress = {{ version = \"{}\", ago = \"5s\" }}\n",
                    vs[v].0
                )
            })
            .unwrap_or_default();
        let tags = if opted_in(p.product) {
            "tags = { AutoUpdateProvisionedProduct = \"true\" }\n"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "[[provisioned]]\naccount = \"{}\"\nname = \"{}\"\nproduct = \"{}\"\nportfolio = \"Catalog {:02}\"\nhistory = [{}]\n{in_progress}parameters = {{ Environment = \"{}\" }}\n{tags}",
            spoke_name(p.spoke, s.spokes),
            p.name,
            product_name(p.product),
            p.product % portfolios + 1,
            steps.join(", "),
            p.environment
        );
    }
    out
}

/// The name of spoke `i`'s local portfolio `j` (0-based).
pub fn spoke_portfolio_name(j: usize) -> String {
    format!("Team Catalog {:02}", j + 1)
}
