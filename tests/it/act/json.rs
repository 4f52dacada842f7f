//! `--format json` on the headless commands, end to end: stdout is JSON
//! Lines only (events as they happen, then one result or error, each with
//! `schema_version` 1 and the command's name), people's lines on stderr.

use serde_json::Value;

use crate::fixtures::headless::{Env, Run};

const PROD: &str = "333344445555";

/// Every stdout line of `run`, parsed; each must carry the envelope of
/// `command`, and the last must be its result or its error.
#[track_caller]
fn lines(run: &Run, command: &str) -> Vec<Value> {
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("a stdout line that is not JSON ({e}): {l:?}\n{run}"))
        })
        .collect();
    assert!(!lines.is_empty(), "no JSON on stdout:\n{run}");
    for line in &lines {
        assert_eq!(line["schema_version"], 1, "{line}");
        assert_eq!(line["command"], command, "{line}");
    }
    let (last, events) = lines.split_last().unwrap();
    assert!(
        events.iter().all(|l| l["type"] == "event"),
        "only events before the last line:\n{run}"
    );
    let kind = last["type"].as_str().unwrap_or_default();
    assert!(kind == "result" || kind == "error", "last line {last}");
    lines
}

/// The events of `lines` named `event`.
fn events<'a>(lines: &'a [Value], event: &str) -> Vec<&'a Value> {
    lines.iter().filter(|l| l["event"] == event).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_writes_json_lines_with_its_schema_version() {
    let env = Env::start(40.0).await;

    // A plan: the result says planned, with the plan and its targets; the
    // banner and the plan's lines went to stderr.
    let run = env
        .spoke(&[
            "share",
            "--profile",
            "hub",
            "--portfolio",
            "Data & Analytics",
            "--account",
            PROD,
            "--format",
            "json",
        ])
        .await;
    run.expect(0)
        .complains("Nothing changed: add --yes to do it");
    let result = lines(&run, "share").pop().unwrap();
    assert_eq!(result["type"], "result");
    assert_eq!(result["outcome"], "planned");
    assert_eq!(result["targets"][0]["type"], "account");
    assert_eq!(result["targets"][0]["id"], PROD);
    assert_eq!(result["session"]["account"], "111122223333");
    assert!(
        result["plan"]["title"]
            .as_str()
            .unwrap()
            .contains("Data & Analytics")
    );

    // Done: the share's events, then the result with each target's end.
    let mut share = vec![
        "share",
        "--profile",
        "hub",
        "--portfolio",
        "Data & Analytics",
        "--account",
        PROD,
        "--format",
        "json",
        "--yes",
    ];
    let run = env.spoke(&share).await;
    run.expect(0);
    let all = lines(&run, "share");
    assert_eq!(events(&all, "share_started").len(), 1, "{run}");
    assert_eq!(events(&all, "share_finished")[0]["ok"], true);
    let result = all.last().unwrap();
    assert_eq!(result["outcome"], "done");
    assert_eq!(result["results"][0]["ok"], true);

    // Again: nothing to do.
    let run = env.spoke(&share).await;
    run.expect(0);
    assert_eq!(lines(&run, "share").last().unwrap()["outcome"], "unchanged");

    // Refused: an error line with the exit code and the message.
    share[4] = "No Such Portfolio";
    let run = env.spoke(&share).await;
    run.expect(2);
    let error = lines(&run, "share").pop().unwrap();
    assert_eq!(error["type"], "error");
    assert_eq!(error["exit_code"], 2);
    assert!(
        error["message"][0]
            .as_str()
            .unwrap()
            .contains("No Such Portfolio"),
        "{error}"
    );

    // A launch followed to its end: its stack events stream as lines.
    let run = env
        .spoke(&[
            "launch",
            "--profile",
            "spoke-dev",
            "--product",
            "S3 Bucket",
            "--path",
            "Dev Team Catalog",
            "--name",
            "dev-json",
            "--yes",
            "--format",
            "json",
        ])
        .await;
    run.expect(0)
        .complains("Done: the launch of dev-json SUCCEEDED");
    let all = lines(&run, "launch");
    let created = events(&all, "record_created");
    assert_eq!(created.len(), 1, "{run}");
    let stack_events = events(&all, "stack_event");
    assert!(
        stack_events
            .iter()
            .any(|e| e["resource_type"] == "AWS::S3::Bucket" && e["status"] == "CREATE_COMPLETE"),
        "{run}"
    );
    assert_eq!(events(&all, "record_finished")[0]["status"], "SUCCEEDED");
    let result = all.last().unwrap();
    assert_eq!(result["outcome"], "done");
    assert_eq!(result["records"][0]["status"], "SUCCEEDED");
    assert_eq!(result["records"][0]["record_id"], created[0]["record_id"]);
    assert!(
        !result["records"][0]["outputs"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The bulk update: each item's status as it changes, then the report's
    // lines (the auto-update solution's field names) and the counts.
    let run = env
        .spoke(&[
            "update",
            "--profile",
            "spoke-dev",
            "--drifted",
            "--yes",
            "--format",
            "json",
        ])
        .await;
    run.expect(0);
    let all = lines(&run, "update");
    let result = all.last().unwrap();
    let succeeded = result["summary"]["succeeded"].as_u64().unwrap();
    assert!(succeeded > 0, "{run}");
    let finished: Vec<_> = events(&all, "item_status")
        .into_iter()
        .filter(|e| e["status"] == "SUCCEEDED")
        .collect();
    assert_eq!(finished.len() as u64, succeeded, "{run}");
    let report = result["report"].as_array().unwrap();
    assert_eq!(report.len(), result["items"].as_array().unwrap().len());
    assert!(
        report
            .iter()
            .any(|l| l["UpdateStatus"] == "SUCCEEDED" && l["AccountNo"] == "222233334444")
    );
    assert!(result["batch"].is_string());

    // The journal of all that, as one result.
    let run = env.spoke(&["log", "--format", "json"]).await;
    run.expect(0);
    let result = lines(&run, "log").pop().unwrap();
    let entries = result["entries"].as_array().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["operation"] == "CreatePortfolioShare")
    );
    assert!(entries.iter().any(|e| e["operation"] == "ProvisionProduct"));

    // The rest: plans and reads, each JSON Lines with its own name.
    let out = env.dir.path().join("audit.json");
    let out = out.to_str().unwrap();
    let export = env.dir.path().join("export");
    let export = export.to_str().unwrap();
    let sweep: Vec<(&str, Vec<&str>, i32)> = vec![
        ("accept", vec!["accept", "--profile", "spoke-prod"], 0),
        (
            "unshare",
            vec![
                "unshare",
                "--profile",
                "hub",
                "--portfolio",
                "Data & Analytics",
                "--account",
                PROD,
            ],
            0,
        ),
        (
            "portfolio",
            vec![
                "portfolio",
                "create",
                "--profile",
                "hub",
                "--name",
                "New",
                "--provider",
                "IT",
            ],
            0,
        ),
        (
            "opt-in",
            vec!["opt-in", "--profile", "hub", "--product", "VPC Baseline"],
            0,
        ),
        (
            "principal",
            vec![
                "principal",
                "add",
                "--profile",
                "hub",
                "--portfolio",
                "Data & Analytics",
                "--principal",
                "role/Analyst",
            ],
            0,
        ),
        (
            "version",
            vec![
                "version",
                "deprecate",
                "--profile",
                "hub",
                "--product",
                "VPC Baseline",
                "--version",
                "v2.1",
            ],
            0,
        ),
        (
            "terminate",
            vec![
                "terminate",
                "--profile",
                "spoke-dev",
                "--provisioned",
                "dev-json",
            ],
            0,
        ),
        ("audit", vec!["audit", "--profile", "hub", "--out", out], 0),
        ("export", vec!["export", "--profile", "hub", export], 0),
        (
            "sync",
            vec!["sync", "--profile", "hub", "/nonexistent/folder"],
            2,
        ),
        (
            "update",
            vec![
                "update",
                "--profile",
                "spoke-dev",
                "--provisioned",
                "dev-json",
            ],
            0,
        ),
    ];
    for (command, mut args, code) in sweep {
        args.extend(["--format", "json"]);
        let run = env.spoke(&args).await;
        run.expect(code);
        let last = lines(&run, command).pop().unwrap();
        match code {
            0 => assert_eq!(last["type"], "result", "{command}: {run}"),
            _ => assert_eq!(last["type"], "error", "{command}: {run}"),
        }
    }
}
