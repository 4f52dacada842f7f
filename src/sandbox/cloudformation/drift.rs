//! CloudFormation's drift detection: DetectStackDrift,
//! DescribeStackDriftDetectionStatus and DescribeStackResourceDrifts (what
//! the last completed detection saw). The rules live in `world::drift`.

use serde_json::Value;

use super::{find, invalid_token};
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::paging;
use crate::sandbox::protocol::query::{QueryRequest, Xml};
use crate::sandbox::server::Ctx;
use crate::sandbox::world::World;
use crate::sandbox::world::drift::{self, ResourceDrift};

const RESOURCE_DRIFT_STATUSES: &[&str] = &[
    "IN_SYNC",
    "MODIFIED",
    "DELETED",
    "NOT_CHECKED",
    "UNKNOWN",
    "UNSUPPORTED",
];

/// The members of an awsQuery list (`Name.member.1`, `Name.member.2`, …).
pub(super) fn members<'q>(q: &'q QueryRequest, name: &str) -> Vec<&'q str> {
    (1..)
        .map_while(|i| q.get(&format!("{name}.member.{i}")))
        .collect()
}

fn stack_name(q: &QueryRequest) -> Result<&str, ApiError> {
    q.get("StackName").ok_or_else(|| {
        ApiError::cfn_validation("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null")
    })
}

pub fn detect(world: &mut World, ctx: &Ctx, q: &QueryRequest) -> Result<String, ApiError> {
    let name = stack_name(q)?;
    let stack_id = find(world, ctx, name)?.id.clone();
    let logical: Vec<String> = members(q, "LogicalResourceIds")
        .into_iter()
        .map(str::to_string)
        .collect();
    if logical.len() > 200 {
        return Err(ApiError::cfn_validation(
            "1 validation error detected: Value at 'logicalResourceIds' failed to satisfy constraint: Member must have length less than or equal to 200",
        ));
    }
    let id = world.detect_drift(&stack_id, &logical, ctx.now)?;
    let mut x = Xml::default();
    x.leaf("StackDriftDetectionId", &id);
    Ok(x.finish())
}

pub fn status(world: &World, ctx: &Ctx, q: &QueryRequest) -> Result<String, ApiError> {
    let id = q.get("StackDriftDetectionId").ok_or_else(|| {
        ApiError::cfn_validation("1 validation error detected: Value null at 'stackDriftDetectionId' failed to satisfy constraint: Member must not be null")
    })?;
    let d = world
        .drift_detections
        .get(id)
        .filter(|d| {
            world
                .stacks
                .get(&d.stack_id)
                .is_some_and(|s| s.account == ctx.account && s.region == ctx.region)
        })
        // guess: the wording for an unknown detection id.
        .ok_or_else(|| {
            ApiError::cfn_validation(format!("Drift detection [{id}] does not exist"))
        })?;
    let mut x = Xml::default();
    x.leaf("StackId", &d.stack_id)
        .leaf("StackDriftDetectionId", &d.id);
    if d.is_done(ctx.now) {
        x.leaf("StackDriftStatus", d.stack_status())
            .leaf("DetectionStatus", "DETECTION_COMPLETE")
            .leaf("DriftedStackResourceCount", &d.drifted_count().to_string())
            .time("Timestamp", d.done);
    } else {
        x.leaf("DetectionStatus", "DETECTION_IN_PROGRESS")
            .time("Timestamp", d.started);
    }
    Ok(x.finish())
}

/// A property value as CloudFormation writes it in a PropertyDifference:
/// a string as is, anything else as JSON.
fn value_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        // guess: how an absent value is written.
        None => "null".into(),
    }
}

fn write_drift(x: &mut Xml, stack_id: &str, r: &ResourceDrift, at: crate::sandbox::world::Time) {
    x.open("member");
    x.leaf("StackId", stack_id)
        .leaf("LogicalResourceId", &r.logical_id)
        .leaf("PhysicalResourceId", &r.physical_id)
        .leaf("ResourceType", &r.resource_type);
    x.leaf("ExpectedProperties", &r.expected.to_string());
    if let Some(actual) = &r.actual {
        x.leaf("ActualProperties", &actual.to_string());
    }
    x.open("PropertyDifferences");
    for d in &r.differences {
        x.open("member")
            .leaf("PropertyPath", &d.path)
            .leaf("ExpectedValue", &value_text(d.expected.as_ref()))
            .leaf("ActualValue", &value_text(d.actual.as_ref()))
            .leaf("DifferenceType", d.kind)
            .close("member");
    }
    x.close("PropertyDifferences");
    x.leaf("StackResourceDriftStatus", r.status)
        .time("Timestamp", at);
    x.close("member");
}

pub fn resource_drifts(world: &World, ctx: &Ctx, q: &QueryRequest) -> Result<String, ApiError> {
    let name = stack_name(q)?;
    let stack = find(world, ctx, name)?;
    let filters = members(q, "StackResourceDriftStatusFilters");
    if filters.len() > 4 {
        return Err(ApiError::cfn_validation(
            "1 validation error detected: Value at 'stackResourceDriftStatusFilters' failed to satisfy constraint: Member must have length less than or equal to 4",
        ));
    }
    if let Some(bad) = filters
        .iter()
        .find(|f| !RESOURCE_DRIFT_STATUSES.contains(f))
    {
        return Err(ApiError::cfn_validation(format!(
            "1 validation error detected: Value '[{bad}]' at 'stackResourceDriftStatusFilters' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [{}]]",
            RESOURCE_DRIFT_STATUSES.join(", ")
        )));
    }
    let max = match q.get("MaxResults") {
        None => 100,
        Some(text) => match text.parse::<i64>() {
            Ok(n) if (1..=100).contains(&n) => n as usize,
            Ok(n) if n < 1 => {
                return Err(ApiError::cfn_validation(format!(
                    "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
                )));
            }
            _ => {
                return Err(ApiError::cfn_validation(format!(
                    "1 validation error detected: Value '{text}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"
                )));
            }
        },
    };
    // guess: a stack never checked has no resource drifts to list (an empty list, not an error).
    let (list, at) = match world.last_detection(&stack.id, ctx.now) {
        Some(d) => (drift::sorted(&d.resources), d.done),
        None => (Vec::new(), ctx.now),
    };
    let list: Vec<&ResourceDrift> = list
        .into_iter()
        .filter(|r| filters.is_empty() || filters.contains(&r.status))
        .collect();
    let scope = format!(
        "DescribeStackResourceDrifts/{}/{}",
        stack.id,
        filters.join(",")
    );
    let offset = paging::offset(&scope, q.get("NextToken"), invalid_token)?;
    let (page, next) = paging::page(&scope, &list, offset, max);
    let mut x = Xml::default();
    x.open("StackResourceDrifts");
    for r in page {
        write_drift(&mut x, &stack.id, r, at);
    }
    x.close("StackResourceDrifts");
    x.opt("NextToken", next.as_deref());
    Ok(x.finish())
}
