//! render: one key press → the frame after it, on a table of 10,000 and of
//! 100,000 provisioned products (the state's update and a whole frame drawn
//! on ratatui's TestBackend, as `tui/run.rs` does after each event); and
//! what the console holds per provisioned product (the bytes live after
//! the inventory is loaded and shown, over the rows).

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spoke::model::{
    Inventory, PpStatus, Product, ProductOrigin, ProvisionedProduct, Section, Version,
};
use spoke::tui::app::{Command, Connection, Msg, State};
use spoke::tui::fixtures;
use spoke::tui::keymap::Action;
use spoke::tui::views::{self, ViewState};

use crate::alloc;
use crate::blocking::Blocking;
use crate::report::{Row, Table, Target, bytes, median, ms, stats, time};

/// The terminal the frames are drawn on.
const SIZE: (u16, u16) = (120, 40);

/// The render cases at `rows` rows; `under_ms` the target for a key press.
pub fn run(table: &mut Table, rows: usize, under_ms: f64, warm_up: usize, runs: usize) {
    let inventories = [inventory(rows, 1), inventory(rows, 2)];
    let label = if rows >= 1000 {
        format!("{}k", rows / 1000)
    } else {
        rows.to_string()
    };
    let before = alloc::live();
    let mut bench = Bench::new(&inventories[0], SIZE.0, SIZE.1);
    let held = alloc::live().saturating_sub(before);
    if rows >= 100_000 {
        let per = held as f64 / rows as f64;
        table.push(Row::under(
            format!("memory: held per provisioned product ({label} rows, console state)"),
            bytes(per),
            per,
            Target::Under(2048.0, "B"),
        ));
    }
    let mut case = |name: &str, samples: Vec<Sample>| {
        let s = stats(samples.iter().map(|s| s.update + s.draw).collect());
        table.push(Row::under(
            format!("render {label}: {name}"),
            format!("{} (p99 {})", time(s.median), time(s.p99)),
            ms(s.median),
            Target::Under(under_ms, "ms"),
        ));
    };
    case("key `j` → frame", bench.moves(warm_up, runs));
    case(
        "filter keystroke → frame",
        bench.filter_keystrokes(warm_up, runs),
    );
    let sort_key = bench.key_label(Action::SortNext);
    let by_column = bench.sorts(warm_up, runs);
    // Where a sort's time goes: each column's median, update and frame.
    let mut columns: Vec<&str> = by_column.iter().map(|(c, _)| c.as_str()).collect();
    columns.dedup();
    columns.sort();
    columns.dedup();
    for column in columns {
        let of = |f: fn(&Sample) -> Duration| {
            let mut d: Vec<Duration> = by_column
                .iter()
                .filter(|(c, _)| c == column)
                .map(|(_, s)| f(s))
                .collect();
            d.sort();
            median(&d)
        };
        println!(
            "    render {label}: sort by {column}: update {}, frame {}",
            time(of(|s| s.update)),
            time(of(|s| s.draw))
        );
    }
    let sorts: Vec<Sample> = by_column.into_iter().map(|(_, s)| s).collect();
    let s = stats(sorts.iter().map(|s| s.update + s.draw).collect());
    table.push(Row::under(
        format!("render {label}: sort by the next column `{sort_key}` → frame"),
        format!("{} (p99 {})", time(s.median), time(s.p99)),
        ms(s.median),
        Target::Under(under_ms, "ms"),
    ));
    // Every frame of a refresh: `R`, the provisioned section, the whole
    // inventory, and each install of rows built off the input path. The
    // target is on the worst of them (p99), not the median.
    let frames = bench.refreshes(&inventories, warm_up.min(2), runs.min(20));
    let mut stages: Vec<&str> = frames.iter().map(|(stage, _)| *stage).collect();
    stages.sort();
    stages.dedup();
    for stage in stages {
        let of = |f: fn(&Sample) -> Duration| {
            stats(
                frames
                    .iter()
                    .filter(|(s, _)| *s == stage)
                    .map(|(_, s)| f(s))
                    .collect(),
            )
        };
        let (update, draw) = (of(|s| s.update), of(|s| s.draw));
        println!(
            "    render {label}: refresh, {stage}: update {} (p99 {}), frame {} (p99 {})",
            time(update.median),
            time(update.p99),
            time(draw.median),
            time(draw.p99)
        );
    }
    let s = stats(frames.iter().map(|(_, s)| s.update + s.draw).collect());
    table.push(Row::under(
        format!("render {label}: every frame during a whole-inventory refresh, p99"),
        format!("{} (median {})", time(s.p99), time(s.median)),
        ms(s.p99),
        Target::Under(16.0, "ms"),
    ));
    black_box(&bench);
}

