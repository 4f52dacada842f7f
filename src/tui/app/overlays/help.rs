//! `?`: the keys, filtered by what is typed, scrolled by the arrows.

use crossterm::event::KeyEvent;

use crate::tui::keymap::{Action, Keymap, Typed};
use crate::tui::views;

/// The help overlay: what is typed filters it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Help {
    filter: String,
    offset: usize,
    /// Lines that fit at the last draw.
    height: usize,
}

impl Help {
    /// What is typed: only the keys that match are listed.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The first line shown.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Opened: unfiltered, from the top.
    pub(in crate::tui::app) fn open(&mut self) {
        self.filter.clear();
        self.offset = 0;
    }

    pub(in crate::tui::app) fn set_height(&mut self, height: usize) {
        self.height = height;
    }

    /// A key while the help is in front; false when it closes.
    pub(in crate::tui::app) fn key(&mut self, key: KeyEvent, keymap: &Keymap) -> bool {
        let page = self.height.max(1) as isize;
        match keymap.typed(&key) {
            Typed::Do(Action::Cancel) if !self.filter.is_empty() => self.open(),
            Typed::Do(Action::Cancel | Action::Enter) => return false,
            Typed::Do(Action::DeleteBack) => {
                self.filter.pop();
                self.offset = 0;
            }
            Typed::Do(Action::ClearLine) => self.open(),
            Typed::Do(Action::LineDown) => self.scroll(1, keymap),
            Typed::Do(Action::LineUp) => self.scroll(-1, keymap),
            Typed::Do(Action::ListPageDown) => self.scroll(page, keymap),
            Typed::Do(Action::ListPageUp) => self.scroll(-page, keymap),
            Typed::Do(Action::LineStart) => self.offset = 0,
            Typed::Do(Action::LineEnd) => self.scroll(isize::MAX / 2, keymap),
            Typed::Char(_)
                if self.filter.is_empty() && keymap.action(&key) == Some(Action::Help) =>
            {
                return false;
            }
            Typed::Char(c) => {
                self.filter.push(c);
                self.offset = 0;
            }
            _ => {}
        }
        true
    }

    /// Scrolls by `delta` lines, within the lines there are.
    pub(in crate::tui::app) fn scroll(&mut self, delta: isize, keymap: &Keymap) {
        let lines = views::help::lines(keymap, &self.filter).len();
        let last = lines.saturating_sub(self.height.max(1));
        self.offset = self.offset.saturating_add_signed(delta).min(last);
    }
}
