//! A per-operation circuit breaker for reads: once an operation's last
//! [`OPEN_AFTER`] calls each failed the same way after all their attempts
//! (a 5xx status, or a success answer that could not be read), its further
//! calls in the same scan fail at once, saying so, instead of each waiting
//! through its own ten attempts. A scan starts with it closed
//! ([`Breaker::reset`]); a success closes it for that operation. Outside a
//! scan (a stack's events polled every 2 s) it does not stay open for
//! good: [`OPEN_FOR`] after the last failure one call is let through again,
//! and its outcome closes or reopens it (half-open), so a follower catches
//! up once the endpoint answers.
//!
//! With the retry quota out of the way (every read call gets all its
//! attempts, see `session.rs`), the same failure takes the same time every
//! time: the calls in flight when it opens stop at their next attempt, so
//! about one call's attempts are waited through, not one per product.
//!
//! Only failures of the endpoint count: denials, throttling and other 4xx
//! answers are AWS saying something, not an endpoint that fails, and the
//! scan's fallbacks depend on seeing them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Failed calls in a row, the same way, after which an operation is not
/// asked again in the scan.
pub const OPEN_AFTER: u32 = 3;

/// How long an open operation is not asked, from its last failure.
pub const OPEN_FOR: std::time::Duration = std::time::Duration::from_secs(10);

/// Why a call was not made: its operation is open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation} not asked again: its last {failures} calls failed with HTTP {status}")]
pub struct NotAsked {
    pub operation: String,
    pub failures: u32,
    pub status: u16,
}

#[derive(Debug, Default)]
struct Counts {
    /// Per operation: failed calls in a row, the status they failed with,
    /// and when the last failed.
    by_operation: HashMap<String, (u32, u16, Instant)>,
}

/// Shared by every read client of a session. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Breaker {
    counts: Arc<Mutex<Counts>>,
}

impl Breaker {
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Closes it for every operation: a new scan asks everything again.
    pub fn reset(&self) {
        self.counts().by_operation.clear();
    }

    /// Why `operation` is not to be asked, if it is open.
    pub fn open(&self, operation: &str) -> Option<NotAsked> {
        let counts = self.counts();
        let &(failures, status, last) = counts.by_operation.get(operation)?;
        (failures >= OPEN_AFTER && last.elapsed() < OPEN_FOR).then(|| NotAsked {
            operation: operation.to_string(),
            failures,
            status,
        })
    }

    /// Counts a finished call: `Some(status)` for a failure of the
    /// endpoint, `None` for a success or a failure that does not count.
    fn record(&self, operation: &str, failure: Option<u16>) {
        let mut counts = self.counts();
        match failure {
            None => {
                counts.by_operation.remove(operation);
            }
            Some(status) => {
                let now = Instant::now();
                let entry = counts
                    .by_operation
                    .entry(operation.to_string())
                    .or_insert((0, status, now));
                // The same kind of failure: the same class (a 5xx, or an
                // unreadable success), whichever code in it.
                *entry = if entry.1 / 100 == status / 100 {
                    (entry.0 + 1, status, now)
                } else {
                    (1, status, now)
                };
            }
        }
    }
}

fn operation(cfg: &ConfigBag) -> String {
    cfg.load::<Metadata>()
        .map(|m| m.name().to_string())
        .unwrap_or_default()
}

impl Intercept for Breaker {
    fn name(&self) -> &'static str {
        "spoke-read-breaker"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        match self.open(&operation(cfg)) {
            Some(open) => Err(Box::new(open)),
            None => Ok(()),
        }
    }

    /// A call already under way stops trying once its operation opened
    /// (calls that started together do not each wait through their
    /// attempts).
    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        match self.open(&operation(cfg)) {
            Some(open) => Err(Box::new(open)),
            None => Ok(()),
        }
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let op = operation(cfg);
        match context.output_or_error() {
            None | Some(Ok(_)) => self.record(&op, None),
            // Refused here (it is open), or with no answer (a timeout, no
            // connection: the session's, handled there): neither counts
            // nor clears.
            Some(Err(e)) if e.is_interceptor_error() => {}
            Some(Err(_)) => {
                // Only the endpoint failing counts; a 4xx is AWS saying
                // something, and leaves the count as it was.
                let status = context.response().map(|r| r.status().as_u16());
                if let Some(status) = status.filter(|s| *s >= 500 || (200..300).contains(s)) {
                    self.record(&op, Some(status));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_the_same_failure_in_a_row_and_a_success_or_a_scan_closes_it() {
        let b = Breaker::default();
        b.record("ListProvisioningArtifacts", Some(500));
        b.record("ListProvisioningArtifacts", Some(500));
        assert_eq!(b.open("ListProvisioningArtifacts"), None);
        b.record("ListProvisioningArtifacts", Some(500));
        let open = b.open("ListProvisioningArtifacts").unwrap();
        assert_eq!(
            open.to_string(),
            "ListProvisioningArtifacts not asked again: its last 3 calls failed with HTTP 500"
        );
        assert_eq!(b.open("ListPortfolios"), None, "per operation");
        b.reset();
        assert_eq!(b.open("ListProvisioningArtifacts"), None);

        // A different kind of failure starts the count again (a 5xx is one
        // kind, whichever); a success clears it.
        b.record("X", Some(500));
        b.record("X", Some(200));
        b.record("X", Some(502));
        b.record("X", Some(503));
        assert_eq!(b.open("X"), None);
        b.record("X", Some(500));
        assert_eq!(b.open("X").map(|o| o.status), Some(500));
        b.record("X", None);
        b.record("X", Some(502));
        assert_eq!(b.open("X"), None);
    }

    #[test]
    fn an_open_operation_is_asked_again_once_it_has_been_quiet_for_a_while() {
        let b = Breaker::default();
        for _ in 0..OPEN_AFTER {
            b.record("DescribeStackEvents", Some(500));
        }
        assert!(b.open("DescribeStackEvents").is_some());
        // As if the last failure were OPEN_FOR ago: half-open.
        if let Some(entry) = b.counts().by_operation.get_mut("DescribeStackEvents") {
            entry.2 = Instant::now() - OPEN_FOR;
        }
        assert_eq!(b.open("DescribeStackEvents"), None, "one call may go");
        // It fails again: open again at once.
        b.record("DescribeStackEvents", Some(500));
        assert!(b.open("DescribeStackEvents").is_some());
        // It answers: closed.
        b.record("DescribeStackEvents", None);
        assert_eq!(b.open("DescribeStackEvents"), None);
    }
}
