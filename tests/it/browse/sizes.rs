//! Every screen of the default world at common terminal sizes: no two rows
//! of a table look the same (ids lose their middle, names their end, and a
//! cut always shows), and the frame draws whole.

use crate::fixtures;

use crossterm::event::KeyCode;
use fixtures::console::{loaded_with, press, render, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_two_rows_look_the_same_at_80x24_120x40_or_200x60() {
    let world = fixtures::sandboxed(1.0, spoke::sandbox::Faults::default()).await;
    let mut checked = 0;
    for profile in ["hub", "spoke-dev"] {
        let reader = world.reader(profile).await;
        let inventory = spoke::ops::scan(&reader).await.unwrap();
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            for screen in ['1', '2', '3', '4'] {
                let mut state = loaded_with(inventory.clone(), true);
                press(&mut state, KeyCode::Char(screen));
                let shown = state.level().table.len();
                let terminal = render(&mut state, w, h);
                let screen_text = text(&terminal);
                // The table's rows: the lines between its header and its
                // bottom border, left of the detail pane.
                let rows: Vec<String> = screen_text
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
                    .collect();
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
    assert!(checked > 100, "{checked} rows checked");
}
