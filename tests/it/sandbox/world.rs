//! The sandbox's worlds: the default world shows every case an operator meets,
//! generated worlds load at scale, and mistakes in world files name their place.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use chrono::{Duration, Utc};
use spoke::sandbox::generate::{Scale, generate, generate_with};
use spoke::sandbox::scenario::load;
use spoke::sandbox::world::{
    PpStatus, Product, ProvisionedProduct, ShareKind, Time, Version, World,
};

const DEFAULT: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/sandbox/default.toml"
));

fn default_world() -> (World, Time) {
    let now = Utc::now();
    let w = load("assets/sandbox/default.toml", DEFAULT, now).unwrap_or_else(|e| panic!("{e}"));
    (w, now)
}

fn account_id(w: &World, name: &str) -> String {
    w.accounts
        .values()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no account {name}"))
        .id
        .clone()
}

fn product_of<'w>(w: &'w World, pp: &ProvisionedProduct) -> &'w Product {
    &w.products[&pp.product_id]
}

fn version_of<'w>(w: &'w World, pp: &ProvisionedProduct) -> &'w Version {
    product_of(w, pp)
        .version(&pp.artifact_id)
        .expect("the version a provisioned product runs exists")
}

/// How a provisioned product stands against its product's versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Drift {
    Current,
    Behind(usize),
    OnDeprecated,
    OnInactive,
}

/// Latest = the newest active, non-deprecated version by creation time;
/// behind by n = n such versions are newer than the one it runs.
fn drift(w: &World, pp: &ProvisionedProduct) -> Drift {
    let v = version_of(w, pp);
    if !v.active {
        return Drift::OnInactive;
    }
    if v.guidance == "DEPRECATED" {
        return Drift::OnDeprecated;
    }
    let newer = product_of(w, pp)
        .versions
        .iter()
        .filter(|x| x.active && x.guidance != "DEPRECATED" && x.created > v.created)
        .count();
    if newer == 0 {
        Drift::Current
    } else {
        Drift::Behind(newer)
    }
}

fn by_name<'w>(w: &'w World, name: &str) -> &'w ProvisionedProduct {
    w.provisioned
        .values()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no provisioned product {name}"))
}

#[test]
fn the_default_world_is_an_organization_of_a_hub_and_spokes() {
    let (w, _) = default_world();
    assert!(w.accounts.len() >= 4, "{} accounts", w.accounts.len());
    let org = w.organization.as_ref().expect("an organization");
    assert!(org.id.starts_with("o-"));
    assert_eq!(org.management_account_id, account_id(&w, "hub"));
    assert!(org.ous.len() >= 2);
    for name in ["spoke-dev", "spoke-prod", "spoke-data"] {
        let id = account_id(&w, name);
        assert!(
            org.ous.iter().any(|ou| ou.account_ids.contains(&id)),
            "{name} is in an OU"
        );
    }
    for a in w.accounts.values() {
        assert_eq!(a.id.len(), 12);
        assert_eq!(a.region, "us-east-1");
        assert!(a.caller_arn.contains(&a.id), "{}", a.caller_arn);
    }
    assert!(w.products.len() >= 6);
    assert!(
        w.provisioned.len() >= 40,
        "{} provisioned products",
        w.provisioned.len()
    );
}

#[test]
fn the_default_world_shares_to_accounts_ous_and_the_organization() {
    let (w, _) = default_world();
    let hub = account_id(&w, "hub");
    let shares: Vec<_> = w
        .portfolios
        .values()
        .filter(|p| p.owner == hub)
        .flat_map(|p| p.shares.iter().map(move |s| (p, s)))
        .collect();
    let accepted = |p: &spoke::sandbox::world::Portfolio, account: &str| {
        w.accounts[account].accepted.contains(&p.id)
    };
    assert!(
        shares
            .iter()
            .any(|(p, s)| s.kind == ShareKind::Account && accepted(p, &s.principal)),
        "an accepted account share"
    );
    let pending: Vec<_> = shares
        .iter()
        .filter(|(p, s)| s.kind == ShareKind::Account && !accepted(p, &s.principal))
        .collect();
    assert!(!pending.is_empty(), "a pending account share");
    for (p, s) in &pending {
        assert_eq!(
            w.import_type(&s.principal, p),
            None,
            "a pending share is not imported"
        );
    }
    assert!(
        shares
            .iter()
            .any(|(_, s)| s.kind == ShareKind::OrganizationalUnit),
        "an OU share"
    );
    assert!(
        shares
            .iter()
            .any(|(_, s)| s.kind == ShareKind::Organization),
        "an organization share"
    );
    assert!(
        shares.iter().any(|(_, s)| s.share_tag_options),
        "TagOptions shared somewhere"
    );

    // every spoke imports something, and has a local portfolio of its own
    for name in ["spoke-dev", "spoke-prod", "spoke-data"] {
        let id = account_id(&w, name);
        let visible: Vec<_> = w.visible_portfolios(&id, "us-east-1").collect();
        assert!(
            visible.iter().any(|p| p.owner == hub),
            "{name} imports from the hub"
        );
        assert!(
            visible.iter().any(|p| p.owner == id),
            "{name} has a local portfolio"
        );
    }
    let kinds: BTreeSet<&str> = w
        .accounts
        .keys()
        .flat_map(|a| w.portfolios.values().filter_map(|p| w.import_type(a, p)))
        .collect();
    assert_eq!(kinds, BTreeSet::from(["AWS_ORGANIZATIONS", "IMPORTED"]));
}

