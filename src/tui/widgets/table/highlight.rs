//! The characters a filter matched, shown in the cells drawn: the
//! matcher's positions are in the cell's text; what is drawn may be cut
//! (its end, or an id's middle, for an ellipsis) and has its control
//! characters stood in for, so each drawn character is traced back to
//! its place in the text before it is styled.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::tui::widgets::text::printable;

/// `drawn` (what is drawn of `text`) as spans in `base`, the characters
/// at `matched` (character positions in `text`, sorted) patched with
/// `hit`. A drawn character that is none of the text's (the ellipsis of
/// a cut) is never highlighted; nothing here can panic on any input.
pub(super) fn spans(
    text: &str,
    drawn: String,
    matched: &[u32],
    base: Style,
    hit: Style,
) -> Line<'static> {
    if matched.is_empty() {
        return Line::from(Span::styled(drawn, base));
    }
    // `printable` stands in for characters one for one: its positions
    // are the text's.
    let shown = printable(text);
    let source: Vec<char> = shown.chars().collect();
    let out: Vec<char> = drawn.chars().collect();
    let head = source.iter().zip(&out).take_while(|(a, b)| a == b).count();
    let room = source.len().min(out.len()) - head;
    let tail = source
        .iter()
        .rev()
        .zip(out.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let origin = |k: usize| -> Option<usize> {
        if k < head {
            Some(k)
        } else if k >= out.len() - tail {
            Some(source.len() - (out.len() - k))
        } else {
            None
        }
    };
    let is_hit = |k: usize| {
        origin(k).is_some_and(|i| u32::try_from(i).is_ok_and(|i| matched.binary_search(&i).is_ok()))
    };
    let mut parts: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    for (k, c) in out.iter().enumerate() {
        let h = is_hit(k);
        if h != run_hit && !run.is_empty() {
            let style = if run_hit { base.patch(hit) } else { base };
            parts.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_hit = h;
        run.push(*c);
    }
    if !run.is_empty() {
        let style = if run_hit { base.patch(hit) } else { base };
        parts.push(Span::styled(run, style));
    }
    Line::from(parts)
}
