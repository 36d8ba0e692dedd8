//! `ForeignKey(.., ondelete=, onupdate=)`: written in the DDL, enforced by
//! the database, compared by `db diff` (with the SQL that fixes a
//! difference), kept by `models dump`, and read from a Flask project's
//! models the same as Flask-SQLAlchemy's `db.create_all()` writes them.

use crate::common::python::{peer_python, run_python};
use crate::common::{Kind, Project, TestDb, kinds};

const MODELS: &str = r#"
db.Model("Author", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("name", db.String(40)),
]);
db.Model("Book", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("author_id", db.Integer, db.ForeignKey("author.id", #{ ondelete: "CASCADE" })),
]);
db.Model("Review", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("author_id", db.Integer, db.ForeignKey("author.id", #{ ondelete: "set null", onupdate: "CASCADE" })),
]);
"#;

/// A statement through a connection of the test's own (SQLite with its
/// foreign keys on, as a database that enforces them is opened).
fn execute(db: &TestDb, sql: &str) {
    match db.kind {
        Kind::Sqlite => {
            let conn = rusqlite::Connection::open(&db.sqlx_url).unwrap();
            conn.execute_batch(&format!("PRAGMA foreign_keys = ON; {sql}"))
                .unwrap();
        }
        _ => {
            db.rows(sql);
        }
    }
}

#[test]
fn actions_are_written_enforced_and_compared() {
    for kind in kinds() {
        let db = TestDb::new(kind);
        let project = Project::new(&db.url, MODELS);
        project.ok(&["--no-echo", "-c", r#"db.create_all(); let a = Author(#{ name: "le guin" }); db.session.add(a); db.session.commit(); db.session.execute("INSERT INTO book (id, author_id) VALUES (7, 1)"); db.session.execute("INSERT INTO review (id, author_id) VALUES (8, 1)"); db.session.commit()"#]);
        let (out, err) = project.ok(&["db", "diff"]);
        assert!(out.contains("no drift"), "{kind:?}: {out}\n{err}");

        // The database itself deletes the books and clears the reviews' key.
        execute(&db, "DELETE FROM author WHERE id = 1");
        assert_eq!(
            db.scalar("SELECT COUNT(*) FROM book WHERE id = 7"),
            "0",
            "{kind:?}: ON DELETE CASCADE"
        );
        assert_eq!(
            db.scalar("SELECT COUNT(*) FROM review WHERE id = 8 AND author_id IS NULL"),
            "1",
            "{kind:?}: ON DELETE SET NULL"
        );

        // The dump keeps the actions, spelled as the database spells them.
        let (dump, _) = project.ok(&["models", "dump"]);
        assert!(
            dump.contains(r#"db.ForeignKey("author.id", #{ ondelete: "CASCADE" })"#),
            "{dump}"
        );
        assert!(
            dump.contains(
                r#"db.ForeignKey("author.id", #{ ondelete: "SET NULL", onupdate: "CASCADE" })"#
            ),
            "{dump}"
        );

        // A model that says another action than the table has: a drift,
        // and (where the database can alter a constraint) the SQL fixing it.
        let changed = Project::new(
            &db.url,
            &MODELS.replace(
                r#"#{ ondelete: "CASCADE" }"#,
                r#"#{ ondelete: "RESTRICT" }"#,
            ),
        );
        let out = changed
            .ormsh()
            .args(["db", "diff", "--sql"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &*String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{kind:?}: {text}");
        if kind != Kind::Sqlite {
            assert!(
                text.contains("FOREIGN KEY") && !text.contains("ON DELETE CASCADE"),
                "{kind:?}: {text}"
            );
        }
        let plain = changed.ormsh().args(["db", "diff"]).output().unwrap();
        let shown = String::from_utf8_lossy(&plain.stdout);
        assert!(
            shown.contains("foreign key actions differ")
                && shown.contains("database ON DELETE CASCADE"),
            "{kind:?}: {shown}"
        );
    }
}

#[test]
fn an_unknown_action_is_refused_with_its_line() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(
        &db.url,
        &MODELS.replace(r#""set null""#, r#""SET NOTHING""#),
    );
    let out = project.ormsh().args(["-c", "1"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("models.rhai:12")
            && err.contains("\"SET NOTHING\" is not a referential action"),
        "{err}"
    );
}

/// Flask-SQLAlchemy writes the schema; ormsh, reading the same models.py,
/// finds no drift.
#[test]
fn flask_models_with_actions_match_create_all() {
    let Some(python) = peer_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///lib.db'\ndb = SQLAlchemy(app)\n\nclass Author(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\nclass Book(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    author_id = db.Column(db.Integer, db.ForeignKey('author.id', ondelete='CASCADE', onupdate='SET NULL'))\n",
    )
    .unwrap();
    run_python(
        &python,
        dir.path(),
        "from app import app, db\nwith app.app_context():\n    db.create_all()\n",
    );
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("FLASK_APP")
        .env("HOME", dir.path())
        .args(["db", "diff"])
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &*String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && text.contains("no drift"), "{text}");
}
