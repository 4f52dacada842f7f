//! The status line: what the console is doing or what went wrong, and a
//! notice about a settings file shown until the first key.

use super::*;

impl State {
    /// Shows a problem found before the first frame (a bad keymap or
    /// theme file) in the status line until the first key press, unless an
    /// error of the session needs the line.
    pub fn report(&mut self, problem: String) {
        self.notice = Some(match self.notice.take() {
            Some(before) => format!("{before}; {problem}"),
            None => problem,
        });
    }
}

pub(super) fn busy(text: String) -> Status {
    Status {
        kind: StatusKind::Busy,
        text,
    }
}

pub(super) fn info(text: String) -> Status {
    Status {
        kind: StatusKind::Info,
        text,
    }
}

pub(super) fn error_status(text: String) -> Status {
    Status {
        kind: StatusKind::Error,
        text,
    }
}
