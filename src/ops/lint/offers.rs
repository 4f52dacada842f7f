//! What spoke's journal says of the shares it made ([`Offers`]): when each
//! account share was offered, and the tokens of organization and OU
//! shares — what AWS does not keep. The last successful
//! `CreatePortfolioShare` of a portfolio to a principal counts; a successful
//! `DeletePortfolioShare` since forgets it.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};

use crate::journal::{Contents, Phase};
use crate::model::ShareTarget;

/// What spoke's journal says of the shares it made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offers {
    /// Why the journal was not read (none kept, or it failed), if it was not.
    pub unread: Option<String>,
    /// By (owner account, portfolio id, recipient account): when spoke's
    /// last successful `CreatePortfolioShare` of it was answered.
    pub offered: BTreeMap<(String, String, String), DateTime<Utc>>,
    /// The last successful organization or OU share of each (owner
    /// account, portfolio, node) not unshared since, with its token.
    pub org_shares: Vec<OrgShare>,
}

/// An organization or OU share spoke made, as journaled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgShare {
    pub account: String,
    pub region: String,
    pub portfolio_id: String,
    pub target: ShareTarget,
    pub token: String,
    pub time: DateTime<Utc>,
}

/// Who a journaled share or unshare names, from its targets.
fn target_of(targets: &BTreeMap<String, String>) -> Option<ShareTarget> {
    if let Some(id) = targets.get("account") {
        return Some(ShareTarget::Account(id.clone()));
    }
    if let Some(id) = targets.get("organizational_unit") {
        return Some(ShareTarget::OrganizationalUnit(id.clone()));
    }
    targets
        .get("organization")
        .map(|id| ShareTarget::Organization(id.clone()))
}

impl Offers {
    /// No journal to read: `why`.
    pub fn unread(why: impl Into<String>) -> Offers {
        Offers {
            unread: Some(why.into()),
            ..Offers::default()
        }
    }

    /// Reads the journal at `path` (none: spoke keeps no journal here).
    pub fn read(path: Option<&Path>) -> Offers {
        match path {
            None => Offers::unread("this session keeps no journal"),
            Some(path) => match crate::journal::read(path) {
                Ok(contents) => Offers::from_journal(&contents),
                Err(e) => Offers::unread(e.to_string()),
            },
        }
    }

    /// The successful share and unshare results of `contents`, in order.
    pub fn from_journal(contents: &Contents) -> Offers {
        let mut lines: Vec<_> = contents
            .entries
            .iter()
            .filter(|e| e.phase == Phase::Result && e.outcome.as_ref().is_some_and(|o| o.ok))
            .filter(|e| {
                matches!(
                    e.operation.as_str(),
                    "CreatePortfolioShare" | "DeletePortfolioShare"
                )
            })
            .collect();
        lines.sort_by_key(|e| e.time);
        let mut offers = Offers::default();
        let mut org: BTreeMap<(String, String, String), OrgShare> = BTreeMap::new();
        for e in lines {
            let (Some(portfolio), Some(target)) =
                (e.targets.get("portfolio_id"), target_of(&e.targets))
            else {
                continue;
            };
            let account = e.actor.account.clone();
            let shared = e.operation == "CreatePortfolioShare";
            match &target {
                ShareTarget::Account(id) => {
                    let key = (account, portfolio.clone(), id.clone());
                    if shared {
                        offers.offered.insert(key, e.time);
                    } else {
                        offers.offered.remove(&key);
                    }
                }
                _ => {
                    let key = (account.clone(), portfolio.clone(), target.describe());
                    // The token: a target of the result line; older
                    // journals have it only in the message.
                    let token = e
                        .targets
                        .get(crate::aws::write::SHARE_TOKEN)
                        .cloned()
                        .or_else(|| {
                            let message = &e.outcome.as_ref()?.message;
                            Some(message.strip_prefix("share started, token ")?.to_string())
                        });
                    match (shared, token) {
                        (true, Some(token)) => {
                            org.insert(
                                key,
                                OrgShare {
                                    account,
                                    region: e.actor.region.clone(),
                                    portfolio_id: portfolio.clone(),
                                    target,
                                    token,
                                    time: e.time,
                                },
                            );
                        }
                        _ => {
                            org.remove(&key);
                        }
                    }
                }
            }
        }
        offers.org_shares = org.into_values().collect();
        offers
    }

    /// The tokens of the organization shares `account` made in `region`.
    pub fn tokens_of(&self, account: &str, region: &str) -> Vec<String> {
        self.org_shares
            .iter()
            .filter(|s| s.account == account && (s.region.is_empty() || s.region == region))
            .map(|s| s.token.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Actor, Entry, Outcome};

    fn line(op: &str, targets: &[(&str, &str)], days_ago: i64, ok: bool, message: &str) -> Entry {
        Entry {
            time: Utc::now() - chrono::Duration::days(days_ago),
            action: format!("{op}-{days_ago}"),
            phase: Phase::Result,
            batch: None,
            actor: Actor {
                profile: "hub".into(),
                account: "111122223333".into(),
                caller_arn: String::new(),
                region: "us-east-1".into(),
            },
            operation: op.into(),
            targets: targets
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            parameters: BTreeMap::new(),
            token: None,
            record_id: None,
            outcome: Some(Outcome {
                ok,
                message: message.into(),
            }),
        }
    }

    #[test]
    fn the_last_successful_share_counts_and_an_unshare_forgets_it() {
        let acct = [("portfolio_id", "port-1"), ("account", "222233334444")];
        let ou = [
            ("portfolio_id", "port-1"),
            ("organizational_unit", "ou-ab12-cdef1234"),
        ];
        let contents = Contents {
            entries: vec![
                line("CreatePortfolioShare", &acct, 20, true, "shared"),
                line("CreatePortfolioShare", &acct, 10, false, "denied"),
                line(
                    "CreatePortfolioShare",
                    &ou,
                    9,
                    true,
                    "share started, token share-old",
                ),
                line(
                    "CreatePortfolioShare",
                    &[ou[0], ou[1], ("portfolio_share_token", "share-new")],
                    3,
                    true,
                    "share started, token share-new",
                ),
                line(
                    "CreatePortfolioShare",
                    &[("portfolio_id", "port-2"), ("account", "1")],
                    5,
                    true,
                    "shared",
                ),
                line(
                    "DeletePortfolioShare",
                    &[("portfolio_id", "port-2"), ("account", "1")],
                    4,
                    true,
                    "unshared",
                ),
            ],
            bad_lines: Vec::new(),
        };
        let offers = Offers::from_journal(&contents);
        assert!(offers.unread.is_none());
        let key = (
            "111122223333".to_string(),
            "port-1".to_string(),
            "222233334444".to_string(),
        );
        let at = offers.offered[&key];
        assert_eq!(
            (Utc::now() - at).num_days(),
            20,
            "the failed repeat is no offer"
        );
        assert_eq!(offers.offered.len(), 1, "the unshared one is forgotten");
        assert_eq!(offers.tokens_of("111122223333", "us-east-1"), ["share-new"]);
        assert!(offers.tokens_of("111122223333", "eu-west-1").is_empty());
    }
}
