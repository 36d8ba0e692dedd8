//! A migrations folder made by real `flask db init --multidb` (a revision
//! holds `upgrade_()` and `upgrade_<bind>()`): `ormsh db upgrade` and
//! `downgrade` apply each database's functions to that database, as real
//! `flask db upgrade` does, and either tool takes over from the other;
//! `current` says where each database is, as Flask-Migrate prints it;
//! `ormsh db migrate` writes a revision as Flask-Migrate's multidb template
//! does, each database's models against that database, which real `flask
//! db upgrade` and `downgrade` apply and revert (an enum value that would
//! need an autocommit block, which the multidb env.py cannot run, is
//! refused), and `db revision` an empty one as `flask db revision` does;
//! `--sql` writes each database's script to a file of its own, as
//! Flask-Migrate does, reading no database; what only reads the folder
//! (`heads`) answers as Flask-Migrate does.

use crate::common::python::sqlalchemy_url;
use crate::common::{Kind, TestDb, kinds};
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

/// A project with `models`, the default database and the bind `users`
/// of `kind`, and a folder made by real `flask db init --multidb`.
fn multidb_project(kind: Kind, models: &str) -> Option<(Project, TestDb, TestDb)> {
    let p = Project::new(models)?;
    let db = TestDb::new(kind);
    let users = TestDb::new(kind);
    std::fs::write(
        p.path().join("app.py"),
        APP.replace("USERS_URL", &sqlalchemy_url(&users.url)),
    )
    .unwrap();
    p.flask(&db, &["init", "--multidb"]);
    Some((p, db, users))
}

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

const MODELS_V2: &str = r#"from app import db


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(100))


class Account(db.Model):
    __bind_key__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), index=True)
    email = db.Column(db.String(120), unique=True)


class Login(db.Model):
    __bind_key__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    account_id = db.Column(db.Integer, db.ForeignKey("account.id"), nullable=False)
"#;

/// A revision file with its id and date taken out and each function's
/// body cut to whether it passes, to compare two tools' layout (the
/// operations themselves are judged by applying them).
fn normalized(text: &str) -> String {
    let id = text
        .lines()
        .find_map(|l| l.strip_prefix("Revision ID: "))
        .unwrap()
        .trim()
        .to_string();
    let mut out = Vec::new();
    let mut in_body = false;
    for line in text.lines().filter(|l| !l.starts_with("Create Date: ")) {
        if line.starts_with("def upgrade_") || line.starts_with("def downgrade_") {
            in_body = true;
        } else if in_body && (line.starts_with("    ") || line.is_empty()) {
            if line.trim() == "pass" {
                out.push("    pass".to_string());
            }
            continue;
        }
        out.push(line.replace(&id, "REV"));
    }
    out.join("\n")
}

/// What real `flask db migrate` writes at this point: the migrations
/// folder copied and the revision written into the copy.
fn flask_twin(p: &Project, db: &TestDb, message: &str) -> String {
    flask_twin_of(p, db, "migrate", message)
}

/// What real `flask db COMMAND -m MESSAGE` writes into a copy of the
/// migrations folder.
fn flask_twin_of(p: &Project, db: &TestDb, command: &str, message: &str) -> String {
    let twin = p.path().join("twin");
    let _ = std::fs::remove_dir_all(&twin);
    std::fs::create_dir_all(twin.join("versions")).unwrap();
    let migrations = p.path().join("migrations");
    for entry in std::fs::read_dir(&migrations).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), twin.join(entry.file_name())).unwrap();
        }
    }
    for f in p.files() {
        std::fs::copy(p.versions().join(&f), twin.join("versions").join(&f)).unwrap();
    }
    p.flask(db, &[command, "-d", "twin", "-m", message]);
    let mut new: Vec<String> = std::fs::read_dir(twin.join("versions"))
        .unwrap()
        .filter_map(|e| {
            let n = e.ok()?.file_name().to_string_lossy().into_owned();
            (n.ends_with(".py") && !p.files().contains(&n)).then_some(n)
        })
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    std::fs::read_to_string(twin.join("versions").join(new.pop().unwrap())).unwrap()
}

