//! Flask-SQLAlchemy 3.1's pagination, rule for rule: `q.paginate(..)` runs
//! the query with LIMIT/OFFSET for one page (and a count for the total),
//! and the result answers `pages`, `has_next`, `iter_pages()` and the rest
//! as `flask_sqlalchemy.pagination.Pagination` does. Outside a request, so
//! the page and per_page come from the arguments alone.

use std::fmt;

use crate::error::{Error, Result};
use crate::orm::loading::results::RowSet;
use crate::orm::query::model_query::Query;
use crate::orm::session::Session;
use crate::orm::state::instance::Instance;

/// The page when none is given.
pub const DEFAULT_PAGE: i64 = 1;
/// Items per page when none is given (and the fallback for a bad one with `error_out` off).
pub const DEFAULT_PER_PAGE: i64 = 20;
/// The cap on per_page when none is given.
pub const DEFAULT_MAX_PER_PAGE: i64 = 100;

/// What `paginate(..)` was asked for. `None` means "not given": the default
/// applies (page 1, per_page 20, max_per_page 100). `max_per_page:
/// Some(None)` is Flask-SQLAlchemy's `max_per_page=None`: no cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    pub max_per_page: Option<Option<i64>>,
    /// A bad page or per_page, or an empty page other than the first, is a
    /// `404 Not Found` error; off, bad values fall back to the defaults.
    pub error_out: bool,
    /// Run a count query for `total`; off, `total` is `None` and `pages` 0.
    pub count: bool,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            page: None,
            per_page: None,
            max_per_page: None,
            error_out: true,
            count: true,
        }
    }
}

impl PageRequest {
    /// Page `page` of `per_page` items, everything else as default.
    pub fn new(page: i64, per_page: i64) -> PageRequest {
        PageRequest {
            page: Some(page),
            per_page: Some(per_page),
            ..PageRequest::default()
        }
    }

    /// The cap on per_page this request applies (`None`: no cap).
    pub fn max_per_page(&self) -> Option<i64> {
        self.max_per_page.unwrap_or(Some(DEFAULT_MAX_PER_PAGE))
    }

    /// Flask-SQLAlchemy's `_prepare_page_args` (outside a request): the
    /// defaults, the cap, then the checks, a 404 or a fallback for each.
    pub fn resolve(&self) -> Result<(i64, i64)> {
        let mut page = self.page.unwrap_or(DEFAULT_PAGE);
        let asked = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        let mut per_page = asked;
        if let Some(max) = self.max_per_page() {
            per_page = per_page.min(max);
        }
        if page < 1 {
            if self.error_out {
                return Err(not_found(format!(
                    "page {page} is not a page number (pages start at 1); \
                     with error_out: false it falls back to page 1"
                )));
            }
            page = DEFAULT_PAGE;
        }
        if per_page < 1 {
            if self.error_out {
                let why = if per_page == asked {
                    format!("per_page {per_page} must be at least 1")
                } else {
                    format!(
                        "per_page {asked} capped by max_per_page {} leaves {per_page}, and it must be at least 1",
                        self.max_per_page().unwrap_or_default()
                    )
                };
                return Err(not_found(format!(
                    "{why}; with error_out: false it falls back to {DEFAULT_PER_PAGE}"
                )));
            }
            per_page = DEFAULT_PER_PAGE;
        }
        Ok((page, per_page))
    }
}

/// The rows of one page: objects, or plain rows for a `with_entities` query.
#[derive(Debug, Clone)]
pub enum PageItems {
    Objects(Vec<Instance>),
    Rows(RowSet),
}

