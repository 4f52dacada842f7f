//! `spoke share`: share a local portfolio with accounts, an OU or the
//! organization ([`crate::ops::act::share`]).

use serde_json::{Value, json};

use super::{CommandError, Context, clean, print_nothing_changed, print_plan, writer};
use crate::cli::{Cli, ShareArgs, UnshareArgs};
use crate::model::ShareTarget;
use crate::ops::act::ActError;
use crate::ops::act::share::{self, SHARE_POLL, ShareEvent, ShareInput};
use crate::output::json as out_json;

/// What a refusal says spoke will not do.
const WHAT: &str = "share a portfolio";

/// The fields `ops::act::share` names, as flags.
const FIELDS: &[(&str, &str)] = &[
    ("accounts", "--account"),
    ("ou", "--ou"),
    ("organization", "--organization"),
    ("portfolio", "--portfolio"),
];

pub async fn run(cli: &Cli, args: &ShareArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    ctx.refuse_if_read_only(WHAT)?;
    let act = |e: ActError| CommandError::from_act(e, FIELDS);
    let conn = ctx.connect().await?;
    let (portfolio, existing) = local_portfolio(&conn, &args.portfolio).await?;
    let portfolio = &portfolio;
    let input = ShareInput {
        accounts: args.accounts.clone(),
        ou: args.ou.clone(),
        organization: args.organization.clone(),
        share_tag_options: args.share_tag_options,
        share_principals: args.share_principals,
    };
    let plan = share::plan(
        portfolio,
        &conn.identity().account_id,
        &input,
        existing.as_deref(),
    )
    .map_err(act)?;
    portfolio_json(&plan.portfolio_id, &plan.portfolio_name, &plan.targets);
    print_plan(
        &format!(
            "Plan: share {} ({})",
            plan.portfolio_name, plan.portfolio_id
        ),
        &plan.lines(),
    );
    if plan.is_empty() {
        crate::say!("Nothing to share: every target has it already");
        out_json::set("outcome", "unchanged".into());
        return Ok(());
    }
    if !args.yes {
        print_nothing_changed();
        return Ok(());
    }

    let writer = writer(&conn, WHAT)?;
    let results = share::apply(writer, conn.reader(), &plan, SHARE_POLL, |event| {
        event_json(&event);
        match event {
            ShareEvent::Started(target) => {
                crate::say!("sharing with {}…", clean(&target.describe()))
            }
            ShareEvent::Progress(target, progress) => crate::say!(
                "{}: {} ({} accounts shared)",
                clean(&target.describe()),
                clean(&progress.status),
                progress.succeeded.len()
            ),
            ShareEvent::Done(result) => crate::say!("{}", clean(&result.line())),
        }
    })
    .await
    .map_err(act)?;
    results_json(&results);
    let failed = failed_targets(&results);
    if failed.is_empty() {
        crate::say!("Done: {} shared", clean(&plan.portfolio_name));
        Ok(())
    } else {
        Err(CommandError::failed(format!(
            "the share of {} did not complete for {} — see the lines above; `spoke log` has the journal",
            plan.portfolio_name,
            failed.join(", ")
        )))
    }
}

/// `spoke unshare`: the portfolio's shares are read first; only those that
/// exist are removed (the others are said and left out).
pub async fn unshare(cli: &Cli, args: &UnshareArgs) -> Result<(), CommandError> {
    const WHAT: &str = "stop sharing a portfolio";
    let ctx = Context::new(cli)?;
    ctx.refuse_if_read_only(WHAT)?;
    let act = |e: ActError| CommandError::from_act(e, FIELDS);
    let conn = ctx.connect().await?;
    let (portfolio, existing) = local_portfolio(&conn, &args.portfolio).await?;
    let input = ShareInput {
        accounts: args.accounts.clone(),
        ou: args.ou.clone(),
        organization: args.organization.clone(),
        share_tag_options: false,
        share_principals: false,
    };
    let plan = share::plan_unshare(
        &portfolio,
        &conn.identity().account_id,
        &input,
        existing.as_deref(),
    )
    .map_err(act)?;
    portfolio_json(&plan.portfolio_id, &plan.portfolio_name, &plan.targets);
    print_plan(
        &format!(
            "Plan: stop sharing {} ({})",
            plan.portfolio_name, plan.portfolio_id
        ),
        &plan.lines(),
    );
    if plan.is_empty() {
        crate::say!("Nothing to unshare: it is not shared with any of them");
        out_json::set("outcome", "unchanged".into());
        return Ok(());
    }
    if !args.yes {
        print_nothing_changed();
        return Ok(());
    }
    let writer = writer(&conn, WHAT)?;
    let results = share::apply_unshare(writer, conn.reader(), &plan, SHARE_POLL, |event| {
        event_json(&event);
        match event {
            ShareEvent::Started(target) => {
                crate::say!("unsharing with {}…", clean(&target.describe()))
            }
            ShareEvent::Progress(target, progress) => {
                crate::say!("{}: {}", clean(&target.describe()), clean(&progress.status))
            }
            ShareEvent::Done(result) => crate::say!("{}", clean(&result.unshare_line())),
        }
    })
    .await
    .map_err(act)?;
    results_json(&results);
    let failed = failed_targets(&results);
    if failed.is_empty() {
        crate::say!(
            "Done: {} no longer shared with them",
            clean(&plan.portfolio_name)
        );
        Ok(())
    } else {
        Err(CommandError::failed(format!(
            "stopping the share of {} did not complete for {} — see the lines above",
            plan.portfolio_name,
            failed.join(", ")
        )))
    }
}

