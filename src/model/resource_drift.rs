//! CloudFormation resource drift of the stack behind a provisioned product:
//! whether its resources still match the template (`DetectStackDrift`,
//! `DescribeStackResourceDrifts`), as opposed to the *version* drift of
//! [`super::drift`]. A status AWS adds later is kept as its text.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A stack's drift (`StackDriftStatus`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StackDriftStatus {
    InSync,
    Drifted,
    /// Never checked (or not checkable: no stack).
    NotChecked,
    /// CloudFormation could not tell.
    Unknown,
    /// A status spoke does not know, as AWS wrote it.
    Other(String),
}

impl StackDriftStatus {
    pub fn parse(text: &str) -> Self {
        match text {
            "IN_SYNC" => Self::InSync,
            "DRIFTED" => Self::Drifted,
            "NOT_CHECKED" | "" => Self::NotChecked,
            "UNKNOWN" => Self::Unknown,
            other => Self::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::InSync => "IN_SYNC",
            Self::Drifted => "DRIFTED",
            Self::NotChecked => "NOT_CHECKED",
            Self::Unknown => "UNKNOWN",
            Self::Other(s) => s,
        }
    }
}

impl fmt::Display for StackDriftStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One resource's drift (`StackResourceDriftStatus`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResourceDriftStatus {
    InSync,
    Modified,
    Deleted,
    NotChecked,
    /// A status spoke does not know (UNKNOWN, UNSUPPORTED…), as AWS wrote it.
    Other(String),
}

impl ResourceDriftStatus {
    pub fn parse(text: &str) -> Self {
        match text {
            "IN_SYNC" => Self::InSync,
            "MODIFIED" => Self::Modified,
            "DELETED" => Self::Deleted,
            "NOT_CHECKED" | "" => Self::NotChecked,
            other => Self::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::InSync => "IN_SYNC",
            Self::Modified => "MODIFIED",
            Self::Deleted => "DELETED",
            Self::NotChecked => "NOT_CHECKED",
            Self::Other(s) => s,
        }
    }

    /// Changed or gone outside CloudFormation.
    pub fn drifted(&self) -> bool {
        matches!(self, Self::Modified | Self::Deleted)
    }
}

impl fmt::Display for ResourceDriftStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! as_text {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(Self::parse(&String::deserialize(d)?))
            }
        }
    )*};
}
as_text!(StackDriftStatus, ResourceDriftStatus);

/// One property that differs (`PropertyDifference`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyDifference {
    /// A JSON pointer: `/VersioningConfiguration/Status`.
    pub path: String,
    pub expected: String,
    pub actual: String,
    /// ADD, REMOVE, NOT_EQUAL (as AWS wrote it).
    pub kind: String,
}

/// One resource as the last detection saw it (`StackResourceDrift`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceDrift {
    pub logical_id: String,
    pub physical_id: String,
    pub resource_type: String,
    pub status: ResourceDriftStatus,
    pub differences: Vec<PropertyDifference>,
    /// When it was checked.
    pub checked: Option<DateTime<Utc>>,
}

impl ResourceDrift {
    /// "Bucket AWS::S3::Bucket MODIFIED (1 property)", for a line.
    pub fn line(&self) -> String {
        let props = match self.differences.len() {
            0 => String::new(),
            1 => " (1 property)".into(),
            n => format!(" ({n} properties)"),
        };
        format!(
            "{} {} {}{props}",
            self.logical_id, self.resource_type, self.status
        )
    }
}

/// A difference as one line: `/Path: expected "a", actual "b" (NOT_EQUAL)`.
pub fn difference_line(d: &PropertyDifference) -> String {
    format!(
        "{}: expected {}, actual {} ({})",
        d.path, d.expected, d.actual, d.kind
    )
}

/// How a detection stands (`DescribeStackDriftDetectionStatus`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftDetection {
    pub id: String,
    /// DETECTION_IN_PROGRESS, DETECTION_COMPLETE, DETECTION_FAILED (as AWS wrote it).
    pub detection: String,
    /// The stack's drift, once known.
    pub status: StackDriftStatus,
    /// Why it failed, or what it could not check.
    pub reason: Option<String>,
    pub drifted_resources: Option<i32>,
    pub at: Option<DateTime<Utc>>,
}

