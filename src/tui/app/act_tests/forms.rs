//! Forms, plans and confirmation: key → form → plan → confirm → command.

use super::*;

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
fn a_share_with_accounts_that_have_it_already_leaves_them_out_or_sends_nothing() {
    let mut state = writable();
    select(&mut state, "port-dev0000001");
    state.update(key('s'));
    // Both shared already (one pending, one accepted): nothing to send.
    field(&mut state, "accounts", "444444444444 555555555555");
    let commands = submit(&mut state);
    assert!(no_act(&commands));
    let Some(Dialog::Report { lines, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert!(
        lines
            .iter()
            .any(|l| l.contains("444444444444 — shared already, waiting")),
        "{lines:?}"
    );
    // With a new one: only it is sent, the others are said.
    state.dialog = None;
    select(&mut state, "port-dev0000001");
    state.update(key('s'));
    field(&mut state, "accounts", "444444444444 333344445555");
    submit(&mut state);
    let Some(Dialog::Confirm { confirm, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert!(
        confirm
            .plan()
            .iter()
            .any(|l| l.value.starts_with("left out: account 444444444444"))
    );
    assert!(
        confirm
            .plan()
            .iter()
            .any(|l| l.value.contains("also shared with the OU ou-ab12-cdef3456"))
    );
    let commands = state.update(key('y'));
    assert!(
        matches!(commands.as_slice(), [Command::Act { act: Request::Share(plan), .. }] if plan.targets == [crate::model::ShareTarget::Account("333344445555".into())])
    );
}

#[test]
fn a_profile_switch_closes_forms_but_not_reports() {
    let mut state = writable();
    open_launch(&mut state);
    state.switch_to("hub".into(), None);
    assert!(state.dialog.is_none());
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

#[test]
fn the_accept_confirmation_names_the_portfolio_its_hub_and_the_local_portfolio() {
    use crate::ops::act::accept::PendingShare;
    let mut state = writable();
    let request = match state.update(key('a')).as_slice() {
        [Command::Prepare { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Ok(Prepared::PendingShares {
            shares: vec![PendingShare {
                portfolio_id: "port-hubdata0001".into(),
                portfolio_name: "Data & Analytics".into(),
                owner_profile: "hub".into(),
                owner_account: "111122223333".into(),
                share_type: crate::model::ShareType::Account,
            }],
            problems: vec![],
        }),
    });
    let Some(Dialog::Accept { form, .. }) = state.dialog.as_mut() else {
        panic!("{:?}", state.dialog)
    };
    assert!(form.set_value("add_to", "Team sandbox (port-dev0000001)"));
    submit(&mut state);
    let Some(Dialog::Confirm { confirm, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    let plan: Vec<String> = confirm.plan().iter().map(|l| l.value.clone()).collect();
    assert!(
        plan[0].starts_with(
            "accept the share of Data & Analytics (port-hubdata0001) from hub (111122223333) into spoke-dev ("
        ),
        "{plan:?}"
    );
    assert!(
        plan[1].starts_with("then add its products to Team sandbox (port-dev0000001)"),
        "{plan:?}"
    );
}

#[test]
fn v_on_a_product_this_account_owns_changes_a_version_with_a_plan() {
    let mut state = writable();
    state.update(key('2'));
    // An imported product: refused at once, nothing read.
    select(&mut state, "prod-vpc0000001");
    assert!(state.update(key('V')).is_empty());
    assert!(
        state.status.text.contains("only the account that owns it"),
        "{}",
        state.status.text
    );
    // Its own: the versions are read, then a form.
    select(&mut state, "prod-sbx0000001");
    let request = match state.update(key('V')).as_slice() {
        [
            Command::Prepare {
                request,
                what: Prepare::Versions { product_id },
                ..
            },
        ] => {
            assert_eq!(product_id, "prod-sbx0000001");
            *request
        }
        other => panic!("{other:?}"),
    };
    let product = state.catalog.product("prod-sbx0000001").unwrap().clone();
    let versions = product.versions.clone();
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Ok(Prepared::Versions {
            product: Box::new(product),
            versions,
        }),
    });
    let Some(Dialog::Versions { form, .. }) = state.dialog.as_mut() else {
        panic!("{:?}", state.dialog)
    };
    assert!(form.set_value("action", "deprecate"));
    submit(&mut state);
    let Some(Dialog::Confirm { confirm, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert!(confirm.plan().iter().any(|l| {
        l.value
            .starts_with("deprecate 1.0.0 (pa-sbx1) of Sandbox bucket")
    }));
    // The only recommended version: the plan warns.
    assert!(confirm.plan().iter().any(|l| {
        l.value
            .starts_with("warning: Sandbox bucket would have no active")
    }));
    let commands = state.update(key('y'));
    assert!(
        matches!(commands.as_slice(), [Command::Act { act: Request::Version(plan), .. }] if plan.version.id == "pa-sbx1"),
        "{commands:?}"
    );
}
