//! `spoke provision`: launch or update a provisioned product by name, or
//! do nothing when it is so already ([`crate::ops::act::provision`]);
//! `--outputs` hands its outputs to the next stage of a pipeline.

use std::path::Path;

use serde_json::json;

use super::follow::{Out, followed};
use super::{CommandError, Context, NOTHING_CHANGED, clean, writer};
use crate::cli::{Cli, ProvisionArgs, ProvisionFormat};
use crate::model::Output;
use crate::ops::Connected;
use crate::ops::act::ActError;
use crate::ops::act::follow::{Follow, RECORD_POLL, follow_with};
use crate::ops::act::launch;
use crate::ops::act::provision::{self, ProvisionInput, ProvisionPlan, Scope};
use crate::ops::life::MASK;

/// The `schema_version` of the result and of the outputs file.
const SCHEMA_VERSION: u32 = 1;

/// What a refusal says spoke will not do.
const WHAT: &str = "provision a product";

/// The fields `ops::act` names, as flags; other fields are parameters.
const FIELDS: &[(&str, &str)] = &[
    ("name", "--name"),
    ("path", "--path"),
    ("version", "--version"),
    ("product", "--product"),
];

/// How many times a request already running is followed before planning.
const BUSY_ROUNDS: usize = 3;

pub async fn run(cli: &Cli, args: &ProvisionArgs) -> Result<(), CommandError> {
    let json = args.format == ProvisionFormat::Json;
    let outputs_to_stdout = args.outputs.as_deref() == Some(Path::new("-"));
    if json && outputs_to_stdout {
        return Err(CommandError::refused(
            "--format json and --outputs - both write to stdout: give --outputs a file",
        ));
    }
    let out = Out {
        stderr: json || outputs_to_stdout,
    };
    let ctx = Context::new(cli)?;
    let act = |e: ActError| CommandError::from_act(e, FIELDS);
    let values = super::launch::assignments(&args.params, "--param").map_err(act)?;
    let conn = ctx.connect_saying(out.stderr).await?;
    let reader = conn.reader();
    let account = conn.identity().account_id.clone();
    let scope = Scope {
        account: &account,
        region: conn.region(),
    };
    let input = ProvisionInput {
        name: args.name.clone(),
        product: args.product.clone(),
        version: args.version.clone(),
        path: args.path.clone(),
        values,
        tags: args.tags.clone(),
    };

    // A change already running on it (a killed run's, say): followed to
    // its end first, then planned again.
    let mut plan = provision::plan(reader, scope, &input).await.map_err(act)?;
    for _ in 0..BUSY_ROUNDS {
        let ProvisionPlan::Busy {
            provisioned,
            record_id,
        } = &plan
        else {
            break;
        };
        let running = record_id.as_deref().unwrap_or("(unknown)");
        if args.no_wait {
            return Err(CommandError::refused(format!(
                "{} is {} (record {running} is running): nothing was sent — run again without --no-wait to wait for it, then provision",
                provisioned.name, provisioned.status
            )));
        }
        out.line(&clean(&format!(
            "{} is {}: record {running} is running — following it before planning",
            provisioned.name, provisioned.status
        )));
        match record_id {
            Some(id) => {
                follow_with(reader, id, Follow::record_only(RECORD_POLL), |_| {})
                    .await
                    .map_err(act)?;
            }
            None => tokio::time::sleep(RECORD_POLL).await,
        }
        plan = provision::plan(reader, scope, &input).await.map_err(act)?;
    }

    let (verb, secrets, planned_id) = match &plan {
        ProvisionPlan::Busy { provisioned, .. } => {
            return Err(CommandError::refused(format!(
                "{} is still {}: wait until it settles, then provision",
                provisioned.name, provisioned.status
            )));
        }
        ProvisionPlan::Nothing { provisioned, why } => {
            out.line(&clean(&format!("Unchanged: {why} — nothing to do")));
            let record_id = provisioned.last_successful_record_id.clone();
            if let Some(dest) = &args.outputs {
                let (id, name) = (&provisioned.id, &provisioned.name);
                write_outputs(&conn, id, name, record_id.as_deref(), &[], args, dest).await?;
            }
            result(
                json,
                "unchanged",
                &provisioned.id,
                &provisioned.name,
                record_id.as_deref(),
                Some("SUCCEEDED"),
            );
            return Ok(());
        }
        ProvisionPlan::Launch { form, request } => {
            out.line(&clean(&format!(
                "Plan: launch {} as {} (no provisioned product of that name)",
                form.product_name, request.name
            )));
            for (k, v) in launch::plan_lines(form, request) {
                out.line(&clean(&format!("  {k}: {v}")));
            }
            ("launch", secret_values(request.secret_values()), "")
        }
        ProvisionPlan::Update {
            form,
            request,
            differences,
        } => {
            out.line(&clean(&format!(
                "Plan: update {} ({}, {}): parameters not given keep their values",
                form.provisioned.name, form.provisioned.id, form.product_name
            )));
            for d in differences {
                out.line(&clean(&format!("  {}: {} → {}", d.what, d.now, d.wanted)));
            }
            (
                "update",
                secret_values(request.secret_values()),
                form.provisioned.id.as_str(),
            )
        }
    };
    let name = args.name.as_str();
    if !args.yes {
        out.line(NOTHING_CHANGED);
        result(json, &format!("would_{verb}"), planned_id, name, None, None);
        return Ok(());
    }

    ctx.refuse_if_read_only(WHAT)?;
    let writer = writer(&conn, WHAT)?;
    let sent = match &plan {
        ProvisionPlan::Launch { request, .. } => {
            provision::launch(reader, writer, scope, request).await
        }
        ProvisionPlan::Update { request, .. } => {
            crate::ops::act::update::update(writer, request).await
        }
        _ => unreachable!("the other plans returned above"),
    };
    let record = sent.map_err(|e| act(e).without(&secrets))?;
    let done = if verb == "launch" {
        "launched"
    } else {
        "updated"
    };
    let pp_id = record.provisioned_product_id.clone().unwrap_or_default();
    out.sent(&record);
    if args.no_wait {
        out.not_waiting(&record);
        if args.outputs.is_some() {
            out.line(
                "--outputs: not written (--no-wait: the outputs come when the request succeeds)",
            );
        }
        let status = Some(record.status.as_str());
        result(json, done, &pp_id, name, Some(&record.id), status);
        return Ok(());
    }
    let what = format!("the {verb} of {name}");
    let how = Follow::everything(RECORD_POLL);
    let last = match followed(reader, writer, &record, &what, &secrets, how, out).await {
        Ok(last) => last,
        Err(e) => {
            result(json, done, &pp_id, name, Some(&record.id), Some("FAILED"));
            return Err(e);
        }
    };
    if let Some(dest) = &args.outputs {
        write_outputs(&conn, &pp_id, name, Some(&last.id), &secrets, args, dest).await?;
    }
    result(json, done, &pp_id, name, Some(&last.id), Some(&last.status));
    Ok(())
}

