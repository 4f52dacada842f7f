//! State transitions, key by key and command by command; no terminal.

use super::*;
use crate::model::{Origin, Portfolio, Section};
use crate::tui::fixtures;
use crate::tui::keymap::Keymap;

pub(super) fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub(super) fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(super) fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub(super) fn type_in(state: &mut State, text: &str) -> Vec<Command> {
    text.chars().flat_map(|c| state.update(key(c))).collect()
}

/// `:line` Enter.
pub(super) fn command_line(state: &mut State, line: &str) -> Vec<Command> {
    state.update(key(':'));
    assert_eq!(state.input, Input::Command);
    type_in(state, line);
    state.update(code(KeyCode::Enter))
}

pub(super) fn connected(state: &mut State) -> Vec<Command> {
    let generation = state.generation();
    state.update(Msg::Connected {
        read_only: state.read_only,
        generation,
        connection: Connection {
            profile: state.profile.clone(),
            region: "eu-west-1".into(),
            endpoint: None,
        },
        identity: fixtures::identity(),
        no_writer: None,
    })
}

fn catalog_request(cmds: &[Command]) -> u64 {
    match cmds {
        [Command::LoadCatalog { request, .. }] => *request,
        other => panic!("expected one catalog load, got {other:?}"),
    }
}

/// Connected to spoke-dev with the fixture catalog loaded, on the
/// portfolios screen with a 10-row viewport.
fn loaded() -> State {
    let mut state = State::new("spoke-dev", None, true);
    state.start();
    let request = catalog_request(&connected(&mut state));
    state.update(Msg::CatalogLoaded {
        generation: state.generation(),
        request,
        result: Ok(Box::new(fixtures::inventory())),
    });
    state.set_heights(10, 10, 10);
    state
}

fn selected(state: &State) -> Option<&str> {
    state.level().table.selected_key()
}

fn keys(state: &State) -> Vec<String> {
    state
        .active_table()
        .visible_rows()
        .map(|r| r.key.clone())
        .collect()
}

#[test]
fn start_reads_profiles_connects_then_loads_the_catalog() {
    let mut state = State::new("hub", None, true);
    let cmds = state.start();
    assert_eq!(
        cmds,
        [
            Command::DiscoverProfiles,
            Command::Connect {
                generation: 1,
                profile: "hub".into(),
                region: None
            }
        ]
    );
    assert!(state.is_busy());
    assert_eq!(state.empty_message(state.level()), "Loading portfolios…");
    let request = catalog_request(&connected(&mut state));
    assert_eq!(state.region.as_deref(), Some("eu-west-1"));
    assert_eq!(state.status.kind, StatusKind::Busy);

    // Sections fill the screens as they arrive.
    let mut partial = fixtures::inventory();
    partial.products.clear();
    state.update(Msg::CatalogSection {
        generation: 1,
        request,
        section: Section::Portfolios,
        inventory: Box::new(partial),
    });
    assert_eq!(state.level().table.total(), 3);
    assert!(
        state.status.text.contains("1 of 6 parts in"),
        "{:?}",
        state.status
    );
    assert!(state.is_busy());

    state.update(Msg::CatalogLoaded {
        generation: 1,
        request,
        result: Ok(Box::new(fixtures::inventory())),
    });
    assert!(!state.is_busy());
    assert_eq!(
        state.status,
        info(
            "3 portfolios (1 local, 2 imported) · 4 products · 7 provisioned: 2 CURRENT · 1 BEHIND · 1 ON_DEPRECATED · 1 ON_INACTIVE · 1 UNKNOWN · 1 TAINTED"
                .into()
        )
    );
}

