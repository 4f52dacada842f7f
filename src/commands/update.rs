//! `spoke update`: update a provisioned product (to the latest version
//! unless one is named, or to another product with `--product`), then
//! follow its stack ([`crate::ops::act::update`]).

use super::launch::assignments;
use super::{CommandError, Context, print_nothing_changed, print_plan, writer};
use crate::cli::{Cli, UpdateArgs};
use crate::ops::act::ActError;
use crate::ops::act::update;

/// What a refusal says spoke will not do.
const WHAT: &str = "update a provisioned product";

/// The fields `ops::act::update` names, as flags; other fields are parameters.
const FIELDS: &[(&str, &str)] = &[
    ("version", "--version"),
    ("provisioned", "--provisioned"),
    ("product", "--product"),
    ("path", "--path"),
];

pub async fn run(cli: &Cli, args: &UpdateArgs) -> Result<(), CommandError> {
    if args.drifted || args.resume.is_some() {
        return super::bulk::run(cli, args).await;
    }
    let Some(wanted) = &args.provisioned else {
        return Err(CommandError::refused(
            "name the provisioned product with --provisioned, or update in bulk with --drifted",
        ));
    };
    let ctx = Context::new(cli)?;
    ctx.refuse_if_read_only(WHAT)?;
    let act = |e: ActError| CommandError::from_act(e, FIELDS);
    let changes = assignments(&args.params, "--param").map_err(act)?;

    let conn = ctx.connect().await?;
    let reader = conn.reader();
    let pp = update::find_provisioned(reader, wanted)
        .await
        .map_err(act)?;
    let other = args.product.as_deref().map(|product| update::OtherProduct {
        product,
        path: args.path.as_deref(),
    });
    let form = update::prepare_to(reader, pp, other, args.version.as_deref())
        .await
        .map_err(act)?;
    let request = update::check(&form, &changes).map_err(act)?;
    let lines: Vec<String> = update::diff_lines(&form, &request)
        .into_iter()
        .map(|(k, before, after)| format!("{k}: {before} → {after}"))
        .collect();
    let what = if form.changes_product() {
        format!(
            "{} → {} {}",
            form.from_label(),
            form.product_name,
            form.to.label()
        )
    } else {
        form.product_name.clone()
    };
    print_plan(
        &format!(
            "Plan: update {} ({}, {what})",
            form.provisioned.name, form.provisioned.id
        ),
        &lines,
    );
    if update::is_no_op(&form, &request) && !args.force {
        crate::say!(
            "{} is already on {} with these parameters: nothing to do (--force sends it anyway, a full stack update)",
            super::clean(&form.provisioned.name),
            super::clean(&form.to.label())
        );
        return Ok(());
    }
    if !args.yes {
        print_nothing_changed();
        return Ok(());
    }

    let writer = writer(&conn, WHAT)?;
    let secrets: Vec<String> = request
        .secret_values()
        .into_iter()
        .map(str::to_string)
        .collect();
    let record = update::update(writer, &request)
        .await
        .map_err(|e| act(e).without(&secrets))?;
    super::follow::report(
        reader,
        writer,
        &record,
        &format!("the update of {}", request.provisioned_product_name),
        &secrets,
        args.no_wait,
    )
    .await
}
