//! Who may call, and as whom: an account's standing in the organization, the
//! IAM roles other accounts may assume into it, and the temporary credentials
//! AssumeRole issues (kept until they expire on the sandbox clock).

use chrono::Duration;

use super::ids::stable_hash;
use super::{Time, World};
use crate::sandbox::error::ApiError;

/// The role AWS Organizations creates in every account it creates, trusted by
/// the management account.
pub const ORGANIZATION_ACCESS_ROLE: &str = "OrganizationAccountAccessRole";
/// The service principal a launch role trusts.
pub const SERVICE_CATALOG: &str = "servicecatalog.amazonaws.com";
/// A role's maximum session duration unless the world sets another (IAM's default).
pub const DEFAULT_MAX_SESSION_SECONDS: i64 = 3600;
/// The longest session a role session may open on another role (role chaining).
pub const CHAINED_MAX_SESSION_SECONDS: i64 = 3600;

/// An account's status in its organization (Organizations' `Account.Status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountStatus {
    #[default]
    Active,
    Suspended,
    PendingClosure,
}

impl AccountStatus {
    pub fn wire(self) -> &'static str {
        match self {
            AccountStatus::Active => "ACTIVE",
            AccountStatus::Suspended => "SUSPENDED",
            AccountStatus::PendingClosure => "PENDING_CLOSURE",
        }
    }
}

/// Which of AWS's end-user managed policies an account's caller holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndUserAccess {
    /// AWSServiceCatalogEndUserReadOnlyAccess: browse, read its own provisioned products and plans.
    ReadOnly,
    /// AWSServiceCatalogEndUserFullAccess: also launch, update, terminate and plan.
    FullAccess,
}

/// An IAM role that principals of other accounts may assume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub name: String,
    /// Accounts whose principals the role's trust policy allows.
    pub trusted: Vec<String>,
    /// AWS services its trust policy allows (`servicecatalog.amazonaws.com`
    /// for a launch role).
    pub services: Vec<String>,
    pub max_session_seconds: i64,
}

/// Temporary credentials of an assumed role.
#[derive(Debug, Clone)]
pub struct Session {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    /// The account whose role was assumed: calls signed with these keys act in it.
    pub account: String,
    pub role_name: String,
    pub session_name: String,
    /// `arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`
    pub arn: String,
    /// `AROA…:SESSION`
    pub assumed_role_id: String,
    pub expires: Time,
}

/// An AssumeRole request, validated for shape by the handler.
#[derive(Debug, Clone)]
pub struct AssumeRole {
    pub caller_account: String,
    pub caller_arn: String,
    pub role_arn: String,
    pub session_name: String,
    pub duration_seconds: i64,
    pub at: Time,
}

/// `arn:aws:iam::ACCOUNT:role/[PATH/]NAME` → (account, name).
pub fn parse_role_arn(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let path = resource.strip_prefix("role/")?;
    let name = path.rsplit('/').next()?;
    let valid_account = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    let valid_name = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    (valid_account && valid_name).then_some((account, name))
}

/// The unique id of a role (`AROA` and 17 upper-case letters and digits), stable per account and name.
pub fn role_id(account: &str, name: &str) -> String {
    format!("AROA{}", upper_alnum(&[account, name, "role-id"], 17))
}

fn upper_alnum(seed: &[&str], len: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(len);
    let mut h = stable_hash(seed);
    let mut round = 0u64;
    while out.len() < len {
        out.push(CHARS[(h % 32) as usize] as char);
        h /= 32;
        if h == 0 {
            round += 1;
            h = stable_hash(&[&seed.join("/"), &round.to_string()]);
        }
    }
    out
}

fn base64ish(seed: &str, len: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(len);
    let mut round = 0u64;
    while out.len() < len {
        let mut h = stable_hash(&[seed, &round.to_string()]);
        for _ in 0..10 {
            out.push(CHARS[(h % 64) as usize] as char);
            h /= 64;
        }
        round += 1;
    }
    out.truncate(len);
    out
}

