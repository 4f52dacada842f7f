//! CloudFormation resource drift of a provisioned product's stack, for both
//! front ends: [`last`] reads what the last detection saw (no write: for a
//! read-only session, or a run without `--yes`); [`detect`] starts a
//! detection through the [`Writer`] (it changes the stack's drift status in
//! AWS), follows it until it is no longer in progress, and reads the
//! resources' drift it found.

use std::time::{Duration, Instant};

use crate::aws::{AwsError, Reader, StackState, Writer};
use crate::model::{ProvisionedProduct, StackDrift};
use crate::ops::act::ActError;
use crate::ops::act::follow::PATIENCE;

/// How a detection is followed: the first poll after `first`, each wait
/// half as long again as the one before, up to `max`; given up after
/// `deadline` (CloudFormation keeps the detection running: its result is
/// read by the next [`last`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Polling {
    pub first: Duration,
    pub max: Duration,
    pub deadline: Duration,
}

/// A detection of a small stack takes seconds; a large one, minutes.
pub const DETECTION_POLLING: Polling = Polling {
    first: Duration::from_millis(500),
    max: Duration::from_secs(5),
    deadline: Duration::from_secs(15 * 60),
};

/// Why a provisioned product's drift cannot be checked, if it cannot.
fn uncheckable(pp: &ProvisionedProduct) -> Option<String> {
    if !pp.kind.is_empty() && pp.kind != "CFN_STACK" {
        return Some(format!(
            "a {} product has no CloudFormation stack to check",
            pp.kind
        ));
    }
    pp.stack_arn.is_none().then(|| {
        "it has no CloudFormation stack (not a CloudFormation product, or not launched yet)".into()
    })
}

/// The stack's state, or `None` (with the drift that says why) when it is gone.
async fn stack(reader: &Reader, stack: &str) -> Result<Result<StackState, StackDrift>, AwsError> {
    Ok(match reader.stack_state(stack).await? {
        Some(state) => Ok(state),
        None => Err(StackDrift::not_checked(
            Some(stack.to_string()),
            "its stack no longer exists",
        )),
    })
}

/// What the last detection of `pp`'s stack saw, without detecting:
/// `DescribeStacks` (its drift status, last check time) and
/// `DescribeStackResourceDrifts`. A product with no stack is NOT_CHECKED
/// with the reason, not an error.
pub async fn last(reader: &Reader, pp: &ProvisionedProduct) -> Result<StackDrift, AwsError> {
    if let Some(why) = uncheckable(pp) {
        return Ok(StackDrift::not_checked(pp.stack_arn.clone(), why));
    }
    last_of_stack(reader, pp.stack_arn.as_deref().unwrap_or_default()).await
}

/// [`last`] of a stack known by its id.
pub async fn last_of_stack(reader: &Reader, arn: &str) -> Result<StackDrift, AwsError> {
    let state = match stack(reader, arn).await? {
        Ok(state) => state,
        Err(gone) => return Ok(gone),
    };
    read_results(reader, arn, &state, false).await
}

async fn read_results(
    reader: &Reader,
    arn: &str,
    state: &StackState,
    fresh: bool,
) -> Result<StackDrift, AwsError> {
    let resources = if state.drift_checked.is_some() || fresh {
        reader.resource_drifts(arn).await?
    } else {
        // Never checked: CloudFormation has nothing to list.
        Vec::new()
    };
    Ok(StackDrift {
        stack: Some(arn.to_string()),
        status: state.drift.clone(),
        last_checked: state.drift_checked,
        resources,
        fresh,
        note: None,
    })
}

/// Detects the drift of `pp`'s stack (`DetectStackDrift` through `writer`),
/// follows the detection with `reader` until it is no longer in progress,
/// telling `on_started` its id, then reads what it found. A stack
/// CloudFormation will not check now (an operation runs on it) is
/// [`ActError::Declined`], saying what to do.
pub async fn detect(
    writer: &Writer,
    reader: &Reader,
    pp: &ProvisionedProduct,
    polling: Polling,
    on_started: impl FnMut(&str),
) -> Result<StackDrift, ActError> {
    if let Some(why) = uncheckable(pp) {
        return Ok(StackDrift::not_checked(pp.stack_arn.clone(), why));
    }
    let stack = Subject {
        provisioned_id: &pp.id,
        name: &pp.name,
        stack: pp.stack_arn.as_deref().unwrap_or_default(),
    };
    detect_stack(writer, reader, stack, polling, on_started).await
}

