//! Waves: the safety an event-driven updater built by hand provides.
//!
//! - `--canary K`: the first K items still to update, **in the plan's
//!   order** (account, then provisioned product name: deterministic, and
//!   the same on a resumed run), are updated first, at most K at once; the
//!   rest start only if all K succeed. The first canary failure halts the
//!   run: no canary item not yet sent is sent either.
//! - `--max-failures N`: once N items failed in this run (canary failures
//!   included), no new item starts; the started ones are followed to their
//!   end.
//!
//! What was not started ends [`Halted`](super::ItemStatus::Halted) with a
//! reason that says why ("not started: 2 failures reached --max-failures
//! 2"); it has no record, so `spoke update --resume` sends it later. Items
//! a resumed run finds settled in the journal are not counted: only what
//! this run sent is.

use std::sync::Mutex;

use super::ItemStatus;

/// How a run is cut into waves; none of it set: one wave of everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WavePolicy {
    /// Items updated first; the rest only if all of them succeed.
    pub canary: Option<usize>,
    /// Failures after which no new item starts.
    pub max_failures: Option<usize>,
}

impl WavePolicy {
    /// (canary, rest) of `pending`, the indices still to send in the plan's
    /// order: the canary is its first K.
    pub fn split(&self, pending: &[usize]) -> (Vec<usize>, Vec<usize>) {
        let k = self.canary.unwrap_or(0).min(pending.len());
        (pending[..k].to_vec(), pending[k..].to_vec())
    }

    /// "canary 2, at most 3 failures", for a plan's summary; empty when unset.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(k) = self.canary {
            parts.push(format!("canary {k} first"));
        }
        if let Some(n) = self.max_failures {
            parts.push(format!("halt after {n} failure{}", plural(n)));
        }
        parts.join(", ")
    }
}

/// The tally of one run: its failures and, once reached, why it halted.
#[derive(Debug)]
pub struct Waves {
    policy: WavePolicy,
    state: Mutex<Tally>,
}

#[derive(Debug, Default)]
struct Tally {
    failures: usize,
    canary_failures: usize,
    in_canary: bool,
    halted: Option<String>,
}

impl Waves {
    pub fn new(policy: WavePolicy) -> Self {
        Self {
            policy,
            state: Mutex::new(Tally::default()),
        }
    }

    pub fn policy(&self) -> WavePolicy {
        self.policy
    }

    fn tally(&self) -> std::sync::MutexGuard<'_, Tally> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The canary wave begins (or ends: `false`).
    pub fn canary(&self, on: bool) {
        self.tally().in_canary = on;
    }

    /// Why nothing more may start, once the run halted.
    pub fn halted(&self) -> Option<String> {
        self.tally().halted.clone()
    }

    /// Counts the end of an item this run sent; may halt the run.
    pub fn ended(&self, end: &ItemStatus) {
        if !matches!(end, ItemStatus::Failed { .. }) {
            return;
        }
        let mut t = self.tally();
        t.failures += 1;
        if t.halted.is_some() {
            return;
        }
        if t.in_canary {
            t.canary_failures += 1;
            let k = self.policy.canary.unwrap_or(0);
            t.halted = Some(format!(
                "not started: a canary update failed (--canary {k}: the rest start only if all {k} succeed)"
            ));
        } else if let Some(n) = self.policy.max_failures
            && t.failures >= n
        {
            t.halted = Some(format!(
                "not started: {} failure{} reached --max-failures {n}",
                t.failures,
                plural(t.failures)
            ));
        }
    }

