//! Sessions, for both front ends: a profile becomes a [`Connected`]
//! session (who we are, in which region, what it may write), and every
//! writer comes from the one [`Gate`] of the run, which applies the
//! read-only rules to the account it writes to and journals each change.
//!
//! The console's executor and the headless commands hold these handles and
//! pass them to the workflows of `ops`; neither builds an AWS client.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::aws::Session;
pub use crate::aws::{AwsError, CALL_LOG_CAPACITY, CallLog, Gate, ProfileSource, Refusal};
/// The handles a front end passes to the workflows of `ops`; only a
/// [`Connected`] session (and the gate) makes them.
pub use crate::aws::{Reader, Writer};
use crate::model::{CallerIdentity, ReadOnlyRules};
use crate::ops::fleet::Member;

/// What every session of a run comes from: where profiles are read, the
/// region used when none is asked for, the gate, and the one log of calls.
#[derive(Debug, Clone)]
pub struct Sessions {
    source: ProfileSource,
    /// spoke's config's `region`: used when no region is asked for (a
    /// region asked for on the command line or with `:region` wins; with
    /// neither, the profile's own).
    default_region: Option<String>,
    gate: Arc<Gate>,
    log: CallLog,
}

impl Sessions {
    /// `journal` is where changes are recorded; without one, nothing can
    /// be written.
    pub fn new(
        source: ProfileSource,
        default_region: Option<String>,
        rules: ReadOnlyRules,
        journal: Option<PathBuf>,
    ) -> Sessions {
        Sessions {
            source,
            default_region,
            gate: Arc::new(Gate::new(rules, journal)),
            log: CallLog::default(),
        }
    }

    /// The same, its calls recorded in `log` (the console keeps one log
    /// across profile and region switches).
    pub fn with_log(mut self, log: CallLog) -> Sessions {
        self.log = log;
        self
    }

    pub fn source(&self) -> &ProfileSource {
        &self.source
    }

    pub fn log(&self) -> &CallLog {
        &self.log
    }

    /// The gate every writer of this run comes from.
    pub fn gate(&self) -> &Arc<Gate> {
        &self.gate
    }

    pub fn rules(&self) -> &ReadOnlyRules {
        self.gate.rules()
    }

    /// The journal changes are recorded in, if there is one.
    pub fn journal_path(&self) -> Option<&Path> {
        self.gate.journal_path()
    }

    /// The region a session asked for `asked` uses: it, else the config's
    /// (none: the profile's own).
    pub fn region(&self, asked: Option<&str>) -> Option<String> {
        asked.map(str::to_string).or(self.default_region.clone())
    }

    /// Connects to `profile` and asks who we are (one read call).
    pub async fn connect(
        &self,
        profile: &str,
        region: Option<&str>,
    ) -> Result<Connected, AwsError> {
        self.connect_then(profile, region, |_, _| {}).await
    }

    /// [`Sessions::connect`], telling `before_identity` the profile and
    /// region once they are known, before the first call is made (the
    /// console shows its cached inventory then).
    pub async fn connect_then(
        &self,
        profile: &str,
        region: Option<&str>,
        before_identity: impl FnOnce(&str, &str),
    ) -> Result<Connected, AwsError> {
        let region = self.region(region);
        let session =
            Session::connect_with_log(&self.source, profile, region.as_deref(), self.log.clone())
                .await?;
        before_identity(session.profile(), session.region());
        let reader = Reader::new(&session);
        let identity = reader.caller_identity().await?;
        Ok(Connected {
            session,
            reader,
            identity,
            gate: self.gate.clone(),
            writer: OnceLock::new(),
        })
    }

    /// Readers of every other profile, in `region` (none: each one's own),
    /// and why the ones that could not be reached were not.
    pub(crate) async fn others(
        &self,
        of: &Connected,
        region: Option<&str>,
    ) -> (Vec<Reader>, Vec<String>) {
        let profiles = match self.source.discover() {
            Ok(p) => p,
            Err(e) => return (Vec::new(), vec![e.to_string()]),
        };
        let mut readers = Vec::new();
        let mut problems = Vec::new();
        for p in profiles.iter().filter(|p| p.name != of.profile()) {
            match Session::connect_with_log(&self.source, &p.name, region, self.log.clone()).await {
                Ok(session) => readers.push(Reader::new(&session)),
                Err(e) => problems.push(format!("{}: {e}", p.name)),
            }
        }
        (readers, problems)
    }
}

/// A session open on one profile: who it is, and its writer once asked.
#[derive(Debug)]
pub struct Connected {
    session: Session,
    reader: Reader,
    identity: CallerIdentity,
    gate: Arc<Gate>,
    /// Built by the gate the first time it is asked for.
    writer: OnceLock<Result<Writer, Refusal>>,
}

impl Connected {
    pub fn profile(&self) -> &str {
        self.session.profile()
    }

    pub fn region(&self) -> &str {
        self.session.region()
    }

    /// A custom endpoint (the sandbox, LocalStack…), if any.
    pub fn endpoint(&self) -> Option<&str> {
        self.session.endpoint()
    }

    pub fn identity(&self) -> &CallerIdentity {
        &self.identity
    }

    pub fn reader(&self) -> &Reader {
        &self.reader
    }

    /// This account's writer, from the gate (which applies the read-only
    /// rules to it and opens the journal); asked for only when a change
    /// is about to be made, or to know whether one can be.
    pub fn writer(&self) -> Result<&Writer, &Refusal> {
        self.writer
            .get_or_init(|| self.gate.writer(&self.session, &self.identity, None))
            .as_ref()
    }

    /// Why this session cannot write, if it cannot.
    pub fn refusal(&self) -> Option<&Refusal> {
        self.writer().err()
    }

    /// This session as the one member of a fleet (a bulk update of one account).
    pub fn member(&self) -> Member {
        Member::of_session(self.session.clone(), self.reader.clone(), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_asked_for_wins_then_the_configs_then_the_profiles() {
        let rules = ReadOnlyRules::default();
        let with_config = Sessions::new(
            ProfileSource::user(),
            Some("eu-west-1".into()),
            rules.clone(),
            None,
        );
        assert_eq!(
            with_config.region(Some("ap-south-1")).as_deref(),
            Some("ap-south-1")
        );
        assert_eq!(with_config.region(None).as_deref(), Some("eu-west-1"));
        let without = Sessions::new(ProfileSource::user(), None, rules, None);
        assert_eq!(without.region(None), None, "left to the profile");
        assert!(without.journal_path().is_none());
    }
}