/// The stack [`detect_stack`] checks: of which provisioned product.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub provisioned_id: &'a str,
    pub name: &'a str,
    /// The stack's id.
    pub stack: &'a str,
}

/// [`detect`] of a stack known by its id.
pub async fn detect_stack(
    writer: &Writer,
    reader: &Reader,
    subject: Subject<'_>,
    polling: Polling,
    mut on_started: impl FnMut(&str),
) -> Result<StackDrift, ActError> {
    let arn = subject.stack;
    let id = match writer.detect_stack_drift(subject.provisioned_id, arn).await {
        Ok(id) => id,
        Err(crate::aws::WriteError::Aws(AwsError::Service {
            operation,
            status,
            code,
            message,
        })) if code == "ValidationError" => {
            return Err(ActError::Declined(format!(
                "{operation}: HTTP {status} {code}: {message} — CloudFormation checks a stack only when no operation runs on it: wait until {} settles, then detect again",
                subject.name
            )));
        }
        Err(e) => return Err(e.into()),
    };
    on_started(&id);
    let detection = follow(reader, &id, polling).await?;
    if detection.detection == "DETECTION_FAILED"
        && detection.status == crate::model::StackDriftStatus::NotChecked
    {
        // Nothing was checked: say why rather than show NOT_CHECKED alone.
        return Err(ActError::Untracked(format!(
            "drift detection {id} failed: {}",
            detection
                .reason
                .as_deref()
                .unwrap_or("CloudFormation gave no reason")
        )));
    }
    let state = match stack(reader, arn).await? {
        Ok(state) => state,
        Err(gone) => return Ok(gone),
    };
    let mut drift = read_results(reader, arn, &state, true).await?;
    // The detection's own answer is the freshest word on the stack.
    drift.status = detection.status;
    drift.last_checked = detection.at.or(drift.last_checked);
    if let Some(reason) = detection.reason {
        drift.note = Some(reason);
    }
    Ok(drift)
}

/// Polls detection `id` until it is no longer in progress. A poll that
/// fails is tried again (up to [`PATIENCE`] in a row) unless the failure
/// concerns the whole session.
async fn follow(
    reader: &Reader,
    id: &str,
    polling: Polling,
) -> Result<crate::model::DriftDetection, ActError> {
    let start = Instant::now();
    let mut wait = polling.first;
    let mut failures = 0;
    loop {
        tokio::time::sleep(wait).await;
        match reader.drift_detection(id).await {
            Ok(d) if !d.in_progress() => return Ok(d),
            Ok(_) => failures = 0,
            Err(e) if e.is_session_wide() => return Err(e.into()),
            Err(e) => {
                failures += 1;
                tracing::warn!(id, error = %e, failures, "following a drift detection: poll failed");
                if failures >= PATIENCE {
                    return Err(e.into());
                }
            }
        }
        if start.elapsed() >= polling.deadline {
            return Err(ActError::Untracked(format!(
                "drift detection {id} still runs after {} s: its result is read by the next look without --yes",
                polling.deadline.as_secs()
            )));
        }
        wait = (wait * 3 / 2).min(polling.max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_without_a_stack_is_not_checked_and_says_why() {
        let mut pp = crate::tui::fixtures::inventory().provisioned[0].clone();
        assert_eq!(uncheckable(&pp), None, "a CloudFormation stack");
        pp.stack_arn = None;
        assert!(
            uncheckable(&pp).is_some_and(|w| w.contains("no CloudFormation stack")),
            "{:?}",
            uncheckable(&pp)
        );
        pp.kind = "TERRAFORM_OPEN_SOURCE".into();
        assert_eq!(
            uncheckable(&pp).as_deref(),
            Some("a TERRAFORM_OPEN_SOURCE product has no CloudFormation stack to check")
        );
        let drift = StackDrift::not_checked(None, uncheckable(&pp).unwrap());
        assert!(drift.summary().starts_with("NOT_CHECKED: a TERRAFORM"));
    }
}
