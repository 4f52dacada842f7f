//! `tests/pipeline/chain.sh`, a two-stage pipeline on `spoke provision`,
//! run as CI would run it: against `spoke sandbox serve` (the world of
//! tests/pipeline/world.toml), the network's VpcId chained into the
//! application's parameters; run twice, the second run changes nothing.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &Path) -> Server {
    let world = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pipeline/world.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_spoke"))
        .args([
            "sandbox", "serve", "--port", "0", "--speed", "50", "--world", world,
        ])
        .arg("--write-aws-config")
        .arg(dir.join("aws-config"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spoke runs");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let server = Server(child);
    for line in lines.by_ref() {
        if line.unwrap().starts_with("AWS config written to") {
            break;
        }
    }
    // Keep draining its output so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    server
}

fn chain(dir: &Path) -> Output {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pipeline/chain.sh");
    let home = dir.join("home");
    Command::new("bash")
        .arg(script)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("AWS_CONFIG_FILE", dir.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("SPOKE", env!("CARGO_BIN_EXE_spoke"))
        .env("PROFILE", "ci")
        .output()
        .expect("bash runs")
}

#[test]
fn a_pipeline_chains_the_networks_outputs_into_the_apps_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let _server = serve(dir.path());

    let first = chain(dir.path());
    let stdout = String::from_utf8_lossy(&first.stdout);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        first.status.success(),
        "chain.sh failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("Done: the launch of net SUCCEEDED"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Done: the launch of app SUCCEEDED"),
        "{stdout}"
    );
    assert!(stdout.contains("stage 2: app runs in vpc-SC-"), "{stdout}");

    let read = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(name)).unwrap()).unwrap()
    };
    let (net, app) = (read("net.json"), read("app.json"));
    let vpc = net["outputs"]["VpcId"].as_str().unwrap();
    assert_eq!(
        app["outputs"]["ServiceUrl"],
        format!("https://app.{vpc}.example.com")
    );
    assert_eq!(
        app["outputs"]["Endpoint"], "****",
        "it takes the NoEcho ApiKey"
    );
    assert!(!stdout.contains("k-0123456789") && !stderr.contains("k-0123456789"));

    // Run again: both stages are so already.
    let second = chain(dir.path());
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(second.status.success(), "{stdout}");
    assert!(stdout.contains("Unchanged: net runs v1"), "{stdout}");
    assert!(stdout.contains("Unchanged: app runs v1"), "{stdout}");
    assert!(!stdout.contains("Plan:"), "{stdout}");
}
