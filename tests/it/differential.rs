//! The same queries through ormsh and through real Flask-SQLAlchemy (in the
//! peer's Python environment), on the same data in the same database, on
//! every database: seeded random queries of the legacy `Model.query` chain
//! (filters with NULLs, ordering on nullable columns, limit/offset with
//! eager loads, joins with filter_by, aggregates with group_by), and fixed
//! cases for answers that were once wrong. Every difference is a failure
//! that names the seed and shows both spellings and both answers.
//!
//! Each side prints one canonical line per query: integers, decimals and
//! dates bare, strings quoted, NULL as `null`, lists in brackets; an error
//! as `error`.

use crate::common::python::{peer_python, run_python, sqlalchemy_url};
use crate::common::{Kind, Project, TestDb};

const MODELS: &str = include_str!("fixtures/books.rhai");

pub(crate) const PEER_MODELS: &str = r#"
import datetime, json, sys
from decimal import Decimal
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func, and_, or_, not_
from sqlalchemy.orm import joinedload, selectinload

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = sys.argv[1] if len(sys.argv) > 1 else URL
db = SQLAlchemy(app)

book_tags = db.Table("book_tags",
    db.Column("book_id", db.Integer, db.ForeignKey("book.id"), primary_key=True),
    db.Column("tag_id", db.Integer, db.ForeignKey("tag.id"), primary_key=True))

class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), nullable=False)
    born = db.Column(db.Date)
    books = db.relationship("Book", backref="author")

class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), nullable=False)

class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(40), nullable=False)
    pages = db.Column(db.Integer)
    is_public = db.Column(db.Boolean)
    published = db.Column(db.Date)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id"))
    tags = db.relationship("Tag", secondary=book_tags)

def canon(v):
    if v is None: return "null"
    if isinstance(v, bool): return "true" if v else "false"
    if isinstance(v, (int, Decimal)): return str(v)
    if isinstance(v, str): return '"' + v + '"'
    if isinstance(v, (datetime.date,)): return v.isoformat()
    if isinstance(v, float): return repr(v)
    if isinstance(v, Decimal): return str(v)
    return "[" + ",".join(canon(x) for x in v) + "]"

def ids(objs): return [o.id for o in objs]
def with_tags(objs): return [[o.id, sorted(t.id for t in o.tags)] for o in objs]
def with_author(objs): return [[o.id, o.author.id if o.author else None] for o in objs]
def rows(rs): return [list(r) for r in rs]
"#;

pub(crate) const RHAI_HELPERS: &str = r#"
fn canon(v) {
    let t = type_of(v);
    if t == "()" { return "null"; }
    if t == "string" { return "\"" + v + "\""; }
    if t == "array" {
        let s = "";
        for x in v { if s != "" { s += ","; } s += canon(x); }
        return "[" + s + "]";
    }
    v.to_string()
}
fn ids(objs) { let out = []; for o in objs { out.push(o.id); } out }
fn with_tags(objs) { let out = []; for o in objs { let t = []; for x in o.tags { t.push(x.id); } t.sort(); out.push([o.id, t]); } out }
fn with_author(objs) { let out = []; for o in objs { out.push([o.id, if o.author == () { () } else { o.author.id }]); } out }
fn rows(rs) { rs.to_array() }
"#;

