//! The sandbox's writes and identity, driven by the real AWS SDK clients:
//! AssociateProductWithPortfolio, CreateConstraint, provisioned product plans,
//! Organizations' ListAccounts and STS AssumeRole with the temporary
//! credentials it issues, with their error paths and the call log.

use crate::fixtures;

use std::time::{Duration, Instant};

use aws_sdk_organizations::types::{AccountJoinedMethod, AccountStatus};
use aws_sdk_servicecatalog::types::{
    AccessLevelFilter, AccessLevelFilterKey, ChangeAction, EvaluationType,
    ProvisionedProductPlanStatus, ProvisionedProductPlanType, RecordStatus, Replacement,
    RequiresRecreation, ResourceAttribute, ResourceChange, Status, Tag,
    UpdateProvisioningParameter,
};
use fixtures::*;
use spoke::sandbox::world::World;
use spoke::sandbox::{Faults, Sandbox, SandboxOptions};

// ---------------------------------------------------------------- helpers

fn portfolio_id(sb: &Sandbox, owner: &str, name: &str) -> String {
    let owner = account_id(sb, owner);
    sb.with_world(|w: &mut World| {
        w.portfolios
            .values()
            .find(|p| p.owner == owner && p.name == name)
            .map(|p| p.id.clone())
    })
    .unwrap_or_else(|| panic!("no portfolio {name}"))
}

fn product_id(sb: &Sandbox, name: &str) -> String {
    sb.with_world(|w| {
        w.products
            .values()
            .find(|p| p.name == name)
            .map(|p| p.id.clone())
    })
    .unwrap_or_else(|| panic!("no product {name}"))
}

fn version_id(sb: &Sandbox, product: &str, version: &str) -> String {
    sb.with_world(|w| {
        w.products
            .values()
            .find(|p| p.name == product)
            .and_then(|p| p.versions.iter().find(|v| v.name == version))
            .map(|v| v.id.clone())
    })
    .unwrap_or_else(|| panic!("no version {version} of {product}"))
}

/// (id, stack id) of a provisioned product.
fn provisioned(sb: &Sandbox, name: &str) -> (String, String) {
    sb.with_world(|w| {
        w.provisioned
            .values()
            .find(|p| p.name == name)
            .map(|p| (p.id.clone(), p.stack_id.clone()))
    })
    .unwrap_or_else(|| panic!("no provisioned product {name}"))
}

fn path_of(portfolio_id: &str) -> String {
    spoke::sandbox::world::launch_path_id(portfolio_id)
}

/// Polls `check` until it answers Some, for at most `limit`.
async fn eventually<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// UsePreviousValue for each key.
fn previous(keys: &[&str]) -> Option<Vec<UpdateProvisioningParameter>> {
    Some(
        keys.iter()
            .map(|k| {
                UpdateProvisioningParameter::builder()
                    .key(*k)
                    .use_previous_value(true)
                    .build()
            })
            .collect(),
    )
}

fn message<E: aws_smithy_types::error::metadata::ProvideErrorMetadata, R>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> String {
    e.as_service_error()
        .and_then(|s| s.message())
        .unwrap_or_default()
        .to_string()
}

fn account_filter() -> AccessLevelFilter {
    AccessLevelFilter::builder()
        .key(AccessLevelFilterKey::Account)
        .value("self")
        .build()
}

fn change<'c>(changes: &'c [ResourceChange], logical: &str) -> &'c ResourceChange {
    changes
        .iter()
        .find(|c| c.logical_resource_id() == Some(logical))
        .unwrap_or_else(|| panic!("no change of {logical}: {changes:?}"))
}

/// A world for identity and end-user tests: a hub managing an organization of
/// a dev account, a data account (delegated administrator, with its own
/// role), a suspended account; an account outside the organization; end users.
pub(super) const IDENTITY_WORLD: &str = r#"
[organization]
id = "o-z9y8x7w6v5"
management_account = "hub"
delegated_administrators = ["data"]

[[organization.ous]]
id = "ou-z9y8-aaaa1111"
name = "Workloads"
accounts = ["dev", "data", "old", "viewer", "builder"]

[[accounts]]
name = "hub"
id = "111111111111"
email = "aws-root@example.com"
caller = "user/platform-admin"

[[accounts]]
name = "dev"
id = "222222222222"
joined = "INVITED"
joined_ago = "30d"

[[accounts]]
name = "data"
id = "333333333333"

[[accounts.roles]]
name = "Auditor"
trusted = ["dev"]
max_session_seconds = 7200

[[accounts]]
name = "old"
id = "444444444444"
status = "SUSPENDED"

[[accounts]]
name = "outsider"
id = "555555555555"
in_organization = false

[[accounts]]
name = "viewer"
id = "666666666666"
end_user_only = true

[[accounts]]
name = "builder"
id = "777777777777"
end_user_full_access = true

[[products]]
account = "hub"
name = "Queue"
owner = "Platform"
created_ago = "10d"

[[products.versions]]
name = "v1"
created_ago = "9d"
resources = [{ id = "Queue", type = "AWS::SQS::Queue", seconds = 2 }]

[[products.versions]]
name = "v2"
created_ago = "2d"
resources = [
  { id = "Queue", type = "AWS::SQS::Queue", seconds = 2, replacement = "TRUE", properties = ["FifoQueue"] },
  { id = "DeadLetters", type = "AWS::SQS::Queue", seconds = 2 },
]

[[portfolios]]
account = "hub"
name = "Shared"
provider = "Platform"
products = ["Queue"]
shares = [{ organization = true }]

[[portfolios.constraints]]
product = "Queue"
type = "LAUNCH"
parameters = { LocalRoleName = "SCLaunchRole" }

[[portfolios]]
account = "builder"
name = "Builder Local"
provider = "Builder"

[[provisioned]]
account = "builder"
name = "builder-queue"
product = "Queue"
portfolio = "Shared"
history = [{ version = "v1", ago = "1d" }]

[[provisioned]]
account = "viewer"
name = "viewer-queue"
product = "Queue"
portfolio = "Shared"
history = [{ version = "v1", ago = "1d" }]
"#;

// ---------------------------------------------------------------- AssociateProductWithPortfolio

#[tokio::test]
async fn a_product_associated_with_a_portfolio_is_seen_through_it() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let ops = portfolio_id(&sb, "hub", "Hub Operations");
    let bucket = product_id(&sb, "S3 Bucket");
    for _ in 0..2 {
        // the second time is a no-op that succeeds
        hub.associate_product_with_portfolio()
            .product_id(&bucket)
            .portfolio_id(&ops)
            .send()
            .await
            .expect("AssociateProductWithPortfolio");
    }
    let in_portfolio = hub
        .search_products_as_admin()
        .portfolio_id(&ops)
        .send()
        .await
        .unwrap();
    let ids: Vec<_> = in_portfolio
        .product_view_details()
        .iter()
        .filter_map(|d| d.product_view_summary().and_then(|s| s.product_id()))
        .collect();
    assert_eq!(ids.iter().filter(|id| **id == bucket).count(), 1, "{ids:?}");
    let portfolios = hub
        .list_portfolios_for_product()
        .product_id(&bucket)
        .send()
        .await
        .unwrap();
    assert!(
        portfolios
            .portfolio_details()
            .iter()
            .any(|p| p.id() == Some(ops.as_str()))
    );
    let paths = hub
        .list_launch_paths()
        .product_id(&bucket)
        .send()
        .await
        .unwrap();
    assert!(
        paths
            .launch_path_summaries()
            .iter()
            .any(|p| p.id() == Some(path_of(&ops).as_str()) && p.name() == Some("Hub Operations"))
    );
}

