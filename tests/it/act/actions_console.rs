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

#[test]
fn an_action_that_takes_a_value_asks_for_it_and_sends_it() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "action-values",
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
        s.contains("Provisioned products (") && s.contains("prod-orders-api")
    });
    t.type_text("/prod-orders-api");
    t.keys(&["Enter"]);
    t.wait_for("prod-orders-api alone", SHOWN, |s| {
        s.contains("Provisioned products (1 of ")
    });
    t.keys(&["e"]);
    t.wait_for("its actions", SHOWN, |s| {
        s.contains("Self-service actions of prod-orders-api") && s.contains("Restart service")
    });
    t.keys(&["Enter"]);
    t.wait_for("the values form", SHOWN, |s| {
        s.contains("Run Restart service on prod-orders-api")
            && s.contains("Reason")
            && s.contains("filled by Service Catalog")
    });
    t.type_text("patch night");
    t.keys(&["C-s"]);
    let s = t.wait_for("the plan with the value", SHOWN, |s| {
        s.contains("Reason (TEXT_VALUE): patch night — given") && s.contains("Do it?")
    });
    assert!(s.contains("ServiceArn (TARGET)"), "{s}");
    t.keys(&["y"]);
    t.wait_for("the action done", MOVES, |s| {
        s.contains(": done") && s.contains("SUCCEEDED")
    });
    t.keys(&["Escape"]);
    t.keys(&["q"]);
    let s = t.wait_text("TTY-END", START);
    assert!(s.contains("EXITED=0"), "{s}");
    // What was sent, as the journal has it: the value typed.
    let journal = home.path().join("data/spoke/sandbox-journal.jsonl");
    let text = std::fs::read_to_string(&journal).unwrap();
    let intent = text
        .lines()
        .find(|l| {
            l.contains("ExecuteProvisionedProductServiceAction")
                && l.contains("\"phase\":\"intent\"")
        })
        .unwrap_or_else(|| panic!("no intent: {text}"));
    assert!(intent.contains("\"Reason\":\"patch night\""), "{intent}");
}

#[test]
fn a_read_only_session_cannot_send_an_action_with_values() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "action-values-ro",
        160,
        45,
        &spoke_command("--sandbox --read-only --profile spoke-prod", home.path()),
    );
    t.wait_for("spoke-prod connected", START, |s| {
        s.contains("profile spoke-prod") && s.contains("333344445555")
    });
    t.type_text(":pp");
    t.keys(&["Enter"]);
    t.wait_for("the provisioned products", SHOWN, |s| {
        s.contains("prod-orders-api")
    });
    t.type_text("/prod-orders-api");
    t.keys(&["Enter", "e"]);
    t.wait_for("its actions", SHOWN, |s| s.contains("Restart service"));
    t.keys(&["Enter"]);
    t.wait_for("the values form, read-only", SHOWN, |s| {
        s.contains("Run Restart service on prod-orders-api") && s.contains("READ-ONLY")
    });
    t.type_text("patch night");
    t.keys(&["C-s"]);
    t.wait_for("the plan, never confirmable", SHOWN, |s| {
        s.contains("Reason (TEXT_VALUE): patch night — given")
    });
    t.keys(&["y"]);
    std::thread::sleep(Duration::from_millis(500));
    t.escape();
    t.keys(&["q"]);
    let s = t.wait_text("TTY-END", START);
    assert!(s.contains("EXITED=0"), "{s}");
    let journal = home.path().join("data/spoke/sandbox-journal.jsonl");
    let text = std::fs::read_to_string(&journal).unwrap_or_default();
    assert!(
        !text.contains("ExecuteProvisionedProductServiceAction"),
        "nothing sent: {text}"
    );
}
