//! Answers that say OK but cannot be taken as one: a body cut short (a
//! connection dropped half-way), one that does not parse, and an error
//! sent with HTTP 200 (a broken proxy or gateway). The SDK retries a body
//! it could not *receive*, but takes a 200 with a JSON error body as an
//! empty success and does not retry a body it could not *parse*; these
//! two pieces close both gaps for every client a session builds.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    FinalizerInterceptorContextMut, InterceptorContext,
};
use aws_smithy_runtime_api::client::orchestrator::OrchestratorError;
use aws_smithy_runtime_api::client::retries::classifiers::{ClassifyRetry, RetryAction};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use super::calls::error_code;

/// An error that came with HTTP 2xx: what it said.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the endpoint answered HTTP {status} with an error in its body ({code}: {message})")]
pub struct ErrorInDisguise {
    pub status: u16,
    pub code: String,
    pub message: String,
}

/// The error a 2xx body is, if it is one: a JSON object naming its
/// `__type` (no Service Catalog or Organizations answer has that member)
/// or an XML `<ErrorResponse>` (never the root of an STS or CloudFormation
/// answer).
pub fn error_in_disguise(status: u16, body: &[u8]) -> Option<ErrorInDisguise> {
    let text = std::str::from_utf8(body).ok()?.trim_start();
    let message = if text.starts_with('{') {
        // Every answer passes here: only one that names `__type` anywhere
        // is parsed to see whether it is the top-level key.
        if !text.contains("\"__type\"") {
            return None;
        }
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        v.get("__type")?;
        ["message", "Message"]
            .iter()
            .find_map(|k| v.get(k)?.as_str().map(str::to_string))
    } else {
        let root = match text.strip_prefix("<?xml") {
            Some(rest) => rest.split_once("?>").map_or("", |(_, r)| r).trim_start(),
            None => text,
        };
        if !root.starts_with("<ErrorResponse") {
            return None;
        }
        text.split_once("<Message>")
            .and_then(|(_, rest)| rest.split_once("</Message>"))
            .map(|(m, _)| m.to_string())
    };
    Some(ErrorInDisguise {
        status,
        code: error_code(None, body).unwrap_or_else(|| "unknown error".into()),
        message: super::error::one_line(&message.unwrap_or_default()),
    })
}

/// What an answer that is not in the service's wire format looks like,
/// for a message: what it was, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// "the answer was not AWS JSON (an HTML page: 500 Internal Server Error)"
    pub what: String,
    pub fix: &'static str,
}

/// Looks at an answer that could not be read: `service` says which wire
/// format it should have been in (JSON for Service Catalog and
/// Organizations, XML for CloudFormation and STS).
pub fn unreadable(
    service: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Unreadable {
    let format = match service {
        "cloudformation" | "sts" => "AWS XML",
        _ => "AWS JSON",
    };
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let html = is_html(content_type, body);
    let retry = "try again (R); if it persists check the endpoint or proxy";
    if html {
        let title = text
            .split_once("<title>")
            .and_then(|(_, rest)| rest.split_once("</title>"))
            .map(|(t, _)| super::error::one_line(t))
            .filter(|t| !t.is_empty() && t.chars().count() <= 80);
        let what = match title {
            Some(t) => format!("the answer was not {format} (an HTML page: {t})"),
            None => format!("the answer was not {format} (an HTML page)"),
        };
        let fix = match status {
            502..=504 => "a proxy or gateway answered for the endpoint; try again later (R)",
            _ => "the endpoint may not implement this operation",
        };
        return Unreadable { what, fix };
    }
    if text.is_empty() {
        return Unreadable {
            what: "the answer was empty".into(),
            fix: retry,
        };
    }
    let opens = match format {
        "AWS XML" => text.starts_with('<'),
        _ => text.starts_with('{'),
    };
    if opens {
        return Unreadable {
            what: format!("the answer was cut short or is not valid {format}"),
            fix: retry,
        };
    }
    let start: String = super::error::one_line(text).chars().take(40).collect();
    Unreadable {
        what: format!("the answer was not {format} (it begins `{start}`)"),
        fix: "the endpoint may not be an AWS endpoint; check endpoint_url",
    }
}

/// Whether an answer is a web page (said so, or looking like one).
fn is_html(content_type: Option<&str>, body: &[u8]) -> bool {
    if content_type.is_some_and(|t| t.trim_start().to_lowercase().starts_with("text/html")) {
        return true;
    }
    let head = &body[..body.len().min(512)];
    let lower = String::from_utf8_lossy(head).trim_start().to_lowercase();
    lower.starts_with("<!doctype html") || lower.contains("<html")
}

/// Turns a 2xx answer whose body is an error into the error it is, so it
/// is retried and, if it persists, reported — never read as an empty list.
#[derive(Debug, Clone, Copy, Default)]
pub struct UnmaskErrors;

impl Intercept for UnmaskErrors {
    fn name(&self) -> &'static str {
        "spoke-unmask-errors"
    }

    fn modify_before_attempt_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(response) = context.response() else {
            return Ok(());
        };
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            return Ok(());
        }
        let Some(found) = response
            .body()
            .bytes()
            .and_then(|body| error_in_disguise(status, body))
        else {
            return Ok(());
        };
        if let Some(result) = context.output_or_error_mut() {
            *result = Err(OrchestratorError::response(Box::new(found)));
        }
        Ok(())
    }
}

