//! tests/test_pagination.py (Flask-SQLAlchemy 3.1), translated. Upstream
//! pages a `range` through a `Pagination` subclass or pages `Todo` rows
//! within a request; here the rows are real (`db.paginate(db.select(Todo))`)
//! and the request's query string is the options map.
//!
//! Not meaningful in a shell:
//! - test_error_out[abc-None], test_error_out[None-abc]: a query string's
//!   text that is not a number; at the prompt `page: "abc"` is a type error
//!   (pagination.rs checks its message).
//! - test_paginate_rows: `db.paginate_rows` is not in 3.1 (it came later).

use crate::common::{Kind, Project, TestDb};

const TODO: &str = r#"
db.Model("Todo", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("title", db.String(50)),
]);
"#;

/// `line(p)`: every attribute upstream asserts on, `()` shown as `None`.
const SHOW: &str = r#"
fn show(v) { if type_of(v) == "()" { "None" } else { v.to_string() } }
fn line(p) {
    `page=${p.page} per_page=${p.per_page} total=${show(p.total)} pages=${p.pages} items=${p.items.len()} has_prev=${p.has_prev} prev_num=${show(p.prev_num)} has_next=${p.has_next} next_num=${show(p.next_num)} first=${p.first} last=${p.last}`
}
"#;

/// A project with `n` Todo rows.
fn todos(kind: Kind, n: usize) -> (TestDb, Project) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, TODO);
    project.run_ok(&format!(
        "db.create_all(); for i in 1..={n} {{ db.session.add(Todo(#{{ title: `task ${{i}}` }})); }}"
    ));
    assert_eq!(db.scalar("SELECT count(*) FROM todo"), n.to_string());
    (db, project)
}

fn lines(project: &Project, script: &str) -> Vec<String> {
    let (out, _) = project.run_ok(&format!("{SHOW}\n{script}"));
    out.lines().map(str::to_string).collect()
}

