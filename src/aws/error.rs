//! AWS failures turned into one line an operator can act on.

use std::error::Error as StdError;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use super::answers::{ErrorInDisguise, unreadable};
use super::breaker::NotAsked;
use super::profiles::ProfileKind;

/// What went wrong talking to AWS, phrased for the person at the keyboard.
/// `Display` is always one line that says what to do next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AwsError {
    #[error("Profile {profile} is not in {files} — {hint}")]
    UnknownProfile {
        profile: String,
        files: String,
        hint: String,
    },

    #[error("cannot read {path}: {reason}")]
    ConfigFile { path: String, reason: String },

    #[error("Profile {profile} has no region — pass --region or set `region` in the profile")]
    NoRegion { profile: String },

    #[error("Profile {profile}: {what} — {fix}")]
    ExpiredCredentials {
        profile: String,
        what: String,
        fix: String,
    },

    #[error("Profile {profile}: no usable credentials ({detail}) — {fix}")]
    NoCredentials {
        profile: String,
        detail: String,
        fix: String,
    },

    #[error(
        "Profile {profile}: the credentials were rejected ({code}) — check the access key for this profile"
    )]
    InvalidCredentials { profile: String, code: String },

    #[error("{operation}: HTTP {status} access denied to profile {profile} — {message}")]
    AccessDenied {
        profile: String,
        operation: String,
        status: u16,
        message: String,
    },

    #[error("{label}: cannot assume {role} — {reason}")]
    CannotAssume {
        label: String,
        role: String,
        reason: String,
    },

    #[error("{operation}: HTTP {status} throttled — wait a moment and refresh (R)")]
    Throttled { operation: String, status: u16 },

    #[error("cannot reach {endpoint}: {reason}")]
    Unreachable { endpoint: String, reason: String },

    #[error("{operation} timed out talking to {endpoint} — check the network, then refresh (R)")]
    Timeout { operation: String, endpoint: String },

    #[error("{operation}: HTTP {status} {code}: {message}")]
    Service {
        operation: String,
        status: u16,
        code: String,
        message: String,
    },

    /// An answer not in the service's wire format: an HTML error page, an
    /// empty or cut-short body, an error sent with a success status.
    #[error("{operation}: HTTP {status} from {endpoint}, {what} — {fix}")]
    Unreadable {
        operation: String,
        status: u16,
        endpoint: String,
        what: String,
        fix: String,
    },

    /// Not sent: the operation's last calls in this scan all failed the
    /// same way (see [`super::breaker`]).
    #[error(
        "{operation}: HTTP {status} on its last {failures} calls, so not asked again in this scan — refresh (R) to try again"
    )]
    NotAsked {
        operation: String,
        status: u16,
        failures: u32,
    },

    #[error("{operation} failed: {detail}")]
    Other { operation: String, detail: String },
}

impl AwsError {
    /// The whole session is unusable (credentials, network), not just one
    /// call: there is no point in making the next.
    pub fn is_session_wide(&self) -> bool {
        matches!(
            self,
            AwsError::ExpiredCredentials { .. }
                | AwsError::NoCredentials { .. }
                | AwsError::InvalidCredentials { .. }
                | AwsError::CannotAssume { .. }
                | AwsError::Unreachable { .. }
                | AwsError::UnknownProfile { .. }
                | AwsError::ConfigFile { .. }
                | AwsError::NoRegion { .. }
        )
    }
}

/// What an error message needs to know about where the call went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallContext {
    pub profile: String,
    pub kind: ProfileKind,
    pub region: String,
    /// A custom endpoint (`endpoint_url`), if any.
    pub endpoint: Option<String>,
}

impl CallContext {
    /// The place calls go to, for "cannot reach …".
    pub fn endpoint_label(&self, service: &str) -> String {
        match &self.endpoint {
            Some(url) => url.clone(),
            None => format!("{service}.{}.amazonaws.com", self.region),
        }
    }

    /// The next step when this profile's credentials are stale or missing.
    fn refresh_hint(&self) -> String {
        let p = &self.profile;
        match self.kind {
            ProfileKind::Sso => format!("run `aws sso login --profile {p}`"),
            ProfileKind::AssumeRole => {
                format!("refresh the credentials of the source profile of {p}")
            }
            ProfileKind::CredentialProcess => {
                format!("check the credential_process of profile {p}")
            }
            ProfileKind::WebIdentity => {
                format!("check the web_identity_token_file of profile {p}")
            }
            ProfileKind::Static => format!(
                "refresh your credentials (aws sso login --profile {p}, or new keys in ~/.aws/credentials)"
            ),
            ProfileKind::Other => format!(
                "set up credentials with `aws configure --profile {p}`, or open another profile with --profile"
            ),
        }
    }

