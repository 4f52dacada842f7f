//! What every call asks of the accounts, answered without a scan: the
//! account an access key belongs to (each request's SigV4 credential), the
//! organization's members in ListAccounts' order, the OU each sits in, and
//! the organization's tree (the OUs and the members under each parent).
//!
//! Accounts and the organization are fixed once the world loads, so the
//! index is built on first use and kept; should either change size after
//! that, the index no longer matches and every question falls back to a
//! scan (slower, never wrong).

use std::collections::HashMap;

use super::{Account, OrganizationalUnit, World};

#[derive(Debug)]
pub struct AccountIndex {
    /// (accounts, accounts placed in OUs, OUs) the index was built from.
    built_from: (usize, usize, usize),
    /// Access key id → account id.
    by_key: HashMap<String, String>,
    /// The organization's members, ordered as ListAccounts lists them:
    /// by when they joined, then by id.
    members: Vec<String>,
    /// Account id → the id of the OU it sits in (the first that lists it).
    ou_of: HashMap<String, String>,
    /// Parent (`None`: the root) → its members, in ListAccounts' order.
    members_under: HashMap<Option<String>, Vec<String>>,
    /// Parent (`None`: the root) → its OUs (indexes into `Organization::ous`).
    ous_under: HashMap<Option<String>, Vec<usize>>,
    /// OU id → its index in `Organization::ous`.
    ou_at: HashMap<String, usize>,
}

impl AccountIndex {
    fn build(world: &World) -> AccountIndex {
        let ous = world.organization.as_ref().map_or(&[][..], |o| &o.ous[..]);
        let members = world.members_by_scan();
        let ou_of: HashMap<String, String> = ous
            .iter()
            .rev()
            .flat_map(|ou| ou.account_ids.iter().map(|a| (a.clone(), ou.id.clone())))
            .collect();
        let mut members_under: HashMap<Option<String>, Vec<String>> = HashMap::new();
        for id in &members {
            members_under
                .entry(ou_of.get(id).cloned())
                .or_default()
                .push(id.clone());
        }
        let mut ous_under: HashMap<Option<String>, Vec<usize>> = HashMap::new();
        let mut ou_at = HashMap::new();
        for (i, ou) in ous.iter().enumerate() {
            ous_under.entry(ou.parent.clone()).or_default().push(i);
            ou_at.entry(ou.id.clone()).or_insert(i);
        }
        AccountIndex {
            built_from: world.accounts_fingerprint(),
            by_key: world
                .accounts
                .values()
                .map(|a| (a.access_key_id.clone(), a.id.clone()))
                .collect(),
            members,
            ou_of,
            members_under,
            ous_under,
            ou_at,
        }
    }
}

impl World {
    fn accounts_fingerprint(&self) -> (usize, usize, usize) {
        let placed = self
            .organization
            .as_ref()
            .map_or(0, |o| o.ous.iter().map(|ou| ou.account_ids.len()).sum());
        let ous = self.organization.as_ref().map_or(0, |o| o.ous.len());
        (self.accounts.len(), placed, ous)
    }

    /// The index, built on first use; `None` if the accounts changed since.
    fn account_index(&self) -> Option<&AccountIndex> {
        let index = self.account_index.get_or_init(|| AccountIndex::build(self));
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

    /// The index, or (should the accounts have changed since it was
    /// built) one built afresh for this question.
    fn with_index<R>(&self, f: impl FnOnce(&AccountIndex) -> R) -> R {
        match self.account_index() {
            Some(index) => f(index),
            None => f(&AccountIndex::build(self)),
        }
    }

    /// The members directly under `parent` (`None`: the root), `from..to`
    /// of them in ListAccounts' order, and how many there are in all.
    pub fn members_under(
        &self,
        parent: Option<&str>,
        from: usize,
        to: usize,
    ) -> (Vec<&Account>, usize) {
        let ids: (Vec<String>, usize) = self.with_index(|index| {
            let all = index
                .members_under
                .get(&parent.map(str::to_string))
                .map_or(&[][..], Vec::as_slice);
            let to = to.min(all.len());
            (all[from.min(to)..to].to_vec(), all.len())
        });
        let page = ids
            .0
            .iter()
            .filter_map(|id| self.accounts.get(id))
            .collect();
        (page, ids.1)
    }

    /// How many members sit directly under `parent` (`None`: the root).
    pub fn members_under_count(&self, parent: Option<&str>) -> usize {
        self.members_under(parent, 0, 0).1
    }

    /// The OUs directly under `parent` (`None`: the root), in the order the
    /// world declares them.
    pub fn ous_under(&self, parent: Option<&str>) -> Vec<&OrganizationalUnit> {
        let Some(org) = self.organization.as_ref() else {
            return Vec::new();
        };
        let at: Vec<usize> = self.with_index(|index| {
            index
                .ous_under
                .get(&parent.map(str::to_string))
                .cloned()
                .unwrap_or_default()
        });
        at.into_iter().filter_map(|i| org.ous.get(i)).collect()
    }

    /// The OU `ou` and the OUs above it, innermost first (no more than the
    /// organization has, should a world loop).
    pub fn ou_chain(&self, ou: Option<&str>) -> Vec<&str> {
        let limit = self.organization.as_ref().map_or(0, |o| o.ous.len());
        let mut out = Vec::new();
        let mut at = ou.and_then(|id| self.ou(id));
        while let Some(ou) = at {
            if out.len() >= limit {
                break;
            }
            out.push(ou.id.as_str());
            at = ou.parent.as_deref().and_then(|id| self.ou(id));
        }
        out
    }

    /// The OU of id `id`.
    pub fn ou(&self, id: &str) -> Option<&OrganizationalUnit> {
        let org = self.organization.as_ref()?;
        let at = self.with_index(|index| index.ou_at.get(id).copied())?;
        org.ous.get(at).filter(|ou| ou.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Organization;
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
            ous: vec![
                OrganizationalUnit {
                    id: "ou-a".into(),
                    name: "A".into(),
                    parent: None,
                    account_ids: vec!["2".into()],
                },
                OrganizationalUnit {
                    id: "ou-b".into(),
                    name: "B".into(),
                    parent: Some("ou-a".into()),
                    account_ids: vec!["3".into()],
                },
            ],
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
        assert_eq!(w.ou_of("3"), Some("ou-b"));
        assert_eq!(w.ou_of("1"), None);
    }

    #[test]
    fn the_tree_is_answered_per_parent() {
        let w = world();
        let ids = |v: Vec<&Account>| v.into_iter().map(|a| a.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(w.members_under(None, 0, 10).0), ["1"]);
        assert_eq!(ids(w.members_under(Some("ou-a"), 0, 10).0), ["2"]);
        assert_eq!(w.members_under_count(Some("ou-b")), 1);
        assert_eq!(w.members_under_count(Some("ou-x")), 0);
        let names =
            |v: Vec<&OrganizationalUnit>| v.into_iter().map(|o| o.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(w.ous_under(None)), ["A"]);
        assert_eq!(names(w.ous_under(Some("ou-a"))), ["B"]);
        assert!(w.ous_under(Some("ou-b")).is_empty());
        assert_eq!(w.ou("ou-b").map(|o| o.name.as_str()), Some("B"));
        assert!(w.ou("ou-x").is_none());
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
