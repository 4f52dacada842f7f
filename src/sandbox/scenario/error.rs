//! Where a mistake in a world file is, and what it is.

use std::fmt;

use toml::Spanned;

/// A mistake in a world file: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for WorldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for WorldError {}

/// Turns source positions into lines and columns for messages.
pub(super) struct Source<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
}

impl Source<'_> {
    pub(super) fn at(
        &self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> WorldError {
        let upto = &self.text[..span.start.min(self.text.len())];
        let line = upto.matches('\n').count() + 1;
        let column = upto.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        WorldError {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
    pub(super) fn on<T>(&self, s: &Spanned<T>, message: impl Into<String>) -> WorldError {
        self.at(s.span(), message)
    }
}
