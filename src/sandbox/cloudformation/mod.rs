//! CloudFormation over awsQuery: the stacks Service Catalog drives, their
//! events (newest first, paginated) and resources.

mod drift;

use super::error::ApiError;
use super::protocol::paging;
use super::protocol::query::{QueryRequest, Xml};
use super::server::Ctx;
use super::world::template_file;
use super::world::{Stack, Template, World};

pub const NAMESPACE: &str = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
const EVENTS_PAGE: usize = 100;
const STACKS_PAGE: usize = 100;

pub fn handle(
    world: &mut World,
    ctx: &Ctx,
    action: &str,
    q: &QueryRequest,
) -> Result<String, ApiError> {
    match action {
        "DescribeStacks" => describe_stacks(world, ctx, q),
        "DescribeStackEvents" => describe_stack_events(world, ctx, q),
        "DescribeStackResources" => describe_stack_resources(world, ctx, q),
        "GetTemplate" => get_template(world, ctx, q),
        "DetectStackDrift" => drift::detect(world, ctx, q),
        "DescribeStackDriftDetectionStatus" => drift::status(world, ctx, q),
        "DescribeStackResourceDrifts" => drift::resource_drifts(world, ctx, q),
        "ValidateTemplate" => validate_template(world, ctx, q),
        other => Err(ApiError::new(
            400,
            "InvalidAction",
            format!("Could not find operation {other} for version 2010-05-15"),
        )),
    }
}

fn not_found(name: &str) -> ApiError {
    ApiError::cfn_validation(format!("Stack with id {name} does not exist"))
}

fn invalid_token() -> ApiError {
    ApiError::cfn_validation("Invalid NextToken")
}

/// A stack by name (the live one: a deleted stack is known only by its
/// id, as in CloudFormation) or by id (ARN), in the caller's account and region.
fn find<'w>(world: &'w World, ctx: &Ctx, name: &str) -> Result<&'w Stack, ApiError> {
    world
        .stacks
        .values()
        .find(|s| {
            s.account == ctx.account
                && s.region == ctx.region
                && (s.id == name || (s.name == name && s.status != "DELETE_COMPLETE"))
        })
        .ok_or_else(|| not_found(name))
}

fn stack_tags(world: &World, s: &Stack) -> Vec<(String, String)> {
    let Some(pp) = world.provisioned.values().find(|p| p.stack_id == s.id) else {
        return Vec::new();
    };
    let mut tags: Vec<(String, String)> = pp.tags.clone();
    if let Some(product) = world.products.get(&pp.product_id) {
        tags.push(("aws:servicecatalog:productArn".into(), product.arn()));
    }
    if let Some(portfolio) = world.portfolio_for_path(&pp.path_id) {
        tags.push(("aws:servicecatalog:portfolioArn".into(), portfolio.arn()));
    }
    tags.push(("aws:servicecatalog:provisionedProductArn".into(), pp.arn()));
    tags.push((
        "aws:servicecatalog:provisioningArtifactIdentifier".into(),
        pp.artifact_id.clone(),
    ));
    tags.push((
        "aws:servicecatalog:provisioningPrincipalArn".into(),
        pp.user_arn.clone(),
    ));
    tags
}

