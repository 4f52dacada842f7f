//! The journal lines of the shares the world says spoke made
//! (`offered_ago` in a world file): AWS does not say when a share was
//! offered, nor keep an organization share's token, so the rules that read
//! spoke's journal (`share-not-accepted`, `org-share-failed`) have their
//! planted cases only if the journal has them. `spoke --sandbox` writes
//! them to its (sandbox) journal at start, each once, marked as seeded.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::Sandbox;
use super::world::{SeededOffer, ShareKind, World};
use crate::journal::{self, Actor, Entry, Journal, JournalError, Outcome, Phase};

/// The `SeededBy` parameter of every seeded line.
pub const SEEDED_BY: &str = "the sandbox world: no call was made";

impl Sandbox {
    /// The journal lines (intent and result) of the world's seeded shares.
    pub fn journal_seed(&self) -> Vec<Entry> {
        self.with_world(|w| w.seeded_offers.iter().flat_map(|o| lines(w, o)).collect())
    }

    /// Appends to the journal at `path` the seeded lines it does not hold
    /// yet (by action id); how many it appended.
    pub fn seed_journal(&self, path: &Path) -> Result<usize, JournalError> {
        let have: HashSet<String> = journal::read(path)?
            .entries
            .into_iter()
            .map(|e| e.action)
            .collect();
        let missing: Vec<Entry> = self
            .journal_seed()
            .into_iter()
            .filter(|e| !have.contains(&e.action))
            .collect();
        if missing.is_empty() {
            return Ok(0);
        }
        let journal = Journal::open(path)?;
        for e in &missing {
            journal.append(e)?;
        }
        Ok(missing.len())
    }
}

fn lines(w: &World, o: &SeededOffer) -> Vec<Entry> {
    let owner = w.accounts.get(&o.owner);
    let kind = match o.kind {
        ShareKind::Account | ShareKind::OrganizationMemberAccount => "account",
        ShareKind::OrganizationalUnit => "organizational_unit",
        ShareKind::Organization => "organization",
    };
    let mut targets = BTreeMap::from([
        ("portfolio_id".to_string(), o.portfolio_id.clone()),
        (kind.to_string(), o.principal.clone()),
    ]);
    let intent = Entry {
        time: o.time,
        action: format!("sandbox-seed-{}-{}", o.portfolio_id, o.principal),
        phase: Phase::Intent,
        batch: None,
        actor: Actor {
            profile: owner.map(|a| a.name.clone()).unwrap_or_default(),
            account: o.owner.clone(),
            caller_arn: owner.map(|a| a.caller_arn.clone()).unwrap_or_default(),
            region: o.region.clone(),
        },
        operation: "CreatePortfolioShare".into(),
        targets: targets.clone(),
        parameters: BTreeMap::from([("SeededBy".to_string(), SEEDED_BY.to_string())]),
        token: None,
        record_id: None,
        outcome: None,
    };
    let message = match &o.token {
        Some(t) => {
            targets.insert(crate::aws::write::SHARE_TOKEN.to_string(), t.to_string());
            format!("seeded by the sandbox world: share started, token {t}")
        }
        None => "seeded by the sandbox world: shared".to_string(),
    };
    let result = Entry {
        phase: Phase::Result,
        targets,
        outcome: Some(Outcome { ok: true, message }),
        ..intent.clone()
    };
    vec![intent, result]
}
