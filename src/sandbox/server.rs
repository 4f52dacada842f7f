//! The HTTP side: axum on loopback. Each request is authenticated (SigV4, the
//! account picked from the access key), passed through the fault plan, routed
//! by `X-Amz-Target` (awsJson1_1), `Action` (awsQuery) or, for S3 (REST/XML,
//! known by its credential scope), method and path; answered, and logged.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Response, StatusCode, Uri};
use chrono::{NaiveDateTime, Utc};

use super::calllog::{CallLog, CallRecord};
use super::clock::Clock;
use super::error::ApiError;
use super::faults::{FaultPlan, Injected};
use super::protocol::json::{self, JsonRequest};
use super::protocol::query::{self, QueryRequest};
use super::sigv4::{self, Signed};
use super::world::{EndUserAccess, Time, World};
use super::{cloudformation, iam, organizations, s3, servicecatalog, sts};

/// What every request handler shares.
pub struct Shared {
    pub world: Mutex<World>,
    pub clock: Clock,
    pub faults: FaultPlan,
    pub calls: CallLog,
}

impl Shared {
    /// The world, advanced to the sandbox's present.
    pub fn world_now(&self) -> (std::sync::MutexGuard<'_, World>, Time) {
        let now = self.clock.now();
        let mut w = self.world.lock().unwrap_or_else(|p| p.into_inner());
        w.advance(now);
        let drifting = self.faults.drifting();
        if !drifting.is_empty() {
            w.drift_outside(&drifting);
        }
        (w, now)
    }
}

/// Who is calling, where, and when (sandbox time).
#[derive(Debug, Clone)]
pub struct Ctx {
    pub account: String,
    pub region: String,
    pub now: Time,
    /// The caller's ARN: the account's configured caller, or an assumed-role session.
    pub caller_arn: String,
    /// GetCallerIdentity's `UserId`.
    pub user_id: String,
    /// The end-user policy the caller is limited to, if any.
    pub end_user: Option<EndUserAccess>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Protocol {
    Json,
    Query,
    /// S3's REST/XML.
    RestXml,
}

const JSON_TARGET_PREFIX: &str = "AWS242ServiceCatalogService.";
const ORGANIZATIONS_TARGET_PREFIX: &str = "AWSOrganizationsV20161128.";
const MAX_CLOCK_SKEW_MINUTES: i64 = 15;

fn header_values(headers: &HeaderMap, name: &str) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect()
}

fn namespace(service: &str) -> &'static str {
    if service == "sts" {
        sts::NAMESPACE
    } else if service == "iam" {
        iam::NAMESPACE
    } else {
        cloudformation::NAMESPACE
    }
}

/// The error codes of authentication failures, per protocol.
fn auth_error(protocol: Protocol, kind: &str, detail: Option<String>) -> ApiError {
    if protocol == Protocol::RestXml {
        return s3_auth_error(kind, detail);
    }
    let json = protocol == Protocol::Json;
    match kind {
        "missing" => {
            if json {
                ApiError::new(400, "MissingAuthenticationTokenException", "Missing Authentication Token")
            } else {
                ApiError::new(403, "MissingAuthenticationToken", "Request is missing Authentication Token")
            }
        }
        "unknown" => ApiError::new(
            if json { 400 } else { 403 },
            if json { "UnrecognizedClientException" } else { "InvalidClientTokenId" },
            "The security token included in the request is invalid.",
        ),
        "expired" => ApiError::new(
            if json { 400 } else { 403 },
            if json { "ExpiredTokenException" } else { "ExpiredToken" },
            "The security token included in the request is expired",
        ),
        _ => ApiError::new(
            if json { 400 } else { 403 },
            if json { "InvalidSignatureException" } else { "SignatureDoesNotMatch" },
            detail.unwrap_or_else(|| {
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.".into()
            }),
        ),
    }
}

