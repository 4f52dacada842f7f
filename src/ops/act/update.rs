//! Update a provisioned product: to the latest version (or one named), or
//! to another product (a version of it, through one of its launch paths);
//! parameters kept with UsePreviousValue unless changed (those the target
//! lacks are dropped), refused while the product or its stack is busy.

use std::collections::BTreeMap;

use super::{ActError, pick};
use crate::aws::{Reader, Writer};
use crate::model::launch::{check_parameters, shown};
use crate::model::{
    FieldError, LaunchPath, ParamSetting, ProvisionedProduct, ProvisioningParameters, Record,
    UpdateRequest, Version, latest_version,
};

/// What an update of one provisioned product starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateForm {
    pub provisioned: ProvisionedProduct,
    /// The product updated to: the one it runs, or another (a change of product).
    pub product_id: String,
    pub product_name: String,
    /// The versions of the product updated to.
    pub versions: Vec<Version>,
    /// The version it runs, if still listed (none when the product changes).
    pub from: Option<Version>,
    pub to: Version,
    pub path_id: Option<String>,
    /// The target version's parameters.
    pub parameters: ProvisioningParameters,
    /// The values the stack has now (NoEcho ones as CloudFormation masks them).
    pub previous: BTreeMap<String, String>,
}

impl UpdateForm {
    /// Versions one may update to: active ones.
    pub fn target_versions(&self) -> Vec<&Version> {
        self.versions.iter().filter(|v| v.active).collect()
    }

    /// It goes to another product than the one it runs.
    pub fn changes_product(&self) -> bool {
        self.product_id != self.provisioned.product_id
    }

    /// "RDS PostgreSQL v1.1": the product and version it runs now.
    pub fn from_label(&self) -> String {
        let product = self
            .provisioned
            .product_name
            .clone()
            .unwrap_or_else(|| self.provisioned.product_id.clone());
        let version = self.from.as_ref().map_or_else(
            || {
                self.provisioned
                    .version_name
                    .clone()
                    .unwrap_or_else(|| self.provisioned.version_id.clone())
            },
            Version::label,
        );
        format!("{product} {version}")
    }
}

/// Another product to update to: by id or name (one this account sees),
/// through `path` (a launch path's id or name) when it has several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtherProduct<'a> {
    pub product: &'a str,
    pub path: Option<&'a str>,
}

/// Finds a provisioned product by id or exact name.
pub async fn find_provisioned(
    reader: &Reader,
    wanted: &str,
) -> Result<ProvisionedProduct, ActError> {
    let by_id = if wanted.starts_with("pp-") {
        reader.provisioned_by_id(wanted).await?
    } else {
        None
    };
    let found = match by_id {
        Some(p) => Some(p),
        None => reader.provisioned_by_name(wanted).await?,
    };
    found.ok_or_else(|| {
        ActError::Refused(format!(
            "no provisioned product {} in this account and region",
            shown(wanted)
        ))
    })
}

/// Why `pp` cannot be updated now, if it cannot.
pub fn busy_reason(pp: &ProvisionedProduct) -> Option<String> {
    pp.status.is_in_progress().then(|| {
        format!(
            "{} is {}{}: wait until it settles, then update",
            pp.name,
            pp.status,
            pp.last_record_id
                .as_ref()
                .map(|r| format!(" (request {r} is running)"))
                .unwrap_or_default()
        )
    })
}

/// Reads what updating `pp` needs and refuses if it cannot be updated now:
/// the product under change, its stack busy, the version inactive.
pub async fn prepare(
    reader: &Reader,
    pp: ProvisionedProduct,
    version: Option<&str>,
) -> Result<UpdateForm, ActError> {
    prepare_to(reader, pp, None, version).await
}

