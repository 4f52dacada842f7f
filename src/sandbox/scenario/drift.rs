//! A provisioned product's `resource_drift` in a world file: changes made
//! to its stack's resources outside CloudFormation, checked against the
//! resources its history left.

use super::error::{Source, WorldError};
use super::schema::DriftFile;
use crate::sandbox::world::World;
use crate::sandbox::world::drift::{OutOfBand, expected_properties};

pub(super) fn apply(
    src: &Source<'_>,
    w: &mut World,
    pp_id: &str,
    drifts: &[DriftFile],
) -> Result<(), WorldError> {
    let Some(stack_id) = w.provisioned.get(pp_id).map(|p| p.stack_id.clone()) else {
        return Ok(());
    };
    let Some(stack) = w.stacks.get_mut(&stack_id) else {
        return Ok(());
    };
    for d in drifts {
        let logical = d.resource.get_ref();
        let Some(resource) = stack.resources.get(logical) else {
            let known: Vec<&str> = stack.resources.keys().map(String::as_str).collect();
            return Err(src.on(
                &d.resource,
                format!(
                    "its stack has no resource `{logical}` (it has: {})",
                    known.join(", ")
                ),
            ));
        };
        let expected = expected_properties(stack, resource);
        let entry: &mut OutOfBand = stack.out_of_band.entry(logical.clone()).or_default();
        match (&d.property, d.deleted) {
            (None, true) => entry.deleted = true,
            (Some(p), true) => {
                return Err(src.on(
                    p,
                    "a deleted resource has no property that drifted: give `deleted = true` or `property`, not both",
                ));
            }
            (None, false) => {
                return Err(src.on(
                    &d.resource,
                    "say what drifted: `property = \"/Path/To/Property\"` (with `actual = …`, or without it for a removed property), or `deleted = true`",
                ));
            }
            (Some(p), false) => {
                let path = p.get_ref();
                if !path.starts_with('/') {
                    return Err(src.on(
                        p,
                        format!("`property` is a JSON pointer into the resource's properties, such as `/VersioningConfiguration/Status`, not `{path}`"),
                    ));
                }
                if d.actual.is_none() && expected.pointer(path).is_none() {
                    return Err(src.on(
                        p,
                        format!(
                            "`{path}` is not among the properties of {logical} ({}), so it cannot have been removed: give `actual = …`",
                            expected
                        ),
                    ));
                }
                entry.properties.push((path.clone(), d.actual.clone()));
            }
        }
    }
    Ok(())
}

/// `stack_deleted`: the stack of `pp_id` deleted in CloudFormation, behind
/// Service Catalog's back: DELETE_COMPLETE, its resources gone.
pub(super) fn delete_stack(w: &mut World, pp_id: &str, now: crate::sandbox::world::Time) {
    let Some(stack_id) = w.provisioned.get(pp_id).map(|p| p.stack_id.clone()) else {
        return;
    };
    if let Some(stack) = w.stacks.get_mut(&stack_id) {
        stack.status = "DELETE_COMPLETE".into();
        // guess: a stack deleted by hand carries no reason.
        stack.status_reason = None;
        stack.updated = Some(now);
        stack.resources.clear();
    }
}
