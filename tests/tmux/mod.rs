//! Drives the real `spoke` binary in tmux, as a person would: type keys, read the screen.
#![allow(dead_code)]

use std::process::Command;
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
        "env -u AWS_PROFILE HOME={home} XDG_CONFIG_HOME={home}/config XDG_CACHE_HOME={home}/cache XDG_STATE_HOME={home}/state XDG_DATA_HOME={home}/data {bin} {args}; echo EXITED=$?; stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo TTY-END; sleep 60",
        home = home.display(),
        bin = env!("CARGO_BIN_EXE_spoke"),
    )
}
