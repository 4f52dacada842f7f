//! The command line: global flags and subcommands (clap derive).

use std::ffi::OsString;
use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{ArgAction, FromArgMatches, Parser, Subcommand};
use clap_complete::engine::ArgValueCandidates;

mod act;
mod complete;
mod examples;
mod format;
mod hub;
mod life;
mod provision;
mod read;
mod sandbox;
mod shell;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_shell;

pub use crate::output::color::ColorChoice;
pub use act::{
    AcceptArgs, LaunchArgs, PortfolioArgs, PortfolioCommand, ShareArgs, ShareTypeArg, UnshareArgs,
    UpdateArgs, VersionArgs, VersionCommand, VersionTarget,
};
pub use complete::{COMPLETE_VAR, product_names, profile_names};
pub use examples::{EXAMPLES, command};
pub use format::{Format, FormatArg};
pub use hub::{
    ConstraintArgs, ConstraintCommand, ExportArgs, OptInArgs, PrincipalArgs, PrincipalCommand,
    ProductArgs, ProductCommand, SyncArgs, TemplateSource, VersionAdd, Yes,
};
pub use life::{
    ActionArgs, ActionCommand, ActionRunArgs, LifeArgs, LifeFormat, RepairArgs, TerminateArgs,
};
pub use provision::{ProvisionArgs, ProvisionFormat};
pub use read::{
    AuditArgs, DriftArgs, DriftFormat, FailOn, LintArgs, LintFormat, LogArgs, MatrixArgs, MatrixBy,
    MatrixFormat,
};
use sandbox::parse_speed;
pub use sandbox::{SandboxCommand, ServeArgs};
pub use shell::{CompletionsArgs, ManArgs, Shell};

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
        value_name = "NAME",
        add = ArgValueCandidates::new(complete::profiles)
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
        conflicts_with = "org_role",
        add = ArgValueCandidates::new(complete::profiles)
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

    /// Colour: auto (when stdout is a terminal and NO_COLOR is not set), always, or never (the console keeps bold and reverse).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: ColorChoice,

    /// Quiet: only errors and the final result (no banner, no progress).
    #[arg(
        short = 'q',
        long,
        global = true,
        help_heading = "Global options",
        conflicts_with = "verbose"
    )]
    pub quiet: bool,

    /// More detail on stderr: -v each AWS call as it is answered, -vv also what it named and its attempts (and a more detailed log). `spoke log -v`: whole lines, with the caller ARN.
    #[arg(
        short = 'v',
        long,
        global = true,
        help_heading = "Global options",
        action = ArgAction::Count
    )]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// True when `profile` came from `AWS_PROFILE` rather than `--profile`.
    #[arg(skip)]
    pub profile_from_env: bool,
}

