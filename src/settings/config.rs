//! spoke's own settings (TOML), from `--config FILE` or the user's config
//! directory. Everything has a default; a missing default file is fine.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::{AccountPattern, ReadOnlyRules};

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Open every session read-only unless this is false (`--read-only` always wins).
    pub read_only: bool,
    /// Profile to open when neither `--profile` nor `AWS_PROFILE` is given.
    pub profile: Option<String>,
    /// Region to use when neither `--region` nor the profile gives one.
    pub region: Option<String>,
    /// Which drifted products a bulk update may touch unless `--policy`
    /// (or `:bulk POLICY`) says otherwise: `everything`, `tag:KEY=VALUE`
    /// (default `tag:AutoUpdateProvisionedProduct=true`), `products:A,B`.
    pub bulk_policy: Option<String>,
    /// Settings of one AWS profile: `[profiles.NAME]`.
    pub profiles: std::collections::BTreeMap<String, ProfileSettings>,
    /// Settings of accounts: `[accounts."123456789012"]` (an id) or
    /// `[accounts."*-prod"]` (a glob over the account's name in the
    /// organization).
    pub accounts: std::collections::BTreeMap<String, AccountSettings>,
    /// The hygiene rules of `spoke lint` and `:xray`: `[lint]`.
    pub lint: LintSettings,
}

/// `[lint]` in spoke's config: rules switched off and thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LintSettings {
    /// Rule ids switched off, e.g. `["version-unused"]`.
    pub disabled: Vec<String>,
    /// UNDER_CHANGE for more hours than this is stuck (pp-stuck).
    pub under_change_hours: i64,
    /// Unused versions older than this many days are reported (version-unused).
    pub unused_version_days: i64,
    /// Account shares offered (per spoke's journal) more days ago than
    /// this and not accepted are reported (share-not-accepted).
    pub share_pending_days: i64,
}

impl Default for LintSettings {
    fn default() -> Self {
        let d = crate::ops::lint::LintConfig::default();
        Self {
            disabled: Vec::new(),
            under_change_hours: d.under_change_hours,
            unused_version_days: d.unused_version_days,
            share_pending_days: d.share_pending_days,
        }
    }
}

impl LintSettings {
    /// Every switch names a rule, and the thresholds are positive.
    fn check(&self) -> Result<(), String> {
        for id in &self.disabled {
            if crate::ops::lint::rule(id).is_none() {
                let ids: Vec<&str> = crate::ops::lint::RULES.iter().map(|r| r.id).collect();
                return Err(format!(
                    "[lint] disabled: `{id}` is not a rule; the rules are {}",
                    ids.join(", ")
                ));
            }
        }
        if self.under_change_hours < 1 {
            return Err(format!(
                "[lint] under_change_hours = {}: give a number of hours, 1 or more",
                self.under_change_hours
            ));
        }
        if self.unused_version_days < 1 {
            return Err(format!(
                "[lint] unused_version_days = {}: give a number of days, 1 or more",
                self.unused_version_days
            ));
        }
        if self.share_pending_days < 0 {
            return Err(format!(
                "[lint] share_pending_days = {}: give a number of days, 0 or more",
                self.share_pending_days
            ));
        }
        Ok(())
    }

    /// The rules' configuration, under the bulk update's `policy` (the
    /// default policy when the config sets none).
    pub fn to_config(&self, policy: Option<crate::model::OptIn>) -> crate::ops::lint::LintConfig {
        crate::ops::lint::LintConfig {
            disabled: self.disabled.iter().cloned().collect(),
            under_change_hours: self.under_change_hours,
            unused_version_days: self.unused_version_days,
            share_pending_days: self.share_pending_days,
            policy: policy.unwrap_or_default(),
        }
    }
}

/// `[profiles.NAME]` in spoke's config.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileSettings {
    /// This profile's sessions are read-only (or not), whatever the global
    /// `read_only` says; `--read-only` and `--write` still win.
    pub read_only: Option<bool>,
    /// The S3 bucket this profile's templates are stored in (`--bucket` wins).
    pub template_bucket: Option<String>,
}

/// `[accounts."KEY"]` in spoke's config.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountSettings {
    /// Writes to these accounts are refused (or, `false`, allowed despite
    /// the global `read_only`); see [`crate::model::read_only`].
    pub read_only: Option<bool>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid: {message}")]
    Parse { path: String, message: String },
}

/// `config.toml` in spoke's config directory, if there is a home.
pub fn default_path() -> Option<PathBuf> {
    super::dirs::user_file("config.toml")
}

/// How reasons name the config file: its path when given, else "spoke's config".
pub fn source_name(explicit: Option<&Path>) -> String {
    match explicit {
        Some(path) => path.display().to_string(),
        None => "spoke's config".to_string(),
    }
}

impl Config {
    /// The `template_bucket` of each profile that sets one.
    pub fn template_buckets(&self) -> std::collections::BTreeMap<String, String> {
        self.profiles
            .iter()
            .filter_map(|(name, p)| Some((name.clone(), p.template_bucket.clone()?)))
            .collect()
    }

