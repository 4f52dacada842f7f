//! S3 in the sandbox through the real `aws-sdk-s3` client, default
//! settings (its checksums, its aws-chunked streaming), and CloudFormation's
//! ValidateTemplate of templates by body and by S3 URL.

use crate::fixtures;

use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use fixtures::*;
use spoke::sandbox::Sandbox;

async fn s3_from(conf: &aws_config::SdkConfig) -> aws_sdk_s3::Client {
    let conf = aws_sdk_s3::config::Builder::from(conf)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

async fn s3(sb: &Sandbox, profile: &str) -> aws_sdk_s3::Client {
    s3_from(&config(sb, profile).await).await
}

/// The S3 client of `profile`'s keys, signing for `region`.
async fn s3_in(sb: &Sandbox, profile: &str, region: &str) -> aws_sdk_s3::Client {
    let p = sb
        .profiles()
        .into_iter()
        .find(|p| p.name == profile)
        .unwrap();
    s3_from(&config_with_keys(sb, region, &p.access_key_id, &p.secret_access_key).await).await
}

const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Description: A queue per environment
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
    Description: Where it runs
  Secret:
    Type: String
    NoEcho: true
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${AWS::StackName}-${Env}"
      DelaySeconds: !If [IsProd, 0, 5]
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Join ["-", [queue, !Ref Env]]
      AssumeRolePolicyDocument: {}
Outputs:
  QueueArn:
    Value: !GetAtt Queue.Arn
"#;

fn md5_etag(bytes: &[u8]) -> String {
    use md5::Digest;
    format!("\"{}\"", hex::encode(md5::Md5::digest(bytes)))
}

#[tokio::test]
async fn buckets_and_objects_round_trip_through_the_sdk() {
    let sb = sandbox(1.0).await;
    let hub = s3(&sb, "hub").await;
    hub.create_bucket()
        .bucket("hub-templates")
        .send()
        .await
        .expect("CreateBucket");
    let head = hub
        .head_bucket()
        .bucket("hub-templates")
        .send()
        .await
        .expect("HeadBucket");
    assert_eq!(head.bucket_region(), Some("us-east-1"));

    // In memory: the SDK sends a CRC32 header and the body's SHA-256.
    let put = hub
        .put_object()
        .bucket("hub-templates")
        .key("queue/v1 template.yaml")
        .content_type("text/yaml")
        .body(ByteStream::from(TEMPLATE.as_bytes().to_vec()))
        .send()
        .await
        .expect("PutObject");
    assert_eq!(put.e_tag(), Some(md5_etag(TEMPLATE.as_bytes()).as_str()));
    assert!(put.checksum_crc32().is_some(), "{put:?}");
    let got = hub
        .get_object()
        .bucket("hub-templates")
        .key("queue/v1 template.yaml")
        .send()
        .await
        .expect("GetObject");
    assert_eq!(got.content_type(), Some("text/yaml"));
    assert_eq!(got.content_length(), Some(TEMPLATE.len() as i64));
    assert_eq!(got.e_tag(), put.e_tag());
    assert!(got.last_modified().is_some());
    let bytes = got.body.collect().await.unwrap().into_bytes();
    assert_eq!(&bytes[..], TEMPLATE.as_bytes());

    // Larger than a chunk, in memory and streamed from a file (aws-chunked,
    // signed chunk by chunk over http, the CRC32 in the trailer).
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.bin");
    std::fs::write(&path, &big).unwrap();
    for (key, body) in [
        ("big/in-memory.bin", ByteStream::from(big.clone())),
        (
            "big/streamed.bin",
            ByteStream::from_path(&path).await.unwrap(),
        ),
    ] {
        let put = hub
            .put_object()
            .bucket("hub-templates")
            .key(key)
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("PutObject {key}: {e:?}"));
        assert_eq!(put.e_tag(), Some(md5_etag(&big).as_str()), "{key}");
        let got = hub
            .get_object()
            .bucket("hub-templates")
            .key(key)
            .send()
            .await
            .expect("GetObject");
        // The SDK's own default for a body without a type.
        assert_eq!(got.content_type(), Some("application/octet-stream"));
        let bytes = got.body.collect().await.unwrap().into_bytes();
        assert!(bytes[..] == big[..], "{key} comes back byte-identical");
    }
    let head = hub
        .head_object()
        .bucket("hub-templates")
        .key("big/streamed.bin")
        .send()
        .await
        .expect("HeadObject");
    assert_eq!(head.content_length(), Some(big.len() as i64));
    assert_eq!(head.e_tag(), Some(md5_etag(&big).as_str()));

    let calls = sb.calls();
    for op in [
        "CreateBucket",
        "HeadBucket",
        "PutObject",
        "GetObject",
        "HeadObject",
    ] {
        assert!(
            calls
                .iter()
                .any(|c| c.service == "s3" && c.operation == op && c.outcome == "ok"),
            "{op} logged"
        );
    }
    assert!(
        calls
            .iter()
            .any(|c| c.target.as_deref() == Some("hub-templates/queue/v1 template.yaml"))
    );
}