/// Keys of the NoEcho parameters of the template the stack runs.
fn no_echo_keys(world: &World, s: &Stack) -> Vec<String> {
    let Some(pp) = world.provisioned.values().find(|p| p.stack_id == s.id) else {
        return Vec::new();
    };
    let version = world
        .products
        .get(&pp.product_id)
        .and_then(|p| p.version(&pp.artifact_id));
    version
        .map(|v| {
            v.template
                .parameters
                .iter()
                .filter(|p| p.no_echo)
                .map(|p| p.key.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn write_stack(x: &mut Xml, world: &World, ctx: &Ctx, s: &Stack) {
    x.open("member");
    x.leaf("StackId", &s.id).leaf("StackName", &s.name);
    if !s.description.is_empty() {
        x.leaf("Description", &s.description);
    }
    x.open("Parameters");
    let no_echo = no_echo_keys(world, s);
    for (k, v) in &s.parameters {
        // CloudFormation never returns the value of a NoEcho parameter.
        let shown = if no_echo.contains(k) {
            "****"
        } else {
            v.as_str()
        };
        x.open("member")
            .leaf("ParameterKey", k)
            .leaf("ParameterValue", shown)
            .close("member");
    }
    x.close("Parameters");
    x.time("CreationTime", s.created);
    if let Some(u) = s.updated {
        x.time("LastUpdatedTime", u);
    }
    x.leaf("StackStatus", &s.status)
        .opt("StackStatusReason", s.status_reason.as_deref());
    x.leaf("DisableRollback", "false");
    x.open("NotificationARNs").close("NotificationARNs");
    x.open("Capabilities")
        .leaf("member", "CAPABILITY_NAMED_IAM")
        .close("Capabilities");
    x.open("Outputs");
    for (k, v, d) in &s.outputs {
        x.open("member").leaf("OutputKey", k).leaf("OutputValue", v);
        if !d.is_empty() {
            x.leaf("Description", d);
        }
        x.close("member");
    }
    x.close("Outputs");
    x.open("Tags");
    for (k, v) in stack_tags(world, s) {
        x.open("member")
            .leaf("Key", &k)
            .leaf("Value", &v)
            .close("member");
    }
    x.close("Tags");
    x.leaf("EnableTerminationProtection", "false");
    x.open("DriftInformation");
    match world.last_detection(&s.id, ctx.now) {
        Some(d) => {
            x.leaf("StackDriftStatus", d.stack_status())
                .time("LastCheckTimestamp", d.done);
        }
        None => {
            x.leaf("StackDriftStatus", "NOT_CHECKED");
        }
    }
    x.close("DriftInformation");
    x.close("member");
}

fn describe_stacks(world: &World, ctx: &Ctx, q: &QueryRequest) -> Result<String, ApiError> {
    let mut x = Xml::default();
    let next;
    x.open("Stacks");
    if let Some(name) = q.get("StackName") {
        write_stack(&mut x, world, ctx, find(world, ctx, name)?);
        next = None;
    } else {
        let stacks: Vec<&Stack> = world
            .stacks
            .values()
            .filter(|s| {
                s.account == ctx.account && s.region == ctx.region && s.status != "DELETE_COMPLETE"
            })
            .collect();
        let offset = paging::offset("DescribeStacks", q.get("NextToken"), invalid_token)?;
        let (page, n) = paging::page("DescribeStacks", &stacks, offset, STACKS_PAGE);
        for s in page {
            write_stack(&mut x, world, ctx, s);
        }
        next = n;
    }
    x.close("Stacks");
    x.opt("NextToken", next.as_deref());
    Ok(x.finish())
}

fn describe_stack_events(world: &World, ctx: &Ctx, q: &QueryRequest) -> Result<String, ApiError> {
    let name = q.get("StackName").ok_or_else(|| {
        ApiError::cfn_validation("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null")
    })?;
    let s = find(world, ctx, name)?;
    let newest_first: Vec<_> = s.events.iter().rev().collect();
    let op = format!("DescribeStackEvents/{}", s.id);
    let offset = paging::offset(&op, q.get("NextToken"), invalid_token)?;
    let (page, next) = paging::page(&op, &newest_first, offset, EVENTS_PAGE);
    let mut x = Xml::default();
    x.open("StackEvents");
    for e in page {
        x.open("member");
        x.leaf("StackId", &s.id)
            .leaf("EventId", &e.event_id)
            .leaf("StackName", &s.name);
        x.leaf("LogicalResourceId", &e.logical_id)
            .leaf("PhysicalResourceId", &e.physical_id);
        x.leaf("ResourceType", &e.resource_type)
            .time("Timestamp", e.timestamp);
        x.leaf("ResourceStatus", &e.status)
            .opt("ResourceStatusReason", e.reason.as_deref());
        x.close("member");
    }
    x.close("StackEvents");
    x.opt("NextToken", next.as_deref());
    Ok(x.finish())
}

fn describe_stack_resources(
    world: &World,
    ctx: &Ctx,
    q: &QueryRequest,
) -> Result<String, ApiError> {
    let s = match (q.get("StackName"), q.get("PhysicalResourceId")) {
        (Some(name), _) => find(world, ctx, name)?,
        (None, Some(pid)) => world
            .stacks
            .values()
            .find(|s| {
                s.account == ctx.account
                    && s.region == ctx.region
                    && s.resources.values().any(|r| r.physical_id == pid)
            })
            .ok_or_else(|| ApiError::cfn_validation(format!("Stack for {pid} does not exist")))?,
        (None, None) => {
            return Err(ApiError::cfn_validation(
                "Either StackName or PhysicalResourceId must be specified.",
            ));
        }
    };
    let logical = q.get("LogicalResourceId");
    let drifts = super::world::drift::resource_statuses(world.last_detection(&s.id, ctx.now));
    let mut x = Xml::default();
    x.open("StackResources");
    for r in s
        .resources
        .values()
        .filter(|r| logical.is_none_or(|l| l == r.logical_id))
    {
        x.open("member");
        x.leaf("StackName", &s.name)
            .leaf("StackId", &s.id)
            .leaf("LogicalResourceId", &r.logical_id);
        x.leaf("PhysicalResourceId", &r.physical_id)
            .leaf("ResourceType", &r.resource_type);
        x.time("Timestamp", r.updated)
            .leaf("ResourceStatus", &r.status)
            .opt("ResourceStatusReason", r.reason.as_deref());
        x.open("DriftInformation");
        match drifts.get(&r.logical_id) {
            Some((status, at)) => {
                x.leaf("StackResourceDriftStatus", status)
                    .time("LastCheckTimestamp", *at);
            }
            None => {
                x.leaf("StackResourceDriftStatus", "NOT_CHECKED");
            }
        }
        x.close("DriftInformation");
        x.close("member");
    }
    x.close("StackResources");
    Ok(x.finish())
}

/// `GetTemplate`: the template of the stack's last deployment, as JSON
/// (what CloudFormation answers for a stack created from a JSON template;
/// the sandbox keeps none in YAML). A stack is found by name while it
/// runs, by id after it was deleted; a change set is not kept.
fn get_template(world: &World, ctx: &Ctx, q: &QueryRequest) -> Result<String, ApiError> {
    if let Some(change_set) = q.get("ChangeSetName") {
        return Err(ApiError::new(
            404,
            "ChangeSetNotFound",
            // guess: the message text.
            format!("ChangeSet [{change_set}] does not exist"),
        ));
    }
    let name = q.get("StackName").ok_or_else(|| {
        ApiError::cfn_validation("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null")
    })?;
    let s = find(world, ctx, name)?;
    // guess: a stack never deployed (REVIEW_IN_PROGRESS) has no template.
    let template = s.template.as_ref().ok_or_else(|| not_found(name))?;
    let mut x = Xml::default();
    x.leaf("TemplateBody", &template_body(s, template));
    x.open("StagesAvailable")
        .leaf("member", "Original")
        .leaf("member", "Processed")
        .close("StagesAvailable");
    Ok(x.finish())
}

fn template_body(s: &Stack, t: &Template) -> String {
    t.to_json(&s.description)
}

/// The largest `TemplateBody` CloudFormation takes.
const MAX_TEMPLATE_BODY: usize = 51_200;

/// `ValidateTemplate`: a template by `TemplateBody` or `TemplateURL` (one
/// of the two), its parameters, description, the capabilities it needs
/// and its transforms; a template that does not parse is a `ValidationError`.
fn validate_template(world: &World, ctx: &Ctx, q: &QueryRequest) -> Result<String, ApiError> {
    let bytes = match (q.get("TemplateBody"), q.get("TemplateURL")) {
        (Some(_), Some(_)) => {
            return Err(ApiError::cfn_validation(
                "You cannot specify both Template URL and Template Body.",
            ));
        }
        (None, None) => {
            return Err(ApiError::cfn_validation(
                "Either Template URL or Template Body must be specified.",
            ));
        }
        (Some(body), None) => {
            if body.len() > MAX_TEMPLATE_BODY {
                // guess: the wording of the request layer's length check.
                return Err(ApiError::cfn_validation(format!(
                    "1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to {MAX_TEMPLATE_BODY}"
                )));
            }
            body.as_bytes().to_vec()
        }
        (None, Some(url)) => world.template_from_url(url, &ctx.region)?.1,
    };
    let file = template_file::parse_file(&bytes).map_err(ApiError::cfn_validation)?;
    let mut x = Xml::default();
    x.open("Parameters");
    for p in &file.template.parameters {
        x.open("member").leaf("ParameterKey", &p.key);
        x.opt("DefaultValue", p.default.as_deref());
        x.leaf("NoEcho", if p.no_echo { "true" } else { "false" });
        if !p.description.is_empty() {
            x.leaf("Description", &p.description);
        }
        x.close("member");
    }
    x.close("Parameters");
    x.opt("Description", file.description.as_deref());
    x.open("Capabilities");
    for c in &file.capabilities {
        x.leaf("member", c);
    }
    x.close("Capabilities");
    x.opt("CapabilitiesReason", file.capabilities_reason.as_deref());
    x.open("DeclaredTransforms");
    for t in &file.transforms {
        x.leaf("member", t);
    }
    x.close("DeclaredTransforms");
    Ok(x.finish())
}
