//! A stack followed through an outage: polls of its events fail for a
//! while, say so, and catch up without a gap or a repeat when the endpoint
//! answers again.

use std::time::{Duration, Instant};

use spoke::model::StackWatch;
use spoke::sandbox::Faults;

use super::{dev_artifacts, sandboxed, start_update};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stack_event_polls_fail_for_a_while_then_catch_up_without_gaps_or_repeats() {
    // dev-artifacts runs S3 Bucket v1.0; its update to v2.0 takes about a
    // minute of stack time: at 10x, some seconds of events.
    let world = sandboxed(10.0, Faults::default()).await;
    let sandbox = &world.sandbox;
    let r = world.reader("spoke-dev").await;
    let (pp, target) = dev_artifacts(&r).await;
    let stack = pp.stack_arn.clone().expect("a stack");
    let mut watch = StackWatch::new(stack.clone());
    watch.append(r.events_since(&stack, None).await.unwrap());
    let before = watch.events().len();

    start_update(sandbox, &pp.id, &target.id).await;

    let started = Instant::now();
    let (mut failed, mut failures_said, mut after_outage) = (0, Vec::new(), None);
    let mut outage: Option<Instant> = None;
    loop {
        assert!(started.elapsed() < Duration::from_secs(90), "never settled");
        // Once the update shows, the endpoint fails every call for 3 s, and
        // for as many polls as open the breaker: polls catch up all the same.
        if outage.is_none() && watch.events().len() > before {
            sandbox.set_faults(Faults {
                error_rate: 1.0,
                ..Faults::default()
            });
            outage = Some(Instant::now());
        }
        if outage.is_some_and(|at| at.elapsed() > Duration::from_secs(3))
            && failed > spoke::aws::breaker::OPEN_AFTER
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
}
