//! Whom a portfolio is shared with, and the checks of the ids a share names
//! (account, organization, OU) that AWS makes, run before any call.

use serde::{Deserialize, Serialize};

use super::launch::shown;

/// Whom to share a portfolio with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ShareTarget {
    /// An account share: the account must accept it.
    Account(String),
    /// Every account of an organizational unit (AWS Organizations).
    OrganizationalUnit(String),
    /// Every account of the organization.
    Organization(String),
}

impl ShareTarget {
    pub fn id(&self) -> &str {
        match self {
            ShareTarget::Account(id)
            | ShareTarget::OrganizationalUnit(id)
            | ShareTarget::Organization(id) => id,
        }
    }

    /// "account 222233334444", "OU ou-…", "organization o-…".
    pub fn describe(&self) -> String {
        match self {
            ShareTarget::Account(id) => format!("account {id}"),
            ShareTarget::OrganizationalUnit(id) => format!("OU {id}"),
            ShareTarget::Organization(id) => format!("organization {id}"),
        }
    }

    /// Organization shares are asynchronous: follow them with
    /// `DescribePortfolioShareStatus`.
    pub fn is_organization(&self) -> bool {
        !matches!(self, ShareTarget::Account(_))
    }
}

/// An AWS account id: 12 digits, and not the caller's own.
pub fn check_account_id(id: &str, own: &str) -> Result<(), String> {
    if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{} is not an account id: an account id is 12 digits",
            shown(id)
        ));
    }
    if id == own {
        return Err(format!("{id} is this account: share with another account"));
    }
    Ok(())
}

/// An organization id: `o-` and 10 to 32 lowercase letters or digits.
pub fn check_organization_id(id: &str) -> Result<(), String> {
    let ok = id
        .strip_prefix("o-")
        .is_some_and(|rest| (10..=32).contains(&rest.len()) && rest.bytes().all(lower_alnum));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{} is not an organization id (o- and 10 to 32 lowercase letters or digits)",
            shown(id)
        ))
    }
}

/// An organizational unit id: `ou-`, 4 to 32 characters, `-`, 8 to 32.
pub fn check_ou_id(id: &str) -> Result<(), String> {
    let ok = id
        .strip_prefix("ou-")
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(root, unit)| {
            (4..=32).contains(&root.len())
                && (8..=32).contains(&unit.len())
                && root.bytes().all(lower_alnum)
                && unit.bytes().all(lower_alnum)
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{} is not an OU id (ou-xxxx-xxxxxxxx, lowercase letters and digits)",
            shown(id)
        ))
    }
}

fn lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_twelve_digits_and_not_ours() {
        assert!(check_account_id("222233334444", "111122223333").is_ok());
        assert!(
            check_account_id("2222", "1")
                .unwrap_err()
                .contains("12 digits")
        );
        assert!(check_account_id("22223333444a", "1").is_err());
        assert!(
            check_account_id("111122223333", "111122223333")
                .unwrap_err()
                .contains("this account")
        );
        assert!(check_organization_id("o-a1b2c3d4e5").is_ok());
        assert!(check_organization_id("o-A1").is_err());
        assert!(check_ou_id("ou-a1b2-workload1").is_ok());
        assert!(check_ou_id("ou-x").is_err());
    }
}
