//! The writes of a provisioned product's life beyond launch and update:
//! terminating it. Journaled like every other write (see the parent module).

use std::collections::BTreeMap;

use super::{Call, WriteError, Writer, harmless_repeat_retries, record_of, record_summary};
use crate::model::Record;

/// A termination, as `TerminateProvisionedProduct` takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminateRequest {
    pub provisioned_product_id: String,
    pub provisioned_product_name: String,
    /// Service Catalog stops managing the product even if its resources
    /// cannot be deleted.
    pub ignore_errors: bool,
    /// The product goes; its stack and resources stay.
    pub retain_physical_resources: bool,
    /// `TerminateToken`: a retry of the same request terminates once.
    pub token: String,
}

impl Writer {
    /// `TerminateProvisionedProduct`; the record of the termination.
    pub async fn terminate(&self, request: &TerminateRequest) -> Result<Record, WriteError> {
        let call = Call {
            operation: "TerminateProvisionedProduct",
            targets: vec![
                (
                    "provisioned_product_id",
                    request.provisioned_product_id.clone(),
                ),
                (
                    "provisioned_product_name",
                    request.provisioned_product_name.clone(),
                ),
            ],
            parameters: BTreeMap::from([
                (
                    "ignore_errors".to_string(),
                    request.ignore_errors.to_string(),
                ),
                (
                    "retain_physical_resources".to_string(),
                    request.retain_physical_resources.to_string(),
                ),
            ]),
            token: Some(&request.token),
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                let out = self
                    .catalog
                    .terminate_provisioned_product()
                    .provisioned_product_id(&request.provisioned_product_id)
                    .terminate_token(&request.token)
                    .ignore_errors(request.ignore_errors)
                    .retain_physical_resources(request.retain_physical_resources)
                    .customize()
                    .config_override(harmless_repeat_retries())
                    .send()
                    .await
                    .map_err(|e| {
                        self.context
                            .map("servicecatalog", "TerminateProvisionedProduct", e)
                    })?;
                record_of(out.record_detail(), "TerminateProvisionedProduct")
            },
            record_summary,
        )
        .await
    }
}
