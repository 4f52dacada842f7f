//! AWS Organizations over awsJson1_1 (`X-Amz-Target: AWSOrganizationsV20161128.*`):
//! ListAccounts and the organization's tree ([`tree`]: ListRoots,
//! ListOrganizationalUnitsForParent, ListAccountsForParent, ListParents),
//! for the management account and delegated administrators;
//! DescribeOrganization, for any member.
//! Organizations is a global service: the region a request is signed for does not matter.

use serde_json::{Value, json};

mod tree;

use super::error::ApiError;
use super::protocol::json::{JsonRequest, timestamp};
use super::protocol::paging;
use super::server::Ctx;
use super::world::ids::stable_hash;
use super::world::{Account, Organization, World};

/// MaxResults of ListAccounts and the tree's lists: 1 to 20.
const MAX_RESULTS: i64 = 20;

pub fn handle(world: &World, ctx: &Ctx, op: &str, req: &JsonRequest) -> Result<Value, ApiError> {
    match op {
        "ListAccounts" => list_accounts(world, ctx, req),
        "DescribeOrganization" => describe_organization(world, ctx),
        "ListRoots" => tree::list_roots(world, ctx, req),
        "ListOrganizationalUnitsForParent" => tree::list_ous_for_parent(world, ctx, req),
        "ListAccountsForParent" => tree::list_accounts_for_parent(world, ctx, req),
        "ListParents" => tree::list_parents(world, ctx, req),
        other => Err(ApiError::new(
            400,
            "UnknownOperationException",
            format!("The sandbox does not emulate Organizations' {other}"),
        )),
    }
}

/// DescribeOrganization: any member account may ask which organization it
/// belongs to.
fn describe_organization(world: &World, ctx: &Ctx) -> Result<Value, ApiError> {
    let org = world
        .organization
        .as_ref()
        .filter(|_| world.is_member(&ctx.account))
        .ok_or_else(|| {
            ApiError::new(
                400,
                "AWSOrganizationsNotInUseException",
                "Your account is not a member of an organization.",
            )
        })?;
    let master = &org.management_account_id;
    Ok(json!({ "Organization": {
        "Id": org.id,
        "Arn": format!("arn:aws:organizations::{master}:organization/{}", org.id),
        "FeatureSet": "ALL",
        "MasterAccountArn": format!("arn:aws:organizations::{master}:account/{}/{master}", org.id),
        "MasterAccountId": master,
        "MasterAccountEmail": world.accounts.get(master).map(|a| a.email.clone()).unwrap_or_default(),
    }}))
}

pub(super) fn invalid_input(reason: &str, message: &str) -> ApiError {
    ApiError::new(400, "InvalidInputException", message).with_reason(reason)
}

/// The organization of the caller, if the caller may list its accounts.
pub(super) fn organization_for<'w>(
    world: &'w World,
    ctx: &Ctx,
) -> Result<&'w Organization, ApiError> {
    let org = world
        .organization
        .as_ref()
        .filter(|_| world.is_member(&ctx.account))
        .ok_or_else(|| {
            ApiError::new(
                400,
                "AWSOrganizationsNotInUseException",
                "Your account is not a member of an organization.",
            )
        })?;
    if org.management_account_id != ctx.account && !org.delegated_admins.contains(&ctx.account) {
        return Err(ApiError::new(
            400,
            "AccessDeniedException",
            "You don't have permissions to access this resource.",
        ));
    }
    Ok(org)
}

/// The organization's root id (`r-` and 4 letters or digits), stable per organization.
pub(super) fn root_id(org: &Organization) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut h = stable_hash(&[&org.id, "root"]);
    let mut id = String::from("r-");
    for _ in 0..4 {
        id.push(CHARS[(h % 36) as usize] as char);
        h /= 36;
    }
    id
}

pub(super) fn account_json(world: &World, org: &Organization, a: &Account) -> Value {
    let ous: String = world
        .ou_chain(world.ou_of(&a.id))
        .iter()
        .rev()
        .map(|ou| format!("{ou}/"))
        .collect();
    json!({
        "Id": a.id,
        "Arn": format!("arn:aws:organizations::{}:account/{}/{}", org.management_account_id, org.id, a.id),
        "Email": a.email,
        "Name": a.name,
        "Status": a.status.wire(),
        "State": a.status.wire(),
        "Paths": [format!("{}/{}/{ous}{}/", org.id, root_id(org), a.id)],
        "JoinedMethod": a.joined_method,
        "JoinedTimestamp": timestamp(a.joined),
    })
}

/// MaxResults, checked: 1 to 20, 20 when absent.
pub(super) fn max_results(req: &JsonRequest) -> Result<usize, ApiError> {
    match req.int("MaxResults")? {
        None => Ok(MAX_RESULTS as usize),
        Some(n) if n < 1 => Err(invalid_input(
            "MIN_VALUE_EXCEEDED",
            "You provided a numeric parameter that has a smaller value than allowed.",
        )),
        Some(n) if n > MAX_RESULTS => Err(invalid_input(
            "MAX_VALUE_EXCEEDED",
            "You provided a numeric parameter that has a larger value than allowed.",
        )),
        Some(n) => Ok(n as usize),
    }
}

/// The offset of NextToken in the list `scope` names.
pub(super) fn next_offset(scope: &str, req: &JsonRequest) -> Result<usize, ApiError> {
    paging::offset(scope, req.str("NextToken")?, || {
        invalid_input(
            "INVALID_NEXT_TOKEN",
            "You specified an invalid value for nextToken. You must get the value from the response to a previous call to the API.",
        )
    })
}

fn list_accounts(world: &World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let org = organization_for(world, ctx)?;
    let size = max_results(req)?;
    let scope = format!("ListAccounts/{}", org.id);
    let offset = next_offset(&scope, req)?;
    // Only the page's accounts are looked at, through the world's index of
    // its members in order: a page costs the same in any organization.
    let (range, next) = paging::window(&scope, world.member_count(), offset, size);
    let page: Vec<Value> = world
        .members_between(range.start, range.end)
        .into_iter()
        .map(|a| account_json(world, org, a))
        .collect();
    Ok(json!({ "Accounts": page, "NextToken": next }))
}
