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
#[command(name = "spoke", version, about, after_help = EXIT_CODES)]
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

    /// Several profiles at once (a fleet): the provisioned products of all of them, with an Account column.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "A,B,…",
        value_delimiter = ',',
        conflicts_with = "org_role"
    )]
    pub profiles: Vec<String>,

    /// Organization mode: from --profile (the management account or a delegated administrator), every account of the organization through this role (a name, or an ARN with {account}).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "ROLE"
    )]
    pub org_role: Option<String>,

    /// Never change anything: write actions are hidden and refused.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        conflicts_with = "write"
    )]
    pub read_only: bool,

    /// Allow changes even where spoke's config says read_only = true.
    #[arg(long, global = true, help_heading = "Global options")]
    pub write: bool,

    /// Open the console on a saved snapshot (`spoke audit --out FILE.json`): offline and read-only.
    #[arg(long, value_name = "FILE.json", conflicts_with = "sandbox")]
    pub snapshot: Option<PathBuf>,

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

    /// The journal of changes (default: journal.jsonl in the user's data directory).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "SPOKE_JOURNAL",
        value_name = "FILE"
    )]
    pub journal: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// True when `profile` came from `AWS_PROFILE` rather than `--profile`.
    #[arg(skip)]
    pub profile_from_env: bool,
}

/// What the headless commands exit with; shown by `spoke help`.
pub const EXIT_CODES: &str = "\
Exit codes of the headless commands (share, accept, launch, update, log):
  0  done (or, without --yes, the plan was shown and nothing changed)
  1  the change failed in AWS: an AWS error, a FAILED record, a share that did not complete
  2  refused or invalid input: nothing was sent
  3  spoke drift: something drifts
  4  refused because the session is read-only (--read-only or read_only = true): nothing was sent";

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// The embedded AWS sandbox.
    Sandbox {
        #[command(subcommand)]
        command: SandboxCommand,
    },
    /// Share a local portfolio with accounts, an OU or the organization.
    #[command(after_help = EXIT_CODES)]
    Share(ShareArgs),
    /// Accept a portfolio share in this account (without --portfolio: list the shares offered).
    #[command(after_help = EXIT_CODES)]
    Accept(AcceptArgs),
    /// Launch a product: provision it and follow its stack until it settles.
    #[command(after_help = EXIT_CODES)]
    Launch(LaunchArgs),
    /// Update a provisioned product (to the latest version unless --version names one).
    #[command(after_help = EXIT_CODES)]
    Update(UpdateArgs),
    /// The version drift of every provisioned product, in one account or a fleet (exit 3 when something drifts).
    #[command(after_help = EXIT_CODES)]
    Drift(DriftArgs),
    /// Save everything the accounts show (read-only): --out FILE.json (a snapshot), FILE.csv (a folder of tables) or FILE.md (a report).
    #[command(after_help = EXIT_CODES)]
    Audit(AuditArgs),
    /// Print the journal of changes: one line per action, its intent and its result.
    #[command(after_help = EXIT_CODES)]
    Log(LogArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ShareArgs {
    /// The local portfolio to share, by id or name.
    #[arg(long, value_name = "ID|NAME")]
    pub portfolio: String,

    /// Account ids to share with (each must accept the share).
    #[arg(long = "account", value_name = "ID", num_args = 1..)]
    pub accounts: Vec<String>,

    /// An organizational unit to share with (AWS Organizations).
    #[arg(long, value_name = "ID")]
    pub ou: Option<String>,

    /// The organization to share with (AWS Organizations).
    #[arg(long, value_name = "ID")]
    pub organization: Option<String>,

    /// Share the portfolio's TagOptions too.
    #[arg(long)]
    pub share_tag_options: bool,

    /// Share the portfolio's principals too (organization shares).
    #[arg(long)]
    pub share_principals: bool,

    /// Do it; without --yes, only the plan is shown.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// How a share reached this account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShareTypeArg {
    /// An account share.
    Imported,
    /// A share through AWS Organizations.
    Organization,
}

#[derive(Debug, Clone, Args)]
pub struct AcceptArgs {
    /// The portfolio whose share to accept (port-…). Without it: list the shares offered.
    #[arg(long, value_name = "ID")]
    pub portfolio: Option<String>,

    /// The kind of share.
    #[arg(
        long = "type",
        value_enum,
        default_value = "imported",
        requires = "portfolio"
    )]
    pub share_type: ShareTypeArg,

    /// Then add the portfolio's products to this local portfolio (id or name), with a launch constraint.
    #[arg(long, value_name = "LOCAL_PORTFOLIO", requires_all = ["portfolio", "role"])]
    pub add_to: Option<String>,

    /// The launch role of that constraint: a role name every account has, or a role ARN.
    #[arg(long, value_name = "NAME|ARN", requires = "add_to")]
    pub role: Option<String>,

    /// Do it; without --yes, only the plan is shown.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Clone, Args)]