impl PageItems {
    pub fn len(&self) -> usize {
        match self {
            PageItems::Objects(v) => v.len(),
            PageItems::Rows(r) => r.rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The objects (none for rows of values).
    pub fn objects(&self) -> &[Instance] {
        match self {
            PageItems::Objects(v) => v,
            PageItems::Rows(_) => &[],
        }
    }
}

/// One page of a query's results, and where it sits among the others.
#[derive(Debug, Clone)]
pub struct Pagination {
    query: Query,
    /// The current page (from 1).
    pub page: i64,
    /// The most items on a page.
    pub per_page: i64,
    /// The cap on per_page it was made with (`None`: no cap).
    pub max_per_page: Option<i64>,
    /// The number of items on every page together; `None` when not counted.
    pub total: Option<i64>,
    /// The items on this page.
    pub items: PageItems,
}

impl Pagination {
    /// The query being paged (without the page's LIMIT and OFFSET).
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// The number of pages: 0 when the total is 0 or was not counted.
    pub fn pages(&self) -> i64 {
        match self.total {
            None | Some(0) => 0,
            Some(total) => {
                let total = u64::try_from(total).unwrap_or(0);
                let per_page = u64::try_from(self.per_page).unwrap_or(1).max(1);
                i64::try_from(total.div_ceil(per_page)).unwrap_or(i64::MAX)
            }
        }
    }

    /// Whether this is not the first page.
    pub fn has_prev(&self) -> bool {
        self.page > 1
    }

    /// Whether this is not the last page (never, when not counted).
    pub fn has_next(&self) -> bool {
        self.page < self.pages()
    }

    /// The previous page's number, if there is one.
    pub fn prev_num(&self) -> Option<i64> {
        self.has_prev().then(|| self.page - 1)
    }

    /// The next page's number, if there is one.
    pub fn next_num(&self) -> Option<i64> {
        self.has_next().then(|| self.page + 1)
    }

    /// The number of the first item on the page, from 1; 0 with no items.
    pub fn first(&self) -> i64 {
        if self.items.is_empty() {
            return 0;
        }
        (self.page - 1)
            .saturating_mul(self.per_page)
            .saturating_add(1)
    }

    /// The number of the last item on the page (inclusive); 0 with no items.
    pub fn last(&self) -> i64 {
        let first = self.first();
        first.max(first.saturating_add(self.items.len() as i64 - 1))
    }

    /// Page numbers for a pagination widget, `None` for a gap; see [`iter_pages`].
    pub fn iter_pages(
        &self,
        left_edge: i64,
        left_current: i64,
        right_current: i64,
        right_edge: i64,
    ) -> Vec<Option<i64>> {
        iter_pages(
            self.page,
            self.pages(),
            left_edge,
            left_current,
            right_current,
            right_edge,
        )
    }

    /// [`Pagination::iter_pages`] with Flask-SQLAlchemy's defaults (2, 2, 4, 2).
    pub fn iter_pages_default(&self) -> Vec<Option<i64>> {
        self.iter_pages(2, 2, 4, 2)
    }

    /// The previous page, queried again (`prev()`: error_out off, so page 1's
    /// previous page is page 1 again). Like Flask-SQLAlchemy it keeps the
    /// total without counting, and (unlike `next`) does not pass
    /// max_per_page on, so the default cap of 100 applies.
    pub fn prev(&self, session: &Session) -> Result<Pagination> {
        self.prev_with(session, false)
    }

    /// `prev(error_out=..)`.
    pub fn prev_with(&self, session: &Session, error_out: bool) -> Result<Pagination> {
        let request = PageRequest {
            page: Some(self.page.saturating_sub(1)),
            per_page: Some(self.per_page),
            max_per_page: None,
            error_out,
            count: false,
        };
        let mut p = session.paginate(&self.query, request)?;
        p.total = self.total;
        Ok(p)
    }

    /// The next page, queried again (`next()`: error_out off, so past the
    /// last page it is an empty page). Keeps the total without counting.
    pub fn next(&self, session: &Session) -> Result<Pagination> {
        self.next_with(session, false)
    }

    /// `next(error_out=..)`.
    pub fn next_with(&self, session: &Session, error_out: bool) -> Result<Pagination> {
        let request = PageRequest {
            page: Some(self.page.saturating_add(1)),
            per_page: Some(self.per_page),
            max_per_page: Some(self.max_per_page),
            error_out,
            count: false,
        };
        let mut p = session.paginate(&self.query, request)?;
        p.total = self.total;
        Ok(p)
    }

    /// A one-line summary: `page 2 of 5 · 20 per page · 97 rows`.
    pub fn footer(&self) -> String {
        match self.total {
            Some(total) => format!(
                "page {} of {} · {} per page · {total} row{}",
                self.page,
                self.pages(),
                self.per_page,
                if total == 1 { "" } else { "s" },
            ),
            None => format!(
                "page {} · {} per page · total not counted",
                self.page, self.per_page
            ),
        }
    }
}

impl fmt::Display for Pagination {
    /// `<Pagination page 2 of 5>` (`<Pagination page 2>` when not counted).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.total {
            Some(_) => write!(f, "<Pagination page {} of {}>", self.page, self.pages()),
            None => write!(f, "<Pagination page {}>", self.page),
        }
    }
}

