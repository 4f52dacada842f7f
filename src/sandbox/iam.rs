//! IAM over awsQuery: GetRole, for the roles the world declares in each
//! account (the ones other accounts may assume, the launch roles Service
//! Catalog assumes, and OrganizationAccountAccessRole in member accounts).
//! IAM is global: a role is looked up in the caller's account, whatever
//! region the request was signed for.

use super::error::ApiError;
use super::protocol::query::{QueryRequest, Xml};
use super::server::Ctx;
use super::world::World;
use super::world::ids::stable_hash;

pub const NAMESPACE: &str = "https://iam.amazonaws.com/doc/2010-05-08/";

pub fn handle(
    world: &World,
    ctx: &Ctx,
    action: &str,
    q: &QueryRequest,
) -> Result<String, ApiError> {
    match action {
        "GetRole" => get_role(world, ctx, q),
        other => Err(ApiError::new(
            400,
            "InvalidAction",
            format!("Could not find operation {other} for version 2010-05-08"),
        )),
    }
}

/// `roleNameType`: 1 to 64 characters of `[\w+=,.@-]`.
fn check_role_name(name: &str) -> Result<(), ApiError> {
    let len = name.chars().count();
    let valid = (1..=64).contains(&len)
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    if valid {
        return Ok(());
    }
    Err(ApiError::new(
        400,
        "ValidationError",
        format!(
            "1 validation error detected: Value '{name}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
        ),
    ))
}

fn get_role(world: &World, ctx: &Ctx, q: &QueryRequest) -> Result<String, ApiError> {
    let name = q.get("RoleName").ok_or_else(|| {
        ApiError::new(
            400,
            "ValidationError",
            "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null",
        )
    })?;
    check_role_name(name)?;
    // IAM role names are unique case-insensitively.
    let role = world
        .accounts
        .get(&ctx.account)
        .and_then(|a| a.roles.iter().find(|r| r.name.eq_ignore_ascii_case(name)))
        .cloned()
        .or_else(|| world.role(&ctx.account, name))
        .ok_or_else(|| {
            ApiError::new(
                404,
                "NoSuchEntity",
                format!("The role with name {name} cannot be found."),
            )
        })?;
    let created = world
        .accounts
        .get(&ctx.account)
        .map_or(ctx.now, |a| a.joined);
    let mut x = Xml::default();
    x.open("Role")
        .leaf("Path", "/")
        .leaf("RoleName", &role.name)
        .leaf(
            "RoleId",
            &format!("AROA{:016X}", stable_hash(&[&ctx.account, &role.name])),
        )
        .leaf(
            "Arn",
            &format!("arn:aws:iam::{}:role/{}", ctx.account, role.name),
        )
        // guess: the world does not say when a role was made; it is as old as the account.
        .time("CreateDate", created)
        .leaf("AssumeRolePolicyDocument", &trust_policy(&role))
        .leaf("MaxSessionDuration", &role.max_session_seconds.to_string())
        .close("Role");
    Ok(x.finish())
}

/// The role's trust policy, URL-encoded as IAM returns it (RFC 3986).
fn trust_policy(role: &super::world::Role) -> String {
    let mut statements = Vec::new();
    if !role.trusted.is_empty() {
        let arns: Vec<String> = role
            .trusted
            .iter()
            .map(|a| format!("arn:aws:iam::{a}:root"))
            .collect();
        statements.push(serde_json::json!({
            "Effect": "Allow",
            "Principal": { "AWS": arns },
            "Action": "sts:AssumeRole",
        }));
    }
    if !role.services.is_empty() {
        statements.push(serde_json::json!({
            "Effect": "Allow",
            "Principal": { "Service": role.services },
            "Action": "sts:AssumeRole",
        }));
    }
    let doc = serde_json::json!({ "Version": "2012-10-17", "Statement": statements }).to_string();
    form_urlencoded::byte_serialize(doc.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
