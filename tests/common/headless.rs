//! The headless commands run as a user would: the real `spoke` binary in a
//! clean environment whose AWS config points at a sandbox started here.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use spoke::journal;
use spoke::sandbox::{Sandbox, SandboxOptions};

/// Every call that changes something.
pub const MUTATING: &[&str] = &[
    "CreatePortfolioShare",
    "AcceptPortfolioShare",
    "ProvisionProduct",
    "UpdateProvisionedProduct",
    "AssociateProductWithPortfolio",
    "CreateConstraint",
    "CreateProvisionedProductPlan",
    "DeleteProvisionedProductPlan",
    "ExecuteProvisionedProductPlan",
];

pub struct Env {
    pub sandbox: Sandbox,
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    pub journal: PathBuf,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn expect(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code of a run that printed:\n{self}");
        self
    }

    #[track_caller]
    pub fn says(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "{text:?} not in stdout:\n{self}"
        );
        self
    }

    #[track_caller]
    pub fn complains(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "{text:?} not in stderr:\n{self}"
        );
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Env {
    pub async fn start(speed: f64) -> Env {
        Self::start_with(SandboxOptions {
            speed,
            ..SandboxOptions::default()
        })
        .await
    }

    pub async fn start_with(options: SandboxOptions) -> Env {
        let sandbox = Sandbox::start(options).await.expect("the sandbox starts");
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("aws-config");
        sandbox.write_aws_config(&config).unwrap();
        let journal = dir.path().join("journal").join("journal.jsonl");
        Env {
            sandbox,
            dir,
            config,
            journal,
        }
    }

    /// Runs `spoke --journal JOURNAL ARGS…` in a clean environment: its
    /// own home, the sandbox's AWS config and nothing else of ours.
    pub async fn spoke(&self, args: &[&str]) -> Run {
        self.spoke_with_journal(&self.journal, args).await
    }

    pub async fn spoke_with_journal(&self, journal: &Path, args: &[&str]) -> Run {
        let out = self
            .command(journal, args)
            .output()
            .await
            .expect("spoke runs");
        Run {
            code: out.status.code().expect("spoke exits, not killed"),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Starts `spoke --journal JOURNAL ARGS…` without waiting for it (its
    /// output discarded), e.g. to kill it half-way.
    pub fn spawn(&self, args: &[&str]) -> tokio::process::Child {
        self.command(&self.journal, args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("spoke starts")
    }

    /// `spoke` in a clean environment: its own home, the sandbox's AWS
    /// config and nothing else of ours.
    fn command(&self, journal: &Path, args: &[&str]) -> tokio::process::Command {
        let home = self.dir.path().join("home");
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_spoke"));
        command
            .env_clear()
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("AWS_CONFIG_FILE", &self.config)
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.dir.path().join("no-credentials"),
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .arg("--journal")
            .arg(journal)
            .args(args);
        command
    }
    /// The mutating calls the sandbox answered, from call number `from` on.
    pub fn mutations_since(&self, from: usize) -> Vec<String> {
        self.sandbox
            .calls()
            .into_iter()
            .skip(from)
            .filter(|c| MUTATING.contains(&c.operation.as_str()))
            .map(|c| format!("{} {} {}", c.account, c.operation, c.outcome))
            .collect()
    }

    pub fn call_count(&self) -> usize {
        self.sandbox.calls().len()
    }

    pub fn journal(&self) -> journal::Contents {
        journal::read(&self.journal).unwrap()
    }

    /// Update records the sandbox's world holds for each provisioned product.
    pub fn update_records(&self) -> BTreeMap<String, usize> {
        self.sandbox.with_world(|w| {
            let mut n = BTreeMap::new();
            for r in w.records.values() {
                if r.record_type == "UPDATE_PROVISIONED_PRODUCT" {
                    *n.entry(r.pp_id.clone()).or_default() += 1;
                }
            }
            n
        })
    }

    /// The version each provisioned product is on, by id.
    pub fn versions(&self) -> BTreeMap<String, String> {
        self.sandbox.with_world(|w| {
            w.provisioned
                .values()
                .map(|p| (p.id.clone(), p.artifact_id.clone()))
                .collect()
        })
    }
}
