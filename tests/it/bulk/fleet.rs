//! Drift at scale, end to end: `spoke drift` and `spoke update --drifted`
//! over a generated fleet of 20 spoke accounts (organization mode from the
//! hub), checked against drift computed here from the sandbox's own world,
//! the sandbox's call log and the journal.

use crate::fixtures;

use std::collections::{BTreeMap, BTreeSet};

use fixtures::headless::{Env, Run};
use spoke::sandbox::world::{PpStatus, Replacement, World};
use spoke::sandbox::{SandboxOptions, WorldSource, generate};

const ROLE: &str = "OrganizationAccountAccessRole";
const SPOKES: usize = 20;

/// What the test expects of one provisioned product, worked out from the
/// sandbox's world without spoke's code.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    account: String,
    name: String,
    id: String,
    /// None: on its latest version (not in the plan).
    verdict: Option<&'static str>,
    latest: String,
    broken_latest: bool,
}

async fn fleet(speed: f64) -> (Env, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("fleet.toml");
    std::fs::write(
        &world,
        generate::generate_with(&generate::Scale::new(SPOKES, 40, 12).with_trouble()),
    )
    .unwrap();
    let env = Env::start_with(SandboxOptions {
        speed,
        world: WorldSource::File(world),
        ..SandboxOptions::default()
    })
    .await;
    (env, dir)
}

/// Drift and the plan's verdict for every provisioned product of the
/// spokes, from the world itself (default policy: the AutoUpdate tag).
fn expected(world: &World) -> Vec<Expected> {
    let mut out = Vec::new();
    for pp in world.provisioned.values() {
        let account = &world.accounts[&pp.account];
        let product = &world.products[&pp.product_id];
        let latest = product
            .versions
            .iter()
            .filter(|v| v.active && v.guidance != "DEPRECATED")
            .max_by_key(|v| v.created)
            .expect("a latest version");
        let tainted = matches!(pp.status, PpStatus::Tainted | PpStatus::Error);
        let verdict = if pp.artifact_id == latest.id && !tainted {
            None
        } else if pp.status == PpStatus::UnderChange {
            Some("under change")
        } else if tainted {
            Some("TAINTED")
        } else if !pp
            .tags
            .iter()
            .any(|(k, v)| k == "AutoUpdateProvisionedProduct" && v == "true")
        {
            Some("not opted in")
        } else if risky(product, &pp.artifact_id, &latest.id) {
            Some("would")
        } else {
            Some("UPDATE")
        };
        out.push(Expected {
            account: account.name.clone(),
            name: pp.name.clone(),
            id: pp.id.clone(),
            verdict,
            latest: latest.id.clone(),
            broken_latest: latest.fails_on.is_some(),
        });
    }
    out.sort_by(|a, b| (&a.account, &a.name).cmp(&(&b.account, &b.name)));
    out
}

/// An update replaces or removes a resource: a version after `from` up to
/// `to` marks one TRUE or CONDITIONAL, or `from` has one `to` lacks.
fn risky(product: &spoke::sandbox::world::Product, from: &str, to: &str) -> bool {
    let pos = |id: &str| product.versions.iter().position(|v| v.id == id);
    let (Some(a), Some(b)) = (pos(from), pos(to)) else {
        return true;
    };
    let target: BTreeSet<&str> = product.versions[b]
        .template
        .resources
        .iter()
        .map(|r| r.logical_id.as_str())
        .collect();
    let removes = product.versions[a]
        .template
        .resources
        .iter()
        .any(|r| !target.contains(r.logical_id.as_str()));
    let replaces = product.versions[a + 1..=b].iter().any(|v| {
        v.template.resources.iter().any(|r| {
            matches!(
                r.replacement,
                Some(Replacement::True | Replacement::Conditional)
            )
        })
    });
    removes || replaces
}

/// The plan line of `e`: "  ACCOUNT  NAME  PRODUCT  FROM → TO  VERDICT".
fn plan_line<'a>(run: &'a Run, e: &Expected) -> Option<&'a str> {
    let head = format!("  {}  {}  ", e.account, e.name);
    run.stdout.lines().find(|l| l.starts_with(&head))
}

fn org_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--profile", "hub", "--org-role", ROLE];
    args.extend_from_slice(extra);
    args
}