#[test]
fn the_default_world_has_every_constraint_type_inherited_and_local_launch() {
    let (w, _) = default_world();
    let hub = account_id(&w, "hub");
    let imported_by_a_spoke = |portfolio_id: &str| {
        w.accounts
            .keys()
            .any(|a| w.import_type(a, &w.portfolios[portfolio_id]).is_some())
    };
    for t in [
        "LAUNCH",
        "NOTIFICATION",
        "RESOURCE_UPDATE",
        "STACKSET",
        "TEMPLATE",
    ] {
        assert!(
            w.constraints.values().any(|c| c.constraint_type == t
                && c.owner == hub
                && imported_by_a_spoke(&c.portfolio_id)),
            "an inherited {t} constraint"
        );
    }
    let local_launch = w
        .constraints
        .values()
        .filter(|c| c.constraint_type == "LAUNCH" && c.owner != hub)
        .filter(|c| w.products[&c.product_id].owner_account == hub)
        .count();
    assert!(
        local_launch >= 3,
        "spokes put their own LAUNCH constraint on imported products"
    );
    for c in w.constraints.values() {
        let v: serde_json::Value =
            serde_json::from_str(&c.parameters).expect("constraint parameters are JSON");
        match c.constraint_type.as_str() {
            "LAUNCH" => assert!(
                v.get("RoleArn").is_some() != v.get("LocalRoleName").is_some(),
                "{v}"
            ),
            "NOTIFICATION" => assert!(v["NotificationArns"].is_array(), "{v}"),
            "RESOURCE_UPDATE" => assert!(
                v["Properties"]["TagUpdateOnProvisionedProduct"].is_string(),
                "{v}"
            ),
            "STACKSET" => assert!(
                v["Properties"]["AccountList"].is_array()
                    && v["Properties"]["RegionList"].is_array(),
                "{v}"
            ),
            "TEMPLATE" => assert!(
                v["Rules"]
                    .as_object()
                    .is_some_and(|r| r.values().all(|r| r["Assertions"].is_array())),
                "{v}"
            ),
            other => panic!("unexpected constraint type {other}"),
        }
        // AWS refuses LAUNCH and STACKSET on the same product in a portfolio
        if c.constraint_type == "STACKSET" {
            assert!(
                !w.constraints.values().any(|o| o.constraint_type == "LAUNCH"
                    && o.portfolio_id == c.portfolio_id
                    && o.product_id == c.product_id)
            );
        }
    }
    // a local LAUNCH constraint decides the launch role of what a spoke launches through it
    let dev = by_name(&w, "dev-orders-api");
    assert_eq!(
        dev.launch_role_arn.as_deref(),
        Some(format!("arn:aws:iam::{}:role/SCLaunchRole-Dev", dev.account).as_str())
    );
}

#[test]
fn the_default_world_has_versions_of_every_kind() {
    let (w, _) = default_world();
    let versions: Vec<&Version> = w
        .products
        .values()
        .flat_map(|p| p.versions.iter())
        .collect();
    assert!(
        versions.iter().any(|v| v.guidance == "DEPRECATED"),
        "a deprecated version"
    );
    assert!(versions.iter().any(|v| !v.active), "an inactive version");
    for p in w.products.values() {
        assert!(
            p.versions.windows(2).all(|v| v[0].created < v[1].created),
            "{}: versions oldest first",
            p.name
        );
        assert!(
            p.created <= p.versions[0].created,
            "{}: the product predates its versions",
            p.name
        );
        // the broken version is active, and a newer active version fixed it
        for (i, v) in p.versions.iter().enumerate() {
            if v.fails_on.is_some() {
                assert!(v.active);
                assert!(
                    p.versions[i + 1..]
                        .iter()
                        .any(|n| n.active && n.fails_on.is_none() && n.guidance == "DEFAULT")
                );
            }
        }
    }
    assert!(
        versions.iter().any(|v| v.fails_on.is_some()),
        "a broken version"
    );
    assert!(
        versions
            .iter()
            .any(|v| v.template.parameters.iter().any(|p| p.no_echo)),
        "a NoEcho parameter"
    );
    let auto = w
        .tag_options
        .values()
        .find(|t| t.key == "AutoUpdateProvisionedProduct" && t.value == "true")
        .expect("the TagOption");
    assert!(
        w.products
            .values()
            .any(|p| p.tag_options.contains(&auto.id))
    );
}

