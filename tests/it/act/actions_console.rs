//! A self-service action in the console, as an operator runs it: the real
//! binary on `spoke --sandbox` in tmux; `e` on a provisioned product lists
//! its actions, Enter shows the plan, `y` runs it, and it ends SUCCEEDED.

use crate::fixtures::tmux::{Tmux, spoke_command};

use std::time::Duration;

const START: Duration = Duration::from_secs(30);
const SHOWN: Duration = Duration::from_secs(30);
const MOVES: Duration = Duration::from_secs(60);

fn selected_row(screen: &str) -> Option<&str> {
    screen.lines().find(|l| l.starts_with("│›"))
}

#[test]
fn an_action_is_run_from_the_actions_level_to_succeeded() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "service-action",
        160,
        45,
        &spoke_command("--sandbox --profile spoke-prod", home.path()),
    );
    t.wait_for("spoke-prod connected", START, |s| {
        s.contains("profile spoke-prod") && s.contains("333344445555")
    });
    t.type_text(":pp");
    t.keys(&["Enter"]);
    t.wait_for("the provisioned products", SHOWN, |s| {
        s.contains("Provisioned products (") && s.contains("prod-ledger-db")
    });
    t.type_text("/ledger-db");
    t.keys(&["Enter"]);
    t.wait_for("prod-ledger-db alone, selected", SHOWN, |s| {
        s.contains("Provisioned products (1 of ")
            && selected_row(s).is_some_and(|r| r.contains("prod-ledger-db"))
    });

    t.keys(&["e"]);
    let s = t.wait_for("the actions of prod-ledger-db", SHOWN, |s| {
        s.contains("Self-service actions of prod-ledger-db")
            && s.contains("Reboot database")
            && s.contains("Rotate credentials")
    });
    assert!(s.contains("AWS-RebootRdsInstance"), "{s}");
    assert!(
        selected_row(&s).is_some_and(|r| r.contains("Reboot database")),
        "{s}"
    );

    t.keys(&["Enter"]);
    let s = t.wait_for("the plan", SHOWN, |s| {
        s.contains("Run Reboot database on prod-ledger-db") && s.contains("Do it?")
    });
    assert!(s.contains("InstanceId (TARGET)"), "{s}");

    t.keys(&["y"]);
    let s = t.wait_for("the action done", MOVES, |s| {
        s.contains(": done") && s.contains("SUCCEEDED") && s.contains("any key closes")
    });
    assert!(s.contains("Reboot database on prod-ledger-db"), "{s}");
    t.keys(&["Escape"]);
    t.wait_for("the report closed", SHOWN, |s| {
        !s.contains("any key closes")
    });

    t.keys(&["q"]);
    let s = t.wait_text("TTY-END", START);
    assert!(s.contains("EXITED=0"), "{s}");
}
