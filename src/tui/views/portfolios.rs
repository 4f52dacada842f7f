//! The portfolios of the current profile as a table. Only the visible rows
//! are built, so a long list costs what the screen shows.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};

use crate::tui::app::State;
use crate::tui::theme;

/// The first row shown; kept between frames so the view scrolls smoothly.
#[derive(Debug, Default, Clone)]
pub struct TableView {
    pub offset: usize,
    /// Rows that fit on screen at the last draw (what a page key moves).
    pub height: usize,
}

impl TableView {
    /// Moves the window so `selected` is visible in `height` rows.
    pub fn scroll_to(&mut self, selected: usize, height: usize, len: usize) {
        if height == 0 {
            return;
        }
        if selected < self.offset {
            self.offset = selected;
        } else if selected >= self.offset + height {
            self.offset = selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, view: &mut TableView) {
    let title = format!(" Portfolios ({}) ", state.portfolios.len());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()));
    let inner = block.inner(area);
    // One line for the column header.
    view.height = inner.height.saturating_sub(1) as usize;

    if state.portfolios.is_empty() {
        frame.render_widget(block, area);
        if !state.is_busy()
            && state.connection.is_some()
            && state.status.kind != crate::tui::app::StatusKind::Error
        {
            let region = state.region.as_deref().unwrap_or("this region");
            let text = format!("No portfolios for profile {} in {region}.", state.profile);
            let y = inner.y + inner.height / 2;
            let line_area = Rect {
                y,
                height: 1,
                ..inner
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme::label())).alignment(Alignment::Center),
                line_area,
            );
        }
        return;
    }

    let height = view.height;
    let len = state.portfolios.len();
    view.scroll_to(state.selected, height, len);
    let end = (view.offset + height).min(len);
    let visible = &state.portfolios[view.offset..end];

    let origins: Vec<String> = visible.iter().map(|p| p.origin.describe()).collect();
    let id_width = visible.iter().map(|p| p.id.len()).max().unwrap_or(0).max(2);
    let origin_width = origins
        .iter()
        .map(|o| o.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);

    let rows = visible.iter().zip(origins).map(|(p, origin)| {
        let origin_style = if p.origin.is_local() {
            theme::label()
        } else {
            theme::imported()
        };
        Row::new(vec![
            Line::raw(p.name.clone()),
            Line::raw(p.id.clone()),
            Line::styled(origin, origin_style),
            Line::raw(p.provider.clone().unwrap_or_default()),
        ])
    });
    let header = Row::new(["Name", "Id", "Origin", "Provider"]).style(theme::table_header());
    let table = Table::new(
        rows,
        [
            Constraint::Fill(2),
            Constraint::Length(id_width as u16),
            Constraint::Length(origin_width as u16),
            Constraint::Fill(1),
        ],
    )
    .header(header)
    .block(block)
    .row_highlight_style(theme::selected_row())
    .highlight_symbol("› ");
    let mut table_state = TableState::default().with_selected(Some(state.selected - view.offset));
    frame.render_stateful_widget(table, area, &mut table_state);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_follows_the_selection() {
        let mut view = TableView::default();
        view.scroll_to(0, 5, 100);
        assert_eq!(view.offset, 0);
        view.scroll_to(7, 5, 100);
        assert_eq!(view.offset, 3);
        view.scroll_to(5, 5, 100);
        assert_eq!(view.offset, 3);
        view.scroll_to(1, 5, 100);
        assert_eq!(view.offset, 1);
        view.scroll_to(99, 5, 100);
        assert_eq!(view.offset, 95);
        view.scroll_to(2, 5, 3);
        assert_eq!(view.offset, 0);
    }
}
