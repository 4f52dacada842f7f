//! The filter applied: which rows pass, their score (nucleo's: a
//! contiguous match, at a word's start, scores more than a scattered
//! one), the view ranked best first, and the characters to highlight.
//!
//! A term is matched in one cell, never across cells, and a row scores
//! its best cell for each term, summed over the terms: a word found
//! whole in one cell ranks its row above one whose letters are strewn
//! over the row. The rows' cells joined by tabs (the `hay`) serve as a
//! shortcut where that gives the same (one character, a substring), and
//! to find the cells where a match can start (`memchr`), so the matcher
//! is not called on every cell of 100,000 rows; a row without a letter
//! or digit the filter needs is passed over unread, and a one-character
//! filter scores a row from where its character stands in it (`hay.rs`).

use std::sync::{Mutex, MutexGuard};

use nucleo_matcher::pattern::AtomKind;
use nucleo_matcher::{Config, Utf32Str};

use super::hay::{self, Hay, Level, Levels, Needs};
use super::query::{Query, SEPARATOR, Term};
use super::row::TableRow;

/// The matcher a table keeps (it owns buffers, reused from key to key),
/// with a buffer for text that is not ASCII. Behind a lock so that a
/// table can be drawn from a shared reference; cloned, a new one.
#[derive(Default)]
pub struct Matcher(Mutex<Scratch>);

pub(super) struct Scratch {
    pub(super) matcher: nucleo_matcher::Matcher,
    chars: Vec<char>,
    pub(super) indices: Vec<u32>,
    /// The other threads' scratch, when a large table is scored on
    /// several cores (made the first time, then kept).
    spare: Vec<Scratch>,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            matcher: nucleo_matcher::Matcher::new(Config::DEFAULT),
            chars: Vec::new(),
            indices: Vec::new(),
            spare: Vec::new(),
        }
    }
}

/// Below this many rows one thread scores them all: starting threads
/// costs more than it saves (measured: a one-character filter on 10,000
/// rows took 0.87 ms a keystroke on one thread, 1.6 ms on two).
const PARALLEL_FROM: usize = 32_768;

/// At most this many threads score one keystroke.
const MOST_THREADS: usize = 4;

/// How many threads score `n` rows on this machine.
fn threads_for(n: usize) -> usize {
    if n < PARALLEL_FROM {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    cores.min(MOST_THREADS).min(n / (PARALLEL_FROM / 4)).max(1)
}

impl Matcher {
    pub(super) fn lock(&self) -> MutexGuard<'_, Scratch> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Clone for Matcher {
    fn clone(&self) -> Self {
        Matcher::default()
    }
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Matcher")
    }
}

impl PartialEq for Matcher {
    /// Matchers hold no state that matters: any two are alike.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Matcher {}

/// `text` as the matcher takes it: ASCII as it is, else its characters
/// (so that the positions found are character positions).
pub(super) fn utf32<'a>(text: &'a str, chars: &'a mut Vec<char>) -> Utf32Str<'a> {
    if text.is_ascii() {
        Utf32Str::Ascii(text.as_bytes())
    } else {
        chars.clear();
        chars.extend(text.chars());
        Utf32Str::Unicode(chars)
    }
}

impl Scratch {
    /// The term's score in `text`, if it matches (a `!not` term: 0 if
    /// `text` does not hold it).
    pub(super) fn score(&mut self, term: &Term, text: &str) -> Option<u16> {
        let Scratch { matcher, chars, .. } = self;
        term.run(utf32(text, chars), matcher, None)
    }
}

impl Term {
    /// The atom on `text`; with `indices`, the positions it matched pushed.
    ///
    /// nucleo-matcher 0.3.1 compares a case-respecting ASCII `^prefix` or
    /// `suffix$` with the whole text, not its start or end (`^TAIN` never
    /// matched TAINTED): such an atom is given only the part of the text
    /// it must equal, found as nucleo finds it (past leading or before
    /// trailing spaces).
    pub(super) fn run(
        &self,
        text: Utf32Str<'_>,
        matcher: &mut nucleo_matcher::Matcher,
        indices: Option<&mut Vec<u32>>,
    ) -> Option<u16> {
        let (text, shift) = match (text, self.first) {
            (Utf32Str::Ascii(bytes), Some((_, false)))
                if matches!(self.atom.kind, AtomKind::Prefix | AtomKind::Postfix) =>
            {
                window(
                    bytes,
                    self.needle.as_bytes(),
                    self.atom.kind == AtomKind::Prefix,
                )
            }
            _ => (text, 0),
        };
        match indices {
            None => self.atom.score(text, matcher),
            Some(out) => {
                let from = out.len();
                let score = self.atom.indices(text, matcher, out);
                for i in &mut out[from..] {
                    *i += shift;
                }
                score
            }
        }
    }

