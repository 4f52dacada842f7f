//! Terminate a provisioned product: the plan lists what its stack holds
//! (what will be deleted, unless the resources are retained) and refuses
//! while a request runs on it; the apply sends `TerminateProvisionedProduct`
//! with a fresh TerminateToken.

use super::ActError;
use super::update::busy_reason;
use crate::aws::{AwsError, Reader, TerminateRequest, Writer};
use crate::model::{ProvisionedProduct, Record, StackResource};

/// How to terminate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TerminateOptions {
    /// `IgnoreErrors`: stop managing it even if its resources cannot be deleted.
    pub ignore_errors: bool,
    /// `RetainPhysicalResources`: the product goes, its stack and resources stay.
    pub retain_physical_resources: bool,
}

/// What terminating one provisioned product will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminatePlan {
    pub provisioned: ProvisionedProduct,
    pub options: TerminateOptions,
    /// What its stack holds; `Err` says why it could not be read (never
    /// shown as "nothing to delete"); `Ok(None)`: it has no stack.
    pub resources: Result<Option<Vec<StackResource>>, String>,
    pub request: TerminateRequest,
}

impl TerminatePlan {
    /// The plan's lines: what goes, and what stays.
    pub fn lines(&self) -> Vec<String> {
        let pp = &self.provisioned;
        let mut lines = vec![format!(
            "terminate {} ({}, {} {}, {})",
            pp.name,
            pp.id,
            pp.product_name.as_deref().unwrap_or(&pp.product_id),
            pp.version_name.as_deref().unwrap_or(&pp.version_id),
            pp.status
        )];
        let verb = if self.options.retain_physical_resources {
            "kept (RetainPhysicalResources): Service Catalog forgets them, the stack stays"
        } else {
            "deleted with its stack"
        };
        match &self.resources {
            Ok(Some(resources)) if resources.is_empty() => {
                lines.push("its stack holds no resources".into())
            }
            Ok(Some(resources)) => {
                lines.push(format!("{} resource(s) {verb}:", resources.len()));
                lines.extend(resources.iter().map(|r| format!("  {}", r.line())));
            }
            Ok(None) => lines.push("it has no CloudFormation stack".into()),
            Err(why) => lines.push(format!(
                "its resources could not be read ({why}): they are {verb}, whatever they are"
            )),
        }
        if self.options.ignore_errors {
            lines.push(
                "IgnoreErrors: Service Catalog stops managing it even if resources cannot be deleted"
                    .into(),
            );
        }
        lines
    }
}

/// Reads what terminating `pp` will delete; refuses while a request runs on it.
pub async fn plan(
    reader: &Reader,
    pp: ProvisionedProduct,
    options: TerminateOptions,
) -> Result<TerminatePlan, ActError> {
    if let Some(why) = busy_reason(&pp) {
        return Err(ActError::Refused(
            why.replace("then update", "then terminate"),
        ));
    }
    let resources = match &pp.stack_arn {
        None => Ok(None),
        Some(stack) => match reader.stack_resources(stack).await {
            Ok(r) => Ok(Some(r)),
            // CloudFormation's answer for a stack id it does not know.
            Err(AwsError::Service { code, .. }) if code == "ValidationError" => Ok(None),
            Err(e) if e.is_session_wide() => return Err(e.into()),
            Err(e) => Err(e.to_string()),
        },
    };
    let request = TerminateRequest {
        provisioned_product_id: pp.id.clone(),
        provisioned_product_name: pp.name.clone(),
        ignore_errors: options.ignore_errors,
        retain_physical_resources: options.retain_physical_resources,
        token: super::new_token(),
    };
    Ok(TerminatePlan {
        provisioned: pp,
        options,
        resources,
        request,
    })
}

/// Sends the termination; the record of the request.
pub async fn terminate(writer: &Writer, plan: &TerminatePlan) -> Result<Record, ActError> {
    Ok(writer.terminate(&plan.request).await?)
}
