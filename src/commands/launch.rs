//! `spoke launch`: provision a product, then follow its stack
//! ([`crate::ops::act::launch`]).

use std::collections::BTreeMap;

use super::{CommandError, Context, print_nothing_changed, print_plan, writer};
use crate::cli::{Cli, LaunchArgs};
use crate::model::FieldError;
use crate::ops::act::ActError;
use crate::ops::act::launch::{self, LaunchInput};

/// What a refusal says spoke will not do.
const WHAT: &str = "launch a product";

/// The fields `ops::act::launch` names, as flags; other fields are parameters.
const FIELDS: &[(&str, &str)] = &[
    ("name", "--name"),
    ("path", "--path"),
    ("version", "--version"),
    ("product", "--product"),
];

pub async fn run(cli: &Cli, args: &LaunchArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    ctx.refuse_if_read_only(WHAT)?;
    let act = |e: ActError| CommandError::from_act(e, FIELDS);
    let values = assignments(&args.params, "--param").map_err(act)?;

    let conn = ctx.connect().await?;
    let reader = conn.reader();
    let product = launch::find_product(reader, &args.product)
        .await
        .map_err(act)?;
    let form = launch::prepare(
        reader,
        &product.id,
        &product.name,
        args.version.as_deref(),
        args.path.as_deref(),
        false,
    )
    .await
    .map_err(act)?;
    let input = LaunchInput {
        name: args.name.clone(),
        values,
        tags: args.tags.clone(),
    };
    let request = launch::check(&form, &input).map_err(act)?;
    // What exists first: a name already taken is said before the plan.
    launch::check_name_free(reader, &request.name)
        .await
        .map_err(act)?;
    let lines: Vec<String> = launch::plan_lines(&form, &request)
        .into_iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    print_plan(
        &format!("Plan: launch {} as {}", form.product_name, request.name),
        &lines,
    );
    if !args.yes {
        print_nothing_changed();
        return Ok(());
    }

    let writer = writer(&conn, WHAT)?;
    let secrets: Vec<String> = request
        .secret_values()
        .into_iter()
        .map(str::to_string)
        .collect();
    let record = launch::launch(writer, &request)
        .await
        .map_err(|e| act(e).without(&secrets))?;
    super::follow::report(
        reader,
        writer,
        &record,
        &format!("the launch of {}", request.name),
        &secrets,
        args.no_wait,
    )
    .await
}

/// `KEY=VALUE` pairs as a map; a key given twice is a mistake.
pub(super) fn assignments(
    pairs: &[(String, String)],
    flag: &str,
) -> Result<BTreeMap<String, String>, ActError> {
    let mut map = BTreeMap::new();
    let mut errors = Vec::new();
    for (k, v) in pairs {
        if map.insert(k.clone(), v.clone()).is_some() {
            errors.push(FieldError::new(
                k,
                format!("given twice: give each {flag} once"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(map)
    } else {
        Err(ActError::Invalid(errors))
    }
}