#[tokio::test]
async fn a_spoke_adds_an_imported_product_to_its_local_portfolio() {
    let sb = sandbox(1.0).await;
    let dev = sc(&sb, "spoke-dev").await;
    let local = portfolio_id(&sb, "spoke-dev", "Dev Team Catalog");
    let app_services = portfolio_id(&sb, "hub", "Application Services");
    let rds = product_id(&sb, "RDS PostgreSQL");
    dev.associate_product_with_portfolio()
        .product_id(&rds)
        .portfolio_id(&local)
        .source_portfolio_id(&app_services)
        .send()
        .await
        .expect("from an imported portfolio");
    let paths = dev
        .list_launch_paths()
        .product_id(&rds)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = paths
        .launch_path_summaries()
        .iter()
        .filter_map(|p| p.name())
        .collect();
    assert!(names.contains(&"Dev Team Catalog"), "{names:?}");
    assert!(names.contains(&"Application Services"), "{names:?}");
    // without a source portfolio, an imported product is found through the imports
    let platform = portfolio_id(&sb, "hub", "Platform Foundations");
    let vpc = product_id(&sb, "VPC Baseline");
    dev.associate_product_with_portfolio()
        .product_id(&vpc)
        .portfolio_id(&local)
        .send()
        .await
        .expect("an imported product without SourcePortfolioId");
    let e = dev
        .associate_product_with_portfolio()
        .product_id(&vpc)
        .portfolio_id(&local)
        .source_portfolio_id(&app_services)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&e),
        "InvalidParametersException",
        "not in that portfolio"
    );
    dev.associate_product_with_portfolio()
        .product_id(&vpc)
        .portfolio_id(&local)
        .source_portfolio_id(&platform)
        .send()
        .await
        .expect("again, from the portfolio that holds it: a no-op");
}

#[tokio::test]
async fn associating_follows_aws_rules_on_portfolios_and_products() {
    let sb = sandbox(1.0).await;
    let dev = sc(&sb, "spoke-dev").await;
    let local = portfolio_id(&sb, "spoke-dev", "Dev Team Catalog");
    let hub_ops = portfolio_id(&sb, "hub", "Hub Operations");
    let data_analytics = portfolio_id(&sb, "hub", "Data & Analytics");
    let athena = product_id(&sb, "Athena Workgroup");
    let bucket = product_id(&sb, "S3 Bucket");
    let bastion = product_id(&sb, "Bastion Host");
    let assoc = |product: &str, portfolio: &str, source: Option<&str>| {
        dev.associate_product_with_portfolio()
            .product_id(product)
            .portfolio_id(portfolio)
            .set_source_portfolio_id(source.map(str::to_string))
            .send()
    };
    // the portfolio must be the caller's own
    let e = assoc(&bucket, &hub_ops, None).await.unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    // an unknown product
    let e = assoc("prod-doesnotexist12", &local, None)
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    // an account share not accepted yet
    let e = assoc(&athena, &local, Some(&data_analytics))
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    assert!(message(&e).contains("must be accepted"), "{e:?}");
    // nor is the product reachable without it
    let e = assoc(&athena, &local, None).await.unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    // a portfolio the caller did not import as the source
    let e = assoc(&bucket, &local, Some(&hub_ops)).await.unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    // its own portfolio is not an imported one
    let e = assoc(&bucket, &local, Some(&local)).await.unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    // another account's own product, never shared
    let prod = sc(&sb, "spoke-prod").await;
    let prod_local = portfolio_id(&sb, "spoke-prod", "Prod Approved Products");
    let e = prod
        .associate_product_with_portfolio()
        .product_id(&bastion)
        .portfolio_id(&prod_local)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    // the request layer checks ids
    let e = assoc("prod with spaces", &local, None).await.unwrap_err();
    assert_eq!(code(&e), "ValidationException");
}

// ---------------------------------------------------------------- CreateConstraint

#[tokio::test]
async fn every_constraint_type_is_created_and_listed() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let ops = portfolio_id(&sb, "hub", "Hub Operations");
    let security = product_id(&sb, "Security Baseline");
    let dynamo = product_id(&sb, "DynamoDB Table");
    for p in [&security, &dynamo] {
        hub.associate_product_with_portfolio()
            .product_id(p)
            .portfolio_id(&ops)
            .send()
            .await
            .unwrap();
    }
    let cases = [
        (
            &dynamo,
            "LAUNCH",
            r#"{"RoleArn":"arn:aws:iam::111122223333:role/SCLaunchRole-HubOps"}"#,
        ),
        (
            &dynamo,
            "NOTIFICATION",
            r#"{"NotificationArns":["arn:aws:sns:us-east-1:111122223333:hub-ops"]}"#,
        ),
        (
            &dynamo,
            "RESOURCE_UPDATE",
            r#"{"Version":"2.0","Properties":{"TagUpdateOnProvisionedProduct":"ALLOWED"}}"#,
        ),
        (
            &security,
            "STACKSET",
            r#"{"Version":"String","Properties":{"AccountList":["111122223333"],"RegionList":["us-east-1"],"AdminRole":"arn:aws:iam::111122223333:role/AWSCloudFormationStackSetAdministrationRole","ExecutionRole":"AWSCloudFormationStackSetExecutionRole"}}"#,
        ),
        (
            &dynamo,
            "TEMPLATE",
            r#"{"Rules":{"OnDemand":{"Assertions":[{"Assert":{"Fn::Contains":[["PAY_PER_REQUEST"],{"Ref":"BillingMode"}]},"AssertDescription":"On-demand only"}]}}}"#,
        ),
    ];
    let mut ids = Vec::new();
    for (product, ctype, params) in cases {
        let out = hub
            .create_constraint()
            .portfolio_id(&ops)
            .product_id(product)
            .r#type(ctype)
            .parameters(params)
            .description(format!("a {ctype} constraint"))
            .idempotency_token(format!("tok-{}", ctype.to_lowercase().replace('_', "-")))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{ctype}: {e:?}"));
        let d = out.constraint_detail().expect("ConstraintDetail");
        assert_eq!(d.r#type(), Some(ctype));
        assert_eq!(d.owner(), Some("111122223333"));
        assert_eq!(d.portfolio_id(), Some(ops.as_str()));
        assert_eq!(d.product_id(), Some(product.as_str()));
        assert!(d.constraint_id().unwrap().starts_with("cons-"));
        assert_eq!(out.status(), Some(&Status::Creating));
        let stored: serde_json::Value =
            serde_json::from_str(out.constraint_parameters().unwrap()).unwrap();
        assert_eq!(
            stored,
            serde_json::from_str::<serde_json::Value>(params).unwrap()
        );
        ids.push(d.constraint_id().unwrap().to_string());
    }
    let listed = hub
        .list_constraints_for_portfolio()
        .portfolio_id(&ops)
        .product_id(&dynamo)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.constraint_details().len(), 4);
    for id in &ids {
        let d = hub.describe_constraint().id(id).send().await.unwrap();
        assert_eq!(d.status(), Some(&Status::Available));
        assert!(d.constraint_parameters().is_some());
    }
    let paths = hub
        .list_launch_paths()
        .product_id(&dynamo)
        .send()
        .await
        .unwrap();
    let path = paths
        .launch_path_summaries()
        .iter()
        .find(|p| p.id() == Some(path_of(&ops).as_str()))
        .expect("the Hub Operations path");
    let mut types: Vec<_> = path
        .constraint_summaries()
        .iter()
        .filter_map(|c| c.r#type())
        .collect();
    types.sort();
    assert_eq!(
        types,
        ["LAUNCH", "NOTIFICATION", "RESOURCE_UPDATE", "TEMPLATE"]
    );
}

