//! S3 buckets and their objects. Bucket names are global: one namespace for
//! every account and region. Templates are read from them by URL, as
//! CloudFormation's `TemplateURL` and Service Catalog's `LoadTemplateFromURL`
//! read them, without a network.

use std::collections::BTreeMap;

use super::template_file;
use super::{Template, Time, World};
use crate::sandbox::error::ApiError;

#[derive(Debug, Clone)]
pub struct Bucket {
    pub name: String,
    /// The account that created it.
    pub owner: String,
    pub region: String,
    pub created: Time,
    pub objects: BTreeMap<String, Object>,
}

#[derive(Debug, Clone)]
pub struct Object {
    pub key: String,
    pub bytes: Vec<u8>,
    pub content_type: String,
    /// The quoted MD5 hex of the bytes, as S3 answers it (`"9b2cf5…"`).
    pub etag: String,
    pub last_modified: Time,
    /// The checksum given on upload: algorithm (`CRC32`, `CRC32C`, `SHA1`,
    /// `SHA256`, `CRC64NVME`) and its base64 value.
    pub checksum: Option<(String, String)>,
}

/// Whether `name` follows S3's rules for general purpose bucket names:
/// 3–63 characters of lower-case letters, digits, dots and hyphens,
/// beginning and ending with a letter or digit, no two dots in a row, not an
/// IP address, none of the reserved prefixes and suffixes.
pub fn valid_bucket_name(name: &str) -> bool {
    let b = name.as_bytes();
    let edge = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    (3..=63).contains(&b.len())
        && b.iter().all(|&c| edge(c) || c == b'.' || c == b'-')
        && edge(b[0])
        && edge(b[b.len() - 1])
        && !name.contains("..")
        && name.parse::<std::net::Ipv4Addr>().is_err()
        && !["xn--", "sthree-", "amzn-s3-demo-"]
            .iter()
            .any(|p| name.starts_with(p))
        && !["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// Where an S3 URL points: bucket, key, and the region it names, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Location {
    pub bucket: String,
    pub key: String,
    pub region: Option<String>,
}

/// `https://BUCKET.s3.REGION.amazonaws.com/KEY`, `https://BUCKET.s3.amazonaws.com/KEY`,
/// `https://s3.REGION.amazonaws.com/BUCKET/KEY`, `https://s3.amazonaws.com/BUCKET/KEY`
/// (and the older `s3-REGION` forms); the key percent-decoded. None for any other URL.
pub fn parse_s3_url(url: &str) -> Option<S3Location> {
    let rest = url.strip_prefix("https://")?;
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix(".amazonaws.com")?;
    // The endpoint part: `s3`, `s3.REGION` or `s3-REGION`.
    let endpoint_region = |endpoint: &str| -> Option<Option<String>> {
        if endpoint == "s3" {
            return Some(None);
        }
        let region = endpoint
            .strip_prefix("s3.")
            .or_else(|| endpoint.strip_prefix("s3-"))?;
        let plausible = !region.is_empty()
            && region
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
        plausible.then(|| Some(region.to_string()))
    };
    let (bucket, key, region) = if let Some(region) = endpoint_region(host) {
        // Path style: the bucket is the first segment.
        let (bucket, key) = path.split_once('/')?;
        (bucket.to_string(), key.to_string(), region)
    } else {
        // Virtual-hosted style: BUCKET.s3[.REGION].
        let at = host.rfind(".s3.").or_else(|| host.rfind(".s3-"));
        let (bucket, endpoint) = match at {
            Some(i) => (&host[..i], &host[i + 1..]),
            None => host.strip_suffix(".s3").map(|b| (b, "s3"))?,
        };
        let region = endpoint_region(endpoint)?;
        (bucket.to_string(), path.to_string(), region)
    };
    if bucket.is_empty() || key.is_empty() {
        return None;
    }
    Some(S3Location {
        bucket,
        key: percent_decode(&key)?,
        region,
    })
}

/// `%XX` decoded (a `+` stays a `+`, as in a URL's path).
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Why a template could not be read from a URL, before it is worded for
/// the service that asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateUrlError {
    /// Not one of S3's URL forms.
    NotS3,
    /// No such bucket, or no such object in it.
    NoSuchObject,
    /// The bucket is in another region than the caller's.
    OtherRegion {
        bucket_region: String,
    },
    TooLarge,
    /// The object is no template (CloudFormation's `Template format error: …`).
    Format(String),
}

