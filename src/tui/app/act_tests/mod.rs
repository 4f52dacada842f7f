//! The actions' transitions: key → form → plan → confirm → command, and
//! what a read-only session can never reach.

pub(super) use super::tests::{code, connected, ctrl, key};
pub(super) use super::*;
pub(super) use crate::model::{LaunchPath, Parameter, ProvisioningParameters, Record, Version};
pub(super) use crate::ops::act::launch::LaunchForm;
pub(super) use crate::ops::act::request::{ActEvent, ActOutcome, Prepare, Prepared, Request};

mod actions;
mod change_product;
mod follow;
mod forms;
mod hub;
mod quit;
mod read_only;
mod repair;
mod resource_drift;
mod terminate;

/// A writable session on spoke-dev with the fixture catalog.
pub(super) fn writable() -> State {
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

/// Types `text`, a key per character.
pub(super) fn type_text(state: &mut State, text: &str) {
    for c in text.chars() {
        state.update(key(c));
    }
}

pub(super) fn select(state: &mut State, key: &str) {
    assert!(state.level_mut().table.select_key(key), "{key} on screen");
}

pub(super) fn no_act(commands: &[Command]) -> bool {
    !commands.iter().any(|c| matches!(c, Command::Act { .. }))
}

pub(super) fn launch_form() -> LaunchForm {
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
        launch_role: Some(Ok(
            "SCLaunchRole (the role of that name in the launching account)".into(),
        )),
    }
}

/// Opens the launch form of the VPC product.
pub(super) fn open_launch(state: &mut State) {
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

pub(super) fn field(state: &mut State, key: &str, value: &str) {
    let Some(
        Dialog::Launch { form, .. } | Dialog::Update { form, .. } | Dialog::Share { form, .. },
    ) = state.dialog.as_mut()
    else {
        panic!("no form open");
    };
    assert!(form.set_value(key, value), "field {key} = {value}");
}

pub(super) fn submit(state: &mut State) -> Vec<Command> {
    state.update(ctrl('s'))
}

/// A read-only session on spoke-dev with the fixture catalog.
pub(super) fn read_only() -> State {
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
pub(super) fn screen(state: &mut State, width: u16, height: u16) -> String {
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
pub(super) fn update_form(state: &State) -> crate::ops::act::update::UpdateForm {
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
        product_id: pp.product_id.clone(),
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
pub(super) fn open_update(state: &mut State) {
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
pub(super) fn assert_read_only_form(state: &mut State, what: &str) {
    let form = state
        .dialog
        .as_ref()
        .and_then(Dialog::form)
        .unwrap_or_else(|| panic!("{what}: no form open: {:?}", state.dialog));
    assert!(form.is_read_only() && form.shows_plan_only(), "{what}");
    let hints = form.hints(crate::tui::keymap::Keymap::defaults());
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

/// A writable session with a launch of VPC confirmed: its request, and
/// the commands of the confirmation.
pub(super) fn launched(state: &mut State) -> u64 {
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

pub(super) fn quit_question(state: &State) -> &crate::tui::widgets::confirm::Confirm {
    match &state.dialog {
        Some(Dialog::Quit { confirm, .. }) => confirm,
        other => panic!("no quit question: {other:?}"),
    }
}
