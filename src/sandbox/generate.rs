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

/// Resource sets of the kinds of product a generated hub offers.
struct Kind {
    name: &'static str,
    slug: &'static str,
    resources: &'static [(&'static str, &'static str, u32)],
}

const KINDS: &[Kind] = &[
    Kind {
        name: "S3 Bucket",
        slug: "bucket",
        resources: &[
            ("Bucket", "AWS::S3::Bucket", 3),
            ("BucketPolicy", "AWS::S3::BucketPolicy", 2),
        ],
    },
    Kind {
        name: "SQS Queue",
        slug: "queue",
        resources: &[
            ("Queue", "AWS::SQS::Queue", 3),
            ("DeadLetterQueue", "AWS::SQS::Queue", 3),
            ("QueuePolicy", "AWS::SQS::QueuePolicy", 2),
        ],
    },
    Kind {
        name: "SNS Topic",
        slug: "topic",
        resources: &[
            ("Topic", "AWS::SNS::Topic", 3),
            ("TopicPolicy", "AWS::SNS::TopicPolicy", 2),
        ],
    },
    Kind {
        name: "DynamoDB Table",
        slug: "table",
        resources: &[("Table", "AWS::DynamoDB::Table", 22)],
    },
    Kind {
        name: "Lambda Function",
        slug: "function",
        resources: &[
            ("ExecutionRole", "AWS::IAM::Role", 14),
            ("LogGroup", "AWS::Logs::LogGroup", 2),
            ("Function", "AWS::Lambda::Function", 6),
        ],
    },
    Kind {
        name: "IAM Role",
        slug: "role",
        resources: &[
            ("Role", "AWS::IAM::Role", 14),
            ("Policy", "AWS::IAM::ManagedPolicy", 9),
        ],
    },
    Kind {
        name: "ECR Repository",
        slug: "repo",
        resources: &[("Repository", "AWS::ECR::Repository", 3)],
    },
    Kind {
        name: "KMS Key",
        slug: "key",
        resources: &[
            ("Key", "AWS::KMS::Key", 32),
            ("Alias", "AWS::KMS::Alias", 2),
        ],
    },
];

/// The versions of product `i`: (name, created days ago, deprecated).
fn versions(i: usize) -> Vec<(&'static str, u64, bool)> {
    let jitter = (i % 7) as u64;
    match i % 3 {
        0 => vec![
            ("v1.0", 360 + jitter, true),
            ("v1.1", 240 + jitter, false),
            ("v2.0", 120 + jitter, false),
            ("v2.1", 30 + jitter, false),
        ],
        1 => vec![
            ("v1.0", 300 + jitter, false),
            ("v1.1", 150 + jitter, false),
            ("v2.0", 40 + jitter, false),
        ],
        _ => vec![
            ("v1.0", 330 + jitter, false),
            ("v1.1", 200 + jitter, false),
            ("v2.0", 90 + jitter, false),
            ("v2.1", 20 + jitter, false),
        ],
    }
}

fn product_name(i: usize) -> String {
    format!("{} {:04}", KINDS[i % KINDS.len()].name, i + 1)
}

/// A deterministic stream of numbers (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

const DAY: u64 = 86_400;

