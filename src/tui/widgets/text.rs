//! Text from outside (AWS, the user, a template) made safe and measured
//! for the terminal.
//!
//! [`printable`] keeps control characters and escape sequences away from
//! the terminal: each is shown as a visible stand-in instead. The other
//! helpers count in terminal cells, grapheme by grapheme, exactly as
//! ratatui's buffer does, so that wide characters (CJK, emoji), combining
//! marks and zero-width joiners line up.

use std::borrow::Cow;

use ratatui::buffer::CellWidth;
use ratatui::style::Style;
use ratatui::text::Span;

/// "s" unless `n` is one: `format!("{n} poll{}", plural(n))`.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// What stands in for a character that must not reach the terminal, if any.
fn stand_in(c: char) -> Option<char> {
    match c {
        // C0 controls: their Control Pictures (ESC → ␛, newline → ␊ …).
        '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32),
        '\u{7f}' => Some('␡'),
        // C1 controls (CSI, NEL …), line and paragraph separators, and the
        // bidirectional overrides and isolates that reorder what follows.
        '\u{80}'..='\u{9f}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => Some('?'),
        _ => None,
    }
}

/// `text` with every control character (ESC, newline, CSI …) and every
/// bidirectional override replaced by a visible stand-in: `\u{1b}` → `␛`,
/// `\n` → `␊`, the others `?`. Borrows when there is nothing to replace.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| stand_in(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| stand_in(c).unwrap_or(c)).collect())
}

/// The last line of defence, run on every frame before it is written:
/// a cell whose symbol still holds a character that must not reach the
/// terminal (one a widget passed on without [`printable`], riding as a
/// zero-width mark on the cell before) loses it; a cell of nothing else
/// shows its stand-in. Cells of plain text are only looked at.
pub fn scrub(buffer: &mut ratatui::buffer::Buffer) {
    for cell in buffer.content.iter_mut() {
        let symbol = cell.symbol();
        if !symbol.chars().any(|c| stand_in(c).is_some()) {
            continue;
        }
        let kept: String = symbol.chars().filter(|c| stand_in(*c).is_none()).collect();
        if kept.is_empty() {
            let first = symbol.chars().next().and_then(stand_in).unwrap_or('?');
            cell.set_char(first);
        } else {
            cell.set_symbol(&kept);
        }
    }
}

/// The grapheme clusters of `text` (what a user sees as one character), as
/// ratatui segments them; each control character is a grapheme of its own.
pub fn graphemes(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let plain = rest.find(|c| stand_in(c).is_some()).unwrap_or(rest.len());
        let (run, tail) = rest.split_at(plain);
        if !run.is_empty() {
            // The run has no control character, so ratatui drops none of it.
            let span = Span::raw(run);
            let mut at = 0;
            for g in span.styled_graphemes(Style::default()) {
                out.push(&run[at..at + g.symbol.len()]);
                at += g.symbol.len();
            }
            debug_assert_eq!(at, run.len());
        }
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            out.push(&tail[..c.len_utf8()]);
        }
        rest = chars.as_str();
    }
    out
}

/// How many cells one grapheme takes once printable (0 for a lone
/// combining mark or a zero-width space, 2 for a wide character).
pub fn grapheme_width(grapheme: &str) -> usize {
    let shown = printable(grapheme);
    if shown.is_empty() {
        0
    } else {
        shown.as_ref().cell_width() as usize
    }
}

/// How many cells `text` takes once printable.
pub fn width(text: &str) -> usize {
    graphemes(text).into_iter().map(grapheme_width).sum()
}

