//! The console's screens and overlays drawn on a test backend, from the
//! fixture catalog (a spoke account with every drift state).

use crate::fixtures;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fixtures::console::{answer_events, connect, events_of, loaded, press, render, text, type_in};
use ratatui::style::Color;
use spoke::model::StackEvent;
use spoke::tui::app::{Command, Msg, State};
use spoke::tui::clock;
use spoke::tui::fixtures as data;
use spoke::tui::theme::Theme;

#[test]
fn portfolios_with_the_detail_pane() {
    let mut state = loaded();
    press(&mut state, KeyCode::Char('j'));
    let terminal = render(&mut state, 150, 16);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn provisioned_products_with_their_drift() {
    let mut state = loaded();
    press(&mut state, KeyCode::Char('4'));
    let terminal = render(&mut state, 150, 16);
    insta::assert_snapshot!(terminal.backend());

    // Drifted rows stand out: their colours come from the theme.
    let theme = Theme::default();
    let buffer = terminal.backend().buffer();
    // The colour of the first `word` on the row that shows `needle`.
    let fg_at = |needle: &str, word: &str| {
        let y = (0..buffer.area.height)
            .find(|&y| {
                let line: String = (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect();
                line.contains(needle) && line.contains(word)
            })
            .unwrap();
        let line: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        let start = line.find(word).unwrap();
        let column = line[..start].chars().count() as u16;
        buffer[(column, y)].fg
    };
    assert_eq!(
        fg_at("tgw-attach", "TAINTED"),
        theme.drift.tainted.fg.unwrap()
    );
    assert_eq!(
        fg_at("vpc-legacy", "BEHIND 1"),
        theme.drift.behind.fg.unwrap()
    );
    assert_eq!(fg_at("vpc-main", "CURRENT"), Color::Green);
    assert_eq!(
        fg_at("guardduty", "ON_INACTIVE"),
        theme.drift.inactive.fg.unwrap()
    );
    // The status line counts the states by the same names.
    let text = text(&terminal);
    assert!(
        text.contains(
            "7 provisioned: 2 CURRENT · 1 BEHIND · 1 ON_DEPRECATED · 1 ON_INACTIVE · 1 UNKNOWN · 1 TAINTED"
        ),
        "{text}"
    );
    // The whole row, not just the cell.
    assert_eq!(
        fg_at("tgw-attach", "tgw-attach"),
        theme.tones.bad.fg.unwrap()
    );
    assert_eq!(
        fg_at("vpc-legacy", "vpc-legacy"),
        theme.tones.warn.fg.unwrap()
    );
}

#[test]
fn products_of_a_portfolio_below_a_narrow_detail_pane() {
    let mut state = loaded();
    press(&mut state, KeyCode::Char('/'));
    type_in(&mut state, "net");
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Enter);
    let terminal = render(&mut state, 100, 30);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn stack_events_of_a_failed_update() {
    clock::fix(Some(data::moving_now()));
    let mut state = loaded();
    events_of(&mut state, 3, data::events());
    let terminal = render(&mut state, 150, 20);
    insta::assert_snapshot!(terminal.backend());
    // The reason is in red, the header says the stack is followed.
    let shown = text(&terminal);
    assert!(
        shown.contains("✗ Attachment: The subnet is in use"),
        "{shown}"
    );
    assert!(shown.contains("FOLLOWING · f freezes"), "{shown}");
}

#[test]
fn stack_events_of_a_moving_stack() {
    clock::fix(Some(data::moving_now()));
    let mut state = loaded();
    events_of(&mut state, 0, data::moving_events());
    let terminal = render(&mut state, 160, 40);
    insta::assert_snapshot!(terminal.backend());
    // Frozen, the header says so, and the hint bar offers to follow.
    press(&mut state, KeyCode::Char('f'));
    let terminal = render(&mut state, 160, 40);
    let shown = text(&terminal);
    assert!(shown.contains("FROZEN · f follows"), "{shown}");
    assert!(shown.contains(" f follow "), "{shown}");
    // Narrow, no timeline; the header stays.
    let terminal = render(&mut state, 100, 30);
    let shown = text(&terminal);
    assert!(!shown.contains("Timeline"), "{shown}");
    assert!(shown.contains("○ 2 pending"), "{shown}");
}

/// Ticks until the events screen polls; answers the poll with `result`.
fn poll(state: &mut State, result: Result<Vec<StackEvent>, String>) {
    let polled: Vec<Command> = (0..400).flat_map(|_| state.update(Msg::Tick)).collect();
    answer_events(state, &polled, result);
}

#[test]
fn stack_events_while_polls_fail_and_when_they_catch_up() {
    clock::fix(Some(data::moving_now()));
    let mut state = loaded();
    let events = data::moving_events();
    // Half-way through the update of the 20th.
    let held = events.len() - 5;
    events_of(&mut state, 0, events[..held].to_vec());
    let throttled = "DescribeStackEvents was throttled by AWS (Rate exceeded)".to_string();
    poll(&mut state, Err(throttled.clone()));
    poll(&mut state, Err(throttled));
    let terminal = render(&mut state, 120, 16);
    insta::assert_snapshot!(terminal.backend());
    let shown = text(&terminal);
    assert!(shown.contains("⚠ 2 polls failed in a row"), "{shown}");
    assert!(shown.contains("the events will catch up"), "{shown}");
    // Polls work again: the answer overlaps what is held (as it may when
    // a page was read before); nothing twice, nothing missing.
    poll(&mut state, Ok(events[held - 2..].to_vec()));
    let terminal = render(&mut state, 120, 16);
    let shown = text(&terminal);
    assert!(!shown.contains("polls failed"), "{shown}");
    assert!(
        shown.contains(&format!(
            "caught up with {} new events after 2 failed polls",
            events.len() - held
        )),
        "{shown}"
    );
    let watch = state.catalog().watch.as_ref().unwrap();
    let ids: Vec<&str> = watch
        .stack
        .events()
        .iter()
        .map(|e| e.event_id.as_str())
        .collect();
    let want: Vec<&str> = events.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids, want);
}

#[test]
fn the_first_read_of_a_stack_failing_is_said_in_the_table() {
    let mut state = loaded();
    press(&mut state, KeyCode::Char('4'));
    let commands = press(&mut state, KeyCode::Char('5'));
    answer_events(
        &mut state,
        &commands,
        Err("cannot reach https://cloudformation.eu-west-1.amazonaws.com".into()),
    );
    let shown = text(&render(&mut state, 120, 16));
    assert!(shown.contains("Cannot read the stack events of"), "{shown}");
    assert!(shown.contains("still trying"), "{shown}");
    // Nothing is known of the stack: the next try comes at the fast pace
    // (two seconds), not the settled one.
    let polled: Vec<Command> = (0..25).flat_map(|_| state.update(Msg::Tick)).collect();
    assert!(
        matches!(polled.as_slice(), [Command::LoadEvents { .. }]),
        "{polled:?}"
    );
    assert!(
        state.status().text.contains("still polling every 2s"),
        "{}",
        state.status().text
    );
}

#[test]
fn a_local_portfolio_and_whom_it_is_shared_with() {
    let mut state = loaded();
    let terminal = render(&mut state, 150, 20);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn the_help_overlay_filtered() {
    let mut state = loaded();
    press(&mut state, KeyCode::Char('?'));
    let terminal = render(&mut state, 110, 44);
    insta::assert_snapshot!("the_help_overlay", terminal.backend());
    type_in(&mut state, "mark");
    let terminal = render(&mut state, 110, 16);
    insta::assert_snapshot!("the_help_overlay_filtered", terminal.backend());
}

#[test]
fn the_command_line_with_completion() {
    let mut state = loaded();
    press(&mut state, KeyCode::Char(':'));
    type_in(&mut state, "p");
    press(&mut state, KeyCode::Tab);
    press(&mut state, KeyCode::Tab);
    let terminal = render(&mut state, 110, 16);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn the_profile_picker() {
    let mut state = loaded();
    press(&mut state, KeyCode::Char('P'));
    let terminal = render(&mut state, 110, 16);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn the_call_log() {
    let mut state = loaded();
    state.update(Msg::CallsLogged(data::calls()));
    press(&mut state, KeyCode::Char('@'));
    let terminal = render(&mut state, 120, 14);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn an_empty_table() {
    let mut state = State::new("spoke-dev", None, false);
    state.start();
    let request = connect(&mut state);
    let mut inventory = data::inventory();
    inventory.portfolios.clear();
    state.update(Msg::CatalogLoaded {
        generation: state.generation(),
        request,
        result: Ok(Box::new(inventory)),
    });
    let terminal = render(&mut state, 110, 12);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_filter_that_matches_nothing() {
    let mut state = loaded();
    press(&mut state, KeyCode::Char('/'));
    type_in(&mut state, "zzz");
    let terminal = render(&mut state, 110, 12);
    let text = text(&terminal);
    assert!(
        text.contains("No rows match /zzz — Esc clears the filter."),
        "{text}"
    );
    assert!(text.contains("/zzz█"), "{text}");
}

#[test]
fn a_loading_state() {
    let mut state = State::new("spoke-dev", None, true);
    state.start();
    connect(&mut state);
    for _ in 0..3 {
        state.update(Msg::Tick);
    }
    let terminal = render(&mut state, 110, 12);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn an_error_state() {
    let mut state = State::new("spoke-dev", None, false);
    state.start();
    state.update(Msg::ConnectFailed {
        generation: 1,
        error: "Profile spoke-dev: SSO token expired — run `aws sso login --profile spoke-dev`"
            .into(),
    });
    let terminal = render(&mut state, 110, 12);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_bad_keymap_file_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keymap.toml");
    std::fs::write(&path, "[actions]\ndown = [\"j\"]\ndwon = [\"n\"]\n").unwrap();
    let (keymap, error) = spoke::tui::keymap::Keymap::load(Some(&path));
    let mut state = State::with_keymap("spoke-dev", None, false, keymap);
    state.report(format!("{} (using the defaults)", error.unwrap()));
    state.start();
    let terminal = render(&mut state, 200, 8);
    let text = text(&terminal);
    let status = text.lines().nth(6).unwrap();
    assert!(
        status.contains(&format!(
            "✗ {}:3:1: unknown action `dwon`, expected one of: down, up",
            path.display()
        )),
        "{text}"
    );
}

#[test]
fn hints_overflow_behind_more() {
    let mut state = loaded();
    let terminal = render(&mut state, 80, 10);
    let text = text(&terminal);
    let hints = text.lines().last().unwrap();
    assert!(hints.contains(" q quit "), "{hints}");
    assert!(
        hints.trim_matches('"').trim_end().ends_with("? more…"),
        "{hints}"
    );
    let terminal = render(&mut state, 200, 10);
    let text = text.clone() + &self::text(&terminal);
    let hints = text.lines().last().unwrap();
    assert!(hints.contains("? help"), "{hints}");
    assert!(!hints.contains("more"), "{hints}");
}

/// `u` on vpc-legacy in a read-only session: the update form and its plan
/// open, marked read-only, with no way to submit.
#[test]
fn an_update_plan_in_a_read_only_session() {
    use spoke::model::{Parameter, ProvisioningParameters};
    use spoke::ops::act::request::Prepared;
    use spoke::ops::act::update::UpdateForm;

    let mut state = loaded();
    press(&mut state, KeyCode::Char('4'));
    type_in(&mut state, "/vpc-legacy");
    press(&mut state, KeyCode::Enter);
    let commands = press(&mut state, KeyCode::Char('u'));
    let [Command::Prepare { request, .. }] = commands.as_slice() else {
        panic!("expected a read of the update's needs, got {commands:?}");
    };
    let inventory = data::inventory();
    let pp = inventory
        .provisioned
        .iter()
        .find(|p| p.name == "vpc-legacy")
        .unwrap()
        .clone();
    let versions = inventory
        .products
        .iter()
        .find(|p| p.id == pp.product_id)
        .unwrap()
        .versions
        .clone();
    let param = |key: &str, default: Option<&str>, no_echo: bool| Parameter {
        key: key.into(),
        default: default.map(str::to_string),
        kind: "String".into(),
        description: None,
        no_echo,
        allowed: vec![],
        pattern: None,
        constraint_description: None,
        min_length: None,
        max_length: None,
    };
    let form = UpdateForm {
        from: versions.iter().find(|v| v.id == pp.version_id).cloned(),
        to: versions
            .iter()
            .find(|v| v.id == "pa-vpc3")
            .cloned()
            .unwrap(),
        versions,
        product_id: pp.product_id.clone(),
        product_name: "VPC".into(),
        path_id: Some("lpv3-net".into()),
        parameters: ProvisioningParameters {
            parameters: vec![
                param("CidrBlock", None, false),
                param("FlowLogsRetentionDays", Some("30"), false),
                param("SharedSecret", None, true),
            ],
            tag_options: vec![],
            constraints: vec![],
        },
        previous: [
            ("CidrBlock".to_string(), "10.1.0.0/16".to_string()),
            ("SharedSecret".to_string(), "****".to_string()),
        ]
        .into_iter()
        .collect(),
        provisioned: pp,
    };
    state.update(Msg::Prepared {
        generation: state.generation(),
        request: *request,
        result: Ok(Prepared::Update(Box::new(form))),
    });
    let form = render(&mut state, 120, 30);
    let screen = text(&form);
    assert!(screen.contains("Update vpc-legacy  READ-ONLY"), "{screen}");
    assert!(!screen.contains("Ctrl-s submit") && !screen.contains("Enter submit"));
    insta::assert_snapshot!("update_form_read_only", form.backend());
    state.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    let plan = render(&mut state, 120, 30);
    let screen = text(&plan);
    assert!(screen.contains("READ-ONLY"), "{screen}");
    assert!(!screen.contains("hunter2"));
    insta::assert_snapshot!("update_plan_read_only", plan.backend());
    for key in ['y', 'Y'] {
        let commands = press(&mut state, KeyCode::Char(key));
        assert!(
            !commands.iter().any(|c| matches!(c, Command::Act { .. })),
            "{commands:?}"
        );
    }
}

#[test]
fn a_sandbox_clock_apart_from_real_time_is_said_in_the_header() {
    let state = loaded();
    let mut state = state.with_clock_note(spoke::sandbox::clock_note(10.0));
    let shown = text(&render(&mut state, 150, 16));
    assert!(shown.contains("sandbox clock ×10"), "{shown}");
    let mut plain = loaded();
    assert!(!text(&render(&mut plain, 150, 16)).contains("sandbox clock"));
}

#[test]
fn a_mistake_in_a_prompt_is_said_as_it_is_typed() {
    let mut state = loaded();
    press(&mut state, KeyCode::Char('4'));
    press(&mut state, KeyCode::Char('/'));
    type_in(&mut state, "regoin:x");
    let shown = text(&render(&mut state, 150, 16));
    assert!(shown.contains("✗ no column regoin"), "{shown}");
    assert!(shown.contains("columns: name, id, product"), "{shown}");
    press(&mut state, KeyCode::Esc);

    press(&mut state, KeyCode::Char(':'));
    type_in(&mut state, "region mars-1");
    let shown = text(&render(&mut state, 150, 16));
    assert!(shown.contains("✗ no region starts with mars-1"), "{shown}");
    // Enter refuses it: the region stays.
    press(&mut state, KeyCode::Enter);
    let shown = text(&render(&mut state, 150, 16));
    assert!(shown.contains("mars-1 is not an AWS region"), "{shown}");
    assert!(shown.contains("region eu-west-1"), "{shown}");
}

#[test]
fn the_resource_drift_of_a_provisioned_product() {
    use spoke::model::{
        PropertyDifference, ResourceDrift, ResourceDriftStatus, StackDrift, StackDriftStatus,
    };
    use spoke::ops::life::{LifeData, LifePart};
    let mut state = fixtures::console::loaded_with(data::inventory(), false);
    press(&mut state, KeyCode::Char('4'));
    let commands = press(&mut state, KeyCode::Char('D'));
    let Some((request, provisioned_id)) = commands.iter().find_map(|c| match c {
        Command::LoadLife {
            request,
            provisioned_id,
            part: LifePart::Drift,
            ..
        } => Some((*request, provisioned_id.clone())),
        _ => None,
    }) else {
        panic!("the drift is read: {commands:?}");
    };
    let resource = |id: &str, kind: &str, status, differences| ResourceDrift {
        logical_id: id.into(),
        physical_id: format!("{}-{id}", provisioned_id),
        resource_type: kind.into(),
        status,
        differences,
        checked: chrono::DateTime::from_timestamp(1_795_000_000, 0),
    };
    let drift = StackDrift {
        stack: None,
        status: StackDriftStatus::Drifted,
        last_checked: chrono::DateTime::from_timestamp(1_795_000_000, 0),
        resources: vec![
            resource(
                "Bucket",
                "AWS::S3::Bucket",
                ResourceDriftStatus::Modified,
                vec![PropertyDifference {
                    path: "/VersioningConfiguration/Status".into(),
                    expected: "Enabled".into(),
                    actual: "Suspended".into(),
                    kind: "NOT_EQUAL".into(),
                }],
            ),
            resource(
                "BucketPolicy",
                "AWS::S3::BucketPolicy",
                ResourceDriftStatus::Deleted,
                vec![],
            ),
            resource(
                "Role",
                "AWS::IAM::Role",
                ResourceDriftStatus::InSync,
                vec![],
            ),
        ],
        fresh: false,
        note: None,
    };
    state.update(Msg::LifeLoaded {
        generation: state.generation(),
        request,
        provisioned_id,
        part: LifePart::Drift,
        result: Ok(LifeData::Drift(Box::new(drift))),
    });
    let terminal = render(&mut state, 150, 16);
    insta::assert_snapshot!(terminal.backend());
    let shown = text(&terminal);
    assert!(shown.contains("last checked 2026-"), "{shown}");
    assert!(shown.contains("D detect drift"), "{shown}");
}
