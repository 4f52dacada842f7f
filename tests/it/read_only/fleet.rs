//! Safety that holds for every account of a fleet, through the sandbox's
//! call log: a read-only member gets no mutating call (by profile, account
//! id or account-name glob), the others proceed; no command changes
//! anything without `--yes`; the risk preview leaves no plan behind, even
//! when killed; an update that changes nothing is not sent.

use crate::fixtures;

use fixtures::headless::{Env, MUTATING};

const DEV: &str = "222233334444";
const PROD: &str = "333344445555";
const ROLE: &str = "OrganizationAccountAccessRole";

/// Writes spoke's config into the env's folder and returns its path.
fn config(env: &Env, text: &str) -> String {
    let path = env.dir.path().join("spoke.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// The accounts in which a mutating call was answered.
fn mutated_accounts(env: &Env) -> std::collections::BTreeSet<String> {
    env.sandbox
        .calls()
        .into_iter()
        .filter(|c| MUTATING.contains(&c.operation.as_str()))
        .map(|c| c.account)
        .collect()
}

/// Provisioned product plans the world holds, in any account.
fn plans_left(env: &Env) -> usize {
    env.sandbox.with_world(|w| w.plans.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_member_of_a_profiles_fleet_gets_no_write_and_the_others_are_updated() {
    let env = Env::start(60.0).await;
    let config = config(&env, "[profiles.spoke-prod]\nread_only = true\n");
    let run = env
        .spoke(&[
            "--config",
            &config,
            "update",
            "--drifted",
            "--profiles",
            "spoke-prod,spoke-dev",
            "--policy",
            "everything",
            "--yes",
        ])
        .await;
    run.says(&format!(
        "spoke-prod ({PROD}) is read-only (read_only = true for profile spoke-prod in {config}): its "
    ))
    .says("items are skipped")
    .says("Done: ");
    assert!(
        run.stdout
            .lines()
            .any(|l| l.trim_start().starts_with("spoke-prod ") && l.contains("skip: spoke-prod")),
        "spoke-prod's items are in the plan, skipped with the reason:\n{run}"
    );
    let mutated = mutated_accounts(&env);
    assert!(
        !mutated.contains(PROD),
        "no mutating call in the read-only member: {:?}",
        env.mutations_since(0)
    );
    assert!(
        env.mutations_since(0)
            .iter()
            .any(|m| m.starts_with(&format!("{DEV} UpdateProvisionedProduct ok"))),
        "the other member is updated: {:?}",
        env.mutations_since(0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_name_glob_makes_organization_members_read_only_and_an_id_does_too() {
    let env = Env::start(60.0).await;
    let config = config(
        &env,
        "[accounts.\"*-PROD\"]\nread_only = true\n[accounts.\"444455556666\"]\nread_only = true\n",
    );
    let run = env
        .spoke(&[
            "--config",
            &config,
            "--profile",
            "hub",
            "--org-role",
            ROLE,
            "update",
            "--drifted",
            "--policy",
            "everything",
            "--yes",
        ])
        .await;
    run.says(&format!(
        "spoke-prod ({PROD}) is read-only (read_only = true for accounts named \"*-PROD\" (spoke-prod) in {config})"
    ))
    .says("spoke-data (444455556666) is read-only (read_only = true for account 444455556666")
    .says("Done: ");
    let mutated = mutated_accounts(&env);
    assert!(
        !mutated.contains(PROD) && !mutated.contains("444455556666"),
        "no mutating call in a read-only member: {:?}",
        env.mutations_since(0)
    );
    assert!(mutated.contains(DEV), "spoke-dev is updated: {mutated:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_read_only_account_is_refused_by_its_account_id_once_connected() {
    let env = Env::start(60.0).await;
    let config = config(&env, &format!("[accounts.\"{PROD}\"]\nread_only = true\n"));
    env.spoke(&[
        "--config",
        &config,
        "update",
        "--profile",
        "spoke-prod",
        "--provisioned",
        "prod-vpc",
        "--yes",
    ])
    .await
    .expect(4)
    .complains(&format!(
        "refused: spoke-prod ({PROD}) is read-only (read_only = true for account {PROD} in {config})"
    ));
    env.spoke(&[
        "--config",
        &config,
        "--write",
        "update",
        "--drifted",
        "--profiles",
        "spoke-prod",
    ])
    .await
    .expect(0)
    .says("UPDATE");
    assert_eq!(env.mutations_since(0), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_command_changes_anything_without_yes() {
    let env = Env::start(60.0).await;
    let offered = env.spoke(&["accept", "--profile", "spoke-dev"]).await;
    let portfolio = offered
        .stdout
        .lines()
        .find(|l| l.contains("Data & Analytics") && l.trim_start().starts_with("port-"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("a share offered:\n{offered}"))
        .to_string();
    let dry_runs: Vec<Vec<&str>> = vec![
        vec![
            "share",
            "--profile",
            "hub",
            "--portfolio",
            "Hub Operations",
            "--account",
            PROD,
        ],
        vec![
            "accept",
            "--profile",
            "spoke-dev",
            "--portfolio",
            &portfolio,
            "--add-to",
            "Dev Team Catalog",
            "--role",
            "SCLaunchRole-Dev",
        ],
        vec![
            "launch",
            "--profile",
            "spoke-prod",
            "--product",
            "S3 Bucket",
            "--path",
            "Platform Foundations",
            "--name",
            "dry-bucket",
        ],
        vec![
            "update",
            "--profile",
            "spoke-dev",
            "--provisioned",
            "dev-artifacts",
        ],
        vec![
            "update",
            "--drifted",
            "--profiles",
            "spoke-dev,spoke-prod",
            "--policy",
            "everything",
        ],
        vec![
            "update",
            "--drifted",
            "--profiles",
            "spoke-dev,spoke-prod",
            "--policy",
            "everything",
            "--preview-risk",
        ],
        vec![
            "--profile",
            "hub",
            "--org-role",
            ROLE,
            "update",
            "--drifted",
        ],
    ];
    for args in &dry_runs {
        let run = env.spoke(args).await;
        assert!(
            run.stdout.contains("Nothing changed: add --yes to do it"),
            "{args:?} says nothing changed:\n{run}"
        );
    }
    assert_eq!(
        env.mutations_since(0),
        Vec::<String>::new(),
        "no mutating call without --yes, not even a temporary plan"
    );
    assert!(!env.journal.exists(), "nothing to journal");
    let preview = env
        .spoke(&[
            "update",
            "--drifted",
            "--profiles",
            "spoke-dev",
            "--preview-risk",
        ])
        .await;
    preview
        .says("Previewing the risk creates and deletes ")
        .says("temporary provisioned product plans (CreateProvisionedProductPlan, then DeleteProvisionedProductPlan) in 1 account");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_risk_preview_is_asked_for_and_leaves_no_plan_even_when_killed() {
    // Slow enough (a plan takes 1 s to be ready) to be killed with plans open.
    let env = Env::start(5.0).await;
    let args = [
        "update",
        "--drifted",
        "--profiles",
        "spoke-dev,spoke-prod",
        "--policy",
        "everything",
        "--preview-risk",
        "--yes",
    ];
    // Killed while its plans exist: they are left behind…
    let mut child = env.spawn(&args);
    let started = std::time::Instant::now();
    while plans_left(&env) == 0 && started.elapsed() < std::time::Duration::from_secs(60) {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(plans_left(&env) > 0, "the preview created plans");
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    let left = plans_left(&env);
    assert!(left > 0, "a kill leaves its plans");
    // …and the next run finds them with ListProvisionedProductPlans and
    // deletes them, then leaves none of its own.
    let run = env.spoke(&args).await;
    run.expect(0)
        .says("left by an earlier run deleted")
        .says("Nothing updated (--preview-risk)")
        .says("no replacement");
    assert!(run.stdout.contains("would replace") || run.stdout.contains("skip: would"));
    assert_eq!(plans_left(&env), 0, "no plan is left behind:\n{run}");
    assert!(
        env.sandbox
            .calls()
            .iter()
            .any(|c| c.operation == "ListProvisionedProductPlans"),
        "leftovers are found the documented way"
    );
    assert!(
        !env.mutations_since(0)
            .iter()
            .any(|m| m.contains("UpdateProvisionedProduct")),
        "a preview updates nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_that_changes_nothing_is_not_sent_unless_forced() {
    let env = Env::start(60.0).await;
    // A provisioned product of spoke-dev already on its latest version.
    let name = env.sandbox.with_world(|w| {
        w.provisioned
            .values()
            .filter(|p| p.account == DEV && p.status == spoke::sandbox::world::PpStatus::Available)
            .find(|p| {
                let product = &w.products[&p.product_id];
                product
                    .versions
                    .iter()
                    .filter(|v| v.active && v.guidance != "DEPRECATED")
                    .max_by_key(|v| v.created)
                    .is_some_and(|v| v.id == p.artifact_id)
            })
            .map(|p| p.name.clone())
            .expect("a current provisioned product in spoke-dev")
    });
    let run = env
        .spoke(&[
            "update",
            "--profile",
            "spoke-dev",
            "--provisioned",
            &name,
            "--yes",
        ])
        .await;
    run.expect(0)
        .says("with these parameters: nothing to do (--force sends it anyway");
    assert_eq!(
        env.mutations_since(0),
        Vec::<String>::new(),
        "no call:\n{run}"
    );
    assert!(!env.journal.exists());
    let forced = env
        .spoke(&[
            "update",
            "--profile",
            "spoke-dev",
            "--provisioned",
            &name,
            "--force",
            "--yes",
            "--no-wait",
        ])
        .await;
    forced.expect(0);
    assert_eq!(
        env.mutations_since(0),
        [format!("{DEV} UpdateProvisionedProduct ok")]
    );
}
