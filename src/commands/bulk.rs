//! `spoke update --drifted` and `spoke update --resume`: the bulk update
//! of drifted provisioned products ([`crate::ops::bulk`]).
//!
//! Without `--yes`, the plan is printed and nothing in AWS changes: the
//! plan is made with reads only, and the risk of each update (what it
//! would replace or remove) is not previewed. `--preview-risk --yes`
//! previews it — a temporary provisioned product plan per item, created
//! and deleted — and updates nothing. `--yes` previews the risk, then
//! saves the plan beside the journal and applies it; the first Ctrl-C
//! cancels what has not started and waits for what has, a second one stops
//! at once — `--resume` finishes the run either way. Every account is
//! decided by the gate on its own: a read-only member's items are skipped
//! with the rule that makes it so, and the others proceed.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::{CommandError, Context, EXIT_FAILED, clean, fleet, print_nothing_changed};
use crate::cli::{Cli, UpdateArgs};
use crate::journal;
use crate::model::{OptIn, Skip};
use crate::ops::bulk::report::ReportTarget;
use crate::ops::bulk::run::Applied;
use crate::ops::bulk::{
    self, ApplyOptions, BulkPlan, ItemStatus, PlanOptions, Progress, RiskPreview, resume_state,
    to_preview,
};
use crate::ops::fleet::{Member, Writers};

pub async fn run(cli: &Cli, args: &UpdateArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    if let Some(batch) = &args.resume {
        return resume(&ctx, args, batch).await;
    }
    if args.yes && args.preview_risk {
        ctx.refuse_if_read_only("create temporary provisioned product plans")?;
    } else if args.yes {
        ctx.refuse_if_read_only("update provisioned products")?;
    }
    let selection = fleet::selection(cli, &ctx);
    let (members, accounts) = fleet::scan(&ctx, &selection, false).await?;
    // Without --yes no writer is given (the gate still says which members
    // are read-only): nothing can change.
    let deciding = ctx.gate().deciding_only();
    let gate = if args.yes { ctx.gate() } else { &deciding };
    let writers = fleet::writers(&members, gate).await;
    let mut options = PlanOptions::new(
        selection,
        ctx.region.clone(),
        args.policy
            .clone()
            .or(ctx.bulk_policy.clone())
            .unwrap_or_default(),
    );
    options.include_risky = args.include_risky;
    let mut plan = bulk::plan(&members, &accounts, &writers, &options).await;
    let temporary = to_preview(&plan);
    let accounts_to_preview = {
        let mut labels: Vec<&str> = plan
            .items
            .iter()
            .filter(|i| i.risk == bulk::Risk::NotPreviewed)
            .map(|i| i.item.profile.as_str())
            .collect();
        labels.sort_unstable();
        labels.dedup();
        labels.len()
    };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let preview_words = format!(
        "{} (CreateProvisionedProductPlan, then DeleteProvisionedProductPlan) in {}",
        plural(
            temporary,
            "temporary provisioned product plan",
            "temporary provisioned product plans"
        ),
        plural(accounts_to_preview, "account", "accounts")
    );
    if !args.yes {
        print_plan(&plan);
        print_refusals(&plan, &writers);
        if plan.to_update() == 0 {
            crate::say!("Nothing to update.");
        } else if args.preview_risk {
            crate::say!("Previewing the risk creates and deletes {preview_words}.");
        } else {
            crate::say!(
                "The risk of each update (replacements, removals) is not previewed: `--preview-risk --yes` learns it with {preview_words}, and `--yes` previews it before updating."
            );
        }
        print_nothing_changed();
        return unplanned(&plan);
    }
    if plan.to_update() == 0 {
        print_plan(&plan);
        print_refusals(&plan, &writers);
        crate::say!("Nothing to update.");
        return unplanned(&plan);
    }
    crate::say!("Previewing the risk: creating and deleting {preview_words}…");
    let (cancel, watcher) = cancel_on_ctrl_c(
        "spoke: stopping — no more temporary plans are created; the ones started are read and deleted (Ctrl-C again to stop at once; the next run deletes what is left)",
    );
    let preview =
        bulk::preview_risk(&mut plan, &members, &writers, options.plan_poll, &cancel).await;
    watcher.abort();
    print_plan(&plan);
    print_refusals(&plan, &writers);
    print_preview(&preview, plan.region.as_deref());
    if preview.cancelled {
        return Err(CommandError::new(
            EXIT_FAILED,
            "stopped before every risk was previewed: nothing was updated — run it again",
        ));
    }
    if args.preview_risk {
        crate::say!(
            "Nothing updated (--preview-risk): run it again without --preview-risk to update."
        );
        return leftovers(&preview).and_then(|()| unplanned(&plan));
    }
    if plan.to_update() == 0 {
        crate::say!("Nothing to update.");
        return leftovers(&preview).and_then(|()| unplanned(&plan));
    }
    let journal_path = gate.journal_path().map(Path::to_path_buf).ok_or_else(|| {
        CommandError::refused("no journal: pass --journal FILE — nothing was sent")
    })?;
    let saved = plan.save(&journal_path).map_err(|e| {
        CommandError::refused(format!("cannot save the plan: {e} — nothing was sent"))
    })?;
    crate::say!(
        "Batch {} (plan saved in {}; `spoke update --resume {}` finishes it if stopped)",
        plan.batch,
        saved.display(),
        plan.batch
    );
    let applied = execute(&ctx, &plan, &members, &writers, args, &journal_path).await;
    leftovers(&preview)?;
    applied
}

