//! Hygiene findings (`spoke lint`, the console's `:xray`): rules over the
//! inventory of every account of a fleet, each finding with its account,
//! entity, rule, severity, why it matters and the action that fixes it.
//!
//! The rules are pure functions over [`AccountFacts`]: an account's
//! inventory plus the few reads a scan does not make ([`read`]: IAM
//! `GetRole` for launch roles, `DescribeStacks` for each stack,
//! `DescribeRecord` for what is UNDER_CHANGE, the latest version's
//! parameters, `DescribePortfolioShareStatus` of the organization shares
//! spoke's journal names). Two rules read spoke's journal ([`shares`]):
//! when an account share was offered, and the tokens of organization
//! shares. A rule whose input was not read reports it as [`Unchecked`],
//! never as passing.

mod catalog;
pub mod offers;
mod provisioned;
pub mod read;
pub mod rules;
pub mod sarif;
pub mod shares;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{Inventory, OptIn, ShareTarget};

pub use offers::Offers;
pub use read::{AccountFacts, Extra, gather};
pub use rules::{RULES, RuleDoc, rule};

/// The format of `spoke lint --format json`; a reader refuses a newer one.
pub const SCHEMA_VERSION: u32 = 1;

/// How much a finding matters; SARIF's levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// "portfolio", "product", "version", "provisioned product", "share",
    /// "constraint".
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    /// Its ARN where AWS gives it one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
}

/// The action that fixes a finding: one spoke has (the console opens its
/// plan), or what to do in the AWS console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fix {
    /// Update the provisioned product to the latest version.
    Update {
        account: String,
        provisioned: String,
    },
    /// The recipient accepts the share.
    Accept { account: String, portfolio: String },
    /// Look at its requests and repair it (`spoke repair`).
    Repair {
        account: String,
        provisioned: String,
    },
    /// Opt the product in to auto-update.
    OptIn { account: String, product: String },
    /// Share the portfolio with the organization node again (the owner).
    Share {
        account: String,
        portfolio: String,
        target: ShareTarget,
    },
    /// Nothing spoke does: what to do, in words.
    Console { what: String },
}

impl Fix {
    /// One line: "spoke update …", or the words.
    pub fn describe(&self) -> String {
        match self {
            Fix::Update { provisioned, .. } => {
                format!("update {provisioned} to the latest version (spoke update)")
            }
            Fix::Accept { account, portfolio } => {
                format!("accept {portfolio} in {account} (spoke accept)")
            }
            Fix::Repair { provisioned, .. } => {
                format!("look at the requests of {provisioned} and repair it (spoke repair)")
            }
            Fix::OptIn { product, .. } => format!("opt {product} in to auto-update (spoke opt-in)"),
            Fix::Share {
                portfolio, target, ..
            } => {
                let flag = match target {
                    ShareTarget::Organization(_) => "--organization",
                    _ => "--ou",
                };
                format!(
                    "check the accounts named (active, in the organization), then share {portfolio} with {} again (spoke share --portfolio {portfolio} {flag} {}; if it says shared already, spoke unshare it first)",
                    target.describe(),
                    target.id()
                )
            }
            Fix::Console { what } => what.clone(),
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// The profile (or the account's name in the organization).
    pub label: String,
    pub account: String,
    pub entity: Entity,
    /// What is wrong, about this entity.
    pub message: String,
    pub fix: Fix,
}

/// A rule that could not look at (part of) an account, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unchecked {
    pub rule: &'static str,
    pub label: String,
    pub account: Option<String>,
    pub why: String,
}

/// The thresholds and switches of the rules (`[lint]` in spoke's config).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintConfig {
    /// Rule ids switched off.
    pub disabled: BTreeSet<String>,
    /// UNDER_CHANGE for longer than this is stuck.
    pub under_change_hours: i64,
    /// Unused versions older than this are clean-up candidates.
    pub unused_version_days: i64,
    /// An account share offered (per spoke's journal) longer ago than
    /// this and not accepted is reported.
    pub share_pending_days: i64,
    /// The bulk update's policy: only a tag policy needs products opted in.
    pub policy: OptIn,
}

impl Default for LintConfig {
    fn default() -> Self {
        Self {
            disabled: BTreeSet::new(),
            under_change_hours: 4,
            unused_version_days: 90,
            share_pending_days: 7,
            policy: OptIn::default(),
        }
    }
}

impl LintConfig {
    pub fn enabled(&self, rule: &str) -> bool {
        !self.disabled.contains(rule)
    }
}

