//! `spoke audit` and `spoke --snapshot`: the default world exported by the
//! real binary, then re-opened offline — every screen shows the same rows
//! as a live session of the same accounts; the CSV tables and the report
//! hold what the snapshot holds.

use crate::fixtures;

use fixtures::console::{render, text};
use fixtures::headless::Env;
use spoke::aws::{ProfileSource, Reader, Session};
use spoke::model::Snapshot;
use spoke::ops::fleet::{self, Selection};
use spoke::tui::app::{Command, Connection, Msg, State};
use spoke::tui::screens::Screen;

const PROFILES: [&str; 4] = ["hub", "spoke-dev", "spoke-prod", "spoke-data"];

/// Every row of the table in front: its key and its cells.
fn rows(state: &State) -> Vec<(String, Vec<String>)> {
    state
        .active_table()
        .visible_rows()
        .map(|r| {
            (
                r.key.clone(),
                r.cells.iter().map(|c| c.text.clone()).collect(),
            )
        })
        .collect()
}

/// A console state fed by the offline executor from `snapshot`, opened on `profile`.
fn offline_state(snapshot: &Snapshot, profile: &str) -> State {
    let mut state = State::new(profile, None, true);
    let mut current = None;
    let mut pending: Vec<Command> = state.start();
    while let Some(command) = pending.pop() {
        for msg in spoke::tui::offline::answer(snapshot, &mut current, command) {
            pending.extend(state.update(msg));
        }
    }
    state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_reopened_offline_shows_every_screen_as_the_live_session() {
    let env = Env::start(1.0).await;
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("audit.json");
    let profiles = PROFILES.join(",");
    env.spoke(&[
        "audit",
        "--profiles",
        &profiles,
        "--out",
        json.to_str().unwrap(),
    ])
    .await
    .expect(0)
    .says("spoke-dev (222233334444): 3 portfolios")
    .says("Wrote ");
    assert_eq!(
        env.mutations_since(0),
        Vec::<String>::new(),
        "an audit changes nothing"
    );
    let snapshot = Snapshot::parse(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(snapshot.accounts.len(), 4);
    assert!(
        snapshot.source.contains("the endpoint http://127.0.0.1"),
        "{}",
        snapshot.source
    );

    let source = ProfileSource::generated(env.config.clone(), env.sandbox.endpoint());
    for profile in PROFILES {
        let session = Session::connect(&source, profile, None).await.unwrap();
        let reader = Reader::new(&session);
        let live = spoke::ops::scan(&reader).await.unwrap();
        let mut a = State::new(profile, None, true);
        a.start();
        let generation = a.generation();
        let commands = a.update(Msg::Connected {
            read_only: true,
            generation,
            connection: Connection {
                profile: profile.into(),
                region: live.region.clone(),
                endpoint: None,
            },
            identity: live.caller.clone(),
            no_writer: Some("read-only".into()),
        });
        let request = commands
            .iter()
            .find_map(|c| match c {
                Command::LoadCatalog { request, .. } => Some(*request),
                _ => None,
            })
            .unwrap();
        a.update(Msg::CatalogLoaded {
            generation,
            request,
            result: Ok(Box::new(live)),
        });
        let mut b = offline_state(&snapshot, profile);
        for screen in [
            Screen::Portfolios,
            Screen::Products,
            Screen::Constraints,
            Screen::Provisioned,
        ] {
            a.go_to(screen);
            b.go_to(screen);
            let (live_rows, saved_rows) = (rows(&a), rows(&b));
            assert!(
                !live_rows.is_empty() || screen == Screen::Provisioned,
                "{profile} {screen:?} has rows"
            );
            assert_eq!(live_rows, saved_rows, "{profile}: {screen:?}");
        }
    }

    // The fleet view of the snapshot: the same drift as a live fleet scan.
    let (_, live) = fleet::connect_and_scan(
        &source,
        &Selection::Profiles {
            names: PROFILES.map(str::to_string).to_vec(),
        },
        None,
        spoke::aws::CallLog::default(),
        |_| {},
        |_| {},
    )
    .await
    .unwrap();
    for (live, saved) in live.iter().zip(&snapshot.accounts) {
        let saved = saved.drift();
        let pairs = |a: &spoke::model::AccountDrift| {
            a.rows
                .iter()
                .map(|r| (r.provisioned.id.clone(), r.drift))
                .collect::<Vec<_>>()
        };
        assert_eq!(pairs(live), pairs(&saved), "{}", live.label);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audit_writes_csv_tables_and_a_report() {
    let env = Env::start(1.0).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tables");
    let csv_arg = format!("{}/", csv.display());
    let md = dir.path().join("report.md");
    for out in [csv_arg.as_str(), md.to_str().unwrap()] {
        env.spoke(&["audit", "--profiles", "hub,spoke-dev", "--out", out])
            .await
            .expect(0);
    }
    for table in [
        "accounts",
        "portfolios",
        "shares",
        "products",
        "versions",
        "constraints",
        "provisioned",
    ] {
        let text = std::fs::read_to_string(csv.join(format!("{table}.csv"))).unwrap();
        assert!(text.lines().count() > 1, "{table} has rows");
    }
    let provisioned = std::fs::read_to_string(csv.join("provisioned.csv")).unwrap();
    assert!(provisioned.starts_with(
        "account,id,name,product_id,product,version_id,version,latest,drift,behind_by,status"
    ));
    assert!(provisioned.lines().any(|l| l.starts_with("spoke-dev,")
        && l.contains("dev-scratch-bucket")
        && l.contains("TAINTED")));
    // The state and how far behind, as two fields.
    assert!(
        provisioned.lines().any(|l| l.contains(",BEHIND,2,")),
        "{provisioned}"
    );
    let report = std::fs::read_to_string(&md).unwrap();
    assert!(report.contains("## Drift by account"));
    assert!(
        report.contains("| spoke-dev | 222233334444 | 13 | 4 | 5 | 2 | 1 | 0 | 1 |"),
        "{report}"
    );
    assert!(
        report.contains("### Drifted provisioned products (9)"),
        "{report}"
    );
    // The fleet's charts and its version matrix.
    assert!(report.contains("```mermaid\nxychart-beta"), "{report}");
    assert!(
        report.contains("x-axis [\"spoke-dev\", \"hub\"]"),
        "{report}"
    );
    assert!(report.contains("## Version matrix"), "{report}");
    assert!(
        report.contains("| PRODUCT | LATEST | hub | spoke-dev | FLEET |"),
        "{report}"
    );
    assert!(report.contains("## Versions across the fleet"), "{report}");
    // A format it cannot write is refused before any call.
    let calls = env.call_count();
    env.spoke(&[
        "audit",
        "--out",
        dir.path().join("x.xlsx").to_str().unwrap(),
    ])
    .await
    .expect(2)
    .complains(".json (everything), .md (a report), .html (the report in one file, with its charts), or a folder ending in /");
    // A `.csv` is one table: refused, the folder to give said.
    env.spoke(&[
        "audit",
        "--out",
        dir.path().join("tables.csv").to_str().unwrap(),
    ])
    .await
    .expect(2)
    .complains("an audit is several tables, one CSV file each — give a folder for them: ");
    assert!(!dir.path().join("tables.csv").exists());
    assert_eq!(env.call_count(), calls);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&md).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_html_audit_is_one_file_with_its_charts_and_no_network() {
    let env = Env::start(1.0).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit.html");
    env.spoke(&[
        "audit",
        "--profiles",
        "hub,spoke-dev,spoke-prod",
        "--out",
        out.to_str().unwrap(),
    ])
    .await
    .expect(0);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Nothing fetched when it opens: no script, no link, no remote source.
    for never in ["<script", "<link", "src=\"http", "href=\"http", "@import"] {
        assert!(!html.contains(never), "{never} in the report");
    }
    // Drift per account and one chart per product, as inline SVG.
    let charts = html.matches("<svg ").count();
    let products = html.matches("<h2>Versions across the fleet</h2>").count();
    assert_eq!(products, 1);
    assert!(charts >= 2, "{charts} charts");
    assert!(html.contains("<title>Drifted provisioned products per account</title>"));
    // The matrix: a column per account, cells coloured by drift.
    for account in ["hub", "spoke-dev", "spoke-prod"] {
        assert!(html.contains(&format!("<th>{account}</th>")), "{account}");
    }
    assert!(
        html.contains("(behind)"),
        "cells say their drift in words too"
    );
    // The same counts as the Markdown report's drift table.
    assert!(
        html.contains("<tr><td>spoke-dev</td><td>222233334444</td><td class=\"num\">13</td><td class=\"num\">4</td><td class=\"num\">5</td>"),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_is_offline_everywhere_no_poll_no_refresh() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let env = Env::start(1.0).await;
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("audit.json");
    env.spoke(&[
        "audit",
        "--profile",
        "spoke-dev",
        "--out",
        json.to_str().unwrap(),
    ])
    .await
    .expect(0);
    let snapshot = Snapshot::parse(&std::fs::read(&json).unwrap()).unwrap();
    // The audit kept each stack's recent events.
    let account = &snapshot.accounts[0];
    let stacks = account
        .inventory
        .as_ref()
        .unwrap()
        .provisioned
        .iter()
        .filter(|p| p.stack_arn.is_some())
        .count();
    assert_eq!(account.events.len(), stacks, "every stack's events");
    assert!(account.events.values().all(|e| !e.is_empty()));
    assert!(account.events_not_read.is_empty());

    let key = |c: KeyCode| Msg::Key(KeyEvent::new(c, KeyModifiers::NONE));
    // The console on `snapshot`, on the events of the first provisioned
    // product; the commands it asked on the way.
    let open_first = |snapshot: &Snapshot| {
        let mut state = State::new("spoke-dev", None, true).with_snapshot(Some(snapshot.label()));
        let mut current = None;
        let mut asked = Vec::new();
        let mut pending: Vec<Command> = state.start();
        pending.extend(state.update(key(KeyCode::Char('4'))));
        while let Some(command) = pending.pop() {
            asked.push(format!("{command:?}"));
            for msg in spoke::tui::offline::answer(snapshot, &mut current, command) {
                pending.extend(state.update(msg));
            }
        }
        pending.extend(state.update(key(KeyCode::Char('5'))));
        while let Some(command) = pending.pop() {
            asked.push(format!("{command:?}"));
            for msg in spoke::tui::offline::answer(snapshot, &mut current, command) {
                pending.extend(state.update(msg));
            }
        }
        (state, asked)
    };
    // The events are read once from the file, never polled.
    let (mut state, asked) = open_first(&snapshot);
    assert_eq!(state.screen(), Screen::Events);
    assert_eq!(
        asked.iter().filter(|c| c.contains("LoadEvents")).count(),
        1,
        "{asked:?}"
    );
    assert!(
        !state.level().table.is_empty(),
        "the captured events are shown"
    );
    for _ in 0..50 {
        assert!(state.update(Msg::Tick).is_empty(), "no poll on a snapshot");
    }
    let screen = text(&render(&mut state, 150, 30));
    assert!(screen.contains("AS CAPTURED"), "{screen}");
    assert!(!screen.contains("FOLLOWING"), "{screen}");
    assert!(!screen.contains("poll"), "{screen}");
    // R reads nothing again, and says why.
    assert!(state.update(key(KeyCode::Char('R'))).is_empty());
    assert!(
        format!("{:?}", state.status()).contains("is not read again"),
        "{:?}",
        state.status()
    );

    // A snapshot without events (written before spoke kept them): the
    // screen says they were not captured, and nothing polls.
    let mut bare = snapshot.clone();
    bare.accounts[0].events.clear();
    let (mut state, _) = open_first(&bare);
    let empty = state.empty_message(state.level());
    assert!(
        empty.contains("holds no stack events of") && empty.contains("none were captured"),
        "{empty}"
    );
    assert!(!empty.contains("retries"), "{empty}");
    for _ in 0..50 {
        assert!(state.update(Msg::Tick).is_empty(), "no poll on a snapshot");
    }
    assert!(
        !format!("{:?}", state.status()).contains("poll"),
        "{:?}",
        state.status()
    );
}
