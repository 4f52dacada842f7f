//! Every call the sandbox answers, kept in memory and, with `--call-log FILE`,
//! appended to a file as JSON lines, so tests can prove what was and was not called.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CallRecord {
    pub time: String,
    pub account: String,
    pub region: String,
    pub service: String,
    pub operation: String,
    pub status: u16,
    /// `ok`, or the error code.
    pub outcome: String,
    pub duration_ms: u64,
    pub request_id: String,
    /// What a Service Catalog call is about: its `ProvisionedProductId`,
    /// `ProvisionedProductName`, `PlanId`, `PortfolioId`, `ProductId` or `Id`,
    /// the first given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Its idempotency token (`UpdateToken`, `ProvisionToken`, `IdempotencyToken`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The `Parameters` map a JSON call sent (ExecuteProvisionedProductServiceAction's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<serde_json::Value>,
}

/// The `Parameters` object of a JSON request body, for the log.
pub fn parameters(body: &[u8]) -> Option<serde_json::Value> {
    let Ok(serde_json::Value::Object(mut map)) = serde_json::from_slice(body) else {
        return None;
    };
    map.remove("Parameters")
        .filter(serde_json::Value::is_object)
}

/// The target and the token of a JSON request body, for the log.
pub fn subject(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) else {
        return (None, None);
    };
    let first = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| map.get(*k).and_then(|v| v.as_str()).map(str::to_string))
    };
    (
        first(&[
            "ProvisionedProductId",
            "ProvisionedProductName",
            "PlanId",
            "PortfolioId",
            "ProductId",
            "Id",
        ]),
        first(&["UpdateToken", "ProvisionToken", "IdempotencyToken"]),
    )
}

#[derive(Default)]
pub struct CallLog {
    calls: Mutex<Vec<CallRecord>>,
    file: Option<Mutex<File>>,
}

impl CallLog {
    pub fn new(path: Option<&Path>) -> std::io::Result<Self> {
        let file = match path {
            Some(p) => Some(Mutex::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)?,
            )),
            None => None,
        };
        Ok(Self {
            calls: Mutex::new(Vec::new()),
            file,
        })
    }

    pub fn record(&self, r: CallRecord) {
        if let Some(f) = &self.file
            && let (Ok(mut f), Ok(line)) = (f.lock(), serde_json::to_string(&r))
        {
            let _ = writeln!(f, "{line}");
            let _ = f.flush();
        }
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(r);
        }
    }

    pub fn snapshot(&self) -> Vec<CallRecord> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }
}
