//! Conformance: botocore, AWS's own Python client, against `spoke sandbox serve`.
//! It checks the sandbox with serializers and parsers no one here wrote.
//! `.ci/run` installs botocore; on a machine without python3 + botocore the
//! test says so and fails, rather than passing silently.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn botocore_reads_every_operation_through_its_own_parsers() {
    let has_botocore = Command::new("python3")
        .args(["-c", "import botocore"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        has_botocore,
        "python3 with botocore is needed: pip install botocore (.ci/run does it)"
    );

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("aws-config");
    let mut child = Command::new(env!("CARGO_BIN_EXE_spoke"))
        .args(["sandbox", "serve", "--port", "0", "--write-aws-config"])
        .arg(&config)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spoke runs");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let mut listening = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.starts_with("spoke sandbox listening on ") {
            listening = Some(line.clone());
        }
        if line.starts_with("AWS config written to") {
            break;
        }
    }
    assert!(listening.is_some(), "the server prints where it listens");
    assert!(config.exists());
    // keep draining the server's output so it never blocks on a full pipe
    std::thread::spawn(move || for _ in lines {});

    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/conformance/botocore_read.py"
    );
    let out = Command::new("python3")
        .arg(script)
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout);
    drop(server);
    assert!(
        out.status.success(),
        "botocore conformance failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.lines()
            .last()
            .is_some_and(|l| l.ends_with(" 0 failed")),
        "{text}"
    );
}
