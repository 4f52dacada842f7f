//! scan-one: a cold inventory (every screen's data, drift computed) of one
//! spoke account of a generated world — 50 hub portfolios shared with the
//! organization and accepted, 300 products, 2,000 provisioned products —
//! every sandbox call 50 ms late. In-process: spoke's own scan
//! (`ops::scan`) through the real SDK clients, a new session each run (no
//! cache, no memo).
//!
//! Bounds, from what the account holds and the largest pages the APIs
//! allow (100 for portfolios, shares and provisioned products; 20 for
//! products and constraints):
//! - time: the longest chain of calls that depend on each other (each page
//!   needs the previous page's token) × the latency;
//! - calls: the fewest that read it all — every page full, one version
//!   list per product, nothing read twice.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use spoke::aws::{ProfileSource, Reader, Session};
use spoke::model::{Inventory, Origin, ShareType};
use spoke::sandbox::generate::{Scale, generate_with, spoke_name};
use spoke::sandbox::{Faults, Sandbox, SandboxOptions, WorldSource};

use crate::report::{Row, Table, Target, median, time};

pub const LATENCY_MS: u64 = 50;
const PORTFOLIO_PAGE: usize = 100;
const PRODUCT_PAGE: usize = 20;
const CONSTRAINT_PAGE: usize = 20;
const PROVISIONED_PAGE: usize = 100;

pub fn run(table: &mut Table, runtime: &tokio::runtime::Runtime, runs: usize, full: bool) {
    let (products, provisioned, portfolios) = if full { (300, 2000, 50) } else { (30, 200, 5) };
    let scale = Scale::new(1, products, provisioned).with_portfolios(portfolios);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let world = dir.path().join("world.toml");
    std::fs::write(&world, generate_with(&scale)).expect("the world is written");
    let sandbox = runtime
        .block_on(Sandbox::start(SandboxOptions {
            world: WorldSource::File(world),
            faults: Faults {
                latency_ms: LATENCY_MS,
                ..Faults::default()
            },
            ..SandboxOptions::default()
        }))
        .expect("the sandbox starts");
    let config = dir.path().join("aws-config");
    sandbox.write_aws_config(&config).expect("the AWS config");
    let source = ProfileSource::generated(config, sandbox.endpoint());
    let profile = spoke_name(0, 1);

    let mut walls = Vec::new();
    let mut last = None;
    for i in 0..runs + 1 {
        let before = sandbox.calls().len();
        let started = Instant::now();
        let inventory = runtime.block_on(async {
            let session = Session::connect(&source, &profile, None)
                .await
                .expect("the spoke connects");
            let reader = Reader::new(&session);
            spoke::ops::scan(&reader).await.expect("the scan")
        });
        let wall = started.elapsed();
        let calls = sandbox.calls().split_off(before);
        if i > 0 {
            walls.push(wall);
        } // the first warms the sandbox's lazy indexes
        last = Some((inventory, calls));
    }
    walls.sort();
    let (inventory, calls) = last.expect("a run");
    assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
    assert_eq!(inventory.provisioned.len(), provisioned);

    let mut made: BTreeMap<String, usize> = BTreeMap::new();
    for c in &calls {
        *made.entry(c.operation.clone()).or_default() += 1;
    }
    let fewest = fewest(&inventory);
    let chain = chain(&inventory);
    let latency = Duration::from_millis(LATENCY_MS);
    let bound = latency * chain as u32;
    let wall = median(&walls);
    println!(
        "scan-one: {} portfolios, {} products, {} constraints, {} provisioned products; calls by operation (made / fewest):",
        inventory.portfolios.len(),
        inventory.products.len(),
        inventory.constraints.len(),
        inventory.provisioned.len()
    );
    let total_fewest: usize = fewest.values().sum();
    let mut ops: Vec<&String> = made.keys().chain(fewest.keys()).collect();
    ops.sort();
    ops.dedup();
    for op in ops {
        println!(
            "    {op:<32} {:>5} / {:>5}",
            made.get(op).copied().unwrap_or(0),
            fewest.get(op).copied().unwrap_or(0)
        );
    }
    println!("    longest chain: {chain} calls × {LATENCY_MS} ms");
    table.push(Row::ratio(
        "scan-one: wall time (cold inventory + drift, 1 account)",
        format!("{} (median of {runs})", time(wall)),
        format!("{} ({chain}-call chain)", time(bound)),
        wall.as_secs_f64() / bound.as_secs_f64(),
        Target::Ratio(1.5),
    ));
    table.push(Row::ratio(
        "scan-one: AWS calls",
        calls.len().to_string(),
        format!("{total_fewest} fewest"),
        calls.len() as f64 / total_fewest as f64,
        Target::Ratio(1.1),
    ));
}

