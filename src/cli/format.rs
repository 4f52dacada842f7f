//! `--format text|json` of the commands whose output had no format of its
//! own (see [`crate::output::json`] for what JSON mode prints).

use clap::{Args, ValueEnum};

/// How a headless command prints its plan, its progress and its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Lines for a person, on stdout.
    #[default]
    #[value(alias = "table")]
    Text,
    /// JSON Lines on stdout (`schema_version` 1): events as they happen, then one result (or error); the lines for a person go to stderr.
    Json,
}

/// The `--format` flag; global below the command that flattens it, so
/// `spoke portfolio create --format json` and `spoke portfolio --format json create` agree.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct FormatArg {
    /// Output: text (lines for a person) or json (JSON Lines, schema_version 1, for a program).
    #[arg(
        long = "format",
        value_enum,
        default_value = "text",
        global = true,
        value_name = "FORMAT"
    )]
    pub format: Format,
}

impl FormatArg {
    pub fn json(self) -> bool {
        self.format == Format::Json
    }
}