pub struct LaunchArgs {
    /// The product, by id or name.
    #[arg(long, value_name = "ID|NAME")]
    pub product: String,

    /// The version, by name or id (default: the latest active, non-deprecated one).
    #[arg(long, value_name = "NAME|ID")]
    pub version: Option<String>,

    /// The launch path (portfolio), by id or name; needed when there are several.
    #[arg(long, value_name = "ID|NAME")]
    pub path: Option<String>,

    /// The provisioned product's name.
    #[arg(long, value_name = "NAME")]
    pub name: String,

    /// A parameter value; repeat for each.
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_assignment)]
    pub params: Vec<(String, String)>,

    /// A tag (a TagOption of the product or portfolio); repeat for each.
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_assignment)]
    pub tags: Vec<(String, String)>,

    /// Do it; without --yes, only the plan is shown.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Print the request's record id and exit, without following it.
    #[arg(long)]
    pub no_wait: bool,
}

#[derive(Debug, Clone, Args)]
pub struct UpdateArgs {
    /// The provisioned product, by name or id.
    #[arg(long, value_name = "NAME|ID", required_unless_present_any = ["drifted", "resume"], conflicts_with_all = ["drifted", "resume"])]
    pub provisioned: Option<String>,

    /// Bulk: every drifted provisioned product of the account or fleet, to its latest version (plan first).
    #[arg(long, conflicts_with = "resume")]
    pub drifted: bool,

    /// Bulk: which drifted products may be updated: `everything`, `tag:KEY=VALUE` (default tag:AutoUpdateProvisionedProduct=true) or `products:NAME,NAME`.
    #[arg(long, value_name = "POLICY", value_parser = parse_policy, requires = "drifted")]
    pub policy: Option<crate::model::OptIn>,

    /// Bulk: also update products whose update replaces or removes resources.
    #[arg(long, requires = "drifted")]
    pub include_risky: bool,

    /// Bulk: learn what each update would replace or remove, with a temporary provisioned product plan each (created and deleted: with --yes only), and update nothing.
    #[arg(long, requires = "drifted")]
    pub preview_risk: bool,

    /// Send the update even when it changes neither the version nor a parameter (a full stack update).
    #[arg(long, conflicts_with_all = ["drifted", "resume"])]
    pub force: bool,

    /// Bulk: updates running at once in each account (128 at most in all).
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,

    /// Bulk: write the run's report (JSON lines, the auto-update solution's Athena fields) here.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Bulk: resume an interrupted run (the latest, or this batch id); nothing is updated twice.
    #[arg(long, value_name = "BATCH", num_args = 0..=1, default_missing_value = "")]
    pub resume: Option<String>,

    /// The version to update to, by name or id (default: the latest).
    #[arg(long, value_name = "NAME|ID")]
    pub version: Option<String>,

    /// A parameter to change; the others keep their values. Repeat for each.
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_assignment)]
    pub params: Vec<(String, String)>,

    /// Do it; without --yes, only the plan is shown.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Print the request's record id and exit, without following it.
    #[arg(long)]
    pub no_wait: bool,
}

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Where to write: .json (the full snapshot, for `spoke --snapshot`), .csv (a folder of CSV tables, one per screen) or .md (a report).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// How `spoke drift` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DriftFormat {
    #[default]
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Args)]
pub struct DriftArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: DriftFormat,

    /// Only the drifted provisioned products.
    #[arg(long)]
    pub drifted_only: bool,
}

