//! The rest of a provisioned product's life, through the real SDK clients:
//! TerminateProvisionedProduct (its stack's deletion, idempotency, retained
//! resources, failures) and UpdateProvisionedProduct to another product.

use crate::fixtures::*;

use std::time::{Duration, Instant};

use aws_sdk_servicecatalog::types::{AccessLevelFilter, AccessLevelFilterKey, RecordStatus};
use spoke::sandbox::Sandbox;

/// A small world: a hub with a bucket, a queue and a broken product in its
/// own portfolio, and provisioned products of each.
pub(super) const LIFE_WORLD: &str = r#"
[[accounts]]
name = "hub"
id = "111111111111"
caller = "assumed-role/Admin/alice"

[[products]]
account = "hub"
name = "Bucket"
owner = "Platform"

[[products.versions]]
name = "v1"
created_ago = "30d"
resources = [
  { id = "Bucket", type = "AWS::S3::Bucket", seconds = 3 },
  { id = "BucketPolicy", type = "AWS::S3::BucketPolicy", seconds = 2 },
]
parameters = [{ key = "Versioning", default = "Enabled", allowed_values = ["Enabled", "Suspended"] }]

[[products.versions]]
name = "v2"
created_ago = "3d"
resources = [
  { id = "Bucket", type = "AWS::S3::Bucket", seconds = 3 },
  { id = "BucketPolicy", type = "AWS::S3::BucketPolicy", seconds = 2 },
]
parameters = [{ key = "Versioning", default = "Enabled", allowed_values = ["Enabled", "Suspended"] }]

[[products]]
account = "hub"
name = "Queue"
owner = "Platform"

[[products.versions]]
name = "v1"
created_ago = "20d"
resources = [
  { id = "Queue", type = "AWS::SQS::Queue", seconds = 2 },
  { id = "DeadLetters", type = "AWS::SQS::Queue", seconds = 2 },
]
parameters = [{ key = "VisibilityTimeout", default = "30" }]

[[products]]
account = "hub"
name = "Broken"
owner = "Platform"

[[products.versions]]
name = "v1"
created_ago = "20d"
fails_on = "Topic"
resources = [{ id = "Topic", type = "AWS::SNS::Topic", seconds = 2 }]

[[portfolios]]
account = "hub"
name = "Hub"
provider = "Platform"
products = ["Bucket", "Queue", "Broken"]

[[provisioned]]
account = "hub"
name = "logs"
product = "Bucket"
history = [{ version = "v1", ago = "10d" }]

[[provisioned]]
account = "hub"
name = "jobs"
product = "Queue"
history = [{ version = "v1", ago = "5d" }]

[[provisioned]]
account = "hub"
name = "broken"
product = "Broken"
history = [{ version = "v1", ago = "2d" }]
"#;

pub(super) fn pp_id(sb: &Sandbox, name: &str) -> String {
    sb.with_world(|w| {
        w.provisioned
            .values()
            .find(|p| p.name == name)
            .map(|p| p.id.clone())
    })
    .unwrap_or_else(|| panic!("no provisioned product {name}"))
}

pub(super) fn stack_of(sb: &Sandbox, name: &str) -> String {
    sb.with_world(|w| {
        w.provisioned
            .values()
            .find(|p| p.name == name)
            .map(|p| p.stack_id.clone())
    })
    .unwrap_or_else(|| panic!("no provisioned product {name}"))
}

pub(super) fn product(sb: &Sandbox, name: &str) -> (String, Vec<(String, String)>) {
    sb.with_world(|w| {
        w.products.values().find(|p| p.name == name).map(|p| {
            (
                p.id.clone(),
                p.versions
                    .iter()
                    .map(|v| (v.name.clone(), v.id.clone()))
                    .collect(),
            )
        })
    })
    .unwrap_or_else(|| panic!("no product {name}"))
}