/// Authentication failures as S3 words them.
fn s3_auth_error(kind: &str, detail: Option<String>) -> ApiError {
    match kind {
        "missing" => ApiError::new(403, "AccessDenied", "Access Denied"),
        "unknown" => ApiError::new(
            403,
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
        ),
        "expired" => ApiError::new(400, "ExpiredToken", "The provided token has expired."),
        "skewed" => ApiError::new(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        ),
        "date" => ApiError::new(
            403,
            "AccessDenied",
            "AWS authentication requires a valid Date or x-amz-date header",
        ),
        "payload" => ApiError::new(
            400,
            "InvalidRequest",
            detail.unwrap_or_else(|| {
                "Missing required header for this request: x-amz-content-sha256".into()
            }),
        ),
        _ => ApiError::new(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
        ),
    }
}

struct Authenticated {
    account: String,
    region: String,
    service: String,
    caller_arn: String,
    user_id: String,
    end_user: Option<EndUserAccess>,
    /// S3's body as sent, or decoded from aws-chunked, with its trailers.
    payload: Option<sigv4::Unchunked>,
}

/// Who an access key belongs to: an account's own key, or AssumeRole's temporary one.
struct KeyOwner {
    account: String,
    name: String,
    secret: String,
    caller_arn: String,
    user_id: String,
    end_user: Option<EndUserAccess>,
    /// The session token a temporary key must come with, and when it expires.
    session: Option<(String, Time)>,
}

fn key_owner(w: &World, access_key_id: &str) -> Option<KeyOwner> {
    if let Some(a) = w.account_by_key(access_key_id) {
        return Some(KeyOwner {
            account: a.id.clone(),
            name: a.name.clone(),
            secret: a.secret_access_key.clone(),
            caller_arn: a.caller_arn.clone(),
            user_id: a.user_id.clone(),
            end_user: a.end_user,
            session: None,
        });
    }
    let s = w.sessions.get(access_key_id)?;
    Some(KeyOwner {
        account: s.account.clone(),
        name: String::new(),
        secret: s.secret_access_key.clone(),
        caller_arn: s.arn.clone(),
        user_id: s.assumed_role_id.clone(),
        end_user: None,
        session: Some((s.session_token.clone(), s.expires)),
    })
}

