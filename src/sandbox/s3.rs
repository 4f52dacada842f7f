//! S3 over its REST/XML protocol, path-style (`/BUCKET/KEY` on loopback):
//! CreateBucket, HeadBucket, PutObject, GetObject, HeadObject. The request
//! is authenticated and its aws-chunked body decoded before it gets here
//! (see `server` and `sigv4`); this checks the digests, keeps the bytes and
//! answers S3's headers.

use super::protocol::base64::{decode as b64decode, encode as b64encode};
use md5::Digest as _;
use md5::Md5;
use sha2::Digest as _;
use sha2::Sha256;

use super::error::ApiError;
use super::protocol::query::escape;
use super::server::Ctx;
use super::world::buckets::{percent_decode, valid_bucket_name};
use super::world::{Bucket, Object, Time, World};

/// A request as the S3 handler sees it: the body already decoded.
pub struct S3Request<'a> {
    /// The path as sent (percent-encoded).
    pub path: &'a str,
    pub header: &'a dyn Fn(&str) -> Option<String>,
    pub body: &'a [u8],
    /// Trailing headers of an aws-chunked body (lower-case names).
    pub trailers: &'a [(String, String)],
}

/// An answer: status, headers, body.
#[derive(Debug, Default)]
pub struct S3Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The bucket and the key of a path-style path (`/BUCKET/KEY`), the key decoded.
pub fn bucket_and_key(path: &str) -> (String, String) {
    let path = path.strip_prefix('/').unwrap_or(path);
    let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
    (
        percent_decode(bucket).unwrap_or_else(|| bucket.to_string()),
        percent_decode(key).unwrap_or_else(|| key.to_string()),
    )
}

/// The operation a method and path-style path are.
pub fn operation(method: &str, path: &str) -> &'static str {
    let (bucket, key) = bucket_and_key(path);
    match (method, bucket.is_empty(), key.is_empty()) {
        ("GET", true, _) => "ListBuckets",
        ("PUT", false, true) => "CreateBucket",
        ("HEAD", false, true) => "HeadBucket",
        ("PUT", false, false) => "PutObject",
        ("GET", false, false) => "GetObject",
        ("HEAD", false, false) => "HeadObject",
        _ => "Unknown",
    }
}

pub fn handle(
    world: &mut World,
    ctx: &Ctx,
    operation: &str,
    req: &S3Request<'_>,
) -> Result<S3Answer, ApiError> {
    let (bucket, key) = bucket_and_key(req.path);
    match operation {
        "ListBuckets" => Ok(list_buckets(world, ctx)),
        "CreateBucket" => create_bucket(world, ctx, &bucket, req),
        "HeadBucket" => head_bucket(world, ctx, &bucket),
        "PutObject" => put_object(world, ctx, &bucket, &key, req),
        "GetObject" => get_object(world, ctx, &bucket, &key, req, true),
        "HeadObject" => get_object(world, ctx, &bucket, &key, req, false),
        _ => Err(ApiError::new(
            501,
            "NotImplemented",
            // guess: the sandbox's own words for an operation it does not emulate.
            "A header you provided implies functionality that is not implemented",
        )),
    }
}

fn no_such_bucket() -> ApiError {
    ApiError::new(404, "NoSuchBucket", "The specified bucket does not exist")
}

fn access_denied() -> ApiError {
    ApiError::new(403, "AccessDenied", "Access Denied")
}

/// S3's dates in headers: `Wed, 21 Oct 2015 07:28:00 GMT`.
fn http_date(t: Time) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn iso_date(t: Time) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A bucket the caller may use: it exists, is in the caller's region
/// (else S3 redirects), and is the caller's (the sandbox has no bucket
/// policies: another account's bucket is denied).
fn own_bucket<'w>(world: &'w mut World, ctx: &Ctx, name: &str) -> Result<&'w mut Bucket, ApiError> {
    let b = world.buckets.get_mut(name).ok_or_else(no_such_bucket)?;
    if b.region != ctx.region {
        return Err(redirect(&b.region));
    }
    if b.owner != ctx.account {
        return Err(access_denied());
    }
    Ok(b)
}

fn redirect(region: &str) -> ApiError {
    ApiError::new(
        301,
        "PermanentRedirect",
        "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
    )
    .with_reason(region)
}

