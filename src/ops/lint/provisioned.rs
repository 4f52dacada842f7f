//! The rules over provisioned products.

use std::collections::BTreeMap;

use super::read::AccountFacts;
use super::{Entity, Fix, Fleet, Out};
use crate::model::{Drift, Inventory, OptIn, PpStatus, ProvisionedProduct, Section};

fn entity(p: &ProvisionedProduct) -> Entity {
    Entity {
        kind: "provisioned product",
        id: p.id.clone(),
        name: p.name.clone(),
        arn: Some(p.arn.clone()),
    }
}

/// "S3 Bucket v1.0", from what the inventory knows.
fn running(inv: &Inventory, p: &ProvisionedProduct) -> String {
    let product = p
        .product_name
        .clone()
        .or_else(|| inv.product(&p.product_id).map(|x| x.name.clone()))
        .unwrap_or_else(|| p.product_id.clone());
    let version = p
        .version_name
        .clone()
        .or_else(|| {
            inv.product(&p.product_id)
                .and_then(|x| x.version(&p.version_id))
                .map(|v| v.name.clone())
        })
        .unwrap_or_else(|| p.version_id.clone());
    format!("{product} {version}")
}

/// Says once per account that its provisioned products were not read.
fn provisioned_read(id: &'static str, a: &AccountFacts, inv: &Inventory, out: &mut Out) -> bool {
    match inv.read(Section::Provisioned).problem() {
        Some(p) => {
            out.unchecked(id, a, p.message.clone());
            inv.read(Section::Provisioned).is_read()
        }
        None => true,
    }
}

pub fn outdated_version(fleet: &Fleet<'_>, out: &mut Out) {
    const ID: &str = "pp-outdated-version";
    for (a, inv) in fleet.read() {
        if !provisioned_read(ID, a, inv, out) {
            continue;
        }
        for p in &inv.provisioned {
            let what = match inv.drift_of(&p.id) {
                Drift::OnDeprecated => "a deprecated version",
                Drift::OnInactive => "an inactive version",
                Drift::NotRead => {
                    out.unchecked(
                        ID,
                        a,
                        format!("the versions of {}'s product were not read", p.name),
                    );
                    continue;
                }
                _ => continue,
            };
            out.find(
                ID,
                a,
                entity(p),
                format!("{} runs {}, {what}", p.name, running(inv, p)),
                Fix::Update {
                    account: inv.account.clone(),
                    provisioned: p.id.clone(),
                },
            );
        }
    }
}

pub fn failed(fleet: &Fleet<'_>, out: &mut Out) {
    const ID: &str = "pp-failed";
    for (a, inv) in fleet.read() {
        if !provisioned_read(ID, a, inv, out) {
            continue;
        }
        for p in &inv.provisioned {
            let status = match p.status {
                PpStatus::Tainted => "TAINTED",
                PpStatus::Error => "ERROR",
                _ => continue,
            };
            let why = inv
                .failed_requests
                .get(&p.id)
                .and_then(|r| r.errors.first())
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            out.find(
                ID,
                a,
                entity(p),
                format!("{} is {status} (its last request failed){why}", p.name),
                Fix::Repair {
                    account: inv.account.clone(),
                    provisioned: p.id.clone(),
                },
            );
        }
    }
}

