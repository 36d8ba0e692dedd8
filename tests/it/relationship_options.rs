//! `viewonly` and `passive_deletes` (#23 item 1), read from a models.py on
//! every database. Real Flask-SQLAlchemy deletes one user and ormsh the
//! other, from the same rows: each leaves the same rows behind (a user's
//! posts kept with their key cleared; the notes of a `passive_deletes`
//! relationship left to the database's ON DELETE, never loaded). A viewonly
//! relationship reads the same objects and refuses to be changed.

use std::process::Command;

use crate::common::python::{peer_python, run_python, sqlalchemy_url};
use crate::common::{Kind, TestDb};

const MODELS: &str = r#"
class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))
    posts = db.relationship('Post', backref='author', order_by='Post.id')
    all_posts = db.relationship('Post', viewonly=True, order_by='Post.id')
    notes = db.relationship('Note', passive_deletes=True, order_by='Note.id')


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(20))
    user_id = db.Column(db.Integer, db.ForeignKey('user.id'))


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(20))
    user_id = db.Column(db.Integer, db.ForeignKey('user.id', ondelete='CASCADE'))
"#;

fn deletes_leave_the_rows_flask_leaves(kind: Kind) {
    let Some(python) = peer_python() else { return };
    let db = TestDb::new(kind);
    let url = if kind == Kind::Sqlite {
        format!("sqlite:///{}", db.sqlx_url)
    } else {
        sqlalchemy_url(&db.url)
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        format!(
            "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = {url:?}\ndb = SQLAlchemy(app)\n{MODELS}"
        ),
    )
    .unwrap();
    run_python(
        &python,
        dir.path(),
        "from app import *\nwith app.app_context():\n    db.create_all()\n    for n in ['a', 'b']:\n        u = User(name=n)\n        u.posts = [Post(title=n + '1'), Post(title=n + '2')]\n        u.notes = [Note(text=n + '1'), Note(text=n + '2')]\n        db.session.add(u)\n    db.session.commit()\n    print(User.query.filter_by(name='b').one().all_posts)\n    db.session.delete(User.query.filter_by(name='b').one())\n    db.session.commit()\n",
    );
    let out = Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("FLASK_APP")
        .env("HOME", dir.path())
        .args([
            "--no-echo",
            "-c",
            r#"let a = User.query.filter_by(#{ name: "a" }).one();
               print(a.all_posts);
               db.session.delete(a);
               db.session.commit();"#,
        ])
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &*String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{kind:?}: {text}");
    assert!(text.starts_with("[<Post 1>, <Post 2>]"), "{kind:?}: {text}");
    // Each side's rows, by the suffix of their text: the same for both.
    let side = |table: &str, column: &str, prefix: &str| {
        db.rows(&format!(
            "SELECT {column}, CASE WHEN user_id IS NULL THEN 'null' ELSE 'kept' END FROM {table} WHERE {column} LIKE '{prefix}%' ORDER BY id"
        ))
        .into_iter()
        .map(|r| (r[0][1..].to_string(), r[1].clone()))
        .collect::<Vec<_>>()
    };
    for (table, column) in [("post", "title"), ("note", "text")] {
        let flask = side(table, column, "b");
        assert_eq!(side(table, column, "a"), flask, "{kind:?}: {table}");
    }
    // The posts were loaded and their key cleared, on every database.
    assert_eq!(side("post", "title", "a").len(), 2);
    assert!(side("post", "title", "a").iter().all(|(_, k)| k == "null"));
    // The notes were left to the database: kept on SQLite (no enforced
    // keys), deleted by ON DELETE CASCADE on a server.
    let notes = side("note", "text", "a");
    if kind == Kind::Sqlite {
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes.iter().all(|(_, k)| k == "kept"));
    } else {
        assert!(notes.is_empty(), "{kind:?}: {notes:?}");
    }
}
crate::on_every_database!(deletes_leave_the_rows_flask_leaves);

