//! TagOptions as an account administers them (not as a launch offers them:
//! see [`super::TagOption`]).

use serde::{Deserialize, Serialize};

use super::bulk::{DEFAULT_OPT_IN_KEY, DEFAULT_OPT_IN_VALUE};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagOptionEntry {
    pub id: String,
    pub key: String,
    pub value: String,
    pub active: bool,
    pub owner: String,
}

impl TagOptionEntry {
    pub fn is(&self, key: &str, value: &str) -> bool {
        self.key == key && self.value.eq_ignore_ascii_case(value)
    }

    /// The auto-update convention's opt-in: `AutoUpdateProvisionedProduct=true`.
    pub fn opts_in(&self) -> bool {
        self.active && self.is(DEFAULT_OPT_IN_KEY, DEFAULT_OPT_IN_VALUE)
    }
}
