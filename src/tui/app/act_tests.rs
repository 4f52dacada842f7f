//! The actions' transitions: key → form → plan → confirm → command, and
//! what a read-only session can never reach.

use super::tests::{code, connected, ctrl, key};
use super::*;
use crate::model::{LaunchPath, Parameter, ProvisioningParameters, Record, Version};
use crate::ops::act::launch::LaunchForm;
use crate::ops::act::request::{ActEvent, ActOutcome, Prepare, Prepared, Request};

/// A writable session on spoke-dev with the fixture catalog.
fn writable() -> State {
    let mut state = State::new("spoke-dev", None, false);
    state.start();
    let request = match connected(&mut state).as_slice() {
        [Command::LoadCatalog { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    state.update(Msg::CatalogLoaded {
        generation: state.generation(),
        request,
        result: Ok(Box::new(crate::tui::fixtures::inventory())),
    });
    state.set_heights(10, 10, 10);
    state
}

fn select(state: &mut State, key: &str) {
    assert!(state.level_mut().table.select_key(key), "{key} on screen");
}

fn no_act(commands: &[Command]) -> bool {
    !commands.iter().any(|c| matches!(c, Command::Act { .. }))
}

fn launch_form() -> LaunchForm {
    let param = |key: &str, default: Option<&str>, allowed: &[&str], no_echo: bool| Parameter {
        key: key.into(),
        default: default.map(str::to_string),
        kind: "String".into(),
        description: Some(format!("the {key}")),
        no_echo,
        allowed: allowed.iter().map(|s| s.to_string()).collect(),
        pattern: None,
        constraint_description: None,
        min_length: None,
        max_length: None,
    };
    let path = LaunchPath {
        id: "lpv3-net".into(),
        name: "Networking".into(),
        constraints: vec!["LAUNCH".into()],
    };
    LaunchForm {
        product_id: "prod-vpc0000001".into(),
        product_name: "VPC".into(),
        versions: vec![Version {
            id: "pa-vpc3".into(),
            name: "v3".into(),
            description: None,
            created: None,
            active: true,
            deprecated: false,
        }],
        version: Version {
            id: "pa-vpc3".into(),
            name: "v3".into(),
            description: None,
            created: None,
            active: true,
            deprecated: false,
        },
        paths: vec![path.clone()],
        path: Some(path),
        parameters: ProvisioningParameters {
            parameters: vec![
                param("Env", None, &["dev", "prod"], false),
                param("Cidr", Some("10.0.0.0/16"), &[], false),
                param("Secret", None, &[], true),
            ],
            tag_options: vec![],
            constraints: vec![],
        },
    }
}

/// Opens the launch form of the VPC product.
fn open_launch(state: &mut State) {
    state.update(key('2'));
    select(state, "prod-vpc0000001");
    let commands = state.update(key('l'));
    let request = match commands.as_slice() {
        [
            Command::Prepare {
                request,
                what: Prepare::Launch { product_id, .. },
                ..
            },
        ] => {
            assert_eq!(product_id, "prod-vpc0000001");
            *request
        }
        other => panic!("{other:?}"),
    };
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Ok(Prepared::Launch(Box::new(launch_form()))),
    });
    assert!(matches!(state.dialog, Some(Dialog::Launch { .. })));
}

fn field(state: &mut State, key: &str, value: &str) {
    let Some(
        Dialog::Launch { form, .. } | Dialog::Update { form, .. } | Dialog::Share { form, .. },
    ) = state.dialog.as_mut()
    else {
        panic!("no form open");
    };
    assert!(form.set_value(key, value), "field {key} = {value}");
}

fn submit(state: &mut State) -> Vec<Command> {
    state.update(ctrl('s'))
}

#[test]
fn launch_checks_fields_then_shows_the_plan_then_acts_on_y() {
    let mut state = writable();
    open_launch(&mut state);
    // Nothing filled: the errors land next to their fields, nothing is sent.
    let commands = submit(&mut state);
    assert!(commands.is_empty());
    let Some(Dialog::Launch { form, .. }) = &state.dialog else {
        panic!("the form stays open")
    };
    assert!(form.error("name").unwrap().contains("required"));
    assert!(form.error("param:Secret").unwrap().contains("required"));

    field(&mut state, "name", "dev-vpc");
    field(&mut state, "param:Secret", "hunter2");
    assert!(submit(&mut state).is_empty());
    let Some(Dialog::Confirm { .. }) = &state.dialog else {
        panic!("the plan is shown: {:?}", state.dialog)
    };
    // No is the default: Enter cancels.
    let commands = state.update(code(KeyCode::Enter));
    assert!(no_act(&commands));
    assert!(state.dialog.is_none());
    assert!(state.status.text.contains("nothing was changed"));

    open_launch(&mut state);
    field(&mut state, "name", "dev-vpc");
    field(&mut state, "param:Secret", "hunter2");
    submit(&mut state);
    let commands = state.update(key('y'));
    let [
        Command::Act {
            act: Request::Launch(request),
            request: id,
            ..
        },
    ] = commands.as_slice()
    else {
        panic!("{commands:?}")
    };
    assert_eq!(request.name, "dev-vpc");
    assert_eq!(request.secret_keys, vec!["Secret".to_string()]);
    assert!(matches!(state.dialog, Some(Dialog::Progress { .. })));
    let id = *id;

    // The stack becomes known: the events screen follows it.
    let commands = state.update(Msg::ActProgress {
        generation: state.generation(),
        request: id,
        event: ActEvent::Stack {
            provisioned_id: "pp-new".into(),
            name: "dev-vpc".into(),
            stack_arn: "arn:aws:cloudformation:eu-west-1:1:stack/SC-1-pp-new/x".into(),
        },
    });
    assert_eq!(state.screen(), Screen::Events);
    assert!(matches!(commands.as_slice(), [Command::LoadEvents { .. }]));
    assert!(state.dialog.is_none());

    // It ends: the report, and the catalog reloads.
    let record = Record {
        id: "rec-1".into(),
        record_type: "PROVISION_PRODUCT".into(),
        status: "SUCCEEDED".into(),
        created: None,
        updated: None,
        version_id: None,
        errors: vec![],
        provisioned_product_id: Some("pp-new".into()),
        path_id: None,
        outputs: vec![],
    };
    let commands = state.update(Msg::ActDone {
        generation: state.generation(),
        request: id,
        result: Ok(ActOutcome {
            ok: true,
            lines: vec![
                "dev-vpc: SUCCEEDED (record rec-1)".into(),
                "output VpcId = vpc-1".into(),
            ],
            record: Some(record),
        }),
    });
    assert!(matches!(commands.as_slice(), [Command::LoadCatalog { .. }]));
    let Some(Dialog::Report {
        ok: true, lines, ..
    }) = &state.dialog
    else {
        panic!("{:?}", state.dialog)
    };
    assert!(lines.iter().any(|l| l.contains("VpcId")));
    state.update(key('x'));
    assert!(state.dialog.is_none(), "any key closes the report");
}

#[test]
fn a_read_only_session_opens_the_plan_but_can_never_act() {
    let mut state = writable();
    state.read_only = true;
    open_launch(&mut state);
    field(&mut state, "name", "dev-vpc");
    field(&mut state, "param:Secret", "hunter2");
    let mut commands = submit(&mut state);
    for c in "yY\r".chars() {
        commands.extend(state.update(key(c)));
    }
    commands.extend(state.update(code(KeyCode::Enter)));
    assert!(no_act(&commands), "{commands:?}");
}

#[test]
fn update_is_refused_at_once_when_the_product_is_under_change() {
    let mut state = writable();
    state.update(key('4'));
    select(&mut state, "pp-bucketdata1");
    let commands = state.update(key('u'));
    assert!(commands.is_empty());
    assert_eq!(state.status.kind, StatusKind::Error);
    assert!(state.status.text.contains("bucket-data is UNDER_CHANGE"));
    assert!(state.dialog.is_none());

    select(&mut state, "pp-vpclegacy01");
    let commands = state.update(key('u'));
    assert!(matches!(
        commands.as_slice(),
        [Command::Prepare { what: Prepare::Update { provisioned_id, .. }, .. }] if provisioned_id == "pp-vpclegacy01"
    ));
    // A refusal found while reading (the stack is busy) goes to the status line.
    let request = match commands.as_slice() {
        [Command::Prepare { request, .. }] => *request,
        _ => unreachable!(),
    };
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Err(crate::ops::act::request::ActFailure {
            message: "the stack of vpc-legacy is UPDATE_IN_PROGRESS".into(),
            fields: vec![],
            sent_nothing: true,
        }),
    });
    assert!(state.status.text.contains("UPDATE_IN_PROGRESS"));
    assert!(state.dialog.is_none());
}

