//! The filter language: fuzzy words, `column:value`, a leading `!`;
//! and the natural order the sort uses.

use std::cmp::Ordering;

use super::row::{Column, TableRow};

/// A parsed filter: terms that must all match, maybe inverted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Query {
    invert: bool,
    terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Term {
    /// Match in this column only (`column:value`).
    column: Option<usize>,
    /// Lower-case characters to find in order.
    needle: Vec<char>,
}

impl Query {
    /// `text`: words that must each match (fuzzy, in any cell, or in one
    /// column as `column:value` with the column named by a prefix of its
    /// title); a leading `!` keeps the rows that do not match.
    pub(super) fn parse(text: &str, columns: &[Column]) -> Query {
        let text = text.trim_start();
        let (invert, rest) = match text.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let terms = rest
            .split_whitespace()
            .map(|word| {
                if let Some((name, value)) = word.split_once(':')
                    && let Some(column) = column_named(columns, name)
                {
                    return Term {
                        column: Some(column),
                        needle: lower_chars(value),
                    };
                }
                Term {
                    column: None,
                    needle: lower_chars(word),
                }
            })
            .filter(|t| !t.needle.is_empty() || t.column.is_some())
            .collect();
        Query { invert, terms }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether every row this query lets through, `old` lets through too
    /// (the user typed on): then only `old`'s rows need checking.
    pub(super) fn narrows(&self, old: &Query) -> bool {
        !self.invert
            && !old.invert
            && old.terms.len() <= self.terms.len()
            && old
                .terms
                .iter()
                .zip(&self.terms)
                .all(|(o, n)| o.column == n.column && n.needle.starts_with(&o.needle))
    }

    /// Whether `row` passes; `hay` is its cells [`joined`].
    pub(super) fn matches(&self, row: &TableRow, hay: &str) -> bool {
        if self.terms.is_empty() {
            return true;
        }
        let all = self
            .terms
            .iter()
            .all(|term| match (term.column, term.needle.as_slice()) {
                (Some(column), _) => fuzzy(row.text(column), &term.needle),
                // One ASCII character is in some cell iff it is in the joined
                // cells (the separator is no character one types).
                (None, [c]) if c.is_ascii() && *c != '\0' => {
                    fuzzy_ascii(hay.as_bytes(), &term.needle)
                }
                (None, _) => row.cells.iter().any(|c| fuzzy(&c.text, &term.needle)),
            });
        all != self.invert
    }
}

/// What is wrong with a filter, said as the user types: a `name:value`
/// whose name is no column (the word is then matched as text, colon
/// included), with the columns there are.
pub(super) fn problem(text: &str, columns: &[Column]) -> Option<String> {
    let text = text.trim_start();
    let rest = text.strip_prefix('!').unwrap_or(text);
    let unknown: Vec<&str> = rest
        .split_whitespace()
        .filter_map(|word| word.split_once(':'))
        .map(|(name, _)| name)
        .filter(|name| !name.is_empty() && column_named(columns, name).is_none())
        .collect();
    let first = unknown.first()?;
    let names: Vec<String> = columns
        .iter()
        .map(|c| c.title.to_lowercase().replace(' ', ""))
        .collect();
    Some(format!(
        "no column {first}: {first}:… is matched as text — columns: {}",
        names.join(", ")
    ))
}

/// The first column whose title starts with `prefix`, ignoring case and spaces.
pub(super) fn column_named(columns: &[Column], prefix: &str) -> Option<usize> {
    if prefix.is_empty() {
        return None;
    }
    let prefix = lower_chars(prefix);
    columns.iter().position(|c| {
        let mut title = c.title.chars().filter(|c| !c.is_whitespace()).map(lower);
        prefix.iter().all(|p| title.next() == Some(*p))
    })
}

pub(super) fn lower(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

pub(super) fn lower_chars(text: &str) -> Vec<char> {
    text.chars().map(lower).collect()
}

/// A row's cells joined by NUL (see [`TableModel`]'s `hay`).
pub(super) fn joined(row: &TableRow) -> String {
    let mut hay = String::with_capacity(row.cells.iter().map(|c| c.text.len() + 1).sum());
    for c in &row.cells {
        hay.push_str(&c.text);
        hay.push('\0');
    }
    hay
}

/// Whether the characters of `needle` (lower case) appear in `hay` in
/// order, ignoring case. Allocates nothing.
pub fn fuzzy(hay: &str, needle: &[char]) -> bool {
    if needle.iter().all(char::is_ascii) {
        return fuzzy_ascii(hay.as_bytes(), needle);
    }
    let mut wanted = needle.iter();
    let mut next = wanted.next();
    for c in hay.chars() {
        let Some(n) = next else { return true };
        if lower(c) == *n {
            next = wanted.next();
        }
    }
    next.is_none()
}

/// [`fuzzy`] for an ASCII needle: each character found with `memchr2`
/// (either case) from where the last was found. A byte of a multi-byte
/// UTF-8 character is never ASCII, so bytes can be searched as they are.
pub(super) fn fuzzy_ascii(hay: &[u8], needle: &[char]) -> bool {
    let mut at = 0;
    for &c in needle {
        let b = c as u8;
        match memchr::memchr2(b, b.to_ascii_uppercase(), &hay[at..]) {
            Some(i) => at += i + 1,
            None => return false,
        }
    }
    true
}

/// Text order ignoring case, with runs of digits compared by value
/// (`pp-2` < `pp-10`). Allocates nothing.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut i, mut j) = (0, 0);
    loop {
        match (a[i..].chars().next(), b[j..].chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let end_a = i + a[i..].bytes().take_while(u8::is_ascii_digit).count();
                let end_b = j + b[j..].bytes().take_while(u8::is_ascii_digit).count();
                let (x, y) = (
                    a[i..end_a].trim_start_matches('0'),
                    b[j..end_b].trim_start_matches('0'),
                );
                let order = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
                if order != Ordering::Equal {
                    return order;
                }
                (i, j) = (end_a, end_b);
            }
            (Some(x), Some(y)) => {
                let order = lower(x).cmp(&lower(y));
                if order != Ordering::Equal {
                    return order;
                }
                i += x.len_utf8();
                j += y.len_utf8();
            }
        }
    }
}