/// One run: the state's update, then the frame.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub update: Duration,
    pub draw: Duration,
}

/// The console on the provisioned screen with its terminal.
pub struct Bench {
    state: State,
    terminal: Terminal<TestBackend>,
    view: ViewState,
}

impl Bench {
    /// A read-only session on spoke-dev, `inventory` loaded, on the
    /// provisioned products screen, drawn once.
    pub fn new(inventory: &Inventory, width: u16, height: u16) -> Bench {
        let mut state = State::new("spoke-dev", None, true);
        state.start();
        let commands = state.update(Msg::Connected {
            read_only: state.read_only(),
            generation: state.generation(),
            connection: Connection {
                profile: "spoke-dev".into(),
                region: "eu-west-1".into(),
                endpoint: Some("http://127.0.0.1:41234".into()),
            },
            identity: fixtures::identity(),
            no_writer: None,
        });
        let [Command::LoadCatalog { request, .. }] = commands.as_slice() else {
            panic!("expected a catalog load, got {commands:?}");
        };
        let mut pending = state.update(Msg::CatalogLoaded {
            generation: state.generation(),
            request: *request,
            result: Ok(Box::new(inventory.clone())),
        });
        // The executor's part: a large catalog is built by a job.
        while let Some(at) = pending
            .iter()
            .position(|c| matches!(c, Command::BuildCatalog { .. }))
        {
            let Command::BuildCatalog {
                generation,
                request,
                job,
            } = pending.remove(at)
            else {
                unreachable!("matched above")
            };
            let built = Box::new(job.run());
            pending.extend(state.update(Msg::CatalogBuilt {
                generation,
                request,
                built,
            }));
        }
        state.update(Msg::ProfilesDiscovered(Ok(fixtures::profiles())));
        let mut bench = Bench {
            state,
            terminal: Terminal::new(TestBackend::new(width, height)).expect("a test terminal"),
            view: ViewState::default(),
        };
        bench.press(Action::ScreenProvisioned);
        bench.draw();
        assert_eq!(
            bench.state.level().table.total(),
            inventory.provisioned.len()
        );
        bench
    }

    /// The key the console's keymap binds to `action` (its first): the
    /// cases press what a person would, whatever letter that is today.
    fn key(&self, action: Action) -> KeyEvent {
        let key = self.state.keymap().keys(action).first().unwrap_or_else(|| {
            panic!(
                "the keymap binds no key to `{}`: the render case cannot press it",
                action.name()
            )
        });
        KeyEvent::new(key.code, key.modifiers)
    }

    /// How the help names the key of `action`.
    pub fn key_label(&self, action: Action) -> String {
        self.state.keymap().key_label(action).unwrap_or_default()
    }

    /// The key of `action`, untimed.
    fn press(&mut self, action: Action) -> Vec<Command> {
        let key = self.key(action);
        self.state.update(Msg::Key(key))
    }

