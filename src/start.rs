//! What `main` runs: the console (over real AWS or an in-process sandbox)
//! or a headless command.

use std::path::{Path, PathBuf};

use crate::cli::{Cli, Command, SandboxCommand};
use crate::ops::Sessions;
use crate::ops::session::ProfileSource;
use crate::sandbox::{self, Sandbox, SandboxOptions};
use crate::settings::{Config, ConfigError};
use crate::tui::{self, RunOptions, TuiError};

/// Why spoke stopped; `Display` is one line for stderr.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("sandbox: {0}")]
    Sandbox(String),
    #[error("cannot write the sandbox's AWS config to {path}: {source}")]
    SandboxConfig {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Console(#[from] TuiError),
    #[error("snapshot {path}: {message}")]
    Snapshot { path: String, message: String },
    /// A headless command did not do what it was asked.
    #[error(transparent)]
    Command(#[from] crate::commands::CommandError),
}

impl StartError {
    /// The process's exit code: a headless command's own, else 1.
    pub fn exit_code(&self) -> i32 {
        match self {
            StartError::Command(e) => e.code,
            _ => 1,
        }
    }
}

pub async fn run(cli: Cli) -> Result<(), StartError> {
    let colour = crate::output::color::decide_here(cli.color);
    crate::output::color::set_enabled(colour);
    // The console's screen is its own: only a headless command says more
    // or less (`-q`, `-v`).
    if cli.command.is_some() {
        crate::output::set_verbosity(crate::output::Verbosity::from_flags(cli.quiet, cli.verbose));
    }
    match &cli.command {
        Some(Command::Sandbox {
            command: SandboxCommand::Serve(args),
        }) => sandbox::serve(args.sandbox_options(), args.write_aws_config.clone())
            .await
            .map_err(|e| StartError::Sandbox(e.to_string())),
        Some(_) => Ok(crate::commands::run(&cli).await?),
        None => console(&cli).await,
    }
}

async fn console(cli: &Cli) -> Result<(), StartError> {
    let config = Config::load(cli.config.as_deref())?;
    // Checked when the file was read: a bad policy never gets this far.
    let bulk_policy = config.policy().ok().flatten().unwrap_or_default();
    let lint = config.lint.to_config(Some(bulk_policy.clone()));
    // The flags win: --read-only, then --write; else the config, for each
    // account written to (see model::read_only).
    let read_only = config.read_only_rules(
        &crate::settings::source_name(cli.config.as_deref()),
        cli.read_only,
        cli.write,
    );
    if let Some(path) = &cli.snapshot {
        return snapshot_console(cli, path, bulk_policy, lint).await;
    }
    if !cli.sandbox {
        let profile = cli
            .profile
            .clone()
            .or(config.profile.clone())
            .unwrap_or_else(|| "default".to_string());
        let profile = fleet_primary(cli, profile);
        let fleet = fleet_selection(cli, &profile);
        let journal = cli
            .journal
            .clone()
            .or_else(|| crate::journal::Journal::user_path().ok());
        return Ok(tui::run(RunOptions {
            sessions: Sessions::new(
                ProfileSource::user(),
                config.region.clone(),
                read_only.clone(),
                journal,
            ),
            profile,
            region: cli.region.clone(),
            cache: inventory_cache(None),
            fleet,
            bulk_policy: bulk_policy.clone(),
            lint: lint.clone(),
            template_buckets: config.template_buckets(),
            snapshot: None,
            clock_note: None,
            colours: crate::output::color::enabled(),
        })
        .await?);
    }

    let sandbox = Sandbox::start(SandboxOptions {
        speed: cli.sandbox_speed,
        ..SandboxOptions::default()
    })
    .await
    .map_err(|e| StartError::Sandbox(e.to_string()))?;
    let result = async {
        let file = PrivateConfigFile::create()?;
        sandbox
            .write_aws_config(file.path())
            .map_err(|source| StartError::SandboxConfig {
                path: file.path().display().to_string(),
                source,
            })?;
        let names: Vec<String> = sandbox.profiles().into_iter().map(|p| p.name).collect();
        let profile = sandbox_profile(cli, &names);
        tracing::info!(
            endpoint = sandbox.endpoint(),
            profile,
            "console on the sandbox"
        );
        let profile = fleet_primary(cli, profile);
        let fleet = fleet_selection(cli, &profile);
        // Changes made in the sandbox stay out of the real audit trail
        // (unless --journal says where they go).
        let journal = cli.journal.clone().or_else(|| {
            crate::journal::Journal::user_path()
                .ok()
                .map(|p| p.with_file_name("sandbox-journal.jsonl"))
        });
        // The shares the world says spoke made, so the rules that read the
        // journal have their planted cases (each line once, marked seeded).
        if let Some(path) = &journal
            && let Err(e) = sandbox.seed_journal(path)
        {
            tracing::warn!(error = %e, "the sandbox world's journal lines were not written");
        }
        let options = RunOptions {
            sessions: Sessions::new(
                ProfileSource::generated(file.path().to_path_buf(), sandbox.endpoint())
                    .described_as("the sandbox"),
                config.region.clone(),
                read_only.clone(),
                journal,
            ),
            profile,
            region: cli.region.clone(),
            // The sandbox's accounts have their own corner, apart from real profiles of the same name.
            cache: inventory_cache(Some("sandbox")),
            fleet,
            bulk_policy,
            lint,
            template_buckets: config.template_buckets(),
            snapshot: None,
            clock_note: sandbox::clock_note(cli.sandbox_speed),
            colours: crate::output::color::enabled(),
        };
        let result = tui::run(options).await;
        drop(file);
        Ok(result?)
    }
    .await;
    sandbox.shutdown().await;
    result
}

/// `spoke --snapshot FILE.json`: the console on a saved snapshot, offline
/// and read-only, opened on `--profile` (an account's label) or the first
/// account read; several accounts show as a fleet.
async fn snapshot_console(
    cli: &Cli,
    path: &std::path::Path,
    bulk_policy: crate::model::OptIn,
    lint: crate::ops::lint::LintConfig,
) -> Result<(), StartError> {
    let bytes = std::fs::read(path).map_err(|e| StartError::Snapshot {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let snapshot =
        crate::model::Snapshot::parse(&bytes).map_err(|message| StartError::Snapshot {
            path: path.display().to_string(),
            message,
        })?;
    let labels: Vec<String> = snapshot.accounts.iter().map(|a| a.label.clone()).collect();
    let profile = cli
        .profile
        .clone()
        .filter(|p| labels.contains(p))
        .or_else(|| {
            snapshot
                .accounts
                .iter()
                .find(|a| a.inventory.is_some())
                .map(|a| a.label.clone())
        })
        .ok_or_else(|| StartError::Snapshot {
            path: path.display().to_string(),
            message: "no account of the snapshot was read: there is nothing to show".into(),
        })?;
    let fleet = (labels.len() > 1).then(|| crate::ops::fleet::Selection::Profiles {
        names: labels.clone(),
    });
    Ok(tui::run(RunOptions {
        sessions: Sessions::new(
            ProfileSource::user(),
            None,
            crate::model::ReadOnlyRules::forced_read_only("a saved snapshot"),
            None,
        ),
        profile,
        region: None,
        cache: None,
        fleet,
        bulk_policy,
        lint,
        template_buckets: Default::default(),
        snapshot: Some(std::sync::Arc::new(snapshot)),
        clock_note: None,
        colours: crate::output::color::enabled(),
    })
    .await?)
}

/// The fleet the command line asks for: `--org-role` from the profile
/// opened, or `--profiles`.
fn fleet_selection(cli: &Cli, profile: &str) -> Option<crate::ops::fleet::Selection> {
    use crate::ops::fleet::Selection;
    if let Some(role) = &cli.org_role {
        return Some(Selection::Organization {
            profile: profile.to_string(),
            role: role.clone(),
        });
    }
    (!cli.profiles.is_empty()).then(|| Selection::Profiles {
        names: cli.profiles.clone(),
    })
}

/// With `--profiles`, the console opens on one of them: `--profile` if
/// it is among them, else the first.
fn fleet_primary(cli: &Cli, profile: String) -> String {
    match cli.profiles.first() {
        Some(first) if !cli.profiles.contains(&profile) => first.clone(),
        _ => profile,
    }
}

/// `--profile` if given on the command line (an unknown one is reported in
/// the console); `AWS_PROFILE` only if the sandbox has it; else the first
/// sandbox profile (the hub).
fn sandbox_profile(cli: &Cli, sandbox_profiles: &[String]) -> String {
    if let Some(p) = &cli.profile
        && (!cli.profile_from_env || sandbox_profiles.contains(p))
    {
        return p.clone();
    }
    sandbox_profiles
        .first()
        .cloned()
        .unwrap_or_else(|| "hub".to_string())
}

/// A file in a fresh private (0700) temporary directory, removed on drop.
struct PrivateConfigFile {
    dir: PathBuf,
    file: PathBuf,
}

impl PrivateConfigFile {
    fn create() -> Result<Self, StartError> {
        let dir = std::env::temp_dir().join(format!("spoke-sandbox-{}", uuid::Uuid::new_v4()));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&dir)
            .map_err(|source| StartError::SandboxConfig {
                path: dir.display().to_string(),
                source,
            })?;
        let file = dir.join("config");
        Ok(Self { dir, file })
    }

    fn path(&self) -> &Path {
        &self.file
    }
}

impl Drop for PrivateConfigFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The inventory cache under the user's cache directory (in `sub` if given);
/// without a usable directory the console runs with no cache.
fn inventory_cache(sub: Option<&str>) -> Option<crate::ops::Cache> {
    match crate::ops::Cache::user() {
        Ok(cache) => Some(match sub {
            Some(sub) => crate::ops::Cache::at(cache.dir().join(sub)),
            None => cache,
        }),
        Err(e) => {
            tracing::warn!(%e, "no inventory cache");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str], from_env: bool) -> Cli {
        let mut cli =
            Cli::try_parse_args(std::iter::once("spoke").chain(args.iter().copied())).unwrap();
        cli.profile_from_env = from_env;
        cli
    }

    #[test]
    fn the_sandbox_opens_on_the_hub_unless_told_otherwise() {
        let names = vec!["hub".to_string(), "spoke-dev".to_string()];
        assert_eq!(sandbox_profile(&cli(&["--sandbox"], false), &names), "hub");
        assert_eq!(
            sandbox_profile(
                &cli(&["--sandbox", "--profile", "spoke-dev"], false),
                &names
            ),
            "spoke-dev"
        );
        // An explicit unknown profile is kept, to be reported in the console.
        assert_eq!(
            sandbox_profile(&cli(&["--profile", "nope"], false), &names),
            "nope"
        );
        // AWS_PROFILE of the real environment does not leak into the sandbox.
        assert_eq!(
            sandbox_profile(&cli(&["--profile", "work"], true), &names),
            "hub"
        );
        assert_eq!(
            sandbox_profile(&cli(&["--profile", "spoke-dev"], true), &names),
            "spoke-dev"
        );
    }

    #[test]
    fn the_private_config_file_goes_away() {
        let file = PrivateConfigFile::create().unwrap();
        std::fs::write(file.path(), "[profile hub]\n").unwrap();
        let dir = file.dir.clone();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        drop(file);
        assert!(!dir.exists());
    }
}
