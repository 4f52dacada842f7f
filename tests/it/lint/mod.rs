//! Hygiene findings, headless (`spoke lint`): each rule fires on the case
//! the default world plants for it (marked `# LINT rule-id` in
//! assets/sandbox/default.toml) and on nothing else; SARIF validates
//! against its schema; `--fail-on` and `[lint]` in the config.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::fixtures::headless::{Env, Run};

mod shares;

/// The SARIF 2.1.0 schema, vendored from
/// github.com/oasis-tcs/sarif-spec, sarif-2.1/schema/sarif-schema-2.1.0.json
/// (commit e0583813964ec43cea53b6b531b402866095ed1f; the OASIS errata01 schema).
const SARIF_SCHEMA: &str = include_str!("sarif-schema-2.1.0.json");

const FLEET: &str = "hub,spoke-dev,spoke-prod,spoke-data";

async fn lint(env: &Env, extra: &[&str]) -> Run {
    let mut args = vec!["--profiles", FLEET, "lint"];
    args.extend_from_slice(extra);
    env.spoke(&args).await
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{run}"))
}

/// By rule: the (profile, entity name) of each finding.
fn fired(report: &Value) -> BTreeMap<String, BTreeSet<(String, String)>> {
    let mut out: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for f in report["findings"].as_array().expect("findings") {
        out.entry(f["rule"].as_str().unwrap().to_string())
            .or_default()
            .insert((
                f["label"].as_str().unwrap().to_string(),
                f["entity"]["name"].as_str().unwrap().to_string(),
            ));
    }
    out
}

/// Runs the fleet's lint on the default world and checks that `rule`
/// finds exactly `expected` (profile, entity name), read only.
async fn fires_on(rule: &str, expected: &[(&str, &str)]) {
    let env = Env::start(1.0).await;
    let run = lint(&env, &["--format", "json"]).await;
    run.expect(0);
    let report = json(&run);
    assert_eq!(report["schema_version"], 1);
    assert!(
        report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == rule),
        "{rule} did not run"
    );
    let got = fired(&report).remove(rule).unwrap_or_default();
    let want: BTreeSet<(String, String)> = expected
        .iter()
        .map(|(a, e)| (a.to_string(), e.to_string()))
        .collect();
    assert_eq!(got, want, "what {rule} found");
    // Nothing it found went unexplained.
    for f in report["findings"].as_array().unwrap() {
        assert!(
            !f["why"].as_str().unwrap_or("").is_empty()
                && !f["fix_text"].as_str().unwrap_or("").is_empty()
        );
    }
    assert_eq!(
        env.mutations_since(0),
        Vec::<String>::new(),
        "lint only reads"
    );
}

#[tokio::test]
async fn share_not_accepted_fires_on_the_pending_share() {
    fires_on(
        "share-not-accepted",
        &[("hub", "Data & Analytics → spoke-dev (222233334444)")],
    )
    .await;
}

#[tokio::test]
async fn org_share_failed_fires_on_nothing_without_a_journal() {
    // Its planted case is in the journal `spoke --sandbox` seeds (shares.rs).
    fires_on("org-share-failed", &[]).await;
}

#[tokio::test]
async fn imported_no_launch_constraint_fires_on_the_unconstrained_import() {
    fires_on(
        "imported-no-launch-constraint",
        &[("spoke-data", "DynamoDB Table")],
    )
    .await;
}

#[tokio::test]
async fn portfolio_no_principals_fires_on_hub_operations() {
    fires_on("portfolio-no-principals", &[("hub", "Hub Operations")]).await;
}

#[tokio::test]
async fn launch_role_missing_fires_on_the_deleted_role() {
    fires_on(
        "launch-role-missing",
        &[(
            "spoke-prod",
            "LAUNCH SCLaunchRole-Network on VPC Baseline in Platform Foundations",
        )],
    )
    .await;
}

#[tokio::test]
async fn product_no_launchable_version_fires_on_the_retired_product() {
    fires_on(
        "product-no-launchable-version",
        &[("hub", "Jenkins Controller")],
    )
    .await;
}

#[tokio::test]
async fn template_rule_unknown_parameter_fires_on_the_stale_rule() {
    fires_on(
        "template-rule-unknown-parameter",
        &[(
            "spoke-prod",
            "TEMPLATE rule ProdBucketsUseKms on S3 Bucket in Prod Approved Products",
        )],
    )
    .await;
}

#[tokio::test]
async fn version_unused_fires_on_the_old_unused_versions() {
    fires_on(
        "version-unused",
        &[
            ("hub", "Security Baseline v1.0"),
            ("hub", "VPC Baseline v1.0"),
            ("hub", "VPC Baseline v1.1"),
        ],
    )
    .await;
}