    /// A key outside the keymap (text typed into the filter, Esc).
    fn type_key(&mut self, code: KeyCode) {
        self.state
            .update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    /// One frame, as the console draws it, then the heights it learnt.
    fn draw(&mut self) {
        let (state, view) = (&self.state, &mut self.view);
        self.terminal
            .draw(|frame| views::draw(frame, state, view))
            .expect("draw");
        self.state.update(self.view.drawn());
        black_box(self.terminal.backend().buffer());
    }

    /// Times `update` on the state, then the frame after it.
    fn timed(&mut self, update: impl FnOnce(&mut State)) -> Sample {
        let started = Instant::now();
        update(&mut self.state);
        let updated = Instant::now();
        self.draw();
        Sample {
            update: updated - started,
            draw: updated.elapsed(),
        }
    }

    fn timed_key(&mut self, key: KeyEvent) -> Sample {
        self.timed(|state| {
            black_box(state.update(Msg::Key(key)));
        })
    }

    /// The key of `action`, timed.
    fn timed_action(&mut self, action: Action) -> Sample {
        let key = self.key(action);
        self.timed_key(key)
    }

    /// `j` (down): the selection moves one row down.
    pub fn moves(&mut self, warm_up: usize, runs: usize) -> Vec<Sample> {
        self.press(Action::Top);
        self.draw();
        let samples: Vec<Sample> = (0..warm_up + runs)
            .map(|_| self.timed_action(Action::Down))
            .skip(warm_up)
            .collect();
        assert_eq!(self.state.level().table.selected(), warm_up + runs);
        samples
    }

    /// `/` (filter) opens the filter (drawn, untimed), then one character
    /// typed filters the 10,000 rows (timed); Esc clears it (untimed).
    pub fn filter_keystrokes(&mut self, warm_up: usize, runs: usize) -> Vec<Sample> {
        const TYPED: &[char] = &['o', 'd', 'b', 'q', 'w', 'k', 'x', 'z', 'e', 'p'];
        let samples = (0..warm_up + runs)
            .map(|i| {
                self.press(Action::Filter);
                self.draw();
                let typed = TYPED[i % TYPED.len()];
                let sample =
                    self.timed_key(KeyEvent::new(KeyCode::Char(typed), KeyModifiers::NONE));
                assert_eq!(self.state.level().table.filter(), typed.to_string());
                self.type_key(KeyCode::Esc);
                self.draw();
                sample
            })
            .skip(warm_up)
            .collect();
        assert_eq!(
            self.state.level().table.len(),
            self.state.level().table.total()
        );
        samples
    }

    /// The key of `sort_next` (`o`): the next sort column, all rows
    /// sorted again; with the title of the column sorted by. A press that
    /// goes back to data order (after the last column) is not a sort and
    /// is not kept. Panics if a press leaves the sort as it was: the case
    /// would time something else (it once pressed `s`, which had become
    /// *share*, and timed a status line for months).
    pub fn sorts(&mut self, warm_up: usize, runs: usize) -> Vec<(String, Sample)> {
        let mut sorted = Vec::with_capacity(runs);
        let mut presses = 0;
        while sorted.len() < warm_up + runs {
            let before = self.state.level().table.sort();
            let sample = self.timed_action(Action::SortNext);
            let table = &self.state.level().table;
            assert_ne!(
                table.sort(),
                before,
                "`{}` (sort_next) did not change the sort of the provisioned table: \
                 the sort case would not measure a sort",
                self.key_label(Action::SortNext)
            );
            if let Some(s) = table.sort() {
                sorted.push((table.columns()[s.column].title.to_string(), sample));
            }
            presses += 1;
            assert!(
                presses <= 2 * (warm_up + runs) + 32,
                "sort_next sorts by no column"
            );
        }
        sorted.split_off(warm_up)
    }

    /// `R`, then the scan's answers, each drawn: the provisioned section,
    /// and the whole inventory at the end; the table in data order. The
    /// inventories alternate, so that each refresh changes versions,
    /// statuses and drift. Returns every frame of the refreshes, each with
    /// what it showed.
    pub fn refreshes(
        &mut self,
        inventories: &[Inventory; 2],
        warm_up: usize,
        runs: usize,
    ) -> Vec<(&'static str, Sample)> {
        // In data order, as the console opens (a sort adds its own cost).
        while self.state.level().table.sort().is_some() {
            self.press(Action::SortNext);
        }
        let mut frames = Vec::with_capacity(4 * runs);
        let blocking = Blocking::new();
        let inventories = std::sync::Arc::new(inventories.clone());
        for i in 0..warm_up + runs {
            let key = self.key(Action::Refresh);
            let mut commands = Vec::new();
            let pressed = self.timed(|state| commands = state.update(Msg::Key(key)));
            let request = commands
                .iter()
                .find_map(|c| match c {
                    Command::LoadCatalog { request, .. } => Some(*request),
                    _ => None,
                })
                .expect("R loads the catalog");
            let generation = self.state.generation();
            // The scan's answers, made away from the input thread.
            let (section, whole) = {
                let inventories = inventories.clone();
                blocking.run(move || {
                    let next = &inventories[(i + 1) % 2];
                    (Box::new(next.clone()), Box::new(next.clone()))
                })
            };
            let mut commands = Vec::new();
            let section = self.timed(|state| {
                commands = state.update(Msg::CatalogSection {
                    generation,
                    request,
                    section: Section::Provisioned,
                    inventory: section,
                });
            });
            let mut more = Vec::new();
            let load = self.timed(|state| {
                more = state.update(Msg::CatalogLoaded {
                    generation,
                    request,
                    result: Ok(whole),
                });
            });
            commands.extend(more);
            // The executor's part: jobs run (untimed, on the blocking thread),
            // their results installed (timed: the frame that shows them).
            while let Some(job) = commands
                .iter()
                .position(|c| matches!(c, Command::BuildCatalog { .. }))
            {
                let Command::BuildCatalog {
                    generation,
                    request,
                    job,
                } = commands.remove(job)
                else {
                    unreachable!("matched above")
                };
                let built = blocking.run(move || Box::new(job.run()));
                let mut next = Vec::new();
                let install = self.timed(|state| {
                    next = state.update(Msg::CatalogBuilt {
                        generation,
                        request,
                        built,
                    });
                });
                if i >= warm_up {
                    frames.push(("rows built off the input path installed", install));
                }
                commands.extend(next);
            }
            // Replaced rows are dropped off the input path, as the executor does.
            let garbage: Vec<Command> = commands
                .into_iter()
                .filter(|c| matches!(c, Command::Discard(_)))
                .collect();
            blocking.drop_later(garbage);
            if i >= warm_up {
                frames.push(("`R` pressed", pressed));
                frames.push(("the provisioned section arrives", section));
                frames.push(("the whole inventory arrives", load));
            }
        }

        assert!(!self.state.is_busy());
        frames
    }
}

/// A small deterministic random source (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }
}