/// test_first_page, test_last_page, test_item_numbers_first_page,
/// test_item_numbers_last_page (150 items, 10 a page), test_item_numbers_0
/// and test_0_pages[0] (no items), test_0_pages[None] (no count).
fn page_numbers_on(kind: Kind) {
    let (_db, project) = todos(kind, 150);
    let got = lines(
        &project,
        r#"
        print(line(db.paginate(db.select(Todo), #{ per_page: 10 })));
        print(line(db.paginate(db.select(Todo), #{ page: 15, per_page: 10 })));
        print(line(db.paginate(db.select(Todo).where(Todo.id > 1000), #{ per_page: 10 })));
        print(line(db.paginate(db.select(Todo), #{ per_page: 10, count: false })));
        "#,
    );
    assert_eq!(
        got,
        [
            "page=1 per_page=10 total=150 pages=15 items=10 has_prev=false prev_num=None has_next=true next_num=2 first=1 last=10",
            "page=15 per_page=10 total=150 pages=15 items=10 has_prev=true prev_num=14 has_next=false next_num=None first=141 last=150",
            "page=1 per_page=10 total=0 pages=0 items=0 has_prev=false prev_num=None has_next=false next_num=None first=0 last=0",
            "page=1 per_page=10 total=None pages=0 items=10 has_prev=false prev_num=None has_next=false next_num=None first=1 last=10",
        ]
    );
    // test_item_numbers_last_page: a last page of 5 items is numbered 141..145.
    let (_db, project) = todos(kind, 145);
    let got = lines(
        &project,
        "print(line(db.paginate(db.select(Todo), #{ page: 15, per_page: 10 })));",
    );
    assert_eq!(
        got,
        [
            "page=15 per_page=10 total=145 pages=15 items=5 has_prev=true prev_num=14 has_next=false next_num=None first=141 last=145"
        ]
    );
}

on_every_database!(page_numbers_on);

/// test_iter_pages (every page of 15), test_iter_0_pages, test_iter_pages_short.
#[test]
fn iter_pages() {
    let (_db, project) = todos(Kind::Sqlite, 150);
    let got = lines(
        &project,
        r#"
        for n in 1..=15 { print(db.paginate(db.select(Todo), #{ page: n, per_page: 10 }).iter_pages()); }
        print(db.paginate(db.select(Todo).where(Todo.id > 1000)).iter_pages());
        for n in 1..=4 { print(db.paginate(db.select(Todo).where(Todo.id <= 40), #{ page: n, per_page: 10 }).iter_pages()); }
        "#,
    );
    let expect = [
        "[1, 2, 3, 4, 5, None, 14, 15]",
        "[1, 2, 3, 4, 5, 6, None, 14, 15]",
        "[1, 2, 3, 4, 5, 6, 7, None, 14, 15]",
        "[1, 2, 3, 4, 5, 6, 7, 8, None, 14, 15]",
        "[1, 2, 3, 4, 5, 6, 7, 8, 9, None, 14, 15]",
        "[1, 2, None, 4, 5, 6, 7, 8, 9, 10, None, 14, 15]",
        "[1, 2, None, 5, 6, 7, 8, 9, 10, 11, None, 14, 15]",
        "[1, 2, None, 6, 7, 8, 9, 10, 11, 12, None, 14, 15]",
        "[1, 2, None, 7, 8, 9, 10, 11, 12, 13, 14, 15]",
        "[1, 2, None, 8, 9, 10, 11, 12, 13, 14, 15]",
        "[1, 2, None, 9, 10, 11, 12, 13, 14, 15]",
        "[1, 2, None, 10, 11, 12, 13, 14, 15]",
        "[1, 2, None, 11, 12, 13, 14, 15]",
        "[1, 2, None, 12, 13, 14, 15]",
        "[1, 2, None, 13, 14, 15]",
        "[]",
        "[1, 2, 3, 4]",
        "[1, 2, 3, 4]",
        "[1, 2, 3, 4]",
        "[1, 2, 3, 4]",
    ];
    assert_eq!(got, expect);
}

/// test_paginate, test_paginate_qs, test_paginate_max, test_next_page_size,
/// test_no_count (250 rows); test_error_out[0-None], test_error_out[None--1];
/// tests/test_legacy_query.py::test_paginate and
/// tests/test_view_query.py::test_paginate (150 rows, `next()`).
fn paginate_on(kind: Kind) {
    let (_db, project) = todos(kind, 250);
    let got = lines(
        &project,
        r#"
        let p = db.paginate(db.select(Todo));
        print(line(p));
        print(p.items.all(|t| t.to_string().starts_with("<Todo ")));
        print(line(db.paginate(db.select(Todo), #{ page: 2, per_page: 10 })));
        print(db.paginate(db.select(Todo), #{ per_page: 100, max_per_page: 50 }).per_page);
        let p = db.paginate(db.select(Todo), #{ per_page: 110, max_per_page: 250 });
        print(`${p.page} ${p.per_page}`);
        let p = p.next();
        print(`${p.page} ${p.per_page}`);
        print(show(db.paginate(db.select(Todo), #{ count: false }).total));
        "#,
    );
    assert_eq!(
        got,
        [
            "page=1 per_page=20 total=250 pages=13 items=20 has_prev=false prev_num=None has_next=true next_num=2 first=1 last=20",
            "true",
            "page=2 per_page=10 total=250 pages=25 items=10 has_prev=true prev_num=1 has_next=true next_num=3 first=11 last=20",
            "50",
            "1 110",
            "2 110",
            "None",
        ]
    );
    for script in [
        "db.paginate(db.select(Todo), #{ page: 0 });",
        "db.paginate(db.select(Todo), #{ per_page: -1 });",
    ] {
        let path = project.file("fail.rhai", script);
        let out = project.ormsh().arg("run").arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains("404 Not Found: "),
            "{script}\n{stderr}"
        );
    }

    let (db, project) = todos(kind, 150);
    let got = lines(
        &project,
        r#"
        for p in [Todo.query.paginate(), db.paginate(db.select(Todo))] {
            print(`${p.total} ${p.items.len()}`);
            let p2 = p.next();
            print(`${p2.page} ${p2.total}`);
        }
        "#,
    );
    assert_eq!(got, ["150 20", "2 150", "150 20", "2 150"]);
    drop(db);
}

on_every_database!(paginate_on);

/// test_no_items_404: no rows: page 1 is empty, page 2 is a 404.
fn no_items_404_on(kind: Kind) {
    let (_db, project) = todos(kind, 0);
    let got = lines(&project, "print(db.paginate(db.select(Todo)).items.len());");
    assert_eq!(got, ["0"]);
    let path = project.file("fail.rhai", "db.paginate(db.select(Todo), #{ page: 2 });");
    let out = project.ormsh().arg("run").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("404 Not Found: page 2 is past the last page"),
        "{stderr}"
    );
}

on_every_database!(no_items_404_on);
