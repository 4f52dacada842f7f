//! `spoke principal`, `spoke opt-in`, `spoke constraint`: the access and
//! auto-update settings of a catalog ([`crate::ops::act::principal`],
//! [`crate::ops::act::opt_in`], [`crate::ops::act::constraint`]), each a
//! plan first and the change only with `--yes`.

use std::path::Path;

use super::{CommandError, Connected, Context, clean, print_nothing_changed, print_plan, writer};
use crate::cli::{
    Cli, ConstraintArgs, ConstraintCommand, OptInArgs, PrincipalArgs, PrincipalCommand,
};
use crate::ops::act::constraint::{self, ConstraintInput};
use crate::ops::act::{ActError, opt_in, principal};

/// The fields the ops name, as flags.
const FIELDS: &[(&str, &str)] = &[
    ("principal", "--principal"),
    ("launch_role", "--launch-role"),
    ("template_rules", "--template-rules"),
    ("notify", "--notify"),
    ("tag_updates", "--tag-updates"),
    ("product", "--product"),
    ("portfolio", "--portfolio"),
];

fn act(e: ActError) -> CommandError {
    CommandError::from_act(e, FIELDS)
}

/// Shows the plan; whether to go on and apply it: not when there is
/// nothing to do, not without `--yes` (then it says nothing changed).
pub(super) fn go_ahead(title: &str, lines: &[String], nothing_to_do: bool, yes: bool) -> bool {
    print_plan(title, lines);
    if nothing_to_do {
        return false;
    }
    if !yes {
        print_nothing_changed();
        return false;
    }
    true
}

/// Connects after the read-only check every mutating command makes first.
pub(super) async fn connect(ctx: &Context, what: &str) -> Result<Connected, CommandError> {
    ctx.refuse_if_read_only(what)?;
    ctx.connect().await
}

pub(super) fn done(line: &str) {
    crate::say!("{}", clean(line));
    crate::say!("Done");
}

pub async fn principal(cli: &Cli, args: &PrincipalArgs) -> Result<(), CommandError> {
    let (add, target) = match &args.action {
        PrincipalCommand::Add(t) => (true, t),
        PrincipalCommand::Remove(t) => (false, t),
    };
    let what = if add {
        "add a principal"
    } else {
        "remove a principal"
    };
    let ctx = Context::new(cli)?;
    let conn = connect(&ctx, what).await?;
    let plan = principal::plan(conn.reader(), &target.portfolio, &target.principal, add)
        .await
        .map_err(act)?;
    let title = format!("Plan: {what} on {}", plan.portfolio.name);
    if !go_ahead(&title, &plan.lines(), plan.already, target.yes.yes) {
        return Ok(());
    }
    let line = principal::apply(writer(&conn, what)?, &plan)
        .await
        .map_err(act)?;
    done(&line);
    Ok(())
}

pub async fn opt_in(cli: &Cli, args: &OptInArgs) -> Result<(), CommandError> {
    let what = if args.off {
        "opt a product out of auto-update"
    } else {
        "opt a product in to auto-update"
    };
    let ctx = Context::new(cli)?;
    let conn = connect(&ctx, what).await?;
    let plan = opt_in::plan(conn.reader(), &args.product, !args.off)
        .await
        .map_err(act)?;
    let title = format!(
        "Plan: opt {} {}",
        plan.product.name,
        if args.off { "out" } else { "in" }
    );
    if !go_ahead(&title, &plan.lines(), plan.already, args.yes.yes) {
        return Ok(());
    }
    let line = opt_in::apply(writer(&conn, what)?, &plan)
        .await
        .map_err(act)?;
    done(&line);
    Ok(())
}

/// `--template-rules @FILE` reads the file.
fn rules_text(text: &str) -> Result<String, CommandError> {
    match text.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(Path::new(path)).map_err(|e| {
            CommandError::refused(format!(
                "--template-rules: cannot read {path}: {e} — give the rules as JSON or @FILE"
            ))
        }),
        None => Ok(text.to_string()),
    }
}

pub async fn constraint(cli: &Cli, args: &ConstraintArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    match &args.action {
        ConstraintCommand::Add {
            portfolio,
            product,
            launch_role,
            template_rules,
            notify,
            tag_updates,
            description,
            yes,
        } => {
            const WHAT: &str = "add a constraint";
            let input = match (launch_role, template_rules, notify.as_slice(), tag_updates) {
                (Some(role), None, [], None) => ConstraintInput::Launch(role.clone()),
                (None, Some(rules), [], None) => ConstraintInput::Template(rules_text(rules)?),
                (None, None, [_, ..], None) => ConstraintInput::Notification(notify.clone()),
                (None, None, [], Some(v)) => ConstraintInput::ResourceUpdate(v.clone()),
                _ => {
                    return Err(CommandError::refused(
                        "give one of --launch-role, --template-rules, --notify or --tag-updates",
                    ));
                }
            };
            // Checked before connecting: bad input sends nothing.
            input.check().map_err(act)?;
            let conn = connect(&ctx, WHAT).await?;
            let plan = constraint::plan_add(
                conn.reader(),
                portfolio,
                product,
                &input,
                description.as_deref(),
            )
            .await
            .map_err(act)?;
            let title = format!(
                "Plan: {} constraint on {}",
                plan.spec.kind, plan.product.name
            );
            let lines = plan.lines();
            if plan.blocked() {
                print_plan(&title, &lines);
                return Err(CommandError::refused("nothing was sent"));
            }
            if !go_ahead(&title, &lines, false, yes.yes) {
                return Ok(());
            }
            let line = constraint::add(writer(&conn, WHAT)?, &plan)
                .await
                .map_err(act)?;
            done(&line);
            Ok(())
        }
        ConstraintCommand::Remove { id, yes } => {
            const WHAT: &str = "remove a constraint";
            let conn = connect(&ctx, WHAT).await?;
            let plan = constraint::plan_remove(conn.reader(), id)
                .await
                .map_err(act)?;
            if !go_ahead(
                &format!("Plan: remove constraint {id}"),
                &plan.lines(),
                false,
                yes.yes,
            ) {
                return Ok(());
            }
            let line = constraint::remove(writer(&conn, WHAT)?, &plan)
                .await
                .map_err(act)?;
            done(&line);
            Ok(())
        }
    }
}