    /// A one-character term's score for each [`Level`] its character
    /// may stand at (nucleo's own, of a text where it stands so): a row
    /// is scored from its [`Levels`], unread. Only for a letter or digit
    /// matched in either case.
    fn ladder(&self, s: &mut Scratch) -> Option<Ladder> {
        let one = self.joined && self.needle.len() == 1 && !self.needs.is_empty();
        let (Some((c, true)), true) = (self.first, one) else {
            return None;
        };
        let slot = hay::slot(c)?;
        // Another letter (or digit) than the needle's, to stand before it.
        let letter = if c == b'a' { b'b' } else { b'a' };
        let digit = if c == b'1' { b'2' } else { b'1' };
        let mut scores = [None; 6];
        for level in Level::ALL {
            let text: Vec<u8> = match level {
                Level::White => vec![c],
                Level::Delimiter => vec![b'/', c],
                Level::Boundary => vec![b'-', c],
                Level::Camel => vec![letter, c.to_ascii_uppercase()],
                Level::Inside if c.is_ascii_digit() => vec![digit, c],
                Level::Inside => vec![letter, c],
            };
            scores[level as usize] = self.run(Utf32Str::Ascii(&text), &mut s.matcher, None);
        }
        Some(Ladder { slot, scores })
    }

    /// The term's score in `row` (`hay`: its text in [`Hay`]; `ladder`:
    /// its [`Term::ladder`]).
    fn score_row(
        &self,
        row: &TableRow,
        hay: Row<'_>,
        ladder: Option<&Ladder>,
        s: &mut Scratch,
    ) -> Option<u16> {
        if let Some(column) = self.column {
            return s.score(self, row.text(column));
        }
        let levels = hay.levels;
        let ascii = levels.ascii();
        if let Some(ladder) = ladder
            && ascii
        {
            return ladder.scores[levels.level(ladder.slot)? as usize];
        }
        // Read only now: the text of 100,000 rows is more than a cache holds.
        let hay = hay.hay.get(hay.i);
        if ascii && self.joined {
            return self.run(Utf32Str::Ascii(hay.as_bytes()), &mut s.matcher, None);
        }
        match self.first {
            Some(first) if ascii && !self.atom.negative => self.best_cell(hay.as_bytes(), first, s),
            // Not ASCII: an ASCII cell without the first character is
            // passed over; another may match it loosely (`e` in `é`).
            Some((b, ignore)) if !self.atom.negative => row
                .cells
                .iter()
                .filter(|c| !c.text.is_ascii() || holds(c.text.as_bytes(), b, ignore))
                .filter_map(|c| s.score(self, &c.text))
                .max(),
            _ if self.atom.negative => {
                for cell in &row.cells {
                    s.score(self, &cell.text)?;
                }
                Some(0)
            }
            _ => row
                .cells
                .iter()
                .filter_map(|c| s.score(self, &c.text))
                .max(),
        }
    }

    /// The best score over the cells of an ASCII `hay`, trying only the
    /// cells that hold the needle's first character.
    fn best_cell(&self, hay: &[u8], (b, ignore): (u8, bool), s: &mut Scratch) -> Option<u16> {
        let sep = SEPARATOR as u8;
        let mut best = None;
        let mut at = 0;
        while at < hay.len() {
            let rest = &hay[at..];
            let Some(i) = find(rest, b, ignore) else {
                break;
            };
            let p = at + i;
            let start = memchr::memrchr(sep, &hay[at..p]).map_or(at, |k| at + k + 1);
            let end = memchr::memchr(sep, &hay[p..]).map_or(hay.len(), |k| p + k);
            let cell = Utf32Str::Ascii(&hay[start..end]);
            if let Some(score) = self.run(cell, &mut s.matcher, None) {
                best = best.max(Some(score));
            }
            at = end + 1;
        }
        best
    }
}

/// A row of the [`Hay`] (its text read when needed) and its [`Levels`].
#[derive(Clone, Copy)]
struct Row<'a> {
    hay: &'a Hay,
    i: usize,
    levels: Levels,
}

/// A one-character term's score by the [`Level`] its character stands at
/// (its place among the 36 letters and digits), from [`Term::ladder`].
struct Ladder {
    slot: usize,
    scores: [Option<u16>; 6],
}

/// What a query knows before it reads a row: the letters and digits its
/// terms need, each term's [`Ladder`] if it has one.
struct Known {
    needs: Needs,
    ladders: Vec<Option<Ladder>>,
}

