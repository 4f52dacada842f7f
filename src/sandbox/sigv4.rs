//! Verifies AWS Signature Version 4 on incoming requests, as AWS does: the
//! canonical request is rebuilt from the headers the client says it signed,
//! and the signature recomputed with the account's secret.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// What the `Authorization` header carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub access_key_id: String,
    pub date: String,
    pub region: String,
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Parses `AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/servicecatalog/aws4_request, SignedHeaders=a;b, Signature=hex`.
pub fn parse_authorization(value: &str) -> Option<Authorization> {
    let rest = value.strip_prefix("AWS4-HMAC-SHA256")?.trim();
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => {}
        }
    }
    let mut scope = credential?.split('/');
    let (access_key_id, date, region, service, terminator) = (
        scope.next()?,
        scope.next()?,
        scope.next()?,
        scope.next()?,
        scope.next()?,
    );
    if terminator != "aws4_request" || scope.next().is_some() {
        return None;
    }
    Some(Authorization {
        access_key_id: access_key_id.into(),
        date: date.into(),
        region: region.into(),
        service: service.into(),
        signed_headers: signed?.split(';').map(str::to_string).collect(),
        signature: signature?.to_string(),
    })
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any size");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn collapse_spaces(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The canonical query string: parameters sorted by name, then value (both already encoded).
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A request as it arrived, reduced to what the signature covers.
pub struct Signed<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    /// Header lookup by lower-case name; all values of that name.
    pub header: &'a dyn Fn(&str) -> Vec<String>,
    pub body: &'a [u8],
    pub amz_date: &'a str,
}

/// Computes the signature the request should carry.
pub fn expected_signature(auth: &Authorization, req: &Signed<'_>, secret: &str) -> String {
    let mut canonical_headers = String::new();
    for name in &auth.signed_headers {
        let values: Vec<String> = (req.header)(name)
            .iter()
            .map(|v| collapse_spaces(v))
            .collect();
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let payload_hash = (req.header)("x-amz-content-sha256")
        .into_iter()
        .next()
        .unwrap_or_else(|| hex::encode(Sha256::digest(req.body)));
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        canonical_uri(req.path, &auth.service),
        canonical_query(req.query),
        canonical_headers,
        auth.signed_headers.join(";"),
        payload_hash
    );
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{}\n{}",
        req.amz_date,
        scope,
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    hex::encode(hmac(&signing_key(auth, secret), string_to_sign.as_bytes()))
}

