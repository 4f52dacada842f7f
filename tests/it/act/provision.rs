//! `spoke provision`: idempotent by name. Run again with the same
//! arguments it does nothing (no mutating call at all); a parameter that
//! differs updates; a rerun while (or after) a launch is under way never
//! launches twice; what it refuses sends nothing.

use crate::fixtures;

use fixtures::headless::Env;

const DEV: &str = "222233334444";

/// `provision --profile spoke-dev --product "VPC Baseline" --name NAME …`
fn provision<'a>(name: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "provision",
        "--profile",
        "spoke-dev",
        "--product",
        "VPC Baseline",
        "--name",
        name,
        "--param",
        "Environment=dev",
    ];
    args.extend_from_slice(more);
    args
}

/// How many provisioned products of that name the sandbox holds.
fn named(env: &Env, name: &str) -> usize {
    env.sandbox
        .with_world(|w| w.provisioned.values().filter(|p| p.name == name).count())
}

fn launches(env: &Env, from: usize) -> usize {
    env.mutations_since(from)
        .iter()
        .filter(|m| m.contains(" ProvisionProduct "))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_runs_launch_once_then_nothing_and_a_changed_parameter_updates() {
    let env = Env::start(50.0).await;
    let args = provision("ci-net", &["--yes", "--outputs", "net.json"]);

    env.spoke(&args)
        .await
        .expect(0)
        .says("Plan: launch VPC Baseline as ci-net (no provisioned product of that name)")
        .says("Done: the launch of ci-net SUCCEEDED");
    assert_eq!(
        env.mutations_since(0),
        [format!("{DEV} ProvisionProduct ok")]
    );
    let written = std::fs::read_to_string(env.dir.path().join("net.json")).unwrap();
    let out: serde_json::Value = serde_json::from_str(&written)
        .unwrap_or_else(|e| panic!("net.json does not parse ({e}):\n{written}"));
    assert_eq!(out["schema_version"], 1);
    assert_eq!(out["provisioned_product"]["name"], "ci-net");
    assert!(out["record_id"].as_str().unwrap().starts_with("rec-"));
    let vpc = out["outputs"]["VpcId"].as_str().unwrap();
    assert!(vpc.ends_with("-Vpc"), "{written}");

    // Twice more: it is so already; not one mutating call.
    for _ in 0..2 {
        let calls = env.call_count();
        env.spoke(&args)
            .await
            .expect(0)
            .says("Unchanged: ci-net runs v2.1 with these parameters already — nothing to do");
        assert_eq!(env.mutations_since(calls), Vec::<String>::new());
    }
    assert_eq!(named(&env, "ci-net"), 1);

    // A parameter that differs: planned, and without --yes nothing sent.
    let calls = env.call_count();
    env.spoke(&provision("ci-net", &["--param", "NatGateways=2"]))
        .await
        .expect(0)
        .says("Plan: update ci-net")
        .says("NatGateways: 1 → 2")
        .says("Nothing changed: add --yes to do it");
    assert_eq!(env.mutations_since(calls), Vec::<String>::new());
    let changed = provision("ci-net", &["--param", "NatGateways=2", "--yes"]);
    env.spoke(&changed)
        .await
        .expect(0)
        .says("Done: the update of ci-net SUCCEEDED");
    assert_eq!(
        env.mutations_since(calls),
        [format!("{DEV} UpdateProvisionedProduct ok")]
    );
    let params = env
        .spoke(&[
            "parameters",
            "--profile",
            "spoke-dev",
            "--provisioned",
            "ci-net",
            "--format",
            "json",
        ])
        .await;
    let params: serde_json::Value = serde_json::from_str(&params.expect(0).stdout).unwrap();
    let running = |key: &str| {
        params["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"] == key)
            .map(|p| p["running"].clone())
    };
    assert_eq!(running("NatGateways"), Some("2".into()));
    assert_eq!(running("Environment"), Some("dev".into()), "kept");

    // Its own result as JSON; a parameter left out keeps its value.
    let calls = env.call_count();
    let mut json = provision("ci-net", &[]);
    json.truncate(7); // without --param Environment=dev: kept, no difference
    json.extend(["--yes", "--format", "json"]);
    let run = env.spoke(&json).await;
    run.expect(0);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("a line that does not parse ({e}): {l}\n{run}"))
        })
        .collect();
    let result = lines.last().expect("a result line");
    assert_eq!(result["schema_version"], 1);
    assert_eq!(result["command"], "provision");
    assert_eq!(result["type"], "result");
    assert_eq!(result["outcome"], "unchanged");
    assert_eq!(result["action"], "unchanged");
    assert_eq!(result["provisioned_product"]["name"], "ci-net");
    assert_eq!(env.mutations_since(calls), Vec::<String>::new());

    // Terminated, then provisioned again: launched anew (AWS still knows
    // the first launch's token; its record is not taken for this one).
    env.spoke(&[
        "terminate",
        "--profile",
        "spoke-dev",
        "--provisioned",
        "ci-net",
        "--yes",
    ])
    .await
    .expect(0);
    let calls = env.call_count();
    env.spoke(&args)
        .await
        .expect(0)
        .says("Done: the launch of ci-net SUCCEEDED");
    assert_eq!(named(&env, "ci-net"), 1);
    // The old token answered with the old record, then a token of its own.
    assert_eq!(launches(&env, calls), 2, "{:?}", env.mutations_since(calls));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_while_it_launches_or_after_a_kill_never_launches_twice() {
    let env = Env::start(10.0).await;

    // --no-wait, then at once again: the launch is still running.
    env.spoke(&provision("ci-net", &["--yes", "--no-wait"]))
        .await
        .expect(0)
        .says("Not following it (--no-wait)");
    env.spoke(&provision("ci-net", &["--yes", "--no-wait"]))
        .await
        .expect(2)
        .complains("ci-net is UNDER_CHANGE")
        .complains("run again without --no-wait");
    env.spoke(&provision("ci-net", &["--yes"]))
        .await
        .expect(0)
        .says("is running — following it before planning")
        .says("Unchanged: ci-net runs v2.1");
    assert_eq!(launches(&env, 0), 1);
    assert_eq!(named(&env, "ci-net"), 1);

    // A pipeline killed half-way through its launch, then run again.
    let calls = env.call_count();
    let args = provision("ci-net-2", &["--yes"]);
    let mut child = env.spawn(&args);
    let started = std::time::Instant::now();
    while launches(&env, calls) == 0 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the launch was never sent"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    child.kill().await.unwrap();
    env.spoke(&args)
        .await
        .expect(0)
        .says("Unchanged: ci-net-2 runs v2.1");
    assert_eq!(launches(&env, calls), 1);
    assert_eq!(named(&env, "ci-net-2"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_it_refuses_sends_nothing_and_read_only_shows_the_plan() {
    let env = Env::start(1.0).await;
    let dev = |product: &'static str, name: &'static str| {
        vec![
            "provision",
            "--profile",
            "spoke-dev",
            "--product",
            product,
            "--name",
            name,
            "--yes",
        ]
    };
    env.spoke(&dev("VPC Baseline", "dev-orders-api"))
        .await
        .expect(2)
        .complains("is a provisioned product of another product (ECS Fargate Service)")
        .complains("pick another --name");
    env.spoke(&dev("S3 Bucket", "dev-scratch-bucket"))
        .await
        .expect(2)
        .complains("dev-scratch-bucket is TAINTED")
        .complains("spoke repair --provisioned dev-scratch-bucket");
    // On the latest version already, no parameter given: so already.
    env.spoke(&dev("VPC Baseline", "dev-vpc"))
        .await
        .expect(0)
        .says("Unchanged: dev-vpc runs v2.1");

    let mut read_only = vec!["--read-only"];
    read_only.extend(provision("ci-net", &["--yes"]));
    env.spoke(&read_only)
        .await
        .expect(4)
        .says("Plan: launch VPC Baseline as ci-net")
        .complains("read-only");
    read_only.pop();
    env.spoke(&read_only)
        .await
        .expect(0)
        .says("Nothing changed: add --yes to do it");
    assert_eq!(env.mutations_since(0), Vec::<String>::new());
}
