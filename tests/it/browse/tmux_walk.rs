//! The console as a person uses it: started from the command line on the
//! sandbox, driven with keys in tmux, its screen read back.

use crate::fixtures::tmux;

use std::time::Duration;

use tmux::{Served, Tmux, spoke_command};

const START: Duration = Duration::from_secs(30);
/// How long a screen has to follow a key (a scan, a profile switch).
const SHOWN: Duration = Duration::from_secs(30);
/// How long a moving stack has to show a new event, or the console to poll it.
const MOVES: Duration = Duration::from_secs(60);

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

/// The row count of an unfiltered table titled `title`: 39 for
/// `Stack events of prod-orders-db` in `… prod-orders-db (39) ──`; none
/// while filtered (`(2 of 39)`) or not shown.
fn count_in_title(screen: &str, title: &str) -> Option<usize> {
    let prefix = format!("{title} (");
    let rest = &screen[screen.find(&prefix)? + prefix.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if !rest[digits.len()..].starts_with(')') {
        return None;
    }
    digits.parse().ok()
}

/// The stack events of prod-orders-db, counted.
/// (Of its update's time, as opened from its record: the count is the last
/// `(N)` of the title.)
fn events_of_orders_db(screen: &str) -> Option<usize> {
    let title = "Stack events of prod-orders-db during rec-";
    let line = screen.lines().find(|l| l.contains(title))?;
    let rest = &line[line.find(title)?..];
    let rest = rest[..rest.find(['─', '┐'])?].trim_end();
    let open = rest.rfind('(')?;
    rest[open + 1..].strip_suffix(')')?.parse().ok()
}

/// The status line's drift summary (`14 provisioned: 6 CURRENT · 8 BEHIND`),
/// whatever the case of its labels.
fn drift_summary(screen: &str) -> Option<&str> {
    screen.lines().find(|l| {
        let l = l.to_lowercase();
        l.contains(" provisioned: ") && l.contains("behind")
    })
}

/// A table row with `name` in it that is behind (`BEHIND 2` or
/// `behind 2`), the detail pane on its right left out.
fn drifted_row<'a>(screen: &'a str, name: &str) -> Option<&'a str> {
    screen
        .lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| l.split("││").next().unwrap_or(l))
        .find(|row| row.contains(name) && row.to_lowercase().contains("behind"))
}

/// The selected row of the table in front (marked `›`), without the
/// detail pane on its right.
fn selected_row(screen: &str) -> Option<&str> {
    screen
        .lines()
        .find(|l| l.starts_with("│›"))
        .map(|l| l.split("││").next().unwrap_or(l))
}

