//! `spoke matrix` on generated organizations: every cell equals a count
//! made independently from the world file itself (which version each
//! provisioned product's history ends on, per account and product); the
//! formats agree with one another.

use std::collections::BTreeMap;

use crate::fixtures;

use fixtures::headless::Env;
use spoke::sandbox::generate::{Scale, generate_with, spoke_name};
use spoke::sandbox::{SandboxOptions, WorldSource};

const ROLE: &str = "OrganizationAccountAccessRole";

/// (product, account) → version → count, read off the world's TOML.
fn counted(world: &str) -> BTreeMap<(String, String), BTreeMap<String, usize>> {
    let doc: toml::Value = toml::from_str(world).expect("the generated world parses");
    let mut counts: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
    for pp in doc["provisioned"].as_array().expect("provisioned products") {
        let history = pp["history"].as_array().unwrap();
        let version = history.last().unwrap()["version"].as_str().unwrap();
        let key = (
            pp["product"].as_str().unwrap().to_string(),
            pp["account"].as_str().unwrap().to_string(),
        );
        *counts
            .entry(key)
            .or_default()
            .entry(version.to_string())
            .or_default() += 1;
    }
    counts
}

async fn env_of(world: &str) -> (Env, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.toml");
    std::fs::write(&path, world).unwrap();
    let env = Env::start_with(SandboxOptions {
        world: WorldSource::File(path),
        ..SandboxOptions::default()
    })
    .await;
    (env, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_cell_counts_what_the_world_runs_there() {
    let scale = Scale::new(12, 7, 9);
    let world = generate_with(&scale);
    let expected = counted(&world);
    let (env, _dir) = env_of(&world).await;
    let run = env
        .spoke(&[
            "matrix",
            "--profile",
            "hub",
            "--org-role",
            ROLE,
            "--format",
            "json",
        ])
        .await;
    run.expect(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("matrix JSON does not parse ({e}):\n{run}"));
    assert_eq!(doc["schema_version"], 1);
    let accounts: Vec<&str> = doc["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["label"].as_str().unwrap())
        .collect();
    // The hub and every spoke are columns.
    assert_eq!(accounts.len(), scale.spokes + 1, "{accounts:?}");
    for i in 0..scale.spokes {
        assert!(accounts.contains(&spoke_name(i, scale.spokes).as_str()));
    }
    let mut seen: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
    let mut total = 0;
    for product in doc["products"].as_array().unwrap() {
        let name = product["name"].as_str().unwrap();
        let mut drifted = 0;
        for cell in product["cells"].as_array().unwrap() {
            let account = cell["account"].as_str().unwrap();
            assert_ne!(cell["state"], "NOT_READ", "{name} in {account}");
            for v in cell["versions"].as_array().unwrap() {
                let count = v["count"].as_u64().unwrap() as usize;
                total += count;
                if v["state"] != "CURRENT" {
                    drifted += count;
                }
                seen.entry((name.to_string(), account.to_string()))
                    .or_default()
                    .insert(v["version"].as_str().unwrap().to_string(), count);
            }
        }
        assert_eq!(
            product["drifted"].as_u64().unwrap() as usize,
            drifted,
            "{name}"
        );
        // The fleet's totals are the sum of its cells.
        let totals: usize = product["totals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["count"].as_u64().unwrap() as usize)
            .sum();
        assert_eq!(totals, product["provisioned"].as_u64().unwrap() as usize);
    }
    assert_eq!(seen, expected);
    assert_eq!(total, scale.spokes * scale.provisioned_per_account);

    // CSV: one line per product, account and version, the same counts.
    let csv = env
        .spoke(&[
            "matrix",
            "--profile",
            "hub",
            "--org-role",
            ROLE,
            "--format",
            "csv",
        ])
        .await;
    csv.expect(0);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "product,product_id,account,account_id,version,version_id,count,state"
    );
    let csv_total: usize = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(6).unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(csv_total, total);
    assert_eq!(
        lines.len() - 1,
        expected.values().map(BTreeMap::len).sum::<usize>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_not_read_is_a_column_of_not_read_and_exit_1() {
    let world = generate_with(&Scale::new(3, 4, 3));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.toml");
    std::fs::write(&path, &world).unwrap();
    let denied = spoke_name(1, 3);
    let env = Env::start_with(SandboxOptions {
        world: WorldSource::File(path),
        faults: spoke::sandbox::Faults {
            deny_assume: vec![denied.clone()],
            ..Default::default()
        },
        ..SandboxOptions::default()
    })
    .await;
    let run = env
        .spoke(&[
            "matrix",
            "--profile",
            "hub",
            "--org-role",
            ROLE,
            "--format",
            "md",
        ])
        .await;
    run.expect(1)
        .complains("1 account(s) could not be read")
        .says("| PRODUCT | LATEST |")
        .says("Accounts not read (their cells say so):");
    let header = run.stdout.lines().next().unwrap();
    let column = header
        .split('|')
        .map(str::trim)
        .position(|c| c == denied)
        .unwrap_or_else(|| panic!("{denied} is a column: {header}"));
    for line in run
        .stdout
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
    {
        let cell = line.split('|').map(str::trim).nth(column).unwrap();
        assert_eq!(cell, "not read", "{line}");
    }
}