pub(super) fn version(sb: &Sandbox, product_name: &str, version: &str) -> String {
    product(sb, product_name)
        .1
        .into_iter()
        .find(|(n, _)| n == version)
        .map(|(_, id)| id)
        .unwrap_or_else(|| panic!("no version {version} of {product_name}"))
}

/// Polls DescribeRecord until the record is no longer CREATED/IN_PROGRESS.
pub(super) async fn settled(
    sc: &aws_sdk_servicecatalog::Client,
    record: &str,
    limit: Duration,
) -> RecordStatus {
    let start = Instant::now();
    loop {
        let r = sc
            .describe_record()
            .id(record)
            .send()
            .await
            .expect("DescribeRecord");
        let status = r
            .record_detail()
            .and_then(|d| d.status())
            .cloned()
            .expect("a status");
        if !matches!(status, RecordStatus::Created | RecordStatus::InProgress) {
            return status;
        }
        assert!(start.elapsed() < limit, "record {record} still {status:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn account_level() -> AccessLevelFilter {
    AccessLevelFilter::builder()
        .key(AccessLevelFilterKey::Account)
        .value("self")
        .build()
}

async fn terminate(
    sc: &aws_sdk_servicecatalog::Client,
    id: &str,
    token: &str,
) -> aws_sdk_servicecatalog::operation::terminate_provisioned_product::TerminateProvisionedProductOutput
{
    sc.terminate_provisioned_product()
        .provisioned_product_id(id)
        .terminate_token(token)
        .send()
        .await
        .expect("TerminateProvisionedProduct")
}

// ---------------------------------------------------------------- terminate

#[tokio::test]
async fn a_terminated_product_deletes_its_stack_in_reverse_order_and_is_gone() {
    let (sb, _dir) = sandbox_on(LIFE_WORLD, 20.0).await;
    let hub = sc(&sb, "hub").await;
    let cf = cfn(&sb, "hub").await;
    let id = pp_id(&sb, "logs");
    let stack = stack_of(&sb, "logs");
    let stack_name = sb.with_world(|w| w.stacks[&stack].name.clone());
    let out = terminate(&hub, &id, "end-logs").await;
    let record = out.record_detail().expect("a record");
    assert_eq!(record.record_type(), Some("TERMINATE_PROVISIONED_PRODUCT"));
    assert_eq!(record.provisioned_product_id(), Some(id.as_str()));
    let record_id = record.record_id().unwrap().to_string();
    // while it runs the product is UNDER_CHANGE, and the same token answers the same record
    let again = terminate(&hub, &id, "end-logs").await;
    assert_eq!(
        again.record_detail().and_then(|r| r.record_id()),
        Some(record_id.as_str())
    );
    let d = hub
        .describe_provisioned_product()
        .id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        d.provisioned_product_detail()
            .and_then(|p| p.status())
            .map(|s| s.as_str()),
        Some("UNDER_CHANGE")
    );
    assert_eq!(
        settled(&hub, &record_id, Duration::from_secs(10)).await,
        RecordStatus::Succeeded
    );
    // gone from Describe, Search and Scan; the token is no longer valid
    let e = hub
        .describe_provisioned_product()
        .id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    let e = hub
        .terminate_provisioned_product()
        .provisioned_product_id(&id)
        .terminate_token("end-logs")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    let search = hub
        .search_provisioned_products()
        .access_level_filter(account_level())
        .send()
        .await
        .unwrap();
    assert!(
        search
            .provisioned_products()
            .iter()
            .all(|p| p.id() != Some(id.as_str())),
        "still searched"
    );
    let scan = hub
        .scan_provisioned_products()
        .access_level_filter(account_level())
        .send()
        .await
        .unwrap();
    assert!(
        scan.provisioned_products()
            .iter()
            .all(|p| p.id() != Some(id.as_str()))
    );
    // the name is free again: a new launch may take it
    assert!(sb.with_world(|w| w.provisioned_names.iter().all(|(_, _, n)| n != "logs")));
    // the record stays, and is in the history
    let r = hub.describe_record().id(&record_id).send().await.unwrap();
    assert_eq!(
        r.record_detail().and_then(|d| d.status()),
        Some(&RecordStatus::Succeeded)
    );
    let history = hub
        .list_record_history()
        .access_level_filter(account_level())
        .send()
        .await
        .unwrap();
    assert_eq!(
        history.record_details().first().and_then(|r| r.record_id()),
        Some(record_id.as_str()),
        "newest first"
    );
    // the stack: by id DELETE_COMPLETE, by name it does not exist
    let by_id = cf
        .describe_stacks()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    assert_eq!(
        by_id.stacks()[0].stack_status().map(|s| s.as_str()),
        Some("DELETE_COMPLETE")
    );
    let e = cf
        .describe_stacks()
        .stack_name(&stack_name)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationError");
    let listed = cf.describe_stacks().send().await.unwrap();
    assert!(
        listed
            .stacks()
            .iter()
            .all(|s| s.stack_id() != Some(stack.as_str()))
    );
    // its events, oldest first: the stack, then the policy, then the bucket, then the stack
    let events = cf
        .describe_stack_events()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    let deletion: Vec<(String, String)> = events
        .stack_events()
        .iter()
        .rev()
        .map(|e| {
            (
                e.logical_resource_id().unwrap_or_default().to_string(),
                e.resource_status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
            )
        })
        .skip_while(|(_, s)| !s.starts_with("DELETE"))
        .collect();
    let pairs: Vec<(&str, &str)> = deletion
        .iter()
        .map(|(l, s)| (l.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            (stack_name.as_str(), "DELETE_IN_PROGRESS"),
            ("BucketPolicy", "DELETE_IN_PROGRESS"),
            ("BucketPolicy", "DELETE_COMPLETE"),
            ("Bucket", "DELETE_IN_PROGRESS"),
            ("Bucket", "DELETE_COMPLETE"),
            (stack_name.as_str(), "DELETE_COMPLETE"),
        ]
    );
    let resources = cf
        .describe_stack_resources()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    assert!(resources.stack_resources().is_empty());
}

#[tokio::test]
async fn terminate_is_refused_while_the_product_is_under_change() {
    let (sb, _dir) = sandbox_on(LIFE_WORLD, 1.0).await;
    let hub = sc(&sb, "hub").await;
    let id = pp_id(&sb, "logs");
    let v2 = version(&sb, "Bucket", "v2");
    hub.update_provisioned_product()
        .provisioned_product_id(&id)
        .provisioning_artifact_id(&v2)
        .update_token("to-v2")
        .send()
        .await
        .expect("update");
    let e = hub
        .terminate_provisioned_product()
        .provisioned_product_id(&id)
        .terminate_token("end")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    assert!(format!("{e:?}").contains("UNDER_CHANGE"), "{e:?}");
}

#[tokio::test]
async fn terminate_takes_an_id_or_a_name_not_both() {
    let (sb, _dir) = sandbox_on(LIFE_WORLD, 20.0).await;
    let hub = sc(&sb, "hub").await;
    let id = pp_id(&sb, "logs");
    let e = hub
        .terminate_provisioned_product()
        .provisioned_product_id(&id)
        .provisioned_product_name("logs")
        .terminate_token("t1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    let e = hub
        .terminate_provisioned_product()
        .provisioned_product_name("nope")
        .terminate_token("t2")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    let e = hub
        .terminate_provisioned_product()
        .provisioned_product_name("logs")
        .terminate_token("not a token!")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationException");
    let out = hub
        .terminate_provisioned_product()
        .provisioned_product_name("logs")
        .terminate_token("t3")
        .send()
        .await
        .expect("by name");
    let rec = out.record_detail().and_then(|r| r.record_id()).unwrap();
    assert_eq!(
        settled(&hub, rec, Duration::from_secs(10)).await,
        RecordStatus::Succeeded
    );
}

#[tokio::test]
async fn retain_physical_resources_keeps_the_stack() {
    let (sb, _dir) = sandbox_on(LIFE_WORLD, 20.0).await;
    let hub = sc(&sb, "hub").await;
    let cf = cfn(&sb, "hub").await;
    let id = pp_id(&sb, "jobs");
    let stack = stack_of(&sb, "jobs");
    let out = hub
        .terminate_provisioned_product()
        .provisioned_product_id(&id)
        .terminate_token("keep")
        .retain_physical_resources(true)
        .send()
        .await
        .unwrap();
    let rec = out.record_detail().and_then(|r| r.record_id()).unwrap();
    assert_eq!(
        settled(&hub, rec, Duration::from_secs(10)).await,
        RecordStatus::Succeeded
    );
    let e = hub
        .describe_provisioned_product()
        .id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    let s = cf
        .describe_stacks()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    assert_eq!(
        s.stacks()[0].stack_status().map(|s| s.as_str()),
        Some("CREATE_COMPLETE")
    );
    let resources = cf
        .describe_stack_resources()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    assert_eq!(resources.stack_resources().len(), 2);
}

#[tokio::test]
async fn a_product_whose_launch_failed_terminates_too() {
    let (sb, _dir) = sandbox_on(LIFE_WORLD, 20.0).await;
    let hub = sc(&sb, "hub").await;
    let id = pp_id(&sb, "broken");
    let stack = stack_of(&sb, "broken");
    assert_eq!(
        sb.with_world(|w| w.stacks[&stack].status.clone()),
        "ROLLBACK_COMPLETE"
    );
    let out = terminate(&hub, &id, "end-broken").await;
    let rec = out.record_detail().and_then(|r| r.record_id()).unwrap();
    assert_eq!(
        settled(&hub, rec, Duration::from_secs(10)).await,
        RecordStatus::Succeeded
    );
    assert_eq!(
        sb.with_world(|w| w.stacks[&stack].status.clone()),
        "DELETE_COMPLETE"
    );
}

#[tokio::test]
async fn a_resource_that_cannot_be_deleted_fails_the_termination_unless_errors_are_ignored() {
    let (sb, _dir) = sandbox_on(LIFE_WORLD, 20.0).await;
    let hub = sc(&sb, "hub").await;
    let cf = cfn(&sb, "hub").await;
    for (name, ignore) in [("logs", false), ("jobs", true)] {
        let id = pp_id(&sb, name);
        let stack = stack_of(&sb, name);
        let logical = if name == "logs" { "Bucket" } else { "Queue" };
        sb.with_world(|w| w.delete_fails.insert(stack.clone(), logical.into()));
        let out = hub
            .terminate_provisioned_product()
            .provisioned_product_id(&id)
            .terminate_token(format!("end-{name}"))
            .ignore_errors(ignore)
            .send()
            .await
            .unwrap();
        let rec = out.record_detail().and_then(|r| r.record_id()).unwrap();
        let status = settled(&hub, rec, Duration::from_secs(10)).await;
        let s = cf
            .describe_stacks()
            .stack_name(&stack)
            .send()
            .await
            .unwrap();
        assert_eq!(
            s.stacks()[0].stack_status().map(|s| s.as_str()),
            Some("DELETE_FAILED")
        );
        let found = hub.describe_provisioned_product().id(&id).send().await;
        if ignore {
            assert_eq!(status, RecordStatus::Succeeded);
            assert_eq!(code(&found.unwrap_err()), "ResourceNotFoundException");
        } else {
            assert_eq!(status, RecordStatus::Failed);
            let r = hub.describe_record().id(rec).send().await.unwrap();
            let errors = r
                .record_detail()
                .map(|d| d.record_errors())
                .unwrap_or_default();
            assert!(!errors.is_empty());
            let detail = found.expect("still there");
            assert_eq!(
                detail
                    .provisioned_product_detail()
                    .and_then(|p| p.status())
                    .map(|s| s.as_str()),
                Some("TAINTED")
            );
            let resources = cf
                .describe_stack_resources()
                .stack_name(&stack)
                .send()
                .await
                .unwrap();
            let left: Vec<_> = resources
                .stack_resources()
                .iter()
                .filter_map(|r| r.logical_resource_id())
                .collect();
            assert_eq!(left, ["Bucket"]);
        }
    }
}

// ---------------------------------------------------------------- another product

#[tokio::test]
async fn an_update_to_another_product_replaces_the_resources_and_the_product() {
    let (sb, _dir) = sandbox_on(LIFE_WORLD, 20.0).await;
    let hub = sc(&sb, "hub").await;
    let cf = cfn(&sb, "hub").await;
    let id = pp_id(&sb, "logs");
    let stack = stack_of(&sb, "logs");
    let (queue, _) = product(&sb, "Queue");
    let queue_v1 = version(&sb, "Queue", "v1");
    // a version of another product than the one named is not found
    let e = hub
        .update_provisioned_product()
        .provisioned_product_id(&id)
        .product_id(&queue)
        .provisioning_artifact_id(version(&sb, "Bucket", "v2"))
        .update_token("wrong-version")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    // another product needs its version named
    let e = hub
        .update_provisioned_product()
        .provisioned_product_id(&id)
        .product_id(&queue)
        .update_token("no-version")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    let out = hub
        .update_provisioned_product()
        .provisioned_product_id(&id)
        .product_name("Queue")
        .provisioning_artifact_id(&queue_v1)
        .update_token("to-queue")
        .send()
        .await
        .expect("UpdateProvisionedProduct to another product");
    let detail = out.record_detail().unwrap();
    assert_eq!(detail.product_id(), Some(queue.as_str()));
    let rec = detail.record_id().unwrap();
    // until it succeeds the provisioned product is still the bucket
    let before = hub
        .describe_provisioned_product()
        .id(&id)
        .send()
        .await
        .unwrap();
    assert_ne!(
        before
            .provisioned_product_detail()
            .and_then(|p| p.product_id()),
        Some(queue.as_str())
    );
    assert_eq!(
        settled(&hub, rec, Duration::from_secs(10)).await,
        RecordStatus::Succeeded
    );
    let after = hub
        .describe_provisioned_product()
        .id(&id)
        .send()
        .await
        .unwrap();
    let p = after.provisioned_product_detail().unwrap();
    assert_eq!(p.product_id(), Some(queue.as_str()));
    assert_eq!(p.provisioning_artifact_id(), Some(queue_v1.as_str()));
    let resources = cf
        .describe_stack_resources()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    let mut left: Vec<_> = resources
        .stack_resources()
        .iter()
        .filter_map(|r| r.logical_resource_id())
        .collect();
    left.sort();
    assert_eq!(left, ["DeadLetters", "Queue"]);
    let events = cf
        .describe_stack_events()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    let deleted: Vec<_> = events
        .stack_events()
        .iter()
        .filter(|e| e.resource_status().map(|s| s.as_str()) == Some("DELETE_COMPLETE"))
        .filter_map(|e| e.logical_resource_id())
        .collect();
    assert!(
        deleted.contains(&"Bucket") && deleted.contains(&"BucketPolicy"),
        "{deleted:?}"
    );
}

#[tokio::test]
async fn an_update_to_a_product_the_account_cannot_reach_is_not_found() {
    let sb = sandbox(1.0).await;
    let dev = sc(&sb, "spoke-dev").await;
    let id = pp_id(&sb, "dev-artifacts");
    // Athena Workgroup is only in Data & Analytics, whose share spoke-dev has not accepted
    let (athena, versions) = product(&sb, "Athena Workgroup");
    let e = dev
        .update_provisioned_product()
        .provisioned_product_id(&id)
        .product_id(&athena)
        .provisioning_artifact_id(&versions[0].1)
        .update_token("to-athena")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
}