/// The local portfolio `wanted` names (a failing read of it is a read
/// error of the local portfolios), and whom it is shared with already:
/// read first so that a plan leaves out or keeps what exists; a failure
/// to read the shares only says so in the plan (`None`).
async fn local_portfolio(
    conn: &crate::ops::Connected,
    wanted: &str,
) -> Result<(crate::model::Portfolio, Option<Vec<crate::model::Share>>), CommandError> {
    let portfolio = share::find_portfolio(conn.reader(), wanted)
        .await
        .map_err(|e| match e {
            ActError::Aws(e) => CommandError::from_read("the local portfolios", e),
            other => CommandError::from_act(other, FIELDS),
        })?;
    let existing = conn.reader().list_shares(&portfolio.id).await.ok();
    Ok((portfolio, existing))
}

/// The targets whose share or unshare did not complete.
fn failed_targets(results: &[share::ShareResult]) -> Vec<String> {
    results
        .iter()
        .filter(|r| !r.ok())
        .map(|r| r.target.describe())
        .collect()
}

/// A target as JSON: `{"type": "account|ou|organization", "id"}`.
fn target_json(target: &ShareTarget) -> Value {
    let kind = match target {
        ShareTarget::Account(_) => "account",
        ShareTarget::OrganizationalUnit(_) => "ou",
        ShareTarget::Organization(_) => "organization",
    };
    json!({ "type": kind, "id": target.id() })
}

/// The result's `portfolio` and the `targets` planned.
fn portfolio_json(id: &str, name: &str, targets: &[ShareTarget]) {
    out_json::set("portfolio", json!({ "id": id, "name": name }));
    out_json::set(
        "targets",
        targets.iter().map(target_json).collect::<Vec<_>>().into(),
    );
}

/// A share's (or unshare's) progress as a JSON line: `share_started`,
/// `share_progress` (an organization share's status and the accounts
/// shared so far), `share_finished`.
fn event_json(event: &ShareEvent) {
    match event {
        ShareEvent::Started(target) => {
            out_json::event("share_started", json!({ "target": target_json(target) }))
        }
        ShareEvent::Progress(target, progress) => out_json::event(
            "share_progress",
            json!({
                "target": target_json(target),
                "status": progress.status,
                "accounts_shared": progress.succeeded,
                "errors": progress.errors,
            }),
        ),
        ShareEvent::Done(result) => out_json::event("share_finished", result_json(result)),
    }
}

/// One target's end: `ok`, the organization share's last `status` and
/// `error` (a share sent but not followed says so in it).
fn result_json(result: &share::ShareResult) -> Value {
    json!({
        "target": target_json(&result.target),
        "ok": result.ok(),
        "status": result.progress.as_ref().map(|p| p.status.as_str()),
        "accounts_shared": result.progress.as_ref().map(|p| p.succeeded.clone()),
        "errors": result.progress.as_ref().map(|p| p.errors.clone()).unwrap_or_default(),
        "error": result.error,
    })
}

/// The result's `results` and `outcome` (`failed` when a target did not
/// complete).
fn results_json(results: &[share::ShareResult]) {
    out_json::set(
        "results",
        results.iter().map(result_json).collect::<Vec<_>>().into(),
    );
    if results.iter().any(|r| !r.ok()) {
        out_json::set("outcome", "failed".into());
    }
}
