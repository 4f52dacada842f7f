//! A provisioned product's history in a world file, played through the
//! world's own launch and update, so its stack carries real events.

use super::error::WorldError;
use super::names::{Names, region_of};
use super::schema::{ProvisionedFile, StepFile};
use crate::sandbox::world::ids::stable_hash;
use crate::sandbox::world::provisioning::{Change, Launch};
use crate::sandbox::world::{World, launch_path_id};

/// Plays the history; answers the provisioned product's id.
pub(super) fn play(
    n: &Names<'_>,
    w: &mut World,
    pp: &ProvisionedFile,
) -> Result<Option<String>, WorldError> {
    let src = n.src;
    let acc = n.account(&pp.account)?;
    let pid = n.product(&pp.product)?;
    let region = region_of(w, &acc);
    let path = match &pp.portfolio {
        Some(name) => {
            let key = n
                .portfolios
                .iter()
                .find(|((_, n), id)| {
                    n == name.get_ref() && w.visible_portfolios(&acc, &region).any(|p| p.id == **id)
                })
                .map(|(_, id)| id.clone());
            key.ok_or_else(|| {
                src.on(
                    name,
                    format!(
                        "`{}` sees no portfolio named `{}`",
                        pp.account.get_ref(),
                        name.get_ref()
                    ),
                )
            })?
        }
        None => w
            .visible_portfolios(&acc, &region)
            .find(|p| p.products.contains(&pid))
            .map(|p| p.id.clone())
            .ok_or_else(|| {
                src.on(
                    &pp.product,
                    format!(
                        "`{}` has no portfolio holding `{}`",
                        pp.account.get_ref(),
                        pp.product.get_ref()
                    ),
                )
            })?,
    };
    let path = launch_path_id(&path);
    if pp.history.is_empty() {
        return Err(src.on(
            &pp.name,
            "history needs at least the launch: history = [{ version = \"v1\", ago = \"30d\" }]",
        ));
    }
    let caller = w
        .accounts
        .get(&acc)
        .map(|a| a.caller_arn.clone())
        .unwrap_or_default();
    let mut steps: Vec<&StepFile> = pp.history.iter().collect();
    steps.extend(pp.in_progress.iter());
    let mut last = None;
    let mut pp_id: Option<String> = None;
    for (i, step) in steps.iter().enumerate() {
        let at = n.age(Some(&step.ago), 0)?;
        if last.is_some_and(|l| at <= l) {
            return Err(src.on(
                &step.ago,
                "history steps must go forward in time (each `ago` smaller than the one before)",
            ));
        }
        last = Some(at);
        let version = w
            .products
            .get(&pid)
            .and_then(|p| {
                p.versions
                    .iter()
                    .find(|v| v.name == *step.version.get_ref())
            })
            .map(|v| v.id.clone())
            .ok_or_else(|| {
                src.on(
                    &step.version,
                    format!(
                        "product `{}` has no version `{}`",
                        pp.product.get_ref(),
                        step.version.get_ref()
                    ),
                )
            })?;
        w.advance(at);
        let token = format!(
            "world-{}",
            stable_hash(&[&acc, pp.name.get_ref(), &i.to_string()])
        );
        let result = match &pp_id {
            None => w.provision(Launch {
                account: acc.clone(),
                region: region.clone(),
                product_id: pid.clone(),
                artifact_id: version,
                path_id: path.clone(),
                name: pp.name.get_ref().clone(),
                parameters: pp.parameters.clone(),
                tags: pp
                    .tags
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                token,
                user_arn: caller.clone(),
                at,
            }),
            Some(id) => w.update_provisioned(Change {
                product_id: None,
                pp_id: id.clone(),
                artifact_id: version,
                path_id: path.clone(),
                parameters: pp.parameters.clone(),
                token,
                at,
            }),
        };
        let record = result.map_err(|e| {
            src.on(
                &step.version,
                format!("this step cannot be played: {}", e.message),
            )
        })?;
        if pp_id.is_none() {
            pp_id = w.records.get(&record).map(|r| r.pp_id.clone());
        }
    }
    if let (Some(logical), Some(id)) = (&pp.fails_to_delete, &pp_id) {
        let stack_id = w.provisioned[id].stack_id.clone();
        let known = w.products[&pid].versions.iter().any(|v| {
            v.template
                .resources
                .iter()
                .any(|r| r.logical_id == *logical.get_ref())
        });
        if !known {
            return Err(src.on(
                logical,
                format!(
                    "product `{}` has no resource `{}` (fails_to_delete names a resource of its stack)",
                    pp.product.get_ref(),
                    logical.get_ref()
                ),
            ));
        }
        w.delete_fails.insert(stack_id, logical.get_ref().clone());
    }
    Ok(pp_id)
}
