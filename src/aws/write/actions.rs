//! Running a self-service action on a provisioned product
//! (`ExecuteProvisionedProductServiceAction`), journaled like every other
//! write (see the parent module) with its ExecuteToken.

use std::collections::BTreeMap;

use super::{Call, WriteError, Writer, harmless_repeat_retries, record_of, record_summary};
use crate::model::{ExecuteRequest, Record};

impl Writer {
    /// `ExecuteProvisionedProductServiceAction`; the record of the execution.
    pub async fn execute_action(&self, request: &ExecuteRequest) -> Result<Record, WriteError> {
        let mut parameters: BTreeMap<String, String> = request
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), v.join(",")))
            .collect();
        parameters.insert("service_action_name".into(), request.action_name.clone());
        let call = Call {
            operation: "ExecuteProvisionedProductServiceAction",
            targets: vec![
                (
                    "provisioned_product_id",
                    request.provisioned_product_id.clone(),
                ),
                (
                    "provisioned_product_name",
                    request.provisioned_product_name.clone(),
                ),
                ("service_action_id", request.action_id.clone()),
            ],
            parameters,
            token: Some(&request.token),
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                let given = (!request.parameters.is_empty()).then(|| {
                    request
                        .parameters
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                });
                let out = self
                    .catalog
                    .execute_provisioned_product_service_action()
                    .provisioned_product_id(&request.provisioned_product_id)
                    .service_action_id(&request.action_id)
                    .execute_token(&request.token)
                    .set_parameters(given)
                    .customize()
                    .config_override(harmless_repeat_retries())
                    .send()
                    .await
                    .map_err(|e| {
                        self.context.map(
                            "servicecatalog",
                            "ExecuteProvisionedProductServiceAction",
                            e,
                        )
                    })?;
                record_of(
                    out.record_detail(),
                    "ExecuteProvisionedProductServiceAction",
                )
            },
            record_summary,
        )
        .await
    }
}
