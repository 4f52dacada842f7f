//! The flags of the commands that only read: drift, audit, log.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Where to write: .json (the full snapshot, for `spoke --snapshot`), FOLDER/ (CSV tables, one per screen), .zip (those CSV tables in one file), .md (a report) or .html.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
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

    /// CloudFormation resource drift of each provisioned product's stack (not version drift): without --yes, what the last detection saw.
    #[arg(long)]
    pub resources: bool,

    /// With --resources: only this provisioned product, by name or id.
    #[arg(long, value_name = "NAME|ID", requires = "resources")]
    pub provisioned: Option<String>,

    /// Do the writes asked for: with --resources, detect drift now (DetectStackDrift, journaled; refused in a read-only account, whose last results are shown instead); with --report s3://…, put the report (PutObject, journaled).
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Also write the drift as JSON lines (a line per provisioned product, the bulk report's field names, one per account not read): to FILE, or with --yes to s3://BUCKET/PREFIX/dt=YYYY-MM-DD/drift-SCAN.jsonl where Athena reads it.
    #[arg(
        long,
        value_name = "FILE|s3://BUCKET/PREFIX/",
        conflicts_with = "resources"
    )]
    pub report: Option<crate::ops::bulk::report::ReportTarget>,

    /// With --resources: list each drifted resource and its property differences, expected vs actual.
    #[arg(long, requires = "resources")]
    pub detail: bool,
}

/// How `spoke matrix` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MatrixFormat {
    #[default]
    Table,
    Json,
    Csv,
    Md,
}

/// What `spoke matrix` puts across.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MatrixBy {
    /// One column per account.
    #[default]
    Account,
    /// One column per OU (its path, e.g. Root/Workloads), its accounts' counts summed: needs --org-role from the management account (or a delegated administrator).
    Ou,
}

#[derive(Debug, Clone, Args)]
pub struct MatrixArgs {
    /// Output format: table (products down, accounts across), json, csv (one line per product, account and version) or md (a Markdown table).
    #[arg(long, value_enum, default_value = "table")]
    pub format: MatrixFormat,

    /// Only the products whose name contains this (case-insensitive).
    #[arg(long, value_name = "TEXT", add = clap_complete::engine::ArgValueCandidates::new(super::complete::products))]
    pub product: Option<String>,

    /// Columns: account (one per account) or ou (one per OU, its accounts summed; reads the organization's tree).
    #[arg(long, value_enum, default_value = "account")]
    pub by: MatrixBy,
}

/// How `spoke lint` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LintFormat {
    #[default]
    Table,
    Json,
    Sarif,
}

/// The least severity that makes `spoke lint` exit 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Warning,
    Error,
}

#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    /// Output format: a table, JSON (with schema_version) or SARIF 2.1.0.
    #[arg(long, value_enum, default_value = "table")]
    pub format: LintFormat,

    /// Exit 5 when a finding is at least this severe (without it, findings exit 0).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
}

#[derive(Debug, Clone, Args)]
pub struct LogArgs {
    /// Print the journal's lines as they are (JSON), not readably.
    #[arg(long)]
    pub json: bool,

    /// Only the last N actions (with --json: the last N lines).
    #[arg(long, value_name = "N")]
    pub tail: Option<usize>,
    #[command(flatten)]
    pub output: crate::cli::FormatArg,
}