#[test]
fn results_of_an_older_generation_are_dropped() {
    let mut state = State::new("hub", None, false);
    state.start();
    let old_request = catalog_request(&connected(&mut state));
    let cmds = command_line(&mut state, "profile spoke-dev");
    assert_eq!(
        cmds,
        [Command::Connect {
            generation: 2,
            profile: "spoke-dev".into(),
            region: None
        }]
    );
    // The hub's late answers change nothing.
    let late = state.update(Msg::CatalogLoaded {
        generation: 1,
        request: old_request,
        result: Ok(Box::new(fixtures::inventory())),
    });
    assert!(late.is_empty());
    assert!(state.catalog.portfolios.is_empty());
    state.update(Msg::CatalogSection {
        generation: 1,
        request: old_request,
        section: Section::Portfolios,
        inventory: Box::new(fixtures::inventory()),
    });
    assert!(state.catalog.portfolios.is_empty());
    let late = state.update(Msg::Connected {
        read_only: state.read_only,
        generation: 1,
        connection: Connection {
            profile: "hub".into(),
            region: "us-east-1".into(),
            endpoint: None,
        },
        identity: fixtures::identity(),
        no_writer: None,
    });
    assert!(late.is_empty());
    assert!(state.identity.is_none());
    state.update(Msg::ConnectFailed {
        generation: 1,
        error: "old".into(),
    });
    assert_eq!(state.status.kind, StatusKind::Busy);
    assert_eq!(state.profile, "spoke-dev");
    state.update(Msg::EventsLoaded {
        generation: 1,
        request: old_request,
        stack_id: "x".into(),
        result: Err("old".into()),
    });
    assert_eq!(state.status.kind, StatusKind::Busy);
}

#[test]
fn only_the_latest_refresh_counts() {
    let mut state = loaded();
    let first = catalog_request(&state.update(key('R')));
    let second = catalog_request(&state.update(key('R')));
    assert_ne!(first, second);
    let mut other = fixtures::inventory();
    other.portfolios.truncate(1);
    state.update(Msg::CatalogLoaded {
        generation: 1,
        request: first,
        result: Ok(Box::new(other)),
    });
    assert_eq!(state.catalog.portfolios.len(), 3);
    assert!(state.is_busy());
    state.update(Msg::CatalogLoaded {
        generation: 1,
        request: second,
        result: Err("ThrottlingException: Rate exceeded — try again in a minute".into()),
    });
    // A failed refresh keeps what was shown.
    assert_eq!(state.catalog.portfolios.len(), 3);
    assert_eq!(state.status.kind, StatusKind::Error);
}

#[test]
fn an_error_becomes_the_status_line_and_r_retries() {
    let mut state = State::new("nope", None, false);
    state.start();
    state.update(Msg::ConnectFailed {
        generation: 1,
        error: "Profile nope is not in ~/.aws/config — known profiles: hub".into(),
    });
    assert_eq!(state.status.kind, StatusKind::Error);
    assert!(state.status.text.starts_with("Profile nope"));
    assert!(!state.is_busy());
    assert_eq!(
        state.empty_message(state.level()),
        "Not connected — R retries."
    );
    let cmds = state.update(key('R'));
    assert!(matches!(
        cmds.as_slice(),
        [Command::Connect { generation: 2, .. }]
    ));
}