pub fn stuck(fleet: &Fleet<'_>, out: &mut Out) {
    const ID: &str = "pp-stuck";
    let hours = fleet.config.under_change_hours;
    for (a, inv) in fleet.read() {
        if !provisioned_read(ID, a, inv, out) {
            continue;
        }
        for p in inv
            .provisioned
            .iter()
            .filter(|p| p.status == PpStatus::UnderChange)
        {
            let since = match a.extra.changing_since.get(&p.id) {
                Some(Ok(Some(t))) => *t,
                Some(Err(why)) => {
                    out.unchecked(ID, a, format!("{}: {why}", p.name));
                    continue;
                }
                _ => {
                    out.unchecked(
                        ID,
                        a,
                        format!("when {}'s request started was not read", p.name),
                    );
                    continue;
                }
            };
            let elapsed = fleet.now - since;
            if elapsed <= chrono::Duration::hours(hours) {
                continue;
            }
            out.find(
                ID,
                a,
                entity(p),
                format!(
                    "{} has been UNDER_CHANGE for {} h (more than {hours} h)",
                    p.name,
                    elapsed.num_hours()
                ),
                Fix::Console {
                    what: format!(
                        "look at the events of {}'s stack in the CloudFormation console; signal or cancel what waits",
                        p.name
                    ),
                },
            );
        }
    }
}

pub fn stack_missing(fleet: &Fleet<'_>, out: &mut Out) {
    const ID: &str = "pp-stack-missing";
    for (a, inv) in fleet.read() {
        if !provisioned_read(ID, a, inv, out) {
            continue;
        }
        for p in &inv.provisioned {
            match a.extra.stacks.get(&p.id) {
                Some(Ok(true)) => {}
                Some(Ok(false)) => out.find(
                    ID,
                    a,
                    entity(p),
                    format!(
                        "the stack of {} ({}) no longer exists",
                        p.name,
                        p.stack_arn.as_deref().unwrap_or("no stack id")
                    ),
                    Fix::Console {
                        what: format!(
                            "terminate {} (spoke terminate) and launch it again if it is still needed",
                            p.name
                        ),
                    },
                ),
                Some(Err(why)) => out.unchecked(ID, a, format!("{}: {why}", p.name)),
                // No stack id: not a stack-backed product, or not known yet.
                None => {}
            }
        }
    }
}

/// Under a tag policy: products with provisioned products behind that
/// neither they nor the provisioned products are tagged for; one finding
/// per product, in its owner's account when it is in the fleet.
pub fn not_opted_in(fleet: &Fleet<'_>, out: &mut Out) {
    const ID: &str = "product-not-opted-in";
    let OptIn::Tag { key, value } = &fleet.config.policy else {
        return;
    };
    // By product id: the names of the provisioned products left behind.
    let mut left: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (a, inv) in fleet.read() {
        if !provisioned_read(ID, a, inv, out) {
            continue;
        }
        for p in &inv.provisioned {
            if !matches!(
                inv.drift_of(&p.id),
                Drift::Behind(_) | Drift::OnDeprecated | Drift::OnInactive
            ) {
                continue;
            }
            let Some(product) = inv.product(&p.product_id) else {
                continue;
            };
            if product.tag_options.is_none() {
                out.unchecked(
                    ID,
                    a,
                    format!("the TagOptions of {} were not read", product.name),
                );
                continue;
            }
            if fleet
                .config
                .policy
                .admits(p, product.has_tag_option(key, value))
            {
                continue;
            }
            left.entry(p.product_id.as_str())
                .or_default()
                .push(format!("{} ({})", p.name, a.label));
        }
    }
    for (product_id, pps) in left {
        // The owner's account if the fleet has it, else the first that runs it.
        let owner = fleet
            .read()
            .find(|(_, inv)| inv.product(product_id).is_some_and(|p| p.origin.is_local()));
        let Some((a, inv)) = owner.or_else(|| {
            fleet
                .read()
                .find(|(_, inv)| inv.product(product_id).is_some())
        }) else {
            continue;
        };
        let Some(product) = inv.product(product_id) else {
            continue;
        };
        out.find(
            ID,
            a,
            Entity {
                kind: "product",
                id: product.id.clone(),
                name: product.name.clone(),
                arn: Some(product.arn.clone()),
            },
            format!(
                "{} is not opted in ({key}={value}): the bulk update leaves {} behind: {}",
                product.name,
                pps.len(),
                pps.join(", ")
            ),
            Fix::OptIn {
                account: inv.account.clone(),
                product: product.id.clone(),
            },
        );
    }
}
