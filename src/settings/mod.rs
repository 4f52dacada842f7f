//! spoke's settings, below every front end: where its files live
//! ([`dirs`]), its own config (`config.toml`: read-only rules, profile,
//! region, bulk policy), and how a user's settings file (config, keymap,
//! theme) is read and its mistakes reported ([`file`]). The console's
//! keymap and theme parse their files through [`file::load_layered`].

pub mod config;
pub mod dirs;
pub mod file;

pub use config::{Config, ConfigError, default_path, source_name};
pub use file::FileError;