/// `q`: spoke exits with 0 and gives the terminal back in cooked mode.
fn quits_cleanly(t: &Tmux) {
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

// Every wait below names all that the screen must show at once: tmux may
// capture a frame half drawn, so what is asserted is waited for.

/// On spoke-prod: `:pp`, the drift summary and a drifted row, then
/// `/orders-db`, Enter on prod-orders-db (its records) and Enter on its
/// running update: the stack's events of that update, moving.
/// Returns that screen.
fn open_the_moving_stack(t: &Tmux) -> String {
    t.type_text(":pp");
    t.keys(&["Enter"]);
    t.wait_for(
        "the provisioned products, a drifted row, the drift summary, prod-orders-db UNDER_CHANGE",
        SHOWN,
        |s| {
            s.contains("Provisioned products (")
                && drift_summary(s).is_some()
                && drifted_row(s, "prod-").is_some()
                && s.lines()
                    .any(|l| l.contains("prod-orders-db") && l.contains("UNDER_CHANGE"))
        },
    );

    t.type_text("/orders-db");
    t.keys(&["Enter"]);
    t.wait_for("prod-orders-db alone, selected", SHOWN, |s| {
        s.contains("Provisioned products (1 of ")
            && selected_row(s).is_some_and(|r| r.contains("prod-orders-db"))
    });

    // Enter: its records, the update running on top.
    t.keys(&["Enter"]);
    t.wait_for(
        "the records of prod-orders-db, its update running",
        SHOWN,
        |s| {
            s.contains("Records of prod-orders-db")
                && selected_row(s).is_some_and(|r| {
                    r.contains("UPDATE_PROVISIONED_PRODUCT") && r.contains("IN_PROGRESS")
                })
        },
    );
    // Enter on the update: the stack's events since it started, moving.
    t.keys(&["Enter"]);
    t.wait_for("the stack events of prod-orders-db, moving", SHOWN, |s| {
        events_of_orders_db(s).is_some_and(|n| n > 0)
            && selected_row(s).is_some()
            && s.contains("UPDATE_IN_PROGRESS")
    })
}

/// The walk through the console, on `spoke --sandbox` as a user
/// starts it. That sandbox runs at real speed: prod-orders-db's update
/// started 20 s before it, and all its events but the DB instance's
/// (about ten minutes later) are in when the events screen opens. What
/// shows the stack is followed live is the console asking for its new
/// events every 2 s (`@`); new events arriving are seen in
/// `a_moving_stack_shows_its_new_events_as_they_arrive`, on a faster sandbox.
#[test]
fn sandbox_console_follows_a_moving_stack_then_switches_profile() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "moving-stack",
        160,
        45,
        &spoke_command("--sandbox --profile spoke-prod", home.path()),
    );
    t.wait_for("spoke-prod connected", START, |s| {
        s.contains("profile spoke-prod") && s.contains("333344445555")
    });

    let s = open_the_moving_stack(&t);
    let events = events_of_orders_db(&s).unwrap();

    // The console keeps asking the moving stack for its new events.
    t.keys(&["@"]);
    let s = t.wait_for("the call log", SHOWN, |s| {
        count_in_title(s, "AWS calls").is_some()
    });
    let calls = count_in_title(&s, "AWS calls").unwrap();
    t.wait_for("two more DescribeStackEvents calls", MOVES, |s| {
        count_in_title(s, "AWS calls").is_some_and(|n| n >= calls + 2)
            && s.contains("DescribeStackEvents")
    });
    t.keys(&["Escape"]);
    t.wait_for("the call log closed, the events kept", SHOWN, |s| {
        !s.contains("AWS calls (") && events_of_orders_db(s).is_some_and(|n| n >= events)
    });

    // Back to the records, then the provisioned products, the filter kept.
    t.keys(&["Escape"]);
    t.wait_for("the records again", SHOWN, |s| {
        s.contains("Records of prod-orders-db") && !s.contains("Stack events of")
    });
    t.keys(&["Escape"]);
    t.wait_for("the provisioned products, still filtered", SHOWN, |s| {
        !s.contains("Stack events of")
            && s.contains("Provisioned products (1 of ")
            && selected_row(s).is_some_and(|r| r.contains("prod-orders-db"))
    });

    // Another profile: its account, and its catalog on the same screen.
    t.type_text(":profile spoke-dev");
    t.keys(&["Enter"]);
    t.wait_for("spoke-dev's provisioned products", START, |s| {
        s.contains("profile spoke-dev")
            && s.contains("222233334444")
            && s.contains("dev-orders-db")
            && !s.contains("prod-orders-db")
    });

    quits_cleanly(&t);
}

