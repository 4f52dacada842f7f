//! Sessions in other accounts through STS AssumeRole: organization mode
//! reaches every member account from one management (or delegated-admin)
//! profile.
//!
//! The role is assumed once, explicitly, through the parent session's own
//! (recorded) STS client, so that an account that cannot be reached says
//! why at once ("AccessDenied: … is not authorized to perform
//! sts:AssumeRole"). The assumed session then refreshes its credentials
//! the same way when they near their expiry, each refresh in the call log.

use std::time::{Duration, SystemTime};

use tokio::sync::Mutex;

use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{self, ProvideCredentials, SharedCredentialsProvider};

use super::calls::CallRecorder;
use super::error::{AwsError, CallContext};
use super::profiles::ProfileKind;
use super::session::Session;
use crate::model::CallerIdentity;

/// Credentials of a role, fetched with AssumeRole and refreshed before they expire.
#[derive(Debug)]
struct AssumedRole {
    sts: aws_sdk_sts::Client,
    role_arn: String,
    session_name: String,
    /// The credentials of the last AssumeRole, handed to every client of
    /// the session until they near their expiry (one AssumeRole per
    /// account, not one per client or per concurrent first call).
    current: Mutex<Option<Credentials>>,
}

/// Refresh this long before the credentials expire.
const REFRESH_MARGIN: Duration = Duration::from_secs(300);

impl AssumedRole {
    /// The role's credentials, and who they make the caller (AWS's
    /// AssumedRoleUser: no GetCallerIdentity needed to know it).
    async fn assume(&self) -> Result<(Credentials, Option<CallerIdentity>), AssumeError> {
        let out = self
            .sts
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name(&self.session_name)
            .send()
            .await
            .map_err(|e| AssumeError::Sdk(Box::new(e)))?;
        let Some(c) = out.credentials() else {
            return Err(AssumeError::Empty);
        };
        let expiry = SystemTime::try_from(*c.expiration()).ok();
        let identity = out.assumed_role_user().and_then(|u| {
            // arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION
            let account = u.arn().split(':').nth(4).filter(|a| !a.is_empty())?;
            Some(CallerIdentity {
                account_id: account.to_string(),
                arn: u.arn().to_string(),
                user_id: u.assumed_role_id().to_string(),
            })
        });
        Ok((
            Credentials::new(
                c.access_key_id(),
                c.secret_access_key(),
                Some(c.session_token().to_string()),
                expiry,
                "spoke-assume-role",
            ),
            identity,
        ))
    }
}

enum AssumeError {
    Sdk(Box<aws_sdk_sts::error::SdkError<aws_sdk_sts::operation::assume_role::AssumeRoleError>>),
    Empty,
}

impl ProvideCredentials for AssumedRole {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::new(async move {
            let mut current = self.current.lock().await;
            if let Some(c) = current.as_ref()
                && c.expiry()
                    .is_none_or(|e| e > SystemTime::now() + REFRESH_MARGIN)
            {
                return Ok(c.clone());
            }
            let (fresh, _) = self.assume().await.map_err(|e| match e {
                AssumeError::Sdk(e) => CredentialsError::provider_error(*e),
                AssumeError::Empty => {
                    CredentialsError::provider_error("AssumeRole returned no credentials")
                }
            })?;
            *current = Some(fresh.clone());
            Ok(fresh)
        })
    }
}

impl Session {
    /// A session in another account: `role_arn` assumed from this one.
    /// `label` names it in the call log and in messages (the account's
    /// name in the organization). Its calls get their own retry partition.
    pub async fn assume(&self, role_arn: &str, label: &str) -> Result<Session, AwsError> {
        let context = CallContext {
            profile: label.to_string(),
            kind: ProfileKind::AssumeRole,
            region: self.context.region.clone(),
            endpoint: self.context.endpoint.clone(),
        };
        let role = AssumedRole {
            // One client for every role assumed from this session: a new
            // client would resolve this session's own credentials again (a
            // profile's: the whole AWS config file read and copied, for
            // each of an organization's thousands of accounts).
            sts: self.assume_sts.get_or_init(|| self.sts_client()).clone(),
            role_arn: role_arn.to_string(),
            session_name: format!("spoke-{}", std::process::id()),
            current: Mutex::new(None),
        };
        let (first, identity) = role.assume().await.map_err(|e| match e {
            AssumeError::Sdk(e) => match self.context.map("sts", "AssumeRole", *e) {
                AwsError::AccessDenied { message, .. } => AwsError::CannotAssume {
                    label: label.to_string(),
                    role: role_arn.to_string(),
                    reason: message,
                },
                other => other,
            },
            AssumeError::Empty => AwsError::Other {
                operation: "AssumeRole".into(),
                detail: "the answer has no credentials".into(),
            },
        })?;
        *role.current.lock().await = Some(first);
        let sdk = self
            .sdk
            .clone()
            .into_builder()
            .credentials_provider(SharedCredentialsProvider::new(role))
            .build();
        let recorder = CallRecorder::new(self.call_log().clone(), label, &context.region);
        Ok(Session {
            sdk,
            context,
            recorder,
            breaker: crate::aws::breaker::Breaker::default(),
            identity,
            assume_sts: Default::default(),
        })
    }
}

/// The ARN of role `name` in `account`, in the partition of `caller_arn`
/// (aws, aws-cn, aws-us-gov).
pub fn role_arn(caller_arn: &str, account: &str, name: &str) -> String {
    let partition = caller_arn
        .split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws");
    if name.starts_with("arn:") {
        return name.replace("{account}", account);
    }
    format!("arn:{partition}:iam::{account}:role/{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_follow_the_callers_partition() {
        assert_eq!(
            role_arn(
                "arn:aws:sts::100000000000:assumed-role/Admin/alice",
                "200000000001",
                "OrganizationAccountAccessRole"
            ),
            "arn:aws:iam::200000000001:role/OrganizationAccountAccessRole"
        );
        assert_eq!(
            role_arn("arn:aws-cn:iam::1:user/x", "2", "R"),
            "arn:aws-cn:iam::2:role/R"
        );
        assert_eq!(role_arn("", "2", "R"), "arn:aws:iam::2:role/R");
    }
}
