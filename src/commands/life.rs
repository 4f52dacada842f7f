//! `spoke records|resources|outputs|parameters|terminate`: one provisioned product's
//! life, read or ended ([`crate::ops::act::terminate`]).

use serde_json::json;

use super::{CommandError, Context, aligned, clean, print_nothing_changed, print_plan, writer};
use crate::cli::{Cli, LifeArgs, LifeFormat, TerminateArgs};
use crate::model::ProvisionedProduct;
use crate::ops::act::terminate::{self, TerminateOptions, TerminatePlan};
use crate::ops::act::{ActError, update::find_provisioned};
use crate::ops::life::MASK;

/// The `schema_version` of these commands' JSON.
const SCHEMA_VERSION: u32 = 1;

/// What a refusal says spoke will not do.
const WHAT: &str = "terminate a provisioned product";

fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| "—".into())
}

fn subject(pp: &ProvisionedProduct) -> serde_json::Value {
    json!({ "id": pp.id, "name": pp.name, "account": pp.account, "stack": pp.stack_arn })
}

async fn found(
    cli: &Cli,
    args: &LifeArgs,
) -> Result<(crate::ops::Connected, ProvisionedProduct), CommandError> {
    let ctx = Context::new(cli)?;
    let conn = ctx.connect_saying(args.format == LifeFormat::Json).await?;
    let wanted = &args.provisioned;
    let pp = find_provisioned(conn.reader(), wanted)
        .await
        .map_err(|e| CommandError::from_act(e, &[]))?;
    Ok((conn, pp))
}

fn print_json(value: serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    );
    crate::output::json::document_written();
}

/// `spoke records`: the record history, newest first.
pub async fn records(cli: &Cli, args: &LifeArgs) -> Result<(), CommandError> {
    let (conn, pp) = found(cli, args).await?;
    let records = conn
        .reader()
        .record_history(&pp.id)
        .await
        .map_err(|e| CommandError::from_read("the record history", e))?;
    match args.format {
        LifeFormat::Json => print_json(json!({
            "schema_version": SCHEMA_VERSION,
            "provisioned_product": subject(&pp),
            "records": records,
        })),
        LifeFormat::Table => {
            let mut rows = vec![
                [
                    "RECORD", "TYPE", "STATUS", "VERSION", "CREATED", "UPDATED", "ERRORS",
                ]
                .map(str::to_string)
                .to_vec(),
            ];
            rows.extend(records.iter().map(|r| {
                vec![
                    r.id.clone(),
                    r.record_type.clone(),
                    r.status.clone(),
                    r.version_id.clone().unwrap_or_else(|| "—".into()),
                    when(r.created),
                    when(r.updated),
                    r.errors.join("; "),
                ]
            }));
            crate::say!("{}", aligned(&rows).trim_end_matches('\n'));
            crate::say!(
                "{} record(s) of {} ({})",
                records.len(),
                clean(&pp.name),
                clean(&pp.id)
            );
        }
    }
    Ok(())
}

/// `spoke resources`: what the product's stack holds.
pub async fn resources(cli: &Cli, args: &LifeArgs) -> Result<(), CommandError> {
    let (conn, pp) = found(cli, args).await?;
    let Some(stack) = pp.stack_arn.clone() else {
        return Err(CommandError::refused(format!(
            "{} has no CloudFormation stack (not a CloudFormation product, or not launched yet)",
            pp.name
        )));
    };
    let resources = conn
        .reader()
        .stack_resources(&stack)
        .await
        .map_err(|e| CommandError::from_read("the stack's resources", e))?;
    match args.format {
        LifeFormat::Json => print_json(json!({
            "schema_version": SCHEMA_VERSION,
            "provisioned_product": subject(&pp),
            "resources": resources,
        })),
        LifeFormat::Table => {
            let mut rows = vec![
                ["LOGICAL ID", "PHYSICAL ID", "TYPE", "STATUS", "LAST CHANGE"]
                    .map(str::to_string)
                    .to_vec(),
            ];
            rows.extend(resources.iter().map(|r| {
                vec![
                    r.logical_id.clone(),
                    if r.physical_id.is_empty() {
                        "—".into()
                    } else {
                        r.physical_id.clone()
                    },
                    r.resource_type.clone(),
                    r.status.clone(),
                    when(r.updated),
                ]
            }));
            crate::say!("{}", aligned(&rows).trim_end_matches('\n'));
            crate::say!(
                "{} resource(s) in the stack of {}",
                resources.len(),
                clean(&pp.name)
            );
        }
    }
    Ok(())
}

/// `spoke outputs`: what the product gives back.
pub async fn outputs(cli: &Cli, args: &LifeArgs) -> Result<(), CommandError> {
    let (conn, pp) = found(cli, args).await?;
    let outputs = match &pp.stack_arn {
        Some(stack) => crate::ops::life::outputs(conn.reader(), &pp.id, stack).await,
        None => conn.reader().provisioned_outputs(&pp.id).await,
    }
    .map_err(|e| CommandError::from_read("the outputs", e))?;
    let masked = outputs.iter().filter(|o| o.value == MASK).count();
    match args.format {
        LifeFormat::Json => print_json(json!({
            "schema_version": SCHEMA_VERSION,
            "provisioned_product": subject(&pp),
            "outputs": outputs,
        })),
        LifeFormat::Table => {
            let mut rows = vec![["KEY", "VALUE", "DESCRIPTION"].map(str::to_string).to_vec()];
            rows.extend(outputs.iter().map(|o| {
                vec![
                    o.key.clone(),
                    o.value.clone(),
                    o.description.clone().unwrap_or_default(),
                ]
            }));
            crate::say!("{}", aligned(&rows).trim_end_matches('\n'));
            crate::say!(
                "{} output(s) of {}{}",
                outputs.len(),
                clean(&pp.name),
                match masked {
                    0 => String::new(),
                    n => format!(" ({n} shown as {MASK}: they take a NoEcho parameter)"),
                }
            );
        }
    }
    Ok(())
}

