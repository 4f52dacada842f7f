//! The inventory scan, the stack events and the call log, through the real
//! SDK against the sandbox's default world (assets/sandbox/default.toml).

use crate::fixtures;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use spoke::aws::{AwsError, Reader};
use spoke::model::{
    CallOutcome, ConstraintKind, ConstraintParams, Drift, Inventory, LaunchRole, Origin,
    ProductOrigin, Section, ShareKind, ShareType, StackWatch,
};
use spoke::ops::{Cache, scan, scan_with};
use spoke::sandbox::{Faults, SandboxOptions};

const HUB: &str = "111122223333";
const DEV: &str = "222233334444";
const DATA: &str = "444455556666";

use fixtures::{Sandboxed as World, sandboxed as world_with};

async fn world() -> World {
    world_with(1.0, Faults::default()).await
}

async fn reader(w: &World, profile: &str) -> Reader {
    w.reader(profile).await
}

/// Calls the sandbox answered for `account`, from call number `from` on.
fn calls_by_operation(w: &World, account: &str, from: usize) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for c in w.sandbox.calls().into_iter().skip(from) {
        if c.account == account {
            *counts.entry(c.operation).or_insert(0) += 1;
        }
    }
    counts
}

fn portfolio_id(inv: &Inventory, name: &str) -> String {
    inv.portfolios
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no portfolio {name} in {:?}", inv.portfolios))
        .id
        .clone()
}

fn product_id(inv: &Inventory, name: &str) -> String {
    inv.products
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no product {name}"))
        .id
        .clone()
}

fn drift_of(inv: &Inventory, pp_name: &str) -> Drift {
    let pp = inv
        .provisioned
        .iter()
        .find(|p| p.name == pp_name)
        .unwrap_or_else(|| panic!("no provisioned product {pp_name}"));
    inv.drift_of(&pp.id)
}

#[tokio::test]
async fn the_hub_sees_whom_its_portfolios_are_shared_with() {
    let w = world().await;
    let inv = scan(&reader(&w, "hub").await).await.unwrap();
    assert_eq!(inv.account, HUB);
    assert!(inv.problems.is_empty(), "{:?}", inv.problems);
    assert!(inv.portfolios.iter().all(|p| p.origin == Origin::Local));

    let shares = |name: &str| -> Vec<(ShareKind, String, bool)> {
        let id = portfolio_id(&inv, name);
        inv.shares_of(&id)
            .map(|s| (s.kind, s.principal.clone(), s.accepted))
            .collect()
    };
    assert_eq!(
        shares("Platform Foundations"),
        [(ShareKind::Organization, "o-a1b2c3d4e5".to_string(), true)]
    );
    assert_eq!(
        shares("Application Services"),
        [(
            ShareKind::OrganizationalUnit,
            "ou-a1b2-k7x9q2m4".to_string(),
            true
        )]
    );
    // spoke-dev has not accepted its account share yet: pending.
    assert_eq!(
        shares("Data & Analytics"),
        [
            (ShareKind::Account, DEV.to_string(), false),
            (ShareKind::Account, DATA.to_string(), true)
        ]
    );
    assert!(shares("Hub Operations").is_empty());
    let foundations = portfolio_id(&inv, "Platform Foundations");
    assert!(
        inv.shares_of(&foundations)
            .all(|s| s.share_tag_options && !s.share_principals)
    );

    // The hub's constraints are its own, with their parameters decoded.
    assert!(!inv.constraints.is_empty());
    assert!(
        inv.constraints
            .iter()
            .all(|c| !c.inherited && c.owner == HUB)
    );
    assert!(inv.constraints.iter().all(|c| c.params.is_some()));
    let baseline = product_id(&inv, "Security Baseline");
    let stack_set = inv
        .constraints_of(&foundations, Some(&baseline))
        .find(|c| c.kind == ConstraintKind::StackSet)
        .expect("a STACKSET constraint");
    assert_eq!(
        stack_set.params,
        Some(ConstraintParams::StackSet {
            accounts: vec![DEV.into(), "333344445555".into(), DATA.into()],
            regions: vec!["us-east-1".into(), "us-west-2".into()],
            admin_role: Some(
                "arn:aws:iam::111122223333:role/AWSCloudFormationStackSetAdministrationRole".into()
            ),
            execution_role: Some("AWSCloudFormationStackSetExecutionRole".into()),
        })
    );
    let hub_ops = portfolio_id(&inv, "Hub Operations");
    let launch = inv
        .constraints_of(&hub_ops, None)
        .find(|c| c.kind == ConstraintKind::Launch)
        .unwrap();
    assert_eq!(
        launch.params,
        Some(ConstraintParams::Launch {
            role: LaunchRole::RoleArn("arn:aws:iam::111122223333:role/SCLaunchRole-HubOps".into())
        })
    );
    sandbox_down(w).await;
}

