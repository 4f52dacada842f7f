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

use sha2::{Digest, Sha256};

use super::launch::{self, LaunchForm, LaunchInput};
use super::update::{self, UpdateForm};
use super::{ActError, pick};
use crate::aws::{Reader, Writer};
use crate::model::launch::shown;
use crate::model::{LaunchRequest, PpStatus, ProvisionedProduct, Record, UpdateRequest};

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

/// A token of AWS's pattern `[a-zA-Z0-9][a-zA-Z0-9_-]*` (68 characters,
/// of at most 128): `spk-` and the SHA-256 of `parts`, each length-prefixed.
pub fn derive_token(kind: &str, parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in std::iter::once("spoke-provision-1")
        .chain([kind])
        .chain(parts.iter().copied())
    {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    format!("spk-{}", hex::encode(hash.finalize()))
}

/// `key=value` for each parameter, sorted; a secret's value left out.
fn parameter_parts<'a>(
    values: impl Iterator<Item = (&'a str, &'a str)>,
    secret_keys: &[String],
) -> Vec<String> {
    let mut parts: Vec<String> = values
        .map(|(k, v)| match secret_keys.iter().any(|s| s == k) {
            true => format!("{k}=(secret)"),
            false => format!("{k}={v}"),
        })
        .collect();
    parts.sort();
    parts
}

/// The `ProvisionToken` of a launch; `after` is the record of an earlier
/// launch with the same token whose provisioned product is gone.
pub fn launch_token(scope: Scope<'_>, request: &LaunchRequest, after: Option<&str>) -> String {
    let mut parts: Vec<String> = vec![
        scope.account.into(),
        scope.region.into(),
        request.name.clone(),
        request.product_id.clone(),
        request.version_id.clone(),
        request.path_id.clone().unwrap_or_default(),
    ];
    parts.extend(parameter_parts(
        request
            .parameters
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
        &request.secret_keys,
    ));
    let mut tags: Vec<String> = request
        .tags
        .iter()
        .map(|(k, v)| format!("tag:{k}={v}"))
        .collect();
    tags.sort();
    parts.extend(tags);
    if let Some(after) = after {
        parts.push(format!("after:{after}"));
    }
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    derive_token("launch", &parts)
}

/// The `UpdateToken` of an update of `pp` from its last record.
pub fn update_token(
    scope: Scope<'_>,
    pp: &ProvisionedProduct,
    request: &UpdateRequest,
    given: &BTreeMap<String, String>,
) -> String {
    let mut parts: Vec<String> = vec![
        scope.account.into(),
        scope.region.into(),
        pp.id.clone(),
        pp.last_record_id.clone().unwrap_or_default(),
        request.product_id.clone(),
        request.version_id.clone(),
    ];
    parts.extend(parameter_parts(
        given.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        &request.secret_keys,
    ));
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    derive_token("update", &parts)
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

/// Sends the update; the record of the request.
pub async fn update(writer: &Writer, request: &UpdateRequest) -> Result<Record, ActError> {
    update::update(writer, request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> LaunchRequest {
        LaunchRequest {
            product_id: "prod-1".into(),
            version_id: "pa-1".into(),
            path_id: Some("lpv3-1".into()),
            name: "net".into(),
            parameters: vec![
                ("Env".into(), "dev".into()),
                ("Password".into(), "hunter2".into()),
            ],
            secret_keys: vec!["Password".into()],
            tags: vec![],
            token: String::new(),
        }
    }

    const SCOPE: Scope<'static> = Scope {
        account: "222233334444",
        region: "us-east-1",
    };

    #[test]
    fn the_token_is_the_request_and_keeps_no_secret() {
        let token = launch_token(SCOPE, &request(), None);
        assert_eq!(
            token,
            launch_token(SCOPE, &request(), None),
            "deterministic"
        );
        assert!(token.len() <= 128 && token.starts_with("spk-"));
        assert!(
            token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        let mut other = request();
        other.parameters[0].1 = "prod".into();
        assert_ne!(token, launch_token(SCOPE, &other, None));
        let mut reordered = request();
        reordered.parameters.reverse();
        assert_eq!(token, launch_token(SCOPE, &reordered, None));
        // The secret's value is not hashed: a new password, the same token.
        let mut secret = request();
        secret.parameters[1].1 = "other".into();
        assert_eq!(token, launch_token(SCOPE, &secret, None));
        assert_ne!(token, launch_token(SCOPE, &request(), Some("rec-1")));
        let elsewhere = Scope {
            account: "333344445555",
            ..SCOPE
        };
        assert_ne!(token, launch_token(elsewhere, &request(), None));
    }
}