/// A read whose 2xx answer could not be taken (not parsed, or an error in
/// disguise) is worth another attempt: what went wrong was on the way, and
/// a read changes nothing. Only on readers' clients.
#[derive(Debug, Clone, Copy, Default)]
pub struct RetryUnreadableAnswers;

impl ClassifyRetry for RetryUnreadableAnswers {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let status = ctx.response().map(|r| r.status().as_u16());
        let ok_status = status.is_some_and(|s| (200..300).contains(&s));
        match ctx.output_or_error() {
            Some(Err(_)) if ok_status => RetryAction::transient_error(),
            // An HTML page for a 500 or 501 (or 404, 405) is an endpoint
            // that does not have the operation, not AWS failing for a
            // moment (AWS answers every error in its own format): asking
            // again gets the same page, so it is said at once. A gateway's
            // page (502–504) is worth the retries.
            Some(Err(_))
                if matches!(status, Some(404 | 405 | 500 | 501))
                    && ctx.response().is_some_and(|r| {
                        is_html(
                            r.headers().get("content-type"),
                            r.body().bytes().unwrap_or_default(),
                        )
                    }) =>
            {
                RetryAction::RetryForbidden
            }
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "spoke: retry unreadable answers to reads"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_what_an_unreadable_answer_was() {
        let page = b"<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head><body>x</body></html>";
        let u = unreadable("servicecatalog", 500, Some("text/html"), page);
        assert_eq!(
            u.what,
            "the answer was not AWS JSON (an HTML page: 500 Internal Server Error)"
        );
        assert_eq!(u.fix, "the endpoint may not implement this operation");
        let u = unreadable(
            "cloudformation",
            502,
            None,
            b"<html><body>Bad gateway</body></html>",
        );
        assert_eq!(u.what, "the answer was not AWS XML (an HTML page)");
        assert!(u.fix.contains("proxy or gateway"), "{}", u.fix);
        let u = unreadable(
            "servicecatalog",
            200,
            None,
            b"{\"PortfolioDetails\":[{\"Id\"",
        );
        assert_eq!(u.what, "the answer was cut short or is not valid AWS JSON");
        let u = unreadable("servicecatalog", 500, None, b"");
        assert_eq!(u.what, "the answer was empty");
        let u = unreadable(
            "servicecatalog",
            404,
            Some("text/plain"),
            b"404 page not found\n",
        );
        assert_eq!(
            u.what,
            "the answer was not AWS JSON (it begins `404 page not found`)"
        );
    }

    #[test]
    fn finds_errors_sent_with_200() {
        let json = br#"{"__type":"com.amazonaws#InternalFailure","message":"boom\nagain"}"#;
        assert_eq!(
            error_in_disguise(200, json),
            Some(ErrorInDisguise {
                status: 200,
                code: "InternalFailure".into(),
                message: "boom again".into()
            })
        );
        let xml = b"<?xml version=\"1.0\"?>\n<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>";
        let found = error_in_disguise(200, xml).unwrap();
        assert_eq!(
            (found.code.as_str(), found.message.as_str()),
            ("Throttling", "Rate exceeded")
        );
        // Real answers are not errors.
        assert_eq!(error_in_disguise(200, br#"{"PortfolioDetails":[]}"#), None);
        assert_eq!(
            error_in_disguise(
                200,
                b"<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>"
            ),
            None
        );
        assert_eq!(error_in_disguise(200, b"{\"cut"), None);
        assert_eq!(error_in_disguise(200, &[0xff, 0xfe]), None);
    }
}
