//! STS over awsQuery.

use super::error::ApiError;
use super::protocol::query::{QueryRequest, Xml};
use super::server::Ctx;
use super::world::World;

pub const NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

pub fn handle(
    world: &mut World,
    ctx: &Ctx,
    action: &str,
    _q: &QueryRequest,
) -> Result<String, ApiError> {
    match action {
        "GetCallerIdentity" => {
            let account = world.accounts.get(&ctx.account).ok_or_else(|| {
                ApiError::new(
                    403,
                    "InvalidClientTokenId",
                    "The security token included in the request is invalid.",
                )
            })?;
            let mut x = Xml::default();
            x.leaf("Arn", &account.caller_arn)
                .leaf("UserId", &account.user_id)
                .leaf("Account", &account.id);
            Ok(x.finish())
        }
        other => Err(ApiError::new(
            400,
            "InvalidAction",
            format!("Could not find operation {other} for version 2011-06-15"),
        )),
    }
}
