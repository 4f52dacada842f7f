//! Resource drift: what CloudFormation expects of each stack resource (a
//! small realistic property set derived from its type and the stack's
//! parameters), what it actually is (the same, unless changed outside
//! CloudFormation: the world's `resource_drift`, or the drift fault), and
//! drift detections (DetectStackDrift), which take a few sandbox seconds
//! and keep what they saw.

use std::collections::BTreeMap;

use chrono::Duration;
use serde_json::{Value, json};

use super::stacks::{Stack, StackResource};
use super::{Time, World};
use crate::sandbox::error::ApiError;

/// Sandbox seconds a drift detection takes.
pub const DETECTION_SECONDS: i64 = 3;

/// A resource changed outside CloudFormation: properties set to other
/// values (`None`: removed), or the resource deleted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutOfBand {
    /// JSON pointer (`/VersioningConfiguration/Status`) → actual value.
    pub properties: Vec<(String, Option<Value>)>,
    pub deleted: bool,
}

/// One property that differs (CloudFormation's PropertyDifference).
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub path: String,
    pub expected: Option<Value>,
    pub actual: Option<Value>,
    /// ADD, REMOVE or NOT_EQUAL.
    pub kind: &'static str,
}

/// What a detection saw of one resource.
#[derive(Debug, Clone)]
pub struct ResourceDrift {
    pub logical_id: String,
    pub physical_id: String,
    pub resource_type: String,
    pub expected: Value,
    /// None when the resource was deleted (or not checked).
    pub actual: Option<Value>,
    pub differences: Vec<Difference>,
    /// IN_SYNC, MODIFIED, DELETED or NOT_CHECKED.
    pub status: &'static str,
}

#[derive(Debug, Clone)]
pub struct Detection {
    pub id: String,
    pub stack_id: String,
    pub started: Time,
    pub done: Time,
    pub resources: Vec<ResourceDrift>,
}

impl Detection {
    pub fn is_done(&self, now: Time) -> bool {
        now >= self.done
    }
    pub fn drifted_count(&self) -> usize {
        self.resources
            .iter()
            .filter(|r| matches!(r.status, "MODIFIED" | "DELETED"))
            .count()
    }
    /// DRIFTED or IN_SYNC.
    pub fn stack_status(&self) -> &'static str {
        if self.drifted_count() > 0 {
            "DRIFTED"
        } else {
            "IN_SYNC"
        }
    }
}

/// Types whose drift CloudFormation does not detect: reported NOT_CHECKED.
// guess: a few of the types absent from AWS's list of those that support drift detection.
const UNSUPPORTED: &[&str] = &[
    "AWS::Chatbot::SlackChannelConfiguration",
    "AWS::LakeFormation::PrincipalPermissions",
];

fn param<'p>(params: &'p [(String, String)], key: &str, default: &'p str) -> &'p str {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
        .unwrap_or(default)
}

fn number(s: &str, default: i64) -> Value {
    json!(s.parse::<i64>().unwrap_or(default))
}

/// The properties CloudFormation expects of a resource: what its template
/// sets, from the stack's parameter values.
pub fn expected_properties(stack: &Stack, r: &StackResource) -> Value {
    let p = &stack.parameters;
    let pid = r.physical_id.as_str();
    let short = pid.rsplit(':').next().unwrap_or(pid);
    match r.resource_type.as_str() {
        "AWS::S3::Bucket" => json!({
            "BucketName": pid,
            "VersioningConfiguration": { "Status": param(p, "Versioning", "Enabled") },
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": true, "BlockPublicPolicy": true,
                "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
            },
        }),
        "AWS::SQS::Queue" => json!({
            "QueueName": short,
            "VisibilityTimeout": number(param(p, "VisibilityTimeout", "30"), 30),
            "MessageRetentionPeriod": 345600,
        }),
        "AWS::SNS::Topic" => json!({
            "TopicName": short,
            "DisplayName": param(p, "TopicDisplayName", "Alerts"),
        }),
        "AWS::DynamoDB::Table" => json!({
            "TableName": pid,
            "BillingMode": param(p, "BillingMode", "PAY_PER_REQUEST"),
            "PointInTimeRecoverySpecification": {
                "PointInTimeRecoveryEnabled": param(p, "PointInTimeRecovery", "true") == "true",
            },
        }),
        "AWS::ECS::Service" => json!({
            "ServiceName": pid,
            "LaunchType": "FARGATE",
            "DesiredCount": number(param(p, "DesiredCount", "2"), 2),
        }),
        "AWS::Logs::LogGroup" => json!({
            "LogGroupName": pid,
            "RetentionInDays": 30,
        }),
        "AWS::RDS::DBInstance" => json!({
            "DBInstanceIdentifier": pid,
            "Engine": "postgres",
            "DBInstanceClass": param(p, "DBInstanceClass", "db.t4g.medium"),
            "AllocatedStorage": param(p, "AllocatedStorage", "50"),
            "MultiAZ": param(p, "MultiAZ", "false") == "true",
            "DeletionProtection": param(p, "DeletionProtection", "true") == "true",
        }),
        "AWS::EC2::SecurityGroup" => json!({
            "GroupDescription": format!("{} of {}", r.logical_id, stack.name),
            "SecurityGroupIngress": [{
                "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                "CidrIp": param(p, "AllowedCidr", "10.0.0.0/8"),
            }],
        }),
        "AWS::IAM::Role" => json!({
            "RoleName": pid,
            "MaxSessionDuration": 3600,
        }),
        _ => json!({}),
    }
}

