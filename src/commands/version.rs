//! `spoke version deprecate|undeprecate|deactivate|activate`: a version's
//! guidance and availability, in the account that owns the product
//! ([`crate::ops::act::version`]); `add` and `delete` are in `product.rs`.

use super::{CommandError, Context, clean, print_nothing_changed, print_plan, writer};
use crate::cli::{Cli, VersionArgs, VersionCommand};
use crate::ops::act::ActError;
use crate::ops::act::version::{self, VersionAction};

/// The fields `ops::act::version` names, as flags.
const FIELDS: &[(&str, &str)] = &[("product", "--product"), ("version", "--version")];

pub async fn run(cli: &Cli, args: &VersionArgs) -> Result<(), CommandError> {
    let (action, target) = match &args.action {
        VersionCommand::Deprecate(t) => (VersionAction::Deprecate, t),
        VersionCommand::Undeprecate(t) => (VersionAction::Undeprecate, t),
        VersionCommand::Deactivate(t) => (VersionAction::Deactivate, t),
        VersionCommand::Activate(t) => (VersionAction::Activate, t),
        VersionCommand::Add(args) => return super::product::add_version(cli, args).await,
        VersionCommand::Delete(t) => return super::product::delete_version(cli, t).await,
        VersionCommand::Update {
            product,
            version,
            name,
            description,
            yes,
        } => {
            return super::product::rename_version(
                cli,
                product,
                version,
                name.as_deref(),
                description.as_deref(),
                *yes,
            )
            .await;
        }
    };
    let what = format!("{} a version", action.verb());
    let ctx = Context::new(cli)?;
    ctx.refuse_if_read_only(&what)?;
    let act = |e: ActError| CommandError::from_act(e, FIELDS);
    let conn = ctx.connect().await?;
    let plan = version::plan(conn.reader(), &target.product, &target.version, action)
        .await
        .map_err(act)?;
    print_plan(
        &format!(
            "Plan: {} {} of {}",
            action.verb(),
            plan.version.name,
            plan.product.name
        ),
        &plan.lines(),
    );
    if plan.already {
        return Ok(());
    }
    if !target.yes {
        print_nothing_changed();
        return Ok(());
    }
    let writer = writer(&conn, &what)?;
    let done = version::apply(writer, &plan).await.map_err(act)?;
    crate::say!("{}", clean(&done));
    crate::say!("Done");
    Ok(())
}
