//! `spoke drift --report FILE|s3://BUCKET/PREFIX/`: the drift as JSON
//! lines beside the bulk update's report; S3 only with `--yes` (PutObject
//! through the gate, journaled), never in a read-only session.

use crate::fixtures;

use fixtures::headless::Env;

const DRIFT: [&str; 5] = ["drift", "--profile", "spoke-dev", "--profiles", "spoke-dev"];

async fn bucket(env: &Env, name: &str) -> aws_sdk_s3::Client {
    let conf = fixtures::config(&env.sandbox, "spoke-dev").await;
    let conf = aws_sdk_s3::config::Builder::from(&conf)
        .force_path_style(true)
        .build();
    let s3 = aws_sdk_s3::Client::from_conf(conf);
    let region = s3.config().region().unwrap().to_string();
    let config = (region != "us-east-1").then(|| {
        aws_sdk_s3::types::CreateBucketConfiguration::builder()
            .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from(
                region.as_str(),
            ))
            .build()
    });
    s3.create_bucket()
        .bucket(name)
        .set_create_bucket_configuration(config)
        .send()
        .await
        .unwrap();
    s3
}

fn parse(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_drift_report_goes_to_a_file_or_with_yes_to_s3_by_date() {
    let env = Env::start(40.0).await;
    let s3 = bucket(&env, "drift-reports").await;

    // To a file: no --yes needed (nothing in AWS changes); a line per
    // provisioned product, with the fields the bulk report has.
    let file = env.dir.path().join("drift.jsonl");
    let mut args = DRIFT.to_vec();
    args.extend(["--report", file.to_str().unwrap()]);
    let run = env.spoke(&args).await;
    run.expect(3).complains("Report: ");
    let lines = parse(&std::fs::read_to_string(&file).unwrap());
    assert!(!lines.is_empty());
    for line in &lines {
        assert_eq!(line["schema_version"], 1, "{line}");
        assert_eq!(line["ReportType"], "drift", "{line}");
        assert_eq!(line["AccountNo"], "222233334444", "{line}");
        for field in [
            "ProvisionedProductName",
            "ProvisionedProductId",
            "ProductId",
            "ProvisionedVersion",
            "LatestVersionId",
            "DriftStatus",
            "ScannedTime",
            "ScanId",
        ] {
            assert!(line.get(field).is_some(), "{field} in {line}");
        }
    }
    assert!(
        lines.iter().any(|l| l["DriftStatus"] == "BEHIND"),
        "{lines:?}"
    );

    // To S3 without --yes: said, nothing put.
    let calls = env.call_count();
    let mut args = DRIFT.to_vec();
    args.extend(["--report", "s3://drift-reports/spoke/drift/"]);
    let run = env.spoke(&args).await;
    run.expect(3).complains("add --yes to put it");
    assert_eq!(env.mutations_since(calls), Vec::<String>::new());

    // With --yes: under dt=<today>/, read back, and journaled.
    args.push("--yes");
    let run = env.spoke(&args).await;
    run.expect(3);
    let key = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("Report: s3://drift-reports/"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("the report's address:\n{run}"))
        .to_string();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert!(
        key.starts_with(&format!("spoke/drift/dt={today}/drift-")),
        "{key}"
    );
    let object = s3
        .get_object()
        .bucket("drift-reports")
        .key(&key)
        .send()
        .await
        .unwrap();
    let body = object.body.collect().await.unwrap().into_bytes();
    let put = parse(std::str::from_utf8(&body).unwrap());
    assert_eq!(put.len(), lines.len());
    assert!(
        env.journal()
            .entries
            .iter()
            .any(|e| e.operation == "PutObject" && e.targets.get("key") == Some(&key)),
        "PutObject journaled"
    );

    // Read-only: refused before any call, exit 4.
    let calls = env.call_count();
    let mut ro = args.clone();
    ro.push("--read-only");
    env.spoke(&ro).await.expect(4).complains("read-only");
    assert_eq!(env.call_count(), calls, "not one call");

    // --yes with nothing to write: refused.
    let mut idle = DRIFT.to_vec();
    idle.push("--yes");
    env.spoke(&idle).await.expect(2).complains("--yes");
}