#[tokio::test]
async fn a_new_launch_constraint_is_the_launch_role_of_its_path() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let ops = portfolio_id(&sb, "hub", "Hub Operations");
    let dynamo = product_id(&sb, "DynamoDB Table");
    hub.associate_product_with_portfolio()
        .product_id(&dynamo)
        .portfolio_id(&ops)
        .send()
        .await
        .unwrap();
    let role = "arn:aws:iam::111122223333:role/SCLaunchRole-Tables";
    hub.create_constraint()
        .portfolio_id(&ops)
        .product_id(&dynamo)
        .r#type("LAUNCH")
        .parameters(format!(r#"{{"RoleArn":"{role}"}}"#))
        .idempotency_token("launch-tables")
        .send()
        .await
        .unwrap();
    let params = hub
        .describe_provisioning_parameters()
        .product_id(&dynamo)
        .provisioning_artifact_id(version_id(&sb, "DynamoDB Table", "v2.0"))
        .path_id(path_of(&ops))
        .send()
        .await
        .unwrap();
    assert!(
        params
            .usage_instructions()
            .iter()
            .any(|u| u.r#type() == Some("launchAsRole") && u.value() == Some(role))
    );
    let out = hub
        .provision_product()
        .product_id(&dynamo)
        .provisioning_artifact_id(version_id(&sb, "DynamoDB Table", "v2.0"))
        .path_id(path_of(&ops))
        .provisioned_product_name("hub-tables")
        .provision_token("hub-tables-1")
        .provisioning_parameters(
            aws_sdk_servicecatalog::types::ProvisioningParameter::builder()
                .key("TableName")
                .value("hub-table")
                .build(),
        )
        .send()
        .await
        .expect("launched through the new path");
    assert_eq!(out.record_detail().unwrap().launch_role_arn(), Some(role));
}

#[tokio::test]
async fn constraint_rules_are_enforced_as_aws_documents_them() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let ops = portfolio_id(&sb, "hub", "Hub Operations");
    let platform = portfolio_id(&sb, "hub", "Platform Foundations");
    let sns = product_id(&sb, "SNS Alerts Topic");
    let security = product_id(&sb, "Security Baseline");
    let athena = product_id(&sb, "Athena Workgroup");
    let create = |portfolio: &str, product: &str, ctype: &str, params: &str, token: &str| {
        hub.create_constraint()
            .portfolio_id(portfolio)
            .product_id(product)
            .r#type(ctype)
            .parameters(params)
            .idempotency_token(token)
            .send()
    };
    // a second LAUNCH on the same product and portfolio
    let e = create(&ops, &sns, "LAUNCH", r#"{"LocalRoleName":"Other"}"#, "t1")
        .await
        .unwrap_err();
    assert_eq!(code(&e), "DuplicateResourceException");
    // LAUNCH next to STACKSET, and STACKSET next to LAUNCH
    let e = create(
        &platform,
        &security,
        "LAUNCH",
        r#"{"LocalRoleName":"X"}"#,
        "t2",
    )
    .await
    .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    let stackset = r#"{"Properties":{"AccountList":["222233334444"],"RegionList":["us-east-1"],"AdminRole":"arn:aws:iam::111122223333:role/A","ExecutionRole":"E"}}"#;
    let e = create(&ops, &sns, "STACKSET", stackset, "t3")
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    // parameters checked per type
    let bad = [
        (
            "LAUNCH",
            r#"{"RoleArn":"arn:aws:iam::111122223333:role/A","LocalRoleName":"B"}"#,
        ),
        ("LAUNCH", r#"{}"#),
        (
            "NOTIFICATION",
            r#"{"NotificationArns":"arn:aws:sns:us-east-1:1:t"}"#,
        ),
        (
            "RESOURCE_UPDATE",
            r#"{"Version":"2.0","Properties":{"TagUpdateOnProvisionedProduct":"SOMETIMES"}}"#,
        ),
        (
            "STACKSET",
            r#"{"Properties":{"AccountList":[],"RegionList":["us-east-1"]}}"#,
        ),
        ("TEMPLATE", r#"{"Rules":{}}"#),
        ("TEMPLATE", "not json"),
        ("QUOTA", r#"{}"#),
    ];
    for (i, (ctype, params)) in bad.iter().enumerate() {
        let e = create(&ops, &sns, ctype, params, &format!("bad-{i}"))
            .await
            .unwrap_err();
        assert_eq!(code(&e), "InvalidParametersException", "{ctype} {params}");
    }
    // the product must be associated with the portfolio, the portfolio the caller's
    let e = create(
        &ops,
        &athena,
        "NOTIFICATION",
        r#"{"NotificationArns":["arn:aws:sns:us-east-1:111122223333:t"]}"#,
        "t4",
    )
    .await
    .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    let dev = sc(&sb, "spoke-dev").await;
    let e = dev
        .create_constraint()
        .portfolio_id(&platform)
        .product_id(&sns)
        .r#type("NOTIFICATION")
        .parameters(r#"{"NotificationArns":["arn:aws:sns:us-east-1:222233334444:t"]}"#)
        .idempotency_token("t5")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    // the same token answers the same constraint, and makes no other
    let notify = r#"{"NotificationArns":["arn:aws:sns:us-east-1:111122223333:ops"]}"#;
    let a = create(&ops, &sns, "NOTIFICATION", notify, "same-token")
        .await
        .unwrap();
    let b = create(&ops, &sns, "NOTIFICATION", notify, "same-token")
        .await
        .unwrap();
    let id = |o: &aws_sdk_servicecatalog::operation::create_constraint::CreateConstraintOutput| {
        o.constraint_detail()
            .unwrap()
            .constraint_id()
            .unwrap()
            .to_string()
    };
    assert_eq!(id(&a), id(&b));
    let listed = hub
        .list_constraints_for_portfolio()
        .portfolio_id(&ops)
        .product_id(&sns)
        .send()
        .await
        .unwrap();
    let notifications = listed
        .constraint_details()
        .iter()
        .filter(|c| c.r#type() == Some("NOTIFICATION"))
        .count();
    assert_eq!(notifications, 1);
}

// ---------------------------------------------------------------- provisioned product plans

#[tokio::test]
async fn a_plan_shows_a_resource_replaced_and_leaves_the_product_alone() {
    let sb = sandbox(10.0).await;
    let dev = sc(&sb, "spoke-dev").await;
    let rds = product_id(&sb, "RDS PostgreSQL");
    let (pp_id, stack_id) = provisioned(&sb, "dev-reporting-db");
    let out = dev
        .create_provisioned_product_plan()
        .plan_name("reporting-db to v2.0")
        .plan_type(ProvisionedProductPlanType::Cloudformation)
        .product_id(&rds)
        .provisioned_product_name("dev-reporting-db")
        .provisioning_artifact_id(version_id(&sb, "RDS PostgreSQL", "v2.0"))
        .set_provisioning_parameters(previous(&["Environment", "MasterUserPassword"]))
        .idempotency_token("reporting-plan")
        .send()
        .await
        .expect("CreateProvisionedProductPlan");
    assert_eq!(out.provision_product_id(), Some(pp_id.as_str()));
    assert_eq!(out.provisioned_product_name(), Some("dev-reporting-db"));
    let plan_id = out.plan_id().unwrap().to_string();

    let first = dev
        .describe_provisioned_product_plan()
        .plan_id(&plan_id)
        .send()
        .await
        .unwrap();
    let details = first.provisioned_product_plan_details().unwrap();
    assert_eq!(
        details.status(),
        Some(&ProvisionedProductPlanStatus::CreateInProgress)
    );
    assert_eq!(
        details.plan_type(),
        Some(&ProvisionedProductPlanType::Cloudformation)
    );
    assert_eq!(details.provision_product_name(), Some("dev-reporting-db"));
    assert_eq!(details.provisioning_parameters().len(), 2);
    assert!(details.provisioning_parameters()[0].use_previous_value());
    // the provisioned product keeps its status: AWS puts a new product in
    // PLAN_IN_PROGRESS, not an existing one
    let pp = dev
        .describe_provisioned_product()
        .id(&pp_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        pp.provisioned_product_detail()
            .unwrap()
            .status()
            .map(|s| s.as_str()),
        Some("AVAILABLE")
    );
    eventually("the plan to be ready", Duration::from_secs(10), || async {
        let d = dev
            .describe_provisioned_product_plan()
            .plan_id(&plan_id)
            .send()
            .await
            .unwrap();
        (d.provisioned_product_plan_details().unwrap().status()
            == Some(&ProvisionedProductPlanStatus::CreateSuccess))
        .then_some(())
    })
    .await;

    let changes = first.resource_changes();
    let group = change(changes, "DBParameterGroup");
    assert_eq!(group.action(), Some(&ChangeAction::Modify));
    assert_eq!(group.replacement(), Some(&Replacement::True));
    assert_eq!(group.scope(), [ResourceAttribute::Properties]);
    let target = group.details()[0].target().unwrap();
    assert_eq!(target.name(), Some("Family"));
    assert_eq!(
        target.requires_recreation(),
        Some(&RequiresRecreation::Always)
    );
    assert_eq!(
        group.details()[0].evaluation(),
        Some(&EvaluationType::Static)
    );
    let physical = sb.with_world(|w| {
        w.stacks[&stack_id].resources["DBParameterGroup"]
            .physical_id
            .clone()
    });
    assert_eq!(group.physical_resource_id(), Some(physical.as_str()));
    let instance = change(changes, "DBInstance");
    assert_eq!(instance.replacement(), Some(&Replacement::False));
    for added in ["CpuAlarm", "FreeStorageAlarm"] {
        let c = change(changes, added);
        assert_eq!(c.action(), Some(&ChangeAction::Add));
        assert!(c.replacement().is_none() && c.physical_resource_id().is_none());
        assert_eq!(c.resource_type(), Some("AWS::CloudWatch::Alarm"));
    }
    assert_eq!(changes.len(), 6);

    // ResourceChanges page by at most 20
    let page = dev
        .describe_provisioned_product_plan()
        .plan_id(&plan_id)
        .page_size(4)
        .send()
        .await
        .unwrap();
    assert_eq!(page.resource_changes().len(), 4);
    let rest = dev
        .describe_provisioned_product_plan()
        .plan_id(&plan_id)
        .page_size(4)
        .page_token(page.next_page_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.resource_changes().len(), 2);
    assert!(rest.next_page_token().is_none());
    let e = dev
        .describe_provisioned_product_plan()
        .plan_id(&plan_id)
        .page_size(21)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationException");
}

#[tokio::test]
async fn a_plan_shows_a_resource_removed() {
    let sb = sandbox(1.0).await;
    let dev = sc(&sb, "spoke-dev").await;
    let (_, stack_id) = provisioned(&sb, "dev-legacy-portal");
    let out = dev
        .create_provisioned_product_plan()
        .plan_name("portal to https")
        .plan_type(ProvisionedProductPlanType::Cloudformation)
        .product_id(product_id(&sb, "ECS Fargate Service"))
        .provisioned_product_name("dev-legacy-portal")
        .provisioning_artifact_id(version_id(&sb, "ECS Fargate Service", "v2.0"))
        .set_provisioning_parameters(previous(&["ServiceName", "ContainerImage", "Environment"]))
        .idempotency_token("portal-plan")
        .send()
        .await
        .unwrap();
    // a plan is not executed before it is ready
    let e = dev
        .execute_provisioned_product_plan()
        .plan_id(out.plan_id().unwrap())
        .idempotency_token("too-early")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidStateException");
    let d = dev
        .describe_provisioned_product_plan()
        .plan_id(out.plan_id().unwrap())
        .send()
        .await
        .unwrap();
    let removed = change(d.resource_changes(), "Listener");
    assert_eq!(removed.action(), Some(&ChangeAction::Remove));
    let physical = sb.with_world(|w| {
        w.stacks[&stack_id].resources["Listener"]
            .physical_id
            .clone()
    });
    assert_eq!(removed.physical_resource_id(), Some(physical.as_str()));
    assert_eq!(
        change(d.resource_changes(), "HttpsListener").action(),
        Some(&ChangeAction::Add)
    );
}

#[tokio::test]
async fn an_executed_plan_replaces_the_resource_it_said_it_would() {
    let sb = sandbox(200.0).await;
    let dev = sc(&sb, "spoke-dev").await;
    let cfn_dev = cfn(&sb, "spoke-dev").await;
    let (pp_id, stack_id) = provisioned(&sb, "dev-bastion");
    let before = sb.with_world(|w| {
        w.stacks[&stack_id].resources["SecurityGroup"]
            .physical_id
            .clone()
    });
    let plan = dev
        .create_provisioned_product_plan()
        .plan_name("bastion to v2")
        .plan_type(ProvisionedProductPlanType::Cloudformation)
        .product_id(product_id(&sb, "Bastion Host"))
        .provisioned_product_name("dev-bastion")
        .provisioning_artifact_id(version_id(&sb, "Bastion Host", "v2"))
        .idempotency_token("bastion-plan")
        .send()
        .await
        .unwrap();
    let plan_id = plan.plan_id().unwrap().to_string();
    let record = eventually("the plan to execute", Duration::from_secs(10), || async {
        dev.execute_provisioned_product_plan()
            .plan_id(&plan_id)
            .idempotency_token("bastion-exec")
            .send()
            .await
            .ok()
            .and_then(|o| o.record_detail().cloned())
    })
    .await;
    assert_eq!(record.record_type(), Some("UPDATE_PROVISIONED_PRODUCT"));
    assert_eq!(record.provisioned_product_id(), Some(pp_id.as_str()));
    // the same token answers the same record
    let again = dev
        .execute_provisioned_product_plan()
        .plan_id(&plan_id)
        .idempotency_token("bastion-exec")
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.record_detail().unwrap().record_id(),
        record.record_id()
    );
    let status = |d: &aws_sdk_servicecatalog::operation::describe_provisioned_product_plan::DescribeProvisionedProductPlanOutput| {
        d.provisioned_product_plan_details().unwrap().status().cloned()
    };
    let d = dev
        .describe_provisioned_product_plan()
        .plan_id(&plan_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        status(&d),
        Some(ProvisionedProductPlanStatus::ExecuteInProgress)
    );
    eventually("the update to succeed", Duration::from_secs(20), || async {
        let r = dev
            .describe_record()
            .id(record.record_id().unwrap())
            .send()
            .await
            .unwrap();
        (r.record_detail().unwrap().status() == Some(&RecordStatus::Succeeded)).then_some(())
    })
    .await;
    let d = dev
        .describe_provisioned_product_plan()
        .plan_id(&plan_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        status(&d),
        Some(ProvisionedProductPlanStatus::ExecuteSuccess)
    );
    let resources = cfn_dev
        .describe_stack_resources()
        .stack_name(&stack_id)
        .send()
        .await
        .unwrap();
    let group = resources
        .stack_resources()
        .iter()
        .find(|r| r.logical_resource_id() == Some("SecurityGroup"))
        .unwrap();
    assert_ne!(
        group.physical_resource_id(),
        Some(before.as_str()),
        "a new security group"
    );
    let events = cfn_dev
        .describe_stack_events()
        .stack_name(&stack_id)
        .send()
        .await
        .unwrap();
    assert!(events.stack_events().iter().any(|e| {
        e.logical_resource_id() == Some("SecurityGroup")
            && e.physical_resource_id() == Some(before.as_str())
            && e.resource_status().map(|s| s.as_str()) == Some("DELETE_COMPLETE")
    }));
    // a new plan may follow an executed one
    dev.create_provisioned_product_plan()
        .plan_name("bastion again")
        .plan_type(ProvisionedProductPlanType::Cloudformation)
        .product_id(product_id(&sb, "Bastion Host"))
        .provisioned_product_name("dev-bastion")
        .provisioning_artifact_id(version_id(&sb, "Bastion Host", "v2"))
        .idempotency_token("bastion-plan-2")
        .send()
        .await
        .expect("a second plan after the first ran");
}

#[tokio::test]
async fn a_plan_for_a_new_product_reserves_it_until_executed_or_deleted() {
    let sb = sandbox(200.0).await;
    let dev = sc(&sb, "spoke-dev").await;
    let bucket = product_id(&sb, "S3 Bucket");
    let local = portfolio_id(&sb, "spoke-dev", "Dev Team Catalog");
    let plan = |name: &str, token: &str| {
        dev.create_provisioned_product_plan()
            .plan_name(format!("launch {name}"))
            .plan_type(ProvisionedProductPlanType::Cloudformation)
            .product_id(&bucket)
            .path_id(path_of(&local))
            .provisioned_product_name(name)
            .provisioning_artifact_id(version_id(&sb, "S3 Bucket", "v2.0"))
            .tags(Tag::builder().key("Team").value("web").build().unwrap())
            .idempotency_token(token)
            .send()
    };
    let dropped = plan("dev-dropped-bucket", "drop-1").await.unwrap();
    let d = dev
        .describe_provisioned_product_plan()
        .plan_id(dropped.plan_id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(d.resource_changes().len(), 6);
    assert!(
        d.resource_changes()
            .iter()
            .all(|c| c.action() == Some(&ChangeAction::Add))
    );
    let pp = dev
        .describe_provisioned_product()
        .id(dropped.provision_product_id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        pp.provisioned_product_detail()
            .unwrap()
            .status()
            .map(|s| s.as_str()),
        Some("PLAN_IN_PROGRESS")
    );
    // the name is taken while the plan holds it
    let e = dev
        .provision_product()
        .product_id(&bucket)
        .provisioning_artifact_id(version_id(&sb, "S3 Bucket", "v2.0"))
        .path_id(path_of(&local))
        .provisioned_product_name("dev-dropped-bucket")
        .provision_token("taken")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "DuplicateResourceException");
    dev.delete_provisioned_product_plan()
        .plan_id(dropped.plan_id().unwrap())
        .ignore_errors(true)
        .send()
        .await
        .unwrap();
    let e = dev
        .describe_provisioned_product()
        .id(dropped.provision_product_id().unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&e),
        "ResourceNotFoundException",
        "the reserved product went with its plan"
    );
    let e = dev
        .describe_provisioned_product_plan()
        .plan_id(dropped.plan_id().unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");

    let kept = plan("dev-planned-bucket", "keep-1").await.unwrap();
    let replay = plan("dev-planned-bucket", "keep-1").await.unwrap();
    assert_eq!(
        replay.plan_id(),
        kept.plan_id(),
        "the same token, the same plan"
    );
    let record = eventually("the plan to execute", Duration::from_secs(10), || async {
        dev.execute_provisioned_product_plan()
            .plan_id(kept.plan_id().unwrap())
            .idempotency_token("keep-exec")
            .send()
            .await
            .ok()
            .and_then(|o| o.record_detail().cloned())
    })
    .await;
    assert_eq!(record.record_type(), Some("PROVISION_PRODUCT"));
    assert_eq!(record.provisioned_product_id(), kept.provision_product_id());
    assert_eq!(
        record.launch_role_arn(),
        Some("arn:aws:iam::222233334444:role/SCLaunchRole-Dev")
    );
    eventually("the launch to succeed", Duration::from_secs(20), || async {
        let pp = dev
            .describe_provisioned_product()
            .id(kept.provision_product_id().unwrap())
            .send()
            .await
            .unwrap();
        (pp.provisioned_product_detail()
            .unwrap()
            .status()
            .map(|s| s.as_str())
            == Some("AVAILABLE"))
        .then_some(())
    })
    .await;
}

#[tokio::test]
async fn plans_follow_aws_rules_and_are_listed_per_caller() {
    let sb = sandbox(20.0).await;
    let dev = sc(&sb, "spoke-dev").await;
    let prod = sc(&sb, "spoke-prod").await;
    let bastion = product_id(&sb, "Bastion Host");
    let v2 = version_id(&sb, "Bastion Host", "v2");
    let base = |name: &str, token: &str| {
        dev.create_provisioned_product_plan()
            .plan_name("p")
            .plan_type(ProvisionedProductPlanType::Cloudformation)
            .product_id(&bastion)
            .provisioned_product_name(name)
            .provisioning_artifact_id(&v2)
            .idempotency_token(token)
    };
    // a provisioned product under change cannot be planned
    let e = prod
        .create_provisioned_product_plan()
        .plan_name("orders-db")
        .plan_type(ProvisionedProductPlanType::Cloudformation)
        .product_id(product_id(&sb, "RDS PostgreSQL"))
        .provisioned_product_name("prod-orders-db")
        .provisioning_artifact_id(version_id(&sb, "RDS PostgreSQL", "v2.0"))
        .idempotency_token("busy")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidStateException");
    // one plan per provisioned product
    let first = base("dev-bastion", "first").send().await.unwrap();
    let e = base("dev-bastion", "second").send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    // the product of an existing provisioned product cannot change
    let e = dev
        .create_provisioned_product_plan()
        .plan_name("p")
        .plan_type(ProvisionedProductPlanType::Cloudformation)
        .product_id(product_id(&sb, "S3 Bucket"))
        .provisioned_product_name("dev-bastion")
        .provisioning_artifact_id(version_id(&sb, "S3 Bucket", "v2.0"))
        .idempotency_token("other-product")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    // tags change only with a RESOURCE_UPDATE constraint that allows it
    let e = dev
        .create_provisioned_product_plan()
        .plan_name("p")
        .plan_type(ProvisionedProductPlanType::Cloudformation)
        .product_id(product_id(&sb, "VPC Baseline"))
        .provisioned_product_name("dev-vpc")
        .provisioning_artifact_id(version_id(&sb, "VPC Baseline", "v2.1"))
        .set_provisioning_parameters(previous(&["Environment"]))
        .tags(
            Tag::builder()
                .key("Environment")
                .value("sandbox")
                .build()
                .unwrap(),
        )
        .idempotency_token("tags")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    assert!(message(&e).contains("RESOURCE_UPDATE"), "{e:?}");
    // the model's enums and ids
    let e = base("dev-bastion", "bad-type")
        .plan_type(ProvisionedProductPlanType::from("TERRAFORM"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationException");
    // unknown plans, and plans of another account
    for plan in ["pp-doesnotexist1", first.plan_id().unwrap()] {
        let e = prod
            .describe_provisioned_product_plan()
            .plan_id(plan)
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&e), "ResourceNotFoundException");
        let e = prod
            .delete_provisioned_product_plan()
            .plan_id(plan)
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&e), "ResourceNotFoundException");
        let e = prod
            .execute_provisioned_product_plan()
            .plan_id(plan)
            .idempotency_token("x")
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&e), "ResourceNotFoundException");
    }
    // listing: the caller's own, by provisioned product, paged
    base("dev-planned-one", "one").send().await.unwrap();
    base("dev-planned-two", "two").send().await.unwrap();
    let all = dev
        .list_provisioned_product_plans()
        .access_level_filter(account_filter())
        .send()
        .await
        .unwrap();
    assert_eq!(all.provisioned_product_plans().len(), 3);
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = dev
            .list_provisioned_product_plans()
            .page_size(1)
            .set_page_token(token)
            .send()
            .await
            .unwrap();
        seen.extend(
            page.provisioned_product_plans()
                .iter()
                .map(|p| p.plan_id().unwrap().to_string()),
        );
        token = page.next_page_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 3, "the user's own plans, one per page");
    let (bastion_pp, _) = provisioned(&sb, "dev-bastion");
    let one = dev
        .list_provisioned_product_plans()
        .provision_product_id(&bastion_pp)
        .send()
        .await
        .unwrap();
    assert_eq!(one.provisioned_product_plans().len(), 1);
    let p = &one.provisioned_product_plans()[0];
    assert_eq!(p.plan_id(), first.plan_id());
    assert_eq!(p.provision_product_name(), Some("dev-bastion"));
    assert_eq!(
        p.plan_type(),
        Some(&ProvisionedProductPlanType::Cloudformation)
    );
    let e = dev
        .list_provisioned_product_plans()
        .page_size(21)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationException");
    let e = dev
        .list_provisioned_product_plans()
        .provision_product_id("pp-doesnotexist1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    let none = prod
        .list_provisioned_product_plans()
        .access_level_filter(account_filter())
        .send()
        .await
        .unwrap();
    assert!(none.provisioned_product_plans().is_empty());
}

// ---------------------------------------------------------------- Organizations ListAccounts

#[tokio::test]
async fn the_management_account_lists_the_organization() {
    let sb = sandbox(1.0).await;
    let hub = orgs(&sb, "hub").await;
    let out = hub.list_accounts().send().await.expect("ListAccounts");
    let accounts = out.accounts();
    assert_eq!(accounts.len(), 4);
    assert!(out.next_token().is_none());
    for a in accounts {
        let id = a.id().unwrap();
        assert_eq!(
            a.arn(),
            Some(format!("arn:aws:organizations::111122223333:account/o-a1b2c3d4e5/{id}").as_str())
        );
        assert_eq!(a.status(), Some(&AccountStatus::Active));
        assert!(a.email().unwrap().contains('@'));
        assert!(a.joined_timestamp().is_some());
        assert!(
            a.paths()[0].starts_with("o-a1b2c3d4e5/r-"),
            "{:?}",
            a.paths()
        );
    }
    let hub_account = accounts
        .iter()
        .find(|a| a.id() == Some("111122223333"))
        .unwrap();
    assert_eq!(hub_account.name(), Some("hub"));
    assert_eq!(
        hub_account.joined_method(),
        Some(&AccountJoinedMethod::Invited)
    );
    let dev = accounts
        .iter()
        .find(|a| a.id() == Some("222233334444"))
        .unwrap();
    assert_eq!(dev.joined_method(), Some(&AccountJoinedMethod::Created));
    assert!(dev.paths()[0].contains("/ou-a1b2-k7x9q2m4/222233334444/"));

    // pages of one, and the SDK's paginator
    let mut ids = Vec::new();
    let mut token = None;
    loop {
        let page = hub
            .list_accounts()
            .max_results(1)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        assert_eq!(page.accounts().len(), 1);
        ids.extend(page.accounts().iter().map(|a| a.id().unwrap().to_string()));
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(ids.len(), 4);
    let pages: Vec<_> = hub
        .list_accounts()
        .max_results(3)
        .into_paginator()
        .send()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(pages.len(), 2);
    for bad in [0, 21] {
        let e = hub
            .list_accounts()
            .max_results(bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&e), "InvalidInputException", "MaxResults {bad}");
    }
    let e = hub
        .list_accounts()
        .next_token("forged")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidInputException");
    // a member account may not
    let e = orgs(&sb, "spoke-dev")
        .await
        .list_accounts()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "AccessDeniedException");
    // Organizations is global: a client in another region reaches it too
    let p = sb.profiles().into_iter().find(|p| p.name == "hub").unwrap();
    let elsewhere =
        config_with_keys(&sb, "eu-west-1", &p.access_key_id, &p.secret_access_key).await;
    let out = aws_sdk_organizations::Client::new(&elsewhere)
        .list_accounts()
        .send()
        .await
        .expect("signed for eu-west-1");
    assert_eq!(out.accounts().len(), 4);
}

#[tokio::test]
async fn delegated_administrators_outsiders_and_suspended_accounts() {
    let (sb, _dir) = sandbox_on(IDENTITY_WORLD, 1.0).await;
    let data = orgs(&sb, "data").await;
    let out = data
        .list_accounts()
        .send()
        .await
        .expect("a delegated administrator");
    let names: Vec<_> = out.accounts().iter().filter_map(|a| a.name()).collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(!names.contains(&"outsider"));
    let old = out
        .accounts()
        .iter()
        .find(|a| a.name() == Some("old"))
        .unwrap();
    assert_eq!(old.status(), Some(&AccountStatus::Suspended));
    let hub = out
        .accounts()
        .iter()
        .find(|a| a.name() == Some("hub"))
        .unwrap();
    assert_eq!(hub.email(), Some("aws-root@example.com"));
    let dev = out
        .accounts()
        .iter()
        .find(|a| a.name() == Some("dev"))
        .unwrap();
    assert_eq!(dev.joined_method(), Some(&AccountJoinedMethod::Invited));
    let e = orgs(&sb, "outsider")
        .await
        .list_accounts()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "AWSOrganizationsNotInUseException");
    let e = orgs(&sb, "dev")
        .await
        .list_accounts()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "AccessDeniedException");
}