/// "spoke-prod (…) is read-only (…): its 5 items are skipped", per member.
fn print_refusals(plan: &BulkPlan, writers: &Writers) {
    for (label, refusal) in writers.refusals().filter(|(_, r)| r.is_read_only()) {
        let n = plan
            .items
            .iter()
            .filter(|i| i.item.profile == *label)
            .filter(|i| matches!(i.item.skip, Some(Skip::ReadOnly { .. })))
            .count();
        crate::say!(
            "{}: its {n} item{} {} skipped",
            clean(&refusal.to_string()),
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" }
        );
    }
}

/// What the risk preview did: plans created, leftovers cleaned, and any
/// it could not delete, each with the command that removes it.
fn print_preview(preview: &RiskPreview, region: Option<&str>) {
    crate::say!(
        "Risk previewed for {} item(s): {} temporary plan(s) created and deleted{}",
        preview.previewed,
        preview.created - preview.leftover.len().min(preview.created),
        if preview.cleaned > 0 {
            format!(", {} left by an earlier run deleted", preview.cleaned)
        } else {
            String::new()
        }
    );
    for leftover in &preview.leftover {
        crate::say!("  ⚠ {}", clean(&leftover.line(region)));
    }
}

/// Temporary plans left behind fail the run, so a pipeline notices.
fn leftovers(preview: &RiskPreview) -> Result<(), CommandError> {
    if preview.leftover.is_empty() {
        return Ok(());
    }
    Err(CommandError::new(
        EXIT_FAILED,
        format!(
            "{} temporary plan(s) could not be deleted (listed above, each with the command that removes it); the next run deletes them too",
            preview.leftover.len()
        ),
    ))
}

/// A flag set by the first Ctrl-C (saying `first`); the second exits.
fn cancel_on_ctrl_c(first: &'static str) -> (Arc<AtomicBool>, tokio::task::JoinHandle<()>) {
    let cancel = Arc::new(AtomicBool::new(false));
    let watcher = tokio::spawn({
        let cancel = cancel.clone();
        async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.store(true, Ordering::SeqCst);
                eprintln!("{first}");
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(130);
                }
            }
        }
    });
    (cancel, watcher)
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
        crate::say!(
            "journal line {line} is not an entry ({}) — ignored",
            clean(why)
        );
    }
    let state = resume_state(&contents, &plan.batch);
    // A run that finished has nothing to resume: said, nothing redone or
    // reprinted as if it had been.
    if state.unfinished(&plan) == 0 {
        crate::say!(
            "Batch {} of {} finished: all {} update(s) settled ({} sent) — nothing to resume",
            plan.batch,
            plan.created.format("%Y-%m-%d %H:%M:%S UTC"),
            plan.to_update(),
            state.submitted(),
        );
        return Ok(());
    }
    let left = plan.to_update().saturating_sub(state.submitted());
    crate::say!(
        "Resuming batch {} of {}: {} to update — {} sent before (followed to their end, not sent again), {} settled; {left} to send",
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
    let writers = fleet::writers(&members, ctx.gate()).await;
    execute(ctx, &plan, &members, &writers, args, journal.path()).await
}

