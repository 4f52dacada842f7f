//! Moving about the screens: keys, screens, drilling, filter, sort,
//! marks, the detail pane, the keymap.

use super::*;

#[test]
fn keys_move_the_selection() {
    let mut state = loaded();
    let mut many = fixtures::inventory();
    many.portfolios = (0..40)
        .map(|i| Portfolio {
            id: format!("port-{i:02}"),
            arn: String::new(),
            name: format!("p{i}"),
            description: None,
            provider: None,
            created: None,
            origin: Origin::Local,
        })
        .collect();
    let request = catalog_request(&state.update(key('R')));
    state.update(Msg::CatalogLoaded {
        generation: 1,
        request,
        result: Ok(Box::new(many)),
    });
    let at = |s: &State| s.level().table.selected();
    state.update(key('j'));
    state.update(code(KeyCode::Down));
    assert_eq!(at(&state), 2);
    state.update(key('k'));
    assert_eq!(at(&state), 1);
    state.update(code(KeyCode::Up));
    state.update(code(KeyCode::Up));
    assert_eq!(at(&state), 0);
    state.update(key('G'));
    assert_eq!(at(&state), 39);
    state.update(key('g'));
    assert_eq!(at(&state), 0);
    state.update(code(KeyCode::End));
    assert_eq!(at(&state), 39);
    state.update(code(KeyCode::Home));
    state.update(code(KeyCode::PageDown));
    assert_eq!(at(&state), 10);
    state.update(ctrl('f'));
    assert_eq!(at(&state), 20);
    state.update(code(KeyCode::PageUp));
    assert_eq!(at(&state), 10);
    // The mouse wheel.
    state.update(Msg::ScrollDown);
    assert_eq!(at(&state), 13);
    state.update(Msg::ScrollUp);
    state.update(Msg::ScrollUp);
    assert_eq!(at(&state), 7);
}

#[test]
fn quitting() {
    let mut state = loaded();
    assert!(!state.should_quit());
    state.update(key('q'));
    assert!(state.should_quit());

    let mut state = State::new("hub", None, false);
    state.update(ctrl('c'));
    assert!(state.should_quit());

    for line in ["q", "quit", "q!"] {
        let mut state = loaded();
        command_line(&mut state, line);
        assert!(state.should_quit(), ":{line}");
    }
}

#[test]
fn number_keys_and_commands_switch_screens() {
    let mut state = loaded();
    for (k, screen, rows) in [
        ('2', Screen::Products, 4),
        ('3', Screen::Constraints, 4),
        // Nothing to show before a stack is opened.
        ('5', Screen::Events, 0),
        ('4', Screen::Provisioned, 7),
        ('1', Screen::Portfolios, 3),
    ] {
        state.update(key(k));
        assert_eq!(state.screen(), screen);
        assert_eq!(state.nav().len(), 1);
        assert_eq!(state.level().table.total(), rows, "{screen:?}");
    }
    for (line, screen) in [
        ("prod", Screen::Products),
        ("con", Screen::Constraints),
        ("ev", Screen::Events),
        ("pp", Screen::Provisioned),
        ("pf", Screen::Portfolios),
        ("products", Screen::Products),
        ("constraints", Screen::Constraints),
        ("events", Screen::Events),
        ("provisioned", Screen::Provisioned),
        ("portfolios", Screen::Portfolios),
    ] {
        command_line(&mut state, line);
        assert_eq!(state.screen(), screen, ":{line}");
        assert_eq!(state.input, Input::None);
    }
    assert_eq!(
        state.empty_message(&Level::new(Screen::Events, Scope::All)),
        "Select a provisioned product on the provisioned screen and open its stack events (5, or Enter on one of its records) to follow its stack."
    );
}

