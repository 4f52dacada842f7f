//! What publishing a template reads first: whether the bucket is there
//! and in which region, whether the template is stored already, and what
//! CloudFormation says of it (`ValidateTemplate`).

use super::Reader;
use crate::aws::error::AwsError;
use crate::model::template::TemplateParameter;

/// A bucket as `HeadBucket` finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BucketState {
    /// Ours, in this region.
    Here,
    /// In another region (from `x-amz-bucket-region`).
    Elsewhere(String),
    /// No bucket of that name.
    Missing,
    /// It exists but is not this account's to write (403).
    Forbidden,
}

/// What `ValidateTemplate` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated {
    pub parameters: Vec<TemplateParameter>,
    pub description: Option<String>,
    /// CAPABILITY_IAM, CAPABILITY_NAMED_IAM…: what launching it needs acknowledged.
    pub capabilities: Vec<String>,
}

impl Reader {
    /// `HeadBucket`.
    pub async fn bucket_state(&self, bucket: &str) -> Result<BucketState, AwsError> {
        match self.s3().head_bucket().bucket(bucket).send().await {
            Ok(out) => Ok(match out.bucket_region() {
                Some(r) if r != self.region() => BucketState::Elsewhere(r.to_string()),
                _ => BucketState::Here,
            }),
            Err(e) => {
                let raw = e.raw_response();
                let status = raw.map(|r| r.status().as_u16());
                let region = raw
                    .and_then(|r| r.headers().get("x-amz-bucket-region"))
                    .map(str::to_string);
                match (status, region) {
                    (Some(404), _) => Ok(BucketState::Missing),
                    (Some(301), Some(r)) => Ok(BucketState::Elsewhere(r)),
                    (Some(403), _) => Ok(BucketState::Forbidden),
                    _ => Err(self.session.context.map("s3", "HeadBucket", e)),
                }
            }
        }
    }

    /// Whether `key` is in `bucket` (`HeadObject`).
    pub async fn object_exists(&self, bucket: &str, key: &str) -> Result<bool, AwsError> {
        match self.s3().head_object().bucket(bucket).key(key).send().await {
            Ok(_) => Ok(true),
            Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 404) => Ok(false),
            Err(e) => Err(self.session.context.map("s3", "HeadObject", e)),
        }
    }

    /// `ValidateTemplate` of a body (up to 51,200 bytes) or of a URL.
    pub async fn validate_template(
        &self,
        body: Option<&str>,
        url: Option<&str>,
    ) -> Result<Validated, AwsError> {
        let out = self
            .cloudformation()
            .validate_template()
            .set_template_body(body.map(str::to_string))
            .set_template_url(url.map(str::to_string))
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("cloudformation", "ValidateTemplate", e)
            })?;
        Ok(Validated {
            parameters: out
                .parameters()
                .iter()
                .map(|p| TemplateParameter {
                    key: p.parameter_key().unwrap_or_default().to_string(),
                    kind: String::new(),
                    default: p.default_value().map(str::to_string),
                    description: p.description().map(str::to_string),
                    no_echo: p.no_echo().unwrap_or(false),
                })
                .collect(),
            description: out.description().map(str::to_string),
            capabilities: out
                .capabilities()
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
        })
    }
}

impl Reader {
    /// The S3 URL a version's template was loaded from
    /// (`DescribeProvisioningArtifact`'s `Info.TemplateUrl`), if it says.
    pub async fn version_template_url(
        &self,
        product_id: &str,
        version_id: &str,
    ) -> Result<Option<String>, AwsError> {
        let out = self
            .catalog()
            .describe_provisioning_artifact()
            .product_id(product_id)
            .provisioning_artifact_id(version_id)
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("servicecatalog", "DescribeProvisioningArtifact", e)
            })?;
        Ok(out
            .info()
            .and_then(|i| {
                i.get("TemplateUrl")
                    .or_else(|| i.get("LoadTemplateFromURL"))
            })
            .cloned())
    }

    /// The bytes of the object an S3 URL names (`GetObject`); `None` when
    /// the URL is not one spoke can read as bucket and key.
    pub async fn s3_object(&self, url: &str) -> Result<Option<Vec<u8>>, AwsError> {
        let Some((bucket, key)) = crate::model::template::bucket_and_key(url) else {
            return Ok(None);
        };
        let out = self
            .s3()
            .get_object()
            .bucket(&bucket)
            .key(&key)
            .send()
            .await
            .map_err(|e| self.session.context.map("s3", "GetObject", e))?;
        let bytes = out.body.collect().await.map_err(|e| AwsError::Other {
            operation: "GetObject".into(),
            detail: format!("the body of {url} was cut short: {e}"),
        })?;
        Ok(Some(bytes.into_bytes().to_vec()))
    }
}
