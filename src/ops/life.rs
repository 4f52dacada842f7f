//! Reads of one provisioned product's life, for the console's levels and
//! the headless commands (records, resources, outputs, parameters, resource
//! drift, self-service actions): one query, one answer.

use crate::aws::{AwsError, Reader};
use crate::model::launch::Parameter;
use crate::model::{
    Output, Record, ServiceAction, StackDrift, StackResource, Version, latest_version,
};

/// How CloudFormation shows a NoEcho parameter's value; spoke shows a
/// secret output the same way.
pub const MASK: &str = "****";

/// What to read of one provisioned product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LifePart {
    Records,
    Resources,
    Outputs,
    Parameters,
    /// What the last drift detection saw ([`crate::ops::resource_drift`]).
    Drift,
    /// The self-service actions of the version it runs.
    Actions,
}

impl LifePart {
    /// "records", for messages.
    pub fn noun(self) -> &'static str {
        match self {
            LifePart::Records => "records",
            LifePart::Resources => "stack resources",
            LifePart::Outputs => "outputs",
            LifePart::Parameters => "parameters",
            LifePart::Drift => "resource drift",
            LifePart::Actions => "self-service actions",
        }
    }

    /// The call that reads it, for messages.
    pub fn operation(self) -> &'static str {
        match self {
            LifePart::Records => "ListRecordHistory",
            LifePart::Resources => "DescribeStackResources",
            LifePart::Outputs => "GetProvisionedProductOutputs",
            LifePart::Parameters => "DescribeStacks and DescribeProvisioningParameters",
            LifePart::Drift => "DescribeStackResourceDrifts",
            LifePart::Actions => "ListServiceActionsForProvisioningArtifact",
        }
    }
}

/// What was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LifeData {
    Records(Vec<Record>),
    Resources(Vec<StackResource>),
    Outputs(Vec<Output>),
    Parameters(Parameters),
    Drift(Box<StackDrift>),
    Actions(Vec<ServiceAction>),
}

/// The parameters a provisioned product runs with beside those its
/// product's latest version takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameters {
    /// The version it runs (its name, else its id).
    pub running_version: String,
    /// The latest active, non-deprecated version, if the product has one.
    pub latest: Option<Version>,
    /// Why the latest version's parameters were not read, if they were not.
    pub latest_unread: Option<String>,
    pub lines: Vec<ParameterLine>,
}

/// One parameter, running and latest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterLine {
    pub key: String,
    /// The stack's value (NoEcho ones as CloudFormation masks them);
    /// `None` when the stack has no such parameter.
    pub running: Option<String>,
    /// The latest version's parameter; `None` when it has no such one (or
    /// its parameters were not read).
    pub latest: Option<Parameter>,
    pub change: ParamChange,
}

impl ParameterLine {
    pub fn no_echo(&self) -> bool {
        self.latest.as_ref().is_some_and(|p| p.no_echo) || self.running.as_deref() == Some(MASK)
    }
}

/// What an update to the latest version, keeping every value it can
/// (`UsePreviousValue`), does to a parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamChange {
    /// The same version: nothing to update.
    SameVersion,
    /// Kept with its value.
    Kept,
    /// New in the latest version, set to its default.
    NewDefault(String),
    /// New in the latest version, with no default: an update must give one.
    NeedsValue,
    /// The latest version has no such parameter: it goes.
    Dropped,
    /// The latest version's parameters were not read.
    Unknown,
}

impl ParamChange {
    /// "kept", "new: default 3", …
    pub fn text(&self) -> String {
        match self {
            ParamChange::SameVersion => "— (runs the latest version)".into(),
            ParamChange::Kept => "kept".into(),
            ParamChange::NewDefault(d) => format!("new: default {d}"),
            ParamChange::NeedsValue => "new: needs a value (no default)".into(),
            ParamChange::Dropped => "dropped".into(),
            ParamChange::Unknown => "not known (the latest version was not read)".into(),
        }
    }
}

/// Lines the running values and the latest version's parameters make.
/// `latest` is `None` when the product runs the latest version already
/// (then nothing would change) or its parameters were not read.
pub fn parameter_lines(
    running: &[(String, String)],
    latest: Option<&[Parameter]>,
    same_version: bool,
) -> Vec<ParameterLine> {
    let mut lines: Vec<ParameterLine> = running
        .iter()
        .map(|(key, value)| {
            let target = latest.and_then(|ps| ps.iter().find(|p| &p.key == key));
            let change = match (same_version, latest, target) {
                (true, _, _) => ParamChange::SameVersion,
                (false, None, _) => ParamChange::Unknown,
                (false, Some(_), Some(_)) => ParamChange::Kept,
                (false, Some(_), None) => ParamChange::Dropped,
            };
            ParameterLine {
                key: key.clone(),
                running: Some(value.clone()),
                latest: target.cloned(),
                change,
            }
        })
        .collect();
    for p in latest.unwrap_or_default() {
        if running.iter().any(|(k, _)| k == &p.key) {
            continue;
        }
        let change = match (&p.default, same_version) {
            (_, true) => ParamChange::SameVersion,
            (Some(d), false) => ParamChange::NewDefault(d.clone()),
            (None, false) => ParamChange::NeedsValue,
        };
        lines.push(ParameterLine {
            key: p.key.clone(),
            running: None,
            latest: Some(p.clone()),
            change,
        });
    }
    lines
}