#[tokio::test]
async fn s3_errors_are_s3s() {
    let sb = sandbox(1.0).await;
    let hub = s3(&sb, "hub").await;
    let dev = s3(&sb, "spoke-dev").await;
    hub.create_bucket().bucket("hub-only").send().await.unwrap();

    let e = hub
        .get_object()
        .bucket("hub-only")
        .key("missing.yaml")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "NoSuchKey");
    assert!(e.as_service_error().unwrap().is_no_such_key());
    let e = hub
        .head_object()
        .bucket("hub-only")
        .key("missing.yaml")
        .send()
        .await
        .unwrap_err();
    assert!(e.as_service_error().unwrap().is_not_found(), "{e:?}");
    let e = hub
        .put_object()
        .bucket("no-such-bucket")
        .key("t.yaml")
        .body(ByteStream::from_static(b"x"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "NoSuchBucket");
    let e = hub
        .get_object()
        .bucket("no-such-bucket")
        .key("t.yaml")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "NoSuchBucket");
    let e = hub
        .head_bucket()
        .bucket("no-such-bucket")
        .send()
        .await
        .unwrap_err();
    assert!(e.as_service_error().unwrap().is_not_found(), "{e:?}");

    // Bucket names are global: another account's is taken, and not ours.
    let e = dev
        .create_bucket()
        .bucket("hub-only")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "BucketAlreadyExists");
    let e = dev
        .put_object()
        .bucket("hub-only")
        .key("t.yaml")
        .body(ByteStream::from_static(b"x"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "AccessDenied");
    let e = dev
        .head_bucket()
        .bucket("hub-only")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(403));

    let e = hub
        .create_bucket()
        .bucket("Not_Valid")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidBucketName");

    // The location constraint must be the signing region's.
    let e = hub
        .create_bucket()
        .bucket("hub-europe")
        .create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::EuWest1)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "IllegalLocationConstraintException");
    let eu = s3_in(&sb, "hub", "eu-west-1").await;
    let e = eu
        .create_bucket()
        .bucket("hub-europe")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "IllegalLocationConstraintException");
    let europe = || {
        eu.create_bucket()
            .bucket("hub-europe")
            .create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::EuWest1)
                    .build(),
            )
    };
    europe().send().await.expect("CreateBucket in eu-west-1");
    let e = europe().send().await.unwrap_err();
    assert_eq!(code(&e), "BucketAlreadyOwnedByYou");
    let head = eu.head_bucket().bucket("hub-europe").send().await.unwrap();
    assert_eq!(head.bucket_region(), Some("eu-west-1"));

    // A wrong secret, an unknown key.
    let p = sb.profiles().into_iter().find(|p| p.name == "hub").unwrap();
    let wrong =
        s3_from(&config_with_keys(&sb, &p.region, &p.access_key_id, "not-the-secret").await).await;
    let e = wrong
        .put_object()
        .bucket("hub-only")
        .key("t.yaml")
        .body(ByteStream::from_static(b"x"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "SignatureDoesNotMatch");
    let unknown =
        s3_from(&config_with_keys(&sb, &p.region, "AKIAUNKNOWN000000000", "x").await).await;
    let e = unknown.list_buckets().send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidAccessKeyId");
    let listed = hub.list_buckets().send().await.unwrap();
    let names: Vec<&str> = listed.buckets().iter().filter_map(|b| b.name()).collect();
    // The hub's own: the templates of the versions the world came with, and those made here.
    assert_eq!(
        names,
        ["catalog-templates-111122223333", "hub-europe", "hub-only"]
    );
}