#[tokio::test]
async fn a_spoke_sees_imported_portfolios_products_and_inherited_constraints() {
    let w = world().await;
    let inv = scan(&reader(&w, "spoke-dev").await).await.unwrap();
    assert_eq!(inv.account, DEV);
    assert!(inv.problems.is_empty(), "{:?}", inv.problems);

    let origin = |name: &str| {
        inv.portfolios
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.origin.clone())
    };
    assert_eq!(origin("Dev Team Catalog"), Some(Origin::Local));
    let from_hub_by_org = Some(Origin::Imported {
        owner_account: HUB.into(),
        share_type: ShareType::Organization,
    });
    assert_eq!(origin("Platform Foundations"), from_hub_by_org);
    assert_eq!(origin("Application Services"), from_hub_by_org);
    // Shared with spoke-dev but not accepted: not imported.
    assert_eq!(origin("Data & Analytics"), None);
    // Local portfolios come first.
    assert!(inv.portfolios[0].origin.is_local());

    // Products: its own, and the hub's with their source account.
    let bastion = inv
        .products
        .iter()
        .find(|p| p.name == "Bastion Host")
        .unwrap();
    assert_eq!(bastion.origin, ProductOrigin::Local);
    let bucket = inv.products.iter().find(|p| p.name == "S3 Bucket").unwrap();
    assert_eq!(
        bucket.origin,
        ProductOrigin::Imported {
            owner_account: HUB.into()
        }
    );
    assert_eq!(bucket.owner, "Platform Engineering");
    assert_eq!(bucket.product_type, "CLOUD_FORMATION_TEMPLATE");
    let held_by: Vec<&str> = inv.portfolios_of(bucket).map(|p| p.name.as_str()).collect();
    assert_eq!(held_by, ["Dev Team Catalog", "Platform Foundations"]);
    let names: Vec<&str> = bucket.versions.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["v1.0", "v1.1", "v1.2", "v2.0"]);
    assert!(bucket.versions[0].deprecated);
    assert_eq!(bucket.latest_version().unwrap().name, "v2.0");
    let ecs = inv
        .products
        .iter()
        .find(|p| p.name == "ECS Fargate Service")
        .unwrap();
    assert!(!ecs.version(&ecs.versions[0].id).unwrap().active);
    assert!(inv.products.iter().all(|p| !p.versions.is_empty()));

    // Constraints: the hub's inherited, the spoke's own local.
    let dev_catalog = portfolio_id(&inv, "Dev Team Catalog");
    let foundations = portfolio_id(&inv, "Platform Foundations");
    assert!(
        inv.constraints_of(&dev_catalog, None)
            .all(|c| !c.inherited && c.owner == DEV)
    );
    assert!(
        inv.constraints_of(&foundations, None)
            .all(|c| c.inherited && c.owner == HUB)
    );
    let launch = |portfolio: &str| {
        inv.constraints_of(portfolio, Some(&bucket.id))
            .find(|c| c.kind == ConstraintKind::Launch)
            .and_then(|c| c.params.clone())
    };
    assert_eq!(
        launch(&dev_catalog),
        Some(ConstraintParams::Launch {
            role: LaunchRole::LocalRoleName("SCLaunchRole-Dev".into())
        })
    );
    assert_eq!(
        launch(&foundations),
        Some(ConstraintParams::Launch {
            role: LaunchRole::LocalRoleName("SCLaunchRole".into())
        })
    );
    let vpc = product_id(&inv, "VPC Baseline");
    let notification = inv
        .constraints_of(&foundations, Some(&vpc))
        .find(|c| c.kind == ConstraintKind::Notification)
        .unwrap();
    assert_eq!(
        notification.params,
        Some(ConstraintParams::Notification {
            topics: vec!["arn:aws:sns:us-east-1:111122223333:sc-network-changes".into()]
        })
    );
    let Some(ConstraintParams::Template { rules }) = inv
        .constraints_of(&foundations, Some(&vpc))
        .find(|c| c.kind == ConstraintKind::Template)
        .and_then(|c| c.params.clone())
    else {
        panic!("no template constraint on VPC Baseline");
    };
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].name, "ProdHasNatPerAz");
    assert_eq!(rules[0].condition.as_deref(), Some("Environment == 'prod'"));
    assert_eq!(rules[0].assertions[0].assert, "NatGateways == '2'");
    assert_eq!(
        rules[0].assertions[0].description.as_deref(),
        Some("Production VPCs need one NAT gateway per AZ")
    );
    let s3 = &bucket.id;
    let tag_update = inv
        .constraints_of(&foundations, Some(s3))
        .find(|c| c.kind == ConstraintKind::ResourceUpdate)
        .and_then(|c| c.params.clone());
    assert_eq!(
        tag_update,
        Some(ConstraintParams::ResourceUpdate {
            tag_update: "ALLOWED".into()
        })
    );

    // spoke-data imported Data & Analytics by accepting an account share.
    let data = scan(&reader(&w, "spoke-data").await).await.unwrap();
    let imported = data
        .portfolios
        .iter()
        .find(|p| p.name == "Data & Analytics")
        .unwrap();
    assert_eq!(
        imported.origin,
        Origin::Imported {
            owner_account: HUB.into(),
            share_type: ShareType::Account
        }
    );
    assert!(data.shares.is_empty(), "spoke-data shares nothing");
    sandbox_down(w).await;
}

