//! Answers that say 200 but cannot be taken: cut short by a dropped
//! connection, not parseable, or an error in disguise. A read retries them
//! to the right answer; one that stays unreadable is said plainly.

use spoke::sandbox::Faults;
use spoke::sandbox::faults::Garble;

use super::{dev_artifacts, same_but_clock, sandboxed, scan, start_update, time};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_cut_short_and_disguised_answers_are_retried_to_the_same_inventory() {
    let (quiet, _, _) = scan("spoke-dev", Faults::default()).await;
    let (mended, calls, sandbox) = scan(
        "spoke-dev",
        Faults {
            reset_rate: 0.08,
            garbage_rate: 0.3,
            // What a retry can mend: an answer that does not parse or is an
            // error. (Values of the wrong type that still parse, and enum
            // values no SDK knows, are data, not a failure to retry: see
            // `garbled_answers_are_reported_never_a_panic`.)
            garble_kinds: vec![Garble::Truncated, Garble::ErrorBody],
            ..Faults::default()
        },
    )
    .await;
    assert!(mended.problems.is_empty(), "{:?}", mended.problems);
    let (quiet, mended) = (
        serde_json::to_value(&quiet).unwrap(),
        serde_json::to_value(&mended).unwrap(),
    );
    let offset =
        time(&mended["portfolios"][0]["created"]) - time(&quiet["portfolios"][0]["created"]);
    same_but_clock(&quiet, &mended, offset, "inventory");

    let kinds: std::collections::BTreeSet<String> = sandbox
        .calls()
        .into_iter()
        .filter(|c| c.outcome != "ok")
        .map(|c| c.outcome)
        .collect();
    assert!(kinds.len() >= 2, "{kinds:?}");
    assert!(
        calls.iter().any(|c| c.attempts > 1),
        "the unreadable answers were retried: {calls:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_sent_with_200_is_an_error_never_an_empty_list() {
    let world = sandboxed(1.0, Faults::default()).await;
    let sandbox = &world.sandbox;
    let reader = world.reader("hub").await;
    assert!(!reader.list_portfolios().await.unwrap().is_empty());
    // From now on every answer is `200 {"__type":"InternalFailure",…}`:
    // read as a list it would be an empty one.
    sandbox.set_faults(Faults {
        garbage_rate: 1.0,
        garble_kinds: vec![Garble::ErrorBody],
        ..Faults::default()
    });
    let err = reader
        .list_portfolios()
        .await
        .expect_err("an error body is not an empty list")
        .to_string();
    assert!(
        (err.starts_with("ListPortfolios: HTTP 200 from http://127.0.0.1:")
            || err.starts_with("ListAcceptedPortfolioShares: HTTP 200 from http://127.0.0.1:"))
            && err.contains("an error in the body of a success answer (InternalFailure"),
        "{err}"
    );
    assert!(err.contains("check the endpoint or proxy"), "{err}");
    // Each call was tried again before giving up (the first to fail ends
    // the others, cancelled mid-way).
    let mut attempts = std::collections::BTreeMap::<String, usize>::new();
    for c in sandbox.calls() {
        if c.outcome == "garbled: 200 with an error body" {
            *attempts.entry(c.operation).or_default() += 1;
        }
    }
    assert!(!attempts.is_empty());
    assert!(attempts.values().all(|n| *n >= 2), "{attempts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_whose_status_spoke_does_not_know_is_not_followed_for_ever() {
    let world = sandboxed(1.0, Faults::default()).await;
    let sandbox = &world.sandbox;
    let r = world.reader("spoke-dev").await;
    let (pp, target) = dev_artifacts(&r).await;
    let record = start_update(sandbox, &pp.id, &target.id).await;
    // From now on every enum value is one no SDK knows: the record's
    // status reads as IN_PROGRESS_NEWFANGLED.
    sandbox.set_faults(Faults {
        garbage_rate: 1.0,
        garble_kinds: vec![Garble::UnknownEnums],
        ..Faults::default()
    });
    let mut seen = Vec::new();
    let ended = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        spoke::ops::act::follow::follow_record(
            &r,
            &record,
            std::time::Duration::from_millis(20),
            |e| seen.push(e),
        ),
    )
    .await
    .expect("following ends")
    .expect_err("not as a success");
    let said = ended.to_string();
    assert!(said.contains(&record), "{said}");
    assert!(
        said.contains("\"IN_PROGRESS_NEWFANGLED\", which spoke does not know"),
        "{said}"
    );
    assert!(said.contains("rather than guess"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_whose_answer_is_cut_short_is_sent_again_with_its_token_and_done_once() {
    let env = crate::fixtures::headless::Env::start(60.0).await;
    // Every answer to UpdateProvisionedProduct cut short, until one has
    // been and a second has passed.
    env.sandbox.set_faults(Faults {
        garbage_rate: 1.0,
        garble_kinds: vec![Garble::Truncated],
        operations: vec!["UpdateProvisionedProduct".into()],
        ..Faults::default()
    });
    let before = env.update_records();
    let update = env.spoke(&[
        "update",
        "--profile",
        "spoke-dev",
        "--provisioned",
        "dev-artifacts",
        "--version",
        "v2.0",
        "--yes",
        "--no-wait",
    ]);
    let (run, ()) = tokio::join!(update, heal_after(&env.sandbox, "UpdateProvisionedProduct"));
    run.expect(0);
    let calls: Vec<(String, Option<String>)> = env
        .sandbox
        .calls()
        .into_iter()
        .filter(|c| c.operation == "UpdateProvisionedProduct")
        .map(|c| (c.outcome, c.token))
        .collect();
    assert!(calls.len() >= 2, "{calls:?}");
    assert_eq!(calls[0].0, "garbled: truncated", "{calls:?}");
    assert_eq!(calls.last().unwrap().0, "ok", "{calls:?}");
    assert!(
        calls
            .iter()
            .all(|(_, token)| token == &calls[0].1 && token.is_some()),
        "one token for every attempt: {calls:?}"
    );
    // One update in AWS, whatever the number of attempts.
    let after = env.update_records();
    let new: usize = after
        .iter()
        .map(|(pp, n)| n - before.get(pp).copied().unwrap_or(0))
        .sum();
    assert_eq!(new, 1, "{before:?} → {after:?}");
}

/// A plan named `name` of dev-artifacts to v2.0, left in spoke-dev (it
/// blocks any other plan of it); dev-artifacts' id.
async fn leave_a_plan(env: &crate::fixtures::headless::Env, name: &str) -> String {
    let (pp, product, v2) = env.sandbox.with_world(|w| {
        let pp = w
            .provisioned
            .values()
            .find(|p| p.name == "dev-artifacts")
            .unwrap()
            .clone();
        let v2 = w.products[&pp.product_id]
            .versions
            .iter()
            .find(|v| v.name == "v2.0")
            .unwrap()
            .id
            .clone();
        (pp.id.clone(), pp.product_id.clone(), v2)
    });
    crate::fixtures::sc(&env.sandbox, "spoke-dev")
        .await
        .create_provisioned_product_plan()
        .plan_name(name)
        .plan_type(aws_sdk_servicecatalog::types::ProvisionedProductPlanType::Cloudformation)
        .product_id(&product)
        .provisioned_product_name("dev-artifacts")
        .provisioning_artifact_id(&v2)
        .idempotency_token("left-behind")
        .send()
        .await
        .unwrap();
    pp
}

/// `spoke update --drifted` of spoke-dev's S3 buckets.
const UPDATE_BUCKETS: [&str; 8] = [
    "update",
    "--drifted",
    "--profiles",
    "spoke-dev",
    "--policy",
    "products:S3 Bucket",
    "--include-risky",
    "--yes",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leftover_plan_whose_delete_answer_is_lost_is_cleared_and_its_item_updated() {
    let env = crate::fixtures::headless::Env::start(60.0).await;
    // A plan of spoke's own, left behind by a run killed before deleting it.
    let pp = leave_a_plan(&env, "spoke-deadbeef-dev-artifacts").await;
    // Every delete done, but its answer lost (an error sent with 200:
    // the SDK asks again, and the plan is gone by then), until one has
    // been and a second passed.
    env.sandbox.set_faults(Faults {
        garbage_rate: 1.0,
        garble_kinds: vec![Garble::ErrorBody],
        operations: vec!["DeleteProvisionedProductPlan".into()],
        ..Faults::default()
    });
    let before = env.update_records();
    let update = env.spoke(&UPDATE_BUCKETS);
    let (run, ()) = tokio::join!(
        update,
        heal_after(&env.sandbox, "DeleteProvisionedProductPlan")
    );
    run.expect(0);
    assert!(!run.stdout.contains("unknown"), "{run}");
    let deletes: Vec<String> = env
        .sandbox
        .calls()
        .into_iter()
        .filter(|c| c.operation == "DeleteProvisionedProductPlan")
        .map(|c| c.outcome)
        .collect();
    assert_eq!(deletes[0], "garbled: 200 with an error body", "{deletes:?}");
    assert_eq!(
        env.update_records().get(&pp).copied().unwrap_or(0),
        before.get(&pp).copied().unwrap_or(0) + 1,
        "dev-artifacts updated once:\n{run}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_that_cannot_be_planned_is_not_done_and_the_run_says_so_with_its_exit() {
    let env = crate::fixtures::headless::Env::start(60.0).await;
    // Someone else's plan: left alone, so dev-artifacts cannot be planned.
    let pp = leave_a_plan(&env, "release-review").await;
    let before = env.update_records();
    let run = env.spoke(&UPDATE_BUCKETS).await;
    run.expect(1)
        .says("is not spoke's: it is left alone")
        .complains("1 item(s) could not be planned");
    assert_eq!(
        env.update_records().get(&pp),
        before.get(&pp),
        "not updated"
    );
}

/// Clears the faults a second after `operation` is first answered.
async fn heal_after(sandbox: &spoke::sandbox::Sandbox, operation: &str) {
    while !sandbox.calls().iter().any(|c| c.operation == operation) {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    sandbox.set_faults(Faults::default());
}
