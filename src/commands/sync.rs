//! `spoke sync DIR`: the plan that brings the hub in step with the folder
//! ([`crate::ops::sync`]); with `--yes` it is applied, journaled. Exit 0
//! when in step (or applied), 3 when changes are pending without `--yes`
//! (as `terraform plan -detailed-exitcode`), 2 for a mapping mistake
//! (file:line:column) with nothing sent, 1 when a change failed.

use super::hub::connect;
use super::{CommandError, Context, EXIT_DRIFT, clean, print_plan, writer};
use crate::cli::{Cli, ExportArgs, SyncArgs};
use crate::ops::act::ActError;
use crate::ops::sync::{self, SyncOptions};

const FIELDS: &[(&str, &str)] = &[("template", "--template"), ("bucket", "--bucket")];

pub async fn run(cli: &Cli, args: &SyncArgs) -> Result<(), CommandError> {
    const WHAT: &str = "sync the catalog";
    // The folder is read before anything else: a mistake sends nothing.
    let dirs = crate::model::mapping::read_dir(&args.dir)
        .map_err(|e| CommandError::refused(e.to_string()))?;
    let ctx = Context::new(cli)?;
    let act = |e: ActError| CommandError::from_act(e, FIELDS);
    let conn = if args.yes.yes {
        connect(&ctx, WHAT).await?
    } else {
        ctx.connect().await?
    };
    let options = SyncOptions {
        bucket: args.bucket.clone().or(ctx.template_bucket.clone()),
        prune: args.prune,
    };
    let plan = sync::plan(conn.reader(), &dirs, &options)
        .await
        .map_err(act)?;
    print_plan(
        &format!(
            "Plan: sync {} ({} portfolio{})",
            args.dir.display(),
            dirs.len(),
            if dirs.len() == 1 { "" } else { "s" }
        ),
        &plan.lines(),
    );
    if plan.in_step() {
        return Ok(());
    }
    if !args.yes.yes {
        super::print_nothing_changed();
        return Err(CommandError::new(
            EXIT_DRIFT,
            format!("{} change(s) pending", plan.changes.len()),
        ));
    }
    let writer = writer(&conn, WHAT)?;
    let done = sync::apply(writer, conn.reader(), &plan, |a| {
        crate::say!("{}", clean(&a.line))
    })
    .await
    .map_err(act)?;
    let failed = done.iter().filter(|a| !a.ok).count();
    if failed > 0 {
        return Err(CommandError::failed(format!(
            "{failed} of {} change(s) failed — see the lines above; run it again to finish",
            done.len()
        )));
    }
    crate::say!("Done: {} change(s)", done.len());
    Ok(())
}

/// `spoke export DIR` (reads only).
pub async fn export(cli: &Cli, args: &ExportArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    let conn = ctx.connect().await?;
    let done = sync::export::export(conn.reader(), &args.dir)
        .await
        .map_err(|e| CommandError::from_act(e, FIELDS))?;
    for f in &done.files {
        crate::say!("wrote {}", clean(&f.display().to_string()));
    }
    for s in &done.skipped {
        crate::say!("left out: {}", clean(s));
    }
    if !done.skipped.is_empty() {
        return Err(CommandError::failed(format!(
            "{} product(s) left out: their templates cannot be read back",
            done.skipped.len()
        )));
    }
    crate::say!("Done");
    Ok(())
}
