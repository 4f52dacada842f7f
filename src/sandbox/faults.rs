//! Faults on demand: latency, throttling, server errors, connections reset
//! mid-answer, expired credentials (from the start or after so many calls),
//! refused AssumeRole and garbled answers, decided per request from a seeded
//! generator so runs repeat. They can be changed while the sandbox runs
//! ([`super::Sandbox::set_faults`]): an outage that starts and ends.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock, RwLockReadGuard};

use super::Faults;
use super::error::ApiError;

pub struct FaultPlan {
    faults: RwLock<Faults>,
    state: AtomicU64,
    /// Calls made so far with each account's own keys, for `expire_after`.
    own_calls: Mutex<HashMap<String, u64>>,
}

/// What to do to one request before serving it.
#[derive(Debug, PartialEq)]
pub enum Injected {
    None,
    Fail(ApiError),
}

impl FaultPlan {
    pub fn new(faults: Faults, seed: u64) -> Self {
        Self {
            faults: RwLock::new(faults),
            state: AtomicU64::new(seed | 1),
            own_calls: Mutex::new(HashMap::new()),
        }
    }

    fn faults(&self) -> RwLockReadGuard<'_, Faults> {
        self.faults.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The faults from now on.
    pub fn set(&self, faults: Faults) {
        *self.faults.write().unwrap_or_else(|p| p.into_inner()) = faults;
    }

    pub fn current(&self) -> Faults {
        self.faults().clone()
    }

    /// How long to wait before answering: the latency, and now and then
    /// a spike on top.
    pub fn latency_ms(&self) -> u64 {
        let (latency, spike_rate, spike) = {
            let f = self.faults();
            (f.latency_ms, f.spike_rate, f.spike_ms)
        };
        if spike_rate > 0.0 && self.roll() < spike_rate {
            latency + spike
        } else {
            latency
        }
    }

    /// A uniform number in [0, 1) (xorshift64*).
    fn roll(&self) -> f64 {
        let mut x = self.state.load(Ordering::Relaxed);
        loop {
            let mut n = x;
            n ^= n >> 12;
            n ^= n << 25;
            n ^= n >> 27;
            match self
                .state
                .compare_exchange_weak(x, n, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => {
                    return (n.wrapping_mul(0x2545F4914F6CDD1D) >> 11) as f64 / (1u64 << 53) as f64;
                }
                Err(cur) => x = cur,
            }
        }
    }

    /// Whether this call with the account's own (long-term) keys finds
    /// them expired: listed as expired, or past its `expire_after` calls
    /// (the call that counts past it and every later one).
    pub fn own_keys_expired(&self, account_id: &str, account_name: &str) -> bool {
        let faults = self.faults();
        if faults
            .expired_accounts
            .iter()
            .any(|a| a == account_id || a == account_name)
        {
            return true;
        }
        let Some(limit) = faults
            .expire_after
            .iter()
            .find(|(a, _)| a == account_id || a == account_name)
            .map(|(_, n)| *n)
        else {
            return false;
        };
        let mut calls = self.own_calls.lock().unwrap_or_else(|p| p.into_inner());
        let made = calls.entry(account_id.to_string()).or_insert(0);
        *made += 1;
        *made > limit
    }

    /// Whether this account's own caller holds only end-user read-only rights.
    pub fn end_user_read_only(&self, account_id: &str, account_name: &str) -> bool {
        self.faults()
            .end_user_read_only
            .iter()
            .any(|a| a == account_id || a == account_name)
    }

    /// The provisioned products whose stacks drift (the drift fault).
    pub fn drifting(&self) -> Vec<String> {
        self.faults().drift.clone()
    }

    /// Whether AssumeRole into this account is refused.
    pub fn denies_assume(&self, account_id: &str, account_name: &str) -> bool {
        self.faults()
            .deny_assume
            .iter()
            .any(|a| a == account_id || a == account_name)
    }

    /// The HTTP status `operation` is answered with as not implemented, if it is.
    pub fn unimplemented(&self, operation: &str) -> Option<u16> {
        let f = self.faults();
        f.unimplemented
            .iter()
            .any(|o| o == operation)
            .then_some(match f.unimplemented_status {
                0 => 500,
                status => status,
            })
    }

    /// Whether the rates apply to `operation`.
    pub fn applies_to(&self, operation: &str) -> bool {
        let f = self.faults();
        f.operations.is_empty() || f.operations.iter().any(|o| o == operation)
    }

    /// Throttling and server errors, in the codes each protocol uses.
    pub fn inject(&self, json: bool) -> Injected {
        let (throttle_rate, error_rate) = {
            let f = self.faults();
            (f.throttle_rate, f.error_rate)
        };
        if throttle_rate > 0.0 && self.roll() < throttle_rate {
            let code = if json {
                "ThrottlingException"
            } else {
                "Throttling"
            };
            return Injected::Fail(ApiError::new(400, code, "Rate exceeded"));
        }
        if error_rate > 0.0 && self.roll() < error_rate {
            return Injected::Fail(if self.roll() < 0.5 {
                ApiError::new(
                    500,
                    "InternalFailure",
                    "The request processing has failed because of an unknown error, exception or failure.",
                )
            } else {
                ApiError::new(
                    503,
                    "ServiceUnavailable",
                    "Service is unavailable. Please try again later.",
                )
            });
        }
        Injected::None
    }

