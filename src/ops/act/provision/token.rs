//! The idempotency tokens of `spoke provision`: derived from the request,
//! never random, so a rerun sends the same one (see [`super`]).

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::Scope;
use crate::model::{LaunchRequest, ProvisionedProduct, UpdateRequest};

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
