//! How many items of a bulk plan or run work at once: a few in each
//! account (an account's API rates and its stacks are its own), many
//! accounts together, and a ceiling for the whole fleet.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Items at work at once across the whole fleet, whatever each account allows.
pub const FLEET_AT_ONCE: usize = 128;

/// A permit per item: one of its account's, one of the fleet's.
pub struct Limits {
    per_account: usize,
    fleet: Arc<Semaphore>,
    accounts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// Held while an item works; dropping it lets the next in.
pub struct Permit {
    _account: OwnedSemaphorePermit,
    _fleet: OwnedSemaphorePermit,
}

impl Limits {
    pub fn new(per_account: usize) -> Self {
        Self {
            per_account: per_account.max(1),
            fleet: Arc::new(Semaphore::new(FLEET_AT_ONCE)),
            accounts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for room in `account` (a member's label) and in the fleet, in
    /// the order asked (tokio's semaphores are fair).
    pub async fn acquire(&self, account: &str) -> Permit {
        let semaphore = {
            let mut accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
            accounts
                .entry(account.to_string())
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_account)))
                .clone()
        };
        // Neither semaphore is ever closed.
        let account = semaphore.acquire_owned().await.expect("never closed");
        let fleet = self
            .fleet
            .clone()
            .acquire_owned()
            .await
            .expect("never closed");
        Permit {
            _account: account,
            _fleet: fleet,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_account_gets_its_share_and_no_more() {
        let limits = Limits::new(2);
        let a1 = limits.acquire("a").await;
        let _a2 = limits.acquire("a").await;
        // a third in "a" waits; "b" does not
        let waiting =
            tokio::time::timeout(std::time::Duration::from_millis(20), limits.acquire("a")).await;
        assert!(waiting.is_err(), "a third permit in one account");
        let _b = tokio::time::timeout(std::time::Duration::from_millis(20), limits.acquire("b"))
            .await
            .expect("another account is not held up");
        drop(a1);
        tokio::time::timeout(std::time::Duration::from_millis(20), limits.acquire("a"))
            .await
            .expect("room again once one ends");
    }
}