#[test]
fn the_default_world_has_every_state_and_drift_an_operator_meets() {
    let (w, _) = default_world();
    let count = |s: PpStatus| w.provisioned.values().filter(|p| p.status == s).count();
    assert_eq!(count(PpStatus::Tainted), 1, "exactly one TAINTED");
    assert!(count(PpStatus::Error) >= 1);
    assert!(count(PpStatus::UnderChange) >= 1);

    let tainted = w
        .provisioned
        .values()
        .find(|p| p.status == PpStatus::Tainted)
        .unwrap();
    let last = &w.records[&tainted.last_record_id];
    let broken = product_of(&w, tainted).version(&last.artifact_id).unwrap();
    assert!(
        broken.fails_on.is_some(),
        "the TAINTED one's last step is on the broken version"
    );
    assert_eq!(last.record_type, "UPDATE_PROVISIONED_PRODUCT");
    assert_ne!(
        tainted.artifact_id, last.artifact_id,
        "it still runs the version before"
    );
    assert_eq!(
        w.stacks[&tainted.stack_id].status,
        "UPDATE_ROLLBACK_COMPLETE"
    );

    for e in w
        .provisioned
        .values()
        .filter(|p| p.status == PpStatus::Error)
    {
        assert_eq!(
            w.stacks[&e.stack_id].status, "ROLLBACK_COMPLETE",
            "{}",
            e.name
        );
        assert!(e.last_successful_record_id.is_none());
    }

    let busy = w
        .provisioned
        .values()
        .find(|p| p.status == PpStatus::UnderChange)
        .unwrap();
    let stack = &w.stacks[&busy.stack_id];
    assert!(
        w.moving.contains(&busy.stack_id),
        "{}: its stack still has events to come",
        busy.name
    );
    assert_eq!(stack.status, "UPDATE_IN_PROGRESS");

    let available: Vec<_> = w
        .provisioned
        .values()
        .filter(|p| p.status == PpStatus::Available)
        .collect();
    let drifts: Vec<Drift> = available.iter().map(|p| drift(&w, p)).collect();
    assert!(drifts.contains(&Drift::Current));
    assert!(drifts.contains(&Drift::Behind(1)));
    assert!(
        drifts
            .iter()
            .any(|d| matches!(d, Drift::Behind(n) if *n >= 2))
    );
    assert!(drifts.contains(&Drift::OnDeprecated));
    assert!(drifts.contains(&Drift::OnInactive));

    for p in &available {
        let s = &w.stacks[&p.stack_id];
        if p.name == "hub-billing-alerts" {
            // Planted for pp-stack-missing: deleted behind Service Catalog's back.
            assert_eq!(s.status, "DELETE_COMPLETE");
            continue;
        }
        assert!(
            matches!(s.status.as_str(), "CREATE_COMPLETE" | "UPDATE_COMPLETE"),
            "{}: {}",
            p.name,
            s.status
        );
        assert!(!s.events.is_empty());
        assert_eq!(
            s.events.last().unwrap().status,
            s.status,
            "{}: the newest event is the stack's own",
            p.name
        );
        assert!(
            s.events
                .windows(2)
                .all(|e| e[0].timestamp <= e[1].timestamp)
        );
        assert!(!w.moving.contains(&p.stack_id));
        let expected: BTreeSet<&str> = version_of(&w, p)
            .template
            .resources
            .iter()
            .map(|r| r.logical_id.as_str())
            .collect();
        let actual: BTreeSet<&str> = s.resources.keys().map(String::as_str).collect();
        assert_eq!(
            actual, expected,
            "{}: the stack holds the resources of its version",
            p.name
        );
    }
}