/// The property a drift fault changes on a resource of this type, and to what.
pub fn fault_change(resource_type: &str) -> Option<(&'static str, Value)> {
    Some(match resource_type {
        "AWS::S3::Bucket" => ("/VersioningConfiguration/Status", json!("Suspended")),
        "AWS::SQS::Queue" => ("/VisibilityTimeout", json!(120)),
        "AWS::SNS::Topic" => ("/DisplayName", json!("changed by hand")),
        "AWS::DynamoDB::Table" => ("/BillingMode", json!("PROVISIONED")),
        "AWS::ECS::Service" => ("/DesiredCount", json!(0)),
        "AWS::Logs::LogGroup" => ("/RetentionInDays", json!(7)),
        "AWS::RDS::DBInstance" => ("/DBInstanceClass", json!("db.t3.micro")),
        "AWS::EC2::SecurityGroup" => ("/SecurityGroupIngress/0/CidrIp", json!("0.0.0.0/0")),
        "AWS::IAM::Role" => ("/MaxSessionDuration", json!(43200)),
        _ => return None,
    })
}

/// Sets (or, with None, removes) the value at a JSON pointer, making the
/// objects on the way.
fn set_at(doc: &mut Value, path: &str, value: Option<Value>) {
    let parts: Vec<String> = path
        .split('/')
        .skip(1)
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect();
    let Some((last, upto)) = parts.split_last() else {
        return;
    };
    let mut at = doc;
    for part in upto {
        at = match at {
            Value::Array(items) => {
                match part.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(v) => v,
                    None => return,
                }
            }
            Value::Object(map) => map.entry(part.clone()).or_insert_with(|| json!({})),
            _ => return,
        };
    }
    match (at, value) {
        (Value::Object(map), Some(v)) => {
            map.insert(last.clone(), v);
        }
        (Value::Object(map), None) => {
            map.remove(last);
        }
        (Value::Array(items), v) => {
            if let Some(slot) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *slot = v.unwrap_or(Value::Null);
            }
        }
        _ => {}
    }
}

/// What a detection sees of one resource now.
pub fn check(stack: &Stack, r: &StackResource) -> ResourceDrift {
    let expected = expected_properties(stack, r);
    let mut out = ResourceDrift {
        logical_id: r.logical_id.clone(),
        physical_id: r.physical_id.clone(),
        resource_type: r.resource_type.clone(),
        expected: expected.clone(),
        actual: Some(expected.clone()),
        differences: Vec::new(),
        status: "IN_SYNC",
    };
    if UNSUPPORTED.contains(&r.resource_type.as_str()) {
        out.actual = None;
        out.status = "NOT_CHECKED";
        return out;
    }
    let Some(oob) = stack.out_of_band.get(&r.logical_id) else {
        return out;
    };
    if oob.deleted {
        out.actual = None;
        out.status = "DELETED";
        return out;
    }
    let mut actual = expected.clone();
    for (path, value) in &oob.properties {
        set_at(&mut actual, path, value.clone());
        let was = expected.pointer(path).cloned();
        let kind = match (&was, value) {
            (None, Some(_)) => "ADD",
            (Some(_), None) => "REMOVE",
            (Some(a), Some(b)) if a != b => "NOT_EQUAL",
            _ => continue,
        };
        out.differences.push(Difference {
            path: path.clone(),
            expected: was,
            actual: value.clone(),
            kind,
        });
    }
    if !out.differences.is_empty() {
        out.status = "MODIFIED";
    }
    out.actual = Some(actual);
    out
}