/// [`prepare`], to `other` product when given: it must be one this
/// account sees and can launch (a launch path); its version (the latest
/// unless `version` names one) and its parameters are the target's.
pub async fn prepare_to(
    reader: &Reader,
    pp: ProvisionedProduct,
    other: Option<OtherProduct<'_>>,
    version: Option<&str>,
) -> Result<UpdateForm, ActError> {
    if let Some(why) = busy_reason(&pp) {
        return Err(ActError::Refused(why));
    }
    let stack = async {
        match &pp.stack_arn {
            Some(arn) => reader.stack_state(arn).await,
            None => Ok(None),
        }
    };
    let record = async {
        match &pp.last_successful_record_id {
            Some(id) => reader.record(id).await.map(Some),
            None => Ok(None),
        }
    };
    let target = async {
        match other {
            Some(o) => super::launch::find_product(reader, o.product)
                .await
                .map(|p| (p.id, p.name)),
            None => Ok((
                pp.product_id.clone(),
                pp.product_name
                    .clone()
                    .unwrap_or_else(|| pp.product_id.clone()),
            )),
        }
    };
    let (target, stack, record) = tokio::join!(target, stack, record);
    let ((product_id, product_name), stack, record) = (target?, stack?, record?);
    let changes_product = product_id != pp.product_id;
    let paths = async {
        match changes_product {
            true => reader.launch_paths(&product_id).await.map(Some),
            false => Ok(None),
        }
    };
    let (versions, paths) = tokio::join!(reader.list_versions(&product_id), paths);
    let (versions, paths) = (versions?, paths?);
    if let Some(stack) = stack.as_ref().filter(|s| s.is_busy()) {
        return Err(ActError::Refused(format!(
            "the stack of {} is {}: another change is running on it — wait until it settles, then update",
            pp.name, stack.status
        )));
    }
    let to = match version {
        Some(wanted) => pick(&versions, wanted, "version", |v| &v.id, |v| &v.name)?.clone(),
        None => latest_version(&versions).cloned().ok_or_else(|| {
            ActError::Refused(format!(
                "{product_name} has no active, non-deprecated version to update to"
            ))
        })?,
    };
    if !to.active {
        return Err(ActError::Refused(format!(
            "version {} of {product_name} is inactive: it cannot be updated to — pick an active version",
            to.name
        )));
    }
    let current_path = record.and_then(|r| r.path_id);
    let path_id = match &paths {
        None => current_path,
        Some(paths) => Some(
            target_path(
                paths,
                current_path.as_deref(),
                other.and_then(|o| o.path),
                &product_name,
            )?
            .id
            .clone(),
        ),
    };
    let parameters = reader
        .provisioning_parameters(&product_id, &to.id, path_id.as_deref())
        .await?;
    let from = versions.iter().find(|v| v.id == pp.version_id).cloned();
    Ok(UpdateForm {
        product_id,
        previous: stack
            .map(|s| s.parameters.into_iter().collect())
            .unwrap_or_default(),
        provisioned: pp,
        product_name,
        versions,
        from,
        to,
        path_id,
        parameters,
    })
}

