//! Drift detection: `DetectStackDrift` reads nothing back but changes the
//! stack's drift status and last check time in AWS, so it is a write like
//! the others — given only by the gate, journaled (see the parent module).

use std::collections::BTreeMap;

use super::{Call, WriteError, Writer};
use crate::aws::error::AwsError;

impl Writer {
    /// `DetectStackDrift` on stack `stack` (its id) of provisioned product
    /// `provisioned_id`; the detection's id, to follow with
    /// `DescribeStackDriftDetectionStatus`. A repeat starts another
    /// detection, which does no harm.
    pub async fn detect_stack_drift(
        &self,
        provisioned_id: &str,
        stack: &str,
    ) -> Result<String, WriteError> {
        let call = Call {
            operation: "DetectStackDrift",
            targets: vec![
                ("provisioned_product_id", provisioned_id.to_string()),
                ("stack_id", stack.to_string()),
            ],
            parameters: BTreeMap::new(),
            token: None,
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                let out = self
                    .cloudformation
                    .detect_stack_drift()
                    .stack_name(stack)
                    .send()
                    .await
                    .map_err(|e| self.context.map("cloudformation", "DetectStackDrift", e))?;
                out.stack_drift_detection_id()
                    .filter(|id| !id.is_empty())
                    .map(str::to_string)
                    .ok_or_else(|| AwsError::Other {
                        operation: "DetectStackDrift".into(),
                        detail: "the answer has no StackDriftDetectionId".into(),
                    })
            },
            |id: &String| (None, format!("drift detection {id} started")),
        )
        .await
    }
}
