//! `:xray` in the console: the hygiene findings of the account open, the
//! rule's why and fix in the detail, Enter on a finding opens the plan of
//! its fix (a TAINTED product's repair), and nothing is sent without `y`.

use crate::fixtures::tmux;

use std::time::Duration;

use tmux::{Tmux, spoke_command};

const START: Duration = Duration::from_secs(30);
const SHOWN: Duration = Duration::from_secs(30);

#[test]
fn xray_then_enter_on_a_finding_opens_its_fix() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "xray",
        170,
        40,
        &spoke_command("--sandbox --profile spoke-dev", home.path()),
    );
    t.wait_for("spoke-dev connected", START, |s| {
        s.contains("profile spoke-dev") && s.contains("222233334444")
    });
    t.type_text(":xray");
    t.keys(&["Enter"]);
    let s = t.wait_for("the findings", SHOWN, |s| {
        s.contains("X-ray: hygiene findings (") && s.contains("pp-failed")
    });
    assert!(s.contains("pp-outdated-version"), "{s}");
    // Errors first: the TAINTED product, its why and fix beside it.
    assert!(s.contains("Why"), "{s}");
    t.type_text("/pp-failed");
    t.keys(&["Enter"]);
    t.wait_for("the failed product's finding", SHOWN, |s| {
        s.contains("X-ray: hygiene findings (1 of ") && s.contains("dev-scratch-bucket")
    });
    t.keys(&["Enter"]);
    t.wait_for("the plan of its repair", SHOWN, |s| {
        s.contains("Repair dev-scratch-bucket")
            && s.contains("the version of its last successful")
            && s.contains("Do it? [y/N]")
    });
    t.keys(&["n"]);
    t.wait_for("not done", SHOWN, |s| {
        s.contains("Cancelled: nothing was changed")
    });
    t.keys(&["q"]);
    let s = t.wait_text("TTY-END", START);
    assert!(s.contains("EXITED=0"), "{s}");
    let journal = home.path().join("data/spoke/sandbox-journal.jsonl");
    assert!(!journal.exists() || std::fs::read_to_string(&journal).unwrap().is_empty());
}
