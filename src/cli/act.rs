//! The flags of the commands that change something: share, accept, launch, update.

use std::str::FromStr;

use clap::{Args, Subcommand};

use crate::model::OptIn;
use crate::ops::bulk::report::ReportTarget;

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
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
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

    /// Create the local portfolio --add-to names when there is none of that name.
    #[arg(long, requires = "add_to")]
    pub create: bool,

    /// Let this IAM principal launch from the local portfolio (an ARN, role/NAME of this account, or a pattern); repeatable.
    #[arg(long = "principal", value_name = "ARN|role/NAME", requires = "add_to")]
    pub principals: Vec<String>,

    /// Do it; without --yes, only the plan is shown.
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}

#[derive(Debug, Clone, Args)]
pub struct LaunchArgs {
    /// The product, by id or name.
    #[arg(long, value_name = "ID|NAME", add = clap_complete::engine::ArgValueCandidates::new(super::complete::products))]
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
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
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
    #[arg(long, value_name = "POLICY", value_parser = OptIn::from_str, requires = "drifted")]
    pub policy: Option<OptIn>,

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

    /// Bulk: once N updates of this run failed (canary ones included), start no more; the started ones are followed to their end, the rest are left for `--resume`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..), conflicts_with = "provisioned")]
    pub max_failures: Option<u32>,

    /// Bulk: update the first K items (in the plan's order) first, and the rest only if all K succeed.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..), conflicts_with = "provisioned")]
    pub canary: Option<u32>,

    /// Bulk: write the run's report (JSON lines, the auto-update solution's Athena fields) to FILE, or put it in S3 at s3://BUCKET/PREFIX/dt=YYYY-MM-DD/BATCH.jsonl (PutObject with --profile's credentials; a copy stays beside the plan).
    #[arg(long, value_name = "FILE|s3://BUCKET/PREFIX/", value_parser = ReportTarget::from_str)]
    pub report: Option<ReportTarget>,

    /// Bulk: resume an interrupted run (the latest, or this batch id); nothing is updated twice.
    #[arg(long, value_name = "BATCH", num_args = 0..=1, default_missing_value = "")]
    pub resume: Option<String>,

    /// The version to update to, by name or id (default: the latest).
    #[arg(long, value_name = "NAME|ID")]
    pub version: Option<String>,

    /// Change product: update to another product (by id or name, one this account can launch), to its latest version unless --version names one.
    #[arg(long, value_name = "ID|NAME", conflicts_with_all = ["drifted", "resume"], add = clap_complete::engine::ArgValueCandidates::new(super::complete::products))]
    pub product: Option<String>,

    /// With --product: the launch path (portfolio) of that product, by id or name, when it has several.
    #[arg(long, value_name = "ID|NAME", requires = "product")]
    pub path: Option<String>,

    /// A parameter to change; the others keep their values. Repeat for each.
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_assignment)]
    pub params: Vec<(String, String)>,

    /// Do it; without --yes, only the plan is shown.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Print the request's record id and exit, without following it.
    #[arg(long)]
    pub no_wait: bool,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}

/// `KEY=VALUE`, for --param and --tag.
fn parse_assignment(text: &str) -> Result<(String, String), String> {
    crate::model::launch::parse_assignment(text)
}

/// `spoke version …`: a product version's guidance and availability, in
/// the account that owns the product.
#[derive(Debug, Clone, Args)]
pub struct VersionArgs {
    #[command(subcommand)]
    pub action: VersionCommand,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}

#[derive(Debug, Clone, Subcommand)]
pub enum VersionCommand {
    /// Deprecate it (Guidance DEPRECATED): provisioned products on it keep running and can be updated; no new launch.
    Deprecate(VersionTarget),
    /// Recommend it again (Guidance DEFAULT).
    Undeprecate(VersionTarget),
    /// Deactivate it: no one can launch it or update to it.
    Deactivate(VersionTarget),
    /// Activate it again.
    Activate(VersionTarget),
    /// Add a version from a template file (stored in S3 under a key made from its content).
    Add(crate::cli::VersionAdd),
    /// Delete a version no provisioned product runs (a product keeps at least one).
    Delete(VersionTarget),
    /// Change a version's name or description.
    Update {
        /// The product, by id or name (one this account owns).
        #[arg(long, value_name = "ID|NAME", add = clap_complete::engine::ArgValueCandidates::new(super::complete::products))]
        product: String,
        /// The version, by id or name.
        #[arg(long, value_name = "ID|NAME")]
        version: String,
        /// Its new name.
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// Do it; without --yes, only the plan is shown.
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

#[derive(Debug, Clone, Args)]
pub struct VersionTarget {
    /// The product, by id or name (one this account owns).
    #[arg(long, value_name = "ID|NAME", add = clap_complete::engine::ArgValueCandidates::new(super::complete::products))]
    pub product: String,

    /// The version, by id or name.
    #[arg(long, value_name = "ID|NAME")]
    pub version: String,

    /// Do it; without --yes, only the plan is shown.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// `spoke unshare`: stop sharing a local portfolio with accounts, an OU or
/// the organization.
#[derive(Debug, Clone, Args)]
pub struct UnshareArgs {
    /// The local portfolio, by id or name.
    #[arg(long, value_name = "ID|NAME")]
    pub portfolio: String,

    /// Account ids to stop sharing with.
    #[arg(long = "account", value_name = "ID", num_args = 1..)]
    pub accounts: Vec<String>,

    /// An organizational unit to stop sharing with.
    #[arg(long, value_name = "ID")]
    pub ou: Option<String>,

    /// The organization to stop sharing with.
    #[arg(long, value_name = "ID")]
    pub organization: Option<String>,

    /// Do it; without --yes, only the plan is shown.
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}

/// `spoke portfolio …`: local portfolios of the hub.
#[derive(Debug, Clone, Args)]
pub struct PortfolioArgs {
    #[command(subcommand)]
    pub action: PortfolioCommand,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}

#[derive(Debug, Clone, Subcommand)]
pub enum PortfolioCommand {
    /// Create a local portfolio (nothing when one of that name exists).
    Create {
        /// Its display name (1–100 characters).
        #[arg(long)]
        name: String,
        /// Who provides it (1–50 characters).
        #[arg(long)]
        provider: String,
        #[arg(long)]
        description: Option<String>,
        /// Do it; without --yes, only the plan is shown.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Change a local portfolio's name, provider or description.
    Update {
        /// The local portfolio, by id or name.
        #[arg(long, value_name = "ID|NAME")]
        portfolio: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        provider: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// Do it; without --yes, only the plan is shown.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Delete a local portfolio with nothing in it (no products, constraints, shares or principals).
    Delete {
        /// The local portfolio, by id or name.
        #[arg(long, value_name = "ID|NAME")]
        portfolio: String,
        /// Do it; without --yes, only the plan is shown.
        #[arg(long, short = 'y')]
        yes: bool,
    },
}
