//! The command line: global flags and subcommands (clap derive).

use std::ffi::OsString;
use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::sandbox::{Faults, SandboxOptions, WorldSource};

/// A terminal operations console for AWS Service Catalog, hub-and-spoke.
///
/// With no subcommand, opens the console.
#[derive(Debug, Clone, Parser)]
#[command(name = "spoke", version, about)]
pub struct Cli {
    /// AWS profile to open (default: the first profile of the sandbox, else `default`).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "AWS_PROFILE",
        value_name = "NAME"
    )]
    pub profile: Option<String>,

    /// AWS region (default: the profile's region).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "REGION"
    )]
    pub region: Option<String>,

    /// Never change anything: write actions are hidden and refused.
    #[arg(long, global = true, help_heading = "Global options")]
    pub read_only: bool,

    /// Run against an embedded AWS sandbox on loopback instead of real AWS.
    #[arg(long, global = true, help_heading = "Global options")]
    pub sandbox: bool,

    /// With --sandbox: sandbox seconds per real second (its stacks move faster above 1).
    #[arg(long, value_name = "F", value_parser = parse_speed, default_value_t = 1.0, requires = "sandbox")]
    pub sandbox_speed: f64,

    /// spoke's own config file (TOML).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,

    /// Where to write the log (default: spoke.log in the user's state directory).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "FILE"
    )]
    pub log_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// True when `profile` came from `AWS_PROFILE` rather than `--profile`.
    #[arg(skip)]
    pub profile_from_env: bool,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// The embedded AWS sandbox.
    Sandbox {
        #[command(subcommand)]
        command: SandboxCommand,
    },
}

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

    /// Accounts (names or ids) whose credentials are expired.
    #[arg(long = "expire-account", value_name = "NAME", num_args = 1..)]
    pub expire_accounts: Vec<String>,

    /// Sandbox seconds per real second (stacks move faster above 1).
    #[arg(long, value_name = "F", value_parser = parse_speed, default_value_t = 1.0)]
    pub speed: f64,

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
            world,
            faults: Faults {
                latency_ms: self.latency_ms,
                throttle_rate: self.throttle_rate,
                error_rate: self.error_rate,
                expired_accounts: self.expire_accounts.clone(),
            },
            call_log: self.call_log.clone(),
            speed: self.speed,
        }
    }
}

impl Cli {
    /// Parses the process arguments; exits with clap's message on error.
    pub fn parse_args() -> Self {
        Self::try_parse_args(std::env::args_os()).unwrap_or_else(|e| e.exit())
    }

    pub fn try_parse_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let matches = Self::command().try_get_matches_from(args)?;
        let mut cli = Self::from_arg_matches(&matches)?;
        cli.profile_from_env = matches.value_source("profile") == Some(ValueSource::EnvVariable);
        Ok(cli)
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

fn parse_speed(text: &str) -> Result<f64, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_args(std::iter::once("spoke").chain(args.iter().copied()))
    }

    fn serve(args: &[&str]) -> Result<ServeArgs, clap::Error> {
        let mut all = vec!["sandbox", "serve"];
        all.extend_from_slice(args);
        match parse(&all)?.command {
            Some(Command::Sandbox {
                command: SandboxCommand::Serve(s),
            }) => Ok(s),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_subcommand_opens_the_console() {
        let cli = parse(&["--profile", "hub", "--read-only", "--sandbox"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.profile.as_deref(), Some("hub"));
        assert!(cli.read_only && cli.sandbox);
        assert!(!cli.profile_from_env);
    }

    #[test]
    fn serve_takes_faults_and_a_generated_world() {
        let s = serve(&[
            "--accounts",
            "3",
            "--products",
            "10",
            "--provisioned-per-account",
            "5",
            "--throttle-rate",
            "0.1",
            "--expire-account",
            "spoke-dev",
            "spoke-prod",
            "--speed",
            "20",
            "--port",
            "4566",
        ])
        .unwrap();
        let opts = s.sandbox_options();
        assert_eq!(opts.port, 4566);
        assert!(matches!(
            opts.world,
            WorldSource::Generated {
                accounts: 3,
                products: 10,
                provisioned_per_account: 5
            }
        ));
        assert_eq!(opts.faults.throttle_rate, 0.1);
        assert_eq!(opts.faults.expired_accounts, ["spoke-dev", "spoke-prod"]);
        assert_eq!(opts.speed, 20.0);
    }

    #[test]
    fn rates_outside_zero_to_one_are_refused_clearly() {
        let err = serve(&["--error-rate", "1.5"]).unwrap_err().to_string();
        assert!(err.contains("between 0 and 1"), "{err}");
        let err = serve(&["--throttle-rate", "lots"]).unwrap_err().to_string();
        assert!(err.contains("not a number"), "{err}");
        let err = serve(&["--speed", "0"]).unwrap_err().to_string();
        assert!(err.contains("above 0"), "{err}");
    }

    #[test]
    fn a_generated_world_needs_all_three_sizes_and_no_file() {
        assert!(serve(&["--accounts", "3"]).is_err());
        assert!(serve(&["--products", "3"]).is_err());
        assert!(
            serve(&[
                "--accounts",
                "0",
                "--products",
                "1",
                "--provisioned-per-account",
                "1"
            ])
            .is_err()
        );
        assert!(
            serve(&[
                "--world",
                "w.toml",
                "--accounts",
                "1",
                "--products",
                "1",
                "--provisioned-per-account",
                "1"
            ])
            .is_err()
        );
        assert!(matches!(
            serve(&["--world", "w.toml"])
                .unwrap()
                .sandbox_options()
                .world,
            WorldSource::File(_)
        ));
    }
}
