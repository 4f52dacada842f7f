//! `spoke accept`: list the shares offered to this account, or accept one
//! and add its products to a local portfolio with a launch constraint
//! ([`crate::ops::act::accept`]).

use super::{CommandError, Context, clean, print_nothing_changed, print_plan, writer};
use crate::cli::{AcceptArgs, Cli, ShareTypeArg};
use crate::model::{FieldError, LaunchRole, ShareType};
use crate::ops::act::accept::{self, check_portfolio_id, parse_role};
use crate::ops::act::{ActError, pick};

/// What a refusal says spoke will not do.
const WHAT: &str = "accept a portfolio share";

/// The fields `ops::act::accept` names, as flags.
const FIELDS: &[(&str, &str)] = &[
    ("portfolio", "--portfolio"),
    ("role", "--role"),
    ("local portfolio", "--add-to"),
];

pub async fn run(cli: &Cli, args: &AcceptArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    let Some(wanted) = &args.portfolio else {
        // Listing changes nothing: allowed in a read-only session.
        let conn = ctx.connect().await?;
        return list_pending(&ctx, &conn).await;
    };
    ctx.refuse_if_read_only(WHAT)?;
    let act = |e: ActError| CommandError::from_act(e, FIELDS);
    let invalid = |field: &str, m: String| act(ActError::Invalid(vec![FieldError::new(field, m)]));
    // An id is checked before any call; a name is looked up once connected.
    let is_id = check_portfolio_id(wanted).is_ok();
    if !is_id && (wanted.trim().is_empty() || wanted.starts_with("port-")) {
        check_portfolio_id(wanted).map_err(|m| invalid("portfolio", m))?;
    }
    let role = match &args.role {
        Some(role) => Some(parse_role(role).map_err(|m| invalid("role", m))?),
        None => None,
    };
    let share_type = match args.share_type {
        ShareTypeArg::Imported => ShareType::Account,
        ShareTypeArg::Organization => ShareType::Organization,
    };

    let conn = ctx.connect().await?;
    let (portfolio_id, _) =
        accept::find_portfolio(&ctx.sessions, &conn, ctx.region.as_deref(), wanted)
            .await
            .map_err(act)?;
    let portfolio_id = &portfolio_id;
    let reader = conn.reader();
    let imported = reader
        .list_imported_portfolios()
        .await
        .map_err(CommandError::from_aws)?;
    let already = imported.iter().find(|p| &p.id == portfolio_id);
    let mut lines = Vec::new();
    match already {
        Some(p) => lines.push(format!(
            "{} ({}) is already {}: nothing to accept",
            p.name,
            p.id,
            p.origin.describe()
        )),
        None => lines.push(format!(
            "accept the {} of portfolio {portfolio_id} into {} ({})",
            match share_type {
                ShareType::Account => "account share",
                ShareType::Organization => "organization share",
            },
            conn.profile(),
            conn.identity().account_id
        )),
    }
    // Adding products: the local portfolio and the role are checked now;
    // the products are listed now if the portfolio is already imported,
    // else once it is accepted.
    let add = match (&args.add_to, &role) {
        (Some(local), Some(role)) => {
            let target = accept::LocalTarget {
                wanted: local.clone(),
                create: args.create,
                principals: args.principals.clone(),
            };
            let planned = if already.is_some() {
                let plan = accept::plan_add_to(reader, portfolio_id, &target, args_role(args))
                    .await
                    .map_err(act)?;
                lines.extend(plan.lines());
                Some(plan)
            } else {
                let locals = reader
                    .list_local_portfolios()
                    .await
                    .map_err(CommandError::from_aws)?;
                let found = pick(&locals, local, "local portfolio", |p| &p.id, |p| &p.name);
                let into = match found {
                    Ok(l) => format!("{} ({})", l.name, l.id),
                    Err(_) if args.create => format!("a new local portfolio {local}"),
                    Err(e) => {
                        return Err(act(ActError::Refused(format!(
                            "{e} — or pass --create to create it"
                        ))));
                    }
                };
                lines.push(format!(
                    "then add each of its products to {into} with a launch constraint: role {} (the products are listed once the share is accepted)",
                    describe_role(role)
                ));
                for p in &args.principals {
                    lines.push(format!("and let {p} launch from it"));
                }
                None
            };
            Some((target, planned))
        }
        _ => None,
    };
    print_plan(&format!("Plan: accept {portfolio_id}"), &lines);
    let nothing_to_add = matches!(&add, Some((_, Some(plan))) if plan.is_empty());
    if already.is_some() && (add.is_none() || nothing_to_add) {
        crate::say!(
            "Nothing to do: it is accepted already{}",
            if nothing_to_add {
                ", and every product is there with a launch constraint"
            } else {
                ""
            }
        );
        return Ok(());
    }
    if !args.yes {
        print_nothing_changed();
        return Ok(());
    }

    let writer = writer(&conn, WHAT)?;
    if already.is_none() {
        accept::accept(writer, portfolio_id, share_type)
            .await
            .map_err(act)?;
        crate::say!("accepted {}", clean(portfolio_id));
    }
    let Some((local, planned)) = add else {
        crate::say!("Done");
        return Ok(());
    };
    let plan = match planned {
        Some(plan) => plan,
        None => {
            // Now that the share is accepted, its products can be listed.
            let plan = accept::plan_add_to(reader, portfolio_id, &local, args_role(args))
                .await
                .map_err(act)?;
            print_plan(
                &format!("Adding to {}", plan.local_portfolio_name),
                &plan.lines(),
            );
            plan
        }
    };
    let results = accept::apply_add(writer, &plan).await.map_err(act)?;
    for line in &results {
        crate::say!("{}", clean(line));
    }
    if results.iter().any(|l| l.contains("FAILED")) {
        return Err(CommandError::failed(format!(
            "some products of {portfolio_id} were not added to {} with their launch constraint — see the lines above",
            plan.local_portfolio_name
        )));
    }
    crate::say!("Done");
    Ok(())
}

fn args_role(args: &AcceptArgs) -> &str {
    args.role.as_deref().unwrap_or_default()
}

fn describe_role(role: &LaunchRole) -> String {
    match role {
        LaunchRole::RoleArn(arn) => arn.clone(),
        LaunchRole::LocalRoleName(name) => format!("{name} (in each account)"),
    }
}

/// The shares offered to this account, as every other profile of the
/// AWS config sees them.
async fn list_pending(ctx: &Context, conn: &crate::ops::Connected) -> Result<(), CommandError> {
    let me = conn.profile().to_string();
    let (pending, problems) = accept::pending(&ctx.sessions, conn, ctx.region.as_deref()).await;
    let account = &conn.identity().account_id;
    if pending.is_empty() {
        crate::say!(
            "No share is waiting for account {} in the other profiles that could be read",
            clean(account)
        );
    } else {
        crate::say!(
            "Shares offered to account {}, as seen from the other profiles:",
            clean(account)
        );
        for share in &pending {
            crate::say!(
                "  {}  {}  from {} ({})  {}",
                clean(&share.portfolio_id),
                clean(&share.portfolio_name),
                clean(&share.owner_profile),
                clean(&share.owner_account),
                match share.share_type {
                    ShareType::Account => "account share",
                    ShareType::Organization => "organization share",
                }
            );
        }
        crate::say!(
            "Accept one with: spoke accept --profile {} --portfolio ID",
            clean(&me)
        );
    }
    for problem in &problems {
        eprintln!("spoke: could not read profile {}", clean(problem));
    }
    Ok(())
}
