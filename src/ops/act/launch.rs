//! Launch a product: pick the version and the launch path, fill the
//! parameters DescribeProvisioningParameters describes, check them, send.

use std::collections::BTreeMap;

use super::{ActError, pick};
use crate::aws::{Reader, Writer};
use crate::model::launch::{check_parameters, check_provisioned_name, shown};
use crate::model::{
    ConstraintKind, ConstraintParams, FieldError, LaunchPath, LaunchRequest, LaunchRole, Product,
    ProvisioningParameters, Record, Version, latest_version,
};

/// Everything the launch form shows for one (product, version, path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchForm {
    pub product_id: String,
    pub product_name: String,
    pub versions: Vec<Version>,
    pub version: Version,
    /// Every path; when there are more than one the user picks.
    pub paths: Vec<LaunchPath>,
    pub path: Option<LaunchPath>,
    pub parameters: ProvisioningParameters,
    /// The role the path's LAUNCH constraint launches with: `None` when
    /// the path has none (the stack is launched with the caller's own
    /// permissions), else the role or why it could not be read.
    pub launch_role: Option<Result<String, String>>,
}

impl LaunchForm {
    /// Versions one may launch: active ones, newest recommended first.
    pub fn launchable_versions(&self) -> Vec<&Version> {
        let latest = latest_version(&self.versions).map(|v| v.id.clone());
        let mut versions: Vec<&Version> = self.versions.iter().filter(|v| v.active).collect();
        versions.sort_by_key(|v| (Some(&v.id) != latest.as_ref(), v.deprecated));
        versions
    }
}

/// Finds a product of this account by id or name.
pub async fn find_product(reader: &Reader, wanted: &str) -> Result<Product, ActError> {
    let products = reader.list_products().await?;
    pick(&products, wanted, "product", |p| &p.id, |p| &p.name).cloned()
}

/// Reads what launching `product` needs: its versions (the latest active,
/// non-deprecated one unless `version` names another), its launch paths
/// (`path` picks one when there are several; without it, `preselect`
/// picks the first by name, else none is picked) and the parameters.
pub async fn prepare(
    reader: &Reader,
    product_id: &str,
    product_name: &str,
    version: Option<&str>,
    path: Option<&str>,
    preselect: bool,
) -> Result<LaunchForm, ActError> {
    let (versions, paths) = tokio::join!(
        reader.list_versions(product_id),
        reader.launch_paths(product_id)
    );
    let (versions, paths) = (versions?, paths?);
    let version = match version {
        Some(wanted) => pick(&versions, wanted, "version", |v| &v.id, |v| &v.name)?.clone(),
        None => latest_version(&versions).cloned().ok_or_else(|| {
            ActError::Refused(format!(
                "{product_name} has no active, non-deprecated version to launch"
            ))
        })?,
    };
    if !version.active {
        return Err(ActError::Refused(format!(
            "version {} of {product_name} is inactive: it cannot be launched — pick an active version",
            version.name
        )));
    }
    let path = match (path, paths.as_slice()) {
        (_, []) => {
            return Err(ActError::Refused(format!(
                "{product_name} has no launch path for this account: add it to a portfolio you can launch from"
            )));
        }
        (Some(wanted), _) => match pick(&paths, wanted, "launch path", |p| &p.id, |p| &p.name) {
            Ok(found) => Some(found.clone()),
            // A preselection that is no path of the product: the first.
            Err(_) if preselect => paths.iter().min_by(|a, b| a.name.cmp(&b.name)).cloned(),
            Err(e) => return Err(e),
        },
        (None, [only]) => Some(only.clone()),
        (None, many) if preselect => many.iter().min_by(|a, b| a.name.cmp(&b.name)).cloned(),
        (None, _) => None,
    };
    let parameters = match &path {
        Some(p) => {
            reader
                .provisioning_parameters(product_id, &version.id, Some(&p.id))
                .await?
        }
        None => ProvisioningParameters {
            parameters: Vec::new(),
            tag_options: Vec::new(),
            constraints: Vec::new(),
        },
    };
    let launch_role = match &path {
        Some(p) => launch_role(reader, product_id, p).await,
        None => None,
    };
    Ok(LaunchForm {
        product_id: product_id.to_string(),
        product_name: product_name.to_string(),
        versions,
        version,
        paths,
        path,
        parameters,
        launch_role,
    })
}

