//! Provisioned products: what an account runs from the catalog.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The status of a provisioned product, as AWS names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum PpStatus {
    /// Stable, the last request succeeded.
    Available,
    /// A request is in progress.
    UnderChange,
    /// Stable, but not what was last asked for: an update failed and the
    /// stack rolled back to the version before.
    Tainted,
    /// The last request failed and the product is not running as asked
    /// (typically a failed launch).
    Error,
    /// A provisioning plan is being made.
    PlanInProgress,
    Other(String),
}

impl PpStatus {
    pub fn as_str(&self) -> &str {
        match self {
            PpStatus::Available => "AVAILABLE",
            PpStatus::UnderChange => "UNDER_CHANGE",
            PpStatus::Tainted => "TAINTED",
            PpStatus::Error => "ERROR",
            PpStatus::PlanInProgress => "PLAN_IN_PROGRESS",
            PpStatus::Other(s) => s,
        }
    }

    /// A request is running: the stack may move.
    pub fn is_in_progress(&self) -> bool {
        matches!(self, PpStatus::UnderChange | PpStatus::PlanInProgress)
    }
}

impl From<&str> for PpStatus {
    fn from(s: &str) -> Self {
        match s {
            "AVAILABLE" => PpStatus::Available,
            "UNDER_CHANGE" => PpStatus::UnderChange,
            "TAINTED" => PpStatus::Tainted,
            "ERROR" => PpStatus::Error,
            "PLAN_IN_PROGRESS" => PpStatus::PlanInProgress,
            other => PpStatus::Other(other.to_string()),
        }
    }
}

impl From<String> for PpStatus {
    fn from(s: String) -> Self {
        PpStatus::from(s.as_str())
    }
}

impl From<PpStatus> for String {
    fn from(s: PpStatus) -> Self {
        s.as_str().to_string()
    }
}

