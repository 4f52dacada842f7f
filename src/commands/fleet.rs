//! The accounts a fleet command works on: `--profile`, `--profiles a,b` or
//! `--org-role NAME`, connected with [`crate::ops::fleet`].

use super::{CommandError, Context, clean};
use crate::cli::Cli;
use crate::journal::Journal;
use crate::model::AccountDrift;
use crate::ops::fleet::{self, Member, Selection};

pub use crate::ops::fleet::writers;

/// The selection the command line asks for.
pub fn selection(cli: &Cli, ctx: &Context) -> Selection {
    if let Some(role) = &cli.org_role {
        Selection::Organization {
            profile: ctx.profile.clone(),
            role: role.clone(),
        }
    } else if !cli.profiles.is_empty() {
        Selection::Profiles {
            names: cli.profiles.clone(),
        }
    } else {
        Selection::Profiles {
            names: vec![ctx.profile.clone()],
        }
    }
}

/// Every profile the selection names is in the AWS config files: a name
/// that is not is a mistake of the command line (exit 2, before anything
/// is printed or asked), not an account that could not be reached.
pub fn check_profiles(ctx: &Context, selection: &Selection) -> Result<(), CommandError> {
    let source = ctx.sessions.source();
    let names: Vec<&str> = match selection {
        Selection::Profiles { names } => names.iter().map(String::as_str).collect(),
        Selection::Organization { profile, .. } => vec![profile.as_str()],
    };
    let known = source.discover().map_err(CommandError::from_aws)?;
    for name in names {
        // `default` may live only in the environment (env keys, instance role).
        let found =
            known.iter().any(|p| p.name == name) || (name == "default" && !source.is_generated());
        if !found {
            return Err(CommandError::refused(format!(
                "--profile {}: no such profile in {}; {}",
                clean(name),
                source.describe_files(),
                crate::aws::session::unknown_profile_hint(name, &known)
            )));
        }
    }
    Ok(())
}

/// Connects every member; prints one line per account that cannot be reached.
pub async fn connect(ctx: &Context, selection: &Selection) -> Result<Vec<Member>, CommandError> {
    connect_saying(ctx, selection, false).await
}

/// [`connect`], saying so on stderr when `machine` (stdout is JSON, for a
/// program to read).
pub async fn connect_saying(
    ctx: &Context,
    selection: &Selection,
    machine: bool,
) -> Result<Vec<Member>, CommandError> {
    check_profiles(ctx, selection)?;
    let members = fleet::connect(
        ctx.sessions.source(),
        selection,
        ctx.region.as_deref(),
        ctx.sessions.log().clone(),
    )
    .await
    .map_err(CommandError::from_aws)?;
    if machine || crate::output::json::json() {
        report_reach(selection, &members, None, &mut std::io::stderr());
    } else {
        report_reach(selection, &members, None, &mut std::io::stdout());
    }
    Ok(members)
}

/// How many accounts were reached (and, after a scan, read), and why the
/// others were not, to `out`.
fn report_reach(
    selection: &Selection,
    members: &[Member],
    scanned: Option<&[AccountDrift]>,
    out: &mut dyn std::io::Write,
) {
    let reached = members.iter().filter(|m| m.reader().is_some()).count();
    // Reached, then not read: credentials that expired or a refusal
    // in the middle of the scan.
    let not_read: Vec<&AccountDrift> = scanned
        .unwrap_or_default()
        .iter()
        .filter(|a| a.unreachable.is_some())
        .filter(|a| {
            members
                .iter()
                .any(|m| m.reader().is_some() && m.label == a.label)
        })
        .collect();
    let read = match scanned {
        Some(_) => format!(", {} read", reached - not_read.len().min(reached)),
        None => String::new(),
    };
    // How many were reached is progress (-q leaves it out); which were
    // not, and why, is not.
    if !crate::output::quiet() {
        let _ = writeln!(
            out,
            "{}: {reached} of {} account{} reached{read}",
            clean(&selection.describe()),
            members.len(),
            if members.len() == 1 { "" } else { "s" }
        );
    }
    // "  not read: spoke-prod (333344445555) — why"
    let mut why = |what: &str, label: &str, account: Option<&String>, reason: &str| {
        let id = account.map(|a| format!(" ({a})")).unwrap_or_default();
        let _ = writeln!(out, "  {what}: {}{id} — {}", clean(label), clean(reason));
    };
    for a in not_read {
        let reason = a.unreachable.as_deref().unwrap_or_default();
        why("not read", &a.label, a.account.as_ref(), reason);
    }
    for m in members {
        if let Err(e) = &m.reach {
            why("unreachable", &m.label, m.account.as_ref(), &e.to_string());
        }
    }
}

/// Reaches and scans every account at once ([`fleet::connect_and_scan`]);
/// prints how many were reached and why the others were not — on stderr
/// when `machine` (stdout is JSON or CSV, for a program to read).
pub async fn scan(
    ctx: &Context,
    selection: &Selection,
    machine: bool,
) -> Result<(Vec<Member>, Vec<AccountDrift>), CommandError> {
    check_profiles(ctx, selection)?;
    let (members, accounts) = fleet::connect_and_scan(
        ctx.sessions.source(),
        selection,
        ctx.region.as_deref(),
        ctx.sessions.log().clone(),
        |_| {},
        |_| {},
    )
    .await
    .map_err(CommandError::from_aws)?;
    if machine || crate::output::json::json() {
        report_reach(selection, &members, Some(&accounts), &mut std::io::stderr());
    } else {
        report_reach(selection, &members, Some(&accounts), &mut std::io::stdout());
    }
    Ok((members, accounts))
}

/// The journal of this run.
pub fn journal(ctx: &Context) -> Result<Journal, CommandError> {
    let path = match ctx.sessions.journal_path() {
        Some(path) => path.to_path_buf(),
        None => Journal::user_path().map_err(|e| CommandError::refused(e.to_string()))?,
    };
    Journal::open(path).map_err(|e| CommandError::refused(e.to_string()))
}
