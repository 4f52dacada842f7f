//! Provisioned product plans: what an update would change, asked of AWS
//! before the update is made, and deleted once read.

use aws_sdk_servicecatalog::types::ProvisionedProductPlanType;

use super::{Call, WriteError, Writer, update_call, update_parameters};
use crate::aws::error::AwsError;
use crate::model::UpdateRequest;

impl Writer {
    /// `CreateProvisionedProductPlan` for `request` (an update of an
    /// existing provisioned product), named `name`, with its own
    /// idempotency token `token`; the plan's id.
    pub async fn create_update_plan(
        &self,
        request: &UpdateRequest,
        name: &str,
        token: &str,
    ) -> Result<String, WriteError> {
        let mut call = update_call(request, "CreateProvisionedProductPlan");
        call.token = Some(token);
        call.targets.push(("plan_name", name.to_string()));
        self.journaled(
            call,
            || async {
                let out = self
                    .catalog
                    .create_provisioned_product_plan()
                    .plan_name(name)
                    .plan_type(ProvisionedProductPlanType::Cloudformation)
                    .product_id(&request.product_id)
                    .provisioned_product_name(&request.provisioned_product_name)
                    .provisioning_artifact_id(&request.version_id)
                    .set_path_id(request.path_id.clone())
                    .set_provisioning_parameters(Some(update_parameters(request)))
                    .idempotency_token(token)
                    .customize()
                    .config_override(super::harmless_repeat_retries())
                    .send()
                    .await
                    .map_err(|e| {
                        self.context
                            .map("servicecatalog", "CreateProvisionedProductPlan", e)
                    })?;
                out.plan_id()
                    .map(str::to_string)
                    .ok_or_else(|| AwsError::Other {
                        operation: "CreateProvisionedProductPlan".into(),
                        detail: "the answer has no PlanId".into(),
                    })
            },
            |id: &String| (None, format!("plan {id} created")),
        )
        .await
    }

    /// `DeleteProvisionedProductPlan`: nothing is left behind in the account.
    pub async fn delete_plan(&self, plan_id: &str) -> Result<(), WriteError> {
        let call = Call {
            operation: "DeleteProvisionedProductPlan",
            targets: vec![("plan_id", plan_id.to_string())],
            parameters: Default::default(),
            token: None,
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                let sent = self
                    .catalog
                    .delete_provisioned_product_plan()
                    .plan_id(plan_id)
                    .ignore_errors(true)
                    .customize()
                    .config_override(super::harmless_repeat_retries())
                    .send()
                    .await;
                match sent {
                    Ok(_) => Ok(()),
                    // Asked again after an answer that was lost: the first
                    // attempt deleted it. Gone is what was wanted.
                    Err(e)
                        if e.as_service_error()
                            .is_some_and(|s| s.is_resource_not_found_exception()) =>
                    {
                        Ok(())
                    }
                    Err(e) => {
                        Err(self
                            .context
                            .map("servicecatalog", "DeleteProvisionedProductPlan", e))
                    }
                }
            },
            |_| (None, "deleted".into()),
        )
        .await
    }
}
