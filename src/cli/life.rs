//! The flags of a provisioned product's life: its records, resources and
//! outputs (reads), and terminating it.

use clap::{Args, ValueEnum};

/// How a read of one provisioned product prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum LifeFormat {
    #[default]
    Table,
    Json,
}

/// `spoke records|resources|outputs`: one provisioned product, read.
#[derive(Debug, Clone, Args)]
pub struct LifeArgs {
    /// The provisioned product, by name or id.
    #[arg(long, value_name = "NAME|ID")]
    pub provisioned: String,

    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: LifeFormat,
}

/// `spoke terminate`: one or more provisioned products.
#[derive(Debug, Clone, Args)]
pub struct TerminateArgs {
    /// The provisioned product, by name or id; repeat for several (each planned, then terminated one by one).
    #[arg(long, value_name = "NAME|ID", required = true)]
    pub provisioned: Vec<String>,

    /// IgnoreErrors: Service Catalog stops managing it even if its resources cannot be deleted.
    #[arg(long)]
    pub ignore_errors: bool,

    /// RetainPhysicalResources: the provisioned product goes; its CloudFormation stack and resources stay.
    #[arg(long)]
    pub retain_resources: bool,

    /// Do it; without --yes, only the plan is shown.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Print each request's record id, without following it.
    #[arg(long)]
    pub no_wait: bool,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}

/// `spoke action …`: the self-service actions of a provisioned product.
#[derive(Debug, Clone, Args)]
pub struct ActionArgs {
    #[command(subcommand)]
    pub command: ActionCommand,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum ActionCommand {
    /// The actions associated with the version the provisioned product runs: name, document, parameters.
    List(LifeArgs),
    /// Run an action on a provisioned product (ExecuteProvisionedProductServiceAction): the plan first; --yes runs it and follows it to its end.
    Run(ActionRunArgs),
}

/// `spoke action run`.
#[derive(Debug, Clone, Args)]
pub struct ActionRunArgs {
    /// The provisioned product, by name or id.
    #[arg(long, value_name = "NAME|ID")]
    pub provisioned: String,

    /// The action, by name or id (one associated with the version the product runs).
    #[arg(long, value_name = "NAME|ID")]
    pub action: String,

    /// A parameter's value, instead of Service Catalog's default; repeat for each.
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_assignment)]
    pub params: Vec<(String, String)>,

    /// Do it; without --yes, only the plan is shown.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Print the request's record id, without following it.
    #[arg(long)]
    pub no_wait: bool,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}

/// `KEY=VALUE`, for --param.
fn parse_assignment(text: &str) -> Result<(String, String), String> {
    crate::model::launch::parse_assignment(text)
}

/// `spoke repair`: a TAINTED or ERROR provisioned product, planned out of
/// its stuck state.
#[derive(Debug, Clone, Args)]
pub struct RepairArgs {
    /// The provisioned product, by name or id.
    #[arg(long, value_name = "NAME|ID")]
    pub provisioned: String,

    /// TAINTED: update to the latest version instead of its last successful one. ERROR: (the default) launch again on the latest version.
    #[arg(long, conflicts_with = "version")]
    pub forward: bool,

    /// The version to update to (TAINTED) or launch again on (ERROR).
    #[arg(long, value_name = "NAME|ID")]
    pub version: Option<String>,

    /// A parameter value (a NoEcho one of a failed launch must be given again); repeat for each.
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_assignment)]
    pub params: Vec<(String, String)>,

    /// Do it; without --yes, only the plan is shown.
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}
