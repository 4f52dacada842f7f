//! One `SdkConfig` for a (profile, region) pair.

use aws_config::BehaviorVersion;
use aws_config::Region;
use aws_config::SdkConfig;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::timeout::TimeoutConfig;
use std::time::Duration;

use super::answers::{RetryUnreadableAnswers, UnmaskErrors};
use super::breaker::Breaker;
use super::calls::{CallLog, CallRecorder};
use super::error::{AwsError, CallContext};
use super::profiles::{ProfileInfo, ProfileKind, ProfileSource};

/// Credentials, region and endpoint for one profile in one region.
/// Cheap to clone; builds [`Reader`](super::Reader)s, whose every call is
/// recorded in the session's [`CallLog`].
#[derive(Debug, Clone)]
pub struct Session {
    pub(crate) sdk: SdkConfig,
    pub(crate) context: CallContext,
    pub(crate) recorder: CallRecorder,
    /// The read clients' circuit breaker (see [`super::breaker`]).
    pub(crate) breaker: Breaker,
    /// Who the credentials are, when known without asking (an assumed
    /// role's AssumeRole answer says it).
    pub(crate) identity: Option<crate::model::CallerIdentity>,
    /// The STS client every role assumed from this session asks through,
    /// built once and shared by the session's clones (see
    /// [`Session::assume`](super::assume)).
    pub(crate) assume_sts: std::sync::Arc<std::sync::OnceLock<aws_sdk_sts::Client>>,
}

impl Session {
    /// Resolves `profile` from `source`. The region is `region`, else the
    /// profile's own, else whatever the environment says.
    ///
    /// Fails at once if the profile does not exist or no region is known;
    /// credentials are only fetched by the first call. Calls are logged in
    /// a new [`CallLog`]; see [`Session::connect_with_log`] to share one.
    pub async fn connect(
        source: &ProfileSource,
        profile: &str,
        region: Option<&str>,
    ) -> Result<Session, AwsError> {
        Self::connect_with_log(source, profile, region, CallLog::default()).await
    }

