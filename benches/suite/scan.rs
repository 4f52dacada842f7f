//! scan-one: a cold inventory (every screen's data, drift computed) of one
//! spoke account of a generated world — 50 hub portfolios shared with the
//! organization, 300 products, 2,000 provisioned products, and the spoke's
//! own local portfolios, each shared by account — every sandbox call 50 ms
//! late. In-process: spoke's own scan (`ops::scan`) through the real SDK
//! clients, a new session each run (no cache, no memo).
//!
//! Bounds, from what the world holds for the account (see `bounds.rs`:
//! the sandbox's own world, never spoke's scan) and the largest pages the
//! APIs allow:
//! - time: the longest chain of calls that depend on each other (each page
//!   needs the previous page's token) × the latency;
//! - calls: the fewest that read it all — every page full, one version
//!   list per product, nothing read twice.
//!
//! The scan must have read everything the world holds (portfolios, shares,
//! products and their versions, constraints with their parameters,
//! provisioned products), and no operation may be called fewer times than
//! the bound: either would be a failure, not a win.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use spoke::aws::{ProfileSource, Reader, Session};
use spoke::sandbox::generate::{Scale, generate_with, spoke_name};
use spoke::sandbox::{Faults, Sandbox, SandboxOptions, WorldSource};

use crate::bounds::{Seen, assert_no_fewer};
use crate::report::{Row, Table, Target, median, time};

pub const LATENCY_MS: u64 = 50;
/// The spoke's local portfolios, each shared with the hub (and the next
/// spokes, when there are any).
pub const SPOKE_PORTFOLIOS: usize = 4;

pub fn run(table: &mut Table, runtime: &tokio::runtime::Runtime, runs: usize, full: bool) {
    let (products, provisioned, portfolios) = if full { (300, 2000, 50) } else { (30, 200, 5) };
    let scale = Scale::new(1, products, provisioned)
        .with_portfolios(portfolios)
        .with_spoke_portfolios(SPOKE_PORTFOLIOS);
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

    let me = sandbox
        .profiles()
        .into_iter()
        .find(|p| p.name == profile)
        .expect("the spoke's profile");
    let seen = sandbox.with_world(|w| Seen::of(w, &me.account_id, &me.region));
    // Everything the world holds for the account was read.
    let read = [
        ("portfolios", inventory.portfolios.len(), seen.portfolios),
        ("shares", inventory.shares.len(), seen.shares),
        ("products", inventory.products.len(), seen.products),
        (
            "versions",
            inventory.products.iter().map(|p| p.versions.len()).sum(),
            seen.versions,
        ),
        ("constraints", inventory.constraints.len(), seen.constraints),
        (
            "constraint parameters",
            inventory
                .constraints
                .iter()
                .filter(|c| c.params.is_some())
                .count(),
            seen.constraints,
        ),
        (
            "provisioned products",
            inventory.provisioned.len(),
            seen.provisioned,
        ),
    ];
    for (what, got, there) in read {
        assert_eq!(
            got, there,
            "scan-one: the scan read {got} {what}, the world holds {there}"
        );
    }
    assert_eq!(seen.provisioned, provisioned);
    assert!(seen.shares > 0, "the spoke's portfolios are shared");

    let mut made: BTreeMap<String, usize> = BTreeMap::new();
    for c in &calls {
        *made.entry(c.operation.clone()).or_default() += 1;
    }
    let fewest = seen.fewest();
    assert_no_fewer("scan-one", &made, &fewest);
    let chain = seen.chain();
    let latency = Duration::from_millis(LATENCY_MS);
    let bound = latency * chain as u32;
    let wall = median(&walls);
    println!(
        "scan-one: {} portfolios ({} local, {} shares), {} products, {} constraints, {} provisioned products; calls by operation (made / fewest):",
        seen.portfolios, seen.local, seen.shares, seen.products, seen.constraints, seen.provisioned
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
