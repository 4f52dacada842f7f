//! scan-org: `spoke drift --org-role` (the real binary) over an
//! organization of 10,000 spoke accounts and the hub, 5 provisioned
//! products each (50,000 in all, of 300 products), every sandbox call 50 ms
//! late. What grows here is the number of accounts: 501 ListAccounts pages,
//! each needing the last one's token, are most of the chain.
//!
//! Bounds, from the sandbox's world (`bounds.rs`, as scan-fleet): the
//! longest chain of dependent calls × latency (ListAccounts pages →
//! AssumeRole → a search page → a version list), or the fewest calls ×
//! latency ÷ the calls spoke lets run at once, whichever is larger; and
//! the peak RSS of the spoke process, under 300 MiB. spoke's answer must
//! hold every member's provisioned products, each with its latest version,
//! and no operation may be called fewer times than the bound.
//!
//! Beside the figures it prints what the sandbox spent per call (the CPU
//! time of the bench's process, where the sandbox runs, over the calls it
//! answered): the sandbox's cost must not grow with the world.
//!
//! In test mode (`cargo test --benches`) it runs 50 spokes, once.

use std::collections::BTreeMap;
use std::time::Duration;

use spoke::sandbox::generate::{Scale, generate_with};
use spoke::sandbox::{Faults, Sandbox, SandboxOptions, WorldSource};

use crate::bounds::{Fleet, assert_no_fewer};
use crate::fleet::{assert_read_all, detail, run_once};
use crate::report::{Row, Table, Target, bytes, median, time};

const LATENCY_MS: u64 = 50;
const PRODUCTS: usize = 300;
const PER_ACCOUNT: usize = 5;

/// CPU time (user + system) of this process so far.
fn own_cpu() -> Duration {
    // SAFETY: rusage is plain data, filled by getrusage.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to our rusage.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let d = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    d(usage.ru_utime) + d(usage.ru_stime)
}

pub fn run(table: &mut Table, runtime: &tokio::runtime::Runtime, runs: usize, full: bool) {
    let spokes = if full { 10_000 } else { 50 };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let world = dir.path().join("world.toml");
    std::fs::write(
        &world,
        generate_with(&Scale::new(spokes, PRODUCTS, PER_ACCOUNT)),
    )
    .expect("the world is written");
    let loading = std::time::Instant::now();
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
    println!(
        "scan-org: the world of {spokes} spokes loaded in {}",
        time(loading.elapsed())
    );
    let config = dir.path().join("aws-config");
    sandbox.write_aws_config(&config).expect("the AWS config");

    let mut walls = Vec::new();
    let mut peaks = Vec::new();
    let mut per_call = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let cpu = own_cpu();
        let run = run_once(&sandbox, dir.path(), &config);
        let spent = own_cpu().saturating_sub(cpu);
        per_call.push(spent / run.calls.len().max(1) as u32);
        walls.push(run.wall);
        peaks.push(run.peak_rss);
        println!(
            "    run: {} wall, peak RSS {}, {} calls, sandbox CPU {} ({} per call)",
            time(run.wall),
            bytes(run.peak_rss as f64),
            run.calls.len(),
            time(spent),
            time(spent / run.calls.len().max(1) as u32)
        );
        last = Some(run);
    }
    let last = last.expect("a run");
    walls.sort();
    per_call.sort();
    let wall = median(&walls);

    let fleet = sandbox.with_world(|w| Fleet::of(w));
    assert_eq!(fleet.members(), spokes + 1, "the spokes and the hub");
    assert_read_all(&fleet, &last.out);
    let mut made: BTreeMap<String, usize> = BTreeMap::new();
    for c in &last.calls {
        *made.entry(c.operation.clone()).or_default() += 1;
    }
    let by_operation = fleet.fewest();
    assert_no_fewer("scan-org", &made, &by_operation);
    let fewest: usize = by_operation.values().sum();
    let chain = fleet.chain();
    let latency = Duration::from_millis(LATENCY_MS);
    let at_once = spoke::ops::fleet::ACCOUNTS_AT_ONCE * spoke::aws::read::CONCURRENCY;
    let chain_bound = latency * chain as u32;
    let throughput_bound = latency.mul_f64(fewest as f64 / at_once as f64);
    let bound = chain_bound.max(throughput_bound);
    println!(
        "scan-org: {spokes} spokes × {PER_ACCOUNT} provisioned products, {} products run; calls by operation (made / fewest): {}",
        fleet.products.len(),
        made.iter()
            .map(|(op, n)| format!("{op} {n} / {}", by_operation.get(op).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "    bound: max(chain {chain} × {LATENCY_MS} ms = {}, {fewest} calls × {LATENCY_MS} ms ÷ {at_once} at once = {}); the sandbox's CPU per call {} median",
        time(chain_bound),
        time(throughput_bound),
        time(median(&per_call)),
    );
    let members = spokes + 1;
    table.push(Row::ratio(
        format!(
            "scan-org: wall time ({members} accounts × {PER_ACCOUNT}, `spoke drift --org-role`)"
        ),
        format!("{} (median of {runs})", time(wall)),
        format!("{} ({chain}-call chain)", time(bound)),
        wall.as_secs_f64() / bound.as_secs_f64(),
        Target::Ratio(1.5),
    ));
    table.push(Row::ratio(
        "scan-org: AWS calls",
        last.calls.len().to_string(),
        format!("{fewest} fewest"),
        last.calls.len() as f64 / fewest as f64,
        Target::Ratio(1.1),
    ));
    let peak = peaks.iter().copied().max().unwrap_or(0) as f64;
    table.push(Row::under(
        format!("memory: peak RSS of scan-org ({members} accounts)"),
        format!(
            "{} ({} per account)",
            bytes(peak),
            bytes(peak / members as f64)
        ),
        peak / 1024.0 / 1024.0,
        Target::Under(300.0, "MiB"),
    ));
    if std::env::var_os("SPOKE_BENCH_DETAIL").is_some() {
        detail(&last);
    }
}
