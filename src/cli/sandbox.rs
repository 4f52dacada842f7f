//! `spoke sandbox serve`: the world to serve, its faults and its speed.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::sandbox::{Faults, SandboxOptions, WorldSource};

#[derive(Debug, Clone, Subcommand)]
pub enum SandboxCommand {
    /// Serve the sandbox on loopback until Ctrl-C.
    Serve(ServeArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// A world file (TOML) instead of the default hub-and-spoke world.
    #[arg(long, value_name = "FILE", conflicts_with = "accounts")]
    pub world: Option<PathBuf>,

    /// Generate a world with N accounts (with --products and --provisioned-per-account).
    #[arg(long, value_name = "N", value_parser = parse_accounts,
          requires_all = ["products", "provisioned_per_account"])]
    pub accounts: Option<usize>,

    /// Products in the generated world.
    #[arg(long, value_name = "M", value_parser = parse_count, requires = "accounts")]
    pub products: Option<usize>,

    /// Provisioned products per account in the generated world.
    #[arg(long, value_name = "K", value_parser = parse_count, requires = "accounts")]
    pub provisioned_per_account: Option<usize>,

    /// Added latency per call, in milliseconds.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub latency_ms: u64,

    /// Fraction of calls throttled, 0 to 1.
    #[arg(long, value_name = "F", value_parser = parse_rate, default_value_t = 0.0)]
    pub throttle_rate: f64,

    /// Fraction of calls failing with a server error, 0 to 1.
    #[arg(long, value_name = "F", value_parser = parse_rate, default_value_t = 0.0)]
    pub error_rate: f64,

    /// Fraction of successful answers garbled (cut short, wrong types, unknown enum values), 0 to 1.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub garbage_rate: f64,

    /// Fraction of calls answered late by --spike-ms more (latency spikes), 0 to 1.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub spike_rate: f64,

    /// How much later a spiked call is answered, in milliseconds.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub spike_ms: u64,

    /// Fraction of successful answers whose connection drops half-way through, 0 to 1.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub reset_rate: f64,

    /// Only these operations get the rates above (e.g. UpdateProvisionedProduct); every one by default.
    #[arg(long = "fault-operation", value_name = "OPERATION", num_args = 1..)]
    pub fault_operations: Vec<String>,

    /// Accounts (names or ids) whose credentials are expired.
    #[arg(long = "expire-account", value_name = "NAME", num_args = 1..)]
    pub expire_accounts: Vec<String>,

    /// Accounts whose own keys expire after N calls (ACCOUNT=N; credentials that run out mid-scan).
    #[arg(long = "expire-after", value_name = "ACCOUNT=N", num_args = 1.., value_parser = parse_expire_after)]
    pub expire_after: Vec<(String, u64)>,

    /// Accounts (names or ids) no one may AssumeRole into (AccessDenied).
    #[arg(long = "deny-assume", value_name = "ACCOUNT", num_args = 1..)]
    pub deny_assume: Vec<String>,

    /// Accounts (names or ids) whose caller holds only AWSServiceCatalogEndUserReadOnlyAccess (admin calls denied).
    #[arg(long = "end-user-read-only", value_name = "ACCOUNT", num_args = 1..)]
    pub end_user_read_only: Vec<String>,

    /// Operations answered as by an endpoint that does not implement them: an HTML page with HTTP 500 (or --unimplemented-status).
    #[arg(long = "unimplemented", value_name = "OPERATION", num_args = 1..)]
    pub unimplemented: Vec<String>,

    /// The HTTP status of --unimplemented answers (e.g. 501).
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = clap::value_parser!(u16).range(400..600), requires = "unimplemented")]
    pub unimplemented_status: u16,

    /// Provisioned products (names or ids) whose stacks are changed outside CloudFormation while the sandbox runs (resource drift).
    #[arg(long = "drift", value_name = "PROVISIONED_PRODUCT", num_args = 1..)]
    pub drift: Vec<String>,

    /// Sandbox seconds per real second (stacks move faster above 1).
    #[arg(long, value_name = "F", value_parser = parse_speed, default_value_t = 1.0)]
    pub speed: f64,

    /// Start the sandbox's clock at this time (RFC 3339, e.g. 2026-01-05T09:00:00Z): the same world, dates included, every run.
    #[arg(long, value_name = "TIME", value_parser = parse_epoch)]
    pub epoch: Option<chrono::DateTime<chrono::Utc>>,

    /// Append every call to this file (JSON lines).
    #[arg(long, value_name = "FILE")]
    pub call_log: Option<PathBuf>,

    /// Write an AWS config file with one profile per sandbox account.
    #[arg(long, value_name = "FILE")]
    pub write_aws_config: Option<PathBuf>,
}

impl ServeArgs {
    pub fn sandbox_options(&self) -> SandboxOptions {
        let world = match (&self.world, self.accounts) {
            (Some(path), _) => WorldSource::File(path.clone()),
            (None, Some(accounts)) => WorldSource::Generated {
                accounts,
                products: self.products.unwrap_or(0),
                provisioned_per_account: self.provisioned_per_account.unwrap_or(0),
            },
            (None, None) => WorldSource::Default,
        };
        SandboxOptions {
            port: self.port,
            epoch: self.epoch,
            world,
            faults: Faults {
                latency_ms: self.latency_ms,
                throttle_rate: self.throttle_rate,
                error_rate: self.error_rate,
                garbage_rate: self.garbage_rate,
                reset_rate: self.reset_rate,
                spike_rate: self.spike_rate,
                spike_ms: self.spike_ms,
                garble_kinds: Vec::new(),
                operations: self.fault_operations.clone(),
                expired_accounts: self.expire_accounts.clone(),
                expire_after: self.expire_after.clone(),
                deny_assume: self.deny_assume.clone(),
                end_user_read_only: self.end_user_read_only.clone(),
                unimplemented: self.unimplemented.clone(),
                unimplemented_status: self.unimplemented_status,
                drift: self.drift.clone(),
            },
            call_log: self.call_log.clone(),
            speed: self.speed,
        }
    }
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number; give a rate between 0 and 1, e.g. 0.05"))?;
    if !(0.0..=1.0).contains(&value) {
        return Err(format!(
            "{value} is out of range; a rate is between 0 and 1 (0.05 = 5% of calls)"
        ));
    }
    Ok(value)
}

pub(super) fn parse_expire_after(text: &str) -> Result<(String, u64), String> {
    let (account, n) = text
        .rsplit_once('=')
        .ok_or_else(|| format!("`{text}` is not ACCOUNT=N; e.g. spoke-dev=40"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a number of calls; e.g. spoke-dev=40"))?;
    if account.trim().is_empty() {
        return Err(format!("`{text}` names no account; e.g. spoke-dev=40"));
    }
    Ok((account.trim().to_string(), n))
}

pub(super) fn parse_speed(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number; give a speed such as 1 or 10"))?;
    if !value.is_finite() || value <= 0.0 {
        return Err(format!(
            "{value} is out of range; speed must be above 0 (1 = real time)"
        ));
    }
    Ok(value)
}

fn parse_count(text: &str) -> Result<usize, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a whole number (0 or more)"))
}

fn parse_accounts(text: &str) -> Result<usize, String> {
    match parse_count(text)? {
        0 => Err("a world needs at least 1 account".into()),
        n => Ok(n),
    }
}

/// A time in RFC 3339 (`2026-01-05T09:00:00Z`).
fn parse_epoch(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| format!("{e}: give a time as RFC 3339, e.g. 2026-01-05T09:00:00Z"))
}