fn list_buckets(world: &World, ctx: &Ctx) -> S3Answer {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Buckets>",
    );
    for b in world.buckets.values().filter(|b| b.owner == ctx.account) {
        xml.push_str(&format!(
            "<Bucket><Name>{}</Name><CreationDate>{}</CreationDate><BucketRegion>{}</BucketRegion></Bucket>",
            escape(&b.name),
            iso_date(b.created),
            escape(&b.region)
        ));
    }
    xml.push_str(&format!(
        "</Buckets><Owner><ID>{}</ID></Owner></ListAllMyBucketsResult>",
        escape(&ctx.account)
    ));
    S3Answer {
        status: 200,
        headers: vec![("content-type".into(), "application/xml".into())],
        body: xml.into_bytes(),
    }
}

/// `<CreateBucketConfiguration><LocationConstraint>R</LocationConstraint>…`: R, if given.
fn location_constraint(body: &[u8]) -> Result<Option<String>, ApiError> {
    let malformed = || {
        ApiError::new(
            400,
            "MalformedXML",
            "The XML you provided was not well-formed or did not validate against our published schema",
        )
    };
    let text = std::str::from_utf8(body).map_err(|_| malformed())?.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if !text.contains("<CreateBucketConfiguration")
        || !text.contains("</CreateBucketConfiguration>")
    {
        return Err(malformed());
    }
    let Some(start) = text.find("<LocationConstraint>") else {
        return Ok(None);
    };
    let rest = &text[start + "<LocationConstraint>".len()..];
    let end = rest.find("</LocationConstraint>").ok_or_else(malformed)?;
    let region = rest[..end].trim();
    Ok((!region.is_empty()).then(|| region.to_string()))
}

fn create_bucket(
    world: &mut World,
    ctx: &Ctx,
    name: &str,
    req: &S3Request<'_>,
) -> Result<S3Answer, ApiError> {
    if !valid_bucket_name(name) {
        return Err(ApiError::new(
            400,
            "InvalidBucketName",
            "The specified bucket is not valid.",
        ));
    }
    let constraint = location_constraint(req.body)?;
    let region = match (ctx.region.as_str(), constraint.as_deref()) {
        ("us-east-1", None) => "us-east-1".to_string(),
        ("us-east-1", Some("us-east-1")) => {
            return Err(ApiError::new(
                400,
                "InvalidLocationConstraint",
                "The specified location-constraint is not valid",
            ));
        }
        (signing, Some(c)) if c == signing => c.to_string(),
        (_, c) => {
            return Err(ApiError::new(
                400,
                "IllegalLocationConstraintException",
                format!(
                    "The {} location constraint is incompatible for the region specific endpoint this request was sent to.",
                    c.unwrap_or("unspecified")
                ),
            ));
        }
    };
    if let Some(existing) = world.buckets.get(name) {
        if existing.owner != ctx.account {
            return Err(ApiError::new(
                409,
                "BucketAlreadyExists",
                "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
            ));
        }
        // In us-east-1 S3 answers 200 to re-creating a bucket you own
        // (legacy compatibility, per the CreateBucket reference); elsewhere 409.
        if !(existing.region == "us-east-1" && region == "us-east-1") {
            return Err(ApiError::new(
                409,
                "BucketAlreadyOwnedByYou",
                "Your previous request to create the named bucket succeeded and you already own it.",
            ));
        }
    } else {
        world.buckets.insert(
            name.to_string(),
            Bucket {
                name: name.to_string(),
                owner: ctx.account.clone(),
                region: region.clone(),
                created: ctx.now,
                objects: Default::default(),
            },
        );
    }
    let location = if region == "us-east-1" {
        format!("/{name}")
    } else {
        format!("http://{name}.s3.amazonaws.com/")
    };
    Ok(S3Answer {
        status: 200,
        headers: vec![
            ("location".into(), location),
            ("x-amz-bucket-arn".into(), format!("arn:aws:s3:::{name}")),
        ],
        body: Vec::new(),
    })
}

fn head_bucket(world: &mut World, ctx: &Ctx, name: &str) -> Result<S3Answer, ApiError> {
    let b = own_bucket(world, ctx, name)?;
    Ok(S3Answer {
        status: 200,
        headers: vec![
            ("x-amz-bucket-region".into(), b.region.clone()),
            ("x-amz-access-point-alias".into(), "false".into()),
        ],
        body: Vec::new(),
    })
}

