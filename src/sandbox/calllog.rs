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
