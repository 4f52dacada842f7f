//! The one gate every write goes through.
//!
//! A [`Writer`] is the only value that can change anything in AWS, and
//! this file is the only place one is made: `Writer::open` is private to
//! `aws::write` (its parent), `Writer` has no public fields, no `Default`
//! and no other constructor, and the only call to `Writer::open` in
//! `aws::write` and its children is in [`Gate::writer`] below — a
//! reviewer checks `write.rs`, `write/plans.rs` and this file, nothing
//! else. [`Gate::writer`] applies the read-only rules
//! ([`crate::model::read_only`]) to the account the writer would write
//! to — the profile that reaches it, its account id from the session's
//! own caller identity, and its name in the organization — so a
//! read-only account can never be given a writer, whichever front end,
//! fleet or organization asks. Code outside cannot build one:
//!
//! (while the one way in compiles:)
//!
//! ```no_run
//! fn ask(g: &spoke::aws::Gate, s: &spoke::aws::Session, i: &spoke::model::CallerIdentity) {
//!     let _: Result<spoke::aws::Writer, spoke::aws::Refusal> = g.writer(s, i, None);
//! }
//! ```
//!
//! ```compile_fail,E0624
//! fn forge(s: &spoke::aws::Session, i: &spoke::model::CallerIdentity, j: spoke::journal::Journal) {
//!     let _ = spoke::aws::Writer::open(s, i, j);
//! }
//! ```
//!
//! ```compile_fail,E0599
//! fn forge(s: &spoke::aws::Session, i: &spoke::model::CallerIdentity, j: spoke::journal::Journal) {
//!     let _ = spoke::aws::Writer::new(s, i, j);
//! }
//! ```

use std::path::PathBuf;
use std::sync::Mutex;

use super::Writer;
use crate::aws::Session;
use crate::journal::Journal;
use crate::model::{CallerIdentity, ReadOnlyRules, Subject};

/// Why no writer was given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The rules make this account read-only.
    #[error("{who} is read-only ({why})")]
    ReadOnly { who: String, why: String },
    /// Writes are allowed, but there is no journal to record them in.
    #[error("{0}")]
    NoJournal(String),
}

impl Refusal {
    pub fn is_read_only(&self) -> bool {
        matches!(self, Refusal::ReadOnly { .. })
    }
}

/// The read-only rules of a run and the journal its writers record to.
#[derive(Debug)]
pub struct Gate {
    rules: ReadOnlyRules,
    journal_path: Option<PathBuf>,
    /// Opened by the first writer given (a read-only run opens none).
    journal: Mutex<Option<Journal>>,
}

impl Gate {
    /// `journal`: where writes are recorded; none, and no writer is given.
    pub fn new(rules: ReadOnlyRules, journal: Option<PathBuf>) -> Gate {
        Gate {
            rules,
            journal_path: journal,
            journal: Mutex::new(None),
        }
    }

    /// The same rules with no journal: it decides which accounts are
    /// read-only but gives no writer (a plan, a dry run).
    pub fn deciding_only(&self) -> Gate {
        Gate::new(self.rules.clone(), None)
    }

    pub fn rules(&self) -> &ReadOnlyRules {
        &self.rules
    }

    pub fn journal_path(&self) -> Option<&std::path::Path> {
        self.journal_path.as_deref()
    }

    /// Why writes to `subject` are refused, if they are.
    pub fn read_only(&self, subject: &Subject) -> Option<String> {
        self.rules.read_only(subject)
    }

    /// A writer for the account `session` reaches as `identity` (named
    /// `account_name` in its organization, if known), or why not.
    pub fn writer(
        &self,
        session: &Session,
        identity: &CallerIdentity,
        account_name: Option<&str>,
    ) -> Result<Writer, Refusal> {
        let subject = Subject {
            profile: session.profile(),
            account_id: Some(&identity.account_id),
            account_name,
        };
        if let Some(why) = self.rules.read_only(&subject) {
            let who = match account_name {
                Some(name) if name != session.profile() => {
                    format!("{name} ({})", identity.account_id)
                }
                _ => format!("{} ({})", session.profile(), identity.account_id),
            };
            return Err(Refusal::ReadOnly { who, why });
        }
        let journal = self.journal()?;
        Ok(Writer::open(session, identity, journal))
    }

    fn journal(&self) -> Result<Journal, Refusal> {
        let Some(path) = &self.journal_path else {
            return Err(Refusal::NoJournal(
                "no journal to record changes in (no home directory): spoke changes nothing without one; pass --journal FILE".into(),
            ));
        };
        let mut slot = self.journal.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(journal) = slot.as_ref() {
            return Ok(journal.clone());
        }
        let journal = Journal::open(path).map_err(|e| Refusal::NoJournal(e.to_string()))?;
        *slot = Some(journal.clone());
        Ok(journal)
    }
}
