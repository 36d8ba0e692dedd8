//! Flask-SQLAlchemy 3.1 pagination through the binary, on every database
//! the environment names: `q.paginate(#{..})` and `db.paginate(q, #{..})`,
//! every attribute over 95 rows, the 404s, `error_out: false`, `count:
//! false`, max_per_page, `prev()`/`next()`, `iter_pages`, and how a page prints.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

/// A helper every script starts with: `()` shown as Python's `None`.
const SHOW: &str = r#"
fn show(v) { if type_of(v) == "()" { "None" } else { v.to_string() } }
fn line(p) {
    let first_name = if p.items.len() > 0 { p.items[0].username } else { "-" };
    `page=${p.page} per_page=${p.per_page} total=${show(p.total)} pages=${p.pages} items=${p.items.len()} has_prev=${p.has_prev} has_next=${p.has_next} prev_num=${show(p.prev_num)} next_num=${show(p.next_num)} first=${p.first} last=${p.last} first_name=${first_name}`
}
"#;

/// Run `script` (after the helpers), expecting success; returns (stdout, echo).
fn run(project: &Project, script: &str) -> (String, String) {
    project.run_ok(&format!("{SHOW}\n{script}"))
}

/// Run `script`, expecting it to fail; returns stderr.
fn run_err(project: &Project, script: &str) -> String {
    let path = project.file("fail.rhai", &format!("{SHOW}\n{script}"));
    let out = project.ormsh().arg("run").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        !out.status.success(),
        "expected a failure:\n{script}\n--- stderr\n{stderr}"
    );
    stderr
}

