//! Which accounts spoke may change: the read-only rules, applied to one
//! account at a time.
//!
//! The rules come from the flags and spoke's config:
//! 1. `--read-only`: every account is read-only, whatever else is set;
//! 2. `--write`: no account is, whatever the config says;
//! 3. else the config. Every rule that matches the account is looked at —
//!    `[accounts."123456789012"]` (its id), `[accounts."*-prod"]` (a glob
//!    matched against its name in the organization, case-insensitively),
//!    `[profiles.NAME]` (the profile that reaches it) — and if any says
//!    `read_only = true`, the account is read-only. A `read_only = false`
//!    only lifts the global `read_only = true`: it never undoes a `true`
//!    that matches the same account.
//!
//! A decision is made for an account, never for a session: a fleet's
//! members are each decided on their own ([`ReadOnlyRules::read_only`]).

/// What is known of the account a write would go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject<'a> {
    /// The profile whose credentials reach it (for an organization
    /// member: the profile the role is assumed from).
    pub profile: &'a str,
    /// Its account id, once known (after GetCallerIdentity).
    pub account_id: Option<&'a str>,
    /// Its name in the organization, when the fleet comes from one.
    pub account_name: Option<&'a str>,
}

/// How an `[accounts."KEY"]` section names accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountPattern {
    /// Twelve digits: that account id.
    Id(String),
    /// Anything else: a glob (`*`, `?`) over the account's name.
    Name(String),
}

impl AccountPattern {
    /// Reads a config key; an empty one is refused.
    pub fn parse(key: &str) -> Result<AccountPattern, String> {
        let key = key.trim();
        if key.is_empty() {
            return Err(
                "[accounts.\"\"]: name an account id (12 digits) or an account-name glob such as \"*-prod\"".into(),
            );
        }
        if key.len() == 12 && key.bytes().all(|b| b.is_ascii_digit()) {
            Ok(AccountPattern::Id(key.to_string()))
        } else {
            Ok(AccountPattern::Name(key.to_string()))
        }
    }

    fn matches(&self, subject: &Subject) -> bool {
        match self {
            AccountPattern::Id(id) => subject.account_id == Some(id.as_str()),
            AccountPattern::Name(glob) => subject
                .account_name
                .is_some_and(|name| glob_matches(&glob.to_lowercase(), &name.to_lowercase())),
        }
    }

    fn describe(&self, subject: &Subject) -> String {
        match self {
            AccountPattern::Id(id) => format!("for account {id}"),
            AccountPattern::Name(glob) => format!(
                "for accounts named \"{glob}\" ({})",
                subject.account_name.unwrap_or_default()
            ),
        }
    }
}

/// `*` any run of characters, `?` any one; everything else itself.
fn glob_matches(glob: &str, text: &str) -> bool {
    let (g, t): (Vec<char>, Vec<char>) = (glob.chars().collect(), text.chars().collect());
    // Iterative matching with one backtrack point (the last `*`).
    let (mut gi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if gi < g.len() && (g[gi] == '?' || g[gi] == t[ti]) {
            gi += 1;
            ti += 1;
        } else if gi < g.len() && g[gi] == '*' {
            star = Some((gi, ti));
            gi += 1;
        } else if let Some((sg, st)) = star {
            gi = sg + 1;
            ti = st + 1;
            star = Some((sg, st + 1));
        } else {
            return false;
        }
    }
    g[gi..].iter().all(|c| *c == '*')
}

/// The flags, which win over any file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Forced {
    /// `--read-only` (or a snapshot: nothing to write to).
    ReadOnly(&'static str),
    /// `--write`.
    Write,
}

/// The read-only rules of a run: the flags laid over the config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOnlyRules {
    forced: Option<Forced>,
    /// The global `read_only`.
    global: bool,
    /// `[profiles.NAME] read_only`.
    profiles: Vec<(String, bool)>,
    /// `[accounts."KEY"] read_only`.
    accounts: Vec<(AccountPattern, bool)>,
    /// Where the rules were read: "spoke's config" or the file's path.
    source: String,
}

impl ReadOnlyRules {
    /// Every account read-only: `--read-only`.
    pub fn always() -> Self {
        Self::forced_read_only("--read-only")
    }

    /// Every account read-only, for `why` (a snapshot, an audit session).
    pub fn forced_read_only(why: &'static str) -> Self {
        Self {
            forced: Some(Forced::ReadOnly(why)),
            ..Self::default()
        }
    }

    /// The rules of a config file (`source` names it in reasons).
    pub fn from_config(
        source: impl Into<String>,
        global: bool,
        profiles: Vec<(String, bool)>,
        accounts: Vec<(AccountPattern, bool)>,
    ) -> Self {
        Self {
            forced: None,
            global,
            profiles,
            accounts,
            source: source.into(),
        }
    }

    /// The flags laid over: `--read-only` wins over everything, `--write`
    /// over the config.
    pub fn with_flags(mut self, read_only: bool, write: bool) -> Self {
        if read_only {
            self.forced = Some(Forced::ReadOnly("--read-only"));
        } else if write {
            self.forced = Some(Forced::Write);
        }
        self
    }

