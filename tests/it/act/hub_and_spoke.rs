//! Hub-and-spoke set up from nothing, headless, in a world with an empty
//! hub and one empty spoke: a portfolio and a product from a template file
//! in the hub, shared; accepted in the spoke into a new local portfolio
//! with a launch constraint and a principal; launched; a new version
//! published in the hub shows BEHIND in the spoke; opted in, the default
//! bulk policy updates it; CURRENT.

use crate::fixtures;

use fixtures::headless::Env;
use spoke::sandbox::{SandboxOptions, WorldSource};

fn template(name: &str) -> String {
    format!("{}/examples/catalog/{name}", env!("CARGO_MANIFEST_DIR"))
}

async fn empty_world() -> Env {
    Env::start_with(SandboxOptions {
        world: WorldSource::File(
            format!("{}/assets/sandbox/empty.toml", env!("CARGO_MANIFEST_DIR")).into(),
        ),
        speed: 50.0,
        ..SandboxOptions::default()
    })
    .await
}

fn drift_of(run: &fixtures::headless::Run, name: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rows = json["accounts"][0]["provisioned"].as_array().unwrap();
    let row = rows.iter().find(|r| r["name"] == name).unwrap();
    row["drift"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_and_spoke_from_nothing_to_a_bulk_update() {
    let env = empty_world().await;
    let v1 = template("queue-v1.yaml");
    let v2 = template("queue-v2.yaml");

    // The hub: a portfolio, a product from a template file, shared.
    env.spoke(&[
        "portfolio",
        "create",
        "--profile",
        "hub",
        "--name",
        "Platform",
        "--provider",
        "Platform team",
        "--yes",
    ])
    .await
    .expect(0);
    // The plan reads the file, asks CloudFormation, and stores nothing.
    let before = env.mutations_since(0).len();
    env.spoke(&[
        "product",
        "create",
        "--profile",
        "hub",
        "--name",
        "Queue",
        "--owner",
        "platform",
        "--template",
        &v1,
        "--bucket",
        "hub-templates",
        "--portfolio",
        "Platform",
    ])
    .await
    .expect(0)
    .says("2 resources, parameters: QueueName (String), Retention (Number, default 345600)")
    .says("CloudFormation validated it")
    .says("create the bucket hub-templates in us-east-1")
    .says("store it at https://hub-templates.s3.us-east-1.amazonaws.com/spoke/templates/")
    .says("Nothing changed");
    assert_eq!(
        env.mutations_since(0).len(),
        before,
        "{:?}",
        env.mutations_since(0)
    );
    env.spoke(&[
        "product",
        "create",
        "--profile",
        "hub",
        "--name",
        "Queue",
        "--owner",
        "platform",
        "--template",
        &v1,
        "--bucket",
        "hub-templates",
        "--portfolio",
        "Platform",
        "--yes",
    ])
    .await
    .expect(0)
    .says("created Queue (prod-");
    env.spoke(&[
        "share",
        "--profile",
        "hub",
        "--portfolio",
        "Platform",
        "--account",
        "222233334444",
        "--share-tag-options",
        "--yes",
    ])
    .await
    .expect(0);

    // The spoke: accepted into a new local portfolio, a launch constraint, a principal.
    let accept = |yes: bool| {
        let mut a = vec![
            "accept",
            "--profile",
            "spoke-dev",
            "--portfolio",
            "Platform",
            "--add-to",
            "Team",
            "--create",
            "--role",
            "SCLaunchRole",
            "--principal",
            "role/Developer",
        ];
        if yes {
            a.push("--yes");
        }
        a
    };
    env.spoke(&accept(false))
        .await
        .expect(0)
        .says("a new local portfolio Team")
        .says("and let role/Developer launch from it");
    env.spoke(&accept(true))
        .await
        .expect(0)
        .says("created the local portfolio Team (port-")
        .says("Queue: added, launch constraint cons-")
        .says("arn:aws:iam::222233334444:role/Developer may launch from Team");
    env.spoke(&[
        "launch",
        "--profile",
        "spoke-dev",
        "--product",
        "Queue",
        "--name",
        "orders-queue",
        "--path",
        "Team",
        "--param",
        "QueueName=orders",
        "--yes",
    ])
    .await
    .expect(0)
    .says("SUCCEEDED");
    let drift = || async {
        env.spoke(&["drift", "--profile", "spoke-dev", "--format", "json"])
            .await
    };
    assert_eq!(drift_of(&drift().await, "orders-queue"), "CURRENT");

    // The hub publishes v2: the spoke's queue is behind.
    env.spoke(&[
        "version",
        "add",
        "--profile",
        "hub",
        "--product",
        "Queue",
        "--name",
        "v2",
        "--template",
        &v2,
        "--bucket",
        "hub-templates",
        "--yes",
    ])
    .await
    .expect(0)
    .says("3 resources")
    .says("added version v2 (pa-");
    assert_eq!(drift_of(&drift().await, "orders-queue"), "BEHIND");
    // The same file again is stored once: the plan says so.
    env.spoke(&[
        "version",
        "add",
        "--profile",
        "hub",
        "--product",
        "Queue",
        "--name",
        "v2b",
        "--template",
        &v2,
        "--bucket",
        "hub-templates",
    ])
    .await
    .expect(0)
    .says("stored already at");

    // Not opted in: the default policy leaves it; opted in in the hub, it takes it.
    env.spoke(&["update", "--drifted", "--profile", "spoke-dev"])
        .await
        .says("not opted in");
    env.spoke(&["opt-in", "--profile", "hub", "--product", "Queue", "--yes"])
        .await
        .expect(0)
        .says("Queue opted in");
    env.spoke(&["update", "--drifted", "--profile", "spoke-dev", "--yes"])
        .await
        .expect(0);
    assert_eq!(drift_of(&drift().await, "orders-queue"), "CURRENT");

    // Every write journaled, intent and result.
    let journal = env.journal();
    for op in [
        "CreatePortfolio",
        "CreateBucket",
        "PutObject",
        "CreateProduct",
        "AssociateProductWithPortfolio",
        "CreatePortfolioShare",
        "AcceptPortfolioShare",
        "CreateConstraint",
        "AssociatePrincipalWithPortfolio",
        "ProvisionProduct",
        "CreateProvisioningArtifact",
        "CreateTagOption",
        "AssociateTagOptionWithResource",
        "UpdateProvisionedProduct",
    ] {
        let n = journal.entries.iter().filter(|e| e.operation == op).count();
        assert!(n >= 2, "{op}: {n} journal lines");
    }
}