#[test]
fn share_refuses_imported_portfolios_and_bad_account_ids() {
    let mut state = writable();
    select(&mut state, "port-net0000001");
    state.update(key('s'));
    assert!(state.dialog.is_none());
    assert!(state.status.text.contains("only the account that owns it"));

    select(&mut state, "port-dev0000001");
    state.update(key('s'));
    field(&mut state, "accounts", "12345, 222222222222");
    let commands = submit(&mut state);
    assert!(no_act(&commands));
    let Some(Dialog::Share { form, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    let error = form.error("accounts").unwrap();
    assert!(
        error.contains("12 digits") || error.contains("this account"),
        "{error}"
    );

    field(&mut state, "accounts", "333344445555");
    submit(&mut state);
    let commands = state.update(key('y'));
    assert!(
        matches!(commands.as_slice(), [Command::Act { act: Request::Share(plan), .. }] if plan.targets.len() == 1)
    );
}

#[test]
fn a_profile_switch_closes_forms_but_not_reports() {
    let mut state = writable();
    open_launch(&mut state);
    state.switch_to("hub".into(), None);
    assert!(state.dialog.is_none());
}

/// A read-only session on spoke-dev with the fixture catalog.
fn read_only() -> State {
    let mut state = State::new("spoke-dev", None, true);
    state.start();
    let request = match connected(&mut state).as_slice() {
        [Command::LoadCatalog { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    state.update(Msg::CatalogLoaded {
        generation: state.generation(),
        request,
        result: Ok(Box::new(crate::tui::fixtures::inventory())),
    });
    state.set_heights(10, 10, 10);
    state
}

/// The frame, drawn as the console draws it.
fn screen(state: &mut State, width: u16, height: u16) -> String {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    let mut view = crate::tui::views::ViewState::default();
    for _ in 0..2 {
        terminal
            .draw(|frame| crate::tui::views::draw(frame, state, &mut view))
            .unwrap();
        state.update(view.drawn());
    }
    terminal.backend().to_string()
}

/// What `u` reads for vpc-legacy: v1 → v3, a parameter.
fn update_form(state: &State) -> crate::ops::act::update::UpdateForm {
    let pp = state
        .catalog
        .provisioned
        .iter()
        .find(|p| p.id == "pp-vpclegacy01")
        .unwrap()
        .clone();
    let versions = state
        .catalog
        .products
        .iter()
        .find(|p| p.id == pp.product_id)
        .unwrap()
        .versions
        .clone();
    crate::ops::act::update::UpdateForm {
        from: versions.iter().find(|v| v.id == pp.version_id).cloned(),
        to: versions
            .iter()
            .find(|v| v.id == "pa-vpc3")
            .cloned()
            .unwrap(),
        versions,
        product_name: "VPC".into(),
        path_id: Some("lpv3-net".into()),
        parameters: ProvisioningParameters {
            parameters: vec![Parameter {
                key: "CidrBlock".into(),
                default: None,
                kind: "String".into(),
                description: None,
                no_echo: false,
                allowed: vec![],
                pattern: None,
                constraint_description: None,
                min_length: None,
                max_length: None,
            }],
            tag_options: vec![],
            constraints: vec![],
        },
        previous: [("CidrBlock".to_string(), "10.1.0.0/16".to_string())]
            .into_iter()
            .collect(),
        provisioned: pp,
    }
}

/// `u` on vpc-legacy, answered with [`update_form`].
fn open_update(state: &mut State) {
    state.update(key('4'));
    select(state, "pp-vpclegacy01");
    let request = match state.update(key('u')).as_slice() {
        [
            Command::Prepare {
                request,
                what: Prepare::Update { .. },
                ..
            },
        ] => *request,
        other => panic!("{other:?}"),
    };
    let form = update_form(state);
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Ok(Prepared::Update(Box::new(form))),
    });
    assert!(
        matches!(state.dialog, Some(Dialog::Update { .. })),
        "{:?}",
        state.dialog
    );
}

/// The form in front: marked READ-ONLY, no submit key in its hints nor
/// on the screen, and Ctrl-s shows a plan that is read-only too, which
/// nothing confirms.
fn assert_read_only_form(state: &mut State, what: &str) {
    let form = state
        .dialog
        .as_ref()
        .and_then(Dialog::form)
        .unwrap_or_else(|| panic!("{what}: no form open: {:?}", state.dialog));
    assert!(form.is_read_only() && form.shows_plan_only(), "{what}");
    let hints = form.hints();
    assert!(
        hints.iter().all(|(_, does)| !does.contains("submit")),
        "{what}: {hints:?}"
    );
    let shown = screen(state, 120, 40);
    assert!(shown.contains("READ-ONLY"), "{what}: {shown}");
    for submit in ["Ctrl-s submit", "Enter submit"] {
        assert!(!shown.contains(submit), "{what}: {submit} offered: {shown}");
    }
    // Whatever a hasty hand presses next, nothing is done.
    let mut commands = submit(state);
    for k in ['y', 'Y', '\r'] {
        commands.extend(state.update(key(k)));
    }
    commands.extend(state.update(code(KeyCode::Enter)));
    commands.extend(state.update(ctrl('s')));
    assert!(no_act(&commands), "{what}: {commands:?}");
}

#[test]
fn every_form_of_a_read_only_session_is_marked_and_offers_no_submit_key() {
    // s: the share form of a local portfolio.
    let mut state = read_only();
    select(&mut state, "port-dev0000001");
    assert!(state.update(key('s')).is_empty());
    assert_read_only_form(&mut state, "share");

    // l: the launch form.
    let mut state = read_only();
    open_launch(&mut state);
    assert_read_only_form(&mut state, "launch");

    // u: the update form (the issue: Ctrl-s submit, no mark).
    let mut state = read_only();
    open_update(&mut state);
    assert_read_only_form(&mut state, "update");

    // a: the accept form, from the shares the other profiles offer.
    let mut state = read_only();
    let request = match state.update(key('a')).as_slice() {
        [
            Command::Prepare {
                request,
                what: Prepare::PendingShares,
                ..
            },
        ] => *request,
        other => panic!("{other:?}"),
    };
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Ok(Prepared::PendingShares {
            shares: vec![],
            problems: vec![],
        }),
    });
    assert!(matches!(state.dialog, Some(Dialog::Accept { .. })));
    assert_read_only_form(&mut state, "accept");

    // A writable session's forms offer their submit key.
    let mut state = writable();
    open_update(&mut state);
    let form = state.dialog.as_ref().and_then(Dialog::form).unwrap();
    assert!(!form.is_read_only());
    assert!(form.hints().contains(&("Ctrl-s", "submit")));
}

#[test]
fn the_read_only_update_form_still_shows_its_plan_read_only() {
    let mut state = read_only();
    open_update(&mut state);
    assert!(submit(&mut state).is_empty());
    let Some(Dialog::Confirm { confirm, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert!(confirm.is_read_only());
    assert!(confirm.plan().iter().any(|l| l.label == "Version"));
}

#[test]
fn snapshot_the_footer_of_the_read_only_update_form() {
    let mut state = read_only();
    open_update(&mut state);
    let shown = screen(&mut state, 120, 30);
    // The form's box: its title, its submit line and its keys (the screen
    // around it cut off); then the hint bar.
    let lines: Vec<Vec<char>> = shown
        .lines()
        .map(|l| l.trim_matches('"').chars().collect())
        .collect();
    let top = lines
        .iter()
        .position(|l| l.iter().collect::<String>().contains("┌ Update vpc-legacy"))
        .expect("the form is drawn");
    let left = lines[top].iter().position(|&c| c == '┌').unwrap();
    let right = left + lines[top][left..].iter().position(|&c| c == '┐').unwrap();
    let bottom = top
        + lines[top..]
            .iter()
            .position(|l| l.get(left) == Some(&'└'))
            .unwrap();
    let boxed = |l: &Vec<char>| l[left..=right].iter().collect::<String>();
    let mut footer: Vec<String> = vec![boxed(&lines[top])];
    footer.extend(lines[bottom - 3..=bottom].iter().map(boxed));
    footer.push(
        lines
            .last()
            .unwrap()
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string(),
    );
    insta::assert_snapshot!(footer.join("\n"));
}

#[test]
fn act_keys_with_nothing_to_open_say_the_session_is_read_only() {
    let mut state = read_only();
    // On the constraints screen nothing is there to share, launch or update.
    state.update(key('3'));
    for (k, doing) in [('s', "sharing"), ('l', "launching"), ('u', "updating")] {
        let commands = state.update(key(k));
        assert!(commands.is_empty(), "{k}: {commands:?}");
        assert!(state.dialog.is_none(), "{k}");
        assert!(
            state.status.text.starts_with(&format!(
                "This session is read-only: {doing} is not offered"
            )),
            "{k}: {}",
            state.status.text
        );
    }
    // An imported portfolio could not be shared anyway: both are said.
    state.update(key('1'));
    select(&mut state, "port-net0000001");
    state.update(key('s'));
    assert!(
        state
            .status
            .text
            .starts_with("This session is read-only: sharing is not offered")
            && state.status.text.contains("only the account that owns it"),
        "{}",
        state.status.text
    );
    // A product under change could not be updated anyway.
    state.update(key('4'));
    select(&mut state, "pp-bucketdata1");
    state.update(key('u'));
    assert!(
        state
            .status
            .text
            .starts_with("This session is read-only: updating is not offered")
            && state.status.text.contains("UNDER_CHANGE"),
        "{}",
        state.status.text
    );
    // U with nothing drifting in view.
    state.update(key('/'));
    for c in "zzz-nothing".chars() {
        state.update(key(c));
    }
    state.update(code(KeyCode::Enter));
    let commands = state.update(key('U'));
    assert!(commands.is_empty(), "{commands:?}");
    assert!(
        state.status.text.starts_with(
            "This session is read-only: updating in bulk is not offered — nothing drifts in view"
        ),
        "{}",
        state.status.text
    );
    // Not connected: a (and l, u) cannot read their form; read-only first.
    let mut state = State::new("spoke-dev", None, true);
    state.update(key('a'));
    assert!(
        state
            .status
            .text
            .starts_with("This session is read-only: accepting a share is not offered"),
        "{}",
        state.status.text
    );
    // A writable session says what to select, as before.
    let mut state = writable();
    state.update(key('3'));
    state.update(key('l'));
    assert_eq!(
        state.status.text,
        "Select a product to launch (on the products screen, 2)"
    );
}

/// A writable session with a launch of VPC confirmed: its request, and
/// the commands of the confirmation.
fn launched(state: &mut State) -> u64 {
    open_launch(state);
    field(state, "name", "dev-vpc");
    field(state, "param:Secret", "hunter2");
    submit(state);
    match state.update(key('y')).as_slice() {
        [
            Command::Act {
                request,
                act: Request::Launch(_),
                ..
            },
        ] => *request,
        other => panic!("{other:?}"),
    }
}

fn quit_question(state: &State) -> &crate::tui::widgets::confirm::Confirm {
    match &state.dialog {
        Some(Dialog::Quit { confirm, .. }) => confirm,
        other => panic!("no quit question: {other:?}"),
    }
}

#[test]
fn q_with_a_launch_in_flight_asks_first_and_names_its_record() {
    let mut state = writable();
    let request = launched(&mut state);
    let generation = state.generation();
    // The progress dialog is in front: q asks, it does not close it.
    state.update(key('q'));
    assert!(!state.should_quit());
    let question = quit_question(&state);
    assert!(
        question.plan().iter().any(|l| l.label == "Launch dev-vpc"),
        "{:?}",
        question.plan()
    );
    // No: the progress comes back, and nothing quits.
    state.update(key('n'));
    assert!(!state.should_quit());
    assert!(
        matches!(state.dialog, Some(Dialog::Progress { .. })),
        "{:?}",
        state.dialog
    );
    assert!(state.status.text.starts_with("Not quitting"));

    // Its record and stack are known: the question names them.
    for event in [
        ActEvent::Record(Record {
            id: "rec-launch-1".into(),
            record_type: "PROVISION_PRODUCT".into(),
            status: "IN_PROGRESS".into(),
            created: None,
            updated: None,
            version_id: None,
            errors: vec![],
            provisioned_product_id: Some("pp-new".into()),
            path_id: None,
            outputs: vec![],
        }),
        ActEvent::Stack {
            provisioned_id: "pp-new".into(),
            name: "dev-vpc".into(),
            stack_arn: "arn:aws:cloudformation:eu-west-1:222222222222:stack/SC-dev-vpc/1".into(),
        },
    ] {
        state.update(Msg::ActProgress {
            generation,
            request,
            event,
        });
    }
    assert!(
        state.dialog.is_none(),
        "the events screen follows the stack"
    );
    for (how, keys) in [
        ("q", vec![key('q')]),
        (":q", vec![key(':'), key('q'), code(KeyCode::Enter)]),
    ] {
        for k in keys {
            state.update(k);
        }
        assert!(!state.should_quit(), "{how}");
        let said: Vec<String> = quit_question(&state)
            .plan()
            .iter()
            .map(|l| l.value.clone())
            .collect();
        assert!(
            said.iter().any(|v| v.contains("rec-launch-1")
                && v.contains("keeps changing")
                && v.contains("spoke will not see how it ends")),
            "{how}: {said:?}"
        );
        let shown = screen(&mut state, 120, 30);
        assert!(
            shown.contains("Quit spoke while this runs? [y/N]"),
            "{shown}"
        );
        assert!(shown.contains("rec-launch-1"), "{shown}");
        // No by default: Enter, Esc, any other key.
        state.update(code(KeyCode::Enter));
        assert!(!state.should_quit(), "{how}");
        assert!(state.dialog.is_none());
    }
    // The launch ends while the question is up: it says so, and the
    // report waits behind it.
    state.update(key('q'));
    state.update(Msg::ActDone {
        generation,
        request,
        result: Ok(ActOutcome {
            ok: true,
            lines: vec!["SUCCEEDED".into()],
            record: None,
        }),
    });
    assert!(quit_question(&state).plan().is_empty());
    state.update(key('n'));
    assert!(
        matches!(state.dialog, Some(Dialog::Report { .. })),
        "{:?}",
        state.dialog
    );
    // Nothing in flight: q closes the report (any key does), then quits at once.
    state.update(key('q'));
    state.update(key('q'));
    assert!(state.should_quit());
}

#[test]
fn y_quits_with_work_in_flight_and_nothing_in_flight_quits_at_once() {
    let mut state = writable();
    launched(&mut state);
    state.update(code(KeyCode::Esc));
    assert!(
        state.dialog.is_none(),
        "the progress hidden; the launch goes on"
    );
    state.update(key('q'));
    quit_question(&state);
    state.update(key('y'));
    assert!(state.should_quit());

    let mut state = writable();
    state.update(key('q'));
    assert!(state.should_quit(), "nothing in flight: no question");
}

mod typed_anything {
    use proptest::prelude::*;

    use super::*;

    /// Text a person might type or paste: wide characters, combining
    /// marks, regex syntax, control characters, very long runs.
    fn typed() -> impl Strategy<Value = String> {
        prop_oneof![
            ".{0,40}",
            "[a-zA-Z0-9._-]{1,20}",
            "[\\[\\]()*+?.^$|{}\\\\]{1,20}",
            "[\u{4e00}-\u{4e10}\u{1f600}-\u{1f610}\u{301}\u{200d}a-z]{0,30}",
            proptest::collection::vec(any::<char>(), 0..30).prop_map(|c| c.into_iter().collect()),
            "[a-z]{1,3}".prop_map(|s| s.repeat(300)),
        ]
    }

    fn draw(state: &mut State, width: u16, height: u16) -> String {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
        let mut view = crate::tui::views::ViewState::default();
        terminal
            .draw(|frame| crate::tui::views::draw(frame, state, &mut view))
            .unwrap();
        state.update(view.drawn());
        let buffer = terminal.backend().buffer();
        for cell in buffer.content() {
            assert!(
                !cell.symbol().chars().any(char::is_control),
                "{:?} reached the terminal",
                cell.symbol()
            );
        }
        terminal.backend().to_string()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Whatever goes into the launch form, typed key by key: it is
        /// refused with a message by its field, or launched as typed —
        /// a name AWS would refuse never reaches a request.
        #[test]
        fn the_launch_form_takes_anything_typed_and_only_sends_what_aws_takes(
            name in typed(),
            cidr in typed(),
            secret in typed(),
        ) {
            let mut state = writable();
            open_launch(&mut state);
            for (key, value) in [("name", &name), ("param:Cidr", &cidr), ("param:Secret", &secret)] {
                field(&mut state, key, "");
                let Some(Dialog::Launch { form, .. }) = state.dialog.as_mut() else {
                    panic!("the form is open");
                };
                prop_assert!(form.focus(key));
                for c in value.chars() {
                    state.update(Msg::Key(crossterm::event::KeyEvent::new(
                        KeyCode::Char(c),
                        crossterm::event::KeyModifiers::NONE,
                    )));
                }
                draw(&mut state, 100, 30);
            }
            submit(&mut state);
            let shown = draw(&mut state, 100, 30);
            // A NoEcho value is never drawn (a long one could not be there by chance).
            if secret.chars().count() >= 6 && secret.chars().any(char::is_alphanumeric) {
                prop_assert!(!shown.contains(secret.as_str()), "the secret is on screen");
            }
            match &state.dialog {
                Some(Dialog::Confirm { .. }) => {
                    let commands = state.update(key('y'));
                    let launched = commands.iter().find_map(|c| match c {
                        Command::Act { act: Request::Launch(r), .. } => Some(r.clone()),
                        _ => None,
                    });
                    let request = launched.expect("a confirmed plan acts");
                    prop_assert!(
                        crate::model::launch::check_provisioned_name(&request.name).is_ok(),
                        "{:?}",
                        request.name
                    );
                    // Control characters are not text a key types: the
                    // form never takes them.
                    let typed: String = name.chars().filter(|c| !c.is_control()).collect();
                    prop_assert_eq!(&request.name, typed.trim());
                }
                Some(Dialog::Launch { form, .. }) => {
                    let said = ["name", "param:Cidr", "param:Secret"]
                        .iter()
                        .filter_map(|k| form.error(k))
                        .count();
                    prop_assert!(said > 0, "refused without a word by a field");
                }
                other => prop_assert!(false, "{other:?}"),
            }
            draw(&mut state, 20, 5);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Whatever goes into the share form's accounts, OU and
        /// organization: refused by its field, or shared with exactly the
        /// well-formed ids typed (12-digit accounts, `ou-…`, `o-…`).
        #[test]
        fn the_share_form_only_sends_well_formed_ids(
            accounts in prop_oneof![typed(), "([0-9]{12}[, ]{1,2}){1,3}", "[0-9]{1,14}"],
            ou in prop_oneof![Just(String::new()), typed()],
        ) {
            let mut state = writable();
            select(&mut state, "port-dev0000001");
            state.update(key('s'));
            field(&mut state, "accounts", &accounts);
            field(&mut state, "ou", &ou);
            draw(&mut state, 100, 30);
            submit(&mut state);
            draw(&mut state, 100, 30);
            match &state.dialog {
                Some(Dialog::Confirm { .. }) => {
                    let commands = state.update(key('y'));
                    let Some(plan) = commands.iter().find_map(|c| match c {
                        Command::Act { act: Request::Share(plan), .. } => Some(plan.clone()),
                        _ => None,
                    }) else {
                        return Err(TestCaseError::fail(format!("{commands:?}")));
                    };
                    prop_assert!(!plan.targets.is_empty());
                    for target in &plan.targets {
                        match target {
                            crate::model::ShareTarget::Account(id) => {
                                prop_assert!(id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()), "{id:?}");
                                prop_assert!(accounts.contains(id.as_str()));
                            }
                            crate::model::ShareTarget::OrganizationalUnit(id) => {
                                prop_assert!(id.starts_with("ou-") && id.is_ascii(), "{id:?}");
                            }
                            crate::model::ShareTarget::Organization(id) => {
                                prop_assert!(id.starts_with("o-") && id.is_ascii(), "{id:?}");
                            }
                        }
                    }
                }
                Some(Dialog::Share { form, .. }) => {
                    let said = ["accounts", "ou", "organization"]
                        .iter()
                        .filter_map(|k| form.error(k))
                        .count();
                    prop_assert!(said > 0, "refused without a word by a field");
                }
                other => prop_assert!(false, "{other:?}"),
            }
        }
    }
}
