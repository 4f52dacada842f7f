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
    // Nothing journaled but what the sandbox world seeds at start.
    let journal = home.path().join("data/spoke/sandbox-journal.jsonl");
    let contents = spoke::journal::read(&journal).unwrap();
    assert!(
        contents.entries.iter().all(|e| {
            e.parameters.get("SeededBy").map(String::as_str)
                == Some(spoke::sandbox::seed::SEEDED_BY)
        }),
        "{contents:?}"
    );
}

/// The hub's x-ray shows the failed OU share the sandbox world seeds in the
/// journal, and Enter on it opens the share form with the OU filled in.
#[test]
fn xray_enter_on_a_failed_org_share_opens_the_share_form() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "xray-share",
        170,
        40,
        &spoke_command("--sandbox --profile hub", home.path()),
    );
    t.wait_for("hub connected", START, |s| {
        s.contains("profile hub") && s.contains("111122223333")
    });
    t.type_text(":xray");
    t.keys(&["Enter"]);
    t.wait_for("the findings", SHOWN, |s| {
        s.contains("X-ray: hygiene findings (") && s.contains("org-share-failed")
    });
    t.type_text("/org-share-failed");
    t.keys(&["Enter"]);
    t.wait_for("the failed share's finding", SHOWN, |s| {
        s.contains("X-ray: hygiene findings (1 of ") && s.contains("ended ERROR")
    });
    t.keys(&["Enter"]);
    t.wait_for("the share form, the OU filled in", SHOWN, |s| {
        s.contains("Share Data & Analytics") && s.contains("ou-a1b2-d4t4p1a7")
    });
    t.keys(&["Escape"]);
    t.wait_for("the form closed", SHOWN, |s| {
        !s.contains("Share Data & Analytics")
    });
    t.keys(&["q"]);
    let s = t.wait_text("TTY-END", START);
    assert!(s.contains("EXITED=0"), "{s}");
}
