//! The real binary, run as a user would but with nothing of ours: an empty
//! environment, its own home under `home`, the sandbox's AWS config.

use std::path::Path;
use std::process::Command;

/// `spoke` ready to take its arguments.
pub fn spoke(home: &Path, config: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_spoke"));
    command
        .env_clear()
        .env("HOME", home)
        .env("TERM", "xterm-256color")
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("AWS_CONFIG_FILE", config)
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true");
    command
}
