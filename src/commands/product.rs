//! `spoke product create|update|add|remove` and `spoke version add|delete`:
//! the hub's products and versions, templates stored in S3 first
//! ([`crate::ops::act::product`], [`crate::ops::act::publish`]).

use super::hub::{connect, done, go_ahead};
use super::{CommandError, Context, print_plan, writer};
use crate::cli::{Cli, ProductArgs, ProductCommand, VersionAdd, VersionTarget};
use crate::ops::act::{ActError, product};

/// The fields the ops name, as flags.
const FIELDS: &[(&str, &str)] = &[
    ("name", "--name"),
    ("owner", "--owner"),
    ("version", "--version"),
    ("template", "--template"),
    ("bucket", "--bucket"),
    ("description", "--description"),
];

fn act(e: ActError) -> CommandError {
    CommandError::from_act(e, FIELDS)
}

pub async fn run(cli: &Cli, args: &ProductArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    match &args.action {
        ProductCommand::Create {
            name,
            owner,
            description,
            version,
            source,
            portfolio,
            yes,
        } => {
            const WHAT: &str = "create a product";
            let conn = connect(&ctx, WHAT).await?;
            let bucket = source.bucket.as_deref().or(ctx.template_bucket.as_deref());
            let plan = product::plan_create(
                conn.reader(),
                name,
                owner,
                description.as_deref(),
                version,
                &source.template,
                bucket,
                portfolio.as_deref(),
            )
            .await
            .map_err(act)?;
            let title = format!("Plan: create the product {}", plan.fields.name);
            if !go_ahead(&title, &plan.lines(), plan.existing.is_some(), yes.yes) {
                return Ok(());
            }
            let (id, version) = product::create(writer(&conn, WHAT)?, conn.reader(), &plan)
                .await
                .map_err(act)?;
            done(&format!(
                "created {} ({id}) with version {} ({version})",
                plan.fields.name, plan.version_name
            ));
            Ok(())
        }
        ProductCommand::Update {
            product: wanted,
            name,
            owner,
            description,
            yes,
        } => {
            const WHAT: &str = "change a product";
            let conn = connect(&ctx, WHAT).await?;
            let plan = product::plan_update(
                conn.reader(),
                wanted,
                name.as_deref(),
                owner.as_deref(),
                description.as_deref(),
            )
            .await
            .map_err(act)?;
            let title = format!("Plan: change {}", plan.product.name);
            if !go_ahead(&title, &plan.lines(), plan.changes().is_empty(), yes.yes) {
                return Ok(());
            }
            let line = product::update(writer(&conn, WHAT)?, &plan)
                .await
                .map_err(act)?;
            done(&line);
            Ok(())
        }
        ProductCommand::Add {
            product: p,
            portfolio,
            yes,
        }
        | ProductCommand::Remove {
            product: p,
            portfolio,
            yes,
        } => {
            let add = matches!(args.action, ProductCommand::Add { .. });
            let what = if add {
                "add a product to a portfolio"
            } else {
                "take a product out of a portfolio"
            };
            let conn = connect(&ctx, what).await?;
            let plan = product::plan_membership(conn.reader(), p, portfolio, add)
                .await
                .map_err(act)?;
            let title = format!("Plan: {what}");
            if plan.blocked() {
                print_plan(&title, &plan.lines());
                return Err(CommandError::refused("nothing was sent"));
            }
            if !go_ahead(&title, &plan.lines(), plan.already, yes.yes) {
                return Ok(());
            }
            let line = product::apply_membership(writer(&conn, what)?, &plan)
                .await
                .map_err(act)?;
            done(&line);
            Ok(())
        }
    }
}

/// `spoke version add`.
pub async fn add_version(cli: &Cli, args: &VersionAdd) -> Result<(), CommandError> {
    const WHAT: &str = "add a version";
    let ctx = Context::new(cli)?;
    let conn = connect(&ctx, WHAT).await?;
    let bucket = args
        .source
        .bucket
        .as_deref()
        .or(ctx.template_bucket.as_deref());
    let plan = product::plan_add_version(
        conn.reader(),
        &args.product,
        &args.name,
        args.description.as_deref(),
        &args.source.template,
        bucket,
    )
    .await
    .map_err(act)?;
    let title = format!("Plan: add version {} to {}", plan.name, plan.product.name);
    if !go_ahead(&title, &plan.lines(), false, args.yes.yes) {
        return Ok(());
    }
    let line = product::add_version(writer(&conn, WHAT)?, conn.reader(), &plan)
        .await
        .map_err(act)?;
    done(&line);
    Ok(())
}

/// `spoke version delete`.
pub async fn delete_version(cli: &Cli, target: &VersionTarget) -> Result<(), CommandError> {
    const WHAT: &str = "delete a version";
    let ctx = Context::new(cli)?;
    let conn = connect(&ctx, WHAT).await?;
    let plan = product::plan_delete_version(conn.reader(), &target.product, &target.version)
        .await
        .map_err(act)?;
    let title = format!(
        "Plan: delete {} of {}",
        plan.version.name, plan.product.name
    );
    if plan.last {
        print_plan(&title, &plan.lines());
        return Err(CommandError::refused("nothing was sent"));
    }
    if !go_ahead(&title, &plan.lines(), false, target.yes) {
        return Ok(());
    }
    let line = product::delete_version(writer(&conn, WHAT)?, &plan)
        .await
        .map_err(act)?;
    done(&line);
    Ok(())
}

/// `spoke version update`.
pub async fn rename_version(
    cli: &Cli,
    product: &str,
    version: &str,
    name: Option<&str>,
    description: Option<&str>,
    yes: bool,
) -> Result<(), CommandError> {
    const WHAT: &str = "change a version";
    let ctx = Context::new(cli)?;
    let conn = connect(&ctx, WHAT).await?;
    let plan = product::plan_rename_version(conn.reader(), product, version, name, description)
        .await
        .map_err(act)?;
    let title = format!(
        "Plan: change {} of {}",
        plan.version.name, plan.product.name
    );
    if !go_ahead(&title, &plan.lines(), plan.changes().is_empty(), yes) {
        return Ok(());
    }
    let line = product::rename_version(writer(&conn, WHAT)?, &plan)
        .await
        .map_err(act)?;
    done(&line);
    Ok(())
}
