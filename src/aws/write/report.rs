//! A bulk run's report into S3: `PutObject` is a write like the others —
//! given only by the gate, journaled (see the parent module).

use std::collections::BTreeMap;

use super::{Call, WriteError, Writer};

impl Writer {
    /// `PutObject` of a JSON-lines report at `key` of `bucket`. A repeat
    /// replaces the object with the same bytes, which does no harm.
    pub async fn put_report(
        &self,
        bucket: &str,
        key: &str,
        bytes: &[u8],
    ) -> Result<(), WriteError> {
        let call = Call {
            operation: "PutObject",
            targets: vec![("bucket", bucket.to_string()), ("key", key.to_string())],
            parameters: BTreeMap::from([("Bytes".into(), bytes.len().to_string())]),
            token: None,
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                self.s3
                    .put_object()
                    .bucket(bucket)
                    .key(key)
                    .content_type("application/x-ndjson")
                    .body(aws_sdk_s3::primitives::ByteStream::from(bytes.to_vec()))
                    .send()
                    .await
                    .map_err(|e| self.context.map("s3", "PutObject", e))?;
                Ok(())
            },
            |_| (None, format!("report stored in s3://{bucket}/{key}")),
        )
        .await
    }
}