#[tokio::test]
async fn pp_outdated_version_fires_on_deprecated_and_inactive() {
    fires_on(
        "pp-outdated-version",
        &[
            ("spoke-dev", "dev-artifacts"),
            ("spoke-dev", "dev-legacy-portal"),
            ("spoke-dev", "dev-reporting-db"),
            ("spoke-data", "metadata-db"),
        ],
    )
    .await;
}

#[tokio::test]
async fn pp_failed_fires_on_tainted_and_error() {
    fires_on(
        "pp-failed",
        &[
            ("spoke-dev", "dev-scratch-bucket"),
            ("spoke-data", "data-export-bucket"),
        ],
    )
    .await;
}

#[tokio::test]
async fn pp_stuck_fires_on_the_long_update_only() {
    // prod-orders-db is UNDER_CHANGE too, for seconds: not stuck.
    fires_on("pp-stuck", &[("hub", "ci-build-agents")]).await;
}

#[tokio::test]
async fn pp_stack_missing_fires_on_the_deleted_stack() {
    fires_on("pp-stack-missing", &[("hub", "hub-billing-alerts")]).await;
}

#[tokio::test]
async fn product_not_opted_in_fires_on_products_left_behind() {
    fires_on(
        "product-not-opted-in",
        &[
            ("hub", "Athena Workgroup"),
            ("hub", "DynamoDB Table"),
            ("hub", "ECS Fargate Service"),
            ("hub", "IAM Workload Role"),
            ("hub", "RDS PostgreSQL"),
            ("hub", "VPC Baseline"),
            ("spoke-dev", "Bastion Host"),
        ],
    )
    .await;
}

#[tokio::test]
async fn sarif_validates_against_the_schema() {
    let env = Env::start(1.0).await;
    let run = lint(&env, &["--format", "sarif"]).await;
    run.expect(0);
    let log = json(&run);
    let schema: Value = serde_json::from_str(SARIF_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF not valid:\n{}", errors.join("\n"));
    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), spoke::ops::lint::RULES.len());
    assert!(rules.iter().all(|r| {
        r["help"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("Fix:"))
    }));
    let results = run0["results"].as_array().unwrap();
    let report = json(&lint(&env, &["--format", "json"]).await);
    assert_eq!(results.len(), report["findings"].as_array().unwrap().len());
    let stuck = results
        .iter()
        .find(|r| r["ruleId"] == "pp-stuck")
        .expect("pp-stuck result");
    assert_eq!(stuck["level"], "error");
    let at = &stuck["locations"][0]["logicalLocations"][0];
    assert_eq!(at["name"], "ci-build-agents");
    assert!(
        at["fullyQualifiedName"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:servicecatalog:")
    );
}

#[tokio::test]
async fn fail_on_sets_the_exit_code() {
    let env = Env::start(1.0).await;
    lint(&env, &["--fail-on", "error"])
        .await
        .expect(5)
        .complains("finding(s) at error or above");
    lint(&env, &["--fail-on", "warning"]).await.expect(5);
    // With every error and warning rule switched off, nothing is that severe.
    let off: Vec<String> = spoke::ops::lint::RULES
        .iter()
        .filter(|r| r.severity != spoke::ops::lint::Severity::Note)
        .map(|r| format!("\"{}\"", r.id))
        .collect();
    let config = env.dir.path().join("quiet.toml");
    std::fs::write(
        &config,
        format!("[lint]\ndisabled = [{}]\n", off.join(", ")),
    )
    .unwrap();
    let path = config.to_str().unwrap();
    let run = env
        .spoke(&[
            "--config",
            path,
            "--profiles",
            FLEET,
            "lint",
            "--fail-on",
            "warning",
        ])
        .await;
    run.expect(0).says("note");
    assert!(!run.stdout.contains("error "), "{run}");
}

#[tokio::test]
async fn config_switches_rules_and_thresholds() {
    let env = Env::start(1.0).await;
    let config = env.dir.path().join("lint.toml");
    std::fs::write(
        &config,
        "[lint]\ndisabled = [\"version-unused\"]\nunder_change_hours = 12\n",
    )
    .unwrap();
    let path = config.to_str().unwrap();
    let run = env
        .spoke(&[
            "--config",
            path,
            "--profiles",
            FLEET,
            "lint",
            "--format",
            "json",
        ])
        .await;
    run.expect(0);
    let report = json(&run);
    let fired = fired(&report);
    assert!(
        !report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "version-unused")
    );
    assert!(!fired.contains_key("version-unused"));
    assert!(!fired.contains_key("pp-stuck"), "6 hours is under 12");
    assert!(fired.contains_key("pp-failed"));
    // A switch that names no rule is refused before any call.
    std::fs::write(&config, "[lint]\ndisabled = [\"no-such-rule\"]\n").unwrap();
    let before = env.call_count();
    env.spoke(&["--config", path, "--profiles", FLEET, "lint"])
        .await
        .expect(2)
        .complains("`no-such-rule` is not a rule");
    assert_eq!(env.call_count(), before);
}