// ---------------------------------------------------------------- STS AssumeRole

#[tokio::test]
async fn assumed_role_credentials_act_in_the_target_account() {
    let sb = sandbox(1.0).await;
    let hub = sts(&sb, "hub").await;
    let role = "arn:aws:iam::222233334444:role/OrganizationAccountAccessRole";
    let out = hub
        .assume_role()
        .role_arn(role)
        .role_session_name("alice@ops")
        .duration_seconds(900)
        .send()
        .await
        .expect("AssumeRole");
    let creds = out.credentials().unwrap();
    assert!(creds.access_key_id().starts_with("ASIA"));
    assert_eq!(creds.access_key_id().len(), 20);
    assert_eq!(creds.secret_access_key().len(), 40);
    assert!(!creds.session_token().is_empty());
    let user = out.assumed_role_user().unwrap();
    assert_eq!(
        user.arn(),
        "arn:aws:sts::222233334444:assumed-role/OrganizationAccountAccessRole/alice@ops"
    );
    assert!(user.assumed_role_id().starts_with("AROA"));
    assert!(user.assumed_role_id().ends_with(":alice@ops"));
    let expires = creds.expiration().secs();
    let now = chrono::Utc::now().timestamp();
    assert!((expires - now - 900).abs() < 30, "{expires} vs {now}");

    let session = config_with_session(
        &sb,
        "us-east-1",
        creds.access_key_id(),
        creds.secret_access_key(),
        Some(creds.session_token()),
    )
    .await;
    let me = aws_sdk_sts::Client::new(&session)
        .get_caller_identity()
        .send()
        .await
        .expect("the temporary credentials work");
    assert_eq!(me.account(), Some("222233334444"));
    assert_eq!(me.arn(), Some(user.arn()));
    assert_eq!(me.user_id(), Some(user.assumed_role_id()));
    let portfolios = aws_sdk_servicecatalog::Client::new(&session)
        .list_portfolios()
        .send()
        .await
        .unwrap();
    assert!(
        portfolios
            .portfolio_details()
            .iter()
            .any(|p| p.display_name() == Some("Dev Team Catalog")),
        "the session sees the target account's catalog"
    );
    // what the session launches is recorded as its own
    let calls = sb.calls();
    assert!(
        calls.iter().any(|c| c.operation == "AssumeRole"
            && c.account == "111122223333"
            && c.outcome == "ok")
    );
    assert!(
        calls
            .iter()
            .any(|c| c.operation == "ListPortfolios" && c.account == "222233334444")
    );

    // scenario roles, with their own trust and session length
    let prod = sts(&sb, "spoke-dev").await;
    prod.assume_role()
        .role_arn("arn:aws:iam::333344445555:role/ProdDeployer")
        .role_session_name("ci")
        .send()
        .await
        .expect("spoke-dev's CI may assume ProdDeployer");
}

