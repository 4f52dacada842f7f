//! Opening a session: profiles, connecting, loading, stale results,
//! errors and retries, the cached inventory, switching profiles.

use super::*;

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
    assert_eq!(state.region(), Some("eu-west-1"));
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
        read_only: state.read_only(),
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
    assert!(state.identity().is_none());
    state.update(Msg::ConnectFailed {
        generation: 1,
        error: "old".into(),
    });
    assert_eq!(state.status.kind, StatusKind::Busy);
    assert_eq!(state.profile(), "spoke-dev");
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
            missing: crate::model::Missing::Of("port-net0000001".into()),
            message: "port-net0000001: AccessDeniedException".into(),
        },
        crate::model::Problem {
            section: Section::Shares,
            missing: crate::model::Missing::Part,
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
            "port-net0000001: AccessDeniedException (and 1 more not read; the rest is loaded)"
                .into()
        )
    );
    assert_eq!(state.level().table.total(), 3);
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
    assert_eq!(state.profile(), "spoke-dev");
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
        state.profiles.list().unwrap(),
        state.profile(),
        state.profiles.problems(),
    );
    let row = rows.iter().find(|r| r.key == "spoke-dev").unwrap();
    assert!(row.cells.iter().any(|c| c.text.contains("aws sso login")));
    assert_eq!(row.tone, crate::tui::widgets::table::RowTone::Bad);
    // connecting again successfully clears it
    state.update(key('R'));
    connected(&mut state);
    assert!(state.profiles.problems().is_empty());
}
