//! Placeholder until S3 lands (branch s3): no bucket holds anything.

use super::{Template, World};
use crate::sandbox::error::ApiError;

impl World {
    pub fn template_from_url(
        &self,
        url: &str,
        _region: &str,
    ) -> Result<(Template, Vec<u8>), ApiError> {
        Err(ApiError::cfn_validation(format!("no such object: {url}")))
    }
}
