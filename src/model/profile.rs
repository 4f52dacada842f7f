//! An AWS profile as the config files describe it: its name, how it gets
//! credentials, its region and endpoint.

/// How a profile obtains its credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProfileKind {
    Sso,
    AssumeRole,
    Static,
    CredentialProcess,
    WebIdentity,
    /// Nothing that says where credentials come from (e.g. only a region).
    Other,
}

impl ProfileKind {
    pub fn label(self) -> &'static str {
        match self {
            ProfileKind::Sso => "sso",
            ProfileKind::AssumeRole => "assume-role",
            ProfileKind::Static => "static",
            ProfileKind::CredentialProcess => "credential_process",
            ProfileKind::WebIdentity => "web-identity",
            ProfileKind::Other => "other",
        }
    }
}

/// One profile found in the AWS config files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileInfo {
    pub name: String,
    pub kind: ProfileKind,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// The account the profile signs in to, when its config says so
    /// (`aws_account_id`, `sso_account_id`, or the account of `role_arn`):
    /// the name shown beside that account's id.
    pub account: Option<String>,
}
