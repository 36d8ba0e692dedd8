//! A migrations folder made by real `flask db init --multidb` (a revision
//! holds `upgrade_()` and `upgrade_<bind>()`): `ormsh db upgrade` and
//! `downgrade` apply each database's functions to that database, as real
//! `flask db upgrade` does, and either tool takes over from the other;
//! `current` says where each database is, as Flask-Migrate prints it; the
//! commands that would write such revisions or read one database's
//! revision are refused with the databases named, touching no database;
//! what only reads the folder (`heads`) answers as Flask-Migrate does.

use crate::common::{Kind, TestDb};
use crate::migrations::schema;
use crate::migrations_autogenerate::Project;

const APP: &str = r#"import os
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_migrate import Migrate

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite:///app.db")
app.config["SQLALCHEMY_BINDS"] = {"users": "USERS_URL"}
db = SQLAlchemy(app)
migrate = Migrate(app, db)

from models import *  # noqa
"#;

const MODELS: &str = r#"from app import db


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(100))


class Account(db.Model):
    __bind_key__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
"#;

#[test]
fn multidb_folders_apply_per_database() {
    let Some(p) = Project::new(MODELS) else {
        return;
    };
    let db = TestDb::new(Kind::Sqlite);
    let users = TestDb::new(Kind::Sqlite);
    std::fs::write(
        p.path().join("app.py"),
        APP.replace("USERS_URL", &users.url),
    )
    .unwrap();
    p.flask(&db, &["init", "--multidb"]);
    p.flask(&db, &["migrate", "-m", "one"]);
    let files = p.files();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(p.versions().join(&files[0])).unwrap();
    assert!(text.contains("def upgrade_users():"), "{text}");

    let before = db.rows("SELECT name, sql FROM sqlite_master ORDER BY name");
    let users_before = users.rows("SELECT name, sql FROM sqlite_master ORDER BY name");
    for args in [
        &["stamp", "--sql", "head"][..],
        &["migrate", "-m", "two"],
        &["check"],
        &["revision", "-m", "x"],
    ] {
        let (code, out, err) = p.ormsh(&db, args);
        assert_eq!(code, 2, "ormsh db {args:?}:\n{out}\n{err}");
        assert!(
            err.contains("was made by `flask db init --multidb`")
                && err.contains("the default database (upgrade_())")
                && err.contains("bind users (upgrade_users())")
                && err.contains(&format!(
                    "run `flask db {}`",
                    args[0].replace("check", "migrate")
                )),
            "ormsh db {args:?}:\n{err}"
        );
    }
    assert_eq!(p.files(), files, "nothing written");
    assert_eq!(
        db.rows("SELECT name, sql FROM sqlite_master ORDER BY name"),
        before,
        "nothing applied"
    );
    assert!(!before.iter().any(|r| r[0] == "post"), "{before:?}");
    assert_eq!(
        users.rows("SELECT name, sql FROM sqlite_master ORDER BY name"),
        users_before,
        "nothing applied to the bind"
    );
    assert_eq!(p.ormsh_ok(&db, &["heads"]), p.flask(&db, &["heads"]));

    // Upgrade: each database gets its own tables and alembic_version.
    let (code, out, err) = p.ormsh(&db, &["upgrade"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(err.contains("Migrating database users"), "{err}");
    let tables = |d: &TestDb| {
        d.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .into_iter()
            .map(|r| r[0].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(tables(&db), ["alembic_version", "post"]);
    assert_eq!(tables(&users), ["account", "alembic_version"]);
    let head = p.flask(&db, &["heads"]);
    let head = head.split_whitespace().next().unwrap().to_string();
    for d in [&db, &users] {
        assert_eq!(d.scalar("SELECT version_num FROM alembic_version"), head);
    }
    // current: one line a database, as Flask-Migrate prints it.
    let current = p.ormsh_ok(&db, &["current"]);
    assert_eq!(current, format!("{head} (head)\n{head} (head)\n"));
    assert_eq!(current, p.flask(&db, &["current"]));
    let mine = (schema(&db), schema(&users));
    // Real Flask-Migrate takes over: it sees both at head, and its
    // downgrade and upgrade give the same schema.
    p.flask(&db, &["downgrade", "base"]);
    assert_eq!(tables(&users), ["alembic_version"]);
    p.flask(&db, &["upgrade"]);
    assert_eq!((schema(&db), schema(&users)), mine, "flask's upgrade");
    // And ormsh's downgrade reverts both.
    p.ormsh_ok(&db, &["downgrade", "base"]);
    assert_eq!(tables(&db), ["alembic_version"]);
    assert_eq!(tables(&users), ["alembic_version"]);
    p.flask(&db, &["upgrade"]);
    assert_eq!((schema(&db), schema(&users)), mine, "flask after ormsh");
    // stamp sets every database's alembic_version.
    p.ormsh_ok(&db, &["stamp", "base"]);
    for d in [&db, &users] {
        assert!(d.rows("SELECT version_num FROM alembic_version").is_empty());
    }
    p.ormsh_ok(&db, &["stamp", "head"]);
    assert_eq!(p.flask(&db, &["current"]), current);
}