/// New events of a moving stack show as they arrive, the newest selected.
/// `spoke --sandbox` runs its sandbox at real speed, where prod-orders-db's
/// next event comes about ten minutes after the start; so the sandbox runs
/// on its own here, twelve times faster (the DB instance is done about
/// 49 s after it starts), and the console reads it through the AWS config
/// file it wrote, as the README shows.
#[test]
fn a_moving_stack_shows_its_new_events_as_they_arrive() {
    const SPEED: u32 = 12;
    let home = tempfile::tempdir().unwrap();
    let sandbox = Served::start(SPEED, home.path());
    let t = Tmux::start(
        "new-events",
        160,
        45,
        &format!(
            "AWS_CONFIG_FILE={} {}",
            sandbox.config.display(),
            spoke_command("--profile spoke-prod", home.path())
        ),
    );
    t.wait_for("spoke-prod connected", START, |s| {
        s.contains("profile spoke-prod") && s.contains("333344445555")
    });

    let s = open_the_moving_stack(&t);
    let events = events_of_orders_db(&s).unwrap();
    let newest = selected_row(&s).unwrap().to_string();
    // prod-orders-db's DB instance is done 584 sandbox seconds after the
    // start (its update began 20 s before; the instance takes 600 s).
    let done = Duration::from_secs(584) / SPEED;
    assert!(
        sandbox.started.elapsed() + Duration::from_secs(3) < done,
        "the console took {:?} to open the events, too close to the end of the update ({done:?}): {s}",
        sandbox.started.elapsed()
    );

    // Followed: the newest event, a new one, is selected.
    t.wait_for(
        "new events of prod-orders-db, the newest selected",
        MOVES,
        |s| {
            events_of_orders_db(s).is_some_and(|n| n > events)
                && selected_row(s).is_some_and(|r| r != newest && r.contains("UPDATE_COMPLETE"))
        },
    );

    quits_cleanly(&t);
}

/// `?`, `@` and `P` open their overlays over the hub's portfolios, and Esc
/// closes each.
#[test]
fn help_call_log_and_profile_picker_open_and_close() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "overlays",
        160,
        40,
        &spoke_command("--sandbox", home.path()),
    );
    t.wait_text("Platform Foundations", START);

    // `?`: the keys and the commands.
    t.keys(&["?"]);
    t.wait_for("the help", SHOWN, |s| {
        s.contains("┌ Help") && s.contains("next row") && s.contains(":profile")
    });
    t.keys(&["Escape"]);
    t.wait_for("the help closed", SHOWN, |s| {
        !s.contains("┌ Help") && s.contains("Platform Foundations")
    });

    // `@`: the calls of the scan, newest first; the filter finds the first ones.
    t.keys(&["@"]);
    t.wait_for("the call log", SHOWN, |s| {
        count_in_title(s, "AWS calls").is_some_and(|n| n > 0) && s.contains("Service Catalog")
    });
    for operation in ["ListPortfolios", "SearchProvisionedProducts"] {
        t.keys(&["/"]);
        t.type_text(operation);
        t.wait_for(&format!("{operation} in the call log"), SHOWN, |s| {
            s.contains("AWS calls (")
                && s.lines().any(|l| {
                    l.contains(&format!(" {operation} "))
                        && l.contains("111122223333")
                        && l.contains(" ok ")
                })
        });
        // Esc clears the filter and leaves it: the whole log again.
        t.keys(&["Escape"]);
        t.wait_for("the call log unfiltered", SHOWN, |s| {
            count_in_title(s, "AWS calls").is_some() && !s.contains(&format!("/{operation}"))
        });
    }
    t.keys(&["Escape"]);
    t.wait_for("the call log closed", SHOWN, |s| {
        !s.contains("AWS calls (") && s.contains("Platform Foundations")
    });

    // `P`: every profile of the sandbox.
    t.keys(&["P"]);
    t.wait_for("the four profiles in the picker", SHOWN, |s| {
        s.contains("Profiles (4)")
            && ["hub (current)", "spoke-dev", "spoke-prod", "spoke-data"]
                .iter()
                .all(|p| s.contains(p))
    });
    t.keys(&["Escape"]);
    t.wait_for("the picker closed, still on the hub", SHOWN, |s| {
        !s.contains("Profiles (") && s.contains("Platform Foundations") && s.contains("profile hub")
    });

    quits_cleanly(&t);
}