/// `spoke parameters`: the values it runs with beside the latest
/// version's parameters, and what an update to it would change.
pub async fn parameters(cli: &Cli, args: &LifeArgs) -> Result<(), CommandError> {
    let (conn, pp) = found(cli, args).await?;
    let Some(stack) = pp.stack_arn.clone() else {
        return Err(CommandError::refused(format!(
            "{} has no CloudFormation stack, so no parameters to read (not a CloudFormation product, or not launched yet)",
            pp.name
        )));
    };
    let read = crate::ops::life::parameters(conn.reader(), &pp.id, &stack)
        .await
        .map_err(|e| CommandError::from_read("the parameters", e))?;
    let latest = read.latest.as_ref().map(|v| v.name.clone());
    match args.format {
        LifeFormat::Json => print_json(json!({
            "schema_version": SCHEMA_VERSION,
            "provisioned_product": subject(&pp),
            "running_version": read.running_version,
            "latest_version": latest,
            "latest_not_read": read.latest_unread,
            "parameters": read.lines.iter().map(|l| json!({
                "key": l.key,
                "running": l.running,
                "no_echo": l.no_echo(),
                "latest_default": l.latest.as_ref().map(|p| if p.no_echo && p.default.is_some() {
                    Some(MASK.to_string())
                } else {
                    p.default.clone()
                }),
                "in_latest": l.latest.is_some(),
                "update_would": l.change.text(),
            })).collect::<Vec<_>>(),
        })),
        LifeFormat::Table => {
            let mut rows = vec![
                ["KEY", "RUNNING", "LATEST DEFAULT", "AN UPDATE WOULD"]
                    .map(str::to_string)
                    .to_vec(),
            ];
            rows.extend(read.lines.iter().map(|l| {
                vec![
                    l.key.clone(),
                    l.running.clone().unwrap_or_else(|| "— (not set)".into()),
                    match &l.latest {
                        None => "—".into(),
                        Some(p) if p.no_echo && p.default.is_some() => MASK.into(),
                        Some(p) => p.default.clone().unwrap_or_else(|| "(none)".into()),
                    },
                    l.change.text(),
                ]
            }));
            crate::say!("{}", aligned(&rows).trim_end_matches('\n'));
            crate::say!(
                "{} parameter(s) of {}, on {}; latest: {}",
                read.lines.len(),
                clean(&pp.name),
                clean(&read.running_version),
                match (&latest, &read.latest_unread) {
                    (Some(v), None) => clean(v),
                    (Some(v), Some(why)) =>
                        format!("{} (its parameters were not read: {why})", clean(v)),
                    (None, Some(why)) => format!("none ({why})"),
                    (None, None) => "none".into(),
                }
            );
        }
    }
    Ok(())
}

/// `spoke terminate`: every product planned first (a refusal of one sends
/// nothing for any), then, with `--yes`, terminated one by one and each
/// followed to its end.
pub async fn terminate(cli: &Cli, args: &TerminateArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    ctx.refuse_if_read_only(WHAT)?;
    let conn = ctx.connect().await?;
    let reader = conn.reader();
    let act = |e: ActError| CommandError::from_act(e, &[]);
    let options = TerminateOptions {
        ignore_errors: args.ignore_errors,
        retain_physical_resources: args.retain_resources,
    };
    let mut plans: Vec<TerminatePlan> = Vec::new();
    for wanted in &args.provisioned {
        let pp = find_provisioned(reader, wanted).await.map_err(act)?;
        if plans.iter().any(|p| p.provisioned.id == pp.id) {
            continue;
        }
        plans.push(terminate::plan(reader, pp, options).await.map_err(act)?);
    }
    for plan in &plans {
        print_plan(
            &format!("Plan: terminate {}", plan.provisioned.name),
            &plan.lines(),
        );
    }
    if !args.yes {
        print_nothing_changed();
        return Ok(());
    }
    let writer = writer(&conn, WHAT)?;
    let mut failed: Vec<CommandError> = Vec::new();
    for plan in &plans {
        let done = async {
            let record = terminate::terminate(writer, plan).await.map_err(act)?;
            super::follow::report(
                reader,
                writer,
                &record,
                &format!("the termination of {}", plan.provisioned.name),
                &[],
                args.no_wait,
            )
            .await
        };
        if let Err(e) = done.await {
            for line in &e.lines {
                eprintln!("{}: {line}", clean(&plan.provisioned.name));
            }
            failed.push(e);
        }
    }
    match failed.len() {
        0 => Ok(()),
        n => Err(CommandError {
            code: failed.iter().map(|e| e.code).max().unwrap_or(1),
            lines: vec![format!(
                "{n} of {} termination(s) did not succeed (see above)",
                plans.len()
            )],
        }),
    }
}
