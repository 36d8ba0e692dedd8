//! `cd my-flask-app && ormsh`: a Flask project as it is (the Mega-Tutorial's
//! microblog: `.flaskenv`, an app factory, a config class reading
//! DATABASE_URL, 2.0-style models with a self-referential follow table),
//! with no ormsh.toml and no models file. Real Flask-SQLAlchemy builds the
//! schema and writes rows in the peer's Python environment; ormsh, reading
//! the same Python files without running them, finds the database, reports
//! no drift, answers the same, names the Python methods it cannot run, and
//! refuses an insert whose default is Python.

use std::path::Path;
use std::process::Command;

use crate::common::python::{peer_python, run_python, sqlalchemy_url};
use crate::common::{Kind, TestDb, kinds};

const FILES: &[(&str, &str)] = &[
    (
        "microblog.py",
        include_str!("fixtures/microblog/microblog.py"),
    ),
    ("config.py", include_str!("fixtures/microblog/config.py")),
    (
        "app/__init__.py",
        include_str!("fixtures/microblog/app/__init__.py"),
    ),
    (
        "app/models.py",
        include_str!("fixtures/microblog/app/models.py"),
    ),
    (".flaskenv", include_str!("fixtures/microblog/flaskenv")),
];

const SEED: &str = r#"
import os
if URL:
    os.environ["DATABASE_URL"] = URL
from datetime import datetime
from microblog import app, db
from app.models import User, Post
with app.app_context():
    db.create_all()
    ann, bob, carol = (User(username=n, email=n + "@example.com") for n in ("ann", "bob", "carol"))
    db.session.add_all([ann, bob, carol])
    db.session.flush()
    db.session.execute(db.text("INSERT INTO followers VALUES (:a, :b)"), [{"a": ann.id, "b": bob.id}, {"a": bob.id, "b": carol.id}])
    db.session.add_all([Post(body="first", author=ann, timestamp=datetime(2024, 1, 1)), Post(body="second", author=bob, timestamp=datetime(2024, 1, 2))])
    db.session.commit()
    print(db.engine.url.render_as_string(hide_password=False))
"#;

