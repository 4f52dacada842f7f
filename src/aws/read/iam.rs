//! IAM: the roles LAUNCH constraints name (`GetRole`), and the parameters
//! of a version's template: the reads the hygiene rules need beyond a scan.

use super::Reader;
use crate::aws::AwsError;
use crate::model::IamRole;

impl Reader {
    /// The role `name` of this session's account (`GetRole`); `None` when
    /// IAM answers that there is no such role (NoSuchEntity).
    pub async fn role(&self, name: &str) -> Result<Option<IamRole>, AwsError> {
        let out = match self.iam().get_role().role_name(name).send().await {
            Ok(out) => out,
            Err(e) => {
                let error = self.session.context.map("iam", "GetRole", e);
                if let AwsError::Service { code, .. } = &error
                    && code == "NoSuchEntity"
                {
                    return Ok(None);
                }
                return Err(error);
            }
        };
        let Some(role) = out.role() else {
            return Ok(None);
        };
        // The trust policy comes URL-encoded (RFC 3986).
        let policy = role
            .assume_role_policy_document()
            .map(|d| {
                form_urlencoded::parse(format!("x={d}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        Ok(Some(IamRole {
            name: role.role_name().to_string(),
            arn: role.arn().to_string(),
            trust_policy: (!policy.is_empty()).then_some(policy),
        }))
    }
}

impl Reader {
    /// The parameter keys of a version's template, as its owner sees them
    /// (`DescribeProvisioningArtifact` with its parameters: an admin read,
    /// needing no launch path).
    pub async fn version_parameter_keys(
        &self,
        product_id: &str,
        version_id: &str,
    ) -> Result<Vec<String>, AwsError> {
        let out = self
            .catalog()
            .describe_provisioning_artifact()
            .product_id(product_id)
            .provisioning_artifact_id(version_id)
            .include_provisioning_artifact_parameters(true)
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("servicecatalog", "DescribeProvisioningArtifact", e)
            })?;
        Ok(out
            .provisioning_artifact_parameters()
            .iter()
            .filter_map(|p| p.parameter_key().map(str::to_string))
            .collect())
    }
}