#[tokio::test]
async fn validate_template_by_body_and_by_s3_url() {
    let sb = sandbox(1.0).await;
    let cf = cfn(&sb, "hub").await;
    let out = cf
        .validate_template()
        .template_body(TEMPLATE)
        .send()
        .await
        .expect("ValidateTemplate");
    assert_eq!(out.description(), Some("A queue per environment"));
    let params: Vec<(&str, Option<&str>, Option<bool>)> = out
        .parameters()
        .iter()
        .map(|p| (p.parameter_key().unwrap(), p.default_value(), p.no_echo()))
        .collect();
    assert_eq!(
        params,
        [
            ("Env", Some("dev"), Some(false)),
            ("Secret", None, Some(true))
        ]
    );
    assert_eq!(out.parameters()[0].description(), Some("Where it runs"));
    assert_eq!(
        out.capabilities()
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
        ["CAPABILITY_NAMED_IAM"]
    );
    assert_eq!(
        out.capabilities_reason(),
        Some("The following resource(s) require capabilities: [AWS::IAM::Role]")
    );

    let e = cf
        .validate_template()
        .template_body("Description: no resources\n")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationError");
    assert_eq!(
        e.as_service_error().and_then(|s| s.message()),
        Some("Template format error: At least one Resources member must be defined.")
    );
    let e = cf
        .validate_template()
        .template_body("Resources:\n  Q: [\n")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationError");
    let e = cf.validate_template().send().await.unwrap_err();
    assert_eq!(
        e.as_service_error().and_then(|s| s.message()),
        Some("Either Template URL or Template Body must be specified.")
    );

    let hub = s3(&sb, "hub").await;
    hub.create_bucket()
        .bucket("hub-templates")
        .send()
        .await
        .unwrap();
    hub.put_object()
        .bucket("hub-templates")
        .key("queue/v1.yaml")
        .body(ByteStream::from_static(TEMPLATE.as_bytes()))
        .send()
        .await
        .unwrap();
    for url in [
        "https://hub-templates.s3.us-east-1.amazonaws.com/queue/v1.yaml",
        "https://s3.amazonaws.com/hub-templates/queue/v1.yaml",
    ] {
        let out = cf
            .validate_template()
            .template_url(url)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{url}: {e:?}"));
        assert_eq!(out.parameters().len(), 2, "{url}");
    }
    let e = cf
        .validate_template()
        .template_url("https://hub-templates.s3.amazonaws.com/queue/v2.yaml")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationError");
    assert_eq!(
        e.as_service_error().and_then(|s| s.message()),
        Some("TemplateURL must reference a valid S3 object to which you have access.")
    );
    let e = cf
        .validate_template()
        .template_url("https://hub-templates.s3.amazonaws.com/queue/v1.yaml")
        .template_body(TEMPLATE)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.as_service_error().and_then(|s| s.message()),
        Some("You cannot specify both Template URL and Template Body.")
    );
}

