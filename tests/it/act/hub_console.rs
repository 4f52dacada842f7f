//! Hub-and-spoke set up from nothing in the console, as an operator would:
//! the real binary in tmux on a sandbox with an empty hub and one empty
//! spoke. The hub makes a portfolio and a product from a template file and
//! shares it; the spoke accepts it into a new local portfolio with a launch
//! constraint and a principal and launches it; the hub publishes a new
//! version and the spoke sees BEHIND; the hub opts the product in; the
//! spoke's bulk update takes it; CURRENT.

use crate::fixtures::tmux::{Served, Tmux, spoke_command};

use std::time::Duration;

const START: Duration = Duration::from_secs(30);
const SHOWN: Duration = Duration::from_secs(30);
const MOVES: Duration = Duration::from_secs(60);

fn selected_row(screen: &str) -> Option<&str> {
    screen
        .lines()
        .find(|l| l.starts_with("│›"))
        .map(|l| l.split("││").next().unwrap_or(l))
}

/// Opens `profile` with `:profile`, and waits for its catalog.
fn switch_to(t: &Tmux, profile: &str, account: &str) {
    t.type_text(&format!(":profile {profile}"));
    t.keys(&["Enter"]);
    t.wait_for(&format!("{profile} open"), START, |s| {
        s.contains(&format!("profile {profile} ")) && s.contains(account) && !s.contains("Scanning")
    });
}

/// Closes the report of how an action ended, once it says it is done
/// and `text` (a key pressed before it shows would close it early).
fn done(t: &Tmux, what: &str, text: &str) -> String {
    let s = t.wait_for(what, MOVES, |s| {
        s.contains(text) && s.contains(": done") && s.contains("any key closes")
    });
    t.keys(&["Escape"]);
    t.wait_for("the report closed", SHOWN, |s| {
        !s.contains("any key closes")
    });
    s
}

