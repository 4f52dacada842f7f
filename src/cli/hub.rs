//! The hub's authoring commands (and the spoke admin's access settings):
//! principals, the auto-update opt-in, constraints, products and versions
//! from template files.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// Do it; without --yes, only the plan is shown.
#[derive(Debug, Clone, Copy, Args)]
pub struct Yes {
    /// Do it; without --yes, only the plan is shown.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// `spoke principal add|remove`: who may launch from a portfolio.
#[derive(Debug, Clone, Args)]
pub struct PrincipalArgs {
    #[command(subcommand)]
    pub action: PrincipalCommand,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}

#[derive(Debug, Clone, Subcommand)]
pub enum PrincipalCommand {
    /// Let an IAM role, user or group (or a name pattern) launch from a portfolio.
    Add(PrincipalTarget),
    /// Take a principal off a portfolio.
    Remove(PrincipalTarget),
}

#[derive(Debug, Clone, Args)]
pub struct PrincipalTarget {
    /// The portfolio (local or imported), by id or name.
    #[arg(long, value_name = "ID|NAME")]
    pub portfolio: String,
    /// An IAM ARN, `role/NAME` (`user/…`, `group/…`) of this account, or a pattern such as `arn:aws:iam:::role/Dev*`.
    #[arg(long, value_name = "ARN|role/NAME")]
    pub principal: String,
    #[command(flatten)]
    pub yes: Yes,
}

/// `spoke opt-in`: the auto-update TagOption on a product.
#[derive(Debug, Clone, Args)]
pub struct OptInArgs {
    /// The product, by id or name (one this account owns).
    #[arg(long, value_name = "ID|NAME", add = clap_complete::engine::ArgValueCandidates::new(super::complete::products))]
    pub product: String,
    /// Opt it out instead.
    #[arg(long)]
    pub off: bool,
    #[command(flatten)]
    pub yes: Yes,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}

/// `spoke constraint add|remove`.
#[derive(Debug, Clone, Args)]
pub struct ConstraintArgs {
    #[command(subcommand)]
    pub action: ConstraintCommand,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ConstraintCommand {
    /// Add a LAUNCH, TEMPLATE, NOTIFICATION or RESOURCE_UPDATE constraint to a product in a local portfolio.
    Add {
        /// The local portfolio, by id or name.
        #[arg(long, value_name = "ID|NAME")]
        portfolio: String,
        /// The product, by id or name.
        #[arg(long, value_name = "ID|NAME", add = clap_complete::engine::ArgValueCandidates::new(super::complete::products))]
        product: String,
        /// LAUNCH: the role CloudFormation launches with (an ARN, or a role name looked up in each account).
        #[arg(long, value_name = "ARN|NAME", group = "kind")]
        launch_role: Option<String>,
        /// TEMPLATE: the rules, as JSON ({"Rules": {…}}) or @FILE.
        #[arg(long, value_name = "JSON|@FILE", group = "kind")]
        template_rules: Option<String>,
        /// NOTIFICATION: SNS topic ARNs stack events are sent to.
        #[arg(long = "notify", value_name = "TOPIC_ARN", num_args = 1.., group = "kind")]
        notify: Vec<String>,
        /// RESOURCE_UPDATE: whether end users may change the tags of what they launched.
        #[arg(long, value_name = "ALLOWED|NOT_ALLOWED", group = "kind")]
        tag_updates: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        yes: Yes,
    },
    /// Remove a constraint, by id.
    Remove {
        /// The constraint's id (cons-…).
        #[arg(long, value_name = "ID")]
        id: String,
        #[command(flatten)]
        yes: Yes,
    },
}

/// `spoke product create|update`.
#[derive(Debug, Clone, Args)]
pub struct ProductArgs {
    #[command(subcommand)]
    pub action: ProductCommand,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}

#[derive(Debug, Clone, Args)]
pub struct TemplateSource {
    /// The template file (YAML or JSON), uploaded to S3 under a key made from its content.
    #[arg(long, value_name = "FILE")]
    pub template: PathBuf,
    /// The bucket templates go to (default: `template_bucket` in config.toml, per profile).
    #[arg(long, value_name = "BUCKET")]
    pub bucket: Option<String>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ProductCommand {
    /// Create a product with its first version from a template file (nothing when one of that name exists).
    Create {
        /// The product's name.
        #[arg(long)]
        name: String,
        /// Who owns it (a team; free text).
        #[arg(long)]
        owner: String,
        #[arg(long)]
        description: Option<String>,
        /// The first version's name.
        #[arg(long = "version", default_value = "v1")]
        version: String,
        #[command(flatten)]
        source: TemplateSource,
        /// Also add it to this local portfolio.
        #[arg(long, value_name = "ID|NAME")]
        portfolio: Option<String>,
        #[command(flatten)]
        yes: Yes,
    },
    /// Change a product's name, owner or description.
    Update {
        /// The product, by id or name (one this account owns).
        #[arg(long, value_name = "ID|NAME", add = clap_complete::engine::ArgValueCandidates::new(super::complete::products))]
        product: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        yes: Yes,
    },
    /// Add a product of this account to a local portfolio, or an imported one to a local portfolio of this account.
    Add {
        #[arg(long, value_name = "ID|NAME", add = clap_complete::engine::ArgValueCandidates::new(super::complete::products))]
        product: String,
        #[arg(long, value_name = "ID|NAME")]
        portfolio: String,
        #[command(flatten)]
        yes: Yes,
    },
    /// Take a product out of a local portfolio.
    Remove {
        #[arg(long, value_name = "ID|NAME", add = clap_complete::engine::ArgValueCandidates::new(super::complete::products))]
        product: String,
        #[arg(long, value_name = "ID|NAME")]
        portfolio: String,
        #[command(flatten)]
        yes: Yes,
    },
}

/// `spoke version add`: a new version from a template file.
#[derive(Debug, Clone, Args)]
pub struct VersionAdd {
    /// The product, by id or name (one this account owns).
    #[arg(long, value_name = "ID|NAME", add = clap_complete::engine::ArgValueCandidates::new(super::complete::products))]
    pub product: String,
    /// The new version's name.
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub description: Option<String>,
    #[command(flatten)]
    pub source: TemplateSource,
    #[command(flatten)]
    pub yes: Yes,
}

/// `spoke sync DIR`: the hub's catalog kept in step with a folder.
#[derive(Debug, Clone, Args)]
pub struct SyncArgs {
    /// The folder of `portfolio-*/mapping.yaml`.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The bucket templates go to (default: `template_bucket` in config.toml, per profile).
    #[arg(long, value_name = "BUCKET")]
    pub bucket: Option<String>,
    /// Delete what is in the hub and not in the folder (products taken out
    /// and deleted, portfolios emptied and deleted); without it they are
    /// only reported.
    #[arg(long)]
    pub prune: bool,
    #[command(flatten)]
    pub yes: Yes,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}

/// `spoke export DIR`: the hub's catalog written as a sync folder.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// Where the `portfolio-*` folders are written (created if missing).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}
