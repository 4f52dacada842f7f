//! `:matrix` in the console over a fleet of profiles: products down,
//! accounts across, the cursor moved with →, Enter on a cell lists the
//! provisioned products of that product in that account.

use crate::fixtures::tmux;

use std::time::Duration;

use tmux::{Tmux, spoke_command};

const START: Duration = Duration::from_secs(30);
const SHOWN: Duration = Duration::from_secs(30);

#[test]
fn the_matrix_and_a_cell_of_it() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "matrix",
        170,
        40,
        &spoke_command(
            "--sandbox --profile hub --profiles hub,spoke-dev,spoke-prod,spoke-data",
            home.path(),
        ),
    );
    t.wait_for("the fleet read", START, |s| {
        s.contains("4 of 4 accounts read")
    });
    t.type_text(":matrix");
    t.keys(&["Enter"]);
    let s = t.wait_for("the matrix", SHOWN, |s| {
        s.contains("Version matrix (")
            && s.contains(" products × 4 accounts)")
            && s.contains("spoke-prod")
            && s.contains("VPC Baseline")
    });
    assert!(s.contains("RDS PostgreSQL"), "{s}");
    // The fleet's drift per account, as a chart above.
    assert!(
        s.contains("Drifted per account (most first, 4 of 4)"),
        "{s}"
    );
    // The product rows filter as everywhere.
    t.type_text("/dynamo");
    t.keys(&["Enter"]);
    t.wait_for("one product", SHOWN, |s| {
        s.contains("Version matrix (1 of ") && s.contains(" products × 4 accounts)")
    });
    // Accounts by name: hub, spoke-data, spoke-dev, spoke-prod; → twice is spoke-dev.
    t.keys(&["Right", "Right", "Enter"]);
    t.wait_for("its provisioned products in spoke-dev", SHOWN, |s| {
        s.contains("Provisioned products of DynamoDB Table in spoke-dev (2)")
            && s.contains("dev-feature-flags")
            && s.contains("dev-sessions-table")
    });
    t.keys(&["Escape"]);
    t.wait_for("back on the matrix", SHOWN, |s| {
        s.contains("Version matrix (")
    });
    t.keys(&["q"]);
    let s = t.wait_text("TTY-END", START);
    assert!(s.contains("EXITED=0"), "{s}");
}
