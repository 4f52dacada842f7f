//! What every call asks of the accounts, answered without a scan: the
//! account an access key belongs to (each request's SigV4 credential), the
//! organization's members in ListAccounts' order, and the OU each sits in.
//!
//! Accounts and the organization are fixed once the world loads, so the
//! index is built on first use and kept; should either change size after
//! that, the index no longer matches and every question falls back to a
//! scan (slower, never wrong).

use std::collections::HashMap;

use super::{Account, World};

#[derive(Debug)]
pub struct AccountIndex {
    /// (accounts, accounts placed in OUs) the index was built from.
    built_from: (usize, usize),
    /// Access key id → account id.
    by_key: HashMap<String, String>,
    /// The organization's members, ordered as ListAccounts lists them:
    /// by when they joined, then by id.
    members: Vec<String>,
    /// Account id → the id of the OU it sits in (the first that lists it).
    ou_of: HashMap<String, String>,
}

impl World {
    fn accounts_fingerprint(&self) -> (usize, usize) {
        let placed = self
            .organization
            .as_ref()
            .map_or(0, |o| o.ous.iter().map(|ou| ou.account_ids.len()).sum());
        (self.accounts.len(), placed)
    }

    /// The index, built on first use; `None` if the accounts changed since.
    fn account_index(&self) -> Option<&AccountIndex> {
        let index = self.account_index.get_or_init(|| AccountIndex {
            built_from: self.accounts_fingerprint(),
            by_key: self
                .accounts
                .values()
                .map(|a| (a.access_key_id.clone(), a.id.clone()))
                .collect(),
            members: self.members_by_scan(),
            ou_of: self
                .organization
                .iter()
                .flat_map(|o| o.ous.iter().rev())
                .flat_map(|ou| ou.account_ids.iter().map(|a| (a.clone(), ou.id.clone())))
                .collect(),
        });
        (index.built_from == self.accounts_fingerprint()).then_some(index)
    }

    fn members_by_scan(&self) -> Vec<String> {
        let mut members: Vec<&Account> = self
            .accounts
            .values()
            .filter(|a| a.in_organization)
            .collect();
        members.sort_by(|a, b| a.joined.cmp(&b.joined).then(a.id.cmp(&b.id)));
        members.into_iter().map(|a| a.id.clone()).collect()
    }

    /// The account whose own (long-term) access key this is.
    pub fn account_by_key(&self, access_key_id: &str) -> Option<&Account> {
        match self.account_index() {
            Some(index) => index
                .by_key
                .get(access_key_id)
                .and_then(|id| self.accounts.get(id))
                .filter(|a| a.access_key_id == access_key_id),
            None => self
                .accounts
                .values()
                .find(|a| a.access_key_id == access_key_id),
        }
    }

    /// How many accounts belong to the organization (in_organization).
    pub fn member_count(&self) -> usize {
        match self.account_index() {
            Some(index) => index.members.len(),
            None => self.members_by_scan().len(),
        }
    }

    /// The organization's members `from..to` in ListAccounts' order (by
    /// when they joined, then by id).
    pub fn members_between(&self, from: usize, to: usize) -> Vec<&Account> {
        let scanned;
        let ids = match self.account_index() {
            Some(index) => &index.members,
            None => {
                scanned = self.members_by_scan();
                &scanned
            }
        };
        let to = to.min(ids.len());
        ids[from.min(to)..to]
            .iter()
            .filter_map(|id| self.accounts.get(id))
            .collect()
    }

    /// The id of the OU `account` sits in, if any.
    pub fn ou_of(&self, account: &str) -> Option<&str> {
        match self.account_index() {
            Some(index) => index.ou_of.get(account).map(String::as_str),
            None => self
                .organization
                .as_ref()?
                .ous
                .iter()
                .find(|ou| ou.account_ids.iter().any(|a| a == account))
                .map(|ou| ou.id.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Organization, OrganizationalUnit};
    use super::*;

    fn account(id: &str, key: &str, joined_days_ago: i64) -> Account {
        Account {
            id: id.into(),
            name: format!("a-{id}"),
            region: "us-east-1".into(),
            access_key_id: key.into(),
            secret_access_key: "s".into(),
            caller_arn: String::new(),
            user_id: String::new(),
            end_user: None,
            accepted: Default::default(),
            in_organization: true,
            email: String::new(),
            status: Default::default(),
            joined_method: "CREATED".into(),
            joined: chrono::Utc::now() - chrono::Duration::days(joined_days_ago),
            roles: Vec::new(),
        }
    }

    fn world() -> World {
        let mut w = World::default();
        for (id, key, ago) in [("3", "K3", 30), ("1", "K1", 10), ("2", "K2", 20)] {
            w.accounts.insert(id.into(), account(id, key, ago));
        }
        w.organization = Some(Organization {
            id: "o-x".into(),
            management_account_id: "1".into(),
            delegated_admins: Vec::new(),
            ous: vec![OrganizationalUnit {
                id: "ou-a".into(),
                name: "A".into(),
                account_ids: vec!["2".into()],
            }],
        });
        w
    }

    #[test]
    fn the_index_answers_as_a_scan_does() {
        let w = world();
        assert_eq!(w.account_by_key("K2").map(|a| a.id.as_str()), Some("2"));
        assert!(w.account_by_key("nope").is_none());
        let ids = |v: Vec<&Account>| v.into_iter().map(|a| a.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(w.members_between(0, 10)), ["3", "2", "1"]);
        assert_eq!(ids(w.members_between(1, 2)), ["2"]);
        assert_eq!(w.member_count(), 3);
        assert_eq!(w.ou_of("2"), Some("ou-a"));
        assert_eq!(w.ou_of("3"), None);
    }

    #[test]
    fn accounts_added_after_the_index_are_still_found() {
        let mut w = world();
        assert!(w.account_by_key("K4").is_none()); // the index is built
        w.accounts.insert("4".into(), account("4", "K4", 40));
        assert_eq!(w.account_by_key("K4").map(|a| a.id.as_str()), Some("4"));
        assert_eq!(w.members_between(0, 1)[0].id, "4");
    }
}