#[test]
fn enter_drills_in_and_esc_comes_back_to_the_same_place() {
    let mut state = loaded();
    // Portfolios, filtered to Networking.
    state.update(key('/'));
    type_in(&mut state, "net");
    state.update(code(KeyCode::Enter));
    assert_eq!(keys(&state), ["port-net0000001"]);

    state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Products);
    assert_eq!(state.level().title(), "Products in Networking");
    assert_eq!(keys(&state), ["prod-vpc0000001", "prod-tgw0000001"]);

    // Product → its versions, newest first → the provisioned products on one.
    state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Versions);
    assert_eq!(state.level().title(), "Versions of VPC in Networking");
    let versions = keys(&state);
    assert!(!versions.is_empty());
    let on: Vec<String> = state
        .catalog()
        .provisioned
        .iter()
        .filter(|p| p.product_id == "prod-vpc0000001" && p.version_id == versions[0])
        .map(|p| p.id.clone())
        .collect();
    state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Provisioned);
    assert!(
        state
            .level()
            .title()
            .starts_with("Provisioned products on VPC "),
        "{}",
        state.level().title()
    );
    assert_eq!(keys(&state), on);
    // The version vpc-legacy runs, then vpc-legacy itself.
    state.update(code(KeyCode::Esc));
    assert_eq!(state.screen(), Screen::Versions);
    let legacy_version = state
        .catalog()
        .provisioned
        .iter()
        .find(|p| p.id == "pp-vpclegacy01")
        .map(|p| p.version_id.clone())
        .unwrap();
    select(&mut state, &legacy_version);
    state.update(code(KeyCode::Enter));
    assert!(keys(&state).contains(&"pp-vpclegacy01".to_string()));
    select(&mut state, "pp-vpclegacy01");

    // Provisioned product → its records.
    let cmds = state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Records);
    let (request, pp, part) = super::life::life_request(&cmds);
    assert_eq!(pp, "pp-vpclegacy01");
    state.update(Msg::LifeLoaded {
        generation: state.generation(),
        request,
        provisioned_id: pp,
        part,
        result: Ok(crate::ops::life::LifeData::Records(vec![
            crate::model::Record {
                created: Some(fixtures::at(20, 11, 0, 0)),
                ..super::life::record("rec-1", "SUCCEEDED")
            },
        ])),
    });
    // A record → the events of its stack, of its time.
    let cmds = state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Events);
    let stack = fixtures::stack_arn("pp-vpclegacy01");
    assert!(
        matches!(cmds.as_slice(), [Command::LoadEvents { stack_id, since: None, .. }] if *stack_id == stack),
        "{cmds:?}"
    );
    assert_eq!(state.nav().len(), 6);
    assert_eq!(
        state.empty_message(state.level()),
        "Loading the stack events of vpc-legacy…"
    );
    // Events open nothing further.
    state.update(code(KeyCode::Enter));
    assert_eq!(state.nav().len(), 6);

    state.update(code(KeyCode::Esc));
    assert_eq!(state.screen(), Screen::Records);
    state.update(code(KeyCode::Esc));
    assert_eq!(state.screen(), Screen::Provisioned);
    assert_eq!(selected(&state), Some("pp-vpclegacy01"));
    state.update(code(KeyCode::Esc));
    state.update(code(KeyCode::Esc));
    state.update(code(KeyCode::Esc));
    assert_eq!(state.screen(), Screen::Portfolios);
    // The root kept its filter; Esc clears it, then has nowhere to go.
    assert_eq!(state.level().table.filter(), "net");
    state.update(code(KeyCode::Esc));
    assert_eq!(state.level().table.filter(), "");
    assert_eq!(selected(&state), Some("port-net0000001"));
    state.update(code(KeyCode::Esc));
    assert_eq!(state.nav().len(), 1);
    assert!(!state.should_quit());
}

/// Selects the row `key`.
fn select(state: &mut State, key_wanted: &str) {
    assert!(
        state.level_mut().table.select_key(key_wanted),
        "no row {key_wanted}: {:?}",
        keys(state)
    );
}

#[test]
fn c_opens_the_constraints_of_a_portfolio_or_a_product() {
    let mut state = loaded();
    state.level_mut().table.select_key("port-net0000001");
    state.update(key('c'));
    assert_eq!(state.screen(), Screen::Constraints);
    assert_eq!(state.level().title(), "Constraints of portfolio Networking");
    assert_eq!(keys(&state), ["cons-launch-vpc", "cons-tmpl-vpc"]);
    state.update(code(KeyCode::Esc));

    state.update(key('2'));
    state.level_mut().table.select_key("prod-sbx0000001");
    state.update(key('c'));
    assert_eq!(state.level().title(), "Constraints of Sandbox bucket");
    assert_eq!(keys(&state), ["cons-launch-sbx"]);
    // A constraint has nothing under it.
    state.update(key('c'));
    assert!(state.status.text.contains("portfolio or a product"));
    state.update(code(KeyCode::Enter));
    assert!(state.status.text.contains("opens nothing further"));
    assert_eq!(state.nav().len(), 2);
}

