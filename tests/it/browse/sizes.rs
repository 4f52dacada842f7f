//! Every screen of the default world at common terminal sizes, as view
//! snapshots: the sandbox's clock starts at a fixed time and stands still,
//! and the console's clock is fixed to it, so the world (ids, dates, stacks
//! moving) is the same every run. No two rows of a table look the same
//! (ids lose their middle, names their end, and a cut always shows), and
//! the frame draws whole.

use crate::fixtures;

use crossterm::event::KeyCode;
use fixtures::console::{answer_poll, connected_to, press, render, text};
use spoke::sandbox::SandboxOptions;
use spoke::tui::app::Command;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 60)];

/// The table's rows on screen: the lines between its header and its bottom
/// border, left of the detail pane, without the selection mark.
fn table_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .map(|l| l.trim_matches('"'))
        .filter(|l| l.starts_with('│'))
        .skip(1)
        .map(|l| {
            let table = l.split("││").next().unwrap_or(l);
            table
                .trim_start_matches(['│', '›', '●', ' '])
                .trim_end()
                .to_string()
        })
        .filter(|l| !l.trim_matches('│').trim().is_empty())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_at_80x24_120x40_and_200x60_no_two_rows_alike() {
    let epoch = chrono::DateTime::parse_from_rfc3339("2026-11-20T12:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    // A clock that all but stands still: nothing moves between two runs.
    let world = fixtures::sandboxed_with(SandboxOptions {
        speed: 1e-9,
        epoch: Some(epoch),
        ..SandboxOptions::default()
    })
    .await;
    spoke::tui::clock::fix(Some(epoch));
    // The profiles as the sandbox's config names them (accounts by name).
    let profiles = spoke::aws::parse_profiles(&world.sandbox.aws_config_text(), "");
    let mut checked = 0;
    for profile in ["hub", "spoke-dev"] {
        let reader = world.reader(profile).await;
        let mut inventory = spoke::ops::scan(&reader).await.unwrap();
        inventory.scanned_at = epoch;
        // The events of the first provisioned product by name, read once.
        let mut by_name = inventory.provisioned.clone();
        by_name.sort_by(|a, b| a.name.cmp(&b.name));
        let first = by_name.first().and_then(|p| p.stack_arn.clone());
        let polled = match &first {
            Some(stack) => Some(spoke::ops::stack::poll(&reader, stack, None).await.unwrap()),
            None => None,
        };
        for (w, h) in SIZES {
            for screen in ['1', '2', '3', '4', '5'] {
                let mut state = connected_to(profile, inventory.clone(), true, profiles.clone());
                if screen == '5' {
                    let Some(polled) = &polled else { continue };
                    press(&mut state, KeyCode::Char('4'));
                    let commands = press(&mut state, KeyCode::Char('5'));
                    assert!(
                        matches!(commands.as_slice(), [Command::LoadEvents { .. }]),
                        "{commands:?}"
                    );
                    answer_poll(&mut state, &commands, Ok(polled.clone()));
                } else {
                    press(&mut state, KeyCode::Char(screen));
                }
                let shown = state.level().table.len();
                let terminal = render(&mut state, w, h);
                let screen_text = text(&terminal);
                insta::assert_snapshot!(
                    format!("{profile}_screen_{screen}_{w}x{h}"),
                    terminal.backend()
                );
                let rows = table_rows(&screen_text);
                let visible = rows.len().min(shown);
                assert!(
                    shown == 0 || visible > 0,
                    "{profile} screen {screen} at {w}×{h}: no rows read off the screen\n{screen_text}"
                );
                checked += visible;
                let mut seen = std::collections::HashSet::new();
                for row in rows.iter().take(visible) {
                    assert!(
                        seen.insert(row.clone()),
                        "{profile} screen {screen} at {w}×{h}: two rows read {row:?}\n{screen_text}"
                    );
                }
            }
        }
    }
    spoke::tui::clock::fix(None);
    assert!(checked > 100, "{checked} rows checked");
}
