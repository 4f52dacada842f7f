//! The time the screens compare against: "today" for the dates of stack
//! events, "now" for the elapsed time of a stack that moves. The system
//! clock, unless a test fixed the time on its own thread (snapshots must
//! not change with the day they are taken).

use std::cell::Cell;

use chrono::{DateTime, NaiveDate, Utc};

thread_local! {
    static FIXED: Cell<Option<DateTime<Utc>>> = const { Cell::new(None) };
}

/// The current time (UTC, as the console shows times).
pub fn now() -> DateTime<Utc> {
    FIXED.with(Cell::get).unwrap_or_else(Utc::now)
}

/// Today's date, in UTC.
pub fn today() -> NaiveDate {
    now().date_naive()
}

/// Fixes the time of this thread (`None`: the system clock again). For
/// tests and snapshots only.
#[doc(hidden)]
pub fn fix(at: Option<DateTime<Utc>>) {
    FIXED.with(|fixed| fixed.set(at));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_time_holds_on_its_thread_only() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        fix(Some(at));
        assert_eq!(now(), at);
        assert_eq!(today().to_string(), "2023-11-14");
        std::thread::spawn(move || assert_ne!(now(), at))
            .join()
            .unwrap();
        fix(None);
        assert_ne!(now(), at);
    }
}
