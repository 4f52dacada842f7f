//! What a read-only session can never reach: no submit key, no `Command::Act`.

use super::*;

#[test]
fn a_read_only_session_opens_the_plan_but_can_never_act() {
    let mut state = writable();
    state.session.make_read_only();
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
    assert!(
        form.hints(crate::tui::keymap::Keymap::defaults())
            .contains(&("Ctrl-s".to_string(), "submit"))
    );
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