fn authenticate(
    shared: &Shared,
    protocol: Protocol,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Authenticated, (ApiError, Option<String>)> {
    let value = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or((auth_error(protocol, "missing", None), None))?;
    let auth =
        sigv4::parse_authorization(value).ok_or((auth_error(protocol, "missing", None), None))?;
    let owner = {
        let w = shared.world.lock().unwrap_or_else(|p| p.into_inner());
        key_owner(&w, &auth.access_key_id).ok_or((auth_error(protocol, "unknown", None), None))?
    };
    // A temporary key is valid only with the session token it was issued
    // with; a long-term key with any session token at all is refused, as
    // AWS does ("The security token included in the request is invalid").
    let token = header_values(headers, "x-amz-security-token");
    match &owner.session {
        Some((issued, _)) if token.first() != Some(issued) => {
            return Err((auth_error(protocol, "unknown", None), None));
        }
        None if !token.is_empty() => {
            return Err((auth_error(protocol, "unknown", None), None));
        }
        _ => {}
    }
    let (account, secret, name) = (
        owner.account.clone(),
        owner.secret.clone(),
        owner.name.clone(),
    );
    let amz_date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let signed_at = NaiveDateTime::parse_from_str(&amz_date, "%Y%m%dT%H%M%SZ").map(|t| t.and_utc());
    let Ok(signed_at) = signed_at else {
        let kind = if protocol == Protocol::RestXml {
            "date"
        } else {
            "signature"
        };
        return Err((
            auth_error(
                protocol,
                kind,
                Some("Missing or invalid X-Amz-Date header.".into()),
            ),
            Some(account),
        ));
    };
    let real_now = Utc::now();
    if (real_now - signed_at).num_minutes().abs() > MAX_CLOCK_SKEW_MINUTES {
        let msg = format!(
            "Signature expired: {amz_date} is now earlier than {} ({} - 15 min.)",
            (real_now - chrono::Duration::minutes(15)).format("%Y%m%dT%H%M%SZ"),
            real_now.format("%Y%m%dT%H%M%SZ")
        );
        let kind = if protocol == Protocol::RestXml {
            "skewed"
        } else {
            "signature"
        };
        return Err((auth_error(protocol, kind, Some(msg)), Some(account)));
    }
    // S3 signs its payload by `x-amz-content-sha256`, which it requires.
    let content_sha256 = header_values(headers, "x-amz-content-sha256")
        .into_iter()
        .next();
    if protocol == Protocol::RestXml && content_sha256.is_none() {
        return Err((auth_error(protocol, "payload", None), Some(account)));
    }
    let lookup = |name: &str| header_values(headers, name);
    let req = Signed {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or(""),
        header: &lookup,
        body,
        amz_date: &amz_date,
    };
    if !amz_date.starts_with(&auth.date)
        || !sigv4::same(
            &sigv4::expected_signature(&auth, &req, &secret),
            &auth.signature,
        )
    {
        return Err((auth_error(protocol, "signature", None), Some(account)));
    }
    let payload = match (protocol, content_sha256) {
        (Protocol::RestXml, Some(mode)) => Some(
            s3_payload(&mode, &auth, &secret, &amz_date, headers, body)
                .map_err(|e| (e, Some(account.clone())))?,
        ),
        _ => None,
    };
    let expired = match &owner.session {
        Some((_, expires)) => *expires <= shared.clock.now(),
        None => shared.faults.own_keys_expired(&account, &name),
    };
    if expired {
        return Err((auth_error(protocol, "expired", None), Some(account)));
    }
    let end_user = match owner.session {
        None if shared.faults.end_user_read_only(&account, &name) => Some(EndUserAccess::ReadOnly),
        _ => owner.end_user,
    };
    Ok(Authenticated {
        account,
        region: auth.region,
        service: auth.service,
        caller_arn: owner.caller_arn,
        user_id: owner.user_id,
        end_user,
        payload,
    })
}

/// S3's body by its `x-amz-content-sha256`: a hex SHA-256 it must match,
/// `UNSIGNED-PAYLOAD`, or aws-chunked (`STREAMING-…`), decoded, its chunk
/// signatures checked when signed.
fn s3_payload(
    mode: &str,
    auth: &sigv4::Authorization,
    secret: &str,
    amz_date: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<sigv4::Unchunked, ApiError> {
    let whole = || sigv4::Unchunked {
        body: body.to_vec(),
        trailers: Vec::new(),
    };
    let signed = match mode {
        "UNSIGNED-PAYLOAD" => return Ok(whole()),
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER" => false,
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" | "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" => true,
        hash if hash.len() == 64 && hash.bytes().all(|c| c.is_ascii_hexdigit()) => {
            s3::check_content_sha256(hash, body)?;
            return Ok(whole());
        }
        _ => {
            return Err(s3_auth_error(
                "payload",
                // guess: S3's list of the values it takes.
                Some("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.".into()),
            ));
        }
    };
    let signer = signed.then(|| sigv4::ChunkSigner::new(auth, secret, amz_date));
    let decoded = sigv4::decode_aws_chunked(body, signer).map_err(|e| match e {
        sigv4::ChunkError::Signature => s3_auth_error("signature", None),
        // guess: the wording for a body whose chunks do not parse.
        sigv4::ChunkError::Malformed => ApiError::new(
            400,
            "IncompleteBody",
            "The request body terminated unexpectedly",
        ),
    })?;
    let declared = header_values(headers, "x-amz-decoded-content-length")
        .first()
        .and_then(|v| v.trim().parse::<usize>().ok());
    if declared.is_some_and(|n| n != decoded.body.len()) {
        return Err(ApiError::new(
            400,
            "IncompleteBody",
            "You did not provide the number of bytes specified by the Content-Length HTTP header",
        ));
    }
    Ok(decoded)
}

/// What a web server in front of an endpoint that lacks the operation
/// answers: its own error page, in HTML, with none of AWS's error headers.
fn unimplemented_page(status: u16, request_id: &str) -> Response<Body> {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = code.canonical_reason().unwrap_or("Error");
    let body = format!(
        "<!DOCTYPE html>\n<html><head><title>{status} {reason}</title></head>\n<body><h1>{reason}</h1><p>This endpoint does not implement the requested operation.</p><hr><address>request {request_id}</address></body></html>\n"
    );
    Response::builder()
        .status(code)
        .header("content-type", "text/html; charset=utf-8")
        .body(Body::from(body))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

fn respond(
    protocol: Protocol,
    service: &str,
    request_id: &str,
    result: Result<String, ApiError>,
    reset: bool,
) -> Response<Body> {
    let (status, body, error_type) = match &result {
        Ok(body) => (200, body.clone(), None),
        Err(e) => {
            let body = match protocol {
                Protocol::Json if service == "organizations" => json::error_body_as(e, "Message"),
                Protocol::Json => json::error_body(e),
                Protocol::Query | Protocol::RestXml => {
                    query::error_body(e, namespace(service), request_id)
                }
            };
            (e.status, body, Some(e.code.clone()))
        }
    };
    let content_type = match protocol {
        Protocol::Json => "application/x-amz-json-1.1",
        Protocol::Query | Protocol::RestXml => "text/xml",
    };
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", content_type)
        .header("x-amzn-requestid", request_id);
    if let (Some(t), Protocol::Json) = (error_type, protocol) {
        builder = builder.header("x-amzn-errortype", t);
    }
    let body = if reset {
        // Half the body, then the connection drops: hyper ends a body that
        // fails by closing the connection without finishing the message.
        let mut cut = body.len() / 2;
        while !body.is_char_boundary(cut) {
            cut -= 1;
        }
        let half = Bytes::from(body[..cut].to_string());
        Body::from_stream(futures::stream::iter([
            Ok(half),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "the sandbox's reset fault",
            )),
        ]))
    } else {
        Body::from(body)
    };
    builder
        .body(body)
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

pub async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // S3 is known by its credential scope (it has no X-Amz-Target and no
    // form body), or, unsigned, by being no POST.
    let scope_service = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(sigv4::parse_authorization)
        .map(|a| a.service);
    let protocol = match (&target, scope_service.as_deref()) {
        (_, Some("s3")) => Protocol::RestXml,
        (Some(_), _) => Protocol::Json,
        (None, None) if method != Method::POST => Protocol::RestXml,
        (None, _) => Protocol::Query,
    };
    if protocol == Protocol::RestXml {
        return handle_s3(&shared, &method, &uri, &headers, &body, started, request_id).await;
    }
    let query_req = (protocol == Protocol::Query).then(|| QueryRequest::parse(&body));
    let operation = match (&target, &query_req) {
        (Some(t), _) => t.rsplit('.').next().unwrap_or(t).to_string(),
        (None, Some(q)) => q.action().unwrap_or("").to_string(),
        _ => String::new(),
    };

    let latency_ms = shared.faults.latency_ms();
    if latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency_ms)).await;
    }

    // An endpoint without this operation answers an HTML page, not AWS's
    // error shape (the unimplemented fault).
    let not_here = shared.faults.unimplemented(&operation);
    let mut unimplemented = None;
    let (result, account, region, service) =
        match authenticate(&shared, protocol, &method, &uri, &headers, &body) {
            Err((e, account)) => (
                Err(e),
                account.unwrap_or_default(),
                String::new(),
                String::new(),
            ),
            Ok(a) if not_here.is_some() => {
                let status = not_here.unwrap_or(500);
                unimplemented = Some(status);
                (
                    Err(ApiError::new(status, "unimplemented (HTML page)", "")),
                    a.account,
                    a.region,
                    a.service,
                )
            }
            Ok(a) => {
                let injected = if shared.faults.applies_to(&operation) {
                    shared.faults.inject(protocol == Protocol::Json)
                } else {
                    Injected::None
                };
                let result = match injected {
                    Injected::Fail(e) => Err(e),
                    Injected::None => dispatch(
                        &shared,
                        protocol,
                        &a,
                        target.as_deref(),
                        query_req.as_ref(),
                        &operation,
                        &body,
                        &request_id,
                    ),
                };
                (result, a.account, a.region, a.service)
            }
        };

    let (subject, token) = match protocol {
        Protocol::Json => super::calllog::subject(&body),
        Protocol::Query | Protocol::RestXml => (None, None),
    };
    let parameters = match protocol {
        Protocol::Json => super::calllog::parameters(&body),
        Protocol::Query | Protocol::RestXml => None,
    };
    // A successful answer may go out garbled (the garbage fault).
    let faulty = result.is_ok() && shared.faults.applies_to(&operation);
    let garbled = faulty.then(|| shared.faults.garble()).flatten();
    // Or its connection dropped half-way (the reset fault).
    let reset = faulty && garbled.is_none() && shared.faults.reset();
    shared.calls.record(CallRecord {
        time: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        account,
        region,
        service: service.clone(),
        operation,
        status: result.as_ref().map(|_| 200).unwrap_or_else(|e| e.status),
        outcome: match (&result, garbled) {
            (Ok(_), _) if reset => "reset mid-answer".to_string(),
            (Ok(_), Some(g)) => g.name().to_string(),
            (Ok(_), None) => "ok".to_string(),
            (Err(e), _) => e.code.clone(),
        },
        duration_ms: started.elapsed().as_millis() as u64,
        request_id: request_id.clone(),
        target: subject,
        token,
        parameters,
    });
    if let Some(status) = unimplemented {
        return unimplemented_page(status, &request_id);
    }
    let result = match (result, garbled) {
        (Ok(body), Some(g)) => Ok(g.apply(&body, protocol == Protocol::Json)),
        (other, _) => other,
    };
    respond(protocol, &service, &request_id, result, reset)
}

