//! Shared set-up for tests that drive the real AWS SDK clients against the sandbox.
#![allow(dead_code)]

pub mod console;
pub mod headless;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use spoke::aws::{AwsError, ProfileSource, Reader, Session};
use spoke::sandbox::{Faults, Sandbox, SandboxOptions, WorldSource};

/// A sandbox with its AWS config (a profile per account) written to a
/// folder of its own, for spoke's sessions to connect through.
pub struct Sandboxed {
    pub sandbox: Sandbox,
    pub source: ProfileSource,
    _dir: tempfile::TempDir,
}

/// The default world, its stacks `speed` times faster, with `faults`.
pub async fn sandboxed(speed: f64, faults: Faults) -> Sandboxed {
    sandboxed_with(SandboxOptions {
        speed,
        faults,
        ..SandboxOptions::default()
    })
    .await
}

pub async fn sandboxed_with(options: SandboxOptions) -> Sandboxed {
    let sandbox = Sandbox::start(options).await.expect("the sandbox starts");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    sandbox.write_aws_config(&config).unwrap();
    let source = ProfileSource::generated(config, sandbox.endpoint());
    Sandboxed {
        sandbox,
        source,
        _dir: dir,
    }
}

impl Sandboxed {
    pub async fn session(&self, profile: &str) -> Result<Session, AwsError> {
        Session::connect(&self.source, profile, None).await
    }

    pub async fn reader(&self, profile: &str) -> Reader {
        Reader::new(&self.session(profile).await.expect("the profile connects"))
    }
}

/// A sandbox on the default world whose stacks move `speed` times faster than real time.
pub async fn sandbox(speed: f64) -> Sandbox {
    Sandbox::start(SandboxOptions {
        speed,
        world: WorldSource::Default,
        ..SandboxOptions::default()
    })
    .await
    .expect("the sandbox starts")
}

/// An SDK configuration for one profile of the sandbox, with its own keys.
pub async fn config(sb: &Sandbox, profile: &str) -> SdkConfig {
    let p = sb
        .profiles()
        .into_iter()
        .find(|p| p.name == profile)
        .unwrap_or_else(|| panic!("no profile {profile}"));
    config_with_keys(sb, &p.region, &p.access_key_id, &p.secret_access_key).await
}

pub async fn config_with_keys(sb: &Sandbox, region: &str, key: &str, secret: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(sb.endpoint())
        .credentials_provider(Credentials::new(key, secret, None, None, "spoke-test"))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await
}

pub async fn sc(sb: &Sandbox, profile: &str) -> aws_sdk_servicecatalog::Client {
    aws_sdk_servicecatalog::Client::new(&config(sb, profile).await)
}

pub async fn cfn(sb: &Sandbox, profile: &str) -> aws_sdk_cloudformation::Client {
    aws_sdk_cloudformation::Client::new(&config(sb, profile).await)
}

pub async fn sts(sb: &Sandbox, profile: &str) -> aws_sdk_sts::Client {
    aws_sdk_sts::Client::new(&config(sb, profile).await)
}

pub fn account_id(sb: &Sandbox, profile: &str) -> String {
    sb.profiles()
        .into_iter()
        .find(|p| p.name == profile)
        .map(|p| p.account_id)
        .expect("profile")
}

/// The error code of an SDK error (`ResourceNotFoundException`, `ValidationError`, …).
pub fn code<E, R>(e: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> String
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    e.as_service_error()
        .and_then(|s| s.code())
        .map(str::to_string)
        .unwrap_or_else(|| format!("not a service error: {e:?}"))
}

pub async fn orgs(sb: &Sandbox, profile: &str) -> aws_sdk_organizations::Client {
    aws_sdk_organizations::Client::new(&config(sb, profile).await)
}

/// A sandbox on a world file written from `text`, `speed` times faster than real time.
/// Keep the directory alive as long as the sandbox.
pub async fn sandbox_on(text: &str, speed: f64) -> (Sandbox, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("world.toml");
    std::fs::write(&path, text).expect("the world file is written");
    let sb = Sandbox::start(SandboxOptions {
        speed,
        world: WorldSource::File(path),
        ..SandboxOptions::default()
    })
    .await
    .expect("the sandbox starts");
    (sb, dir)
}

/// An SDK configuration with temporary credentials (AssumeRole's), optionally without their token.
pub async fn config_with_session(
    sb: &Sandbox,
    region: &str,
    key: &str,
    secret: &str,
    token: Option<&str>,
) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(sb.endpoint())
        .credentials_provider(Credentials::new(
            key,
            secret,
            token.map(str::to_string),
            None,
            "spoke-test-session",
        ))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await
}
