//! The organization's tree: one root (`r-…`), the OUs under it (nested
//! through `OrganizationalUnit::parent`) and the member accounts under
//! each. Every list is answered from the world's index of parents
//! ([`World::members_under`], [`World::ous_under`]): a page costs the same
//! however many accounts the organization has.

use serde_json::{Value, json};

use super::{account_json, invalid_input, max_results, next_offset, organization_for, root_id};
use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::JsonRequest;
use crate::sandbox::protocol::paging;
use crate::sandbox::server::Ctx;
use crate::sandbox::world::{Organization, OrganizationalUnit, World};

/// A parent asked for: the root, or one of the OUs.
enum Parent<'w> {
    Root,
    Ou(&'w OrganizationalUnit),
}

impl Parent<'_> {
    /// The parent as the world's index keys it (`None`: the root).
    fn key(&self) -> Option<&str> {
        match self {
            Parent::Root => None,
            Parent::Ou(ou) => Some(&ou.id),
        }
    }

    fn id(&self, org: &Organization) -> String {
        match self {
            Parent::Root => root_id(org),
            Parent::Ou(ou) => ou.id.clone(),
        }
    }
}

/// `^(r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$`, the model's ParentId.
fn parent_pattern(id: &str) -> bool {
    let word = |s: &str, min: usize| {
        (min..=32).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if let Some(rest) = id.strip_prefix("r-") {
        return word(rest, 4);
    }
    match id.strip_prefix("ou-").and_then(|rest| rest.split_once('-')) {
        Some((root, ou)) => word(root, 4) && word(ou, 8),
        None => false,
    }
}

/// A required id member: absent is InvalidInputException INPUT_REQUIRED.
// guess: Organizations answers a missing required member with its own
// InvalidInputException (reason INPUT_REQUIRED), not a ValidationException.
fn required<'r>(req: &'r JsonRequest, member: &str) -> Result<&'r str, ApiError> {
    req.str(member)?.ok_or_else(|| {
        invalid_input(
            "INPUT_REQUIRED",
            &format!("You must specify a value for {member}."),
        )
    })
}

fn parent<'w>(
    world: &'w World,
    org: &Organization,
    req: &JsonRequest,
) -> Result<Parent<'w>, ApiError> {
    let id = required(req, "ParentId")?;
    if !parent_pattern(id) {
        // guess: the message AWS gives for an id off the model's pattern.
        return Err(invalid_input(
            "INVALID_PATTERN",
            "You provided a value that does not match the required pattern.",
        ));
    }
    if id == root_id(org) {
        return Ok(Parent::Root);
    }
    world.ou(id).map(Parent::Ou).ok_or_else(|| {
        ApiError::new(
            400,
            "ParentNotFoundException",
            "We can't find a root or OU with the ParentId that you specified.",
        )
    })
}

fn ou_json(org: &Organization, ou: &OrganizationalUnit) -> Value {
    json!({
        "Id": ou.id,
        "Arn": format!("arn:aws:organizations::{}:ou/{}/{}", org.management_account_id, org.id, ou.id),
        "Name": ou.name,
    })
}

/// ListRoots: the organization's one root.
pub fn list_roots(world: &World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let org = organization_for(world, ctx)?;
    max_results(req)?;
    next_offset(&format!("ListRoots/{}", org.id), req)?;
    let root = root_id(org);
    Ok(json!({ "Roots": [{
        "Id": root,
        "Arn": format!("arn:aws:organizations::{}:root/{}/{root}", org.management_account_id, org.id),
        "Name": "Root",
        // guess: no policy type is enabled in a sandbox organization.
        "PolicyTypes": [],
    }]}))
}

/// ListOrganizationalUnitsForParent: the OUs directly under a root or OU.
pub fn list_ous_for_parent(world: &World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let org = organization_for(world, ctx)?;
    let size = max_results(req)?;
    let parent = parent(world, org, req)?;
    let scope = format!("ListOrganizationalUnitsForParent/{}", parent.id(org));
    let offset = next_offset(&scope, req)?;
    let ous = world.ous_under(parent.key());
    let (page, next) = paging::page(&scope, &ous, offset, size);
    let page: Vec<Value> = page.into_iter().map(|ou| ou_json(org, ou)).collect();
    Ok(json!({ "OrganizationalUnits": page, "NextToken": next }))
}

/// ListAccountsForParent: the member accounts directly under a root or OU.
pub fn list_accounts_for_parent(
    world: &World,
    ctx: &Ctx,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    let org = organization_for(world, ctx)?;
    let size = max_results(req)?;
    let parent = parent(world, org, req)?;
    let scope = format!("ListAccountsForParent/{}", parent.id(org));
    let offset = next_offset(&scope, req)?;
    let total = world.members_under_count(parent.key());
    let (range, next) = paging::window(&scope, total, offset, size);
    let (accounts, _) = world.members_under(parent.key(), range.start, range.end);
    let page: Vec<Value> = accounts
        .into_iter()
        .map(|a| account_json(world, org, a))
        .collect();
    Ok(json!({ "Accounts": page, "NextToken": next }))
}

/// ListParents: the one parent (root or OU) of a member account or an OU.
pub fn list_parents(world: &World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let org = organization_for(world, ctx)?;
    max_results(req)?;
    let child = required(req, "ChildId")?;
    next_offset(&format!("ListParents/{child}"), req)?;
    let is_account = child.len() == 12 && child.bytes().all(|b| b.is_ascii_digit());
    let is_ou = child.starts_with("ou-") && parent_pattern(child);
    if !is_account && !is_ou {
        // guess: as for ParentId.
        return Err(invalid_input(
            "INVALID_PATTERN",
            "You provided a value that does not match the required pattern.",
        ));
    }
    let not_found = || {
        ApiError::new(
            400,
            "ChildNotFoundException",
            "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
        )
    };
    let parent = if is_account {
        if !world.is_member(child) {
            return Err(not_found());
        }
        world.ou_of(child).map(str::to_string)
    } else {
        world.ou(child).ok_or_else(not_found)?.parent.clone()
    };
    let parent = match parent {
        Some(ou) => json!({ "Id": ou, "Type": "ORGANIZATIONAL_UNIT" }),
        None => json!({ "Id": root_id(org), "Type": "ROOT" }),
    };
    Ok(json!({ "Parents": [parent] }))
}

#[cfg(test)]
mod tests {
    use super::parent_pattern;

    #[test]
    fn parent_ids_follow_the_model_pattern() {
        assert!(parent_pattern("r-ab12"));
        assert!(parent_pattern("ou-a1b2-k7x9q2m4"));
        assert!(!parent_pattern("r-ab"));
        assert!(!parent_pattern("ou-a1b2-short"));
        assert!(!parent_pattern("o-a1b2c3d4e5"));
        assert!(!parent_pattern("R-ABCD"));
    }
}
