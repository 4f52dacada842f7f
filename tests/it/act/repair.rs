//! `spoke repair --yes`: a TAINTED product updated again to its last good
//! version, a failed launch terminated then launched again under the same
//! name — each followed to its end and journaled; a read-only session
//! refuses before any call.

use crate::fixtures;

use fixtures::headless::Env;

use spoke::journal::Phase;

fn repair<'a>(profile: &'a str, name: &'a str) -> Vec<&'a str> {
    vec!["repair", "--profile", profile, "--provisioned", name]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tainted_product_is_updated_again_and_is_well_after() {
    let env = Env::start(40.0).await;
    let mut args = repair("spoke-dev", "dev-scratch-bucket");
    args.push("--yes");
    env.spoke(&args)
        .await
        .expect(0)
        .says("the version of its last successful record")
        .says("SUCCEEDED");
    assert_eq!(
        env.mutations_since(0),
        ["222233334444 UpdateProvisionedProduct ok"]
    );
    let entries = env.journal().entries;
    assert!(
        entries
            .iter()
            .any(|e| e.phase == Phase::Settled && e.operation == "UpdateProvisionedProduct"),
        "journaled to its end"
    );
    // Well now: nothing left to repair.
    env.spoke(&repair("spoke-dev", "dev-scratch-bucket"))
        .await
        .expect(2)
        .complains("is AVAILABLE")
        .complains("repair is for TAINTED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_launch_is_terminated_then_launched_again_with_its_parameters() {
    let env = Env::start(40.0).await;
    let mut args = repair("spoke-data", "data-export-bucket");
    args.push("--yes");
    let done = env.spoke(&args).await;
    done.expect(0)
        .says("the termination of data-export-bucket")
        .says("the new launch of data-export-bucket");
    let mutations = env.mutations_since(0);
    let ops: Vec<&str> = mutations
        .iter()
        .map(|m| m.split(' ').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        ops,
        ["TerminateProvisionedProduct", "ProvisionProduct"],
        "{mutations:?}"
    );
    assert!(
        mutations.iter().all(|m| m.ends_with(" ok")),
        "{mutations:?}"
    );
    // Launched again under its name, with the failed launch's parameters.
    let parameters = env
        .spoke(&[
            "parameters",
            "--profile",
            "spoke-data",
            "--provisioned",
            "data-export-bucket",
            "--format",
            "json",
        ])
        .await;
    parameters.expect(0);
    let parsed: serde_json::Value = serde_json::from_str(&parameters.stdout)
        .unwrap_or_else(|e| panic!("parameters JSON does not parse ({e}):\n{parameters}"));
    let purpose = parsed["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "BucketPurpose")
        .unwrap_or_else(|| panic!("no BucketPurpose: {parameters}"));
    assert_eq!(purpose["running"], "data");
    env.spoke(&repair("spoke-data", "data-export-bucket"))
        .await
        .expect(2)
        .complains("is AVAILABLE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_repair_is_refused_before_any_call() {
    let env = Env::start(40.0).await;
    let before = env.call_count();
    let mut args = repair("spoke-dev", "dev-scratch-bucket");
    args.extend(["--yes", "--read-only"]);
    env.spoke(&args).await.expect(4).complains("read-only");
    assert_eq!(env.call_count(), before, "a read-only repair calls nothing");
    assert_eq!(env.mutations_since(0), Vec::<String>::new());
    assert!(!env.journal.exists());
}
