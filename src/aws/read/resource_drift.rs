//! CloudFormation drift of a stack, read: what the last detection saw of
//! each resource (`DescribeStackResourceDrifts`, all pages) and how a
//! detection stands (`DescribeStackDriftDetectionStatus`). The stack's own
//! drift status comes with [`Reader::stack_state`].

use aws_sdk_cloudformation::types::StackResourceDrift;

use super::{Reader, all_pages, optional, text, time};
use crate::aws::error::AwsError;
use crate::model::{
    DriftDetection, PropertyDifference, ResourceDrift, ResourceDriftStatus, StackDriftStatus,
};

/// `DescribeStackResourceDrifts` pages at most 100.
const PAGE: i32 = 100;

impl Reader {
    /// Every resource of stack `stack` as its last drift detection saw it
    /// (none before the first detection), in CloudFormation's order.
    pub async fn resource_drifts(&self, stack: &str) -> Result<Vec<ResourceDrift>, AwsError> {
        all_pages("DescribeStackResourceDrifts", |token| async move {
            let out = self
                .cloudformation()
                .describe_stack_resource_drifts()
                .stack_name(stack)
                .max_results(PAGE)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("cloudformation", "DescribeStackResourceDrifts", e)
                })?;
            let page = out
                .stack_resource_drifts()
                .iter()
                .map(resource_drift)
                .collect();
            Ok((page, out.next_token().map(str::to_string)))
        })
        .await
    }

    /// How drift detection `id` stands.
    pub async fn drift_detection(&self, id: &str) -> Result<DriftDetection, AwsError> {
        let out = self
            .cloudformation()
            .describe_stack_drift_detection_status()
            .stack_drift_detection_id(id)
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("cloudformation", "DescribeStackDriftDetectionStatus", e)
            })?;
        Ok(DriftDetection {
            id: optional(out.stack_drift_detection_id()).unwrap_or_else(|| id.to_string()),
            detection: out
                .detection_status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            status: StackDriftStatus::parse(out.stack_drift_status().map_or("", |s| s.as_str())),
            reason: optional(out.detection_status_reason()),
            drifted_resources: out.drifted_stack_resource_count(),
            at: time(out.timestamp()),
        })
    }
}

fn resource_drift(r: &StackResourceDrift) -> ResourceDrift {
    ResourceDrift {
        logical_id: text(r.logical_resource_id()),
        physical_id: text(r.physical_resource_id()),
        resource_type: text(r.resource_type()),
        status: ResourceDriftStatus::parse(
            r.stack_resource_drift_status().map_or("", |s| s.as_str()),
        ),
        differences: r
            .property_differences()
            .iter()
            .map(|d| PropertyDifference {
                path: text(d.property_path()),
                expected: text(d.expected_value()),
                actual: text(d.actual_value()),
                kind: d
                    .difference_type()
                    .map(|k| k.as_str().to_string())
                    .unwrap_or_default(),
            })
            .collect(),
        checked: time(r.timestamp()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudformation::types::{DifferenceType, PropertyDifference as Sdk};

    #[test]
    fn maps_a_resource_drift_and_keeps_unknown_statuses() {
        let r = StackResourceDrift::builder()
            .logical_resource_id("Bucket")
            .physical_resource_id("b-1")
            .resource_type("AWS::S3::Bucket")
            .stack_resource_drift_status("SOMETHING_NEW".into())
            .property_differences(
                Sdk::builder()
                    .property_path("/A")
                    .expected_value("1")
                    .actual_value("2")
                    .difference_type(DifferenceType::NotEqual)
                    .build(),
            )
            .build();
        let m = resource_drift(&r);
        assert_eq!(m.status, ResourceDriftStatus::Other("SOMETHING_NEW".into()));
        assert_eq!(m.differences[0].kind, "NOT_EQUAL");
        assert_eq!(m.differences[0].actual, "2");
        // Nothing at all: empty texts, never a panic.
        let empty = resource_drift(&StackResourceDrift::builder().build());
        assert_eq!(empty.status, ResourceDriftStatus::NotChecked);
    }
}