    /// Loads `explicit` (which must exist), else the default file if present.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => match default_path() {
                Some(p) if p.exists() => p,
                _ => return Ok(Config::default()),
            },
        };
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text).map_err(|message| ConfigError::Parse {
            path: path.display().to_string(),
            message,
        })
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let message = crate::aws::error::one_line(e.message());
            match e.span() {
                Some(span) => {
                    let (line, column) = super::file::line_col(text, span.start);
                    format!("line {line}, column {column}: {message}")
                }
                None => message,
            }
        })?;
        config.policy()?;
        config.lint.check()?;
        for key in config.accounts.keys() {
            AccountPattern::parse(key)?;
        }
        Ok(config)
    }

    /// The read-only rules of this file (`source` names it in the
    /// reasons), the flags laid over: see [`crate::model::read_only`].
    pub fn read_only_rules(
        &self,
        source: &str,
        read_only_flag: bool,
        write_flag: bool,
    ) -> ReadOnlyRules {
        let profiles = self
            .profiles
            .iter()
            .filter_map(|(name, p)| Some((name.clone(), p.read_only?)))
            .collect();
        let accounts = self
            .accounts
            .iter()
            .filter_map(|(key, a)| Some((AccountPattern::parse(key).ok()?, a.read_only?)))
            .collect();
        ReadOnlyRules::from_config(source, self.read_only, profiles, accounts)
            .with_flags(read_only_flag, write_flag)
    }

    /// The bulk update's opt-in policy, if the file sets one.
    pub fn policy(&self) -> Result<Option<crate::model::OptIn>, String> {
        self.bulk_policy
            .as_deref()
            .map(|p| {
                p.parse::<crate::model::OptIn>()
                    .map_err(|e| format!("bulk_policy: {e}"))
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_settings_and_refuses_unknown_keys() {
        let cfg = Config::parse("read_only = true\nprofile = \"hub\"\n").unwrap();
        assert!(cfg.read_only);
        assert_eq!(cfg.profile.as_deref(), Some("hub"));
        assert_eq!(Config::parse("").unwrap(), Config::default());
        assert!(Config::parse("colour = 1").unwrap_err().contains("colour"));
        let cfg = Config::parse(
            "read_only = true\n[profiles.sandbox-admin]\nread_only = false\n[profiles.prod]\nread_only = true\n",
        )
        .unwrap();
        let who = |profile| crate::model::Subject {
            profile,
            account_id: None,
            account_name: None,
        };
        let rules = cfg.read_only_rules("c.toml", false, false);
        assert!(rules.read_only(&who("sandbox-admin")).is_none());
        assert!(rules.read_only(&who("prod")).is_some() && rules.read_only(&who("x")).is_some());
        assert!(
            cfg.read_only_rules("c.toml", false, true)
                .read_only(&who("prod"))
                .is_none(),
            "--write wins"
        );
        assert!(
            cfg.read_only_rules("c.toml", true, false)
                .read_only(&who("sandbox-admin"))
                .is_some(),
            "--read-only wins"
        );
        let cfg = Config::parse("[accounts.\"*-prod\"]\nread_only = true\n").unwrap();
        let named = crate::model::Subject {
            profile: "hub",
            account_id: Some("123456789012"),
            account_name: Some("orders-prod"),
        };
        assert!(
            cfg.read_only_rules("c.toml", false, false)
                .read_only(&named)
                .is_some()
        );
        assert!(Config::parse("[accounts.\" \"]\nread_only = true\n").is_err());
        assert!(
            Config::parse("[profiles.x]\nreadonly = true\n")
                .unwrap_err()
                .contains("readonly")
        );
        let cfg = Config::parse("bulk_policy = \"everything\"\n").unwrap();
        assert_eq!(cfg.policy(), Ok(Some(crate::model::OptIn::Everything)));
        let bad = Config::parse("bulk_policy = \"sometimes\"\n").unwrap_err();
        assert!(
            bad.starts_with("bulk_policy: `sometimes` is not a policy"),
            "{bad}"
        );
    }

    #[test]
    fn lint_switches_and_thresholds_are_checked() {
        let cfg = Config::parse(
            "[lint]\ndisabled = [\"version-unused\"]\nunder_change_hours = 2\nunused_version_days = 30\nshare_pending_days = 14\n",
        )
        .unwrap();
        let lint = cfg.lint.to_config(None);
        assert!(!lint.enabled("version-unused") && lint.enabled("pp-failed"));
        assert_eq!(
            (
                lint.under_change_hours,
                lint.unused_version_days,
                lint.share_pending_days
            ),
            (2, 30, 14)
        );
        let bad = Config::parse("[lint]\nshare_pending_days = -1\n").unwrap_err();
        assert!(bad.contains("share_pending_days = -1"), "{bad}");
        let bad = Config::parse("[lint]\ndisabled = [\"no-such-rule\"]\n").unwrap_err();
        assert!(
            bad.contains("`no-such-rule` is not a rule") && bad.contains("pp-failed"),
            "{bad}"
        );
        let bad = Config::parse("[lint]\nunder_change_hours = 0\n").unwrap_err();
        assert!(bad.contains("under_change_hours = 0"), "{bad}");
        let bad = Config::parse("[lint]\nshare_days = 3\n").unwrap_err();
        assert!(bad.contains("share_days"), "{bad}");
    }
}
