//! `column_property`: a read-only attribute whose value is an SQL
//! expression of the row (`first + " " + last`, a correlated count of
//! posts), selected with the object, usable in `filter`/`order_by`, expired
//! at commit and by a flush of the object, refused when set, and no column
//! of the table. Real SQLAlchemy reads the same rows with the same
//! `column_property` and gives the same answers.

use crate::common::python::{peer_python, run_python, sqlalchemy_url};
use crate::common::{Kind, Project, TestDb};

const MODELS: &str = r#"
db.Model("Person", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("first", db.String(40)),
    db.Column("last", db.String(40)),
    db.relationship("posts", "Post", #{ backref: "person", lazy: "joined" }),
], #{
    column_property: #{
        full: || Person.first + " " + Person.last,
        post_count: || db.select(db.func.count(Post.id)).where(Post.person_id == Person.id).scalar_subquery(),
    },
});
db.Model("Post", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("person_id", db.Integer, db.ForeignKey("person.id")),
    db.Column("title", db.String(40)),
]);
"#;

const PEER: &str = r#"
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Session, column_property, relationship

class Base(DeclarativeBase):
    pass

class Post(Base):
    __tablename__ = 'post'
    id = sa.Column(sa.Integer, primary_key=True)
    person_id = sa.Column(sa.Integer, sa.ForeignKey('person.id'))
    title = sa.Column(sa.String(40))

class Person(Base):
    __tablename__ = 'person'
    id = sa.Column(sa.Integer, primary_key=True)
    first = sa.Column(sa.String(40))
    last = sa.Column(sa.String(40))
    full = column_property(first + ' ' + last)
    post_count = column_property(
        sa.select(sa.func.count(Post.id)).where(Post.person_id == id).correlate_except(Post).scalar_subquery())
    posts = relationship(Post, backref='person', lazy='joined')

engine = sa.create_engine(URL)
with Session(engine) as s:
    for p in s.scalars(sa.select(Person).order_by(Person.post_count.desc(), Person.id)).unique():
        print(p.full, p.post_count)
    print(s.scalars(sa.select(Person.first).where(Person.full == 'Bob Ray')).one())
    for post in s.scalars(sa.select(Post).order_by(Post.id)):
        print(post.title, post.person.full, post.person.post_count)
"#;

