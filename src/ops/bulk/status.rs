//! Where each item of a bulk run stands, and the changes the front ends hear of.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where an item of the run stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ItemStatus {
    Waiting,
    /// Not updated: the plan's reason.
    Skipped {
        reason: String,
    },
    /// Sent; the record's status (CREATED, IN_PROGRESS…).
    Running {
        record: String,
        status: String,
    },
    Succeeded {
        record: String,
        at: Option<DateTime<Utc>>,
    },
    Failed {
        record: Option<String>,
        reason: String,
        at: Option<DateTime<Utc>>,
    },
    /// Not started: the run was cancelled.
    Cancelled,
    /// Not started: the run halted (a canary failed, `--max-failures`
    /// reached); the reason says which. `--resume` sends it later.
    Halted {
        reason: String,
    },
}

impl ItemStatus {
    pub fn is_final(&self) -> bool {
        !matches!(self, ItemStatus::Waiting | ItemStatus::Running { .. })
    }

    /// SUCCEEDED, FAILED, SKIPPED… as the report says it.
    pub fn label(&self) -> &'static str {
        match self {
            ItemStatus::Waiting => "WAITING",
            ItemStatus::Skipped { .. } => "SKIPPED",
            ItemStatus::Running { .. } => "IN_PROGRESS",
            ItemStatus::Succeeded { .. } => "SUCCEEDED",
            ItemStatus::Failed { .. } => "FAILED",
            ItemStatus::Cancelled => "CANCELLED",
            ItemStatus::Halted { .. } => "HALTED",
        }
    }
}

/// An item of the plan (by index) changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub index: usize,
    pub status: ItemStatus,
}