/// The role a LAUNCH constraint on `path` gives `product_id`: the path is
/// a portfolio (of its name) holding the product; its constraints are
/// listed and the LAUNCH one described. `None` when the path has no
/// LAUNCH constraint.
async fn launch_role(
    reader: &Reader,
    product_id: &str,
    path: &LaunchPath,
) -> Option<Result<String, String>> {
    if !path.constraints.iter().any(|c| c == "LAUNCH") {
        return None;
    }
    let found = async {
        let (local, imported) = tokio::join!(
            reader.list_local_portfolios(),
            reader.list_imported_portfolios()
        );
        let portfolios: Vec<_> = local?
            .into_iter()
            .chain(imported?)
            .filter(|p| p.name == path.name)
            .collect();
        for portfolio in portfolios {
            let constraints = reader.list_constraints(&portfolio.id).await?;
            for c in constraints
                .iter()
                .filter(|c| c.product_id == product_id && c.kind == ConstraintKind::Launch)
            {
                if let ConstraintParams::Launch { role } =
                    reader.constraint_params(&c.id, &c.kind).await?
                {
                    return Ok::<_, crate::aws::AwsError>(Some(describe_role(&role)));
                }
            }
        }
        Ok(None)
    }
    .await;
    Some(match found {
        Ok(Some(role)) => Ok(role),
        Ok(None) => Err(format!(
            "not found: no LAUNCH constraint of this product in a portfolio named {}",
            path.name
        )),
        Err(e) => Err(format!("not read: {e}")),
    })
}

/// "SCLaunchRole (the role of that name in the launching account)" or the ARN.
pub fn describe_role(role: &LaunchRole) -> String {
    match role {
        LaunchRole::RoleArn(arn) => arn.clone(),
        LaunchRole::LocalRoleName(name) => {
            format!("{name} (the role of that name in the launching account)")
        }
    }
}

/// What the user filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchInput {
    pub name: String,
    /// Parameter values; an empty value takes the default.
    pub values: BTreeMap<String, String>,
    pub tags: Vec<(String, String)>,
}