#[tokio::test]
async fn temporary_credentials_need_their_token_and_expire() {
    let sb = sandbox(1000.0).await;
    let out = sts(&sb, "hub")
        .await
        .assume_role()
        .role_arn("arn:aws:iam::333344445555:role/OrganizationAccountAccessRole")
        .role_session_name("short")
        .duration_seconds(900)
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap().clone();
    let (key, secret) = (c.access_key_id(), c.secret_access_key());
    let missing = config_with_session(&sb, "us-east-1", key, secret, None).await;
    let e = aws_sdk_servicecatalog::Client::new(&missing)
        .list_portfolios()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "UnrecognizedClientException");
    let e = aws_sdk_sts::Client::new(&missing)
        .get_caller_identity()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidClientTokenId");
    let wrong = config_with_session(&sb, "us-east-1", key, secret, Some("not-the-token")).await;
    let e = aws_sdk_sts::Client::new(&wrong)
        .get_caller_identity()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidClientTokenId");
    // 900 sandbox seconds pass in under a real second at this speed
    let good = config_with_session(&sb, "us-east-1", key, secret, Some(c.session_token())).await;
    let e = eventually(
        "the credentials to expire",
        Duration::from_secs(10),
        || async {
            aws_sdk_sts::Client::new(&good)
                .get_caller_identity()
                .send()
                .await
                .err()
        },
    )
    .await;
    assert_eq!(code(&e), "ExpiredToken");
    let e = aws_sdk_servicecatalog::Client::new(&good)
        .list_portfolios()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ExpiredTokenException");
}