    /// [`Session::connect`], recording every call into `log` (one log for
    /// the whole console, across profile and region switches).
    pub async fn connect_with_log(
        source: &ProfileSource,
        profile: &str,
        region: Option<&str>,
        log: CallLog,
    ) -> Result<Session, AwsError> {
        let profiles = source.discover()?;
        let info = profiles.iter().find(|p| p.name == profile);
        // `default` may live only in the environment (env keys, instance role).
        if info.is_none() && (profile != "default" || source.is_generated()) {
            return Err(AwsError::UnknownProfile {
                profile: profile.to_string(),
                files: source.describe_files(),
                hint: unknown_profile_hint(profile, &profiles),
            });
        }
        let region = region
            .map(str::to_string)
            .or_else(|| info.and_then(|p| p.region.clone()))
            .map(Region::new);
        let files = profile_files(source);

        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(super::http::shared_http_client())
            .profile_files(files.clone())
            .profile_name(profile)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(30))
                    .build(),
            );
        if let Some(region) = &region {
            loader = loader.region(region.clone());
        }
        if info.is_some() {
            // A named profile beats AWS_ACCESS_KEY_ID in the environment,
            // as with `aws --profile`.
            let conf = ProviderConfig::without_region()
                .with_region(region.clone())
                .with_behavior_version(Some(BehaviorVersion::latest()));
            let provider = ProfileFileCredentialsProvider::builder()
                .configure(&conf)
                .profile_files(files)
                .profile_name(profile)
                .build();
            // Asked once (and again near expiry): the SDK's provider copies
            // the whole parsed config each time it is asked.
            loader = loader.credentials_provider(super::cached_credentials::Cached::new(provider));
        }
        if let Some(endpoint) = source.pinned_endpoint() {
            loader = loader.endpoint_url(endpoint);
        }
        let sdk = loader.load().await;

        let Some(region) = sdk.region().map(|r| r.to_string()) else {
            return Err(AwsError::NoRegion {
                profile: profile.to_string(),
            });
        };
        let context = CallContext {
            profile: profile.to_string(),
            kind: info.map_or(ProfileKind::Other, |p| p.kind),
            region,
            endpoint: sdk.endpoint_url().map(str::to_string),
        };
        let recorder = CallRecorder::new(log, profile, &context.region);
        Ok(Session {
            sdk,
            context,
            recorder,
            breaker: Breaker::default(),
            identity: None,
            assume_sts: Default::default(),
        })
    }

    /// The log this session's calls go to.
    pub fn call_log(&self) -> &CallLog {
        self.recorder.log()
    }

    pub(crate) fn catalog_client(&self) -> aws_sdk_servicecatalog::Client {
        let conf = aws_sdk_servicecatalog::config::Builder::from(&self.sdk)
            .interceptor(self.recorder.clone())
            .interceptor(UnmaskErrors)
            .retry_classifier(RetryUnreadableAnswers)
            .retry_config(read_retries())
            .interceptor(self.breaker.clone())
            .retry_partition(
                aws_sdk_servicecatalog::config::retry::RetryPartition::custom(
                    self.partition("servicecatalog"),
                )
                .token_bucket(aws_sdk_servicecatalog::config::retry::TokenBucket::unlimited())
                .build(),
            )
            .build();
        aws_sdk_servicecatalog::Client::from_conf(conf)
    }

    pub(crate) fn cloudformation_client(&self) -> aws_sdk_cloudformation::Client {
        let conf = aws_sdk_cloudformation::config::Builder::from(&self.sdk)
            .interceptor(self.recorder.clone())
            .interceptor(UnmaskErrors)
            .retry_classifier(RetryUnreadableAnswers)
            .retry_config(read_retries())
            .interceptor(self.breaker.clone())
            .retry_partition(
                aws_sdk_cloudformation::config::retry::RetryPartition::custom(
                    self.partition("cloudformation"),
                )
                .token_bucket(aws_sdk_cloudformation::config::retry::TokenBucket::unlimited())
                .build(),
            )
            .build();
        aws_sdk_cloudformation::Client::from_conf(conf)
    }

    pub(crate) fn sts_client(&self) -> aws_sdk_sts::Client {
        let conf = aws_sdk_sts::config::Builder::from(&self.sdk)
            .interceptor(self.recorder.clone())
            .interceptor(UnmaskErrors)
            .retry_classifier(RetryUnreadableAnswers)
            .retry_config(read_retries())
            .interceptor(self.breaker.clone())
            .retry_partition(
                aws_sdk_sts::config::retry::RetryPartition::custom(self.partition("sts"))
                    .token_bucket(aws_sdk_sts::config::retry::TokenBucket::unlimited())
                    .build(),
            )
            .build();
        aws_sdk_sts::Client::from_conf(conf)
    }

    /// S3, path-style on a custom endpoint (the sandbox answers on one
    /// loopback address, not a host per bucket).
    pub(crate) fn s3_client(&self) -> aws_sdk_s3::Client {
        let conf = aws_sdk_s3::config::Builder::from(&self.sdk)
            .force_path_style(self.context.endpoint.is_some())
            .interceptor(self.recorder.clone())
            .interceptor(UnmaskErrors)
            .retry_classifier(RetryUnreadableAnswers)
            .retry_config(read_retries())
            .interceptor(self.breaker.clone())
            .retry_partition(
                aws_sdk_s3::config::retry::RetryPartition::custom(self.partition("s3"))
                    .token_bucket(aws_sdk_s3::config::retry::TokenBucket::unlimited())
                    .build(),
            )
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }

    /// IAM: reads only (GetRole), to check the roles LAUNCH constraints name.
    pub(crate) fn iam_client(&self) -> aws_sdk_iam::Client {
        let conf = aws_sdk_iam::config::Builder::from(&self.sdk)
            .interceptor(self.recorder.clone())
            .interceptor(UnmaskErrors)
            .retry_classifier(RetryUnreadableAnswers)
            .retry_config(read_retries())
            .interceptor(self.breaker.clone())
            .retry_partition(
                aws_sdk_iam::config::retry::RetryPartition::custom(self.partition("iam"))
                    .token_bucket(aws_sdk_iam::config::retry::TokenBucket::unlimited())
                    .build(),
            )
            .build();
        aws_sdk_iam::Client::from_conf(conf)
    }

    pub(crate) fn organizations_client(&self) -> aws_sdk_organizations::Client {
        let conf = aws_sdk_organizations::config::Builder::from(&self.sdk)
            .interceptor(self.recorder.clone())
            .interceptor(UnmaskErrors)
            .retry_classifier(RetryUnreadableAnswers)
            .retry_config(read_retries())
            .interceptor(self.breaker.clone())
            .retry_partition(
                aws_sdk_organizations::config::retry::RetryPartition::custom(
                    self.partition("organizations"),
                )
                .token_bucket(aws_sdk_organizations::config::retry::TokenBucket::unlimited())
                .build(),
            )
            .build();
        aws_sdk_organizations::Client::from_conf(conf)
    }

    /// Each profile or assumed account retries in its own partition: one
    /// throttled account does not slow the others. Its token bucket is
    /// unlimited: every read call gets all its attempts, so the same
    /// failure takes the same time every time (the SDK's retry quota gave
    /// the first failing call ten attempts and later ones one to four); the
    /// [`Breaker`] is what bounds an operation that keeps failing.
    fn partition(&self, service: &str) -> String {
        format!("{service}/{}/{}", self.context.profile, self.context.region)
    }

    pub fn profile(&self) -> &str {
        &self.context.profile
    }

    pub fn region(&self) -> &str {
        &self.context.region
    }

    pub fn kind(&self) -> ProfileKind {
        self.context.kind
    }

    /// The custom endpoint calls go to, if not AWS itself.
    pub fn endpoint(&self) -> Option<&str> {
        self.context.endpoint.as_deref()
    }
}