#[allow(clippy::too_many_arguments)]
fn dispatch(
    shared: &Shared,
    protocol: Protocol,
    a: &Authenticated,
    target: Option<&str>,
    q: Option<&QueryRequest>,
    operation: &str,
    body: &[u8],
    request_id: &str,
) -> Result<String, ApiError> {
    let (mut world, now) = shared.world_now();
    let ctx = Ctx {
        account: a.account.clone(),
        region: a.region.clone(),
        now,
        caller_arn: a.caller_arn.clone(),
        user_id: a.user_id.clone(),
        end_user: a.end_user,
    };
    match (protocol, a.service.as_str()) {
        (Protocol::Json, "servicecatalog") => {
            if !target.is_some_and(|t| t.starts_with(JSON_TARGET_PREFIX)) {
                return Err(ApiError::new(400, "UnknownOperationException", ""));
            }
            let req = JsonRequest::parse(body)?;
            let v = servicecatalog::handle(&mut world, &ctx, operation, &req)?;
            // Written out after the world is let go of.
            drop(world);
            Ok(json::compact(v).to_string())
        }
        (Protocol::Json, "organizations") => {
            if !target.is_some_and(|t| t.starts_with(ORGANIZATIONS_TARGET_PREFIX)) {
                return Err(ApiError::new(400, "UnknownOperationException", ""));
            }
            let req = JsonRequest::parse(body)?;
            let v = organizations::handle(&world, &ctx, operation, &req)?;
            Ok(json::compact(v).to_string())
        }
        (Protocol::Query, "iam") => {
            let q = q.ok_or_else(|| ApiError::new(400, "MissingAction", "Missing Action"))?;
            let result = iam::handle(&world, &ctx, operation, q)?;
            Ok(query::envelope(
                operation,
                iam::NAMESPACE,
                &result,
                request_id,
            ))
        }
        (Protocol::Query, service @ ("sts" | "cloudformation")) => {
            let q = q.ok_or_else(|| ApiError::new(400, "MissingAction", "Missing Action"))?;
            let result = if service == "sts" {
                sts::handle(&mut world, &ctx, &shared.faults, operation, q)?
            } else {
                cloudformation::handle(&mut world, &ctx, operation, q)?
            };
            Ok(query::envelope(
                operation,
                namespace(service),
                &result,
                request_id,
            ))
        }
        (_, service) => Err(ApiError::new(
            400,
            "UnknownOperationException",
            format!("The sandbox does not emulate the service `{service}`"),
        )),
    }
}

