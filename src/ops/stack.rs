//! Following a stack: its new events, and the template's resources when
//! an operation starts (what is still pending before CloudFormation
//! reaches it).

use crate::aws::{AwsError, Reader};
use crate::model::StackEvent;

/// One poll of a stack.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Polled {
    /// Newer than the event asked from, oldest first.
    pub events: Vec<StackEvent>,
    /// The logical ids of the template the stack runs or moves to: read on
    /// the first poll and when an operation starts, else `None`. A template
    /// that could not be read is `None` too (the call log has why): the
    /// count of pending resources then covers only those known from events.
    pub template: Option<Vec<String>>,
}

impl From<Vec<StackEvent>> for Polled {
    fn from(events: Vec<StackEvent>) -> Self {
        Self {
            events,
            template: None,
        }
    }
}

/// The events of `stack` newer than `since` (all with `None`).
pub async fn poll(reader: &Reader, stack: &str, since: Option<&str>) -> Result<Polled, AwsError> {
    let events = reader.events_since(stack, since).await?;
    let starts = since.is_none() || events.iter().any(StackEvent::starts_operation);
    let template = if starts {
        match reader.template_resources(stack).await {
            Ok(ids) => ids,
            Err(e) => {
                tracing::debug!(stack, error = %e, "the stack's template could not be read");
                None
            }
        }
    } else {
        None
    };
    Ok(Polled { events, template })
}