    /// How to garble this successful answer, if at all.
    pub fn garble(&self) -> Option<Garble> {
        let (rate, kinds) = {
            let f = self.faults();
            (f.garbage_rate, f.garble_kinds.clone())
        };
        if !(rate > 0.0 && self.roll() < rate) {
            return None;
        }
        let kinds = if kinds.is_empty() {
            Garble::ALL.to_vec()
        } else {
            kinds
        };
        let pick = ((self.roll() * kinds.len() as f64) as usize).min(kinds.len() - 1);
        Some(kinds[pick])
    }

    /// Whether this successful answer's connection is dropped half-way
    /// through its body.
    pub fn reset(&self) -> bool {
        let rate = self.faults().reset_rate;
        rate > 0.0 && self.roll() < rate
    }
}

/// What a garbled answer looks like; its name is the call log's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Garble {
    /// Cut off half-way, as by a connection dropped mid-response.
    Truncated,
    /// Every string value a number (JSON); every text a long run of digits
    /// in place of dates and numbers (XML).
    WrongTypes,
    /// Every upper-case enum value (`AVAILABLE`, `UPDATE_COMPLETE`) one no
    /// SDK knows yet.
    UnknownEnums,
    /// HTTP 200 with an error for a body, as a broken proxy or gateway
    /// may answer.
    ErrorBody,
}

impl Garble {
    pub const ALL: [Garble; 4] = [
        Garble::Truncated,
        Garble::WrongTypes,
        Garble::UnknownEnums,
        Garble::ErrorBody,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Garble::Truncated => "garbled: truncated",
            Garble::WrongTypes => "garbled: wrong types",
            Garble::UnknownEnums => "garbled: unknown enum values",
            Garble::ErrorBody => "garbled: 200 with an error body",
        }
    }

    /// `body` (JSON when `json`, else XML), garbled.
    pub fn apply(self, body: &str, json: bool) -> String {
        match self {
            Garble::Truncated => {
                let mut cut = body.len() / 2;
                while !body.is_char_boundary(cut) {
                    cut -= 1;
                }
                body[..cut].to_string()
            }
            Garble::WrongTypes if json => match serde_json::from_str(body) {
                Ok(v) => strings_to_numbers(v).to_string(),
                Err(_) => body.to_string(),
            },
            Garble::WrongTypes => replace_texts(body, |t| {
                (t.contains('-') || t.chars().all(|c| c.is_ascii_digit()))
                    .then(|| "99999999999999999999999".to_string())
            }),
            Garble::UnknownEnums if json => match serde_json::from_str(body) {
                Ok(v) => unknown_enums(v).to_string(),
                Err(_) => body.to_string(),
            },
            Garble::UnknownEnums => {
                replace_texts(body, |t| is_enum(t).then(|| format!("{t}_NEWFANGLED")))
            }
            Garble::ErrorBody if json => serde_json::json!({
                "__type": "InternalFailure",
                "message": "The request processing has failed because of an unknown error, exception or failure."
            })
            .to_string(),
            Garble::ErrorBody => "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code>\
                <Message>The request processing has failed because of an unknown error, exception or failure.</Message>\
                </Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
                .to_string(),
        }
    }
}

fn is_enum(t: &str) -> bool {
    t.len() > 2
        && t.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        && t.chars().any(|c| c.is_ascii_uppercase())
}

fn strings_to_numbers(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(_) => Value::from(7),
        Value::Array(a) => Value::Array(a.into_iter().map(strings_to_numbers).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, strings_to_numbers(v)))
                .collect(),
        ),
        other => other,
    }
}

fn unknown_enums(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) if is_enum(&s) => Value::String(format!("{s}_NEWFANGLED")),
        Value::Array(a) => Value::Array(a.into_iter().map(unknown_enums).collect()),
        Value::Object(m) => {
            Value::Object(m.into_iter().map(|(k, v)| (k, unknown_enums(v))).collect())
        }
        other => other,
    }
}

/// `xml` with the text between tags passed through `f` (kept when it
/// returns None).
fn replace_texts(xml: &str, f: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(close) = rest.find('>') {
        out.push_str(&rest[..=close]);
        rest = &rest[close + 1..];
        let end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..end];
        match (!text.trim().is_empty()).then(|| f(text)).flatten() {
            Some(new) => out.push_str(&new),
            None => out.push_str(text),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbles_json_and_xml() {
        let json = r#"{"Status":"AVAILABLE","Name":"web","Count":2}"#;
        assert_eq!(Garble::Truncated.apply(json, true), &json[..json.len() / 2]);
        assert_eq!(
            Garble::WrongTypes.apply(json, true),
            r#"{"Count":2,"Name":7,"Status":7}"#
        );
        assert!(
            Garble::UnknownEnums
                .apply(json, true)
                .contains("AVAILABLE_NEWFANGLED")
        );
        let xml = "<R><StackStatus>UPDATE_COMPLETE</StackStatus><Timestamp>2026-01-01T00:00:00Z</Timestamp><N>web</N></R>";
        let unknown = Garble::UnknownEnums.apply(xml, false);
        assert!(
            unknown.contains("<StackStatus>UPDATE_COMPLETE_NEWFANGLED</StackStatus>"),
            "{unknown}"
        );
        assert!(unknown.contains("<N>web</N>"), "{unknown}");
        let wrong = Garble::WrongTypes.apply(xml, false);
        assert!(
            wrong.contains("<Timestamp>99999999999999999999999</Timestamp>"),
            "{wrong}"
        );
    }
}
