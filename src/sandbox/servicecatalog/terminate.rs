//! TerminateProvisionedProduct.

use serde_json::Value;

use super::launch::{check_name, record_response};
use super::provisioned::find;
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::JsonRequest;
use crate::sandbox::server::Ctx;
use crate::sandbox::world::World;
use crate::sandbox::world::terminate::{TERMINATE, Termination};

pub fn terminate(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let token = req.required("TerminateToken")?.to_string();
    check_name("terminateToken", &token, false)?;
    // A retry while the termination runs answers its record; once the
    // product is gone, the token is no longer valid (ResourceNotFound).
    if let Some(r) = world.replayed(&ctx.account, &token)
        && r.record_type == TERMINATE
        && world.provisioned.contains_key(&r.pp_id)
    {
        let id = r.id.clone();
        return record_response(world, &id);
    }
    let pp_id = find(
        world,
        ctx,
        req.str("ProvisionedProductId")?,
        req.str("ProvisionedProductName")?,
    )?
    .id
    .clone();
    let record = world.terminate(Termination {
        pp_id,
        token,
        ignore_errors: req.bool("IgnoreErrors")?.unwrap_or(false),
        retain: req.bool("RetainPhysicalResources")?.unwrap_or(false),
        at: ctx.now,
    })?;
    record_response(world, &record)
}
