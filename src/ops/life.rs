//! Reads of one provisioned product's life, for the console's levels
//! (records, resources, outputs, self-service actions): one query, one answer.

use crate::aws::{AwsError, Reader};
use crate::model::{Output, Record, ServiceAction, StackResource};

/// What to read of one provisioned product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LifePart {
    Records,
    Resources,
    Outputs,
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
            LifePart::Actions => "self-service actions",
        }
    }

    /// The call that reads it, for messages.
    pub fn operation(self) -> &'static str {
        match self {
            LifePart::Records => "ListRecordHistory",
            LifePart::Resources => "DescribeStackResources",
            LifePart::Outputs => "GetProvisionedProductOutputs",
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
    Actions(Vec<ServiceAction>),
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
        LifePart::Outputs => LifeData::Outputs(reader.provisioned_outputs(pp_id).await?),
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
