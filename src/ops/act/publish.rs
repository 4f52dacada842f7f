//! A template file on its way to Service Catalog: checked here (JSON or
//! YAML, CloudFormation's short tags, a Resources section), then by
//! CloudFormation (`ValidateTemplate`), stored in S3 under a key made from
//! its content (the same file is stored once), and given to Service
//! Catalog as the S3 URL (`LoadTemplateFromURL`). Nothing is stored
//! without `--yes`: the plan reads only.

use std::path::{Path, PathBuf};

use super::ActError;
use crate::aws::read::{BucketState, Validated};
use crate::aws::{Reader, Writer};
use crate::model::FieldError;
use crate::model::template::{self, MAX_BODY, TemplateFile};

/// A template ready to publish, and what storing it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    pub path: PathBuf,
    pub template: TemplateFile,
    pub bucket: String,
    pub region: String,
    /// The bucket must be created first.
    pub create_bucket: bool,
    /// The same content is in the bucket already.
    pub stored: bool,
    /// What ValidateTemplate said, when the body was small enough to send
    /// before storing it (else it is validated from S3, after).
    pub validated: Option<Validated>,
}

impl Publish {
    pub fn url(&self) -> String {
        template::s3_url(&self.bucket, &self.region, &self.template.key())
    }

    pub fn lines(&self) -> Vec<String> {
        let t = &self.template;
        let mut lines = vec![format!(
            "template {} ({} bytes, {}, sha256 {}…): {} resource{}, {}",
            self.path.display(),
            t.bytes.len(),
            t.format.to_uppercase(),
            t.short_digest(),
            t.resources.len(),
            if t.resources.len() == 1 { "" } else { "s" },
            t.parameter_line()
        )];
        match &self.validated {
            Some(v) if v.capabilities.is_empty() => {
                lines.push("CloudFormation validated it (ValidateTemplate)".into())
            }
            Some(v) => lines.push(format!(
                "CloudFormation validated it; launching it needs {}",
                v.capabilities.join(", ")
            )),
            None => lines.push(format!(
                "larger than {MAX_BODY} bytes: CloudFormation validates it from S3 once stored"
            )),
        }
        if self.create_bucket {
            lines.push(format!(
                "create the bucket {} in {}",
                self.bucket, self.region
            ));
        }
        if self.stored {
            lines.push(format!("stored already at {}", self.url()));
        } else {
            lines.push(format!("store it at {}", self.url()));
        }
        lines
    }
}

/// Reads and checks `path`, asks CloudFormation, and reads the bucket.
/// `bucket`: `--bucket`, else the profile's `template_bucket`.
pub async fn prepare(
    reader: &Reader,
    path: &Path,
    bucket: Option<&str>,
) -> Result<Publish, ActError> {
    let field = |m: String| ActError::Invalid(vec![FieldError::new("template", m)]);
    let bucket = bucket.map(str::trim).filter(|b| !b.is_empty()).ok_or_else(|| {
        ActError::Invalid(vec![FieldError::new(
            "bucket",
            "no bucket for templates: pass --bucket NAME or set template_bucket in [profiles.NAME] of config.toml",
        )])
    })?;
    check_bucket_name(bucket)?;
    let bytes =
        std::fs::read(path).map_err(|e| field(format!("cannot read {}: {e}", path.display())))?;
    let template =
        template::check(&bytes).map_err(|e| field(format!("{}: {e}", path.display())))?;
    let validated = if bytes.len() <= MAX_BODY {
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Some(
            reader
                .validate_template(Some(&body), None)
                .await
                .map_err(|e| match e {
                    crate::aws::AwsError::Service { ref code, .. } if code == "ValidationError" => {
                        field(format!("{}: {e}", path.display()))
                    }
                    other => ActError::Aws(other),
                })?,
        )
    } else {
        None
    };
    let region = reader.region().to_string();
    let create_bucket = match reader.bucket_state(bucket).await? {
        BucketState::Here => false,
        BucketState::Missing => true,
        BucketState::Elsewhere(r) => {
            return Err(ActError::Refused(format!(
                "the bucket {bucket} is in {r}: Service Catalog in {region} loads templates from a bucket in {region} — pass --bucket with one there"
            )));
        }
        BucketState::Forbidden => {
            return Err(ActError::Refused(format!(
                "the bucket {bucket} belongs to another account (HeadBucket: HTTP 403) — pass --bucket with one of this account's"
            )));
        }
    };
    let stored = !create_bucket && reader.object_exists(bucket, &template.key()).await?;
    Ok(Publish {
        path: path.to_path_buf(),
        template,
        bucket: bucket.to_string(),
        region,
        create_bucket,
        stored,
        validated,
    })
}

/// S3's bucket naming rules: 3–63 characters of lowercase letters,
/// digits, dots and hyphens, starting and ending with a letter or digit.
fn check_bucket_name(bucket: &str) -> Result<(), ActError> {
    let ok_chars = bucket
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    let ends = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !(3..=63).contains(&bucket.len())
        || !ok_chars
        || !ends(bucket.bytes().next())
        || !ends(bucket.bytes().last())
        || bucket.contains("..")
    {
        return Err(ActError::Invalid(vec![FieldError::new(
            "bucket",
            format!(
                "`{bucket}` is not a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens"
            ),
        )]));
    }
    Ok(())
}

/// Stores it (creating the bucket first if the plan says so) and, when it
/// was too large to validate before, validates it from S3. Its URL.
pub async fn store(writer: &Writer, reader: &Reader, p: &Publish) -> Result<String, ActError> {
    if p.create_bucket {
        writer.create_bucket(&p.bucket).await?;
    }
    if !p.stored {
        let content_type = if p.template.format == "json" {
            "application/json"
        } else {
            "application/x-yaml"
        };
        writer
            .put_template(
                &p.bucket,
                &p.template.key(),
                &p.template.bytes,
                content_type,
            )
            .await?;
    }
    let url = p.url();
    if p.validated.is_none() {
        reader.validate_template(None, Some(&url)).await?;
    }
    Ok(url)
}
