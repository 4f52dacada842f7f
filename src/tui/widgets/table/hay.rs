//! What the filter searches: each row's cells joined by tabs (one `memchr`
//! over a row finds the cells worth the matcher's time), all rows in one
//! buffer, and for each row its [`Levels`]: for every letter and digit,
//! whether the row holds it and the best place it holds it in, as the
//! matcher ranks places (a word's first character, after a delimiter,
//! …). A row without a character the filter needs is passed over unread,
//! and a one-character filter scores a row from its levels alone.

use super::query::SEPARATOR;
use super::row::TableRow;

/// The rows' search text, in data order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hay {
    text: String,
    /// Where each row's text ends in `text`.
    ends: Vec<u32>,
    levels: Vec<Levels>,
}

/// For each ASCII letter (either case) and digit, three bits: 0 when the
/// row does not hold it, else the best [`Level`] of the places it holds
/// it in; the top bit of the second word set when the row's text is not
/// all ASCII (a needle's `e` may match its `é`: the levels say nothing
/// then).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Levels([u64; 2]);

/// Where a letter or digit stands, as nucleo-matcher 0.3.1 gives a bonus
/// for it (`Config::DEFAULT`'s `bonus_for`), lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Level {
    /// No bonus: inside a word.
    Inside = 1,
    /// camelCase, or a digit after a letter.
    Camel = 2,
    /// After a character that is neither a word's nor a delimiter (`-`, `.`).
    Boundary = 3,
    /// After a delimiter (`/ , : ; |`).
    Delimiter = 4,
    /// At the text's start or after whitespace (a tab between cells):
    /// the highest bonus.
    White = 5,
}

impl Level {
    pub(super) const ALL: [Level; 5] = [
        Level::Inside,
        Level::Camel,
        Level::Boundary,
        Level::Delimiter,
        Level::White,
    ];
}

const NOT_ASCII: u64 = 1 << 63;

/// The place of an ASCII letter (either case) or digit among the 36.
pub(super) fn slot(b: u8) -> Option<usize> {
    match b {
        b'a'..=b'z' => Some(usize::from(b - b'a')),
        b'A'..=b'Z' => Some(usize::from(b - b'A')),
        b'0'..=b'9' => Some(26 + usize::from(b - b'0')),
        _ => None,
    }
}

/// Which word and shift hold `slot`'s three bits (21 slots a word).
fn place(slot: usize) -> (usize, u32) {
    (slot / 21, (3 * (slot % 21)) as u32)
}

/// The lowest of each slot's three bits, in both words.
const LOW: u64 = 0x1249_2492_4924_9249;

/// The characters of a needle a row must hold, as [`Levels`] would hold
/// them (any level).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Needs([u64; 2]);

impl Needs {
    /// The ASCII letters and digits of `text`.
    pub(super) fn of(text: &str) -> Needs {
        let mut needs = [0u64; 2];
        for s in text.bytes().filter_map(slot) {
            let (w, shift) = place(s);
            needs[w] |= 1 << shift;
        }
        Needs(needs)
    }

    pub(super) fn with(self, other: Needs) -> Needs {
        Needs([self.0[0] | other.0[0], self.0[1] | other.0[1]])
    }

    pub(super) fn is_empty(self) -> bool {
        self.0 == [0, 0]
    }
}

/// nucleo's character classes (ASCII), as far as a bonus tells them apart.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    White,
    Delimiter,
    NonWord,
    Lower,
    Upper,
    Number,
}

fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' => Class::Lower,
        b'A'..=b'Z' => Class::Upper,
        b'0'..=b'9' => Class::Number,
        _ if b.is_ascii_whitespace() => Class::White,
        b'/' | b',' | b':' | b';' | b'|' => Class::Delimiter,
        _ => Class::NonWord,
    }
}

/// The level of the letter or digit `b` after `prev` (none: the text's start).
fn level(prev: Option<u8>, b: u8) -> Level {
    let (prev, now) = (prev.map_or(Class::White, class), class(b));
    match prev {
        Class::White => Level::White,
        Class::Delimiter => Level::Delimiter,
        Class::NonWord => Level::Boundary,
        _ if prev == Class::Lower && now == Class::Upper => Level::Camel,
        _ if prev != Class::Number && now == Class::Number => Level::Camel,
        _ => Level::Inside,
    }
}