impl World {
    /// DetectStackDrift: a detection of the stack's resources (or the
    /// named ones), complete `DETECTION_SECONDS` later.
    pub fn detect_drift(
        &mut self,
        stack_id: &str,
        logical_ids: &[String],
        now: Time,
    ) -> Result<String, ApiError> {
        let stack = self.stacks.get(stack_id).ok_or_else(|| {
            ApiError::cfn_validation(format!("Stack with id {stack_id} does not exist"))
        })?;
        if stack.is_busy()
            || stack.status == "DELETE_COMPLETE"
            || stack.status == "REVIEW_IN_PROGRESS"
        {
            // guess: the wording of CloudFormation's refusal.
            return Err(ApiError::cfn_validation(format!(
                "Drift detection is not supported for stack [{}] in {} state",
                stack.name, stack.status
            )));
        }
        if let Some(unknown) = logical_ids
            .iter()
            .find(|l| !stack.resources.contains_key(l.as_str()))
        {
            // guess: the wording for a logical id the stack does not have.
            return Err(ApiError::cfn_validation(format!(
                "Resource [{unknown}] does not exist in stack [{}]",
                stack.name
            )));
        }
        let order: Vec<String> = match &stack.template {
            Some(t) => t.resources.iter().map(|r| r.logical_id.clone()).collect(),
            None => Vec::new(),
        };
        let mut resources: Vec<&StackResource> = stack
            .resources
            .values()
            .filter(|r| logical_ids.is_empty() || logical_ids.contains(&r.logical_id))
            .collect();
        resources.sort_by_key(|r| {
            order
                .iter()
                .position(|l| *l == r.logical_id)
                .unwrap_or(usize::MAX)
        });
        let seen: Vec<ResourceDrift> = resources.into_iter().map(|r| check(stack, r)).collect();
        let id = self.ids.uuid();
        self.drift_detections.insert(
            id.clone(),
            Detection {
                id: id.clone(),
                stack_id: stack_id.to_string(),
                started: now,
                done: now + Duration::seconds(DETECTION_SECONDS),
                resources: seen,
            },
        );
        Ok(id)
    }

    /// The stack's last completed detection, if any.
    pub fn last_detection(&self, stack_id: &str, now: Time) -> Option<&Detection> {
        self.drift_detections
            .values()
            .filter(|d| d.stack_id == stack_id && d.is_done(now))
            .max_by_key(|d| d.done)
    }

    /// The drift fault: a property of a resource of each named provisioned
    /// product's stack (by name or id) is changed outside CloudFormation,
    /// the first resource of its template that has one to change.
    pub fn drift_outside(&mut self, names: &[String]) {
        let stacks: Vec<String> = self
            .provisioned
            .values()
            .filter(|p| names.iter().any(|n| *n == p.name || *n == p.id))
            .map(|p| p.stack_id.clone())
            .collect();
        for stack_id in stacks {
            let Some(stack) = self.stacks.get_mut(&stack_id) else {
                continue;
            };
            if stack.is_busy() {
                continue;
            }
            let order: Vec<String> = stack
                .template
                .as_ref()
                .map(|t| t.resources.iter().map(|r| r.logical_id.clone()).collect())
                .unwrap_or_default();
            let target = order.iter().find_map(|l| {
                let r = stack.resources.get(l)?;
                fault_change(&r.resource_type).map(|(path, v)| (l.clone(), path, v))
            });
            let Some((logical, path, value)) = target else {
                continue;
            };
            let entry = stack.out_of_band.entry(logical).or_default();
            if !entry.properties.iter().any(|(p, _)| p == path) {
                entry.properties.push((path.to_string(), Some(value)));
            }
        }
    }
}

/// Resource drifts in CloudFormation's order: by logical id.
pub fn sorted(list: &[ResourceDrift]) -> Vec<&ResourceDrift> {
    let mut v: Vec<&ResourceDrift> = list.iter().collect();
    v.sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
    v
}

/// The drift each resource of a stack was last seen in (DescribeStackResources).
pub fn resource_statuses(d: Option<&Detection>) -> BTreeMap<String, (&'static str, Time)> {
    d.map(|d| {
        d.resources
            .iter()
            .map(|r| (r.logical_id.clone(), (r.status, d.done)))
            .collect()
    })
    .unwrap_or_default()
}
