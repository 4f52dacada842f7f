//! The console's fleet (`P`, Space on several profiles, Enter) decides
//! read-only for each member: a member the config makes read-only gets no
//! mutating call (read from the served sandbox's call log), its items are
//! shown skipped with the rule, and the others are updated.

use crate::fixtures;
use crate::fixtures::tmux;

use std::time::Duration;

use tmux::{Served, Tmux, spoke_command};

const DEV: &str = "222233334444";
const PROD: &str = "333344445555";
const WAIT: Duration = Duration::from_secs(60);

/// (account, operation) of every mutating call the sandbox answered.
fn mutations(log: &std::path::Path) -> Vec<(String, String)> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|c| {
            let op = c["operation"].as_str()?.to_string();
            fixtures::headless::MUTATING
                .contains(&op.as_str())
                .then(|| (c["account"].as_str().unwrap_or_default().to_string(), op))
        })
        .collect()
}

#[test]
fn a_console_fleet_skips_its_read_only_member_and_updates_the_other() {
    let home = tempfile::tempdir().unwrap();
    let log = home.path().join("calls.jsonl");
    let config = home.path().join("spoke.toml");
    std::fs::write(&config, "[profiles.spoke-prod]\nread_only = true\n").unwrap();
    let sandbox = Served::start_with(30, home.path(), &["--call-log", log.to_str().unwrap()]);
    let t = Tmux::start(
        "fleet-read-only",
        200,
        60,
        &format!(
            "AWS_CONFIG_FILE={} {}",
            sandbox.config.display(),
            spoke_command(
                &format!("--config {} --profile spoke-dev", config.display()),
                home.path()
            )
        ),
    );
    t.wait_for("spoke-dev, read-write", WAIT, |s| {
        s.contains(" RW ") && s.contains("Dev Team Catalog")
    });
    // The picker lists hub, spoke-data, spoke-dev (current), spoke-prod:
    // mark spoke-dev and spoke-prod, open them as a fleet.
    t.keys(&["P"]);
    t.wait_for("the profile picker", WAIT, |s| {
        s.contains("spoke-dev (current)")
    });
    t.keys(&["Space", "j", "Space", "Enter"]);
    t.wait_for("the fleet of two, scanned", WAIT, |s| {
        s.contains("fleet 2 accounts") && s.contains("spoke-prod prod-vpc")
    });
    t.type_text(":bulk everything");
    t.keys(&["Enter"]);
    let plan = t.wait_for(
        "the plan, spoke-prod's items skipped as read-only",
        WAIT,
        |s| {
            s.contains("Type update to go ahead")
                && s.contains(&format!("skip: spoke-prod ({PROD}) is read-only"))
                && s.contains("(risk not previewed)")
                && s.contains("Ctrl-p")
        },
    );
    assert!(
        mutations(&log).is_empty(),
        "showing the plan changed nothing:\n{plan}"
    );
    t.type_text("update");
    t.keys(&["Enter"]);
    t.wait_for("the run, done", WAIT, |s| {
        s.contains("Bulk update: done") && s.contains("✓ SUCCEEDED")
    });
    let made = mutations(&log);
    assert!(
        !made.iter().any(|(account, _)| account == PROD),
        "no mutating call in the read-only member: {made:?}"
    );
    assert!(
        made.iter()
            .any(|(account, op)| account == DEV && op == "UpdateProvisionedProduct"),
        "the other member is updated: {made:?}"
    );
    assert!(
        made.iter()
            .any(|(account, op)| account == DEV && op == "DeleteProvisionedProductPlan"),
        "the risk was previewed before updating, its plans deleted: {made:?}"
    );
    t.escape();
    t.type_text(":q");
    t.keys(&["Enter"]);
    // The run is over: :q quits (should anything still be in flight, the
    // console asks first, and y says yes).
    std::thread::sleep(Duration::from_secs(1));
    if !t.screen().contains("TTY-END") {
        t.keys(&["y"]);
    }
    t.wait_text("TTY-END", WAIT);
}

/// `q` while a bulk update runs asks first, says what keeps running in
/// AWS and how to resume; `n` keeps the console, `y` quits.
#[test]
fn q_during_a_bulk_update_asks_first() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "quit-while-bulk",
        200,
        60,
        // Real time: the updates take long enough to be under way.
        &spoke_command(
            "--sandbox --sandbox-speed 1 --profile spoke-dev",
            home.path(),
        ),
    );
    t.wait_for("spoke-dev", WAIT, |s| s.contains("Dev Team Catalog"));
    t.keys(&["4"]);
    // The whole scan in (the drift of every row), as a person waits for it.
    t.wait_for("the provisioned products with their drift", WAIT, |s| {
        s.contains("13 provisioned: ")
    });
    t.type_text(":bulk everything");
    t.keys(&["Enter"]);
    t.wait_for("the plan", WAIT, |s| s.contains("Type update to go ahead"));
    t.type_text("update");
    t.keys(&["Enter"]);
    t.wait_for("the run under way", WAIT, |s| s.contains("IN_PROGRESS"));
    t.escape();
    t.keys(&["q"]);
    t.wait_for("the question", WAIT, |s| {
        s.contains("running in AWS and will finish without spoke")
            && s.contains("spoke update --resume")
    });
    t.keys(&["n"]);
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        !t.screen().contains("TTY-END"),
        "n keeps the console:\n{}",
        t.screen()
    );
    t.keys(&["q"]);
    t.wait_for("the question again", WAIT, |s| {
        s.contains("will finish without spoke")
    });
    t.keys(&["y"]);
    let s = t.wait_text("TTY-END", WAIT);
    assert!(s.contains("EXITED=0"), "{s}");
}