/// The key that signs: the secret, HMAC'd with the scope's date, region and service.
pub fn signing_key(auth: &Authorization, secret: &str) -> Vec<u8> {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), auth.date.as_bytes());
    let k_region = hmac(&k_date, auth.region.as_bytes());
    let k_service = hmac(&k_region, auth.service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

/// The canonical URI: the path as sent (already URI-encoded once) for S3;
/// encoded once more for every other service.
fn canonical_uri(path: &str, service: &str) -> String {
    let path = if path.is_empty() { "/" } else { path };
    if service == "s3" {
        return path.to_string();
    }
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The running signature of an aws-chunked body signed chunk by chunk
/// (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`), seeded with the
/// request's own signature.
pub struct ChunkSigner {
    key: Vec<u8>,
    amz_date: String,
    scope: String,
    previous: String,
}

impl ChunkSigner {
    pub fn new(auth: &Authorization, secret: &str, amz_date: &str) -> Self {
        Self {
            key: signing_key(auth, secret),
            amz_date: amz_date.to_string(),
            scope: format!(
                "{}/{}/{}/aws4_request",
                auth.date, auth.region, auth.service
            ),
            previous: auth.signature.clone(),
        }
    }

    fn next(&mut self, algorithm: &str, hashes: &str) -> String {
        let string_to_sign = format!(
            "{algorithm}\n{}\n{}\n{}\n{hashes}",
            self.amz_date, self.scope, self.previous
        );
        let sig = hex::encode(hmac(&self.key, string_to_sign.as_bytes()));
        self.previous = sig.clone();
        sig
    }

    /// The signature chunk `data` must carry.
    pub fn chunk(&mut self, data: &[u8]) -> String {
        let hashes = format!(
            "{}\n{}",
            hex::encode(Sha256::digest(b"")),
            hex::encode(Sha256::digest(data))
        );
        self.next("AWS4-HMAC-SHA256-PAYLOAD", &hashes)
    }

    /// The signature of the trailing headers (`name:value` lines, sorted).
    pub fn trailer(&mut self, trailers: &[(String, String)]) -> String {
        let mut sorted: Vec<(String, String)> = trailers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        sorted.sort();
        let canonical: String = sorted.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
        let hash = hex::encode(Sha256::digest(canonical.as_bytes()));
        self.next("AWS4-HMAC-SHA256-TRAILER", &hash)
    }
}

/// An aws-chunked body decoded: its bytes and its trailing headers.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Unchunked {
    pub body: Vec<u8>,
    /// Lower-case names, without `x-amz-trailer-signature`.
    pub trailers: Vec<(String, String)>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ChunkError {
    /// Not aws-chunked framing.
    Malformed,
    /// A chunk or the trailer signed wrong, or not signed.
    Signature,
}

/// Decodes `Content-Encoding: aws-chunked`: `SIZE[;chunk-signature=SIG]\r\nDATA\r\n`
/// chunks, a zero-size last one, then trailing `name:value` lines and an
/// empty line. With a signer, every chunk's signature (and the trailer's,
/// when there are trailers) is checked.
pub fn decode_aws_chunked(
    body: &[u8],
    mut signer: Option<ChunkSigner>,
) -> Result<Unchunked, ChunkError> {
    fn line(body: &[u8], at: &mut usize) -> Option<String> {
        let rest = body.get(*at..)?;
        let end = rest.windows(2).position(|w| w == b"\r\n")?;
        let text = std::str::from_utf8(&rest[..end]).ok()?.to_string();
        *at += end + 2;
        Some(text)
    }
    let mut out = Unchunked::default();
    let mut at = 0;
    loop {
        let header = line(body, &mut at).ok_or(ChunkError::Malformed)?;
        let (size, ext) = header.split_once(';').unwrap_or((&header, ""));
        let size = usize::from_str_radix(size.trim(), 16).map_err(|_| ChunkError::Malformed)?;
        let data = body.get(at..at + size).ok_or(ChunkError::Malformed)?;
        at += size;
        if let Some(s) = signer.as_mut() {
            let given = ext
                .trim()
                .strip_prefix("chunk-signature=")
                .ok_or(ChunkError::Signature)?;
            if !same(&s.chunk(data), given) {
                return Err(ChunkError::Signature);
            }
        }
        out.body.extend_from_slice(data);
        if size == 0 {
            break;
        }
        if body.get(at..at + 2) != Some(b"\r\n") {
            return Err(ChunkError::Malformed);
        }
        at += 2;
    }
    // Trailing headers, up to an empty line (or the end of the body).
    let mut trailer_signature = None;
    while at < body.len() {
        let l = line(body, &mut at).ok_or(ChunkError::Malformed)?;
        if l.is_empty() {
            continue;
        }
        let (name, value) = l.split_once(':').ok_or(ChunkError::Malformed)?;
        let name = name.trim().to_ascii_lowercase();
        if name == "x-amz-trailer-signature" {
            trailer_signature = Some(value.trim().to_string());
        } else {
            out.trailers.push((name, value.trim().to_string()));
        }
    }
    if let Some(s) = signer.as_mut()
        && !out.trailers.is_empty()
    {
        let given = trailer_signature.ok_or(ChunkError::Signature)?;
        if !same(&s.trailer(&out.trailers), &given) {
            return Err(ChunkError::Signature);
        }
    }
    Ok(out)
}

/// Compares two signatures in constant time.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of AWS's SigV4 documentation ("get-vanilla" of the test suite).
    #[test]
    fn matches_the_aws_test_suite_vanilla_get() {
        let auth = parse_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        )
        .unwrap();
        let header = |name: &str| -> Vec<String> {
            match name {
                "host" => vec!["example.amazonaws.com".into()],
                "x-amz-date" => vec!["20150830T123600Z".into()],
                _ => vec![],
            }
        };
        let req = Signed {
            method: "GET",
            path: "/",
            query: "",
            header: &header,
            body: b"",
            amz_date: "20150830T123600Z",
        };
        let sig = expected_signature(&auth, &req, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        assert!(same(&sig, &auth.signature), "{sig}");
    }

    /// The example of S3's "Signature Calculations for the Authorization
    /// Header: Transferring Payload in Multiple Chunks": 64 KiB then 1 KiB of `a`.
    #[test]
    fn decodes_and_verifies_the_s3_chunked_example() {
        let auth = parse_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
        )
        .unwrap();
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let signer = || ChunkSigner::new(&auth, secret, "20130524T000000Z");
        let mut body = Vec::new();
        body.extend_from_slice(b"10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n");
        body.extend(std::iter::repeat_n(b'a', 65536));
        body.extend_from_slice(b"\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n");
        body.extend(std::iter::repeat_n(b'a', 1024));
        body.extend_from_slice(b"\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n");
        let out = decode_aws_chunked(&body, Some(signer())).unwrap();
        assert_eq!(out.body.len(), 66560);
        assert!(out.trailers.is_empty());
        let mut tampered = body.clone();
        tampered[200] = b'b';
        assert_eq!(
            decode_aws_chunked(&tampered, Some(signer())),
            Err(ChunkError::Signature)
        );
        assert_eq!(
            decode_aws_chunked(b"zz\r\n", None),
            Err(ChunkError::Malformed)
        );
    }

    #[test]
    fn decodes_unsigned_chunks_with_a_trailer() {
        let out = decode_aws_chunked(
            b"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n",
            None,
        )
        .unwrap();
        assert_eq!(out.body, b"hello");
        assert_eq!(
            out.trailers,
            [("x-amz-checksum-crc32".to_string(), "NhCmhg==".to_string())]
        );
    }

    #[test]
    fn only_s3_keeps_the_path_as_sent() {
        assert_eq!(canonical_uri("/b/a%20b", "s3"), "/b/a%20b");
        assert_eq!(canonical_uri("/b/a%20b", "servicecatalog"), "/b/a%2520b");
        assert_eq!(canonical_uri("", "sts"), "/");
    }

    #[test]
    fn rejects_malformed_headers() {
        assert!(parse_authorization("Basic abc").is_none());
        assert!(
            parse_authorization(
                "AWS4-HMAC-SHA256 Credential=AK/2015/us-east-1/svc, SignedHeaders=host, Signature=x"
            )
            .is_none()
        );
    }
}
