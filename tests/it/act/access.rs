//! The hub's and the spoke admin's access settings, headless: principals
//! of a portfolio, constraints of every type, and the auto-update opt-in
//! that the bulk update's default policy follows.

use crate::fixtures;

use fixtures::headless::Env;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn principals_are_planned_added_and_removed_with_the_journal() {
    let env = Env::start(1.0).await;
    let args = |verb: &'static str, principal: &'static str, yes: bool| {
        let mut a = vec![
            "principal",
            verb,
            "--profile",
            "spoke-dev",
            "--portfolio",
            "Dev Team Catalog",
            "--principal",
            principal,
        ];
        if yes {
            a.push("--yes");
        }
        a
    };
    env.spoke(&args("add", "role/Developer", false))
        .await
        .expect(0)
        .says("let arn:aws:iam::222233334444:role/Developer (IAM) launch from Dev Team Catalog")
        .says("Nothing changed");
    assert!(env.mutations_since(0).is_empty());
    env.spoke(&args("add", "role/Developer", true))
        .await
        .expect(0)
        .says("may launch from Dev Team Catalog");
    assert_eq!(
        env.mutations_since(0),
        ["222233334444 AssociatePrincipalWithPortfolio ok"]
    );
    env.spoke(&args("add", "role/Developer", true))
        .await
        .expect(0)
        .says("already: nothing to do");
    env.spoke(&args("add", "arn:aws:iam:::role/Dev*", true))
        .await
        .expect(0);
    env.spoke(&args("add", "Developer", true))
        .await
        .expect(2)
        .complains("--principal: `Developer` is not a principal");
    env.spoke(&args("remove", "role/Developer", true))
        .await
        .expect(0)
        .says("removed arn:aws:iam::222233334444:role/Developer");
    assert_eq!(env.mutations_since(0).len(), 3);
    let journal = env.journal();
    let ops: Vec<&str> = journal
        .entries
        .iter()
        .map(|e| e.operation.as_str())
        .collect();
    assert!(
        ops.contains(&"DisassociatePrincipalFromPortfolio"),
        "{ops:?}"
    );
    // Read-only refuses before any call.
    env.spoke(&[
        "principal",
        "add",
        "--profile",
        "spoke-dev",
        "--read-only",
        "--portfolio",
        "Dev Team Catalog",
        "--principal",
        "role/X",
        "--yes",
    ])
    .await
    .expect(4);
    assert_eq!(env.mutations_since(0).len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn constraints_of_every_type_are_checked_added_and_removed() {
    let env = Env::start(1.0).await;
    let add = |kind: &'static str, value: &'static str| {
        vec![
            "constraint",
            "add",
            "--profile",
            "hub",
            "--portfolio",
            "Hub Operations",
            "--product",
            "SNS Alerts Topic",
            kind,
            value,
            "--yes",
        ]
    };
    let rules = r#"{"Rules": {"Named": {"Assertions": [{"Assert": {"Fn::Not": [{"Fn::Equals": [{"Ref": "TopicName"}, ""]}]}, "AssertDescription": "a topic needs a name"}]}}}"#;
    // Bad input is refused before any call.
    env.spoke(&[
        "constraint",
        "add",
        "--profile",
        "hub",
        "--portfolio",
        "Hub Operations",
        "--product",
        "Nope",
        "--template-rules",
        rules,
    ])
    .await
    .expect(2)
    .complains("no product in this portfolio");
    env.spoke(&[
        "constraint",
        "add",
        "--profile",
        "hub",
        "--portfolio",
        "Hub Operations",
        "--product",
        "SNS Alerts Topic",
        "--template-rules",
        "{",
    ])
    .await
    .expect(2)
    .complains("--template-rules: not JSON");
    env.spoke(&add("--notify", "arn:aws:sqs:us-east-1:111122223333:q"))
        .await
        .expect(2)
        .complains("is not an SNS topic ARN");
    assert!(env.mutations_since(0).is_empty());

    let template = env.spoke(&add("--template-rules", rules)).await;
    template.expect(0).says("added TEMPLATE constraint cons-");
    env.spoke(&add(
        "--notify",
        "arn:aws:sns:us-east-1:111122223333:stack-events",
    ))
    .await
    .expect(0)
    .says("added NOTIFICATION constraint");
    env.spoke(&add("--tag-updates", "ALLOWED"))
        .await
        .expect(0)
        .says("added RESOURCE_UPDATE constraint");
    // One LAUNCH per product and portfolio: the plan says which one is there.
    env.spoke(&add("--launch-role", "SCLaunchRole"))
        .await
        .expect(2)
        .says("has a LAUNCH constraint already");
    assert_eq!(
        env.mutations_since(0),
        [
            "111122223333 CreateConstraint ok",
            "111122223333 CreateConstraint ok",
            "111122223333 CreateConstraint ok"
        ]
    );
    let id = template
        .stdout
        .split_whitespace()
        .find(|w| w.starts_with("cons-"))
        .unwrap()
        .to_string();
    env.spoke(&["constraint", "remove", "--profile", "hub", "--id", &id])
        .await
        .expect(0)
        .says(&format!("remove the TEMPLATE constraint {id}"))
        .says("Nothing changed");
    env.spoke(&[
        "constraint",
        "remove",
        "--profile",
        "hub",
        "--id",
        &id,
        "--yes",
    ])
    .await
    .expect(0)
    .says(&format!("removed constraint {id}"));
    env.spoke(&[
        "constraint",
        "remove",
        "--profile",
        "hub",
        "--id",
        &id,
        "--yes",
    ])
    .await
    .expect(2)
    .complains("no constraint");
    assert_eq!(env.mutations_since(0).len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opting_a_product_in_lets_the_default_bulk_policy_take_its_provisioned_products() {
    let env = Env::start(1.0).await;
    let plan = || async {
        env.spoke(&[
            "update",
            "--drifted",
            "--profile",
            "hub",
            "--format",
            "json",
        ])
        .await
    };
    let _ = plan;
    // A spoke cannot opt in the hub's product.
    env.spoke(&[
        "opt-in",
        "--profile",
        "spoke-dev",
        "--product",
        "VPC Baseline",
        "--yes",
    ])
    .await
    .expect(2)
    .complains("only the account that owns it can associate TagOptions");
    env.spoke(&["opt-in", "--profile", "hub", "--product", "VPC Baseline"])
        .await
        .expect(0)
        .says("associate the TagOption AutoUpdateProvisionedProduct=true (tag-")
        .says("Nothing changed");
    env.spoke(&[
        "opt-in",
        "--profile",
        "hub",
        "--product",
        "VPC Baseline",
        "--yes",
    ])
    .await
    .expect(0)
    .says("VPC Baseline opted in");
    env.spoke(&[
        "opt-in",
        "--profile",
        "hub",
        "--product",
        "VPC Baseline",
        "--yes",
    ])
    .await
    .expect(0)
    .says("opted in already");
    assert_eq!(
        env.mutations_since(0),
        ["111122223333 AssociateTagOptionWithResource ok"]
    );
    env.spoke(&[
        "opt-in",
        "--profile",
        "hub",
        "--product",
        "VPC Baseline",
        "--off",
        "--yes",
    ])
    .await
    .expect(0)
    .says("VPC Baseline opted out");
}

/// Every new mutating command refuses under --read-only before any call
/// that changes anything (exit 4), whatever it names.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hubs_commands_refuse_in_a_read_only_session() {
    let env = Env::start(1.0).await;
    let template = format!(
        "{}/examples/catalog/queue-v1.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let commands: Vec<Vec<&str>> = vec![
        vec![
            "product",
            "create",
            "--name",
            "Q",
            "--owner",
            "o",
            "--template",
            &template,
            "--bucket",
            "b-1-x",
        ],
        vec![
            "product",
            "update",
            "--product",
            "VPC Baseline",
            "--owner",
            "x",
        ],
        vec![
            "product",
            "add",
            "--product",
            "VPC Baseline",
            "--portfolio",
            "Hub Operations",
        ],
        vec![
            "product",
            "remove",
            "--product",
            "VPC Baseline",
            "--portfolio",
            "Hub Operations",
        ],
        vec![
            "version",
            "add",
            "--product",
            "VPC Baseline",
            "--name",
            "v9",
            "--template",
            &template,
            "--bucket",
            "b-1-x",
        ],
        vec![
            "version",
            "delete",
            "--product",
            "VPC Baseline",
            "--version",
            "v1.0",
        ],
        vec![
            "portfolio",
            "update",
            "--portfolio",
            "Hub Operations",
            "--name",
            "X",
        ],
        vec![
            "constraint",
            "add",
            "--portfolio",
            "Hub Operations",
            "--product",
            "VPC Baseline",
            "--tag-updates",
            "ALLOWED",
        ],
        vec!["constraint", "remove", "--id", "cons-x"],
        vec![
            "principal",
            "add",
            "--portfolio",
            "Hub Operations",
            "--principal",
            "role/X",
        ],
        vec![
            "principal",
            "remove",
            "--portfolio",
            "Hub Operations",
            "--principal",
            "role/X",
        ],
        vec!["opt-in", "--product", "VPC Baseline"],
        vec!["opt-in", "--product", "VPC Baseline", "--off"],
    ];
    for mut args in commands {
        args.extend(["--profile", "hub", "--read-only", "--yes"]);
        let run = env.spoke(&args).await;
        assert_eq!(run.code, 4, "spoke {}: {run}", args.join(" "));
        assert!(run.stderr.contains("read-only"), "{run}");
    }
    assert!(
        env.mutations_since(0).is_empty(),
        "{:?}",
        env.mutations_since(0)
    );
}
