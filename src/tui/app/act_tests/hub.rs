//! The hub's keys: a form (or a read) first, then the plan from AWS, then
//! a confirmation — typed for what takes something away.

use super::*;
use crate::ops::act::hub::HubInput;

#[test]
fn n_on_the_portfolios_asks_for_a_name_and_reads_the_plan_off_the_input_path() {
    let mut state = writable();
    state.update(key('1'));
    assert!(state.update(key('n')).is_empty());
    assert!(matches!(state.dialog, Some(Dialog::Hub { .. })));
    // The name is required: said in the form, nothing read.
    let commands = state.update(ctrl('s'));
    assert!(commands.is_empty(), "{commands:?}");
    let Some(Dialog::Hub { form, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert_eq!(form.error("name"), Some("required"));
    type_text(&mut state, "Edge");
    let commands = state.update(ctrl('s'));
    assert!(
        matches!(commands.as_slice(), [Command::Prepare { what: Prepare::Hub(input), .. }]
            if matches!(input.as_ref(), HubInput::CreatePortfolio { name, provider, .. } if name == "Edge" && provider == "spoke-dev")),
        "{commands:?}"
    );
    // The form stays while the plan is read.
    assert!(matches!(state.dialog, Some(Dialog::Hub { .. })));
}

#[test]
fn a_refused_plan_puts_its_mistake_next_to_the_field() {
    let mut state = writable();
    state.update(key('1'));
    state.update(key('n'));
    type_text(&mut state, "Edge");
    let request = match state.update(ctrl('s')).as_slice() {
        [Command::Prepare { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Err(crate::ops::act::request::ActFailure {
            message: "provider: 1 to 50 characters (this is 0)".into(),
            fields: vec![crate::model::FieldError::new(
                "provider",
                "1 to 50 characters (this is 0)",
            )],
            sent_nothing: true,
        }),
    });
    let Some(Dialog::Hub { form, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert_eq!(
        form.error("provider"),
        Some("1 to 50 characters (this is 0)")
    );
}

#[test]
fn a_on_an_imported_product_says_who_can_opt_it_in() {
    let mut state = writable();
    state.update(key('2'));
    let imported = state
        .catalog
        .products
        .iter()
        .find(|p| !p.origin.is_local())
        .map(|p| p.id.clone())
        .unwrap();
    select(&mut state, &imported);
    assert!(state.update(key('A')).is_empty());
    assert!(
        state.status.text.contains("only the account that owns it"),
        "{}",
        state.status.text
    );
}

#[test]
fn s_stops_a_share_only_once_the_portfolio_name_is_typed() {
    let mut state = writable();
    state.update(key('1'));
    select(&mut state, "port-dev0000001");
    state.update(key('S'));
    assert!(
        matches!(state.dialog, Some(Dialog::Unshare { .. })),
        "{:?}",
        state.dialog
    );
    state.update(ctrl('s'));
    let Some(Dialog::Confirm { confirm, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert!(
        confirm
            .plan()
            .iter()
            .any(|l| l.value.contains("stop sharing")),
        "{:?}",
        confirm.plan()
    );
    // y is not enough.
    assert!(no_act(&state.update(key('y'))));
    let name = state
        .catalog
        .portfolio("port-dev0000001")
        .map(|p| p.name.clone())
        .unwrap();
    // Typing the name from scratch (the y typed above is cleared first).
    state.update(code(crossterm::event::KeyCode::Backspace));
    type_text(&mut state, &name);
    let commands = state.update(code(crossterm::event::KeyCode::Enter));
    assert!(
        matches!(commands.as_slice(), [Command::Act { act: Request::Unshare(plan), .. }] if plan.targets.len() == 1),
        "{commands:?}"
    );
}

#[test]
fn i_opens_who_may_launch_from_a_portfolio_where_n_adds_one() {
    let mut state = writable();
    state.update(key('1'));
    select(&mut state, "port-dev0000001");
    state.update(key('i'));
    assert_eq!(state.screen(), crate::tui::screens::Screen::Principals);
    assert!(
        state
            .level()
            .title()
            .starts_with("Principals of portfolio ")
    );
    state.update(key('n'));
    let Some(Dialog::Hub { form, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert_eq!(form.value("do"), Some("add"));
    state.update(code(crossterm::event::KeyCode::Tab));
    type_text(&mut state, "role/Developer");
    let commands = state.update(ctrl('s'));
    assert!(
        matches!(commands.as_slice(), [Command::Prepare { what: Prepare::Hub(input), .. }]
            if matches!(input.as_ref(), HubInput::Principal { portfolio_id, principal, add: true } if portfolio_id == "port-dev0000001" && principal == "role/Developer")),
        "{commands:?}"
    );
}

#[test]
fn sync_reads_the_plan_off_the_input_path_and_applies_only_once_sync_is_typed() {
    let mut state = writable();
    let commands = super::super::tests::command_line(&mut state, "sync catalog/");
    let request = match commands.as_slice() {
        [
            Command::Prepare {
                request,
                what: Prepare::Sync {
                    dir, prune: false, ..
                },
                ..
            },
        ] if dir == std::path::Path::new("catalog/") => *request,
        other => panic!("{other:?}"),
    };
    let plan = crate::ops::sync::SyncPlan {
        changes: vec![crate::ops::sync::Change::Unshare {
            portfolio: "Networking".into(),
            target: crate::model::ShareTarget::Account("444444444444".into()),
        }],
        ..Default::default()
    };
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Ok(Prepared::Sync(Box::new(plan))),
    });
    let Some(Dialog::Confirm { confirm, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert!(
        confirm
            .plan()
            .iter()
            .any(|l| l.value.starts_with("- stop sharing Networking")),
        "{:?}",
        confirm.plan()
    );
    assert!(no_act(&state.update(key('y'))));
    state.update(code(crossterm::event::KeyCode::Backspace));
    type_text(&mut state, "sync");
    let commands = state.update(code(crossterm::event::KeyCode::Enter));
    assert!(
        matches!(
            commands.as_slice(),
            [Command::Act {
                act: Request::Sync(_),
                ..
            }]
        ),
        "{commands:?}"
    );
}