#[tokio::test]
async fn drift_of_the_default_world() {
    let w = world().await;
    let dev = scan(&reader(&w, "spoke-dev").await).await.unwrap();
    assert_eq!(drift_of(&dev, "dev-vpc"), Drift::Current);
    assert_eq!(drift_of(&dev, "dev-alerts"), Drift::Behind(1));
    assert_eq!(drift_of(&dev, "dev-artifacts"), Drift::OnDeprecated);
    assert_eq!(drift_of(&dev, "dev-reporting-db"), Drift::OnDeprecated);
    assert_eq!(drift_of(&dev, "dev-legacy-portal"), Drift::OnInactive);
    // The update to the broken v1.2 failed and rolled back: still on v1.1.
    assert_eq!(drift_of(&dev, "dev-scratch-bucket"), Drift::Tainted);
    let scratch = dev
        .provisioned
        .iter()
        .find(|p| p.name == "dev-scratch-bucket")
        .unwrap();
    assert_eq!(scratch.version_name.as_deref(), Some("v1.1"));
    assert_ne!(
        scratch.last_provisioning_record_id,
        scratch.last_successful_record_id
    );
    assert!(scratch.stack_arn.as_deref().unwrap().contains(":stack/SC-"));
    // Its failed request was read: which version it tried, and why.
    let failed = &dev.failed_requests[&scratch.id];
    assert_eq!(failed.status, "FAILED");
    let s3 = dev.product(&scratch.product_id).unwrap();
    assert_eq!(
        failed
            .version_id
            .as_deref()
            .and_then(|v| s3.version(v))
            .map(|v| v.name.as_str()),
        Some("v1.2")
    );
    assert!(!failed.errors.is_empty(), "{failed:?}");
    // Only the products whose last request failed are asked.
    assert!(dev.failed_requests.keys().all(|id| drift_of(
        &dev,
        &dev.provisioned.iter().find(|p| &p.id == id).unwrap().name
    ) == Drift::Tainted));

    let summary = dev.drift_summary();
    assert_eq!(summary.total, dev.provisioned.len());
    assert!(summary.current > 0 && summary.behind > 0 && summary.tainted > 0);
    assert!(summary.on_deprecated > 0 && summary.on_inactive > 0);
    assert_eq!(summary.unknown, 0);
    assert!(
        summary
            .to_string()
            .starts_with(&format!("{} provisioned: ", dev.provisioned.len())),
        "{summary}"
    );

    let prod = scan(&reader(&w, "spoke-prod").await).await.unwrap();
    // v1.2 is broken but active and not deprecated: it counts as newer.
    assert_eq!(drift_of(&prod, "prod-audit-logs"), Drift::Behind(2));
    // An update in progress is not taint: judged by the version it runs.
    assert_eq!(drift_of(&prod, "prod-orders-db"), Drift::Behind(1));

    let data = scan(&reader(&w, "spoke-data").await).await.unwrap();
    // A failed launch (ERROR): the product does not run what was asked.
    assert_eq!(drift_of(&data, "data-export-bucket"), Drift::Tainted);
    assert_eq!(drift_of(&data, "metadata-db"), Drift::OnDeprecated);
    sandbox_down(w).await;
}

