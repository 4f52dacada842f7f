//! spoke's benchmark suite: `cargo bench` prints one table, a row per case,
//! each figure next to the bound it is compared with, their ratio and the
//! target (see the README's Performance section).
//!
//! | case | module |
//! |---|---|
//! | scan-one | `scan.rs` |
//! | scan-fleet, memory (peak RSS) | `fleet.rs` |
//! | scan-org, memory (peak RSS) | `org.rs` |
//! | bulk-update | `bulk.rs` |
//! | render, memory (bytes held per provisioned product) | `render.rs` |
//! | render-matrix (`:matrix` over 1,000 accounts × 30 products) | `matrix.rs` |
//! | startup | `startup.rs` |
//!
//! `SPOKE_BENCH_ONLY=scan-one,render` runs some cases only (scan-one,
//! scan-fleet, scan-org, bulk-update, render, render-matrix, startup). Run as a test (`cargo test
//! --benches`), every case runs once, small. `SPOKE_BENCH_README=1` writes
//! the table of a full run into the README (`readme.rs`).

mod alloc;
mod blocking;
mod bounds;
mod bulk;
mod fleet;
mod matrix;
mod org;
mod readme;
mod render;
mod report;
mod scan;
mod spawn;
mod startup;

use report::Table;

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not.
    let full = std::env::args().any(|a| a == "--bench");
    let only: Option<Vec<String>> = std::env::var("SPOKE_BENCH_ONLY")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let wanted = |case: &str| only.as_ref().is_none_or(|o| o.iter().any(|c| c == case));
    if !full {
        println!("test mode: every case once, small; `cargo bench` measures");
    }
    let readme = readme::wanted();
    if readme.is_some() && (!full || only.is_some()) {
        eprintln!(
            "SPOKE_BENCH_README writes the table of a full run: `cargo bench --bench suite` without SPOKE_BENCH_ONLY"
        );
        std::process::exit(2);
    }
    let load_at_start = readme::load();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut table = Table::default();
    let (warm_up, runs) = if full { (20, 200) } else { (1, 3) };
    if wanted("render") {
        render::run(&mut table, 10_000, 2.0, warm_up, runs);
        render::run(
            &mut table,
            if full { 100_000 } else { 20_000 },
            5.0,
            warm_up,
            runs,
        );
    }
    if wanted("render-matrix") {
        if full {
            matrix::run(&mut table, 1000, 30, warm_up, runs);
        } else {
            matrix::run(&mut table, 20, 5, warm_up, runs);
        }
    }
    if wanted("startup") {
        let sandbox = runtime
            .block_on(spoke::sandbox::Sandbox::start(Default::default()))
            .expect("the sandbox starts");
        startup::run(&mut table, &sandbox, if full { 10 } else { 1 });
    }
    if wanted("scan-one") {
        scan::run(&mut table, &runtime, if full { 5 } else { 1 }, full);
    }
    if wanted("scan-fleet") {
        fleet::run(&mut table, &runtime, if full { 5 } else { 1 }, full);
    }
    if wanted("scan-org") {
        org::run(&mut table, &runtime, if full { 3 } else { 1 }, full);
    }
    if wanted("bulk-update") {
        bulk::run(&mut table, &runtime, full);
    }
    table.print();
    if let Some(path) = readme {
        match readme::write(&path, &table.markdown(), (load_at_start, readme::load())) {
            Ok(()) => println!("the table is written into {}", path.display()),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
    if !full {
        println!(
            "test mode: small cases on a debug build — a check that every case runs, not a measurement"
        );
    }
}