#[test]
fn the_filter_follows_typing() {
    let mut state = loaded();
    state.update(key('/'));
    assert_eq!(state.input, Input::Filter);
    // Keys that are actions elsewhere are text here.
    type_in(&mut state, "sq");
    assert!(!state.should_quit());
    assert_eq!(state.level().table.filter(), "sq");
    assert!(state.level().table.is_empty());
    state.update(code(KeyCode::Backspace));
    state.update(code(KeyCode::Backspace));
    type_in(&mut state, "!local");
    assert_eq!(keys(&state), ["port-net0000001", "port-sec0000001"]);
    state.update(ctrl('u'));
    type_in(&mut state, "prov:sec");
    assert_eq!(keys(&state), ["port-sec0000001"]);
    // Esc clears and leaves.
    state.update(code(KeyCode::Esc));
    assert_eq!(state.input, Input::None);
    assert_eq!(state.level().table.len(), 3);
    // Arrows move while filtering.
    state.update(key('/'));
    type_in(&mut state, "o");
    // The selected row matches: the selection stays on it, wherever the
    // ranking puts it.
    assert_eq!(selected(&state), Some("port-sec0000001"));
    let order = keys(&state);
    assert!(order.len() >= 2, "{order:?}");
    for _ in &order {
        state.update(code(KeyCode::Up));
    }
    assert_eq!(selected(&state), Some(order[0].as_str()));
    state.update(code(KeyCode::Down));
    assert_eq!(selected(&state), Some(order[1].as_str()));
    state.update(code(KeyCode::Up));
    assert_eq!(selected(&state), Some(order[0].as_str()));
    state.update(code(KeyCode::Enter));
    assert_eq!(state.input, Input::None);
    assert_eq!(state.level().table.filter(), "o");
}

/// The keys: `/`, more Backspaces than characters typed, then
/// `ecsfarg` — the filter stays open and all of it is filter text (it used
/// to close, then `o` re-sorted, `:` opened the command line, `a` the
/// accept dialog). The same for the command line.
#[test]
fn a_prompt_keeps_the_keyboard_until_esc_or_enter() {
    let mut state = loaded();
    state.update(key('/'));
    type_in(&mut state, "ec");
    for _ in 0..5 {
        assert!(state.update(code(KeyCode::Backspace)).is_empty());
    }
    assert_eq!(state.input, Input::Filter);
    let commands = type_in(&mut state, "o:ecsfarg");
    assert!(commands.is_empty(), "{commands:?}");
    assert_eq!(state.input, Input::Filter);
    assert_eq!(state.level().table.filter(), "o:ecsfarg");
    assert_eq!(state.level().table.sort(), None);
    assert!(state.dialog.is_none() && state.overlay.is_none());
    state.update(code(KeyCode::Esc));
    assert_eq!(state.input, Input::None);
    assert_eq!(state.level().table.filter(), "");

    // `:`, Backspace on the empty line: still the command line.
    state.update(key(':'));
    for _ in 0..3 {
        assert!(state.update(code(KeyCode::Backspace)).is_empty());
    }
    assert_eq!(state.input, Input::Command);
    let commands = type_in(&mut state, "q");
    assert!(commands.is_empty(), "{commands:?}");
    assert!(!state.should_quit());
    assert_eq!(state.command.input(), "q");
    state.update(code(KeyCode::Esc));
    assert_eq!(state.input, Input::None);
    assert!(!state.should_quit());
}

#[test]
fn s_sorts_by_the_next_column_and_capital_s_reverses() {
    let mut state = loaded();
    state.update(key('o'));
    let sort = state.level().table.sort().unwrap();
    assert_eq!(
        (sort.column, sort.order),
        (0, crate::tui::widgets::table::Order::Ascending)
    );
    assert_eq!(
        keys(&state),
        ["port-net0000001", "port-sec0000001", "port-dev0000001"]
    );
    state.update(key('O'));
    assert_eq!(
        keys(&state),
        ["port-dev0000001", "port-sec0000001", "port-net0000001"]
    );
    state.update(key('o'));
    assert_eq!(state.level().table.sort().unwrap().column, 1);
}

