//! `spoke provision`: the flags of the idempotent launch-or-update.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// How `spoke provision` prints its own result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ProvisionFormat {
    /// Lines for a person.
    #[default]
    Text,
    /// One JSON object on stdout (`schema_version` 1); the rest on stderr.
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ProvisionArgs {
    /// The product, by id or name.
    #[arg(long, value_name = "ID|NAME")]
    pub product: String,

    /// The provisioned product's name: what makes the command idempotent.
    #[arg(long, value_name = "NAME")]
    pub name: String,

    /// The version, by name or id (default: the latest active, non-deprecated one).
    #[arg(long, value_name = "NAME|ID")]
    pub version: Option<String>,

    /// The launch path (portfolio) at launch, by id or name; an update keeps its own.
    #[arg(long, value_name = "ID|NAME")]
    pub path: Option<String>,

    /// A parameter value; repeat for each. One not given keeps its value on update.
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_assignment)]
    pub params: Vec<(String, String)>,

    /// A tag (a TagOption of the product or portfolio), applied at launch; repeat for each.
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_assignment)]
    pub tags: Vec<(String, String)>,

    /// Do it; without --yes, only the plan is shown.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Follow the request (or one already running on it) to its end (the default).
    #[arg(long, overrides_with = "no_wait")]
    pub wait: bool,

    /// Print the request's record id and exit, without following it.
    #[arg(long, overrides_with = "wait")]
    pub no_wait: bool,

    /// Write the outputs as JSON to FILE (`-`: stdout) once it succeeded, or when nothing needed doing.
    #[arg(long, value_name = "FILE|-")]
    pub outputs: Option<PathBuf>,

    /// In --outputs, the values of outputs that take a NoEcho parameter as they are, not `****`.
    #[arg(long, requires = "outputs")]
    pub reveal_secrets: bool,

    /// How to print the result.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ProvisionFormat,
}

/// `KEY=VALUE`, for --param and --tag.
fn parse_assignment(text: &str) -> Result<(String, String), String> {
    crate::model::launch::parse_assignment(text)
}
