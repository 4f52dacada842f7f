//! Faults on demand: latency, throttling, server errors, expired credentials
//! and refused AssumeRole, decided per request from a seeded generator so runs repeat.

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
}
