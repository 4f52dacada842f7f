//! How long the console takes to answer a key with 10,000 provisioned
//! products in one table: the state's update and a whole frame drawn on a
//! test backend, as `run.rs` does after each event.
//!
//! ```sh
//! cargo bench --bench render
//! ```
//!
//! Prints, for each case and terminal size, the median and 95th percentile
//! of 200 runs (after 20 to warm up) against the 16 ms of a 60 Hz frame.
//! Run as a test (`cargo test --benches`), each case runs a few times only.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spoke::model::{
    DriftSummary, Inventory, PpStatus, Product, ProductOrigin, ProvisionedProduct, Section, Version,
};
use spoke::tui::app::{Command, Connection, Msg, State};
use spoke::tui::fixtures;
use spoke::tui::screens::{Catalog, Scope, Screen};
use spoke::tui::views::{self, ViewState};
use spoke::tui::widgets::table::TableModel;

const ROWS: usize = 10_000;
const WARM_UP: usize = 20;
const RUNS: usize = 200;
const BOUND: Duration = Duration::from_millis(16);
const SIZES: [(u16, u16); 2] = [(200, 60), (120, 40)];

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not.
    let full = std::env::args().any(|a| a == "--bench");
    let (warm_up, runs) = if full { (WARM_UP, RUNS) } else { (1, 3) };
    if !full {
        println!("test mode: a few runs each; `cargo bench --bench render` measures");
    }

    let inventories = [inventory(1), inventory(2)];
    let drift: DriftSummary = inventories[0].drift_summary();
    println!(
        "{ROWS} provisioned products of {} products; {}",
        inventories[0].products.len(),
        views::provisioned::drift_summary(&drift)
    );
    println!(
        "{runs} runs after {warm_up} to warm up; a run is State::update of the event(s) + views::draw of a whole frame (TestBackend)"
    );
    println!();
    println!(
        "{:<42} {:>7} {:>9} {:>9} {:>9} {:>9} {:>8} {:>7}",
        "case", "size", "median", "p95", "update", "draw", "bound", "ratio"
    );
    let mut sorts_by_column = Vec::new();
    for (width, height) in SIZES {
        let mut bench = Bench::new(&inventories[0], width, height);
        let size = format!("{width}×{height}");
        let report = |case: &str, samples: &[Sample]| {
            let total = stats(samples.iter().map(|s| s.update + s.draw).collect());
            let update = stats(samples.iter().map(|s| s.update).collect());
            let draw = stats(samples.iter().map(|s| s.draw).collect());
            println!(
                "{case:<42} {size:>7} {:>9} {:>9} {:>9} {:>9} {:>8} {:>7.3}",
                ms(total.median),
                ms(total.p95),
                ms(update.median),
                ms(draw.median),
                ms(BOUND),
                total.median.as_secs_f64() / BOUND.as_secs_f64(),
            );
        };
        report("key press `j` (move)", &bench.moves(warm_up, runs));
        report(
            "filter keystroke (a character after `/`)",
            &bench.filter_keystrokes(warm_up, runs),
        );
        let sorts = bench.sorts(warm_up, runs);
        let all: Vec<Sample> = sorts.iter().map(|(_, s)| *s).collect();
        report("sort change `s` (next column)", &all);
        sorts_by_column.push((size.clone(), sorts));
        let (sections, loads) = bench.refreshes(&inventories, warm_up, runs);
        report("refresh: provisioned section arrives", &sections);
        report("refresh: whole inventory arrives", &loads);
    }

    // Which sort costs what: `s` cycles through the columns, then data order.
    println!();
    println!("sort change `s`, by the column sorted by (median of update + draw):");
    let mut titles: Vec<&str> = views::provisioned::columns()
        .iter()
        .map(|c| c.title)
        .collect();
    titles.push("none");
    for (size, sorts) in &sorts_by_column {
        let cells: Vec<String> = titles
            .iter()
            .filter_map(|title| {
                let samples: Vec<Duration> = sorts
                    .iter()
                    .filter(|(c, _)| c == title)
                    .map(|(_, s)| s.update + s.draw)
                    .collect();
                (!samples.is_empty()).then(|| format!("{title} {}", ms(stats(samples).median)))
            })
            .collect();
        println!("  {size:>7}  {}", cells.join(" · "));
    }

    // Where a refresh's update goes, step by step as `State` does it.
    println!();
    println!("refresh, the update's steps (median):");
    let steps = refresh_steps(&inventories, warm_up, runs);
    let cells: Vec<String> = steps
        .iter()
        .map(|(step, samples)| format!("{step} {}", ms(stats(samples.clone()).median)))
        .collect();
    println!("  {}", cells.join(" · "));
}

