//! `spoke audit --out FILE`: the whole inventory of one account or a fleet,
//! read only (no writer is ever built), saved as a snapshot, CSV tables or
//! a Markdown report ([`crate::ops::audit`]). Exit 1 when an account, or
//! any part of one, could not be read (the files still say what and why).

use super::{CommandError, Context, EXIT_FAILED, clean, fleet};
use crate::cli::{AuditArgs, Cli};
use crate::ops::audit;

pub async fn run(cli: &Cli, args: &AuditArgs) -> Result<(), CommandError> {
    // Checked before any call: a wrong extension sends nothing.
    audit::Format::of(&args.out).map_err(CommandError::refused)?;
    let ctx = Context::new(cli)?;
    let selection = fleet::selection(cli, &ctx);
    fleet::check_profiles(&ctx, &selection)?;
    let snapshot = audit::take(
        ctx.sessions.source(),
        &selection,
        ctx.region.as_deref(),
        ctx.sessions.log().clone(),
    )
    .await
    .map_err(CommandError::from_aws)?;
    let written = audit::write(&snapshot, &args.out).map_err(CommandError::failed)?;
    let mut unread = 0;
    let mut partly = 0;
    for a in &snapshot.accounts {
        partly += usize::from(a.inventory.is_some() && a.has_gaps());
        match &a.inventory {
            Some(inv) => crate::progress!(
                "{} ({}): {} portfolios, {} products, {} constraints, {} provisioned{}",
                clean(&a.label),
                inv.account,
                inv.portfolios.len(),
                inv.products.len(),
                inv.constraints.len(),
                inv.provisioned.len(),
                match (inv.problems.len(), a.events_not_read.len()) {
                    (0, 0) => String::new(),
                    (parts, 0) => format!(" — {parts} part(s) not read"),
                    (0, stacks) => format!(" — the events of {stacks} stack(s) not read"),
                    (parts, stacks) =>
                        format!(" — {parts} part(s) and the events of {stacks} stack(s) not read"),
                }
            ),
            None => {
                unread += 1;
                crate::say!(
                    "{}: not read — {}",
                    clean(&a.label),
                    clean(a.unreachable.as_deref().unwrap_or(""))
                );
            }
        }
    }
    for path in &written {
        crate::say!("Wrote {}", path.display());
    }
    // An audit is whole or it says it is not: any part not read exits 1.
    let mut gaps = Vec::new();
    if unread > 0 {
        gaps.push(format!("{unread} account(s) could not be read"));
    }
    if partly > 0 {
        gaps.push(format!("{partly} account(s) were read only in part"));
    }
    if !gaps.is_empty() {
        return Err(CommandError::new(
            EXIT_FAILED,
            format!(
                "{}: the audit marks what was not read and why",
                gaps.join(", ")
            ),
        ));
    }
    Ok(())
}
