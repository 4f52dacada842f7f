//! `spoke drift` over a fleet (`cargo bench --bench drift`): the real
//! binary, in organization mode from the hub, over a generated world of
//! 100 spoke accounts × 100 provisioned products (300 products), every
//! sandbox call 50 ms late. Prints the wall time (median and best of the
//! runs) next to the least time the calls could take:
//!
//! - the longest chain of dependent calls × latency: the hub's
//!   GetCallerIdentity → each ListAccounts page (each needs the previous
//!   token) → per account, AssumeRole → GetCallerIdentity → each
//!   SearchProvisionedProducts page → ListProvisioningArtifacts (all of an
//!   account's at once); the pages counted in the call log of a run;
//! - the calls made × latency ÷ the calls spoke lets run at once
//!   (accounts at once × calls per account at once);
//!
//! then the calls by operation, with when the first and the last of each
//! ended (after the process started), which shows where the time goes.
//!
//! `SPOKE_BENCH_RUNS` sets the runs (default 5, after one warm-up);
//! `SPOKE_BENCH_ACCOUNTS` the spokes (default 100). Run as a test
//! (`cargo test --benches`), it makes one run over 10 spokes.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use spoke::sandbox::{CallRecord, Faults, Sandbox, SandboxOptions, WorldSource};