/// The parameters of provisioned product `pp_id` (its stack `stack`).
pub async fn parameters(reader: &Reader, pp_id: &str, stack: &str) -> Result<Parameters, AwsError> {
    let pp = reader
        .provisioned_by_id(pp_id)
        .await?
        .ok_or_else(|| AwsError::Other {
            operation: "DescribeProvisionedProduct".into(),
            detail: format!("provisioned product {pp_id} is gone"),
        })?;
    let record = async {
        match &pp.last_successful_record_id {
            Some(id) => reader.record(id).await.map(Some),
            None => Ok(None),
        }
    };
    let (state, versions, record) = tokio::join!(
        reader.stack_state(stack),
        reader.list_versions(&pp.product_id),
        record
    );
    let running: Vec<(String, String)> = state?.map(|s| s.parameters).unwrap_or_default();
    let versions = versions?;
    let running_version = versions
        .iter()
        .find(|v| v.id == pp.version_id)
        .map_or_else(|| pp.version_id.clone(), |v| v.name.clone());
    let latest = latest_version(&versions).cloned();
    let same = latest.as_ref().is_some_and(|v| v.id == pp.version_id);
    let (latest_params, latest_unread) = match (&latest, same) {
        (None, _) => (
            None,
            Some("the product has no active, non-deprecated version".to_string()),
        ),
        (Some(_), true) => (None, None),
        (Some(v), false) => {
            let path = record.ok().flatten().and_then(|r| r.path_id);
            match reader
                .provisioning_parameters(&pp.product_id, &v.id, path.as_deref())
                .await
            {
                Ok(p) => (Some(p.parameters), None),
                Err(e) => (None, Some(e.to_string())),
            }
        }
    };
    Ok(Parameters {
        running_version,
        lines: parameter_lines(&running, latest_params.as_deref(), same),
        latest,
        latest_unread,
    })
}

/// The outputs of provisioned product `pp_id`, those that take a NoEcho
/// parameter's value masked (read off the stack's template; when it cannot
/// be read, every output whose key names a secret is masked instead).
pub async fn outputs(reader: &Reader, pp_id: &str, stack: &str) -> Result<Vec<Output>, AwsError> {
    let (outputs, template) = tokio::join!(
        reader.provisioned_outputs(pp_id),
        reader.stack_template(stack)
    );
    let mut outputs = outputs?;
    mask_with(template.ok().flatten().as_deref(), &mut outputs);
    Ok(outputs)
}

/// Masks those of `outputs` that take a NoEcho parameter of the template
/// stack `stack` runs (read with `GetTemplate`).
pub async fn mask_outputs(reader: &Reader, stack: &str, outputs: &mut [Output]) {
    let template = reader.stack_template(stack).await.ok().flatten();
    mask_with(template.as_deref(), outputs);
}

/// Masks the outputs the template `body` makes of a NoEcho parameter;
/// without a template spoke can read, those whose key names a secret.
fn mask_with(body: Option<&str>, outputs: &mut [Output]) {
    let secret = body.and_then(crate::model::template::secret_outputs);
    for o in outputs.iter_mut() {
        let masked = match &secret {
            Some(keys) => keys.contains(&o.key),
            None => looks_secret(&o.key),
        };
        if masked {
            o.value = MASK.to_string();
        }
    }
}

/// An output key that names a secret, for when the template is unknown.
fn looks_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["password", "secret", "token", "privatekey"]
        .iter()
        .any(|w| key.contains(w))
}

/// Reads `part` of provisioned product `pp_id` (its stack `stack`).
pub async fn load(
    reader: &Reader,
    part: LifePart,
    pp_id: &str,
    stack: &str,
) -> Result<LifeData, AwsError> {
    Ok(match part {
        LifePart::Records => LifeData::Records(reader.record_history(pp_id).await?),
        LifePart::Resources => LifeData::Resources(reader.stack_resources(stack).await?),
        LifePart::Outputs => LifeData::Outputs(outputs(reader, pp_id, stack).await?),
        LifePart::Parameters => LifeData::Parameters(parameters(reader, pp_id, stack).await?),
        LifePart::Drift => LifeData::Drift(Box::new(
            crate::ops::resource_drift::last_of_stack(reader, stack).await?,
        )),
        // Of the version it runs now (read again: an update may have moved it).
        LifePart::Actions => {
            let pp = reader
                .provisioned_by_id(pp_id)
                .await?
                .ok_or_else(|| AwsError::Other {
                    operation: "DescribeProvisionedProduct".into(),
                    detail: format!(
                        "provisioned product {pp_id} is gone — R reads the account again"
                    ),
                })?;
            LifeData::Actions(crate::ops::act::service_action::list(reader, &pp).await?)
        }
    })
}
