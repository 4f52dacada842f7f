//! A read-only session changes nothing, whatever is pressed: the real
//! console under `--read-only`, on a sandbox of its own that logs every
//! call it answers; every key of the keymap in every screen (and the
//! forms, plans and dialogs they open), every `:` command; then the
//! sandbox's call log must hold no call that mutates.

use crate::fixtures::tmux;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyModifiers};
use spoke::tui::keymap::{Action, Keymap};
use spoke::tui::widgets::command::COMMANDS;
use tmux::{Served, Tmux, spoke_command};

/// Every Service Catalog, CloudFormation, STS and Organizations operation
/// that changes something (the sandbox's and more).
const MUTATING: &[&str] = &[
    "CreatePortfolioShare",
    "DeletePortfolioShare",
    "AcceptPortfolioShare",
    "RejectPortfolioShare",
    "AssociateProductWithPortfolio",
    "DisassociateProductFromPortfolio",
    "CreateConstraint",
    "DeleteConstraint",
    "UpdateConstraint",
    "ProvisionProduct",
    "UpdateProvisionedProduct",
    "TerminateProvisionedProduct",
    "CreateProvisionedProductPlan",
    "ExecuteProvisionedProductPlan",
    "DeleteProvisionedProductPlan",
    "CreatePortfolio",
    "DeletePortfolio",
    "CreateProduct",
    "DeleteProduct",
    "CreateProvisioningArtifact",
    "UpdateProvisioningArtifact",
    "DeleteProvisioningArtifact",
    "UpdateProduct",
    "UpdatePortfolio",
    "AssociatePrincipalWithPortfolio",
    "DisassociatePrincipalFromPortfolio",
    "CreateTagOption",
    "AssociateTagOptionWithResource",
    "DisassociateTagOptionFromResource",
    "CreateBucket",
    "PutObject",
    "DeleteProduct",
    "CreateStack",
    "UpdateStack",
    "DeleteStack",
];

/// A key of the keymap as tmux names it.
fn tmux_name(key: &spoke::tui::keymap::Key) -> Option<String> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let name = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(';') => "\\;".to_string(),
        KeyCode::Char(c) if ctrl => format!("C-{c}"),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Escape".into(),
        KeyCode::Up => "Up".into(),
        KeyCode::Down => "Down".into(),
        KeyCode::Left => "Left".into(),
        KeyCode::Right => "Right".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PPage".into(),
        KeyCode::PageDown => "NPage".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "BTab".into(),
        KeyCode::Backspace => "BSpace".into(),
        _ => return None,
    };
    Some(name)
}

fn mutations(log: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|c| {
            c["operation"]
                .as_str()
                .is_some_and(|op| MUTATING.contains(&op))
        })
        .map(|c| c.to_string())
        .collect()
}

#[test]
fn every_key_and_command_of_a_read_only_session_changes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let log = home.path().join("calls.jsonl");
    let sandbox = Served::start_with(30, home.path(), &["--call-log", log.to_str().unwrap()]);
    let t = Tmux::start(
        "read-only-keys",
        180,
        50,
        &format!(
            "AWS_CONFIG_FILE={} {}",
            sandbox.config.display(),
            spoke_command("--read-only --profile spoke-dev", home.path())
        ),
    );
    t.wait_for("spoke-dev, read-only", Duration::from_secs(30), |s| {
        s.contains(" RO ") && s.contains("Dev Team Catalog")
    });
    let keymap = Keymap::defaults();
    let quits = [Action::Quit];
    let screens = ["1", "2", "3", "4", "5"];
    let mut pressed = 0;
    for screen in screens {
        for action in Action::ALL.iter().filter(|a| !quits.contains(a)) {
            for key in keymap.keys(*action) {
                let Some(name) = tmux_name(key) else {
                    continue;
                };
                t.keys(&["Escape", "Escape", screen, "Home"]);
                t.keys(&[&name]);
                // What the key opened (a form, a plan, a picker): every
                // way through it that a hasty hand might take.
                t.keys(&["Enter", "y", "C-s", "Enter"]);
                t.type_text("update");
                t.keys(&["Enter", "Escape", "Escape", "Escape"]);
                pressed += 1;
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    // Every command of the command line but :quit.
    for command in COMMANDS.iter().filter(|c| c.name != "quit") {
        t.keys(&["Escape", "Escape"]);
        t.type_text(&format!(":{}", command.name));
        t.keys(&["Enter", "Enter", "y"]);
        t.type_text("update");
        t.keys(&["Enter", "Escape", "Escape"]);
        pressed += 1;
    }
    // Let anything a key set off reach the sandbox, then leave.
    std::thread::sleep(Duration::from_secs(3));
    t.keys(&["Escape", "Escape", "Escape"]);
    t.type_text(":q");
    t.keys(&["Enter"]);
    let s = t.wait_text("TTY-END", Duration::from_secs(30));
    assert!(s.contains("EXITED=0"), "{s}");
    assert!(pressed > 150, "{pressed} keys and commands tried");

    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(
        calls.lines().count() > 40,
        "the session did read (the catalog, events…): {} calls",
        calls.lines().count()
    );
    assert_eq!(
        mutations(&log),
        Vec::<String>::new(),
        "no call that mutates"
    );
    drop(sandbox);
}

#[test]
fn an_auditor_with_end_user_rights_sees_what_it_may_and_is_told_what_it_cannot() {
    let home = tempfile::tempdir().unwrap();
    let sandbox = Served::start_with(1, home.path(), &["--end-user-read-only", "spoke-dev"]);
    let t = Tmux::start(
        "end-user",
        200,
        45,
        &format!(
            "AWS_CONFIG_FILE={} {}",
            sandbox.config.display(),
            spoke_command("--read-only --profile spoke-dev", home.path())
        ),
    );
    // Each screen is read whole once its rows and its warning are both in
    // (a capture can land between the two halves of a redraw).
    let s = t.wait_for(
        "the portfolios an end user sees",
        Duration::from_secs(30),
        |s| {
            s.contains("local portfolios and their shares are not shown")
                && s.contains("Platform Foundations")
        },
    );
    assert!(s.contains("ListPortfolios is denied to this caller"), "{s}");
    t.keys(&["2"]);
    t.wait_for(
        "the products an end user sees",
        Duration::from_secs(10),
        |s| {
            s.contains("the products as an end user sees them")
                && s.contains("not known (end-user view)")
        },
    );
    t.keys(&["4"]);
    t.wait_for(
        "the end user's own provisioned products, with drift",
        Duration::from_secs(10),
        |s| {
            s.contains("only the caller's own provisioned products")
                && (s.contains("BEHIND") || s.contains("CURRENT"))
        },
    );
    t.keys(&["q"]);
    let s = t.wait_text("TTY-END", Duration::from_secs(30));
    assert!(s.contains("EXITED=0"), "{s}");
}