#[test]
fn hub_and_spoke_from_nothing_in_the_console() {
    let home = tempfile::tempdir().unwrap();
    let world = format!("{}/assets/sandbox/empty.toml", env!("CARGO_MANIFEST_DIR"));
    let catalog = format!("{}/examples/catalog", env!("CARGO_MANIFEST_DIR"));
    let sandbox = Served::start_on(40, home.path(), &["--world", &world], "spoke-dev");
    let t = Tmux::start(
        "hub-from-nothing",
        160,
        45,
        &format!(
            "AWS_CONFIG_FILE={} {}",
            sandbox.config.display(),
            spoke_command("--profile hub", home.path())
        ),
    );
    t.wait_for("the empty hub", START, |s| {
        s.contains("profile hub") && s.contains("Portfolios (0)")
    });

    // The hub: a portfolio.
    t.keys(&["n"]);
    t.wait_text("New local portfolio", SHOWN);
    t.type_text("Platform");
    t.keys(&["C-s"]);
    let s = t.wait_text("Do it?", SHOWN);
    assert!(
        s.contains("create the local portfolio Platform (provider hub"),
        "{s}"
    );
    t.keys(&["y"]);
    done(
        &t,
        "the portfolio created",
        "created the local portfolio Platform",
    );
    t.wait_for("the portfolio listed", SHOWN, |s| {
        s.contains("Portfolios (1)")
    });

    // A product from a template file, Tab completing its path.
    t.keys(&["2"]);
    t.keys(&["N"]);
    t.wait_text("New product", SHOWN);
    t.type_text("Queue");
    t.keys(&["Tab"]);
    t.type_text("platform");
    t.keys(&["Tab", "Tab", "Tab"]);
    t.type_text(&format!("{catalog}/queue-v"));
    t.keys(&["Tab"]);
    t.wait_text("2 matches: queue-v1.yaml, queue-v2.yaml", SHOWN);
    t.type_text("1");
    t.keys(&["Tab"]);
    t.wait_for("the path completed", SHOWN, |s| {
        s.contains("queue-v1.yaml") && !s.contains("2 matches")
    });
    // The bucket as offered; the portfolio to add it to.
    t.keys(&["Tab", "Tab", "Right"]);
    t.wait_text("Platform (port-", SHOWN);
    t.keys(&["C-s"]);
    let s = t.wait_text("Do it?", MOVES);
    assert!(s.contains("QueueName (String)"), "{s}");
    assert!(s.contains("CloudFormation validated it"), "{s}");
    assert!(
        s.contains("create the bucket spoke-templates-111122223333-us-east-1"),
        "{s}"
    );
    assert!(s.contains("add it to the local portfolio Platform"), "{s}");
    t.keys(&["y"]);
    done(&t, "the product created", "created Queue (prod-");

    // Shared with the spoke, TagOptions included.
    t.keys(&["1"]);
    t.wait_for("Platform selected", SHOWN, |s| {
        selected_row(s).is_some_and(|r| r.contains("Platform"))
    });
    t.keys(&["s"]);
    t.wait_text("Share Platform", SHOWN);
    t.type_text("222233334444");
    t.keys(&["Tab", "Tab", "Tab", "Space"]);
    t.keys(&["C-s"]);
    t.wait_text("Do it?", SHOWN);
    t.keys(&["y"]);
    done(&t, "the share sent", "222233334444");

    // The spoke accepts it into a new local portfolio, with a principal.
    switch_to(&t, "spoke-dev", "222233334444");
    t.keys(&["a"]);
    t.wait_text("Accept a portfolio share", SHOWN);
    t.wait_text("Platform (port-", SHOWN);
    t.keys(&["Tab", "Tab", "Tab", "Right"]);
    t.wait_text("(a new local portfolio, named below)", SHOWN);
    t.keys(&["Tab"]);
    t.type_text("Team");
    t.keys(&["Tab", "Tab"]);
    t.type_text("role/Developer");
    t.keys(&["C-s"]);
    let s = t.wait_text("Do it?", SHOWN);
    assert!(s.contains("a new local portfolio Team"), "{s}");
    t.keys(&["y"]);
    let s = t.wait_text("create the local portfolio Team", MOVES);
    assert!(
        s.contains("add Queue to Team with a launch constraint"),
        "{s}"
    );
    assert!(s.contains("role/Developer (IAM) launch from Team"), "{s}");
    t.keys(&["y"]);
    done(
        &t,
        "the products added",
        "Queue: added, launch constraint cons-",
    );

    // Launched from the local portfolio (its launch constraint).
    t.keys(&["1"]);
    t.type_text("/Team");
    t.keys(&["Enter", "Enter"]);
    t.wait_for("the products of Team", SHOWN, |s| {
        selected_row(s).is_some_and(|r| r.contains("Queue"))
    });
    t.keys(&["l"]);
    let s = t.wait_text("Launch Queue", SHOWN);
    assert!(s.contains("Team (lpv3-") && s.contains("LAUNCH"), "{s}");
    t.keys(&["Tab", "Tab"]);
    t.type_text("orders-queue");
    t.keys(&["Tab"]);
    t.type_text("orders");
    t.keys(&["C-s"]);
    t.wait_text("Do it?", SHOWN);
    t.keys(&["y"]);
    done(&t, "the launch settled", "orders-queue: SUCCEEDED");

    // The hub publishes v2 from the next template file.
    switch_to(&t, "hub", "111122223333");
    t.keys(&["2"]);
    t.wait_for("Queue selected", SHOWN, |s| {
        selected_row(s).is_some_and(|r| r.contains("Queue"))
    });
    t.keys(&["n"]);
    let s = t.wait_text("New version of Queue", SHOWN);
    assert!(s.contains("v2"), "the next name offered: {s}");
    t.keys(&["Tab", "Tab"]);
    t.type_text(&format!("{catalog}/queue-v2.yaml"));
    t.keys(&["C-s"]);
    let s = t.wait_text("Do it?", MOVES);
    assert!(s.contains("add version v2 to Queue"), "{s}");
    t.keys(&["y"]);
    done(&t, "v2 published", "added version v2 (pa-");

    // The spoke sees its queue behind.
    switch_to(&t, "spoke-dev", "222233334444");
    t.keys(&["4"]);
    t.wait_for("orders-queue behind", SHOWN, |s| {
        s.lines()
            .any(|l| l.contains("orders-queue") && l.contains("BEHIND 1"))
    });

    // The hub opts the product in to auto-update.
    switch_to(&t, "hub", "111122223333");
    t.keys(&["2"]);
    t.wait_for("Queue selected", SHOWN, |s| {
        selected_row(s).is_some_and(|r| r.contains("Queue") && r.contains(" no "))
    });
    t.keys(&["A"]);
    let s = t.wait_text("Do it?", SHOWN);
    assert!(
        s.contains("create the TagOption AutoUpdateProvisionedProduct=true"),
        "{s}"
    );
    t.keys(&["y"]);
    done(&t, "opted in", "Queue opted in");
    t.wait_for("Queue shown opted in", SHOWN, |s| {
        selected_row(s).is_some_and(|r| r.contains("Queue") && r.contains(" yes "))
    });

    // The spoke's bulk update, default policy, takes it: CURRENT.
    switch_to(&t, "spoke-dev", "222233334444");
    t.keys(&["4"]);
    t.wait_text("orders-queue", SHOWN);
    t.keys(&["U"]);
    t.wait_for("the plan", MOVES, |s| {
        s.contains("Type update to go ahead") && s.contains("orders-queue")
    });
    t.type_text("update");
    t.keys(&["Enter"]);
    t.wait_for("the run, done, none failed", MOVES, |s| {
        s.contains("Bulk update: done") && s.contains("0 failed")
    });
    t.keys(&["Escape"]);
    t.wait_for("orders-queue current", MOVES, |s| {
        s.lines()
            .any(|l| l.contains("orders-queue") && l.contains("CURRENT"))
    });
    t.keys(&["q"]);
    let s = t.wait_text("TTY-END", START);
    assert!(s.contains("EXITED=0"), "{s}");

    // Every change journaled.
    let journal = home.path().join("data/spoke/journal.jsonl");
    let text = std::fs::read_to_string(&journal)
        .or_else(|_| std::fs::read_to_string(home.path().join("data/spoke/sandbox-journal.jsonl")))
        .unwrap();
    for op in [
        "CreatePortfolio",
        "CreateBucket",
        "PutObject",
        "CreateProduct",
        "CreatePortfolioShare",
        "AcceptPortfolioShare",
        "AssociatePrincipalWithPortfolio",
        "ProvisionProduct",
        "CreateProvisioningArtifact",
        "CreateTagOption",
        "AssociateTagOptionWithResource",
        "UpdateProvisionedProduct",
    ] {
        assert!(text.contains(&format!("\"{op}\"")), "{op} journaled");
    }
}

