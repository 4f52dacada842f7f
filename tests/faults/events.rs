//! A stack followed through an outage: polls of its events fail for a
//! while, say so, and catch up without a gap or a repeat when the endpoint
//! answers again.

use std::time::{Duration, Instant};

use spoke::aws::{ProfileSource, Reader, Session};
use spoke::model::StackWatch;
use spoke::sandbox::{Faults, Sandbox, SandboxOptions};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stack_event_polls_fail_for_a_while_then_catch_up_without_gaps_or_repeats() {
    // dev-artifacts runs S3 Bucket v1.0; its update to v2.0 takes about a
    // minute of stack time: at 10x, some seconds of events.
    let sandbox = Sandbox::start(SandboxOptions {
        speed: 10.0,
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    sandbox.write_aws_config(&config).unwrap();
    let source = ProfileSource::generated(config, sandbox.endpoint());
    let session = Session::connect(&source, "spoke-dev", None).await.unwrap();
    let r = Reader::new(&session);
    let pp = r
        .list_provisioned()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "dev-artifacts")
        .unwrap();
    let stack = pp.stack_arn.clone().expect("a stack");
    let target = r
        .list_versions(&pp.product_id)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.name == "v2.0")
        .unwrap();
    let mut watch = StackWatch::new(stack.clone());
    watch.append(r.events_since(&stack, None).await.unwrap());
    let before = watch.events().len();

    crate::common::sc(&sandbox, "spoke-dev")
        .await
        .update_provisioned_product()
        .provisioned_product_id(&pp.id)
        .provisioning_artifact_id(&target.id)
        .update_token(uuid::Uuid::new_v4().to_string())
        .send()
        .await
        .expect("the update starts");

    let started = Instant::now();
    let (mut failed, mut failures_said, mut after_outage) = (0, Vec::new(), None);
    let mut outage: Option<Instant> = None;
    loop {
        assert!(started.elapsed() < Duration::from_secs(90), "never settled");
        // Once the update shows, the endpoint fails every call for 3 s.
        if outage.is_none() && watch.events().len() > before {
            sandbox.set_faults(Faults {
                error_rate: 1.0,
                ..Faults::default()
            });
            outage = Some(Instant::now());
        }
        if outage.is_some_and(|at| at.elapsed() > Duration::from_secs(3))
            && sandbox.faults().error_rate > 0.0
        {
            sandbox.set_faults(Faults::default());
        }
        let newest = watch.newest_event_id().map(str::to_string);
        match r.events_since(&stack, newest.as_deref()).await {
            Ok(fresh) => {
                // Nothing already held comes back.
                assert_eq!(watch.append(fresh.clone()), fresh.len());
                if failed > 0 && after_outage.is_none() {
                    after_outage = Some(fresh.len());
                }
            }
            Err(e) => {
                failed += 1;
                failures_said.push(e.to_string());
            }
        }
        if after_outage.is_some() && watch.is_settled() {
            break;
        }
        tokio::time::sleep(watch.poll_interval() / 10).await;
    }
    eprintln!(
        "{failed} polls failed; the first after the outage brought {} events; {} in all",
        after_outage.unwrap_or(0),
        watch.events().len()
    );
    assert!(failed >= 1, "a poll failed during the outage");
    for said in &failures_said {
        assert!(said.contains("DescribeStackEvents"), "{said}");
    }
    assert!(
        after_outage.unwrap() >= 1,
        "the events of the outage came with the first poll after it"
    );
    // What was gathered through the outage is the whole history, in order.
    let all = r.events_since(&stack, None).await.unwrap();
    let ids = |es: &[spoke::model::StackEvent]| -> Vec<String> {
        es.iter().map(|e| e.event_id.clone()).collect()
    };
    assert_eq!(ids(watch.events()), ids(&all));
    assert_eq!(watch.stack_status(), Some("UPDATE_COMPLETE"));
    sandbox.shutdown().await;
}
