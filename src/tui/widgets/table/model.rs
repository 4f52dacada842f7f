//! The state of one table: rows, the cached view (filtered, sorted),
//! selection, scroll and marks.

use std::collections::HashSet;

use super::hay::Hay;
use super::layout::title_width;
use super::matching::Matcher;
use super::prepared::{same_titles, view_of};
use super::query::Query;
use super::row::{Column, SortKey, TableRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Ascending,
    Descending,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: usize,
    pub order: Order,
}

/// Where the selection goes when its row leaves the view.
#[derive(Clone, Copy)]
pub(super) enum Fallback {
    /// The first row (a new filter: the best match is on top).
    Top,
    /// The same position (a refresh removed the row: its neighbour).
    Clamp,
}

/// The state of one table: rows, view, selection, scroll and marks.
#[derive(Debug, Clone)]
pub struct TableModel {
    pub(super) columns: Vec<Column>,
    pub(super) rows: Vec<TableRow>,
    /// What the filter searches.
    pub(super) hay: Hay,
    /// The widest cell of each column (titles included), in characters.
    pub(super) content_widths: Vec<u16>,
    pub(super) filter: String,
    pub(super) query: Query,
    pub(super) sort: Option<Sort>,
    /// Indices into `rows`: filtered, then sorted.
    pub(super) view: Vec<usize>,
    /// A position in `view`.
    pub(super) selected: usize,
    pub(super) offset: usize,
    /// Rows that fit on screen at the last draw.
    pub(super) height: usize,
    pub(super) marks: HashSet<String>,
    pub(super) recomputes: u64,
    /// The filter's matcher, kept from key to key (and frame to frame, for
    /// the highlights).
    pub(super) matcher: Matcher,
}

