//! `spoke lint`: the hygiene findings of one account or a fleet
//! ([`crate::ops::lint`]), read only (no writer is ever built), as a
//! table, JSON or SARIF 2.1.0.
//!
//! Exit codes: 5 when `--fail-on` is given and a finding is at least that
//! severe; else 1 when an account could not be read (the output says
//! which); else 0.

use super::{CommandError, Context, EXIT_FAILED, EXIT_FINDINGS, clean, fleet};
use crate::cli::{Cli, FailOn, LintArgs, LintFormat};
use crate::ops::lint::{self, Report, Severity};

pub async fn run(cli: &Cli, args: &LintArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    let selection = fleet::selection(cli, &ctx);
    fleet::check_profiles(&ctx, &selection)?;
    let report = lint::run(
        ctx.sessions.source(),
        &selection,
        ctx.region.as_deref(),
        ctx.sessions.log().clone(),
        &ctx.lint,
        ctx.sessions.journal_path(),
    )
    .await
    .map_err(CommandError::from_aws)?;
    match args.format {
        LintFormat::Table => print_table(&report),
        LintFormat::Json => println!("{}", json(&report)),
        LintFormat::Sarif => println!(
            "{}",
            serde_json::to_string_pretty(&lint::sarif::to_sarif(&report)).unwrap_or_default()
        ),
    }
    if args.format != LintFormat::Table {
        crate::output::json::document_written();
    }
    outcome(&report, args.fail_on)
}

/// The exit of a run: see the module documentation.
pub fn outcome(report: &Report, fail_on: Option<FailOn>) -> Result<(), CommandError> {
    if let Some(level) = fail_on {
        let level = match level {
            FailOn::Warning => Severity::Warning,
            FailOn::Error => Severity::Error,
        };
        let n = report.at_least(level);
        if n > 0 {
            return Err(CommandError::new(
                EXIT_FINDINGS,
                format!("{n} finding(s) at {} or above", level.label()),
            ));
        }
    }
    let unread: Vec<&str> = report
        .accounts
        .iter()
        .filter(|a| a.unreachable.is_some())
        .map(|a| a.label.as_str())
        .collect();
    if !unread.is_empty() {
        return Err(CommandError::new(
            EXIT_FAILED,
            format!(
                "{} account(s) could not be read ({}): their findings are not known",
                unread.len(),
                unread.join(", ")
            ),
        ));
    }
    Ok(())
}

/// The report as JSON: `schema_version`, the rules that ran, the
/// accounts, each finding (with its fix in words) and what was not checked.
pub fn json(report: &Report) -> String {
    let mut value = serde_json::to_value(report).unwrap_or_default();
    if let Some(list) = value
        .get_mut("findings")
        .and_then(serde_json::Value::as_array_mut)
    {
        for (item, f) in list.iter_mut().zip(&report.findings) {
            item["fix_text"] = serde_json::json!(f.fix.describe());
            if let Some(r) = lint::rule(f.rule) {
                item["why"] = serde_json::json!(r.why);
            }
        }
    }
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

fn print_table(report: &Report) {
    let width = |f: &dyn Fn(&lint::Finding) -> usize, min: usize| {
        report.findings.iter().map(f).max().unwrap_or(0).max(min)
    };
    let w_account = width(&|f| f.label.chars().count(), 7);
    let w_rule = width(&|f| f.rule.len(), 4);
    let w_entity = width(&|f| f.entity.name.chars().count(), 6).min(48);
    if report.findings.is_empty() {
        crate::say!("No findings.");
    } else {
        crate::say!(
            "{:<8} {:<w_account$} {:<w_rule$} {:<w_entity$} WHY",
            "SEVERITY",
            "ACCOUNT",
            "RULE",
            "ENTITY"
        );
    }
    for f in &report.findings {
        crate::say!(
            "{:<8} {:<w_account$} {:<w_rule$} {:<w_entity$} {}",
            f.severity.label(),
            clean(&f.label),
            f.rule,
            clean(&cut(&f.entity.name, w_entity)),
            clean(&f.message)
        );
        crate::say!("{:8} fix: {}", "", clean(&f.fix.describe()));
    }
    for a in &report.accounts {
        if let Some(why) = &a.unreachable {
            crate::say!("{}: not read — {}", clean(&a.label), clean(why));
        }
    }
    for u in &report.unchecked {
        crate::say!(
            "not checked: {} in {} — {}",
            u.rule,
            clean(&u.label),
            clean(&u.why)
        );
    }
    let count = |s| report.findings.iter().filter(|f| f.severity == s).count();
    crate::say!(
        "{} finding(s): {} error, {} warning, {} note — {} rule(s) over {} account(s)",
        report.findings.len(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note),
        report.rules.len(),
        report.accounts.len()
    );
}

/// `text` cut to `width` characters, ending in `…` when cut.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut s: String = text.chars().take(width.saturating_sub(1)).collect();
    s.push('…');
    s
}