/// A deterministic generator (xorshift), seeded per backend.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The rows both sides query: 6 authors, 60 books, 6 tags, NULLs throughout.
fn seed_script(rng: &mut Rng) -> String {
    let mut s = String::from("db.create_all();\n");
    for a in 1..=6 {
        let born = if a % 3 == 0 {
            "()".to_string()
        } else {
            format!("\"19{}-0{}-1{}\"", 40 + a * 7, 1 + a % 9, a % 10)
        };
        s += &format!(
            "db.session.add(Author(#{{ id: {a}, name: \"author{a}\", born: {born} }}));\n"
        );
    }
    for t in 1..=6 {
        s += &format!("db.session.add(Tag(#{{ id: {t}, name: \"tag{t}\" }}));\n");
    }
    s += "db.session.flush();\n";
    for b in 1..=60 {
        let pages = if rng.chance(20) {
            "()".to_string()
        } else {
            (50 + rng.below(400)).to_string()
        };
        let public = *rng.pick(&["true", "false", "()"]);
        let published = if rng.chance(25) {
            "()".to_string()
        } else {
            format!(
                "\"20{:02}-{:02}-{:02}\"",
                rng.below(20),
                1 + rng.below(12),
                1 + rng.below(28)
            )
        };
        let author = if rng.chance(10) {
            "()".to_string()
        } else {
            (1 + rng.below(6)).to_string()
        };
        s += &format!(
            "let b = Book(#{{ id: {b}, title: \"book {b}\", pages: {pages}, is_public: {public}, published: {published}, author_id: {author} }});\n"
        );
        for t in 1..=6 {
            if rng.chance(30) {
                s += &format!("b.tags.append(Tag.query.get({t}));\n");
            }
        }
        s += "db.session.add(b);\n";
    }
    s + "db.session.commit();\n"
}

/// One query in both spellings: (ormsh, Python).
type Pair = (String, String);

fn pair(rhai: impl Into<String>, python: impl Into<String>) -> Pair {
    (rhai.into(), python.into())
}

/// A condition on Book, with NULLs in play.
fn condition(rng: &mut Rng) -> Pair {
    let n = 50 + rng.below(400);
    let m = n + rng.below(200);
    let k = rng.below(60);
    match rng.below(14) {
        0 => pair(format!("Book.pages > {n}"), format!("Book.pages > {n}")),
        1 => pair(format!("Book.pages <= {n}"), format!("Book.pages <= {n}")),
        2 => pair(format!("Book.pages != {n}"), format!("Book.pages != {n}")),
        3 => pair("Book.pages.is_(())", "Book.pages.is_(None)"),
        4 => pair("Book.pages.is_not(())", "Book.pages.is_not(None)"),
        5 => pair("Book.is_public.is_(true)", "Book.is_public.is_(True)"),
        6 => pair(
            "Book.is_public.is_not(false)",
            "Book.is_public.is_not(False)",
        ),
        7 => pair("Book.is_public == false", "Book.is_public == False"),
        8 => pair(
            format!("Book.title.contains(\"{}\")", k % 10),
            format!("Book.title.contains(\"{}\")", k % 10),
        ),
        9 => pair(
            format!("Book.pages.between({n}, {m})"),
            format!("Book.pages.between({n}, {m})"),
        ),
        10 => pair(
            format!("Book.pages.in_([{n}, {m}, {k}])"),
            format!("Book.pages.in_([{n}, {m}, {k}])"),
        ),
        11 => pair(
            format!("Book.author_id.not_in([1, {}])", 1 + k % 6),
            format!("Book.author_id.not_in([1, {}])", 1 + k % 6),
        ),
        12 => {
            let year = 2000 + rng.below(20);
            pair(
                format!("Book.published < \"{year}-06-01\""),
                format!("Book.published < datetime.date({year}, 6, 1)"),
            )
        }
        _ => {
            let (a, pa) = condition(rng);
            let (b, pb) = condition(rng);
            match rng.below(3) {
                0 => pair(format!("or_({a}, {b})"), format!("or_({pa}, {pb})")),
                1 => pair(format!("and_({a}, {b})"), format!("and_({pa}, {pb})")),
                _ => pair(format!("not_({a})"), format!("not_({pa})")),
            }
        }
    }
}

/// An ordering of books that ends on the key, so every order is total.
fn ordering(rng: &mut Rng) -> Pair {
    let column = *rng.pick(&["pages", "published", "is_public", "author_id", "title"]);
    if rng.chance(50) {
        pair(
            format!("Book.{column}.desc(), Book.id"),
            format!("Book.{column}.desc(), Book.id"),
        )
    } else {
        pair(
            format!("Book.{column}, Book.id"),
            format!("Book.{column}, Book.id"),
        )
    }
}