/// The launch path of another product to update through: the one named,
/// else the one the product was launched through if the target has it,
/// else its only one; none (it cannot be launched here), or several and
/// none named, is refused.
fn target_path<'a>(
    paths: &'a [LaunchPath],
    current: Option<&str>,
    wanted: Option<&str>,
    product_name: &str,
) -> Result<&'a LaunchPath, ActError> {
    if paths.is_empty() {
        return Err(ActError::Refused(format!(
            "{product_name} cannot be launched in this account (it is in no portfolio you can launch from): a provisioned product cannot be changed to it"
        )));
    }
    if let Some(wanted) = wanted {
        return pick(paths, wanted, "launch path", |p| &p.id, |p| &p.name);
    }
    if let Some(same) = current.and_then(|c| paths.iter().find(|p| p.id == c)) {
        return Ok(same);
    }
    match paths {
        [only] => Ok(only),
        many => Err(ActError::Refused(format!(
            "{product_name} can be launched through {} launch paths: name one with --path ({})",
            many.len(),
            many.iter()
                .map(|p| format!("{} ({})", p.name, p.id))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Builds the request: each parameter of the target version keeps its
/// previous value unless `changes` gives one; a parameter new in this
/// version with no default needs a value.
pub fn check(
    form: &UpdateForm,
    changes: &BTreeMap<String, String>,
) -> Result<UpdateRequest, ActError> {
    let changes: BTreeMap<String, String> = changes
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let errors: Vec<FieldError> =
        check_parameters(&form.parameters.parameters, &changes, &form.previous);
    if !errors.is_empty() {
        return Err(ActError::Invalid(errors));
    }
    let parameters = form
        .parameters
        .parameters
        .iter()
        .filter_map(|p| match changes.get(&p.key) {
            Some(v) => Some((p.key.clone(), ParamSetting::Value(v.clone()))),
            None if form.previous.contains_key(&p.key) => {
                Some((p.key.clone(), ParamSetting::Previous))
            }
            None => None, // new in this version, with a default
        })
        .collect();
    Ok(UpdateRequest {
        provisioned_product_id: form.provisioned.id.clone(),
        provisioned_product_name: form.provisioned.name.clone(),
        product_id: form.product_id.clone(),
        version_id: form.to.id.clone(),
        path_id: form.path_id.clone(),
        parameters,
        secret_keys: form
            .parameters
            .parameters
            .iter()
            .filter(|p| p.no_echo)
            .map(|p| p.key.clone())
            .collect(),
        token: super::new_token(),
    })
}

/// Whether `request` would change nothing: the same version, and every
/// parameter it had kept (or given its own value again), none added or
/// removed — a full stack update for nothing.
pub fn is_no_op(form: &UpdateForm, request: &UpdateRequest) -> bool {
    let same_version = form.from.as_ref().map(|v| &v.id) == Some(&request.version_id)
        || form.provisioned.version_id == request.version_id;
    !form.changes_product()
        && same_version
        && request.parameters.len() == form.previous.len()
        && request.parameters.iter().all(|(k, v)| match v {
            ParamSetting::Previous => form.previous.contains_key(k),
            ParamSetting::Value(v) => form.previous.get(k) == Some(v),
        })
}

/// Before → after, a line each: the version, then every parameter.
pub fn diff_lines(form: &UpdateForm, request: &UpdateRequest) -> Vec<(String, String, String)> {
    let mut lines = Vec::new();
    let from = if form.changes_product() {
        let product = format!("{} {}", form.product_name, form.to.label());
        lines.push(("Product".to_string(), form.from_label(), product));
        form.provisioned
            .version_name
            .clone()
            .unwrap_or_else(|| form.provisioned.version_id.clone())
    } else {
        form.from
            .as_ref()
            .map_or_else(|| form.provisioned.version_id.clone(), Version::label)
    };
    lines.push(("Version".to_string(), from, form.to.label()));
    for p in &form.parameters.parameters {
        let before = match form.previous.get(&p.key) {
            Some(_) if p.no_echo => "****".to_string(),
            Some(v) => v.clone(),
            None => "(new)".to_string(),
        };
        let after = match request.parameters.iter().find(|(k, _)| k == &p.key) {
            Some((_, ParamSetting::Previous)) => "(unchanged)".to_string(),
            Some((_, ParamSetting::Value(_))) if p.no_echo => "**** (changed)".to_string(),
            Some((_, ParamSetting::Value(v))) => v.clone(),
            None => format!("{} (default)", p.default.as_deref().unwrap_or("")),
        };
        lines.push((p.key.clone(), before, after));
    }
    for key in form.previous.keys() {
        if !form.parameters.parameters.iter().any(|p| &p.key == key) {
            lines.push((
                key.clone(),
                form.previous[key].clone(),
                if form.changes_product() {
                    format!("(dropped: {} has no such parameter)", form.product_name)
                } else {
                    "(removed in this version)".into()
                },
            ));
        }
    }
    lines
}

/// Sends the update; the record of the request.
pub async fn update(writer: &Writer, request: &UpdateRequest) -> Result<Record, ActError> {
    Ok(writer.update(request).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Parameter, PpStatus};

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

    fn form() -> UpdateForm {
        let param = |key: &str, default: Option<&str>, no_echo: bool| Parameter {
            key: key.into(),
            default: default.map(str::to_string),
            kind: "String".into(),
            description: None,
            no_echo,
            allowed: vec![],
            pattern: None,
            constraint_description: None,
            min_length: None,
            max_length: None,
        };
        let mut pp = crate::model::provisioned::tests::pp("pp-1", "pa-1", PpStatus::Available);
        pp.name = "dev-db".into();
        UpdateForm {
            product_id: pp.product_id.clone(),
            provisioned: pp,
            product_name: "RDS".into(),
            versions: vec![version("pa-1", "v1"), version("pa-2", "v2")],
            from: Some(version("pa-1", "v1")),
            to: version("pa-2", "v2"),
            path_id: Some("lpv3-1".into()),
            parameters: ProvisioningParameters {
                parameters: vec![
                    param("Env", None, false),
                    param("Password", None, true),
                    param("Backup", Some("7"), false),
                    param("Tier", None, false),
                ],
                tag_options: vec![],
                constraints: vec![],
            },
            previous: BTreeMap::from([
                ("Env".to_string(), "dev".to_string()),
                ("Password".to_string(), "****".to_string()),
                ("Old".to_string(), "x".to_string()),
            ]),
        }
    }

    #[test]
    fn unchanged_parameters_keep_their_previous_value_and_new_required_ones_need_one() {
        let err = check(&form(), &BTreeMap::new()).unwrap_err();
        assert_eq!(err.field_errors().len(), 1);
        assert_eq!(err.field_errors()[0].field, "Tier");

        let changes = BTreeMap::from([("Tier".to_string(), "gold".to_string())]);
        let request = check(&form(), &changes).unwrap();
        assert_eq!(
            request.parameters,
            vec![
                ("Env".to_string(), ParamSetting::Previous),
                ("Password".to_string(), ParamSetting::Previous),
                ("Tier".to_string(), ParamSetting::Value("gold".into())),
            ]
        );
        assert_eq!(request.secret_keys, vec!["Password".to_string()]);
        let lines = diff_lines(&form(), &request);
        assert_eq!(lines[0], ("Version".into(), "v1".into(), "v2".into()));
        assert!(lines.contains(&("Backup".into(), "(new)".into(), "7 (default)".into())));
        assert!(lines.contains(&("Old".into(), "x".into(), "(removed in this version)".into())));
    }

    #[test]
    fn another_products_launch_path_is_the_one_named_the_same_or_its_only_one() {
        let path = |id: &str, name: &str| LaunchPath {
            id: id.into(),
            name: name.into(),
            constraints: vec![],
        };
        let none = target_path(&[], None, None, "Queue").unwrap_err();
        assert!(
            none.to_string()
                .contains("cannot be launched in this account")
        );
        let two = [path("lpv3-a", "Apps"), path("lpv3-b", "Base")];
        assert_eq!(
            target_path(&two, None, Some("Base"), "Q").unwrap().id,
            "lpv3-b"
        );
        assert_eq!(
            target_path(&two, Some("lpv3-a"), None, "Q").unwrap().id,
            "lpv3-a"
        );
        let many = target_path(&two, Some("lpv3-x"), None, "Q").unwrap_err();
        assert!(many.to_string().contains("name one with --path"), "{many}");
        assert_eq!(
            target_path(&two[..1], None, None, "Q").unwrap().id,
            "lpv3-a"
        );
    }

    #[test]
    fn another_product_is_planned_product_to_product_with_what_it_drops() {
        let mut other = form();
        other.product_id = "prod-other".into();
        other.product_name = "Aurora".into();
        other.from = None;
        let changes = BTreeMap::from([("Tier".to_string(), "gold".to_string())]);
        let request = check(&other, &changes).unwrap();
        assert_eq!(request.product_id, "prod-other");
        assert!(!is_no_op(&other, &request));
        let lines = diff_lines(&other, &request);
        assert_eq!(lines[0].0, "Product");
        assert_eq!(lines[0].2, "Aurora v2");
        assert!(lines.contains(&(
            "Old".into(),
            "x".into(),
            "(dropped: Aurora has no such parameter)".into()
        )));
    }

    #[test]
    fn a_product_under_change_is_refused_with_its_request() {
        let mut pp = crate::model::provisioned::tests::pp("pp-1", "pa-1", PpStatus::UnderChange);
        pp.name = "prod-db".into();
        let why = busy_reason(&pp).unwrap();
        assert!(why.contains("prod-db is UNDER_CHANGE"));
        assert!(why.contains("rec-1"));
        pp.status = PpStatus::Tainted;
        assert_eq!(busy_reason(&pp), None);
    }
}
