//! Where spoke keeps its files, in the platform's directories for
//! `dev.spoke.spoke` (on Linux: `~/.config/spoke`, `~/.cache/spoke`,
//! `~/.local/share/spoke`, `~/.local/state/spoke`). `None` when there is no
//! home directory to put them in.

use std::path::PathBuf;

use directories::ProjectDirs;

fn project() -> Option<ProjectDirs> {
    ProjectDirs::from("dev", "spoke", "spoke")
}

/// The config directory: `config.toml`, `keymap.toml`, `theme.toml`.
pub fn config_dir() -> Option<PathBuf> {
    project().map(|d| d.config_dir().to_path_buf())
}

/// A file of the config directory.
pub fn user_file(name: &str) -> Option<PathBuf> {
    config_dir().map(|d| d.join(name))
}

/// The cache directory: what was read, to show at once next time.
pub fn cache_dir() -> Option<PathBuf> {
    project().map(|d| d.cache_dir().to_path_buf())
}

/// The data directory: the journal of changes.
pub fn data_dir() -> Option<PathBuf> {
    project().map(|d| d.data_local_dir().to_path_buf())
}

/// The state directory (the data directory where there is none): the log.
pub fn state_dir() -> Option<PathBuf> {
    project().map(|d| {
        d.state_dir()
            .unwrap_or_else(|| d.data_local_dir())
            .to_path_buf()
    })
}
