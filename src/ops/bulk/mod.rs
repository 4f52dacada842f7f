//! Bulk update of drifted provisioned products across a fleet: plan, then
//! apply, journaled item by item, resumable.
//!
//! - [`plan()`](plan::plan), with reads only: every drifted provisioned
//!   product (or the ones asked for), from version → to version, updated
//!   or skipped and why ([`Skip`](crate::model::Skip)); for the ones to
//!   update, the stack's state (busy stacks are skipped); an account the
//!   gate refused is skipped with the rule that makes it read-only.
//! - [`preview_risk()`](plan::preview_risk), asked for explicitly: a
//!   temporary provisioned product plan per item whose resource changes
//!   flag risky updates (replacements, removals; skipped unless included),
//!   deleted once read; leftovers of earlier runs found with
//!   ListProvisionedProductPlans and deleted; what could not be deleted
//!   returned. [`apply()`](apply::apply) never sends an item whose risk was
//!   not previewed.
//! - [`apply()`](apply::apply): the updates, at most `concurrency` at once
//!   in each account and [`FLEET_AT_ONCE`](limits::FLEET_AT_ONCE) in all,
//!   each followed to SUCCEEDED or FAILED; cancel stops what has not started.
//! - Every item's `UpdateToken` is fixed in the plan, which is saved (0600)
//!   beside the journal before anything is sent; a run stopped in any way is
//!   resumed from the plan and the journal ([`resume_state`](apply::resume_state)):
//!   settled items are not touched, submitted ones are followed, the others
//!   are sent with their own token again — so AWS updates each once.
//! - [`report`]: one JSON line per item, with the fields AWS's auto-update
//!   solution logs for Athena.

pub mod apply;
pub mod limits;
pub mod plan;
pub mod report;
pub mod run;
pub mod status;
pub mod waves;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::fleet::Selection;
use crate::files;
use crate::model::{BulkItem, OptIn, Skip, UpdateRequest};

pub use apply::{ApplyOptions, ItemStatus, Progress, apply, resume_state};
pub use plan::{Leftover, PlanOptions, RiskPreview, plan, preview_risk, to_preview};
pub use waves::WavePolicy;

/// What a plan learned of the resources an update would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "risk", rename_all = "snake_case")]
pub enum Risk {
    /// Nothing replaced or removed.
    Safe,
    /// These replacements or removals.
    Risky { changes: Vec<String> },
    /// Could not be learned (its plan failed, the account has no writer).
    Unavailable { why: String },
    /// Not previewed yet: planning makes no call that changes anything;
    /// [`preview_risk`](plan::preview_risk) creates the temporary plans.
    NotPreviewed,
    /// Not asked: the item is skipped anyway.
    NotAsked,
}

impl Risk {
    pub fn describe(&self) -> String {
        match self {
            Risk::Safe => "no replacement".into(),
            Risk::Risky { changes } => changes.join(", "),
            Risk::Unavailable { why } => format!("unavailable: {why}"),
            Risk::NotPreviewed => "risk not previewed".into(),
            Risk::NotAsked => String::new(),
        }
    }
}

/// One item of a bulk plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedItem {
    pub item: BulkItem,
    pub risk: Risk,
    /// The update to send (for an item that will be updated).
    pub request: Option<UpdateRequest>,
    /// The stack behind it and who launched it, for the report.
    pub stack_name: Option<String>,
    pub launched_by: Option<String>,
    pub scanned: DateTime<Utc>,
}

impl PlannedItem {
    pub fn will_update(&self) -> bool {
        self.item.will_update() && self.request.is_some()
    }
}

/// A whole plan, saved before it is applied so that it can be resumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPlan {
    /// The batch id: every journal line of the run carries it.
    pub batch: String,
    pub created: DateTime<Utc>,
    pub selection: Selection,
    pub region: Option<String>,
    pub policy: OptIn,
    pub include_risky: bool,
    pub items: Vec<PlannedItem>,
    /// Accounts that could not be reached: (label, reason).
    pub unreachable: Vec<(String, String)>,
}

impl BulkPlan {
    /// Includes (or leaves out again) the items whose update replaces or
    /// removes resources.
    pub fn set_include_risky(&mut self, include: bool) {
        self.include_risky = include;
        for i in &mut self.items {
            let (Risk::Risky { changes }, Some(_)) = (&i.risk, &i.request) else {
                continue;
            };
            match (&i.item.skip, include) {
                (Some(Skip::Risky { .. }), true) => i.item.skip = None,
                (None, false) => {
                    i.item.skip = Some(Skip::Risky {
                        changes: changes.clone(),
                    })
                }
                _ => {}
            }
        }
    }

    pub fn to_update(&self) -> usize {
        self.items.iter().filter(|i| i.will_update()).count()
    }

    /// "12 to update, 30 skipped in 20 accounts (2 unreachable)".
    pub fn summary(&self) -> String {
        let mut accounts: Vec<&str> = self.items.iter().map(|i| i.item.profile.as_str()).collect();
        accounts.sort_unstable();
        accounts.dedup();
        let mut line = format!(
            "{} to update, {} skipped, in {} account{}",
            self.to_update(),
            self.items.len() - self.to_update(),
            accounts.len(),
            if accounts.len() == 1 { "" } else { "s" }
        );
        if !self.unreachable.is_empty() {
            line.push_str(&format!(" ({} unreachable)", self.unreachable.len()));
        }
        line
    }

    /// Where the plan of `batch` is kept: `bulk/<batch>.json` beside the journal.
    pub fn path_for(journal: &Path, batch: &str) -> PathBuf {
        bulk_dir(journal).join(format!("{batch}.json"))
    }

    /// Saves the plan (0600, atomically) beside the journal.
    pub fn save(&self, journal: &Path) -> std::io::Result<PathBuf> {
        let path = Self::path_for(journal, &self.batch);
        let text = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        files::replace_private(&path, &text)?;
        Ok(path)
    }

    pub fn load(path: &Path) -> Result<BulkPlan, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_slice(&bytes).map_err(|e| {
            format!(
                "{}: not a bulk plan spoke wrote ({e}) — run `spoke update --drifted` again",
                path.display()
            )
        })
    }

    /// The saved plans beside `journal`, newest first.
    pub fn saved(journal: &Path) -> Vec<PathBuf> {
        let Ok(dir) = std::fs::read_dir(bulk_dir(journal)) else {
            return Vec::new();
        };
        let mut plans: Vec<(std::time::SystemTime, PathBuf)> = dir
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
            .collect();
        plans.sort_by_key(|p| std::cmp::Reverse(p.0));
        plans.into_iter().map(|(_, p)| p).collect()
    }
}

fn bulk_dir(journal: &Path) -> PathBuf {
    journal
        .parent()
        .map_or_else(|| PathBuf::from("bulk"), |d| d.join("bulk"))
}
