//! The rules that read spoke's journal: `share-not-accepted` ages a pending
//! share by spoke's own CreatePortfolioShare (a share spoke did not make is
//! a note: age unknown), and `org-share-failed` follows the tokens of the
//! organization and OU shares spoke made with DescribePortfolioShareStatus.

use std::collections::BTreeMap;

use serde_json::Value;
use spoke::journal::{Actor, Entry, Journal, Outcome, Phase};
use spoke::sandbox::world::AccountStatus;

use super::{FLEET, json, lint};
use crate::fixtures::headless::Env;

const HUB: &str = "111122223333";
const DEV: &str = "222233334444";

/// The findings of `rule`, whole.
fn findings<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

fn portfolio_id(env: &Env, name: &str) -> String {
    env.sandbox.with_world(|w| {
        w.portfolios
            .values()
            .find(|p| p.name == name && p.owner == HUB)
            .map(|p| p.id.clone())
            .expect("portfolio")
    })
}

/// A successful CreatePortfolioShare of `portfolio` with `account`, as
/// spoke journals it, `days` days ago.
fn shared_days_ago(env: &Env, portfolio: &str, account: &str, days: i64) {
    let journal = Journal::open(&env.journal).unwrap();
    journal
        .append(&Entry {
            time: chrono::Utc::now() - chrono::Duration::days(days),
            action: format!("share-{days}"),
            phase: Phase::Result,
            batch: None,
            actor: Actor {
                profile: "hub".into(),
                account: HUB.into(),
                caller_arn: format!("arn:aws:sts::{HUB}:assumed-role/ServiceCatalogAdmin/alice"),
                region: "us-east-1".into(),
            },
            operation: "CreatePortfolioShare".into(),
            targets: BTreeMap::from([
                ("portfolio_id".into(), portfolio.into()),
                ("account".into(), account.into()),
            ]),
            parameters: BTreeMap::new(),
            token: None,
            record_id: None,
            outcome: Some(Outcome {
                ok: true,
                message: "shared".into(),
            }),
        })
        .unwrap();
}

#[tokio::test]
async fn a_pending_share_spoke_did_not_make_is_a_note_of_unknown_age() {
    let env = Env::start(1.0).await;
    let report = json(&lint(&env, &["--format", "json"]).await);
    let found = findings(&report, "share-not-accepted");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["severity"], "note");
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.contains("age unknown"), "{message}");
    assert!(message.contains("not made through spoke"), "{message}");
    assert!(
        !message.contains("days ago"),
        "no age is claimed: {message}"
    );
    // No journal, no organization share to follow.
    assert!(findings(&report, "org-share-failed").is_empty());
}