#[tokio::test]
async fn each_call_once_versions_once_per_product() {
    let w = world().await;
    for profile in ["hub", "spoke-dev", "spoke-prod", "spoke-data"] {
        let r = reader(&w, profile).await;
        let account = r.account().await.unwrap();
        let from = w.sandbox.calls().len();
        let log_from = r.call_log().last_seq();
        let inv = scan(&r).await.unwrap();
        let calls = calls_by_operation(&w, &account, from);
        eprintln!("{profile}: {calls:?}");

        let portfolios = inv.portfolios.len();
        let local = inv
            .portfolios
            .iter()
            .filter(|p| p.origin.is_local())
            .count();
        let expected: BTreeMap<String, usize> = [
            ("ListPortfolios", 1),
            ("ListAcceptedPortfolioShares", 2),
            ("DescribePortfolioShares", 4 * local),
            // The account-wide search, then one per portfolio (all fit a page).
            ("SearchProductsAsAdmin", 1 + portfolios),
            ("ListProvisioningArtifacts", inv.products.len()),
            // Who may launch from each portfolio; each local one's TagOptions.
            ("ListPrincipalsForPortfolio", portfolios),
            ("DescribePortfolio", local),
            ("ListPortfolioAccess", local),
            // Each product's TagOptions (its auto-update opt-in).
            ("DescribeProductAsAdmin", inv.products.len()),
            ("ListConstraintsForPortfolio", portfolios),
            ("DescribeConstraint", inv.constraints.len()),
            ("SearchProvisionedProducts", 1),
            // The failed request of each product whose last request failed.
            (
                "DescribeRecord",
                inv.provisioned
                    .iter()
                    .filter(|p| spoke::model::drift::is_tainted(p))
                    .count(),
            ),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(op, n)| (op.to_string(), n))
        .collect();
        // Exactly these: nothing fetched twice, no identity asked again.
        assert_eq!(calls, expected, "{profile}");
        if profile != "hub" {
            assert!(
                inv.provisioned.len() > inv.products.len(),
                "versions are read per product, not per provisioned product"
            );
        }

        // The interceptor saw the same calls, each once, all ok.
        let logged = r.call_log().since(log_from);
        let mut by_op: BTreeMap<String, usize> = BTreeMap::new();
        for e in &logged {
            *by_op.entry(e.operation.clone()).or_insert(0) += 1;
            assert_eq!(e.outcome, CallOutcome::Ok, "{e:?}");
            assert_eq!(e.attempts, 1);
            assert_eq!(e.profile, profile);
            assert_eq!(e.account.as_deref(), Some(account.as_str()));
            assert_eq!(e.region, "us-east-1");
            assert_eq!(e.service, "Service Catalog");
            // What each call was about, by the ids it named.
            match e.operation.as_str() {
                "ListConstraintsForPortfolio" | "DescribePortfolioShares" => assert!(
                    e.target
                        .as_deref()
                        .is_some_and(|t| t.starts_with("PortfolioId=port-")),
                    "{e:?}"
                ),
                "ListProvisioningArtifacts" => assert!(
                    e.target
                        .as_deref()
                        .is_some_and(|t| t.starts_with("ProductId=prod-")),
                    "{e:?}"
                ),
                "DescribeConstraint" | "DescribeRecord" => assert!(
                    e.target.as_deref().is_some_and(|t| t.starts_with("Id=")),
                    "{e:?}"
                ),
                _ => {}
            }
        }
        assert_eq!(by_op, expected, "{profile}: the call log");
    }
    sandbox_down(w).await;
}

