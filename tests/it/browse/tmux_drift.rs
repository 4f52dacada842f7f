//! Resource drift in the console, as an operator finds it: `spoke
//! --sandbox --profile spoke-prod` in tmux, `D` on prod-audit-logs shows
//! that its stack was never checked, `D` again and `y` detect drift, and
//! the bucket's detail shows the property that changed, expected vs actual.

use crate::fixtures::tmux::{Tmux, spoke_command};

use std::time::Duration;

const START: Duration = Duration::from_secs(30);
/// A detection takes the sandbox 3 s at real speed; the console polls
/// from half a second on.
const SHOWN: Duration = Duration::from_secs(30);

fn selected_row(screen: &str) -> Option<&str> {
    screen
        .lines()
        .find(|l| l.starts_with("│›"))
        .map(|l| l.split("││").next().unwrap_or(l))
}

#[test]
fn the_drift_of_prod_audit_logs_is_detected_in_the_console() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "resource-drift",
        170,
        40,
        &spoke_command("--sandbox --profile spoke-prod", home.path()),
    );
    t.wait_for("spoke-prod open", START, |s| {
        s.contains("profile spoke-prod") && s.contains("333344445555")
    });
    t.type_text(":pp");
    t.keys(&["Enter"]);
    t.wait_text("Provisioned products (", SHOWN);
    t.type_text("/audit-logs");
    t.keys(&["Enter"]);
    t.wait_for("prod-audit-logs selected", SHOWN, |s| {
        selected_row(s).is_some_and(|r| r.contains("prod-audit-logs"))
    });

    // The last detection's results: none yet, and nothing was written.
    t.keys(&["D"]);
    let s = t.wait_for("its drift level, never checked", SHOWN, |s| {
        s.contains("Resource drift of prod-audit-logs")
            && s.contains("Stack drift: NOT_CHECKED, never checked")
    });
    assert!(s.contains("D detect drift"), "the hint: {s}");

    // Detect: asked first, then the fresh results.
    t.keys(&["D"]);
    let s = t.wait_text("Detect now?", SHOWN);
    assert!(s.contains("DetectStackDrift (journaled)"), "{s}");
    t.keys(&["y"]);
    let s = t.wait_for("the fresh results", SHOWN, |s| {
        s.contains("Stack drift: DRIFTED (2 of 2 resources drifted), detected")
            && s.contains("✗ MODIFIED")
            && s.contains("✗ DELETED")
    });
    assert!(s.contains("BucketPolicy"), "{s}");

    // The bucket (first, by logical id): what changed, expected vs actual.
    t.keys(&["g", "Enter"]);
    let s = t.wait_for("the bucket's differences", SHOWN, |s| {
        selected_row(s).is_some_and(|r| r.contains("Bucket") && r.contains("MODIFIED"))
            && s.contains("/VersioningConfiguration/Status")
            && s.contains("Enabled")
            && s.contains("Suspended")
    });
    assert!(s.contains("expected") && s.contains("actual"), "{s}");

    t.keys(&["q"]);
    let s = t.wait_text("TTY-END", START);
    assert!(s.contains("EXITED=0"), "{s}");
}
