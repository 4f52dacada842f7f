//! How an organization node's share or unshare runs on
//! (`DescribePortfolioShareStatus`): its accounts are reached over
//! [`ORG_SHARE_SECONDS`]; an account SUSPENDED in the organization is a
//! failure (guess: the sandbox's way for such a share to end in error).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::sandbox::error::ApiError;
use crate::sandbox::protocol::json::JsonRequest;
use crate::sandbox::server::Ctx;
use crate::sandbox::world::{AccountStatus, ShareKind, ShareOperation, World};

/// Sandbox seconds an organization share takes to reach every account.
const ORG_SHARE_SECONDS: i64 = 3;

/// A share or an unshare of an organization node runs on: its token, whose
/// status DescribePortfolioShareStatus follows.
pub(super) fn start_node_operation(
    world: &mut World,
    ctx: &Ctx,
    portfolio_id: String,
    kind: ShareKind,
    principal: String,
) -> String {
    let token = world.ids.next("share");
    let accounts = world.accounts_under(kind, &principal);
    let failures = accounts
        .iter()
        .filter(|id| {
            world
                .accounts
                .get(*id)
                .is_some_and(|a| a.status == AccountStatus::Suspended)
        })
        // guess: AWS's words for an account a node share cannot reach; a
        // suspended account is one such (the sandbox's way for an
        // organization share to end in error).
        .map(|id| {
            (
                id.clone(),
                format!("Account {id} is suspended; the portfolio was not shared with it."),
            )
        })
        .collect();
    world.share_operations.insert(
        token.clone(),
        ShareOperation {
            token: token.clone(),
            portfolio_id,
            node_value: principal,
            started: ctx.now,
            accounts,
            failures,
        },
    );
    token
}

/// The `Status` and `ShareDetails` of an operation `elapsed` sandbox
/// seconds in: the accounts are reached in order over
/// [`ORG_SHARE_SECONDS`]; each is a success or one of its failures. At the
/// end, COMPLETED (no failure), ERROR (no success) or COMPLETED_WITH_ERRORS.
pub fn share_progress(op: &ShareOperation, elapsed: i64) -> (&'static str, Value) {
    let total = op.accounts.len();
    let n = if elapsed >= ORG_SHARE_SECONDS {
        total
    } else {
        ((total as i64 * elapsed.max(0) / ORG_SHARE_SECONDS) as usize).min(total)
    };
    let reached = &op.accounts[..n];
    let done: Vec<&String> = reached
        .iter()
        .filter(|a| !op.failures.contains_key(*a))
        .collect();
    // One ShareError per message, with the accounts it concerns.
    let mut by_message: BTreeMap<&str, Vec<&String>> = BTreeMap::new();
    for a in reached {
        if let Some(m) = op.failures.get(a) {
            by_message.entry(m.as_str()).or_default().push(a);
        }
    }
    let errors: Vec<Value> = by_message
        .into_iter()
        // guess: the Error code of a ShareError.
        .map(|(m, accounts)| json!({ "Accounts": accounts, "Message": m, "Error": "AccountNotActive" }))
        .collect();
    let status = if elapsed < ORG_SHARE_SECONDS {
        if n == 0 { "NOT_STARTED" } else { "IN_PROGRESS" }
    } else if errors.is_empty() {
        "COMPLETED"
    } else if done.is_empty() {
        "ERROR"
    } else {
        "COMPLETED_WITH_ERRORS"
    };
    (
        status,
        json!({ "SuccessfulShares": done, "ShareErrors": errors }),
    )
}

pub fn share_status(world: &mut World, ctx: &Ctx, req: &JsonRequest) -> Result<Value, ApiError> {
    let token = req.required("PortfolioShareToken")?;
    let op = world
        .share_operations
        .get(token)
        .filter(|o| {
            world
                .portfolios
                .get(&o.portfolio_id)
                .is_some_and(|p| p.owner == ctx.account)
        })
        .ok_or_else(|| ApiError::not_found(format!("Portfolio share token {token} not found.")))?;
    let (status, details) = share_progress(op, (ctx.now - op.started).num_seconds());
    Ok(json!({
        "PortfolioShareToken": op.token, "PortfolioId": op.portfolio_id,
        "OrganizationNodeValue": op.node_value, "Status": status,
        "ShareDetails": details,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(accounts: &[&str], failed: &[&str]) -> ShareOperation {
        ShareOperation {
            token: "share-t".into(),
            portfolio_id: "port-p".into(),
            node_value: "ou-ab12-cdef1234".into(),
            started: chrono::Utc::now(),
            accounts: accounts.iter().map(|a| a.to_string()).collect(),
            failures: failed
                .iter()
                .map(|a| (a.to_string(), format!("Account {a} is suspended")))
                .collect(),
        }
    }

    #[test]
    fn the_status_ends_by_what_failed() {
        let (status, _) = share_progress(&op(&["1", "2"], &[]), 0);
        assert_eq!(status, "NOT_STARTED");
        let (status, _) = share_progress(&op(&["1", "2"], &["2"]), 2);
        assert_eq!(status, "IN_PROGRESS");
        let (status, details) = share_progress(&op(&["1", "2"], &[]), 10);
        assert_eq!((status, &details["ShareErrors"]), ("COMPLETED", &json!([])));
        let (status, details) = share_progress(&op(&["1", "2"], &["2"]), 10);
        assert_eq!(status, "COMPLETED_WITH_ERRORS");
        assert_eq!(details["SuccessfulShares"], json!(["1"]));
        assert_eq!(details["ShareErrors"][0]["Accounts"], json!(["2"]));
        let (status, details) = share_progress(&op(&["1", "2"], &["1", "2"]), 10);
        assert_eq!(status, "ERROR");
        assert_eq!(details["SuccessfulShares"], json!([]));
        assert_eq!(
            details["ShareErrors"].as_array().unwrap().len(),
            2,
            "one per message"
        );
    }
}