/// An S3 request: authenticated (its body decoded), through the fault
/// plan, answered with S3's headers and error bodies, and logged as the others.
async fn handle_s3(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    started: Instant,
    request_id: String,
) -> Response<Body> {
    let operation = s3::operation(method.as_str(), uri.path()).to_string();
    let latency_ms = shared.faults.latency_ms();
    if latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency_ms)).await;
    }
    let not_here = shared.faults.unimplemented(&operation);
    let (result, account, region) =
        match authenticate(shared, Protocol::RestXml, method, uri, headers, body) {
            Err((e, account)) => (Err(e), account.unwrap_or_default(), String::new()),
            Ok(a) if not_here.is_some() => (
                Err(ApiError::new(
                    not_here.unwrap_or(500),
                    "unimplemented (HTML page)",
                    "",
                )),
                a.account,
                a.region,
            ),
            Ok(a) => {
                let injected = if shared.faults.applies_to(&operation) {
                    shared.faults.inject(false)
                } else {
                    Injected::None
                };
                let result = match injected {
                    // S3's own codes for throttling and failures.
                    Injected::Fail(e) if e.status == 400 => Err(ApiError::new(
                        503,
                        "SlowDown",
                        "Please reduce your request rate.",
                    )),
                    Injected::Fail(e) if e.status == 503 => Err(ApiError::new(
                        503,
                        "ServiceUnavailable",
                        "Service is unable to handle request.",
                    )),
                    Injected::Fail(_) => Err(ApiError::new(
                        500,
                        "InternalError",
                        "We encountered an internal error. Please try again.",
                    )),
                    Injected::None => {
                        let (mut world, now) = shared.world_now();
                        let ctx = Ctx {
                            account: a.account.clone(),
                            region: a.region.clone(),
                            now,
                            caller_arn: a.caller_arn.clone(),
                            user_id: a.user_id.clone(),
                            end_user: a.end_user,
                        };
                        let payload = a.payload.unwrap_or_default();
                        let lookup = |name: &str| header_values(headers, name).into_iter().next();
                        let req = s3::S3Request {
                            path: uri.path(),
                            header: &lookup,
                            body: &payload.body,
                            trailers: &payload.trailers,
                        };
                        s3::handle(&mut world, &ctx, &operation, &req)
                    }
                };
                (result, a.account, a.region)
            }
        };
    let (bucket, key) = s3::bucket_and_key(uri.path());
    let subject = match (bucket.is_empty(), key.is_empty()) {
        (true, _) => None,
        (false, true) => Some(bucket),
        (false, false) => Some(format!("{bucket}/{key}")),
    };
    shared.calls.record(CallRecord {
        time: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        account,
        region,
        service: "s3".into(),
        operation,
        status: result
            .as_ref()
            .map(|a| a.status)
            .unwrap_or_else(|e| e.status),
        outcome: match &result {
            Ok(_) => "ok".to_string(),
            Err(e) => e.code.clone(),
        },
        duration_ms: started.elapsed().as_millis() as u64,
        request_id: request_id.clone(),
        target: subject,
        token: None,
        parameters: None,
    });
    if let Some(status) = not_here {
        return unimplemented_page(status, &request_id);
    }
    let host_id = base64_host_id(&request_id);
    let (status, answer_headers, answer_body) = match result {
        Ok(a) => (a.status, a.headers, a.body),
        Err(e) => {
            let mut h = vec![("content-type".to_string(), "application/xml".to_string())];
            if e.code == "PermanentRedirect"
                && let Some(r) = &e.reason
            {
                h.push(("x-amz-bucket-region".into(), r.clone()));
            }
            // A HEAD answer has no body: the status says it all.
            let body = if method == Method::HEAD {
                Vec::new()
            } else {
                s3::error_body(&e, uri.path(), &request_id, &host_id).into_bytes()
            };
            (e.status, h, body)
        }
    };
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("x-amz-request-id", &request_id)
        .header("x-amz-id-2", &host_id);
    let mut sized = false;
    for (k, v) in &answer_headers {
        sized |= k == "content-length";
        builder = builder.header(k.as_str(), v.as_str());
    }
    if !sized && method == Method::HEAD {
        builder = builder.header("content-length", "0");
    }
    builder
        .body(Body::from(answer_body))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

/// S3's `x-amz-id-2`: an opaque extended request id.
fn base64_host_id(request_id: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(request_id.as_bytes()))
}
