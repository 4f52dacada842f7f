//! `[[service_actions]]` in a world file: self-service actions an account
//! owns, associated with versions of its products.

use super::error::WorldError;
use super::names::{Names, region_of};
use super::schema::ServiceActionFile;
use crate::sandbox::world::World;
use crate::sandbox::world::ids::named_id;
use crate::sandbox::world::service_actions::ServiceAction;

pub(super) fn service_actions(
    n: &Names<'_>,
    w: &mut World,
    list: &[ServiceActionFile],
) -> Result<(), WorldError> {
    let src = n.src;
    for a in list {
        let owner = n.account(&a.account)?;
        let name = a.name.get_ref();
        if name.is_empty() || name.len() > 256 {
            return Err(src.on(&a.name, "a service action's name has 1 to 256 characters"));
        }
        let id = named_id("act", &[&owner, name]);
        if w.service_actions.contains_key(&id) {
            return Err(src.on(
                &a.name,
                format!(
                    "`{}` already has a service action named `{name}`",
                    a.account.get_ref()
                ),
            ));
        }
        let mut parameters = Vec::new();
        for p in &a.parameters {
            let t = p.parameter_type.get_ref();
            if t != "TARGET" && t != "TEXT_VALUE" {
                return Err(src.on(
                    &p.parameter_type,
                    format!("a parameter's type is TARGET or TEXT_VALUE, not `{t}`"),
                ));
            }
            parameters.push((p.name.clone(), t.clone()));
        }
        let mut associations = Vec::new();
        for target in &a.products {
            let pid = n.product(&target.product)?;
            let product = &w.products[&pid];
            if product.owner_account != owner {
                return Err(src.on(
                    &target.product,
                    format!(
                        "`{}` is not a product of `{}`: an action is associated with its owner's products",
                        target.product.get_ref(),
                        a.account.get_ref()
                    ),
                ));
            }
            if target.versions.is_empty() {
                return Err(src.on(
                    &target.product,
                    "name the versions: versions = [\"v2.0\", …]",
                ));
            }
            for v in &target.versions {
                let version = product
                    .versions
                    .iter()
                    .find(|x| x.name == *v.get_ref())
                    .ok_or_else(|| {
                        src.on(
                            v,
                            format!(
                                "product `{}` has no version `{}`",
                                target.product.get_ref(),
                                v.get_ref()
                            ),
                        )
                    })?;
                associations.push((pid.clone(), version.id.clone()));
            }
        }
        let region = region_of(w, &owner);
        w.service_actions.insert(
            id.clone(),
            ServiceAction {
                id,
                owner,
                region,
                name: name.clone(),
                description: a.description.clone(),
                document: a.document.clone(),
                document_version: a.document_version.clone(),
                assume_role: a.assume_role.clone(),
                parameters,
                associations,
            },
        );
    }
    Ok(())
}