#[tokio::test]
async fn assume_role_is_refused_as_aws_refuses_it() {
    let opts = SandboxOptions {
        faults: Faults {
            deny_assume: vec!["spoke-data".into()],
            ..Faults::default()
        },
        ..SandboxOptions::default()
    };
    let sb = Sandbox::start(opts).await.unwrap();
    let hub = sts(&sb, "hub").await;
    let dev = sts(&sb, "spoke-dev").await;
    let assume = |client: &aws_sdk_sts::Client, arn: &str, name: &str| {
        client
            .assume_role()
            .role_arn(arn)
            .role_session_name(name)
            .send()
    };
    // not trusted: spoke-dev is not the management account
    let role = "arn:aws:iam::333344445555:role/OrganizationAccountAccessRole";
    let e = assume(&dev, role, "dev").await.unwrap_err();
    assert_eq!(code(&e), "AccessDenied");
    assert_eq!(
        message(&e),
        format!(
            "User: arn:aws:sts::222233334444:assumed-role/ServiceCatalogAdmin/alice is not authorized to perform: sts:AssumeRole on resource: {role}"
        )
    );
    // no such role; the management account has no OrganizationAccountAccessRole
    for arn in [
        "arn:aws:iam::333344445555:role/NoSuchRole",
        "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole",
        "arn:aws:iam::999999999999:role/OrganizationAccountAccessRole",
    ] {
        let e = assume(&hub, arn, "ops").await.unwrap_err();
        assert_eq!(code(&e), "AccessDenied", "{arn}");
    }
    // the fault: nobody gets into spoke-data
    let e = assume(
        &hub,
        "arn:aws:iam::444455556666:role/OrganizationAccountAccessRole",
        "ops",
    )
    .await
    .unwrap_err();
    assert_eq!(code(&e), "AccessDenied");
    // the model's limits
    let ok_role = "arn:aws:iam::222233334444:role/OrganizationAccountAccessRole";
    for name in ["a", "has space", &"x".repeat(65)] {
        let e = assume(&hub, ok_role, name).await.unwrap_err();
        assert_eq!(code(&e), "ValidationError", "{name}");
    }
    for seconds in [899, 43201] {
        let e = hub
            .assume_role()
            .role_arn(ok_role)
            .role_session_name("ops")
            .duration_seconds(seconds)
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&e), "ValidationError", "{seconds}");
    }
    // longer than the role allows (an hour by default), and role chaining
    let e = hub
        .assume_role()
        .role_arn(ok_role)
        .role_session_name("ops")
        .duration_seconds(7200)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationError");
    let e = assume(&hub, "arn:aws:iam::2222:role/X", "ops")
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationError");
    assert!(
        sb.calls()
            .iter()
            .any(|c| c.operation == "AssumeRole" && c.outcome == "AccessDenied")
    );
}