/// `ormsh -c EXPR`, expecting success; returns stdout.
fn command(project: &Project, args: &[&str], expr: &str) -> String {
    let out = project
        .ormsh()
        .args(args)
        .arg("-c")
        .arg(expr)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{expr} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The SELECT statements a run's echo shows, one per entry.
fn selects(echo: &str) -> Vec<&str> {
    echo.lines()
        .filter(|l| l.trim_start().starts_with("SELECT"))
        .collect()
}

fn pagination_on(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"
        db.create_all();
        for i in 1..=95 {
            db.session.add(User(#{ username: `user${i}`, email: `user${i}@example.com` }));
        }
        db.session.commit();
        let first = User.query.filter_by(#{ username: "user1" }).first();
        for t in ["a", "b", "c"] {
            db.session.add(Post(#{ title: t, content: "x", author: first }));
        }
        db.session.commit();
        "#,
    );
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {}", db.quote("user"))),
        "95"
    );

    // Pages 1 to 5 of 20: four full pages and one of 15.
    let (out, echo) = run(
        &project,
        r#"
        for n in 1..=5 {
            print(line(User.query.order_by(User.id).paginate(#{ page: n, per_page: 20 })));
        }
        "#,
    );
    assert_eq!(
        out,
        "page=1 per_page=20 total=95 pages=5 items=20 has_prev=false has_next=true prev_num=None next_num=2 first=1 last=20 first_name=user1\n\
         page=2 per_page=20 total=95 pages=5 items=20 has_prev=true has_next=true prev_num=1 next_num=3 first=21 last=40 first_name=user21\n\
         page=3 per_page=20 total=95 pages=5 items=20 has_prev=true has_next=true prev_num=2 next_num=4 first=41 last=60 first_name=user41\n\
         page=4 per_page=20 total=95 pages=5 items=20 has_prev=true has_next=true prev_num=3 next_num=5 first=61 last=80 first_name=user61\n\
         page=5 per_page=20 total=95 pages=5 items=15 has_prev=true has_next=false prev_num=4 next_num=None first=81 last=95 first_name=user81\n"
    );
    // Each page: the items with LIMIT/OFFSET, then a count without the ORDER BY.
    let statements = selects(&echo);
    assert_eq!(statements.len(), 10, "{echo}");
    for pair in statements.chunks(2) {
        assert!(pair[0].contains("LIMIT"), "{echo}");
        assert!(pair[1].contains("count("), "{echo}");
        assert!(!pair[1].contains("ORDER BY"), "{echo}");
    }

    // Defaults: page 1, 20 per page, max_per_page 100.
    let (out, _) = run(
        &project,
        r#"
        let p = User.query.order_by(User.id).paginate();
        print(line(p));
        print(p.max_per_page);
        "#,
    );
    assert_eq!(
        out,
        "page=1 per_page=20 total=95 pages=5 items=20 has_prev=false has_next=true prev_num=None next_num=2 first=1 last=20 first_name=user1\n100\n"
    );

    // error_out (on by default): an empty page past the first, a page below 1,
    // a per_page below 1 are all 404s.
    for (script, why) in [
        (
            "User.query.order_by(User.id).paginate(#{ page: 6, per_page: 20 });",
            "page 6 is past the last page",
        ),
        (
            "User.query.paginate(#{ page: 6, per_page: 19 });",
            "page 6 is past the last page",
        ),
        (
            "User.query.paginate(#{ page: 0 });",
            "page 0 is not a page number",
        ),
        (
            "User.query.paginate(#{ page: -2, error_out: true });",
            "page -2 is not a page number",
        ),
        (
            "User.query.paginate(#{ per_page: 0 });",
            "per_page 0 must be at least 1",
        ),
        (
            "User.query.paginate(#{ per_page: 20, max_per_page: 0 });",
            "max_per_page 0",
        ),
        (
            "db.paginate(User.query, #{ page: 7 });",
            "page 7 is past the last page",
        ),
    ] {
        let stderr = run_err(&project, script);
        assert!(stderr.contains("404 Not Found: "), "{script}\n{stderr}");
        assert!(stderr.contains(why), "{script}\n{stderr}");
    }
    // A query with no rows still has a page 1.
    let (out, _) = run(
        &project,
        r#"print(line(User.query.filter_by(#{ username: "nobody" }).paginate()));"#,
    );
    assert_eq!(
        out,
        "page=1 per_page=20 total=0 pages=0 items=0 has_prev=false has_next=false prev_num=None next_num=None first=0 last=0 first_name=-\n"
    );

    // error_out: false: bad values fall back to page 1 / 20 per page, and a
    // page past the last is empty.
    let (out, _) = run(
        &project,
        r#"
        print(line(User.query.order_by(User.id).paginate(#{ page: 0, per_page: -5, error_out: false })));
        print(line(User.query.order_by(User.id).paginate(#{ page: 3, per_page: 0, error_out: false })));
        print(line(User.query.order_by(User.id).paginate(#{ page: 6, error_out: false })));
        "#,
    );
    assert_eq!(
        out,
        "page=1 per_page=20 total=95 pages=5 items=20 has_prev=false has_next=true prev_num=None next_num=2 first=1 last=20 first_name=user1\n\
         page=3 per_page=20 total=95 pages=5 items=20 has_prev=true has_next=true prev_num=2 next_num=4 first=41 last=60 first_name=user41\n\
         page=6 per_page=20 total=95 pages=5 items=0 has_prev=true has_next=false prev_num=5 next_num=None first=0 last=0 first_name=-\n"
    );

    // count: false: no count query; total is () and pages 0.
    let (out, echo) = run(
        &project,
        r#"print(line(User.query.order_by(User.id).paginate(#{ page: 2, count: false })));"#,
    );
    assert_eq!(
        out,
        "page=2 per_page=20 total=None pages=0 items=20 has_prev=true has_next=false prev_num=1 next_num=None first=21 last=40 first_name=user21\n"
    );
    assert_eq!(selects(&echo).len(), 1, "{echo}");
    assert!(!echo.contains("count("), "{echo}");

    // max_per_page caps per_page; () lifts the cap.
    let (out, _) = run(
        &project,
        r#"
        print(line(User.query.order_by(User.id).paginate(#{ per_page: 500 })));
        print(line(User.query.order_by(User.id).paginate(#{ page: 2, per_page: 50, max_per_page: 10 })));
        let p = User.query.order_by(User.id).paginate(#{ per_page: 500, max_per_page: () });
        print(`${p.per_page} ${show(p.max_per_page)} ${p.items.len()}`);
        "#,
    );
    assert_eq!(
        out,
        "page=1 per_page=100 total=95 pages=1 items=95 has_prev=false has_next=false prev_num=None next_num=None first=1 last=95 first_name=user1\n\
         page=2 per_page=10 total=95 pages=10 items=10 has_prev=true has_next=true prev_num=1 next_num=3 first=11 last=20 first_name=user11\n\
         500 None 95\n"
    );

    // db.paginate(q, ..), db.paginate(q), and a model for all its rows.
    let (out, _) = run(
        &project,
        r#"
        print(line(db.paginate(User.query.order_by(User.id), #{ page: 2, per_page: 30 })));
        print(line(db.paginate(User.query.order_by(User.id))));
        print(db.paginate(User).total);
        "#,
    );
    assert_eq!(
        out,
        "page=2 per_page=30 total=95 pages=4 items=30 has_prev=true has_next=true prev_num=1 next_num=3 first=31 last=60 first_name=user31\n\
         page=1 per_page=20 total=95 pages=5 items=20 has_prev=false has_next=true prev_num=None next_num=2 first=1 last=20 first_name=user1\n\
         95\n"
    );

    // Filters are paged and counted; a joined collection is not cut short by the LIMIT.
    let (out, _) = run(
        &project,
        r#"
        print(line(User.query.filter(User.username.startswith("user1")).order_by(User.id).paginate(#{ per_page: 5 })));
        let p = User.query.options(joinedload(User.posts)).order_by(User.id).paginate(#{ per_page: 2 });
        print(`${p.items.len()} ${p.items[0].posts.len()} ${p.total}`);
        "#,
    );
    assert_eq!(
        out,
        "page=1 per_page=5 total=11 pages=3 items=5 has_prev=false has_next=true prev_num=None next_num=2 first=1 last=5 first_name=user1\n\
         2 3 95\n"
    );

    // prev() and next(): the neighbouring page, queried again, the total kept
    // without counting; with error_out off they still build a page.
    let (out, echo) = run(
        &project,
        r#"
        let p = User.query.order_by(User.id).paginate(#{ page: 2, per_page: 20 });
        print(line(p.prev()));
        print(line(p.next()));
        "#,
    );
    assert_eq!(
        out,
        "page=1 per_page=20 total=95 pages=5 items=20 has_prev=false has_next=true prev_num=None next_num=2 first=1 last=20 first_name=user1\n\
         page=3 per_page=20 total=95 pages=5 items=20 has_prev=true has_next=true prev_num=2 next_num=4 first=41 last=60 first_name=user41\n"
    );
    assert_eq!(echo.matches("count(").count(), 1, "{echo}");
    let (out, _) = run(
        &project,
        r#"
        print(line(User.query.order_by(User.id).paginate(#{ page: 1 }).prev()));
        print(line(User.query.order_by(User.id).paginate(#{ page: 5 }).next()));
        let p = User.query.order_by(User.id).paginate(#{ page: 4 });
        print(line(p.next().next().prev()));
        "#,
    );
    assert_eq!(
        out,
        "page=1 per_page=20 total=95 pages=5 items=20 has_prev=false has_next=true prev_num=None next_num=2 first=1 last=20 first_name=user1\n\
         page=6 per_page=20 total=95 pages=5 items=0 has_prev=true has_next=false prev_num=5 next_num=None first=0 last=0 first_name=-\n\
         page=5 per_page=20 total=95 pages=5 items=15 has_prev=true has_next=false prev_num=4 next_num=None first=81 last=95 first_name=user81\n"
    );
    let stderr = run_err(
        &project,
        "User.query.order_by(User.id).paginate(#{ page: 5 }).next(#{ error_out: true });",
    );
    assert!(stderr.contains("404 Not Found: page 6"), "{stderr}");

    // iter_pages: page numbers, None for the gaps.
    let (out, _) = run(
        &project,
        r#"
        let p = User.query.paginate(#{ page: 10, per_page: 1 });
        print(p.pages);
        print(p.iter_pages());
        print(p.iter_pages(#{ left_edge: 1, left_current: 1, right_current: 1, right_edge: 1 }));
        print(User.query.paginate(#{ page: 7, per_page: 5 }).iter_pages());
        print(User.query.paginate(#{ per_page: 20 }).iter_pages());
        print(User.query.paginate(#{ count: false }).iter_pages());
        "#,
    );
    assert_eq!(
        out,
        "95\n\
         [1, 2, None, 8, 9, 10, 11, 12, 13, 14, None, 94, 95]\n\
         [1, None, 9, 10, 11, None, 95]\n\
         [1, 2, None, 5, 6, 7, 8, 9, 10, 11, None, 18, 19]\n\
         [1, 2, 3, 4, 5]\n\
         []\n"
    );
    let shown = command(
        &project,
        &[],
        "User.query.paginate(#{ page: 10, per_page: 1 }).iter_pages()",
    );
    assert_eq!(
        shown,
        "[1, 2, None, 8, 9, 10, 11, 12, 13, 14, None, 94, 95]\n"
    );

    // Iterating a page iterates its items; to_string names the page.
    let (out, _) = run(
        &project,
        r#"
        let p = User.query.order_by(User.id).paginate(#{ page: 2, per_page: 3 });
        for u in p { print(u.username); }
        print(p);
        print(User.query.paginate(#{ count: false }));
        "#,
    );
    assert_eq!(
        out,
        "user4\nuser5\nuser6\n<Pagination page 2 of 32>\n<Pagination page 1>\n"
    );

    // At the prompt a page prints as the table of its items and a footer.
    let shown = command(
        &project,
        &[],
        "User.query.order_by(User.id).paginate(#{ page: 2, per_page: 3 })",
    );
    assert!(shown.contains("user4@example.com"), "{shown}");
    assert!(shown.contains("user6"), "{shown}");
    assert!(!shown.contains("user7"), "{shown}");
    assert!(
        shown
            .trim_end()
            .ends_with("page 2 of 32 · 3 per page · 95 rows"),
        "{shown}"
    );
    // Rows of values (with_entities) page too.
    let shown = command(
        &project,
        &[],
        "User.query.with_entities(User.username).order_by(User.id).paginate(#{ page: 2, per_page: 10 })",
    );
    assert!(shown.contains("username"), "{shown}");
    assert!(shown.contains("user11"), "{shown}");
    assert!(!shown.contains("user21"), "{shown}");
    assert!(
        shown
            .trim_end()
            .ends_with("page 2 of 10 · 10 per page · 95 rows"),
        "{shown}"
    );
    // JSON stays JSON: the items alone.
    let shown = command(
        &project,
        &["--format", "json"],
        "User.query.order_by(User.id).paginate(#{ per_page: 2 })",
    );
    assert!(shown.contains("user2"), "{shown}");
    assert!(!shown.contains(" per page"), "{shown}");

    // Wrong options say what is wrong.
    for (script, message) in [
        (
            "User.query.paginate(#{ pages: 2 });",
            "paginate() has no option `pages` (did you mean `page`?)",
        ),
        (
            "db.paginate(User.query, #{ per_pge: 2 });",
            "db.paginate() has no option `per_pge`",
        ),
        (
            "User.query.paginate(#{ page: \"2\" });",
            "`page` must be an integer, not a string",
        ),
        (
            "User.query.paginate(#{ count: 1 });",
            "`count` must be true or false",
        ),
        (
            "User.query.paginate(2);",
            "paginate() takes a map of options",
        ),
        (
            "db.paginate(42);",
            "db.paginate() takes a select such as db.select(User)",
        ),
        (
            "User.query.paginate().iter_pages(#{ left: 1 });",
            "iter_pages() has no option `left`",
        ),
        (
            "User.query.paginate().next(#{ page: 1 });",
            "next() has no option `page`",
        ),
    ] {
        let stderr = run_err(&project, script);
        assert!(stderr.contains(message), "{script}\n{stderr}");
    }
}

on_every_database!(pagination_on);
