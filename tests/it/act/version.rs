//! The hub's side, first part: a version deprecated, deactivated or made
//! current again in the hub (`UpdateProvisioningArtifact`), and the spokes'
//! drift following it at their next read.

use crate::fixtures;

use fixtures::headless::Env;

fn drift_of<'a>(run: &'a fixtures::headless::Run, name: &str) -> &'a str {
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rows = json["accounts"][0]["provisioned"].as_array().unwrap();
    let row = rows.iter().find(|r| r["name"] == name).unwrap();
    // Leaked for the test's lifetime: a few bytes.
    Box::leak(row["drift"].as_str().unwrap().to_string().into_boxed_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deprecating_a_version_in_the_hub_shows_as_drift_in_the_spokes() {
    let env = Env::start(1.0).await;
    let drift = || async {
        env.spoke(&["drift", "--profile", "spoke-dev", "--format", "json"])
            .await
    };
    // dev-alerts runs SNS Alerts Topic v1.1; v1.2 is the latest.
    assert_eq!(drift_of(&drift().await, "dev-alerts"), "BEHIND");

    let args = |verb: &'static str, yes: bool| {
        let mut a = vec![
            "version",
            verb,
            "--profile",
            "hub",
            "--product",
            "SNS Alerts Topic",
            "--version",
            "v1.1",
        ];
        if yes {
            a.push("--yes");
        }
        a
    };
    // The plan alone changes nothing.
    env.spoke(&args("deprecate", false))
        .await
        .expect(0)
        .says("deprecate v1.1 (pa-")
        .says("they drift ON_DEPRECATED")
        .says("Nothing changed");
    assert!(env.mutations_since(0).is_empty());

    env.spoke(&args("deprecate", true))
        .await
        .expect(0)
        .says("deprecated v1.1 of SNS Alerts Topic");
    assert_eq!(
        env.mutations_since(0),
        ["111122223333 UpdateProvisioningArtifact ok"]
    );
    assert_eq!(drift_of(&drift().await, "dev-alerts"), "ON_DEPRECATED");

    // Again: it is so already, nothing is sent.
    env.spoke(&args("deprecate", true))
        .await
        .expect(0)
        .says("is deprecated already: nothing to do");
    assert_eq!(env.mutations_since(0).len(), 1);

    // Undeprecated: behind again.
    env.spoke(&args("undeprecate", true)).await.expect(0);
    assert_eq!(drift_of(&drift().await, "dev-alerts"), "BEHIND");

    // Journaled, intent and result.
    let journal = env.journal();
    let ops: Vec<(&str, String)> = journal
        .entries
        .iter()
        .filter(|e| e.operation == "UpdateProvisioningArtifact")
        .map(|e| {
            (
                e.parameters.get("Guidance").map_or("", String::as_str),
                format!("{:?}", e.phase),
            )
        })
        .collect();
    assert_eq!(ops.len(), 4, "{ops:?}");

    // A spoke cannot change the hub's product; a version that does not
    // exist is named with the ones there are; read-only refuses first.
    env.spoke(&[
        "version",
        "deprecate",
        "--profile",
        "spoke-dev",
        "--product",
        "SNS Alerts Topic",
        "--version",
        "v1.1",
        "--yes",
    ])
    .await
    .expect(2)
    .complains("only the account that owns it can change its versions");
    env.spoke(&[
        "version",
        "deprecate",
        "--profile",
        "hub",
        "--product",
        "SNS Alerts Topic",
        "--version",
        "v9",
        "--yes",
    ])
    .await
    .expect(2)
    .complains("no version \"v9\"")
    .complains("v1.2 (");
    env.spoke(&[
        "--read-only",
        "version",
        "deactivate",
        "--profile",
        "hub",
        "--product",
        "SNS Alerts Topic",
        "--version",
        "v1.1",
        "--yes",
    ])
    .await
    .expect(4);
    assert_eq!(
        env.mutations_since(0).len(),
        2,
        "only the two changes asked with --yes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsharing_takes_the_imported_portfolio_away_and_sends_only_what_exists() {
    let env = Env::start(1.0).await;
    const PROD: &str = "333344445555";
    let imported = || async {
        let run = env
            .spoke(&["audit", "--profile", "spoke-prod", "--out", "prod.json"])
            .await;
        assert!(matches!(run.code, 0 | 1), "{run}");
        let s = spoke::model::Snapshot::parse(
            &std::fs::read(env.dir.path().join("prod.json")).unwrap(),
        )
        .unwrap();
        s.accounts[0]
            .inventory
            .as_ref()
            .unwrap()
            .portfolios
            .iter()
            .any(|p| p.name == "Data & Analytics")
    };
    env.spoke(&[
        "share",
        "--profile",
        "hub",
        "--portfolio",
        "Data & Analytics",
        "--account",
        PROD,
        "--yes",
    ])
    .await
    .expect(0);
    env.spoke(&[
        "accept",
        "--profile",
        "spoke-prod",
        "--portfolio",
        "Data & Analytics",
        "--yes",
    ])
    .await
    .expect(0);
    assert!(imported().await, "accepted: imported");

    let unshare = |yes: bool| {
        let mut a = vec![
            "unshare",
            "--profile",
            "hub",
            "--portfolio",
            "Data & Analytics",
            "--account",
            PROD,
            "999988887777",
        ];
        if yes {
            a.push("--yes");
        }
        a
    };
    env.spoke(&unshare(false))
        .await
        .expect(0)
        .says(&format!(
            "stop sharing Data & Analytics with account {PROD}"
        ))
        .says("left out: account 999988887777 — it is not shared with it")
        .says("Nothing changed");
    let before = env.call_count();
    env.spoke(&unshare(true))
        .await
        .expect(0)
        .says(&format!("account {PROD}: no longer shared"));
    assert_eq!(
        env.mutations_since(before),
        ["111122223333 DeletePortfolioShare ok"],
        "only the share that exists"
    );
    assert!(!imported().await, "unshared: no longer imported");
    // Again: nothing to send.
    env.spoke(&unshare(true))
        .await
        .expect(0)
        .says("Nothing to unshare");
    assert_eq!(env.mutations_since(before).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portfolio_is_created_once_and_deleted_only_when_empty() {
    let env = Env::start(1.0).await;
    let create = |yes: bool| {
        let mut a = vec![
            "portfolio",
            "create",
            "--profile",
            "hub",
            "--name",
            "Edge Services",
            "--provider",
            "Network Team",
        ];
        if yes {
            a.push("--yes");
        }
        a
    };
    env.spoke(&create(false))
        .await
        .expect(0)
        .says("create the local portfolio Edge Services (provider Network Team)")
        .says("Nothing changed");
    assert!(env.mutations_since(0).is_empty());
    env.spoke(&create(true))
        .await
        .expect(0)
        .says("created Edge Services (port-");
    // Again: it exists, nothing is created.
    env.spoke(&create(true))
        .await
        .expect(0)
        .says("a local portfolio named Edge Services exists already");
    assert_eq!(env.mutations_since(0), ["111122223333 CreatePortfolio ok"]);
    // A field out of AWS's bounds: said with its flag, nothing sent.
    env.spoke(&[
        "portfolio",
        "create",
        "--profile",
        "hub",
        "--name",
        "x",
        "--provider",
        &"p".repeat(51),
        "--yes",
    ])
    .await
    .expect(2)
    .complains("--provider: 1 to 50 characters (this is 51)");

    // A portfolio with products is not deleted, and nothing is sent.
    env.spoke(&[
        "portfolio",
        "delete",
        "--profile",
        "hub",
        "--portfolio",
        "Hub Operations",
        "--yes",
    ])
    .await
    .expect(2)
    .says("cannot be deleted while it has 4 products")
    .complains("was not deleted: nothing was sent");
    // The empty one is.
    env.spoke(&[
        "portfolio",
        "delete",
        "--profile",
        "hub",
        "--portfolio",
        "Edge Services",
        "--yes",
    ])
    .await
    .expect(0)
    .says("deleted Edge Services");
    assert_eq!(
        env.mutations_since(0),
        [
            "111122223333 CreatePortfolio ok",
            "111122223333 DeletePortfolio ok"
        ]
    );
}