    /// Why writes to `subject` are refused, or None when they are allowed.
    /// What is not known of the subject (its id before it is reached, its
    /// name outside an organization) matches no rule.
    pub fn read_only(&self, subject: &Subject) -> Option<String> {
        match self.forced {
            Some(Forced::ReadOnly(why)) => return Some(why.to_string()),
            Some(Forced::Write) => return None,
            None => {}
        }
        let mut lifted = false;
        for (pattern, read_only) in &self.accounts {
            if pattern.matches(subject) {
                if *read_only {
                    return Some(format!(
                        "read_only = true {} in {}",
                        pattern.describe(subject),
                        self.source
                    ));
                }
                lifted = true;
            }
        }
        for (profile, read_only) in &self.profiles {
            if profile == subject.profile {
                if *read_only {
                    return Some(format!(
                        "read_only = true for profile {profile} in {}",
                        self.source
                    ));
                }
                lifted = true;
            }
        }
        (self.global && !lifted).then(|| format!("read_only = true in {}", self.source))
    }

    /// Why `profile` is read-only whatever account it turns out to reach,
    /// or None when that depends on the account (or it is not).
    pub fn read_only_whatever_account(&self, profile: &str) -> Option<String> {
        let known = Subject {
            profile,
            account_id: None,
            account_name: None,
        };
        let why = self.read_only(&known)?;
        let liftable = self.forced.is_none()
            && !self.profiles.iter().any(|(p, ro)| p == profile && *ro)
            && self.accounts.iter().any(|(_, ro)| !*ro);
        (!liftable).then_some(why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject<'a>(profile: &'a str, id: Option<&'a str>, name: Option<&'a str>) -> Subject<'a> {
        Subject {
            profile,
            account_id: id,
            account_name: name,
        }
    }

    fn rules() -> ReadOnlyRules {
        ReadOnlyRules::from_config(
            "config.toml",
            false,
            vec![("spoke-prod".into(), true), ("admin".into(), false)],
            vec![
                (AccountPattern::parse("*-prod").unwrap(), true),
                (AccountPattern::parse("111122223333").unwrap(), true),
                (AccountPattern::parse("sandbox-*").unwrap(), false),
            ],
        )
    }

    #[test]
    fn globs_match_as_a_shell_does() {
        for (glob, text, ok) in [
            ("*-prod", "orders-prod", true),
            ("*-prod", "orders-prod-2", false),
            ("*", "", true),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("*a*b*", "xxaxxbxx", true),
            ("*a*b", "xxaxxbxxc", false),
            ("exact", "exact", true),
            ("exact", "exactly", false),
            ("", "", true),
            ("", "x", false),
        ] {
            assert_eq!(glob_matches(glob, text), ok, "{glob} ~ {text}");
        }
    }

    #[test]
    fn each_account_is_decided_on_its_own() {
        let r = rules();
        assert_eq!(
            r.read_only(&subject("spoke-prod", Some("444455556666"), None)),
            Some("read_only = true for profile spoke-prod in config.toml".into())
        );
        assert_eq!(
            r.read_only(&subject("spoke-dev", Some("444455556666"), None)),
            None
        );
        assert_eq!(
            r.read_only(&subject("hub", Some("111122223333"), None)),
            Some("read_only = true for account 111122223333 in config.toml".into())
        );
        assert_eq!(
            r.read_only(&subject("hub", Some("999988887777"), Some("Orders-Prod"))),
            Some(
                "read_only = true for accounts named \"*-prod\" (Orders-Prod) in config.toml"
                    .into()
            ),
            "names match case-insensitively"
        );
        assert_eq!(
            r.read_only(&subject("hub", Some("999988887777"), Some("orders-dev"))),
            None
        );
    }

    #[test]
    fn a_true_always_wins_over_a_false_and_false_lifts_only_the_global() {
        let mut r = rules();
        r.global = true;
        assert!(r.read_only(&subject("other", None, None)).is_some());
        assert_eq!(r.read_only(&subject("admin", None, None)), None);
        assert_eq!(
            r.read_only(&subject("other", None, Some("sandbox-1"))),
            None,
            "an account-name false lifts the global"
        );
        assert!(
            r.read_only(&subject("admin", None, Some("orders-prod")))
                .is_some(),
            "a profile false never undoes an account true"
        );
        assert!(
            r.read_only(&subject("spoke-prod", None, Some("sandbox-1")))
                .is_some(),
            "an account false never undoes a profile true"
        );
    }

    #[test]
    fn the_flags_win() {
        let r = rules().with_flags(false, true);
        assert_eq!(r.read_only(&subject("spoke-prod", None, None)), None);
        let r = rules().with_flags(true, true);
        assert_eq!(
            r.read_only(&subject("admin", None, None)),
            Some("--read-only".into())
        );
    }

    #[test]
    fn before_an_account_is_known_only_a_certain_refusal_is_said() {
        let r = rules();
        assert!(r.read_only_whatever_account("spoke-prod").is_some());
        assert_eq!(r.read_only_whatever_account("spoke-dev"), None);
        let mut global = rules();
        global.global = true;
        assert_eq!(
            global.read_only_whatever_account("spoke-dev"),
            None,
            "an account rule may lift it"
        );
        assert!(
            ReadOnlyRules::always()
                .read_only_whatever_account("x")
                .is_some()
        );
        assert!(AccountPattern::parse(" ").is_err());
    }
}
