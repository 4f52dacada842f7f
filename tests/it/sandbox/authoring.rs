//! The hub's authoring calls in the sandbox, through the real SDK client:
//! principals, TagOptions, UpdatePortfolio, ListPortfolioAccess,
//! DisassociateProductFromPortfolio and DeleteConstraint; CreateProduct,
//! UpdateProduct, CreateProvisioningArtifact and DeleteProvisioningArtifact
//! from templates put in the sandbox's S3; with AWS's refusals.

use crate::fixtures;

use std::time::{Duration, Instant};

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use aws_sdk_servicecatalog::types::{
    AccessLevelFilter, AccessLevelFilterKey, PrincipalType, ProductType,
    ProvisioningArtifactGuidance, ProvisioningArtifactProperties, ProvisioningArtifactType,
    ProvisioningParameter, RecordStatus, Status, Tag,
};
use fixtures::*;
use spoke::sandbox::Sandbox;

fn portfolio_of(sb: &Sandbox, owner: &str, name: &str) -> String {
    let owner = account_id(sb, owner);
    sb.with_world(|w| {
        w.portfolios
            .values()
            .find(|p| p.owner == owner && p.name == name)
            .map(|p| p.id.clone())
    })
    .unwrap_or_else(|| panic!("no portfolio {name}"))
}

fn product_of(sb: &Sandbox, name: &str) -> String {
    sb.with_world(|w| {
        w.products
            .values()
            .find(|p| p.name == name)
            .map(|p| p.id.clone())
    })
    .unwrap_or_else(|| panic!("no product {name}"))
}

#[tokio::test]
async fn principals_are_added_listed_and_removed_and_keep_a_portfolio_from_being_deleted() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let created = hub
        .create_portfolio()
        .display_name("Team")
        .provider_name("Platform")
        .idempotency_token("t-team")
        .send()
        .await
        .unwrap();
    let id = created
        .portfolio_detail()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let hub_id = account_id(&sb, "hub");
    let role = format!("arn:aws:iam::{hub_id}:role/Launcher");
    hub.associate_principal_with_portfolio()
        .portfolio_id(&id)
        .principal_arn(&role)
        .principal_type(PrincipalType::Iam)
        .send()
        .await
        .unwrap();
    hub.associate_principal_with_portfolio()
        .portfolio_id(&id)
        .principal_arn("arn:aws:iam:::role/Dev*")
        .principal_type(PrincipalType::IamPattern)
        .send()
        .await
        .unwrap();
    let bad = hub
        .associate_principal_with_portfolio()
        .portfolio_id(&id)
        .principal_arn("role/Admin")
        .principal_type(PrincipalType::Iam)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&bad), "InvalidParametersException");
    let listed = hub
        .list_principals_for_portfolio()
        .portfolio_id(&id)
        .send()
        .await
        .unwrap();
    let arns: Vec<&str> = listed
        .principals()
        .iter()
        .filter_map(|p| p.principal_arn())
        .collect();
    assert_eq!(arns, [role.as_str(), "arn:aws:iam:::role/Dev*"]);
    assert_eq!(
        listed.principals()[1].principal_type(),
        Some(&PrincipalType::IamPattern)
    );

    let in_use = hub.delete_portfolio().id(&id).send().await.unwrap_err();
    assert_eq!(code(&in_use), "ResourceInUseException");

    for (arn, kind) in [
        (role.as_str(), PrincipalType::Iam),
        ("arn:aws:iam:::role/Dev*", PrincipalType::IamPattern),
    ] {
        hub.disassociate_principal_from_portfolio()
            .portfolio_id(&id)
            .principal_arn(arn)
            .principal_type(kind)
            .send()
            .await
            .unwrap();
    }
    let gone = hub
        .disassociate_principal_from_portfolio()
        .portfolio_id(&id)
        .principal_arn(&role)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "ResourceNotFoundException");
    hub.delete_portfolio().id(&id).send().await.unwrap();
}

