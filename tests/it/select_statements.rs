//! SQLAlchemy 2.0's statements and Flask-SQLAlchemy 3's helpers at the
//! prompt, on every database:
//! - the same statements through ormsh and through real Flask-SQLAlchemy (the
//!   Python peer) on the same rows: `db.select(..)` of models, columns and
//!   several entities with the whole chain, `Result`'s readers, `scalars`,
//!   `scalar`, `get`/`get_one`, `db.paginate(select)`, the `*_or_404`
//!   helpers, `db.session.query(..)`, and writes with their `rowcount` and
//!   what loaded objects say after them (each case rolled back on both sides);
//! - writes read back through a separate connection: an update, insert or
//!   delete is in the session's transaction, seen by nobody before commit,
//!   undone by rollback (through the ORM's Rust API, and from a script);
//! - `returning(..)` where the database has it, refused where it has not.

use std::rc::Rc;

use crate::common::orm::{blog_registry, create, open_session, text, value};
use crate::common::python::{peer_python, run_python, sqlalchemy_url};
use crate::common::{Kind, Project, TestDb};
use crate::differential::{PEER_MODELS, RHAI_HELPERS};
use ormsh::orm::{Entity, SelectStatement, WriteStatement};
use ormsh::sql::{BinaryOp, Expr, Value};

const MODELS: &str = include_str!("fixtures/books.rhai");

