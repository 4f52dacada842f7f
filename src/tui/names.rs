//! The names spoke knows for ids it shows: the profile (or fleet member)
//! an account id belongs to, so a screen says `spoke-dev (222233334444)`
//! rather than a bare number.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    /// Account id → the name it is known by.
    accounts: BTreeMap<String, String>,
}

impl Names {
    /// Names the account `id` `name`, unless it has a name already (the
    /// first source given wins).
    pub fn add_account(&mut self, id: &str, name: &str) {
        if !id.is_empty() && !name.is_empty() {
            self.accounts
                .entry(id.to_string())
                .or_insert_with(|| name.to_string());
        }
    }

    pub fn account(&self, id: &str) -> Option<&str> {
        self.accounts.get(id).map(String::as_str)
    }

    /// "spoke-dev (222233334444)" when the account's name is known, else
    /// the id; anything else (an OU, an organization) as it is.
    pub fn principal(&self, principal: &str) -> String {
        match self.account(principal) {
            Some(name) => format!("{name} ({principal})"),
            None => principal.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_name_given_wins_and_unknown_ids_stay_as_they_are() {
        let mut names = Names::default();
        names.add_account("222233334444", "spoke-dev");
        names.add_account("222233334444", "other");
        names.add_account("", "nobody");
        assert_eq!(names.principal("222233334444"), "spoke-dev (222233334444)");
        assert_eq!(names.principal("ou-ab12-cdef3456"), "ou-ab12-cdef3456");
        assert_eq!(names.account(""), None);
    }
}
