//! An error as AWS answers it: HTTP status, error code and message. The
//! protocol modules render it in the shape each SDK parses.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// The `Reason` member some errors carry (Organizations' InvalidInputException).
    pub reason: Option<String>,
}

impl ApiError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            reason: None,
        }
    }
    pub fn with_reason(mut self, reason: &str) -> Self {
        self.reason = Some(reason.into());
        self
    }
    pub fn invalid_parameters(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidParametersException", message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(400, "ResourceNotFoundException", message)
    }
    pub fn invalid_state(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidStateException", message)
    }
    pub fn duplicate(message: impl Into<String>) -> Self {
        Self::new(400, "DuplicateResourceException", message)
    }
    /// The generic validation error of AWS's request layer, as in
    /// "1 validation error detected: Value '200' at 'pageSize' failed to satisfy constraint: …".
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(400, "ValidationException", message)
    }
    /// The error CloudFormation answers for a bad request (awsQuery, `ValidationError`).
    pub fn cfn_validation(message: impl Into<String>) -> Self {
        Self::new(400, "ValidationError", message)
    }
    /// Whether the fault is the client's (awsQuery's `<Type>Sender</Type>`).
    pub fn is_sender(&self) -> bool {
        self.status < 500
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ApiError {}
