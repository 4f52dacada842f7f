//! A large catalog change is applied off the input path: the state hands
//! a job to the executor and installs its result in one move; changes
//! that arrive meanwhile wait, in order; a result of an older session is
//! dropped (off the input path too).

use super::*;
use crate::model::Inventory;
use crate::tui::app::refresh::{Built, Job};

/// The fixture catalog with `rows` provisioned products (copies of its
/// own, each with an id of its own).
fn large(rows: usize) -> Inventory {
    let mut inv = fixtures::inventory();
    let models = inv.provisioned.clone();
    inv.provisioned = (0..rows)
        .map(|i| {
            let mut pp = models[i % models.len()].clone();
            pp.id = format!("pp-{i:06}");
            pp.name = format!("{}-{i}", pp.name);
            pp
        })
        .collect();
    inv
}

fn refresh_request(state: &mut State) -> u64 {
    let key = state.keymap().keys(Action::Refresh)[0];
    let commands = state.update(Msg::Key(KeyEvent::new(key.code, key.modifiers)));
    commands
        .iter()
        .find_map(|c| match c {
            Command::LoadCatalog { request, .. } => Some(*request),
            _ => None,
        })
        .expect("R loads the catalog")
}

/// The one job among `commands`, with its tags.
fn job(commands: Vec<Command>) -> (Generation, u64, Box<Job>) {
    let mut jobs: Vec<_> = commands
        .into_iter()
        .filter_map(|c| match c {
            Command::BuildCatalog {
                generation,
                request,
                job,
            } => Some((generation, request, job)),
            _ => None,
        })
        .collect();
    assert_eq!(jobs.len(), 1, "expected one job");
    jobs.pop().expect("one job")
}

/// Runs a job as the executor would and hands its result back.
fn built(
    state: &mut State,
    (generation, request, job): (Generation, u64, Box<Job>),
) -> Vec<Command> {
    let built: Built = job.run();
    state.update(Msg::CatalogBuilt {
        generation,
        request,
        built: Box::new(built),
    })
}

fn discards(commands: &[Command]) -> usize {
    commands
        .iter()
        .filter(|c| matches!(c, Command::Discard(_)))
        .count()
}

fn on_provisioned() -> State {
    let mut state = loaded();
    state.go_to(Screen::Provisioned);
    state
}

#[test]
fn a_small_change_is_applied_at_once() {
    let mut state = on_provisioned();
    let request = refresh_request(&mut state);
    let commands = state.update(Msg::CatalogLoaded {
        generation: state.generation(),
        request,
        result: Ok(Box::new(large(OFF_THREAD_ROWS - 1))),
    });
    assert!(
        commands.is_empty(),
        "no job below the threshold: {commands:?}"
    );
    assert_eq!(state.level().table.total(), OFF_THREAD_ROWS - 1);
    assert!(!state.is_busy());
}

#[test]
fn a_large_scan_is_built_by_a_job_and_installed_in_one_move() {
    let mut state = on_provisioned();
    let before = state.level().table.total();
    let request = refresh_request(&mut state);
    let generation = state.generation();
    let section = state.update(Msg::CatalogSection {
        generation,
        request,
        section: Section::Provisioned,
        inventory: Box::new(large(OFF_THREAD_ROWS)),
    });
    let first = job(section);
    assert_eq!(
        state.level().table.total(),
        before,
        "the rows on screen stay until the new ones are built"
    );
    assert!(state.is_busy(), "the spinner turns while the job runs");
    // The whole inventory arrives while the section is still building: it waits.
    let waiting = state.update(Msg::CatalogLoaded {
        generation,
        request,
        result: Ok(Box::new(large(OFF_THREAD_ROWS + 7))),
    });
    assert!(waiting.is_empty(), "one job at a time: {waiting:?}");
    let after_first = built(&mut state, first);
    assert_eq!(state.level().table.total(), OFF_THREAD_ROWS);
    assert_eq!(
        discards(&after_first),
        1,
        "what was replaced is dropped elsewhere"
    );
    assert!(state.is_busy(), "the scan's inventory is still to apply");
    let after_second = built(&mut state, job(after_first));
    assert_eq!(state.level().table.total(), OFF_THREAD_ROWS + 7);
    assert_eq!(discards(&after_second), 1);
    assert!(
        !after_second
            .iter()
            .any(|c| matches!(c, Command::BuildCatalog { .. }))
    );
    assert!(!state.is_busy());
    assert_eq!(state.status().kind, StatusKind::Info);
    assert!(
        state
            .status()
            .text
            .contains(&format!("{} provisioned", OFF_THREAD_ROWS + 7)),
        "the scan's summary once applied: {}",
        state.status().text
    );
}

#[test]
fn a_filter_typed_while_building_applies_to_the_rows_installed() {
    let mut state = on_provisioned();
    let request = refresh_request(&mut state);
    let pending = job(state.update(Msg::CatalogLoaded {
        generation: state.generation(),
        request,
        result: Ok(Box::new(large(OFF_THREAD_ROWS))),
    }));
    state.update(key('/'));
    type_in(&mut state, "pp-000042");
    state.update(code(KeyCode::Enter));
    built(&mut state, pending);
    assert_eq!(state.level().table.total(), OFF_THREAD_ROWS);
    assert_eq!(keys(&state), vec!["pp-000042".to_string()]);
}

#[test]
fn the_selection_stays_on_its_row_through_a_large_refresh() {
    let mut state = on_provisioned();
    let request = refresh_request(&mut state);
    let generation = state.generation();
    let first = job(state.update(Msg::CatalogLoaded {
        generation,
        request,
        result: Ok(Box::new(large(OFF_THREAD_ROWS))),
    }));
    built(&mut state, first);
    assert!(state.level_mut().table.select_key("pp-000123"));
    let request = refresh_request(&mut state);
    let mut again = large(OFF_THREAD_ROWS);
    again.provisioned.remove(3);
    let second = job(state.update(Msg::CatalogLoaded {
        generation,
        request,
        result: Ok(Box::new(again)),
    }));
    built(&mut state, second);
    assert_eq!(selected(&state), Some("pp-000123"));
}

#[test]
fn a_result_of_an_older_session_is_dropped_elsewhere() {
    let mut state = on_provisioned();
    let request = refresh_request(&mut state);
    let pending = job(state.update(Msg::CatalogLoaded {
        generation: state.generation(),
        request,
        result: Ok(Box::new(large(OFF_THREAD_ROWS))),
    }));
    state.switch_to("hub".into(), None);
    let commands = built(&mut state, pending);
    assert_eq!(discards(&commands), 1, "{commands:?}");
    assert_eq!(commands.len(), 1);
    assert_ne!(state.level().table.total(), OFF_THREAD_ROWS);
    assert!(state.catalog().provisioned.len() < OFF_THREAD_ROWS);
}
