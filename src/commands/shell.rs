//! `spoke completions SHELL` and `spoke man`: for the shell around spoke;
//! no AWS, no config.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap_complete::env::Shells;

use super::CommandError;
use crate::cli::{COMPLETE_VAR, CompletionsArgs, ManArgs, Shell};

/// Prints the script that has `shell` complete spoke by calling it back.
pub fn completions(args: &CompletionsArgs) -> Result<(), CommandError> {
    let script = completion_script(args.shell, &completer())?;
    std::io::stdout()
        .write_all(&script)
        .map_err(|e| CommandError::failed(format!("cannot write the script: {e}")))
}

/// The registration script of `shell`, calling `completer` back.
pub fn completion_script(shell: Shell, completer: &str) -> Result<Vec<u8>, CommandError> {
    let shells = Shells::builtins();
    let Some(env) = shells.completer(shell.name()) else {
        return Err(CommandError::refused(format!(
            "no completions for {}",
            shell.name()
        )));
    };
    let mut buf = Vec::new();
    env.write_registration(COMPLETE_VAR, "spoke", "spoke", completer, &mut buf)
        .map_err(|e| CommandError::failed(format!("cannot write the script: {e}")))?;
    Ok(buf)
}

/// How the script calls spoke: as it was called here, made absolute when
/// it was a path (`./target/debug/spoke`), else by name on the PATH.
fn completer() -> String {
    let arg0 = std::env::args_os()
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("spoke"));
    if arg0.components().count() > 1 {
        match std::env::current_dir() {
            Ok(dir) => dir.join(arg0).display().to_string(),
            Err(_) => arg0.display().to_string(),
        }
    } else {
        arg0.display().to_string()
    }
}

/// Prints spoke's man page, or writes one per command into `--out`.
pub fn man(args: &ManArgs) -> Result<(), CommandError> {
    let fail = |e: std::io::Error| CommandError::failed(format!("cannot write the man page: {e}"));
    match &args.out {
        None => std::io::stdout().write_all(&man_page()).map_err(fail),
        Some(dir) => {
            let written = man_pages(dir).map_err(fail)?;
            for path in written {
                crate::progress!("Wrote {}", path.display());
            }
            Ok(())
        }
    }
}

/// The roff of `spoke.1`.
pub fn man_page() -> Vec<u8> {
    let mut buf = Vec::new();
    // Writing into memory cannot fail.
    let _ = clap_mangen::Man::new(crate::cli::command()).render(&mut buf);
    buf
}

/// Writes spoke.1 and a page per command (spoke-drift.1, spoke-sandbox-serve.1, …)
/// into `dir`; returns them, sorted.
pub fn man_pages(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(crate::cli::command(), dir)?;
    let mut written: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "1"))
        .collect();
    written.sort();
    Ok(written)
}