impl TableModel {
    pub fn new(columns: Vec<Column>) -> Self {
        let content_widths = columns.iter().map(title_width).collect();
        Self {
            columns,
            rows: Vec::new(),
            hay: Hay::default(),
            content_widths,
            filter: String::new(),
            query: Query::default(),
            sort: None,
            view: Vec::new(),
            selected: 0,
            offset: 0,
            height: 0,
            marks: HashSet::new(),
            recomputes: 0,
            matcher: Matcher::default(),
        }
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Replaces the columns when their titles differ (a screen that gains
    /// or loses one, e.g. Account in a fleet); the sort is dropped then,
    /// since its column may have moved. The rows must be set again.
    pub fn set_columns(&mut self, columns: Vec<Column>) {
        if same_titles(&self.columns, &columns) {
            return;
        }
        self.content_widths = columns.iter().map(title_width).collect();
        self.columns = columns;
        self.sort = None;
    }

    /// Replaces the rows (new data). The selection stays on the same key if
    /// it is still there, else on the same position; marks of rows that are
    /// gone are dropped. (Rows built off the input path come in through
    /// [`TableModel::install`].)
    pub fn set_rows(&mut self, rows: Vec<TableRow>) {
        let prepared = self.spec().prepare(rows);
        drop(self.install(prepared));
    }

    /// Every row, in data order.
    pub fn rows(&self) -> &[TableRow] {
        &self.rows
    }

    /// How many rows there are, before the filter.
    pub fn total(&self) -> usize {
        self.rows.len()
    }

    /// How many rows the filter lets through.
    pub fn len(&self) -> usize {
        self.view.len()
    }

    pub fn is_empty(&self) -> bool {
        self.view.is_empty()
    }

    /// The row at `position` of the view.
    pub fn row_at(&self, position: usize) -> Option<&TableRow> {
        self.view.get(position).map(|&i| &self.rows[i])
    }

    /// The view as CSV: the column titles, then every row the filter lets
    /// through, in view order.
    pub fn to_csv(&self) -> String {
        let titles: Vec<&str> = self.columns.iter().map(|c| c.title).collect();
        let mut out = crate::csv::line(&titles);
        for row in self.visible_rows() {
            let cells: Vec<&str> = row.cells.iter().map(|c| c.text.as_str()).collect();
            out.push_str(&crate::csv::line(&cells));
        }
        out
    }

    /// The keys of the rows of the view, in view order.
    pub fn visible_keys(&self) -> Vec<&str> {
        self.view
            .iter()
            .map(|&i| self.rows[i].key.as_str())
            .collect()
    }

    /// The rows of the view, in view order.
    pub fn visible_rows(&self) -> impl Iterator<Item = &TableRow> + '_ {
        self.view.iter().map(|&i| &self.rows[i])
    }

    /// How many times the view was recomputed (for tests and benchmarks).
    pub fn recomputes(&self) -> u64 {
        self.recomputes
    }

    pub(super) fn recompute(&mut self, keep: Option<String>, fallback: Fallback) {
        self.recomputes += 1;
        let mut view = std::mem::take(&mut self.view);
        let spec = self.spec();
        view_of(
            &spec,
            &self.rows,
            &self.hay,
            &mut view,
            &mut self.matcher.lock(),
        );
        self.view = view;
        self.reselect(keep, fallback);
    }

    pub(super) fn reselect(&mut self, keep: Option<String>, fallback: Fallback) {
        let found = keep.and_then(|k| self.view.iter().position(|&i| self.rows[i].key == k));
        self.selected = match (found, fallback) {
            (Some(position), _) => position,
            (None, Fallback::Top) => 0,
            (None, Fallback::Clamp) => self.selected.min(self.view.len().saturating_sub(1)),
        };
        self.ensure_visible();
    }

    // --- filter ---

    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// What is wrong with the filter typed, if anything (a column that
    /// does not exist), for the screen to say.
    pub fn filter_problem(&self) -> Option<String> {
        super::query::problem(&self.filter, &self.columns)
    }

    /// Filters as the user types. See the module docs for the syntax.
    pub fn set_filter(&mut self, text: &str) {
        if text == self.filter {
            return;
        }
        let query = Query::parse(text, &self.columns);
        self.filter = text.to_string();
        if query == self.query {
            return;
        }
        if query.narrows(&self.query) {
            // Typing on: filter what is shown (ranked again, or kept in
            // the order of the sort chosen). The rows are the same: the
            // selected row is found again by its place in them.
            self.recomputes += 1;
            let keep = self.view.get(self.selected).copied();
            let shown = std::mem::take(&mut self.view);
            let rank = self.sort.is_none() && query.ranks();
            let mut view = Vec::with_capacity(shown.len());
            query.select(
                &self.rows,
                &self.hay,
                shown.into_iter(),
                rank,
                &mut view,
                &mut self.matcher.lock(),
            );
            self.view = view;
            self.query = query;
            self.selected = keep
                .and_then(|row| self.view.iter().position(|&i| i == row))
                .unwrap_or(0);
            self.ensure_visible();
        } else {
            let keep = self.selected_key().map(str::to_string);
            self.query = query;
            self.recompute(keep, Fallback::Top);
        }
    }

    pub fn clear_filter(&mut self) {
        self.set_filter("");
    }

    // --- sort ---

    pub fn sort(&self) -> Option<Sort> {
        self.sort
    }

    /// Sorts by `column` (if sortable) in `order`; `None` for data order.
    pub fn sort_by(&mut self, sort: Option<Sort>) {
        let sort = sort.filter(|s| {
            self.columns
                .get(s.column)
                .is_some_and(|c| c.sort != SortKey::Unsorted)
        });
        if sort == self.sort {
            return;
        }
        self.sort = sort;
        let keep = self.selected_key().map(str::to_string);
        self.recompute(keep, Fallback::Clamp);
    }

    /// The next sortable column, ascending; after the last, data order.
    pub fn cycle_sort(&mut self) {
        let start = self.sort.map_or(0, |s| s.column + 1);
        let next = (start..self.columns.len()).find(|&i| self.columns[i].sort != SortKey::Unsorted);
        self.sort_by(next.map(|column| Sort {
            column,
            order: Order::Ascending,
        }));
    }

    /// Flips the order; unsorted, sorts by the first sortable column descending.
    pub fn reverse_sort(&mut self) {
        let next = match self.sort {
            Some(s) => Some(Sort {
                column: s.column,
                order: match s.order {
                    Order::Ascending => Order::Descending,
                    Order::Descending => Order::Ascending,
                },
            }),
            None => (0..self.columns.len())
                .find(|&i| self.columns[i].sort != SortKey::Unsorted)
                .map(|column| Sort {
                    column,
                    order: Order::Descending,
                }),
        };
        self.sort_by(next);
    }

    // --- selection and scrolling ---

    /// The selected position in the view.
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_row(&self) -> Option<&TableRow> {
        self.row_at(self.selected)
    }

    pub fn selected_key(&self) -> Option<&str> {
        self.selected_row().map(|r| r.key.as_str())
    }

    /// Selects the row with this key if the view shows it.
    pub fn select_key(&mut self, key: &str) -> bool {
        match self.view.iter().position(|&i| self.rows[i].key == key) {
            Some(position) => {
                self.selected = position;
                self.ensure_visible();
                true
            }
            None => false,
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.view.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.ensure_visible();
    }

    pub fn top(&mut self) {
        self.selected = 0;
        self.ensure_visible();
    }

    pub fn bottom(&mut self) {
        self.selected = self.view.len().saturating_sub(1);
        self.ensure_visible();
    }

    pub fn page_down(&mut self) {
        self.move_by(self.height.max(1) as isize);
    }

    pub fn page_up(&mut self) {
        self.move_by(-(self.height.max(1) as isize));
    }

    /// The first row shown.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Rows that fit on screen at the last draw.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Tells the model how many rows the screen shows (after a draw).
    pub fn set_height(&mut self, height: usize) {
        self.height = height;
        self.ensure_visible();
    }

    fn ensure_visible(&mut self) {
        self.offset = window_offset(self.offset, self.selected, self.height, self.view.len());
    }

    /// The rows to draw in `height` lines: the first position and how many.
    pub fn window(&self, height: usize) -> (usize, usize) {
        let offset = window_offset(self.offset, self.selected, height, self.view.len());
        (
            offset,
            height.min(self.view.len() - offset.min(self.view.len())),
        )
    }

    // --- marks ---

    /// Marks or unmarks the selected row, then moves to the next.
    pub fn toggle_mark(&mut self) {
        let Some(key) = self.selected_key().map(str::to_string) else {
            return;
        };
        if !self.marks.remove(&key) {
            self.marks.insert(key);
        }
        self.move_by(1);
    }

    /// Marks every row the filter lets through.
    pub fn mark_all_visible(&mut self) {
        for &i in &self.view {
            self.marks.insert(self.rows[i].key.clone());
        }
    }

    pub fn clear_marks(&mut self) {
        self.marks.clear();
    }

    pub fn is_marked(&self, key: &str) -> bool {
        self.marks.contains(key)
    }

    pub fn mark_count(&self) -> usize {
        self.marks.len()
    }

    /// The keys of the marked rows, in data order.
    pub fn marked_keys(&self) -> Vec<&str> {
        self.rows
            .iter()
            .filter(|r| self.marks.contains(&r.key))
            .map(|r| r.key.as_str())
            .collect()
    }
}

pub(super) fn window_offset(offset: usize, selected: usize, height: usize, len: usize) -> usize {
    if height == 0 {
        return offset.min(len.saturating_sub(1));
    }
    let mut offset = offset;
    if selected < offset {
        offset = selected;
    } else if selected >= offset + height {
        offset = selected + 1 - height;
    }
    offset.min(len.saturating_sub(height))
}
