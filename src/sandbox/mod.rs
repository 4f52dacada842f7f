//! The embedded AWS sandbox: a loopback HTTP endpoint that speaks Service
//! Catalog (awsJson1_1), CloudFormation and STS (awsQuery) and S3 (REST/XML,
//! path-style) for many accounts.
//!
//! It imports nothing from the rest of spoke, so it cannot inherit spoke's
//! misunderstandings of AWS.

use std::path::PathBuf;

pub mod error;
pub mod faults;
pub mod generate;
pub mod scenario;
pub mod world;

/// Where the sandbox's world comes from.
#[derive(Debug, Clone)]
pub enum WorldSource {
    /// The default hub-and-spoke world embedded from `assets/sandbox/default.toml`.
    Default,
    /// A world file (TOML).
    File(PathBuf),
    /// A generated world at a given scale, for benchmarks.
    Generated {
        accounts: usize,
        products: usize,
        provisioned_per_account: usize,
    },
}

/// Faults injected on demand.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pub latency_ms: u64,
    pub throttle_rate: f64,
    pub error_rate: f64,
    /// Fraction of successful answers garbled on the way out (see
    /// [`faults::Garble`]): cut short, values of the wrong type, enum
    /// values no SDK knows yet.
    pub garbage_rate: f64,
    /// The kinds of garbling to pick from (all when empty).
    pub garble_kinds: Vec<faults::Garble>,
    /// Fraction of calls answered late by `spike_ms` more: latency spikes.
    pub spike_rate: f64,
    pub spike_ms: u64,
    /// Fraction of successful answers whose connection is dropped half-way
    /// through the body.
    pub reset_rate: f64,
    /// The operations the rates above apply to (every one when empty).
    pub operations: Vec<String>,
    /// Account names (or ids) whose credentials are expired.
    pub expired_accounts: Vec<String>,
    /// Account names (or ids) whose own keys expire after so many calls:
    /// credentials that run out in the middle of a scan.
    pub expire_after: Vec<(String, u64)>,
    /// Account names (or ids) no one may AssumeRole into (`AccessDenied`).
    pub deny_assume: Vec<String>,
    /// Account names (or ids) whose own caller holds only
    /// AWSServiceCatalogEndUserReadOnlyAccess: admin calls and account-level
    /// access are denied, as for an auditor with AWS's end-user read-only policy.
    pub end_user_read_only: Vec<String>,
    /// Operations answered as an endpoint that does not implement them
    /// (an emulator, a proxy, an outage page): HTTP `unimplemented_status`
    /// with an HTML page for a body, for every account.
    pub unimplemented: Vec<String>,
    /// The status of those answers: 500 when 0 (501 is the other usual one).
    pub unimplemented_status: u16,
    /// Provisioned products (names or ids) whose stacks someone changes
    /// outside CloudFormation while the sandbox runs: a property of the
    /// first resource of each that has one to change (an S3 bucket's
    /// versioning suspended, a queue's visibility timeout, an ECS
    /// service's desired count…) drifts. An update that redeploys the
    /// resource brings it back in sync, until the next call drifts it again.
    pub drift: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// 0 picks a free port.
    pub port: u16,
    pub world: WorldSource,
    pub faults: Faults,
    pub call_log: Option<PathBuf>,
    /// Sandbox seconds per real second (stacks move faster when > 1).
    pub speed: f64,
    /// When the sandbox's clock starts (the world's history is dated back
    /// from it); `None`: now. A fixed start gives the same world, times
    /// included, every run (view snapshots).
    pub epoch: Option<chrono::DateTime<chrono::Utc>>,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            port: 0,
            world: WorldSource::Default,
            faults: Faults::default(),
            call_log: None,
            speed: 1.0,
            epoch: None,
        }
    }
}

/// What to say of a sandbox clock that runs `speed` times real time (none
/// at 1): its stack events and records are dated ahead of the wall clock.
pub fn clock_note(speed: f64) -> Option<String> {
    ((speed - 1.0).abs() > f64::EPSILON).then(|| {
        let shown = if speed.fract() == 0.0 {
            format!("{speed:.0}")
        } else {
            format!("{speed}")
        };
        format!("sandbox clock ×{shown}")
    })
}

#[cfg(test)]
mod clock_note_tests {
    #[test]
    fn a_clock_apart_from_real_time_is_said() {
        assert_eq!(super::clock_note(1.0), None);
        assert_eq!(
            super::clock_note(10.0).as_deref(),
            Some("sandbox clock ×10")
        );
        assert_eq!(
            super::clock_note(2.5).as_deref(),
            Some("sandbox clock ×2.5")
        );
    }
}

/// One account of the world as an AWS profile.
#[derive(Debug, Clone)]
pub struct SandboxProfile {
    pub name: String,
    pub account_id: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

mod calllog;
mod clock;
mod cloudformation;
mod iam;
mod organizations;
mod protocol;
mod s3;
pub mod seed;
mod server;
mod servicecatalog;
mod sigv4;
mod sts;

pub use calllog::CallRecord;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};

