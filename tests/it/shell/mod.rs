//! spoke in the user's shell: completions (generated, checked by the
//! shells that are installed, and answered end to end from local files),
//! the man page (rendered by `man -l`), and how much and in what colour
//! the headless commands print (-q, -v, --color, NO_COLOR).

mod completions;
mod man;
mod output;

use std::path::Path;
use std::process::{Command, Output};

/// The real binary, in an empty environment but for `vars`.
pub fn spoke(dir: &Path, vars: &[(&str, &Path)], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spoke"))
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir.join("home"))
        .env("XDG_CACHE_HOME", dir.join("home/.cache"))
        .env("XDG_STATE_HOME", dir.join("home/.local/state"))
        .env("XDG_DATA_HOME", dir.join("home/.local/share"))
        .env("XDG_CONFIG_HOME", dir.join("home/.config"))
        .envs(vars.iter().map(|(k, v)| (*k, v.as_os_str())))
        .args(args)
        .output()
        .expect("spoke runs")
}

/// Whether `program` is installed (on the PATH).
pub fn installed(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}