/// Pages of `n` items, `size` a page: at least one (an empty list is a page).
fn pages(n: usize, size: usize) -> usize {
    n.div_ceil(size).max(1)
}

/// The fewest calls, by operation, that read `inv` in full.
fn fewest(inv: &Inventory) -> BTreeMap<String, usize> {
    let local = inv
        .portfolios
        .iter()
        .filter(|p| p.origin.is_local())
        .count();
    let imported = |kind: ShareType| {
        inv.portfolios
            .iter()
            .filter(
                |p| matches!(&p.origin, Origin::Imported { share_type, .. } if *share_type == kind),
            )
            .count()
    };
    let held_by = |id: &str| {
        inv.products
            .iter()
            .filter(|p| p.portfolio_ids.iter().any(|h| h == id))
            .count()
    };
    let constraints_of = |id: &str| {
        inv.constraints
            .iter()
            .filter(|c| c.portfolio_id == id)
            .count()
    };
    let mut f = BTreeMap::new();
    let mut put = |op: &str, n: usize| {
        *f.entry(op.to_string()).or_default() += n;
    };
    put("GetCallerIdentity", 1);
    put("ListPortfolios", pages(local, PORTFOLIO_PAGE));
    put(
        "ListAcceptedPortfolioShares",
        pages(imported(ShareType::Account), PORTFOLIO_PAGE)
            + pages(imported(ShareType::Organization), PORTFOLIO_PAGE),
    );
    // Whom each local portfolio is shared with: one list per share type.
    put("DescribePortfolioShares", 4 * local);
    put(
        "SearchProductsAsAdmin",
        pages(inv.products.len(), PRODUCT_PAGE)
            + inv
                .portfolios
                .iter()
                .map(|p| pages(held_by(&p.id), PRODUCT_PAGE))
                .sum::<usize>(),
    );
    put("ListProvisioningArtifacts", inv.products.len());
    put(
        "ListConstraintsForPortfolio",
        inv.portfolios
            .iter()
            .map(|p| pages(constraints_of(&p.id), CONSTRAINT_PAGE))
            .sum(),
    );
    put("DescribeConstraint", inv.constraints.len());
    put(
        "SearchProvisionedProducts",
        pages(inv.provisioned.len(), PROVISIONED_PAGE),
    );
    f
}

/// The longest chain of calls where each needs the one before: the pages
/// of a list (each needs the previous token), then what needs the list.
/// The caller's identity is needed by nothing else, so it is no link.
fn chain(inv: &Inventory) -> usize {
    let portfolio_pages = pages(inv.portfolios.len(), PORTFOLIO_PAGE);
    let most_held = inv
        .portfolios
        .iter()
        .map(|p| {
            inv.products
                .iter()
                .filter(|x| x.portfolio_ids.contains(&p.id))
                .count()
        })
        .max()
        .unwrap_or(0);
    let most_constrained = inv
        .portfolios
        .iter()
        .map(|p| {
            inv.constraints
                .iter()
                .filter(|c| c.portfolio_id == p.id)
                .count()
        })
        .max()
        .unwrap_or(0);
    [
        // provisioned products, page after page
        pages(inv.provisioned.len(), PROVISIONED_PAGE),
        // products, page after page, then the last page's versions
        pages(inv.products.len(), PRODUCT_PAGE) + 1,
        // portfolios, then a portfolio's products, then their versions
        portfolio_pages + pages(most_held, PRODUCT_PAGE) + 1,
        // portfolios, then a portfolio's constraints, then their parameters
        portfolio_pages + pages(most_constrained, CONSTRAINT_PAGE) + 1,
    ]
    .into_iter()
    .max()
    .unwrap_or(1)
}