/// The steps of a new inventory arriving, each timed: the old catalog
/// dropped, the new one taken (drift computed), the 10,000 rows built, the
/// table given them (widths, filter, sort, selection).
fn refresh_steps(
    inventories: &[Inventory; 2],
    warm_up: usize,
    runs: usize,
) -> Vec<(&'static str, Vec<Duration>)> {
    let mut catalog = Catalog::default();
    catalog.set_inventory(inventories[0].clone());
    let mut table = TableModel::new(Screen::Provisioned.columns());
    table.set_rows(Screen::Provisioned.rows(&catalog, &Scope::All));
    let mut steps = vec![
        ("drop the old catalog", Vec::new()),
        ("Catalog::set_inventory", Vec::new()),
        ("build the rows", Vec::new()),
        ("TableModel::set_rows", Vec::new()),
    ];
    for i in 0..warm_up + runs {
        let next = inventories[(i + 1) % 2].clone();
        let t0 = Instant::now();
        drop(std::mem::take(&mut catalog));
        let t1 = Instant::now();
        catalog.set_inventory(next);
        let t2 = Instant::now();
        let rows = Screen::Provisioned.rows(&catalog, &Scope::All);
        let t3 = Instant::now();
        table.set_rows(rows);
        let t4 = Instant::now();
        if i >= warm_up {
            for (step, took) in steps.iter_mut().zip([t1 - t0, t2 - t1, t3 - t2, t4 - t3]) {
                step.1.push(took);
            }
        }
    }
    black_box(&table);
    steps
}

/// One run: the state's update, then the frame.
#[derive(Debug, Clone, Copy)]
struct Sample {
    update: Duration,
    draw: Duration,
}

/// The console on the provisioned screen with its terminal.
struct Bench {
    state: State,
    terminal: Terminal<TestBackend>,
    view: ViewState,
}