/// A viewonly relationship is read, never written through: each way of
/// changing it is refused, and nothing is written.
#[test]
fn a_viewonly_relationship_refuses_changes() {
    let db = TestDb::new(Kind::Sqlite);
    let project = crate::common::Project::new(
        &db.url,
        r#"db.Model("User", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.relationship("posts", "Post", #{ backref: "author" }),
    db.relationship("all_posts", "Post", #{ viewonly: true }),
]);
db.Model("Post", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("user_id", db.Integer, db.ForeignKey("user.id")),
    db.relationship("owner", "User", #{ viewonly: true }),
]);
"#,
    );
    project.run_ok("db.create_all(); let u = User(); u.posts.append(Post()); db.session.add(u); db.session.add(User());");
    for code in [
        "User.query.get(1).all_posts.append(Post())",
        "User.query.get(1).all_posts.remove(Post.query.get(1))",
        "let u = User.query.get(2); u.all_posts = [Post.query.get(1)]",
        "let p = Post.query.get(1); p.owner = User.query.get(2)",
    ] {
        let out = project
            .ormsh()
            .args(["-c", &format!("{code}; db.session.commit()")])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains("is viewonly"),
            "{code}: {err}"
        );
    }
    assert_eq!(db.scalar("SELECT user_id FROM post"), "1");
    assert_eq!(db.scalar("SELECT count(*) FROM post"), "1");
    // A viewonly relationship with a delete cascade is refused at its line.
    let bad = crate::common::Project::new(
        &db.url,
        r#"db.Model("User", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.relationship("all_posts", "Post", #{ viewonly: true, cascade: "all, delete-orphan" }),
]);
db.Model("Post", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("user_id", db.Integer, db.ForeignKey("user.id")),
]);
"#,
    );
    let out = bad.ormsh().args(["-c", "1"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("models.rhai:3") && err.contains("viewonly"),
        "{err}"
    );
}

const WRITE_ONLY: &str = r#"
from typing import Optional
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship


class User(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    posts: WriteOnlyMapped['Post'] = relationship(back_populates='author', order_by='Post.id')


class Post(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey('user.id'))
    author: Mapped[Optional['User']] = relationship(back_populates='posts')
"#;

/// A `WriteOnlyMapped` collection (Flask-SQLAlchemy 3.1 with SQLAlchemy
/// 2.0): `add`, `add_all`, `remove` and `select()` write and read the same
/// rows in ormsh as in Flask.
fn write_only_collections_match_flask(kind: Kind) {
    let Some(python) = peer_python() else { return };
    let db = TestDb::new(kind);
    let url = if kind == Kind::Sqlite {
        format!("sqlite:///{}", db.sqlx_url)
    } else {
        sqlalchemy_url(&db.url)
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        format!(
            "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = {url:?}\ndb = SQLAlchemy(app)\n{WRITE_ONLY}"
        ),
    )
    .unwrap();
    let flask = run_python(
        &python,
        dir.path(),
        "from app import *\nwith app.app_context():\n    db.create_all()\n    u = User(name='b')\n    db.session.add(u)\n    u.posts.add_all([Post(title='b1'), Post(title='b2'), Post(title='b3')])\n    u.posts.add(Post(title='b4'))\n    db.session.commit()\n    u.posts.remove(db.session.scalars(u.posts.select().filter_by(title='b2')).one())\n    db.session.commit()\n    print([p.title[1:] for p in db.session.scalars(u.posts.select()).all()])\n",
    );
    let out = Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("FLASK_APP")
        .env("HOME", dir.path())
        .args([
            "--no-echo",
            "-c",
            r#"let u = User(#{ name: "a" });
               db.session.add(u);
               u.posts.add_all([Post(#{ title: "a1" }), Post(#{ title: "a2" }), Post(#{ title: "a3" })]);
               u.posts.add(Post(#{ title: "a4" }));
               db.session.commit();
               u.posts.remove(db.session.scalars(u.posts.select().filter_by(#{ title: "a2" })).one());
               db.session.commit();
               let titles = [];
               for p in db.session.scalars(u.posts.select()).all() { titles.push(p.title.sub_string(1)); }
               print(titles);"#,
        ])
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &*String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{kind:?}: {text}");
    assert_eq!(flask.trim(), "['1', '3', '4']", "{kind:?}");
    assert_eq!(text.trim(), r#"["1", "3", "4"]"#, "{kind:?}");
    // The row taken out keeps its row, its key cleared, on both sides.
    assert_eq!(
        db.rows("SELECT title FROM post WHERE user_id IS NULL ORDER BY id"),
        vec![vec!["b2".to_string()], vec!["a2".to_string()]]
    );
}
crate::on_every_database!(write_only_collections_match_flask);