/// Checks the input against the form; the request to send, or every
/// mistake with the field it concerns.
pub fn check(form: &LaunchForm, input: &LaunchInput) -> Result<LaunchRequest, ActError> {
    let mut errors = Vec::new();
    let Some(path) = &form.path else {
        let names: Vec<String> = form
            .paths
            .iter()
            .map(|p| format!("{} ({})", p.name, p.id))
            .collect();
        return Err(ActError::Invalid(vec![FieldError::new(
            "path",
            format!(
                "{} can be launched from several portfolios; pick one: {}",
                form.product_name,
                names.join(", ")
            ),
        )]));
    };
    if let Err(message) = check_provisioned_name(&input.name) {
        errors.push(FieldError::new("name", message));
    }
    // An empty value of a known parameter is "not given": its default
    // applies, or it is reported as required.
    let known = |k: &str| form.parameters.parameters.iter().any(|p| p.key == k);
    let values: BTreeMap<String, String> = input
        .values
        .iter()
        .filter(|(k, v)| !(v.is_empty() && known(k)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    errors.extend(check_parameters(
        &form.parameters.parameters,
        &values,
        &BTreeMap::new(),
    ));
    for (key, value) in &input.tags {
        match form.parameters.tag_options.iter().find(|t| &t.key == key) {
            None => errors.push(FieldError::new(
                format!("tag:{key}"),
                format!(
                    "{} is not a TagOption of this product or portfolio",
                    shown(key)
                ),
            )),
            Some(t) if !t.values.iter().any(|v| v == value) => errors.push(FieldError::new(
                format!("tag:{key}"),
                format!(
                    "{} is not allowed; allowed: {}",
                    shown(value),
                    t.values.join(", ")
                ),
            )),
            Some(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(ActError::Invalid(errors));
    }
    Ok(LaunchRequest {
        product_id: form.product_id.clone(),
        version_id: form.version.id.clone(),
        path_id: Some(path.id.clone()),
        name: input.name.clone(),
        secret_keys: form
            .parameters
            .parameters
            .iter()
            .filter(|p| p.no_echo)
            .map(|p| p.key.clone())
            .collect(),
        parameters: values.into_iter().collect(),
        tags: input.tags.clone(),
        token: super::new_token(),
    })
}

/// What a launch will do, a line each, NoEcho values masked.
pub fn plan_lines(form: &LaunchForm, request: &LaunchRequest) -> Vec<(String, String)> {
    let mut lines = vec![
        ("Product".to_string(), form.product_name.clone()),
        ("Version".to_string(), form.version.label()),
        (
            "Launch path".to_string(),
            form.path.as_ref().map_or(String::new(), |p| p.name.clone()),
        ),
        (
            "Launch role".to_string(),
            match &form.launch_role {
                None => "none: the stack is launched with your own permissions".to_string(),
                Some(Ok(role)) => role.clone(),
                Some(Err(why)) => why.clone(),
            },
        ),
        ("Name".to_string(), request.name.clone()),
    ];
    for p in &form.parameters.parameters {
        let value = match request.parameters.iter().find(|(k, _)| k == &p.key) {
            Some(_) if p.no_echo => "****".to_string(),
            Some((_, v)) => v.clone(),
            None => format!("{} (default)", p.default.as_deref().unwrap_or("")),
        };
        lines.push((p.key.clone(), value));
    }
    for (k, v) in &request.tags {
        lines.push((format!("tag {k}"), v.clone()));
    }
    lines
}

/// Why `name` cannot be launched under: a provisioned product of that
/// name exists in the account (AWS refuses a second one). The same words
/// in the console and headless.
pub fn name_taken(name: &str, existing_id: &str) -> String {
    format!(
        "a provisioned product named {} exists in this account ({existing_id}): pick another name, or update it",
        shown(name)
    )
}

/// Reads whether `name` is free in the account (`SearchProvisionedProducts`
/// by name): `Err` with [`name_taken`]'s words when it is not.
pub async fn check_name_free(reader: &Reader, name: &str) -> Result<(), ActError> {
    match reader.provisioned_by_name(name).await? {
        Some(existing) => Err(ActError::Invalid(vec![FieldError::new(
            "name",
            name_taken(name, &existing.id),
        )])),
        None => Ok(()),
    }
}

/// Sends the launch; the record of the request.
pub async fn launch(writer: &Writer, request: &LaunchRequest) -> Result<Record, ActError> {
    Ok(writer.provision(request).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Parameter;

    fn form() -> LaunchForm {
        let param = |key: &str, default: Option<&str>, allowed: &[&str], no_echo: bool| Parameter {
            key: key.into(),
            default: default.map(str::to_string),
            kind: "String".into(),
            description: None,
            no_echo,
            allowed: allowed.iter().map(|s| s.to_string()).collect(),
            pattern: None,
            constraint_description: None,
            min_length: None,
            max_length: None,
        };
        LaunchForm {
            product_id: "prod-1".into(),
            product_name: "RDS".into(),
            versions: vec![],
            version: Version {
                id: "pa-2".into(),
                name: "v2".into(),
                description: None,
                created: None,
                active: true,
                deprecated: false,
            },
            paths: vec![LaunchPath {
                id: "lpv3-1".into(),
                name: "Databases".into(),
                constraints: vec!["LAUNCH".into()],
            }],
            path: Some(LaunchPath {
                id: "lpv3-1".into(),
                name: "Databases".into(),
                constraints: vec!["LAUNCH".into()],
            }),
            parameters: ProvisioningParameters {
                parameters: vec![
                    param("Env", None, &["dev", "prod"], false),
                    param("Size", Some("small"), &[], false),
                    param("Password", None, &[], true),
                ],
                tag_options: vec![crate::model::TagOption {
                    key: "CostCenter".into(),
                    values: vec!["cc-1".into()],
                }],
                constraints: vec![],
            },
            launch_role: Some(Ok("SCLaunchRole".into())),
        }
    }

    #[test]
    fn a_good_input_becomes_a_request_with_secrets_marked() {
        let input = LaunchInput {
            name: "dev-db".into(),
            values: BTreeMap::from([
                ("Env".into(), "dev".into()),
                ("Size".into(), String::new()),
                ("Password".into(), "hunter2".into()),
            ]),
            tags: vec![("CostCenter".into(), "cc-1".into())],
        };
        let request = check(&form(), &input).unwrap();
        assert_eq!(request.path_id.as_deref(), Some("lpv3-1"));
        assert_eq!(
            request.parameters,
            vec![
                ("Env".to_string(), "dev".to_string()),
                ("Password".to_string(), "hunter2".to_string())
            ],
            "an empty value with a default is left to the default"
        );
        assert_eq!(request.secret_keys, vec!["Password".to_string()]);
        let lines = plan_lines(&form(), &request);
        assert!(lines.iter().any(|(k, v)| k == "Password" && v == "****"));
        assert!(
            lines
                .iter()
                .any(|(k, v)| k == "Size" && v == "small (default)")
        );
        assert!(!format!("{lines:?}").contains("hunter2"));
    }

    #[test]
    fn every_mistake_is_tied_to_its_field() {
        let input = LaunchInput {
            name: "bad name".into(),
            values: BTreeMap::from([("Env".into(), "test".into())]),
            tags: vec![("CostCenter".into(), "cc-9".into())],
        };
        let err = check(&form(), &input).unwrap_err();
        let fields: Vec<&str> = err
            .field_errors()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(fields, ["name", "Env", "Password", "tag:CostCenter"]);
        assert!(err.sent_nothing());
    }

    #[test]
    fn several_paths_need_a_choice() {
        let mut f = form();
        f.path = None;
        f.paths.push(LaunchPath {
            id: "lpv3-2".into(),
            name: "Shared".into(),
            constraints: vec![],
        });
        let err = check(&f, &LaunchInput::default()).unwrap_err();
        assert_eq!(err.field_errors()[0].field, "path");
        assert!(
            err.to_string()
                .contains("Databases (lpv3-1), Shared (lpv3-2)")
        );
    }
}
