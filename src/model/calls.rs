//! The AWS calls a session made, for the `@` log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How a call ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum CallOutcome {
    Ok,
    /// AWS answered with an error: its code (`ThrottlingException`, …).
    Error(String),
    /// No answer: a timeout, a refused connection, missing credentials…
    Failed(String),
}

impl CallOutcome {
    pub fn is_ok(&self) -> bool {
        matches!(self, CallOutcome::Ok)
    }
}

impl std::fmt::Display for CallOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallOutcome::Ok => f.write_str("ok"),
            CallOutcome::Error(code) => f.write_str(code),
            CallOutcome::Failed(what) => f.write_str(what),
        }
    }
}

/// One AWS call (one SDK operation, all its attempts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallEntry {
    /// Increases by one per call of the process: the log's order.
    pub seq: u64,
    /// When the call started.
    pub started: DateTime<Utc>,
    /// As the SDK names it: `Service Catalog`, `CloudFormation`, `STS`.
    pub service: String,
    /// `ListPortfolios`, …
    pub operation: String,
    pub profile: String,
    /// The account of the profile, once known.
    pub account: Option<String>,
    pub region: String,
    pub outcome: CallOutcome,
    /// 1, or more when the SDK retried.
    pub attempts: u32,
    pub duration_ms: u64,
}

impl CallEntry {
    /// "ok", "ThrottlingException", "ok after 3 attempts".
    pub fn result(&self) -> String {
        if self.attempts > 1 {
            format!("{} after {} attempts", self.outcome, self.attempts)
        } else {
            self.outcome.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_read_in_one_word_or_say_retries() {
        let mut e = CallEntry {
            seq: 1,
            started: DateTime::from_timestamp(0, 0).unwrap(),
            service: "ServiceCatalog".into(),
            operation: "ListPortfolios".into(),
            profile: "hub".into(),
            account: None,
            region: "us-east-1".into(),
            outcome: CallOutcome::Ok,
            attempts: 1,
            duration_ms: 12,
        };
        assert_eq!(e.result(), "ok");
        e.attempts = 3;
        assert_eq!(e.result(), "ok after 3 attempts");
        e.outcome = CallOutcome::Error("ThrottlingException".into());
        assert_eq!(e.result(), "ThrottlingException after 3 attempts");
        assert!(!e.outcome.is_ok());
        e.attempts = 1;
        e.outcome = CallOutcome::Failed("timeout".into());
        assert_eq!(e.result(), "timeout");
    }
}