#[tokio::test]
async fn sections_arrive_one_by_one() {
    let w = world().await;
    let r = reader(&w, "spoke-dev").await;
    let mut seen: Vec<(Section, usize, usize, bool)> = Vec::new();
    let inv = scan_with(&r, |section, partial| {
        let drift_known = partial
            .provisioned
            .iter()
            .all(|pp| partial.drift.contains_key(&pp.id));
        seen.push((
            section,
            partial.portfolios.len(),
            partial.products.len(),
            drift_known,
        ));
    })
    .await
    .unwrap();
    let mut sections: Vec<Section> = seen.iter().map(|s| s.0).collect();
    sections.sort();
    assert_eq!(
        sections,
        [
            Section::Portfolios,
            Section::Shares,
            Section::Products,
            Section::Versions,
            Section::Constraints,
            Section::Provisioned
        ]
    );
    // Portfolios come before what follows from them; products before versions.
    let at = |s: Section| seen.iter().position(|x| x.0 == s).unwrap();
    assert!(at(Section::Portfolios) < at(Section::Shares));
    assert!(at(Section::Portfolios) < at(Section::Constraints));
    assert!(at(Section::Products) <= at(Section::Versions));
    assert_eq!(seen[at(Section::Portfolios)].1, inv.portfolios.len());
    assert_eq!(seen[at(Section::Products)].2, inv.products.len());
    // Once both versions and provisioned products are in, drift is known.
    let last = at(Section::Versions).max(at(Section::Provisioned));
    assert!(seen[last].3);
    sandbox_down(w).await;
}

#[tokio::test]
async fn the_cache_keeps_the_inventory_and_no_credential() {
    let w = world().await;
    let r = reader(&w, "hub").await;
    let inv = scan(&r).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::at(dir.path().join("spoke"));
    let path = cache.save("hub", "us-east-1", &inv).unwrap();

    let text = std::fs::read_to_string(&path).unwrap();
    for p in w.sandbox.profiles() {
        assert!(!text.contains(&p.access_key_id), "access key in the cache");
        assert!(!text.contains(&p.secret_access_key), "secret in the cache");
    }
    assert!(!text.to_lowercase().contains("secret"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let cached = cache.load("hub", "us-east-1").unwrap().unwrap();
    assert_eq!(cached.inventory, inv);
    assert!(cached.age >= chrono::TimeDelta::zero());
    assert!(cached.age < chrono::TimeDelta::seconds(60));
    sandbox_down(w).await;
}

#[tokio::test]
async fn events_since_fetches_only_new_events_while_a_stack_moves() {
    // dev-artifacts runs S3 Bucket v1.0; its update to v2.0 creates a KMS key
    // (~32 s), a role (~14 s) and more: at 10x it moves for a few seconds.
    let w = world_with(10.0, Faults::default()).await;
    let r = reader(&w, "spoke-dev").await;
    let account = r.account().await.unwrap();
    let pp = r
        .list_provisioned()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "dev-artifacts")
        .unwrap();
    let stack = pp.stack_arn.clone().expect("a stack");
    let target = r
        .list_versions(&pp.product_id)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.name == "v2.0")
        .unwrap();

    let from = w.sandbox.calls().len();
    let mut watch = StackWatch::new(stack.clone());
    let history = r.events_since(&stack, None).await.unwrap();
    assert!(!history.is_empty());
    assert_eq!(watch.append(history.clone()), history.len());
    assert!(watch.is_settled(), "{:?}", watch.stack_status());
    let first_calls = calls_by_operation(&w, &account, from)["DescribeStackEvents"];

    fixtures::sc(&w.sandbox, "spoke-dev")
        .await
        .update_provisioned_product()
        .provisioned_product_id(&pp.id)
        .provisioning_artifact_id(&target.id)
        .update_token(uuid::Uuid::new_v4().to_string())
        .send()
        .await
        .expect("the update starts");

    let started = Instant::now();
    let mut polls = 0;
    let mut polls_with_news = 0;
    loop {
        assert!(started.elapsed() < Duration::from_secs(60), "never settled");
        let newest = watch.newest_event_id().map(str::to_string);
        let fresh = r.events_since(&stack, newest.as_deref()).await.unwrap();
        polls += 1;
        // Nothing already held comes back.
        assert_eq!(watch.append(fresh.clone()), fresh.len());
        if !fresh.is_empty() {
            polls_with_news += 1;
            assert!(fresh.windows(2).all(|p| p[0].timestamp <= p[1].timestamp));
        }
        if polls > 1 && watch.is_settled() {
            break;
        }
        // The poll interval of the events screen, shortened 10x like time.
        tokio::time::sleep(watch.poll_interval() / 10).await;
    }
    assert!(
        polls_with_news >= 3,
        "the stack was seen moving ({polls_with_news} of {polls} polls had news)"
    );
    // One page per poll: never read past the known event.
    let calls = calls_by_operation(&w, &account, from)["DescribeStackEvents"];
    assert_eq!(calls, first_calls + polls);

    let progress = watch.progress(chrono::Utc::now());
    assert_eq!(progress.stack_status.as_deref(), Some("UPDATE_COMPLETE"));
    assert_eq!((progress.in_progress, progress.failed), (0, 0));
    assert!(progress.complete >= 4, "{progress:?}");
    assert!(
        progress.elapsed > chrono::TimeDelta::seconds(30),
        "{progress:?}"
    );
    assert!(watch.last_operation()[0].is_stack());

    // What was gathered piecemeal is the whole history, in order.
    let all = r.events_since(&stack, None).await.unwrap();
    let ids = |es: &[spoke::model::StackEvent]| -> Vec<String> {
        es.iter().map(|e| e.event_id.clone()).collect()
    };
    assert_eq!(ids(watch.events()), ids(&all));
    sandbox_down(w).await;
}

