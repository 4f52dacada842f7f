//! How much the headless commands say (`-q`, `-v`, `-vv`) and whether they
//! say it in colour (`--color`, `NO_COLOR`): decided once, in
//! [`crate::start`], from the command line; read wherever a line is printed.
//!
//! | level   | flag  | stdout                          | stderr                         |
//! |---------|-------|---------------------------------|--------------------------------|
//! | quiet   | `-q`  | the result only                 | errors                         |
//! | normal  |       | banner, progress, result        | errors                         |
//! | verbose | `-v`  | as normal                       | and each AWS call, as answered |
//! | debug   | `-vv` | as normal                       | and each call's target, tries  |
//!
//! The console never sets a level: its screen is its own.

pub mod color;
pub mod json;

use std::sync::atomic::{AtomicU8, Ordering};

/// How much a headless command says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Verbosity {
    /// `-q`: errors and the final result only.
    Quiet = 0,
    #[default]
    Normal = 1,
    /// `-v`: each AWS call on stderr as it is answered.
    Verbose = 2,
    /// `-vv`: and what each call named, and its attempts.
    Debug = 3,
}

impl Verbosity {
    /// From `-q` and the count of `-v`.
    pub fn from_flags(quiet: bool, verbose: u8) -> Self {
        match (quiet, verbose) {
            (true, _) => Verbosity::Quiet,
            (false, 0) => Verbosity::Normal,
            (false, 1) => Verbosity::Verbose,
            (false, _) => Verbosity::Debug,
        }
    }

    /// The log file's filter at this level (when `SPOKE_LOG` says none).
    pub fn log_filter(self) -> &'static str {
        match self {
            Verbosity::Quiet | Verbosity::Normal => {
                "info,aws_config=warn,aws_smithy_runtime=warn,hyper=warn"
            }
            Verbosity::Verbose => {
                "info,spoke=debug,aws_config=warn,aws_smithy_runtime=warn,hyper=warn"
            }
            Verbosity::Debug => {
                "debug,spoke=trace,aws_config=info,aws_smithy_runtime=info,hyper=info"
            }
        }
    }
}

/// The level is Normal until a headless command sets it.
static LEVEL: AtomicU8 = AtomicU8::new(Verbosity::Normal as u8);

/// Sets the level of this process (a headless command, once, at its start).
pub fn set_verbosity(level: Verbosity) {
    LEVEL.store(level as u8, Ordering::Relaxed);
}

pub fn verbosity() -> Verbosity {
    match LEVEL.load(Ordering::Relaxed) {
        0 => Verbosity::Quiet,
        1 => Verbosity::Normal,
        2 => Verbosity::Verbose,
        _ => Verbosity::Debug,
    }
}

/// `-q`: progress, banners and plans' chatter are left out.
pub fn quiet() -> bool {
    verbosity() == Verbosity::Quiet
}

/// A line of progress (a banner, an event, a count), left out with `-q`:
/// on stdout, or on stderr when stdout carries JSON.
#[macro_export]
macro_rules! progress {
    ($($arg:tt)*) => {
        if !$crate::output::quiet() {
            $crate::say!($($arg)*);
        }
    };
}

/// A line for a person (a plan, a result): on stdout, or on stderr when
/// stdout carries JSON (`--format json`).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        if $crate::output::json::json() {
            let line = format!($($arg)*);
            $crate::output::json::said(&line);
            eprintln!("{line}");
        } else {
            println!($($arg)*);
        }
    };
}

/// An AWS call as it was answered, on stderr at `-v` and above:
/// `aws ServiceCatalog.ListPortfolios hub 111122223333 us-east-1: ok (12 ms)`.
pub fn call(entry: &crate::model::CallEntry) {
    let level = verbosity();
    if level < Verbosity::Verbose {
        return;
    }
    eprintln!("{}", call_line(entry, level));
}

/// The line [`call`] prints.
pub fn call_line(entry: &crate::model::CallEntry, level: Verbosity) -> String {
    let account = entry
        .account
        .as_deref()
        .map(|a| format!(" {}", clean(a)))
        .unwrap_or_default();
    let mut line = format!(
        "aws {}.{} {}{account} {}: {} ({} ms)",
        clean(&entry.service),
        clean(&entry.operation),
        clean(&entry.profile),
        clean(&entry.region),
        clean(&entry.outcome.to_string()),
        entry.duration_ms
    );
    if level >= Verbosity::Debug {
        if let Some(target) = &entry.target {
            line.push_str(&format!(" target {}", clean(target)));
        }
        line.push_str(&format!(
            " attempt{} {}",
            if entry.attempts == 1 { "" } else { "s" },
            entry.attempts
        ));
    }
    line
}

/// A value safe to print on a terminal: control characters (escape
/// sequences from AWS data or the journal) and bidirectional overrides
/// replaced, line breaks and tabs made spaces.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {
                '\u{FFFD}'
            }
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_map_to_levels() {
        assert_eq!(Verbosity::from_flags(false, 0), Verbosity::Normal);
        assert_eq!(Verbosity::from_flags(true, 0), Verbosity::Quiet);
        assert_eq!(Verbosity::from_flags(false, 1), Verbosity::Verbose);
        assert_eq!(Verbosity::from_flags(false, 2), Verbosity::Debug);
        assert_eq!(Verbosity::from_flags(false, 7), Verbosity::Debug);
        assert!(Verbosity::Quiet < Verbosity::Normal && Verbosity::Verbose < Verbosity::Debug);
    }

    #[test]
    fn a_call_line_names_the_call() {
        let entry = crate::model::CallEntry {
            seq: 1,
            started: chrono::Utc::now(),
            service: "ServiceCatalog".into(),
            operation: "ListPortfolios".into(),
            profile: "hub".into(),
            account: Some("111122223333".into()),
            region: "us-east-1".into(),
            outcome: crate::model::CallOutcome::Ok,
            attempts: 2,
            duration_ms: 12,
            target: Some("port-1".into()),
        };
        let line = call_line(&entry, Verbosity::Verbose);
        assert!(
            line.starts_with("aws ServiceCatalog.ListPortfolios hub 111122223333 us-east-1: "),
            "{line}"
        );
        assert!(line.ends_with("(12 ms)"), "{line}");
        let debug = call_line(&entry, Verbosity::Debug);
        assert!(
            debug.contains("target port-1") && debug.contains("attempts 2"),
            "{debug}"
        );
    }
}
