//! `spoke action list|run`: the self-service actions of a provisioned
//! product ([`crate::ops::act::service_action`]).

use serde_json::json;

use super::launch::assignments;
use super::{CommandError, Context, aligned, clean, print_nothing_changed, print_plan, writer};
use crate::cli::{ActionArgs, ActionCommand, ActionRunArgs, Cli, LifeArgs, LifeFormat};
use crate::ops::act::follow::{Follow, RECORD_POLL};
use crate::ops::act::service_action::{self, runs};
use crate::ops::act::{ActError, update::find_provisioned};

/// The `schema_version` of `spoke action list --format json`.
const SCHEMA_VERSION: u32 = 1;

/// What a refusal says spoke will not do.
const WHAT: &str = "run a self-service action";

/// The fields `ops` names, as flags; other fields are parameters.
const FIELDS: &[(&str, &str)] = &[("action", "--action"), ("provisioned", "--provisioned")];

pub async fn run(cli: &Cli, args: &ActionArgs) -> Result<(), CommandError> {
    match &args.command {
        ActionCommand::List(args) => list(cli, args).await,
        ActionCommand::Run(args) => execute(cli, args).await,
    }
}

/// `spoke action list`.
async fn list(cli: &Cli, args: &LifeArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    let conn = ctx.connect_saying(args.format == LifeFormat::Json).await?;
    let pp = find_provisioned(conn.reader(), &args.provisioned)
        .await
        .map_err(|e| CommandError::from_act(e, FIELDS))?;
    let actions = service_action::list(conn.reader(), &pp)
        .await
        .map_err(|e| CommandError::from_read("the service actions", e))?;
    match args.format {
        LifeFormat::Json => {
            let value = json!({
                "schema_version": SCHEMA_VERSION,
                "provisioned_product": {
                    "id": pp.id, "name": pp.name, "account": pp.account,
                    "product_id": pp.product_id, "product_name": pp.product_name,
                    "version_id": pp.version_id, "version_name": pp.version_name,
                },
                "actions": actions,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
            crate::output::json::document_written();
        }
        LifeFormat::Table => {
            let mut rows = vec![
                ["NAME", "ID", "DOCUMENT", "PARAMETERS", "DESCRIPTION"]
                    .map(str::to_string)
                    .to_vec(),
            ];
            rows.extend(actions.iter().map(|a| {
                vec![
                    a.name.clone(),
                    a.id.clone(),
                    a.document_label(),
                    a.parameters_label(),
                    match &a.detail_error {
                        Some(why) => format!("(not described: {why})"),
                        None => a.description.clone().unwrap_or_default(),
                    },
                ]
            }));
            if !actions.is_empty() {
                crate::say!("{}", aligned(&rows).trim_end_matches('\n'));
            }
            crate::say!(
                "{} action(s) associated with {}, the version {} ({}) runs",
                actions.len(),
                clean(&runs(&pp)),
                clean(&pp.name),
                clean(&pp.id)
            );
        }
    }
    Ok(())
}

/// `spoke action run`: the plan, then with `--yes` the execution,
/// followed to its end.
async fn execute(cli: &Cli, args: &ActionRunArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    ctx.refuse_if_read_only(WHAT)?;
    let act = |e: ActError| CommandError::from_act(e, FIELDS);
    let given = assignments(&args.params, "--param").map_err(act)?;
    let conn = ctx.connect().await?;
    let reader = conn.reader();
    let pp = find_provisioned(reader, &args.provisioned)
        .await
        .map_err(act)?;
    let plan = service_action::plan(reader, pp, &args.action, &given)
        .await
        .map_err(act)?;
    print_plan(
        &format!(
            "Plan: run {} on {}",
            plan.action.name, plan.provisioned.name
        ),
        &plan.lines(),
    );
    if !args.yes {
        print_nothing_changed();
        return Ok(());
    }
    let writer = writer(&conn, WHAT)?;
    let record = service_action::execute(writer, &plan).await.map_err(act)?;
    super::follow::report_with(
        reader,
        writer,
        &record,
        &format!("{} on {}", plan.action.name, plan.provisioned.name),
        &[],
        args.no_wait,
        Follow::record_only(RECORD_POLL),
    )
    .await
}