/// Every successful provisioned product's parameters fit the version it runs,
/// so an update with UsePreviousValue works from the console.
#[test]
fn the_default_world_parameters_fit_their_versions() {
    let (w, _) = default_world();
    for p in w
        .provisioned
        .values()
        .filter(|p| p.last_successful_record_id.is_some())
    {
        let params = &version_of(&w, p).template.parameters;
        for (k, v) in &p.parameters {
            let def = params
                .iter()
                .find(|d| d.key == *k)
                .unwrap_or_else(|| panic!("{}: {k} is not a parameter of its version", p.name));
            assert!(
                def.allowed_values.is_empty() || def.allowed_values.contains(v),
                "{}: {k}={v}",
                p.name
            );
        }
        for d in params.iter().filter(|d| d.default.is_none()) {
            assert!(
                p.parameters.contains_key(&d.key),
                "{}: {} has no value and no default",
                p.name,
                d.key
            );
        }
    }
}

#[test]
fn the_change_in_progress_keeps_moving_and_then_settles() {
    let (mut w, now) = default_world();
    let id = w
        .provisioned
        .values()
        .find(|p| p.status == PpStatus::UnderChange && p.name == "prod-orders-db")
        .unwrap()
        .id
        .clone();
    let stack_id = w.provisioned[&id].stack_id.clone();
    let before = w.stacks[&stack_id].events.len();
    w.advance(now + Duration::minutes(3));
    assert_eq!(
        w.provisioned[&id].status,
        PpStatus::UnderChange,
        "still under change minutes later"
    );
    assert!(w.moving.contains(&stack_id));
    w.advance(now + Duration::minutes(30));
    let after = w.stacks[&stack_id].events.len();
    assert!(
        after > before,
        "events arrive as time passes ({before} → {after})"
    );
    assert_eq!(w.provisioned[&id].status, PpStatus::Available);
    assert_eq!(w.stacks[&stack_id].status, "UPDATE_COMPLETE");
    // Only the stack planted as stuck (ci-build-agents, waiting 12 hours
    // for a signal) still moves.
    assert!(!w.moving.contains(&stack_id));
    let stuck: Vec<&str> = w
        .provisioned
        .values()
        .filter(|p| w.moving.contains(&p.stack_id))
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(stuck, ["ci-build-agents"]);
}

