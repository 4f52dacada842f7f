//! CloudFormation drift detection through the real SDK client: the default
//! world's drifted stacks, detections that take time, refusals, the drift
//! fault, and an update that brings a resource back in sync.

use crate::fixtures::*;

use std::time::{Duration, Instant};

use aws_sdk_cloudformation::types::{
    DifferenceType, StackDriftDetectionStatus, StackDriftStatus, StackResourceDriftStatus,
};
use spoke::sandbox::{Faults, Sandbox};

use super::lifecycle::{LIFE_WORLD, pp_id, settled, stack_of, version};

/// Runs a detection on the stack and waits for it to complete.
async fn detect(
    cf: &aws_sdk_cloudformation::Client,
    stack: &str,
) -> aws_sdk_cloudformation::operation::describe_stack_drift_detection_status::DescribeStackDriftDetectionStatusOutput
{
    let id = cf
        .detect_stack_drift()
        .stack_name(stack)
        .send()
        .await
        .expect("DetectStackDrift")
        .stack_drift_detection_id()
        .expect("an id")
        .to_string();
    let start = Instant::now();
    loop {
        let s = cf
            .describe_stack_drift_detection_status()
            .stack_drift_detection_id(&id)
            .send()
            .await
            .expect("DescribeStackDriftDetectionStatus");
        if s.detection_status() != Some(&StackDriftDetectionStatus::DetectionInProgress) {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "detection still running"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn stack_for(sb: &Sandbox, name: &str) -> String {
    stack_of(sb, name)
}

#[tokio::test]
async fn the_default_worlds_drifted_stacks_report_their_differences() {
    let sb = sandbox(20.0).await;
    let prod = cfn(&sb, "spoke-prod").await;
    let stack = stack_for(&sb, "prod-audit-logs");
    // before any detection
    let s = prod
        .describe_stacks()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    assert_eq!(
        s.stacks()[0]
            .drift_information()
            .and_then(|d| d.stack_drift_status()),
        Some(&StackDriftStatus::NotChecked)
    );
    let none = prod
        .describe_stack_resource_drifts()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    assert!(none.stack_resource_drifts().is_empty());
    let status = detect(&prod, &stack).await;
    assert_eq!(
        status.detection_status(),
        Some(&StackDriftDetectionStatus::DetectionComplete)
    );
    assert_eq!(
        status.stack_drift_status(),
        Some(&StackDriftStatus::Drifted)
    );
    assert_eq!(status.drifted_stack_resource_count(), Some(2));
    assert!(status.timestamp().is_some());
    let drifts = prod
        .describe_stack_resource_drifts()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    let bucket = drifts
        .stack_resource_drifts()
        .iter()
        .find(|d| d.logical_resource_id() == Some("Bucket"))
        .expect("the bucket");
    assert_eq!(
        bucket.stack_resource_drift_status(),
        Some(&StackResourceDriftStatus::Modified)
    );
    let diff = &bucket.property_differences()[0];
    assert_eq!(
        diff.property_path(),
        Some("/VersioningConfiguration/Status")
    );
    assert_eq!(diff.expected_value(), Some("Enabled"));
    assert_eq!(diff.actual_value(), Some("Suspended"));
    assert_eq!(diff.difference_type(), Some(&DifferenceType::NotEqual));
    let expected: serde_json::Value =
        serde_json::from_str(bucket.expected_properties().unwrap()).unwrap();
    let actual: serde_json::Value =
        serde_json::from_str(bucket.actual_properties().unwrap()).unwrap();
    assert_eq!(expected["VersioningConfiguration"]["Status"], "Enabled");
    assert_eq!(actual["VersioningConfiguration"]["Status"], "Suspended");
    let policy = drifts
        .stack_resource_drifts()
        .iter()
        .find(|d| d.logical_resource_id() == Some("BucketPolicy"))
        .expect("the policy");
    assert_eq!(
        policy.stack_resource_drift_status(),
        Some(&StackResourceDriftStatus::Deleted)
    );
    // filtered, and paged
    let deleted = prod
        .describe_stack_resource_drifts()
        .stack_name(&stack)
        .stack_resource_drift_status_filters(StackResourceDriftStatus::Deleted)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.stack_resource_drifts().len(), 1);
    let first = prod
        .describe_stack_resource_drifts()
        .stack_name(&stack)
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(first.stack_resource_drifts().len(), 1);
    let rest = prod
        .describe_stack_resource_drifts()
        .stack_name(&stack)
        .max_results(1)
        .next_token(first.next_token().expect("a next page"))
        .send()
        .await
        .unwrap();
    assert_ne!(
        rest.stack_resource_drifts()[0].logical_resource_id(),
        first.stack_resource_drifts()[0].logical_resource_id()
    );
    let e = prod
        .describe_stack_resource_drifts()
        .stack_name(&stack)
        .max_results(101)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationError");
    // DescribeStacks and DescribeStackResources now know
    let s = prod
        .describe_stacks()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    let info = s.stacks()[0].drift_information().unwrap();
    assert_eq!(info.stack_drift_status(), Some(&StackDriftStatus::Drifted));
    assert!(info.last_check_timestamp().is_some());
    // the dev service: two properties changed by hand
    let dev = cfn(&sb, "spoke-dev").await;
    let api = stack_for(&sb, "dev-payments-api");
    let status = detect(&dev, &api).await;
    assert_eq!(status.drifted_stack_resource_count(), Some(2));
    let drifts = dev
        .describe_stack_resource_drifts()
        .stack_name(&api)
        .stack_resource_drift_status_filters(StackResourceDriftStatus::Modified)
        .send()
        .await
        .unwrap();
    let paths: Vec<_> = drifts
        .stack_resource_drifts()
        .iter()
        .flat_map(|d| d.property_differences())
        .map(|p| {
            (
                p.property_path().unwrap(),
                p.expected_value().unwrap(),
                p.actual_value().unwrap(),
            )
        })
        .collect();
    assert!(paths.contains(&("/DesiredCount", "1", "3")), "{paths:?}");
    assert!(
        paths.contains(&("/RetentionInDays", "30", "7")),
        "{paths:?}"
    );
    // another stack is in sync
    let other = stack_for(&sb, "prod-static-assets");
    let status = detect(&prod, &other).await;
    assert_eq!(status.stack_drift_status(), Some(&StackDriftStatus::InSync));
    assert_eq!(status.drifted_stack_resource_count(), Some(0));
}

#[tokio::test]
async fn drift_detection_is_refused_on_a_stack_in_progress_or_unknown() {
    let sb = sandbox(1.0).await;
    let prod = cfn(&sb, "spoke-prod").await;
    // prod-orders-db's update runs for minutes
    let busy = stack_for(&sb, "prod-orders-db");
    let e = prod
        .detect_stack_drift()
        .stack_name(&busy)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationError");
    assert!(format!("{e:?}").contains("UPDATE_IN_PROGRESS"), "{e:?}");
    let e = prod
        .detect_stack_drift()
        .stack_name("no-such-stack")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationError");
    let e = prod
        .describe_stack_drift_detection_status()
        .stack_drift_detection_id("00000000-0000-0000-0000-000000000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationError");
    let e = prod
        .detect_stack_drift()
        .stack_name(stack_for(&sb, "prod-audit-logs"))
        .logical_resource_ids("Nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationError");
    // a detection is in progress at first
    let id = prod
        .detect_stack_drift()
        .stack_name(stack_for(&sb, "prod-audit-logs"))
        .logical_resource_ids("Bucket")
        .send()
        .await
        .unwrap()
        .stack_drift_detection_id()
        .unwrap()
        .to_string();
    let s = prod
        .describe_stack_drift_detection_status()
        .stack_drift_detection_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        s.detection_status(),
        Some(&StackDriftDetectionStatus::DetectionInProgress)
    );
}

#[tokio::test]
async fn the_drift_fault_changes_a_stack_and_an_update_restores_sync() {
    let (sb, _dir) = sandbox_on(LIFE_WORLD, 20.0).await;
    let cf = cfn(&sb, "hub").await;
    let hub = sc(&sb, "hub").await;
    let stack = stack_of(&sb, "logs");
    assert_eq!(
        detect(&cf, &stack).await.stack_drift_status(),
        Some(&StackDriftStatus::InSync)
    );
    sb.set_faults(Faults {
        drift: vec!["logs".into()],
        ..Faults::default()
    });
    let status = detect(&cf, &stack).await;
    assert_eq!(
        status.stack_drift_status(),
        Some(&StackDriftStatus::Drifted)
    );
    let drifts = cf
        .describe_stack_resource_drifts()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    let bucket = drifts
        .stack_resource_drifts()
        .iter()
        .find(|d| d.logical_resource_id() == Some("Bucket"))
        .unwrap();
    assert_eq!(
        bucket.property_differences()[0].actual_value(),
        Some("Suspended")
    );
    // someone stops changing it; an update redeploys the bucket
    sb.set_faults(Faults::default());
    let out = hub
        .update_provisioned_product()
        .provisioned_product_id(pp_id(&sb, "logs"))
        .provisioning_artifact_id(version(&sb, "Bucket", "v2"))
        .update_token("resync")
        .send()
        .await
        .unwrap();
    let rec = out.record_detail().and_then(|r| r.record_id()).unwrap();
    settled(&hub, rec, Duration::from_secs(10)).await;
    assert_eq!(
        detect(&cf, &stack).await.stack_drift_status(),
        Some(&StackDriftStatus::InSync)
    );
}

#[tokio::test]
async fn a_world_files_resource_drift_is_checked() {
    let bad = LIFE_WORLD.replace(
        "history = [{ version = \"v1\", ago = \"5d\" }]",
        "history = [{ version = \"v1\", ago = \"5d\" }]\nresource_drift = [{ resource = \"Queue\", property = \"VisibilityTimeout\", actual = 60 }]",
    );
    let e = spoke::sandbox::scenario::load("w.toml", &bad, chrono::Utc::now()).unwrap_err();
    assert!(e.message.contains("JSON pointer"), "{e}");
    let bad = LIFE_WORLD.replace(
        "history = [{ version = \"v1\", ago = \"5d\" }]",
        "history = [{ version = \"v1\", ago = \"5d\" }]\nresource_drift = [{ resource = \"Topic\", deleted = true }]",
    );
    let e = spoke::sandbox::scenario::load("w.toml", &bad, chrono::Utc::now()).unwrap_err();
    assert!(e.message.contains("no resource `Topic`"), "{e}");
    let good = LIFE_WORLD.replace(
        "history = [{ version = \"v1\", ago = \"5d\" }]",
        "history = [{ version = \"v1\", ago = \"5d\" }]\nresource_drift = [{ resource = \"Queue\", property = \"/VisibilityTimeout\", actual = 60 }, { resource = \"DeadLetters\", property = \"/MessageRetentionPeriod\" }]",
    );
    let (sb, _dir) = sandbox_on(&good, 20.0).await;
    let cf = cfn(&sb, "hub").await;
    let stack = stack_of(&sb, "jobs");
    detect(&cf, &stack).await;
    let drifts = cf
        .describe_stack_resource_drifts()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    let kinds: Vec<_> = drifts
        .stack_resource_drifts()
        .iter()
        .flat_map(|d| d.property_differences())
        .map(|p| {
            (
                p.property_path().unwrap(),
                p.difference_type().unwrap().clone(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("/VisibilityTimeout", DifferenceType::NotEqual)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("/MessageRetentionPeriod", DifferenceType::Remove)),
        "{kinds:?}"
    );
}
