//! Drives the real `spoke` binary in tmux, as a person would: type keys, read the screen.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A tmux session on its own server socket, killed when dropped.
pub struct Tmux {
    socket: String,
    pub session: String,
}

impl Tmux {
    /// Starts `command` (run by sh) in a fresh session of `width`×`height`.
    pub fn start(name: &str, width: u16, height: u16, command: &str) -> Tmux {
        let has_tmux = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            has_tmux,
            "tmux is needed for the console tests: scripts/test.sh installs it"
        );
        let socket = format!("spoke-test-{name}-{}", std::process::id());
        let t = Tmux {
            socket,
            session: name.to_string(),
        };
        let status = t
            .cmd()
            .args([
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
            ])
            .arg(command)
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        t
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]);
        c
    }

    /// The pane's title, as the program in it last set it (OSC 0/2).
    pub fn pane_title(&self) -> String {
        let out = self
            .cmd()
            .args([
                "display-message",
                "-p",
                "-t",
                &self.session,
                "#{pane_title}",
            ])
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Sends keys as tmux names them (`Enter`, `Escape`, `C-c`, or literal text).
    pub fn keys(&self, keys: &[&str]) {
        let status = self
            .cmd()
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    /// Types literal text.
    pub fn type_text(&self, text: &str) {
        let status = self
            .cmd()
            .args(["send-keys", "-l", "-t", &self.session, text])
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    /// What the screen shows now.
    pub fn screen(&self) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen satisfies `pred`, or fails with the last screen.
    pub fn wait_for(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!("timed out after {timeout:?} waiting for {what}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends Esc and waits (up to 5 s) for the screen to change. Esc with
    /// the next key in the same read reaches the console as Alt and that
    /// key, so whatever follows an Esc must wait for it to be taken.
    pub fn escape(&self) {
        let before = self.screen();
        self.keys(&["Escape"]);
        let start = Instant::now();
        while self.screen() == before && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen contains `text`.
    pub fn wait_text(&self, text: &str, timeout: Duration) -> String {
        self.wait_for(&format!("`{text}`"), timeout, |s| s.contains(text))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").status();
    }
}

/// The shell command that runs spoke with `args`, isolated from the user's
/// files, then reports its exit code and whether the terminal is back in
/// cooked mode with echo.
pub fn spoke_command(args: &str, home: &std::path::Path) -> String {
    format!(
        "env -u AWS_PROFILE -C {home} HOME={home} XDG_CONFIG_HOME={home}/config XDG_CACHE_HOME={home}/cache XDG_STATE_HOME={home}/state XDG_DATA_HOME={home}/data {bin} {args}; echo EXITED=$?; stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo TTY-END; sleep 60",
        home = home.display(),
        bin = env!("CARGO_BIN_EXE_spoke"),
    )
}

/// `spoke sandbox serve`, killed when dropped.
pub struct Served {
    child: Child,
    pub config: PathBuf,
    pub started: Instant,
}

impl Served {
    /// A sandbox `speed` times faster than real time, its AWS config file
    /// and its log under `dir`.
    pub fn start(speed: u32, dir: &Path) -> Served {
        Self::start_with(speed, dir, &[])
    }

    /// [`Served::start`] with more `spoke sandbox serve` flags (faults, a call log).
    pub fn start_with(speed: u32, dir: &Path, extra: &[&str]) -> Served {
        let config = dir.join("aws-config");
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_spoke"))
            .args(["sandbox", "serve", "--speed", &speed.to_string()])
            .args(extra)
            .arg("--write-aws-config")
            .arg(&config)
            .arg("--log-file")
            .arg(dir.join("sandbox.log"))
            .env("HOME", dir)
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env("XDG_CACHE_HOME", dir.join("cache"))
            .env("XDG_STATE_HOME", dir.join("state"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spoke sandbox serve starts");
        let started = Instant::now();
        let served = Served {
            child,
            config,
            started,
        };
        while !std::fs::read_to_string(&served.config)
            .is_ok_and(|c| c.contains("[profile spoke-prod]") && c.contains("endpoint_url"))
        {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the sandbox wrote no AWS config in 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        served
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
