//! The filter language, parsed: words that must each match, each one of
//! nucleo's atoms (`fuzzy`, `'exact`, `^prefix`, `suffix$`, `!not`, case
//! smart), in any cell or in one column as `column:atom`; and the natural
//! order the sort uses. Matching and scoring are in `matching.rs`.

use std::cmp::Ordering;

use nucleo_matcher::Utf32Str;
use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};

use super::hay::Needs;
use super::row::Column;

/// A parsed filter: terms that must all match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Query {
    pub(super) terms: Vec<Term>,
}

/// One word of the filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Term {
    /// Match in this column only (`column:value`).
    pub(super) column: Option<usize>,
    pub(super) atom: Atom,
    /// The needle as the matcher takes it (markers off), to tell whether
    /// a new filter only narrows this one.
    pub(super) needle: String,
    /// The needle's first byte, when the needle is ASCII, and whether case
    /// is ignored: where in a row's text a match can start.
    pub(super) first: Option<(u8, bool)>,
    /// Whether matching the row's cells joined gives what matching each
    /// cell gives (one character, or a substring, ASCII and no space).
    pub(super) joined: bool,
    /// The letters and digits a row must hold for the term to match it
    /// (none for a `!not` term).
    pub(super) needs: Needs,
}

impl Term {
    fn new(column: Option<usize>, text: &str) -> Option<Term> {
        let atom = Atom::parse(text, CaseMatching::Smart, Normalization::Smart);
        let needle: String = match atom.needle_text() {
            Utf32Str::Ascii(bytes) => bytes.iter().map(|&b| b as char).collect(),
            Utf32Str::Unicode(chars) => chars.iter().collect(),
        };
        if needle.is_empty() {
            return None;
        }
        let ascii = needle.is_ascii();
        let first = ascii.then(|| {
            let ignore = !needle.bytes().any(|b| b.is_ascii_uppercase());
            (needle.as_bytes()[0], ignore)
        });
        let joined = ascii
            && !needle.bytes().any(|b| b.is_ascii_whitespace())
            && match atom.kind {
                AtomKind::Substring => true,
                AtomKind::Fuzzy => needle.len() == 1,
                _ => false,
            };
        let needs = match atom.negative {
            true => Needs::default(),
            false => Needs::of(&needle),
        };
        Some(Term {
            column,
            atom,
            needle,
            first,
            joined,
            needs,
        })
    }
}

impl Query {
    /// `text`: words that must each match (in any cell, or in one column
    /// as `column:value` with the column named by a prefix of its title;
    /// `!column:value` is `column:!value`). A space is part of a word
    /// after a backslash (`\ `).
    pub(super) fn parse(text: &str, columns: &[Column]) -> Query {
        let terms = words(text)
            .filter_map(|word| {
                let (bang, body) = match word.strip_prefix('!') {
                    Some(body) => ("!", body),
                    None => ("", word),
                };
                if let Some((name, value)) = body.split_once(':')
                    && let Some(column) = column_named(columns, name)
                {
                    return Term::new(Some(column), &format!("{bang}{value}"));
                }
                Term::new(None, word)
            })
            .collect();
        Query { terms }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether rows are ranked by it: some term that is not a `!not`.
    pub(super) fn ranks(&self) -> bool {
        self.terms.iter().any(|t| !t.atom.negative)
    }

    /// Whether every row this query lets through, `old` lets through too
    /// (the user typed on): then only `old`'s rows need checking.
    pub(super) fn narrows(&self, old: &Query) -> bool {
        old.terms.len() <= self.terms.len()
            && old.terms.iter().zip(&self.terms).all(|(o, n)| {
                o.column == n.column
                    && !o.atom.negative
                    && !n.atom.negative
                    && o.atom.kind == n.atom.kind
                    && matches!(
                        o.atom.kind,
                        AtomKind::Fuzzy | AtomKind::Substring | AtomKind::Prefix
                    )
                    && n.needle.starts_with(&o.needle)
            })
    }
}

/// The words of a filter: split at whitespace, but not at a space after a
/// backslash (nucleo's escape).
pub(super) fn words(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut escaped = false;
    text.split(move |c: char| {
        let split = c.is_whitespace() && !escaped;
        escaped = c == '\\' && !escaped;
        split
    })
    .filter(|w| !w.is_empty())
}

/// What is wrong with a filter, said as the user types: a `name:value`
/// whose name is no column (the word is then matched as text, colon
/// included), with the columns there are.
pub(super) fn problem(text: &str, columns: &[Column]) -> Option<String> {
    let unknown: Vec<&str> = words(text)
        .filter_map(|word| word.strip_prefix('!').unwrap_or(word).split_once(':'))
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

/// What [`super::hay::Hay`] puts after each cell: to the matcher a
/// cell's start in a row's text is a word's start, as a cell's own start is.
pub(super) const SEPARATOR: char = '\t';

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