/// A PUT signed by aws-sigv4 for `payload` (the `x-amz-content-sha256`
/// mode), sent over a plain socket: the modes the SDK does not use on
/// http (it streams unsigned only on https). The status and the body.
async fn raw_put(
    sb: &Sandbox,
    path: &str,
    body: SignableBody<'_>,
    extra: &[(&str, &str)],
    sent: &[u8],
) -> (u16, String) {
    use aws_sigv4::http_request::{SignableRequest, SigningSettings, sign};
    use aws_sigv4::sign::v4;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let p = sb.profiles().into_iter().find(|p| p.name == "hub").unwrap();
    let identity = aws_credential_types::Credentials::new(
        &p.access_key_id,
        &p.secret_access_key,
        None,
        None,
        "test",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = aws_sigv4::http_request::PercentEncodingMode::Single;
    settings.payload_checksum_kind = aws_sigv4::http_request::PayloadChecksumKind::XAmzSha256;
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("s3")
        .time(std::time::SystemTime::now())
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let host = sb.endpoint().trim_start_matches("http://").to_string();
    let url = format!("{}{path}", sb.endpoint());
    let length = sent.len().to_string();
    let mut headers: Vec<(&str, &str)> = vec![("host", &host), ("content-length", &length)];
    headers.extend_from_slice(extra);
    let signable = SignableRequest::new("PUT", &url, headers.iter().copied(), body).unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut head = format!("PUT {path} HTTP/1.1\r\n");
    for (k, v) in headers.iter().copied().chain(instructions.headers()) {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("connection: close\r\n\r\n");
    let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(sent).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).to_string();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

use aws_sigv4::http_request::SignableBody;

#[tokio::test]
async fn unsigned_streaming_with_a_trailer_and_digest_mismatches() {
    let sb = sandbox(1.0).await;
    let hub = s3(&sb, "hub").await;
    hub.create_bucket()
        .bucket("raw-bucket")
        .send()
        .await
        .unwrap();
    let chunked = |crc: &str| {
        format!("5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:{crc}\r\n\r\n").into_bytes()
    };
    let streaming = [
        ("content-encoding", "aws-chunked"),
        ("x-amz-decoded-content-length", "11"),
        ("x-amz-trailer", "x-amz-checksum-crc32"),
    ];
    // CRC32 of "hello world" is 0x0d4a1185.
    let (status, answer) = raw_put(
        &sb,
        "/raw-bucket/greeting.txt",
        SignableBody::StreamingUnsignedPayloadTrailer,
        &streaming,
        &chunked("DUoRhQ=="),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer.contains("x-amz-checksum-crc32: DUoRhQ=="),
        "{answer}"
    );
    let got = hub
        .get_object()
        .bucket("raw-bucket")
        .key("greeting.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(
        &got.body.collect().await.unwrap().into_bytes()[..],
        b"hello world"
    );

    let (status, answer) = raw_put(
        &sb,
        "/raw-bucket/greeting.txt",
        SignableBody::StreamingUnsignedPayloadTrailer,
        &streaming,
        &chunked("AAAAAA=="),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("<Code>BadDigest</Code>"), "{answer}");

    // The declared SHA-256 must be the body's.
    let (status, answer) = raw_put(
        &sb,
        "/raw-bucket/other.txt",
        SignableBody::Bytes(b"what was signed"),
        &[],
        b"what was sent!!",
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer.contains("<Code>XAmzContentSHA256Mismatch</Code>"),
        "{answer}"
    );
    assert!(answer.contains("x-amz-request-id"), "{answer}");

    // So must Content-MD5.
    let (status, answer) = raw_put(
        &sb,
        "/raw-bucket/other.txt",
        SignableBody::UnsignedPayload,
        &[("content-md5", "XUFAKrxLKna5cZ2REBfFkg==")],
        b"not hello",
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("<Code>BadDigest</Code>"), "{answer}");
    let (status, answer) = raw_put(
        &sb,
        "/raw-bucket/other.txt",
        SignableBody::UnsignedPayload,
        &[("content-md5", "XUFAKrxLKna5cZ2REBfFkg==")],
        b"hello",
    )
    .await;
    assert_eq!(status, 200, "{answer}");
}