/// `:sync DIR` in the console: the plan as a dialog, applied once `sync`
/// is typed, then the hub in step.
#[test]
fn a_catalog_folder_is_synced_from_the_console() {
    let home = tempfile::tempdir().unwrap();
    let world = format!("{}/assets/sandbox/empty.toml", env!("CARGO_MANIFEST_DIR"));
    let catalog = home.path().join("catalog");
    let portfolio = catalog.join("portfolio-infra");
    std::fs::create_dir_all(&portfolio).unwrap();
    std::fs::copy(
        format!(
            "{}/examples/catalog/queue-v1.yaml",
            env!("CARGO_MANIFEST_DIR")
        ),
        portfolio.join("queue.yaml"),
    )
    .unwrap();
    std::fs::write(
        portfolio.join("mapping.yaml"),
        "name: Infrastructure\nowner: operations\nproducts:\n- name: queue-product\n  template: queue.yaml\n  owner: platform\naccounts:\n- number: 222233334444\n",
    )
    .unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[profiles.hub]\ntemplate_bucket = \"hub-catalog\"\n",
    )
    .unwrap();
    let sandbox = Served::start_on(40, home.path(), &["--world", &world], "spoke-dev");
    let t = Tmux::start(
        "sync-console",
        160,
        45,
        &format!(
            "AWS_CONFIG_FILE={} {}",
            sandbox.config.display(),
            spoke_command(
                &format!(
                    "--profile hub --config {}/config.toml",
                    home.path().display()
                ),
                home.path()
            )
        ),
    );
    t.wait_for("the empty hub", START, |s| {
        s.contains("profile hub") && s.contains("Portfolios (0)")
    });
    t.type_text(&format!(":sync {}", catalog.display()));
    t.keys(&["Enter"]);
    let s = t.wait_text("Type sync to go ahead", MOVES);
    assert!(
        s.contains("+ portfolio Infrastructure (provider operations)"),
        "{s}"
    );
    assert!(
        s.contains("+ share Infrastructure with account 222233334444"),
        "{s}"
    );
    t.type_text("sync");
    t.keys(&["Enter"]);
    done(&t, "the sync applied", "+ product queue-product");
    t.wait_for("the portfolio listed", SHOWN, |s| {
        s.contains("Portfolios (1)")
    });
    // Again: in step.
    t.type_text(&format!(":sync {}", catalog.display()));
    t.keys(&["Enter"]);
    t.wait_for("in step", MOVES, |s| {
        s.contains("in step: nothing to change") && s.contains("any key closes")
    });
    t.keys(&["Escape"]);
    t.wait_for("the report closed", SHOWN, |s| {
        !s.contains("any key closes")
    });
    t.keys(&["q"]);
    let s = t.wait_text("TTY-END", START);
    assert!(s.contains("EXITED=0"), "{s}");
}
