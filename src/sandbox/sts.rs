//! STS over awsQuery: GetCallerIdentity, and AssumeRole issuing temporary
//! credentials the sandbox then accepts as the role's account.

use super::error::ApiError;
use super::faults::FaultPlan;
use super::protocol::query::{QueryRequest, Xml};
use super::server::Ctx;
use super::world::World;
use super::world::identity::{AssumeRole, parse_role_arn};

pub const NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

const DEFAULT_DURATION_SECONDS: i64 = 3600;

pub fn handle(
    world: &mut World,
    ctx: &Ctx,
    faults: &FaultPlan,
    action: &str,
    q: &QueryRequest,
) -> Result<String, ApiError> {
    match action {
        "GetCallerIdentity" => {
            let mut x = Xml::default();
            x.leaf("Arn", &ctx.caller_arn)
                .leaf("UserId", &ctx.user_id)
                .leaf("Account", &ctx.account);
            Ok(x.finish())
        }
        "AssumeRole" => assume_role(world, ctx, faults, q),
        other => Err(ApiError::new(
            400,
            "InvalidAction",
            format!("Could not find operation {other} for version 2011-06-15"),
        )),
    }
}

fn validation(member: &str, value: &str, constraint: &str) -> ApiError {
    ApiError::new(
        400,
        "ValidationError",
        format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
        ),
    )
}

fn required<'q>(q: &'q QueryRequest, key: &str, member: &str) -> Result<&'q str, ApiError> {
    q.get(key).ok_or_else(|| {
        ApiError::new(
            400,
            "ValidationError",
            format!(
                "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
            ),
        )
    })
}

/// `roleSessionNameType`: 2 to 64 characters of `[\w+=,.@-]`.
fn check_session_name(name: &str) -> Result<(), ApiError> {
    let len = name.chars().count();
    if len < 2 {
        return Err(validation(
            "roleSessionName",
            name,
            "Member must have length greater than or equal to 2",
        ));
    }
    if len > 64 {
        return Err(validation(
            "roleSessionName",
            name,
            "Member must have length less than or equal to 64",
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
    {
        return Err(validation(
            "roleSessionName",
            name,
            r"Member must satisfy regular expression pattern: [\w+=,.@-]*",
        ));
    }
    Ok(())
}

/// `roleDurationSecondsType`: 900 to 43200; 3600 when absent.
fn duration(q: &QueryRequest) -> Result<i64, ApiError> {
    let Some(text) = q.get("DurationSeconds") else {
        return Ok(DEFAULT_DURATION_SECONDS);
    };
    let n: i64 = text.parse().map_err(|_| {
        validation(
            "durationSeconds",
            text,
            "Member must be a number between 900 and 43200",
        )
    })?;
    if n < 900 {
        return Err(validation(
            "durationSeconds",
            text,
            "Member must have value greater than or equal to 900",
        ));
    }
    if n > 43200 {
        return Err(validation(
            "durationSeconds",
            text,
            "Member must have value less than or equal to 43200",
        ));
    }
    Ok(n)
}

fn assume_role(
    world: &mut World,
    ctx: &Ctx,
    faults: &FaultPlan,
    q: &QueryRequest,
) -> Result<String, ApiError> {
    let role_arn = required(q, "RoleArn", "roleArn")?.to_string();
    let session_name = required(q, "RoleSessionName", "roleSessionName")?.to_string();
    if role_arn.chars().count() < 20 {
        return Err(validation(
            "roleArn",
            &role_arn,
            "Member must have length greater than or equal to 20",
        ));
    }
    check_session_name(&session_name)?;
    let duration_seconds = duration(q)?;
    let denied = parse_role_arn(&role_arn).is_some_and(|(account, _)| {
        let name = world
            .accounts
            .get(account)
            .map(|a| a.name.as_str())
            .unwrap_or_default();
        faults.denies_assume(account, name)
    });
    let s = world.assume_role(
        AssumeRole {
            caller_account: ctx.account.clone(),
            caller_arn: ctx.caller_arn.clone(),
            role_arn,
            session_name,
            duration_seconds,
            at: ctx.now,
        },
        denied,
    )?;
    let mut x = Xml::default();
    x.open("Credentials")
        .leaf("AccessKeyId", &s.access_key_id)
        .leaf("SecretAccessKey", &s.secret_access_key)
        .leaf("SessionToken", &s.session_token)
        .time("Expiration", s.expires)
        .close("Credentials")
        .open("AssumedRoleUser")
        .leaf("AssumedRoleId", &s.assumed_role_id)
        .leaf("Arn", &s.arn)
        .close("AssumedRoleUser");
    Ok(x.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_names_follow_the_model() {
        assert!(check_session_name("alice@example.com").is_ok());
        assert!(check_session_name("a").is_err());
        assert!(check_session_name(&"x".repeat(65)).is_err());
        let e = check_session_name("has space").unwrap_err();
        assert_eq!(e.code, "ValidationError");
        assert!(e.message.contains("regular expression"), "{}", e.message);
    }
}