/// UpdateProvisionedProduct calls the sandbox answered `ok`, by target:
/// the tokens each carried.
fn updates(env: &Env) -> BTreeMap<String, Vec<String>> {
    let mut by_target: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in env.sandbox.calls() {
        if c.operation == "UpdateProvisionedProduct" && c.outcome == "ok" {
            by_target
                .entry(c.target.clone().unwrap_or_default())
                .or_default()
                .push(c.token.clone().unwrap_or_default());
        }
    }
    by_target
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drift_and_the_bulk_plan_match_the_world_item_by_item_and_apply_updates_the_eligible() {
    let (env, _world) = fleet(120.0).await;
    let before = env.sandbox.with_world(|w| expected(w));
    assert_eq!(
        before
            .iter()
            .map(|e| &e.account)
            .collect::<BTreeSet<_>>()
            .len(),
        SPOKES,
        "every spoke runs provisioned products"
    );
    for verdict in ["under change", "TAINTED", "not opted in", "would", "UPDATE"] {
        assert!(
            before.iter().any(|e| e.verdict == Some(verdict)),
            "the fleet has an item that plans as {verdict:?}"
        );
    }
    assert!(
        before
            .iter()
            .any(|e| e.verdict == Some("UPDATE") && e.broken_latest),
        "an eligible item goes to a broken version"
    );

    // spoke drift: every account, every provisioned product, exit 3.
    let drift = env.spoke(&org_args(&["drift", "--format", "csv"])).await;
    drift.expect(3);
    let assumed = env
        .sandbox
        .calls()
        .iter()
        .filter(|c| c.operation == "AssumeRole")
        .count();
    assert_eq!(
        assumed, SPOKES,
        "one AssumeRole per member account, the hub itself directly"
    );
    let listed = env
        .sandbox
        .calls()
        .iter()
        .filter(|c| c.operation == "ListProvisioningArtifacts")
        .count();
    assert!(
        listed <= 40,
        "each product's versions listed once for the whole fleet, not once per account: {listed}"
    );
    for e in &before {
        let row = drift
            .stdout
            .lines()
            .find(|l| {
                l.starts_with(&format!("{},", e.account)) && l.contains(&format!(",{},", e.id))
            })
            .unwrap_or_else(|| panic!("{} {} not in the drift CSV:\n{drift}", e.account, e.name));
        assert_eq!(
            row.contains(",CURRENT,"),
            e.verdict.is_none(),
            "drift of {e:?}: {row}"
        );
    }

    // The plan, item by item, with reads only: nothing changed without
    // --yes, and the risk of each update is not previewed.
    let plan = env.spoke(&org_args(&["update", "--drifted"])).await;
    plan.expect(0).says("Nothing changed: add --yes to do it");
    for e in &before {
        let line = plan_line(&plan, e);
        match e.verdict {
            None => assert!(line.is_none(), "{e:?} is current, yet planned: {line:?}"),
            Some("would") => {
                let line = line.unwrap_or_else(|| panic!("{e:?} not in the plan:\n{plan}"));
                assert!(
                    line.contains("UPDATE  [risk not previewed]"),
                    "{e:?}: its risk is not known without a preview: {line:?}"
                );
            }
            Some(v) => {
                let line = line.unwrap_or_else(|| panic!("{e:?} not in the plan:\n{plan}"));
                assert!(line.contains(v), "{e:?}: expected {v:?} in {line:?}");
            }
        }
    }
    assert!(
        env.mutations_since(0).is_empty(),
        "no mutating call without --yes: {:?}",
        env.mutations_since(0)
    );

    // The risk previewed, asked for: temporary plans created and deleted,
    // every verdict as the world says, nothing updated.
    let preview = env
        .spoke(&org_args(&[
            "update",
            "--drifted",
            "--preview-risk",
            "--yes",
        ]))
        .await;
    preview.expect(0).says("Nothing updated (--preview-risk)");
    for e in &before {
        let line = plan_line(&preview, e);
        match e.verdict {
            None => assert!(line.is_none(), "{e:?} is current, yet planned: {line:?}"),
            Some(v) => {
                let line = line.unwrap_or_else(|| panic!("{e:?} not in the plan:\n{preview}"));
                assert!(line.contains(v), "{e:?}: expected {v:?} in {line:?}");
            }
        }
    }
    assert!(updates(&env).is_empty(), "nothing updated by a preview");
    let plans_left = env.sandbox.with_world(|w| w.plans.len());
    assert_eq!(plans_left, 0, "every provisioned product plan deleted");

    // Apply.
    let report = env.dir.path().join("report.jsonl");
    let applied = env
        .spoke(&org_args(&[
            "update",
            "--drifted",
            "--yes",
            "--report",
            report.to_str().unwrap(),
        ]))
        .await;
    applied.expect(1).complains("update(s) failed");
    let after = env.sandbox.with_world(|w| {
        w.provisioned
            .values()
            .map(|p| (p.id.clone(), (p.artifact_id.clone(), p.status)))
            .collect::<BTreeMap<_, _>>()
    });
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let status_of = |id: &str| {
        lines
            .iter()
            .find(|l| l["ProvisionedProductId"] == id)
            .map(|l| {
                (
                    l["UpdateStatus"].as_str().unwrap().to_string(),
                    l["Errors"].as_str().unwrap().to_string(),
                )
            })
    };
    let tokens = updates(&env);
    for e in &before {
        let (version, status) = &after[&e.id];
        match e.verdict {
            Some("UPDATE") if e.broken_latest => {
                let (s, why) = status_of(&e.id).unwrap();
                assert_eq!(s, "FAILED", "{e:?}");
                assert!(!why.is_empty(), "a failure has its reason: {e:?}");
                assert_eq!(*status, PpStatus::Tainted, "{e:?}");
            }
            Some("UPDATE") => {
                assert_eq!(version, &e.latest, "{e:?} is on its latest version");
                assert_eq!(*status, PpStatus::Available, "{e:?}");
                assert_eq!(status_of(&e.id).unwrap().0, "SUCCEEDED", "{e:?}");
                assert_eq!(tokens[&e.id].len(), 1, "{e:?} updated once");
            }
            Some(_) => {
                assert!(
                    !tokens.contains_key(&e.id),
                    "{e:?} was skipped, yet updated"
                );
                let (s, why) = status_of(&e.id).unwrap();
                assert_eq!(s, "SKIPPED", "{e:?}");
                assert!(!why.is_empty(), "{e:?} says why it was skipped");
            }
            None => assert!(!tokens.contains_key(&e.id), "{e:?} was current"),
        }
    }
    for field in [
        "ProvisionedProductName",
        "ProvisionedProductId",
        "ProductId",
        "ProductName",
        "AccountNo",
        "ProvisionedVersion",
        "ProvisionedVersionName",
        "LatestVersionId",
        "LatestVersionName",
        "UpdateStatus",
        "Errors",
        "ScannedTime",
        "UpdateTimestamp",
        "StackName",
        "LaunchedBy",
    ] {
        assert!(lines[0].get(field).is_some(), "the report has {field}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&report).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the report is private");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_killed_half_way_and_resumed_updates_each_product_exactly_once() {
    // Slow stacks: the kill lands while updates are running.
    let (env, _world) = fleet(20.0).await;
    let before = env.sandbox.with_world(|w| expected(w));
    let records_before = env.update_records();
    let eligible: Vec<&Expected> = before
        .iter()
        .filter(|e| e.verdict == Some("UPDATE"))
        .collect();
    assert!(
        eligible.len() >= 10,
        "enough to kill half-way: {}",
        eligible.len()
    );
    // One update at a time per account: the first round (one per account)
    // reaches half-way while some account still has one waiting.
    let mut per_account: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &eligible {
        *per_account.entry(e.account.as_str()).or_default() += 1;
    }
    assert!(
        per_account.len() * 2 >= eligible.len() && per_account.values().any(|&n| n >= 2),
        "a world where the kill lands half-way: {per_account:?}"
    );

    let mut child = env.spawn(&org_args(&[
        "update",
        "--drifted",
        "--yes",
        // One at a time in each account: an account's next update waits
        // for its slow stack, so the kill lands with some not yet sent.
        "--concurrency",
        "1",
    ]));
    let half = eligible.len() / 2;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while updates(&env).len() < half {
        assert!(
            std::time::Instant::now() < deadline,
            "the run never got half-way"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended before it was killed: {status}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    child.kill().await.unwrap();
    let sent_before_kill = updates(&env).len();
    assert!(sent_before_kill < eligible.len(), "killed before the end");

    let resumed = env.spoke(&["update", "--resume", "--yes"]).await;
    resumed.says("Resuming batch");

    let tokens = updates(&env);
    let records = env.update_records();
    let after = env.versions();
    for e in &eligible {
        let sent = tokens
            .get(&e.id)
            .unwrap_or_else(|| panic!("{e:?} never sent"));
        let distinct: BTreeSet<&String> = sent.iter().collect();
        assert_eq!(
            distinct.len(),
            1,
            "{e:?}: one UpdateToken, resent or not: {sent:?}"
        );
        let made = records.get(&e.id).copied().unwrap_or(0)
            - records_before.get(&e.id).copied().unwrap_or(0);
        assert_eq!(made, 1, "{e:?}: AWS made one update record");
        if !e.broken_latest {
            assert_eq!(after[&e.id], e.latest, "{e:?} reached its latest version");
        }
    }
    for e in before.iter().filter(|e| e.verdict != Some("UPDATE")) {
        assert!(!tokens.contains_key(&e.id), "{e:?} was not to be updated");
    }
    let journal = env.journal();
    assert!(
        journal.bad_lines.len() <= 1,
        "at most a torn last line: {:?}",
        journal.bad_lines
    );
    // Resumed again once it finished: nothing to resume, nothing sent or
    // reprinted as done.
    let calls = env.call_count();
    let again = env.spoke(&["update", "--resume", "--yes"]).await;
    again
        .expect(0)
        .says("finished: all ")
        .says("nothing to resume");
    assert!(!again.stdout.contains("SUCCEEDED"), "{again}");
    assert_eq!(env.call_count(), calls, "nothing asked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_that_cannot_be_assumed_is_listed_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("fleet.toml");
    std::fs::write(&world, generate::generate(3, 6, 2)).unwrap();
    let env = Env::start_with(SandboxOptions {
        world: WorldSource::File(world),
        faults: spoke::sandbox::Faults {
            deny_assume: vec![generate::spoke_name(1, 3)],
            ..Default::default()
        },
        ..SandboxOptions::default()
    })
    .await;
    let run = env.spoke(&org_args(&["drift"])).await;
    run.says("3 of 4 accounts reached")
        .says(&format!("unreachable: {}", generate::spoke_name(1, 3)))
        .says("cannot assume")
        .says(&format!(
            "{} (200000000002): NOT READ — ",
            generate::spoke_name(1, 3)
        ))
        .says("3 of 4 accounts read: ");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_session_plans_without_provisioned_product_plans_and_refuses_to_apply() {
    let env = Env::start(60.0).await;
    let plan = env
        .spoke(&[
            "--read-only",
            "update",
            "--drifted",
            "--profiles",
            "spoke-dev,spoke-prod",
            "--policy",
            "everything",
        ])
        .await;
    plan.expect(0)
        .says("skip: spoke-dev (222233334444) is read-only (--read-only)")
        .says("spoke-prod (333344445555) is read-only (--read-only): its ");
    let refused = env
        .spoke(&[
            "--read-only",
            "update",
            "--drifted",
            "--profiles",
            "spoke-dev,spoke-prod",
            "--yes",
        ])
        .await;
    refused.expect(4).complains("read-only");
    assert_eq!(
        env.mutations_since(0),
        Vec::<String>::new(),
        "no mutating call at all, not even a provisioned product plan"
    );
    assert!(!env.journal.exists(), "nothing to journal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drift_exits_zero_when_nothing_drifts_and_prints_json() {
    let env = Env::start(60.0).await;
    // Bring spoke-dev's opted-in products up to date, then ask again.
    env.spoke(&["update", "--drifted", "--profiles", "spoke-dev", "--yes"])
        .await
        .expect(0)
        .says("Done: ");
    let json = env
        .spoke(&["drift", "--profile", "spoke-dev", "--format", "json"])
        .await;
    json.expect(3);
    // stdout is the JSON alone (what was reached is said on stderr).
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(json.stderr.contains("1 of 1 account reached"), "{json}");
    let account = &value["accounts"][0];
    assert_eq!(account["label"], "spoke-dev");
    let rows = account["provisioned"].as_array().unwrap();
    for name in ["dev-alerts", "dev-artifacts"] {
        let row = rows.iter().find(|r| r["name"] == name).unwrap();
        assert_eq!(row["drift"], "CURRENT", "{name} was updated: {row}");
    }
    // The state and how far behind are two fields.
    assert!(
        rows.iter()
            .any(|r| r["drift"] == "BEHIND" && r["behind_by"].as_u64() >= Some(1)),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .all(|r| !r["drift"].as_str().unwrap().contains(' ')),
        "{rows:?}"
    );
    // Only the current ones: nothing drifts in what is shown, yet the exit
    // code still says the account drifts elsewhere.
    let world = tempfile::tempdir().unwrap();
    let only = world.path().join("one.toml");
    std::fs::write(&only, generate::generate(1, 3, 0)).unwrap();
    let empty = Env::start_with(SandboxOptions {
        world: WorldSource::File(only),
        ..SandboxOptions::default()
    })
    .await;
    empty
        .spoke(&["drift", "--profile", &generate::spoke_name(0, 1)])
        .await
        .expect(0)
        .says("0 drifted");
}