/// Issue 4's walk: on spoke-dev, `2`, the S3 Bucket product, `l`; the form
/// asks for a launch path (the product is in two portfolios), then shows
/// the parameters; a name is typed, `Ctrl-s` shows the plan, `y` launches;
/// the events screen follows the new stack until CREATE_COMPLETE and the
/// result shows the outputs. The journal (`:log`) has the launch.
#[test]
fn launching_a_product_from_the_console_follows_its_stack_to_the_end() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "launch",
        160,
        45,
        &spoke_command(
            "--sandbox --sandbox-speed 30 --profile spoke-dev",
            home.path(),
        ),
    );
    t.wait_for("spoke-dev connected", START, |s| {
        s.contains("profile spoke-dev") && s.contains("Dev Team Catalog")
    });
    t.keys(&["2"]);
    t.wait_for("the products, the whole catalog in", SHOWN, |s| {
        s.contains("Products (") && s.contains("S3 Bucket") && s.contains(" provisioned: ")
    });
    t.type_text("/S3 Bucket");
    t.keys(&["Enter"]);
    t.wait_for("S3 Bucket selected", SHOWN, |s| {
        selected_row(s).is_some_and(|r| r.contains("S3 Bucket"))
    });
    t.keys(&["l"]);
    // A path is preselected and its parameters shown at once, no error.
    let s = t.wait_for(
        "the form with the preselected path's parameters",
        SHOWN,
        |s| s.contains("Launch path*") && s.contains("BucketPurpose"),
    );
    assert!(
        !s.contains('✗'),
        "no error before anything was touched: {s}"
    );
    let path_line = |s: &str| {
        s.lines()
            .find(|l| l.contains("Launch path*"))
            .map(|l| {
                l.split("Launch path*")
                    .nth(1)
                    .unwrap_or("")
                    .trim()
                    .to_string()
            })
            .unwrap_or_default()
    };
    let first = path_line(&s);
    // Another path: Tab to it, the next option, then submit to read its parameters.
    t.keys(&["Tab", "Right", "C-s"]);
    // The new form is in once the read is done (the choice moves before).
    t.wait_for("the parameters of that path", SHOWN, |s| {
        s.contains("BucketPurpose")
            && s.contains("Name")
            && path_line(s) != first
            && !s.contains("Reading the parameters")
            // A new form starts on its first field.
            && s.contains("› Version")
    });
    t.keys(&["Tab", "Tab"]);
    t.type_text("dev-tmux-bucket");
    t.keys(&["C-s"]);
    let s = t.wait_text("Do it?", SHOWN);
    assert!(s.contains("dev-tmux-bucket"), "the plan names it: {s}");
    t.keys(&["y"]);
    let s = t.wait_for("the new stack, complete, and the outputs", MOVES, |s| {
        s.contains("Stack events of dev-tmux-bucket")
            && s.contains("CREATE_COMPLETE")
            && s.contains("SUCCEEDED")
            && s.contains("output BucketName")
    });
    assert!(s.contains("FOLLOWING"), "{s}");
    t.keys(&["x"]);
    t.type_text(":log");
    t.keys(&["Enter"]);
    t.wait_for("the launch in the journal", SHOWN, |s| {
        s.contains("Journal")
            && s.lines()
                .any(|l| l.contains("ProvisionProduct") && l.contains("dev-tmux-bucket"))
    });
    t.escape();
    quits_cleanly(&t);
    // The journal: the launch's intent and its result, private to the user.
    let journal = home.path().join("data/spoke/sandbox-journal.jsonl");
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(text.lines().count() >= 2, "{text}");
    assert!(text.contains("\"phase\":\"intent\"") && text.contains("\"phase\":\"result\""));
    assert!(
        text.lines()
            .any(|l| l.contains("\"phase\":\"settled\"") && l.contains("SUCCEEDED")),
        "how the launch ended is journaled: {text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&journal).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn an_organization_fleet_is_updated_in_bulk_from_the_console() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "fleet",
        200,
        50,
        &spoke_command(
            "--sandbox --sandbox-speed 60 --org-role OrganizationAccountAccessRole",
            home.path(),
        ),
    );
    // Every account of the organization, through the role, on one screen.
    // (Each wait names all it needs: a capture can land mid-redraw.)
    t.wait_for("the four accounts scanned, each with rows", START, |s| {
        s.contains("Account")
            && s.contains("4 of 4 accounts")
            && s.contains("fleet 4 accounts")
            && ["hub", "spoke-dev", "spoke-prod", "spoke-data"]
                .iter()
                .all(|a| s.lines().any(|l| l.contains(&format!("│   {a} "))))
    });
    // The default policy: the products opted in with the AutoUpdate tag.
    t.keys(&["U"]);
    // An opted-in drifted product, and skips that say why.
    t.wait_for("the plan, whole", MOVES, |s| {
        s.contains("Type update to go ahead")
            && s.contains("tag AutoUpdateProvisionedProduct=true")
            && s.contains("dev-alerts")
            && s.contains("not opted in")
            && s.contains("TAINTED")
    });
    t.type_text("update");
    t.keys(&["Enter"]);
    t.wait_for("the run, done, none failed", MOVES, |s| {
        s.contains("Bulk update: done")
            && s.contains("0 failed")
            && s.contains("✓ SUCCEEDED")
            && s.contains("Report: ")
    });
    t.escape();
    // Read again: what was updated is current now.
    t.type_text("/dev-alerts");
    t.keys(&["Enter"]);
    t.wait_for("dev-alerts current", SHOWN, |s| {
        selected_row(s).is_some_and(|r| r.contains("dev-alerts") && r.contains("CURRENT"))
    });
    // Its stack lives in spoke-dev, not in the hub the console opened on:
    // its records and events are read through spoke-dev's assumed role.
    // Enter: its records, the update just made the newest.
    t.keys(&["Enter"]);
    t.wait_for("the records of dev-alerts, the update on top", SHOWN, |s| {
        s.contains("Records of dev-alerts")
            && selected_row(s).is_some_and(|r| {
                r.contains("UPDATE_PROVISIONED_PRODUCT") && r.contains("SUCCEEDED")
            })
            && s.contains("PROVISION_PRODUCT")
    });
    // Enter on it: the stack's events of that update's time.
    t.keys(&["Enter"]);
    t.wait_for("the events of dev-alerts' update", SHOWN, |s| {
        s.contains("Stack events of dev-alerts during rec-") && s.contains("UPDATE_COMPLETE")
    });
    t.keys(&["Escape", "Escape", "Escape"]);
    quits_cleanly(&t);
    // Each update is journaled with the batch it belongs to.
    let journal = home.path().join("data/spoke/sandbox-journal.jsonl");
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(
        text.lines().any(|l| l.contains("UpdateProvisionedProduct")
            && l.contains("\"batch\"")
            && l.contains("dev-alerts")),
        "{text}"
    );
    assert!(
        text.contains("CreateProvisionedProductPlan")
            && text.contains("DeleteProvisionedProductPlan"),
        "the risk was asked with a plan, deleted once read: {text}"
    );
}

