//! Table-level constraints and indexes (`__table_args__`, `db.Table(..)`):
//! `UniqueConstraint`, `CheckConstraint`, `PrimaryKeyConstraint` (a
//! composite key), `ForeignKeyConstraint` (composite, with `ondelete`) and
//! `Index` (multi-column, unique), named and unnamed. On every database:
//! the DDL ormsh writes, read back through a connection of the test's own;
//! the database refusing a row that breaks a CHECK or a composite UNIQUE
//! at the commit, keeping what was committed before; `db diff` finding
//! none missing, then the ones dropped behind its back; the models file
//! errors for what cannot be honoured; and real Flask-SQLAlchemy building
//! the same models from models.py, which ormsh then reads: no drift, and
//! the same constraints when ormsh builds the schema itself.

use std::path::Path;
use std::process::Command;

use crate::common::python::{peer_python, run_python, sqlalchemy_url};
use crate::common::{Kind, Project, TestDb, kinds};

const MODELS: &str = r#"
db.Model("Shelf", [
    db.Column("room", db.Integer),
    db.Column("number", db.Integer),
    db.Column("label", db.String(20)),
], #{ __table_args__: [db.PrimaryKeyConstraint("room", "number", #{ name: "pk_shelf" })] });

db.Model("Book", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("title", db.String(80), #{ nullable: false }),
    db.Column("edition", db.Integer, #{ nullable: false }),
    db.Column("price", db.Numeric(8, 2)),
    db.Column("isbn", db.String(20), #{ unique: true }),
    db.Column("shelf_room", db.Integer),
    db.Column("shelf_number", db.Integer),
    db.relationship("shelf", "Shelf", #{ backref: "books" }),
], #{ __table_args__: [
    db.UniqueConstraint("title", "edition", #{ name: "uq_book_title_edition" }),
    db.CheckConstraint("price > 0", #{ name: "ck_book_price" }),
    db.CheckConstraint("edition >= 1"),
    db.ForeignKeyConstraint(["shelf_room", "shelf_number"], ["shelf.room", "shelf.number"], #{ ondelete: "SET NULL", name: "fk_book_shelf" }),
    db.Index("ix_book_room_title", "shelf_room", "title"),
    db.Index("ix_book_isbn_edition", "isbn", "edition", #{ unique: true }),
] });

db.Table("book_tag", [
    db.Column("book_id", db.Integer, db.ForeignKey("book.id", #{ name: "fk_book_tag_book" })),
    db.Column("tag", db.String(20)),
    db.PrimaryKeyConstraint("book_id", "tag"),
    db.UniqueConstraint("tag", "book_id"),
    db.CheckConstraint("tag <> ''", #{ name: "ck_book_tag_tag" }),
]);
"#;

/// `ormsh run` of `script`: (success, stdout, stderr).
fn run(project: &Project, script: &str) -> (bool, String, String) {
    let path = project.file("step.rhai", script);
    let out = project
        .ormsh()
        .arg("--no-echo")
        .arg("run")
        .arg(&path)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// The constraints and indexes of `table` as the database's own catalog
/// tells them, one line each: `KIND name` (names the database gave too).
fn catalog(db: &TestDb, table: &str) -> Vec<String> {
    let mut out: Vec<String> = match db.kind {
        Kind::Sqlite => db
            .rows(&format!(
                "SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE tbl_name = '{table}' ORDER BY type, name"
            ))
            .into_iter()
            .map(|r| format!("{} {} {}", r[0], r[1], r[2]))
            .collect(),
        Kind::Postgres => db
            .rows(&format!(
                "SELECT contype::text, conname::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '{table}'::regclass UNION ALL SELECT 'i', indexname::text, indexdef FROM pg_indexes WHERE tablename = '{table}' AND schemaname = current_schema()"
            ))
            .into_iter()
            .map(|r| format!("{} {} {}", r[0], r[1], r[2]))
            .collect(),
        Kind::MySql => db
            .rows(&format!(
                "SELECT constraint_type, constraint_name, '' FROM information_schema.table_constraints WHERE table_schema = DATABASE() AND table_name = '{table}' UNION ALL SELECT 'INDEX', index_name, GROUP_CONCAT(column_name ORDER BY seq_in_index) FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = '{table}' GROUP BY index_name"
            ))
            .into_iter()
            .map(|r| format!("{} {} {}", r[0], r[1], r[2]))
            .collect(),
    };
    out.sort();
    out
}

fn has(lines: &[String], parts: &[&str]) -> bool {
    lines.iter().any(|l| parts.iter().all(|p| l.contains(p)))
}

#[test]
fn constraints_are_written_as_declared_and_read_back() {
    for kind in kinds() {
        let db = TestDb::new(kind);
        let project = Project::new(&db.url, MODELS);
        project.ok(&["--no-echo", "-c", "db.create_all()"]);
        let book = catalog(&db, "book");
        let shelf = catalog(&db, "shelf");
        let tags = catalog(&db, "book_tag");
        let all = format!("{book:#?}\n{shelf:#?}\n{tags:#?}");
        match kind {
            Kind::Sqlite => {
                for part in [
                    "CONSTRAINT uq_book_title_edition UNIQUE (title, edition)",
                    "CONSTRAINT ck_book_price CHECK (price > 0)",
                    "\tCHECK (edition >= 1)",
                    "CONSTRAINT fk_book_shelf FOREIGN KEY(shelf_room, shelf_number) REFERENCES shelf (room, number) ON DELETE SET NULL",
                    "\tUNIQUE (isbn)",
                ] {
                    assert!(has(&book, &["table book", part]), "{part}\n{all}");
                }
                assert!(
                    has(
                        &book,
                        &[
                            "index ix_book_room_title",
                            "CREATE INDEX ix_book_room_title ON book (shelf_room, title)"
                        ]
                    ),
                    "{all}"
                );
                assert!(
                    has(
                        &book,
                        &["index ix_book_isbn_edition", "CREATE UNIQUE INDEX"]
                    ),
                    "{all}"
                );
                assert!(
                    has(&shelf, &["CONSTRAINT pk_shelf PRIMARY KEY (room, number)"]),
                    "{all}"
                );
                assert!(
                    has(
                        &tags,
                        &[
                            "PRIMARY KEY (book_id, tag)",
                            "UNIQUE (tag, book_id)",
                            "CONSTRAINT ck_book_tag_tag CHECK (tag <> '')",
                            "CONSTRAINT fk_book_tag_book FOREIGN KEY(book_id) REFERENCES book (id)"
                        ]
                    ),
                    "{all}"
                );
            }
            Kind::Postgres => {
                for parts in [
                    &["u uq_book_title_edition UNIQUE (title, edition)"][..],
                    &["c ck_book_price CHECK"],
                    // Unnamed constraints take the database's own names.
                    &["c book_edition_check CHECK ((edition >= 1))"],
                    &["u book_isbn_key UNIQUE (isbn)"],
                    &[
                        "f fk_book_shelf FOREIGN KEY (shelf_room, shelf_number) REFERENCES shelf(room, number) ON DELETE SET NULL",
                    ],
                    &[
                        "i ix_book_room_title CREATE INDEX ix_book_room_title",
                        "(shelf_room, title)",
                    ],
                    &[
                        "i ix_book_isbn_edition CREATE UNIQUE INDEX",
                        "(isbn, edition)",
                    ],
                ] {
                    assert!(has(&book, parts), "{parts:?}\n{all}");
                }
                assert!(
                    has(&shelf, &["p pk_shelf PRIMARY KEY (room, number)"]),
                    "{all}"
                );
                assert!(
                    has(&tags, &["p book_tag_pkey PRIMARY KEY (book_id, tag)"]),
                    "{all}"
                );
                assert!(
                    has(&tags, &["u book_tag_tag_book_id_key UNIQUE (tag, book_id)"]),
                    "{all}"
                );
                assert!(has(&tags, &["c ck_book_tag_tag CHECK"]), "{all}");
                assert!(
                    has(
                        &tags,
                        &["f fk_book_tag_book FOREIGN KEY (book_id) REFERENCES book(id)"]
                    ),
                    "{all}"
                );
            }
            Kind::MySql => {
                for parts in [
                    &["UNIQUE uq_book_title_edition"][..],
                    &["INDEX uq_book_title_edition title,edition"],
                    &["CHECK ck_book_price"],
                    &["CHECK CONSTRAINT_1"],
                    &["UNIQUE isbn"],
                    &["FOREIGN KEY fk_book_shelf"],
                    &["INDEX ix_book_room_title shelf_room,title"],
                    &["UNIQUE ix_book_isbn_edition"],
                ] {
                    assert!(has(&book, parts), "{parts:?}\n{all}");
                }
                assert!(has(&shelf, &["INDEX PRIMARY room,number"]), "{all}");
                assert!(has(&tags, &["INDEX PRIMARY book_id,tag"]), "{all}");
                assert!(has(&tags, &["CHECK ck_book_tag_tag"]), "{all}");
                assert!(has(&tags, &["FOREIGN KEY fk_book_tag_book"]), "{all}");
            }
        }
        let (out, err) = project.ok(&["db", "diff"]);
        assert!(out.contains("no drift"), "{kind:?}: {out}\n{err}");
    }
}

#[test]
fn the_database_refuses_rows_that_break_them_and_keeps_what_was_committed() {
    for kind in kinds() {
        let db = TestDb::new(kind);
        let project = Project::new(&db.url, MODELS);
        let (ok, out, err) = run(
            &project,
            r#"db.create_all();
db.session.add(Shelf(#{ room: 1, number: 2, label: "left" }));
db.session.add(Book(#{ title: "Dune", edition: 1, price: 10, isbn: "1", shelf_room: 1, shelf_number: 2 }));
db.session.commit();"#,
        );
        assert!(ok, "{kind:?}: {out}\n{err}");
        for (script, names) in [
            (
                r#"db.session.add(Book(#{ title: "Emma", edition: 1, price: 5 })); db.session.commit();
db.session.add(Book(#{ title: "Free", edition: 1, price: -3 })); db.session.commit();"#,
                &["ck_book_price"][..],
            ),
            (
                r#"db.session.add(Book(#{ title: "Zero", edition: 0, price: 1 })); db.session.commit();"#,
                &["check", "constraint_1", "edition"][..],
            ),
            (
                r#"db.session.add(Book(#{ title: "Dune", edition: 1, price: 12 })); db.session.commit();"#,
                &["uq_book_title_edition", "book.title, book.edition"][..],
            ),
            (
                r#"db.session.add(Shelf(#{ room: 1, number: 2, label: "again" })); db.session.commit();"#,
                &["pk_shelf", "primary", "shelf.room, shelf.number"][..],
            ),
        ] {
            let (ok, out, err) = run(&project, script);
            assert!(!ok, "{kind:?}: {script} was not refused\n{out}\n{err}");
            let said = err.to_lowercase();
            assert!(
                names.iter().any(|n| said.contains(n)),
                "{kind:?}: the error names none of {names:?}:\n{err}"
            );
            assert!(!said.contains("panicked"), "{err}");
        }
        // Dune and Emma (committed before the failing commit); nothing else.
        assert_eq!(
            db.rows("SELECT title FROM book ORDER BY title"),
            vec![vec!["Dune".to_string()], vec!["Emma".to_string()]],
            "{kind:?}"
        );
        assert_eq!(db.scalar("SELECT COUNT(*) FROM shelf"), "1", "{kind:?}");

        // ON DELETE SET NULL of the composite key, by the database itself.
        match kind {
            Kind::Sqlite => {
                let conn = rusqlite::Connection::open(&db.sqlx_url).unwrap();
                conn.execute_batch("PRAGMA foreign_keys = ON; DELETE FROM shelf")
                    .unwrap();
            }
            _ => {
                db.rows("DELETE FROM shelf");
            }
        }
        assert_eq!(
            db.scalar(
                "SELECT COUNT(*) FROM book WHERE shelf_room IS NULL AND shelf_number IS NULL"
            ),
            "2",
            "{kind:?}"
        );
    }
}

#[test]
fn db_diff_finds_a_dropped_index_and_check() {
    for kind in kinds() {
        let db = TestDb::new(kind);
        let project = Project::new(&db.url, MODELS);
        project.ok(&["--no-echo", "-c", "db.create_all()"]);
        let drop_index = match kind {
            Kind::MySql => "DROP INDEX ix_book_room_title ON book",
            _ => "DROP INDEX ix_book_room_title",
        };
        match kind {
            Kind::Sqlite => {
                rusqlite::Connection::open(&db.sqlx_url)
                    .unwrap()
                    .execute_batch(drop_index)
                    .unwrap();
            }
            _ => {
                db.rows(drop_index);
                db.rows("ALTER TABLE book DROP CONSTRAINT ck_book_price");
            }
        }
        let diff = |args: &[&str]| {
            let out = project.ormsh().args(args).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{kind:?}: {out:?}");
            String::from_utf8_lossy(&out.stdout).to_string()
        };
        let text = diff(&["db", "diff"]);
        assert!(
            text.contains("missing index")
                && text.contains("ix_book_room_title (shelf_room, title)"),
            "{kind:?}: {text}"
        );
        let sql = diff(&["db", "diff", "--sql"]);
        assert!(
            sql.contains("CREATE INDEX") && sql.contains("ix_book_room_title"),
            "{kind:?}: {sql}"
        );
        if kind != Kind::Sqlite {
            assert!(
                text.contains("missing check") && text.contains("ck_book_price"),
                "{kind:?}: {text}"
            );
        }
        // The unnamed check and the unique constraints are all still there.
        assert!(!text.contains("edition >= 1"), "{kind:?}: {text}");
        assert!(!text.contains("missing unique"), "{kind:?}: {text}");
    }
}

#[test]
fn what_cannot_be_honoured_is_refused_with_its_line() {
    let db = TestDb::new(Kind::Sqlite);
    for (models, expected) in [
        (
            "db.Model(\"T\", [\n  db.Column(\"id\", db.Integer, #{ primary_key: true }),\n  db.Column(\"a\", db.Integer),\n], #{ __table_args__: [\n  db.UniqueConstraint(\"a\", \"b\"),\n] });",
            &[
                "models.rhai:5",
                "T.__table_args__",
                "db.UniqueConstraint",
                "`b`",
            ][..],
        ),
        (
            "db.Model(\"T\", [\n  db.Column(\"id\", db.Integer, #{ primary_key: true }),\n], #{ __table_args__: [db.Index(\"ix_t_id\", \"id\", #{ unque: true })] });",
            &["models.rhai:3", "unque", "unique"][..],
        ),
        (
            "db.Model(\"T\", [\n  db.Column(\"id\", db.Integer, #{ primary_key: true }),\n  db.Column(\"b\", db.Integer),\n], #{ __table_args__: [\n  db.PrimaryKeyConstraint(\"b\"),\n] });",
            &["models.rhai:5", "primary_key", "id"][..],
        ),
        (
            "db.Model(\"T\", [\n  db.Column(\"id\", db.Integer, #{ primary_key: true }),\n], #{ __table_args__: [db.Column(\"x\", db.Integer)] });",
            &["models.rhai:1", "__table_args__", "db.Index"][..],
        ),
        (
            "db.Model(\"T\", [\n  db.Column(\"id\", db.Integer, #{ primary_key: true }),\n  db.Column(\"p\", db.Integer),\n], #{ __table_args__: [\n  db.ForeignKeyConstraint([\"p\"], [\"nowhere.id\"]),\n] });",
            &["T.p", "nowhere"][..],
        ),
    ] {
        let project = Project::new(&db.url, models);
        let out = project.ormsh().args(["-c", "1"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success(), "{models}\n{err}");
        for e in expected {
            assert!(err.contains(e), "{models}\nmissing {e:?} in:\n{err}");
        }
    }
}

#[test]
fn models_dump_writes_them_so_the_file_reloads() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, MODELS);
    project.ok(&["--no-echo", "-c", "db.create_all()"]);
    let (dump, _) = project.ok(&["models", "dump"]);
    for part in [
        r#"db.PrimaryKeyConstraint("room", "number", #{ name: "pk_shelf" })"#,
        r#"db.UniqueConstraint("title", "edition", #{ name: "uq_book_title_edition" })"#,
        r#"db.CheckConstraint("price > 0", #{ name: "ck_book_price" })"#,
        r#"db.CheckConstraint("edition >= 1")"#,
        r#"db.ForeignKeyConstraint(["shelf_room", "shelf_number"], ["shelf.room", "shelf.number"], #{ name: "fk_book_shelf", ondelete: "SET NULL" })"#,
        r#"db.Index("ix_book_isbn_edition", "isbn", "edition", #{ unique: true })"#,
        r#"db.CheckConstraint("tag <> ''", #{ name: "ck_book_tag_tag" })"#,
    ] {
        assert!(dump.contains(part), "{part}\n{dump}");
    }
    // The dump, as the models file, builds the same schema: no drift.
    let again = Project::new(&db.url, &dump);
    let (out, err) = again.ok(&["db", "diff"]);
    assert!(out.contains("no drift"), "{out}\n{err}");
}

const APP: &str = r#"import os
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite:///shop.db")
db = SQLAlchemy(app)

from models import *
"#;

const PY_MODELS: &str = r#"import sqlalchemy as sa
from sqlalchemy import UniqueConstraint
from app import db


class Shelf(db.Model):
    room = db.Column(db.Integer)
    number = db.Column(db.Integer)
    label = db.Column(db.String(20))
    __table_args__ = (db.PrimaryKeyConstraint("room", "number", name="pk_shelf"),)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(80), nullable=False)
    edition = db.Column(db.Integer, nullable=False)
    price = db.Column(db.Numeric(8, 2))
    isbn = db.Column(db.String(20), unique=True)
    code = db.Column(db.String(10), index=True)
    shelf_room = db.Column(db.Integer)
    shelf_number = db.Column(db.Integer)
    shelf = db.relationship("Shelf", backref="books")

    __table_args__ = (
        UniqueConstraint("title", "edition", name="uq_book_title_edition"),
        sa.CheckConstraint("price > 0", name="ck_book_price"),
        db.CheckConstraint("edition >= 1"),
        db.ForeignKeyConstraint(
            ["shelf_room", "shelf_number"],
            ["shelf.room", "shelf.number"],
            ondelete="SET NULL",
            name="fk_book_shelf",
        ),
        db.Index("ix_book_room_title", "shelf_room", "title"),
        db.UniqueConstraint("isbn", "edition"),
        {},
    )


db.Index("ix_book_isbn_edition", Book.isbn, Book.edition, unique=True)

book_tag = db.Table(
    "book_tag",
    db.Column("book_id", db.Integer, db.ForeignKey("book.id", name="fk_book_tag_book")),
    db.Column("tag", db.String(20)),
    db.PrimaryKeyConstraint("book_id", "tag"),
    db.CheckConstraint("tag <> ''", name="ck_book_tag_tag"),
)
"#;

/// A Flask project with these models, its database at `url`.
fn flask_project(db: &TestDb, app: &str, models: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), app).unwrap();
    std::fs::write(dir.path().join("models.py"), models).unwrap();
    std::fs::write(dir.path().join(".flaskenv"), "FLASK_APP=app.py\n").unwrap();
    std::fs::write(
        dir.path().join(".env"),
        format!("DATABASE_URL={}\n", sqlalchemy_url(&db.url)),
    )
    .unwrap();
    dir
}

fn ormsh_in(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("SQLALCHEMY_DATABASE_URI")
        .env_remove("ORMSH_APP")
        .env_remove("FLASK_APP")
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("xdg"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// A catalog line with what differs between any two builds of one schema
/// taken out: SQLite's quoting and spacing (SQLAlchemy quotes no plain name).
fn comparable(line: &str) -> String {
    line.replace(['"', '`'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn flask_sqlalchemy_builds_the_same_constraints_and_ormsh_reads_them() {
    same_as_flask(APP, PY_MODELS, &["shelf", "book", "book_tag"]);
}

/// Flask builds `models` with `app`; ormsh reading them finds no drift, and
/// builds `tables` with the same constraints and indexes, by the same names.
fn same_as_flask(app: &str, models: &str, tables: &[&str]) {
    let Some(python) = peer_python() else { return };
    for kind in kinds() {
        // Flask-SQLAlchemy's db.create_all(); ormsh reading models.py finds no drift.
        let flask_db = TestDb::new(kind);
        let dir = flask_project(&flask_db, app, models);
        run_python(
            &python,
            dir.path(),
            &format!(
                "import os\nos.environ['DATABASE_URL'] = {:?}\nfrom app import app, db\nwith app.app_context():\n    db.create_all()\n",
                sqlalchemy_url(&flask_db.url)
            ),
        );
        let (ok, out, err) = ormsh_in(dir.path(), &["db", "diff"]);
        assert!(ok && out.contains("no drift"), "{kind:?}: {out}\n{err}");
        assert!(!err.contains("not loaded"), "{kind:?}: {err}");

        // ormsh building the schema from the same models.py: the same
        // constraints and indexes, by the same names, as Flask's.
        let ormsh_db = TestDb::new(kind);
        let mine = flask_project(&ormsh_db, app, models);
        let (ok, out, err) = ormsh_in(mine.path(), &["--no-echo", "-c", "db.create_all()"]);
        assert!(ok, "{kind:?}: {out}\n{err}");
        for &table in tables {
            let theirs: Vec<String> = catalog(&flask_db, table)
                .iter()
                .map(|l| comparable(l))
                .collect();
            let ours: Vec<String> = catalog(&ormsh_db, table)
                .iter()
                .map(|l| comparable(l))
                .collect();
            let only = |a: &[String], b: &[String]| -> Vec<String> {
                a.iter()
                    .filter(|l| !b.contains(l))
                    // SQLite's CREATE TABLE text differs in column DDL
                    // (types, ormsh's quoting): its constraints are
                    // compared line by line below.
                    .filter(|l| !(kind == Kind::Sqlite && l.starts_with("table ")))
                    .cloned()
                    .collect()
            };
            assert!(
                only(&theirs, &ours).is_empty() && only(&ours, &theirs).is_empty(),
                "{kind:?} {table}: Flask's only {:#?}\normsh's only {:#?}",
                only(&theirs, &ours),
                only(&ours, &theirs)
            );
            if kind == Kind::Sqlite {
                let constraint_lines = |db: &TestDb| -> Vec<String> {
                    db.rows(&format!(
                        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
                    ))
                    .iter()
                    .flat_map(|r| r[0].lines().map(str::to_string).collect::<Vec<_>>())
                    .map(|l| comparable(l.trim().trim_end_matches(',')))
                    .filter(|l| {
                        ["CONSTRAINT", "UNIQUE", "CHECK", "FOREIGN", "PRIMARY"]
                            .iter()
                            .any(|k| l.starts_with(k))
                    })
                    .collect()
                };
                assert_eq!(
                    constraint_lines(&ormsh_db),
                    constraint_lines(&flask_db),
                    "{table}"
                );
            }
        }
    }
}

const CONVENTION_APP: &str = r#"import os
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData

convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite:///shop.db")
db = SQLAlchemy(app, metadata=MetaData(naming_convention=convention))

from models import *
"#;

const CONVENTION_MODELS: &str = r#"from app import db


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(80), unique=True)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(80), index=True)
    edition = db.Column(db.Integer)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id", ondelete="CASCADE"))
    author = db.relationship("Author", backref="books")
    __table_args__ = (
        db.UniqueConstraint("title", "edition"),
        db.CheckConstraint("edition > 0", name="edition_positive"),
        db.Index("by_author_title", "author_id", "title", unique=True),
    )
"#;

/// `SQLAlchemy(metadata=MetaData(naming_convention=...))`, as Flask-Migrate
/// projects declare it: every constraint named by the templates.
#[test]
fn a_naming_convention_read_from_python_names_them_as_flask_does() {
    same_as_flask(CONVENTION_APP, CONVENTION_MODELS, &["author", "book"]);
}

const CONVENTION_RHAI: &str = r#"
db.MetaData(#{ naming_convention: #{
    ix: "ix_%(column_0_label)s",
    uq: "uq_%(table_name)s_%(column_0_N_name)s",
    ck: "ck_%(table_name)s_%(constraint_name)s",
    fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    pk: "pk_%(table_name)s",
} });
db.Model("Author", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("email", db.String(80), #{ unique: true }),
]);
db.Model("Book", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("title", db.String(80), #{ index: true }),
    db.Column("edition", db.Integer),
    db.Column("author_id", db.Integer, db.ForeignKey("author.id"), #{ index: false }),
], #{ __table_args__: [
    db.UniqueConstraint("title", "edition"),
    db.CheckConstraint("edition > 0", #{ name: "edition_positive" }),
] });
"#;

#[test]
fn a_naming_convention_in_the_models_file() {
    for kind in kinds() {
        let db = TestDb::new(kind);
        let project = Project::new(&db.url, CONVENTION_RHAI);
        project.ok(&["--no-echo", "-c", "db.create_all()"]);
        let book = catalog(&db, "book");
        let author = catalog(&db, "author");
        let all = format!("{book:#?}\n{author:#?}");
        for name in [
            "uq_book_title_edition",
            "ck_book_edition_positive",
            "fk_book_author_id_author",
            "ix_book_title",
        ] {
            assert!(has(&book, &[name]), "{kind:?}: {name}\n{all}");
        }
        assert!(has(&author, &["uq_author_email"]), "{kind:?}\n{all}");
        if kind != Kind::MySql {
            // MariaDB names every primary key PRIMARY.
            assert!(has(&author, &["pk_author"]), "{kind:?}\n{all}");
        }
        let (out, err) = project.ok(&["db", "diff"]);
        assert!(out.contains("no drift"), "{kind:?}: {out}\n{err}");
        // The dump writes the convention and the names as declared.
        let (dump, _) = project.ok(&["models", "dump"]);
        assert!(
            dump.contains("db.MetaData(#{ naming_convention: #{ ck: "),
            "{dump}"
        );
        assert!(
            dump.contains(r#"db.CheckConstraint("edition > 0", #{ name: "edition_positive" })"#),
            "{dump}"
        );
        let again = Project::new(&db.url, &dump);
        let (out, err) = again.ok(&["db", "diff"]);
        assert!(out.contains("no drift"), "{kind:?}: {out}\n{err}");
    }
    // A convention that needs a name the constraint lacks is refused.
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(
        &db.url,
        &CONVENTION_RHAI.replace(r#", #{ name: "edition_positive" }"#, ""),
    );
    let out = project.ormsh().args(["-c", "1"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        !out.status.success() && err.contains("constraint_name") && err.contains("Book"),
        "{err}"
    );
}

const BASE_APP: &str = r#"import os
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, ForeignKey, String, CheckConstraint, Index
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention={
        "ix": "ix_%(table_name)s_%(column_0N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    })


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite:///shop.db")
db = SQLAlchemy(app, model_class=Base)

from models import *
"#;

const BASE_MODELS: &str = r#"from typing import Optional
from sqlalchemy import ForeignKey, String, CheckConstraint, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from app import db


class Owner(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)


class Pet(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    legs: Mapped[int]
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("owner.id"))
    __table_args__ = (
        CheckConstraint("legs BETWEEN 0 AND 8", name="legs"),
        UniqueConstraint(owner_id, name),
        Index("ix_pet_owner_legs", "owner_id", "legs"),
    )
"#;

/// A declarative base's `metadata = MetaData(naming_convention=..)`, 2.0
/// `Mapped` columns, and constraints naming the class body's columns.
#[test]
fn a_declarative_base_s_naming_convention_names_them_as_flask_does() {
    same_as_flask(BASE_APP, BASE_MODELS, &["owner", "pet"]);
}

/// What SQLAlchemy would honour and ormsh cannot is refused with its line,
/// leaving that model out and the others in.
#[test]
fn python_constraints_ormsh_cannot_honour_are_refused_with_their_line() {
    let db = TestDb::new(Kind::Sqlite);
    let models = r#"from app import db


class Owner(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Pet(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40))
    __table_args__ = (
        db.UniqueConstraint("name", deferrable=True, initially="DEFERRED"),
    )


class Toy(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    __table_args__ = (db.UniqueConstraint("colour"),)
"#;
    let dir = flask_project(&db, APP, models);
    let (ok, out, err) = ormsh_in(
        dir.path(),
        &["--no-echo", "-c", "db.create_all(); Owner.query.count()"],
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(out.trim(), "0", "{err}");
    assert!(
        err.contains("models.py:12")
            && err.contains("deferrable=")
            && err.contains("Pet was not loaded"),
        "{err}"
    );
    assert!(
        err.contains("models.py:18")
            && err.contains("`colour`")
            && err.contains("Toy was not loaded"),
        "{err}"
    );
}