#[tokio::test]
async fn a_pending_share_is_reported_once_older_than_the_threshold() {
    let env = Env::start(1.0).await;
    let data = portfolio_id(&env, "Data & Analytics");
    // Offered 3 days ago: younger than 7, nothing.
    shared_days_ago(&env, &data, DEV, 3);
    let report = json(&lint(&env, &["--format", "json"]).await);
    assert!(
        findings(&report, "share-not-accepted").is_empty(),
        "{:?}",
        findings(&report, "share-not-accepted")
    );
    // Under a 2-day threshold, 3 days is too long: a warning with its age.
    let config = env.dir.path().join("lint.toml");
    std::fs::write(&config, "[lint]\nshare_pending_days = 2\n").unwrap();
    let run = env
        .spoke(&[
            "--config",
            config.to_str().unwrap(),
            "--profiles",
            FLEET,
            "lint",
            "--format",
            "json",
        ])
        .await;
    let report = json(&run);
    let found = findings(&report, "share-not-accepted");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["severity"], "warning");
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.contains("3 days ago"), "{message}");
    assert!(message.contains("over 2 days"), "{message}");
    // An older offer journaled later changes nothing: the last share (3
    // days) is when it was offered, under 7 days.
    shared_days_ago(&env, &data, DEV, 12);
    let report = json(&lint(&env, &["--format", "json"]).await);
    assert!(findings(&report, "share-not-accepted").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ou_share_that_ends_in_error_is_reported_with_its_errors() {
    let env = Env::start(40.0).await;
    let data = crate::fixtures::account_id(&env.sandbox, "spoke-data");
    let prod = crate::fixtures::account_id(&env.sandbox, "spoke-prod");
    // Analytics holds spoke-data only; Workloads spoke-dev and spoke-prod.
    env.sandbox.with_world(|w| {
        for id in [&data, &prod] {
            w.accounts.get_mut(id).unwrap().status = AccountStatus::Suspended;
        }
    });
    let share = |ou: &'static str| {
        [
            "share",
            "--profile",
            "hub",
            "--portfolio",
            "Hub Operations",
            "--ou",
            ou,
            "--yes",
        ]
    };
    env.spoke(&share("ou-a1b2-d4t4p1a7"))
        .await
        .expect(1)
        .says("ERROR")
        .says("is suspended");
    env.spoke(&share("ou-a1b2-k7x9q2m4"))
        .await
        .expect(1)
        .says("COMPLETED_WITH_ERRORS");
    // The token is a target of the journal's result line.
    let tokens: Vec<String> = env
        .journal()
        .entries
        .iter()
        .filter(|e| e.operation == "CreatePortfolioShare" && e.phase == Phase::Result)
        .filter_map(|e| e.targets.get("portfolio_share_token").cloned())
        .collect();
    assert_eq!(tokens.len(), 2, "{tokens:?}");

    let before = env.call_count();
    let run = env
        .spoke(&["--profile", "hub", "lint", "--format", "json"])
        .await;
    run.expect(0);
    let report = json(&run);
    let found = findings(&report, "org-share-failed");
    let by_name: BTreeMap<&str, &Value> = found
        .iter()
        .map(|f| (f["entity"]["name"].as_str().unwrap(), *f))
        .collect();
    let analytics = by_name["Hub Operations → OU ou-a1b2-d4t4p1a7"];
    assert_eq!(analytics["severity"], "error");
    let message = analytics["message"].as_str().unwrap();
    assert!(message.contains("ended ERROR"), "{message}");
    assert!(
        message.contains(&format!("{data}: Account {data} is suspended")),
        "{message}"
    );
    assert_eq!(analytics["fix"]["kind"], "share");
    assert!(
        analytics["fix_text"]
            .as_str()
            .unwrap()
            .contains("spoke share --portfolio"),
        "{analytics}"
    );
    let workloads = by_name["Hub Operations → OU ou-a1b2-k7x9q2m4"];
    assert_eq!(workloads["severity"], "warning");
    let message = workloads["message"].as_str().unwrap();
    assert!(message.contains("COMPLETED_WITH_ERRORS"), "{message}");
    assert!(message.contains("1 account(s) did get it"), "{message}");
    assert!(
        message.contains(&prod) && !message.contains(&format!("{DEV}:")),
        "{message}"
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        env.mutations_since(before),
        Vec::<String>::new(),
        "lint only reads"
    );

    // Once the account is back and the OU shared again, the later share wins.
    env.sandbox.with_world(|w| {
        w.accounts.get_mut(&data).unwrap().status = AccountStatus::Active;
    });
    env.spoke(&share("ou-a1b2-d4t4p1a7")).await.expect(0);
    let report = json(
        &env.spoke(&["--profile", "hub", "lint", "--format", "json"])
            .await,
    );
    let names: Vec<&str> = findings(&report, "org-share-failed")
        .iter()
        .map(|f| f["entity"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Hub Operations → OU ou-a1b2-k7x9q2m4"]);
}

#[tokio::test]
async fn the_sandbox_worlds_seeded_journal_plants_both_cases() {
    let env = Env::start(1.0).await;
    // What `spoke --sandbox` writes at start: once, however often.
    assert_eq!(env.sandbox.seed_journal(&env.journal).unwrap(), 4);
    assert_eq!(env.sandbox.seed_journal(&env.journal).unwrap(), 0);
    assert!(env.journal().entries.iter().all(|e| {
        e.parameters.get("SeededBy").map(String::as_str) == Some(spoke::sandbox::seed::SEEDED_BY)
    }));
    let report = json(&lint(&env, &["--format", "json"]).await);
    let pending = findings(&report, "share-not-accepted");
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0]["severity"], "warning");
    assert_eq!(
        pending[0]["entity"]["name"],
        "Data & Analytics → spoke-dev (222233334444)"
    );
    assert!(
        pending[0]["message"]
            .as_str()
            .unwrap()
            .contains("12 days ago")
    );
    let failed = findings(&report, "org-share-failed");
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["label"], "hub");
    assert_eq!(failed[0]["severity"], "error");
    assert_eq!(
        failed[0]["entity"]["name"],
        "Data & Analytics → OU ou-a1b2-d4t4p1a7"
    );
    let message = failed[0]["message"].as_str().unwrap();
    assert!(message.contains("ended ERROR"), "{message}");
    assert!(
        message.contains("444455556666: AWS Organizations trusted access"),
        "{message}"
    );
    assert!(
        report["unchecked"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["rule"] != "org-share-failed")
    );
}
