//! The rules over portfolios, shares, constraints, products and versions.

use std::collections::BTreeSet;

use super::read::role_in;
use super::{Entity, Fix, Fleet, Out};
use crate::model::{
    ConstraintKind, ConstraintParams, Inventory, Portfolio, Product, ProductOrigin, Section,
};

fn portfolio_entity(p: &Portfolio) -> Entity {
    Entity {
        kind: "portfolio",
        id: p.id.clone(),
        name: p.name.clone(),
        arn: Some(p.arn.clone()),
    }
}

fn product_entity(p: &Product) -> Entity {
    Entity {
        kind: "product",
        id: p.id.clone(),
        name: p.name.clone(),
        arn: Some(p.arn.clone()),
    }
}

/// "Data & Analytics" of a portfolio id, or the id.
pub(super) fn portfolio_name(inv: &Inventory, id: &str) -> String {
    inv.portfolio(id)
        .map_or_else(|| id.to_string(), |p| p.name.clone())
}

/// Imported products a spoke put in its own portfolios with no LAUNCH
/// constraint in any of them.
pub fn imported_no_launch_constraint(fleet: &Fleet<'_>, out: &mut Out) {
    const ID: &str = "imported-no-launch-constraint";
    for (a, inv) in fleet.read() {
        for product in inv
            .products
            .iter()
            .filter(|p| matches!(p.origin, ProductOrigin::Imported { .. }))
        {
            let local: Vec<&Portfolio> = inv
                .portfolios_of(product)
                .filter(|p| p.origin.is_local())
                .collect();
            if local.is_empty() {
                continue;
            }
            if let Some(p) = local
                .iter()
                .find_map(|p| inv.read_of(Section::Constraints, &p.id).problem())
            {
                out.unchecked(ID, a, p.message.clone());
                continue;
            }
            let launch = local.iter().any(|p| {
                inv.constraints_of(&p.id, Some(&product.id))
                    .any(|c| c.kind == ConstraintKind::Launch)
            });
            if !launch {
                let names: Vec<&str> = local.iter().map(|p| p.name.as_str()).collect();
                out.find(
                    ID,
                    a,
                    product_entity(product),
                    format!(
                        "imported {} is in {} with no LAUNCH constraint: launches run with the caller's rights or fail",
                        product.name,
                        names.join(", ")
                    ),
                    Fix::Console {
                        what: format!(
                            "add a LAUNCH constraint to {} in {} (spoke constraint add --type LAUNCH)",
                            product.name, names[0]
                        ),
                    },
                );
            }
        }
    }
}

/// Local portfolios holding products, shared with nobody, with no principals.
pub fn portfolio_no_principals(fleet: &Fleet<'_>, out: &mut Out) {
    const ID: &str = "portfolio-no-principals";
    for (a, inv) in fleet.read() {
        for p in inv.portfolios.iter().filter(|p| p.origin.is_local()) {
            if inv.products_in(&p.id).next().is_none() {
                continue;
            }
            let Some(principals) = inv.principals.get(&p.id) else {
                out.unchecked(ID, a, format!("the principals of {} were not read", p.name));
                continue;
            };
            if let Some(problem) = inv.read_of(Section::Shares, &p.id).problem()
                && !inv.read_of(Section::Shares, &p.id).is_read()
            {
                out.unchecked(ID, a, problem.message.clone());
                continue;
            }
            if principals.is_empty() && inv.shares_of(&p.id).next().is_none() {
                out.find(
                    ID,
                    a,
                    portfolio_entity(p),
                    format!(
                        "{} holds {} product(s), has no principals and is shared with nobody: nobody can launch from it",
                        p.name,
                        inv.products_in(&p.id).count()
                    ),
                    Fix::Console {
                        what: format!(
                            "grant a role or group access to {} (spoke principal add), or share it",
                            p.name
                        ),
                    },
                );
            }
        }
    }
}

/// LAUNCH constraints whose role is missing in the account, or does not
/// trust Service Catalog.
pub fn launch_role_missing(fleet: &Fleet<'_>, out: &mut Out) {
    const ID: &str = "launch-role-missing";
    for (a, inv) in fleet.read() {
        for c in inv
            .constraints
            .iter()
            .filter(|c| c.kind == ConstraintKind::Launch)
        {
            let Some(ConstraintParams::Launch { role }) = &c.params else {
                out.unchecked(
                    ID,
                    a,
                    format!("the parameters of constraint {} were not read", c.id),
                );
                continue;
            };
            let Some(name) = role_in(role, &inv.account) else {
                // A role of another account: GetRole cannot ask for it.
                out.unchecked(
                    ID,
                    a,
                    format!("constraint {} names a role of another account", c.id),
                );
                continue;
            };
            let product = inv
                .product(&c.product_id)
                .map_or(c.product_id.as_str(), |p| p.name.as_str());
            let portfolio = portfolio_name(inv, &c.portfolio_id);
            let problem = match a.extra.roles.get(&name) {
                None => {
                    out.unchecked(ID, a, format!("role {name} was not read"));
                    continue;
                }
                Some(Err(why)) => {
                    out.unchecked(ID, a, format!("role {name}: {why}"));
                    continue;
                }
                Some(Ok(None)) => format!("role {name} does not exist in {}", inv.account),
                Some(Ok(Some(r))) => match r.trusts_service("servicecatalog.amazonaws.com") {
                    Some(true) => continue,
                    Some(false) => format!(
                        "role {name} does not trust servicecatalog.amazonaws.com: Service Catalog cannot assume it"
                    ),
                    None => {
                        out.unchecked(
                            ID,
                            a,
                            format!("the trust policy of role {name} was not read"),
                        );
                        continue;
                    }
                },
            };
            out.find(
                ID,
                a,
                Entity {
                    kind: "constraint",
                    id: c.id.clone(),
                    name: format!("LAUNCH {name} on {product} in {portfolio}"),
                    arn: None,
                },
                format!("the LAUNCH constraint of {product} in {portfolio}: {problem}; launches through it fail"),
                Fix::Console {
                    what: format!(
                        "create role {name} in {} trusting servicecatalog.amazonaws.com (IAM console), or change the constraint",
                        inv.account
                    ),
                },
            );
        }
    }
}

