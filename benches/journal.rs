//! What the audit trail costs a mutation: one journal line appended and
//! synced to disk (`cargo bench --bench journal`). Prints the median and
//! p95 of 500 appends next to a fast AWS write call (~50 ms), as a ratio.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use spoke::journal::{Actor, Entry, Journal, Phase};

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let journal = Journal::open(dir.path().join("journal.jsonl")).expect("the journal opens");
    let entry = Entry {
        time: chrono::Utc::now(),
        action: uuid::Uuid::new_v4().to_string(),
        phase: Phase::Intent,
        batch: None,
        actor: Actor {
            profile: "spoke-dev".into(),
            account: "222233334444".into(),
            caller_arn: "arn:aws:sts::222233334444:assumed-role/Admin/alice".into(),
            region: "us-east-1".into(),
        },
        operation: "UpdateProvisionedProduct".into(),
        targets: BTreeMap::from([
            ("provisioned_product_id".into(), "pp-abcdefghijklm".into()),
            ("version_id".into(), "pa-abcdefghijklm".into()),
        ]),
        parameters: BTreeMap::from([("Env".into(), "dev".into())]),
        token: Some(uuid::Uuid::new_v4().to_string()),
        record_id: None,
        outcome: None,
    };
    let mut times: Vec<Duration> = (0..500)
        .map(|_| {
            let started = Instant::now();
            journal.append(&entry).expect("append");
            started.elapsed()
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    let p95 = times[times.len() * 95 / 100];
    let aws = Duration::from_millis(50);
    println!("case            median      p95         bound (one AWS write)  ratio");
    println!(
        "journal-append  {:>8.3} ms {:>8.3} ms {:>10.0} ms            {:.3}",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        aws.as_secs_f64() * 1e3,
        median.as_secs_f64() / aws.as_secs_f64()
    );
}