/// Flask-SQLAlchemy's `iter_pages`: the first `left_edge` pages, the pages
/// from `left_current` before `page` to `right_current` after it (inclusive),
/// the last `right_edge` pages, and `None` where pages are skipped between
/// those runs. Nothing at all when there are no pages.
pub fn iter_pages(
    page: i64,
    pages: i64,
    left_edge: i64,
    left_current: i64,
    right_current: i64,
    right_edge: i64,
) -> Vec<Option<i64>> {
    let mut out = Vec::new();
    let pages_end = pages.saturating_add(1);
    if pages_end == 1 {
        return out;
    }
    let left_end = left_edge.saturating_add(1).min(pages_end);
    out.extend((1..left_end).map(Some));
    if left_end == pages_end {
        return out;
    }
    let mid_start = left_end.max(page.saturating_sub(left_current));
    let mid_end = page
        .saturating_add(right_current)
        .saturating_add(1)
        .min(pages_end);
    if mid_start.saturating_sub(left_end) > 0 {
        out.push(None);
    }
    out.extend((mid_start..mid_end).map(Some));
    if mid_end == pages_end {
        return out;
    }
    let right_start = mid_end.max(pages_end.saturating_sub(right_edge));
    if right_start.saturating_sub(mid_end) > 0 {
        out.push(None);
    }
    out.extend((right_start..pages_end).map(Some));
    out
}

fn not_found(why: String) -> Error {
    Error::NoResult(format!("404 Not Found: {why}"))
}

impl Session {
    /// `q.paginate(..)` / `db.paginate(q, ..)`: the page's items (one
    /// SELECT with LIMIT and OFFSET), then, if asked, the total (one count
    /// with the ORDER BY dropped), as Flask-SQLAlchemy 3.1 does.
    pub fn paginate(&self, query: &Query, request: PageRequest) -> Result<Pagination> {
        let (page, per_page) = request.resolve()?;
        // page >= 1 and per_page >= 1 here. An offset past what a database
        // can take has no rows in any table: the page is empty.
        let offset = u64::try_from(page - 1)
            .ok()
            .and_then(|p| p.checked_mul(u64::try_from(per_page).ok()?))
            .filter(|&o| i64::try_from(o).is_ok());
        let limit = u64::try_from(per_page).unwrap_or(1);
        let items = match offset {
            None if query.returns_rows() => PageItems::Rows(RowSet {
                columns: query.column_names(),
                rows: Vec::new(),
            }),
            None => PageItems::Objects(Vec::new()),
            Some(offset) => {
                let q = query.limited(limit).offset(offset);
                if q.returns_rows() {
                    PageItems::Rows(self.rows(&q)?)
                } else {
                    PageItems::Objects(self.all(&q)?)
                }
            }
        };
        if items.is_empty() && page != 1 && request.error_out {
            let before = (page - 1).saturating_mul(per_page);
            return Err(not_found(format!(
                "page {page} is past the last page: the query has at most {before} \
                 {}, {per_page} per page; with error_out: false it is an empty page",
                if before == 1 { "row" } else { "rows" }
            )));
        }
        let total = if request.count {
            let mut q = query.clone();
            q.order_by.clear();
            Some(self.count(&q)?)
        } else {
            None
        };
        Ok(Pagination {
            query: query.clone(),
            page,
            per_page,
            max_per_page: request.max_per_page(),
            total,
            items,
        })
    }
}

#[cfg(test)]
#[path = "pagination_tests.rs"]
mod tests;