fn access_denied(caller_arn: &str, role_arn: &str) -> ApiError {
    ApiError::new(
        403,
        "AccessDenied",
        format!(
            "User: {caller_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
        ),
    )
}

impl World {
    /// Whether `account` belongs to the world's organization (its management account included).
    pub fn is_member(&self, account: &str) -> bool {
        self.organization.is_some()
            && self
                .accounts
                .get(account)
                .is_some_and(|a| a.in_organization)
    }

    /// The role `name` of `account`: one the world declares, or the
    /// OrganizationAccountAccessRole every member account (not the management
    /// account) has, trusted by the management account.
    pub fn role(&self, account: &str, name: &str) -> Option<Role> {
        let a = self.accounts.get(account)?;
        if let Some(r) = a.roles.iter().find(|r| r.name == name) {
            return Some(r.clone());
        }
        let org = self.organization.as_ref()?;
        (name == ORGANIZATION_ACCESS_ROLE
            && a.in_organization
            && account != org.management_account_id)
            .then(|| Role {
                name: name.to_string(),
                trusted: vec![org.management_account_id.clone()],
                services: Vec::new(),
                max_session_seconds: DEFAULT_MAX_SESSION_SECONDS,
            })
    }

    /// AssumeRole: checks the role and its trust, then issues temporary
    /// credentials for the target account. `denied` is the fault that refuses
    /// every AssumeRole into an account.
    pub fn assume_role(&mut self, req: AssumeRole, denied: bool) -> Result<Session, ApiError> {
        let (account, name) = parse_role_arn(&req.role_arn)
            .ok_or_else(|| ApiError::new(400, "ValidationError", "Request ARN is invalid"))?;
        let (account, name) = (account.to_string(), name.to_string());
        let role = self
            .role(&account, &name)
            .filter(|r| !denied && r.trusted.contains(&req.caller_account))
            .ok_or_else(|| access_denied(&req.caller_arn, &req.role_arn))?;
        if req.duration_seconds > role.max_session_seconds {
            return Err(ApiError::new(
                400,
                "ValidationError",
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
            ));
        }
        if req.caller_arn.contains(":assumed-role/")
            && req.duration_seconds > CHAINED_MAX_SESSION_SECONDS
        {
            return Err(ApiError::new(
                400,
                "ValidationError",
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
            ));
        }
        let nonce = self.ids.uuid();
        let session = Session {
            access_key_id: format!("ASIA{}", upper_alnum(&[&nonce, "access-key"], 16)),
            secret_access_key: base64ish(&format!("{nonce}/secret"), 40),
            session_token: format!(
                "IQoJb3JpZ2luX2VjE{}",
                base64ish(&format!("{nonce}/token"), 340)
            ),
            arn: format!(
                "arn:aws:sts::{account}:assumed-role/{name}/{}",
                req.session_name
            ),
            assumed_role_id: format!("{}:{}", role_id(&account, &name), req.session_name),
            account,
            role_name: name,
            session_name: req.session_name,
            expires: req.at + Duration::seconds(req.duration_seconds),
        };
        self.sessions
            .insert(session.access_key_id.clone(), session.clone());
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_parse_with_and_without_a_path() {
        assert_eq!(
            parse_role_arn("arn:aws:iam::222233334444:role/OrganizationAccountAccessRole"),
            Some(("222233334444", "OrganizationAccountAccessRole"))
        );
        assert_eq!(
            parse_role_arn("arn:aws:iam::222233334444:role/ops/Auditor"),
            Some(("222233334444", "Auditor"))
        );
        assert_eq!(parse_role_arn("arn:aws:iam::2222:role/X"), None);
        assert_eq!(parse_role_arn("arn:aws:iam::222233334444:user/X"), None);
    }

    #[test]
    fn role_ids_look_like_aws() {
        let id = role_id("222233334444", "Auditor");
        assert_eq!(id.len(), 21);
        assert!(id.starts_with("AROA"));
        assert_eq!(id, role_id("222233334444", "Auditor"));
    }
}