impl Query {
    /// The row's score if it passes: each term's best cell, summed. A
    /// row of ASCII text without a letter or digit a term needs is passed
    /// over unread.
    fn score(
        &self,
        row: &TableRow,
        hay: &Hay,
        i: usize,
        known: &Known,
        s: &mut Scratch,
    ) -> Option<u32> {
        let levels = hay.levels(i);
        if levels.ascii() && !levels.holds(known.needs) {
            return None;
        }
        let text = Row { hay, i, levels };
        let mut total = 0u32;
        for (term, ladder) in self.terms.iter().zip(&known.ladders) {
            total += u32::from(term.score_row(row, text, ladder.as_ref(), s)?);
        }
        Some(total)
    }

    /// What the query knows before it reads a row.
    fn known(&self, s: &mut Scratch) -> Known {
        Known {
            needs: self
                .terms
                .iter()
                .fold(Needs::default(), |m, t| m.with(t.needs)),
            ladders: self.terms.iter().map(|t| t.ladder(s)).collect(),
        }
    }

    /// Puts the rows of `candidates` that pass into `view`: in the order
    /// given, or when `rank`, best score first (equal scores in data
    /// order). A large table is scored in parts on several cores at once
    /// (each part with a matcher of its own), the parts joined in order:
    /// the same view as one thread makes.
    pub(super) fn select(
        &self,
        rows: &[TableRow],
        hay: &Hay,
        candidates: impl Iterator<Item = usize>,
        rank: bool,
        view: &mut Vec<usize>,
        s: &mut Scratch,
    ) {
        let candidates: Vec<usize> = candidates.collect();
        let threads = threads_for(candidates.len());
        let keyed = if threads == 1 {
            self.keyed(rows, hay, &candidates, 0, rank, s)
        } else {
            self.keyed_in_parts(rows, hay, &candidates, threads, rank, s)
        };
        let low = |k: &u64| (k & u64::from(u32::MAX)) as usize;
        match rank {
            true => view.extend(keyed.iter().map(low)),
            false => view.extend(keyed.iter().map(|k| candidates[low(k)])),
        }
    }