#[test]
fn problems_of_a_scan_are_reported_and_the_rest_is_shown() {
    let mut state = State::new("spoke-dev", None, false);
    state.start();
    let request = catalog_request(&connected(&mut state));
    let mut inventory = fixtures::inventory();
    inventory.problems = vec![
        crate::model::Problem {
            section: Section::Constraints,
            message: "port-net0000001: AccessDeniedException".into(),
        },
        crate::model::Problem {
            section: Section::Shares,
            message: "x".into(),
        },
    ];
    state.update(Msg::CatalogLoaded {
        generation: 1,
        request,
        result: Ok(Box::new(inventory)),
    });
    assert_eq!(
        state.status,
        error_status(
            "constraints: port-net0000001: AccessDeniedException (and 1 more problems; the rest is loaded)"
                .into()
        )
    );
    assert_eq!(state.level().table.total(), 3);
}

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
        "Open a provisioned product (Enter on the provisioned screen) to follow its stack."
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

    // Product → its provisioned products.
    state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Provisioned);
    assert_eq!(
        state.level().title(),
        "Provisioned products of VPC in Networking"
    );
    assert_eq!(
        keys(&state),
        ["pp-vpcmain0001", "pp-vpclegacy01", "pp-vpcedge0001"]
    );
    state.update(key('j'));

    // Provisioned product → the events of its stack.
    let cmds = state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Events);
    let stack = fixtures::stack_arn("pp-vpclegacy01");
    assert!(
        matches!(cmds.as_slice(), [Command::LoadEvents { stack_id, since: None, .. }] if *stack_id == stack),
        "{cmds:?}"
    );
    assert_eq!(state.nav().len(), 4);
    assert_eq!(
        state.empty_message(state.level()),
        "Loading the stack events of vpc-legacy…"
    );
    // Events open nothing further.
    state.update(code(KeyCode::Enter));
    assert_eq!(state.nav().len(), 4);

    state.update(code(KeyCode::Esc));
    assert_eq!(state.screen(), Screen::Provisioned);
    assert_eq!(selected(&state), Some("pp-vpclegacy01"));
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
    assert_eq!(selected(&state), Some("port-sec0000001"));
    state.update(code(KeyCode::Up));
    assert_eq!(selected(&state), Some("port-net0000001"));
    state.update(code(KeyCode::Down));
    assert_eq!(selected(&state), Some("port-sec0000001"));
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
fn the_help_overlay_toggles_and_filters_as_you_type() {
    let mut state = loaded();
    state.update(key('?'));
    assert_eq!(state.overlay, Some(Overlay::Help));
    state.set_heights(10, 10, 10);
    type_in(&mut state, "mark");
    assert_eq!(state.help.filter, "mark");
    assert!(!state.should_quit());
    state.update(code(KeyCode::Backspace));
    assert_eq!(state.help.filter, "mar");
    // Esc clears the filter, then closes.
    state.update(code(KeyCode::Esc));
    assert_eq!(state.help.filter, "");
    assert_eq!(state.overlay, Some(Overlay::Help));
    state.update(code(KeyCode::Down));
    state.update(code(KeyCode::Down));
    assert_eq!(state.help.offset, 2);
    state.update(code(KeyCode::End));
    let lines = crate::tui::views::help::lines(&state.keymap, "").len();
    assert_eq!(state.help.offset, lines - 10);
    state.update(code(KeyCode::Esc));
    assert_eq!(state.overlay, None);
    // `?` toggles; :help opens it too.
    state.update(key('?'));
    state.update(key('?'));
    assert_eq!(state.overlay, None);
    command_line(&mut state, "help");
    assert_eq!(state.overlay, Some(Overlay::Help));
}

#[test]
fn at_shows_the_calls_made() {
    let mut state = loaded();
    state.update(Msg::CallsLogged(fixtures::calls()));
    state.update(key('@'));
    assert_eq!(state.overlay, Some(Overlay::Calls));
    // Newest first.
    assert_eq!(keys(&state), ["4", "3", "2", "1"]);
    // New calls arrive while it is open.
    let mut more = fixtures::calls();
    more.truncate(1);
    more[0].seq = 5;
    state.update(Msg::CallsLogged(more));
    assert_eq!(keys(&state).len(), 5);
    // The selection stayed on its call; keys act on the overlay's table.
    assert_eq!(state.calls_table.selected_key(), Some("4"));
    state.update(key('j'));
    assert_eq!(state.calls_table.selected_key(), Some("3"));
    assert_eq!(state.level().table.selected(), 0);
    state.update(key('/'));
    type_in(&mut state, "denied");
    state.update(code(KeyCode::Enter));
    assert_eq!(keys(&state), ["4"]);
    // Esc clears the filter, then closes; @ toggles.
    state.update(code(KeyCode::Esc));
    assert_eq!(keys(&state).len(), 5);
    state.update(code(KeyCode::Esc));
    assert_eq!(state.overlay, None);
    state.update(key('@'));
    state.update(key('@'));
    assert_eq!(state.overlay, None);
    command_line(&mut state, "calls");
    assert_eq!(state.overlay, Some(Overlay::Calls));
}

#[test]
fn the_call_log_keeps_the_newest() {
    let mut state = loaded();
    let entries: Vec<CallEntry> = (1..=CALLS_KEPT as u64 + 5)
        .map(|seq| CallEntry {
            seq,
            ..fixtures::calls()[0].clone()
        })
        .collect();
    state.update(Msg::CallsLogged(entries));
    assert_eq!(state.calls.len(), CALLS_KEPT);
    assert_eq!(state.calls[0].seq, 6);
}