/// `text`, printable, cut to at most `max` cells; a cut ends with `…`.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    // Plain ASCII is one cell a byte: cut it without segmenting it.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return match (text.len() <= max, max) {
            (true, _) => Cow::Borrowed(text),
            (false, 0) => Cow::Borrowed(""),
            (false, _) => Cow::Owned(format!("{}…", &text[..max - 1])),
        };
    }
    // A long text is cut from a prefix wide enough to be cut anyway (a
    // status line of a thousand accounts is not segmented to show 100
    // cells): at least two cells past `max`, so the grapheme that the
    // prefix may have split is not among those kept.
    let budget = max.saturating_mul(4).saturating_add(16);
    if let Some((end, _)) = text.char_indices().nth(budget) {
        let prefix = &text[..end];
        if width(&printable(prefix)) >= max.saturating_add(2) {
            return Cow::Owned(truncate(prefix, max).into_owned());
        }
    }
    let shown = printable(text);
    if width(&shown) <= max {
        return shown;
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for g in graphemes(&shown) {
        let w = grapheme_width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// `text`, printable, in at most `max` cells by cutting out its middle
/// (`pp-yuj…o2a7j`): for ids, whose both ends tell them apart.
pub fn shorten_middle(text: &str, max: usize) -> String {
    let shown = printable(text);
    if width(&shown) <= max {
        return shown.into_owned();
    }
    if max < 5 {
        return truncate(&shown, max).into_owned();
    }
    let all = graphemes(&shown);
    let keep = max - 1;
    let (head, tail) = (keep - keep / 2, keep / 2);
    let mut out = String::new();
    let mut used = 0;
    for g in &all {
        if used + grapheme_width(g) > head {
            break;
        }
        out.push_str(g);
        used += grapheme_width(g);
    }
    out.push('…');
    let mut end = Vec::new();
    let mut used = 0;
    for g in all.iter().rev() {
        if used + grapheme_width(g) > tail {
            break;
        }
        end.push(*g);
        used += grapheme_width(g);
    }
    out.extend(end.into_iter().rev());
    out
}

/// `text` followed by spaces up to `cells` cells (as is when wider).
pub fn pad(text: &str, cells: usize) -> String {
    let mut out = text.to_string();
    for _ in width(text)..cells {
        out.push(' ');
    }
    out
}

/// `text`, printable, word-wrapped to lines of at most `max` cells (at
/// least one cell); a word longer than a line is cut between graphemes.
/// Whitespace (newlines included) separates words.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_whitespace() {
        let word = printable(word);
        let w = width(&word);
        if used > 0 && used + 1 + w <= max {
            line.push(' ');
            line.push_str(&word);
            used += 1 + w;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
        }
        // Start a line with the word, cutting it while it is too long.
        let mut pieces = break_word(&word, max);
        line = pieces.pop().unwrap_or_default();
        used = width(&line);
        lines.extend(pieces);
    }
    if used > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A line of styled pieces cut to `max` cells: a piece that does not fit
/// ends in an ellipsis and the rest is left out.
pub fn truncate_spans(
    spans: Vec<ratatui::text::Span<'_>>,
    max: usize,
) -> Vec<ratatui::text::Span<'static>> {
    let mut out = Vec::new();
    let mut used = 0;
    for span in spans {
        let w = width(&span.content);
        if used + w <= max {
            used += w;
            out.push(ratatui::text::Span::styled(
                span.content.into_owned(),
                span.style,
            ));
            continue;
        }
        let room = max.saturating_sub(used);
        if room > 0 {
            out.push(ratatui::text::Span::styled(
                truncate(&span.content, room).into_owned(),
                span.style,
            ));
        }
        break;
    }
    out
}

/// A word too long for a line of `max` cells, in pieces that fit: cut
/// after a `:` or a `/` where there is one (an ARN breaks between its
/// parts, not mid-token), else where the line is full. The last piece may
/// be short; a word that fits is one piece.
pub fn break_word(word: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let gs = graphemes(word);
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < gs.len() {
        let mut fit = start;
        let mut room = 0;
        while fit < gs.len() && room + grapheme_width(gs[fit]) <= max {
            room += grapheme_width(gs[fit]);
            fit += 1;
        }
        if fit == start {
            fit = start + 1;
        }
        let end = if fit == gs.len() {
            fit
        } else {
            // Not so early that a line holds a mere `arn:`.
            let earliest = start + (fit - start).div_ceil(3);
            (earliest.max(start + 1)..=fit)
                .rev()
                .find(|&i| matches!(gs[i - 1], ":" | "/"))
                .unwrap_or(fit)
        };
        pieces.push(gs[start..end].concat());
        start = end;
    }
    if pieces.is_empty() {
        pieces.push(String::new());
    }
    pieces
}

/// The grapheme boundaries of `value`, 0 and its length included.
fn boundaries(value: &str) -> Vec<usize> {
    let mut at = 0;
    let mut out = vec![0];
    for g in graphemes(value) {
        at += g.len();
        out.push(at);
    }
    out
}

/// The boundary after (or before) `cursor`.
pub fn step_grapheme(value: &str, cursor: usize, forward: bool) -> usize {
    let bounds = boundaries(value);
    if forward {
        bounds
            .into_iter()
            .find(|&b| b > cursor)
            .unwrap_or(value.len())
    } else {
        bounds.into_iter().rev().find(|&b| b < cursor).unwrap_or(0)
    }
}

