//! Pages computed as Flask-SQLAlchemy 3.1 computes them, checked against a
//! reference written as the Python reads.

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