/// Products (of their owner) with no active, non-deprecated version.
pub fn no_launchable_version(fleet: &Fleet<'_>, out: &mut Out) {
    const ID: &str = "product-no-launchable-version";
    for (a, inv) in fleet.read() {
        for p in inv
            .products
            .iter()
            .filter(|p| p.origin == ProductOrigin::Local)
        {
            if !inv.versions_read(&p.id) {
                out.unchecked(ID, a, format!("the versions of {} were not read", p.name));
                continue;
            }
            if p.latest_version().is_none() {
                out.find(
                    ID,
                    a,
                    product_entity(p),
                    format!(
                        "{} has {} version(s), none active and recommended: nothing can be launched from it",
                        p.name,
                        p.versions.len()
                    ),
                    Fix::Console {
                        what: format!(
                            "publish a new version of {} (spoke version publish), or take one out of deprecation",
                            p.name
                        ),
                    },
                );
            }
        }
    }
}

/// TEMPLATE constraint rules naming a parameter the latest version lacks.
pub fn template_rule_unknown_parameter(fleet: &Fleet<'_>, out: &mut Out) {
    const ID: &str = "template-rule-unknown-parameter";
    for (a, inv) in fleet.read() {
        for c in inv
            .constraints
            .iter()
            .filter(|c| c.kind == ConstraintKind::Template)
        {
            let Some(ConstraintParams::Template { rules }) = &c.params else {
                out.unchecked(
                    ID,
                    a,
                    format!("the rules of constraint {} were not read", c.id),
                );
                continue;
            };
            let keys = match a.extra.latest_parameters.get(&c.product_id) {
                Some(Ok(keys)) => keys,
                Some(Err(why)) => {
                    out.unchecked(ID, a, why.clone());
                    continue;
                }
                None => {
                    out.unchecked(
                        ID,
                        a,
                        format!(
                            "the latest version of product {} was not read",
                            c.product_id
                        ),
                    );
                    continue;
                }
            };
            let product = inv
                .product(&c.product_id)
                .map_or(c.product_id.as_str(), |p| p.name.as_str());
            let latest = inv
                .latest_version_of(&c.product_id)
                .map_or("its latest version", |v| v.name.as_str());
            let portfolio = portfolio_name(inv, &c.portfolio_id);
            for r in rules {
                let unknown: Vec<&str> = r
                    .parameters
                    .iter()
                    .filter(|p| !keys.contains(p))
                    .map(String::as_str)
                    .collect();
                if unknown.is_empty() {
                    continue;
                }
                out.find(
                    ID,
                    a,
                    Entity {
                        kind: "constraint",
                        id: c.id.clone(),
                        name: format!("TEMPLATE rule {} on {product} in {portfolio}", r.name),
                        arn: None,
                    },
                    format!(
                        "rule {} names {}, which {product} {latest} does not have",
                        r.name,
                        unknown.join(", ")
                    ),
                    Fix::Console {
                        what: format!(
                            "rewrite the TEMPLATE constraint of {product} in {portfolio} for {latest}'s parameters"
                        ),
                    },
                );
            }
        }
    }
}

/// Versions of a product (in its owner account) older than the threshold
/// that no provisioned product of any account read uses, latest excepted.
pub fn version_unused(fleet: &Fleet<'_>, out: &mut Out) {
    const ID: &str = "version-unused";
    // Whether every account's provisioned products were read: otherwise
    // "unused" cannot be said.
    let gap = fleet.accounts.iter().find_map(|a| match &a.inventory {
        None => Some(format!("{} was not read", a.label)),
        Some(inv) => inv
            .read(Section::Provisioned)
            .problem()
            .map(|p| format!("{}: {}", a.label, p.message)),
    });
    let used: BTreeSet<&str> = fleet
        .read()
        .flat_map(|(_, inv)| inv.provisioned.iter().map(|p| p.version_id.as_str()))
        .collect();
    let cutoff = fleet.now - chrono::Duration::days(fleet.config.unused_version_days);
    for (a, inv) in fleet.read() {
        if let Some(why) = &gap {
            out.unchecked(ID, a, why.clone());
            continue;
        }
        for p in inv
            .products
            .iter()
            .filter(|p| p.origin == ProductOrigin::Local)
        {
            if !inv.versions_read(&p.id) {
                continue;
            }
            let latest = p.latest_version().map(|v| v.id.as_str());
            for v in &p.versions {
                let old = v.created.is_some_and(|t| t < cutoff);
                if !old || Some(v.id.as_str()) == latest || used.contains(v.id.as_str()) {
                    continue;
                }
                let days = v.created.map_or(0, |t| (fleet.now - t).num_days());
                out.find(
                    ID,
                    a,
                    Entity {
                        kind: "version",
                        id: v.id.clone(),
                        name: format!("{} {}", p.name, v.name),
                        arn: Some(p.arn.clone()),
                    },
                    format!(
                        "{} {} is {days} days old and no provisioned product of the {} account(s) read uses it",
                        p.name,
                        v.name,
                        fleet.accounts.len()
                    ),
                    Fix::Console {
                        what: format!("deprecate or delete {} {} (spoke version)", p.name, v.name),
                    },
                );
            }
        }
    }
}
