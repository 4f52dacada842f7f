//! Waves of a bulk run, end to end: `--canary K` updates the first K items
//! of the plan and the rest only if all succeed; `--max-failures N` starts
//! nothing more after N failures; what was not started is said (report,
//! journal) and `--resume` sends it later.

use crate::fixtures;

use std::collections::BTreeMap;

use fixtures::headless::{Env, Run};
use spoke::journal::Phase;

const DEV: [&str; 7] = [
    "update",
    "--drifted",
    "--profiles",
    "spoke-dev",
    "--policy",
    "everything",
    "--include-risky",
];

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = DEV.to_vec();
    v.extend_from_slice(extra);
    v
}

/// Every version of every product fails its stack update: a broken release.
fn break_every_version(env: &Env, broken: bool) {
    env.sandbox.with_world(|w| {
        for p in w.products.values_mut() {
            for v in &mut p.versions {
                v.fails_on = broken
                    .then(|| v.template.resources.first().map(|r| r.logical_id.clone()))
                    .flatten();
            }
        }
    });
}

/// The names of the items the plan updates, in the plan's order.
fn planned(run: &Run) -> Vec<String> {
    run.stdout
        .lines()
        .filter(|l| l.starts_with("  spoke-dev  ") && l.contains("  UPDATE"))
        .map(|l| l.split("  ").nth(2).unwrap().to_string())
        .collect()
}

/// Provisioned product name → its version (artifact id) now.
fn versions(env: &Env) -> BTreeMap<String, String> {
    env.sandbox.with_world(|w| {
        w.provisioned
            .values()
            .map(|p| (p.name.clone(), p.artifact_id.clone()))
            .collect()
    })
}

/// Names of the provisioned products UpdateProvisionedProduct was called on.
fn updated(env: &Env, from: usize) -> Vec<String> {
    let ids: Vec<String> = env
        .sandbox
        .calls()
        .into_iter()
        .skip(from)
        .filter(|c| c.operation == "UpdateProvisionedProduct")
        .filter_map(|c| c.target)
        .collect();
    env.sandbox.with_world(|w| {
        ids.iter()
            .map(|id| w.provisioned.get(id).map_or(id.clone(), |p| p.name.clone()))
            .collect()
    })
}

fn report(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_canary_leaves_the_rest_untouched_and_resume_sends_them_later() {
    let env = Env::start(60.0).await;
    let plan = env.spoke(&DEV).await;
    let names = planned(&plan);
    assert!(names.len() > 2, "a plan of more than the canary:\n{plan}");
    break_every_version(&env, true);
    let before = versions(&env);
    let from = env.call_count();
    let path = env.dir.path().join("canary.jsonl");
    let run = env
        .spoke(&args(&[
            "--canary",
            "2",
            "--yes",
            "--report",
            path.to_str().unwrap(),
        ]))
        .await;
    run.expect(1)
        .says("Waves: canary 2 first")
        .complains("halted: ")
        .complains("not started: a canary update failed (--canary 2");
    // Only the canary — the plan's first two — was sent.
    let mut sent = updated(&env, from);
    sent.sort();
    let mut canary = names[..2].to_vec();
    canary.sort();
    assert_eq!(sent, canary, "exactly the canary's updates:\n{run}");
    let after = versions(&env);
    for name in &names[2..] {
        assert_eq!(after[name], before[name], "{name} untouched");
    }
    // The report and the journal say why the rest did not start.
    let lines = report(&path);
    for name in &names[2..] {
        let line = lines
            .iter()
            .find(|l| l["ProvisionedProductName"] == name.as_str())
            .unwrap();
        assert_eq!(line["UpdateStatus"], "HALTED", "{line}");
        assert!(
            line["Errors"]
                .as_str()
                .unwrap()
                .starts_with("not started: a canary update failed"),
            "{line}"
        );
    }
    let halted: Vec<_> = env
        .journal()
        .entries
        .into_iter()
        .filter(|e| e.phase == Phase::Halted)
        .collect();
    assert_eq!(halted.len(), names.len() - 2, "a halted line per item left");
    assert!(halted.iter().all(|e| {
        e.token.is_some()
            && e.outcome
                .as_ref()
                .is_some_and(|o| !o.ok && o.message.contains("--canary 2"))
    }));

    // The version fixed, --resume sends what was not started, and leaves
    // the canary's settled failures alone.
    break_every_version(&env, false);
    let from = env.call_count();
    let resumed = env.spoke(&["update", "--resume", "--yes"]).await;
    let mut sent = updated(&env, from);
    sent.sort();
    let mut rest = names[2..].to_vec();
    rest.sort();
    assert_eq!(sent, rest, "the rest, once each:\n{resumed}");
    resumed.expect(1).complains("update(s) failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_failures_starts_nothing_more_once_reached() {
    let env = Env::start(60.0).await;
    let names = planned(&env.spoke(&DEV).await);
    assert!(names.len() > 1);
    break_every_version(&env, true);
    let from = env.call_count();
    let run = env
        .spoke(&args(&[
            "--max-failures",
            "1",
            "--concurrency",
            "1",
            "--yes",
        ]))
        .await;
    run.expect(1)
        .complains("not started: 1 failure reached --max-failures 1");
    let sent = updated(&env, from);
    assert_eq!(sent, names[..1].to_vec(), "one sent, one at a time:\n{run}");
    assert!(
        run.stdout.contains(&format!("{} halted", names.len() - 1)),
        "{run}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_canary_that_succeeds_lets_everything_update() {
    let env = Env::start(60.0).await;
    let names = planned(&env.spoke(&DEV).await);
    let from = env.call_count();
    let run = env
        .spoke(&args(&["--canary", "2", "--max-failures", "1", "--yes"]))
        .await;
    run.expect(0)
        .says("Waves: canary 2 first, halt after 1 failure");
    let mut sent = updated(&env, from);
    sent.sort();
    let mut all = names.clone();
    all.sort();
    assert_eq!(sent, all, "every item updated once:\n{run}");
}