fn project(dir: &Path, db: &TestDb) {
    for (name, text) in FILES {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    // On a server the config class reads DATABASE_URL, as the tutorial's
    // deployment does; on SQLite its own fallback (app.db beside config.py).
    if db.kind != Kind::Sqlite {
        std::fs::write(
            dir.join(".env"),
            format!("DATABASE_URL={}\n", sqlalchemy_url(&db.url)),
        )
        .unwrap();
    }
}

fn ormsh(dir: &Path, args: &[&str]) -> (bool, String, String) {
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

#[test]
fn microblog_as_it_is() {
    let Some(python) = peer_python() else { return };
    for kind in kinds() {
        let db = TestDb::new(kind);
        let dir = tempfile::tempdir().unwrap();
        project(dir.path(), &db);
        let arg = if kind == Kind::Sqlite {
            String::new()
        } else {
            sqlalchemy_url(&db.url)
        };
        let script = format!("URL = {arg:?}\n{SEED}");
        run_python(&python, dir.path(), &script);

        let (ok, out, err) = ormsh(dir.path(), &["db", "diff"]);
        assert!(ok, "{kind:?}: db diff: {out}\n{err}");
        assert!(out.contains("no drift"), "{kind:?}: {out}\n{err}");
        assert!(
            !err.contains("not loaded"),
            "{kind:?}: every model loads: {err}"
        );

        // The follow graph both ways, and a write-only collection queried;
        // users show as their `__repr__` says (`<User bob>`).
        let (ok, out, err) = ormsh(
            dir.path(),
            &[
                "--no-echo",
                "--format",
                "csv",
                "-c",
                r#"let ann = User.query.filter_by(#{ username: "ann" }).first(); let bob = User.query.filter_by(#{ username: "bob" }).first(); print(`${ann.following.all()}|${ann.followers.count()}|${bob.followers.all()}|${bob.following.all()}|${ann.posts.count()}`)"#,
            ],
        );
        assert!(ok, "{kind:?}: {out}\n{err}");
        assert!(
            out.contains("[<User bob>]|0|[<User ann>]|[<User carol>]|1"),
            "{kind:?}: {out}\n{err}"
        );

        // A models file cannot say a default Python computes with a time zone: the dump
        // refuses rather than write models that would insert NULL there.
        let (ok, _, err) = ormsh(dir.path(), &["models", "dump"]);
        assert!(
            !ok && err.contains(
                "User.last_seen, Post.timestamp are computed by code a models file cannot say"
            ),
            "{kind:?}: {err}"
        );

        // A method defined in Python is named, not run.
        let (ok, out, err) = ormsh(dir.path(), &["-c", r#"User.query.first().avatar(12)"#]);
        assert!(!ok, "{kind:?}: {out}");
        assert!(
            err.contains("User.avatar is a method defined in Python at app/models.py:"),
            "{kind:?}: {err}"
        );

        // `default=lambda: datetime.now(timezone.utc)`, computed per row as
        // Python does: the UTC wall time in a column without a time zone.
        let before = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(5);
        let (ok, out, err) = ormsh(
            dir.path(),
            &[
                "--no-echo",
                "-c",
                r#"db.session.add(Post(#{ body: "third", author: User.query.first() })); db.session.commit()"#,
            ],
        );
        assert!(ok, "{kind:?}: {out}\n{err}");
        let after = chrono::Utc::now().naive_utc() + chrono::Duration::seconds(5);
        let stamp = match kind {
            Kind::Sqlite => rusqlite::Connection::open(dir.path().join("app.db"))
                .unwrap()
                .query_row("SELECT timestamp FROM post WHERE body = 'third'", [], |r| {
                    r.get::<_, String>(0)
                })
                .unwrap(),
            Kind::Postgres => db.scalar("SELECT timestamp::text FROM post WHERE body = 'third'"),
            Kind::MySql => {
                db.scalar("SELECT CAST(timestamp AS CHAR) FROM post WHERE body = 'third'")
            }
        };
        let stamp =
            chrono::NaiveDateTime::parse_from_str(&stamp.replace('T', " "), "%Y-%m-%d %H:%M:%S%.f")
                .unwrap_or_else(|e| panic!("{kind:?}: {stamp}: {e}"));
        assert!(
            before <= stamp && stamp <= after,
            "{kind:?}: {stamp} not UTC now"
        );
    }
}

/// A default that calls Python ormsh does not run refuses the INSERT that
/// leaves it unset, naming where it is; nothing is written. Given a value,
/// the row goes in.
#[test]
fn a_python_default_refuses_the_insert_that_needs_it() {
    let db = TestDb::new(Kind::Sqlite);
    let dir = tempfile::tempdir().unwrap();
    project(dir.path(), &db);
    let models = include_str!("fixtures/microblog/app/models.py").replace(
        "import sqlalchemy as sa",
        "import secrets\nimport sqlalchemy as sa",
    ) + "\n\nclass Token(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    value = db.Column(db.String(16), default=lambda: secrets.token_hex(8))\n";
    let line = models
        .lines()
        .position(|l| l.contains("secrets.token_hex"))
        .unwrap()
        + 1;
    std::fs::write(dir.path().join("app/models.py"), models).unwrap();
    let (ok, _, err) = ormsh(
        dir.path(),
        &[
            "--no-echo",
            "-c",
            "db.create_all(); db.session.commit(); db.session.add(Token()); db.session.commit()",
        ],
    );
    assert!(!ok, "a Token without its value was inserted");
    assert!(err.contains(&format!("Token.value cannot be inserted unset: app/models.py:{line}: its default `lambda: secrets.token_hex(8)`")), "{err}");
    let conn = rusqlite::Connection::open(dir.path().join("app.db")).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM token", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    let (ok, out, err) = ormsh(
        dir.path(),
        &[
            "--no-echo",
            "-c",
            r#"db.session.add(Token(#{ value: "abc" })); db.session.commit(); Token.query.count()"#,
        ],
    );
    assert!(ok && out.trim() == "1", "{out}\n{err}");
}

/// A model ormsh cannot honour whole is left out, named with file:line;
/// the others load and answer.
#[test]
fn a_model_that_cannot_be_read_is_named_and_the_rest_load() {
    let db = TestDb::new(Kind::Sqlite);
    let dir = tempfile::tempdir().unwrap();
    project(dir.path(), &db);
    let models = include_str!("fixtures/microblog/app/models.py").to_string()
        + "\n\nclass Audit(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    kind = db.Column(db.String(20))\n    __mapper_args__ = {'concrete': True}\n";
    let line = models
        .lines()
        .position(|l| l.contains("__mapper_args__"))
        .unwrap()
        + 1;
    std::fs::write(dir.path().join("app/models.py"), models).unwrap();
    let (ok, out, err) = ormsh(
        dir.path(),
        &["--no-echo", "-c", "db.create_all(); User.query.count()"],
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.trim() == "0", "{out}");
    let named = format!("not loaded: app/models.py:{line}:");
    assert!(
        err.contains(&named)
            && err.contains("`__mapper_args__`")
            && err.contains("the model Audit was not loaded"),
        "{err}"
    );
    let (ok, _, err) = ormsh(dir.path(), &["-c", "Audit.query.count()"]);
    assert!(!ok && err.contains("Audit"), "{err}");
}

/// The app's config picks the database; a relative SQLite file lives in the
/// instance folder (Flask-SQLAlchemy 3), and `--database-url` still wins.
/// Also Flask-SQLAlchemy 3.1's tests/test_engine.py::test_sqlite_relative_path.
#[test]
fn relative_sqlite_lives_in_the_instance_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("shop")).unwrap();
    std::fs::write(
        root.join("wsgi.py"),
        "from shop import create_app\napp = create_app('development')\n",
    )
    .unwrap();
    std::fs::write(root.join("shop/__init__.py"), "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom .config import config\ndb = SQLAlchemy()\n\ndef create_app(config_name):\n    app = Flask(__name__)\n    app.config.from_object(config[config_name])\n    db.init_app(app)\n    return app\n").unwrap();
    std::fs::write(root.join("shop/config.py"), "class Config:\n    SQLALCHEMY_DATABASE_URI = 'sqlite:///prod.db'\n\nclass Dev(Config):\n    SQLALCHEMY_DATABASE_URI = 'sqlite:///dev.db'\n\nconfig = {'development': Dev, 'production': Config}\n").unwrap();
    std::fs::write(root.join("shop/models.py"), "from . import db\n\nclass Item(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    name = db.Column(db.String(40), nullable=False)\n").unwrap();
    let (ok, out, err) = ormsh(
        root,
        &[
            "--no-echo",
            "-c",
            "db.create_all(); db.session.add(Item(#{ name: \"x\" })); db.session.commit(); Item.query.count()",
        ],
    );
    assert!(ok, "{out}\n{err}");
    assert!(root.join("instance/dev.db").is_file(), "{out}\n{err}");
    assert!(!root.join("instance/prod.db").exists());
    let (ok, out, err) = ormsh(
        root,
        &[
            "--config",
            "production",
            "--no-echo",
            "-c",
            "db.create_all(); Item.query.count()",
        ],
    );
    assert!(ok, "{out}\n{err}");
    assert!(
        root.join("instance/prod.db").is_file(),
        "--config picks the production class: {err}"
    );
    let other = root.join("other.db");
    let (ok, out, err) = ormsh(
        root,
        &[
            "--database-url",
            &format!("sqlite:///{}", other.display()),
            "--no-echo",
            "-c",
            "db.create_all(); 1",
        ],
    );
    assert!(ok, "{out}\n{err}");
    assert!(other.is_file());
}

const FLASKY: &[(&str, &str)] = &[
    ("flasky.py", include_str!("fixtures/flasky/flasky.py")),
    ("config.py", include_str!("fixtures/flasky/config.py")),
    (
        "app/__init__.py",
        include_str!("fixtures/flasky/app/__init__.py"),
    ),
    (
        "app/models.py",
        include_str!("fixtures/flasky/app/models.py"),
    ),
];

const FLASKY_SEED: &str = r#"
import os
if URL:
    os.environ["DEV_DATABASE_URL"] = URL
from datetime import datetime
from flasky import app, db
from app.models import User, Role, Post, Follow
with app.app_context():
    db.create_all()
    admin = Role(name="Admin", permissions=31)
    ann = User(username="ann", email="ann@example.com", role=admin)
    bob = User(username="bob", email="bob@example.com", role=admin)
    db.session.add_all([admin, ann, bob])
    db.session.flush()
    db.session.add(Follow(follower=ann, followed=bob))
    db.session.add(Post(body="hello", author=ann))
    db.session.commit()
"#;

/// The book's companion app (Flasky) in the classic style: `__tablename__`,
/// `lazy='dynamic'` backrefs, an association model with two paths told
/// apart by `foreign_keys`, a constructor and an event listener in Python.
#[test]
fn flasky_classic_models() {
    let Some(python) = peer_python() else { return };
    for kind in kinds() {
        let db = TestDb::new(kind);
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in FLASKY {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let url = if kind == Kind::Sqlite {
            String::new()
        } else {
            sqlalchemy_url(&db.url)
        };
        run_python(
            &python,
            dir.path(),
            &format!("URL = {url:?}\n{FLASKY_SEED}"),
        );
        if kind != Kind::Sqlite {
            std::fs::write(dir.path().join(".env"), format!("DEV_DATABASE_URL={url}\n")).unwrap();
        }
        std::fs::write(dir.path().join(".flaskenv"), "FLASK_APP=flasky.py\n").unwrap();

        let (ok, out, err) = ormsh(dir.path(), &["db", "diff"]);
        assert!(ok && out.contains("no drift"), "{kind:?}: {out}\n{err}");

        let (ok, out, err) = ormsh(
            dir.path(),
            &[
                "--no-echo",
                "-c",
                r#"let ann = User.query.filter_by(#{ username: "ann" }).first(); print(`${ann.followed.count()}|${ann.followed.first().followed.username}|${ann.posts.count()}|${ann.role.name}|${Role.query.first().users.count()}`)"#,
            ],
        );
        assert!(ok, "{kind:?}: {out}\n{err}");
        assert!(out.contains("1|bob|1|Admin|2"), "{kind:?}: {out}\n{err}");

        // Python that Flask would run is refused, never skipped.
        let (ok, out, err) = ormsh(dir.path(), &["--no-echo", "-c", "help(User)"]);
        assert!(
            ok && out.contains("is_following()")
                && out.contains("method defined in Python at app/models.py:"),
            "{kind:?}: {out}\n{err}"
        );
        let (ok, _, err) = ormsh(
            dir.path(),
            &["-c", r#"let u = User.query.first(); u.password = "secret""#],
        );
        assert!(
            !ok && err.contains("User.password is a property defined in Python at app/models.py:"),
            "{kind:?}: {err}"
        );
        let (ok, _, err) = ormsh(dir.path(), &["-c", r#"Role(#{ name: "User" })"#]);
        assert!(
            !ok && err.contains("runs its constructor defined in Python at app/models.py:"),
            "{kind:?}: {err}"
        );
        let (ok, _, err) = ormsh(
            dir.path(),
            &[
                "-c",
                r#"let p = Post.query.first(); p.body = "changed"; db.session.commit()"#,
            ],
        );
        assert!(
            !ok && err.contains("an event listener at app/models.py:"),
            "{kind:?}: {err}"
        );
        let body = match kind {
            Kind::Sqlite => rusqlite::Connection::open(dir.path().join("data-dev.sqlite"))
                .unwrap()
                .query_row("SELECT body FROM posts", [], |r| r.get::<_, String>(0))
                .unwrap(),
            _ => db.scalar("SELECT body FROM posts"),
        };
        assert_eq!(body, "hello", "{kind:?}");
    }
}

/// Write `files` into a new project folder.
fn write_project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Flask builds the schema (`db.create_all()` through the app as FLASK_APP
/// names it), then ormsh, reading the same files, finds the same database
/// file and reports no drift, and each relationship answers as Flask's does.
fn same_as_flask(
    files: &[(&str, &str)],
    flask_app: &str,
    db_file: &str,
    check: &str,
    expected: &str,
) {
    let Some(python) = peer_python() else { return };
    let dir = write_project(files);
    let module = flask_app.split(':').next().unwrap().trim_end_matches(".py");
    let seed = format!(
        "import importlib\nm = importlib.import_module({module:?})\napp = getattr(m, 'app', None) or m.create_app()\nfrom flask_sqlalchemy import SQLAlchemy\ndb = app.extensions['sqlalchemy']\nwith app.app_context():\n    db.create_all()\n    print(db.engine.url.database)\n"
    );
    let printed = run_python(&python, dir.path(), &seed);
    let expected_file = dir.path().join(db_file);
    assert_eq!(
        Path::new(printed.trim()),
        expected_file,
        "Flask's own database file"
    );
    std::fs::write(
        dir.path().join(".flaskenv"),
        format!("FLASK_APP={flask_app}\n"),
    )
    .unwrap();
    let (ok, out, err) = ormsh(dir.path(), &["db", "diff"]);
    assert!(ok && out.contains("no drift"), "{out}\n{err}");
    assert!(!err.contains("not loaded"), "{err}");
    let (ok, out, err) = ormsh(dir.path(), &["--no-echo", "-c", check]);
    assert!(ok, "{out}\n{err}");
    assert_eq!(out.trim(), expected, "{err}");
}

/// One module holds the app, its config and its models (the quickstart).
#[test]
fn single_module_app() {
    same_as_flask(
        &[(
            "app.py",
            "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship\nfrom sqlalchemy import ForeignKey, String\nfrom typing import List, Optional\n\nclass Base(DeclarativeBase):\n    pass\n\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///project.db'\ndb = SQLAlchemy(app, model_class=Base)\n\nclass Author(db.Model):\n    id: Mapped[int] = mapped_column(primary_key=True)\n    name: Mapped[str] = mapped_column(String(50), unique=True)\n    nickname: Mapped[Optional[str]]\n    books: Mapped[List['Book']] = relationship(back_populates='author', order_by='Book.title')\n\nclass Book(db.Model):\n    id: Mapped[int] = mapped_column(primary_key=True)\n    title: Mapped[str] = mapped_column(String(100))\n    author_id: Mapped[int] = mapped_column(ForeignKey('author.id'))\n    author: Mapped['Author'] = relationship(back_populates='books')\n\n@app.route('/')\ndef index():\n    return 'hi'\n",
        )],
        "app.py",
        "instance/project.db",
        "let a = Author(#{ name: \"le guin\" }); db.session.add(a); db.session.add(Book(#{ title: \"b\", author: a })); db.session.add(Book(#{ title: \"a\", author: a })); db.session.commit(); let t = []; for b in Author.query.first().books { t.push(b.title) } print(t)",
        "[\"a\", \"b\"]",
    );
}

/// Models split into a package, each file importing `db` and the others.
#[test]
fn models_package() {
    same_as_flask(
        &[
            (
                "wsgi.py",
                "from shop import create_app\napp = create_app()\n",
            ),
            (
                "shop/__init__.py",
                "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n\ndef create_app():\n    app = Flask(__name__)\n    app.config.from_mapping(SQLALCHEMY_DATABASE_URI='sqlite:///shop.db')\n    db.init_app(app)\n    from . import models\n    return app\n",
            ),
            (
                "shop/models/__init__.py",
                "from .customer import Customer\nfrom .order import Order, OrderLine\n",
            ),
            (
                "shop/models/customer.py",
                "from shop import db\n\nclass Customer(db.Model):\n    __tablename__ = 'customers'\n    id = db.Column(db.Integer, primary_key=True)\n    name = db.Column(db.String(80), nullable=False)\n    orders = db.relationship('Order', backref='customer', lazy='dynamic')\n",
            ),
            (
                "shop/models/order.py",
                "from shop import db\nfrom .customer import Customer\n\nSTATUS_LENGTH = 12\n\nclass Order(db.Model):\n    __tablename__ = 'orders'\n    id = db.Column(db.Integer, primary_key=True)\n    status = db.Column(db.String(STATUS_LENGTH), default='new', nullable=False)\n    customer_id = db.Column(db.Integer, db.ForeignKey('customers.id'), nullable=False)\n    lines = db.relationship('OrderLine', backref='order', cascade='all, delete-orphan')\n\nclass OrderLine(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    order_id = db.Column(db.Integer, db.ForeignKey('orders.id'))\n    quantity = db.Column(db.Integer, nullable=False)\n    price = db.Column(db.Numeric(10, 2))\n",
            ),
        ],
        "wsgi.py",
        "instance/shop.db",
        "let c = Customer(#{ name: \"ann\" }); db.session.add(c); let o = Order(#{ customer: c }); db.session.add(o); db.session.add(OrderLine(#{ order: o, quantity: 2, price: \"9.50\" })); db.session.commit(); print(`${c.orders.count()}|${Order.query.first().status}|${OrderLine.query.first().order.customer.name}`)",
        "1|new|ann",
    );
}

/// A model whose relationship the registry refuses (two foreign keys to
/// the same table, none named) is left out with its file and line; the
/// others load and answer.
#[test]
fn an_ambiguous_relationship_leaves_its_model_out() {
    let db = TestDb::new(Kind::Sqlite);
    let dir = tempfile::tempdir().unwrap();
    project(dir.path(), &db);
    let models = include_str!("fixtures/microblog/app/models.py").to_string()
        + "\n\nclass Message(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    sender_id = db.Column(db.Integer, db.ForeignKey('user.id'))\n    recipient_id = db.Column(db.Integer, db.ForeignKey('user.id'))\n    sender = db.relationship('User')\n";
    let line = models
        .lines()
        .position(|l| l.contains("sender = db.relationship"))
        .unwrap()
        + 1;
    std::fs::write(dir.path().join("app/models.py"), models).unwrap();
    let (ok, out, err) = ormsh(
        dir.path(),
        &["--no-echo", "-c", "db.create_all(); Post.query.count()"],
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(out.trim(), "0");
    let named = format!("not loaded: app/models.py:{line}: Message.sender:");
    assert!(
        err.contains(&named) && err.contains("the model Message was not loaded"),
        "{err}"
    );
}
