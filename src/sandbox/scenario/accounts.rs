//! Accounts and the organization of a world file: ids checked, names unique,
//! keys and caller identities derived so they are the same on every run.

use super::error::WorldError;
use super::identity;
use super::names::Names;
use super::schema::{AccountFile, OrgFile};
use crate::sandbox::world::ids::stable_hash;
use crate::sandbox::world::{Account, Organization, OrganizationalUnit, World};

pub(super) fn accounts(
    n: &mut Names<'_>,
    w: &mut World,
    list: &[AccountFile],
) -> Result<(), WorldError> {
    let src = n.src;
    for a in list {
        let id = a.id.get_ref();
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(src.on(&a.id, format!("account id `{id}` must be 12 digits")));
        }
        if n.accounts
            .insert(a.name.get_ref().clone(), id.clone())
            .is_some()
        {
            return Err(src.on(
                &a.name,
                format!("account name `{}` is used twice", a.name.get_ref()),
            ));
        }
        if w.accounts.contains_key(id) {
            return Err(src.on(&a.id, format!("account id `{id}` is used twice")));
        }
        let (ak, sk) = default_keys(id);
        let caller = a
            .caller
            .clone()
            .unwrap_or_else(|| "assumed-role/ServiceCatalogAdmin/operator".into());
        let (caller_arn, user_id) = caller_identity(id, &caller);
        w.accounts.insert(
            id.clone(),
            Account {
                id: id.clone(),
                name: a.name.get_ref().clone(),
                region: a.region.clone(),
                access_key_id: a.access_key_id.clone().unwrap_or(ak),
                secret_access_key: a.secret_access_key.clone().unwrap_or(sk),
                caller_arn,
                user_id,
                end_user: identity::end_user(src, a)?,
                accepted: Default::default(),
                in_organization: a.in_organization,
                email: identity::email(src, a)?,
                status: a.status.into(),
                joined_method: String::new(),
                joined: n.age(a.joined_ago.as_ref(), 700)?,
                roles: Vec::new(),
            },
        );
    }
    Ok(())
}

/// The caller's ARN and user id as STS GetCallerIdentity gives them, for a
/// caller written `assumed-role/Role/session` or `user/name`.
fn caller_identity(id: &str, caller: &str) -> (String, String) {
    let (kind, rest) = caller.split_once('/').unwrap_or(("user", caller));
    let arn = if kind == "assumed-role" {
        format!("arn:aws:sts::{id}:assumed-role/{rest}")
    } else {
        format!("arn:aws:iam::{id}:{caller}")
    };
    let user_id = format!("AROA{:016X}", stable_hash(&[id, caller]));
    let user_id = if kind == "assumed-role" {
        format!(
            "{}:{}",
            &user_id[..21.min(user_id.len())],
            rest.rsplit('/').next().unwrap_or("session")
        )
    } else {
        user_id.replacen("AROA", "AIDA", 1)
    };
    (arn, user_id)
}

/// Keys of the account, derived from its id when the file gives none.
fn default_keys(id: &str) -> (String, String) {
    let h = stable_hash(&[id, "access-key"]);
    let access = format!("AKIASBX{:013}", h % 10_000_000_000_000);
    let mut secret = String::new();
    let mut x = stable_hash(&[id, "secret"]);
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for i in 0..40 {
        secret.push(CHARS[(x % 64) as usize] as char);
        x = stable_hash(&[&x.to_string(), &i.to_string()]);
    }
    (access, secret)
}

pub(super) fn organization(n: &Names<'_>, w: &mut World, o: &OrgFile) -> Result<(), WorldError> {
    let src = n.src;
    let id = o.id.get_ref();
    let valid = id.starts_with("o-")
        && (10..=32).contains(&(id.len() - 2))
        && id[2..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !valid {
        return Err(src.on(
            &o.id,
            format!(
                "organization id `{id}` must be `o-` and 10 to 32 lower-case letters or digits"
            ),
        ));
    }
    let mut ous = Vec::new();
    for ou in &o.ous {
        let oid = ou.id.get_ref();
        if !oid.starts_with("ou-") {
            return Err(src.on(
                &ou.id,
                format!("OU id `{oid}` must look like ou-abcd-12345678"),
            ));
        }
        let accounts = ou
            .accounts
            .iter()
            .map(|a| n.account(a))
            .collect::<Result<Vec<_>, _>>()?;
        let parent = match &ou.parent {
            None => None,
            Some(p)
                if ous
                    .iter()
                    .any(|o: &OrganizationalUnit| &o.id == p.get_ref()) =>
            {
                Some(p.get_ref().clone())
            }
            Some(p) => {
                return Err(src.on(
                    p,
                    format!(
                        "parent OU `{}` is not declared before OU `{oid}`",
                        p.get_ref()
                    ),
                ));
            }
        };
        ous.push(OrganizationalUnit {
            id: oid.clone(),
            name: ou.name.clone(),
            parent,
            account_ids: accounts,
        });
    }
    w.organization = Some(Organization {
        id: id.clone(),
        management_account_id: n.account(&o.management_account)?,
        delegated_admins: Vec::new(),
        ous,
    });
    Ok(())
}
