//! `spoke drift --resources` on the sandbox: the last detection's results
//! without `--yes` (nothing sent), a detection through the gate with it
//! (journaled), a read-only session that detects nothing and says so, and
//! a stack CloudFormation will not check while it moves.

use crate::fixtures;

use fixtures::headless::Env;

use spoke::journal::Phase;

fn args<'a>(profile: &'a str, pp: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "drift",
        "--resources",
        "--profile",
        profile,
        "--provisioned",
        pp,
    ];
    a.extend(more);
    a
}

fn json(run: &fixtures::headless::Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("the JSON does not parse ({e}):\n{run}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resource_drift_reads_the_last_results_then_detects_with_yes() {
    let env = Env::start(20.0).await;

    // Never checked: NOT_CHECKED, and nothing is sent.
    let before = env
        .spoke(&args(
            "spoke-prod",
            "prod-audit-logs",
            &["--format", "table"],
        ))
        .await;
    before
        .expect(0)
        .says("prod-audit-logs")
        .says("NOT_CHECKED")
        .says("never checked")
        .says("add --yes to detect drift now (DetectStackDrift)");
    assert_eq!(env.mutations_since(0), Vec::<String>::new());
    assert!(!env.journal.exists(), "a look opens no journal");

    // --yes: detected, the planted differences expected vs actual.
    let detected = env
        .spoke(&args(
            "spoke-prod",
            "prod-audit-logs",
            &["--yes", "--format", "json"],
        ))
        .await;
    detected
        .expect(3)
        .complains("1 stack drifted from its template");
    let parsed = json(&detected);
    assert_eq!(parsed["schema_version"], 1);
    let pp = &parsed["accounts"][0]["provisioned"][0];
    assert_eq!(pp["name"], "prod-audit-logs");
    let drift = &pp["drift"];
    assert_eq!(drift["status"], "DRIFTED");
    assert_eq!(drift["fresh"], true);
    assert!(drift["last_checked"].is_string(), "{drift}");
    let resources = drift["resources"].as_array().unwrap();
    let bucket = resources
        .iter()
        .find(|r| r["logical_id"] == "Bucket")
        .expect("the bucket");
    assert_eq!(bucket["status"], "MODIFIED");
    assert_eq!(
        bucket["differences"][0]["path"],
        "/VersioningConfiguration/Status"
    );
    assert_eq!(bucket["differences"][0]["expected"], "Enabled");
    assert_eq!(bucket["differences"][0]["actual"], "Suspended");
    assert_eq!(bucket["differences"][0]["kind"], "NOT_EQUAL");
    let policy = resources
        .iter()
        .find(|r| r["logical_id"] == "BucketPolicy")
        .expect("the policy");
    assert_eq!(policy["status"], "DELETED");
    assert_eq!(env.mutations_since(0), ["333344445555 DetectStackDrift ok"]);
    let entries = env.journal().entries;
    let intent = entries
        .iter()
        .find(|e| e.phase == Phase::Intent && e.operation == "DetectStackDrift")
        .expect("the intent is journaled");
    assert_eq!(intent.actor.account, "333344445555");
    let result = entries
        .iter()
        .find(|e| e.phase == Phase::Result && e.operation == "DetectStackDrift")
        .expect("and its result");
    assert!(result.outcome.as_ref().is_some_and(|o| o.ok), "{result:?}");

    // Read again without --yes: the last detection, in the detail.
    let mark = env.call_count();
    env.spoke(&args("spoke-prod", "prod-audit-logs", &["--detail"]))
        .await
        .expect(3)
        .says("DRIFTED")
        .says("last detection")
        .says("Bucket AWS::S3::Bucket MODIFIED")
        .says("/VersioningConfiguration/Status: expected Enabled, actual Suspended (NOT_EQUAL)")
        .says("BucketPolicy AWS::S3::BucketPolicy DELETED");
    assert_eq!(env.mutations_since(mark), Vec::<String>::new());

    // A stack nobody changed by hand: IN_SYNC, exit 0.
    env.spoke(&args("spoke-prod", "prod-static-assets", &["--yes"]))
        .await
        .expect(0)
        .says("IN_SYNC")
        .says("detected now")
        .says("0 of 1 stack drifted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resource_drift_in_a_read_only_session_detects_nothing_and_says_so() {
    let env = Env::start(20.0).await;
    let run = env
        .spoke(&[
            "drift",
            "--resources",
            "--read-only",
            "--profile",
            "spoke-dev",
            "--provisioned",
            "dev-payments-api",
            "--yes",
        ])
        .await;
    run.expect(4)
        .says("NOT_CHECKED")
        .says("detection refused — spoke-dev (222233334444) is read-only (--read-only); the last detection's results are shown instead")
        .complains("1 refused as read-only");
    assert!(
        !run.stdout.contains("Detecting drift"),
        "no detection announced:\n{run}"
    );
    assert_eq!(env.mutations_since(0), Vec::<String>::new());
    assert!(!env.journal.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resource_drift_of_a_stack_in_progress_is_refused_by_aws_naming_what_to_do() {
    let env = Env::start(1.0).await;
    // prod-orders-db's update runs for minutes.
    env.spoke(&args("spoke-prod", "prod-orders-db", &["--yes"]))
        .await
        .expect(2)
        .says("detection refused by AWS: DetectStackDrift: HTTP 400 ValidationError")
        .says("UPDATE_IN_PROGRESS")
        .says("wait until prod-orders-db settles, then detect again")
        .complains("1 refused by CloudFormation");
    // An unknown name is the caller's mistake.
    env.spoke(&args("spoke-prod", "no-such-thing", &[]))
        .await
        .expect(2)
        .complains("no provisioned product no-such-thing");
    // CSV is not a format of this report.
    env.spoke(&args("spoke-prod", "prod-vpc", &["--format", "csv"]))
        .await
        .expect(2)
        .complains("--format csv is not for --resources");
}