fn secret_values(values: Vec<&str>) -> Vec<String> {
    values.into_iter().map(str::to_string).collect()
}

/// With `--format json`, the command's own result on stdout.
fn result(
    json: bool,
    action: &str,
    id: &str,
    name: &str,
    record_id: Option<&str>,
    status: Option<&str>,
) {
    if !json {
        return;
    }
    let outcome = match action {
        "unchanged" => "unchanged",
        a if a.starts_with("would_") => "planned",
        _ if status == Some("FAILED") => "failed",
        _ => "done",
    };
    // The last line of the JSON Lines on stdout, after the stream's events.
    crate::output::json::result(json!({
        "outcome": outcome,
        "action": action,
        "provisioned_product": { "id": (!id.is_empty()).then_some(id), "name": name },
        "record_id": record_id,
        "status": status,
    }));
}

/// Writes the outputs file (or stdout for `-`): `{"schema_version": 1,
/// "provisioned_product": {id, name}, "record_id", "outputs": {KEY: VALUE}}`,
/// an output that takes a NoEcho parameter (or holds a secret given) as
/// `****` unless `--reveal-secrets`.
async fn write_outputs(
    conn: &Connected,
    pp_id: &str,
    name: &str,
    record_id: Option<&str>,
    secrets: &[String],
    args: &ProvisionArgs,
    dest: &Path,
) -> Result<(), CommandError> {
    let reader = conn.reader();
    let read = |e| CommandError::from_read("the outputs (the change itself is done)", e);
    let pp = reader.provisioned_by_id(pp_id).await.map_err(read)?;
    let stack = pp.and_then(|p| p.stack_arn);
    let mut outputs: Vec<Output> = match (&stack, args.reveal_secrets) {
        (Some(stack), false) => crate::ops::life::outputs(reader, pp_id, stack).await,
        _ => reader.provisioned_outputs(pp_id).await,
    }
    .map_err(read)?;
    if !args.reveal_secrets {
        for o in &mut outputs {
            if secrets
                .iter()
                .any(|s| !s.is_empty() && o.value.contains(s.as_str()))
            {
                o.value = MASK.to_string();
            }
        }
    }
    let map: serde_json::Map<String, serde_json::Value> = outputs
        .into_iter()
        .map(|o| (o.key, serde_json::Value::String(o.value)))
        .collect();
    let value = json!({
        "schema_version": SCHEMA_VERSION,
        "provisioned_product": { "id": pp_id, "name": name },
        "record_id": record_id,
        "outputs": map,
    });
    let text = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    if dest == Path::new("-") {
        print!("{text}");
        return Ok(());
    }
    crate::files::replace_private(dest, text.as_bytes()).map_err(|e| {
        CommandError::failed(format!(
            "could not write the outputs to {}: {e} (the change itself is done)",
            dest.display()
        ))
    })?;
    let stderr = args.format == ProvisionFormat::Json;
    Out { stderr }.line(&clean(&format!("Outputs written to {}", dest.display())));
    Ok(())
}
