//! A saved inventory of one or several accounts (`spoke audit --out
//! FILE.json`), which `spoke --snapshot FILE.json` browses offline.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use super::{AccountDrift, DriftRow, Inventory, StackEvent};

/// The format written; a reader refuses a newer one.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// Everything an audit saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// [`SNAPSHOT_FORMAT`] when written.
    pub format: u32,
    pub taken: DateTime<Utc>,
    /// "spoke 0.1.0".
    pub tool: String,
    /// What was scanned: "profiles hub, spoke-dev" or "the organization of
    /// hub, through role …", and where ("AWS" or the endpoint).
    pub source: String,
    pub accounts: Vec<AccountSnapshot>,
}

/// One account of a snapshot: its inventory, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSnapshot {
    /// The profile, or the account's name in the organization.
    pub label: String,
    pub account: Option<String>,
    pub inventory: Option<Inventory>,
    pub unreachable: Option<String>,
    /// The recent events of each provisioned product's stack (its newest
    /// page, oldest first), by stack id; none in snapshots written before
    /// spoke captured them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub events: BTreeMap<String, Vec<StackEvent>>,
    /// Stacks whose events could not be read, and why.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub events_not_read: BTreeMap<String, String>,
}

impl AccountSnapshot {
    /// An account read (its inventory), its stacks' events still to add.
    pub fn read(label: String, inventory: Inventory) -> Self {
        Self {
            label,
            account: Some(inventory.account.clone()),
            inventory: Some(inventory),
            unreachable: None,
            events: BTreeMap::new(),
            events_not_read: BTreeMap::new(),
        }
    }

    /// An account that could not be reached or read, and why.
    pub fn unreachable(label: String, account: Option<String>, why: String) -> Self {
        Self {
            label,
            account,
            inventory: None,
            unreachable: Some(why),
            events: BTreeMap::new(),
            events_not_read: BTreeMap::new(),
        }
    }

    /// Some part of the account was not read: a section of its inventory,
    /// the stack events of a provisioned product, or the whole account.
    pub fn has_gaps(&self) -> bool {
        self.inventory
            .as_ref()
            .is_none_or(|i| !i.problems.is_empty())
            || !self.events_not_read.is_empty()
    }

    /// The drift of its provisioned products, as a fleet shows it.
    pub fn drift(&self) -> AccountDrift {
        let Some(inv) = &self.inventory else {
            return AccountDrift::unreachable(
                &self.label,
                self.account.clone(),
                self.unreachable
                    .clone()
                    .unwrap_or_else(|| "not read".into()),
            );
        };
        let rows = inv
            .provisioned
            .iter()
            .map(|pp| {
                let versions = inv.versions_read(&pp.product_id).then(|| {
                    inv.products
                        .iter()
                        .find(|p| p.id == pp.product_id)
                        .map_or(&[][..], |p| p.versions.as_slice())
                });
                DriftRow::new(&self.label, pp.clone(), versions)
            })
            .collect();
        AccountDrift {
            label: self.label.clone(),
            account: Some(inv.account.clone()),
            rows,
            versions: inv
                .products
                .iter()
                .map(|p| (p.id.clone(), p.versions.clone()))
                .collect(),
            problems: inv.problems.iter().map(|p| p.message.clone()).collect(),
            unreachable: None,
        }
    }
}

impl Snapshot {
    /// "2026-11-24 02:40 UTC · profiles hub, spoke-dev", for the header.
    pub fn label(&self) -> String {
        format!(
            "{} · {}",
            self.taken.format("%Y-%m-%d %H:%M UTC"),
            self.source
        )
    }

    /// Reads a snapshot; the message names what is wrong and what to do.
    pub fn parse(bytes: &[u8]) -> Result<Snapshot, String> {
        #[derive(Deserialize)]
        struct Head {
            format: Option<u32>,
        }
        let head: Head = serde_json::from_slice(bytes).map_err(|e| {
            format!(
                "not a spoke snapshot (line {}, column {}: {e}) — write one with `spoke audit --out FILE.json`",
                e.line(),
                e.column()
            )
        })?;
        match head.format {
            None => {
                return Err(
                    "not a spoke snapshot (no `format` field) — write one with `spoke audit --out FILE.json`"
                        .into(),
                );
            }
            Some(f) if f > SNAPSHOT_FORMAT => {
                return Err(format!(
                    "snapshot format {f} is newer than this spoke reads ({SNAPSHOT_FORMAT}) — upgrade spoke"
                ));
            }
            Some(_) => {}
        }
        serde_json::from_slice(bytes).map_err(|e| {
            format!(
                "a damaged spoke snapshot (line {}, column {}: {e}) — write it again with `spoke audit`",
                e.line(),
                e.column()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_file_says_what_it_is_not() {
        assert!(
            Snapshot::parse(b"{")
                .unwrap_err()
                .contains("not a spoke snapshot (line 1")
        );
        assert!(
            Snapshot::parse(b"{}")
                .unwrap_err()
                .contains("no `format` field")
        );
        assert!(
            Snapshot::parse(br#"{"format": 99}"#)
                .unwrap_err()
                .contains("newer than this spoke reads")
        );
        assert!(
            Snapshot::parse(br#"{"format": 1}"#)
                .unwrap_err()
                .contains("damaged")
        );
    }
}
