//! What the views, the loop and the tests read of the state (its fields
//! are its own: only the state's components write them), and what the
//! console opens with.

use super::*;
use crate::model::OptIn;
use crate::ops::fleet::Selection;

impl State {
    /// The state opened on a fleet (`--profiles`, `--org-role`): the
    /// provisioned products of every account.
    pub fn with_fleet(mut self, selection: Option<Selection>) -> Self {
        if let Some(selection) = selection {
            self.fleet_selection = Some(selection);
            self.go_to(Screen::Provisioned);
        }
        self
    }

    /// The bulk update's opt-in policy from spoke's config.
    pub fn with_lint(mut self, config: crate::ops::lint::LintConfig) -> Self {
        self.lint_config = config;
        self
    }

    pub fn with_bulk_policy(mut self, policy: OptIn) -> Self {
        self.bulk_policy = policy;
        self
    }

    /// The `template_bucket` of each profile, from spoke's config.
    pub fn with_template_buckets(
        mut self,
        buckets: std::collections::BTreeMap<String, String>,
    ) -> Self {
        self.template_buckets = buckets;
        self
    }

    /// Browsing a saved snapshot: its label in the header.
    pub fn with_snapshot(mut self, label: Option<String>) -> Self {
        self.snapshot = label;
        self
    }

    /// The endpoint's clock is not the wall clock: said in the header.
    pub fn with_clock_note(mut self, note: Option<String>) -> Self {
        self.clock_note = note;
        self
    }

    /// "sandbox clock ×10" when the endpoint's time runs apart.
    pub fn clock_note(&self) -> Option<&str> {
        self.clock_note.as_deref()
    }

    /// The session on screen.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Whether the account in front is read-only (RO in the header).
    pub fn read_only(&self) -> bool {
        self.session.read_only()
    }

    /// The profile asked for (or opened).
    pub fn profile(&self) -> &str {
        self.session.profile()
    }

    /// The region asked for, or the session's once connected.
    pub fn region(&self) -> Option<&str> {
        self.session.region()
    }

    pub fn connection(&self) -> Option<&Connection> {
        self.session.connection()
    }

    pub fn identity(&self) -> Option<&CallerIdentity> {
        self.session.identity()
    }

    /// Why this session cannot act, once connected (none: it can).
    pub fn no_writer(&self) -> Option<&str> {
        self.session.no_writer()
    }

    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn input(&self) -> Input {
        self.input
    }

    pub fn overlay(&self) -> Option<Overlay> {
        self.overlay
    }

    pub fn command(&self) -> &CommandLine {
        &self.command
    }

    pub fn help(&self) -> &Help {
        &self.help
    }

    pub fn calls(&self) -> &Calls {
        &self.calls
    }

    pub fn profiles(&self) -> &Profiles {
        &self.profiles
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn status(&self) -> &Status {
        &self.status
    }

    /// A mistake in a settings file, shown until the first key press.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Spinner frame, advanced by ticks while busy.
    pub fn spinner(&self) -> usize {
        self.spinner
    }

    pub fn show_detail(&self) -> bool {
        self.show_detail
    }

    /// The age of the cached inventory on screen, until the scan replaces it.
    pub fn cached_age(&self) -> Option<&str> {
        self.cached_age.as_deref()
    }

    /// The form, plan or report in front, if any.
    pub fn dialog(&self) -> Option<&Dialog> {
        self.dialog.as_ref()
    }

    /// Actions of this console, oldest first.
    pub fn running(&self) -> &[Running] {
        &self.running
    }

    pub fn fleet_selection(&self) -> Option<&Selection> {
        self.fleet_selection.as_ref()
    }

    /// The opt-in policy of the next bulk update.
    pub fn bulk_policy(&self) -> &OptIn {
        &self.bulk_policy
    }

    /// The bulk update under way or last done.
    pub fn bulk(&self) -> Option<&BulkRun> {
        self.bulk.as_ref()
    }

    /// "2026-11-24 02:40 UTC · profiles hub, …" when browsing a saved snapshot.
    pub fn snapshot(&self) -> Option<&str> {
        self.snapshot.as_deref()
    }

    /// The names of the accounts spoke knows: the one connected, the
    /// members of the fleet, and the profiles whose config names their
    /// account (in that order of trust).
    pub fn names(&self) -> crate::tui::names::Names {
        let mut names = crate::tui::names::Names::default();
        if let Some(identity) = self.identity() {
            names.add_account(&identity.account_id, self.profile());
        }
        if let Some(fleet) = &self.catalog.fleet {
            for a in fleet.accounts() {
                names.add_account(a.account.as_deref().unwrap_or_default(), &a.label);
            }
        }
        for p in self.profiles.list().unwrap_or_default() {
            names.add_account(p.account.as_deref().unwrap_or_default(), &p.name);
        }
        names
    }
}
