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
