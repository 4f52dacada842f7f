//! A world from TOML (`assets/sandbox/*.toml`). Mistakes are reported with the
//! file, line and column, and what was expected.
//!
//! Names tie the file together: accounts by `name`, products by `name`,
//! OUs by `name`, versions by `name` within their product. Ids are derived
//! from names, so they are the same on every run. Times are given as ages
//! (`"40d"`, `"3h"`, `"90s"`) before the moment the world is loaded.
//!
//! Beyond the catalog, a world may say (every field optional, see
//! `assets/sandbox/default.toml` for examples):
//!
//! - on `[organization]`: `delegated_administrators = ["name", …]`, member
//!   accounts that may call Organizations' ListAccounts like the management account;
//! - on `[[accounts]]`: `email`, `status` (`ACTIVE`, `SUSPENDED`,
//!   `PENDING_CLOSURE`), `joined` (`CREATED`, `INVITED`; by default the
//!   management account INVITED, the others CREATED), `joined_ago`,
//!   `in_organization = false` (an account outside the organization),
//!   `end_user_full_access = true` (the caller holds
//!   AWSServiceCatalogEndUserFullAccess; `end_user_only = true` is
//!   AWSServiceCatalogEndUserReadOnlyAccess), and `[[accounts.roles]]`: IAM
//!   roles others may assume (`name`, `trusted = ["account", …]`,
//!   `max_session_seconds`). Every member account but the management one
//!   also has `OrganizationAccountAccessRole`, trusted by the management account;
//! - on a version's resource: `replacement = "TRUE" | "CONDITIONAL" | "FALSE"`,
//!   how updating to this version changes the resource (TRUE: it is deleted
//!   and created anew, with a new physical id), and `properties = ["…"]`, the
//!   properties it changes. Plans report them; updates replace TRUE resources;
//! - on `[[provisioned]]`: `fails_to_delete = "LogicalId"`, a resource of its
//!   stack that cannot be deleted: terminating it fails (TAINTED) unless
//!   IgnoreErrors; and `resource_drift = [{ resource = "Bucket", property =
//!   "/VersioningConfiguration/Status", actual = "Suspended" }, { resource =
//!   "Queue", deleted = true }]`, its stack's resources as changed outside
//!   CloudFormation (a `property` without `actual` was removed), which
//!   DetectStackDrift reports;
//! - `[[service_actions]]`: self-service actions (SSM_AUTOMATION) an account
//!   owns: `account`, `name`, `description`, `document` (the SSM document,
//!   e.g. `AWS-RestartEC2Instance`), `document_version` ("1"), `assume_role`
//!   (`LAUNCH_ROLE`), `parameters = [{ name = "InstanceId", type = "TARGET" }]`,
//!   and `products = [{ product = "…", versions = ["v2.0", …] }]`, the
//!   versions of its products it is associated with.

mod accounts;
mod drift;
mod error;
mod history;
mod identity;
mod names;
mod portfolios;
mod products;
mod schema;
mod service_actions;

use chrono::Duration;

use super::world::ids::stable_hash;
use super::world::{IdGen, Time, World};
use error::Source;
use names::Names;

pub use error::WorldError;
pub use schema::*;

/// Loads a world file: parses, checks every reference, and plays the
/// provisioned products' histories so their stacks carry real events.
pub fn load(file: &str, text: &str, now: Time) -> Result<World, WorldError> {
    let src = Source { file, text };
    let parsed: WorldFile = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        src.at(span, e.message().to_string())
    })?;
    build(&src, parsed, now)
}

/// The world a parsed file describes, in the order its parts refer to each
/// other: accounts, the organization, identities, TagOptions, products,
/// portfolios (shares, constraints), then the provisioned products' histories.
fn build(src: &Source<'_>, f: WorldFile, now: Time) -> Result<World, WorldError> {
    let mut w = World {
        ids: IdGen::new(stable_hash(&[src.file, "world"])),
        ..World::default()
    };
    let mut n = Names::new(src, now);
    accounts::accounts(&mut n, &mut w, &f.accounts)?;
    if let Some(o) = &f.organization {
        accounts::organization(&n, &mut w, o)?;
    }
    identity::apply(src, &f, &mut w, &|s| n.account(s))?;
    products::tag_options(&mut n, &mut w, &f.tag_options)?;
    products::products(&mut n, &mut w, &f.products)?;
    portfolios::portfolios(&mut n, &mut w, &f.portfolios)?;
    service_actions::service_actions(&n, &mut w, &f.service_actions)?;
    w.store_catalog_templates(now);
    let mut played = Vec::new();
    for pp in &f.provisioned {
        played.push((history::play(&n, &mut w, pp)?, pp));
    }
    w.advance(now);
    // Changes outside CloudFormation come after the deployments they follow.
    for (id, pp) in played {
        if let Some(id) = id {
            drift::apply(src, &mut w, &id, &pp.resource_drift)?;
            if pp.stack_deleted {
                drift::delete_stack(&mut w, &id, now);
            }
        }
    }
    Ok(w)
}

/// Parses an age such as `40d`, `3h`, `15m`, `90s`.
pub fn parse_age(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit() && c != '.')?);
    let n: f64 = num.parse().ok()?;
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    let secs = match unit {
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86400.0,
        _ => return None,
    };
    Some(Duration::milliseconds((secs * 1000.0) as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_parse() {
        assert_eq!(parse_age("40d"), Some(Duration::days(40)));
        assert_eq!(parse_age("90s"), Some(Duration::seconds(90)));
        assert_eq!(parse_age("1.5h"), Some(Duration::minutes(90)));
        assert_eq!(parse_age("forty days"), None);
        assert_eq!(parse_age("10y"), None);
        assert_eq!(parse_age(""), None);
    }

    #[test]
    fn a_typo_names_file_line_and_field() {
        let text = "[[accounts]]\nname = \"hub\"\nid = \"111111111111\"\nregoin = \"us-east-1\"\n";
        let e = load("w.toml", text, chrono::Utc::now()).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("w.toml", 4), "{e}");
        assert!(e.message.contains("unknown field `regoin`"), "{e}");
    }

    #[test]
    fn an_unknown_reference_names_its_line() {
        let text = "[[accounts]]\nname = \"hub\"\nid = \"111111111111\"\n\n[[portfolios]]\naccount = \"hubb\"\nname = \"P\"\nprovider = \"x\"\n";
        let e = load("w.toml", text, chrono::Utc::now()).unwrap_err();
        assert_eq!(e.line, 6, "{e}");
        assert!(e.message.contains("unknown account `hubb`"), "{e}");
        assert!(e.to_string().starts_with("w.toml:6:"), "{e}");
    }
}
