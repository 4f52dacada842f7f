//! Tracing to a file — never to the terminal, which belongs to the console.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Environment variable with a tracing filter (e.g. `spoke=debug,aws_config=info`).
pub const FILTER_ENV: &str = "SPOKE_LOG";

#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    #[error("no place for the log file (no home directory) — pass --log-file FILE")]
    NoDirectory,
    #[error("cannot open the log file {path}: {source} — pass --log-file FILE to log elsewhere")]
    Open {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot install the log subscriber: {0}")]
    Install(String),
}

/// Keeps the log writer alive; flushes on drop.
pub struct LogGuard {
    _guard: WorkerGuard,
    pub path: PathBuf,
}

/// `spoke.log` in the user's state directory (data directory where there is none).
pub fn default_log_path() -> Option<PathBuf> {
    Some(crate::settings::dirs::state_dir()?.join("spoke.log"))
}

/// Sends tracing to `file` (or the default path), appending, filtered by
/// `SPOKE_LOG` if set, else by `filter` (from `-q`/`-v`:
/// [`crate::output::Verbosity::log_filter`]).
pub fn init(file: Option<&Path>, filter: &str) -> Result<LogGuard, LoggingError> {
    let path = match file {
        Some(p) => p.to_path_buf(),
        None => default_log_path().ok_or(LoggingError::NoDirectory)?,
    };
    // Readable by the user only, like everything spoke writes (the log
    // names accounts, ARNs and errors, never a credential).
    let file = crate::files::open_append_private(&path).map_err(|source| LoggingError::Open {
        path: path.display().to_string(),
        source,
    })?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env(FILTER_ENV).unwrap_or_else(|_| EnvFilter::new(filter));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .map_err(|e| LoggingError::Install(e.to_string()))?;
    Ok(LogGuard {
        _guard: guard,
        path,
    })
}