/// The checksum algorithms S3 takes, by their header's suffix.
const CHECKSUMS: [(&str, &str); 5] = [
    ("crc32", "CRC32"),
    ("crc32c", "CRC32C"),
    ("crc64nvme", "CRC64NVME"),
    ("sha1", "SHA1"),
    ("sha256", "SHA256"),
];

fn checksum_of(algorithm: &str, bytes: &[u8]) -> Vec<u8> {
    use crc_fast::{CrcAlgorithm, checksum};
    match algorithm {
        "crc32" => (checksum(CrcAlgorithm::Crc32IsoHdlc, bytes) as u32)
            .to_be_bytes()
            .to_vec(),
        "crc32c" => (checksum(CrcAlgorithm::Crc32Iscsi, bytes) as u32)
            .to_be_bytes()
            .to_vec(),
        "crc64nvme" => checksum(CrcAlgorithm::Crc64Nvme, bytes)
            .to_be_bytes()
            .to_vec(),
        "sha1" => sha1::Sha1::digest(bytes).to_vec(),
        _ => Sha256::digest(bytes).to_vec(),
    }
}

fn put_object(
    world: &mut World,
    ctx: &Ctx,
    bucket: &str,
    key: &str,
    req: &S3Request<'_>,
) -> Result<S3Answer, ApiError> {
    let now = ctx.now;
    let b = own_bucket(world, ctx, bucket)?;
    if key.len() > 1024 {
        return Err(ApiError::new(
            400,
            "KeyTooLongError",
            "Your key is too long",
        ));
    }
    if let Some(md5) = (req.header)("content-md5") {
        let given = b64decode(md5.trim())
            .filter(|d| d.len() == 16)
            .ok_or_else(|| {
                ApiError::new(
                    400,
                    "InvalidDigest",
                    "The Content-MD5 you specified was invalid.",
                )
            })?;
        if given != Md5::digest(req.body).as_slice() {
            return Err(ApiError::new(
                400,
                "BadDigest",
                "The Content-MD5 you specified did not match what we received.",
            ));
        }
    }
    // A checksum in a header, or in the trailer of an aws-chunked body.
    let mut given: Vec<(&str, &str, String)> = Vec::new();
    for (suffix, name) in CHECKSUMS {
        let header = format!("x-amz-checksum-{suffix}");
        let value = (req.header)(&header).or_else(|| {
            req.trailers
                .iter()
                .find(|(k, _)| *k == header)
                .map(|(_, v)| v.clone())
        });
        if let Some(v) = value {
            given.push((suffix, name, v));
        }
    }
    if given.len() > 1 {
        return Err(ApiError::new(
            400,
            "InvalidRequest",
            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
        ));
    }
    if let Some(declared) = (req.header)("x-amz-trailer") {
        let declared = declared.trim().to_ascii_lowercase();
        if !req.trailers.iter().any(|(k, _)| *k == declared) {
            // guess: the wording for a declared trailer that never came.
            return Err(ApiError::new(
                400,
                "MalformedTrailerError",
                "The request contained trailing data that was not well-formed or did not conform to our published schema.",
            ));
        }
    }
    let checksum = match given.pop() {
        None => None,
        Some((suffix, name, value)) => {
            let expected = checksum_of(suffix, req.body);
            let decoded = b64decode(value.trim())
                .filter(|d| d.len() == expected.len())
                .ok_or_else(|| {
                    ApiError::new(
                        400,
                        "InvalidRequest",
                        format!("Value for x-amz-checksum-{suffix} header is invalid."),
                    )
                })?;
            if decoded != expected {
                return Err(ApiError::new(
                    400,
                    "BadDigest",
                    format!("The {name} you specified did not match the calculated checksum."),
                ));
            }
            Some((name.to_string(), b64encode(&expected)))
        }
    };
    let etag = format!("\"{}\"", hex::encode(Md5::digest(req.body)));
    let content_type =
        (req.header)("content-type").unwrap_or_else(|| "binary/octet-stream".to_string());
    let mut headers = vec![
        ("etag".to_string(), etag.clone()),
        (
            "x-amz-server-side-encryption".to_string(),
            "AES256".to_string(),
        ),
    ];
    if let Some((name, value)) = &checksum {
        headers.push((
            format!("x-amz-checksum-{}", name.to_ascii_lowercase()),
            value.clone(),
        ));
        headers.push(("x-amz-checksum-type".into(), "FULL_OBJECT".into()));
    }
    b.objects.insert(
        key.to_string(),
        Object {
            key: key.to_string(),
            bytes: req.body.to_vec(),
            content_type,
            etag,
            last_modified: now,
            checksum,
        },
    );
    Ok(S3Answer {
        status: 200,
        headers,
        body: Vec::new(),
    })
}

