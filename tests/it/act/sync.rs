//! `spoke sync`: a folder in the sync sample's format kept in step with an
//! empty hub — created, then in step with no mutating call, a changed
//! template makes exactly one version, an account taken off the list loses
//! its share, a mapping mistake names its file, line and column.

use crate::fixtures;

use fixtures::headless::Env;
use spoke::sandbox::{SandboxOptions, WorldSource};

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

const MAPPING: &str = "name: Infrastructure
description: Includes all the products related to infrastructure
owner: operations
products:
- name: queue-product
  template: product-queue.yaml
  owner: team1@example.com
  description: creates a queue and its dead-letter queue
accounts:
- identifier: Dev Account
  number: 222233334444
tags:
- Key: keyname1
  Value: value1
principals:
- role/Admin
";

/// A catalog folder in `env`'s directory: one portfolio, one product.
fn folder(env: &Env, mapping: &str, template: &str) -> std::path::PathBuf {
    let dir = env.dir.path().join("catalog");
    let portfolio = dir.join("portfolio-infrastructure");
    std::fs::create_dir_all(&portfolio).unwrap();
    std::fs::write(portfolio.join("mapping.yaml"), mapping).unwrap();
    let body = std::fs::read_to_string(format!(
        "{}/examples/catalog/{template}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    std::fs::write(portfolio.join("product-queue.yaml"), body).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_syncs_into_an_empty_hub_then_only_what_changed_is_sent() {
    let env = empty_world().await;
    let dir = folder(&env, MAPPING, "queue-v1.yaml");
    let dir = dir.to_str().unwrap();
    let sync = |yes: bool| {
        let mut a = vec!["sync", dir, "--profile", "hub", "--bucket", "hub-catalog"];
        if yes {
            a.push("--yes");
        }
        a
    };
    // The plan: everything to create, nothing sent, exit 3.
    env.spoke(&sync(false))
        .await
        .expect(3)
        .says("+ portfolio Infrastructure (provider operations)")
        .says("+ product queue-product in Infrastructure, version v1")
        .says("+ share Infrastructure with account 222233334444")
        .says("+ principal arn:aws:iam::111122223333:role/Admin of Infrastructure")
        .says("tags +keyname1=value1")
        .says("Nothing changed");
    assert!(
        env.mutations_since(0).is_empty(),
        "{:?}",
        env.mutations_since(0)
    );

    env.spoke(&sync(true)).await.expect(0).says("Done: ");
    // Read back with the SDK: the portfolio, its product, share, principal, tag.
    let sc = fixtures::sc(&env.sandbox, "hub").await;
    let portfolios = sc.list_portfolios().send().await.unwrap();
    let p = &portfolios.portfolio_details()[0];
    assert_eq!(p.display_name(), Some("Infrastructure"));
    assert_eq!(p.provider_name(), Some("operations"));
    let id = p.id().unwrap();
    let described = sc.describe_portfolio().id(id).send().await.unwrap();
    assert_eq!(described.tags()[0].key(), "keyname1");
    let principals = sc
        .list_principals_for_portfolio()
        .portfolio_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        principals.principals()[0].principal_arn(),
        Some("arn:aws:iam::111122223333:role/Admin")
    );
    let products = sc
        .search_products_as_admin()
        .portfolio_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(products.product_view_details().len(), 1);

    // And with botocore, a client no one here wrote.
    let out = std::process::Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/conformance/sync_readback.py"
        ))
        .env("AWS_CONFIG_FILE", &env.config)
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            env.dir.path().join("no-credentials"),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("python3 runs (.ci/run installs botocore)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("4 passed, 0 failed"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // In step: nothing to send, not one mutating call, exit 0.
    let calls = env.call_count();
    env.spoke(&sync(true))
        .await
        .expect(0)
        .says("in step: nothing to change");
    assert!(
        env.mutations_since(calls).is_empty(),
        "{:?}",
        env.mutations_since(calls)
    );

    // One template changed: exactly one new version, named after the newest.
    folder(&env, MAPPING, "queue-v2.yaml");
    env.spoke(&sync(false))
        .await
        .expect(3)
        .says("+ version v2 of queue-product");
    let calls = env.call_count();
    env.spoke(&sync(true)).await.expect(0);
    let created: Vec<String> = env
        .mutations_since(calls)
        .into_iter()
        .filter(|m| m.contains("CreateProvisioningArtifact"))
        .collect();
    assert_eq!(created.len(), 1, "{created:?}");

    // The account taken off the list: its share removed, said as a removal.
    let without = MAPPING.replace(
        "accounts:\n- identifier: Dev Account\n  number: 222233334444\n",
        "",
    );
    folder(&env, &without, "queue-v2.yaml");
    env.spoke(&sync(false))
        .await
        .expect(3)
        .says("- stop sharing Infrastructure with account 222233334444 (taken off the list)");
    let calls = env.call_count();
    env.spoke(&sync(true)).await.expect(0);
    assert_eq!(
        env.mutations_since(calls),
        ["111122223333 DeletePortfolioShare ok"]
    );

    // Every change journaled; `spoke log` shows them.
    let journal = env.journal();
    for op in [
        "CreatePortfolio",
        "CreateProduct",
        "CreatePortfolioShare",
        "AssociatePrincipalWithPortfolio",
        "CreateProvisioningArtifact",
        "DeletePortfolioShare",
    ] {
        assert!(journal.entries.iter().any(|e| e.operation == op), "{op}");
    }
    env.spoke(&["log", "--tail", "40"])
        .await
        .expect(0)
        .says("DeletePortfolioShare");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mapping_mistake_names_its_file_line_and_column_and_sends_nothing() {
    let env = empty_world().await;
    let dir = folder(
        &env,
        &MAPPING.replace("  owner: team1", "  ownr: team1"),
        "queue-v1.yaml",
    );
    let run = env
        .spoke(&["sync", dir.to_str().unwrap(), "--profile", "hub", "--yes"])
        .await;
    run.expect(2)
        .complains("portfolio-infrastructure/mapping.yaml:7:")
        .complains("unknown field `ownr`");
    assert_eq!(env.call_count(), 0, "nothing was even read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ou_share_is_followed_and_export_then_sync_finds_nothing_to_change() {
    let env = empty_world().await;
    let with_ou = MAPPING.replace(
        "tags:\n",
        "organizational_units:\n- ou-e1m2-w0rk1oad\norganization: true\nshare_tag_options: true\ntags:\n",
    );
    let dir = folder(&env, &with_ou, "queue-v1.yaml");
    let dir = dir.to_str().unwrap();
    env.spoke(&[
        "sync",
        dir,
        "--profile",
        "hub",
        "--bucket",
        "hub-catalog",
        "--yes",
    ])
    .await
    .expect(0)
    .says("+ share Infrastructure with OU ou-e1m2-w0rk1oad")
    .says("+ share Infrastructure with organization o-e1m2p3t4y5");
    // The OU share was followed to its end before the run went on.
    let sc = fixtures::sc(&env.sandbox, "hub").await;
    let id = sc
        .list_portfolios()
        .send()
        .await
        .unwrap()
        .portfolio_details()[0]
        .id()
        .unwrap()
        .to_string();
    let shares = sc
        .describe_portfolio_shares()
        .portfolio_id(&id)
        .r#type(aws_sdk_servicecatalog::types::DescribePortfolioShareType::OrganizationalUnit)
        .send()
        .await
        .unwrap();
    assert_eq!(shares.portfolio_share_details().len(), 1);

    // Export, then sync the export: nothing to change.
    let out = env.dir.path().join("exported");
    let out = out.to_str().unwrap();
    env.spoke(&["export", out, "--profile", "hub"])
        .await
        .expect(0)
        .says("portfolio-infrastructure/mapping.yaml");
    let calls = env.call_count();
    env.spoke(&["sync", out, "--profile", "hub", "--bucket", "hub-catalog"])
        .await
        .expect(0)
        .says("in step: nothing to change");
    assert!(env.mutations_since(calls).is_empty());
}

/// The default world's hub (four portfolios, shares to accounts, an OU and
/// the organization, constraints, versions it came with) exported, then
/// synced back: nothing to change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_hub_exported_then_synced_is_in_step() {
    let env = Env::start(1.0).await;
    let out = env.dir.path().join("exported");
    let out = out.to_str().unwrap();
    env.spoke(&["export", out, "--profile", "hub"])
        .await
        .expect(0)
        .says("portfolio-platform-foundations/mapping.yaml")
        .says("portfolio-hub-operations/mapping.yaml");
    let calls = env.call_count();
    env.spoke(&["sync", out, "--profile", "hub", "--bucket", "hub-catalog"])
        .await
        .expect(0)
        .says("in step: nothing to change");
    assert!(env.mutations_since(calls).is_empty());
}

/// spoke's extensions: the auto-update opt-in, LAUNCH and TEMPLATE
/// constraints, TagOptions, a version's name, and deprecating the previous.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_extensions_opt_in_constrain_tag_and_deprecate() {
    let env = empty_world().await;
    let extended = MAPPING.replace(
        "  description: creates a queue and its dead-letter queue\n",
        "  description: creates a queue and its dead-letter queue
  version: \"2024.1\"
  deprecate_previous: 1
  auto_update: true
  launch_role: SCLaunchRole
  template_rules:
    Named:
      Assertions:
      - Assert: {\"Fn::Not\": [{\"Fn::Equals\": [{Ref: QueueName}, \"\"]}]}
  tag_options:
  - Key: Team
    Value: platform
",
    ) + "tag_options:\n- Key: CostCenter\n  Value: infra\n";
    let dir = folder(&env, &extended, "queue-v1.yaml");
    let dir = dir.to_str().unwrap();
    env.spoke(&[
        "sync",
        dir,
        "--profile",
        "hub",
        "--bucket",
        "hub-catalog",
        "--yes",
    ])
    .await
    .expect(0)
    .says("+ opt queue-product in to auto-update")
    .says("+ LAUNCH constraint on queue-product in Infrastructure: role SCLaunchRole")
    .says("+ TEMPLATE constraint on queue-product in Infrastructure")
    .says("+ TagOption Team=platform on product queue-product")
    .says("+ TagOption CostCenter=infra on portfolio Infrastructure");
    env.spoke(&["sync", dir, "--profile", "hub", "--bucket", "hub-catalog"])
        .await
        .expect(0)
        .says("in step");
    // The next template: the named version, the previous one deprecated.
    folder(
        &env,
        &extended.replace("\"2024.1\"", "\"2024.2\""),
        "queue-v2.yaml",
    );
    env.spoke(&[
        "sync",
        dir,
        "--profile",
        "hub",
        "--bucket",
        "hub-catalog",
        "--yes",
    ])
    .await
    .expect(0)
    .says("+ version 2024.2 of queue-product")
    .says("~ deprecate 2024.1 of queue-product");
    let sc = fixtures::sc(&env.sandbox, "hub").await;
    let product = sc
        .describe_product_as_admin()
        .name("queue-product")
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = product
        .tag_options()
        .iter()
        .filter_map(|t| t.key())
        .collect();
    assert!(
        keys.contains(&"AutoUpdateProvisionedProduct") && keys.contains(&"Team"),
        "{keys:?}"
    );
    let id = product
        .product_view_detail()
        .and_then(|d| d.product_view_summary())
        .and_then(|s| s.product_id())
        .unwrap()
        .to_string();
    let versions = sc
        .list_provisioning_artifacts()
        .product_id(&id)
        .send()
        .await
        .unwrap();
    let guidance: Vec<(&str, &str)> = versions
        .provisioning_artifact_details()
        .iter()
        .map(|v| (v.name().unwrap(), v.guidance().map_or("", |g| g.as_str())))
        .collect();
    assert_eq!(guidance, [("2024.1", "DEPRECATED"), ("2024.2", "DEFAULT")]);
    env.spoke(&["sync", dir, "--profile", "hub", "--bucket", "hub-catalog"])
        .await
        .expect(0)
        .says("in step");
}

/// What is not in the folder is reported, and deleted only with --prune.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_left_the_folder_is_reported_and_deleted_only_with_prune() {
    let env = empty_world().await;
    let dir = folder(&env, MAPPING, "queue-v1.yaml");
    let dir_s = dir.to_str().unwrap();
    let sync = |extra: &[&'static str]| {
        let mut a = vec!["sync", dir_s, "--profile", "hub", "--bucket", "hub-catalog"];
        a.extend_from_slice(extra);
        a
    };
    env.spoke(&sync(&["--yes"])).await.expect(0);
    // The portfolio's folder replaced by another one: the first is reported.
    std::fs::remove_dir_all(dir.join("portfolio-infrastructure")).unwrap();
    let other = dir.join("portfolio-apps");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(
        other.join("mapping.yaml"),
        "name: Apps\nowner: apps\nproducts: []\n",
    )
    .unwrap();
    let calls = env.call_count();
    env.spoke(&sync(&["--yes"]))
        .await
        .expect(0)
        .says("? portfolio Infrastructure: in the hub, not in the folder (left alone; --prune deletes it)")
        .says("? product queue-product");
    assert_eq!(
        env.mutations_since(calls),
        ["111122223333 CreatePortfolio ok"]
    );
    // With --prune: emptied, then deleted; the product too.
    env.spoke(&sync(&["--prune"]))
        .await
        .expect(3)
        .says("- DELETE portfolio Infrastructure (not in the folder; --prune): 0 constraint(s), 1 product(s), 1 share(s), 1 principal(s) removed first")
        .says("- DELETE product queue-product");
    env.spoke(&sync(&["--prune", "--yes"])).await.expect(0);
    let sc = fixtures::sc(&env.sandbox, "hub").await;
    let names: Vec<String> = sc
        .list_portfolios()
        .send()
        .await
        .unwrap()
        .portfolio_details()
        .iter()
        .filter_map(|p| p.display_name().map(str::to_string))
        .collect();
    assert_eq!(names, ["Apps"]);
    let products = sc.search_products_as_admin().send().await.unwrap();
    assert!(products.product_view_details().is_empty());
    env.spoke(&sync(&["--prune"]))
        .await
        .expect(0)
        .says("in step");
}
