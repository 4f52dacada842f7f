//! `spoke update --drifted` and `spoke update --resume`: the bulk update
//! of drifted provisioned products ([`crate::ops::bulk`]).
//!
//! Without `--yes`, the plan is printed and nothing is updated (in a
//! read-write session each update's provisioned product plan is created,
//! read and deleted to learn its risk; a read-only session creates none).
//! With `--yes`, the plan is saved beside the journal, then applied; the
//! first Ctrl-C cancels what has not started and waits for what has, a
//! second one stops at once — `--resume` finishes the run either way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::{CommandError, Context, EXIT_FAILED, clean, fleet, print_nothing_changed};
use crate::cli::{Cli, UpdateArgs};
use crate::journal;
use crate::model::OptIn;
use crate::ops::bulk::{
    self, ApplyOptions, BulkPlan, ItemStatus, PlanOptions, Progress, report, resume_state,
};
use crate::ops::fleet::Member;

pub async fn run(cli: &Cli, args: &UpdateArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    if let Some(batch) = &args.resume {
        return resume(&ctx, args, batch).await;
    }
    let selection = fleet::selection(cli, &ctx);
    let (members, accounts) = fleet::scan(&ctx, &selection, false).await?;
    let journal = match &ctx.read_only {
        None => Some(fleet::journal(&ctx)?),
        Some(_) => None,
    };
    let writers = match &journal {
        Some(j) => fleet::writers(&members, j).await,
        None => HashMap::new(),
    };
    let mut options = PlanOptions::new(
        selection,
        ctx.region.clone(),
        args.policy
            .clone()
            .or(ctx.bulk_policy.clone())
            .unwrap_or_default(),
    );
    options.include_risky = args.include_risky;
    let plan = bulk::plan(&members, &accounts, &writers, &options).await;
    print_plan(&plan);
    if plan.to_update() == 0 {
        println!("Nothing to update.");
        return unplanned(&plan);
    }
    if !args.yes {
        print_nothing_changed();
        return Ok(());
    }
    ctx.refuse_if_read_only("update provisioned products")?;
    let journal = journal.expect("a read-write session has a journal");
    let saved = plan.save(journal.path()).map_err(|e| {
        CommandError::refused(format!("cannot save the plan: {e} — nothing was sent"))
    })?;
    println!(
        "Batch {} (plan saved in {}; `spoke update --resume {}` finishes it if stopped)",
        plan.batch,
        saved.display(),
        plan.batch
    );
    let resume = Default::default();
    execute(&plan, &members, &writers, &resume, args, journal.path()).await
}

async fn resume(ctx: &Context, args: &UpdateArgs, batch: &str) -> Result<(), CommandError> {
    let journal = fleet::journal(ctx)?;
    let path = if batch.is_empty() {
        BulkPlan::saved(journal.path())
            .into_iter()
            .next()
            .ok_or_else(|| {
                CommandError::refused(format!(
                    "no bulk run to resume beside {} — start one with `spoke update --drifted`",
                    journal.path().display()
                ))
            })?
    } else {
        BulkPlan::path_for(journal.path(), batch)
    };
    let plan = BulkPlan::load(&path).map_err(CommandError::refused)?;
    let contents =
        journal::read(journal.path()).map_err(|e| CommandError::refused(e.to_string()))?;
    for (line, why) in &contents.bad_lines {
        println!(
            "journal line {line} is not an entry ({}) — ignored",
            clean(why)
        );
    }
    let state = resume_state(&contents, &plan.batch);
    println!(
        "Resuming batch {} of {}: {} to update, {} already sent, {} settled",
        plan.batch,
        plan.created.format("%Y-%m-%d %H:%M:%S UTC"),
        plan.to_update(),
        state.submitted(),
        state.settled()
    );
    if !args.yes {
        print_plan(&plan);
        print_nothing_changed();
        return Ok(());
    }
    ctx.refuse_if_read_only("update provisioned products")?;
    let members = fleet::connect(ctx, &plan.selection).await?;
    let writers = fleet::writers(&members, &journal).await;
    execute(&plan, &members, &writers, &state, args, journal.path()).await
}