async fn execute(
    ctx: &Context,
    plan: &BulkPlan,
    members: &[Member],
    writers: &Writers,
    args: &UpdateArgs,
    journal: &Path,
) -> Result<(), CommandError> {
    // A report for S3 is a write of its own (PutObject, by the session's
    // profile): refused before anything is sent when the gate says no.
    let s3 = match &args.report {
        Some(ReportTarget::S3 { bucket, prefix }) => {
            let conn = ctx.connect().await?;
            super::writer(&conn, &format!("put the report in s3://{bucket}/"))?;
            Some((conn, bucket.clone(), prefix.clone()))
        }
        _ => None,
    };
    let local = match &args.report {
        Some(ReportTarget::Local(path)) => Some(path.clone()),
        _ => None,
    };
    let (cancel, watcher) = cancel_on_ctrl_c(
        "spoke: stopping — nothing more is started; waiting for the running updates (Ctrl-C again to stop at once; --resume finishes the run)",
    );
    let options = ApplyOptions {
        concurrency: usize::from(args.concurrency),
        cancel,
        max_failures: args.max_failures.map(|n| n as usize),
        canary: args.canary.map(|n| n as usize),
        ..ApplyOptions::default()
    };
    let waves = options.waves().describe();
    if !waves.is_empty() {
        crate::say!("Waves: {waves}");
    }
    let total = plan.to_update();
    let done = AtomicUsize::new(0);
    let on_progress = |p: Progress| {
        super::bulk_json::progress(plan, &p);
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
                crate::progress!("  … {who}: {status} ({record})");
            }
            end if end.is_final() => {
                let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                let why = match end {
                    ItemStatus::Failed { reason, .. } | ItemStatus::Halted { reason } => {
                        format!(" — {}", clean(reason))
                    }
                    _ => String::new(),
                };
                crate::say!("[{n}/{total}] {who}: {}{why}", end.label());
            }
            _ => {}
        }
    };
    let applied = bulk::run::apply_saved(
        plan,
        members,
        writers,
        journal,
        local,
        &options,
        &on_progress,
    )
    .await;
    watcher.abort();
    let Applied { ends, report } = applied.map_err(CommandError::refused)?;
    super::bulk_json::ended(plan, &ends);
    match report {
        Ok(path) => {
            crate::output::json::set("report_file", path.display().to_string().into());
            crate::say!("Report: {}", path.display())
        }
        Err(e) => eprintln!("spoke: cannot write the report {e}"),
    }
    let mut put = Ok(());
    if let Some((conn, bucket, prefix)) = &s3 {
        let writer = super::writer(conn, "put the report in S3")?;
        let lines = bulk::report::lines(plan, &ends);
        match bulk::report::put_s3(writer, bucket, prefix, plan, &lines).await {
            Ok(url) => {
                crate::output::json::set("report_url", url.clone().into());
                crate::say!("Report: {url}")
            }
            Err(e) => put = Err(CommandError::failed(clean(&e))),
        }
    }
    match (outcome(plan, &ends), put) {
        (Err(mut run), Err(put)) => {
            run.lines.extend(put.lines);
            Err(run)
        }
        (Ok(()), Err(put)) => Err(put),
        (run, Ok(())) => run,
    }
}

/// How the run ended, for the exit code: a halted run, failures, items
/// not started, items not planned each fail it.
fn outcome(plan: &BulkPlan, ends: &[ItemStatus]) -> Result<(), CommandError> {
    let count = |label: &str| ends.iter().filter(|e| e.label() == label).count();
    let (ok, failed, cancelled) = (count("SUCCEEDED"), count("FAILED"), count("CANCELLED"));
    let halted = count("HALTED");
    crate::say!(
        "Done: {ok} succeeded, {failed} failed, {cancelled} cancelled, {halted} halted, {} skipped",
        count("SKIPPED")
    );
    // A halted run fails, in one line naming the halt.
    if let Some(why) = ends.iter().find_map(|e| match e {
        ItemStatus::Halted { reason } => Some(reason),
        _ => None,
    }) {
        return Err(CommandError::new(
            EXIT_FAILED,
            format!(
                "halted: {halted} update(s) {} ({failed} failed, {ok} succeeded) — `spoke update --resume {}` sends them",
                clean(why),
                plan.batch
            ),
        ));
    }
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
        .filter(|p| matches!(p.item.skip, Some(Skip::RiskUnknown { .. })))
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

/// The plan, one line per item, then the summary.
pub fn print_plan(plan: &BulkPlan) {
    super::bulk_json::plan(plan);
    let policy = match &plan.policy {
        OptIn::Everything => "everything drifted".to_string(),
        p => p.describe(),
    };
    crate::say!(
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
        crate::say!(
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
        crate::say!("  {}: UNREACHABLE — {}", clean(label), clean(why));
    }
    crate::say!("{}", plan.summary());
}
