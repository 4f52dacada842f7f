//! Changing product from the command line: `spoke update --product OTHER`
//! plans product A (version) → product B (version) with the target's
//! parameters (kept, new, dropped), refuses what it cannot do before
//! sending anything, and with `--yes` the provisioned product runs the
//! other product (DescribeProvisionedProduct).

use crate::fixtures;

use fixtures::headless::Env;

const CHANGE: [&str; 9] = [
    "update",
    "--profile",
    "spoke-dev",
    "--provisioned",
    "dev-artifacts",
    "--product",
    "DynamoDB Table",
    "--param",
    "TableName=artifacts",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_shows_before_and_after_and_refusals_send_nothing() {
    let env = Env::start(1.0).await;
    let plan = env.spoke(&CHANGE).await;
    plan.expect(0)
        .says("Plan: update dev-artifacts (")
        .says("S3 Bucket v1.0 → DynamoDB Table v2.0")
        .says("Product: S3 Bucket v1.0 → DynamoDB Table v2.0")
        .says("TableName: (new) → artifacts")
        .says("BillingMode: (new) → PAY_PER_REQUEST (default)")
        .says("BucketPurpose: artifacts → (dropped: DynamoDB Table has no such parameter)")
        .says("Nothing changed: add --yes to do it");

    // A required parameter of the target, not given.
    env.spoke(&[&CHANGE[..7], &["--yes"]].concat())
        .await
        .expect(2)
        .complains("--param TableName: required");
    // A product this account cannot see.
    let mut unknown = CHANGE.to_vec();
    unknown[6] = "Athena Workgroup";
    unknown.push("--yes");
    env.spoke(&unknown)
        .await
        .expect(2)
        .complains("no product \"Athena Workgroup\"")
        .complains("nothing was sent");
    // Busy.
    env.spoke(&[
        "update",
        "--profile",
        "spoke-prod",
        "--provisioned",
        "prod-orders-db",
        "--product",
        "S3 Bucket",
        "--yes",
    ])
    .await
    .expect(2)
    .complains("prod-orders-db is UNDER_CHANGE");
    // Read-only: refused before any call.
    let before = env.call_count();
    env.spoke(&[&CHANGE[..], &["--read-only", "--yes"]].concat())
        .await
        .expect(4)
        .complains("read-only");
    assert_eq!(env.call_count(), before, "a read-only change calls nothing");
    assert_eq!(env.mutations_since(0), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_yes_the_provisioned_product_runs_the_other_product() {
    let env = Env::start(40.0).await;
    let (dynamo, before) = env.sandbox.with_world(|w| {
        let dynamo = w
            .products
            .values()
            .find(|p| p.name == "DynamoDB Table")
            .map(|p| p.id.clone())
            .unwrap();
        let pp = w
            .provisioned
            .values()
            .find(|p| p.name == "dev-artifacts")
            .map(|p| p.product_id.clone())
            .unwrap();
        (dynamo, pp)
    });
    assert_ne!(before, dynamo);
    let done = env.spoke(&[&CHANGE[..], &["--yes"]].concat()).await;
    done.expect(0).says("SUCCEEDED");
    assert_eq!(
        env.mutations_since(0),
        ["222233334444 UpdateProvisionedProduct ok"]
    );
    let intent = env
        .journal()
        .entries
        .into_iter()
        .find(|e| e.operation == "UpdateProvisionedProduct")
        .expect("journaled");
    assert_eq!(intent.targets.get("product_id"), Some(&dynamo));

    // DescribeProvisionedProduct says it runs DynamoDB Table now.
    let client = fixtures::sc(&env.sandbox, "spoke-dev").await;
    let id = env.sandbox.with_world(|w| {
        w.provisioned
            .values()
            .find(|p| p.name == "dev-artifacts")
            .map(|p| p.id.clone())
            .unwrap()
    });
    let out = client
        .describe_provisioned_product()
        .id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.provisioned_product_detail()
            .and_then(|p| p.product_id()),
        Some(dynamo.as_str())
    );
}