/// The largest template CloudFormation reads from S3.
pub const MAX_TEMPLATE_URL_BYTES: usize = 1_000_000;

impl TemplateUrlError {
    /// As CloudFormation answers it (`ValidationError`).
    pub fn cloudformation(&self) -> ApiError {
        ApiError::cfn_validation(match self {
            // guess: the wording for a URL that is not S3's.
            TemplateUrlError::NotS3 => "TemplateURL must be an Amazon S3 URL.".to_string(),
            TemplateUrlError::NoSuchObject => {
                "TemplateURL must reference a valid S3 object to which you have access.".into()
            }
            TemplateUrlError::OtherRegion { .. } => {
                "S3 error: The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint. For more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html".into()
            }
            // guess: the size limit's wording.
            TemplateUrlError::TooLarge => {
                format!("Template may not exceed {MAX_TEMPLATE_URL_BYTES} bytes in size.")
            }
            TemplateUrlError::Format(m) => m.clone(),
        })
    }

    /// As Service Catalog answers it (`InvalidParametersException`).
    pub fn service_catalog(&self) -> ApiError {
        ApiError::invalid_parameters(match self {
            // guess: Service Catalog's wordings of these.
            TemplateUrlError::NotS3 => "Invalid templateUrl: the URL must be an Amazon S3 URL".to_string(),
            TemplateUrlError::NoSuchObject => {
                "Unable to retrieve the template from the LoadTemplateFromURL provided. Check that the URL references a valid S3 object to which you have access.".into()
            }
            TemplateUrlError::OtherRegion { bucket_region } => format!(
                "Unable to retrieve the template from the LoadTemplateFromURL provided: the S3 bucket is in {bucket_region}, not in the region of the request"
            ),
            TemplateUrlError::TooLarge => {
                format!("Template may not exceed {MAX_TEMPLATE_URL_BYTES} bytes in size.")
            }
            TemplateUrlError::Format(m) => m.clone(),
        })
    }
}

impl World {
    /// The template at an S3 URL, parsed, and its bytes, for a caller in
    /// `region`; errors as CloudFormation words them (`ValidationError`).
    /// See [`World::template_from_url_for`] for Service Catalog's.
    pub fn template_from_url(
        &self,
        url: &str,
        region: &str,
    ) -> Result<(Template, Vec<u8>), ApiError> {
        self.template_at(url, region)
            .map_err(|e| e.cloudformation())
    }

    /// [`World::template_from_url`], the error worded for `service`
    /// (`servicecatalog`: `InvalidParametersException`; else CloudFormation's).
    pub fn template_from_url_for(
        &self,
        url: &str,
        region: &str,
        service: &str,
    ) -> Result<(Template, Vec<u8>), ApiError> {
        self.template_at(url, region).map_err(|e| match service {
            "servicecatalog" => e.service_catalog(),
            _ => e.cloudformation(),
        })
    }

    /// The template at an S3 URL, the error not yet worded for a service.
    pub fn template_at(
        &self,
        url: &str,
        region: &str,
    ) -> Result<(Template, Vec<u8>), TemplateUrlError> {
        let bytes = self.object_at(url, region)?.bytes.clone();
        if bytes.len() > MAX_TEMPLATE_URL_BYTES {
            return Err(TemplateUrlError::TooLarge);
        }
        let template = template_file::parse(&bytes).map_err(TemplateUrlError::Format)?;
        Ok((template, bytes))
    }

    /// The object an S3 URL points at, for a caller in `region`.
    pub fn object_at(&self, url: &str, region: &str) -> Result<&Object, TemplateUrlError> {
        let at = parse_s3_url(url).ok_or(TemplateUrlError::NotS3)?;
        let bucket = self
            .buckets
            .get(&at.bucket)
            .ok_or(TemplateUrlError::NoSuchObject)?;
        // A URL that names another region than the bucket's is redirected
        // by S3; a bucket in another region than the caller's is refused.
        let named_other = at.region.as_ref().is_some_and(|r| r != &bucket.region);
        if bucket.region != region || named_other {
            return Err(TemplateUrlError::OtherRegion {
                bucket_region: bucket.region.clone(),
            });
        }
        bucket
            .objects
            .get(&at.key)
            .ok_or(TemplateUrlError::NoSuchObject)
    }
}

