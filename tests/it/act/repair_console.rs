//! `F` in the console: a failed launch's way out — the plan (terminate,
//! then launch again with its parameters) first, `y` not enough, the name
//! typed; both steps followed to their end and journaled.

use crate::fixtures::tmux;

use std::time::Duration;

use tmux::{Tmux, spoke_command};

const START: Duration = Duration::from_secs(30);
const SHOWN: Duration = Duration::from_secs(30);
const MOVES: Duration = Duration::from_secs(90);

#[test]
fn f_repairs_a_failed_launch_by_terminating_and_launching_it_again() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "repair",
        160,
        45,
        &spoke_command(
            "--sandbox --sandbox-speed 30 --profile spoke-data",
            home.path(),
        ),
    );
    t.wait_for("spoke-data connected", START, |s| {
        s.contains("profile spoke-data")
    });
    t.type_text(":pp");
    t.keys(&["Enter"]);
    t.wait_for("the provisioned products", SHOWN, |s| {
        s.contains("Provisioned products (") && s.contains("data-export-bucket")
    });
    t.type_text("/data-export-bucket");
    t.keys(&["Enter"]);
    t.wait_for("data-export-bucket alone, with F offered", SHOWN, |s| {
        s.contains("Provisioned products (1 of ") && s.contains("repair")
    });

    t.keys(&["F"]);
    t.wait_for("the repair plan", SHOWN, |s| {
        s.contains("Repair data-export-bucket")
            && s.contains("1. terminate the failed launch")
            && s.contains("2. launch data-export-bucket again")
            && s.contains("BucketPurpose = data")
            && s.contains("Type data-export-bucket")
    });
    t.keys(&["y", "Enter"]);
    t.wait_for("y refused", SHOWN, |s| {
        s.contains("is not data-export-bucket")
    });
    t.type_text("data-export-bucket");
    t.keys(&["Enter"]);
    t.wait_for("both steps followed to their end", MOVES, |s| {
        s.contains("Repair data-export-bucket: done")
    });
    // The console followed the new launch's stack on its events screen.
    t.escape();
    t.wait_for("the new launch's events", SHOWN, |s| {
        s.contains("Stack events of data-export-bucket") && s.contains("CREATE_COMPLETE")
    });
    t.keys(&["q"]);
    let s = t.wait_text("TTY-END", START);
    assert!(s.contains("EXITED=0"), "{s}");
    let journal = home.path().join("data/spoke/sandbox-journal.jsonl");
    let text = std::fs::read_to_string(&journal).unwrap();
    for op in ["TerminateProvisionedProduct", "ProvisionProduct"] {
        assert!(
            text.lines().any(|l| l.contains(op)
                && l.contains("\"phase\":\"settled\"")
                && l.contains("SUCCEEDED")),
            "{op} settled: {text}"
        );
    }
}
