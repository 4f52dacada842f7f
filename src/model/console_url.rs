//! The AWS web console's page of what spoke shows, for the step spoke
//! does not do. The console's deep links are not an API AWS documents:
//! these are the pages its own links lead to (Service Catalog's admin
//! pages, CloudFormation's stack pages), in the region's console domain.

/// What a page is of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsolePage<'a> {
    Portfolio(&'a str),
    Product(&'a str),
    Provisioned(&'a str),
    /// A stack by its id (ARN), on one of its tabs.
    Stack {
        id: &'a str,
        tab: StackTab,
    },
}

/// A CloudFormation stack page's tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackTab {
    Info,
    Events,
    Resources,
    Outputs,
    Parameters,
}

impl StackTab {
    fn path(self) -> &'static str {
        match self {
            StackTab::Info => "stackinfo",
            StackTab::Events => "events",
            StackTab::Resources => "resources",
            StackTab::Outputs => "outputs",
            StackTab::Parameters => "parameters",
        }
    }
}

/// The console's address for `region`: its partition's domain.
fn console(region: &str) -> String {
    if region.starts_with("cn-") {
        format!("https://{region}.console.amazonaws.cn")
    } else if region.starts_with("us-gov-") {
        "https://console.amazonaws-us-gov.com".to_string()
    } else {
        format!("https://{region}.console.aws.amazon.com")
    }
}

/// The URL of `page` in `region`.
pub fn url(region: &str, page: &ConsolePage) -> String {
    let base = console(region);
    let catalog = |what: &str, id: &str| {
        format!(
            "{base}/servicecatalog/home?region={region}#/{what}/{}",
            encode(id)
        )
    };
    match page {
        ConsolePage::Portfolio(id) => catalog("portfolios", id),
        ConsolePage::Product(id) => catalog("products", id),
        ConsolePage::Provisioned(id) => catalog("provisioned-products", id),
        ConsolePage::Stack { id, tab } => format!(
            "{base}/cloudformation/home?region={region}#/stacks/{}?stackId={}",
            tab.path(),
            encode(id)
        ),
    }
}

/// Percent-encodes all but the unreserved characters (RFC 3986).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The OSC 52 sequence that puts `text` on the terminal's clipboard (it
/// travels with the terminal's output, so it works over SSH and in tmux
/// with `set-clipboard on`).
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    format!(
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_in_each_partition() {
        assert_eq!(
            url("eu-west-1", &ConsolePage::Provisioned("pp-abc123")),
            "https://eu-west-1.console.aws.amazon.com/servicecatalog/home?region=eu-west-1#/provisioned-products/pp-abc123"
        );
        assert_eq!(
            url("cn-north-1", &ConsolePage::Portfolio("port-x")),
            "https://cn-north-1.console.amazonaws.cn/servicecatalog/home?region=cn-north-1#/portfolios/port-x"
        );
        assert!(
            url("us-gov-west-1", &ConsolePage::Product("prod-1"))
                .starts_with("https://console.amazonaws-us-gov.com/servicecatalog/home?region=us-gov-west-1#/products/prod-1")
        );
        let arn = "arn:aws:cloudformation:us-east-1:111122223333:stack/SC-1-pp-x/0b1c2d3e";
        assert_eq!(
            url(
                "us-east-1",
                &ConsolePage::Stack {
                    id: arn,
                    tab: StackTab::Events
                }
            ),
            "https://us-east-1.console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/events?stackId=arn%3Aaws%3Acloudformation%3Aus-east-1%3A111122223333%3Astack%2FSC-1-pp-x%2F0b1c2d3e"
        );
    }

    #[test]
    fn osc52_carries_the_text_in_base64() {
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }
}
