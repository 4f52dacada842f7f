//! Colour or not: `--color auto|always|never` and `NO_COLOR`
//! (<https://no-color.org>). `auto` colours only a terminal; `NO_COLOR`
//! set and not empty means never, unless `--color always` says otherwise.

use std::ffi::OsStr;
use std::sync::atomic::{AtomicBool, Ordering};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Colour, whatever NO_COLOR and stdout are.
    Always,
    /// No colour (the console keeps bold and reverse, so the selection shows).
    Never,
}

/// Whether to colour, from the flag, `NO_COLOR`'s value and whether
/// stdout is a terminal.
pub fn decide(choice: ColorChoice, no_color: Option<&OsStr>, stdout_is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => no_color.is_none_or(OsStr::is_empty) && stdout_is_tty,
    }
}

/// [`decide`] with this process's `NO_COLOR` and stdout.
pub fn decide_here(choice: ColorChoice) -> bool {
    use std::io::IsTerminal;
    decide(
        choice,
        std::env::var_os("NO_COLOR").as_deref(),
        std::io::stdout().is_terminal(),
    )
}

/// Off until [`set_enabled`]: nothing is coloured by accident.
static ENABLED: AtomicBool = AtomicBool::new(false);

pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// What a line of a headless command's output means, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// A table's header.
    Header,
    Good,
    Warn,
    Bad,
    Dim,
}

impl Paint {
    fn sgr(self) -> &'static str {
        match self {
            Paint::Header => "1",
            Paint::Good => "32",
            Paint::Warn => "33",
            Paint::Bad => "1;31",
            Paint::Dim => "2",
        }
    }
}

/// `text` in the colour of `paint` when colour is on, else as it is.
/// Only for text already [`clean`](super::clean)ed: the escapes are ours.
pub fn paint(text: &str, paint: Paint) -> String {
    painted(text, paint, enabled())
}

/// [`paint`] with the decision given.
pub fn painted(text: &str, paint: Paint, on: bool) -> String {
    if on && !text.is_empty() {
        format!("\u{1b}[{}m{text}\u{1b}[0m", paint.sgr())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColorChoice::*;

    #[test]
    fn the_flag_then_no_color_then_the_terminal_decide() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        // (choice, NO_COLOR, tty) → colour
        let cases = [
            (Auto, None, true, true),
            (Auto, None, false, false),
            (Auto, set, true, false),
            (Auto, set, false, false),
            (Auto, empty, true, true),
            (Always, None, false, true),
            (Always, set, false, true),
            (Always, set, true, true),
            (Never, None, true, false),
            (Never, empty, true, false),
        ];
        for (choice, env, tty, want) in cases {
            assert_eq!(decide(choice, env, tty), want, "{choice:?} {env:?} {tty}");
        }
    }

    #[test]
    fn paint_only_when_on() {
        assert_eq!(painted("x", Paint::Warn, false), "x");
        assert_eq!(painted("x", Paint::Warn, true), "\u{1b}[33mx\u{1b}[0m");
        assert_eq!(painted("", Paint::Bad, true), "");
    }
}
