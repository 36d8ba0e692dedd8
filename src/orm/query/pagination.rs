//! Flask-SQLAlchemy 3.1's pagination, rule for rule: `q.paginate(..)` runs
//! the query with LIMIT/OFFSET for one page (and a count for the total),
//! and the result answers `pages`, `has_next`, `iter_pages()` and the rest
//! as `flask_sqlalchemy.pagination.Pagination` does. Outside a request, so
//! the page and per_page come from the arguments alone.

use std::fmt;

use crate::error::{Error, Result};
use crate::orm::query::model_query::Query;
use crate::orm::query::results::RowSet;
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
mod tests {
    use super::*;

    /// Flask-SQLAlchemy's `iter_pages`, written as the Python reads, to
    /// check the Rust against for many inputs.
    fn reference(page: i64, pages: i64, le: i64, lc: i64, rc: i64, re: i64) -> Vec<Option<i64>> {
        let mut out = Vec::new();
        let pages_end = pages + 1;
        if pages_end == 1 {
            return out;
        }
        let left_end = std::cmp::min(1 + le, pages_end);
        let mut i = 1;
        while i < left_end {
            out.push(Some(i));
            i += 1;
        }
        if left_end == pages_end {
            return out;
        }
        let mid_start = std::cmp::max(left_end, page - lc);
        let mid_end = std::cmp::min(page + rc + 1, pages_end);
        if mid_start - left_end > 0 {
            out.push(None);
        }
        let mut i = mid_start;
        while i < mid_end {
            out.push(Some(i));
            i += 1;
        }
        if mid_end == pages_end {
            return out;
        }
        let right_start = std::cmp::max(mid_end, pages_end - re);
        if right_start - mid_end > 0 {
            out.push(None);
        }
        let mut i = right_start;
        while i < pages_end {
            out.push(Some(i));
            i += 1;
        }
        out
    }

    fn pages(spec: &str) -> Vec<Option<i64>> {
        spec.split(", ")
            .filter(|s| !s.is_empty())
            .map(|s| if s == "None" { None } else { s.parse().ok() })
            .collect()
    }

    #[test]
    fn iter_pages_matches_flask_sqlalchemy_examples() {
        // (pages, page, expected with the defaults 2, 2, 4, 2)
        let cases = [
            // The docstring's example.
            (20, 7, "1, 2, None, 5, 6, 7, 8, 9, 10, 11, None, 19, 20"),
            (20, 10, "1, 2, None, 8, 9, 10, 11, 12, 13, 14, None, 19, 20"),
            (20, 1, "1, 2, 3, 4, 5, None, 19, 20"),
            (20, 2, "1, 2, 3, 4, 5, 6, None, 19, 20"),
            (20, 3, "1, 2, 3, 4, 5, 6, 7, None, 19, 20"),
            (20, 4, "1, 2, 3, 4, 5, 6, 7, 8, None, 19, 20"),
            (20, 5, "1, 2, 3, 4, 5, 6, 7, 8, 9, None, 19, 20"),
            (20, 6, "1, 2, None, 4, 5, 6, 7, 8, 9, 10, None, 19, 20"),
            (20, 14, "1, 2, None, 12, 13, 14, 15, 16, 17, 18, 19, 20"),
            (20, 15, "1, 2, None, 13, 14, 15, 16, 17, 18, 19, 20"),
            (20, 16, "1, 2, None, 14, 15, 16, 17, 18, 19, 20"),
            (20, 20, "1, 2, None, 18, 19, 20"),
            (0, 1, ""),
            (1, 1, "1"),
            (2, 1, "1, 2"),
            (3, 2, "1, 2, 3"),
            (5, 3, "1, 2, 3, 4, 5"),
            (10, 1, "1, 2, 3, 4, 5, None, 9, 10"),
            (10, 10, "1, 2, None, 8, 9, 10"),
            (9, 1, "1, 2, 3, 4, 5, None, 8, 9"),
            (8, 1, "1, 2, 3, 4, 5, None, 7, 8"),
            (7, 1, "1, 2, 3, 4, 5, 6, 7"),
            // A page past the last: the left edge and a gap, nothing more.
            (5, 9, "1, 2, None"),
            (20, 30, "1, 2, None"),
        ];
        for (n, page, expected) in cases {
            assert_eq!(
                iter_pages(page, n, 2, 2, 4, 2),
                pages(expected),
                "pages={n} page={page}"
            );
        }
    }

    #[test]
    fn iter_pages_with_other_edges() {
        let cases = [
            // (pages, page, left_edge, left_current, right_current, right_edge, expected)
            (20, 10, 0, 0, 0, 0, "None, 10, None"),
            (20, 10, 1, 1, 1, 1, "1, None, 9, 10, 11, None, 20"),
            (20, 10, 3, 0, 0, 3, "1, 2, 3, None, 10, None, 18, 19, 20"),
            (20, 1, 0, 0, 0, 0, "1, None"),
            (20, 20, 0, 0, 0, 0, "None, 20"),
            (
                20,
                10,
                5,
                5,
                5,
                5,
                "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20",
            ),
            (
                20,
                10,
                25,
                0,
                0,
                0,
                "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20",
            ),
        ];
        for (n, page, le, lc, rc, re, expected) in cases {
            assert_eq!(
                iter_pages(page, n, le, lc, rc, re),
                pages(expected),
                "pages={n} page={page} edges={le},{lc},{rc},{re}"
            );
        }
    }

