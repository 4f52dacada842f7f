//! What the filter searches: each row's cells joined by tabs (one `memchr`
//! over a row finds the cells worth the matcher's time), all rows in one
//! buffer, and for each row the letters and digits it holds as bits, so
//! that a row without a character the filter needs is passed over
//! without reading its text.

use super::query::SEPARATOR;
use super::row::TableRow;

/// The rows' search text, in data order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hay {
    text: String,
    /// Where each row's text ends in `text`.
    ends: Vec<u32>,
    /// Each row's [`bits`], and [`NOT_ASCII`] if its text is not ASCII.
    masks: Vec<u64>,
}

/// Set in a row's mask when its text is not all ASCII (a needle's `e`
/// may match its `é`: its bits say nothing then).
pub(super) const NOT_ASCII: u64 = 1 << 63;

/// The bit of an ASCII letter (either case) or digit.
fn bit(b: u8) -> u64 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'A'..=b'Z' => 1 << (b - b'A'),
        b'0'..=b'9' => 1 << (26 + b - b'0'),
        _ => 0,
    }
}

/// The bits of the ASCII letters and digits of `text`.
pub(super) fn bits(text: &str) -> u64 {
    text.bytes().fold(0, |m, b| m | bit(b))
}

impl Hay {
    pub fn of(rows: &[TableRow]) -> Hay {
        let mut hay = Hay {
            text: String::with_capacity(rows.len() * 64),
            ends: Vec::with_capacity(rows.len()),
            masks: Vec::with_capacity(rows.len()),
        };
        for row in rows {
            let start = hay.text.len();
            for cell in &row.cells {
                hay.text.push_str(&cell.text);
                hay.text.push(SEPARATOR);
            }
            let one = &hay.text[start..];
            let not_ascii = if one.is_ascii() { 0 } else { NOT_ASCII };
            hay.masks.push(bits(one) | not_ascii);
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

    /// Row `i`'s mask (`NOT_ASCII` past the end: nothing ruled out).
    pub fn mask(&self, i: usize) -> u64 {
        self.masks.get(i).copied().unwrap_or(NOT_ASCII)
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

    #[test]
    fn each_row_its_text_and_its_characters() {
        let rows = vec![
            TableRow::new("a", vec![Cell::new("Orders-9"), Cell::new("db")]),
            TableRow::new("b", vec![]),
            TableRow::new("c", vec![Cell::new("é-tude")]),
        ];
        let hay = Hay::of(&rows);
        assert_eq!(hay.len(), 3);
        assert_eq!(hay.get(0), "Orders-9\tdb\t");
        assert_eq!(hay.get(1), "");
        assert_eq!(hay.get(2), "é-tude\t");
        assert_eq!(hay.get(3), "");
        assert_eq!(hay.mask(0), bits("ordesb9"));
        assert_eq!(hay.mask(0) & bits("q"), 0);
        assert_eq!(hay.mask(1), 0);
        assert_eq!(hay.mask(2), bits("tude") | NOT_ASCII);
        assert_eq!(hay.mask(9), NOT_ASCII);
    }
}
