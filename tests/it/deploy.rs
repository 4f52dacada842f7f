//! The unattended-run files of `deploy/` are well-formed: the Dockerfile
//! (syntax only: CI does not depend on docker) and the systemd units
//! (`systemd-analyze verify` where it is installed, else skipped, said).

use std::path::{Path, PathBuf};

fn deploy(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy")
        .join(name)
}

const INSTRUCTIONS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

#[test]
fn the_dockerfile_is_a_two_stage_build_whose_entrypoint_is_the_release_binary() {
    let text = std::fs::read_to_string(deploy("Dockerfile")).unwrap();
    let mut instructions = Vec::new();
    let mut continued = false;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if !continued && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if !continued {
            let word = trimmed.split_whitespace().next().unwrap();
            assert!(
                INSTRUCTIONS.contains(&word),
                "line {}: {word:?} is not a Dockerfile instruction",
                n + 1
            );
            instructions.push(trimmed.to_string());
        }
        continued = trimmed.ends_with('\\');
    }
    assert!(!continued, "the last line continues into nothing");
    let froms: Vec<&String> = instructions
        .iter()
        .filter(|i| i.starts_with("FROM "))
        .collect();
    assert_eq!(froms.len(), 2, "{froms:?}");
    assert!(froms[0].starts_with("FROM rust:1 AS builder"), "{froms:?}");
    assert_eq!(froms[1], "FROM debian:bookworm-slim");
    assert!(text.contains("ca-certificates"));
    assert!(text.contains("cargo build --release"));
    assert!(text.contains("COPY --from=builder /src/target/release/spoke /usr/local/bin/spoke"));
    let entry = instructions
        .iter()
        .find_map(|i| i.strip_prefix("ENTRYPOINT "))
        .expect("an ENTRYPOINT");
    let exec: Vec<String> = serde_json::from_str(entry).expect("ENTRYPOINT in exec (JSON) form");
    assert_eq!(exec, ["/usr/local/bin/spoke"]);
}

/// `[Section]` and `Key=Value` lines only, with the sections systemd needs.
fn ini_sections(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut sections = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            sections.push(name.to_string());
        } else {
            let (key, _) = line
                .split_once('=')
                .unwrap_or_else(|| panic!("{}:{}: not Key=Value", path.display(), n + 1));
            assert!(
                !sections.is_empty(),
                "{}:{}: before any section",
                path.display(),
                n + 1
            );
            assert!(key.chars().all(|c| c.is_ascii_alphanumeric()), "{key:?}");
        }
    }
    sections
}

#[test]
fn the_systemd_units_are_well_formed() {
    let service = deploy("spoke-update.service");
    let timer = deploy("spoke-update.timer");
    assert_eq!(ini_sections(&service), ["Unit", "Service", "Install"]);
    assert_eq!(ini_sections(&timer), ["Unit", "Timer", "Install"]);
    let text = std::fs::read_to_string(&service).unwrap();
    assert!(text.contains("update --drifted --yes --max-failures 3 --report s3://"));

    let Ok(probe) = std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
    else {
        eprintln!("systemd-analyze is not installed: `verify` of the units skipped");
        return;
    };
    assert!(probe.status.success());
    // The units as installed, but ExecStart naming the binary built here
    // (verify checks that it is executable).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("spoke-update.service"),
        text.replace("/usr/local/bin/spoke", env!("CARGO_BIN_EXE_spoke")),
    )
    .unwrap();
    std::fs::copy(&timer, dir.path().join("spoke-update.timer")).unwrap();
    let out = std::process::Command::new("systemd-analyze")
        .arg("verify")
        .arg(dir.path().join("spoke-update.service"))
        .arg(dir.path().join("spoke-update.timer"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !said.contains("spoke-update"),
        "systemd-analyze verify:\n{said}"
    );
}