impl Levels {
    fn of(text: &str) -> Levels {
        let mut words = [0u64; 2];
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let Some(s) = slot(b) else { continue };
            let at = level(i.checked_sub(1).map(|p| bytes[p]), b) as u64;
            let (w, shift) = place(s);
            if (words[w] >> shift) & 7 < at {
                words[w] = (words[w] & !(7 << shift)) | (at << shift);
            }
        }
        if !text.is_ascii() {
            words[1] |= NOT_ASCII;
        }
        Levels(words)
    }

    pub(super) fn ascii(self) -> bool {
        self.0[1] & NOT_ASCII == 0
    }

    /// Whether the row holds every character of `needs`.
    pub(super) fn holds(self, needs: Needs) -> bool {
        let held = |w: u64| (w | (w >> 1) | (w >> 2)) & LOW;
        needs.0[0] & !held(self.0[0]) == 0 && needs.0[1] & !held(self.0[1] & !NOT_ASCII) == 0
    }

    /// The best level of `slot` in the row; `None` if the row lacks it.
    pub(super) fn level(self, slot: usize) -> Option<Level> {
        let (w, shift) = place(slot);
        let at = (self.0[w] >> shift) & 7;
        Level::ALL.into_iter().find(|l| *l as u64 == at)
    }
}

impl Hay {
    pub fn of(rows: &[TableRow]) -> Hay {
        let mut hay = Hay {
            text: String::with_capacity(rows.len() * 64),
            ends: Vec::with_capacity(rows.len()),
            levels: Vec::with_capacity(rows.len()),
        };
        for row in rows {
            let start = hay.text.len();
            for cell in &row.cells {
                hay.text.push_str(&cell.text);
                hay.text.push(SEPARATOR);
            }
            hay.levels.push(Levels::of(&hay.text[start..]));
            // A table over 4 GiB of text is not drawn: its rows past that
            // search as empty rather than wrap.
            hay.ends
                .push(u32::try_from(hay.text.len()).unwrap_or(u32::MAX));
        }
        hay.text.shrink_to_fit();
        hay
    }

    /// Row `i`'s text ("" past the end).
    pub fn get(&self, i: usize) -> &str {
        let start = match i {
            0 => 0,
            _ => self.ends.get(i - 1).map_or(0, |&e| e as usize),
        };
        let end = self.ends.get(i).map_or(start, |&e| e as usize);
        self.text.get(start..end).unwrap_or("")
    }

    /// Row `i`'s levels (past the end: not ASCII, nothing ruled out).
    pub(super) fn levels(&self, i: usize) -> Levels {
        self.levels
            .get(i)
            .copied()
            .unwrap_or(Levels([0, NOT_ASCII]))
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::super::row::Cell;
    use super::*;

    fn at(levels: Levels, b: u8) -> Option<Level> {
        levels.level(slot(b).expect("a letter or digit"))
    }

    #[test]
    fn each_row_its_text_and_the_best_place_of_each_character() {
        let rows = vec![
            TableRow::new(
                "a",
                vec![Cell::new("Orders-9"), Cell::new("db x/y myName a1 zz")],
            ),
            TableRow::new("b", vec![]),
            TableRow::new("c", vec![Cell::new("é-tude")]),
        ];
        let hay = Hay::of(&rows);
        assert_eq!(hay.len(), 3);
        assert_eq!(hay.get(0), "Orders-9\tdb x/y myName a1 zz\t");
        assert_eq!(hay.get(1), "");
        assert_eq!(hay.get(2), "é-tude\t");
        assert_eq!(hay.get(3), "");
        let first = hay.levels(0);
        assert!(first.ascii());
        assert_eq!(at(first, b'o'), Some(Level::White));
        assert_eq!(
            at(first, b'd'),
            Some(Level::White),
            "db's d beats Orders' d"
        );
        assert_eq!(at(first, b'9'), Some(Level::Boundary));
        assert_eq!(at(first, b'y'), Some(Level::Delimiter));
        assert_eq!(at(first, b'n'), Some(Level::Camel));
        assert_eq!(at(first, b'1'), Some(Level::Camel));
        assert_eq!(at(first, b'r'), Some(Level::Inside));
        assert_eq!(at(first, b'q'), None);
        assert!(first.holds(Needs::of("order9-Z")));
        assert!(!first.holds(Needs::of("orq")));
        assert!(first.holds(Needs::default()));
        assert!(!hay.levels(1).holds(Needs::of("a")));
        assert!(!hay.levels(2).ascii());
        assert!(!hay.levels(9).ascii());
    }
}