pub fn unknown_profile_hint(profile: &str, known: &[ProfileInfo]) -> String {
    const SHOWN: usize = 8;
    if known.is_empty() {
        return format!(
            "there are no profiles; create one with `aws configure --profile {profile}`"
        );
    }
    let mut names: Vec<&str> = known.iter().take(SHOWN).map(|p| p.name.as_str()).collect();
    if known.len() > SHOWN {
        names.push("…");
    }
    format!("known profiles: {}", names.join(", "))
}

#[allow(deprecated)] // the non-deprecated name lives in aws-runtime, not a direct dependency
fn profile_files(source: &ProfileSource) -> aws_config::profile::profile_file::ProfileFiles {
    use aws_config::profile::profile_file::{ProfileFileKind, ProfileFiles};
    if !source.is_generated() {
        // The SDK's own resolution: AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ~.
        return ProfileFiles::default();
    }
    let mut builder = ProfileFiles::builder();
    if let Some(config) = source.config_file() {
        builder = builder.with_file(ProfileFileKind::Config, config);
    }
    if let Some(credentials) = source.credentials_file() {
        builder = builder.with_file(ProfileFileKind::Credentials, credentials);
    }
    builder.build()
}

/// Attempts per read call, the first included: a read changes nothing, so
/// it is retried until it gets through — throttling (a busy account),
/// 5xx and dropped connections — with the SDK's jittered exponential
/// backoff (1 s doubling, at most [`READ_MAX_BACKOFF`] a wait), each attempt
/// in the call log. At 10, a call that meets a 1-in-3 fault rate fails once
/// in 50,000; one throttled without end gives up after about 20 s.
pub const READ_ATTEMPTS: u32 = 10;
pub const READ_MAX_BACKOFF: Duration = Duration::from_secs(5);

fn read_retries() -> aws_config::retry::RetryConfig {
    aws_config::retry::RetryConfig::standard()
        .with_max_attempts(READ_ATTEMPTS)
        .with_max_backoff(READ_MAX_BACKOFF)
}