/// An account the rules looked at, or could not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountRead {
    pub label: String,
    pub account: Option<String>,
    /// Why it could not be read at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreachable: Option<String>,
}

/// Everything a lint run found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub checked_at: DateTime<Utc>,
    /// The rules that ran (the ones switched off are not here).
    pub rules: Vec<&'static str>,
    pub accounts: Vec<AccountRead>,
    /// Most severe first, then by account, rule and entity.
    pub findings: Vec<Finding>,
    pub unchecked: Vec<Unchecked>,
}

impl Report {
    /// Findings at `level` or above.
    pub fn at_least(&self, level: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity >= level).count()
    }
}

/// What the rules see of the fleet.
pub struct Fleet<'a> {
    pub accounts: &'a [AccountFacts],
    pub config: &'a LintConfig,
    /// What spoke's journal says of the shares it made.
    pub offers: &'a Offers,
    pub now: DateTime<Utc>,
}

impl Fleet<'_> {
    /// The accounts whose inventory was read, with it.
    pub fn read(&self) -> impl Iterator<Item = (&AccountFacts, &Inventory)> {
        self.accounts
            .iter()
            .filter_map(|a| Some((a, a.inventory.as_ref()?)))
    }
}

/// Runs every enabled rule over `accounts`.
pub fn evaluate(
    accounts: &[AccountFacts],
    config: &LintConfig,
    offers: &Offers,
    now: DateTime<Utc>,
) -> Report {
    let fleet = Fleet {
        accounts,
        config,
        offers,
        now,
    };
    let mut out = Out::default();
    for doc in RULES {
        if config.enabled(doc.id) {
            (doc.check)(&fleet, &mut out);
        }
    }
    let mut findings = out.findings;
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.account.cmp(&b.account))
            .then_with(|| a.rule.cmp(b.rule))
            .then_with(|| a.entity.name.cmp(&b.entity.name))
            .then_with(|| a.entity.id.cmp(&b.entity.id))
    });
    findings.dedup();
    let mut unchecked = out.unchecked;
    unchecked.dedup();
    Report {
        schema_version: SCHEMA_VERSION,
        checked_at: now,
        rules: RULES
            .iter()
            .filter(|r| config.enabled(r.id))
            .map(|r| r.id)
            .collect(),
        accounts: accounts
            .iter()
            .map(|a| AccountRead {
                label: a.label.clone(),
                account: a.account.clone(),
                unreachable: a.unreachable.clone(),
            })
            .collect(),
        findings,
        unchecked,
    }
}

/// Where the rules put what they find.
#[derive(Default)]
pub struct Out {
    pub findings: Vec<Finding>,
    pub unchecked: Vec<Unchecked>,
}

impl Out {
    /// A finding of `rule` (its severity from the registry) in `account`.
    pub fn find(
        &mut self,
        rule_id: &'static str,
        account: &AccountFacts,
        entity: Entity,
        message: String,
        fix: Fix,
    ) {
        let severity = rule(rule_id).map_or(Severity::Warning, |r| r.severity);
        self.find_as(rule_id, severity, account, entity, message, fix);
    }

    /// A finding of `rule` at `severity`, not the registry's (a rule that
    /// knows less of one case says so with a lower level).
    pub fn find_as(
        &mut self,
        rule_id: &'static str,
        severity: Severity,
        account: &AccountFacts,
        entity: Entity,
        message: String,
        fix: Fix,
    ) {
        self.findings.push(Finding {
            rule: rule_id,
            severity,
            label: account.label.clone(),
            account: account.account.clone().unwrap_or_default(),
            entity,
            message,
            fix,
        });
    }

    pub fn unchecked(&mut self, rule_id: &'static str, account: &AccountFacts, why: String) {
        self.unchecked.push(Unchecked {
            rule: rule_id,
            label: account.label.clone(),
            account: account.account.clone(),
            why,
        });
    }
}

/// Reads spoke's journal (`journal`, none when the session keeps none) and
/// the fleet of `selection`, and runs the rules: see [`gather`].
pub async fn run(
    source: &crate::aws::ProfileSource,
    selection: &crate::ops::fleet::Selection,
    region: Option<&str>,
    log: crate::aws::CallLog,
    config: &LintConfig,
    journal: Option<&std::path::Path>,
) -> Result<Report, crate::aws::AwsError> {
    let offers = Offers::read(journal);
    let accounts = gather(source, selection, region, log, &offers).await?;
    Ok(evaluate(&accounts, config, &offers, Utc::now()))
}
