//! `spoke portfolio create|update|delete`: local portfolios of the hub
//! ([`crate::ops::act::portfolio`]).

use super::{CommandError, Context, clean, print_nothing_changed, print_plan, writer};
use crate::cli::{Cli, PortfolioArgs, PortfolioCommand};
use crate::ops::act::ActError;
use crate::ops::act::portfolio;

/// The fields `ops::act::portfolio` names, as flags.
const FIELDS: &[(&str, &str)] = &[
    ("name", "--name"),
    ("provider", "--provider"),
    ("description", "--description"),
];

pub async fn run(cli: &Cli, args: &PortfolioArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    let act = |e: ActError| CommandError::from_act(e, FIELDS);
    match &args.action {
        PortfolioCommand::Create {
            name,
            provider,
            description,
            yes,
        } => {
            const WHAT: &str = "create a portfolio";
            ctx.refuse_if_read_only(WHAT)?;
            let conn = ctx.connect().await?;
            let plan =
                portfolio::plan_create(conn.reader(), name, provider, description.as_deref())
                    .await
                    .map_err(act)?;
            print_plan(
                &format!("Plan: create {}", clean(&plan.name)),
                &plan.lines(),
            );
            if plan.existing.is_some() {
                return Ok(());
            }
            if !yes {
                print_nothing_changed();
                return Ok(());
            }
            let id = portfolio::create(writer(&conn, WHAT)?, &plan)
                .await
                .map_err(act)?;
            crate::say!("created {} ({id})", clean(&plan.name));
            crate::say!("Done");
            Ok(())
        }
        PortfolioCommand::Update {
            portfolio: wanted,
            name,
            provider,
            description,
            yes,
        } => {
            const WHAT: &str = "change a portfolio";
            let conn = super::hub::connect(&ctx, WHAT).await?;
            let plan = portfolio::plan_update(
                conn.reader(),
                wanted,
                name.as_deref(),
                provider.as_deref(),
                description.as_deref(),
            )
            .await
            .map_err(act)?;
            let title = format!("Plan: change {}", clean(&plan.portfolio.name));
            if !super::hub::go_ahead(&title, &plan.lines(), plan.changes().is_empty(), *yes) {
                return Ok(());
            }
            let line = portfolio::update(writer(&conn, WHAT)?, &plan)
                .await
                .map_err(act)?;
            super::hub::done(&line);
            Ok(())
        }
        PortfolioCommand::Delete {
            portfolio: wanted,
            yes,
        } => {
            const WHAT: &str = "delete a portfolio";
            ctx.refuse_if_read_only(WHAT)?;
            let conn = ctx.connect().await?;
            let plan = portfolio::plan_delete(conn.reader(), wanted)
                .await
                .map_err(act)?;
            print_plan(
                &format!("Plan: delete {}", clean(&plan.portfolio.name)),
                &plan.lines(),
            );
            if !plan.in_use.is_empty() {
                return Err(CommandError::refused(format!(
                    "{} was not deleted: nothing was sent",
                    plan.portfolio.name
                )));
            }
            if !yes {
                print_nothing_changed();
                return Ok(());
            }
            portfolio::delete(writer(&conn, WHAT)?, &plan)
                .await
                .map_err(act)?;
            crate::say!(
                "deleted {} ({})",
                clean(&plan.portfolio.name),
                plan.portfolio.id
            );
            crate::say!("Done");
            Ok(())
        }
    }
}
