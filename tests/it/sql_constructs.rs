//! `case(..)` (SQLAlchemy's pair and dict forms, `else_`), `literal(..)`,
//! window functions (`.over(#{ partition_by, order_by })`) and
//! `nulls_first`/`nulls_last`, each answered the same as SQLAlchemy answers
//! the same statement on the same database (the Python peer's SQLAlchemy
//! Core over the reflected tables), on every database.

use crate::common::python::{peer_python, run_python, sqlalchemy_url};
use crate::common::{Kind, Project, TestDb};

const MODELS: &str = include_str!("fixtures/books.rhai");

const SEED: &str = r#"
db.create_all();
let authors = [];
for a in 1..=3 { let x = Author(#{ name: `author${a}` }); db.session.add(x); authors.push(x); }
for i in 0..9 {
    let flag = if i % 3 == 0 { true } else if i % 3 == 1 { false } else { () };
    db.session.add(Book(#{ title: `book${i + 1}`, pages: (i * 7) % 5, is_public: flag, author: authors[i % 3] }));
}
"#;

/// (ormsh query, SQLAlchemy statement), each printing `a|b` per row.
const QUERIES: &[(&str, &str)] = &[
    (
        r#"Book.query.with_entities(Book.id, case([Book.is_public == true, "public"], [Book.is_public == false, "private"], #{ else_: "unknown" }).label("v")).order_by(Book.id).limit(4)"#,
        r#"sa.select(book.c.id, sa.case((book.c.is_public == True, "public"), (book.c.is_public == False, "private"), else_="unknown").label("v")).order_by(book.c.id).limit(4)"#,
    ),
    (
        r#"Author.query.with_entities(Author.name, case(#{ "author1": 10, "author2": 20 }, #{ value: Author.name, else_: 0 })).order_by(Author.id)"#,
        r#"sa.select(author.c.name, sa.case({"author1": 10, "author2": 20}, value=author.c.name, else_=0)).order_by(author.c.id)"#,
    ),
    (
        r#"Book.query.with_entities(Book.id, func.row_number().over(#{ partition_by: Book.author_id, order_by: Book.id.desc() })).order_by(Book.id)"#,
        r#"sa.select(book.c.id, sa.func.row_number().over(partition_by=book.c.author_id, order_by=book.c.id.desc())).order_by(book.c.id)"#,
    ),
    (
        r#"Book.query.with_entities(Book.id, func.sum(Book.pages).over(#{ order_by: Book.id })).order_by(Book.id)"#,
        r#"sa.select(book.c.id, sa.func.sum(book.c.pages).over(order_by=book.c.id)).order_by(book.c.id)"#,
    ),
    (
        r#"Book.query.with_entities(Book.id, func.count(Book.id).over()).filter(Book.pages > 1).order_by(Book.id)"#,
        r#"sa.select(book.c.id, sa.func.count(book.c.id).over()).where(book.c.pages > 1).order_by(book.c.id)"#,
    ),
    (
        r#"Book.query.with_entities(Book.id, literal(5).label("five")).filter(Book.id < 3).order_by(Book.id)"#,
        r#"sa.select(book.c.id, sa.literal(5).label("five")).where(book.c.id < 3).order_by(book.c.id)"#,
    ),
];

/// NULLS FIRST/LAST: PostgreSQL and SQLite have them; MariaDB refuses the
/// syntax, for SQLAlchemy and ormsh alike.
const NULLS: &[(&str, &str)] = &[
    (
        r#"Book.query.with_entities(Book.id, Book.is_public).order_by(Book.is_public.nulls_first(), Book.id)"#,
        r#"sa.select(book.c.id, book.c.is_public).order_by(book.c.is_public.nulls_first(), book.c.id)"#,
    ),
    (
        r#"Book.query.with_entities(Book.id, Book.is_public).order_by(Book.is_public.desc().nulls_last(), Book.id)"#,
        r#"sa.select(book.c.id, book.c.is_public).order_by(book.c.is_public.desc().nulls_last(), book.c.id)"#,
    ),
];

fn constructs(kind: Kind) {
    let Some(python) = peer_python() else { return };
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    project.run_ok(SEED);
    let mut queries: Vec<&(&str, &str)> = QUERIES.iter().collect();
    if kind != Kind::MySql {
        queries.extend(NULLS);
    }
    let script: String = queries
        .iter()
        .map(|(q, _)| {
            format!("for r in {q}.all() {{ print(`${{r[0]}}|${{r[1]}}`); }}\nprint(\"--\");\n")
        })
        .collect();
    let (ours, _) = project.run_ok(&script);
    let url = sqlalchemy_url(&db.url);
    let mut py = format!(
        "import sqlalchemy as sa\ne = sa.create_engine({url:?})\nmd = sa.MetaData()\nmd.reflect(e)\nbook, author = md.tables['book'], md.tables['author']\ndef show(v):\n    return {{True: 'true', False: 'false', None: 'None'}}.get(v, v) if isinstance(v, (bool, type(None))) else v\nwith e.connect() as c:\n"
    );
    for (_, statement) in &queries {
        py.push_str(&format!(
            "    for r in c.execute({statement}):\n        print(f'{{show(r[0])}}|{{show(r[1])}}')\n    print('--')\n"
        ));
    }
    let theirs = run_python(&python, project.path(), &py);
    // MySQL has no boolean: SQLAlchemy reads its TINYINT as an int.
    let normalise = |s: &str| s.replace("|1\n", "|true\n").replace("|0\n", "|false\n");
    let (ours, theirs) = if kind == Kind::MySql {
        (ours, theirs)
    } else {
        (normalise(&ours), normalise(&theirs))
    };
    assert_eq!(ours, theirs, "{kind:?}");
    assert!(ours.contains("1|public\n2|private\n3|unknown\n"), "{ours}");

    if kind == Kind::MySql {
        let out = project
            .ormsh()
            .args(["--no-echo", "-c", &format!("{}.all()", NULLS[0].0)])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains("NULLS FIRST"),
            "{err}"
        );
    }
}
on_every_database!(constructs);