#[test]
fn space_marks_ctrl_a_marks_all_visible_ctrl_backslash_clears() {
    let mut state = loaded();
    state.update(key(' '));
    assert_eq!(state.level().table.marked_keys(), ["port-dev0000001"]);
    state.update(key('/'));
    type_in(&mut state, "imp");
    state.update(code(KeyCode::Enter));
    state.update(ctrl('a'));
    assert_eq!(state.level().table.mark_count(), 3);
    // A plain terminal sends Ctrl-\ as Ctrl-4.
    state.update(ctrl('4'));
    assert_eq!(state.level().table.mark_count(), 0);
    state.update(ctrl('a'));
    state.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('\\'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(state.level().table.mark_count(), 0);
}

#[test]
fn d_toggles_the_detail_pane() {
    let mut state = loaded();
    assert!(state.show_detail);
    let detail = state.detail();
    assert_eq!(detail[0], ("Name".to_string(), "Team sandbox".to_string()));
    state.update(key('d'));
    assert!(!state.show_detail);
    state.update(key('d'));
    assert!(state.show_detail);
}

#[test]
fn drifted_rows_stand_out() {
    use crate::tui::theme::{DriftTone, RowTone, Tone};
    let mut state = loaded();
    state.update(key('4'));
    let tone_of = |state: &State, id: &str| {
        let row = state
            .level()
            .table
            .rows()
            .iter()
            .find(|r| r.key == id)
            .unwrap()
            .clone();
        (row.tone, row.cells[5].tone, row.cells[5].text.clone())
    };
    assert_eq!(
        tone_of(&state, "pp-vpcmain0001"),
        (
            RowTone::Normal,
            Some(Tone::Drift(DriftTone::Current)),
            "CURRENT".into()
        )
    );
    assert_eq!(
        tone_of(&state, "pp-vpclegacy01"),
        (
            RowTone::Warn,
            Some(Tone::Drift(DriftTone::Behind)),
            "BEHIND 1".into()
        )
    );
    assert_eq!(tone_of(&state, "pp-vpcedge0001").0, RowTone::Warn);
    assert_eq!(tone_of(&state, "pp-tgwattach01").0, RowTone::Bad);
    assert_eq!(tone_of(&state, "pp-guardduty01").0, RowTone::Bad);
    assert_eq!(tone_of(&state, "pp-bucketlogs1").0, RowTone::Dim);
    // Sorting by drift puts the worst first.
    for _ in 0..6 {
        state.update(key('o'));
    }
    assert_eq!(state.level().table.sort().unwrap().column, 5);
    assert_eq!(keys(&state)[0], "pp-tgwattach01");
}

#[test]
fn the_selection_stays_on_its_row_through_a_refresh() {
    let mut state = loaded();
    state.update(key('4'));
    state.level_mut().table.select_key("pp-guardduty01");
    state.update(key(' '));
    let request = catalog_request(&state.update(key('R')));
    let mut inventory = fixtures::inventory();
    inventory.provisioned.reverse();
    inventory.provisioned.remove(0);
    state.update(Msg::CatalogLoaded {
        generation: 1,
        request,
        result: Ok(Box::new(inventory)),
    });
    assert_eq!(selected(&state), Some("pp-bucketlogs1"));
    assert_eq!(state.level().table.marked_keys(), ["pp-guardduty01"]);
}

#[test]
fn a_user_keymap_changes_what_keys_do() {
    let keymap = Keymap::defaults()
        .overlay("[actions]\ndown = [\"n\"]\nquit = [\"x\"]\n", "keymap.toml")
        .unwrap();
    let mut state = State::with_keymap("spoke-dev", None, false, keymap);
    state.start();
    let request = catalog_request(&connected(&mut state));
    state.update(Msg::CatalogLoaded {
        generation: 1,
        request,
        result: Ok(Box::new(fixtures::inventory())),
    });
    state.update(key('n'));
    assert_eq!(state.level().table.selected(), 1);
    state.update(key('j'));
    assert_eq!(state.level().table.selected(), 1);
    state.update(key('q'));
    assert!(!state.should_quit());
    state.update(key('x'));
    assert!(state.should_quit());
}

#[test]
fn key_releases_are_ignored() {
    let mut state = loaded();
    let mut release = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    state.update(Msg::Key(release));
    assert_eq!(state.level().table.selected(), 0);
}