#[test]
fn the_profile_picker_lists_profiles_and_enter_switches() {
    let mut state = loaded();
    state.update(Msg::ProfilesDiscovered(Ok(fixtures::profiles())));
    let cmds = state.update(key('P'));
    assert_eq!(cmds, [Command::DiscoverProfiles]);
    assert_eq!(state.overlay, Some(Overlay::Profiles));
    // On the current profile.
    assert_eq!(state.profiles_table.selected_key(), Some("spoke-dev"));
    state.update(key('j'));
    let cmds = state.update(code(KeyCode::Enter));
    assert_eq!(
        cmds,
        [Command::Connect {
            generation: 2,
            profile: "spoke-prod".into(),
            region: None
        }]
    );
    assert_eq!(state.overlay, None);
    assert_eq!(state.profile, "spoke-prod");
    assert!(state.catalog.portfolios.is_empty());

    // :profile without a name opens the picker; Esc closes it.
    let cmds = command_line(&mut state, "profile");
    assert_eq!(cmds, [Command::DiscoverProfiles]);
    assert_eq!(state.overlay, Some(Overlay::Profiles));
    assert_eq!(state.profiles_table.selected_key(), Some("spoke-prod"));
    state.update(code(KeyCode::Esc));
    assert_eq!(state.overlay, None);
    // R in the picker reads the files again.
    state.update(key('P'));
    assert_eq!(state.update(key('R')), [Command::DiscoverProfiles]);
}

#[test]
fn profile_and_region_commands_switch_and_complete() {
    let mut state = loaded();
    state.update(Msg::ProfilesDiscovered(Ok(fixtures::profiles())));
    state.update(key(':'));
    type_in(&mut state, "profile spoke-p");
    state.update(code(KeyCode::Tab));
    assert_eq!(state.command.input(), "profile spoke-prod");
    let cmds = state.update(code(KeyCode::Enter));
    assert_eq!(
        cmds,
        [Command::Connect {
            generation: 2,
            profile: "spoke-prod".into(),
            region: None
        }]
    );
    let cmds = command_line(&mut state, "region eu-central-1");
    assert_eq!(
        cmds,
        [Command::Connect {
            generation: 3,
            profile: "spoke-prod".into(),
            region: Some("eu-central-1".into())
        }]
    );
    // History: Up brings the last line back.
    state.update(key(':'));
    state.update(code(KeyCode::Up));
    assert_eq!(state.command.input(), "region eu-central-1");
    state.update(code(KeyCode::Esc));
    assert_eq!(state.input, Input::None);
}

