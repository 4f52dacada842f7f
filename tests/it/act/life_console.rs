//! A provisioned product's life in the console, driven in tmux on the
//! sandbox: Enter opens its records, `r` its stack's resources, `p` its
//! parameters, `y` its AWS console page (on the clipboard); `T` lists what terminating it deletes, refuses `y` and a
//! wrong name, and with its name typed terminates it, followed to the end.

use crate::fixtures::tmux;

use std::time::Duration;

use tmux::{Tmux, spoke_command};

const START: Duration = Duration::from_secs(30);
const SHOWN: Duration = Duration::from_secs(30);
const MOVES: Duration = Duration::from_secs(60);

#[test]
fn records_resources_parameters_and_terminate_in_the_console() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "life",
        160,
        45,
        &spoke_command(
            "--sandbox --sandbox-speed 30 --profile spoke-dev",
            home.path(),
        ),
    );
    t.allow_clipboard();
    t.wait_for("spoke-dev connected", START, |s| {
        s.contains("profile spoke-dev") && s.contains("222233334444")
    });
    t.type_text(":pp");
    t.keys(&["Enter"]);
    t.wait_for("the provisioned products", SHOWN, |s| {
        s.contains("Provisioned products (") && s.contains("dev-scratch-bucket")
    });
    t.type_text("/dev-scratch-bucket");
    t.keys(&["Enter"]);
    t.wait_for("dev-scratch-bucket alone", SHOWN, |s| {
        s.contains("Provisioned products (1 of ")
    });

    // y: its page in the AWS console, shown and on the clipboard.
    t.keys(&["y"]);
    t.wait_for("the console's page", SHOWN, |s| {
        s.contains("AWS console") && s.contains("Copied to the clipboard")
    });
    let copied = t.clipboard();
    assert!(
        copied.starts_with("https://us-east-1.console.aws.amazon.com/servicecatalog/home?region=us-east-1#/provisioned-products/pp-"),
        "the clipboard holds {copied:?}"
    );
    t.keys(&["Escape"]);

    // Enter: its records, the failed update above the launch.
    t.keys(&["Enter"]);
    let s = t.wait_for("the records of dev-scratch-bucket", SHOWN, |s| {
        s.contains("Records of dev-scratch-bucket (2)")
            && s.contains("UPDATE_PROVISIONED_PRODUCT")
            && s.contains("PROVISION_PRODUCT")
    });
    assert!(s.contains("FAILED"), "{s}");
    // r: the stack's resources, in place of the records.
    t.keys(&["r"]);
    t.wait_for("its stack's resources", SHOWN, |s| {
        s.contains("Stack resources of dev-scratch-bucket (2)")
            && s.contains("AWS::S3::Bucket")
            && s.contains("AWS::S3::BucketPolicy")
            && !s.contains("Records of")
    });
    // p: the parameters beside the latest version's.
    t.keys(&["p"]);
    t.wait_for("its parameters", SHOWN, |s| {
        s.contains("Parameters of dev-scratch-bucket (") && s.contains("An update would")
    });
    t.keys(&["Escape"]);
    t.wait_for("the provisioned products again", SHOWN, |s| {
        s.contains("Provisioned products (1 of ") && !s.contains("Parameters of")
    });

    // T: what goes, first; y is not enough; the name is.
    t.keys(&["T"]);
    t.wait_for("the termination plan", SHOWN, |s| {
        s.contains("Terminate dev-scratch-bucket")
            && s.contains("2 resource(s) deleted with its stack")
            && s.contains("Type dev-scratch-bucket")
    });
    t.keys(&["y", "Enter"]);
    t.wait_for("y refused", SHOWN, |s| {
        s.contains("is not dev-scratch-bucket")
    });
    t.type_text("dev-scratch-bucket");
    t.keys(&["Enter"]);
    t.wait_for("the termination followed to its end", MOVES, |s| {
        s.contains("Terminate dev-scratch-bucket: done") && s.contains("SUCCEEDED")
    });
    t.escape();
    // The console followed the stack's deletion on its events screen.
    t.wait_for("the deletion's events", SHOWN, |s| {
        s.contains("Stack events of dev-scratch-bucket") && s.contains("DELETE_COMPLETE")
    });
    t.keys(&["Escape"]);
    // It left the screen: AWS no longer knows it.
    t.wait_for("dev-scratch-bucket gone", SHOWN, |s| {
        s.contains("Provisioned products (0 of ") && !s.contains("UNDER_CHANGE")
    });
    t.keys(&["q"]);
    let s = t.wait_text("TTY-END", START);
    assert!(s.contains("EXITED=0"), "{s}");
    // Journaled: what was asked, with its token, and how it ended.
    let journal = home.path().join("data/spoke/sandbox-journal.jsonl");
    let text = std::fs::read_to_string(&journal).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("TerminateProvisionedProduct"))
        .collect();
    let phase = |p: &str| {
        lines
            .iter()
            .find(|l| l.contains(&format!("\"phase\":\"{p}\"")))
            .unwrap_or_else(|| panic!("no {p} entry: {lines:#?}"))
    };
    assert!(
        phase("intent").contains("dev-scratch-bucket") && phase("intent").contains("\"token\"")
    );
    assert!(phase("result").contains("\"record_id\""));
    assert!(phase("settled").contains("SUCCEEDED"), "{lines:#?}");
}