fn day(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 12, 0, 0)
        .single()
        .expect("a valid time")
        + chrono::Duration::days(n)
}

/// A spoke account's catalog with `rows` provisioned products spread
/// over every drift state: twelve products of two to six versions (some
/// deprecated, some inactive), rows on any version, a few on a deleted
/// one, a few tainted, failed or under change. `seed` varies their
/// versions and statuses, not which rows there are.
pub fn inventory(rows: usize, seed: u64) -> Inventory {
    const PRODUCTS: [&str; 12] = [
        "VPC Baseline",
        "S3 Bucket",
        "RDS PostgreSQL",
        "ECS Fargate Service",
        "DynamoDB Table",
        "SNS Alerts Topic",
        "IAM Workload Role",
        "KMS Key",
        "Athena Workgroup",
        "Bastion Host",
        "EKS Cluster",
        "Lambda Function",
    ];
    const TEAMS: [&str; 8] = [
        "orders", "payments", "search", "billing", "identity", "data", "web", "ml",
    ];
    let account = fixtures::ACCOUNT;
    let hub = fixtures::HUB;
    let base = fixtures::inventory();
    let mut inv = Inventory::empty(fixtures::identity(), "eu-west-1", day(400));
    inv.portfolios = base.portfolios;
    inv.shares = base.shares;
    inv.products = PRODUCTS
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let id = format!("prod-{k:011}");
            let count = 2 + k % 5;
            let versions = (0..count)
                .map(|v| Version {
                    id: format!("pa-{k:02}{v:02}"),
                    name: format!("v{}.{}", 1 + v / 2, v % 2),
                    description: None,
                    created: Some(day(30 * v as i64)),
                    // the oldest of some products can no longer be launched
                    active: !(v == 0 && k % 3 == 0),
                    // and the second of others is no longer recommended
                    deprecated: v == 1 && k % 4 == 1,
                })
                .collect();
            Product {
                id: id.clone(),
                arn: format!("arn:aws:catalog:eu-west-1:{hub}:product/{id}"),
                name: (*name).into(),
                owner: "Platform".into(),
                product_type: "CLOUD_FORMATION_TEMPLATE".into(),
                description: None,
                distributor: None,
                created: Some(day(0)),
                origin: ProductOrigin::Imported {
                    owner_account: hub.into(),
                },
                portfolio_ids: vec!["port-net0000001".into()],
                versions,
                tag_options: None,
            }
        })
        .collect();
    // What a row is stays; its version and status change with `seed`.
    let mut shape = Rng(0x9e37_79b9_7f4a_7c15);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed.wrapping_mul(0xff51_afd7_ed55_8ccd));
    inv.provisioned = (0..rows)
        .map(|i| {
            let product = &inv.products[shape.below(inv.products.len())];
            let versions = &product.versions;
            let version_id = match rng.below(100) {
                0 => "pa-deleted".to_string(),
                1..40 => versions[versions.len() - 1].id.clone(),
                _ => versions[rng.below(versions.len())].id.clone(),
            };
            let status = match rng.below(100) {
                0..2 => PpStatus::Tainted,
                2..3 => PpStatus::Error,
                3..5 => PpStatus::UnderChange,
                _ => PpStatus::Available,
            };
            let id = format!("pp-{i:013}");
            let record = format!("rec-{id}");
            let name = format!(
                "{}-{}-{i:05}",
                TEAMS[shape.below(TEAMS.len())],
                product.name.to_lowercase().replace(' ', "-")
            );
            ProvisionedProduct {
                arn: format!("arn:aws:servicecatalog:eu-west-1:{account}:stack/{name}/{id}"),
                name,
                product_id: product.id.clone(),
                product_name: Some(product.name.clone()),
                version_id,
                version_name: None,
                status,
                status_message: None,
                created: Some(day(200 + (i % 150) as i64)),
                last_record_id: Some(record.clone()),
                last_provisioning_record_id: Some(record.clone()),
                last_successful_record_id: Some(record),
                stack_arn: Some(fixtures::stack_arn(&id)),
                owner: Some(format!("arn:aws:sts::{account}:assumed-role/Operator/ops")),
                account: account.into(),
                kind: "CFN_STACK".into(),
                tags: Vec::new(),
                id,
            }
        })
        .collect();
    inv.compute_drift();
    inv
}
