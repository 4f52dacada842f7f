//! Names beside ids wherever spoke knows both: a share's account by its
//! profile, the journal's portfolio by its name and the account shared with
//! by its profile, the accept confirmation by portfolio and hub.

use crate::fixtures;

use crossterm::event::KeyCode;
use fixtures::console::{connected_to, press, render, text};
use fixtures::headless::Env;
use spoke::tui::app::{Command, Msg, State};

/// The console on `profile` of `env`'s sandbox, its inventory read for real
/// and the profiles discovered from the sandbox's AWS config.
async fn console_on(env: &Env, profile: &str) -> State {
    let source = spoke::aws::ProfileSource::generated(env.config.clone(), env.sandbox.endpoint());
    let session = spoke::aws::Session::connect(&source, profile, None)
        .await
        .unwrap();
    let reader = spoke::aws::Reader::new(&session);
    let inventory = spoke::ops::scan(&reader).await.unwrap();
    let config = std::fs::read_to_string(&env.config).unwrap();
    connected_to(
        profile,
        inventory,
        false,
        spoke::aws::parse_profiles(&config, ""),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shares_and_the_journal_name_accounts_by_profile_and_portfolios_by_name() {
    let env = Env::start(10.0).await;
    let prod = fixtures::account_id(&env.sandbox, "spoke-prod");
    env.spoke(&[
        "share",
        "--profile",
        "hub",
        "--portfolio",
        "Hub Operations",
        "--account",
        &prod,
        "--yes",
    ])
    .await
    .expect(0);

    let mut state = console_on(&env, "hub").await;
    // The portfolio's detail: whom it is shared with, by profile.
    let key = state
        .catalog()
        .portfolios
        .iter()
        .find(|p| p.name == "Hub Operations")
        .unwrap()
        .id
        .clone();
    let detail =
        spoke::tui::screens::Screen::Portfolios.detail(state.catalog(), &|| state.names(), &key);
    let shared: Vec<&str> = detail
        .iter()
        .skip_while(|(k, _)| k != "Shared with")
        .skip(1)
        .take_while(|(k, _)| k.is_empty())
        .map(|(_, v)| v.as_str())
        .collect();
    assert!(
        shared
            .iter()
            .any(|l| l.contains(&format!("spoke-prod ({prod})"))),
        "{shared:?}"
    );

    // The journal overlay: the share, by portfolio name and profile.
    let commands = state.update(Msg::Key(crossterm::event::KeyEvent::new(
        KeyCode::Char(':'),
        crossterm::event::KeyModifiers::NONE,
    )));
    assert!(commands.is_empty());
    for c in "log".chars() {
        press(&mut state, KeyCode::Char(c));
    }
    let commands = press(&mut state, KeyCode::Enter);
    assert!(
        commands.iter().any(|c| matches!(c, Command::LoadJournal)),
        "{commands:?}"
    );
    state.update(Msg::JournalLoaded(Ok(env.journal())));
    let screen = text(&render(&mut state, 200, 40));
    assert!(
        screen.contains("Hub Operations (port-") && screen.contains("→ spoke-prod ("),
        "{screen}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_launch_form_reads_a_preselected_path_at_once_and_headless_never_guesses() {
    let world = fixtures::sandboxed(1.0, spoke::sandbox::Faults::default()).await;
    let mut found = None;
    for profile in ["spoke-dev", "spoke-prod", "spoke-data", "hub"] {
        let reader = world.reader(profile).await;
        for p in reader.list_products_as_end_user().await.unwrap() {
            if reader.launch_paths(&p.id).await.unwrap().len() > 1 {
                found = Some((reader.clone(), p));
                break;
            }
        }
        if found.is_some() {
            break;
        }
    }
    let Some((reader, product)) = found else {
        panic!("the default world has a product with several launch paths");
    };
    use spoke::ops::act::launch::prepare;
    // The console preselects: a path, and its parameters, at once.
    let form = prepare(&reader, &product.id, &product.name, None, None, true)
        .await
        .unwrap();
    let path = form.path.clone().expect("a path preselected");
    let first = form.paths.iter().map(|p| p.name.clone()).min().unwrap();
    assert_eq!(path.name, first);
    assert!(
        !form.parameters.parameters.is_empty(),
        "its parameters read"
    );
    // A portfolio that is no path of it: the first all the same.
    let form = prepare(
        &reader,
        &product.id,
        &product.name,
        None,
        Some("Nowhere"),
        true,
    )
    .await
    .unwrap();
    assert_eq!(form.path.map(|p| p.name), Some(first));
    // Headless never guesses: no path picked, and the check says which to give.
    let form = prepare(&reader, &product.id, &product.name, None, None, false)
        .await
        .unwrap();
    assert!(form.path.is_none());
}