#[tokio::test]
async fn scenario_roles_and_their_session_limits() {
    let (sb, _dir) = sandbox_on(IDENTITY_WORLD, 1.0).await;
    let dev = sts(&sb, "dev").await;
    let auditor = "arn:aws:iam::333333333333:role/Auditor";
    // spoke roles of this world are assumed by `dev`, whose caller is a role
    // session: chaining caps the session at an hour, whatever the role allows
    let e = dev
        .assume_role()
        .role_arn(auditor)
        .role_session_name("audit")
        .duration_seconds(7200)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationError");
    dev.assume_role()
        .role_arn(auditor)
        .role_session_name("audit")
        .duration_seconds(3600)
        .send()
        .await
        .expect("trusted");
    // the hub's caller is an IAM user: no chaining
    let hub = sts(&sb, "hub").await;
    let e = hub
        .assume_role()
        .role_arn(auditor)
        .role_session_name("audit")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&e),
        "AccessDenied",
        "the hub is not trusted by Auditor"
    );
    hub.assume_role()
        .role_arn("arn:aws:iam::444444444444:role/OrganizationAccountAccessRole")
        .role_session_name("audit")
        .send()
        .await
        .expect("every member has OrganizationAccountAccessRole");
    let e = hub
        .assume_role()
        .role_arn("arn:aws:iam::555555555555:role/OrganizationAccountAccessRole")
        .role_session_name("audit")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "AccessDenied", "not a member of the organization");
}

