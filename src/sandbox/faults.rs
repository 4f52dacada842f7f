//! Faults on demand: latency, throttling, server errors, expired credentials,
//! refused AssumeRole and garbled answers, decided per request from a seeded
//! generator so runs repeat.

use std::sync::atomic::{AtomicU64, Ordering};

use super::Faults;
use super::error::ApiError;

pub struct FaultPlan {
    pub faults: Faults,
    state: AtomicU64,
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
            faults,
            state: AtomicU64::new(seed | 1),
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

    pub fn is_expired(&self, account_id: &str, account_name: &str) -> bool {
        self.faults
            .expired_accounts
            .iter()
            .any(|a| a == account_id || a == account_name)
    }

    /// Whether this account's own caller holds only end-user read-only rights.
    pub fn end_user_read_only(&self, account_id: &str, account_name: &str) -> bool {
        self.faults
            .end_user_read_only
            .iter()
            .any(|a| a == account_id || a == account_name)
    }

    /// Whether AssumeRole into this account is refused.
    pub fn denies_assume(&self, account_id: &str, account_name: &str) -> bool {
        self.faults
            .deny_assume
            .iter()
            .any(|a| a == account_id || a == account_name)
    }

    /// Throttling and server errors, in the codes each protocol uses.
    pub fn inject(&self, json: bool) -> Injected {
        if self.faults.throttle_rate > 0.0 && self.roll() < self.faults.throttle_rate {
            let code = if json {
                "ThrottlingException"
            } else {
                "Throttling"
            };
            return Injected::Fail(ApiError::new(400, code, "Rate exceeded"));
        }
        if self.faults.error_rate > 0.0 && self.roll() < self.faults.error_rate {
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
        if self.faults.garbage_rate > 0.0 && self.roll() < self.faults.garbage_rate {
            Some(match (self.roll() * 3.0) as u8 {
                0 => Garble::Truncated,
                1 => Garble::WrongTypes,
                _ => Garble::UnknownEnums,
            })
        } else {
            None
        }
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
}

impl Garble {
    pub fn name(self) -> &'static str {
        match self {
            Garble::Truncated => "garbled: truncated",
            Garble::WrongTypes => "garbled: wrong types",
            Garble::UnknownEnums => "garbled: unknown enum values",
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