#[test]
fn a_profile_the_config_makes_read_only_opens_read_only() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("spoke.toml");
    std::fs::write(&config, "[profiles.spoke-prod]\nread_only = true\n").unwrap();
    let t = Tmux::start(
        "per-profile-read-only",
        160,
        40,
        &spoke_command(
            &format!("--sandbox --config {}", config.display()),
            home.path(),
        ),
    );
    // The hub may change things: RW, and its act keys show.
    t.wait_for("the hub, read-write", START, |s| {
        s.contains("Platform Foundations") && s.contains(" RW ") && s.contains("s share")
    });
    t.type_text(":profile spoke-prod");
    t.keys(&["Enter"]);
    // No act key in a read-only session.
    t.wait_for("spoke-prod, read-only, no act key", SHOWN, |s| {
        s.contains("333344445555") && s.contains(" RO ") && !s.contains("s share")
    });
    // And back: the hub is writable again.
    t.type_text(":profile hub");
    t.keys(&["Enter"]);
    t.wait_for("the hub, read-write", SHOWN, |s| {
        s.contains("111122223333") && s.contains(" RW ")
    });
    quits_cleanly(&t);
}

/// A portfolio whose name carries a window-title change, a clear-screen
/// and a right-to-left override, as data from an account might: the
/// console shows them as visible stand-ins and the terminal obeys none.
#[test]
fn escape_sequences_in_aws_names_are_shown_never_obeyed() {
    let home = tempfile::tempdir().unwrap();
    let world = home.path().join("hostile.toml");
    // Renamed everywhere the world names it.
    let text = spoke::sandbox::DEFAULT_WORLD.replace(
        "\"Platform Foundations\"",
        "\"Platform Foundations\\u001b]0;pwned\\u0007\\u001b[2J\\u202e\"",
    );
    assert_ne!(text, spoke::sandbox::DEFAULT_WORLD);
    std::fs::write(&world, text).unwrap();
    let sandbox = Served::start_with(1, home.path(), &["--world", world.to_str().unwrap()]);
    let t = Tmux::start(
        "hostile-names",
        160,
        40,
        &format!(
            "AWS_CONFIG_FILE={} {}",
            sandbox.config.display(),
            spoke_command("--profile hub", home.path())
        ),
    );
    let before = t.pane_title();
    // Shown as what it is, in its row and (selected first) in the detail
    // pane; the screen not cleared under the table.
    let s = t.wait_for("the row and its detail", START, |s| {
        s.contains("Platform Foundations␛]0;pwned␇␛[2J? port-")
            && s.contains("Name         Platform Foundations␛]0;pwned␇␛[2J?")
    });
    assert!(
        s.contains("profile hub") && s.contains("Hub Operations"),
        "{s}"
    );
    assert!(!s.contains('\u{202e}'), "{s}");
    let title = t.pane_title();
    assert!(
        !title.contains("pwned"),
        "the terminal's title was changed: {title:?} (was {before:?})"
    );
    quits_cleanly(&t);
}

