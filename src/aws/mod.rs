//! The only code that names `aws_sdk_*` types: SDK ↔ model.

pub mod answers;
pub mod assume;
pub mod breaker;
mod cached_credentials;
pub mod calls;
pub mod error;
mod http;
pub mod profiles;
pub mod read;
pub mod session;
pub mod write;

pub use assume::role_arn;
pub use calls::{CALL_LOG_CAPACITY, CallLog};
pub use error::AwsError;
pub use profiles::{ProfileInfo, ProfileKind, ProfileSource, parse_profiles};
pub use read::{Reader, ShareProgress, StackState};
pub use session::Session;
pub use write::{
    Gate, ProductFields, Refusal, TerminateRequest, VersionSource, WriteError, Writer,
};