async fn execute(
    plan: &BulkPlan,
    members: &[Member],
    writers: &HashMap<String, crate::aws::Writer>,
    resume: &bulk::apply::ResumeState,
    args: &UpdateArgs,
    journal: &Path,
) -> Result<(), CommandError> {
    let cancel = Arc::new(AtomicBool::new(false));
    let watcher = tokio::spawn({
        let cancel = cancel.clone();
        async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.store(true, Ordering::SeqCst);
                eprintln!(
                    "spoke: stopping — nothing more is started; waiting for the running updates (Ctrl-C again to stop at once; --resume finishes the run)"
                );
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(130);
                }
            }
        }
    });
    let options = ApplyOptions {
        concurrency: usize::from(args.concurrency),
        cancel,
        ..ApplyOptions::default()
    };
    let total = plan.to_update();
    let done = AtomicUsize::new(0);
    let on_progress = |p: Progress| {
        let item = &plan.items[p.index].item;
        let who = format!(
            "{} {} ({} → {})",
            clean(&item.profile),
            clean(&item.provisioned_name),
            clean(&item.from_name),
            clean(item.to_name.as_deref().unwrap_or("?"))
        );
        match &p.status {
            ItemStatus::Running { record, status } => {
                println!("  … {who}: {status} ({record})");
            }
            end if end.is_final() => {
                let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                let why = match end {
                    ItemStatus::Failed { reason, .. } => format!(" — {}", clean(reason)),
                    _ => String::new(),
                };
                println!("[{n}/{total}] {who}: {}{why}", end.label());
            }
            _ => {}
        }
    };
    let ends = bulk::apply(plan, members, writers, resume, &options, &on_progress).await;
    watcher.abort();

    let path = args
        .report
        .clone()
        .unwrap_or_else(|| default_report(journal, &plan.batch));
    let lines = report::lines(plan, &ends);
    match report::write(&path, &lines) {
        Ok(()) => println!("Report: {}", path.display()),
        Err(e) => eprintln!("spoke: cannot write the report {}: {e}", path.display()),
    }
    let count = |label: &str| ends.iter().filter(|e| e.label() == label).count();
    let (ok, failed, cancelled) = (count("SUCCEEDED"), count("FAILED"), count("CANCELLED"));
    println!(
        "Done: {ok} succeeded, {failed} failed, {cancelled} cancelled, {} skipped",
        count("SKIPPED")
    );
    if failed == 0 && cancelled == 0 {
        unplanned(plan)?;
    }
    if failed > 0 || cancelled > 0 {
        return Err(CommandError::new(
            EXIT_FAILED,
            format!(
                "{failed} update(s) failed, {cancelled} not started — see the report; `spoke update --resume {}` retries nothing that settled",
                plan.batch
            ),
        ));
    }
    Ok(())
}

/// Items skipped because planning them failed (not by policy) were not
/// done: said with a failing exit, so that a pipeline notices.
fn unplanned(plan: &BulkPlan) -> Result<(), CommandError> {
    let n = plan
        .items
        .iter()
        .filter(|p| matches!(p.item.skip, Some(crate::model::Skip::RiskUnknown { .. })))
        .count();
    if n == 0 {
        return Ok(());
    }
    Err(CommandError::new(
        EXIT_FAILED,
        format!(
            "{n} item(s) could not be planned (what they would change is unknown, said on their line) and were not updated — run `spoke update --drifted` again to plan them"
        ),
    ))
}

fn default_report(journal: &Path, batch: &str) -> PathBuf {
    BulkPlan::path_for(journal, batch).with_extension("report.jsonl")
}

/// The plan, one line per item, then the summary.
pub fn print_plan(plan: &BulkPlan) {
    let policy = match &plan.policy {
        OptIn::Everything => "everything drifted".to_string(),
        p => p.describe(),
    };
    println!(
        "Plan: update drifted provisioned products ({}; policy: {policy}{})",
        clean(&plan.selection.describe()),
        if plan.include_risky {
            "; risky ones included"
        } else {
            ""
        }
    );
    for p in &plan.items {
        let i = &p.item;
        let verdict = match &i.skip {
            None => "UPDATE".to_string(),
            Some(skip) => format!("skip: {}", skip.describe()),
        };
        let risk = p.risk.describe();
        println!(
            "  {}  {}  {}  {} → {}  {}{}",
            clean(&i.profile),
            clean(&i.provisioned_name),
            clean(&i.product_name),
            clean(&i.from_name),
            clean(i.to_name.as_deref().unwrap_or("—")),
            clean(&verdict),
            if risk.is_empty() || i.skip.is_some() {
                String::new()
            } else {
                format!("  [{}]", clean(&risk))
            }
        );
    }
    for (label, why) in &plan.unreachable {
        println!("  {}: UNREACHABLE — {}", clean(label), clean(why));
    }
    println!("{}", plan.summary());
}