    #[test]
    fn iter_pages_agrees_with_the_reference_everywhere() {
        for n in 0..=25 {
            for page in 1..=n + 2 {
                for le in 0..=3 {
                    for lc in 0..=3 {
                        for rc in 0..=5 {
                            for re in 0..=3 {
                                assert_eq!(
                                    iter_pages(page, n, le, lc, rc, re),
                                    reference(page, n, le, lc, rc, re),
                                    "pages={n} page={page} edges={le},{lc},{rc},{re}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    /// A page made by hand: `len` items of page `page`, `total` in all.
    fn page_of(page: i64, per_page: i64, total: Option<i64>, len: usize) -> Pagination {
        Pagination {
            query: Query::new(crate::orm::mapping::model::item_mapper()),
            page,
            per_page,
            max_per_page: Some(DEFAULT_MAX_PER_PAGE),
            total,
            items: PageItems::Rows(RowSet {
                columns: vec!["id".into()],
                rows: vec![vec![]; len],
            }),
        }
    }

    #[test]
    fn page_properties_as_flask_sqlalchemy_computes_them() {
        // 95 items, 20 per page: pages 1-4 full, page 5 has 15.
        // (page, len, pages, has_prev, has_next, prev_num, next_num, first, last)
        let cases = [
            (1, 20, 5, false, true, None, Some(2), 1, 20),
            (2, 20, 5, true, true, Some(1), Some(3), 21, 40),
            (4, 20, 5, true, true, Some(3), Some(5), 61, 80),
            (5, 15, 5, true, false, Some(4), None, 81, 95),
            // Past the end with error_out off: no items.
            (6, 0, 5, true, false, Some(5), None, 0, 0),
        ];
        for (page, len, pages, has_prev, has_next, prev_num, next_num, first, last) in cases {
            let p = page_of(page, 20, Some(95), len);
            assert_eq!(p.pages(), pages, "page {page}");
            assert_eq!(p.has_prev(), has_prev, "page {page}");
            assert_eq!(p.has_next(), has_next, "page {page}");
            assert_eq!(p.prev_num(), prev_num, "page {page}");
            assert_eq!(p.next_num(), next_num, "page {page}");
            assert_eq!(p.first(), first, "page {page}");
            assert_eq!(p.last(), last, "page {page}");
        }
        // Exact multiples, one item, none.
        assert_eq!(page_of(1, 20, Some(100), 20).pages(), 5);
        assert_eq!(page_of(1, 20, Some(101), 20).pages(), 6);
        assert_eq!(page_of(1, 20, Some(1), 1).pages(), 1);
        assert_eq!(page_of(1, 20, Some(1), 1).last(), 1);
        let empty = page_of(1, 20, Some(0), 0);
        assert_eq!(
            (empty.pages(), empty.has_next(), empty.first(), empty.last()),
            (0, false, 0, 0)
        );
        assert_eq!(empty.iter_pages_default(), vec![]);
        // Not counted: no pages, so never a next page.
        let uncounted = page_of(2, 20, None, 20);
        assert_eq!(uncounted.pages(), 0);
        assert!(!uncounted.has_next());
        assert_eq!(uncounted.next_num(), None);
        assert_eq!(uncounted.prev_num(), Some(1));
        assert_eq!((uncounted.first(), uncounted.last()), (21, 40));
    }

    #[test]
    fn shown_as_text() {
        let p = page_of(2, 20, Some(95), 20);
        assert_eq!(p.to_string(), "<Pagination page 2 of 5>");
        assert_eq!(p.footer(), "page 2 of 5 · 20 per page · 95 rows");
        assert_eq!(
            page_of(1, 20, Some(1), 1).footer(),
            "page 1 of 1 · 20 per page · 1 row"
        );
        let uncounted = page_of(3, 10, None, 10);
        assert_eq!(uncounted.to_string(), "<Pagination page 3>");
        assert_eq!(
            uncounted.footer(),
            "page 3 · 10 per page · total not counted"
        );
    }

    #[test]
    fn page_arguments_as_flask_sqlalchemy_prepares_them() {
        let ok = |r: PageRequest| r.resolve().unwrap();
        let is_404 = |r: PageRequest| match r.resolve() {
            Err(Error::NoResult(m)) => assert!(m.starts_with("404 Not Found: "), "{m}"),
            other => panic!("expected a 404, got {other:?}"),
        };
        assert_eq!(ok(PageRequest::default()), (1, 20));
        assert_eq!(ok(PageRequest::new(3, 10)), (3, 10));
        // per_page is capped at max_per_page (100 by default).
        assert_eq!(ok(PageRequest::new(1, 500)), (1, 100));
        let no_cap = PageRequest {
            max_per_page: Some(None),
            ..PageRequest::new(1, 500)
        };
        assert_eq!(ok(no_cap), (1, 500));
        let cap_5 = PageRequest {
            max_per_page: Some(Some(5)),
            ..PageRequest::new(2, 50)
        };
        assert_eq!(ok(cap_5), (2, 5));
        // Bad values: a 404, or with error_out off the defaults.
        is_404(PageRequest::new(0, 20));
        is_404(PageRequest::new(-3, 20));
        is_404(PageRequest::new(1, 0));
        let cap_0 = PageRequest {
            max_per_page: Some(Some(0)),
            ..PageRequest::new(1, 20)
        };
        is_404(cap_0);
        let lenient = |page, per_page| PageRequest {
            error_out: false,
            ..PageRequest::new(page, per_page)
        };
        assert_eq!(ok(lenient(0, 20)), (1, 20));
        assert_eq!(ok(lenient(-1, -1)), (1, 20));
        assert_eq!(ok(lenient(4, 0)), (4, 20));
        assert_eq!(
            ok(PageRequest {
                max_per_page: Some(Some(0)),
                ..lenient(2, 30)
            }),
            (2, 20)
        );
    }

    #[test]
    fn the_404_says_why() {
        let e = PageRequest::new(0, 20).resolve().unwrap_err().to_string();
        assert!(e.contains("page 0 is not a page number"), "{e}");
        let e = PageRequest {
            max_per_page: Some(Some(0)),
            ..PageRequest::new(1, 20)
        }
        .resolve()
        .unwrap_err()
        .to_string();
        assert!(e.contains("max_per_page 0"), "{e}");
    }

    /// Twenty-four (total, page, per_page, max_per_page) cases: every
    /// attribute against Flask-SQLAlchemy's documented rules, computed here
    /// independently (items on a page = what the LIMIT/OFFSET leaves).
    #[test]
    fn every_attribute_by_the_documented_rules() {
        let cases: [(i64, i64, i64, Option<i64>); 24] = [
            (0, 1, 20, Some(100)),
            (1, 1, 20, Some(100)),
            (19, 1, 20, Some(100)),
            (20, 1, 20, Some(100)),
            (21, 2, 20, Some(100)),
            (95, 1, 20, Some(100)),
            (95, 3, 20, Some(100)),
            (95, 5, 20, Some(100)),
            (100, 5, 20, Some(100)),
            (101, 6, 20, Some(100)),
            (95, 2, 10, Some(100)),
            (95, 10, 10, Some(100)),
            (7, 1, 3, Some(100)),
            (7, 3, 3, Some(100)),
            (1000, 7, 250, Some(100)),
            (1000, 10, 250, Some(100)),
            (1000, 2, 250, None),
            (50, 1, 50, Some(100)),
            (51, 2, 50, Some(100)),
            (5, 1, 1, Some(100)),
            (5, 5, 1, Some(100)),
            (300, 1, 150, Some(120)),
            (300, 3, 150, Some(120)),
            (2, 2, 1, None),
        ];
        for (total, page, asked, max) in cases {
            let request = PageRequest {
                page: Some(page),
                per_page: Some(asked),
                max_per_page: Some(max),
                ..PageRequest::default()
            };
            let (page, per_page) = request.resolve().unwrap();
            // per_page is capped by max_per_page.
            assert_eq!(
                per_page,
                max.map_or(asked, |m| asked.min(m)),
                "{total} {page} {asked}"
            );
            let len = (total - (page - 1) * per_page).clamp(0, per_page) as usize;
            let p = page_of(page, per_page, Some(total), len);
            let pages = if total == 0 {
                0
            } else {
                (total + per_page - 1) / per_page
            };
            let first = if len == 0 {
                0
            } else {
                (page - 1) * per_page + 1
            };
            let last = if len == 0 { 0 } else { first + len as i64 - 1 };
            let case = format!("total {total}, page {page}, per_page {per_page}");
            assert_eq!(p.pages(), pages, "{case}");
            assert_eq!(p.has_prev(), page > 1, "{case}");
            assert_eq!(p.has_next(), page < pages, "{case}");
            assert_eq!(p.prev_num(), (page > 1).then_some(page - 1), "{case}");
            assert_eq!(p.next_num(), (page < pages).then_some(page + 1), "{case}");
            assert_eq!((p.first(), p.last()), (first, last), "{case}");
            assert_eq!(p.total, Some(total), "{case}");
            let shown: Vec<i64> = p.iter_pages_default().into_iter().flatten().collect();
            assert!(
                shown.contains(&page) || pages == 0,
                "{case}: the current page is always listed"
            );
            assert!(
                shown.windows(2).all(|w| w[0] < w[1]),
                "{case}: pages ascend"
            );
        }
    }
}
