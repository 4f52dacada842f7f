//! bulk-update: `spoke update --drifted --policy everything --yes` (the
//! real binary) in organization mode over 20 spoke accounts of a generated
//! world: every drifted provisioned product planned (a provisioned product
//! plan each, for its risk) and updated, each followed until its record
//! settles, the sandbox's stacks taking their simulated time (their
//! resources' seconds, at `SPEED` sandbox seconds per real second so that
//! a run takes tens of seconds, not an hour).
//!
//! Bound: the slowest stack of the run — what the whole update would take
//! if every stack moved at once and nothing else cost anything.

use std::path::Path;
use std::time::{Duration, Instant};

use spoke::sandbox::generate::{Scale, generate_with};
use spoke::sandbox::world::RecordStatus;
use spoke::sandbox::{Sandbox, SandboxOptions, WorldSource};

use crate::report::{Row, Table, Target, time};

const SPOKES: usize = 20;
/// Sandbox seconds per real second.
const SPEED: f64 = 10.0;

pub fn run(table: &mut Table, runtime: &tokio::runtime::Runtime, full: bool) {
    // 40 products over 20 spokes: 53 provisioned products each, about 25
    // of them behind the latest version (the generator's mix), 500 in all.
    let (spokes, per_account) = if full { (SPOKES, 53) } else { (4, 10) };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let world = dir.path().join("world.toml");
    std::fs::write(&world, generate_with(&Scale::new(spokes, 40, per_account)))
        .expect("the world is written");
    let sandbox = runtime
        .block_on(Sandbox::start(SandboxOptions {
            world: WorldSource::File(world),
            speed: SPEED,
            ..SandboxOptions::default()
        }))
        .expect("the sandbox starts");
    let config = dir.path().join("aws-config");
    sandbox.write_aws_config(&config).expect("the AWS config");
    let updates_before: std::collections::BTreeSet<String> =
        sandbox.with_world(|w| w.records.keys().cloned().collect());

    let calls_before = sandbox.calls().len();
    let started_at = chrono::Utc::now();
    let started = Instant::now();
    let out = spoke(dir.path(), &config);
    let wall = started.elapsed();
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stdout));
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
        eprintln!("spoke update exited {:?}", out.status);
        std::process::exit(1);
    }
    // The stacks of the run: each update's record, from its creation to
    // when it settled, in sandbox time.
    let (updated, failed, slowest) = sandbox.with_world(|w| {
        let mut slowest = chrono::TimeDelta::zero();
        let (mut ok, mut failed) = (0, 0);
        for r in w.records.values() {
            if updates_before.contains(&r.id) || r.record_type != "UPDATE_PROVISIONED_PRODUCT" {
                continue;
            }
            if r.status == RecordStatus::Succeeded {
                ok += 1;
            } else {
                failed += 1;
            }
            slowest = slowest.max(r.updated - r.created);
        }
        (ok, failed, slowest)
    });
    let slowest = slowest.to_std().unwrap_or_default().div_f64(SPEED);
    // Where the time went: reading the fleet and planning (up to the first
    // update sent), then the updates, in waves of --concurrency per account.
    let calls = sandbox.calls().split_off(calls_before);
    let at = |c: &spoke::sandbox::CallRecord| {
        chrono::DateTime::parse_from_rfc3339(&c.time)
            .ok()
            .and_then(|t| (t.with_timezone(&chrono::Utc) - started_at).to_std().ok())
    };
    let first_update = calls
        .iter()
        .filter(|c| c.operation == "UpdateProvisionedProduct")
        .filter_map(at)
        .min()
        .unwrap_or_default();
    let mut per_account: std::collections::BTreeMap<&str, usize> = Default::default();
    for c in calls
        .iter()
        .filter(|c| c.operation == "UpdateProvisionedProduct")
    {
        *per_account.entry(&c.account).or_default() += 1;
    }
    let most = per_account.values().copied().max().unwrap_or(0);
    let waves = most.div_ceil(spoke::ops::bulk::apply::DEFAULT_CONCURRENCY);
    println!(
        "bulk-update: read and planned in {} ({} provisioned product plans), then updated in {} — at most {most} updates in one account, {} at a time: {waves} waves, each followed by DescribeRecord every {} s",
        time(first_update),
        calls
            .iter()
            .filter(|c| c.operation == "CreateProvisionedProductPlan")
            .count(),
        time(wall.saturating_sub(first_update)),
        spoke::ops::bulk::apply::DEFAULT_CONCURRENCY,
        spoke::ops::bulk::apply::RECORD_POLL.as_secs()
    );
    let bound = slowest.max(Duration::from_millis(1));
    println!(
        "bulk-update: {updated} updated, {failed} failed, over {spokes} accounts; the slowest stack took {} (sandbox time ÷ {SPEED})",
        time(slowest)
    );
    table.push(Row::ratio(
        format!(
            "bulk-update: plan + apply, {} items over {spokes} accounts",
            updated + failed
        ),
        time(wall),
        format!("{} (slowest stack)", time(bound)),
        wall.as_secs_f64() / bound.as_secs_f64(),
        Target::None,
    ));
}

fn spoke(home: &Path, config: &Path) -> std::process::Output {
    crate::spawn::spoke(home, config)
        .args([
            "update",
            "--drifted",
            "--policy",
            "everything",
            "--yes",
            "--profile",
            "hub",
            "--org-role",
            "OrganizationAccountAccessRole",
            "--log-file",
        ])
        .arg(home.join("log"))
        .output()
        .expect("spoke runs")
}