/// 6 authors (every third with no birth date), 6 tags, 40 books with NULL
/// pages, flags, dates and authors in turn, and tags on some.
const SEED: &str = r#"
db.create_all();
for a in 1..=6 {
    let born = if a % 3 == 0 { () } else { `19${50 + a}-0${a}-1${a}` };
    db.session.add(Author(#{ id: a, name: `author${a}`, born: born }));
}
for t in 1..=6 { db.session.add(Tag(#{ id: t, name: `tag${t}` })); }
db.session.flush();
for i in 1..=40 {
    let pages = if i % 7 == 0 { () } else { 50 + (i * 37) % 400 };
    let flag = if i % 3 == 0 { true } else if i % 3 == 1 { false } else { () };
    let published = if i % 5 == 0 { () } else { `20${10 + i % 9}-0${1 + i % 9}-1${i % 9}` };
    let author = if i % 10 == 0 { () } else { 1 + i % 4 };
    let b = Book(#{ id: i, title: `book ${i}`, pages: pages, is_public: flag, published: published, author_id: author });
    for t in 1..=6 { if (i + t) % 4 == 0 { b.tags.append(Tag.query.get(t)); } }
    db.session.add(b);
}
"#;

const RHAI_MORE: &str = r#"
fn row(r) { if type_of(r) == "()" { () } else { r.to_array() } }
fn field(rs, name) { let out = []; for r in rs { out.push(r[name]); } out }
fn entity_ids(rs) {
    let out = [];
    for r in rs {
        let x = [];
        for v in r.to_array() { x.push(if type_of(v) == "()" { () } else { v.id }); }
        out.push(x);
    }
    out
}
fn maps(ms, keys) { let out = []; for m in ms { let x = []; for k in keys { x.push(m[k]); } out.push(x); } out }
fn titles(result) { let out = []; for r in result { out.push(r.title); } out }
fn pg(p) { [p.total, p.pages, ids(p.items), p.has_next, p.prev_num] }
fn id_of(o) { if type_of(o) == "()" { () } else { o.id } }
"#;

const PYTHON_MORE: &str = r#"
from sqlalchemy import inspect, literal, union, union_all, intersect, except_
from sqlalchemy.orm import aliased, contains_eager, defer, load_only, undefer
def row(r): return None if r is None else list(r)
def field(rs, name): return [getattr(r, name) for r in rs]
def entity_ids(rs): return [[(None if v is None else v.id) for v in r] for r in rs]
def maps(ms, keys): return [[m[k] for k in keys] for m in ms]
def titles(result): return [r.title for r in result]
def pg(p): return [p.total, p.pages, ids(p.items), p.has_next, p.prev_num]
def id_of(o): return None if o is None else o.id
"#;

/// One statement in both spellings; `raises` when both must fail.
pub(crate) struct Case {
    rhai: &'static str,
    python: &'static str,
    raises: bool,
}

pub(crate) const fn ok(rhai: &'static str, python: &'static str) -> Case {
    Case {
        rhai,
        python,
        raises: false,
    }
}

pub(crate) const fn raises(rhai: &'static str, python: &'static str) -> Case {
    Case {
        rhai,
        python,
        raises: true,
    }
}

const CASES: &[Case] = &[
    // select of a model
    ok(
        "ids(db.session.execute(db.select(Book).order_by(Book.id)).scalars().all())",
        "ids(db.session.execute(db.select(Book).order_by(Book.id)).scalars().all())",
    ),
    ok(
        "ids(db.session.scalars(db.select(Book).where(Book.pages > 200).order_by(Book.pages.desc(), Book.id)).all())",
        "ids(db.session.scalars(db.select(Book).where(Book.pages > 200).order_by(Book.pages.desc(), Book.id)).all())",
    ),
    ok(
        "ids(db.session.scalars(db.select(Book).filter(Book.pages.is_(()), Book.is_public.is_not(false)).order_by(Book.id)).all())",
        "ids(db.session.scalars(db.select(Book).filter(Book.pages.is_(None), Book.is_public.is_not(False)).order_by(Book.id)).all())",
    ),
    ok(
        "ids(db.session.scalars(db.select(Book).filter_by(#{ author_id: 2 }).order_by(Book.id.desc())).all())",
        "ids(db.session.scalars(db.select(Book).filter_by(author_id=2).order_by(Book.id.desc())).all())",
    ),
    ok(
        "ids(db.session.scalars(db.select(Book).where(or_(Book.pages.between(100, 200), Book.title.contains(\"3\"))).order_by(Book.id).limit(5).offset(2)).all())",
        "ids(db.session.scalars(db.select(Book).where(or_(Book.pages.between(100, 200), Book.title.contains(\"3\"))).order_by(Book.id).limit(5).offset(2)).all())",
    ),
    ok(
        "ids(db.session.scalars(db.select(Book).join(Author).where(Author.name == \"author2\").order_by(Book.id)).all())",
        "ids(db.session.scalars(db.select(Book).join(Author).where(Author.name == \"author2\").order_by(Book.id)).all())",
    ),
    ok(
        "ids(db.session.scalars(db.select(Book).join(Author).filter_by(#{ name: \"author3\" }).order_by(Book.id)).all())",
        "ids(db.session.scalars(db.select(Book).join(Author).filter_by(name=\"author3\").order_by(Book.id)).all())",
    ),
    // a join repeats the model's object once per joined row, unless unique()
    ok(
        "ids(db.session.scalars(db.select(Author).join(Book).where(Book.pages > 300).order_by(Author.id)).all())",
        "ids(db.session.scalars(db.select(Author).join(Book).where(Book.pages > 300).order_by(Author.id)).all())",
    ),
    ok(
        "ids(db.session.scalars(db.select(Author).join(Book).where(Book.pages > 300).order_by(Author.id)).unique().all())",
        "ids(db.session.scalars(db.select(Author).join(Book).where(Book.pages > 300).order_by(Author.id)).unique().all())",
    ),
    ok(
        "ids(db.session.scalars(db.select(Author).join(Book).where(Book.pages > 300).distinct().order_by(Author.id)).all())",
        "ids(db.session.scalars(db.select(Author).join(Book).where(Book.pages > 300).distinct().order_by(Author.id)).all())",
    ),
    ok(
        "ids(db.session.scalars(db.select(Author).outerjoin(Book).where(Book.id.is_(())).order_by(Author.id)).all())",
        "ids(db.session.scalars(db.select(Author).outerjoin(Book).where(Book.id.is_(None)).order_by(Author.id)).all())",
    ),
    // loader options
    raises(
        "db.session.scalars(db.select(Book).options(joinedload(Book.tags)).order_by(Book.id)).all()",
        "db.session.scalars(db.select(Book).options(joinedload(Book.tags)).order_by(Book.id)).all()",
    ),
    ok(
        "with_tags(db.session.scalars(db.select(Book).options(joinedload(Book.tags)).order_by(Book.id)).unique().all())",
        "with_tags(db.session.scalars(db.select(Book).options(joinedload(Book.tags)).order_by(Book.id)).unique().all())",
    ),
    ok(
        "with_tags(db.session.scalars(db.select(Book).options(selectinload(Book.tags)).where(Book.id < 12).order_by(Book.id)).all())",
        "with_tags(db.session.scalars(db.select(Book).options(selectinload(Book.tags)).where(Book.id < 12).order_by(Book.id)).all())",
    ),
    ok(
        "with_author(db.session.scalars(db.select(Book).options(joinedload(Book.author)).where(Book.id > 30).order_by(Book.id)).all())",
        "with_author(db.session.scalars(db.select(Book).options(joinedload(Book.author)).where(Book.id > 30).order_by(Book.id)).all())",
    ),
    // columns and aggregates
    ok(
        "rows(db.session.execute(db.select(Book.title, Book.pages, Book.published).where(Book.id < 8).order_by(Book.id)).all())",
        "rows(db.session.execute(db.select(Book.title, Book.pages, Book.published).where(Book.id < 8).order_by(Book.id)).all())",
    ),
    ok(
        "db.session.execute(db.select(func.count(Book.id))).scalar()",
        "db.session.execute(db.select(func.count(Book.id))).scalar()",
    ),
    ok(
        "db.session.scalar(db.select(db.func.count(Book.id)).where(Book.is_public.is_(true)))",
        "db.session.scalar(db.select(db.func.count(Book.id)).where(Book.is_public.is_(True)))",
    ),
    ok(
        "db.session.scalar(db.select(func.count()).select_from(Book))",
        "db.session.scalar(db.select(func.count()).select_from(Book))",
    ),
    ok(
        "rows(db.session.execute(db.select(Book.author_id, func.count(Book.id), func.sum(Book.pages), func.max(Book.published)).group_by(Book.author_id).order_by(Book.author_id)).all())",
        "rows(db.session.execute(db.select(Book.author_id, func.count(Book.id), func.sum(Book.pages), func.max(Book.published)).group_by(Book.author_id).order_by(Book.author_id)).all())",
    ),
    ok(
        "rows(db.session.execute(db.select(Book.author_id, func.count(Book.id)).group_by(Book.author_id).having(func.count(Book.id) > 9).order_by(Book.author_id)).all())",
        "rows(db.session.execute(db.select(Book.author_id, func.count(Book.id)).group_by(Book.author_id).having(func.count(Book.id) > 9).order_by(Book.author_id)).all())",
    ),
    ok(
        "field(db.session.execute(db.select(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).order_by(Book.author_id)).all(), \"n\")",
        "field(db.session.execute(db.select(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).order_by(Book.author_id)).all(), \"n\")",
    ),
    ok(
        "rows(db.session.execute(db.select(Book.author_id).distinct().order_by(Book.author_id)).all())",
        "rows(db.session.execute(db.select(Book.author_id).distinct().order_by(Book.author_id)).all())",
    ),
    ok(
        "rows(db.session.execute(db.select(Author.name, Book.title).join(Book).where(Book.id < 6).order_by(Book.id)).all())",
        "rows(db.session.execute(db.select(Author.name, Book.title).join(Book).where(Book.id < 6).order_by(Book.id)).all())",
    ),
    ok(
        "maps(db.session.execute(db.select(Book.id, Book.title).where(Book.id > 36).order_by(Book.id)).mappings().all(), [\"title\", \"id\"])",
        "maps(db.session.execute(db.select(Book.id, Book.title).where(Book.id > 36).order_by(Book.id)).mappings().all(), [\"title\", \"id\"])",
    ),
    ok(
        "db.session.scalars(db.select(Book.title).where(Book.author_id == 1).order_by(Book.id)).all()",
        "db.session.scalars(db.select(Book.title).where(Book.author_id == 1).order_by(Book.id)).all()",
    ),
    // several entities
    ok(
        "entity_ids(db.session.execute(db.select(Book, Author).join(Author).where(Book.id < 9).order_by(Book.id)).all())",
        "entity_ids(db.session.execute(db.select(Book, Author).join(Author).where(Book.id < 9).order_by(Book.id)).all())",
    ),
    ok(
        "entity_ids(db.session.execute(db.select(Book, Author).outerjoin(Author).where(Book.id > 25).order_by(Book.id)).all())",
        "entity_ids(db.session.execute(db.select(Book, Author).outerjoin(Author).where(Book.id > 25).order_by(Book.id)).all())",
    ),
    ok(
        "ids(field(db.session.execute(db.select(Book, Author).join(Author).where(Book.id < 9).order_by(Book.id)).all(), \"Author\"))",
        "ids(field(db.session.execute(db.select(Book, Author).join(Author).where(Book.id < 9).order_by(Book.id)).all(), \"Author\"))",
    ),
    ok(
        "rows(db.session.execute(db.select(Author.id, func.count(Book.id)).outerjoin(Book).group_by(Author.id).order_by(Author.id)).all())",
        "rows(db.session.execute(db.select(Author.id, func.count(Book.id)).outerjoin(Book).group_by(Author.id).order_by(Author.id)).all())",
    ),
    // subqueries, correlated to the enclosing select
    ok(
        "rows(db.session.execute(db.select(Author.name, db.select(func.count(Book.id)).where(Book.author_id == Author.id).scalar_subquery().label(\"n\")).order_by(Author.id)).all())",
        "rows(db.session.execute(db.select(Author.name, db.select(func.count(Book.id)).where(Book.author_id == Author.id).scalar_subquery().label(\"n\")).order_by(Author.id)).all())",
    ),
    ok(
        "field(db.session.execute(db.select(Author.id, db.select(func.max(Book.pages)).where(Book.author_id == Author.id).label(\"most\")).order_by(Author.id)).all(), \"most\")",
        "field(db.session.execute(db.select(Author.id, db.select(func.max(Book.pages)).where(Book.author_id == Author.id).label(\"most\")).order_by(Author.id)).all(), \"most\")",
    ),
    ok(
        "ids(db.session.scalars(db.select(Author).where(db.select(Book.id).where(Book.author_id == Author.id, Book.pages > 400).exists()).order_by(Author.id)).all())",
        "ids(db.session.scalars(db.select(Author).where(db.select(Book.id).where(Book.author_id == Author.id, Book.pages > 400).exists()).order_by(Author.id)).all())",
    ),
    ok(
        "ids(db.session.scalars(db.select(Author).where(!db.select(Book.id).where(Book.author_id == Author.id).exists()).order_by(Author.id)).all())",
        "ids(db.session.scalars(db.select(Author).where(~db.select(Book.id).where(Book.author_id == Author.id).exists()).order_by(Author.id)).all())",
    ),
    ok(
        "[db.session.scalar(db.select(db.select(Book).where(Book.id == 2).exists())), db.session.scalar(db.select(db.select(Book).where(Book.id == 200).exists()))]",
        "[db.session.scalar(db.select(db.select(Book).where(Book.id == 2).exists())), db.session.scalar(db.select(db.select(Book).where(Book.id == 200).exists()))]",
    ),
    ok(
        "ids(db.session.scalars(db.select(Book).where(Book.pages > db.select(func.avg(Book.pages)).scalar_subquery()).order_by(Book.id)).all())",
        "ids(db.session.scalars(db.select(Book).where(Book.pages > db.select(func.avg(Book.pages)).scalar_subquery()).order_by(Book.id)).all())",
    ),
    // Result's readers
    ok(
        "row(db.session.execute(db.select(Book.title, Book.pages).order_by(Book.id.desc())).first())",
        "row(db.session.execute(db.select(Book.title, Book.pages).order_by(Book.id.desc())).first())",
    ),
    ok(
        "row(db.session.execute(db.select(Book.title).where(Book.id > 100)).first())",
        "row(db.session.execute(db.select(Book.title).where(Book.id > 100)).first())",
    ),
    ok(
        "db.session.execute(db.select(Book).order_by(Book.id.desc())).first()[0].id",
        "db.session.execute(db.select(Book).order_by(Book.id.desc())).first()[0].id",
    ),
    ok(
        "row(db.session.execute(db.select(Book.title).where(Book.id == 3)).one())",
        "row(db.session.execute(db.select(Book.title).where(Book.id == 3)).one())",
    ),
    raises(
        "db.session.execute(db.select(Book.title).where(Book.id > 3)).one()",
        "db.session.execute(db.select(Book.title).where(Book.id > 3)).one()",
    ),
    raises(
        "db.session.execute(db.select(Book.title).where(Book.id > 300)).one()",
        "db.session.execute(db.select(Book.title).where(Book.id > 300)).one()",
    ),
    ok(
        "row(db.session.execute(db.select(Book.title).where(Book.id > 300)).one_or_none())",
        "row(db.session.execute(db.select(Book.title).where(Book.id > 300)).one_or_none())",
    ),
    ok(
        "db.session.execute(db.select(Book.title).where(Book.id == 4)).scalar_one()",
        "db.session.execute(db.select(Book.title).where(Book.id == 4)).scalar_one()",
    ),
    ok(
        "db.session.execute(db.select(Book.pages).where(Book.id == 7)).scalar_one_or_none()",
        "db.session.execute(db.select(Book.pages).where(Book.id == 7)).scalar_one_or_none()",
    ),
    raises(
        "db.session.execute(db.select(Book.pages).where(Book.id < 7)).scalar_one_or_none()",
        "db.session.execute(db.select(Book.pages).where(Book.id < 7)).scalar_one_or_none()",
    ),
    ok(
        "id_of(db.session.scalars(db.select(Book).where(Book.id == 9)).one())",
        "id_of(db.session.scalars(db.select(Book).where(Book.id == 9)).one())",
    ),
    ok(
        "id_of(db.session.scalars(db.select(Book).where(Book.id == 99)).first())",
        "id_of(db.session.scalars(db.select(Book).where(Book.id == 99)).first())",
    ),
    ok(
        "titles(db.session.execute(db.select(Book.title).where(Book.id < 5).order_by(Book.id)))",
        "titles(db.session.execute(db.select(Book.title).where(Book.id < 5).order_by(Book.id)))",
    ),
    ok(
        "titles(db.session.scalars(db.select(Book).where(Book.id > 35).order_by(Book.id)))",
        "titles(db.session.scalars(db.select(Book).where(Book.id > 35).order_by(Book.id)))",
    ),
    ok(
        "db.session.execute(db.select(Book.id, Book.title)).keys()",
        "list(db.session.execute(db.select(Book.id, Book.title)).keys())",
    ),
    // get, get_one
    ok(
        "db.session.get(Book, 5).title",
        "db.session.get(Book, 5).title",
    ),
    ok(
        "id_of(db.session.get(Book, 500))",
        "id_of(db.session.get(Book, 500))",
    ),
    ok(
        "db.session.get_one(Book, 6).title",
        "db.session.get_one(Book, 6).title",
    ),
    raises(
        "db.session.get_one(Book, 600)",
        "db.session.get_one(Book, 600)",
    ),
    // Flask-SQLAlchemy 3
    ok(
        "pg(db.paginate(db.select(Book).order_by(Book.id), #{ page: 3, per_page: 7 }))",
        "pg(db.paginate(db.select(Book).order_by(Book.id), page=3, per_page=7))",
    ),
    ok(
        "pg(db.paginate(db.select(Book).where(Book.pages > 100).order_by(Book.pages, Book.id), #{ page: 2, per_page: 50, max_per_page: 4 }))",
        "pg(db.paginate(db.select(Book).where(Book.pages > 100).order_by(Book.pages, Book.id), page=2, per_page=50, max_per_page=4))",
    ),
    ok(
        "pg(db.paginate(db.select(Book).order_by(Book.id), #{ page: 9, per_page: 10, error_out: false }))",
        "pg(db.paginate(db.select(Book).order_by(Book.id), page=9, per_page=10, error_out=False))",
    ),
    raises(
        "db.paginate(db.select(Book).order_by(Book.id), #{ page: 9, per_page: 10 })",
        "db.paginate(db.select(Book).order_by(Book.id), page=9, per_page=10)",
    ),
    ok(
        "db.get_or_404(Book, 11).title",
        "db.get_or_404(Book, 11).title",
    ),
    raises("db.get_or_404(Book, 1100)", "db.get_or_404(Book, 1100)"),
    ok(
        "db.first_or_404(db.select(Book).where(Book.pages > 400).order_by(Book.id)).id",
        "db.first_or_404(db.select(Book).where(Book.pages > 400).order_by(Book.id)).id",
    ),
    raises(
        "db.first_or_404(db.select(Book).where(Book.pages > 4000))",
        "db.first_or_404(db.select(Book).where(Book.pages > 4000))",
    ),
    ok(
        "db.one_or_404(db.select(Book).where(Book.id == 12)).title",
        "db.one_or_404(db.select(Book).where(Book.id == 12)).title",
    ),
    raises(
        "db.one_or_404(db.select(Book).where(Book.id > 12))",
        "db.one_or_404(db.select(Book).where(Book.id > 12))",
    ),
    raises(
        "db.one_or_404(db.select(Book).where(Book.id > 1200))",
        "db.one_or_404(db.select(Book).where(Book.id > 1200))",
    ),
    ok(
        "Book.query.filter(Book.id == 13).one_or_404().title",
        "Book.query.filter(Book.id == 13).one_or_404().title",
    ),
    raises(
        "Book.query.filter(Book.id > 13).one_or_404()",
        "Book.query.filter(Book.id > 13).one_or_404()",
    ),
    // the legacy db.session.query
    ok(
        "ids(db.session.query(Book).filter(Book.pages < 200).order_by(Book.id).all())",
        "ids(db.session.query(Book).filter(Book.pages < 200).order_by(Book.id).all())",
    ),
    ok(
        "rows(db.session.query(Book.id, Book.title).filter(Book.id < 4).order_by(Book.id).all())",
        "rows(db.session.query(Book.id, Book.title).filter(Book.id < 4).order_by(Book.id).all())",
    ),
    ok(
        "db.session.query(Book).join(Author).filter_by(#{ name: \"author1\" }).count()",
        "db.session.query(Book).join(Author).filter_by(name=\"author1\").count()",
    ),
    // writes, each rolled back after
    ok(
        "db.session.execute(db.update(Book).where(Book.pages > 300).values(#{ pages: 1 })).rowcount",
        "db.session.execute(db.update(Book).where(Book.pages > 300).values(pages=1)).rowcount",
    ),
    ok(
        "{ let b = db.session.get(Book, 3); [b.title, db.session.execute(db.update(Book).where(Book.id == 3).values(#{ title: \"changed\" })).rowcount, b.title] }",
        "(lambda b: [b.title, db.session.execute(db.update(Book).where(Book.id == 3).values(title=\"changed\")).rowcount, b.title])(db.session.get(Book, 3))",
    ),
    ok(
        "{ let b = db.session.get(Book, 3); b.pages = 999; [db.session.execute(db.update(Book).where(Book.pages == 999).values(#{ title: \"flushed first\" })).rowcount, b.title] }",
        "(lambda b: [setattr(b, 'pages', 999), db.session.execute(db.update(Book).where(Book.pages == 999).values(title=\"flushed first\")).rowcount, b.title][1:])(db.session.get(Book, 3))",
    ),
    ok(
        "{ let a = db.session.get(Author, 5); [db.session.execute(db.delete(Author).where(Author.id == 5)).rowcount, id_of(db.session.get(Author, 5)), db.session.scalar(db.select(func.count(Author.id)))] }",
        "(lambda a: [db.session.execute(db.delete(Author).where(Author.id == 5)).rowcount, id_of(db.session.get(Author, 5)), db.session.scalar(db.select(func.count(Author.id)))])(db.session.get(Author, 5))",
    ),
    raises(
        "db.session.execute(db.delete(Author).where(Author.id == 5)).all()",
        "db.session.execute(db.delete(Author).where(Author.id == 5)).all()",
    ),
    ok(
        "{ let b = db.session.get(Book, 2); [db.session.execute(db.update(Book).where(Book.id < 5).values(#{ pages: Book.pages + 1, title: \"more\" })).rowcount, b.pages, b.title] }",
        "(lambda b: [db.session.execute(db.update(Book).where(Book.id < 5).values(pages=Book.pages + 1, title=\"more\")).rowcount, b.pages, b.title])(db.session.get(Book, 2))",
    ),
    // (psycopg reports -1 as the rowcount of an INSERT; ormsh the rows written)
    ok(
        "{ db.session.execute(db.insert(Tag).values(#{ id: 100, name: \"t100\" })); db.session.scalar(db.select(Tag.name).where(Tag.id == 100)) }",
        "(db.session.execute(db.insert(Tag).values(id=100, name=\"t100\")), db.session.scalar(db.select(Tag.name).where(Tag.id == 100)))[1]",
    ),
    ok(
        "{ db.session.execute(db.insert(Tag), [#{ id: 101, name: \"a\" }, #{ id: 102, name: \"b\" }]); db.session.scalars(db.select(Tag.name).where(Tag.id > 100).order_by(Tag.id)).all() }",
        "(db.session.execute(db.insert(Tag), [dict(id=101, name=\"a\"), dict(id=102, name=\"b\")]), db.session.scalars(db.select(Tag.name).where(Tag.id > 100).order_by(Tag.id)).all())[1]",
    ),
];

fn same_answers_as_flask_sqlalchemy(kind: Kind) {
    same_answers(kind, CASES);
}

/// Each case through ormsh and through Flask-SQLAlchemy on the same seeded
/// database (rolled back after each): the same line printed, or both raise.
pub(crate) fn same_answers(kind: Kind, cases: &[Case]) {
    let Some(python) = peer_python() else {
        return;
    };
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    project.run_ok(SEED);

    let mut script = format!("{RHAI_HELPERS}{RHAI_MORE}");
    for case in cases {
        script += &format!(
            "try {{ print(canon({})); }} catch (e) {{ print(`raised ${{e}}`.split(\"\\n\")[0]); }}\ndb.session.rollback();\n",
            case.rhai
        );
    }
    let (ours, _) = project.run_ok(&script);

    let mut peer = format!(
        "URL = {:?}\n{PEER_MODELS}{PYTHON_MORE}\nwith app.app_context():\n",
        sqlalchemy_url(&db.url)
    );
    for case in cases {
        peer += &format!(
            "    try:\n        print(canon({}))\n    except Exception as e:\n        print('raised ' + type(e).__name__)\n    db.session.rollback()\n",
            case.python
        );
    }
    let theirs = run_python(&python, project.path(), &peer);

    let ours: Vec<&str> = ours.lines().collect();
    let theirs: Vec<&str> = theirs.lines().collect();
    assert_eq!(
        ours.len(),
        cases.len(),
        "{kind:?}: one line per case:\n{}",
        ours.join("\n")
    );
    assert_eq!(theirs.len(), cases.len(), "{kind:?}: one line per case");
    let mut differences = Vec::new();
    for (i, (case, (a, b))) in cases.iter().zip(ours.iter().zip(&theirs)).enumerate() {
        let same = if case.raises {
            a.starts_with("raised") && b.starts_with("raised")
        } else {
            a == b && !a.starts_with("raised")
        };
        if !same {
            differences.push(format!(
                "case {i}\n  ormsh:  {}\n  Flask:  {}\n  ormsh gives {a}\n  Flask gives {b}",
                case.rhai, case.python
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{kind:?}: {} of {} cases differ:\n{}",
        differences.len(),
        cases.len(),
        differences.join("\n")
    );
}

on_every_database!(same_answers_as_flask_sqlalchemy);

/// An update, an insert and a delete run through the ORM's Rust API are in
/// the session's transaction: a separate connection sees none of them
/// before commit, all of them after; a rollback undoes them. The object
/// loaded before the update answers with the new value, and the one
/// deleted leaves the session.
fn writes_are_in_the_transaction(kind: Kind) {
    let db = TestDb::new(kind);
    let (session, recorder) = open_session(&db, blog_registry());
    session.create_all(None).unwrap();
    let amy = create(&session, "User", &[("username", text("amy"))]);
    let bob = create(&session, "User", &[("username", text("bob"))]);
    session.add(&amy).unwrap();
    session.add(&bob).unwrap();
    session.commit().unwrap();
    let registry = session.registry();
    let user = registry.lookup("User").unwrap().clone();
    let username = ormsh::orm::query::column_of(&user, user.column_index("username").unwrap());
    let is_amy = Expr::binary(
        BinaryOp::Eq,
        username.clone(),
        Expr::Bind(Value::Text("amy".into()), None),
    );
    let names = |db: &TestDb| -> Vec<String> {
        db.rows(&format!(
            "SELECT username FROM {} ORDER BY id",
            db.quote("user")
        ))
        .into_iter()
        .map(|r| r[0].clone())
        .collect()
    };

    // update, then rollback
    let update = WriteStatement::update(user.clone())
        .refine(|q| Ok(q.filter(is_amy.clone())))
        .unwrap()
        .values(vec![vec![(
            "username".into(),
            Value::Text("amelia".into()),
        )]])
        .unwrap();
    recorder.start();
    let done = session.execute_write(&update).unwrap();
    assert_eq!(done.rowcount, 1, "{:?}", recorder.stop());
    assert_eq!(
        value(&session, &amy, "username"),
        Value::Text("amelia".into())
    );
    assert_eq!(names(&db), ["amy", "bob"], "{kind:?}: seen before commit");
    session.rollback().unwrap();
    assert_eq!(names(&db), ["amy", "bob"]);
    assert_eq!(value(&session, &amy, "username"), Value::Text("amy".into()));

    // update, insert and delete, then commit
    assert_eq!(session.execute_write(&update).unwrap().rowcount, 1);
    let insert = WriteStatement::insert(user.clone())
        .values(vec![vec![("username".into(), Value::Text("cy".into()))]])
        .unwrap();
    assert_eq!(session.execute_write(&insert).unwrap().rowcount, 1);
    let is_bob = Expr::binary(
        BinaryOp::Eq,
        username,
        Expr::Bind(Value::Text("bob".into()), None),
    );
    let delete = WriteStatement::delete(user.clone())
        .refine(|q| Ok(q.filter(is_bob)))
        .unwrap();
    assert_eq!(session.execute_write(&delete).unwrap().rowcount, 1);
    assert_eq!(names(&db), ["amy", "bob"], "{kind:?}: seen before commit");
    session.commit().unwrap();
    assert_eq!(names(&db), ["amelia", "cy"]);

    // the select, as plain data
    let stmt = SelectStatement::new(&registry, vec![Entity::Model(user.clone())]).unwrap();
    let rows = session.execute_select(&stmt).unwrap();
    assert_eq!(rows.columns, ["User"]);
    assert_eq!(rows.rows.len(), 2);
    match &rows.rows[0][0] {
        ormsh::orm::Cell::Object(Some(o)) => assert!(o.same(&amy), "the identity map's object"),
        other => panic!("{other:?}"),
    }
    let _ = Rc::clone(&user);
}

on_every_database!(writes_are_in_the_transaction);

/// From a script: the update is not seen by another connection until the
/// script commits, and a rollback undoes it; `returning(..)` reads back
/// where the database has it, and MariaDB's missing UPDATE .. RETURNING is
/// refused by name.
fn writes_from_a_script(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    project.run_ok(
        "db.create_all(); for a in 1..=3 { db.session.add(Author(#{ id: a, name: `author${a}` })); }",
    );
    let names = || -> Vec<String> {
        db.rows("SELECT name FROM author ORDER BY id")
            .into_iter()
            .map(|r| r[0].clone())
            .collect()
    };
    let (out, _) = project.run_ok(
        r#"
let a = db.session.get(Author, 2);
print(db.session.execute(db.update(Author).where(Author.id >= 2).values(#{ name: "x" })).rowcount);
print(a.name);
db.session.rollback();
print(a.name);
"#,
    );
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["2", "x", "author2"],
        "{kind:?}"
    );
    assert_eq!(names(), ["author1", "author2", "author3"]);

    let (out, _) = project.run_ok(
        r#"
try {
    let r = db.session.execute(db.insert(Author).returning(Author.id, Author.name), [#{ id: 4, name: "d" }, #{ id: 5, name: "e" }]);
    print(r.all());
} catch (e) { print(`refused: ${e}`); }
try {
    let r = db.session.execute(db.delete(Author).where(Author.id == 5).returning(Author.name));
    print(r.scalars().all());
} catch (e) { print(`refused: ${e}`); }
try {
    let r = db.session.execute(db.update(Author).where(Author.id == 4).values(#{ name: "dd" }).returning(Author));
    print(r.scalar_one().name);
} catch (e) { print(`refused: ${e}`); }
"#,
    );
    let lines: Vec<&str> = out.lines().collect();
    let (refused, _) = project.run_ok(
        r#"
db.session.autoflush = false;
let a = db.session.get(Author, 1);
a.born = "1970-01-01";
try { db.session.execute(db.update(Author).where(Author.id == 1).values(#{ name: "y" })); } catch (e) { print(e); }
print(a.born);
"#,
    );
    assert!(
        refused.contains("has changes not flushed yet (autoflush is off)")
            && refused.contains("1970-01-01"),
        "{kind:?}: {refused}"
    );
    assert_eq!(
        db.scalar("SELECT count(*) FROM author WHERE id = 1 AND born IS NOT NULL"),
        "1",
        "the change kept and committed"
    );
    if kind == Kind::MySql && db.rows("SELECT VERSION()")[0][0].contains("MariaDB") {
        assert_eq!(lines[..2], ["[(4, 'd'), (5, 'e')]", "[\"e\"]"], "{out}");
        assert!(
            lines[2].starts_with("refused") && lines[2].contains("has no UPDATE .. RETURNING"),
            "{out}"
        );
        assert_eq!(names(), ["author1", "author2", "author3", "d"]);
    } else if kind == Kind::MySql {
        assert!(lines[0].contains("has no INSERT .. RETURNING"), "{out}");
    } else {
        assert_eq!(
            lines,
            ["[(4, 'd'), (5, 'e')]", "[\"e\"]", "dd"],
            "{kind:?}: {out}"
        );
        assert_eq!(names(), ["author1", "author2", "author3", "dd"]);
    }
}

on_every_database!(writes_from_a_script);