impl Bench {
    /// A read-only session on spoke-dev, `inventory` loaded, on the
    /// provisioned products screen, drawn once.
    fn new(inventory: &Inventory, width: u16, height: u16) -> Bench {
        let mut state = State::new("spoke-dev", None, true);
        state.start();
        let commands = state.update(Msg::Connected {
            read_only: state.read_only,
            generation: state.generation,
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
        state.update(Msg::CatalogLoaded {
            generation: state.generation,
            request: *request,
            result: Ok(Box::new(inventory.clone())),
        });
        state.update(Msg::ProfilesDiscovered(Ok(fixtures::profiles())));
        let mut bench = Bench {
            state,
            terminal: Terminal::new(TestBackend::new(width, height)).expect("a test terminal"),
            view: ViewState::default(),
        };
        bench.press(KeyCode::Char('4'));
        bench.draw();
        assert_eq!(bench.state.level().table.total(), ROWS);
        bench
    }

    fn press(&mut self, code: KeyCode) -> Vec<Command> {
        self.state
            .update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    /// One frame, as the console draws it, then the heights it learnt.
    fn draw(&mut self) {
        let (state, view) = (&self.state, &mut self.view);
        self.terminal
            .draw(|frame| views::draw(frame, state, view))
            .expect("draw");
        self.view.sync(&mut self.state);
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

    fn timed_key(&mut self, code: KeyCode) -> Sample {
        self.timed(|state| {
            black_box(state.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))));
        })
    }

    /// `j`: the selection moves one row down.
    fn moves(&mut self, warm_up: usize, runs: usize) -> Vec<Sample> {
        self.press(KeyCode::Char('g'));
        self.draw();
        let samples: Vec<Sample> = (0..warm_up + runs)
            .map(|_| self.timed_key(KeyCode::Char('j')))
            .skip(warm_up)
            .collect();
        assert_eq!(self.state.level().table.selected(), warm_up + runs);
        samples
    }

    /// `/` opens the filter (drawn, untimed), then one character typed
    /// filters the 10,000 rows (timed); Esc clears it (untimed).
    fn filter_keystrokes(&mut self, warm_up: usize, runs: usize) -> Vec<Sample> {
        const TYPED: &[char] = &['o', 'd', 'b', 'q', 'w', 'k', 'x', 'z', 'e', 'p'];
        let samples = (0..warm_up + runs)
            .map(|i| {
                self.press(KeyCode::Char('/'));
                self.draw();
                let typed = TYPED[i % TYPED.len()];
                let sample = self.timed_key(KeyCode::Char(typed));
                assert_eq!(self.state.level().table.filter(), typed.to_string());
                self.press(KeyCode::Esc);
                self.draw();
                sample
            })
            .skip(warm_up)
            .collect();
        assert_eq!(self.state.level().table.len(), ROWS);
        samples
    }

    /// `s`: the next sort column, all rows sorted again; with the title
    /// of the column sorted by ("none" for data order).
    fn sorts(&mut self, warm_up: usize, runs: usize) -> Vec<(String, Sample)> {
        (0..warm_up + runs)
            .map(|_| {
                let sample = self.timed_key(KeyCode::Char('s'));
                let table = &self.state.level().table;
                let column = table
                    .sort()
                    .map_or("none", |s| table.columns()[s.column].title);
                (column.to_string(), sample)
            })
            .skip(warm_up)
            .collect()
    }

    /// `R` (untimed), then the scan's answers, each drawn: the provisioned
    /// section (10,000 rows), and the whole inventory at the end; the table
    /// in data order. The
    /// inventories alternate, so that each refresh changes versions,
    /// statuses and drift.
    fn refreshes(
        &mut self,
        inventories: &[Inventory; 2],
        warm_up: usize,
        runs: usize,
    ) -> (Vec<Sample>, Vec<Sample>) {
        // In data order, as the console opens (a sort adds its own cost).
        while self.state.level().table.sort().is_some() {
            self.press(KeyCode::Char('s'));
        }
        let mut sections = Vec::with_capacity(runs);
        let mut loads = Vec::with_capacity(runs);
        for i in 0..warm_up + runs {
            let commands = self.press(KeyCode::Char('R'));
            let request = commands
                .iter()
                .find_map(|c| match c {
                    Command::LoadCatalog { request, .. } => Some(*request),
                    _ => None,
                })
                .expect("R loads the catalog");
            self.draw();
            let generation = self.state.generation;
            let next = &inventories[(i + 1) % 2];
            let (section, whole) = (Box::new(next.clone()), Box::new(next.clone()));
            let section = self.timed(|state| {
                state.update(Msg::CatalogSection {
                    generation,
                    request,
                    section: Section::Provisioned,
                    inventory: section,
                });
            });
            let load = self.timed(|state| {
                state.update(Msg::CatalogLoaded {
                    generation,
                    request,
                    result: Ok(whole),
                });
            });
            if i >= warm_up {
                sections.push(section);
                loads.push(load);
            }
        }
        assert_eq!(self.state.level().table.total(), ROWS);
        assert!(!self.state.is_busy());
        (sections, loads)
    }
}

struct Stats {
    median: Duration,
    p95: Duration,
}

/// Median and 95th percentile (nearest rank).
fn stats(mut samples: Vec<Duration>) -> Stats {
    assert!(!samples.is_empty());
    samples.sort();
    let n = samples.len();
    let median = if n.is_multiple_of(2) {
        (samples[n / 2 - 1] + samples[n / 2]) / 2
    } else {
        samples[n / 2]
    };
    Stats {
        median,
        p95: samples[(n * 95).div_ceil(100) - 1],
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
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

/// A spoke account's catalog with [`ROWS`] provisioned products spread
/// over every drift state: twelve products of two to six versions (some
/// deprecated, some inactive), rows on any version, a few on a deleted
/// one, a few tainted, failed or under change. `seed` varies their
/// versions and statuses, not which rows there are.
fn inventory(seed: u64) -> Inventory {
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
            }
        })
        .collect();
    // What a row is stays; its version and status change with `seed`.
    let mut shape = Rng(0x9e37_79b9_7f4a_7c15);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed.wrapping_mul(0xff51_afd7_ed55_8ccd));
    inv.provisioned = (0..ROWS)
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