#[test]
fn multidb_migrate_writes_each_databases_functions() {
    for kind in kinds() {
        let Some((p, db, users)) = multidb_project(kind, MODELS) else {
            return;
        };

        // Both databases empty: each gets its own table.
        let expected = flask_twin(&p, &db, "one");
        let text = p.migrate(&db, &["-m", "one"]);
        assert_eq!(normalized(&text), normalized(&expected), "{kind:?}");
        assert!(
            text.contains("def upgrade_users():") && text.contains("def upgrade_():"),
            "{text}"
        );
        let empty = (schema(&db), schema(&users));
        p.flask(&db, &["upgrade"]);
        let (ok, out, err) = p.flask_run(&db, &["check"]);
        assert!(ok, "{kind:?} flask db check:\n{out}\n{err}");
        let (code, out, err) = p.ormsh(&db, &["check"]);
        assert_eq!(code, 0, "{kind:?} ormsh db check:\n{out}\n{err}");
        assert!(out.contains("No new upgrade operations detected."), "{out}");
        let (code, _, err) = p.ormsh(&db, &["migrate", "-m", "none"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("No changes in schema detected."), "{err}");
        assert_eq!(p.files().len(), 1);

        // Only the bind changes: the default database's functions pass.
        p.models(MODELS_V2);
        let (code, out, _) = p.ormsh(&db, &["check"]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("database users:"), "{out}");
        let expected = flask_twin(&p, &db, "two");
        let text = p.migrate(&db, &["-m", "two"]);
        assert_eq!(normalized(&text), normalized(&expected), "{kind:?}");
        let one = (schema(&db), schema(&users));
        p.flask(&db, &["upgrade"]);
        assert!(users.has_table("login"), "{kind:?}");
        let (ok, out, err) = p.flask_run(&db, &["check"]);
        assert!(ok, "{kind:?} flask db check:\n{out}\n{err}");
        assert_eq!(p.ormsh(&db, &["check"]).0, 0, "{kind:?}");
        let two = (schema(&db), schema(&users));
        p.flask(&db, &["downgrade"]);
        assert_eq!(
            (schema(&db), schema(&users)),
            one,
            "{kind:?} flask downgrade"
        );
        p.ormsh_ok(&db, &["upgrade"]);
        assert_eq!((schema(&db), schema(&users)), two, "{kind:?} ormsh upgrade");
        p.flask(&db, &["downgrade", "base"]);
        let base = |d: &TestDb| {
            schema(d)
                .into_iter()
                .filter(|r| !r.iter().any(|v| v.contains("alembic_version")))
                .collect::<Vec<_>>()
        };
        let strip = |s: &(Vec<Vec<String>>, Vec<Vec<String>>)| {
            (
                s.0.iter()
                    .filter(|r| !r.iter().any(|v| v.contains("alembic_version")))
                    .cloned()
                    .collect::<Vec<_>>(),
                s.1.iter()
                    .filter(|r| !r.iter().any(|v| v.contains("alembic_version")))
                    .cloned()
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!((base(&db), base(&users)), strip(&empty), "{kind:?} base");

        // An empty revision: each database's functions pass, as Flask-Migrate
        // writes them, and real `flask db upgrade` runs them.
        let expected = flask_twin_of(&p, &db, "revision", "empty");
        p.ormsh_ok(&db, &["revision", "-m", "empty"]);
        let new = p
            .files()
            .into_iter()
            .find(|f| f.ends_with("_empty.py"))
            .unwrap();
        let text = std::fs::read_to_string(p.versions().join(new)).unwrap();
        assert_eq!(normalized(&text), normalized(&expected), "{kind:?}");
        assert_eq!(text.matches("    pass\n").count(), 4, "{text}");
        p.flask(&db, &["upgrade"]);
        assert_eq!(p.ormsh(&db, &["check"]).0, 0, "{kind:?}");
    }
}

const TAGS: &str = r#"from app import db


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.Enum(VALUES, name="tagkind"), nullable=False, server_default="DEFAULT")


class Account(db.Model):
    __bind_key__ = "users"
    id = db.Column(db.Integer, primary_key=True)
"#;

/// A PostgreSQL enum value added and made a server default in one
/// revision needs an autocommit block, which Flask-Migrate's multidb
/// env.py (holding each database's transaction itself) cannot run:
/// `db migrate` says so and writes nothing; in two steps it goes through.
#[test]
fn multidb_enum_value_made_the_default_is_two_revisions() {
    if !crate::common::available(Kind::Postgres) {
        return;
    }
    let tags =
        |values: &str, default: &str| TAGS.replace("VALUES", values).replace("DEFAULT", default);
    let Some((p, db, _users)) = multidb_project(Kind::Postgres, &tags("\"plain\"", "plain")) else {
        return;
    };
    p.migrate(&db, &["-m", "tags"]);
    p.flask(&db, &["upgrade"]);
    let files = p.files();
    p.models(&tags("\"plain\", \"archived\"", "archived"));
    let (code, out, err) = p.ormsh(&db, &["migrate", "-m", "archived"]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        err.contains("database <default>: the enum type tagkind gets 'archived'")
            && err.contains("Write it as two revisions"),
        "{err}"
    );
    assert_eq!(p.files(), files, "nothing written");
    p.models(&tags("\"plain\", \"archived\"", "plain"));
    p.migrate(&db, &["-m", "archived value"]);
    p.flask(&db, &["upgrade"]);
    p.models(&tags("\"plain\", \"archived\"", "archived"));
    p.migrate(&db, &["-m", "archived by default"]);
    p.flask(&db, &["upgrade"]);
    let (ok, out, err) = p.flask_run(&db, &["check"]);
    assert!(ok, "{out}\n{err}");
    assert_eq!(p.ormsh(&db, &["check"]).0, 0);
    db.rows("INSERT INTO tag (id) VALUES (1)");
    assert_eq!(db.scalar("SELECT kind::text FROM tag"), "archived");
}

/// The statements of a `--sql` script, in order, without its comments and
/// its BEGIN and COMMIT, with the layout of their text and the RETURNING
/// SQLAlchemy 2.1 adds to `alembic_version`'s INSERT on some databases taken out.
pub(crate) fn script_statements(script: &str) -> Vec<String> {
    let text: String = script
        .lines()
        .filter(|l| !l.starts_with("--"))
        .map(|l| format!("{l}\n"))
        .collect();
    text.split(";\n")
        .map(str::trim)
        .filter(|s| !s.is_empty() && !matches!(*s, "BEGIN" | "COMMIT"))
        .map(|s| {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            let s = s.replace(" ,", ",").replace("( ", "(").replace(" )", ")");
            match s.split_once(" RETURNING ") {
                Some((insert, _)) if s.contains("alembic_version") => insert.to_string(),
                _ => s,
            }
        })
        .collect()
}

/// `db upgrade|downgrade|stamp --sql` of a multi-database folder: one file
/// a database in the working directory (`.sql` for the default one,
/// `users.sql` for the bind), the statements real Flask-Migrate writes
/// there, and no database read or changed; run by hand, ormsh's scripts
/// build the schema and the `alembic_version` rows that real `flask db
/// upgrade` builds.
#[test]
fn multidb_sql_writes_a_file_per_database() {
    for kind in kinds() {
        let Some((p, db, users)) = multidb_project(kind, MODELS) else {
            return;
        };
        p.flask(&db, &["migrate", "-m", "one"]);
        p.flask(&db, &["upgrade"]);
        let one = p.flask(&db, &["heads"]);
        let one = one.split_whitespace().next().unwrap().to_string();
        // No new column on an old table: on SQLite its downgrade would
        // need the batch rebuild, which reads the live table (Alembic
        // refuses it in --sql mode too).
        p.models(&MODELS_V2.replace("    email = db.Column(db.String(120), unique=True)\n", ""));
        p.flask(&db, &["migrate", "-m", "two"]);
        p.flask(&db, &["downgrade", "base"]);
        let before = (schema(&db), schema(&users));

        let take = |name: &str| {
            let path = p.path().join(name);
            let text =
                std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{kind:?}: {name}: {e}"));
            std::fs::remove_file(path).unwrap();
            text
        };
        let range = format!("{one}:head");
        let back = format!("head:{one}");
        for args in [
            &["upgrade", "--sql", "head"][..],
            &["upgrade", "--sql", &range],
            &["downgrade", "--sql", &back],
            &["stamp", "--sql", "head"],
        ] {
            p.flask(&db, args);
            let expected = (take(".sql"), take("users.sql"));
            let (code, out, err) = p.ormsh(&db, args);
            assert_eq!(code, 0, "{kind:?} ormsh db {args:?}:\n{out}\n{err}");
            assert!(
                err.contains("Writing output to users.sql"),
                "{kind:?} {args:?}: {err}"
            );
            let mine = (take(".sql"), take("users.sql"));
            for (database, ours, theirs) in [
                ("default database", &mine.0, &expected.0),
                ("users", &mine.1, &expected.1),
            ] {
                assert_eq!(
                    script_statements(ours),
                    script_statements(theirs),
                    "{kind:?} {args:?}: {database}:\n{ours}\nflask:\n{theirs}"
                );
            }
            assert_eq!(
                (schema(&db), schema(&users)),
                before,
                "{kind:?} {args:?}: no database changed"
            );
        }

        // Run by hand on new databases, the scripts give what `flask db
        // upgrade` gives.
        p.ormsh_ok(&db, &["upgrade", "--sql", "head"]);
        for (file, d) in [(".sql", &db), ("users.sql", &users)] {
            d.rows("DROP TABLE alembic_version");
            for s in script_statements(&take(file)) {
                d.rows(&s);
            }
        }
        assert!(users.has_table("login"), "{kind:?}");
        let by_hand = (schema(&db), schema(&users));
        p.flask(&db, &["downgrade", "base"]);
        p.flask(&db, &["upgrade"]);
        assert_eq!((schema(&db), schema(&users)), by_hand, "{kind:?}");
    }
}
