//! Self-service actions from the command line: `spoke action list` shows
//! the actions of the version a product runs; `spoke action run` plans
//! (sending nothing), refuses an action off its version and a read-only
//! session, and with `--yes` runs it to SUCCEEDED, journaled with its
//! ExecuteToken.

use crate::fixtures;

use fixtures::headless::Env;

use spoke::journal::Phase;

fn list(provisioned: &str, format: &str) -> Vec<String> {
    [
        "action",
        "list",
        "--profile",
        "spoke-prod",
        "--provisioned",
        provisioned,
        "--format",
        format,
    ]
    .map(str::to_string)
    .to_vec()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_actions_listed_are_those_of_the_version_the_product_runs() {
    let env = Env::start(1.0).await;
    // prod-ledger-db runs RDS PostgreSQL v2.0: both actions.
    let v2 = env.spoke(&strs(&list("prod-ledger-db", "table"))).await;
    v2.expect(0)
        .says("Reboot database")
        .says("AWS-RebootRdsInstance")
        .says("InstanceId (TARGET)")
        .says("Rotate credentials")
        .says("2 action(s) associated with RDS PostgreSQL v2.0");
    // prod-payments-db runs v1.1: Reboot database only.
    let v1 = env.spoke(&strs(&list("prod-payments-db", "table"))).await;
    v1.expect(0)
        .says("Reboot database")
        .says("1 action(s) associated with RDS PostgreSQL v1.1");
    assert!(!v1.stdout.contains("Rotate credentials"), "{v1}");

    let json = env.spoke(&strs(&list("prod-ledger-db", "json"))).await;
    json.expect(0);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout)
        .unwrap_or_else(|e| panic!("action list JSON does not parse ({e}):\n{json}"));
    assert_eq!(parsed["schema_version"], 1);
    assert_eq!(parsed["provisioned_product"]["name"], "prod-ledger-db");
    let names: Vec<&str> = parsed["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Reboot database", "Rotate credentials"]);
    assert_eq!(parsed["actions"][0]["document"], "AWS-RebootRdsInstance");
    assert_eq!(parsed["actions"][0]["parameters"][0]["kind"], "TARGET");
    assert_eq!(env.mutations_since(0), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_is_planned_refused_off_its_version_and_read_only_and_sends_nothing() {
    let env = Env::start(1.0).await;
    let run = |pp: &'static str, action: &'static str| {
        [
            "action",
            "run",
            "--profile",
            "spoke-prod",
            "--provisioned",
            pp,
            "--action",
            action,
        ]
    };
    // The plan: the action, its document, the defaults; nothing sent.
    env.spoke(&run("prod-ledger-db", "Reboot database"))
        .await
        .expect(0)
        .says("Plan: run Reboot database on prod-ledger-db")
        .says("document AWS-RebootRdsInstance")
        .says("InstanceId (TARGET):")
        .says("Service Catalog's default")
        .says("Nothing changed: add --yes to do it");

    // Rotate credentials is on v2.0 only; prod-payments-db runs v1.1:
    // refused, by id or name, before anything is sent.
    let mut by_id = run("prod-payments-db", "act-66hv67cv4czun").to_vec();
    by_id.push("--yes");
    env.spoke(&by_id)
        .await
        .expect(2)
        .complains("the action Rotate credentials (act-66hv67cv4czun) is not associated with RDS PostgreSQL v1.1")
        .complains("its actions are: Reboot database")
        .complains("nothing was sent");
    let mut by_name = run("prod-payments-db", "Rotate credentials").to_vec();
    by_name.push("--yes");
    env.spoke(&by_name)
        .await
        .expect(2)
        .complains("no action \"Rotate credentials\" is associated with RDS PostgreSQL v1.1");

    // A parameter the action does not take.
    let mut bad = run("prod-ledger-db", "Reboot database").to_vec();
    bad.extend(["--param", "Nope=1", "--yes"]);
    env.spoke(&bad)
        .await
        .expect(2)
        .complains("--param Nope: Reboot database takes no parameter");

    // Busy: prod-orders-db is under change.
    let mut busy = run("prod-orders-db", "Reboot database").to_vec();
    busy.push("--yes");
    env.spoke(&busy)
        .await
        .expect(2)
        .complains("prod-orders-db is UNDER_CHANGE")
        .complains("then run the action");

    // Read-only: refused before any call.
    let before = env.call_count();
    let mut read_only = run("prod-ledger-db", "Reboot database").to_vec();
    read_only.extend(["--read-only", "--yes"]);
    env.spoke(&read_only).await.expect(4).complains("read-only");
    assert_eq!(env.call_count(), before, "a read-only run calls nothing");
    assert_eq!(env.mutations_since(0), Vec::<String>::new());
    assert!(!env.journal.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_with_yes_is_followed_to_succeeded_and_journaled_with_its_token() {
    let env = Env::start(10.0).await;
    let done = env
        .spoke(&[
            "action",
            "run",
            "--profile",
            "spoke-prod",
            "--provisioned",
            "prod-ledger-db",
            "--action",
            "Reboot database",
            "--yes",
        ])
        .await;
    done.expect(0)
        .says("record rec-")
        .says("SUCCEEDED")
        .says("Done: Reboot database on prod-ledger-db SUCCEEDED");
    let mutations = env.mutations_since(0);
    assert_eq!(mutations.len(), 1, "{mutations:?}");
    assert!(
        mutations[0].ends_with("ExecuteProvisionedProductServiceAction ok"),
        "{mutations:?}"
    );
    let entries = env.journal().entries;
    let intent = entries
        .iter()
        .find(|e| {
            e.phase == Phase::Intent && e.operation == "ExecuteProvisionedProductServiceAction"
        })
        .expect("the intent is journaled");
    let token = intent.token.clone().expect("sent with an ExecuteToken");
    assert!(!token.is_empty());
    assert_eq!(
        intent.targets.get("service_action_id").map(String::as_str),
        Some("act-zqwdgy555gfxc")
    );
    let result = entries
        .iter()
        .find(|e| {
            e.phase == Phase::Result && e.operation == "ExecuteProvisionedProductServiceAction"
        })
        .expect("the result is journaled");
    assert_eq!(result.token.as_deref(), Some(token.as_str()));
    assert!(result.outcome.as_ref().is_some_and(|o| o.ok));
    let settled = entries
        .iter()
        .find(|e| {
            e.phase == Phase::Settled && e.operation == "ExecuteProvisionedProductServiceAction"
        })
        .expect("and how it ended");
    assert!(settled.outcome.as_ref().is_some_and(|o| o.ok));
    // The record is the product's newest.
    let records = env
        .spoke(&[
            "records",
            "--profile",
            "spoke-prod",
            "--provisioned",
            "prod-ledger-db",
        ])
        .await;
    records
        .expect(0)
        .says("EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION  SUCCEEDED");
}