#[test]
fn the_default_world_is_the_same_on_every_load() {
    let now = Utc::now();
    let a = load("assets/sandbox/default.toml", DEFAULT, now).unwrap();
    let b = load("assets/sandbox/default.toml", DEFAULT, now).unwrap();
    let ids = |w: &World| {
        w.provisioned
            .values()
            .map(|p| (p.id.clone(), p.stack_id.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
}

// ---------------------------------------------------------------- generated worlds

fn load_generated(text: &str) -> World {
    load("generated world", text, Utc::now()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_generated_world_has_the_requested_counts_and_spread_drift() {
    let w = load_generated(&generate(4, 30, 60));
    assert_eq!(w.accounts.len(), 5, "a hub and four spokes");
    assert_eq!(w.products.len(), 30);
    assert_eq!(w.provisioned.len(), 4 * 60);
    let org = w.organization.as_ref().unwrap();
    for p in w.portfolios.values() {
        assert_eq!(p.owner, org.management_account_id);
        assert!(p.products.len() <= 50);
        assert!(p.shares.iter().any(|s| s.kind == ShareKind::Organization));
    }
    for p in w.products.values() {
        assert!((3..=4).contains(&p.versions.len()), "{}", p.name);
    }
    let mut spread: BTreeMap<String, usize> = BTreeMap::new();
    for p in w.provisioned.values() {
        assert_eq!(p.status, PpStatus::Available, "{}", p.name);
        let key = match drift(&w, p) {
            Drift::Behind(n) if n >= 2 => "behind 2+".to_string(),
            d => format!("{d:?}"),
        };
        *spread.entry(key).or_default() += 1;
    }
    let total = w.provisioned.len() as f64;
    let share = |k: &str| spread.get(k).copied().unwrap_or(0) as f64 / total;
    assert!((0.35..0.65).contains(&share("Current")), "{spread:?}");
    assert!(share("Behind(1)") > 0.1, "{spread:?}");
    assert!(share("behind 2+") > 0.05, "{spread:?}");
    assert!(share("OnDeprecated") > 0.0, "{spread:?}");
    assert!(w.moving.is_empty());
    // histories with updates
    let updated = w
        .records
        .values()
        .filter(|r| r.record_type == "UPDATE_PROVISIONED_PRODUCT")
        .count();
    assert!(updated > w.provisioned.len() / 5, "{updated} updates");
}

#[test]
fn generated_products_can_spread_over_fifty_portfolios() {
    let w = load_generated(&generate_with(&Scale::new(1, 300, 200).with_portfolios(50)));
    let hub_portfolios = w.portfolios.len();
    assert_eq!(hub_portfolios, 50);
    assert!(w.portfolios.values().all(|p| p.products.len() == 6));
    assert_eq!(w.provisioned.len(), 200);
}

#[test]
fn generated_worlds_load_fast_at_scale() {
    for (accounts, products, per) in [(100, 300, 100), (1, 300, 2000)] {
        let t = Instant::now();
        let text = generate(accounts, products, per);
        let generated = t.elapsed();
        let w = load_generated(&text);
        let total = t.elapsed();
        eprintln!(
            "generate({accounts}, {products}, {per}): {} KiB in {generated:?}, loaded in {:?}",
            text.len() / 1024,
            total - generated
        );
        assert_eq!(w.accounts.len(), accounts + 1);
        assert_eq!(w.products.len(), products);
        assert_eq!(w.provisioned.len(), accounts * per);
        // generous: a debug build on a busy machine; a quadratic slip takes minutes
        assert!(total < std::time::Duration::from_secs(30), "{total:?}");
    }
}

#[test]
fn a_generated_world_of_one_spoke_and_nothing_else_loads() {
    let w = load_generated(&generate(1, 0, 10));
    assert_eq!(w.accounts.len(), 2);
    assert!(w.provisioned.is_empty());
}

// ---------------------------------------------------------------- mistakes in world files

const SMALL: &str = r#"[[accounts]]
name = "hub"
id = "111111111111"

[[products]]
account = "hub"
name = "Bucket"
owner = "Platform"

[[products.versions]]
name = "v1"
created_ago = "30d"
resources = [{ id = "Bucket", type = "AWS::S3::Bucket" }]

[[portfolios]]
account = "hub"
name = "Core"
provider = "Platform"
products = ["Bucket"]

[[provisioned]]
account = "hub"
name = "logs"
product = "Bucket"
history = [{ version = "v1", ago = "20d" }]
"#;

/// Loads `SMALL` with `from` replaced by `to`; returns the error and the line `to` is on.
fn mistake(from: &str, to: &str) -> (spoke::sandbox::scenario::WorldError, usize) {
    assert!(SMALL.contains(from), "{from}");
    let text = SMALL.replacen(from, to, 1);
    let line = text[..text.find(to).unwrap()].matches('\n').count() + 1;
    let e = load("bad.toml", &text, Utc::now()).expect_err("a mistake");
    (e, line)
}

#[test]
fn the_small_world_loads() {
    let w = load("bad.toml", SMALL, Utc::now()).unwrap();
    assert_eq!(w.provisioned.len(), 1);
}

#[test]
fn a_typo_in_a_key_names_file_line_column_and_field() {
    let (e, line) = mistake("created_ago = \"30d\"", "created_agoo = \"30d\"");
    assert_eq!(e.line, line, "{e}");
    assert!(e.message.contains("created_agoo"), "{e}");
    assert!(
        e.to_string()
            .starts_with(&format!("bad.toml:{line}:{}: ", e.column)),
        "{e}"
    );
    assert!(e.column >= 1);
}

#[test]
fn a_bad_version_in_a_history_names_it() {
    let (e, line) = mistake("version = \"v1\"", "version = \"v9\"");
    assert_eq!(e.line, line, "{e}");
    assert!(
        e.message.contains("no version `v9`") && e.message.contains("Bucket"),
        "{e}"
    );
    assert_eq!(e.column, "history = [{ version = ".len() + 1, "{e}");
}

#[test]
fn a_bad_age_names_it() {
    let (e, line) = mistake("ago = \"20d\"", "ago = \"3 weeks\"");
    assert_eq!(e.line, line, "{e}");
    assert!(e.message.contains("invalid age `3 weeks`"), "{e}");
    let (e, _) = mistake("created_ago = \"30d\"", "created_ago = \"soon\"");
    assert!(e.message.contains("invalid age `soon`"), "{e}");
}

#[test]
fn a_history_going_back_in_time_names_the_step() {
    let (e, line) = mistake(
        "history = [{ version = \"v1\", ago = \"20d\" }]",
        "history = [{ version = \"v1\", ago = \"20d\" }, { version = \"v1\", ago = \"25d\" }]",
    );
    assert_eq!(e.line, line, "{e}");
    assert!(e.message.contains("forward in time"), "{e}");
}

#[test]
fn an_unknown_product_in_a_portfolio_names_it() {
    let (e, line) = mistake("products = [\"Bucket\"]", "products = [\"Buckett\"]");
    assert_eq!(e.line, line, "{e}");
    assert!(e.message.contains("unknown product `Buckett`"), "{e}");
}
