//! tests/test_model_bind.py, tests/test_table_bind.py, tests/test_metadata.py
//! and tests/test_session.py (Flask-SQLAlchemy 3.1), translated: where a
//! model's or a table's rows live when binds, inheritance, an abstract
//! parent, `db.Table(.., bind_key=)` and a naming convention meet; what
//! `create_all`/`drop_all` make and drop, on every bind or on the one named.
//! Upstream asserts which `MetaData` object holds a table; here the table
//! is looked for in each SQLite file, and real Flask-SQLAlchemy's schema is
//! compared with ormsh's (`db diff`).
//!
//! Not meaningful in a shell (Python objects a shell user neither sees nor
//! sets): test_metadata.py::test_default_metadata, test_custom_metadata,
//! test_metadata_per_bind (`db.metadatas[..]` identity);
//! test_model_bind.py::test_explicit_metadata and
//! test_table_bind.py::test_explicit_metadata (a `MetaData()` outside
//! Flask-SQLAlchemy's); test_session.py::test_scope, test_custom_scope,
//! test_session_class (scoped-session plumbing, `session_options`).

use std::path::Path;
use std::process::Command;

use crate::common::python::{ormsh_in, peer_python, run_python};

fn ormsh(dir: &Path, code: &str) -> (bool, String) {
    ormsh_in(dir, &["--no-echo", "-c", code])
}

/// (name, CREATE TABLE) of each table in a SQLite file, by name.
fn tables(path: &Path) -> Vec<(String, String)> {
    if !path.exists() {
        return Vec::new();
    }
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn names(path: &Path) -> Vec<String> {
    tables(path).into_iter().map(|(n, _)| n).collect()
}

/// test_model_bind.py::test_inherit_parent and test_session.py::
/// test_get_bind_inheritance (a joined subclass lives on its parent's bind
/// and reloads from there after `expire`), test_inherit_abstract_parent
/// (the bind of an abstract parent), test_explicit_table (a model on a
/// `db.Table` lives on the table's bind, not its own `__bind_key__`),
/// test_model_bind.py/test_table_bind.py::test_bind_key_default (no bind:
/// the default database); test_metadata.py::test_create_drop_all,
/// test_create_key_spec (`bind_key="a"` and `["a"]`),
/// test_copy_naming_convention (the convention holds on every bind).
#[test]
fn binds_inheritance_and_create_all() {
    let Some(python) = peer_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("main.db");
    let auth = dir.path().join("auth.db");
    let other = dir.path().join("other.db");
    std::fs::write(
        dir.path().join("app.py"),
        format!(
            r#"import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///{main}'
app.config['SQLALCHEMY_BINDS'] = {{'auth': 'sqlite:///{auth}', 'other': 'sqlite:///{other}'}}
db = SQLAlchemy(app, metadata=sa.MetaData(naming_convention={{"pk": "spk_%(table_name)s"}}))

class User(db.Model):
    __bind_key__ = "auth"
    id = sa.Column(sa.Integer, primary_key=True)
    type = sa.Column(sa.String(20), nullable=False)
    __mapper_args__ = {{"polymorphic_on": type, "polymorphic_identity": "user"}}

class Admin(User):
    id = sa.Column(sa.Integer, sa.ForeignKey(User.id), primary_key=True)
    org = sa.Column(sa.String(20), nullable=False)
    __mapper_args__ = {{"polymorphic_identity": "admin"}}

class AbstractMember(db.Model):
    __abstract__ = True
    __bind_key__ = "auth"

class Member(AbstractMember):
    id = sa.Column(sa.Integer, primary_key=True)

role_table = db.Table("role", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)), bind_key="auth")

class Role(db.Model):
    __bind_key__ = "other"
    __table__ = role_table

class Post(db.Model):
    id = sa.Column(sa.Integer, primary_key=True)
"#,
            main = main.display(),
            auth = auth.display(),
            other = other.display()
        ),
    )
    .unwrap();
    // Before create_all there is no table to read, on either database.
    for model in ["Post", "Member"] {
        let (ok, out) = ormsh(
            dir.path(),
            &format!("db.session.execute(db.select({model})).scalars().all()"),
        );
        assert!(!ok && out.contains("no such table"), "{out}");
    }
    // create_all on the bind named makes its tables only.
    for spec in [r#""auth""#, r#"["auth"]"#] {
        let (ok, out) = ormsh(
            dir.path(),
            &format!(
                "db.create_all(#{{ bind_key: {spec} }}); print(db.session.execute(db.select(Member)).scalars().all().len());"
            ),
        );
        assert!(ok && out.starts_with("0\n"), "{out}");
        assert_eq!(names(&auth), ["admin", "member", "role", "user"]);
        assert!(names(&main).is_empty());
        let (ok, out) = ormsh(
            dir.path(),
            "db.session.execute(db.select(Post)).scalars().all()",
        );
        assert!(!ok && out.contains("no such table"), "{out}");
    }
    let (ok, out) = ormsh(
        dir.path(),
        r#"db.create_all();
           db.session.add(Admin(#{ org: "pallets" })); db.session.add(Role(#{ name: "r" })); db.session.add(Member());
           db.session.commit();
           let admin = db.session.execute(db.select(Admin)).scalar_one();
           db.session.expire(admin);
           print(admin.org);
           print(db.session.execute(db.select(Post)).scalars().all().len());"#,
    );
    assert!(ok, "{out}");
    assert_eq!(out, "pallets\n0\n");
    assert_eq!(names(&main), ["post"]);
    assert!(names(&other).is_empty(), "{:?}", names(&other));
    // The naming convention names the primary key on every bind.
    for (name, sql) in tables(&auth).into_iter().chain(tables(&main)) {
        assert!(
            sql.contains(&format!("CONSTRAINT spk_{name} PRIMARY KEY")),
            "{sql}"
        );
    }
    // Real Flask-SQLAlchemy reads the rows where ormsh wrote them.
    let back = run_python(
        &python,
        dir.path(),
        "from app import *\nwith app.app_context():\n    print(db.session.execute(db.select(User)).scalar_one().org, db.session.execute(db.select(Role)).scalar_one().name, len(db.session.execute(db.select(Member)).scalars().all()))\n",
    );
    assert_eq!(back.trim(), "pallets r 1");
    // drop_all drops every bind's tables.
    let (ok, out) = ormsh(dir.path(), "db.drop_all(#{ confirm: true });");
    assert!(ok, "{out}");
    assert!(names(&main).is_empty() && names(&auth).is_empty());
    // Flask-SQLAlchemy's own create_all makes what ormsh expects: no drift.
    run_python(
        &python,
        dir.path(),
        "from app import *\nwith app.app_context():\n    db.create_all()\n",
    );
    let diff = Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env("HOME", dir.path())
        .args(["db", "diff"])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(0), "{diff:?}");
}
