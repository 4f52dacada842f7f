//! CloudFormation: the state, parameters and events of the stack behind a
//! provisioned product.

use aws_sdk_cloudformation::types::StackEvent as SdkStackEvent;

use super::{MAX_PAGES, Reader, optional, text, time};
use crate::aws::error::AwsError;
use crate::model::{StackDriftStatus, StackEvent};

/// Attempts per page of a stack's events: fewer than other reads, as a
/// follower polls again in two seconds anyway and should say soon that
/// polls fail (the next poll asks from the newest event held, so nothing
/// is lost by giving up early).
pub const POLL_ATTEMPTS: u32 = 3;

/// The state of the stack behind a provisioned product (`DescribeStacks`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackState {
    pub status: String,
    /// Parameter key → value as CloudFormation shows it (NoEcho as `****`).
    pub parameters: Vec<(String, String)>,
    /// Its drift as last checked (`DriftInformation`; none: NOT_CHECKED).
    pub drift: StackDriftStatus,
    /// When its drift was last checked (`LastCheckTimestamp`).
    pub drift_checked: Option<chrono::DateTime<chrono::Utc>>,
}

impl StackState {
    /// A change is running on the stack (`*_IN_PROGRESS`): another
    /// update would be refused.
    pub fn is_busy(&self) -> bool {
        self.status.ends_with("_IN_PROGRESS")
    }
}

impl Reader {
    /// The events of a stack newer than `newest_known` (an event id), oldest
    /// first, ready to append. `DescribeStackEvents` answers newest first,
    /// so pages are read only until the known event shows up: what was
    /// fetched before is never fetched again (past the page it sits on).
    /// With `newest_known` = `None`, the whole history.
    ///
    /// `stack` is the stack id (ARN, the `PhysicalId` of the provisioned
    /// product): a name would find only a live stack of that name.
    pub async fn events_since(
        &self,
        stack: &str,
        newest_known: Option<&str>,
    ) -> Result<Vec<StackEvent>, AwsError> {
        let mut fresh: Vec<StackEvent> = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let out = self
                .cloudformation()
                .describe_stack_events()
                .stack_name(stack)
                .set_next_token(token.take())
                .customize()
                .config_override(
                    aws_sdk_cloudformation::config::Builder::default().retry_config(
                        aws_config::retry::RetryConfig::standard()
                            .with_max_attempts(POLL_ATTEMPTS)
                            .with_max_backoff(crate::aws::session::READ_MAX_BACKOFF),
                    ),
                )
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("cloudformation", "DescribeStackEvents", e)
                })?;
            for e in out.stack_events() {
                if newest_known.is_some() && e.event_id() == newest_known {
                    fresh.reverse();
                    return Ok(fresh);
                }
                if let Some(event) = stack_event(e) {
                    fresh.push(event);
                }
            }
            match out.next_token().filter(|t| !t.is_empty()) {
                Some(next) => token = Some(next.to_string()),
                None => break,
            }
        }
        fresh.reverse();
        Ok(fresh)
    }

    /// The newest events of a stack, oldest first: one page of
    /// `DescribeStackEvents` (up to 100), what a saved snapshot keeps.
    pub async fn recent_events(&self, stack: &str) -> Result<Vec<StackEvent>, AwsError> {
        let out = self
            .cloudformation()
            .describe_stack_events()
            .stack_name(stack)
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("cloudformation", "DescribeStackEvents", e)
            })?;
        let mut events: Vec<StackEvent> =
            out.stack_events().iter().filter_map(stack_event).collect();
        events.reverse();
        Ok(events)
    }

    /// The status and parameters of a stack (`DescribeStacks` by its ARN).
    pub async fn stack_state(&self, stack: &str) -> Result<Option<StackState>, AwsError> {
        let out = match self
            .cloudformation()
            .describe_stacks()
            .stack_name(stack)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                let error = self
                    .session
                    .context
                    .map("cloudformation", "DescribeStacks", e);
                // "Stack with id X does not exist" is a ValidationError.
                if let AwsError::Service { code, message, .. } = &error
                    && code == "ValidationError"
                    && message.contains("does not exist")
                {
                    return Ok(None);
                }
                return Err(error);
            }
        };
        Ok(out.stacks().first().map(|s| StackState {
            status: s
                .stack_status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            parameters: s
                .parameters()
                .iter()
                .filter_map(|p| Some((optional(p.parameter_key())?, text(p.parameter_value()))))
                .collect(),
            drift: StackDriftStatus::parse(
                s.drift_information()
                    .and_then(|d| d.stack_drift_status())
                    .map_or("", |d| d.as_str()),
            ),
            drift_checked: time(s.drift_information().and_then(|d| d.last_check_timestamp())),
        }))
    }
}

impl Reader {
    /// The logical ids of the resources in the template a stack runs or
    /// moves to (`GetTemplate`; CloudFormation answers the template of the
    /// update in progress). `None` when the body is not a template spoke
    /// can read, or the stack is gone.
    pub async fn template_resources(&self, stack: &str) -> Result<Option<Vec<String>>, AwsError> {
        Ok(self
            .stack_template(stack)
            .await?
            .as_deref()
            .and_then(crate::model::template::resource_ids))
    }

    /// The body of the template a stack runs or moves to (`GetTemplate`);
    /// `None` when the stack is gone.
    pub async fn stack_template(&self, stack: &str) -> Result<Option<String>, AwsError> {
        let out = match self
            .cloudformation()
            .get_template()
            .stack_name(stack)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                let error = self.session.context.map("cloudformation", "GetTemplate", e);
                if let AwsError::Service { code, .. } = &error
                    && code == "ValidationError"
                {
                    return Ok(None);
                }
                return Err(error);
            }
        };
        Ok(out.template_body().map(str::to_string))
    }
}

/// Maps an SDK stack event; `None` without an id or a time.
fn stack_event(e: &SdkStackEvent) -> Option<StackEvent> {
    Some(StackEvent {
        event_id: optional(e.event_id())?,
        stack_id: text(e.stack_id()),
        stack_name: text(e.stack_name()),
        logical_id: text(e.logical_resource_id()),
        physical_id: optional(e.physical_resource_id()),
        resource_type: text(e.resource_type()),
        timestamp: time(e.timestamp())?,
        status: e
            .resource_status()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        reason: optional(e.resource_status_reason()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudformation::types::ResourceStatus;

    #[test]
    fn maps_an_event() {
        let e = SdkStackEvent::builder()
            .event_id("ev-1")
            .stack_id("arn:stack")
            .stack_name("SC-1-pp-1")
            .logical_resource_id("Bucket")
            .physical_resource_id("")
            .resource_type("AWS::S3::Bucket")
            .timestamp(aws_smithy_types::DateTime::from_secs(1_700_000_000))
            .resource_status(ResourceStatus::CreateFailed)
            .resource_status_reason("Access Denied")
            .build();
        let m = stack_event(&e).unwrap();
        assert_eq!(m.status, "CREATE_FAILED");
        assert_eq!(m.physical_id, None);
        assert_eq!(m.reason.as_deref(), Some("Access Denied"));
        assert!(stack_event(&SdkStackEvent::builder().event_id("x").build()).is_none());
    }
}