#[tokio::test]
async fn tag_options_are_created_once_and_associated_only_with_what_the_account_owns() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let made = hub
        .create_tag_option()
        .key("Team")
        .value("payments")
        .send()
        .await
        .unwrap();
    let tag = made.tag_option_detail().unwrap().id().unwrap().to_string();
    let twice = hub
        .create_tag_option()
        .key("Team")
        .value("payments")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&twice), "DuplicateResourceException");
    let bad = hub
        .create_tag_option()
        .key("Team")
        .value("a;b")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&bad), "ValidationException");

    let product = product_of(&sb, "DynamoDB Table");
    hub.associate_tag_option_with_resource()
        .resource_id(&product)
        .tag_option_id(&tag)
        .send()
        .await
        .unwrap();
    let again = hub
        .associate_tag_option_with_resource()
        .resource_id(&product)
        .tag_option_id(&tag)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&again), "DuplicateResourceException");
    let described = hub
        .describe_product_as_admin()
        .id(&product)
        .send()
        .await
        .unwrap();
    assert!(
        described
            .tag_options()
            .iter()
            .any(|t| t.key() == Some("Team") && t.value() == Some("payments"))
    );

    // A spoke cannot put its TagOptions on the hub's product.
    let dev = sc(&sb, "spoke-dev").await;
    let theirs = dev
        .create_tag_option()
        .key("Team")
        .value("payments")
        .send()
        .await
        .unwrap();
    let theirs = theirs
        .tag_option_detail()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let refused = dev
        .associate_tag_option_with_resource()
        .resource_id(&product)
        .tag_option_id(&theirs)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "ResourceNotFoundException");

    hub.disassociate_tag_option_from_resource()
        .resource_id(&product)
        .tag_option_id(&tag)
        .send()
        .await
        .unwrap();
    let not_there = hub
        .disassociate_tag_option_from_resource()
        .resource_id(&product)
        .tag_option_id(&tag)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&not_there), "ResourceNotFoundException");
}

#[tokio::test]
async fn a_spoke_sees_a_products_tag_options_only_through_a_share_that_shares_them() {
    let sb = sandbox(1.0).await;
    // Platform Foundations is shared with the organization, TagOptions included.
    let shared = portfolio_of(&sb, "hub", "Platform Foundations");
    let product = product_of(&sb, "S3 Bucket");
    let data = sc(&sb, "spoke-data").await;
    let plain = data
        .describe_product_as_admin()
        .id(&product)
        .send()
        .await
        .unwrap();
    assert!(plain.tag_options().is_empty(), "{:?}", plain.tag_options());
    let through = data
        .describe_product_as_admin()
        .id(&product)
        .source_portfolio_id(&shared)
        .send()
        .await
        .unwrap();
    assert!(
        through
            .tag_options()
            .iter()
            .any(|t| t.key() == Some("AutoUpdateProvisionedProduct")),
        "{:?}",
        through.tag_options()
    );
}

#[tokio::test]
async fn update_portfolio_and_portfolio_access() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let id = portfolio_of(&sb, "hub", "Data & Analytics");
    let out = hub
        .update_portfolio()
        .id(&id)
        .description("Data products")
        .add_tags(Tag::builder().key("Owner").value("data").build().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.portfolio_detail().unwrap().description(),
        Some("Data products")
    );
    assert_eq!(out.tags()[0].key(), "Owner");
    let empty = hub
        .update_portfolio()
        .id(&id)
        .display_name("")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&empty), "ValidationException");
    let access = hub
        .list_portfolio_access()
        .portfolio_id(&id)
        .send()
        .await
        .unwrap();
    let mut accounts: Vec<&str> = access.account_ids().iter().map(String::as_str).collect();
    accounts.sort();
    let mut expected = [account_id(&sb, "spoke-data"), account_id(&sb, "spoke-dev")];
    expected.sort();
    assert_eq!(
        accounts,
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let dev = sc(&sb, "spoke-dev").await;
    let not_theirs = dev
        .list_portfolio_access()
        .portfolio_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&not_theirs), "ResourceNotFoundException");
}

#[tokio::test]
async fn a_product_leaves_a_portfolio_only_once_its_constraints_are_deleted() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let portfolio = portfolio_of(&sb, "hub", "Platform Foundations");
    let product = product_of(&sb, "S3 Bucket");
    let refused = hub
        .disassociate_product_from_portfolio()
        .portfolio_id(&portfolio)
        .product_id(&product)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "ResourceInUseException");
    let constraints = hub
        .list_constraints_for_portfolio()
        .portfolio_id(&portfolio)
        .product_id(&product)
        .send()
        .await
        .unwrap();
    assert!(!constraints.constraint_details().is_empty());
    for c in constraints.constraint_details() {
        hub.delete_constraint()
            .id(c.constraint_id().unwrap())
            .send()
            .await
            .unwrap();
    }
    let gone = hub
        .delete_constraint()
        .id(constraints.constraint_details()[0].constraint_id().unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "ResourceNotFoundException");
    hub.disassociate_product_from_portfolio()
        .portfolio_id(&portfolio)
        .product_id(&product)
        .send()
        .await
        .unwrap();
    let twice = hub
        .disassociate_product_from_portfolio()
        .portfolio_id(&portfolio)
        .product_id(&product)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&twice), "ResourceNotFoundException");
}