use server::Shared;
use world::World;

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("{0}")]
    World(#[from] scenario::WorldError),
    #[error("cannot read the world file {path}: {source}")]
    ReadWorld {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("cannot open the call log {path}: {source}")]
    CallLog {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write the AWS config file {path}: {source}")]
    WriteConfig {
        path: String,
        source: std::io::Error,
    },
    #[error("the sandbox server stopped: {0}")]
    Serve(std::io::Error),
}

/// The default world, embedded so `spoke --sandbox` works from any directory.
pub const DEFAULT_WORLD: &str = include_str!("../../assets/sandbox/default.toml");

fn load_world(source: &WorldSource, now: world::Time) -> Result<World, SandboxError> {
    match source {
        WorldSource::Default => Ok(scenario::load(
            "assets/sandbox/default.toml",
            DEFAULT_WORLD,
            now,
        )?),
        WorldSource::File(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| SandboxError::ReadWorld {
                path: path.display().to_string(),
                source,
            })?;
            Ok(scenario::load(&path.display().to_string(), &text, now)?)
        }
        WorldSource::Generated {
            accounts,
            products,
            provisioned_per_account,
        } => {
            let text = generate::generate(*accounts, *products, *provisioned_per_account);
            Ok(scenario::load("generated world", &text, now)?)
        }
    }
}

/// A running sandbox on a loopback port.
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl Sandbox {
    /// Loads the world and starts serving on 127.0.0.1 (port 0 picks a free one).
    pub async fn start(opts: SandboxOptions) -> Result<Self, SandboxError> {
        let clock = clock::Clock::new(opts.speed, opts.epoch);
        let world = load_world(&opts.world, clock.now())?;
        let calls = calllog::CallLog::new(opts.call_log.as_deref()).map_err(|source| {
            SandboxError::CallLog {
                path: opts
                    .call_log
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                source,
            }
        })?;
        let shared = Arc::new(Shared {
            world: Mutex::new(world),
            clock,
            faults: faults::FaultPlan::new(opts.faults.clone(), 0x5eed_5eed),
            calls,
        });
        let addr = SocketAddr::from(([127, 0, 0, 1], opts.port));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| SandboxError::Bind {
                addr: addr.to_string(),
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            addr: addr.to_string(),
            source,
        })?;
        let app = axum::Router::new()
            .fallback(server::handle)
            .with_state(shared.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(Self {
            addr,
            shared,
            shutdown: Some(tx),
            task,
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// One profile per account of the world, in the world file's order of names.
    pub fn profiles(&self) -> Vec<SandboxProfile> {
        let w = self.shared.world.lock().unwrap_or_else(|p| p.into_inner());
        let mut list: Vec<SandboxProfile> = w
            .accounts
            .values()
            .map(|a| SandboxProfile {
                name: a.name.clone(),
                account_id: a.id.clone(),
                region: a.region.clone(),
                access_key_id: a.access_key_id.clone(),
                secret_access_key: a.secret_access_key.clone(),
            })
            .collect();
        // The management account first: it is where an operator starts.
        let mgmt = w
            .organization
            .as_ref()
            .map(|o| o.management_account_id.clone());
        list.sort_by_key(|p| (Some(&p.account_id) != mgmt.as_ref(), p.name.clone()));
        list
    }

    /// The AWS config file text: a profile per account, endpoint and keys inline.
    pub fn aws_config_text(&self) -> String {
        let mut out = String::from(
            "# Written by spoke: profiles of the spoke sandbox. Keys are the sandbox's own, not AWS's.\n",
        );
        for p in self.profiles() {
            out.push_str(&format!(
                "\n[profile {}]\nregion = {}\nendpoint_url = {}\naws_account_id = {}\naws_access_key_id = {}\naws_secret_access_key = {}\n",
                p.name,
                p.region,
                self.endpoint(),
                p.account_id,
                p.access_key_id,
                p.secret_access_key
            ));
        }
        out
    }

    /// Writes the AWS config file, readable by the user only.
    pub fn write_aws_config(&self, path: &Path) -> std::io::Result<()> {
        write_private(path, self.aws_config_text().as_bytes())
    }

    /// Changes the faults from the next request on: an outage that starts
    /// and ends while a client runs.
    pub fn set_faults(&self, faults: Faults) {
        self.shared.faults.set(faults);
    }

    /// The faults in force.
    pub fn faults(&self) -> Faults {
        self.shared.faults.current()
    }

    /// The calls answered so far.
    pub fn calls(&self) -> Vec<CallRecord> {
        self.shared.calls.snapshot()
    }

    /// Runs `f` on the world at the sandbox's present (for tests and scenarios).
    pub fn with_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        let (mut w, _) = self.shared.world_now();
        f(&mut w)
    }

    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Writes a file that only its owner can read (0600 on Unix).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    f.write_all(bytes)?;
    f.flush()
}

/// `spoke sandbox serve`: runs until Ctrl-C, printing where it listens.
pub async fn serve(
    opts: SandboxOptions,
    write_aws_config: Option<std::path::PathBuf>,
) -> Result<(), SandboxError> {
    let (speed, epoch) = (opts.speed, opts.epoch);
    let sandbox = Sandbox::start(opts).await?;
    println!("spoke sandbox listening on {}", sandbox.endpoint());
    if let Some(note) = clock_note(speed) {
        println!(
            "{note}: its stack events and records are dated ahead of the wall clock (the journal keeps the wall clock)"
        );
    }
    if let Some(epoch) = epoch {
        println!(
            "its clock started at {}, not now",
            epoch.format("%Y-%m-%d %H:%M:%S UTC")
        );
    }
    for p in sandbox.profiles() {
        println!(
            "  profile {:<14} account {}  region {}",
            p.name, p.account_id, p.region
        );
    }
    if let Some(path) = write_aws_config {
        sandbox
            .write_aws_config(&path)
            .map_err(|source| SandboxError::WriteConfig {
                path: path.display().to_string(),
                source,
            })?;
        println!(
            "AWS config written to {} — try: AWS_CONFIG_FILE={} aws --profile hub servicecatalog list-portfolios",
            path.display(),
            path.display()
        );
    }
    println!("Ctrl-C stops it.");
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    Ok(())
}
