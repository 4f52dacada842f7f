//! `spoke drift` over a fleet (`cargo bench --bench drift`): the real
//! binary, in organization mode from the hub, over a generated world of
//! 100 spoke accounts × 100 provisioned products, every sandbox call 50 ms
//! late. Prints the wall time (median and best of the runs) next to the
//! least time the calls could take:
//!
//! - the longest chain of dependent calls × latency: the hub's
//!   GetCallerIdentity → each ListAccounts page (each needs the previous
//!   token) → per account, AssumeRole → GetCallerIdentity → each
//!   SearchProvisionedProducts page → ListProvisioningArtifacts (all of an
//!   account's at once);
//! - the calls made × latency ÷ the calls spoke lets run at once
//!   (accounts at once × calls per account at once);
//!
//! and the calls by operation. `SPOKE_BENCH_RUNS` sets the runs (default 5,
//! after one warm-up); `SPOKE_BENCH_ACCOUNTS` the spokes (default 100).

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

use spoke::sandbox::{Faults, Sandbox, SandboxOptions, WorldSource};

const LATENCY_MS: u64 = 50;
const PRODUCTS: usize = 300;
const PER_ACCOUNT: usize = 100;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let runs = env_number("SPOKE_BENCH_RUNS", 5).max(1);
    let accounts = env_number("SPOKE_BENCH_ACCOUNTS", 100);
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
    eprintln!(
        "world: {accounts} spokes × {PER_ACCOUNT} provisioned products, {PRODUCTS} products, loaded in {:.1} s",
        loading.elapsed().as_secs_f64()
    );

    let run = || {
        let before = sandbox.calls().len();
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_spoke"))
            .env_clear()
            .env("HOME", dir.path())
            .env("XDG_STATE_HOME", dir.path().join("state"))
            .env("AWS_CONFIG_FILE", &config)
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .args([
                "drift",
                "--profile",
                "hub",
                "--org-role",
                "OrganizationAccountAccessRole",
                "--format",
                "json",
            ])
            .output()
            .expect("spoke runs");
        let wall = started.elapsed();
        if out.status.code() != Some(3) {
            eprintln!("{}", String::from_utf8_lossy(&out.stderr));
            panic!("spoke drift exited {:?}, not 3 (drift found)", out.status);
        }
        let calls = sandbox.calls().split_off(before);
        (wall, calls)
    };

    run(); // warm-up: the page cache, the sandbox's lazily built indexes
    let mut walls = Vec::new();
    let mut last = Vec::new();
    for _ in 0..runs {
        let (wall, calls) = run();
        walls.push(wall);
        last = calls;
    }
    walls.sort();
    let median = walls[walls.len() / 2];
    let best = walls[0];

    let mut by_operation: BTreeMap<String, usize> = BTreeMap::new();
    for c in &last {
        *by_operation.entry(c.operation.clone()).or_default() += 1;
    }
    let failed = last.iter().filter(|c| c.outcome != "ok").count();
    let count = |op: &str| by_operation.get(op).copied().unwrap_or(0);
    let members = accounts + 1;
    // Pages that depend on each other: ListAccounts' of the organization,
    // SearchProvisionedProducts' of the account with the most.
    let list_pages = count("ListAccounts");
    let search_pages = count("SearchProvisionedProducts").div_ceil(members);
    let chain = 1 + list_pages + 1 + 1 + search_pages + 1;
    let latency = Duration::from_millis(LATENCY_MS);
    let chain_bound = latency * chain as u32;
    let at_once = spoke::ops::fleet::ACCOUNTS_AT_ONCE * spoke::aws::read::CONCURRENCY;
    let throughput_bound = latency * (last.len() / at_once) as u32;
    let bound = chain_bound.max(throughput_bound);

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "case                          measured       bound          ratio  (runs: {runs}, {} calls each, {failed} failed)",
        last.len()
    );
    println!(
        "drift-fleet median wall       {:>9.0} ms   {:>9.0} ms   {:>5.2}   bound = max(chain, throughput)",
        ms(median),
        ms(bound),
        median.as_secs_f64() / bound.as_secs_f64()
    );
    println!(
        "drift-fleet best wall         {:>9.0} ms   {:>9.0} ms   {:>5.2}",
        ms(best),
        ms(bound),
        best.as_secs_f64() / bound.as_secs_f64()
    );
    println!(
        "  longest chain               {chain:>9} calls × {LATENCY_MS} ms = {:>6.0} ms   (1 identity + {list_pages} ListAccounts pages + AssumeRole + identity + {search_pages} search page(s) + versions)",
        ms(chain_bound)
    );
    println!(
        "  throughput                  {:>9} calls × {LATENCY_MS} ms ÷ {at_once} at once = {:>6.0} ms",
        last.len(),
        ms(throughput_bound)
    );
    println!("calls by operation (one run):");
    for (op, n) in &by_operation {
        println!("  {op:<32} {n:>6}");
    }
}
