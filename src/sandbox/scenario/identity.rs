//! The identity side of a world file: accounts' standing in the organization
//! (status, how and when they joined, e-mail), delegated administrators, the
//! IAM roles other accounts may assume, end-user policies, and how a version
//! changes a resource.

use serde::Deserialize;
use toml::Spanned;

use super::error::{Source, WorldError};
use super::schema::{AccountFile, WorldFile};
use crate::sandbox::world::identity::{
    DEFAULT_MAX_SESSION_SECONDS, SERVICE_CATALOG, parse_role_arn,
};
use crate::sandbox::world::{AccountStatus, EndUserAccess, Replacement, Role, World};

#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StatusFile {
    #[default]
    Active,
    Suspended,
    PendingClosure,
}

impl From<StatusFile> for AccountStatus {
    fn from(s: StatusFile) -> Self {
        match s {
            StatusFile::Active => AccountStatus::Active,
            StatusFile::Suspended => AccountStatus::Suspended,
            StatusFile::PendingClosure => AccountStatus::PendingClosure,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JoinedFile {
    Created,
    Invited,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReplacementFile {
    True,
    False,
    Conditional,
}

impl From<ReplacementFile> for Replacement {
    fn from(r: ReplacementFile) -> Self {
        match r {
            ReplacementFile::True => Replacement::True,
            ReplacementFile::False => Replacement::False,
            ReplacementFile::Conditional => Replacement::Conditional,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleFile {
    pub name: Spanned<String>,
    /// Account names whose principals may assume it.
    #[serde(default)]
    pub trusted: Vec<Spanned<String>>,
    /// AWS services that may assume it: `servicecatalog.amazonaws.com` for
    /// a launch role.
    #[serde(default)]
    pub services: Vec<String>,
    /// 3600 to 43200 (IAM's range); 3600 by default.
    pub max_session_seconds: Option<Spanned<i64>>,
}

pub(super) fn end_user(
    src: &Source<'_>,
    a: &AccountFile,
) -> Result<Option<EndUserAccess>, WorldError> {
    match (a.end_user_only, a.end_user_full_access) {
        (true, true) => Err(src.on(
            &a.name,
            "set one of end_user_only (read-only) and end_user_full_access, not both",
        )),
        (true, false) => Ok(Some(EndUserAccess::ReadOnly)),
        (false, true) => Ok(Some(EndUserAccess::FullAccess)),
        (false, false) => Ok(None),
    }
}

/// The account's e-mail, checked as Organizations checks it; `NAME@example.com` by default.
pub(super) fn email(src: &Source<'_>, a: &AccountFile) -> Result<String, WorldError> {
    let Some(e) = &a.email else {
        return Ok(format!("{}@example.com", a.name.get_ref()));
    };
    let v = e.get_ref();
    let valid = (6..=64).contains(&v.len())
        && !v.chars().any(char::is_whitespace)
        && v.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty()
                && !domain.contains('@')
                && domain
                    .split_once('.')
                    .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
        });
    if valid {
        Ok(v.clone())
    } else {
        Err(src.on(
            e,
            format!("`{v}` is not an e-mail address (6 to 64 characters, like ops@example.com)"),
        ))
    }
}

/// Joined methods, roles and delegated administrators, once accounts and the organization exist.
pub(super) fn apply(
    src: &Source<'_>,
    f: &WorldFile,
    w: &mut World,
    account: &dyn Fn(&Spanned<String>) -> Result<String, WorldError>,
) -> Result<(), WorldError> {
    let management = w
        .organization
        .as_ref()
        .map(|o| o.management_account_id.clone());
    for a in &f.accounts {
        let id = account(&a.name)?;
        let is_management = management.as_deref() == Some(id.as_str());
        if is_management && !a.in_organization {
            return Err(src.on(
                &a.name,
                "the management account is in its organization: drop in_organization = false",
            ));
        }
        let joined = match a.joined {
            Some(JoinedFile::Created) => "CREATED",
            Some(JoinedFile::Invited) => "INVITED",
            None if is_management => "INVITED",
            None => "CREATED",
        };
        let mut roles: Vec<Role> = Vec::new();
        for r in &a.roles {
            let name = r.name.get_ref();
            if parse_role_arn(&format!("arn:aws:iam::{id}:role/{name}")).is_none() {
                return Err(src.on(
                    &r.name,
                    format!("role name `{name}`: 1 to 64 letters, digits or +=,.@_-"),
                ));
            }
            if roles.iter().any(|x| x.name == *name) {
                return Err(src.on(&r.name, format!("role `{name}` is declared twice")));
            }
            let max_session_seconds = match &r.max_session_seconds {
                None => DEFAULT_MAX_SESSION_SECONDS,
                Some(s) if (3600..=43200).contains(s.get_ref()) => *s.get_ref(),
                Some(s) => {
                    return Err(src.on(s, "max_session_seconds is 3600 to 43200 (1 to 12 hours)"));
                }
            };
            roles.push(Role {
                name: name.clone(),
                trusted: r.trusted.iter().map(account).collect::<Result<_, _>>()?,
                services: r.services.clone(),
                max_session_seconds,
            });
        }
        for name in &a.launch_roles {
            let n = name.get_ref();
            if parse_role_arn(&format!("arn:aws:iam::{id}:role/{n}")).is_none() {
                return Err(src.on(
                    name,
                    format!("role name `{n}`: 1 to 64 letters, digits or +=,.@_-"),
                ));
            }
            if roles.iter().any(|x| x.name == *n) {
                return Err(src.on(name, format!("role `{n}` is declared twice")));
            }
            roles.push(Role {
                name: n.clone(),
                trusted: Vec::new(),
                services: vec![SERVICE_CATALOG.to_string()],
                max_session_seconds: DEFAULT_MAX_SESSION_SECONDS,
            });
        }
        if let Some(acc) = w.accounts.get_mut(&id) {
            acc.joined_method = joined.into();
            acc.roles = roles;
        }
    }
    let Some(o) = &f.organization else {
        return Ok(());
    };
    let mut admins = Vec::new();
    for d in &o.delegated_administrators {
        let id = account(d)?;
        if management.as_deref() == Some(id.as_str()) {
            return Err(src.on(
                d,
                "the management account cannot be its own delegated administrator",
            ));
        }
        if !w.accounts.get(&id).is_some_and(|a| a.in_organization) {
            return Err(src.on(d, "a delegated administrator must be a member account"));
        }
        admins.push(id);
    }
    if let Some(org) = w.organization.as_mut() {
        org.delegated_admins = admins;
    }
    Ok(())
}
