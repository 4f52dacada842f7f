//! Plain domain types: no I/O, no SDK types, no terminal.

use chrono::{DateTime, Utc};

/// Who the current credentials belong to (STS `GetCallerIdentity`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    pub account_id: String,
    pub arn: String,
    pub user_id: String,
}

/// How a portfolio reached the account that sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShareType {
    /// Shared account to account.
    Account,
    /// Shared through AWS Organizations (organization, OU or member account).
    Organization,
}

/// Where a portfolio lives, as the AWS console says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Created in this account.
    Local,
    /// Created in another account and accepted here.
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portfolio {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub description: Option<String>,
    pub provider: Option<String>,
    pub created: Option<DateTime<Utc>>,
    pub origin: Origin,
}

/// The account id in an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`),
/// if it has one.
pub fn account_of_arn(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let account = parts.nth(3)?;
    parts.next()?;
    (!account.is_empty()).then_some(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_comes_from_the_arn() {
        assert_eq!(
            account_of_arn("arn:aws:catalog:us-east-1:111122223333:portfolio/port-abc"),
            Some("111122223333")
        );
        assert_eq!(account_of_arn("arn:aws:s3:::bucket"), None);
        assert_eq!(account_of_arn("not an arn"), None);
        assert_eq!(account_of_arn("arn:aws:catalog:us-east-1:1"), None);
    }

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
    }
}