/// What the headless commands exit with; shown by `spoke help`.
pub const EXIT_CODES: &str = "\
Exit codes of the headless commands (share, accept, launch, update, provision, log):
  0  done (or, without --yes, the plan was shown and nothing changed)
  1  the change failed in AWS: an AWS error, a FAILED record, a share that did not complete
  2  refused or invalid input: nothing was sent
  3  spoke drift: something drifts (--resources: a stack drifts from its template); spoke sync: changes are pending (without --yes)
  4  refused because the session is read-only (--read-only or read_only = true): nothing was sent
  5  spoke lint --fail-on SEVERITY: a finding is at least that severe";

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Run the embedded AWS sandbox: an emulator of the AWS APIs spoke uses, on loopback.
    Sandbox {
        #[command(subcommand)]
        command: SandboxCommand,
    },
    /// Share a local portfolio with accounts, an OU or the organization.
    #[command(after_help = EXIT_CODES)]
    Share(ShareArgs),
    /// Create, change or delete a local portfolio (the hub's side).
    #[command(after_help = EXIT_CODES)]
    Portfolio(PortfolioArgs),
    /// Stop sharing a local portfolio with accounts, an OU or the organization.
    #[command(after_help = EXIT_CODES)]
    Unshare(UnshareArgs),
    /// Accept a portfolio share in this account (without --portfolio: list the shares offered).
    #[command(after_help = EXIT_CODES)]
    Accept(AcceptArgs),
    /// Launch a product: provision it and follow its stack until it settles.
    #[command(after_help = EXIT_CODES)]
    Launch(LaunchArgs),
    /// Update a provisioned product (to the latest version unless --version names one).
    #[command(after_help = EXIT_CODES)]
    Update(UpdateArgs),
    /// Launch or update a provisioned product by name, idempotently (for pipelines): launch it if absent, update it if it differs, else nothing.
    #[command(after_help = EXIT_CODES)]
    Provision(ProvisionArgs),
    /// Create a product from a template file, change it, or put it into (take it out of) a local portfolio.
    #[command(after_help = EXIT_CODES)]
    Product(ProductArgs),
    /// Keep the hub's catalog in step with a folder of portfolio-*/mapping.yaml (exit 3: changes pending; --yes applies them).
    #[command(after_help = EXIT_CODES)]
    Sync(SyncArgs),
    /// Write the hub's local portfolios as a sync folder (mapping.yaml and templates, read back from S3).
    #[command(after_help = EXIT_CODES)]
    Export(ExportArgs),
    /// Let an IAM role, user or group launch from a portfolio, or take it off.
    #[command(after_help = EXIT_CODES)]
    Principal(PrincipalArgs),
    /// Opt a product this account owns in to auto-update (the TagOption AutoUpdateProvisionedProduct=true), or out with --off.
    #[command(name = "opt-in", after_help = EXIT_CODES)]
    OptIn(OptInArgs),
    /// Add a LAUNCH, TEMPLATE, NOTIFICATION or RESOURCE_UPDATE constraint to a product in a local portfolio, or remove one.
    #[command(after_help = EXIT_CODES)]
    Constraint(ConstraintArgs),
    /// Add, deprecate, undeprecate, deactivate, activate or delete a version of a product this account owns (the hub).
    #[command(after_help = EXIT_CODES)]
    Version(VersionArgs),
    /// The record history of a provisioned product: each launch, update, terminate and action, newest first.
    #[command(after_help = EXIT_CODES)]
    Records(LifeArgs),
    /// The resources of a provisioned product's CloudFormation stack: logical id, physical id, type, status.
    #[command(after_help = EXIT_CODES)]
    Resources(LifeArgs),
    /// The outputs of a provisioned product (GetProvisionedProductOutputs); one that takes a NoEcho parameter shown as ****.
    #[command(after_help = EXIT_CODES)]
    Outputs(LifeArgs),
    /// The parameters a provisioned product runs with beside the latest version's, and what an update would change (NoEcho as ****).
    #[command(after_help = EXIT_CODES)]
    Parameters(LifeArgs),
    /// Terminate provisioned products: the plan lists the resources that will be deleted; --yes does it and follows each to its end.
    #[command(after_help = EXIT_CODES)]
    Terminate(TerminateArgs),
    /// A way out of TAINTED (update again, to its last successful version or --forward) and ERROR (terminate, then launch again with the same parameters): a plan; --yes does it.
    #[command(after_help = EXIT_CODES)]
    Repair(RepairArgs),
    /// The self-service actions of a provisioned product: list them, or run one (the plan first; --yes runs it and follows it).
    #[command(after_help = EXIT_CODES)]
    Action(ActionArgs),
    /// The version drift of every provisioned product, in one account or a fleet (exit 3 when something drifts).
    #[command(after_help = EXIT_CODES)]
    Drift(DriftArgs),
    /// Which version of each product runs in which account: products down, accounts across, each cell the versions there with counts and drift, a summary per product.
    #[command(after_help = EXIT_CODES)]
    Matrix(MatrixArgs),
    /// Save everything the accounts show (read-only): --out FILE.json (a snapshot), FILE.md (a report), FOLDER/ (CSV tables, one per screen) or FILE.zip (the same tables in one file).
    #[command(after_help = EXIT_CODES)]
    Audit(AuditArgs),
    /// Hygiene findings over one account or a fleet (read-only): rules, severities, why each matters and its fix; --format table|json|sarif, --fail-on warning|error (exit 5).
    #[command(after_help = EXIT_CODES)]
    Lint(LintArgs),
    /// Print the journal of changes: one line per action, its intent and its result.
    #[command(after_help = EXIT_CODES)]
    Log(LogArgs),
    /// Print the script that completes spoke's commands, flags, profiles and product names in a shell.
    Completions(CompletionsArgs),
    /// Print spoke's man page (roff), or write one page per command with --out DIR.
    Man(ManArgs),
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
        let matches = command().try_get_matches_from(args)?;
        let mut cli = Self::from_arg_matches(&matches)?;
        cli.profile_from_env = matches.value_source("profile") == Some(ValueSource::EnvVariable);
        Ok(cli)
    }
}