fn random_query(rng: &mut Rng) -> Pair {
    let mut rhai = String::from("Book.query");
    let mut python = String::from("Book.query");
    let shape = rng.below(10);
    if shape == 9 {
        // Aggregates with group_by on a nullable key.
        let key = *rng.pick(&["author_id", "is_public", "pages"]);
        let (c, pc) = condition(rng);
        return pair(
            format!(
                "rows(Book.query.filter({c}).with_entities(Book.{key}, func.count(Book.id), func.sum(Book.pages), func.min(Book.published), func.max(Book.title)).group_by(Book.{key}).order_by(Book.{key}).all())"
            ),
            format!(
                "rows(Book.query.filter({pc}).with_entities(Book.{key}, func.count(Book.id), func.sum(Book.pages), func.min(Book.published), func.max(Book.title)).group_by(Book.{key}).order_by(Book.{key}).all())"
            ),
        );
    }
    if shape == 8 {
        // A join, then filter_by on the joined model.
        let a = 1 + rng.below(6);
        let (o, po) = ordering(rng);
        return pair(
            format!(
                "ids(Book.query.join(Author).filter_by(#{{ name: \"author{a}\" }}).order_by({o}).all())"
            ),
            format!(
                "ids(Book.query.join(Author).filter_by(name=\"author{a}\").order_by({po}).all())"
            ),
        );
    }
    for _ in 0..rng.below(3) {
        let (c, pc) = condition(rng);
        rhai += &format!(".filter({c})");
        python += &format!(".filter({pc})");
    }
    if shape == 7 {
        return pair(format!("{rhai}.count()"), format!("{python}.count()"));
    }
    let (o, po) = ordering(rng);
    rhai += &format!(".order_by({o})");
    python += &format!(".order_by({po})");
    let project = match shape {
        0 | 1 => {
            rhai += ".options(joinedload(Book.tags))";
            python += ".options(joinedload(Book.tags))";
            "with_tags"
        }
        2 => {
            rhai += ".options(selectinload(Book.tags))";
            python += ".options(selectinload(Book.tags))";
            "with_tags"
        }
        3 => {
            rhai += ".options(joinedload(Book.author))";
            python += ".options(joinedload(Book.author))";
            "with_author"
        }
        _ => "ids",
    };
    if rng.chance(60) {
        let limit = 1 + rng.below(12);
        rhai += &format!(".limit({limit})");
        python += &format!(".limit({limit})");
    }
    if rng.chance(40) {
        let offset = rng.below(40);
        rhai += &format!(".offset({offset})");
        python += &format!(".offset({offset})");
    }
    pair(
        format!("{project}({rhai}.all())"),
        format!("{project}({python}.all())"),
    )
}

