//! scan-fleet: `spoke drift` (the real binary, a subprocess) in
//! organization mode from the hub, over 100 spoke accounts × 100
//! provisioned products (300 products), every sandbox call 50 ms late, at
//! spoke's default concurrency. And memory: the peak RSS of that process.
//! The spokes keep local portfolios shared with their neighbours too, as in
//! scan-one (drift reads none of them).
//!
//! Bounds, from the sandbox's world (`bounds.rs`: its organization, the
//! provisioned products of each member, the products they run — never from
//! what spoke asked for): the longest chain of dependent calls × latency
//! (ListAccounts pages, each needing the previous token → AssumeRole → the
//! account's SearchProvisionedProducts pages → a ListProvisioningArtifacts),
//! or the fewest calls × latency ÷ the calls spoke lets run at once,
//! whichever is larger. The fewest calls: ListAccounts pages, one
//! AssumeRole per member, its search pages, one version list per product
//! the fleet runs, and the hub's own GetCallerIdentity.
//!
//! spoke's answer must cover the world: every member read, each with all
//! its provisioned products and their latest versions; and no operation
//! may be called fewer times than the bound.
//!
//! `SPOKE_BENCH_DETAIL=1` prints when the first and last call of each
//! operation ended, which shows where the time goes.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use spoke::sandbox::generate::{Scale, generate_with};
use spoke::sandbox::{CallRecord, Faults, Sandbox, SandboxOptions, WorldSource};

use crate::bounds::{Fleet, assert_no_fewer};
use crate::report::{Row, Table, Target, bytes, median, time};
use crate::scan::SPOKE_PORTFOLIOS;

const LATENCY_MS: u64 = 50;
const PRODUCTS: usize = 300;
const PER_ACCOUNT: usize = 100;
/// What spoke exits with when something drifts.
const DRIFTS: i32 = 3;

/// One run: its wall time, peak RSS, when it started, and the calls it made.
pub struct Run {
    pub wall: Duration,
    pub peak_rss: u64,
    pub started: DateTime<Utc>,
    pub calls: Vec<CallRecord>,
    /// What `spoke drift --format json` printed.
    pub out: Vec<u8>,
}

pub fn run(table: &mut Table, runtime: &tokio::runtime::Runtime, runs: usize, full: bool) {
    let accounts = if full { 100 } else { 10 };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let world = dir.path().join("world.toml");
    let scale = Scale::new(accounts, PRODUCTS, PER_ACCOUNT).with_spoke_portfolios(SPOKE_PORTFOLIOS);
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

    run_once(&sandbox, dir.path(), &config); // the page cache, the sandbox's lazy indexes
    let measured: Vec<Run> = (0..runs)
        .map(|_| run_once(&sandbox, dir.path(), &config))
        .collect();
    let mut walls: Vec<Duration> = measured.iter().map(|r| r.wall).collect();
    walls.sort();
    let wall = median(&walls);
    let last = measured.last().expect("a run");
    let calls = &last.calls;

    let fleet = sandbox.with_world(|w| Fleet::of(w));
    assert_eq!(fleet.members(), accounts + 1, "the spokes and the hub");
    assert_read_all(&fleet, &last.out);
    let mut made: BTreeMap<String, usize> = BTreeMap::new();
    for c in calls {
        *made.entry(c.operation.clone()).or_default() += 1;
    }
    let by_operation = fleet.fewest();
    assert_no_fewer("scan-fleet", &made, &by_operation);
    let fewest: usize = by_operation.values().sum();
    let chain = fleet.chain();
    let latency = Duration::from_millis(LATENCY_MS);
    let at_once = spoke::ops::fleet::ACCOUNTS_AT_ONCE * spoke::aws::read::CONCURRENCY;
    let chain_bound = latency * chain as u32;
    let throughput_bound = latency.mul_f64(fewest as f64 / at_once as f64);
    let bound = chain_bound.max(throughput_bound);
    println!(
        "scan-fleet: {accounts} spokes × {PER_ACCOUNT} provisioned products, {} products run; calls by operation (made / fewest): {}",
        fleet.products.len(),
        made.iter()
            .map(|(op, n)| format!("{op} {n} / {}", by_operation.get(op).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "    bound: max(chain {chain} × {LATENCY_MS} ms = {}, {fewest} calls × {LATENCY_MS} ms ÷ {at_once} at once = {})",
        time(chain_bound),
        time(throughput_bound)
    );
    table.push(Row::ratio(
        format!(
            "scan-fleet: wall time ({accounts} accounts × {PER_ACCOUNT}, `spoke drift --org-role`)"
        ),
        format!("{} (median of {runs})", time(wall)),
        time(bound),
        wall.as_secs_f64() / bound.as_secs_f64(),
        Target::Ratio(1.5),
    ));
    table.push(Row::ratio(
        "scan-fleet: AWS calls",
        calls.len().to_string(),
        format!("{fewest} fewest"),
        calls.len() as f64 / fewest as f64,
        Target::Ratio(1.1),
    ));
    let peak = measured.iter().map(|r| r.peak_rss).max().unwrap_or(0) as f64;
    table.push(Row::under(
        format!(
            "memory: peak RSS of scan-fleet ({} provisioned products)",
            accounts * PER_ACCOUNT
        ),
        format!(
            "{} ({} per provisioned product)",
            bytes(peak),
            bytes(peak / (accounts * PER_ACCOUNT) as f64)
        ),
        peak / 1024.0 / 1024.0,
        Target::Under(200.0, "MiB"),
    ));
    if std::env::var_os("SPOKE_BENCH_DETAIL").is_some() {
        detail(last);
    }
}

/// When the calls of each operation ended, after the process started.
pub fn detail(last: &Run) {
    let ends = |op: &str| {
        let mut ends: Vec<Duration> = last
            .calls
            .iter()
            .filter(|c| c.operation == op)
            .filter_map(|c| DateTime::parse_from_rfc3339(&c.time).ok())
            .map(|t| {
                (t.with_timezone(&Utc) - last.started)
                    .to_std()
                    .unwrap_or_default()
            })
            .collect();
        ends.sort();
        let mut took: Vec<u64> = last
            .calls
            .iter()
            .filter(|c| c.operation == op)
            .map(|c| c.duration_ms)
            .collect();
        took.sort();
        println!(
            "      {op}: answered in {} ms median, {} ms at most",
            took[took.len() / 2],
            took[took.len() - 1]
        );
        (ends.first().copied(), ends.last().copied(), ends.len())
    };
    let ops: BTreeSet<&str> = last.calls.iter().map(|c| c.operation.as_str()).collect();
    let mut rows: Vec<_> = ops.into_iter().map(|op| (op, ends(op))).collect();
    rows.sort_by_key(|(_, (first, _, _))| *first);
    println!(
        "    when the calls ended, after the process started ({} wall):",
        time(last.wall)
    );
    for (op, (first, end, n)) in rows {
        println!(
            "      {op:<28} {n:>5} {:>10} {:>10}",
            first.map_or("-".into(), time),
            end.map_or("-".into(), time)
        );
    }
}

/// Runs `spoke drift` once, with nothing of the user's (an empty
/// environment, HOME in `home`); exits the bench unless spoke exits 3.
#[expect(
    clippy::zombie_processes,
    reason = "waited for with wait4, which also gives its CPU time"
)]
pub fn run_once(sandbox: &Sandbox, home: &Path, config: &Path) -> Run {
    let before = sandbox.calls().len();
    let started = Utc::now();
    let clock = Instant::now();
    let mut child = crate::spawn::spoke(home, config)
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
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spoke runs");
    let peak = watch_peak_rss(child.id());
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut stderr = child.stderr.take().expect("stderr");
    let drain = std::thread::spawn(move || {
        let _ = stderr.read_to_end(&mut err);
        err
    });
    let _ = child.stdout.take().expect("stdout").read_to_end(&mut out);
    let err = drain.join().unwrap_or_default();
    let code = wait_with_rusage(child.id());
    let peak_rss = peak.join().unwrap_or(0);
    let wall = clock.elapsed();
    if code != Some(DRIFTS) {
        eprintln!("{}", String::from_utf8_lossy(&err));
        eprintln!("spoke drift exited {code:?}, not {DRIFTS} (drift found)");
        std::process::exit(1);
    }
    let calls = sandbox.calls().split_off(before);
    Run {
        wall,
        peak_rss,
        started,
        calls,
        out,
    }
}

