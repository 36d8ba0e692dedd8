//! Three queries that once answered wrong without a word, each checked
//! against the answer SQLAlchemy gives, on every database:
//! - a joined eager load of a collection with limit/offset limits objects,
//!   not joined rows (the limited query is nested, the collection joined
//!   outside it);
//! - `filter_by` after `join` tests the last joined model;
//! - `is_(true)`, `is_not(false)` compile to `IS`/`IS NOT`, so NULLs count
//!   as SQLAlchemy counts them.

use crate::common::{Kind, Project, TestDb};

const MODELS: &str = include_str!("fixtures/books.rhai");

/// 3 authors; 12 books (author 1 + i % 3), each with 3 tags; is_public
/// true, false and NULL in turn.
const SEED: &str = r#"
db.create_all();
let authors = [];
for a in 1..=3 { let x = Author(#{ name: `author${a}` }); db.session.add(x); authors.push(x); }
let tags = [];
for t in 1..=5 { let x = Tag(#{ name: `tag${t}` }); db.session.add(x); tags.push(x); }
for i in 0..12 {
    let flag = if i % 3 == 0 { true } else if i % 3 == 1 { false } else { () };
    let b = Book(#{ title: `book${i + 1}`, is_public: flag, author: authors[i % 3] });
    for k in 0..3 { b.tags.append(tags[(i + k) % 5]); }
    db.session.add(b);
}
"#;

fn answers(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    project.run_ok(SEED);
    let (out, _) = project.run_ok(
        r#"
fn shown(books) { let out = []; for b in books { out.push(`${b.id}:${b.tags.len()}`); } out }
print(shown(Book.query.options(joinedload(Book.tags)).order_by(Book.id).limit(3).all()));
print(shown(Book.query.options(joinedload(Book.tags)).order_by(Book.id.desc()).offset(5).limit(4).all()));
print(shown([Book.query.options(joinedload(Book.tags)).order_by(Book.id).first()]));
print(shown(Book.query.join(Author).options(joinedload(Book.tags)).order_by(Author.name.desc(), Book.id).limit(2).all()));
print(Author.query.join(Book).filter_by(#{ id: 5 }).count());
print(Author.query.join(Book).filter_by(#{ id: 5 }).one().name);
print(Book.query.filter(Book.is_public.is_not(false)).count());
print(Book.query.filter(Book.is_public.is_(true)).count());
print(Book.query.filter(Book.is_public.is_(())).count());
print(Book.query.filter(Book.is_public != false).count());
"#,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            r#"["1:3", "2:3", "3:3"]"#,
            r#"["7:3", "6:3", "5:3", "4:3"]"#,
            r#"["1:3"]"#,
            r#"["3:3", "6:3"]"#,
            "1",
            "author2",
            "8",
            "4",
            "4",
            "4",
        ],
        "{kind:?}\n{out}"
    );
}

on_every_database!(answers);

/// A join along a relationship that SQLAlchemy would need an alias or
/// another order for, and a relationship comparison that needs a subquery
/// or an object's key it does not have yet, are refused, saying what to
/// do; nothing is guessed.
#[test]
fn relationship_joins_and_comparisons_that_cannot_be_made_are_refused() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, MODELS);
    project.run_ok(SEED);
    for (code, says) in [
        (
            "Author.query.join(Author.books).join(Book.author).count()",
            "Author is in the query already; join it again under another name: m = db.aliased(Author), then join(m, <condition>)",
        ),
        (
            "Tag.query.join(Author.books).count()",
            "Author is not in the query; join Author first",
        ),
        (
            "Author.query.join(Author.books).join(Book.tags).count()",
            "a many-to-many join from a joined model is not supported",
        ),
        (
            "Book.query.join(Author, Book.tags).count()",
            "Book.tags leads to another model",
        ),
    ] {
        let out = project
            .ormsh()
            .args(["--no-echo", "-c", code])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(says), "{code}: {err}");
    }
}