// ------------------------------------------- products and versions from S3

/// The S3 client of `profile`'s keys, signing for `region`, path-style (the
/// sandbox has one endpoint).
async fn s3_in(sb: &Sandbox, profile: &str, region: &str) -> aws_sdk_s3::Client {
    let p = sb
        .profiles()
        .into_iter()
        .find(|p| p.name == profile)
        .unwrap_or_else(|| panic!("no profile {profile}"));
    let conf = config_with_keys(sb, region, &p.access_key_id, &p.secret_access_key).await;
    let conf = aws_sdk_s3::config::Builder::from(&conf)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

/// A bucket of the hub in us-east-1 (its region) holding `objects`.
async fn hub_bucket(sb: &Sandbox, bucket: &str, objects: &[(&str, &str)]) {
    let s3 = s3_in(sb, "hub", "us-east-1").await;
    s3.create_bucket().bucket(bucket).send().await.unwrap();
    for (key, body) in objects {
        s3.put_object()
            .bucket(bucket)
            .key(*key)
            .content_type("text/yaml")
            .body(ByteStream::from(body.as_bytes().to_vec()))
            .send()
            .await
            .unwrap();
    }
}

fn url(bucket: &str, key: &str) -> String {
    format!("https://{bucket}.s3.us-east-1.amazonaws.com/{key}")
}

/// A template with the short forms of `Ref`, `Sub` and `GetAtt`.
const QUEUE_V1: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Description: An orders queue and its topic
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
    Description: Where it runs
  Retention:
    Type: Number
    Default: 345600
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${AWS::StackName}-${Env}"
      MessageRetentionPeriod: !Ref Retention
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt DeadLetters.Arn
        maxReceiveCount: 5
  DeadLetters:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !GetAtt Queue.QueueName
Outputs:
  QueueArn:
    Value: !GetAtt Queue.Arn
"#;

const QUEUE_V2: &str = r#"Parameters:
  Env:
    Type: String
    Default: dev
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${AWS::StackName}-${Env}-v2"
"#;

fn artifact(name: &str, url: &str) -> ProvisioningArtifactProperties {
    ProvisioningArtifactProperties::builder()
        .name(name)
        .description(format!("{name} of the queue"))
        .r#type(ProvisioningArtifactType::CloudFormationTemplate)
        .info("LoadTemplateFromURL", url)
        .build()
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().unwrap()
}

/// CreateProduct of a CloudFormation product named `name` with one version `v1` from `url`.
async fn create_product(
    hub: &aws_sdk_servicecatalog::Client,
    name: &str,
    url: &str,
    token: &str,
) -> aws_sdk_servicecatalog::operation::create_product::CreateProductOutput {
    hub.create_product()
        .name(name)
        .owner("Platform")
        .product_type(ProductType::CloudFormationTemplate)
        .provisioning_artifact_parameters(artifact("v1", url))
        .idempotency_token(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateProduct {name}: {e:?}"))
}

fn ids(
    out: &aws_sdk_servicecatalog::operation::create_product::CreateProductOutput,
) -> (String, String) {
    (
        out.product_view_detail()
            .and_then(|d| d.product_view_summary())
            .and_then(|s| s.product_id())
            .unwrap()
            .to_string(),
        out.provisioning_artifact_detail()
            .and_then(|a| a.id())
            .unwrap()
            .to_string(),
    )
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

/// A new portfolio of the hub holding `product`; its launch path's id.
async fn portfolio_with(
    hub: &aws_sdk_servicecatalog::Client,
    name: &str,
    product: &str,
) -> (String, String) {
    let portfolio = hub
        .create_portfolio()
        .display_name(name)
        .provider_name("Platform")
        .idempotency_token(format!("portfolio-{}", name.replace(' ', "-")))
        .send()
        .await
        .unwrap()
        .portfolio_detail()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    hub.associate_product_with_portfolio()
        .portfolio_id(&portfolio)
        .product_id(product)
        .send()
        .await
        .unwrap();
    let paths = hub
        .list_launch_paths()
        .product_id(product)
        .send()
        .await
        .unwrap();
    let path = paths
        .launch_path_summaries()
        .iter()
        .find(|p| p.name() == Some(name))
        .and_then(|p| p.id())
        .unwrap_or_else(|| panic!("no launch path through {name}: {paths:?}"))
        .to_string();
    assert_eq!(path, spoke::sandbox::world::launch_path_id(&portfolio));
    (portfolio, path)
}

/// ProvisionProduct of `product` at `artifact` through `path`: the record id
/// and the provisioned product's id.
async fn launch(
    hub: &aws_sdk_servicecatalog::Client,
    product: &str,
    artifact: &str,
    path: &str,
    name: &str,
) -> (String, String) {
    let out = hub
        .provision_product()
        .product_id(product)
        .provisioning_artifact_id(artifact)
        .path_id(path)
        .provisioned_product_name(name)
        .provision_token(format!("{name}-1"))
        .provisioning_parameters(
            ProvisioningParameter::builder()
                .key("Env")
                .value("prod")
                .build(),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("ProvisionProduct {name}: {e:?}"));
    let r = out.record_detail().unwrap();
    (
        r.record_id().unwrap().to_string(),
        r.provisioned_product_id().unwrap().to_string(),
    )
}

fn products_named(sb: &Sandbox, name: &str) -> usize {
    sb.with_world(|w| w.products.values().filter(|p| p.name == name).count())
}

#[tokio::test]
async fn create_product_loads_its_template_from_a_hub_bucket_once_per_token() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let hub_id = account_id(&sb, "hub");
    hub_bucket(&sb, "hub-templates", &[("queue/v1.yaml", QUEUE_V1)]).await;
    let v1 = url("hub-templates", "queue/v1.yaml");
    let create = || {
        hub.create_product()
            .name("Orders Queue")
            .owner("Platform")
            .description("A queue for orders")
            .distributor("Platform team")
            .support_email("platform@example.com")
            .product_type(ProductType::CloudFormationTemplate)
            .tags(tag("CostCenter", "1234"))
            .provisioning_artifact_parameters(artifact("v1", &v1))
            .idempotency_token("orders-queue-1")
    };
    let out = create().send().await.expect("CreateProduct");
    let detail = out.product_view_detail().unwrap();
    let summary = detail.product_view_summary().unwrap();
    let product = summary.product_id().unwrap().to_string();
    assert!(product.starts_with("prod-"), "{product}");
    assert_eq!(summary.name(), Some("Orders Queue"));
    assert_eq!(summary.owner(), Some("Platform"));
    assert_eq!(summary.short_description(), Some("A queue for orders"));
    assert_eq!(summary.distributor(), Some("Platform team"));
    assert_eq!(summary.support_email(), Some("platform@example.com"));
    assert_eq!(summary.r#type(), Some(&ProductType::CloudFormationTemplate));
    assert!(summary.id().is_some_and(|v| v.starts_with("prodview-")));
    assert_eq!(detail.status(), Some(&Status::Available));
    assert_eq!(
        detail.product_arn(),
        Some(format!("arn:aws:catalog:us-east-1:{hub_id}:product/{product}").as_str())
    );
    assert!(detail.created_time().is_some());
    let a = out.provisioning_artifact_detail().unwrap();
    let artifact_id = a.id().unwrap().to_string();
    assert!(artifact_id.starts_with("pa-"), "{artifact_id}");
    assert_eq!(a.name(), Some("v1"));
    assert_eq!(a.description(), Some("v1 of the queue"));
    assert_eq!(
        a.r#type(),
        Some(&ProvisioningArtifactType::CloudFormationTemplate)
    );
    assert_eq!(a.active(), Some(true));
    assert_eq!(a.guidance(), Some(&ProvisioningArtifactGuidance::Default));
    assert!(a.created_time().is_some());
    assert_eq!(out.tags().len(), 1);
    assert_eq!(
        (out.tags()[0].key(), out.tags()[0].value()),
        ("CostCenter", "1234")
    );

    // The same token: the same product and version, not a second product.
    let again = create().send().await.expect("CreateProduct again");
    assert_eq!(ids(&again), (product.clone(), artifact_id.clone()));
    assert_eq!(products_named(&sb, "Orders Queue"), 1);

    let described = hub
        .describe_product_as_admin()
        .id(&product)
        .send()
        .await
        .unwrap();
    let d = described.product_view_detail().unwrap();
    assert_eq!(
        d.product_view_summary().and_then(|s| s.name()),
        Some("Orders Queue")
    );
    let versions: Vec<(Option<&str>, Option<&str>)> = described
        .provisioning_artifact_summaries()
        .iter()
        .map(|s| (s.id(), s.name()))
        .collect();
    assert_eq!(versions, [(Some(artifact_id.as_str()), Some("v1"))]);
    assert!(described.tags().iter().any(|t| t.key() == "CostCenter"));
    let listed = hub
        .list_provisioning_artifacts()
        .product_id(&product)
        .send()
        .await
        .unwrap();
    let listed: Vec<&str> = listed
        .provisioning_artifact_details()
        .iter()
        .filter_map(|a| a.id())
        .collect();
    assert_eq!(listed, [artifact_id.as_str()]);
    let found = hub
        .search_products_as_admin()
        .send()
        .await
        .unwrap()
        .product_view_details()
        .iter()
        .any(|d| d.product_view_summary().and_then(|s| s.product_id()) == Some(&product));
    assert!(found, "SearchProductsAsAdmin lists the new product");

    // AWS's refusals, each InvalidParametersException; none makes a product.
    hub_bucket(
        &sb,
        "hub-broken",
        &[
            (
                "unparsable.yaml",
                "Resources:\n  Queue: [\n    Type: AWS::SQS::Queue\n",
            ),
            ("empty.yaml", "Description: no resources\n"),
        ],
    )
    .await;
    let refused = |name: &'static str, url: String, token: &'static str| {
        hub.create_product()
            .name(name)
            .owner("Platform")
            .product_type(ProductType::CloudFormationTemplate)
            .provisioning_artifact_parameters(artifact("v1", &url))
            .idempotency_token(token)
            .send()
    };
    for (name, url, token) in [
        ("Broken", url("hub-broken", "unparsable.yaml"), "broken-1"),
        ("Empty", url("hub-broken", "empty.yaml"), "empty-1"),
        (
            "Missing",
            url("hub-templates", "queue/v9.yaml"),
            "missing-1",
        ),
        ("No Bucket", url("no-such-bucket-1", "t.yaml"), "nobucket-1"),
        (
            "Not S3",
            "https://example.com/t.yaml".to_string(),
            "nots3-1",
        ),
    ] {
        let e = refused(name, url.clone(), token).await.unwrap_err();
        assert_eq!(code(&e), "InvalidParametersException", "{url}");
        assert_eq!(products_named(&sb, name), 0, "{url}");
    }

    // A bucket in another region than the caller's (us-east-1).
    let eu = s3_in(&sb, "hub", "eu-west-1").await;
    eu.create_bucket()
        .bucket("hub-europe")
        .create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::EuWest1)
                .build(),
        )
        .send()
        .await
        .expect("CreateBucket in eu-west-1");
    eu.put_object()
        .bucket("hub-europe")
        .key("queue/v1.yaml")
        .body(ByteStream::from_static(QUEUE_V1.as_bytes()))
        .send()
        .await
        .unwrap();
    for url in [
        "https://hub-europe.s3.eu-west-1.amazonaws.com/queue/v1.yaml",
        "https://hub-europe.s3.amazonaws.com/queue/v1.yaml",
        // names the caller's region, but the bucket is not there
        "https://hub-europe.s3.us-east-1.amazonaws.com/queue/v1.yaml",
    ] {
        let e = refused("Europe", url.to_string(), "europe-1")
            .await
            .unwrap_err();
        assert_eq!(code(&e), "InvalidParametersException", "{url}");
    }
    assert_eq!(products_named(&sb, "Europe"), 0);

    // In eu-west-1 that bucket serves; a token is the region's own (the
    // same token as in us-east-1 makes a product there, not the us-east-1 one).
    let p = sb.profiles().into_iter().find(|p| p.name == "hub").unwrap();
    let hub_eu = aws_sdk_servicecatalog::Client::new(
        &config_with_keys(&sb, "eu-west-1", &p.access_key_id, &p.secret_access_key).await,
    );
    let in_europe = create_product(
        &hub_eu,
        "Orders Queue",
        "https://hub-europe.s3.eu-west-1.amazonaws.com/queue/v1.yaml",
        "orders-queue-1",
    )
    .await;
    let arn = in_europe
        .product_view_detail()
        .and_then(|d| d.product_arn())
        .unwrap()
        .to_string();
    assert_ne!(ids(&in_europe).0, product);
    assert!(arn.starts_with("arn:aws:catalog:eu-west-1:"), "{arn}");
    assert_eq!(products_named(&sb, "Orders Queue"), 2);

    // No ProvisioningArtifactParameters for a CloudFormation product.
    let e = hub
        .create_product()
        .name("Versionless")
        .owner("Platform")
        .product_type(ProductType::CloudFormationTemplate)
        .idempotency_token("versionless-1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    assert_eq!(products_named(&sb, "Versionless"), 0);
}

#[tokio::test]
async fn a_created_product_launches_the_resources_of_its_template() {
    let sb = sandbox(200.0).await;
    let hub = sc(&sb, "hub").await;
    hub_bucket(&sb, "hub-templates", &[("queue/v1.yaml", QUEUE_V1)]).await;
    let out = create_product(
        &hub,
        "Orders Queue",
        &url("hub-templates", "queue/v1.yaml"),
        "orders-1",
    )
    .await;
    let (product, v1) = ids(&out);
    let (_, path) = portfolio_with(&hub, "Queues", &product).await;

    let params = hub
        .describe_provisioning_parameters()
        .product_id(&product)
        .provisioning_artifact_id(&v1)
        .path_id(&path)
        .send()
        .await
        .unwrap();
    let mut keys: Vec<&str> = params
        .provisioning_artifact_parameters()
        .iter()
        .filter_map(|p| p.parameter_key())
        .collect();
    keys.sort();
    assert_eq!(keys, ["Env", "Retention"]);
    let env = params
        .provisioning_artifact_parameters()
        .iter()
        .find(|p| p.parameter_key() == Some("Env"))
        .unwrap();
    assert_eq!(env.default_value(), Some("dev"));
    assert_eq!(env.description(), Some("Where it runs"));
    assert_eq!(
        env.parameter_constraints().map(|c| c.allowed_values()),
        Some(&["dev".to_string(), "prod".to_string()][..])
    );
    let outputs: Vec<&str> = params
        .provisioning_artifact_output_keys()
        .iter()
        .filter_map(|o| o.key())
        .collect();
    assert_eq!(outputs, ["QueueArn"]);

    let (record, pp) = launch(&hub, &product, &v1, &path, "orders-prod").await;
    eventually("the launch to succeed", Duration::from_secs(30), || async {
        let r = hub.describe_record().id(&record).send().await.unwrap();
        let status = r.record_detail().unwrap().status().cloned();
        assert_ne!(status, Some(RecordStatus::Failed), "{r:?}");
        (status == Some(RecordStatus::Succeeded)).then_some(())
    })
    .await;
    let searched = hub
        .search_provisioned_products()
        .access_level_filter(
            AccessLevelFilter::builder()
                .key(AccessLevelFilterKey::Account)
                .value("self")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let found = searched
        .provisioned_products()
        .iter()
        .find(|p| p.id() == Some(pp.as_str()))
        .expect("the provisioned product is found");
    assert_eq!(found.product_id(), Some(product.as_str()));
    assert_eq!(found.provisioning_artifact_id(), Some(v1.as_str()));
    let stack = found.physical_id().unwrap().to_string();
    let resources = cfn(&sb, "hub")
        .await
        .describe_stack_resources()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    let mut logical: Vec<&str> = resources
        .stack_resources()
        .iter()
        .filter_map(|r| r.logical_resource_id())
        .collect();
    logical.sort();
    assert_eq!(logical, ["DeadLetters", "Queue", "Topic"]);
    assert!(
        resources
            .stack_resources()
            .iter()
            .all(|r| r.resource_status().map(|s| s.as_str()) == Some("CREATE_COMPLETE")),
        "{resources:?}"
    );
    let types: Vec<(&str, &str)> = resources
        .stack_resources()
        .iter()
        .map(|r| (r.logical_resource_id().unwrap(), r.resource_type().unwrap()))
        .filter(|(l, _)| *l == "Topic")
        .collect();
    assert_eq!(types, [("Topic", "AWS::SNS::Topic")]);
    let outputs = hub
        .get_provisioned_product_outputs()
        .provisioned_product_id(&pp)
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = outputs
        .outputs()
        .iter()
        .filter_map(|o| o.output_key())
        .collect();
    assert_eq!(keys, ["QueueArn"]);
}

#[tokio::test]
async fn versions_are_created_once_per_token_and_deleted_under_aws_rules() {
    let sb = sandbox(200.0).await;
    let hub = sc(&sb, "hub").await;
    let dev = sc(&sb, "spoke-dev").await;
    hub_bucket(
        &sb,
        "hub-templates",
        &[("queue/v1.yaml", QUEUE_V1), ("queue/v2.yaml", QUEUE_V2)],
    )
    .await;
    let (v1_url, v2_url) = (
        url("hub-templates", "queue/v1.yaml"),
        url("hub-templates", "queue/v2.yaml"),
    );
    let (product, v1) = ids(&create_product(&hub, "Orders Queue", &v1_url, "orders-1").await);

    let add = |name: &'static str, token: &'static str| {
        hub.create_provisioning_artifact()
            .product_id(&product)
            .parameters(artifact(name, &v2_url))
            .idempotency_token(token)
            .send()
    };
    let out = add("v2", "orders-v2")
        .await
        .expect("CreateProvisioningArtifact");
    let d = out.provisioning_artifact_detail().unwrap();
    let v2 = d.id().unwrap().to_string();
    assert_ne!(v2, v1);
    assert_eq!(d.name(), Some("v2"));
    assert_eq!(d.description(), Some("v2 of the queue"));
    assert_eq!(d.active(), Some(true));
    assert_eq!(d.guidance(), Some(&ProvisioningArtifactGuidance::Default));
    assert_eq!(out.status(), Some(&Status::Available));
    assert_eq!(
        out.info()
            .and_then(|i| i.get("TemplateUrl"))
            .map(String::as_str),
        Some(v2_url.as_str())
    );
    // The same token twice makes one version.
    let again = add("v2", "orders-v2").await.unwrap();
    assert_eq!(
        again.provisioning_artifact_detail().and_then(|d| d.id()),
        Some(v2.as_str())
    );
    let listed = || async {
        hub.list_provisioning_artifacts()
            .product_id(&product)
            .send()
            .await
            .unwrap()
            .provisioning_artifact_details()
            .iter()
            .map(|a| a.id().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(listed().await, [v1.clone(), v2.clone()]);
    // A name the product already has, with a new token.
    let e = add("v2", "orders-v2-again").await.unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    assert_eq!(listed().await.len(), 2);
    // A template that is not there.
    let e = hub
        .create_provisioning_artifact()
        .product_id(&product)
        .parameters(artifact("v3", &url("hub-templates", "queue/v3.yaml")))
        .idempotency_token("orders-v3")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    // Another account's product.
    let e = dev
        .create_provisioning_artifact()
        .product_id(&product)
        .parameters(artifact("v3", &v2_url))
        .idempotency_token("dev-v3")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");

    // The last version of a product is not deleted.
    let (solo, solo_v1) = ids(&create_product(&hub, "Solo Queue", &v1_url, "solo-1").await);
    let e = hub
        .delete_provisioning_artifact()
        .product_id(&solo)
        .provisioning_artifact_id(&solo_v1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");

    // A token names a version of the product it was given for: the same
    // token for another product makes that product a version of its own.
    let solo_v2 = hub
        .create_provisioning_artifact()
        .product_id(&solo)
        .parameters(artifact("v2", &v2_url))
        .idempotency_token("orders-v2")
        .send()
        .await
        .unwrap();
    let solo_v2 = solo_v2.provisioning_artifact_detail().unwrap();
    assert_ne!(solo_v2.id(), Some(v2.as_str()));
    let solo_versions = hub
        .list_provisioning_artifacts()
        .product_id(&solo)
        .send()
        .await
        .unwrap();
    assert_eq!(solo_versions.provisioning_artifact_details().len(), 2);
    assert_eq!(listed().await.len(), 2);

    // Nor a version a provisioned product uses.
    let (_, path) = portfolio_with(&hub, "Queues", &product).await;
    launch(&hub, &product, &v1, &path, "orders-prod").await;
    let e = hub
        .delete_provisioning_artifact()
        .product_id(&product)
        .provisioning_artifact_id(&v1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceInUseException");

    // Another account does not find the product.
    let e = dev
        .delete_provisioning_artifact()
        .product_id(&product)
        .provisioning_artifact_id(&v2)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");

    // Otherwise it goes.
    hub.delete_provisioning_artifact()
        .product_id(&product)
        .provisioning_artifact_id(&v2)
        .send()
        .await
        .expect("DeleteProvisioningArtifact of an unused version");
    assert_eq!(listed().await, std::slice::from_ref(&v1));
    let e = hub
        .delete_provisioning_artifact()
        .product_id(&product)
        .provisioning_artifact_id(&v2)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
}

#[tokio::test]
async fn update_product_changes_what_its_owner_asks_and_only_its_owner() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    hub_bucket(&sb, "hub-templates", &[("queue/v1.yaml", QUEUE_V1)]).await;
    let out = hub
        .create_product()
        .name("Orders Queue")
        .owner("Platform")
        .description("A queue")
        .product_type(ProductType::CloudFormationTemplate)
        .tags(tag("CostCenter", "1234"))
        .tags(tag("Stage", "beta"))
        .provisioning_artifact_parameters(artifact("v1", &url("hub-templates", "queue/v1.yaml")))
        .idempotency_token("orders-1")
        .send()
        .await
        .unwrap();
    let (product, _) = ids(&out);
    let updated = hub
        .update_product()
        .id(&product)
        .name("Order Events Queue")
        .owner("Payments")
        .description("Order events, one queue per environment")
        .distributor("Payments team")
        .support_email("payments@example.com")
        .add_tags(tag("Team", "payments"))
        .add_tags(tag("CostCenter", "5678"))
        .remove_tags("Stage")
        .send()
        .await
        .expect("UpdateProduct");
    let s = updated
        .product_view_detail()
        .and_then(|d| d.product_view_summary())
        .unwrap();
    assert_eq!(s.product_id(), Some(product.as_str()));
    assert_eq!(s.name(), Some("Order Events Queue"));
    assert_eq!(s.owner(), Some("Payments"));
    assert_eq!(
        s.short_description(),
        Some("Order events, one queue per environment")
    );
    assert_eq!(s.distributor(), Some("Payments team"));
    assert_eq!(s.support_email(), Some("payments@example.com"));
    let mut tags: Vec<(&str, &str)> = updated
        .tags()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    tags.sort();
    assert_eq!(tags, [("CostCenter", "5678"), ("Team", "payments")]);

    let described = hub
        .describe_product_as_admin()
        .id(&product)
        .send()
        .await
        .unwrap();
    let s = described
        .product_view_detail()
        .and_then(|d| d.product_view_summary())
        .unwrap();
    assert_eq!(
        (s.name(), s.owner()),
        (Some("Order Events Queue"), Some("Payments"))
    );
    let mut tags: Vec<&str> = described.tags().iter().map(|t| t.key()).collect();
    tags.sort();
    assert_eq!(tags, ["CostCenter", "Team"]);

    // Only what is given changes.
    let same = hub
        .update_product()
        .id(&product)
        .owner("Platform")
        .send()
        .await
        .unwrap();
    let s = same
        .product_view_detail()
        .and_then(|d| d.product_view_summary())
        .unwrap();
    assert_eq!(
        (s.name(), s.owner(), s.distributor()),
        (
            Some("Order Events Queue"),
            Some("Platform"),
            Some("Payments team")
        )
    );

    let dev = sc(&sb, "spoke-dev").await;
    let e = dev
        .update_product()
        .id(&product)
        .name("Taken Over")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    let e = hub
        .update_product()
        .id("prod-doesnotexist1")
        .name("Nothing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    assert_eq!(products_named(&sb, "Taken Over"), 0);
}

#[tokio::test]
async fn a_portfolio_holding_a_product_is_deleted_only_once_emptied() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    hub_bucket(&sb, "hub-templates", &[("queue/v1.yaml", QUEUE_V1)]).await;
    let (product, _) = ids(&create_product(
        &hub,
        "Orders Queue",
        &url("hub-templates", "queue/v1.yaml"),
        "orders-1",
    )
    .await);
    let (portfolio, _) = portfolio_with(&hub, "Queues", &product).await;
    let e = hub
        .delete_portfolio()
        .id(&portfolio)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceInUseException");
    hub.disassociate_product_from_portfolio()
        .portfolio_id(&portfolio)
        .product_id(&product)
        .send()
        .await
        .unwrap();
    hub.delete_portfolio()
        .id(&portfolio)
        .send()
        .await
        .expect("DeletePortfolio once emptied");
    let e = hub
        .describe_portfolio()
        .id(&portfolio)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    // The product outlives its portfolio.
    hub.describe_product_as_admin()
        .id(&product)
        .send()
        .await
        .expect("the product is still there");
}