impl std::fmt::Display for PpStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A provisioned product (`SearchProvisionedProducts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionedProduct {
    pub id: String,
    pub name: String,
    pub arn: String,
    pub product_id: String,
    pub product_name: Option<String>,
    /// The version it runs (`ProvisioningArtifactId`).
    pub version_id: String,
    pub version_name: Option<String>,
    pub status: PpStatus,
    pub status_message: Option<String>,
    pub created: Option<DateTime<Utc>>,
    /// The last request of any kind.
    pub last_record_id: Option<String>,
    /// The last provision, update or terminate request.
    pub last_provisioning_record_id: Option<String>,
    /// The last provision, update or terminate request that succeeded.
    pub last_successful_record_id: Option<String>,
    /// `PhysicalId`: the CloudFormation stack ARN for a CFN_STACK product.
    pub stack_arn: Option<String>,
    /// `UserArn`: who launched it.
    pub owner: Option<String>,
    /// The account it lives in (from its ARN).
    pub account: String,
    /// `Type`: CFN_STACK, CFN_STACKSET, TERRAFORM_OPEN_SOURCE…
    #[serde(default)]
    pub kind: String,
    /// Its tags (TagOptions applied at launch among them).
    #[serde(default)]
    pub tags: Vec<(String, String)>,
}

impl ProvisionedProduct {
    /// The last provisioning request did not succeed (see `model::drift`).
    /// `last_provisioning_record_id` is compared when AWS gives it, since
    /// `last_record_id` also counts requests that provision nothing
    /// (service actions); else `last_record_id`.
    pub fn last_request_failed(&self) -> bool {
        let last = self
            .last_provisioning_record_id
            .as_ref()
            .or(self.last_record_id.as_ref());
        match last {
            Some(last) => self.last_successful_record_id.as_ref() != Some(last),
            None => false,
        }
    }
}

/// A request on a provisioned product (`DescribeRecord`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    /// PROVISION_PRODUCT, UPDATE_PROVISIONED_PRODUCT, TERMINATE_PROVISIONED_PRODUCT.
    pub record_type: String,
    /// CREATED, IN_PROGRESS, IN_PROGRESS_IN_ERROR, SUCCEEDED, FAILED.
    pub status: String,
    pub created: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    /// The version the request provisions.
    pub version_id: Option<String>,
    /// `code: description` of each error.
    pub errors: Vec<String>,
    /// The provisioned product the request is about.
    #[serde(default)]
    pub provisioned_product_id: Option<String>,
    /// The launch path the request used.
    #[serde(default)]
    pub path_id: Option<String>,
    /// `RecordOutputs`: the stack's outputs once it succeeded
    /// (`CloudformationStackARN` among them).
    #[serde(default)]
    pub outputs: Vec<Output>,
}

/// The statuses a record can have (`RecordStatus` in the API reference).
pub const RECORD_STATUSES: [&str; 5] = [
    "CREATED",
    "IN_PROGRESS",
    "IN_PROGRESS_IN_ERROR",
    "SUCCEEDED",
    "FAILED",
];

/// How many polls in a row a record may show a status spoke does not know
/// before it stops following rather than guess how the request ended.
pub const UNKNOWN_STATUS_PATIENCE: u32 = 15;

/// Polls in a row that showed a record status spoke does not know.
#[derive(Debug, Default)]
pub struct UnknownStatusStreak(u32);

impl UnknownStatusStreak {
    /// Counts this poll of `record`; why to stop following it, once its
    /// status has been unknown [`UNKNOWN_STATUS_PATIENCE`] polls in a row.
    pub fn saw(&mut self, record: &Record) -> Option<String> {
        self.0 = if record.status_is_known() {
            0
        } else {
            self.0 + 1
        };
        (self.0 >= UNKNOWN_STATUS_PATIENCE).then(|| record.unknown_status_message())
    }
}

impl Record {
    /// One of [`RECORD_STATUSES`]; anything else (a newer API, a garbled
    /// answer) is not guessed at.
    pub fn status_is_known(&self) -> bool {
        RECORD_STATUSES.contains(&self.status.as_str())
    }

    /// Why following this record stopped: its status kept being one spoke
    /// does not know.
    pub fn unknown_status_message(&self) -> String {
        format!(
            "record {} keeps showing status \"{}\", which spoke does not know (a newer API or a garbled answer); spoke stopped following it rather than guess how it ended — look at it in the AWS console",
            self.id, self.status
        )
    }

    /// SUCCEEDED or FAILED: the request will not move any more.
    pub fn is_final(&self) -> bool {
        matches!(self.status.as_str(), "SUCCEEDED" | "FAILED")
    }

    pub fn succeeded(&self) -> bool {
        self.status == "SUCCEEDED"
    }

    /// The stack of a CloudFormation product, from the outputs.
    pub fn stack_arn(&self) -> Option<&str> {
        self.outputs
            .iter()
            .find(|o| o.key == "CloudformationStackARN")
            .map(|o| o.value.as_str())
    }
}

/// An output of a provisioned product or a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    pub key: String,
    pub value: String,
    pub description: Option<String>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn pp(id: &str, version_id: &str, status: PpStatus) -> ProvisionedProduct {
        ProvisionedProduct {
            id: id.into(),
            name: format!("name-{id}"),
            arn: format!("arn:aws:servicecatalog:us-east-1:222233334444:stack/name-{id}/{id}"),
            product_id: "prod-1".into(),
            product_name: Some("Product".into()),
            version_id: version_id.into(),
            version_name: None,
            status,
            status_message: None,
            created: None,
            last_record_id: Some("rec-1".into()),
            last_provisioning_record_id: Some("rec-1".into()),
            last_successful_record_id: Some("rec-1".into()),
            stack_arn: None,
            owner: None,
            account: "222233334444".into(),
            kind: "CFN_STACK".into(),
            tags: Vec::new(),
        }
    }

    #[test]
    fn record_statuses_spoke_does_not_know_are_not_guessed_at() {
        let record = |status: &str| Record {
            id: "rec-1".into(),
            record_type: "UPDATE_PROVISIONED_PRODUCT".into(),
            status: status.into(),
            created: None,
            updated: None,
            version_id: None,
            errors: vec![],
            provisioned_product_id: None,
            path_id: None,
            outputs: vec![],
        };
        for known in RECORD_STATUSES {
            assert!(record(known).status_is_known(), "{known}");
        }
        let odd = record("SUCCEEDED_NEWFANGLED");
        assert!(!odd.status_is_known() && !odd.is_final() && !odd.succeeded());
        assert!(odd.unknown_status_message().contains("rec-1"));
        // Followed a while, a known status in between starting over.
        let mut streak = UnknownStatusStreak::default();
        for _ in 1..UNKNOWN_STATUS_PATIENCE {
            assert_eq!(streak.saw(&odd), None);
        }
        assert_eq!(streak.saw(&record("IN_PROGRESS")), None);
        for _ in 1..UNKNOWN_STATUS_PATIENCE {
            assert_eq!(streak.saw(&odd), None);
        }
        assert!(streak.saw(&odd).unwrap().contains("rec-1"));
    }

    #[test]
    fn statuses_round_trip() {
        for s in [
            "AVAILABLE",
            "UNDER_CHANGE",
            "TAINTED",
            "ERROR",
            "PLAN_IN_PROGRESS",
            "NEW_ONE",
        ] {
            let status = PpStatus::from(s);
            assert_eq!(status.to_string(), s);
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(serde_json::from_str::<PpStatus>(&json).unwrap(), status);
        }
        assert!(PpStatus::UnderChange.is_in_progress());
        assert!(!PpStatus::Tainted.is_in_progress());
    }

    #[test]
    fn a_failed_last_request_is_seen_on_provisioning_records() {
        let mut p = pp("pp-1", "pa-1", PpStatus::Available);
        assert!(!p.last_request_failed());
        p.last_provisioning_record_id = Some("rec-2".into());
        assert!(p.last_request_failed());
        // A later service action does not count as a failed provisioning.
        p.last_provisioning_record_id = Some("rec-1".into());
        p.last_record_id = Some("rec-action".into());
        assert!(!p.last_request_failed());
        // Without the provisioning record id, the last record decides.
        p.last_provisioning_record_id = None;
        assert!(p.last_request_failed());
        // Never launched successfully.
        p.last_record_id = Some("rec-1".into());
        p.last_successful_record_id = None;
        assert!(p.last_request_failed());
        p.last_record_id = None;
        assert!(!p.last_request_failed());
    }
}