impl DriftDetection {
    pub fn in_progress(&self) -> bool {
        self.detection == "DETECTION_IN_PROGRESS"
    }
}

/// The drift of one provisioned product's stack: the stack's status, when
/// it was last checked, and what that check saw of each resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackDrift {
    /// The stack's id; `None`: the product has no stack.
    pub stack: Option<String>,
    pub status: StackDriftStatus,
    /// When it was last checked (`LastCheckTimestamp`); never: `None`.
    pub last_checked: Option<DateTime<Utc>>,
    /// Each resource as the last check saw it (none before the first).
    pub resources: Vec<ResourceDrift>,
    /// Detected in this run (else: the last detection, read).
    pub fresh: bool,
    /// Why it is not checked when it cannot be (no stack, the stack gone).
    pub note: Option<String>,
}

impl StackDrift {
    /// Not checkable, and why (no stack, not a CloudFormation product…).
    pub fn not_checked(stack: Option<String>, why: impl Into<String>) -> StackDrift {
        StackDrift {
            stack,
            status: StackDriftStatus::NotChecked,
            last_checked: None,
            resources: Vec::new(),
            fresh: false,
            note: Some(why.into()),
        }
    }

    /// The resources that drifted (MODIFIED or DELETED).
    pub fn drifted(&self) -> impl Iterator<Item = &ResourceDrift> {
        self.resources.iter().filter(|r| r.status.drifted())
    }

    /// "DRIFTED (2 of 3 resources), checked 2026-12-07 08:00 UTC" /
    /// "NOT_CHECKED: it has no CloudFormation stack".
    pub fn summary(&self) -> String {
        let mut text = self.status.to_string();
        if let Some(note) = &self.note {
            text.push_str(&format!(": {note}"));
            return text;
        }
        if !self.resources.is_empty() {
            text.push_str(&format!(
                " ({} of {} resources drifted)",
                self.drifted().count(),
                self.resources.len()
            ));
        }
        match self.last_checked {
            Some(t) => text.push_str(&format!(
                ", {} {}",
                if self.fresh {
                    "detected"
                } else {
                    "last checked"
                },
                t.format("%Y-%m-%d %H:%M:%S UTC")
            )),
            None => text.push_str(", never checked"),
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_statuses_are_kept_as_text() {
        assert_eq!(
            StackDriftStatus::parse("DRIFTED"),
            StackDriftStatus::Drifted
        );
        assert_eq!(
            StackDriftStatus::parse("PARTIAL"),
            StackDriftStatus::Other("PARTIAL".into())
        );
        assert_eq!(StackDriftStatus::parse("PARTIAL").as_str(), "PARTIAL");
        assert_eq!(
            ResourceDriftStatus::parse("UNSUPPORTED").as_str(),
            "UNSUPPORTED"
        );
        assert!(!ResourceDriftStatus::parse("UNSUPPORTED").drifted());
        assert!(ResourceDriftStatus::parse("DELETED").drifted());
        let json = serde_json::to_string(&ResourceDriftStatus::Modified).unwrap();
        assert_eq!(json, "\"MODIFIED\"");
        let back: ResourceDriftStatus = serde_json::from_str("\"WEIRD\"").unwrap();
        assert_eq!(back, ResourceDriftStatus::Other("WEIRD".into()));
    }

    #[test]
    fn a_summary_says_when_and_how_much() {
        let none = StackDrift::not_checked(None, "it has no CloudFormation stack");
        assert_eq!(
            none.summary(),
            "NOT_CHECKED: it has no CloudFormation stack"
        );
        let never = StackDrift {
            note: None,
            ..none.clone()
        };
        assert_eq!(never.summary(), "NOT_CHECKED, never checked");
        let drifted = StackDrift {
            stack: Some("arn".into()),
            status: StackDriftStatus::Drifted,
            last_checked: chrono::DateTime::from_timestamp(1_800_000_000, 0),
            resources: vec![ResourceDrift {
                logical_id: "Bucket".into(),
                physical_id: "b".into(),
                resource_type: "AWS::S3::Bucket".into(),
                status: ResourceDriftStatus::Modified,
                differences: vec![],
                checked: None,
            }],
            fresh: true,
            note: None,
        };
        assert!(
            drifted
                .summary()
                .starts_with("DRIFTED (1 of 1 resources drifted), detected 2027-"),
            "{}",
            drifted.summary()
        );
    }
}
