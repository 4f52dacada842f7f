//! `spoke repair`: the plan out of TAINTED or ERROR ([`crate::ops::act::repair`]);
//! with `--yes`, done and followed to its end.

use std::collections::BTreeMap;

use super::{CommandError, Context, print_nothing_changed, print_plan, writer};
use crate::cli::{Cli, RepairArgs};
use crate::ops::act::repair::{self, RepairPlan, RepairTo};
use crate::ops::act::{ActError, launch, terminate, update};

/// What a refusal says spoke will not do.
const WHAT: &str = "repair a provisioned product";

pub async fn run(cli: &Cli, args: &RepairArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    ctx.refuse_if_read_only(WHAT)?;
    let conn = ctx.connect().await?;
    let reader = conn.reader();
    let act = |e: ActError| CommandError::from_act(e, &[]);
    let pp = update::find_provisioned(reader, &args.provisioned)
        .await
        .map_err(act)?;
    let to = match (&args.version, args.forward) {
        (Some(v), _) => RepairTo::Version(v.clone()),
        (None, true) => RepairTo::Latest,
        (None, false) => RepairTo::default_for(&pp),
    };
    let values: BTreeMap<String, String> = args.params.iter().cloned().collect();
    let plan = repair::plan(reader, pp, to, &values).await.map_err(act)?;
    let name = plan.provisioned().name.clone();
    print_plan(&format!("Plan: repair {name}"), &plan.lines());
    if !args.yes {
        print_nothing_changed();
        return Ok(());
    }
    let writer = writer(&conn, WHAT)?;
    match &plan {
        RepairPlan::Update { request, .. } => {
            let secrets = owned(request.secret_values());
            let record = update::update(writer, request)
                .await
                .map_err(|e| act(e).without(&secrets))?;
            super::follow::report(
                reader,
                writer,
                &record,
                &format!("the update of {name}"),
                &secrets,
                false,
            )
            .await
        }
        RepairPlan::Relaunch {
            terminate: ended,
            launch: request,
            ..
        } => {
            let record = terminate::terminate(writer, ended).await.map_err(act)?;
            // The name is free only once the termination has ended.
            super::follow::report(
                reader,
                writer,
                &record,
                &format!("the termination of {name}"),
                &[],
                false,
            )
            .await
            .map_err(|mut e| {
                e.lines.push(format!(
                    "{name} was not launched again: its termination did not end well"
                ));
                e
            })?;
            let secrets = owned(request.secret_values());
            let record = launch::launch(writer, request)
                .await
                .map_err(|e| act(e).without(&secrets))?;
            super::follow::report(
                reader,
                writer,
                &record,
                &format!("the new launch of {name}"),
                &secrets,
                false,
            )
            .await
        }
    }
}

/// The secret values, to mask them in what is printed.
fn owned(values: Vec<&str>) -> Vec<String> {
    values.into_iter().map(str::to_string).collect()
}
