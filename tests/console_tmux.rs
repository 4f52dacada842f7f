//! The console as a person uses it: started from the command line on the
//! sandbox, driven with keys in tmux, its screen read back.

mod tmux;

use std::time::Duration;

use tmux::{Tmux, spoke_command};

const START: Duration = Duration::from_secs(30);

#[test]
fn sandbox_console_shows_the_hub_switches_profile_and_quits_cleanly() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "first-screen",
        160,
        40,
        &spoke_command("--sandbox", home.path()),
    );
    let s = t.wait_text("Platform Foundations", START);
    assert!(s.contains("profile hub"), "{s}");
    assert!(s.contains("111122223333"), "the hub's account id: {s}");
    assert!(s.contains("RW"), "the badge: {s}");
    assert!(s.contains("us-east-1"), "{s}");

    t.type_text(":profile spoke-dev");
    t.keys(&["Enter"]);
    // the header changes first; the catalog follows when its scan is in
    let s = t.wait_for("spoke-dev's catalog", START, |s| {
        s.contains("222233334444") && s.contains("imported from 111122223333")
    });
    assert!(
        s.contains("Dev Team Catalog"),
        "spoke-dev's local portfolio: {s}"
    );

    t.keys(&["q"]);
    let s = t.wait_text("TTY-END", START);
    assert!(s.contains("EXITED=0"), "{s}");
    assert!(
        s.contains("icanon") && !s.contains("-icanon"),
        "the terminal is back in cooked mode: {s}"
    );
    assert!(
        s.contains("echo") && !s.contains("-echo"),
        "echo is back on: {s}"
    );
}

#[test]
fn read_only_session_shows_the_ro_badge() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "read-only",
        160,
        40,
        &spoke_command("--sandbox --read-only", home.path()),
    );
    let s = t.wait_text("Platform Foundations", START);
    assert!(s.contains(" RO "), "{s}");
    t.keys(&["C-c"]);
    let s = t.wait_text("TTY-END", START);
    assert!(s.contains("EXITED=0"), "{s}");
}