    /// Maps an SDK error for `operation` on `service` into an [`AwsError`].
    pub(crate) fn map<E>(
        &self,
        service: &str,
        operation: &str,
        err: SdkError<E, HttpResponse>,
    ) -> AwsError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        let chain = error_chain(&err);
        if let Some(open) = find_source::<NotAsked>(&err) {
            return AwsError::NotAsked {
                operation: open.operation.clone(),
                status: open.status,
                failures: open.failures,
            };
        }
        match &err {
            SdkError::ServiceError(ctx) => match ctx.err().code() {
                Some(code) => {
                    let message = ctx.err().message().unwrap_or("").to_string();
                    let status = ctx.raw().status().as_u16();
                    self.classify_code(operation, status, code.to_string(), message)
                }
                // No error code: an answer the SDK could not read (an HTML
                // page, cut short, values of the wrong type), not an AWS error.
                None => self.unreadable(service, operation, ctx.raw(), &chain),
            },
            SdkError::ResponseError(ctx) => match find_source::<ErrorInDisguise>(&err) {
                Some(e) => AwsError::Unreadable {
                    operation: operation.to_string(),
                    status: e.status,
                    endpoint: self.endpoint_label(service),
                    what: format!(
                        "an error in the body of a success answer ({}: {}), on every attempt",
                        e.code, e.message
                    ),
                    fix: "check the endpoint or proxy".into(),
                },
                None => self.unreadable(service, operation, ctx.raw(), &chain),
            },
            SdkError::TimeoutError(_) => AwsError::Timeout {
                operation: operation.to_string(),
                endpoint: self.endpoint_label(service),
            },
            SdkError::DispatchFailure(failure) => {
                if let Some(creds) = find_source::<CredentialsError>(&err) {
                    return self.classify_credentials(creds, &chain);
                }
                if failure.is_timeout() {
                    return AwsError::Timeout {
                        operation: operation.to_string(),
                        endpoint: self.endpoint_label(service),
                    };
                }
                AwsError::Unreachable {
                    endpoint: self.endpoint_label(service),
                    reason: network_reason(&err, &chain),
                }
            }
            _ => AwsError::Other {
                operation: operation.to_string(),
                detail: chain,
            },
        }
    }

    /// An answer that could not be read, said by what it was; the SDK's
    /// own words go to the log.
    fn unreadable(
        &self,
        service: &str,
        operation: &str,
        raw: &HttpResponse,
        chain: &str,
    ) -> AwsError {
        let status = raw.status().as_u16();
        let content_type = raw.headers().get("content-type");
        let body = raw.body().bytes().unwrap_or_default();
        let seen = unreadable(service, status, content_type, body);
        tracing::debug!(operation, status, sdk = chain, "answer not readable");
        AwsError::Unreadable {
            operation: operation.to_string(),
            status,
            endpoint: self.endpoint_label(service),
            what: seen.what,
            fix: seen.fix.to_string(),
        }
    }

    fn classify_code(
        &self,
        operation: &str,
        status: u16,
        code: String,
        message: String,
    ) -> AwsError {
        let profile = self.profile.clone();
        match code.as_str() {
            "ExpiredToken"
            | "ExpiredTokenException"
            | "RequestExpired"
            | "TokenRefreshRequired" => AwsError::ExpiredCredentials {
                profile,
                what: "the security token is expired".into(),
                fix: self.refresh_hint(),
            },
            "InvalidClientTokenId"
            | "UnrecognizedClientException"
            | "InvalidAccessKeyId"
            | "SignatureDoesNotMatch"
            | "InvalidSignatureException"
            | "IncompleteSignature"
            | "MissingAuthenticationToken" => AwsError::InvalidCredentials { profile, code },
            "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => {
                AwsError::AccessDenied {
                    profile,
                    operation: operation.to_string(),
                    status,
                    message: if message.is_empty() {
                        code
                    } else {
                        one_line(&message)
                    },
                }
            }
            "Throttling"
            | "ThrottlingException"
            | "TooManyRequestsException"
            | "RequestLimitExceeded" => AwsError::Throttled {
                operation: operation.to_string(),
                status,
            },
            _ => AwsError::Service {
                operation: operation.to_string(),
                status,
                code,
                message: one_line(&message),
            },
        }
    }

    fn classify_credentials(&self, err: &CredentialsError, chain: &str) -> AwsError {
        let lower = chain.to_lowercase();
        if lower.contains("expired") || lower.contains("token has expired") {
            let what = if self.kind == ProfileKind::Sso {
                "SSO token expired"
            } else {
                "the security token is expired"
            };
            return AwsError::ExpiredCredentials {
                profile: self.profile.clone(),
                what: what.into(),
                fix: self.refresh_hint(),
            };
        }
        let detail = match err {
            CredentialsError::CredentialsNotLoaded(_) => "none found".to_string(),
            CredentialsError::ProviderTimedOut(_) => {
                "the credential provider timed out".to_string()
            }
            // The environment chain reports only its last source (IMDS), which misleads.
            _ if self.kind == ProfileKind::Other => {
                "none in the environment, the AWS files or an instance role".to_string()
            }
            _ => err.source().map_or_else(|| err.to_string(), error_chain),
        };
        AwsError::NoCredentials {
            profile: self.profile.clone(),
            detail,
            fix: self.refresh_hint(),
        }
    }
}

