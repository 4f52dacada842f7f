//! Portfolios, where they come from, and whom a local one is shared with.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How a portfolio reached the account that sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareType {
    /// Shared account to account, and accepted (`IMPORTED`).
    Account,
    /// Shared through AWS Organizations: the organization, an OU or a
    /// member account (`AWS_ORGANIZATIONS`); no acceptance needed.
    Organization,
}

/// Where a portfolio lives, as the AWS console says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Created in this account.
    Local,
    /// Created in another account and imported here.
    Imported {
        owner_account: String,
        share_type: ShareType,
    },
}

impl Origin {
    pub fn is_local(&self) -> bool {
        matches!(self, Origin::Local)
    }

    /// "local", "imported from 111122223333 (account share)" or
    /// "imported from 111122223333 (organization)".
    pub fn describe(&self) -> String {
        match self {
            Origin::Local => "local".to_string(),
            Origin::Imported {
                owner_account,
                share_type,
            } => {
                let how = match share_type {
                    ShareType::Account => "account share",
                    ShareType::Organization => "organization",
                };
                format!("imported from {owner_account} ({how})")
            }
        }
    }
}

/// A Service Catalog portfolio as seen from one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Portfolio {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub description: Option<String>,
    pub provider: Option<String>,
    pub created: Option<DateTime<Utc>>,
    pub origin: Origin,
}

/// Whom a local portfolio is shared with (`DescribePortfolioShares` types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ShareKind {
    /// An account share (must be accepted by the other account).
    Account,
    OrganizationalUnit,
    Organization,
    /// One account of the organization, shared through Organizations.
    OrganizationMemberAccount,
}

impl ShareKind {
    pub const ALL: [ShareKind; 4] = [
        ShareKind::Account,
        ShareKind::OrganizationalUnit,
        ShareKind::Organization,
        ShareKind::OrganizationMemberAccount,
    ];

    /// "account", "OU", "organization", "org account".
    pub fn label(self) -> &'static str {
        match self {
            ShareKind::Account => "account",
            ShareKind::OrganizationalUnit => "OU",
            ShareKind::Organization => "organization",
            ShareKind::OrganizationMemberAccount => "org account",
        }
    }
}

/// One share of a local portfolio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// The local portfolio shared.
    pub portfolio_id: String,
    pub kind: ShareKind,
    /// An account id, an OU id (`ou-…`) or an organization id (`o-…`).
    pub principal: String,
    /// Account shares wait for the other account to accept; organization
    /// shares are accepted by construction.
    pub accepted: bool,
    pub share_tag_options: bool,
    pub share_principals: bool,
}

impl Share {
    /// "accepted" or "pending".
    pub fn state(&self) -> &'static str {
        if self.accepted { "accepted" } else { "pending" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_reads_like_the_console() {
        assert_eq!(Origin::Local.describe(), "local");
        let imported = Origin::Imported {
            owner_account: "111122223333".into(),
            share_type: ShareType::Organization,
        };
        assert_eq!(
            imported.describe(),
            "imported from 111122223333 (organization)"
        );
        let by_account = Origin::Imported {
            owner_account: "111122223333".into(),
            share_type: ShareType::Account,
        };
        assert_eq!(
            by_account.describe(),
            "imported from 111122223333 (account share)"
        );
        assert!(!by_account.is_local());
    }

    #[test]
    fn a_share_is_pending_until_accepted() {
        let mut share = Share {
            portfolio_id: "port-a".into(),
            kind: ShareKind::Account,
            principal: "222233334444".into(),
            accepted: false,
            share_tag_options: false,
            share_principals: false,
        };
        assert_eq!(share.state(), "pending");
        share.accepted = true;
        assert_eq!(share.state(), "accepted");
        assert_eq!(ShareKind::OrganizationalUnit.label(), "OU");
    }

    #[test]
    fn share_kinds_serialize_as_aws_names() {
        let names: Vec<String> = ShareKind::ALL
            .iter()
            .map(|k| serde_json::to_string(k).unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "\"ACCOUNT\"",
                "\"ORGANIZATIONAL_UNIT\"",
                "\"ORGANIZATION\"",
                "\"ORGANIZATION_MEMBER_ACCOUNT\""
            ]
        );
    }
}
