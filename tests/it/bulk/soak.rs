//! The soak: bulk updates of a generated fleet under randomized faults
//! (throttling, server errors), the real binary killed with SIGKILL at
//! random moments — while planning, while sending, while following — and
//! resumed, run after run. Each run is checked from the sandbox's own
//! records: every eligible provisioned product updated exactly once and on
//! its latest version; nothing else touched.
//!
//! ```sh
//! SPOKE_SOAK_RUNS=100 cargo test --release --test it bulk::soak -- --ignored --nocapture
//! ```
//!
//! CI runs `a_short_soak` (3 runs).

use crate::fixtures;

use std::collections::BTreeMap;
use std::time::Duration;

use fixtures::headless::Env;
use spoke::sandbox::faults::Garble;
use spoke::sandbox::generate::{Scale, generate_with};
use spoke::sandbox::world::{PpStatus, World};
use spoke::sandbox::{Faults, SandboxOptions, WorldSource};

const ROLE: &str = "OrganizationAccountAccessRole";

#[derive(Debug, Default)]
struct Tally {
    runs: usize,
    calls: usize,
    faults: usize,
    kills: usize,
    eligible: usize,
    updated: usize,
    lost: usize,
    duplicates: usize,
    untouchable_touched: usize,
}

/// A small deterministic random source (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) % n.max(1)
    }
}

/// Provisioned products a bulk update with `--policy everything
/// --include-risky` must update: available, behind their latest version.
fn eligible(world: &World) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for pp in world.provisioned.values() {
        let product = &world.products[&pp.product_id];
        let Some(latest) = product
            .versions
            .iter()
            .filter(|v| v.active && v.guidance != "DEPRECATED")
            .max_by_key(|v| v.created)
        else {
            continue;
        };
        if pp.status == PpStatus::Available && pp.artifact_id != latest.id {
            out.insert(pp.id.clone(), latest.id.clone());
        }
    }
    out
}

/// Whether a bulk plan was saved beside the journal (so `--resume` has a run to finish).
fn plan_saved(env: &Env) -> bool {
    let dir = env
        .journal
        .parent()
        .expect("a journal directory")
        .join("bulk");
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "json"))
        })
        .unwrap_or(false)
}

async fn one_run(seed: u64, tally: &mut Tally) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("fleet.toml");
    std::fs::write(&world, generate_with(&Scale::new(4, 12, 8))).unwrap();
    let env = Env::start_with(SandboxOptions {
        speed: 60.0,
        world: WorldSource::File(world),
        faults: Faults {
            throttle_rate: 0.1 + rng.below(25) as f64 / 100.0,
            error_rate: rng.below(6) as f64 / 100.0,
            // Connections dropped half-way through an answer, answers cut
            // short or an error sent with 200, and latency spikes.
            reset_rate: rng.below(4) as f64 / 100.0,
            garbage_rate: rng.below(4) as f64 / 100.0,
            garble_kinds: vec![Garble::Truncated, Garble::ErrorBody],
            spike_rate: rng.below(6) as f64 / 100.0,
            spike_ms: 300,
            ..Faults::default()
        },
        ..SandboxOptions::default()
    })
    .await;
    let want = env.sandbox.with_world(|w| eligible(w));
    let records_before = env.update_records();
    let fresh = [
        "update",
        "--drifted",
        "--policy",
        "everything",
        "--include-risky",
        "--yes",
        "--profile",
        "hub",
        "--org-role",
        ROLE,
    ];
    let resume = ["update", "--resume", "--yes"];

    // Up to three runs killed at a random moment, then runs to the end.
    let mut finished = false;
    let mut last_output = String::new();
    for attempt in 0..10 {
        let args: &[&str] = if plan_saved(&env) { &resume } else { &fresh };
        if attempt < 3 && rng.below(4) != 0 {
            let mut child = env.spawn(args);
            let after = Duration::from_millis(rng.below(2500));
            tokio::select! {
                _ = tokio::time::sleep(after) => {
                    child.start_kill().unwrap(); // SIGKILL
                    let _ = child.wait().await;
                    tally.kills += 1;
                }
                _ = child.wait() => {}
            }
            continue;
        }
        let run = env.spoke(args).await;
        if std::env::var_os("SOAK_DEBUG").is_some() {
            println!("{run}");
        }
        // Done, or done but for items that could not be planned (they
        // count as lost below, with what the run said of them).
        if run.code == 0 || run.stderr.contains("could not be planned") {
            finished = true;
            last_output = run.to_string();
            break;
        }
        assert_ne!(run.code, 101, "a panic:\n{run}");
    }
    assert!(finished, "the run never finished (seed {seed})");

    let records = env.update_records();
    let after = env.versions();
    let calls = env.sandbox.calls();
    tally.runs += 1;
    tally.calls += calls.len();
    tally.faults += calls.iter().filter(|c| c.outcome != "ok").count();
    tally.eligible += want.len();
    for (id, n) in &records {
        let made = n - records_before.get(id).copied().unwrap_or(0);
        match (want.get(id), made) {
            (_, 0) => {}
            (Some(_), 1) => tally.updated += 1,
            (Some(_), _) => {
                tally.updated += 1;
                tally.duplicates += 1;
            }
            (None, _) => tally.untouchable_touched += 1,
        }
    }
    for (id, latest) in &want {
        if after.get(id) != Some(latest) {
            // Said whenever it happens: the seed to run again, and what
            // the run that ended said of the item.
            let name = env
                .sandbox
                .with_world(|w| w.provisioned.get(id).map(|p| p.name.clone()))
                .unwrap_or_default();
            println!(
                "seed {seed}: lost {name} ({id}) on {:?}, latest {latest}; the last run said of it:",
                after.get(id)
            );
            for line in last_output
                .lines()
                .filter(|l| l.contains(id.as_str()) || (!name.is_empty() && l.contains(&name)))
            {
                println!("  {line}");
            }
            tally.lost += 1;
        }
    }
    let journal = env.journal();
    assert!(
        journal.bad_lines.len() <= tally.kills,
        "only torn last lines, one per kill at most: {:?}",
        journal.bad_lines
    );
}

async fn soak(runs: usize) -> Tally {
    let mut tally = Tally::default();
    // SPOKE_SOAK_SEED=S starts at seed S (to run a reported one again).
    let first: u64 = std::env::var("SPOKE_SOAK_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    for run in 0..runs {
        one_run(first + run as u64, &mut tally).await;
    }
    println!(
        "soak: {} runs, {} calls, {} faults injected, {} kills; {} eligible, {} updated, {} lost, {} duplicates, {} touched that should not be",
        tally.runs,
        tally.calls,
        tally.faults,
        tally.kills,
        tally.eligible,
        tally.updated,
        tally.lost,
        tally.duplicates,
        tally.untouchable_touched
    );
    tally
}

fn assert_clean(t: &Tally) {
    assert_eq!(t.lost, 0, "{t:?}");
    assert_eq!(t.duplicates, 0, "{t:?}");
    assert_eq!(t.untouchable_touched, 0, "{t:?}");
    assert_eq!(t.updated, t.eligible, "{t:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_soak() {
    let t = soak(3).await;
    assert!(t.faults > 0, "{t:?}");
    assert_clean(&t);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: SPOKE_SOAK_RUNS=100 cargo test --release --test it bulk::soak -- --ignored --nocapture"]
async fn the_soak() {
    let runs = std::env::var("SPOKE_SOAK_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let t = soak(runs).await;
    assert_clean(&t);
}