/// Cases once answered wrong, kept whatever the seed.
fn fixed_cases() -> Vec<Pair> {
    vec![
        // any() / has(): EXISTS, through the association table for many-to-many;
        // negated, where an IN would answer differently with NULL keys.
        pair(
            "ids(Author.query.filter(Author.books.any(Book.pages > 200)).order_by(Author.id).all())",
            "ids(Author.query.filter(Author.books.any(Book.pages > 200)).order_by(Author.id).all())",
        ),
        pair(
            "Author.query.filter(!Author.books.any()).count()",
            "Author.query.filter(~Author.books.any()).count()",
        ),
        pair(
            "ids(Book.query.filter(Book.tags.any(#{ name: \"tag2\" })).order_by(Book.id).all())",
            "ids(Book.query.filter(Book.tags.any(name=\"tag2\")).order_by(Book.id).all())",
        ),
        pair(
            "Book.query.filter(!Book.tags.any(Tag.name.in_([\"tag1\", \"tag3\"]))).count()",
            "Book.query.filter(~Book.tags.any(Tag.name.in_([\"tag1\", \"tag3\"]))).count()",
        ),
        pair(
            "ids(Book.query.filter(Book.author.has(Author.name == \"author4\")).order_by(Book.id).all())",
            "ids(Book.query.filter(Book.author.has(Author.name == \"author4\")).order_by(Book.id).all())",
        ),
        pair(
            "Book.query.filter(!Book.author.has()).count()",
            "Book.query.filter(~Book.author.has()).count()",
        ),
        // Relationship operators: ==, != (NULLs too), == None, contains, with_parent.
        pair(
            "ids(Book.query.filter(Book.author == Author.query.get(2)).order_by(Book.id).all())",
            "ids(Book.query.filter(Book.author == Author.query.get(2)).order_by(Book.id).all())",
        ),
        pair(
            "Book.query.filter(Book.author != Author.query.get(2)).count()",
            "Book.query.filter(Book.author != Author.query.get(2)).count()",
        ),
        pair(
            "Book.query.filter(Book.author == ()).count()",
            "Book.query.filter(Book.author == None).count()",
        ),
        pair(
            "Book.query.filter(Book.author != ()).count()",
            "Book.query.filter(Book.author != None).count()",
        ),
        pair(
            "ids(Author.query.filter(Author.books.contains(Book.query.get(5))).all())",
            "ids(Author.query.filter(Author.books.contains(Book.query.get(5))).all())",
        ),
        pair(
            "ids(Book.query.with_parent(Author.query.get(3), Author.books).order_by(Book.id).all())",
            "ids(Book.query.with_parent(Author.query.get(3), Author.books).order_by(Book.id).all())",
        ),
        pair(
            "ids(Author.query.with_parent(Book.query.get(7), Book.author).all())",
            "ids(Author.query.with_parent(Book.query.get(7), Book.author).all())",
        ),
        // Joins along a relationship: one-to-many, many-to-one, many-to-many,
        // the target named too, and outer.
        pair(
            "ids(Author.query.join(Author.books).filter(Book.pages > 200).distinct().order_by(Author.id).all())",
            "ids(Author.query.join(Author.books).filter(Book.pages > 200).distinct().order_by(Author.id).all())",
        ),
        pair(
            "ids(Book.query.join(Book.author).filter(Author.name == \"author2\").order_by(Book.id).all())",
            "ids(Book.query.join(Book.author).filter(Author.name == \"author2\").order_by(Book.id).all())",
        ),
        pair(
            "ids(Book.query.join(Book.tags).filter(Tag.name == \"tag1\").order_by(Book.id).all())",
            "ids(Book.query.join(Book.tags).filter(Tag.name == \"tag1\").order_by(Book.id).all())",
        ),
        pair(
            "Book.query.join(Tag, Book.tags).filter(Tag.name.in_([\"tag1\", \"tag2\"])).count()",
            "Book.query.join(Tag, Book.tags).filter(Tag.name.in_([\"tag1\", \"tag2\"])).count()",
        ),
        pair(
            "rows(Author.query.outerjoin(Author.books).with_entities(Author.id, func.count(Book.id)).group_by(Author.id).order_by(Author.id).all())",
            "rows(Author.query.outerjoin(Author.books).with_entities(Author.id, func.count(Book.id)).group_by(Author.id).order_by(Author.id).all())",
        ),
        pair(
            "with_tags(Book.query.options(joinedload(Book.tags)).order_by(Book.id).limit(3).all())",
            "with_tags(Book.query.options(joinedload(Book.tags)).order_by(Book.id).limit(3).all())",
        ),
        pair(
            "with_tags(Book.query.options(joinedload(Book.tags)).order_by(Book.id).offset(30).limit(5).all())",
            "with_tags(Book.query.options(joinedload(Book.tags)).order_by(Book.id).offset(30).limit(5).all())",
        ),
        pair(
            "ids(Author.query.join(Book).filter_by(#{ id: 1 }).order_by(Author.id).all())",
            "ids(Author.query.join(Book).filter_by(id=1).order_by(Author.id).all())",
        ),
        pair(
            "Book.query.filter(Book.is_public.is_not(false)).count()",
            "Book.query.filter(Book.is_public.is_not(False)).count()",
        ),
        pair(
            "Book.query.filter(Book.is_public.is_(true)).count()",
            "Book.query.filter(Book.is_public.is_(True)).count()",
        ),
        pair(
            "rows(Book.query.filter(Book.id < 6).order_by(Book.id).with_entities(Book.pages / 3, Book.pages / 2.0, Book.pages * 1.5, Book.title + \"!\", Book.title + Book.title).all())",
            "rows(Book.query.filter(Book.id < 6).order_by(Book.id).with_entities(Book.pages / 3, Book.pages / 2.0, Book.pages * 1.5, Book.title + \"!\", Book.title + Book.title).all())",
        ),
        pair(
            "rows(Book.query.filter(Book.id < 8).order_by(Book.id).with_entities(Book.pages - (Book.id + Book.author_id), Book.pages % (Book.id * 2), Book.pages - (Book.id - 1), func.coalesce(Book.is_public, false)).all())",
            "rows(Book.query.filter(Book.id < 8).order_by(Book.id).with_entities(Book.pages - (Book.id + Book.author_id), Book.pages % (Book.id * 2), Book.pages - (Book.id - 1), func.coalesce(Book.is_public, False)).all())",
        ),
        pair(
            "rows(Book.query.with_entities(func.min(Book.published), func.max(Book.published), func.sum(Book.pages)).all())",
            "rows(Book.query.with_entities(func.min(Book.published), func.max(Book.published), func.sum(Book.pages)).all())",
        ),
    ]
}

