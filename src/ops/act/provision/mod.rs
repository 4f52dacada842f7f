//! Provision a product by name, idempotently — for pipelines: launch it
//! when no provisioned product of that name exists, update it when its
//! version or a parameter given differs, and do nothing when it is so
//! already. The plan comes from reads only.
//!
//! A parameter not given keeps its value on update (`UsePreviousValue`)
//! and is no difference. A NoEcho parameter given is no difference either:
//! CloudFormation never shows its value again, so it cannot be compared
//! (it is sent, with the rest, when something else differs; to change a
//! secret alone, use `spoke update --param`). Tags apply at launch only.
//!
//! **Idempotency tokens.** The `ProvisionToken` and `UpdateToken` are not
//! random: each is a SHA-256 of what the request is (account, region,
//! name, product, version, path, the parameters given sorted by key, the
//! tags; an update also of the provisioned product's id and the last
//! record it updates from), so a rerun after a timeout or a killed process
//! sends the very same token and AWS answers with the record of the first
//! request instead of launching twice. NoEcho values are left out of the
//! hash (their keys are in it), so a token never carries a secret.

use std::collections::BTreeMap;

use super::launch::{self, LaunchForm, LaunchInput};
use super::update::{self, UpdateForm};
use super::{ActError, pick};
use crate::aws::{Reader, Writer};
use crate::model::launch::shown;
use crate::model::{LaunchRequest, PpStatus, ProvisionedProduct, Record, UpdateRequest};

mod token;
pub use token::{derive_token, launch_token, update_token};

/// What was asked: the desired state of one provisioned product.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProvisionInput {
    pub name: String,
    /// The product, by id or name.
    pub product: String,
    /// The version, by name or id (default: the latest active, non-deprecated one).
    pub version: Option<String>,
    /// The launch path at launch (an update keeps the one it has).
    pub path: Option<String>,
    pub values: BTreeMap<String, String>,
    pub tags: Vec<(String, String)>,
}

/// Where the token is made: the account and region the request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope<'a> {
    pub account: &'a str,
    pub region: &'a str,
}

/// One thing that differs: what, now, wanted (NoEcho values masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub what: String,
    pub now: String,
    pub wanted: String,
}

/// What provisioning will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProvisionPlan {
    /// No provisioned product of that name: launch it.
    Launch {
        form: Box<LaunchForm>,
        request: LaunchRequest,
    },
    /// It exists and differs: update it.
    Update {
        form: Box<UpdateForm>,
        request: UpdateRequest,
        differences: Vec<Difference>,
    },
    /// It exists and is so already.
    Nothing {
        provisioned: Box<ProvisionedProduct>,
        why: String,
    },
    /// It is UNDER_CHANGE (record `record_id` running): the plan can be
    /// made once that settles — the front end follows it, then plans again.
    Busy {
        provisioned: Box<ProvisionedProduct>,
        record_id: Option<String>,
    },
}

/// Reads what the plan needs and makes it. Refused (nothing sent): the
/// name belongs to a provisioned product of another product, or to one
/// whose last change failed (ERROR, TAINTED: `spoke repair` first).
pub async fn plan(
    reader: &Reader,
    scope: Scope<'_>,
    input: &ProvisionInput,
) -> Result<ProvisionPlan, ActError> {
    let (products, existing) = tokio::join!(
        reader.list_products(),
        reader.provisioned_by_name(&input.name)
    );
    let (products, existing) = (products?, existing?);
    let product = pick(&products, &input.product, "product", |p| &p.id, |p| &p.name)?;
    let Some(pp) = existing else {
        let form = launch::prepare(
            reader,
            &product.id,
            &product.name,
            input.version.as_deref(),
            input.path.as_deref(),
            false,
        )
        .await?;
        let mut request = launch::check(
            &form,
            &LaunchInput {
                name: input.name.clone(),
                values: input.values.clone(),
                tags: input.tags.clone(),
            },
        )?;
        request.token = launch_token(scope, &request, None);
        return Ok(ProvisionPlan::Launch {
            form: Box::new(form),
            request,
        });
    };
    if pp.product_id != product.id {
        return Err(ActError::Refused(format!(
            "{} ({}) is a provisioned product of another product ({}), not of {}: pick another --name, or change its product with `spoke update --provisioned {} --product {}`",
            shown(&pp.name),
            pp.id,
            pp.product_name.as_deref().unwrap_or(&pp.product_id),
            product.name,
            pp.name,
            product.name
        )));
    }
    if let Some(why) = failed_reason(&pp) {
        return Err(ActError::Refused(why));
    }
    if pp.status.is_in_progress() {
        return Ok(ProvisionPlan::Busy {
            record_id: pp.last_record_id.clone(),
            provisioned: Box::new(pp),
        });
    }
    let form = update::prepare(reader, pp, input.version.as_deref()).await?;
    let mut request = update::check(&form, &input.values)?;
    let differences = differences(&form, &input.values);
    if differences.is_empty() {
        let why = format!(
            "{} runs {} with these parameters already",
            form.provisioned.name,
            form.to.label()
        );
        return Ok(ProvisionPlan::Nothing {
            provisioned: Box::new(form.provisioned),
            why,
        });
    }
    request.token = update_token(scope, &form.provisioned, &request, &input.values);
    Ok(ProvisionPlan::Update {
        form: Box::new(form),
        request,
        differences,
    })
}

