//! Quitting while an action runs in AWS.

use super::*;

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