    /// [`Query::keyed`] of `candidates` in `threads` parts at once, the
    /// parts' sorted keys merged.
    fn keyed_in_parts(
        &self,
        rows: &[TableRow],
        hay: &Hay,
        candidates: &[usize],
        threads: usize,
        rank: bool,
        s: &mut Scratch,
    ) -> Vec<u64> {
        while s.spare.len() < threads - 1 {
            s.spare.push(Scratch::default());
        }
        let part = candidates.len().div_ceil(threads);
        let mut spare = std::mem::take(&mut s.spare);
        let runs: Vec<Vec<u64>> = std::thread::scope(|scope| {
            let mut chunks = candidates.chunks(part).enumerate();
            let (_, first) = chunks.next().expect("candidates to score");
            let others: Vec<_> = chunks
                .zip(spare.iter_mut())
                .map(|((k, chunk), scratch)| {
                    scope.spawn(move || self.keyed(rows, hay, chunk, k * part, rank, scratch))
                })
                .collect();
            let mut runs = vec![self.keyed(rows, hay, first, 0, rank, s)];
            for other in others {
                match other.join() {
                    Ok(run) => runs.push(run),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            runs
        });
        s.spare = spare;
        runs.into_iter()
            .reduce(|a, b| merge(&a, &b))
            .unwrap_or_default()
    }

    /// The candidates of `chunk` that pass, each a sort key: score then
    /// row in one word when `rank` (equal scores in data order), else its
    /// place among the candidates (`offset` + its place in `chunk`); sorted.
    fn keyed(
        &self,
        rows: &[TableRow],
        hay: &Hay,
        chunk: &[usize],
        offset: usize,
        rank: bool,
        s: &mut Scratch,
    ) -> Vec<u64> {
        let known = self.known(s);
        let mut keyed: Vec<u64> = chunk
            .iter()
            .enumerate()
            .filter_map(|(k, &i)| {
                let score = self.score(&rows[i], hay, i, &known, s)?;
                Some(match rank {
                    true => (u64::from(u32::MAX - score) << 32) | i as u64,
                    false => (offset + k) as u64,
                })
            })
            .collect();
        if rank {
            let in_data_order = chunk.windows(2).all(|w| w[0] < w[1]);
            sort_keys(&mut keyed, in_data_order);
        }
        keyed
    }
}

/// At most this many scores are sorted by counting (a one-character
/// filter gives a handful).
const FEW_SCORES: usize = 16;

/// Sorts rank keys (score above, row below). Keys made from rows in data
/// order with few scores among them are placed by counting, in one pass
/// (within a score the rows are already in order); others are sorted.
fn sort_keys(keys: &mut Vec<u64>, in_data_order: bool) {
    let mut scores: Vec<u64> = Vec::with_capacity(FEW_SCORES);
    let few = in_data_order
        && keys.iter().all(|k| {
            let score = k >> 32;
            if scores.last() == Some(&score) || scores.contains(&score) {
                return true;
            }
            scores.push(score);
            scores.len() <= FEW_SCORES
        });
    if !few {
        keys.sort_unstable();
        return;
    }
    scores.sort_unstable();
    let bucket = |k: &u64| scores.binary_search(&(k >> 32)).unwrap_or(0);
    let mut starts = vec![0usize; scores.len() + 1];
    for k in keys.iter() {
        starts[bucket(k) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut placed = vec![0u64; keys.len()];
    for &k in keys.iter() {
        let b = bucket(&k);
        placed[starts[b]] = k;
        starts[b] += 1;
    }
    *keys = placed;
}

/// Two sorted runs as one sorted run.
fn merge(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

impl Query {
    /// For each column of `shown`, the positions of the characters the
    /// filter matched in that cell of `row` (sorted, no repeats): each term
    /// where it scores best among the cells shown (the first of equals).
    pub(super) fn highlights(
        &self,
        row: &TableRow,
        shown: &[usize],
        s: &mut Scratch,
    ) -> Vec<Vec<u32>> {
        let mut out = vec![Vec::new(); shown.len()];
        for term in self.terms.iter().filter(|t| !t.atom.negative) {
            let mut best: Option<(u16, usize)> = None;
            for (k, &j) in shown.iter().enumerate() {
                if term.column.is_some_and(|c| c != j) {
                    continue;
                }
                if let Some(score) = s.score(term, row.text(j))
                    && best.is_none_or(|(b, _)| score > b)
                {
                    best = Some((score, k));
                }
            }
            let Some((_, k)) = best else { continue };
            let Scratch {
                matcher,
                chars,
                indices,
                ..
            } = s;
            indices.clear();
            term.run(utf32(row.text(shown[k]), chars), matcher, Some(indices));
            out[k].extend_from_slice(indices);
        }
        for cell in &mut out {
            cell.sort_unstable();
            cell.dedup();
        }
        out
    }
}

/// Where `b` is first in `text` (either case if `ignore`).
fn find(text: &[u8], b: u8, ignore: bool) -> Option<usize> {
    if ignore && b.is_ascii_lowercase() {
        memchr::memchr2(b, b.to_ascii_uppercase(), text)
    } else {
        memchr::memchr(b, text)
    }
}

fn holds(text: &[u8], b: u8, ignore: bool) -> bool {
    find(text, b, ignore).is_some()
}

/// The part of `text` a case-respecting `needle` must equal, as a
/// `^prefix` (else a `suffix$`), and where it starts; empty if none fits.
fn window<'a>(text: &'a [u8], needle: &[u8], prefix: bool) -> (Utf32Str<'a>, u32) {
    let space = |b: &u8| b.is_ascii_whitespace();
    let n = needle.len();
    let start = if prefix {
        let skip = match needle.first() {
            Some(b) if !space(b) => text.iter().take_while(|b| space(b)).count(),
            _ => 0,
        };
        Some(skip)
    } else {
        let skip = match needle.last() {
            Some(b) if !space(b) => text.iter().rev().take_while(|b| space(b)).count(),
            _ => 0,
        };
        text.len().checked_sub(skip + n)
    };
    match start {
        Some(start) if start + n <= text.len() => (
            Utf32Str::Ascii(&text[start..start + n]),
            u32::try_from(start).unwrap_or(0),
        ),
        _ => (Utf32Str::Ascii(&[]), 0),
    }
}

/// The positions of `texts` that `filter` lets through, best first (equal
/// scores in their order): a list filtered as a table is, without columns.
pub fn ranked<'a>(
    filter: &str,
    texts: impl Iterator<Item = &'a str>,
    matcher: &Matcher,
) -> Vec<usize> {
    let query = Query::parse(filter, &[]);
    let s = &mut *matcher.lock();
    let mut keyed: Vec<(std::cmp::Reverse<u32>, usize)> = texts
        .enumerate()
        .filter_map(|(i, text)| {
            let mut total = 0u32;
            for term in &query.terms {
                total += u32::from(s.score(term, text)?);
            }
            Some((std::cmp::Reverse(total), i))
        })
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::super::row::Cell;
    use super::*;

    /// 30,000 rows of names, statuses and versions in a scattered order.
    fn table() -> (Vec<TableRow>, Hay) {
        let words = [
            "orders",
            "Ledger",
            "db",
            "queue",
            "vpc",
            "Baseline",
            "é-tude",
            "TAINTED",
            "my Queue",
            "xMas",
            "team/web:a1",
            "AB2c",
        ];
        let rows: Vec<TableRow> = (0..30_000usize)
            .map(|i| {
                let a = words[i * 7 % words.len()];
                let b = words[i * 13 % words.len()];
                TableRow::new(
                    format!("pp-{i}"),
                    vec![
                        Cell::new(format!("{a}-{b}-{}", i % 97)),
                        Cell::new(b),
                        Cell::new(format!("v{}.{}", i % 5, i % 3)),
                    ],
                )
            })
            .collect();
        let hay = Hay::of(&rows);
        (rows, hay)
    }

    /// What the filter means, without shortcuts: each term matched on
    /// every cell alone (a `!not` term on none), its best cell, summed.
    fn by_definition(query: &Query, row: &TableRow, s: &mut Scratch) -> Option<u32> {
        let mut total = 0;
        for term in &query.terms {
            let cells: Vec<&str> = match term.column {
                Some(c) => vec![row.text(c)],
                None => row.cells.iter().map(|c| c.text.as_str()).collect(),
            };
            let scores: Vec<Option<u16>> = cells.iter().map(|c| s.score(term, c)).collect();
            let score = match term.atom.negative {
                true => scores.iter().all(Option::is_some).then_some(0),
                false => scores.into_iter().flatten().max(),
            };
            total += u32::from(score?);
        }
        Some(total)
    }

    #[test]
    fn the_shortcuts_rank_as_the_matcher_on_each_cell_does() {
        let (rows, hay) = table();
        let mut s = Scratch::default();
        let all: Vec<usize> = (0..rows.len()).collect();
        for filter in [
            "o", "O", "q", "Q", "m", "zz", "e", "t", "tude", "9", "v4.2", "led !vpc", "^TAIN",
            "'queue", "é", "x", "b q", "!o", "w", "1", "2", "a", "b", "s", "n", "m", "c",
        ] {
            let query = Query::parse(filter, &[]);
            let mut expected: Vec<u64> = all
                .iter()
                .filter_map(|&i| {
                    let score = by_definition(&query, &rows[i], &mut s)?;
                    Some((u64::from(u32::MAX - score) << 32) | i as u64)
                })
                .collect();
            expected.sort_unstable();
            assert_eq!(
                query.keyed(&rows, &hay, &all, 0, true, &mut s),
                expected,
                "{filter:?}"
            );
        }
    }

    #[test]
    fn keys_placed_by_counting_are_the_keys_sorted() {
        let key = |score: u64, row: u64| ((u64::from(u32::MAX) - score) << 32) | row;
        let few: Vec<u64> = (0..5000).map(|i| key(i * 7 % 5 * 3, i)).collect();
        let many: Vec<u64> = (0..5000).map(|i| key(i * 7 % 101, i)).collect();
        let scattered: Vec<u64> = (0..5000).rev().map(|i| key(i % 3, i)).collect();
        for (keys, in_data_order) in [
            (few, true),
            (many, true),
            (scattered, false),
            (vec![], true),
        ] {
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            let mut placed = keys;
            sort_keys(&mut placed, in_data_order);
            assert_eq!(placed, sorted);
        }
    }

    #[test]
    fn scored_in_parts_the_view_is_the_one_thread_view() {
        let (rows, hay) = table();
        let mut s = Scratch::default();
        for filter in [
            "o", "db", "led !vpc", "^ord", "v1$", "'queue", "e", "zz", "TAIN",
        ] {
            let query = Query::parse(filter, &[]);
            // In data order, and in a scattered order (a narrowed view).
            let scattered: Vec<usize> = (0..rows.len()).rev().step_by(2).collect();
            for candidates in [(0..rows.len()).collect::<Vec<_>>(), scattered] {
                for rank in [true, false] {
                    let one = query.keyed(&rows, &hay, &candidates, 0, rank, &mut s);
                    for threads in [2, 3, 4] {
                        let parts =
                            query.keyed_in_parts(&rows, &hay, &candidates, threads, rank, &mut s);
                        assert_eq!(parts, one, "{filter:?} rank {rank} in {threads} parts");
                    }
                }
            }
        }
        assert_eq!(s.spare.len(), 3, "the spare matchers are kept");
    }
}