impl World {
    /// Keeps `bytes` at `key` in `bucket` (created for `owner` in `region`
    /// if it does not exist), as PutObject would.
    pub fn put_object(
        &mut self,
        bucket: &str,
        owner: &str,
        region: &str,
        key: &str,
        bytes: Vec<u8>,
        now: Time,
    ) {
        use md5::Digest as _;
        let b = self
            .buckets
            .entry(bucket.to_string())
            .or_insert_with(|| Bucket {
                name: bucket.to_string(),
                owner: owner.to_string(),
                region: region.to_string(),
                created: now,
                objects: BTreeMap::new(),
            });
        let etag = format!("\"{}\"", hex::encode(md5::Md5::digest(&bytes)));
        b.objects.insert(
            key.to_string(),
            Object {
                key: key.to_string(),
                bytes,
                content_type: "application/json".into(),
                etag,
                last_modified: now,
                checksum: None,
            },
        );
    }

    /// Gives every version the world came with a template in S3, as a hub
    /// has them: `catalog-templates-ACCOUNT` in the product's region, one
    /// object per version, its URL the version's `TemplateUrl`.
    pub fn store_catalog_templates(&mut self, now: Time) {
        let mut puts = Vec::new();
        for p in self.products.values_mut() {
            let bucket = format!("catalog-templates-{}", p.owner_account);
            for v in p.versions.iter_mut().filter(|v| v.template_url.is_none()) {
                let key = format!("{}/{}.json", p.id, v.id);
                let body = v.template.to_json(&p.description);
                v.template_url = Some(format!(
                    "https://{bucket}.s3.{}.amazonaws.com/{key}",
                    p.region
                ));
                puts.push((
                    bucket.clone(),
                    p.owner_account.clone(),
                    p.region.clone(),
                    key,
                    body,
                ));
            }
        }
        for (bucket, owner, region, key, body) in puts {
            self.put_object(&bucket, &owner, &region, &key, body.into_bytes(), now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(bucket: &str, key: &str, region: Option<&str>) -> Option<S3Location> {
        Some(S3Location {
            bucket: bucket.into(),
            key: key.into(),
            region: region.map(str::to_string),
        })
    }

    #[test]
    fn reads_the_four_url_forms() {
        assert_eq!(
            parse_s3_url("https://my-bucket.s3.eu-west-1.amazonaws.com/t/a%20b.yaml"),
            loc("my-bucket", "t/a b.yaml", Some("eu-west-1"))
        );
        assert_eq!(
            parse_s3_url("https://my.dotted.bucket.s3.amazonaws.com/t.json"),
            loc("my.dotted.bucket", "t.json", None)
        );
        assert_eq!(
            parse_s3_url("https://s3.us-east-1.amazonaws.com/b1b/dir/t.json?versionId=3"),
            loc("b1b", "dir/t.json", Some("us-east-1"))
        );
        assert_eq!(
            parse_s3_url("https://s3.amazonaws.com/b1b/t.json"),
            loc("b1b", "t.json", None)
        );
        assert_eq!(
            parse_s3_url("https://s3-us-west-2.amazonaws.com/b1b/t.json"),
            loc("b1b", "t.json", Some("us-west-2"))
        );
        for bad in [
            "http://s3.amazonaws.com/b/t.json",
            "https://example.com/b/t.json",
            "https://s3.amazonaws.com/b",
            "https://b.s3.amazonaws.com/",
            "https://s3.amazonaws.com/b/%zz",
            "s3://b/t.json",
        ] {
            assert_eq!(parse_s3_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn bucket_names_follow_s3s_rules() {
        for good in ["abc", "my-bucket.2", "a1b", &"a".repeat(63)] {
            assert!(valid_bucket_name(good), "{good}");
        }
        for bad in [
            "ab",
            &"a".repeat(64),
            "My-Bucket",
            "-abc",
            "abc-",
            "a..b",
            "a_b",
            "192.168.5.4",
            "xn--abc",
            "abc-s3alias",
        ] {
            assert!(!valid_bucket_name(bad), "{bad}");
        }
    }

    fn world_with(bucket: &str, region: &str, key: &str, body: &[u8]) -> World {
        let mut w = World::default();
        let mut objects = BTreeMap::new();
        objects.insert(
            key.to_string(),
            Object {
                key: key.into(),
                bytes: body.to_vec(),
                content_type: "text/yaml".into(),
                etag: String::new(),
                last_modified: Time::default(),
                checksum: None,
            },
        );
        w.buckets.insert(
            bucket.into(),
            Bucket {
                name: bucket.into(),
                owner: "111111111111".into(),
                region: region.into(),
                created: Time::default(),
                objects,
            },
        );
        w
    }

    #[test]
    fn templates_come_from_the_worlds_buckets() {
        let body =
            b"Parameters:\n  Env:\n    Type: String\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n";
        let w = world_with("templates", "us-east-1", "dir/q v1.yaml", body);
        for url in [
            "https://templates.s3.us-east-1.amazonaws.com/dir/q%20v1.yaml",
            "https://templates.s3.amazonaws.com/dir/q%20v1.yaml",
            "https://s3.us-east-1.amazonaws.com/templates/dir/q%20v1.yaml",
            "https://s3.amazonaws.com/templates/dir/q%20v1.yaml",
        ] {
            let (t, bytes) = w.template_from_url(url, "us-east-1").expect(url);
            assert_eq!(bytes, body);
            assert_eq!(t.parameters[0].key, "Env");
            assert_eq!(t.resources[0].resource_type, "AWS::SQS::Queue");
        }
        let e = w
            .template_from_url(
                "https://templates.s3.amazonaws.com/missing.yaml",
                "us-east-1",
            )
            .unwrap_err();
        assert_eq!(e.code, "ValidationError");
        assert_eq!(
            e.message,
            "TemplateURL must reference a valid S3 object to which you have access."
        );
        let e = w
            .template_from_url(
                "https://nobucket.s3.amazonaws.com/dir/q%20v1.yaml",
                "us-east-1",
            )
            .unwrap_err();
        assert_eq!(e.code, "ValidationError");
        let e = w
            .template_from_url("https://example.com/t.yaml", "us-east-1")
            .unwrap_err();
        assert_eq!(e.code, "ValidationError");
        let e = w
            .template_from_url_for(
                "https://templates.s3.amazonaws.com/dir/q%20v1.yaml",
                "eu-west-1",
                "servicecatalog",
            )
            .unwrap_err();
        assert_eq!(e.code, "InvalidParametersException");
        let e = w
            .template_from_url(
                "https://templates.s3.amazonaws.com/dir/q%20v1.yaml",
                "eu-west-1",
            )
            .unwrap_err();
        assert!(e.message.starts_with("S3 error: The bucket you are attempting to access must be addressed using the specified endpoint."));
        assert_eq!(
            w.template_at(
                "https://templates.s3.eu-west-1.amazonaws.com/dir/q%20v1.yaml",
                "us-east-1"
            )
            .unwrap_err(),
            TemplateUrlError::OtherRegion {
                bucket_region: "us-east-1".into()
            }
        );
    }

    #[test]
    fn an_object_that_is_no_template_says_why() {
        let w = world_with("templates", "us-east-1", "bad.yaml", b"Description: none\n");
        let e = w
            .template_from_url("https://templates.s3.amazonaws.com/bad.yaml", "us-east-1")
            .unwrap_err();
        assert_eq!(e.code, "ValidationError");
        assert_eq!(
            e.message,
            "Template format error: At least one Resources member must be defined."
        );
        let e = w
            .template_from_url_for(
                "https://templates.s3.amazonaws.com/bad.yaml",
                "us-east-1",
                "servicecatalog",
            )
            .unwrap_err();
        assert_eq!(e.code, "InvalidParametersException");
    }
}