#[test]
fn unknown_commands_and_missing_arguments_are_explained() {
    let mut state = loaded();
    command_line(&mut state, "frob");
    assert_eq!(state.input, Input::None);
    assert_eq!(state.status.kind, StatusKind::Error);
    assert!(state.status.text.starts_with("unknown command :frob"));
    command_line(&mut state, "region");
    assert!(state.status.text.contains(":region needs a name"));
    // An empty line does nothing.
    let before = state.status.clone();
    assert!(command_line(&mut state, "").is_empty());
    assert_eq!(state.status, before);
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
fn the_events_screen_follows_its_stack() {
    let mut state = loaded();
    state.update(key('4'));
    state.level_mut().table.select_key("pp-tgwattach01");
    let cmds = state.update(code(KeyCode::Enter));
    let [
        Command::LoadEvents {
            request, stack_id, ..
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    let (request, stack_id) = (*request, stack_id.clone());
    // Nothing more is asked while the first answer is awaited.
    for _ in 0..100 {
        assert!(state.update(Msg::Tick).is_empty());
    }
    let events = fixtures::events();
    state.update(Msg::EventsLoaded {
        generation: 1,
        request,
        stack_id: stack_id.clone(),
        result: Ok(events[..4].to_vec()),
    });
    // Newest first.
    assert_eq!(keys(&state), ["ev-004", "ev-003", "ev-002", "ev-001"]);
    // Moving (UPDATE_ROLLBACK_IN_PROGRESS): polled every 2 s, asking for what is new.
    let mut polled = Vec::new();
    for _ in 0..20 {
        polled.extend(state.update(Msg::Tick));
    }
    let [Command::LoadEvents { request, since, .. }] = polled.as_slice() else {
        panic!("{polled:?}");
    };
    assert_eq!(since.as_deref(), Some("ev-004"));
    state.update(Msg::EventsLoaded {
        generation: 1,
        request: *request,
        stack_id: stack_id.clone(),
        result: Ok(events[4..].to_vec()),
    });
    assert_eq!(keys(&state).len(), 7);
    // Settled: the next poll waits 30 s.
    let mut polled = Vec::new();
    for _ in 0..299 {
        polled.extend(state.update(Msg::Tick));
    }
    assert!(polled.is_empty());
    assert_eq!(state.update(Msg::Tick).len(), 1);
    // Off the events screen, nothing is polled.
    state.update(code(KeyCode::Esc));
    let mut state2 = state.clone();
    for _ in 0..400 {
        assert!(state2.update(Msg::Tick).is_empty());
    }
    // Back on it through 5, the same stack is shown without reloading.
    state.update(key('5'));
    assert_eq!(state.screen(), Screen::Events);
    assert_eq!(keys(&state).len(), 7);
}

#[test]
fn a_provisioned_product_without_a_stack_says_so() {
    let mut state = State::new("spoke-dev", None, false);
    state.start();
    let request = catalog_request(&connected(&mut state));
    let mut inventory = fixtures::inventory();
    inventory.provisioned[0].stack_arn = None;
    state.update(Msg::CatalogLoaded {
        generation: 1,
        request,
        result: Ok(Box::new(inventory)),
    });
    state.update(key('4'));
    assert!(state.update(code(KeyCode::Enter)).is_empty());
    assert_eq!(state.screen(), Screen::Provisioned);
    assert!(
        state
            .status
            .text
            .contains("vpc-main has no CloudFormation stack")
    );
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
fn a_profile_switch_keeps_the_root_screen_and_drops_the_rest() {
    let mut state = loaded();
    state.update(key('2'));
    state.update(key('/'));
    type_in(&mut state, "vpc");
    state.update(code(KeyCode::Enter));
    state.update(code(KeyCode::Enter));
    assert_eq!(state.nav().len(), 2);
    command_line(&mut state, "profile hub");
    assert_eq!(state.nav().len(), 1);
    assert_eq!(state.screen(), Screen::Products);
    assert_eq!(state.level().table.filter(), "vpc");
    assert_eq!(state.level().table.total(), 0);
}

#[test]
fn a_bad_settings_file_shows_until_a_key_is_pressed() {
    let mut state = State::new("hub", None, false);
    state.report(
        "/home/op/.config/spoke/keymap.toml:3:1: unknown action `dwon` (using the defaults)".into(),
    );
    state.start();
    assert!(state.notice.as_deref().unwrap().contains("keymap.toml:3:1"));
    connected(&mut state);
    assert!(state.notice.is_some());
    state.update(key('j'));
    assert_eq!(state.notice, None);
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

#[test]
fn a_cached_inventory_shows_at_once_with_its_age_until_the_scan_replaces_it() {
    let mut state = State::new("spoke-dev", None, true);
    state.start();
    let stale = state.generation();
    // a cache of an older session is dropped
    state.update(Msg::CacheLoaded {
        generation: stale.wrapping_sub(1),
        inventory: Box::new(fixtures::inventory()),
        age: "3d".into(),
    });
    assert!(state.cached_age.is_none());
    state.update(Msg::CacheLoaded {
        generation: stale,
        inventory: Box::new(fixtures::inventory()),
        age: "5m".into(),
    });
    assert_eq!(state.cached_age.as_deref(), Some("5m"));
    assert!(
        state.status.text.contains("cached 5m ago"),
        "{}",
        state.status.text
    );
    assert!(
        !state.catalog.portfolios.is_empty(),
        "the cached rows are on screen"
    );
    let request = catalog_request(&connected(&mut state));
    assert!(
        state.status.text.contains("cached 5m ago"),
        "still marked while refreshing: {}",
        state.status.text
    );
    state.update(Msg::CatalogLoaded {
        generation: state.generation(),
        request,
        result: Ok(Box::new(fixtures::inventory())),
    });
    assert!(state.cached_age.is_none());
    assert!(
        !state.status.text.contains("cached"),
        "{}",
        state.status.text
    );
}

#[test]
fn an_unknown_profile_name_leaves_the_console_where_it_is() {
    let mut state = loaded();
    state.update(Msg::ProfilesDiscovered(Ok(fixtures::profiles())));
    let generation = state.generation();
    let cmds = command_line(&mut state, "profile no-such-profile");
    assert!(cmds.is_empty(), "{cmds:?}");
    assert_eq!(state.generation(), generation);
    assert_eq!(state.profile, "spoke-dev");
    assert!(
        state.status.text.contains("No profile no-such-profile"),
        "{}",
        state.status.text
    );
    assert!(!state.catalog.portfolios.is_empty(), "the catalog stays");
}

#[test]
fn a_credential_failure_is_shown_on_that_profile_in_the_picker() {
    let mut state = State::new("spoke-dev", None, true);
    state.start();
    state.update(Msg::ProfilesDiscovered(Ok(fixtures::profiles())));
    state.update(Msg::ConnectFailed {
        generation: state.generation(),
        error: "Profile spoke-dev: SSO token expired — run aws sso login --profile spoke-dev"
            .into(),
    });
    let rows = crate::tui::views::profiles::rows(
        state.profiles.as_deref().unwrap(),
        &state.profile,
        &state.profile_problems,
    );
    let row = rows.iter().find(|r| r.key == "spoke-dev").unwrap();
    assert!(row.cells.iter().any(|c| c.text.contains("aws sso login")));
    assert_eq!(row.tone, crate::tui::widgets::table::RowTone::Bad);
    // connecting again successfully clears it
    state.update(key('R'));
    connected(&mut state);
    assert!(state.profile_problems.is_empty());
}

/// On the events of tgw-attach, the first `n` fixture events loaded;
/// returns the stack id.
fn events_of_tgw(state: &mut State, n: usize) -> String {
    state.update(key('4'));
    state.level_mut().table.select_key("pp-tgwattach01");
    let cmds = state.update(code(KeyCode::Enter));
    let [
        Command::LoadEvents {
            request, stack_id, ..
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    let stack_id = stack_id.clone();
    state.update(Msg::EventsLoaded {
        generation: state.generation(),
        request: *request,
        stack_id: stack_id.clone(),
        result: Ok(fixtures::events()[..n].to_vec()),
    });
    stack_id
}

/// The next poll, answered with the fixture events `range`.
fn poll_answered(state: &mut State, stack_id: &str, range: std::ops::Range<usize>) {
    let polled: Vec<Command> = (0..300).flat_map(|_| state.update(Msg::Tick)).collect();
    let [Command::LoadEvents { request, .. }] = polled.as_slice() else {
        panic!("{polled:?}");
    };
    state.update(Msg::EventsLoaded {
        generation: state.generation(),
        request: *request,
        stack_id: stack_id.into(),
        result: Ok(fixtures::events()[range].to_vec()),
    });
}

fn following(state: &State) -> bool {
    state.catalog.watch.as_ref().unwrap().follow
}

#[test]
fn f_freezes_and_follows_the_newest_event() {
    let mut state = loaded();
    let stack_id = events_of_tgw(&mut state, 3);
    // Following by default: the newest event is selected.
    assert!(following(&state));
    assert_eq!(selected(&state), Some("ev-003"));
    // New events move the selection to the newest.
    poll_answered(&mut state, &stack_id, 3..4);
    assert_eq!(selected(&state), Some("ev-004"));
    // f freezes: the next events leave the selection where it is.
    state.update(key('f'));
    assert!(!following(&state));
    assert!(
        state.status.text.starts_with("Frozen"),
        "{:?}",
        state.status
    );
    poll_answered(&mut state, &stack_id, 4..7);
    assert_eq!(keys(&state).len(), 7);
    assert_eq!(selected(&state), Some("ev-004"));
    // f follows again, from the newest at once.
    state.update(key('f'));
    assert!(following(&state));
    assert_eq!(selected(&state), Some("ev-007"));
    // Even with the oldest first, following selects the newest.
    state.update(key('o'));
    assert_eq!(keys(&state)[0], "ev-001");
    assert_eq!(selected(&state), Some("ev-007"));
}

#[test]
fn moving_off_the_newest_event_freezes() {
    let mut state = loaded();
    events_of_tgw(&mut state, 7);
    assert_eq!(selected(&state), Some("ev-007"));
    // Up at the newest goes nowhere: still following.
    state.update(key('k'));
    assert!(following(&state));
    // Down reads an older event: following would yank it away.
    state.update(key('j'));
    assert_eq!(selected(&state), Some("ev-006"));
    assert!(!following(&state));
    assert!(
        state.status.text.contains("f follows again"),
        "{:?}",
        state.status
    );
    state.update(key('f'));
    assert_eq!(selected(&state), Some("ev-007"));
    // The mouse wheel too.
    state.update(Msg::ScrollDown);
    assert!(!following(&state));
    // A filter typed while following keeps following, on the newest it shows.
    state.update(key('f'));
    state.update(key('o'));
    assert_eq!(keys(&state)[0], "ev-001");
    state.update(key('/'));
    type_in(&mut state, "Attachment");
    assert!(following(&state));
    assert_eq!(selected(&state), Some("ev-005"));
}

#[test]
fn f_elsewhere_says_what_it_is_for() {
    let mut state = loaded();
    state.update(key('f'));
    assert!(state.status.text.starts_with("Nothing to follow here"));
    assert!(state.catalog.watch.is_none());
}

#[test]
fn ev_opens_the_events_of_the_selected_provisioned_product() {
    let mut state = loaded();
    state.update(key('4'));
    state.level_mut().table.select_key("pp-vpcedge0001");
    let cmds = command_line(&mut state, "ev");
    let [
        Command::LoadEvents {
            stack_id, since, ..
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    assert_eq!(*stack_id, fixtures::stack_arn("pp-vpcedge0001"));
    assert_eq!(*since, None);
    assert_eq!(state.screen(), Screen::Events);
    // A screen of its own, like every number key.
    assert_eq!(state.nav().len(), 1);
    assert_eq!(state.level().title(), "Stack events of vpc-edge");
    assert_eq!(
        state.catalog.watch.as_ref().unwrap().provisioned_id,
        "pp-vpcedge0001"
    );

    // 5 does the same, from a provisioned screen reached by Enter.
    let mut state = loaded();
    state.update(key('2'));
    state.level_mut().table.select_key("prod-tgw0000001");
    state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Provisioned);
    let cmds = state.update(key('5'));
    assert!(
        matches!(cmds.as_slice(), [Command::LoadEvents { stack_id, .. }] if *stack_id == fixtures::stack_arn("pp-tgwattach01")),
        "{cmds:?}"
    );
    assert_eq!(state.level().title(), "Stack events of tgw-attach");
}

#[test]
fn ev_without_a_selected_provisioned_product_shows_the_hint() {
    // From another screen.
    let mut state = loaded();
    assert!(command_line(&mut state, "ev").is_empty());
    assert_eq!(state.screen(), Screen::Events);
    assert!(
        state
            .empty_message(state.level())
            .starts_with("Open a provisioned product")
    );
    // From a provisioned screen whose filter shows nothing.
    let mut state = loaded();
    state.update(key('4'));
    state.update(key('/'));
    type_in(&mut state, "zzz");
    state.update(code(KeyCode::Enter));
    assert!(state.update(key('5')).is_empty());
    assert!(
        state
            .empty_message(state.level())
            .starts_with("Open a provisioned product")
    );
}

#[test]
fn ev_on_a_provisioned_product_without_a_stack_says_why() {
    let mut state = State::new("spoke-dev", None, false);
    state.start();
    let request = catalog_request(&connected(&mut state));
    let mut inventory = fixtures::inventory();
    inventory.provisioned[0].stack_arn = None;
    state.update(Msg::CatalogLoaded {
        generation: 1,
        request,
        result: Ok(Box::new(inventory)),
    });
    state.update(key('4'));
    assert!(state.update(key('5')).is_empty());
    assert_eq!(state.screen(), Screen::Events);
    assert!(
        state
            .status
            .text
            .contains("vpc-main has no CloudFormation stack"),
        "{:?}",
        state.status
    );
}