/// `everything`, `tag:KEY=VALUE`, `products:A,B`.
pub fn parse_policy(text: &str) -> Result<crate::model::OptIn, String> {
    use crate::model::OptIn;
    let text = text.trim();
    if text == "everything" {
        return Ok(OptIn::Everything);
    }
    if let Some(tag) = text.strip_prefix("tag:") {
        let (key, value) = tag.split_once('=').unwrap_or((tag, "true"));
        if key.trim().is_empty() {
            return Err(
                "tag:KEY=VALUE needs a key, e.g. tag:AutoUpdateProvisionedProduct=true".into(),
            );
        }
        return Ok(OptIn::Tag {
            key: key.trim().to_string(),
            value: value.trim().to_string(),
        });
    }
    if let Some(names) = text.strip_prefix("products:") {
        let names: Vec<String> = names
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect();
        if names.is_empty() {
            return Err("products:NAME,NAME needs at least one product name".into());
        }
        return Ok(OptIn::Products { names });
    }
    Err(format!(
        "`{text}` is not a policy: use everything, tag:KEY=VALUE or products:NAME,NAME"
    ))
}

#[derive(Debug, Clone, Args)]
pub struct LogArgs {
    /// Print the journal's lines as they are (JSON), not readably.
    #[arg(long)]
    pub json: bool,

    /// Only the last N actions (with --json: the last N lines).
    #[arg(long, value_name = "N")]
    pub tail: Option<usize>,
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

fn parse_assignment(text: &str) -> Result<(String, String), String> {
    crate::model::launch::parse_assignment(text)
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

fn parse_expire_after(text: &str) -> Result<(String, u64), String> {
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
            "--expire-after",
            "spoke-dev=40",
            "--reset-rate",
            "0.02",
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
        assert_eq!(opts.faults.expire_after, [("spoke-dev".to_string(), 40)]);
        assert_eq!(opts.faults.reset_rate, 0.02);
        assert_eq!(opts.speed, 20.0);
        assert!(parse_expire_after("spoke-dev").is_err());
        assert!(parse_expire_after("=4").is_err());
        assert!(parse_expire_after("a=x").is_err());
    }

    #[test]
    fn the_headless_commands_take_their_flags() {
        let cli = parse(&[
            "--journal",
            "/tmp/j.jsonl",
            "launch",
            "--profile",
            "spoke-dev",
            "--product",
            "S3 Bucket",
            "--name",
            "b",
            "--param",
            "Url=a=b",
            "--tag",
            "CostCenter=platform",
            "--yes",
        ])
        .unwrap();
        assert_eq!(
            cli.journal.as_deref(),
            Some(std::path::Path::new("/tmp/j.jsonl"))
        );
        assert_eq!(cli.profile.as_deref(), Some("spoke-dev"));
        match cli.command {
            Some(Command::Launch(l)) => {
                assert_eq!(l.params, [("Url".to_string(), "a=b".to_string())]);
                assert_eq!(l.tags[0].0, "CostCenter");
                assert!(l.yes && !l.no_wait);
            }
            other => panic!("unexpected {other:?}"),
        }
        let share = parse(&["share", "--portfolio", "P", "--account", "1", "2", "--yes"]).unwrap();
        assert!(matches!(share.command, Some(Command::Share(s)) if s.accounts == ["1", "2"]));
        assert!(parse(&["launch", "--product", "p", "--name", "n", "--param", "x"]).is_err());
        // --add-to needs --role and --portfolio; listing needs neither.
        assert!(parse(&["accept", "--portfolio", "port-1", "--add-to", "L"]).is_err());
        assert!(parse(&["accept", "--add-to", "L", "--role", "R"]).is_err());
        assert!(matches!(
            parse(&["accept"]).unwrap().command,
            Some(Command::Accept(AcceptArgs {
                portfolio: None,
                ..
            }))
        ));
        let log = parse(&["log", "--json", "--tail", "3"]).unwrap();
        assert!(matches!(
            log.command,
            Some(Command::Log(LogArgs {
                json: true,
                tail: Some(3)
            }))
        ));
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