    /// After the canary wave: the run halts unless every canary item
    /// succeeded (one not sent — cancelled, skipped — is no success).
    pub fn canary_ended(&self, ends: &[ItemStatus]) {
        self.canary(false);
        let mut t = self.tally();
        if t.halted.is_some() {
            return;
        }
        let k = ends.len();
        let ok = ends
            .iter()
            .filter(|e| matches!(e, ItemStatus::Succeeded { .. }))
            .count();
        if ok < k {
            t.halted = Some(format!(
                "not started: {ok} of the {k} canary update{} succeeded (--canary {k}: the rest start only if all succeed)",
                plural(k)
            ));
        } else if let Some(n) = self.policy.max_failures
            && t.failures >= n
        {
            t.halted = Some(format!(
                "not started: {} failure{} reached --max-failures {n}",
                t.failures,
                plural(t.failures)
            ));
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed() -> ItemStatus {
        ItemStatus::Failed {
            record: None,
            reason: "boom".into(),
            at: None,
        }
    }

    fn ok() -> ItemStatus {
        ItemStatus::Succeeded {
            record: "r".into(),
            at: None,
        }
    }

    #[test]
    fn the_canary_is_the_first_k_in_the_plans_order() {
        let policy = WavePolicy {
            canary: Some(2),
            max_failures: None,
        };
        assert_eq!(policy.split(&[3, 5, 8, 9]), (vec![3, 5], vec![8, 9]));
        assert_eq!(policy.split(&[4]), (vec![4], vec![]));
        assert_eq!(WavePolicy::default().split(&[1, 2]), (vec![], vec![1, 2]));
    }

    #[test]
    fn a_canary_failure_halts_at_once_and_says_so() {
        let waves = Waves::new(WavePolicy {
            canary: Some(2),
            max_failures: None,
        });
        waves.canary(true);
        waves.ended(&failed());
        let why = waves.halted().expect("halted");
        assert!(
            why.starts_with("not started: a canary update failed"),
            "{why}"
        );
        assert!(why.contains("--canary 2"), "{why}");
        waves.canary_ended(&[failed(), ok()]);
        assert_eq!(
            waves.halted().as_deref(),
            Some(why.as_str()),
            "first reason kept"
        );
    }

    #[test]
    fn a_canary_that_all_succeeded_lets_the_rest_start() {
        let waves = Waves::new(WavePolicy {
            canary: Some(2),
            max_failures: Some(1),
        });
        waves.canary(true);
        waves.ended(&ok());
        waves.ended(&ok());
        waves.canary_ended(&[ok(), ok()]);
        assert_eq!(waves.halted(), None);
        // After the canary: the failure budget.
        waves.ended(&failed());
        assert_eq!(
            waves.halted().as_deref(),
            Some("not started: 1 failure reached --max-failures 1")
        );
    }

    #[test]
    fn a_canary_item_not_sent_is_no_success() {
        let waves = Waves::new(WavePolicy {
            canary: Some(2),
            max_failures: None,
        });
        waves.canary(true);
        waves.canary_ended(&[ok(), ItemStatus::Cancelled]);
        let why = waves.halted().expect("halted");
        assert!(why.contains("1 of the 2 canary updates succeeded"), "{why}");
    }

    #[test]
    fn max_failures_counts_failures_only_and_halts_at_n() {
        let waves = Waves::new(WavePolicy {
            canary: None,
            max_failures: Some(2),
        });
        waves.ended(&ok());
        waves.ended(&failed());
        assert_eq!(waves.halted(), None);
        waves.ended(&ItemStatus::Skipped { reason: "x".into() });
        assert_eq!(waves.halted(), None);
        waves.ended(&failed());
        assert_eq!(
            waves.halted().as_deref(),
            Some("not started: 2 failures reached --max-failures 2")
        );
        // A third (already started) failure does not rewrite the reason.
        waves.ended(&failed());
        assert_eq!(
            waves.halted().as_deref(),
            Some("not started: 2 failures reached --max-failures 2")
        );
    }

    #[test]
    fn no_policy_never_halts() {
        let waves = Waves::new(WavePolicy::default());
        for _ in 0..10 {
            waves.ended(&failed());
        }
        assert_eq!(waves.halted(), None);
        assert_eq!(WavePolicy::default().describe(), "");
    }
}
