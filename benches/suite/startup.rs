//! startup: the real binary, from process start to the first frame that
//! shows data, on a pseudo-terminal of 120×40: with a cached inventory of
//! 10,000 provisioned products (the console shows it before any AWS call
//! answers), and with `--snapshot` of a 100,000-row file.
//!
//! The bench reads what spoke writes to the terminal and stops the clock
//! when the name of a portfolio of the inventory appears in it: that is the
//! first frame drawn with the data, as a person would see it.
//!
//! Once it shows the cached inventory, spoke connects and scans the
//! sandbox, which holds nothing in that region, and saves that scan over
//! the cache, as it should. So each start is given the 10,000 rows again,
//! and each is ended only once its scan has replaced them: a start that
//! found what the start before it left (no portfolio of the inventory,
//! "No portfolios for profile … in eu-west-1") fails every time, not only
//! when the start before was ended late.

use std::fs::File;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use spoke::model::{AccountSnapshot, Snapshot};
use spoke::ops::Cache;
use spoke::sandbox::Sandbox;

use crate::render::inventory;
use crate::report::{Row, Table, Target, ms, stats, time};

/// A portfolio of every inventory `render::inventory` makes.
const MARKER: &[u8] = b"Team sandbox";
const SIZE: (u16, u16) = (120, 40);

pub fn run(table: &mut Table, sandbox: &Sandbox, runs: usize) {
    let home = tempfile::tempdir().expect("a temporary home");
    let home = home.path();
    let config = home.join("aws-config");
    sandbox.write_aws_config(&config).expect("the AWS config");
    let text = std::fs::read_to_string(&config).expect("the AWS config");
    let profile = text
        .lines()
        .find_map(|l| l.strip_prefix("[profile ")?.strip_suffix(']'))
        .expect("a profile")
        .to_string();
    let region = "eu-west-1";

    // The last inventory of (profile, region), 10,000 rows, where spoke keeps it.
    let cache = Cache::at(home.join("cache/spoke/inventory"));
    let cached = inventory(10_000, 1);
    let args: Vec<String> = vec![
        "--profile".into(),
        profile.clone(),
        "--region".into(),
        region.into(),
    ];
    let from_cache: Vec<Duration> = (0..runs + 1)
        .map(|_| {
            // Written again for every start: the one before saved its scan
            // of the sandbox (nothing in this region) over it.
            let file = cache
                .save(&profile, region, &cached)
                .expect("the cache is written");
            first_frame(home, &config, &args, Some(&file))
        })
        .skip(1)
        .collect();
    let s = stats(from_cache);
    table.push(Row::under(
        "startup: first frame from a cached inventory (10k rows)",
        format!("{} (of {runs})", time(s.median)),
        ms(s.median),
        Target::Under(100.0, "ms"),
    ));

    // A snapshot of one account with 100,000 rows.
    let file = home.join("snapshot.json");
    let inv = inventory(100_000, 1);
    let snapshot = Snapshot {
        format: spoke::model::SNAPSHOT_FORMAT,
        taken: inv.scanned_at,
        tool: "spoke bench".into(),
        source: "a generated inventory".into(),
        accounts: vec![AccountSnapshot::read(profile.clone(), inv)],
    };
    std::fs::write(&file, serde_json::to_vec(&snapshot).expect("encodes")).expect("written");
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let args = vec!["--snapshot".to_string(), file.display().to_string()];
    let from_snapshot: Vec<Duration> = (0..runs + 1)
        .map(|_| first_frame(home, &config, &args, None))
        .skip(1)
        .collect();
    let s = stats(from_snapshot);
    table.push(Row::under(
        format!(
            "startup: first frame of `--snapshot` (100k rows, {:.0} MB)",
            size as f64 / 1e6
        ),
        format!("{} (of {runs})", time(s.median)),
        ms(s.median),
        Target::None,
    ));
}

/// Starts spoke on a new pseudo-terminal and times it to the first frame
/// with [`MARKER`] in it; then ends it, once spoke has replaced the file
/// `replaced` (its scan saved over the cache) if one is given.
fn first_frame(home: &Path, config: &Path, args: &[String], replaced: Option<&Path>) -> Duration {
    let written = replaced.and_then(identity);
    let (master, slave) = pty();
    let stdio = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("a pty fd"));
    let started = Instant::now();
    let child = crate::spawn::spoke(home, config)
        .args(args)
        .stdin(stdio(&slave))
        .stdout(stdio(&slave))
        .stderr(stdio(&slave))
        .spawn()
        .expect("spoke starts");
    // Ended however this returns, a failed start too.
    let _child = Ended(child);
    drop(slave);
    // Read the terminal until the marker shows (or the child ends).
    let (tx, rx) = mpsc::channel();
    let mut reader = File::from(master);
    // What the terminal got, kept to be shown if the marker never comes.
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
    let shown = seen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    let mut seen = shown.lock().unwrap_or_else(|p| p.into_inner());
                    let from = seen.len().saturating_sub(MARKER.len());
                    seen.extend_from_slice(&buf[..n]);
                    if seen[from..].windows(MARKER.len()).any(|w| w == MARKER) {
                        let _ = tx.send(started.elapsed());
                        // keep draining, so spoke never blocks on its terminal
                    }
                }
            }
        }
    });
    let took = rx
        .recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|e| {
            let seen = seen.lock().unwrap_or_else(|p| p.into_inner());
            let tail = &seen[seen.len().saturating_sub(3000)..];
            panic!(
                "spoke shows the inventory within 30 s: {e}; the terminal's last {} bytes (the last frame is at the end):\n{}",
                tail.len(),
                String::from_utf8_lossy(tail).escape_debug()
            )
        });
    if let (Some(path), Some(written)) = (replaced, written) {
        // Its scan of the sandbox takes a few milliseconds once connected.
        let deadline = Instant::now() + Duration::from_secs(10);
        while identity(path) == Some(written) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        if identity(path) == Some(written) {
            eprintln!(
                "startup: spoke did not save its scan over {} within 10 s",
                path.display()
            );
        }
    }
    took
}

/// A file as it is now (a file replaced by a rename is another inode).
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.ino(), m.len()))
}

/// A child killed and waited for when dropped.
struct Ended(std::process::Child);

impl Drop for Ended {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A pseudo-terminal pair of [`SIZE`]: (master, slave).
fn pty() -> (OwnedFd, OwnedFd) {
    let mut master = -1;
    let mut slave = -1;
    let size = libc::winsize {
        ws_row: SIZE.1,
        ws_col: SIZE.0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two fds into the pointers given; the name and
    // termios pointers may be null.
    let r = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(r, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both fds were just opened and are owned by nothing else.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}