const QUERIES: usize = 200;

fn same_answers_as_flask_sqlalchemy(kind: Kind) {
    let Some(python) = peer_python() else {
        return;
    };
    let seed: u64 = std::env::var("ORMSH_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_0000 + kind as u64);
    let mut rng = Rng(seed);
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    project.run_ok(&seed_script(&mut rng));

    let mut queries = fixed_cases();
    queries.extend((0..QUERIES).map(|_| random_query(&mut rng)));

    let mut script = String::from(RHAI_HELPERS);
    for (rhai, _) in &queries {
        script +=
            &format!("try {{ print(canon({rhai})); }} catch (e) {{ print(`error ${{e}}`); }}\n");
    }
    let (ours, _) = project.run_ok(&script);

    let mut peer = format!(
        "URL = {:?}\n{PEER_MODELS}\nwith app.app_context():\n",
        sqlalchemy_url(&db.url)
    );
    for (_, py) in &queries {
        peer += &format!(
            "    try:\n        print(canon({py}))\n    except Exception as e:\n        print('error ' + repr(e).replace(chr(10), ' '))\n    db.session.rollback()\n"
        );
    }
    let theirs = run_python(&python, project.path(), &peer);

    if std::env::var_os("ORMSH_DIFF_SHOW").is_some() {
        eprintln!("{ours}");
    }
    let ours: Vec<&str> = ours.lines().collect();
    let theirs: Vec<&str> = theirs.lines().collect();
    assert_eq!(ours.len(), queries.len(), "{kind:?}: one line per query");
    assert_eq!(theirs.len(), queries.len(), "{kind:?}: one line per query");
    let mut differences = Vec::new();
    for (i, ((rhai, py), (a, b))) in queries.iter().zip(ours.iter().zip(&theirs)).enumerate() {
        if a != b || a.starts_with("error") {
            differences.push(format!(
                "query {i}\n  ormsh:  {rhai}\n  Flask:  {py}\n  ormsh gives {a}\n  Flask gives {b}"
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{kind:?}, seed {seed} (ORMSH_DIFF_SEED={seed} repeats it): {} of {} queries differ:\n{}",
        differences.len(),
        queries.len(),
        differences.join("\n")
    );
}

on_every_database!(same_answers_as_flask_sqlalchemy);
