//! A provisioned product's life from the command line: `spoke records`,
//! `spoke resources`, `spoke outputs --format json` read it; `spoke
//! terminate` plans (listing what goes), refuses, and ends it.

use crate::fixtures;

use fixtures::headless::Env;

use spoke::journal::Phase;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_resources_and_outputs_of_one_provisioned_product() {
    let env = Env::start(20.0).await;
    let pp = |what: &'static str, format: &'static str| {
        [
            what,
            "--profile",
            "spoke-dev",
            "--provisioned",
            "dev-scratch-bucket",
            "--format",
            format,
        ]
    };

    // Its history, newest first: the failed update above the launch.
    let records = env.spoke(&pp("records", "table")).await;
    records
        .expect(0)
        .says("UPDATE_PROVISIONED_PRODUCT  FAILED")
        .says("PROVISION_PRODUCT           SUCCEEDED")
        .says("2 record(s) of dev-scratch-bucket");
    let update = records.stdout.find("UPDATE_PROVISIONED_PRODUCT").unwrap();
    let launch = records.stdout.find("PROVISION_PRODUCT ").unwrap();
    assert!(update < launch, "newest first:\n{records}");
    assert!(
        records
            .stdout
            .contains("AWS::S3::BucketPolicy properties failed validation")
    );

    let json = env.spoke(&pp("records", "json")).await;
    json.expect(0);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout)
        .unwrap_or_else(|e| panic!("records JSON does not parse ({e}):\n{json}"));
    assert_eq!(parsed["schema_version"], 1);
    assert_eq!(parsed["provisioned_product"]["name"], "dev-scratch-bucket");
    assert_eq!(parsed["records"].as_array().unwrap().len(), 2);
    assert_eq!(parsed["records"][0]["status"], "FAILED");

    env.spoke(&pp("resources", "table"))
        .await
        .expect(0)
        .says("AWS::S3::Bucket")
        .says("AWS::S3::BucketPolicy")
        .says("2 resource(s) in the stack of dev-scratch-bucket");

    // Outputs as JSON on stdout alone (who we are goes to stderr).
    let outputs = env.spoke(&pp("outputs", "json")).await;
    outputs.expect(0);
    let parsed: serde_json::Value = serde_json::from_str(&outputs.stdout)
        .unwrap_or_else(|e| panic!("outputs JSON does not parse ({e}):\n{outputs}"));
    let keys: Vec<&str> = parsed["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["BucketName", "BucketArn"]);
    assert!(outputs.stderr.contains("spoke-dev · 222233334444"));

    // Nothing of it changed anything.
    assert_eq!(env.mutations_since(0), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminate_lists_what_goes_refuses_what_moves_and_needs_yes() {
    let env = Env::start(1.0).await;
    let plan = env
        .spoke(&[
            "terminate",
            "--profile",
            "spoke-dev",
            "--provisioned",
            "dev-scratch-bucket",
        ])
        .await;
    plan.expect(0)
        .says("Plan: terminate dev-scratch-bucket")
        .says("2 resource(s) deleted with its stack:")
        .says("AWS::S3::BucketPolicy BucketPolicy")
        .says("Nothing changed: add --yes to do it");
    let kept = env
        .spoke(&[
            "terminate",
            "--profile",
            "spoke-dev",
            "--provisioned",
            "dev-scratch-bucket",
            "--retain-resources",
        ])
        .await;
    kept.expect(0).says("kept (RetainPhysicalResources)");

    // A product with a request running on it is refused, and so is the
    // whole command: nothing is sent for the others either.
    env.spoke(&[
        "terminate",
        "--profile",
        "spoke-prod",
        "--provisioned",
        "prod-vpc",
        "--provisioned",
        "prod-orders-db",
        "--yes",
    ])
    .await
    .expect(2)
    .complains("prod-orders-db is UNDER_CHANGE")
    .complains("then terminate")
    .complains("nothing was sent");

    // Read-only: refused before any call, exit 4.
    let before = env.call_count();
    env.spoke(&[
        "terminate",
        "--read-only",
        "--profile",
        "spoke-dev",
        "--provisioned",
        "dev-scratch-bucket",
        "--yes",
    ])
    .await
    .expect(4)
    .complains("read-only");
    assert_eq!(
        env.call_count(),
        before,
        "a read-only terminate calls nothing"
    );
    assert_eq!(env.mutations_since(0), Vec::<String>::new());
    assert!(!env.journal.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminate_with_yes_follows_the_deletion_to_its_end_and_journals_it() {
    let env = Env::start(40.0).await;
    let done = env
        .spoke(&[
            "terminate",
            "--profile",
            "spoke-dev",
            "--provisioned",
            "dev-scratch-bucket",
            "--yes",
        ])
        .await;
    done.expect(0)
        .says("DELETE_IN_PROGRESS")
        .says("DELETE_COMPLETE")
        .says("SUCCEEDED");
    assert_eq!(
        env.mutations_since(0),
        ["222233334444 TerminateProvisionedProduct ok"]
    );
    let entries = env.journal().entries;
    let intent = entries
        .iter()
        .find(|e| e.phase == Phase::Intent && e.operation == "TerminateProvisionedProduct")
        .expect("the intent is journaled");
    assert!(intent.token.is_some(), "sent with a TerminateToken");
    assert!(
        entries
            .iter()
            .any(|e| e.phase == Phase::Settled && e.operation == "TerminateProvisionedProduct"),
        "and how it ended"
    );
    // Gone: a second terminate finds nothing.
    env.spoke(&[
        "terminate",
        "--profile",
        "spoke-dev",
        "--provisioned",
        "dev-scratch-bucket",
    ])
    .await
    .expect(2)
    .complains("no provisioned product \"dev-scratch-bucket\"");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parameters_beside_the_latest_version_and_secrets_masked() {
    let env = Env::start(20.0).await;
    let args = |what: &'static str, pp: &'static str, format: &'static str| {
        [
            what,
            "--profile",
            "spoke-dev",
            "--provisioned",
            pp,
            "--format",
            format,
        ]
    };
    // dev-reporting-db runs RDS PostgreSQL v1.0; v2.0 adds MultiAZ and
    // BackupRetentionDays, both with defaults.
    let table = env
        .spoke(&args("parameters", "dev-reporting-db", "table"))
        .await;
    table
        .expect(0)
        .says("on v1.0; latest: v2.0")
        .says("new: default 7");
    let line = |key: &str| {
        table
            .stdout
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("no {key} line:\n{table}"))
            .to_string()
    };
    assert!(line("MasterUserPassword").contains("****"), "{table}");
    assert!(line("MasterUserPassword").contains("kept"), "{table}");
    assert!(line("BackupRetentionDays").contains("new: default 7"));
    assert!(line("MultiAZ").contains("new: default false"));
    assert!(
        !table.stdout.contains("Passw0rd"),
        "a NoEcho value is never shown:\n{table}"
    );
    let json = env
        .spoke(&args("parameters", "dev-reporting-db", "json"))
        .await;
    json.expect(0);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout)
        .unwrap_or_else(|e| panic!("parameters JSON does not parse ({e}):\n{json}"));
    assert_eq!(parsed["schema_version"], 1);
    assert_eq!(parsed["latest_version"], "v2.0");
    let password = parsed["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "MasterUserPassword")
        .unwrap();
    assert_eq!(password["no_echo"], true);
    assert_eq!(password["running"], "****");

    // dev-orders-db runs v2.0: its ConnectionUri takes the password, which
    // Service Catalog gives back as it is; spoke masks it, keeps the rest.
    let outputs = env.spoke(&args("outputs", "dev-orders-db", "json")).await;
    outputs.expect(0);
    assert!(!outputs.stdout.contains("Passw0rd"), "{outputs}");
    let parsed: serde_json::Value = serde_json::from_str(&outputs.stdout).unwrap();
    let value = |key: &str| {
        parsed["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["key"] == key)
            .map(|o| o["value"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no output {key}: {outputs}"))
    };
    assert_eq!(value("ConnectionUri"), "****");
    assert_eq!(value("Port"), "5432");
    env.spoke(&args("outputs", "dev-orders-db", "table"))
        .await
        .expect(0)
        .says("(1 shown as ****: they take a NoEcho parameter)");
    assert_eq!(env.mutations_since(0), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repair_plans_a_way_out_of_tainted_and_error_and_sends_nothing_without_yes() {
    let env = Env::start(20.0).await;
    // TAINTED: updated again to the version of its last successful record.
    env.spoke(&[
        "repair",
        "--profile",
        "spoke-dev",
        "--provisioned",
        "dev-scratch-bucket",
    ])
    .await
    .expect(0)
    .says("Plan: repair dev-scratch-bucket")
    .says("the version of its last successful record");
    // ERROR: terminated, then launched again with the failed stack's parameters.
    env.spoke(&[
        "repair",
        "--profile",
        "spoke-data",
        "--provisioned",
        "data-export-bucket",
    ])
    .await
    .expect(0)
    .says("1. terminate the failed launch")
    .says("2. launch data-export-bucket again")
    .says("BucketPurpose = data");
    // A product that is well is not repaired.
    env.spoke(&[
        "repair",
        "--profile",
        "spoke-dev",
        "--provisioned",
        "dev-alerts",
    ])
    .await
    .expect(2)
    .complains("repair is for TAINTED");
    assert_eq!(env.mutations_since(0), Vec::<String>::new());
}
