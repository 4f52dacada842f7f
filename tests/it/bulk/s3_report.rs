//! `spoke update --drifted --report s3://BUCKET/PREFIX/`: the run's report
//! in S3 under `dt=YYYY-MM-DD/`, where Athena reads it; PutObject goes
//! through the gate; a missing bucket is said with what to do.

use crate::fixtures;

use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use fixtures::headless::Env;

async fn s3(env: &Env) -> aws_sdk_s3::Client {
    let conf = fixtures::config(&env.sandbox, "spoke-dev").await;
    let conf = aws_sdk_s3::config::Builder::from(&conf)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

const UPDATE: [&str; 7] = [
    "--profile",
    "spoke-dev",
    "update",
    "--drifted",
    "--profiles",
    "spoke-dev",
    "--yes",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_lands_in_s3_by_date_and_every_line_parses() {
    let env = Env::start(60.0).await;
    let s3 = s3(&env).await;
    let region = s3.config().region().unwrap().to_string();
    let config = (region != "us-east-1").then(|| {
        CreateBucketConfiguration::builder()
            .location_constraint(BucketLocationConstraint::from(region.as_str()))
            .build()
    });
    s3.create_bucket()
        .bucket("run-reports")
        .set_create_bucket_configuration(config)
        .send()
        .await
        .unwrap();
    let mut args = UPDATE.to_vec();
    args.extend(["--report", "s3://run-reports/spoke/runs/"]);
    let run = env.spoke(&args).await;
    run.expect(0);
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    // The key is printed: read the object back by it.
    let url = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Report: s3://run-reports/"))
        .unwrap_or_else(|| panic!("the report's address:\n{run}"));
    assert!(
        url.starts_with(&format!("spoke/runs/dt={today}/")) && url.ends_with(".jsonl"),
        "{url}"
    );
    let object = s3
        .get_object()
        .bucket("run-reports")
        .key(url)
        .send()
        .await
        .unwrap();
    let body = object.body.collect().await.unwrap().into_bytes();
    let text = String::from_utf8(body.to_vec()).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!lines.is_empty());
    let batch = url.rsplit('/').next().unwrap().trim_end_matches(".jsonl");
    for line in &lines {
        assert_eq!(line["schema_version"], 1, "{line}");
        assert_eq!(line["BatchId"], batch, "{line}");
        for field in [
            "ProvisionedProductName",
            "ProvisionedProductId",
            "ProductId",
            "ProductName",
            "AccountNo",
            "ProvisionedVersion",
            "ProvisionedVersionName",
            "LatestVersionId",
            "LatestVersionName",
            "UpdateStatus",
            "Errors",
            "ScannedTime",
            "UpdateTimestamp",
            "StackName",
            "LaunchedBy",
        ] {
            assert!(line.get(field).is_some(), "{field} in {line}");
        }
    }
    assert!(lines.iter().any(|l| l["UpdateStatus"] == "SUCCEEDED"));
    // PutObject is journaled like every write.
    assert!(
        env.journal()
            .entries
            .iter()
            .any(|e| e.operation == "PutObject"
                && e.targets.get("key").map(String::as_str) == Some(url)),
        "PutObject journaled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_bucket_names_put_object_its_status_and_what_to_do() {
    let env = Env::start(60.0).await;
    let mut args = UPDATE.to_vec();
    args.extend(["--report", "s3://no-such-reports/x/"]);
    let run = env.spoke(&args).await;
    run.expect(1)
        .complains("PutObject")
        .complains("404")
        .complains("NoSuchBucket")
        .complains("create the bucket");
    // The report is not lost: a copy beside the plan.
    assert!(run.stdout.contains(".report.jsonl"), "{run}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_session_refuses_the_put_before_sending_anything() {
    let env = Env::start(60.0).await;
    let from = env.call_count();
    let run = env
        .spoke(&[
            "--read-only",
            "--profile",
            "spoke-dev",
            "update",
            "--drifted",
            "--yes",
            "--report",
            "s3://run-reports/x/",
        ])
        .await;
    assert_ne!(run.code, 0, "{run}");
    assert!(env.mutations_since(from).is_empty(), "nothing sent:\n{run}");
}