/// The hub's side in the console: on hub, `2`, SNS Alerts Topic, `V`; the
/// form offers its versions (the latest preselected) and what to do;
/// `Ctrl-s` shows the plan with what it means for the spokes, `y` does it,
/// and the journal (`:log`) has it.
#[test]
fn deprecating_a_version_from_the_console() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "versions",
        160,
        45,
        &spoke_command("--sandbox --profile hub", home.path()),
    );
    t.wait_for("hub connected", START, |s| {
        s.contains("profile hub") && s.contains("Platform Foundations")
    });
    t.keys(&["2"]);
    t.wait_for("the products", SHOWN, |s| {
        s.contains("Products (") && s.contains("SNS Alerts Topic")
    });
    t.type_text("/SNS Alerts");
    t.keys(&["Enter"]);
    t.wait_for("SNS Alerts Topic selected", SHOWN, |s| {
        selected_row(s).is_some_and(|r| r.contains("SNS Alerts Topic"))
    });
    t.keys(&["V"]);
    let s = t.wait_text("Versions of SNS Alerts Topic", SHOWN);
    assert!(s.contains("v1.2 (pa-"), "the latest preselected: {s}");
    assert!(s.contains("deprecate"), "{s}");
    t.keys(&["C-s"]);
    let s = t.wait_text("Do it?", SHOWN);
    assert!(s.contains("deprecate v1.2 (pa-"), "{s}");
    assert!(
        s.contains("drift ON_DEPRECATED"),
        "what it means for the spokes: {s}"
    );
    t.keys(&["y"]);
    t.wait_text("deprecated v1.2 of SNS Alerts Topic", SHOWN);
    t.keys(&["x"]);
    t.type_text(":log");
    t.keys(&["Enter"]);
    t.wait_for("the change in the journal", SHOWN, |s| {
        s.contains("Journal") && s.lines().any(|l| l.contains("UpdateProvisioningArtifact"))
    });
    t.escape();
    quits_cleanly(&t);
}
