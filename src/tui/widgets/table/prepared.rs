//! Rows made ready for a table away from it: everything a table computes
//! of new rows (their search text, the widest cell of each column, the
//! filtered and sorted view) computed from a [`Spec`] of the table, so
//! that a screen of 100,000 rows can be built off the input path and
//! installed in one move ([`TableModel::install`]).

use std::cmp::Ordering;

use super::hay::Hay;
use super::layout::title_width;
use super::matching::Scratch;
use super::model::{Order, Sort, TableModel};
use super::query::{Query, natural_cmp};
use super::row::{Column, SortKey, TableRow};

/// What rows are prepared for: a table's columns, filter and sort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub(super) columns: Vec<Column>,
    pub(super) filter: String,
    pub(super) query: Query,
    pub(super) sort: Option<Sort>,
}

/// Rows with what a table computes of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub(super) spec: Spec,
    pub(super) rows: Vec<TableRow>,
    pub(super) hay: Hay,
    pub(super) content_widths: Vec<u16>,
    pub(super) view: Vec<usize>,
}

/// Rows a table let go of, for whoever holds them to drop (dropping
/// 100,000 rows costs as much as building them: not on the input path).
#[derive(Debug, Default)]
pub struct Discarded {
    pub rows: Vec<TableRow>,
    pub hay: Hay,
    pub view: Vec<usize>,
}

impl Spec {
    /// The same table with other columns (a screen that gains or loses
    /// one): the sort is dropped if the titles differ, as
    /// [`TableModel::set_columns`] does.
    pub fn with_columns(mut self, columns: Vec<Column>) -> Spec {
        if !same_titles(&self.columns, &columns) {
            self.sort = None;
            self.query = Query::parse(&self.filter, &columns);
        }
        self.columns = columns;
        self
    }

    /// Computes what the table would of `rows`.
    pub fn prepare(self, rows: Vec<TableRow>) -> Prepared {
        let content_widths = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let widest = rows
                    .iter()
                    .map(|r| r.text(i).chars().count())
                    .max()
                    .unwrap_or(0);
                title_width(c).max(widest.min(u16::MAX as usize) as u16)
            })
            .collect();
        let hay = Hay::of(&rows);
        let mut view = Vec::with_capacity(rows.len());
        view_of(&self, &rows, &hay, &mut view, &mut Scratch::default());
        Prepared {
            spec: self,
            rows,
            hay,
            content_widths,
            view,
        }
    }
}

impl Prepared {
    /// How many rows were prepared.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

pub(super) fn same_titles(a: &[Column], b: &[Column]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.title == b.title)
}

/// The indices of `rows` the spec's filter lets through, in its order:
/// sorted by the sort chosen, else best match first.
pub(super) fn view_of(
    spec: &Spec,
    rows: &[TableRow],
    hay: &Hay,
    view: &mut Vec<usize>,
    s: &mut Scratch,
) {
    view.clear();
    if spec.query.is_empty() {
        view.extend(0..rows.len());
    } else {
        let rank = spec.sort.is_none() && spec.query.ranks();
        spec.query.select(rows, hay, 0..rows.len(), rank, view, s);
    }
    if let Some(sort) = spec.sort {
        let key = spec.columns[sort.column].sort;
        let column = sort.column;
        // Stable: rows that compare equal keep their data order.
        view.sort_by(|&a, &b| {
            let order = compare(&rows[a], &rows[b], column, key);
            match sort.order {
                Order::Ascending => order,
                Order::Descending => order.reverse(),
            }
        });
    }
}

fn compare(a: &TableRow, b: &TableRow, column: usize, key: SortKey) -> Ordering {
    let (x, y) = (a.cells.get(column), b.cells.get(column));
    let text = || natural_cmp(a.text(column), b.text(column));
    match key {
        SortKey::Value => x
            .and_then(|c| c.value)
            .cmp(&y.and_then(|c| c.value))
            .then_with(text),
        SortKey::Text | SortKey::Unsorted => text(),
    }
}

impl TableModel {
    /// What rows for this table are prepared for.
    pub fn spec(&self) -> Spec {
        Spec {
            columns: self.columns.clone(),
            filter: self.filter.clone(),
            query: self.query.clone(),
            sort: self.sort,
        }
    }

    /// Takes prepared rows (new data), as [`TableModel::set_rows`] does:
    /// the selection stays on its key (else its position), marks of rows
    /// gone are dropped; the view is taken as prepared unless the filter
    /// or the sort changed since (then computed again). Gives back the
    /// rows replaced.
    pub fn install(&mut self, prepared: Prepared) -> Discarded {
        let keep = self.selected_key().map(str::to_string);
        let Prepared {
            spec,
            rows,
            hay,
            content_widths,
            mut view,
        } = prepared;
        self.set_columns(spec.columns.clone());
        let current = self.columns.len() == content_widths.len()
            && self.query == spec.query
            && self.sort == spec.sort;
        self.content_widths = content_widths;
        let old_rows = std::mem::replace(&mut self.rows, rows);
        let old_hay = std::mem::replace(&mut self.hay, hay);
        if !self.marks.is_empty() {
            let present: std::collections::HashSet<&str> =
                self.rows.iter().map(|r| r.key.as_str()).collect();
            self.marks.retain(|k| present.contains(k.as_str()));
        }
        if current {
            std::mem::swap(&mut self.view, &mut view);
            self.recomputes += 1;
            self.reselect(keep, super::model::Fallback::Clamp);
        } else {
            view = std::mem::take(&mut self.view);
            self.recompute(keep, super::model::Fallback::Clamp);
        }
        Discarded {
            rows: old_rows,
            hay: old_hay,
            view,
        }
    }
}