const LATENCY_MS: u64 = 50;
const PRODUCTS: usize = 300;
const PER_ACCOUNT: usize = 100;
const RUNS: usize = 5;
const ACCOUNTS: usize = 100;
/// What spoke exits with when something drifts.
const DRIFTS: i32 = 3;
/// ListAccounts' largest page (the sandbox's, as AWS's).
const ACCOUNTS_PER_PAGE: usize = 20;
/// SearchProvisionedProducts' largest page.
const PROVISIONED_PER_PAGE: usize = 100;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One run: its wall time, when it started, and the calls it made.
struct Run {
    wall: Duration,
    started: DateTime<Utc>,
    calls: Vec<CallRecord>,
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not.
    let full = std::env::args().any(|a| a == "--bench");
    let (warm_up, runs, accounts) = if full {
        (
            1,
            env_number("SPOKE_BENCH_RUNS", RUNS).max(1),
            env_number("SPOKE_BENCH_ACCOUNTS", ACCOUNTS),
        )
    } else {
        println!("test mode: one run over 10 spokes; `cargo bench --bench drift` measures");
        (0, 1, 10)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let loading = Instant::now();
    let sandbox = runtime
        .block_on(Sandbox::start(SandboxOptions {
            world: WorldSource::Generated {
                accounts,
                products: PRODUCTS,
                provisioned_per_account: PER_ACCOUNT,
            },
            faults: Faults {
                latency_ms: LATENCY_MS,
                ..Faults::default()
            },
            ..SandboxOptions::default()
        }))
        .expect("the sandbox starts");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = dir.path().join("aws-config");
    sandbox.write_aws_config(&config).expect("the AWS config");
    println!(
        "world: {accounts} spokes × {PER_ACCOUNT} provisioned products (the hub none), {PRODUCTS} products, loaded in {:.1} s; every call {LATENCY_MS} ms late",
        loading.elapsed().as_secs_f64()
    );
    println!(
        "{runs} runs after {warm_up} to warm up; a run is `spoke drift --profile hub --org-role OrganizationAccountAccessRole --format json` ({} binary, a subprocess)",
        if full { "release" } else { "debug" }
    );

    for _ in 0..warm_up {
        run(&sandbox, dir.path(), &config); // the page cache, the sandbox's lazy indexes
    }
    let measured: Vec<Run> = (0..runs)
        .map(|_| run(&sandbox, dir.path(), &config))
        .collect();
    let mut walls: Vec<Duration> = measured.iter().map(|r| r.wall).collect();
    walls.sort();
    let median = median(&walls);
    let best = walls[0];
    let last = measured.last().expect("at least one run");
    let calls = &last.calls;

    // The pages that depend on each other, as the run made them:
    // ListAccounts' of the organization, SearchProvisionedProducts' of the
    // account that needed the most.
    let mut by_operation: BTreeMap<&str, usize> = BTreeMap::new();
    let mut searches: BTreeMap<&str, usize> = BTreeMap::new();
    for c in calls {
        *by_operation.entry(&c.operation).or_default() += 1;
        if c.operation == "SearchProvisionedProducts" {
            *searches.entry(&c.account).or_default() += 1;
        }
    }
    let count = |op: &str| by_operation.get(op).copied().unwrap_or(0);
    let failed = calls.iter().filter(|c| c.outcome != "ok").count();
    let members = accounts + 1;
    let list_pages = count("ListAccounts");
    let search_pages = searches.values().copied().max().unwrap_or(0);
    let chain = 1 + list_pages + 1 + 1 + search_pages + 1;
    let latency = Duration::from_millis(LATENCY_MS);
    let chain_bound = latency * chain as u32;
    let at_once = spoke::ops::fleet::ACCOUNTS_AT_ONCE * spoke::aws::read::CONCURRENCY;
    let throughput_bound = latency.mul_f64(calls.len() as f64 / at_once as f64);
    let bound = chain_bound.max(throughput_bound);

    println!();
    println!(
        "{:<28} {:>10} {:>10} {:>7}",
        "case", "measured", "bound", "ratio"
    );
    let row = |case: &str, took: Duration, bound: Duration| {
        println!(
            "{case:<28} {:>10} {:>10} {:>7.2}",
            ms(took),
            ms(bound),
            took.as_secs_f64() / bound.as_secs_f64()
        );
    };
    row("drift, median wall", median, bound);
    row("drift, best wall", best, bound);
    println!();
    println!(
        "bound = max(chain, throughput) = {}",
        if chain_bound >= throughput_bound {
            "chain"
        } else {
            "throughput"
        }
    );
    println!(
        "  chain       {chain} calls × {LATENCY_MS} ms = {}: 1 GetCallerIdentity (hub) + {list_pages} ListAccounts pages ({members} accounts ÷ {ACCOUNTS_PER_PAGE} = {}) + AssumeRole + GetCallerIdentity + {search_pages} SearchProvisionedProducts page(s) ({PER_ACCOUNT} ÷ {PROVISIONED_PER_PAGE} = {}) + ListProvisioningArtifacts",
        ms(chain_bound),
        members.div_ceil(ACCOUNTS_PER_PAGE),
        PER_ACCOUNT.div_ceil(PROVISIONED_PER_PAGE),
    );
    println!(
        "  throughput  {} calls × {LATENCY_MS} ms ÷ {at_once} at once ({} accounts × {} calls) = {}",
        calls.len(),
        spoke::ops::fleet::ACCOUNTS_AT_ONCE,
        spoke::aws::read::CONCURRENCY,
        ms(throughput_bound),
    );

    // When the calls of each operation ended, after the process started.
    let ends = |op: Option<&str>| {
        let mut ends: Vec<Duration> = calls
            .iter()
            .filter(|c| op.is_none_or(|op| c.operation == op))
            .filter_map(|c| DateTime::parse_from_rfc3339(&c.time).ok())
            .map(|t| {
                (t.with_timezone(&Utc) - last.started)
                    .to_std()
                    .unwrap_or_default()
            })
            .collect();
        ends.sort();
        (ends.first().copied(), ends.last().copied())
    };
    println!();
    println!(
        "calls of the last run: {} ({failed} failed, {:.1} per account); when they ended, after the process started ({} wall):",
        calls.len(),
        calls.len() as f64 / members as f64,
        ms(last.wall)
    );
    println!(
        "  {:<28} {:>6} {:>10} {:>10}",
        "operation", "calls", "first", "last"
    );
    let mut order: Vec<(&str, usize)> = by_operation.iter().map(|(op, n)| (*op, *n)).collect();
    order.sort_by_key(|(op, _)| ends(Some(op)).0);
    for (op, n) in order {
        let (first_end, last_end) = ends(Some(op));
        println!(
            "  {op:<28} {n:>6} {:>10} {:>10}",
            first_end.map_or("-".into(), ms),
            last_end.map_or("-".into(), ms)
        );
    }
    let (first, end) = ends(None);
    if let (Some(first), Some(end)) = (first, end) {
        println!(
            "  before the first call ended: {} (of it {LATENCY_MS} ms the call); after the last: {}",
            ms(first),
            ms(last.wall.saturating_sub(end))
        );
    }
}

/// Runs `spoke drift` once, with nothing of the user's (an empty
/// environment, HOME in `home`); exits the bench unless spoke exits 3.
fn run(sandbox: &Sandbox, home: &Path, config: &Path) -> Run {
    let before = sandbox.calls().len();
    let started = Utc::now();
    let clock = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_spoke"))
        .env_clear()
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("AWS_CONFIG_FILE", config)
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args([
            "drift",
            "--profile",
            "hub",
            "--org-role",
            "OrganizationAccountAccessRole",
            "--format",
            "json",
            "--log-file",
        ])
        .arg(home.join("log"))
        .output()
        .expect("spoke runs");
    let wall = clock.elapsed();
    if out.status.code() != Some(DRIFTS) {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
        eprintln!(
            "spoke drift exited {:?}, not {DRIFTS} (drift found)",
            out.status
        );
        std::process::exit(1);
    }
    let calls = sandbox.calls().split_off(before);
    Run {
        wall,
        started,
        calls,
    }
}

/// The median of sorted durations (the mean of the middle two when even).
fn median(sorted: &[Duration]) -> Duration {
    let n = sorted.len();
    if n.is_multiple_of(2) {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    } else {
        sorted[n / 2]
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}
