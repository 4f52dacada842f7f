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

/// Account name → its OU's path, read off the world's TOML: `Root/<name>`
/// for an account an OU lists, `Root` for the others.
fn ou_paths(world: &str) -> BTreeMap<String, String> {
    let doc: toml::Value = toml::from_str(world).expect("the generated world parses");
    let mut paths: BTreeMap<String, String> = doc["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap().to_string(), "Root".to_string()))
        .collect();
    for ou in doc["organization"]["ous"].as_array().unwrap() {
        let name = ou["name"].as_str().unwrap();
        for a in ou["accounts"].as_array().unwrap() {
            paths.insert(a.as_str().unwrap().to_string(), format!("Root/{name}"));
        }
    }
    paths
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn by_ou_each_cell_sums_what_its_accounts_run() {
    // 30 spokes: two OUs of the generated world (25 and 5), the hub under the root.
    let scale = Scale::new(30, 5, 3);
    let world = generate_with(&scale);
    let ou_of = ou_paths(&world);
    let mut expected: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
    for ((product, account), versions) in counted(&world) {
        let ou = ou_of[&account].clone();
        for (version, n) in versions {
            *expected
                .entry((product.clone(), ou.clone()))
                .or_default()
                .entry(version)
                .or_default() += n;
        }
    }
    let (env, _dir) = env_of(&world).await;
    let run = env
        .spoke(&[
            "matrix",
            "--profile",
            "hub",
            "--org-role",
            ROLE,
            "--by",
            "ou",
            "--format",
            "json",
        ])
        .await;
    run.expect(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("matrix JSON does not parse ({e}):\n{run}"));
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["columns_are"], "ou");
    let columns: Vec<&str> = doc["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["label"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["Root", "Root/Workloads 01", "Root/Workloads 02"]);
    // Each OU column names its accounts: 1, 25 and 5 of them.
    let sizes: Vec<usize> = doc["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_ids"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [1, 25, 5]);
    let mut seen: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
    for product in doc["products"].as_array().unwrap() {
        let name = product["name"].as_str().unwrap();
        for cell in product["cells"].as_array().unwrap() {
            let ou = cell["account"].as_str().unwrap();
            assert_ne!(cell["state"], "NOT_READ", "{name} in {ou}");
            assert!(cell.get("accounts_not_read").is_none());
            for v in cell["versions"].as_array().unwrap() {
                seen.entry((name.to_string(), ou.to_string()))
                    .or_default()
                    .insert(
                        v["version"].as_str().unwrap().to_string(),
                        v["count"].as_u64().unwrap() as usize,
                    );
            }
        }
    }
    assert_eq!(seen, expected);

    // The table and CSV group the same way.
    let table = env
        .spoke(&[
            "matrix",
            "--profile",
            "hub",
            "--org-role",
            ROLE,
            "--by",
            "ou",
        ])
        .await;
    table.expect(0).says("Root/Workloads 02").says("× 3 OU(s)");
    let csv = env
        .spoke(&[
            "matrix",
            "--profile",
            "hub",
            "--org-role",
            ROLE,
            "--by",
            "ou",
            "--format",
            "csv",
        ])
        .await;
    csv.expect(0);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "product,product_id,ou,account_ids,version,version_id,count,state"
    );
    let csv_total: usize = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(6).unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(csv_total, scale.spokes * scale.provisioned_per_account);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn by_ou_needs_an_organization_the_caller_may_read() {
    let world = generate_with(&Scale::new(3, 3, 2));
    let (env, _dir) = env_of(&world).await;
    // A fleet of profiles is no organization: refused, nothing made up.
    let run = env
        .spoke(&["matrix", "--profiles", "hub,spoke-001", "--by", "ou"])
        .await;
    run.expect(2)
        .complains("--by ou")
        .complains("is not an organization")
        .complains("--org-role");
    assert!(run.stdout.is_empty(), "{run}");
    // A member account may not read the tree: the operation, its status and what to do.
    let member = spoke_name(0, 3);
    let run = env
        .spoke(&[
            "matrix",
            "--profile",
            &member,
            "--org-role",
            ROLE,
            "--by",
            "ou",
            "--format",
            "json",
        ])
        .await;
    run.expect(1).complains("HTTP 400").complains("--org-role");
    assert!(!run.stdout.contains("columns_are"), "{run}");
}