// ---------------------------------------------------------------- end users and the call log

#[tokio::test]
async fn end_users_plan_and_launch_but_never_associate_or_constrain() {
    let (sb, _dir) = sandbox_on(IDENTITY_WORLD, 50.0).await;
    let queue = product_id(&sb, "Queue");
    let v2 = version_id(&sb, "Queue", "v2");
    let plan = |client: aws_sdk_servicecatalog::Client, name: &'static str| {
        let (queue, v2) = (queue.clone(), v2.clone());
        async move {
            client
                .create_provisioned_product_plan()
                .plan_name("to v2")
                .plan_type(ProvisionedProductPlanType::Cloudformation)
                .product_id(queue)
                .provisioned_product_name(name)
                .provisioning_artifact_id(v2)
                .idempotency_token(format!("{name}-plan"))
                .send()
                .await
        }
    };
    // AWSServiceCatalogEndUserFullAccess: plans, with the replaced queue
    let builder = sc(&sb, "builder").await;
    let out = plan(builder.clone(), "builder-queue")
        .await
        .expect("a full end user plans");
    let d = builder
        .describe_provisioned_product_plan()
        .plan_id(out.plan_id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        change(d.resource_changes(), "Queue").replacement(),
        Some(&Replacement::True)
    );
    assert_eq!(
        builder
            .list_provisioned_product_plans()
            .send()
            .await
            .unwrap()
            .provisioned_product_plans()
            .len(),
        1
    );
    let local = portfolio_id(&sb, "builder", "Builder Local");
    let e = builder
        .associate_product_with_portfolio()
        .product_id(&queue)
        .portfolio_id(&local)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "AccessDeniedException");
    let e = builder
        .create_constraint()
        .portfolio_id(&local)
        .product_id(&queue)
        .r#type("LAUNCH")
        .parameters(r#"{"LocalRoleName":"X"}"#)
        .idempotency_token("c")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "AccessDeniedException");
    // AWSServiceCatalogEndUserReadOnlyAccess: reads its plans, makes none
    let viewer = sc(&sb, "viewer").await;
    let e = plan(viewer.clone(), "viewer-queue").await.unwrap_err();
    assert_eq!(code(&e), "AccessDeniedException");
    viewer
        .list_provisioned_product_plans()
        .send()
        .await
        .expect("read-only end users list their plans");
    let e = viewer
        .list_provisioned_product_plans()
        .access_level_filter(account_filter())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "AccessDeniedException", "only at the user level");
}

#[tokio::test]
async fn every_new_operation_is_in_the_call_log() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let ops = portfolio_id(&sb, "hub", "Hub Operations");
    let _ = hub
        .associate_product_with_portfolio()
        .product_id(product_id(&sb, "S3 Bucket"))
        .portfolio_id(&ops)
        .send()
        .await;
    let _ = hub
        .create_constraint()
        .portfolio_id(&ops)
        .product_id(product_id(&sb, "S3 Bucket"))
        .r#type("LAUNCH")
        .parameters(r#"{"LocalRoleName":"SCLaunchRole"}"#)
        .idempotency_token("log")
        .send()
        .await;
    let plan = hub
        .create_provisioned_product_plan()
        .plan_name("log")
        .plan_type(ProvisionedProductPlanType::Cloudformation)
        .product_id(product_id(&sb, "S3 Bucket"))
        .provisioned_product_name("catalog-artifacts")
        .provisioning_artifact_id(version_id(&sb, "S3 Bucket", "v2.0"))
        .idempotency_token("log-plan")
        .send()
        .await
        .unwrap();
    let id = plan.plan_id().unwrap();
    let _ = hub
        .describe_provisioned_product_plan()
        .plan_id(id)
        .send()
        .await;
    let _ = hub.list_provisioned_product_plans().send().await;
    let _ = hub
        .execute_provisioned_product_plan()
        .plan_id(id)
        .idempotency_token("log-exec")
        .send()
        .await;
    let _ = hub
        .delete_provisioned_product_plan()
        .plan_id(id)
        .send()
        .await;
    let _ = orgs(&sb, "hub").await.list_accounts().send().await;
    let _ = sts(&sb, "hub")
        .await
        .assume_role()
        .role_arn("arn:aws:iam::222233334444:role/OrganizationAccountAccessRole")
        .role_session_name("log")
        .send()
        .await;
    let calls = sb.calls();
    for (op, service) in [
        ("AssociateProductWithPortfolio", "servicecatalog"),
        ("CreateConstraint", "servicecatalog"),
        ("CreateProvisionedProductPlan", "servicecatalog"),
        ("DescribeProvisionedProductPlan", "servicecatalog"),
        ("ListProvisionedProductPlans", "servicecatalog"),
        ("ExecuteProvisionedProductPlan", "servicecatalog"),
        ("DeleteProvisionedProductPlan", "servicecatalog"),
        ("ListAccounts", "organizations"),
        ("AssumeRole", "sts"),
    ] {
        let c = calls
            .iter()
            .find(|c| c.operation == op)
            .unwrap_or_else(|| panic!("{op} is not in the call log: {calls:?}"));
        assert_eq!(c.service, service, "{op}");
        assert_eq!(c.account, "111122223333", "{op}");
        assert!(!c.request_id.is_empty());
    }
    let executed = calls
        .iter()
        .find(|c| c.operation == "ExecuteProvisionedProductPlan")
        .unwrap();
    assert_eq!(
        executed.outcome, "InvalidStateException",
        "the plan was not ready yet"
    );
}