#[tokio::test]
async fn expired_credentials_end_the_scan_and_are_logged() {
    let w = world_with(
        1.0,
        Faults {
            expired_accounts: vec!["spoke-dev".into()],
            ..Faults::default()
        },
    )
    .await;
    let r = reader(&w, "spoke-dev").await;
    let err = scan(&r).await.unwrap_err();
    assert!(matches!(err, AwsError::ExpiredCredentials { .. }), "{err}");
    let log = r.call_log().snapshot();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].operation, "GetCallerIdentity");
    assert_eq!(log[0].service, "STS");
    // STS speaks awsQuery: `ExpiredToken`, where JSON services say `ExpiredTokenException`.
    assert!(
        matches!(&log[0].outcome, CallOutcome::Error(code) if code.starts_with("ExpiredToken")),
        "{:?}",
        log[0]
    );
    assert_eq!(log[0].account, None);
    sandbox_down(w).await;
}

#[tokio::test]
async fn retried_calls_are_logged_with_their_attempts() {
    let w = world_with(
        1.0,
        Faults {
            throttle_rate: 1.0,
            ..Faults::default()
        },
    )
    .await;
    let r = reader(&w, "hub").await;
    let err = r.caller_identity().await.unwrap_err();
    assert!(matches!(err, AwsError::Throttled { .. }), "{err}");
    let log = r.call_log().snapshot();
    assert_eq!(log.len(), 1);
    assert!(log[0].attempts > 1, "{:?}", log[0]);
    assert!(log[0].result().contains("attempts"), "{}", log[0].result());
    assert!(matches!(&log[0].outcome, CallOutcome::Error(code) if code.starts_with("Throttl")));
    sandbox_down(w).await;
}

async fn sandbox_down(w: World) {
    w.sandbox.shutdown().await;
}

/// A hub and an account whose operator has only end-user rights.
const END_USER_WORLD: &str = r#"
[organization]
id = "o-a1b2c3d4e5"
management_account = "hub"

[[organization.ous]]
id = "ou-a1b2-k7x9q2m4"
name = "Workloads"
accounts = ["viewer"]

[[accounts]]
name = "hub"
id = "111122223333"

[[accounts]]
name = "viewer"
id = "555566667777"
end_user_only = true

[[products]]
account = "hub"
name = "S3 Bucket"
owner = "Platform"
created_ago = "10d"

[[products.versions]]
name = "v1.0"
created_ago = "9d"
resources = [{ id = "Bucket", type = "AWS::S3::Bucket", seconds = 3 }]

[[portfolios]]
account = "hub"
name = "Shared"
provider = "Platform"
products = ["S3 Bucket"]
shares = [{ organization = true }]

