//! render-matrix: one key press → the frame after it on `:matrix` over a
//! fleet of 1,000 accounts × 30 products (one provisioned product of each
//! product in each account, their versions spread): `→` (the cursor to the
//! next account, the window moving with it) and `j` (the next product).

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spoke::model::{AccountDrift, DriftRow, PpStatus, ProvisionedProduct, Version};
use spoke::ops::fleet::Selection;
use spoke::tui::app::{Command, Connection, Msg, State};
use spoke::tui::fixtures;
use spoke::tui::views::{self, ViewState};

use crate::report::{Row, Table, Target, ms, stats, time};

const SIZE: (u16, u16) = (160, 45);

pub fn run(table: &mut Table, accounts: usize, products: usize, warm_up: usize, runs: usize) {
    let mut bench = Console::new(accounts, products);
    let label = format!("{accounts} accounts × {products} products");
    let mut case = |name: &str, samples: Vec<Duration>| {
        let s = stats(samples);
        table.push(Row::under(
            format!("render matrix {label}: {name}"),
            format!("{} (p99 {})", time(s.median), time(s.p99)),
            ms(s.median),
            Target::Under(2.0, "ms"),
        ));
    };
    let right = KeyEvent::new(KeyCode::Right, KeyModifiers::NONE);
    case("key `→` → frame", bench.times(right, warm_up, runs));
    let down = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    case("key `j` → frame", bench.times(down, warm_up, runs));
}

struct Console {
    state: State,
    terminal: Terminal<TestBackend>,
    view: ViewState,
}

fn versions(product: usize) -> Vec<Version> {
    (0..4)
        .map(|v| Version {
            id: format!("pa-{product:03}{v}"),
            name: format!("v{}.0", v + 1),
            description: None,
            created: Utc
                .with_ymd_and_hms(2024, 1 + v as u32, 1, 0, 0, 0)
                .single(),
            active: v > 0 || !product.is_multiple_of(5),
            deprecated: v == 1 && product % 4 == 1,
        })
        .collect()
}

/// One account of the fleet: a provisioned product of each product, on a
/// version that depends on both.
fn account(i: usize, products: usize) -> AccountDrift {
    let label = format!("spoke-{i:04}");
    let id = format!("{:012}", 200_000_000_000u64 + i as u64);
    let rows = (0..products)
        .map(|p| {
            let vs = versions(p);
            let v = (i * 7 + p * 3) % vs.len();
            let pp = ProvisionedProduct {
                id: format!("pp-{i:04}{p:03}"),
                name: format!("{label}-app-{p:03}"),
                arn: format!("arn:aws:servicecatalog:eu-west-1:{id}:stack/app-{p}/pp-{i:04}{p:03}"),
                product_id: format!("prod-{p:011}"),
                product_name: Some(format!("Product {p:02}")),
                version_id: vs[v].id.clone(),
                version_name: None,
                status: if (i + p).is_multiple_of(97) {
                    PpStatus::Tainted
                } else {
                    PpStatus::Available
                },
                status_message: None,
                created: None,
                last_record_id: Some("rec-1".into()),
                last_provisioning_record_id: Some("rec-1".into()),
                last_successful_record_id: Some("rec-1".into()),
                stack_arn: None,
                owner: None,
                account: id.clone(),
                kind: "CFN_STACK".into(),
                tags: Vec::new(),
            };
            DriftRow::new(&label, pp, Some(&vs))
        })
        .collect();
    AccountDrift {
        label,
        account: Some(id),
        rows,
        versions: Default::default(),
        problems: Vec::new(),
        unreachable: None,
    }
}

impl Console {
    /// A read-only session over a fleet of `accounts` profiles, every
    /// account scanned, on `:matrix`, drawn once.
    fn new(accounts: usize, products: usize) -> Console {
        let mut state = State::new("spoke-0000", None, true);
        state.start();
        state.open_fleet(Selection::Profiles {
            names: (0..accounts).map(|i| format!("spoke-{i:04}")).collect(),
        });
        let commands = state.update(Msg::Connected {
            read_only: true,
            generation: state.generation(),
            connection: Connection {
                profile: "spoke-0000".into(),
                region: "eu-west-1".into(),
                endpoint: Some("http://127.0.0.1:41234".into()),
            },
            identity: fixtures::identity(),
            no_writer: None,
        });
        let request = commands
            .iter()
            .find_map(|c| match c {
                Command::LoadFleet { request, .. } => Some(*request),
                _ => None,
            })
            .expect("the fleet is read");
        let generation = state.generation();
        // Off the provisioned screen while the accounts arrive (its rows
        // would be built again at each).
        state.update(Msg::Key(KeyEvent::new(
            KeyCode::Char('1'),
            KeyModifiers::NONE,
        )));
        state.update(Msg::FleetMembers {
            generation,
            request,
            result: Ok(accounts),
        });
        for i in 0..accounts {
            state.update(Msg::FleetAccount {
                generation,
                request,
                account: Box::new(account(i, products)),
            });
        }
        state.update(Msg::FleetLoaded {
            generation,
            request,
        });
        for c in ":matrix".chars() {
            state.update(Msg::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
        state.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
        let mut console = Console {
            state,
            terminal: Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("a test terminal"),
            view: ViewState::default(),
        };
        console.draw();
        assert_eq!(console.state.level().table.total(), products);
        console
    }

    fn draw(&mut self) {
        let (state, view) = (&self.state, &mut self.view);
        self.terminal
            .draw(|frame| views::draw(frame, state, view))
            .expect("draw");
        self.state.update(self.view.drawn());
        black_box(self.terminal.backend().buffer());
    }

    /// `key` pressed `warm_up + runs` times, each timed to its frame.
    fn times(&mut self, key: KeyEvent, warm_up: usize, runs: usize) -> Vec<Duration> {
        (0..warm_up + runs)
            .map(|_| {
                let started = Instant::now();
                black_box(self.state.update(Msg::Key(key)));
                self.draw();
                started.elapsed()
            })
            .skip(warm_up)
            .collect()
    }
}