/// One provisioned product to write: its steps are (version index, seconds ago), oldest first.
struct Pp {
    spoke: usize,
    name: String,
    product: usize,
    steps: Vec<(usize, u64)>,
    environment: &'static str,
    /// An update to this version still running (UNDER_CHANGE).
    in_progress: Option<usize>,
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

/// Spoke `i`'s local portfolio `j`: a few hub products with the team's
/// launch constraint, shared by account with the hub and the next spokes.
fn write_spoke_portfolio(out: &mut String, s: &Scale, i: usize, j: usize) {
    let mut products: Vec<usize> = Vec::new();
    for n in 0..PRODUCTS_PER_SPOKE_PORTFOLIO.min(s.products) {
        let mut k = (i * 7 + j * 3 + n * 11) % s.products;
        while products.contains(&k) {
            k = (k + 1) % s.products;
        }
        products.push(k);
    }
    let names: Vec<String> = products
        .iter()
        .map(|&k| format!("\"{}\"", product_name(k)))
        .collect();
    let mut shares = vec!["{ account = \"hub\" }".to_string()];
    for n in 1..=SPOKE_SHARES.min(s.spokes.saturating_sub(1)) {
        let to = spoke_name((i + n) % s.spokes, s.spokes);
        shares.push(if n == 1 {
            format!("{{ account = \"{to}\", accepted = true }}")
        } else {
            format!("{{ account = \"{to}\" }}")
        });
    }
    let me = spoke_name(i, s.spokes);
    let _ = writeln!(
        out,
        "[[portfolios]]\naccount = \"{me}\"\nname = \"{}\"\ndescription = \"What team {me} offers its neighbours\"\nprovider = \"Team {me}\"\ncreated_ago = \"{}d\"\nproducts = [{}]\nshares = [{}]\n",
        spoke_portfolio_name(j),
        200 + j,
        names.join(", "),
        shares.join(", ")
    );
    for &k in &products {
        let _ = writeln!(
            out,
            "[[portfolios.constraints]]\nproduct = \"{}\"\ntype = \"LAUNCH\"\nparameters = {{ LocalRoleName = \"TeamLaunchRole\" }}\n",
            product_name(k)
        );
    }
}

/// Products that carry the AutoUpdateProvisionedProduct=true TagOption.
fn opted_in(i: usize) -> bool {
    i.is_multiple_of(4)
}

fn write_product(out: &mut String, s: &Scale, i: usize) {
    let kind = &KINDS[i % KINDS.len()];
    let vs = versions(i);
    let latest = vs.len() - 1;
    let tags = if opted_in(i) {
        "[\"AutoUpdateProvisionedProduct=true\"]"
    } else {
        "[]"
    };
    let _ = writeln!(
        out,
        "[[products]]\naccount = \"hub\"\nname = \"{}\"\nowner = \"Platform Engineering\"\ndescription = \"{} for workloads\"\ncreated_ago = \"{}d\"\ntag_options = {tags}\n",
        product_name(i),
        kind.name,
        vs[0].1 + 10
    );
    for (k, (name, days, deprecated)) in vs.iter().enumerate() {
        let replaces = k == latest && s.replacing_latest(i);
        let mut resources: Vec<String> = kind
            .resources
            .iter()
            .enumerate()
            .map(|(n, (id, t, secs))| {
                let replacement = if replaces && n == 0 {
                    ", replacement = \"TRUE\", properties = [\"Name\"]"
                } else {
                    ""
                };
                format!("{{ id = \"{id}\", type = \"{t}\", seconds = {secs}{replacement} }}")
            })
            .collect();
        if k >= 2 {
            resources
                .push("{ id = \"Alarm\", type = \"AWS::CloudWatch::Alarm\", seconds = 2 }".into());
        }
        if k == latest && s.slow_latest(i) {
            resources.push(
                "{ id = \"DataMigration\", type = \"AWS::CloudFormation::WaitCondition\", seconds = 172800 }"
                    .into(),
            );
        }
        let mut parameters =
            vec!["{ key = \"Environment\", default = \"dev\", allowed_values = [\"dev\", \"staging\", \"prod\"] }".to_string()];
        if k >= 1 {
            parameters
                .push("{ key = \"RetentionDays\", type = \"Number\", default = \"30\" }".into());
        }
        let broken = if k == latest && s.broken_latest(i) {
            format!("fails_on = \"{}\"\n", kind.resources[0].0)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "[[products.versions]]\nname = \"{name}\"\ncreated_ago = \"{days}d\"\n{}{broken}resources = [{}]\nparameters = [{}]\noutputs = [{{ key = \"StackName\", value = \"${{StackName}}\" }}]\n",
            if *deprecated {
                "deprecated = true\n"
            } else {
                ""
            },
            resources.join(", "),
            parameters.join(", ")
        );
    }
}

/// The provisioned products of every spoke, with drift spread through them.
fn provisioned(s: &Scale) -> Vec<Pp> {
    let mut list = Vec::with_capacity(s.spokes * s.provisioned_per_account);
    if s.products == 0 {
        return list;
    }
    let mut rng = Rng(0x5eed
        ^ ((s.spokes as u64) << 32)
        ^ ((s.products as u64) << 16)
        ^ s.provisioned_per_account as u64);
    for spoke in 0..s.spokes {
        for j in 0..s.provisioned_per_account {
            let mut product = rng.below(s.products as u64) as usize;
            // trouble: the third under change, the fourth TAINTED
            let under_change = s.trouble && j == 2;
            let tainted = s.trouble && j == 3;
            if under_change {
                match s.product_where(product, |i| s.slow_latest(i)) {
                    Some(p) => product = p,
                    None => continue,
                }
            } else if tainted {
                match s.product_where(product, |i| s.broken_latest(i)) {
                    Some(p) => product = p,
                    None => continue,
                }
            }
            let vs = versions(product);
            let latest = vs.len() - 1;
            let has_deprecated = vs[0].2;
            // the version it runs now, and whether it got there through updates
            let bucket = rng.below(20);
            let mut target = match bucket {
                0..=9 | 19 => latest,
                10..=13 => latest - 1,
                14..=16 => latest - 2,
                _ if has_deprecated => 0,
                _ => latest - 1,
            };
            // nothing was ever launched on a broken version; the ones under
            // change are behind the version their update goes to
            if target == latest && (s.broken_latest(product) || under_change) {
                target = latest - 1;
            }
            let first_launchable = usize::from(has_deprecated && target != 0);
            let mut path = vec![target];
            if bucket == 19 {
                // launched long ago, updated twice
                path = vec![
                    first_launchable,
                    (first_launchable + target).div_ceil(2),
                    target,
                ];
                path.dedup();
            } else if target > first_launchable && rng.below(2) == 0 {
                path = vec![
                    first_launchable + rng.below((target - first_launchable) as u64) as usize,
                    target,
                ];
            }
            // each step happens while its version is the newest one
            let steps = path
                .iter()
                .map(|&v| {
                    let created = vs[v].1 * DAY;
                    let next = if v == latest { 0 } else { vs[v + 1].1 * DAY };
                    let window = created - next - 2 * 3600;
                    (v, created - 3600 - rng.below(window))
                })
                .collect();
            let mut steps: Vec<(usize, u64)> = steps;
            if tainted {
                // its last update went to the broken version, and failed
                let created = vs[latest].1 * DAY;
                steps.push((latest, created - 3600 - rng.below(created - 2 * 3600)));
            }
            let kind = &KINDS[product % KINDS.len()];
            list.push(Pp {
                spoke,
                name: format!("{}-{:05}", kind.slug, j + 1),
                product,
                steps,
                environment: ["dev", "staging", "prod"][(spoke + j) % 3],
                in_progress: under_change.then_some(latest),
            });
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portfolios_hold_at_most_fifty_products() {
        assert_eq!(Scale::new(1, 300, 1).portfolio_count(), 6);
        assert_eq!(
            Scale::new(1, 300, 1).with_portfolios(50).portfolio_count(),
            50
        );
        assert_eq!(
            Scale::new(1, 300, 1).with_portfolios(2).portfolio_count(),
            6
        );
        assert_eq!(Scale::new(1, 3, 1).with_portfolios(50).portfolio_count(), 3);
        assert_eq!(Scale::new(1, 0, 1).portfolio_count(), 0);
    }

    #[test]
    fn the_same_scale_gives_the_same_text() {
        assert_eq!(generate(3, 20, 10), generate(3, 20, 10));
        assert_ne!(generate(3, 20, 10), generate(3, 20, 11));
    }

    #[test]
    fn a_fleet_with_trouble_loads_with_each_kind_of_trouble() {
        use crate::sandbox::world::PpStatus;
        let text = generate_with(&Scale::new(20, 40, 12).with_trouble());
        let world = crate::sandbox::scenario::load("fleet.toml", &text, chrono::Utc::now())
            .expect("the generated world loads");
        let pps: Vec<_> = world.provisioned.values().collect();
        let count = |f: &dyn Fn(&&crate::sandbox::world::ProvisionedProduct) -> bool| {
            pps.iter().filter(|p| f(p)).count()
        };
        let latest_of = |p: &crate::sandbox::world::ProvisionedProduct| {
            world.products[&p.product_id]
                .versions
                .last()
                .cloned()
                .unwrap()
        };
        assert_eq!(
            count(&|p| p.status == PpStatus::UnderChange),
            20,
            "one per spoke"
        );
        assert_eq!(
            count(&|p| p.status == PpStatus::Tainted),
            20,
            "one per spoke"
        );
        assert!(
            count(&|p| p.status == PpStatus::Available
                && latest_of(p).fails_on.is_some()
                && p.artifact_id != latest_of(p).id)
                > 5,
            "available ones behind a broken latest version"
        );
        assert!(
            count(&|p| p.status == PpStatus::Available
                && latest_of(p)
                    .template
                    .resources
                    .iter()
                    .any(|r| r.replacement.is_some())
                && p.artifact_id != latest_of(p).id)
                > 5,
            "available ones behind a replacing latest version"
        );
        assert!(
            count(&|p| p
                .tags
                .iter()
                .any(|(k, v)| k == "AutoUpdateProvisionedProduct" && v == "true"))
                > 20,
            "opted-in ones"
        );
        // Without trouble, the same world as before, opted-in products tagged.
        let calm = generate(3, 20, 10);
        assert!(!calm.contains("fails_on") && !calm.contains("in_progress"));
        assert!(calm.contains("AutoUpdateProvisionedProduct = \"true\""));
    }

    #[test]
    fn spokes_can_keep_local_portfolios_shared_with_the_hub_and_their_neighbours() {
        use crate::sandbox::world::ShareKind;
        let text = generate_with(&Scale::new(4, 30, 5).with_spoke_portfolios(2));
        let world = crate::sandbox::scenario::load("spokes.toml", &text, chrono::Utc::now())
            .expect("the generated world loads");
        let region = |a: &str| world.accounts[a].region.clone();
        let spokes: Vec<&str> = world
            .accounts
            .values()
            .filter(|a| a.id != HUB_ID)
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(spokes.len(), 4);
        for &spoke in &spokes {
            let local: Vec<_> = world
                .portfolios
                .values()
                .filter(|p| p.owner == spoke)
                .collect();
            assert_eq!(local.len(), 2, "{spoke}");
            for p in &local {
                assert_eq!(p.products.len(), PRODUCTS_PER_SPOKE_PORTFOLIO);
                assert_eq!(p.shares.len(), 1 + SPOKE_SHARES);
                assert!(p.shares.iter().all(|s| s.kind == ShareKind::Account));
                assert!(p.shares.iter().any(|s| s.principal == HUB_ID));
                let constrained = world
                    .constraints
                    .values()
                    .filter(|c| c.portfolio_id == p.id)
                    .count();
                assert_eq!(constrained, p.products.len());
            }
            // its own two, the hub's, and the two its neighbour shared and it accepted
            let hub = world
                .portfolios
                .values()
                .filter(|p| p.owner == HUB_ID)
                .count();
            let visible = world.visible_portfolios(spoke, &region(spoke)).count();
            assert_eq!(visible, 2 + hub + 2, "{spoke}");
            let imported_by_account = world
                .portfolios
                .values()
                .filter(|p| world.imports_via(spoke, p, "IMPORTED"))
                .count();
            assert_eq!(imported_by_account, 2, "{spoke}");
        }
        // Off by default: the generated world as before.
        assert!(!generate(3, 20, 10).contains("Team Catalog"));
        // One spoke shares with the hub only.
        let alone = generate_with(&Scale::new(1, 3, 1).with_spoke_portfolios(1));
        let world = crate::sandbox::scenario::load("alone.toml", &alone, chrono::Utc::now())
            .expect("the generated world loads");
        let local: Vec<_> = world
            .portfolios
            .values()
            .filter(|p| p.owner != HUB_ID)
            .collect();
        assert_eq!(local.len(), 1);
        assert_eq!(local[0].products.len(), 3);
        assert_eq!(local[0].shares.len(), 1);
    }

    #[test]
    fn spoke_names_sort_in_order() {
        assert_eq!(spoke_name(0, 5), "spoke-001");
        assert_eq!(spoke_name(99, 100), "spoke-100");
        assert_eq!(spoke_name(0, 1500), "spoke-0001");
    }
}