[[provisioned]]
account = "viewer"
name = "my-bucket"
product = "S3 Bucket"
portfolio = "Shared"
history = [{ version = "v1.0", ago = "5d" }]
"#;

#[tokio::test]
async fn an_end_user_gets_what_it_may_read_and_the_rest_as_problems() {
    let dir = tempfile::tempdir().unwrap();
    let world_file = dir.path().join("world.toml");
    std::fs::write(&world_file, END_USER_WORLD).unwrap();
    let w = fixtures::sandboxed_with(SandboxOptions {
        world: spoke::sandbox::WorldSource::File(world_file),
        ..SandboxOptions::default()
    })
    .await;
    let r = reader(&w, "viewer").await;
    let account = r.account().await.unwrap();
    let from = w.sandbox.calls().len();
    let inv = scan(&r).await.unwrap();

    let failed: Vec<Section> = inv.problems.iter().map(|p| p.section).collect();
    assert!(failed.contains(&Section::Portfolios), "{:?}", inv.problems);
    assert!(failed.contains(&Section::Products), "{:?}", inv.problems);
    assert!(
        inv.problems
            .iter()
            .all(|p| p.message.contains("is denied to this caller")),
        "{:?}",
        inv.problems
    );
    // Account-level search is denied: the caller's own provisioned products.
    assert_eq!(inv.provisioned.len(), 1);
    assert_eq!(inv.provisioned[0].name, "my-bucket");
    // Its versions come from DescribeProduct (ListProvisioningArtifacts is
    // an admin call): the drift is known.
    assert_eq!(inv.drift_of(&inv.provisioned[0].id), Drift::Current);
    assert!(
        !inv.products.is_empty(),
        "the end-user view of the products"
    );
    let calls = calls_by_operation(&w, &account, from);
    assert_eq!(calls["SearchProvisionedProducts"], 2, "{calls:?}");
    assert_eq!(calls["SearchProducts"], 1, "{calls:?}");
    assert_eq!(
        calls["DescribeProduct"],
        inv.products.len(),
        "one per product: {calls:?}"
    );
    sandbox_down(w).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_end_user_sees_what_its_policy_allows_and_is_told_what_it_cannot() {
    let w = world_with(
        1.0,
        Faults {
            end_user_read_only: vec!["spoke-dev".into()],
            ..Faults::default()
        },
    )
    .await;
    let admin = scan(&reader(&w, "spoke-dev").await).await;
    let inv = admin.expect("the scan completes with what it could read");
    // Imported portfolios still show; local ones are said to be hidden.
    assert!(!inv.portfolios.is_empty());
    assert!(inv.portfolios.iter().all(|p| !p.origin.is_local()));
    let said = |section: Section, text: &str| {
        inv.problems
            .iter()
            .any(|p| p.section == section && p.message.contains(text))
    };
    assert!(
        said(
            Section::Portfolios,
            "local portfolios and their shares are not shown"
        ),
        "{:#?}",
        inv.problems
    );
    assert!(
        said(Section::Portfolios, "ListPortfolios"),
        "{:#?}",
        inv.problems
    );
    // Products: the end-user view, with versions from DescribeProduct.
    assert!(!inv.products.is_empty());
    assert!(
        inv.products
            .iter()
            .all(|p| p.origin == ProductOrigin::Unknown && !p.versions.is_empty()),
        "{:#?}",
        inv.products
    );
    assert!(
        said(Section::Products, "SearchProducts"),
        "{:#?}",
        inv.problems
    );
    assert!(
        said(Section::Versions, "active ones only"),
        "{:#?}",
        inv.problems
    );
    // Provisioned: the caller's own, with drift computed.
    assert!(
        said(Section::Provisioned, "only the caller's own"),
        "{:#?}",
        inv.problems
    );
    assert!(!inv.provisioned.is_empty());
    assert!(
        inv.provisioned
            .iter()
            .all(|p| inv.drift.contains_key(&p.id))
    );
    // A denial is said once, not once per portfolio or product.
    let mut messages: Vec<&str> = inv.problems.iter().map(|p| p.message.as_str()).collect();
    let all = messages.len();
    messages.sort_unstable();
    messages.dedup();
    assert_eq!(messages.len(), all, "{:#?}", inv.problems);
    assert!(all <= 10, "{:#?}", inv.problems);
}
