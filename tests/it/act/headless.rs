//! The headless commands (`spoke share | accept | launch | update | log`)
//! end to end: the real `spoke` binary, its AWS config pointing at a
//! sandbox started here, checked by its output, exit code, journal and
//! the sandbox's own call log.

use crate::fixtures;

use fixtures::headless::{Env, Run};

use spoke::journal::{Entry, Phase, REDACTED};

const HUB: &str = "111122223333";
const PROD: &str = "333344445555";

/// The portfolio id a line of `spoke accept` lists for `name`.
fn listed_portfolio(run: &Run, name: &str) -> String {
    run.stdout
        .lines()
        .find(|l| l.contains(name) && l.trim_start().starts_with("port-"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("{name} not listed:\n{run}"))
        .to_string()
}

/// The intent and the result of the only action doing `operation` on `target`.
fn action<'a>(entries: &'a [Entry], operation: &str, target: &str) -> (&'a Entry, &'a Entry) {
    let intent = entries
        .iter()
        .find(|e| {
            e.phase == Phase::Intent
                && e.operation == operation
                && e.targets.values().any(|v| v == target)
        })
        .unwrap_or_else(|| panic!("no {operation} intent for {target} in {entries:#?}"));
    let result = entries
        .iter()
        .find(|e| e.phase == Phase::Result && e.action == intent.action)
        .unwrap_or_else(|| panic!("no result for {intent:#?}"));
    (intent, result)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn share_accept_launch_and_update_reach_succeeded_and_are_journaled() {
    let env = Env::start(40.0).await;

    // Share Data & Analytics with spoke-prod: first the plan alone.
    let share = [
        "share",
        "--profile",
        "hub",
        "--portfolio",
        "Data & Analytics",
        "--account",
        PROD,
    ];
    env.spoke(&share)
        .await
        .expect(0)
        .says("share Data & Analytics with account 333344445555")
        .says("Nothing changed: add --yes to do it");
    assert_eq!(env.mutations_since(0), Vec::<String>::new());
    assert!(!env.journal.exists(), "no journal before anything is done");

    let mut yes = share.to_vec();
    yes.push("--yes");
    env.spoke(&yes)
        .await
        .expect(0)
        .says("account 333344445555: shared, waiting for that account to accept it");
    assert_eq!(
        env.mutations_since(0),
        [format!("{HUB} CreatePortfolioShare ok")]
    );

    // spoke-prod sees the share from the hub's profile, and accepts it.
    let listed = env.spoke(&["accept", "--profile", "spoke-prod"]).await;
    listed
        .expect(0)
        .says("Shares offered to account 333344445555")
        .says("from hub (111122223333)");
    let portfolio = listed_portfolio(&listed, "Data & Analytics");
    let calls = env.call_count();
    env.spoke(&[
        "accept",
        "--profile",
        "spoke-prod",
        "--portfolio",
        &portfolio,
        "--yes",
    ])
    .await
    .expect(0)
    .says(&format!("accepted {portfolio}"));
    assert_eq!(
        env.mutations_since(calls),
        [format!("{PROD} AcceptPortfolioShare ok")]
    );

    // Launch one of its products there, on an old version, and follow it.
    let calls = env.call_count();
    let launched = env
        .spoke(&[
            "launch",
            "--profile",
            "spoke-prod",
            "--product",
            "Athena Workgroup",
            "--version",
            "v1.0",
            "--name",
            "prod-adhoc",
            "--param",
            "WorkGroupName=prod-adhoc",
            "--yes",
        ])
        .await;
    launched
        .expect(0)
        .says("Launch path: Data & Analytics")
        .says("Launch role: SCLaunchRole-Data (the role of that name in the launching account)")
        .says("WorkGroupName: prod-adhoc")
        .says("CREATE_IN_PROGRESS")
        .says("WorkGroup  CREATE_COMPLETE")
        .says("SUCCEEDED")
        .says("Outputs:\n  WorkGroup = prod-adhoc")
        .says("Done: the launch of prod-adhoc SUCCEEDED");
    assert_eq!(
        env.mutations_since(calls),
        [format!("{PROD} ProvisionProduct ok")]
    );

    // Update it to the latest version: the plan shows before → after.
    let calls = env.call_count();
    env.spoke(&[
        "update",
        "--profile",
        "spoke-prod",
        "--provisioned",
        "prod-adhoc",
        "--yes",
    ])
    .await
    .expect(0)
    .says("Version: v1.0 → v2.0")
    .says("WorkGroupName: prod-adhoc → (unchanged)")
    .says("EnforceWorkGroupConfiguration: (new) → true (default)")
    .says("UPDATE_IN_PROGRESS")
    .says("UPDATE_COMPLETE")
    .says("Done: the update of prod-adhoc SUCCEEDED");
    assert_eq!(
        env.mutations_since(calls),
        [format!("{PROD} UpdateProvisionedProduct ok")]
    );

    // A NoEcho parameter never shows, on screen or in the journal.
    let secret = "Sup3r-Secret-Passw0rd-xyz";
    let rds = env
        .spoke(&[
            "launch",
            "--profile",
            "spoke-dev",
            "--product",
            "RDS PostgreSQL",
            "--path",
            "Application Services",
            "--name",
            "dev-secret-db",
            "--param",
            "Environment=dev",
            "--param",
            &format!("MasterUserPassword={secret}"),
            "--yes",
            "--no-wait",
        ])
        .await;
    rds.expect(0)
        .says("MasterUserPassword: ****")
        .says("Not following it (--no-wait)");
    assert!(!rds.stdout.contains(secret) && !rds.stderr.contains(secret));
    let text = std::fs::read_to_string(&env.journal).unwrap();
    assert!(!text.contains(secret), "the secret is in the journal");

    // The journal: an intent and a result per call, who, where, what.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&env.journal)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let contents = env.journal();
    assert!(contents.bad_lines.is_empty(), "{:?}", contents.bad_lines);
    assert!(contents.unfinished().is_empty());
    assert_eq!(
        contents.entries.len(),
        12,
        "five calls, two lines each, and how the launch and the update ended"
    );
    let settled = contents.settled();
    assert_eq!(settled.len(), 2);
    assert!(settled.values().all(|e| {
        e.outcome
            .as_ref()
            .is_some_and(|o| o.ok && o.message == "SUCCEEDED")
    }));
    let (intent, result) = action(&contents.entries, "CreatePortfolioShare", PROD);
    assert_eq!(intent.actor.profile, "hub");
    assert_eq!(intent.actor.account, HUB);
    assert_eq!(
        intent.actor.caller_arn,
        "arn:aws:sts::111122223333:assumed-role/ServiceCatalogAdmin/alice"
    );
    assert_eq!(intent.actor.region, "us-east-1");
    assert_eq!(intent.targets["portfolio_id"], portfolio);
    assert!(intent.outcome.is_none() && intent.time <= result.time);
    assert!(result.outcome.as_ref().unwrap().ok);
    let (intent, result) = action(&contents.entries, "AcceptPortfolioShare", &portfolio);
    assert_eq!(intent.actor.account, PROD);
    assert!(result.outcome.as_ref().unwrap().ok);
    let (intent, result) = action(&contents.entries, "ProvisionProduct", "prod-adhoc");
    assert_eq!(intent.parameters["WorkGroupName"], "prod-adhoc");
    assert!(intent.token.is_some());
    let record = result.record_id.as_deref().expect("the record id");
    assert!(launched.stdout.contains(record));
    let (_, result) = action(&contents.entries, "UpdateProvisionedProduct", "prod-adhoc");
    assert!(result.record_id.is_some());
    let (intent, result) = action(&contents.entries, "ProvisionProduct", "dev-secret-db");
    assert_eq!(intent.parameters["MasterUserPassword"], REDACTED);
    assert_eq!(result.parameters["MasterUserPassword"], REDACTED);
    assert_eq!(intent.parameters["Environment"], "dev");

    // `spoke log`: one line per action; --json the lines themselves.
    let log = env.spoke(&["log"]).await;
    log.expect(0);
    let lines: Vec<&str> = log.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{log}");
    assert!(lines.iter().all(|l| l.chars().count() <= 120), "{log}");
    assert!(
        !log.stdout.contains("arn:aws:sts"),
        "the caller is --verbose's: {log}"
    );
    assert!(lines[0].contains("hub  111122223333  CreatePortfolioShare"));
    assert!(lines[0].contains(&format!("→ {PROD}")), "{log}");
    assert!(lines[0].contains("ok: shared"));
    assert!(lines[2].contains("ProvisionProduct") && lines[2].contains(record));
    assert!(!log.stdout.contains("UNFINISHED"));
    let json = env.spoke(&["log", "--json", "--tail", "2"]).await;
    json.expect(0);
    let raw: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(raw.len(), 2);
    assert_eq!(raw[0]["phase"], "intent");
    assert_eq!(raw[1]["outcome"]["ok"], true);

    // A torn last line (a crash while writing) is reported, not read; an
    // intent with no result is flagged.
    let torn = env.dir.path().join("torn.jsonl");
    let intent_only = text.lines().next().unwrap();
    std::fs::write(&torn, format!("{intent_only}\n{{\"time\":\"20")).unwrap();
    let log = env.spoke_with_journal(&torn, &["log"]).await;
    log.expect(0)
        .says("UNFINISHED")
        .complains("torn.jsonl:2: cut short");

    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_then_add_the_products_to_a_local_portfolio_with_a_launch_constraint() {
    let env = Env::start(1.0).await;

    // spoke-dev has had Data & Analytics offered, not accepted yet.
    let pending = env.spoke(&["accept", "--profile", "spoke-dev"]).await;
    let offered = listed_portfolio(&pending, "Data & Analytics");
    // By name as well as by id, as --portfolio takes everywhere.
    env.spoke(&[
        "accept",
        "--profile",
        "spoke-dev",
        "--portfolio",
        "Data & Analytics",
    ])
    .await
    .expect(0)
    .says(&format!("accept the account share of portfolio {offered}"));
    env.spoke(&["accept", "--profile", "spoke-dev", "--portfolio", "Nope"])
        .await
        .expect(2)
        .complains("no portfolio offered or imported \"Nope\"")
        .complains("Data & Analytics (");
    assert!(env.mutations_since(0).is_empty());
    let add = [
        "accept",
        "--profile",
        "spoke-dev",
        "--portfolio",
        &offered,
        "--add-to",
        "Dev Team Catalog",
        "--role",
        "SCLaunchRole-Dev",
    ];
    env.spoke(&add)
        .await
        .expect(0)
        .says("accept the account share of portfolio")
        .says("then add each of its products to Dev Team Catalog")
        .says("Nothing changed");
    assert!(env.mutations_since(0).is_empty());
    let mut yes = add.to_vec();
    yes.push("--yes");
    let added = env.spoke(&yes).await;
    added
        .expect(0)
        .says("add Athena Workgroup to Dev Team Catalog with a launch constraint: role SCLaunchRole-Dev")
        .says("Athena Workgroup: added, launch constraint")
        .says("left out: DynamoDB Table is in Dev Team Catalog already, with a launch constraint")
        .says("DynamoDB Table: left out — there already, with a launch constraint")
        .says("Done");
    let made = env.mutations_since(0);
    assert_eq!(made[0], "222233334444 AcceptPortfolioShare ok");
    assert!(made.contains(&"222233334444 AssociateProductWithPortfolio ok".to_string()));
    assert!(made.contains(&"222233334444 CreateConstraint ok".to_string()));

    // Athena Workgroup can now be launched from Dev Team Catalog as well.
    env.spoke(&[
        "launch",
        "--profile",
        "spoke-dev",
        "--product",
        "Athena Workgroup",
        "--name",
        "dev-adhoc",
    ])
    .await
    .expect(2)
    .complains("--path: Athena Workgroup can be launched from several portfolios")
    .complains("Dev Team Catalog");

    // Run again: everything is there, so nothing is sent at all.
    let calls = env.call_count();
    let again = env.spoke(&yes).await;
    again
        .expect(0)
        .says("is already imported")
        .says("left out: Athena Workgroup is in Dev Team Catalog already, with a launch constraint")
        .says("Nothing to do: it is accepted already, and every product is there with a launch constraint");
    assert!(env.mutations_since(calls).is_empty(), "{again}");
    let constraints = |run: &Run| -> usize {
        run.stdout
            .lines()
            .filter(|l| l.contains(": added, launch constraint "))
            .count()
    };
    assert!(constraints(&added) >= 1, "{added}");
    let contents = env.journal();
    let constraint = contents
        .entries
        .iter()
        .find(|e| e.operation == "CreateConstraint" && e.phase == Phase::Intent)
        .expect("a CreateConstraint intent");
    assert_eq!(constraint.parameters["Type"], "LAUNCH");
    assert!(constraint.parameters["Parameters"].contains("SCLaunchRole-Dev"));
    assert!(constraint.token.is_some());
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_version_fails_and_its_rollback_and_reason_are_shown() {
    let env = Env::start(40.0).await;

    // A launch on S3 Bucket v1.2: its bucket policy is malformed.
    let launch = env
        .spoke(&[
            "launch",
            "--profile",
            "spoke-data",
            "--product",
            "S3 Bucket",
            "--version",
            "v1.2",
            "--path",
            "Platform Foundations",
            "--name",
            "data-broken-bucket",
            "--yes",
        ])
        .await;
    launch
        .expect(1)
        .says("BucketPolicy  CREATE_FAILED")
        .says("ROLLBACK_IN_PROGRESS")
        .says("stack ROLLBACK_COMPLETE (rolled back)")
        .says("FAILED")
        .says("Failed because:\n  BucketPolicy: ")
        .complains("the launch of data-broken-bucket FAILED")
        .complains("BucketPolicy properties failed validation");

    // An update to it: the stack rolls back to the version before.
    let update = env
        .spoke(&[
            "update",
            "--profile",
            "spoke-data",
            "--provisioned",
            "data-lake-curated",
            "--version",
            "v1.2",
            "--yes",
        ])
        .await;
    update
        .expect(1)
        .says("Version: v1.1 → v1.2")
        .says("UPDATE_ROLLBACK_IN_PROGRESS")
        .says("UPDATE_ROLLBACK_COMPLETE (rolled back)")
        .complains("the update of data-lake-curated FAILED");
    // Only this update's events: none of the stack's creation long ago.
    assert!(!update.stdout.contains("CREATE_COMPLETE"), "{update}");

    // The journal says the calls were made (the requests were accepted),
    // and how each ended: FAILED, with its reason.
    let contents = env.journal();
    assert_eq!(contents.entries.len(), 6);
    assert!(contents.unfinished().is_empty());
    let settled = contents.settled();
    assert_eq!(settled.len(), 2);
    assert!(settled.values().all(|e| {
        e.outcome
            .as_ref()
            .is_some_and(|o| !o.ok && o.message.starts_with("FAILED"))
    }));
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_say_why_exit_with_their_code_and_send_nothing() {
    // Real time: prod-orders-db stays UNDER_CHANGE for minutes.
    let env = Env::start(1.0).await;

    // A stack that is moving.
    env.spoke(&[
        "update",
        "--profile",
        "spoke-prod",
        "--provisioned",
        "prod-orders-db",
        "--yes",
    ])
    .await
    .expect(2)
    .complains("prod-orders-db is UNDER_CHANGE")
    .complains("wait until it settles")
    .complains("nothing was sent");

    // An account id that is not one, and our own.
    let bad = env
        .spoke(&[
            "share",
            "--profile",
            "hub",
            "--portfolio",
            "Hub Operations",
            "--account",
            "12345",
            HUB,
            "--yes",
        ])
        .await;
    bad.expect(2)
        .complains("spoke: --account: \"12345\" is not an account id: an account id is 12 digits")
        .complains("--account: 111122223333 is this account");
    assert!(!bad.stdout.contains("Plan"), "no plan for a wrong input");

    // A required parameter left out.
    env.spoke(&[
        "launch",
        "--profile",
        "spoke-dev",
        "--product",
        "VPC Baseline",
        "--name",
        "dev-vpc-2",
        "--yes",
    ])
    .await
    .expect(2)
    .complains("spoke: --param Environment: required: this parameter has no default");

    // A value the portfolio's template constraint does not allow (the
    // version itself allows 2048 CPU units; Application Services does not).
    env.spoke(&[
        "launch",
        "--profile",
        "spoke-dev",
        "--product",
        "ECS Fargate Service",
        "--path",
        "Application Services",
        "--name",
        "dev-big-service",
        "--param",
        "ServiceName=big",
        "--param",
        "ContainerImage=nginx",
        "--param",
        "Environment=dev",
        "--param",
        "Cpu=2048",
        "--yes",
    ])
    .await
    .expect(2)
    .complains("spoke: --param Cpu: \"2048\" is not allowed; allowed: 256, 512, 1024");

    // A product that does not exist; an update with no --yes.
    env.spoke(&[
        "launch",
        "--profile",
        "spoke-dev",
        "--product",
        "Nope",
        "--name",
        "x",
        "--yes",
    ])
    .await
    .expect(2)
    .complains("no product \"Nope\"");
    env.spoke(&[
        "update",
        "--profile",
        "spoke-dev",
        "--provisioned",
        "dev-orders-api",
    ])
    .await
    .expect(0)
    .says("Plan: update dev-orders-api")
    .says("already on v3.0 with these parameters: nothing to do");

    // Read-only, by flag or by config: refused before any call at all.
    let calls = env.call_count();
    env.spoke(&[
        "--read-only",
        "launch",
        "--profile",
        "spoke-dev",
        "--product",
        "DynamoDB Table",
        "--name",
        "dev-table",
        "--yes",
    ])
    .await
    .expect(4)
    .complains("read-only (--read-only)")
    .complains("nothing was sent");
    let config = env.dir.path().join("spoke.toml");
    std::fs::write(&config, "read_only = true\n").unwrap();
    for args in [
        &[
            "share",
            "--profile",
            "hub",
            "--portfolio",
            "Hub Operations",
            "--account",
            PROD,
        ][..],
        &[
            "accept",
            "--profile",
            "spoke-dev",
            "--portfolio",
            "port-abcdef123456",
            "--yes",
        ],
        &[
            "update",
            "--profile",
            "spoke-dev",
            "--provisioned",
            "dev-orders-api",
            "--yes",
        ],
    ] {
        let mut all = vec!["--config", config.to_str().unwrap()];
        all.extend_from_slice(args);
        env.spoke(&all)
            .await
            .expect(4)
            .complains("read_only = true in");
    }
    assert_eq!(env.call_count(), calls, "a read-only session made calls");

    // A malformed --param is refused by the command line itself.
    env.spoke(&[
        "launch",
        "--product",
        "x",
        "--name",
        "y",
        "--param",
        "novalue",
    ])
    .await
    .expect(2)
    .complains("is not KEY=VALUE");

    assert_eq!(env.mutations_since(0), Vec::<String>::new());
    assert!(!env.journal.exists(), "nothing to journal");
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_that_does_not_exist_is_a_mistake_of_the_command_line() {
    let env = Env::start(1.0).await;
    for args in [
        &["drift", "--profile", "nosuch"][..],
        &["drift", "--profiles", "hub,nosuch", "--format", "json"],
        &[
            "audit",
            "--profile",
            "nosuch",
            "--out",
            "/tmp/spoke-never-written.json",
        ],
    ] {
        let calls = env.call_count();
        let run = env.spoke(args).await;
        run.expect(2)
            .complains("--profile nosuch: no such profile in ")
            .complains("known profiles: ");
        if args.contains(&"json") {
            // JSON mode: the error as its one line, nothing before it.
            let lines: Vec<&str> = run.stdout.lines().collect();
            assert_eq!(lines.len(), 1, "nothing before the mistake: {run}");
            let error: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
            assert_eq!(error["type"], "error");
            assert_eq!(error["exit_code"], 2);
        } else {
            assert!(run.stdout.is_empty(), "nothing before the mistake: {run}");
        }
        assert_eq!(env.call_count(), calls, "nothing asked");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharing_again_what_is_shared_sends_nothing_and_says_so() {
    let env = Env::start(1.0).await;
    let share = |yes: bool| {
        let mut args = vec![
            "share",
            "--profile",
            "hub",
            "--portfolio",
            "Hub Operations",
            "--account",
            PROD,
        ];
        if yes {
            args.push("--yes");
        }
        args
    };
    env.spoke(&share(true))
        .await
        .expect(0)
        .says("shared, waiting for that account to accept it");
    let calls = env.call_count();
    let before = env.mutations_since(0).len();
    env.spoke(&share(true))
        .await
        .expect(0)
        .says(&format!(
            "left out: account {PROD} — shared already, waiting for that account to accept it"
        ))
        .says("Nothing to share: every target has it already");
    assert_eq!(env.mutations_since(0).len(), before, "nothing sent");
    assert!(env.call_count() > calls, "the shares were read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_launch_under_a_name_that_exists_is_refused_before_the_plan() {
    let env = Env::start(1.0).await;
    let calls = env.mutations_since(0).len();
    env.spoke(&[
        "launch",
        "--profile",
        "spoke-dev",
        "--product",
        "SNS Alerts Topic",
        "--name",
        "dev-alerts",
        "--param",
        "AlertEmail=ops@example.com",
        "--yes",
    ])
    .await
    .expect(2)
    .complains("--name: a provisioned product named \"dev-alerts\" exists in this account (pp-");
    assert_eq!(env.mutations_since(0).len(), calls, "nothing sent");
}