/// Panics unless spoke's JSON covers the world: every member, none
/// unreachable or with problems, each with as many provisioned products as
/// the world gives it, every one with its latest version known.
pub fn assert_read_all(fleet: &Fleet, out: &[u8]) {
    let json: serde_json::Value = serde_json::from_slice(out).expect("spoke drift prints JSON");
    let accounts = json["accounts"].as_array().expect("accounts");
    let mut read: BTreeMap<String, usize> = BTreeMap::new();
    for a in accounts {
        let id = a["account"].as_str().unwrap_or_default();
        assert!(
            a["unreachable"].is_null(),
            "scan-fleet: {id} unreachable: {}",
            a["unreachable"]
        );
        assert_eq!(
            a["problems"].as_array().map_or(0, Vec::len),
            0,
            "scan-fleet: {id}: {}",
            a["problems"]
        );
        let rows = a["provisioned"].as_array().expect("provisioned");
        let unknown = rows
            .iter()
            .filter(|r| r["latest_version_id"].is_null())
            .count();
        assert_eq!(
            unknown, 0,
            "scan-fleet: {id}: {unknown} provisioned products without their latest version"
        );
        read.insert(id.to_string(), rows.len());
    }
    assert_eq!(
        read, fleet.provisioned,
        "scan-fleet: provisioned products read per account, against the world's"
    );
}

/// The peak resident set of process `pid`, in bytes: its `VmHWM`, read
/// every 2 ms until it ends (the last reading stands). Not `ru_maxrss`:
/// a child spawned from this process starts from the bench's own high-water
/// mark (the sandbox's world, the render cases' rows), which Linux keeps
/// across exec.
fn watch_peak_rss(pid: u32) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut peak = 0;
        while let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            let Some(kib) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            else {
                break; // a zombie: it has ended
            };
            peak = peak.max(kib * 1024);
            std::thread::sleep(Duration::from_millis(2));
        }
        peak
    })
}

/// Waits for process `pid`: its exit code (and, with SPOKE_BENCH_DETAIL, its CPU time).
fn wait_with_rusage(pid: u32) -> Option<i32> {
    let mut status = 0;
    // SAFETY: rusage is plain data, filled by wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, not yet waited for; the pointers are valid.
    let r = unsafe { libc::wait4(pid as i32, &mut status, 0, &mut usage) };
    assert_eq!(r, pid as i32, "wait4: {}", std::io::Error::last_os_error());
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    if std::env::var_os("SPOKE_BENCH_DETAIL").is_some() {
        let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        println!(
            "    spoke's CPU time: user {:.2} s, system {:.2} s",
            secs(usage.ru_utime),
            secs(usage.ru_stime)
        );
    }
    code
}