/// The first boundary at or after `at` (an insertion may join a cluster).
pub fn snap(value: &str, at: usize) -> usize {
    boundaries(value)
        .into_iter()
        .find(|&b| b >= at)
        .unwrap_or(value.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_lose_their_middle_and_keep_both_ends() {
        assert_eq!(shorten_middle("pp-yujrbrvmo2a7j", 16), "pp-yujrbrvmo2a7j");
        assert_eq!(shorten_middle("pp-yujrbrvmo2a7j", 11), "pp-yu…o2a7j");
        assert_eq!(width(&shorten_middle("pp-yujrbrvmo2a7j", 11)), 11);
        assert_eq!(shorten_middle("pp-yujrbrvmo2a7j", 4), "pp-…");
        assert_eq!(shorten_middle("日本語のid-12345", 9), "日本…2345");
    }

    #[test]
    fn control_characters_and_escapes_become_visible() {
        assert!(matches!(
            printable("plain — ünïcödé 日本"),
            Cow::Borrowed(_)
        ));
        assert_eq!(printable("\u{1b}[31mred\u{7}"), "␛[31mred␇");
        assert_eq!(printable("a\nb\r\tc\0"), "a␊b␍␉c␀");
        assert_eq!(printable("x\u{7f}\u{9b}2J"), "x␡?2J");
        assert_eq!(printable("abc\u{202e}fed\u{2066}"), "abc?fed?");
        assert!(!printable("\u{1b}]0;title\u{7}").contains('\u{1b}'));
    }

    #[test]
    fn a_line_of_spans_cut_ends_in_an_ellipsis() {
        use ratatui::text::Span;
        let spans = vec![
            Span::raw("caller "),
            Span::raw("arn:aws:sts::1:role/x"),
            Span::raw(" more"),
        ];
        let cut = truncate_spans(spans.clone(), 14);
        let text: String = cut.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "caller arn:aw…");
        let whole: String = truncate_spans(spans, 100)
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(whole, "caller arn:aws:sts::1:role/x more");
    }

    #[test]
    fn an_arn_wraps_between_its_parts() {
        let arn =
            "arn:aws:servicecatalog:us-east-1:222233334444:stack/SC-222233334444-pp-abcdef/1234";
        let lines = wrap(arn, 40);
        assert_eq!(lines.concat(), arn, "nothing lost");
        assert!(lines.iter().all(|l| width(l) <= 40), "{lines:?}");
        for line in &lines[..lines.len() - 1] {
            assert!(line.ends_with([':', '/']), "{lines:?}");
        }
        // A word without a break point is cut where the line is full.
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        // Words before it stay on their line.
        assert_eq!(
            wrap("ARN arn:aws:iam::1:role/x", 12),
            ["ARN", "arn:aws:iam:", ":1:role/x"]
        );
    }

    #[test]
    fn graphemes_keep_clusters_together_and_controls_apart() {
        assert_eq!(graphemes("e\u{301}x"), ["e\u{301}", "x"]);
        assert_eq!(graphemes("👩‍💻!"), ["👩‍💻", "!"]);
        assert_eq!(graphemes("a\u{1b}[b\n"), ["a", "\u{1b}", "[", "b", "\n"]);
        assert_eq!(graphemes("\r\n"), ["\r", "\n"]);
        assert!(graphemes("").is_empty());
    }

    #[test]
    fn widths_count_cells() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("日本"), 4);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("👩‍💻"), 2);
        assert_eq!(width("\u{1b}"), 1);
        assert_eq!(grapheme_width("\u{301}"), 0);
    }

    #[test]
    fn a_long_text_is_cut_as_if_segmented_whole() {
        // The cut from a prefix equals the cut of the whole, for texts
        // far longer than the room (ASCII, wide, combining, emoji).
        let whole = |text: &str, max: usize| {
            let shown = printable(text);
            let mut out = String::new();
            let mut used = 0;
            for g in graphemes(&shown) {
                let w = grapheme_width(g);
                if used + w > max - 1 {
                    break;
                }
                out.push_str(g);
                used += w;
            }
            out.push('…');
            out
        };
        let pieces = ["spoke-0001 5 · ", "日本", "e\u{301}", "👩‍💻", "\u{1b}", "x"];
        for n in [1usize, 3, 40, 900] {
            let text: String = pieces.iter().cycle().take(n * 6).copied().collect();
            for max in [1usize, 2, 5, 20, 100] {
                if width(&printable(&text)) > max {
                    assert_eq!(truncate(&text, max), whole(&text, max), "{n} {max}");
                }
            }
        }
    }

    #[test]
    fn truncate_pad_and_wrap_by_cells() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("日本語テキスト", 7), "日本語…");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("\u{1b}[2J", 4), "␛[2J");
        assert_eq!(pad("日本", 6), "日本  ");
        assert_eq!(pad("toolong", 3), "toolong");
        assert_eq!(
            wrap("The name of the\nstack to create", 12),
            ["The name of", "the stack to", "create"]
        );
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap("日本語", 3), ["日", "本", "語"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("x", 0), ["x"]);
    }
}
