//! `spoke share`: share a local portfolio with accounts, an OU or the
//! organization ([`crate::ops::act::share`]).

use super::{CommandError, Context, clean, print_nothing_changed, print_plan, writer};
use crate::cli::{Cli, ShareArgs, UnshareArgs};
use crate::ops::act::ActError;
use crate::ops::act::share::{self, SHARE_POLL, ShareEvent, ShareInput};

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
    print_plan(
        &format!(
            "Plan: share {} ({})",
            plan.portfolio_name, plan.portfolio_id
        ),
        &plan.lines(),
    );
    if plan.is_empty() {
        println!("Nothing to share: every target has it already");
        return Ok(());
    }
    if !args.yes {
        print_nothing_changed();
        return Ok(());
    }

    let writer = writer(&conn, WHAT)?;
    let results = share::apply(
        writer,
        conn.reader(),
        &plan,
        SHARE_POLL,
        |event| match event {
            ShareEvent::Started(target) => {
                println!("sharing with {}…", clean(&target.describe()))
            }
            ShareEvent::Progress(target, progress) => println!(
                "{}: {} ({} accounts shared)",
                clean(&target.describe()),
                clean(&progress.status),
                progress.succeeded.len()
            ),
            ShareEvent::Done(result) => println!("{}", clean(&result.line())),
        },
    )
    .await
    .map_err(act)?;
    let failed = failed_targets(&results);
    if failed.is_empty() {
        println!("Done: {} shared", clean(&plan.portfolio_name));
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
    print_plan(
        &format!(
            "Plan: stop sharing {} ({})",
            plan.portfolio_name, plan.portfolio_id
        ),
        &plan.lines(),
    );
    if plan.is_empty() {
        println!("Nothing to unshare: it is not shared with any of them");
        return Ok(());
    }
    if !args.yes {
        print_nothing_changed();
        return Ok(());
    }
    let writer = writer(&conn, WHAT)?;
    let results = share::apply_unshare(
        writer,
        conn.reader(),
        &plan,
        SHARE_POLL,
        |event| match event {
            ShareEvent::Started(target) => {
                println!("unsharing with {}…", clean(&target.describe()))
            }
            ShareEvent::Progress(target, progress) => {
                println!("{}: {}", clean(&target.describe()), clean(&progress.status))
            }
            ShareEvent::Done(result) => println!("{}", clean(&result.unshare_line())),
        },
    )
    .await
    .map_err(act)?;
    let failed = failed_targets(&results);
    if failed.is_empty() {
        println!(
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
