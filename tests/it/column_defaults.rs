//! Column defaults with SQLAlchemy 2.0's semantics, on every database, the
//! rows read back through a connection of the test's own: `default` (a
//! literal, or a closure called once per row at the flush for the rows that
//! left the attribute unset), `onupdate` (on every UPDATE the flush sends,
//! and only then), `server_default` (`db.text`, `db.func.now()`), and
//! `server_onupdate` (the value expired after an UPDATE and read again);
//! `models dump` writes them so the file loads again; a Flask project's
//! `default=`/`onupdate=`/`server_default=` write the same rows as
//! Flask-SQLAlchemy itself.

use crate::common::python::{peer_python, run_python, sqlalchemy_url};
use crate::common::{Kind, Project, TestDb};

const MODELS: &str = r#"
let issued = 0;
db.Model("Ticket", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("title", db.String(40), #{ nullable: false }),
    db.Column("status", db.String(20), #{ default: "open" }),
    db.Column("code", db.String(20), #{ default: || { issued += 1; `T-${issued}` } }),
    db.Column("revision", db.Integer, #{ default: 1, onupdate: || 100 + issued }),
    db.Column("touched", db.String(20), #{ onupdate: "edited" }),
    db.Column("updated_at", db.DateTime, #{ onupdate: db.func.now() }),
    db.Column("kind", db.String(20), #{ server_default: db.text("'plain'") }),
    db.Column("created_at", db.DateTime, #{ server_default: db.func.now() }),
]);
"#;

fn rows(db: &TestDb, sql: &str) -> Vec<Vec<String>> {
    db.rows(sql)
}

/// A closure default runs once per row that left the attribute unset, at
/// the flush (the attribute reads None before it), and not for a row that
/// set it; a literal default likewise.
fn closure_defaults_run_per_row(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    let (out, err) = project.ok(&[
        "--no-echo",
        "-c",
        r#"db.create_all();
           let a = Ticket(#{ title: "a" });
           print(`before: ${a.code} ${a.status}`);
           let b = Ticket(#{ title: "b", code: "mine", status: () });
           let c = Ticket(#{ title: "c" });
           db.session.add_all([a, b, c]);
           db.session.flush();
           print(`after: ${a.code} ${a.status} ${b.code} ${c.code}`);
           db.session.commit();"#,
    ]);
    assert!(out.contains("before: None None"), "{kind:?}: {out}\n{err}");
    assert!(
        out.contains("after: T-1 open mine T-2"),
        "{kind:?}: {out}\n{err}"
    );
    assert_eq!(
        rows(
            &db,
            "SELECT title, code, status, revision FROM ticket ORDER BY title"
        ),
        vec![
            vec!["a", "T-1", "open", "1"],
            vec!["b", "mine", "NULL", "1"],
            vec!["c", "T-2", "open", "1"],
        ],
        "{kind:?}"
    );
}
on_every_database!(closure_defaults_run_per_row);

/// `onupdate` writes on every UPDATE of the row the flush sends, and only
/// then: not at the INSERT, not for a row that did not change, not over a
/// value the update sets itself; `func.now()` is the database's clock, read
/// back on access.
fn onupdate_fires_on_update_only(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    project.ok(&[
        "--no-echo",
        "-c",
        r#"db.create_all();
           db.session.add_all([Ticket(#{ title: "a" }), Ticket(#{ title: "b" }), Ticket(#{ title: "c" })]);
           db.session.commit();"#,
    ]);
    assert_eq!(
        rows(
            &db,
            "SELECT revision, touched, updated_at FROM ticket ORDER BY id"
        ),
        vec![vec!["1", "NULL", "NULL"]; 3],
        "{kind:?}: nothing at the INSERT"
    );
    let (out, err) = project.ok(&[
        "--no-echo",
        "-c",
        r#"let a = Ticket.query.filter_by(#{ title: "a" }).one();
           let b = Ticket.query.filter_by(#{ title: "b" }).one();
           a.status = "closed";
           b.status = "closed";
           b.revision = 7;
           db.session.flush();
           print(`flushed: ${a.revision} ${a.touched} ${b.revision} ${b.touched} ${a.updated_at != ()}`);
           db.session.commit();"#,
    ]);
    assert!(
        out.contains("flushed: 100 edited 7 edited true"),
        "{kind:?}: {out}\n{err}"
    );
    let got = rows(
        &db,
        "SELECT title, revision, touched, updated_at IS NULL FROM ticket ORDER BY id",
    );
    let null = |v: &str| v == "1" || v == "true" || v == "t";
    assert_eq!(got[0][..3], ["a", "100", "edited"], "{kind:?}: {got:?}");
    assert_eq!(got[1][..3], ["b", "7", "edited"], "{kind:?}: {got:?}");
    assert_eq!(
        got[2][..3],
        ["c", "1", "NULL"],
        "{kind:?}: untouched: {got:?}"
    );
    assert!(
        !null(&got[0][3]) && !null(&got[1][3]) && null(&got[2][3]),
        "{kind:?}: {got:?}"
    );
    // A flush with no change sends no UPDATE, so no onupdate either.
    project.ok(&[
        "--no-echo",
        "-c",
        r#"let c = Ticket.query.filter_by(#{ title: "c" }).one(); c.status = c.status; db.session.commit();"#,
    ]);
    assert_eq!(
        rows(
            &db,
            "SELECT revision, touched FROM ticket WHERE title = 'c'"
        ),
        vec![vec!["1", "NULL"]],
        "{kind:?}"
    );
}
on_every_database!(onupdate_fires_on_update_only);

/// Server defaults are the database's: left out of the INSERT, and what the
/// object reads after the flush and after the commit is what the row holds.
/// Where the INSERT has RETURNING they come back in it (SQLAlchemy 2.0's
/// eager defaults), so reading them after the flush sends no SELECT.
fn server_defaults_read_back(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    let (out, err) = project.ok(&[
        "--echo",
        "-c",
        r#"db.create_all();
           let t = Ticket(#{ title: "a" });
           db.session.add(t);
           db.session.flush();
           print(`flushed: ${t.kind}|${t.created_at}`);
           db.session.commit();
           print(`committed: ${t.kind}|${t.created_at}`);"#,
    ]);
    let line = |prefix: &str| -> String {
        out.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("{kind:?}: no {prefix} in {out}\n{err}"))
            .to_string()
    };
    let flushed = line("flushed: ");
    assert_eq!(flushed, line("committed: "), "{kind:?}");
    let (kind_value, created) = flushed.split_once('|').unwrap();
    assert_eq!(kind_value, "plain", "{kind:?}");
    let stored = db.scalar(match kind {
        Kind::Sqlite => "SELECT created_at FROM ticket",
        Kind::Postgres => "SELECT created_at::text FROM ticket",
        Kind::MySql => "SELECT CAST(created_at AS CHAR) FROM ticket",
    });
    // The same moment, whatever fraction of a second each side prints.
    assert!(
        created.len() >= 19 && stored.replace('T', " ").starts_with(&created[..19]),
        "{kind:?}: the object says {created}, the row {stored}"
    );
    assert_eq!(db.scalar("SELECT kind FROM ticket"), "plain", "{kind:?}");
    let insert = err
        .lines()
        .find(|l| l.starts_with("INSERT INTO"))
        .unwrap_or_else(|| panic!("{kind:?}: no INSERT in {err}"));
    let selects = err
        .lines()
        .filter(|l| l.starts_with("SELECT") && l.contains("FROM ticket"))
        .count();
    if kind == Kind::MySql && !insert.contains("RETURNING") {
        // MySQL has no RETURNING: read on access after the flush, and after the commit.
        assert_eq!(selects, 2, "{kind:?}: {err}");
    } else {
        assert!(
            insert.contains("RETURNING")
                && insert.contains("created_at")
                && insert.contains("kind"),
            "{kind:?}: {insert}"
        );
        // Only the read after the commit, which expired everything.
        assert_eq!(selects, 1, "{kind:?}: {err}");
    }
}
on_every_database!(server_defaults_read_back);

/// `server_onupdate: db.FetchedValue()`: the database changes the column on
/// UPDATE (a trigger here), so after the flush that updates the row the
/// object reads the new value, not the one it had.
fn server_onupdate_is_read_again(kind: Kind) {
    let db = TestDb::new(kind);
    let models = r#"
db.Model("Doc", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("title", db.String(40)),
    db.Column("revision", db.Integer, #{ server_default: db.text("1"), server_onupdate: db.FetchedValue() }),
    db.Column("stale", db.Integer, #{ server_default: db.text("1") }),
]);
"#;
    let project = Project::new(&db.url, models);
    project.ok(&["--no-echo", "-c", "db.create_all()"]);
    let trigger = match kind {
        Kind::Sqlite => vec![
            "CREATE TRIGGER doc_rev AFTER UPDATE OF title ON doc BEGIN UPDATE doc SET revision = revision + 1, stale = stale + 1 WHERE id = NEW.id; END",
        ],
        Kind::Postgres => vec![
            "CREATE FUNCTION doc_rev() RETURNS trigger AS $$ BEGIN NEW.revision := OLD.revision + 1; NEW.stale := OLD.stale + 1; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER doc_rev BEFORE UPDATE ON doc FOR EACH ROW EXECUTE FUNCTION doc_rev()",
        ],
        Kind::MySql => vec![
            "CREATE TRIGGER doc_rev BEFORE UPDATE ON doc FOR EACH ROW SET NEW.revision = OLD.revision + 1, NEW.stale = OLD.stale + 1",
        ],
    };
    for sql in trigger {
        db.rows(sql);
    }
    let (out, err) = project.ok(&[
        "--no-echo",
        "-c",
        r#"let d = Doc(#{ title: "a" });
           db.session.add(d);
           db.session.commit();
           print(`inserted: ${d.revision} ${d.stale}`);
           d.title = "b";
           db.session.flush();
           print(`updated: ${d.revision} ${d.stale}`);
           db.session.commit();"#,
    ]);
    assert!(out.contains("inserted: 1 1"), "{kind:?}: {out}\n{err}");
    // `stale` has no server_onupdate: SQLAlchemy keeps what it had too.
    assert!(out.contains("updated: 2 1"), "{kind:?}: {out}\n{err}");
    assert_eq!(
        rows(&db, "SELECT revision, stale FROM doc"),
        vec![vec!["2", "2"]],
        "{kind:?}"
    );
}
on_every_database!(server_onupdate_is_read_again);

/// `default` and Rhai's other reserved words are map keys and column
/// names; `models dump` writes the closures and options back, and the file
/// it writes loads into models that behave the same.
#[test]
fn dump_writes_defaults_so_the_file_reloads() {
    let db = TestDb::new(Kind::Sqlite);
    let models = format!(
        "{MODELS}\ndb.Model(\"Setting\", [\n    db.Column(\"id\", db.Integer, #{{ primary_key: true }}),\n    db.Column(\"default\", db.String(10), #{{ default: \"yes\" }}),\n    db.Column(\"static\", db.Integer, #{{ default: 3 }}),\n    db.Column(\"stamp\", db.DateTime, #{{ default: || datetime.utcnow(), server_onupdate: db.FetchedValue() }}),\n]);\n"
    );
    let project = Project::new(&db.url, &models);
    let (dump, err) = project.ok(&["models", "dump"]);
    for expected in [
        r#"db.Column("status", db.String(20), #{ default: "open" })"#,
        r#"#{ default: || { issued += 1; `T-${issued}` } }"#,
        r#"#{ default: 1, onupdate: || 100 + issued }"#,
        r#"#{ onupdate: "edited" }"#,
        r#"#{ onupdate: db.func.now() }"#,
        r#"db.Column("default", db.String(10), #{ default: "yes" })"#,
        r#"#{ default: || datetime.utcnow(), server_onupdate: db.FetchedValue() }"#,
    ] {
        assert!(
            dump.contains(expected),
            "{expected}\nnot in:\n{dump}\n{err}"
        );
    }
    // The dump as the models file (with the counter it closes over).
    let reloaded = Project::new(&db.url, &format!("let issued = 0;\n{dump}"));
    let (out, err) = reloaded.ok(&[
        "--no-echo",
        "-c",
        r#"db.create_all();
           let s = Setting();
           let t = Ticket(#{ title: "x" });
           db.session.add_all([s, t]);
           db.session.commit();
           print(`${s.default} ${s.static} ${s["default"]} ${t.code} ${s.stamp != ()}`);"#,
    ]);
    assert!(out.contains("yes 3 yes T-1 true"), "{out}\n{err}");
}

/// A closure of the models file sees `db`, `db.session` and the other
/// models (declared before or after it), in `methods`, `repr` and defaults.
#[test]
fn closures_see_db_and_other_models() {
    let db = TestDb::new(Kind::Sqlite);
    let models = r#"
db.Model("Author", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("name", db.String(40)),
    db.Column("rank", db.Integer, #{ default: || Author.query.count() + 1 }),
    db.relationship("books", "Book", #{ backref: "author" }),
], #{
    repr: |a| `<Author ${a.name}, ${db.session.new.len()} new>`,
    methods: #{
        book_count: || Book.query.filter_by(#{ author_id: this.id }).count(),
        write: |title| { let b = Book(#{ title: title, author: this }); db.session.add(b); db.session.commit(); b },
    },
});
db.Model("Book", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("title", db.String(40)),
    db.Column("author_id", db.Integer, db.ForeignKey("author.id")),
]);
"#;
    let project = Project::new(&db.url, models);
    let (out, err) = project.ok(&[
        "--no-echo",
        "-c",
        r#"db.create_all();
           let a = Author(#{ name: "ann" });
           db.session.add(a);
           print(a);
           db.session.commit();
           a.write("one");
           a.write("two");
           let b = Author(#{ name: "bob" });
           db.session.add(b);
           db.session.commit();
           print(`${a.book_count()} ${a.rank} ${b.rank}`);"#,
    ]);
    assert!(out.contains("<Author ann, 1 new>"), "{out}\n{err}");
    assert!(out.contains("2 1 2"), "{out}\n{err}");
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM book WHERE author_id = 1"),
        "2"
    );
}

/// What a models file says that ormsh cannot honour stops the load at its line.
#[test]
fn unsupported_defaults_are_refused_at_their_line() {
    let db = TestDb::new(Kind::Sqlite);
    for (option, message) in [
        (
            "default: db.func.now()",
            "SQL evaluated at the INSERT is not supported",
        ),
        (
            "onupdate: db.func.lower(\"x\")",
            "the one SQL ormsh sends is db.func.now()",
        ),
        (
            "server_onupdate: 5",
            "server_onupdate: say that the database sets the value",
        ),
        (
            "on_update: 5",
            "has no option `on_update` (did you mean `onupdate`?)",
        ),
    ] {
        let models = format!(
            "db.Model(\"T\", [\n    db.Column(\"id\", db.Integer, #{{ primary_key: true }}),\n    db.Column(\"at\", db.DateTime, #{{ {option} }}),\n]);\n"
        );
        let project = Project::new(&db.url, &models);
        let out = project.ormsh().args(["-c", "1"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{option}: {err}");
        assert!(
            err.contains("models.rhai:3") && err.contains(message),
            "{option}: {err}"
        );
    }
}

/// Flask-SQLAlchemy and ormsh, each reading the same models.py, insert and
/// update rows of the same table: the values each writes are the same.
fn flask_defaults_write_what_flask_writes(kind: Kind) {
    let Some(python) = peer_python() else { return };
    let db = TestDb::new(kind);
    let dir = tempfile::tempdir().unwrap();
    let url = if kind == Kind::Sqlite {
        format!("sqlite:///{}", db.sqlx_url)
    } else {
        sqlalchemy_url(&db.url)
    };
    std::fs::write(
        dir.path().join("app.py"),
        format!(
            r#"from datetime import datetime
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = {url:?}
db = SQLAlchemy(app)

class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owner = db.Column(db.String(10), nullable=False)
    title = db.Column(db.String(40))
    status = db.Column(db.String(20), default='draft', onupdate='edited')
    score = db.Column(db.Integer, default=5, onupdate=6)
    kind = db.Column(db.String(20), server_default='plain')
    shelf = db.Column(db.String(20), server_default=db.text("'top'"))
    created_at = db.Column(db.DateTime, server_default=db.func.now())
    updated_at = db.Column(db.DateTime, onupdate=db.func.now())
    seen_at = db.Column(db.DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)
"#
        ),
    )
    .unwrap();
    // Flask: two rows, the first updated.
    run_python(
        &python,
        dir.path(),
        r#"from app import app, db, Item
with app.app_context():
    db.create_all()
    a = Item(owner='flask', title='a')
    b = Item(owner='flask', title='b', status='set')
    db.session.add_all([a, b])
    db.session.commit()
    a.title = 'a2'
    db.session.commit()
"#,
    );
    // ormsh, on the same models.py: the same two rows, the same update.
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("SQLALCHEMY_DATABASE_URI")
        .env_remove("FLASK_APP")
        .env("HOME", dir.path())
        .args([
            "--no-echo",
            "-c",
            r#"let a = Item(#{ owner: "ormsh", title: "a" });
               let b = Item(#{ owner: "ormsh", title: "b", status: "set" });
               db.session.add_all([a, b]);
               db.session.commit();
               a.title = "a2";
               db.session.commit();"#,
        ])
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &*String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{kind:?}: {text}");
    let select = |owner: &str| {
        rows(
            &db,
            &format!(
                "SELECT title, status, score, kind, shelf, created_at IS NULL, updated_at IS NULL, seen_at IS NULL FROM item WHERE owner = '{owner}' ORDER BY id"
            ),
        )
    };
    let flask = select("flask");
    assert_eq!(flask.len(), 2, "{kind:?}: {flask:?}");
    assert_eq!(select("ormsh"), flask, "{kind:?}");
}
on_every_database!(flask_defaults_write_what_flask_writes);