impl Command {
    /// True when the command was asked for JSON on stdout (its own
    /// `--format json`, or `sarif` for lint): every line for a person then
    /// goes to stderr.
    pub fn json(&self) -> bool {
        use Command as C;
        match self {
            C::Share(a) => a.output.json(),
            C::Unshare(a) => a.output.json(),
            C::Portfolio(a) => a.output.json(),
            C::Accept(a) => a.output.json(),
            C::Launch(a) => a.output.json(),
            C::Update(a) => a.output.json(),
            C::Provision(a) => a.format == ProvisionFormat::Json,
            C::Product(a) => a.output.json(),
            C::Sync(a) => a.output.json(),
            C::Export(a) => a.output.json(),
            C::Principal(a) => a.output.json(),
            C::OptIn(a) => a.output.json(),
            C::Constraint(a) => a.output.json(),
            C::Version(a) => a.output.json(),
            C::Records(a) | C::Resources(a) | C::Outputs(a) | C::Parameters(a) => {
                a.format == LifeFormat::Json
            }
            C::Terminate(a) => a.output.json(),
            C::Repair(a) => a.output.json(),
            C::Action(a) => match &a.command {
                ActionCommand::List(a) => a.format == LifeFormat::Json,
                ActionCommand::Run(a) => a.output.json(),
            },
            C::Drift(a) => a.format == DriftFormat::Json,
            C::Matrix(a) => a.format == MatrixFormat::Json,
            C::Audit(a) => a.output.json(),
            C::Lint(a) => matches!(a.format, LintFormat::Json | LintFormat::Sarif),
            C::Log(a) => a.output.json(),
            C::Sandbox { .. } | C::Completions(_) | C::Man(_) => false,
        }
    }

    /// The command's name, as typed (`opt-in`, `share`): the `command`
    /// field of its JSON.
    pub fn name(&self) -> &'static str {
        use Command as C;
        match self {
            C::Sandbox { .. } => "sandbox",
            C::Share(_) => "share",
            C::Portfolio(_) => "portfolio",
            C::Unshare(_) => "unshare",
            C::Accept(_) => "accept",
            C::Launch(_) => "launch",
            C::Update(_) => "update",
            C::Provision(_) => "provision",
            C::Product(_) => "product",
            C::Sync(_) => "sync",
            C::Export(_) => "export",
            C::Principal(_) => "principal",
            C::OptIn(_) => "opt-in",
            C::Constraint(_) => "constraint",
            C::Version(_) => "version",
            C::Records(_) => "records",
            C::Resources(_) => "resources",
            C::Outputs(_) => "outputs",
            C::Parameters(_) => "parameters",
            C::Terminate(_) => "terminate",
            C::Repair(_) => "repair",
            C::Action(_) => "action",
            C::Drift(_) => "drift",
            C::Matrix(_) => "matrix",
            C::Audit(_) => "audit",
            C::Lint(_) => "lint",
            C::Log(_) => "log",
            C::Completions(_) => "completions",
            C::Man(_) => "man",
        }
    }
}
