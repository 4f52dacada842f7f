//! The life of one provisioned product beyond its version: the resources
//! of its stack, as CloudFormation reports them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A resource of a stack (`DescribeStackResources`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackResource {
    pub logical_id: String,
    /// Empty while CloudFormation has not created it yet.
    pub physical_id: String,
    pub resource_type: String,
    /// CREATE_COMPLETE, UPDATE_IN_PROGRESS, DELETE_FAILED…
    pub status: String,
    pub status_reason: Option<String>,
    /// When its status last changed.
    pub updated: Option<DateTime<Utc>>,
}

impl StackResource {
    /// "AWS::S3::Bucket Bucket (my-bucket-1)", for a plan's line.
    pub fn line(&self) -> String {
        if self.physical_id.is_empty() {
            format!("{} {}", self.resource_type, self.logical_id)
        } else {
            format!(
                "{} {} ({})",
                self.resource_type, self.logical_id, self.physical_id
            )
        }
    }
}