fn get_object(
    world: &mut World,
    ctx: &Ctx,
    bucket: &str,
    key: &str,
    req: &S3Request<'_>,
    with_body: bool,
) -> Result<S3Answer, ApiError> {
    let b = own_bucket(world, ctx, bucket)?;
    let o = b
        .objects
        .get(key)
        .ok_or_else(|| ApiError::new(404, "NoSuchKey", "The specified key does not exist."))?;
    let mut headers = vec![
        ("etag".to_string(), o.etag.clone()),
        ("content-type".to_string(), o.content_type.clone()),
        ("content-length".to_string(), o.bytes.len().to_string()),
        ("last-modified".to_string(), http_date(o.last_modified)),
        ("accept-ranges".to_string(), "bytes".to_string()),
        (
            "x-amz-server-side-encryption".to_string(),
            "AES256".to_string(),
        ),
    ];
    let checksum_mode =
        (req.header)("x-amz-checksum-mode").is_some_and(|m| m.eq_ignore_ascii_case("ENABLED"));
    if let (true, Some((name, value))) = (checksum_mode, &o.checksum) {
        headers.push((
            format!("x-amz-checksum-{}", name.to_ascii_lowercase()),
            value.clone(),
        ));
        headers.push(("x-amz-checksum-type".into(), "FULL_OBJECT".into()));
    }
    Ok(S3Answer {
        status: 200,
        headers,
        body: if with_body {
            o.bytes.clone()
        } else {
            Vec::new()
        },
    })
}

/// S3's error body: `<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId></Error>`,
/// with the bucket or key it is about.
pub fn error_body(e: &ApiError, path: &str, request_id: &str, host_id: &str) -> String {
    let (bucket, key) = bucket_and_key(path);
    let mut extra = String::new();
    match e.code.as_str() {
        "NoSuchBucket" | "BucketAlreadyExists" | "BucketAlreadyOwnedByYou" => {
            extra = format!("<BucketName>{}</BucketName>", escape(&bucket));
        }
        "NoSuchKey" => extra = format!("<Key>{}</Key>", escape(&key)),
        "PermanentRedirect" => {
            extra = format!(
                "<Endpoint>s3.{}.amazonaws.com</Endpoint><Bucket>{}</Bucket>",
                escape(e.reason.as_deref().unwrap_or_default()),
                escape(&bucket)
            );
        }
        _ => {}
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message>{extra}<RequestId>{request_id}</RequestId><HostId>{host_id}</HostId></Error>",
        escape(&e.code),
        escape(&e.message)
    )
}

/// Verifies `x-amz-content-sha256` against a body sent whole.
pub fn check_content_sha256(declared: &str, body: &[u8]) -> Result<(), ApiError> {
    let computed = hex::encode(Sha256::digest(body));
    if declared.eq_ignore_ascii_case(&computed) {
        return Ok(());
    }
    Err(ApiError::new(
        400,
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_operations() {
        assert_eq!(operation("PUT", "/b"), "CreateBucket");
        assert_eq!(operation("PUT", "/b/"), "CreateBucket");
        assert_eq!(operation("HEAD", "/b"), "HeadBucket");
        assert_eq!(operation("PUT", "/b/k/x.yaml"), "PutObject");
        assert_eq!(operation("GET", "/b/k"), "GetObject");
        assert_eq!(operation("HEAD", "/b/k"), "HeadObject");
        assert_eq!(operation("GET", "/"), "ListBuckets");
        assert_eq!(operation("DELETE", "/b/k"), "Unknown");
        assert_eq!(
            bucket_and_key("/b/dir/a%20b.yaml"),
            ("b".to_string(), "dir/a b.yaml".to_string())
        );
    }

    #[test]
    fn checksums_are_s3s() {
        assert_eq!(b64encode(&checksum_of("crc32", b"hello")), "NhCmhg==");
        assert_eq!(
            b64encode(&checksum_of("sha256", b"")),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }

    #[test]
    fn location_constraints() {
        assert_eq!(location_constraint(b"").unwrap(), None);
        assert_eq!(
            location_constraint(
                b"<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"
            )
            .unwrap()
            .as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(
            location_constraint(b"<x>").unwrap_err().code,
            "MalformedXML"
        );
    }
}
