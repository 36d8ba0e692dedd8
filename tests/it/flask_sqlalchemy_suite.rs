//! Flask-SQLAlchemy 3.1's own tests that mean something in a shell,
//! translated: each test names the upstream test (tests/<file>::<name>) it
//! comes from. Where the upstream test asserts on Python objects
//! (`metadata is ..`), the translation asserts what that means for a user:
//! the table is made on the right database, the rows are read from there.
//! Real Flask-SQLAlchemy writes the rows first; ormsh reads the same app.
//! The submodules hold one upstream file (or a few close ones) each, and
//! say which of its tests are not meaningful in a shell or fail in ormsh.
//! Translations that live elsewhere: test_track_modifications.py
//! (savepoints.rs `signals`), test_session.py::test_session_uses_bind_key
//! (binds.rs `spans`), test_engine.py::test_sqlite_relative_path
//! (flask_project.rs), test_engine.py::test_sqlite_driver_level_uri
//! (flask_config.rs), test_model_name.py::test_camel_to_snake_case
//! (src/orm/mapping/naming.rs).
//!
//! tests/test_engine.py, not meaningful in a shell: test_default_engine
//! (no app context), test_engine_per_bind (engine identity),
//! test_config_engine_options, test_init_engine_options, test_config_echo
//! (the shell shows SQL by its own `--echo`/`.echo`),
//! test_sqlite_memory_defaults, test_mysql_defaults (pool arguments).
//! test_url_type with `sa.engine.URL.create(..)`: a URL object, Python
//! that ormsh reads without running.

mod binds;
mod model_names;
mod pagination;
mod queries;

use std::path::Path;
use std::process::Command;

use crate::common::python::{ormsh_in, peer_python, run_python};

fn ormsh(dir: &Path, code: &str) -> (bool, String) {
    ormsh_in(dir, &["--no-echo", "-c", code])
}

/// tests/test_engine.py::test_no_binds_error: an app with neither
/// SQLALCHEMY_DATABASE_URI nor SQLALCHEMY_BINDS is refused (Flask-SQLAlchemy
/// raises "Either 'SQLALCHEMY_DATABASE_URI' or 'SQLALCHEMY_BINDS' must be
/// set."), and test_url_type with a bind given as a URL string and as a
/// dict of engine options with its `url`.
#[test]
fn no_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = "import sqlalchemy as sa\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\ndb = SQLAlchemy(app)\n\nclass Todo(db.Model):\n    id = sa.Column(sa.Integer, primary_key=True)\n";
    std::fs::write(dir.path().join("app.py"), app).unwrap();
    let (ok, out) = ormsh(dir.path(), "Todo.query.count()");
    assert!(!ok, "{out}");
    assert!(
        out.contains("sets no SQLALCHEMY_DATABASE_URI (nor SQLALCHEMY_BINDS) that ormsh can read"),
        "{out}"
    );
    let a = dir.path().join("a.db");
    std::fs::write(
        dir.path().join("app.py"),
        app.replace(
            "db = SQLAlchemy(app)",
            &format!(
                "app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\napp.config['SQLALCHEMY_BINDS'] = {{'a': 'sqlite:///{}'}}\ndb = SQLAlchemy(app)",
                a.display()
            ),
        )
        .replace("class Todo(db.Model):\n", "class Todo(db.Model):\n    __bind_key__ = 'a'\n"),
    )
    .unwrap();
    let (ok, out) = ormsh(
        dir.path(),
        "db.create_all(); db.session.add(Todo()); db.session.commit(); print(Todo.query.count());",
    );
    assert!(ok, "{out}");
    assert_eq!(out, "1\n");
    assert_eq!(tables_in(&a), vec!["todo"]);
    std::fs::remove_file(&a).unwrap();
    let as_string = std::fs::read_to_string(dir.path().join("app.py")).unwrap();
    let quoted = format!("'sqlite:///{}'", a.display());
    std::fs::write(
        dir.path().join("app.py"),
        as_string.replace(
            &quoted,
            &format!("{{'url': {quoted}, 'pool_pre_ping': True}}"),
        ),
    )
    .unwrap();
    let (ok, out) = ormsh(
        dir.path(),
        "db.create_all(); db.session.add(Todo()); db.session.commit(); print(Todo.query.count());",
    );
    assert!(ok, "{out}");
    assert_eq!(out, "1\n");
    assert_eq!(tables_in(&a), vec!["todo"]);
}