fn column_property_reads_filters_and_refuses(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    let (out, err) = project.ok(&[
        "--no-echo",
        "-c",
        r#"db.create_all();
           let a = Person(#{ first: "Ann", last: "Lee" });
           let b = Person(#{ first: "Bob", last: "Ray" });
           db.session.add(a); db.session.add(b);
           db.session.commit();
           print(`${a.full} ${a.post_count}`);
           db.session.add(Post(#{ person_id: a.id, title: "x" }));
           db.session.add(Post(#{ person_id: a.id, title: "y" }));
           db.session.add(Post(#{ person_id: b.id, title: "z" }));
           db.session.flush();
           print(`flushed ${a.post_count}`);
           db.session.commit();
           print(`committed ${a.post_count}`);
           print(Person.query.filter(Person.full == "Bob Ray").one().first);
           print(Person.query.filter_by(#{ full: "Ann Lee" }).count());
           for p in Person.query.order_by(Person.post_count.desc(), Person.id).limit(5).all() {
               print(`${p.full} ${p.post_count}`);
           }
           for post in Post.query.order_by(Post.id).all() {
               print(`${post.title} ${post.person.full} ${post.person.post_count}`);
           }
           b.first = "Bo";
           db.session.flush();
           print(b.full);
           db.session.rollback();
           print(b.full);"#,
    ]);
    assert_eq!(
        out,
        "Ann Lee 0\nflushed 0\ncommitted 2\nBob\n1\nAnn Lee 2\nBob Ray 1\nx Ann Lee 2\ny Ann Lee 2\nz Bob Ray 1\nBo Ray\nBob Ray\n",
        "{kind:?}: {err}"
    );
    // No column of the table holds it.
    assert_eq!(
        db.rows("SELECT id, first, last FROM person ORDER BY id"),
        vec![vec!["1", "Ann", "Lee"], vec!["2", "Bob", "Ray"]],
        "{kind:?}"
    );
    let (diff, err) = project.ok(&["db", "diff"]);
    assert!(diff.contains("no drift"), "{kind:?}: {diff}\n{err}");

    // Setting it is refused, in the constructor and after; nothing written.
    for code in [
        r#"let a = Person.query.first(); a.full = "X Y"; db.session.commit();"#,
        r#"db.session.add(Person(#{ first: "C", full: "C D" })); db.session.commit();"#,
        r#"Person.query.filter(Person.id == 1).update(#{ full: "X Y" }); db.session.commit();"#,
        r#"db.session.execute(db.update(Person).where(Person.id == 1).values(#{ full: "X Y" })); db.session.commit();"#,
        r#"db.session.execute(db.insert(Person).values(#{ first: "C", full: "C D" })); db.session.commit();"#,
    ] {
        let out = project
            .ormsh()
            .args(["--no-echo", "-c", code])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{kind:?}: {code}");
        assert!(
            err.contains("Person.full is a column_property")
                && (err.contains("cannot be set") || err.contains("cannot write it")),
            "{kind:?}: {err}"
        );
    }
    assert_eq!(
        db.rows("SELECT id, first, last FROM person ORDER BY id"),
        vec![vec!["1", "Ann", "Lee"], vec!["2", "Bob", "Ray"]],
        "{kind:?}"
    );

    // SQLAlchemy's answers over the same rows.
    if let Some(python) = peer_python() {
        let script = format!("URL = {:?}\n{PEER}", sqlalchemy_url(&db.url));
        let peer = run_python(&python, project.dir.path(), &script);
        let (out, err) = project.ok(&[
            "--no-echo",
            "-c",
            r#"for p in Person.query.order_by(Person.post_count.desc(), Person.id).all() { print(`${p.full} ${p.post_count}`); }
               print(db.session.execute(db.select(Person.first).where(Person.full == "Bob Ray")).scalar_one());
               for post in Post.query.order_by(Post.id).all() { print(`${post.title} ${post.person.full} ${post.person.post_count}`); }"#,
        ]);
        assert_eq!(out, peer, "{kind:?}: {err}");
    }
}
on_every_database!(column_property_reads_filters_and_refuses);

#[test]
fn column_property_is_dumped_and_what_is_no_expression_refused() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, MODELS);
    let (dump, err) = project.ok(&["models", "dump"]);
    assert!(
        dump.contains(r#"column_property: #{ full: || Person.first + " " + Person.last, post_count: || db.select("#)
            && !dump.contains(r#"db.Column("full""#),
        "{dump}\n{err}"
    );
    let reloaded = Project::new(&db.url, &dump);
    let (out, err) = reloaded.ok(&[
        "--no-echo",
        "-c",
        r#"db.create_all(); db.session.add(Person(#{ first: "A", last: "B" })); db.session.commit(); Person.query.first().full"#,
    ]);
    assert_eq!(out.trim(), "A B", "{err}");

    // A subquery's correlation would name the table, not the alias.
    let out = project
        .ormsh()
        .args(["-c", "aliased(Person)"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && err.contains("aliased(Person): its column_property `post_count` holds a subquery"),
        "{err}"
    );

    for (property, message) in [
        ("full: 3", "column_property `full` must be a closure"),
        ("full: || 3", "column_property gives a i64"),
        ("full: || Person.nope", "Person has no attribute `nope`"),
        ("first: || Person.last", "has the name of a column"),
    ] {
        let models = format!(
            "db.Model(\"Person\", [\n    db.Column(\"id\", db.Integer, #{{ primary_key: true }}),\n    db.Column(\"first\", db.String(40)),\n    db.Column(\"last\", db.String(40)),\n], #{{ column_property: #{{ {property} }} }});\n"
        );
        let project = Project::new(&db.url, &models);
        let out = project.ormsh().args(["-c", "1"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{property}: {err}");
        assert!(
            err.contains("models.rhai") && err.contains(message),
            "{property}: {err}"
        );
    }
}

const FLASK_APP: &str = r#"import os
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import column_property

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = os.environ.get('DATABASE_URL') or 'sqlite:///app.db'
db = SQLAlchemy(app)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    person_id = db.Column(db.Integer, db.ForeignKey('person.id'))
    title = db.Column(db.String(40))


class Person(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    first = db.Column(db.String(40))
    last = db.Column(db.String(40))
    full = column_property(first + ' ' + last)
    post_count = column_property(
        db.select(db.func.count(Post.id)).where(Post.person_id == id).correlate_except(Post).scalar_subquery())
    shout = column_property(db.func.coalesce(last, '?'))
    odd = column_property(db.case((first == 'Ann', 1), else_=0))
"#;

const FLASK_SEED: &str = r#"
from app import app, db, Person, Post
with app.app_context():
    db.create_all()
    a, b = Person(first='Ann', last='Lee'), Person(first='Bob', last='Ray')
    db.session.add_all([a, b])
    db.session.flush()
    db.session.add_all([Post(person_id=a.id, title='x'), Post(person_id=a.id, title='y'), Post(person_id=b.id, title='z')])
    db.session.commit()
    for p in Person.query.order_by(Person.post_count.desc(), Person.id):
        print(p.full, p.post_count, p.shout)
    print(Person.query.filter(Person.full == 'Bob Ray').one().first)
"#;

/// A Flask project's `column_property`s, read from its Python: those made
/// of columns, `func.*` and a correlated count answer as SQLAlchemy does
/// over the rows it wrote; one the reader cannot evaluate stays Python's.
fn flask_column_property_answers_as_sqlalchemy(kind: Kind) {
    let Some(python) = peer_python() else { return };
    let db = TestDb::new(kind);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), FLASK_APP).unwrap();
    let url = match kind {
        Kind::Sqlite => String::new(),
        _ => sqlalchemy_url(&db.url),
    };
    std::fs::write(dir.path().join(".env"), format!("DATABASE_URL={url}\n")).unwrap();
    let peer = run_python(
        &python,
        dir.path(),
        &format!("import os\nos.environ['DATABASE_URL'] = {url:?}\n{FLASK_SEED}"),
    );
    let run = |code: &str| {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("FLASK_APP")
            .env("HOME", dir.path())
            .args(["--no-echo", "-c", code])
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (ok, out, err) = run(
        r#"for p in Person.query.order_by(Person.post_count.desc(), Person.id).all() { print(`${p.full} ${p.post_count} ${p.shout}`); }
           print(Person.query.filter(Person.full == "Bob Ray").one().first);"#,
    );
    assert!(ok, "{kind:?}: {out}\n{err}");
    assert_eq!(out, peer, "{kind:?}: {err}");
    assert_eq!(out, "Ann Lee 2 Lee\nBob Ray 1 Ray\nBob\n", "{kind:?}");
    let (ok, _, err) = run("Person.query.first().odd");
    let line = FLASK_APP
        .lines()
        .position(|l| l.contains("odd = column_property"))
        .unwrap()
        + 1;
    assert!(
        !ok && err.contains(&format!(
            "Person.odd is a column property defined in Python at app.py:{line}"
        )),
        "{kind:?}: {err}"
    );
    let (ok, _, err) = run(r#"let p = Person.query.first(); p.full = "X";"#);
    assert!(!ok && err.contains("cannot be set"), "{kind:?}: {err}");
}
on_every_database!(flask_column_property_answers_as_sqlalchemy);
