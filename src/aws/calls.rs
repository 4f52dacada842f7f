//! The log of AWS calls (`@` in the console): an SDK interceptor on every
//! client a [`Session`](super::Session) builds, recording into a shared
//! bounded ring.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use chrono::Utc;

use crate::model::{CallEntry, CallOutcome};

/// How many calls the log keeps by default.
pub const CALL_LOG_CAPACITY: usize = 1000;

/// A bounded, shared log of AWS calls: the newest `capacity` entries.
/// Cheap to clone; every clone sees the same entries.
#[derive(Debug, Clone)]
pub struct CallLog {
    inner: Arc<Mutex<Ring>>,
    /// Calls being tried again right now: (profile, operation) → attempt.
    retrying: Arc<Mutex<std::collections::BTreeMap<(String, String), u32>>>,
}

#[derive(Debug)]
struct Ring {
    entries: VecDeque<CallEntry>,
    capacity: usize,
    last_seq: u64,
}

impl Default for CallLog {
    fn default() -> Self {
        Self::with_capacity(CALL_LOG_CAPACITY)
    }
}

impl CallLog {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Ring {
                entries: VecDeque::with_capacity(capacity.min(1024)),
                capacity: capacity.max(1),
                last_seq: 0,
            })),
            retrying: Arc::default(),
        }
    }

    fn retries(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::BTreeMap<(String, String), u32>> {
        self.retrying.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// "ListPortfolios (hub): attempt 3 of 10" for each call being tried
    /// again now, for the status line: the wait is said, not hidden.
    pub fn retrying(&self) -> Vec<String> {
        self.retries()
            .iter()
            .map(|((profile, operation), attempt)| {
                format!(
                    "{operation} ({profile}): attempt {attempt} of {}",
                    super::session::READ_ATTEMPTS
                )
            })
            .collect()
    }

    fn ring(&self) -> std::sync::MutexGuard<'_, Ring> {
        // A panic while holding the lock leaves a consistent ring: keep going.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds an entry, numbering it; the oldest goes when the log is full.
    pub fn push(&self, mut entry: CallEntry) -> u64 {
        let mut ring = self.ring();
        ring.last_seq += 1;
        entry.seq = ring.last_seq;
        if ring.entries.len() == ring.capacity {
            ring.entries.pop_front();
        }
        ring.entries.push_back(entry);
        ring.last_seq
    }

    /// All entries held, oldest first.
    pub fn snapshot(&self) -> Vec<CallEntry> {
        self.ring().entries.iter().cloned().collect()
    }

    /// Entries numbered after `seq`, oldest first (what a view has not shown yet).
    pub fn since(&self, seq: u64) -> Vec<CallEntry> {
        let ring = self.ring();
        let skip = ring.entries.partition_point(|e| e.seq <= seq);
        ring.entries.iter().skip(skip).cloned().collect()
    }

    /// The number of the newest entry (0 if none): changes when a call is logged.
    pub fn last_seq(&self) -> u64 {
        self.ring().last_seq
    }

    pub fn len(&self) -> usize {
        self.ring().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Where the calls of one session go: its profile, region, and its account
/// once the caller identity is known.
#[derive(Debug, Clone)]
pub(crate) struct CallRecorder {
    log: CallLog,
    profile: String,
    region: String,
    account: Arc<OnceLock<String>>,
}

impl CallRecorder {
    pub(crate) fn new(log: CallLog, profile: &str, region: &str) -> Self {
        Self {
            log,
            profile: profile.to_string(),
            region: region.to_string(),
            account: Arc::new(OnceLock::new()),
        }
    }

    pub(crate) fn log(&self) -> &CallLog {
        &self.log
    }

    /// Names the account in the entries that follow.
    pub(crate) fn set_account(&self, account: &str) {
        let _ = self.account.set(account.to_string());
    }
}

/// What the interceptor keeps about an execution between its hooks.
#[derive(Debug, Clone)]
struct CallStart {
    started: Instant,
    at: chrono::DateTime<Utc>,
    attempts: u32,
    /// The ids the request names, read off its first attempt's body.
    target: Option<String>,
}

impl Storable for CallStart {
    type Storer = StoreReplace<Self>;
}

impl Intercept for CallRecorder {
    fn name(&self) -> &'static str {
        "spoke-call-log"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(CallStart {
            started: Instant::now(),
            at: Utc::now(),
            attempts: 0,
            target: None,
        });
        Ok(())
    }

    fn read_before_attempt(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(mut start) = cfg.load::<CallStart>().cloned() {
            start.attempts += 1;
            if start.attempts == 1 {
                start.target = context
                    .request()
                    .body()
                    .bytes()
                    .and_then(crate::model::calls::request_target);
            }
            if start.attempts > 1
                && let Some(m) = cfg.load::<Metadata>()
            {
                self.log
                    .retries()
                    .insert((self.profile.clone(), m.name().to_string()), start.attempts);
            }
            cfg.interceptor_state().store_put(start);
        }
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let (service, operation) = cfg
            .load::<Metadata>()
            .map(|m| (m.service().to_string(), m.name().to_string()))
            .unwrap_or_else(|| ("unknown".into(), "unknown".into()));
        let start = cfg.load::<CallStart>().cloned();
        if start.as_ref().is_some_and(|s| s.attempts > 1) {
            self.log
                .retries()
                .remove(&(self.profile.clone(), operation.clone()));
        }
        let outcome = match context.output_or_error() {
            None | Some(Ok(_)) => CallOutcome::Ok,
            Some(Err(err)) if err.is_operation_error() || err.is_response_error() => {
                let code = context.response().and_then(|r| {
                    error_code(
                        r.headers().get("x-amzn-errortype"),
                        r.body().bytes().unwrap_or_default(),
                    )
                });
                let status = context.response().map(|r| r.status().as_u16());
                CallOutcome::Error(code.unwrap_or_else(|| match status {
                    Some(s) => format!("HTTP {s}"),
                    None => "error".into(),
                }))
            }
            Some(Err(err)) if err.is_timeout_error() => CallOutcome::Failed("timeout".into()),
            Some(Err(err)) if err.is_connector_error() => {
                CallOutcome::Failed("no connection".into())
            }
            Some(Err(err)) => CallOutcome::Failed(short(&err.to_string())),
        };
        let entry = CallEntry {
            seq: 0,
            started: start.as_ref().map_or_else(Utc::now, |s| s.at),
            service,
            operation,
            profile: self.profile.clone(),
            account: self.account.get().cloned(),
            region: self.region.clone(),
            outcome,
            attempts: start.as_ref().map_or(1, |s| s.attempts.max(1)),
            target: start.as_ref().and_then(|s| s.target.clone()),
            duration_ms: start.map_or(0, |s| {
                u64::try_from(s.started.elapsed().as_millis()).unwrap_or(u64::MAX)
            }),
        };
        // `-v`: a headless command says each call on stderr.
        crate::output::call(&entry);
        self.log.push(entry);
        Ok(())
    }
}

fn short(text: &str) -> String {
    let line = super::error::one_line(text);
    match line.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line,
    }
}

/// The error code of an AWS error response: the `x-amzn-ErrorType` header,
/// else `__type` of a JSON body (awsJson), else `<Code>` of an XML body
/// (awsQuery). Prefixes (`aws.protocol#`) and suffixes (`:http://…`) go.
pub(crate) fn error_code(header: Option<&str>, body: &[u8]) -> Option<String> {
    let clean = |raw: &str| -> Option<String> {
        let raw = raw.split(':').next().unwrap_or(raw);
        let raw = raw.rsplit('#').next().unwrap_or(raw).trim();
        (!raw.is_empty()).then(|| raw.to_string())
    };
    if let Some(h) = header.and_then(clean) {
        return Some(h);
    }
    let text = std::str::from_utf8(body).ok()?;
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        return ["__type", "code", "Code"]
            .iter()
            .find_map(|k| json.get(k).and_then(|v| v.as_str()))
            .and_then(clean);
    }
    let start = text.find("<Code>")? + "<Code>".len();
    let end = text[start..].find("</Code>")? + start;
    clean(&text[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(op: &str) -> CallEntry {
        CallEntry {
            seq: 0,
            started: Utc::now(),
            service: "ServiceCatalog".into(),
            operation: op.into(),
            profile: "hub".into(),
            account: None,
            region: "us-east-1".into(),
            outcome: CallOutcome::Ok,
            attempts: 1,
            duration_ms: 1,
            target: None,
        }
    }

    #[test]
    fn the_ring_keeps_the_newest_entries() {
        let log = CallLog::with_capacity(3);
        assert!(log.is_empty());
        for i in 0..5 {
            log.push(entry(&format!("Op{i}")));
        }
        let ops: Vec<String> = log.snapshot().into_iter().map(|e| e.operation).collect();
        assert_eq!(ops, ["Op2", "Op3", "Op4"]);
        assert_eq!(log.last_seq(), 5);
        assert_eq!(log.len(), 3);
        let since: Vec<u64> = log.since(3).into_iter().map(|e| e.seq).collect();
        assert_eq!(since, [4, 5]);
        assert_eq!(log.since(0).len(), 3);
        assert!(log.since(5).is_empty());
        let clone = log.clone();
        clone.push(entry("Op5"));
        assert_eq!(log.last_seq(), 6);
    }

    #[test]
    fn error_codes_from_each_protocol() {
        assert_eq!(
            error_code(Some("ThrottlingException:http://internal"), b""),
            Some("ThrottlingException".into())
        );
        assert_eq!(
            error_code(
                None,
                br#"{"__type":"com.amazonaws.servicecatalog#ResourceNotFoundException","message":"x"}"#
            ),
            Some("ResourceNotFoundException".into())
        );
        assert_eq!(
            error_code(
                None,
                b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>"
            ),
            Some("Throttling".into())
        );
        assert_eq!(error_code(None, b"<html>oops</html>"), None);
        assert_eq!(error_code(Some(""), b"{}"), None);
    }
}