/// tests/test_engine.py::test_no_default_url: SQLALCHEMY_BINDS and no
/// SQLALCHEMY_DATABASE_URI is an app Flask-SQLAlchemy accepts, with no
/// default engine (`None not in db.engines`, `"a" in db.engines`). What
/// that means at the prompt, each answer checked against real
/// Flask-SQLAlchemy on the same app: a model on the bind is created, read
/// and written there; a model with no bind key, `db.create_all()` (its
/// metadata of no bind key always exists) and hand-written SQL on the
/// session are refused; `app.config` has no SQLALCHEMY_DATABASE_URI.
#[test]
fn no_default_url() {
    let Some(python) = peer_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    std::fs::write(
        dir.path().join("app.py"),
        format!(
            "import sqlalchemy as sa\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_BINDS'] = {{'a': 'sqlite:///{}'}}\ndb = SQLAlchemy(app, engine_options={{'echo': False}})\n\nclass Todo(db.Model):\n    __bind_key__ = 'a'\n    id = sa.Column(sa.Integer, primary_key=True)\n    title = sa.Column(sa.String(20))\n\nclass Plain(db.Model):\n    id = sa.Column(sa.Integer, primary_key=True)\n",
            a.display()
        ),
    )
    .unwrap();
    let flask = run_python(
        &python,
        dir.path(),
        r#"from app import app, db, Todo, Plain
with app.app_context():
    assert None not in db.engines
    assert "a" in db.engines
    for name, f in [('create_all()', lambda: db.create_all()), ('Plain', lambda: Plain.query.count()), ('execute', lambda: db.session.execute(db.text('SELECT 1')).all())]:
        try:
            f()
            print(name, 'ok')
        except Exception as e:
            print(name, type(e).__name__)
    db.create_all('a')
    db.session.add(Todo(title='flask'))
    db.session.commit()
"#,
    );
    assert_eq!(
        flask,
        "create_all() UnboundExecutionError
Plain UnboundExecutionError
execute UnboundExecutionError
"
    );
    // The model on the bind: read, written, and its table made by name.
    let (ok, out) = ormsh(
        dir.path(),
        r#"db.session.add(Todo(#{ title: "ormsh" })); db.session.commit();
        for t in Todo.query.order_by(Todo.id).all() { print(t.title) }
        db.drop_all(#{ bind_key: "a", confirm: true }); db.create_all("a");
        print(Todo.query.count()); print(app.config.SQLALCHEMY_DATABASE_URI);"#,
    );
    assert!(ok, "{out}");
    assert_eq!(
        out,
        "flask
ormsh
0
None
"
    );
    assert_eq!(tables_in(&a), vec!["todo"]);
    // The engines by bind key, as `db.engines` and `db.get_engine` give them.
    let (ok, out) = ormsh(
        dir.path(),
        r#"print(db.engines["a"].name); print(db.get_engine("a").dialect.name); print(db.engines.keys()); print(db.engines);"#,
    );
    assert!(ok, "{out}");
    assert_eq!(
        out,
        format!(
            "sqlite\nsqlite\n[\"a\"]\n{{'a': Engine(sqlite:///{})}}\n",
            a.display()
        )
    );
    // What needs the default database: refused, saying why and what to do.
    for (code, says) in [
        (
            "db.create_all()",
            "db.create_all() is for every database, the default one too, and there is no default database (SQLALCHEMY_DATABASE_URI, or `url` under [database], is not set), only the binds `a`: name a bind (`db.create_all(\"a\")`)",
        ),
        ("db.drop_all()", "db.drop_all() is for every database"),
        (
            "Plain.query.count()",
            "Plain has no bind key, and there is no default database",
        ),
        (
            "db.session.add(Plain()); db.session.commit()",
            "Plain has no bind key",
        ),
        (
            "db.session.execute(db.text(\"SELECT 1\"))",
            "there is no default database",
        ),
        ("db.engine.url", "there is no default database"),
        ("db.engines[()].url", "there is no default database"),
        ("db.get_engine().url", "there is no default database"),
        ("db.engines[\"b\"].url", "there is no bind named `b`"),
    ] {
        let (ok, out) = ormsh(dir.path(), code);
        assert!(!ok && out.contains(says), "{code}: {out}");
        assert!(!out.contains("panicked"), "{out}");
    }
    assert_eq!(tables_in(&a), vec!["todo"]);
}

fn tables_in(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// tests/test_model_bind.py::test_multiple_binds_same_table_name and
/// tests/test_table_bind.py::test_multiple_binds_same_table_name: two models
/// (and two tables) named `user`, one on the default database and one on
/// the bind `other`; tests/test_table_bind.py::test_metadata_per_bind: a
/// `db.Table(.., bind_key="other")` lives on `other` only.
#[test]
fn multiple_binds_same_table_name() {
    let Some(python) = peer_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("main.db");
    let other = dir.path().join("other.db");
    std::fs::write(
        dir.path().join("app.py"),
        format!(
            r#"import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///{main}'
app.config['SQLALCHEMY_BINDS'] = {{'other': 'sqlite:///{other}'}}
db = SQLAlchemy(app)

class UserA(db.Model):
    __tablename__ = 'user'
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(20))

class UserB(db.Model):
    __tablename__ = 'user'
    __bind_key__ = 'other'
    id = sa.Column(sa.Integer, primary_key=True)
    login = sa.Column(sa.String(20))
    score = sa.Column(sa.Integer)

audit = db.Table('audit', sa.Column('id', sa.Integer, primary_key=True), sa.Column('what', sa.String(20)), bind_key='other')
"#,
            main = main.display(),
            other = other.display()
        ),
    )
    .unwrap();
    run_python(
        &python,
        dir.path(),
        "from app import *\nwith app.app_context():\n    db.create_all()\n    db.session.add(UserA(name='ann'))\n    db.session.add_all([UserB(login='bob', score=3), UserB(login='cy', score=5)])\n    db.session.execute(audit.insert().values(what='made'))\n    db.session.commit()\n",
    );
    let (ok, out) = ormsh(
        dir.path(),
        r#"print(UserA.query.count()); print(UserB.query.count());
           print(UserA.query.one().name);
           print(db.session.execute(db.select(UserB.login).order_by(UserB.score.desc())).scalars().first());
           db.session.add(UserB(#{ login: "di", score: 1 })); db.session.commit();"#,
    );
    assert!(ok, "{out}");
    assert_eq!(out, "1\n2\nann\ncy\n");
    // The row went to `other`'s table, not to the default one.
    let conn = rusqlite::Connection::open(&other).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM user WHERE login = 'di'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(n, 1);
    // Each database holds its own tables; ormsh finds no drift on either.
    assert_eq!(tables_in(&main), vec!["user"]);
    assert_eq!(tables_in(&other), vec!["audit", "user"]);
    let diff = Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env("HOME", dir.path())
        .args(["db", "diff"])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(0), "{diff:?}");
    // ormsh makes the same tables in the same places from scratch.
    std::fs::remove_file(&main).unwrap();
    std::fs::remove_file(&other).unwrap();
    let (ok, out) = ormsh(dir.path(), "db.create_all();");
    assert!(ok, "{out}");
    assert_eq!(tables_in(&main), vec!["user"]);
    assert_eq!(tables_in(&other), vec!["audit", "user"]);
}

/// tests/test_metadata.py::test_reflect: a `user` table on the default
/// database and a `post` table on the bind `post`; reflected (at start-up,
/// and by `db.reflect()`), each is a model on its own database.
#[test]
fn reflect_reads_every_bind() {
    let dir = tempfile::tempdir().unwrap();
    let user_db = dir.path().join("user.db");
    let post_db = dir.path().join("post.db");
    for (path, sql) in [
        (
            &user_db,
            "CREATE TABLE user (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO user (name) VALUES ('ann');",
        ),
        (
            &post_db,
            "CREATE TABLE post (id INTEGER PRIMARY KEY, title TEXT); CREATE TABLE user (id INTEGER PRIMARY KEY, login TEXT); INSERT INTO post (title) VALUES ('a'), ('b'); INSERT INTO user (login) VALUES ('x'), ('y'), ('z');",
        ),
    ] {
        rusqlite::Connection::open(path)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
    }
    let project = crate::common::Project::without_models(
        &format!("sqlite:///{}", user_db.display()).replacen("sqlite:///", "sqlite:////", 1),
        &format!(
            "\n[binds]\npost = \"{}\"\n",
            format!("sqlite:///{}", post_db.display()).replacen("sqlite:///", "sqlite:////", 1)
        ),
    );
    let out = project
        .ormsh()
        .args([
            "--no-echo",
            "-c",
            "print(User.query.count()); print(Post.query.count()); print(PostUser.query.count()); print(Post.query.first().title)",
        ])
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &*String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.starts_with("1\n2\n3\na\n"), "{text}");
    // A table made on the bind after start-up: db.reflect() finds it there.
    rusqlite::Connection::open(&post_db)
        .unwrap()
        .execute_batch("CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO tag (name) VALUES ('t');")
        .unwrap();
    let out = project
        .ormsh()
        .args([
            "--no-echo",
            "-c",
            "db.reflect(); print(Tag.query.one().name)",
        ])
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &*String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && text.contains("t\n"), "{text}");
}

/// tests/test_model.py::test_model_table (a model mapped onto an existing
/// `db.Table` with `__table__`): its columns are the table's, its rows read
/// and written as Flask reads and writes them.
#[test]
fn model_on_an_existing_table() {
    let Some(python) = peer_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    std::fs::write(
        dir.path().join("app.py"),
        format!(
            r#"import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///{}'
db = SQLAlchemy(app)

user_table = db.Table('user', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(20), nullable=False))

class User(db.Model):
    __table__ = user_table
"#,
            path.display()
        ),
    )
    .unwrap();
    run_python(
        &python,
        dir.path(),
        "from app import *\nwith app.app_context():\n    db.create_all()\n    db.session.add(User(name='ann'))\n    db.session.commit()\n",
    );
    let (ok, out) = ormsh(
        dir.path(),
        r#"print(User.query.one().name); db.session.add(User(#{ name: "bob" })); db.session.commit(); print(User.query.count());"#,
    );
    assert!(ok, "{out}");
    assert_eq!(out, "ann\n2\n");
    let back = run_python(
        &python,
        dir.path(),
        "from app import *\nwith app.app_context():\n    print([u.name for u in User.query.order_by(User.id)])\n",
    );
    assert_eq!(back.trim(), "['ann', 'bob']");
}
