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
    /// What the request was about: the ids it named (`PortfolioId=port-…
    /// ProductId=prod-…`, `StackName=arn:…`), never a parameter's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// The request keys that say what a call is about, in the order shown.
const TARGET_KEYS: &[&str] = &[
    "Id",
    "PortfolioId",
    "ProductId",
    "ProvisioningArtifactId",
    "ProvisionedProductId",
    "ProvisionedProductName",
    "PathId",
    "PlanId",
    "AccountId",
    "PortfolioShareType",
    "StackName",
    "RoleArn",
];

/// The ids a request names, from its body: Service Catalog's JSON, or the
/// form of CloudFormation's and STS's Query protocol. `None` when it names
/// none. An organization node shows as `OrganizationNode=ou-…`.
pub fn request_target(body: &[u8]) -> Option<String> {
    let mut found: Vec<(String, String)> = Vec::new();
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) {
        for key in TARGET_KEYS {
            if let Some(v) = map.get(*key).and_then(|v| v.as_str()) {
                found.push((key.to_string(), v.to_string()));
            }
        }
        if let Some(node) = map
            .get("OrganizationNode")
            .and_then(|n| n.get("Value"))
            .and_then(|v| v.as_str())
        {
            found.push(("OrganizationNode".into(), node.to_string()));
        }
    } else if let Ok(text) = std::str::from_utf8(body) {
        for pair in text.split('&') {
            let Some((k, v)) = pair.split_once('=') else {
                continue;
            };
            if TARGET_KEYS.contains(&k) {
                found.push((k.to_string(), percent_decode(v)));
            }
        }
    }
    let shown: Vec<String> = found.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    (!shown.is_empty()).then(|| shown.join(" "))
}

/// `%3A` → `:`, `+` → space: enough for the ids of a form body.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match text
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
            target: None,
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

    #[test]
    fn a_request_names_its_target_by_ids_never_by_values() {
        let json = br#"{"AcceptLanguage":"en","PortfolioId":"port-1","ProductId":"prod-2","ProvisioningParameters":[{"Key":"Password","Value":"hunter2"}]}"#;
        assert_eq!(
            request_target(json).as_deref(),
            Some("PortfolioId=port-1 ProductId=prod-2")
        );
        let share = br#"{"PortfolioId":"port-1","OrganizationNode":{"Type":"ORGANIZATIONAL_UNIT","Value":"ou-ab-cd"}}"#;
        assert_eq!(
            request_target(share).as_deref(),
            Some("PortfolioId=port-1 OrganizationNode=ou-ab-cd")
        );
        let form = b"Action=DescribeStackEvents&Version=2010-05-15&StackName=arn%3Aaws%3Acloudformation%3Aus-east-1%3A1%3Astack%2FSC-1%2Fx";
        assert_eq!(
            request_target(form).as_deref(),
            Some("StackName=arn:aws:cloudformation:us-east-1:1:stack/SC-1/x")
        );
        assert_eq!(request_target(b"{}"), None);
        assert_eq!(
            request_target(b"Action=GetCallerIdentity&Version=2011-06-15"),
            None
        );
        assert_eq!(request_target(b"%"), None);
    }
}