/// Why `pp` cannot be provisioned onto: its last change failed.
pub fn failed_reason(pp: &ProvisionedProduct) -> Option<String> {
    matches!(pp.status, PpStatus::Error | PpStatus::Tainted).then(|| {
        format!(
            "{} is {}: its last change failed{} — run `spoke repair --provisioned {}` first, then provision again",
            pp.name,
            pp.status,
            pp.status_message
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default(),
            pp.name
        )
    })
}

/// What differs between what runs and what was asked: the version, and
/// each parameter given whose value is not the stack's (NoEcho ones are
/// never compared: their values cannot be read back).
pub fn differences(form: &UpdateForm, given: &BTreeMap<String, String>) -> Vec<Difference> {
    let mut out = Vec::new();
    if form.provisioned.version_id != form.to.id {
        out.push(Difference {
            what: "version".into(),
            now: form.from.as_ref().map_or_else(
                || {
                    form.provisioned
                        .version_name
                        .clone()
                        .unwrap_or_else(|| form.provisioned.version_id.clone())
                },
                |v| v.label(),
            ),
            wanted: form.to.label(),
        });
    }
    for (key, value) in given.iter().filter(|(_, v)| !v.is_empty()) {
        let no_echo = form
            .parameters
            .parameters
            .iter()
            .any(|p| &p.key == key && p.no_echo);
        if no_echo {
            continue;
        }
        let now = form.previous.get(key);
        if now != Some(value) {
            out.push(Difference {
                what: key.clone(),
                now: now.cloned().unwrap_or_else(|| "(not set)".into()),
                wanted: value.clone(),
            });
        }
    }
    out
}

/// Sends the launch. AWS keeps a token's record for a while: if the token
/// names an earlier launch whose provisioned product has since gone
/// (terminated), that launch is not this one, so it is sent again with a
/// token derived from that record (as deterministic as the first).
pub async fn launch(
    reader: &Reader,
    writer: &Writer,
    scope: Scope<'_>,
    request: &LaunchRequest,
) -> Result<Record, ActError> {
    let mut request = request.clone();
    for _ in 0..4 {
        let record = launch::launch(writer, &request).await?;
        let settled = matches!(record.status.as_str(), "SUCCEEDED" | "FAILED");
        let gone = match (&record.provisioned_product_id, settled) {
            (Some(id), true) => reader.provisioned_by_id(id).await?.is_none(),
            _ => false,
        };
        if !gone {
            return Ok(record);
        }
        request.token = launch_token(scope, &request, Some(&record.id));
    }
    Err(ActError::Untracked(format!(
        "AWS keeps answering the launch of {} with records of provisioned products that are gone",
        request.name
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Parameter, ProvisioningParameters, Version};

    fn version(id: &str, name: &str) -> Version {
        Version {
            id: id.into(),
            name: name.into(),
            description: None,
            created: None,
            active: true,
            deprecated: false,
        }
    }

    fn form(to: &str) -> UpdateForm {
        let param = |key: &str, no_echo: bool| Parameter {
            key: key.into(),
            default: None,
            kind: "String".into(),
            description: None,
            no_echo,
            allowed: vec![],
            pattern: None,
            constraint_description: None,
            min_length: None,
            max_length: None,
        };
        let pp = crate::model::provisioned::tests::pp("pp-1", "pa-1", PpStatus::Available);
        UpdateForm {
            product_id: pp.product_id.clone(),
            provisioned: pp,
            product_name: "VPC".into(),
            versions: vec![version("pa-1", "v1"), version("pa-2", "v2")],
            from: Some(version("pa-1", "v1")),
            to: version(to, if to == "pa-1" { "v1" } else { "v2" }),
            path_id: None,
            parameters: ProvisioningParameters {
                parameters: vec![param("Env", false), param("Key", true), param("Az", false)],
                tag_options: vec![],
                constraints: vec![],
            },
            previous: BTreeMap::from([
                ("Env".to_string(), "dev".to_string()),
                ("Key".to_string(), "****".to_string()),
                ("Az".to_string(), "2".to_string()),
            ]),
        }
    }

    #[test]
    fn only_the_version_and_parameters_given_that_differ_are_differences() {
        let given = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        // The same values, a secret given (never comparable), Az not given.
        let same = given(&[("Env", "dev"), ("Key", "hunter2")]);
        assert_eq!(differences(&form("pa-1"), &same), vec![]);
        let changed = given(&[("Env", "prod")]);
        assert_eq!(
            differences(&form("pa-1"), &changed),
            vec![Difference {
                what: "Env".into(),
                now: "dev".into(),
                wanted: "prod".into()
            }]
        );
        let newer = differences(&form("pa-2"), &same);
        assert_eq!(newer.len(), 1);
        assert_eq!(
            (newer[0].now.as_str(), newer[0].wanted.as_str()),
            ("v1", "v2")
        );
    }

    #[test]
    fn a_failed_product_is_sent_to_repair() {
        let mut pp = crate::model::provisioned::tests::pp("pp-1", "pa-1", PpStatus::Tainted);
        pp.name = "net".into();
        let why = failed_reason(&pp).unwrap();
        assert!(why.contains("net is TAINTED") && why.contains("spoke repair --provisioned net"));
        pp.status = PpStatus::Available;
        assert_eq!(failed_reason(&pp), None);
    }
}
