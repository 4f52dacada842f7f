//! An endpoint that answers some read operations with an HTML error page
//! (an emulator without them, a proxy, an outage page): the scan keeps
//! everything the other calls read, marks exactly what was not, and says
//! the operation and the HTTP status first — never an empty list or a 0
//! for something not read.

use spoke::model::{Drift, Inventory, Read, Section};
use spoke::sandbox::Faults;

use super::scan;

fn ids<T: serde::Serialize>(items: &[T]) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            serde_json::to_value(i).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn unimplemented(operations: &[&str], status: u16) -> Faults {
    Faults {
        unimplemented: operations.iter().map(|o| o.to_string()).collect(),
        unimplemented_status: status,
        ..Faults::default()
    }
}

/// Every problem names the operation first, its HTTP status, and what the
/// answer was; none blames credentials.
fn says_the_cause(inv: &Inventory, operation: &str, status: u16) {
    let of_op: Vec<&str> = inv
        .problems
        .iter()
        .map(|p| p.message.as_str())
        .filter(|m| m.contains(operation))
        .collect();
    assert!(!of_op.is_empty(), "{operation}: {:?}", inv.problems);
    for m in of_op {
        assert!(
            m.contains(&format!(
                "{operation}: HTTP {status} from http://127.0.0.1:"
            )),
            "{m}"
        );
        assert!(
            m.contains("the answer was not AWS JSON (an HTML page"),
            "{m}"
        );
        assert!(
            m.contains("the endpoint may not implement this operation"),
            "{m}"
        );
        assert!(!m.to_lowercase().contains("credential"), "{m}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_unimplemented_read_leaves_the_rest_and_marks_what_it_did_not_read() {
    let (quiet, _, _) = scan("spoke-dev", Faults::default()).await;
    assert!(quiet.problems.is_empty(), "{:?}", quiet.problems);
    let local = quiet
        .portfolios
        .iter()
        .filter(|p| p.origin.is_local())
        .count();
    assert!(
        local > 0 && local < quiet.portfolios.len(),
        "spoke-dev has both kinds"
    );

    // The imported portfolios: the local ones stay, the section is partly read.
    let (inv, _, _) = scan(
        "spoke-dev",
        unimplemented(&["ListAcceptedPortfolioShares"], 501),
    )
    .await;
    says_the_cause(&inv, "ListAcceptedPortfolioShares", 501);
    assert_eq!(inv.portfolios.len(), local, "{:?}", inv.portfolios);
    assert!(matches!(inv.read(Section::Portfolios), Read::Partly(_)));
    assert_eq!(inv.read(Section::Provisioned), Read::Whole);
    assert_eq!(inv.provisioned.len(), quiet.provisioned.len());

    // Both halves: portfolios, their shares and constraints are not read.
    let (inv, _, _) = scan(
        "spoke-dev",
        unimplemented(&["ListPortfolios", "ListAcceptedPortfolioShares"], 501),
    )
    .await;
    says_the_cause(&inv, "ListPortfolios", 501);
    for section in [Section::Portfolios, Section::Shares, Section::Constraints] {
        assert!(
            !inv.read(section).is_read(),
            "{section:?}: {:?}",
            inv.problems
        );
    }
    assert_eq!(inv.provisioned.len(), quiet.provisioned.len());

    // The versions: no drift is made up from versions never read.
    let (inv, _, _) = scan(
        "spoke-dev",
        unimplemented(&["ListProvisioningArtifacts"], 501),
    )
    .await;
    says_the_cause(&inv, "ListProvisioningArtifacts", 501);
    assert_eq!(inv.products.len(), quiet.products.len());
    for pp in &inv.provisioned {
        let d = inv.drift_of(&pp.id);
        assert!(
            matches!(d, Drift::NotRead | Drift::Tainted),
            "{}: {d}",
            pp.name
        );
        assert!(!inv.read_of(Section::Versions, &pp.product_id).is_read());
    }
    assert!(inv.drift_summary().not_read > 0);

    // The failed requests of tainted products: each said not read, with
    // the cause; the provisioned products and their drift stand.
    let (inv, _, _) = scan("spoke-dev", unimplemented(&["DescribeRecord"], 501)).await;
    assert!(inv.failed_requests.is_empty());
    assert!(
        !quiet.failed_requests.is_empty(),
        "spoke-dev has a tainted product"
    );
    assert_eq!(
        inv.failed_requests_unread.keys().collect::<Vec<_>>(),
        quiet.failed_requests.keys().collect::<Vec<_>>()
    );
    for why in inv.failed_requests_unread.values() {
        assert!(why.starts_with("DescribeRecord: HTTP 501"), "{why}");
    }
    assert_eq!(inv.read(Section::Provisioned), Read::Whole);
    assert_eq!(inv.drift, quiet.drift);
    let mut catalog = spoke::tui::screens::Catalog::default();
    let tainted = inv.failed_requests_unread.keys().next().unwrap().clone();
    catalog.set_inventory(inv);
    let detail = spoke::tui::screens::Screen::Provisioned.detail(
        &catalog,
        &spoke::tui::names::Names::default,
        &tainted,
    );
    assert!(
        detail.iter().any(
            |(k, v)| k == "Failed request" && v.contains("not read — DescribeRecord: HTTP 501")
        ),
        "{detail:?}"
    );

    // The provisioned products: not read, the catalog stands.
    let (inv, _, _) = scan(
        "spoke-dev",
        unimplemented(&["SearchProvisionedProducts"], 501),
    )
    .await;
    says_the_cause(&inv, "SearchProvisionedProducts", 501);
    assert!(!inv.read(Section::Provisioned).is_read());
    assert_eq!(ids(&inv.portfolios), ids(&quiet.portfolios));
    assert_eq!(ids(&inv.products), ids(&quiet.products));

    // The constraints of each portfolio: each portfolio's part is not read.
    let (inv, _, _) = scan(
        "spoke-dev",
        unimplemented(&["ListConstraintsForPortfolio"], 501),
    )
    .await;
    says_the_cause(&inv, "ListConstraintsForPortfolio", 501);
    for p in &inv.portfolios {
        assert!(
            !inv.read_of(Section::Constraints, &p.id).is_read(),
            "{}",
            p.name
        );
    }
    assert!(inv.constraints.is_empty());

    // The products: the portfolios' own products still come.
    let (inv, _, _) = scan("spoke-dev", unimplemented(&["SearchProductsAsAdmin"], 501)).await;
    says_the_cause(&inv, "SearchProductsAsAdmin", 501);
    assert!(!inv.read(Section::Products).is_read(), "{:?}", inv.problems);
    assert!(inv.products.is_empty());
    for pp in &inv.provisioned {
        assert!(matches!(
            inv.drift_of(&pp.id),
            Drift::NotRead | Drift::Tainted
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_html_500_is_said_at_once_and_every_time_the_same_way() {
    // The hub's shares: one DescribePortfolioShares per local portfolio and
    // share type. An HTML page is not asked again (AWS answers every error
    // in its own format): one attempt each, every scan alike.
    let faults = unimplemented(&["DescribePortfolioShares"], 500);
    let started = std::time::Instant::now();
    let (inv, calls, _) = scan("hub", faults.clone()).await;
    let first = started.elapsed();
    says_the_cause(&inv, "DescribePortfolioShares", 500);
    for p in inv.portfolios.iter().filter(|p| p.origin.is_local()) {
        assert!(!inv.read_of(Section::Shares, &p.id).is_read(), "{}", p.name);
    }
    let shares: Vec<_> = calls
        .iter()
        .filter(|c| c.operation == "DescribePortfolioShares")
        .collect();
    assert!(!shares.is_empty());
    assert!(shares.iter().all(|c| c.attempts == 1), "{shares:?}");
    assert!(first < std::time::Duration::from_secs(10), "{first:?}");
}

async fn env_without(operations: &[&str]) -> crate::fixtures::headless::Env {
    crate::fixtures::headless::Env::start_with(spoke::sandbox::SandboxOptions {
        faults: unimplemented(operations, 501),
        ..spoke::sandbox::SandboxOptions::default()
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharing_a_local_portfolio_needs_no_imported_ones() {
    let env = env_without(&["ListAcceptedPortfolioShares"]).await;
    let dev = crate::fixtures::account_id(&env.sandbox, "spoke-dev");
    let plan = env
        .spoke(&[
            "share",
            "--profile",
            "hub",
            "--portfolio",
            "Hub Operations",
            "--account",
            &dev,
        ])
        .await;
    plan.expect(0)
        .says("Plan: share Hub Operations")
        .says("Nothing changed");
    env.spoke(&[
        "share",
        "--profile",
        "hub",
        "--portfolio",
        "Hub Operations",
        "--account",
        &dev,
        "--yes",
    ])
    .await
    .expect(0);
    // A read the command needs names itself, with exit 1 and nothing sent.
    let env = env_without(&["ListPortfolios"]).await;
    let from = env.call_count();
    env.spoke(&[
        "share",
        "--profile",
        "hub",
        "--portfolio",
        "Hub Operations",
        "--account",
        &dev,
    ])
    .await
    .expect(1)
    .complains("could not read the local portfolios, which this needs: ListPortfolios: HTTP 501");
    assert!(env.mutations_since(from).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audit_marks_every_part_not_read_and_exits_1() {
    let env = env_without(&["ListAcceptedPortfolioShares", "ListProvisioningArtifacts"]).await;
    let dir = env.dir.path();
    for file in ["a.json", "a.md", "a-csv/"] {
        let out = dir.join(file).display().to_string();
        env.spoke(&["audit", "--profile", "spoke-dev", "--out", &out])
            .await
            .expect(1)
            .complains("1 account(s) were read only in part");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("a.json")).unwrap()).unwrap();
    let inv = &json["accounts"][0]["inventory"];
    assert!(
        !inv["portfolios"].as_array().unwrap().is_empty(),
        "the local ones stay"
    );
    let problems = inv["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["section"] == "portfolios" && p["missing"] == "part")
    );
    assert!(
        problems
            .iter()
            .any(|p| p["section"] == "versions" && p["missing"]["of"].is_string())
    );
    assert!(
        inv["drift"]
            .as_object()
            .unwrap()
            .values()
            .all(|d| d == "NOT_READ" || d == "TAINTED"),
        "{}",
        inv["drift"]
    );

    let md = std::fs::read_to_string(dir.join("a.md")).unwrap();
    assert!(
        md.contains(
            "Partly read: imported portfolios not read: ListAcceptedPortfolioShares: HTTP 501"
        ),
        "{md}"
    );
    assert!(
        md.contains("Drift not read (their products' versions were not read)"),
        "{md}"
    );
    assert!(md.contains("versions not read |"), "{md}");

    let csv = |name: &str| {
        std::fs::read_to_string(dir.join("a-csv").join(format!("{name}.csv"))).unwrap()
    };
    let accounts = csv("accounts");
    assert!(
        accounts
            .lines()
            .next()
            .unwrap()
            .ends_with("portfolios,shares,products,versions,constraints,provisioned")
    );
    assert!(
        accounts
            .lines()
            .nth(1)
            .unwrap()
            .ends_with("partly read,read,read,partly read,read,read"),
        "{accounts}"
    );
    assert!(
        csv("versions").contains("not read: product "),
        "{}",
        csv("versions")
    );
    assert!(csv("products").contains(",not read"), "{}", csv("products"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audit_whose_stack_events_cannot_be_read_says_so_and_exits_1() {
    let env = env_without(&["DescribeStackEvents"]).await;
    let dir = env.dir.path();
    for file in ["e.json", "e.md", "e-csv/"] {
        let out = dir.join(file).display().to_string();
        env.spoke(&["audit", "--profile", "spoke-dev", "--out", &out])
            .await
            .expect(1)
            .says("the events of ")
            .complains("1 account(s) were read only in part");
    }
    let snapshot =
        spoke::model::Snapshot::parse(&std::fs::read(dir.join("e.json")).unwrap()).unwrap();
    let account = &snapshot.accounts[0];
    assert!(account.events.is_empty());
    let stacks = account.inventory.as_ref().unwrap().provisioned.len();
    assert_eq!(account.events_not_read.len(), stacks);
    assert!(
        account
            .events_not_read
            .values()
            .all(|why| why.contains("DescribeStackEvents: HTTP 501")),
        "{:?}",
        account.events_not_read
    );
    let md = std::fs::read_to_string(dir.join("e.md")).unwrap();
    assert!(
        md.contains("- the stack events of dev-") && md.contains("DescribeStackEvents: HTTP 501"),
        "{md}"
    );
    let events = std::fs::read_to_string(dir.join("e-csv").join("events.csv")).unwrap();
    assert_eq!(
        events.lines().filter(|l| l.contains(",not read,")).count(),
        stacks,
        "{events}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drift_from_versions_never_read_is_not_drift() {
    // spoke-dev runs one TAINTED product (taint needs no versions: it is
    // read) and the rest on products whose versions cannot be read.
    let env = env_without(&["ListProvisioningArtifacts"]).await;
    let run = env.spoke(&["drift", "--profile", "spoke-dev"]).await;
    run.expect(3)
        .says("NOT_READ")
        .says("1 drifted — 13 provisioned: 1 tainted, 12 versions not read")
        .says("could not read versions of ")
        .complains("1 provisioned product drifts (and the versions of 12 provisioned products were not read");
    // 8 products in all: in one line, or two when the breaker opened on
    // the operation part-way (which depends on how the calls interleave).
    let unread: usize = run
        .stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("could not read versions of "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(unread, 8, "{run}");
    assert!(!run.stdout.contains("UNKNOWN"), "{run}");
    // Without the tainted one nothing read drifts: 1, not 3.
    let json = env
        .spoke(&["drift", "--profile", "spoke-dev", "--format", "json"])
        .await;
    json.expect(3);
    assert!(!json.stdout.contains("\"UNKNOWN\""), "{json}");
    let env = env_without(&["ListProvisioningArtifacts"]).await;
    let tainted = env
        .spoke(&["drift", "--profile", "spoke-dev", "--format", "csv"])
        .await
        .stdout
        .lines()
        .find(|l| l.contains("TAINTED"))
        .map(|l| l.split(',').nth(2).unwrap().to_string())
        .expect("a tainted row");
    assert!(!tainted.is_empty());
    let hub = env.spoke(&["drift", "--profile", "hub"]).await;
    hub.expect(1)
        .complains("nothing drifts in what was read, but the versions of");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_tried_again_is_said_while_it_waits() {
    let world = crate::fixtures::sandboxed(
        1.0,
        Faults {
            error_rate: 1.0,
            operations: vec!["ListPortfolios".into()],
            ..Faults::default()
        },
    )
    .await;
    let reader = world.reader("hub").await;
    let log = reader.call_log().clone();
    let scan = tokio::spawn(async move { spoke::ops::scan(&reader).await });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let said = loop {
        let now = log.retrying();
        if !now.is_empty() {
            break now;
        }
        assert!(std::time::Instant::now() < deadline, "no retry was said");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert!(
        said[0].starts_with("ListPortfolios (hub): attempt "),
        "{said:?}"
    );
    assert!(said[0].ends_with(" of 10"), "{said:?}");
    // The endpoint recovers: the call goes through and nothing is said.
    world.sandbox.set_faults(Faults::default());
    let inv = scan.await.unwrap().unwrap();
    assert!(inv.problems.is_empty(), "{:?}", inv.problems);
    assert!(log.retrying().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_marks_what_was_not_read_never_as_empty_or_0() {
    use crate::fixtures::console::{loaded_with, press, render, text};
    use crossterm::event::KeyCode;
    // (operation, screen, what that screen must say)
    let cases: &[(&str, char, &str)] = &[
        ("ListProvisioningArtifacts", '2', "not read"),
        ("ListProvisioningArtifacts", '4', "NOT_READ"),
        (
            "SearchProvisionedProducts",
            '4',
            "The provisioned products were not read",
        ),
        ("SearchProvisionedProducts", '2', "not read"),
        (
            "ListConstraintsForPortfolio",
            '3',
            "The constraints were not read",
        ),
        ("DescribePortfolioShares", '1', "not read"),
        (
            "ListAcceptedPortfolioShares",
            '1',
            "imported portfolios not read",
        ),
    ];
    for &(operation, screen, says) in cases {
        let (inv, _, _) = scan("hub", unimplemented(&[operation], 501)).await;
        let mut state = loaded_with(inv, true);
        press(&mut state, KeyCode::Char(screen));
        let shown = text(&render(&mut state, 160, 40));
        assert!(
            shown.contains(says),
            "{operation} on {screen}: {says:?} not shown\n{shown}"
        );
        assert!(
            shown.contains(&format!("{operation}: HTTP 501")),
            "{operation}\n{shown}"
        );
        assert!(
            !shown.contains("No portfolios") && !shown.contains("No constraints"),
            "{shown}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_that_keeps_failing_is_not_asked_again_in_the_scan() {
    // Every ListProvisioningArtifacts answers AWS's own 500: each call gets
    // all its attempts, and once the last 3 failed so, the rest of the scan
    // does not ask it again, and says so.
    let faults = Faults {
        error_rate: 1.0,
        operations: vec!["ListProvisioningArtifacts".into()],
        ..Faults::default()
    };
    let world = crate::fixtures::sandboxed_with(spoke::sandbox::SandboxOptions {
        world: spoke::sandbox::WorldSource::Generated {
            accounts: 1,
            products: 40,
            provisioned_per_account: 10,
        },
        faults,
        ..spoke::sandbox::SandboxOptions::default()
    })
    .await;
    let reader = world.reader("hub").await;
    let inv = spoke::ops::scan(&reader).await.unwrap();
    let calls = reader.call_log().snapshot();
    let versions: Vec<_> = calls
        .iter()
        .filter(|c| c.operation == "ListProvisioningArtifacts")
        .collect();
    // The first to fail had all their attempts; those in flight then
    // stopped at their next one.
    assert!(
        versions.iter().filter(|c| c.attempts == 10).count() >= 3,
        "{versions:?}"
    );
    let skipped = inv
        .problems
        .iter()
        .filter(|p| p.message.contains("so not asked again in this scan"))
        .count();
    assert!(skipped > 0, "{:#?}", inv.problems);
    assert_eq!(
        inv.problems
            .iter()
            .filter(|p| p.section == Section::Versions)
            .count(),
        inv.products.len(),
        "{:#?}",
        inv.problems
    );
    for pp in &inv.provisioned {
        assert!(matches!(
            inv.drift_of(&pp.id),
            Drift::NotRead | Drift::Tainted
        ));
    }
}
