//! The first screen, drawn with fixed data on a test backend.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spoke::model::{CallerIdentity, Inventory, Origin, Portfolio, ShareType};
use spoke::tui::app::{Command, Connection, Msg, State};
use spoke::tui::views::{self, ViewState};

fn portfolio(id: &str, name: &str, provider: &str, origin: Origin) -> Portfolio {
    let owner = match &origin {
        Origin::Local => "111111111111".to_string(),
        Origin::Imported { owner_account, .. } => owner_account.clone(),
    };
    Portfolio {
        id: id.into(),
        arn: format!("arn:aws:catalog:eu-west-1:{owner}:portfolio/{id}"),
        name: name.into(),
        description: None,
        provider: Some(provider.into()),
        created: None,
        origin,
    }
}

/// A read-only session on the spoke-dev profile, with its portfolios loaded.
fn loaded_state() -> State {
    let mut state = State::new("spoke-dev", None, true);
    state.start();
    let commands = state.update(Msg::Connected {
        read_only: state.read_only(),
        generation: 1,
        connection: Connection {
            profile: "spoke-dev".into(),
            region: "eu-west-1".into(),
            endpoint: Some("http://127.0.0.1:41234".into()),
        },
        identity: CallerIdentity {
            account_id: "222222222222".into(),
            arn: "arn:aws:sts::222222222222:assumed-role/Operator/ops".into(),
            user_id: "AROAEXAMPLE:ops".into(),
        },
        no_writer: None,
    });
    let [Command::LoadCatalog { request, .. }] = commands.as_slice() else {
        panic!("expected a load, got {commands:?}");
    };
    let mut inventory = Inventory::empty(
        CallerIdentity {
            account_id: "222222222222".into(),
            arn: "arn:aws:sts::222222222222:assumed-role/Operator/ops".into(),
            user_id: "AROAEXAMPLE:ops".into(),
        },
        "eu-west-1",
        chrono::DateTime::from_timestamp(0, 0).unwrap(),
    );
    inventory.portfolios = vec![
        portfolio("port-dev0000001", "Team sandbox", "Dev team", Origin::Local),
        portfolio(
            "port-net0000001",
            "Networking",
            "Platform",
            Origin::Imported {
                owner_account: "111111111111".into(),
                share_type: ShareType::Organization,
            },
        ),
        portfolio(
            "port-sec0000001",
            "Security baseline",
            "Security",
            Origin::Imported {
                owner_account: "333333333333".into(),
                share_type: ShareType::Account,
            },
        ),
    ];
    state.update(Msg::CatalogLoaded {
        generation: 1,
        request: *request,
        result: Ok(Box::new(inventory)),
    });
    state.update(Msg::Key(crossterm::event::KeyEvent::from(
        crossterm::event::KeyCode::Char('j'),
    )));
    state
}

#[test]
fn the_portfolios_screen() {
    let state = loaded_state();
    let mut terminal = Terminal::new(TestBackend::new(110, 12)).unwrap();
    let mut view = ViewState::default();
    terminal
        .draw(|frame| views::draw(frame, &state, &mut view))
        .unwrap();
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn an_error_is_one_line_in_the_status_bar() {
    let mut state = State::new("nope", None, false);
    state.start();
    state.update(Msg::ConnectFailed {
        generation: 1,
        error: "Profile nope is not in /home/op/.aws/config — known profiles: hub, spoke-dev"
            .into(),
    });
    let mut terminal = Terminal::new(TestBackend::new(110, 8)).unwrap();
    let mut view = ViewState::default();
    terminal
        .draw(|frame| views::draw(frame, &state, &mut view))
        .unwrap();
    let text = terminal.backend().to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[6].contains("✗ Profile nope is not in /home/op/.aws/config"),
        "{text}"
    );
    assert!(lines[0].contains(" RW "), "{text}");
    assert!(lines[7].contains("q quit"), "{text}");
}

#[test]
fn a_terminal_too_small_says_so_instead_of_a_broken_layout() {
    let state = loaded_state();
    for (w, h) in [(39, 24), (80, 7), (20, 5)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        let mut view = ViewState::default();
        terminal
            .draw(|frame| views::draw(frame, &state, &mut view))
            .unwrap();
        let buffer = terminal.backend().buffer();
        let rows: Vec<String> = buffer
            .content()
            .chunks(w as usize)
            .map(|row| row.iter().map(|c| c.symbol()).collect::<String>())
            .collect();
        let text = rows
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains(&format!(
                "The terminal is {w}×{h}: spoke needs at least 40×8"
            )),
            "{text}"
        );
        assert!(!text.contains("Portfolios"), "{text}");
    }
}