/// "connection refused", "dns error: …", or the innermost error message.
fn network_reason(err: &(dyn StdError + 'static), chain: &str) -> String {
    if let Some(io) = find_source::<std::io::Error>(err) {
        use std::io::ErrorKind::*;
        return match io.kind() {
            ConnectionRefused => "connection refused".into(),
            ConnectionReset => "connection reset".into(),
            TimedOut => "connection timed out".into(),
            _ => one_line(&io.to_string()),
        };
    }
    let lower = chain.to_lowercase();
    if lower.contains("connection refused") {
        return "connection refused".into();
    }
    if lower.contains("dns error") || lower.contains("failed to lookup address") {
        return "the host name does not resolve (DNS)".into();
    }
    innermost(err)
}

/// The first error of type `T` in the source chain of `err`.
fn find_source<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !text.is_empty() && parts.last() != Some(&text) {
            parts.push(text);
        }
        current = e.source();
    }
    one_line(&parts.join(": "))
}

fn innermost(err: &(dyn StdError + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    one_line(&current.to_string())
}

/// Collapses whitespace and newlines so a message fits a status line.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(kind: ProfileKind) -> CallContext {
        CallContext {
            profile: "spoke-dev".into(),
            kind,
            region: "eu-west-1".into(),
            endpoint: Some("http://127.0.0.1:4566".into()),
        }
    }

    #[test]
    fn expired_token_says_how_to_refresh() {
        let err = ctx(ProfileKind::Sso).classify_code(
            "ListPortfolios",
            400,
            "ExpiredTokenException".into(),
            "".into(),
        );
        assert_eq!(
            err.to_string(),
            "Profile spoke-dev: the security token is expired — run `aws sso login --profile spoke-dev`"
        );
        let err = ctx(ProfileKind::Static).classify_code(
            "ListPortfolios",
            403,
            "ExpiredToken".into(),
            "".into(),
        );
        assert!(
            err.to_string()
                .contains("aws sso login --profile spoke-dev")
        );
    }

    #[test]
    fn unknown_codes_keep_code_and_message_on_one_line() {
        let err = ctx(ProfileKind::Static).classify_code(
            "ListPortfolios",
            400,
            "ResourceNotFoundException".into(),
            "no\nsuch  thing".into(),
        );
        assert_eq!(
            err.to_string(),
            "ListPortfolios: HTTP 400 ResourceNotFoundException: no such thing"
        );
    }

    #[test]
    fn credential_and_network_failures_are_session_wide() {
        let c = ctx(ProfileKind::Sso);
        assert!(
            c.classify_code("X", 400, "ExpiredTokenException".into(), "".into())
                .is_session_wide()
        );
        assert!(
            !c.classify_code("X", 400, "AccessDeniedException".into(), "".into())
                .is_session_wide()
        );
        assert!(
            !c.classify_code("X", 400, "ThrottlingException".into(), "".into())
                .is_session_wide()
        );
    }

    #[test]
    fn unreachable_names_the_endpoint() {
        let err = AwsError::Unreachable {
            endpoint: ctx(ProfileKind::Static).endpoint_label("servicecatalog"),
            reason: "connection refused".into(),
        };
        assert_eq!(
            err.to_string(),
            "cannot reach http://127.0.0.1:4566: connection refused"
        );
        let mut c = ctx(ProfileKind::Static);
        c.endpoint = None;
        assert_eq!(c.endpoint_label("sts"), "sts.eu-west-1.amazonaws.com");
    }
}
