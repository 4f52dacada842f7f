//! Reads of one provisioned product's life, for the console's levels
//! (records, resources, outputs, resource drift): one query, one answer.

use crate::aws::{AwsError, Reader};
use crate::model::{Output, Record, StackDrift, StackResource};

/// What to read of one provisioned product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LifePart {
    Records,
    Resources,
    Outputs,
    /// What the last drift detection saw ([`crate::ops::resource_drift`]).
    Drift,
}

impl LifePart {
    /// "records", for messages.
    pub fn noun(self) -> &'static str {
        match self {
            LifePart::Records => "records",
            LifePart::Resources => "stack resources",
            LifePart::Outputs => "outputs",
            LifePart::Drift => "resource drift",
        }
    }

    /// The call that reads it, for messages.
    pub fn operation(self) -> &'static str {
        match self {
            LifePart::Records => "ListRecordHistory",
            LifePart::Resources => "DescribeStackResources",
            LifePart::Outputs => "GetProvisionedProductOutputs",
            LifePart::Drift => "DescribeStackResourceDrifts",
        }
    }
}

/// What was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LifeData {
    Records(Vec<Record>),
    Resources(Vec<StackResource>),
    Outputs(Vec<Output>),
    Drift(Box<StackDrift>),
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
        LifePart::Drift => LifeData::Drift(Box::new(
            crate::ops::resource_drift::last_of_stack(reader, stack).await?,
        )),
    })
}
