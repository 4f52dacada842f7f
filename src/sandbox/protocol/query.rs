//! awsQuery: a form body in (`Action=…&Version=…&Member.member.1=…`), XML out;
//! errors as `<ErrorResponse>`.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::sandbox::error::ApiError;
use crate::sandbox::world::Time;

/// The decoded form of an awsQuery request.
pub struct QueryRequest {
    params: BTreeMap<String, String>,
}

impl QueryRequest {
    pub fn parse(body: &[u8]) -> Self {
        Self {
            params: form_urlencoded::parse(body).into_owned().collect(),
        }
    }

    pub fn action(&self) -> Option<&str> {
        self.get("Action")
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .get(key)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }
}

/// A small XML writer with escaping.
#[derive(Default)]
pub struct Xml {
    out: String,
}

pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\r' => o.push_str("&#xD;"),
            // XML 1.0 cannot carry other control characters, even as references.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

impl Xml {
    pub fn open(&mut self, tag: &str) -> &mut Self {
        let _ = write!(self.out, "<{tag}>");
        self
    }
    pub fn close(&mut self, tag: &str) -> &mut Self {
        let _ = write!(self.out, "</{tag}>");
        self
    }
    pub fn leaf(&mut self, tag: &str, value: &str) -> &mut Self {
        let _ = write!(self.out, "<{tag}>{}</{tag}>", escape(value));
        self
    }
    pub fn opt(&mut self, tag: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.leaf(tag, v);
        }
        self
    }
    pub fn time(&mut self, tag: &str, t: Time) -> &mut Self {
        self.leaf(tag, &timestamp(t))
    }
    pub fn finish(self) -> String {
        self.out
    }
}

/// A timestamp as awsQuery sends it (ISO 8601, UTC, milliseconds).
pub fn timestamp(t: Time) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Wraps an operation's result in `<OpResponse><OpResult>…</OpResult><ResponseMetadata>…`.
pub fn envelope(action: &str, namespace: &str, result: &str, request_id: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{action}Response xmlns=\"{namespace}\"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{action}Response>"
    )
}

pub fn error_body(e: &ApiError, namespace: &str, request_id: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"{namespace}\"><Error><Type>{}</Type><Code>{}</Code><Message>{}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>",
        if e.is_sender() { "Sender" } else { "Receiver" },
        escape(&e.code),
        escape(&e.message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_escaping() {
        let q = QueryRequest::parse(b"Action=DescribeStacks&Version=2010-05-15&StackName=b%26c");
        assert_eq!(q.action(), Some("DescribeStacks"));
        assert_eq!(q.get("StackName"), Some("b&c"));
        let mut x = Xml::default();
        x.leaf("A", "<&>\u{1b}[31m");
        assert_eq!(x.finish(), "<A>&lt;&amp;&gt;\u{FFFD}[31m</A>");
    }
}
