//! What a Flask model computes in Python, read without running it: a
//! `@validates` hook makes setting its column (and only it) refused, with
//! where the hook is; a `column_property` of the class's columns is read
//! as the SQL SQLAlchemy makes of it (the same value, usable in a filter);
//! one the reader cannot evaluate, `synonym` and `association_proxy`
//! attributes are named as Python's when used; a `hybrid_property` is read
//! at both levels;
//! `@reconstructor` and a `deferred(..)` column leave the columns as they
//! are. Real Flask-SQLAlchemy builds the schema and writes the rows; ormsh
//! reads them, reports no drift, and writes what it may.

use std::path::Path;
use std::process::Command;

use crate::common::python::{peer_python, run_python};

const APP: &str = r#"from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import validates, column_property, synonym, deferred, reconstructor
from sqlalchemy.ext.hybrid import hybrid_property

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///shop.db'
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    first = db.Column(db.String(40), nullable=False)
    last = db.Column(db.String(40), nullable=False)
    email = db.Column(db.String(120), nullable=False)
    notes = deferred(db.Column(db.Text))
    full = column_property(first + ' ' + last)
    is_ann = column_property(db.case((first == 'Ann', 1), else_=0))
    mail = synonym('email')

    @validates('email')
    def check_email(self, key, value):
        assert '@' in value
        return value.lower()

    @hybrid_property
    def initials(self):
        return self.first[0] + self.last[0]

    @initials.expression
    def initials(cls):
        return db.func.substr(cls.first, 1, 1)

    @reconstructor
    def on_load(self):
        self.cache = {}
"#;

fn ormsh(dir: &Path, code: &str) -> (bool, String, String) {
    let out = Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("FLASK_APP")
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .args(["--no-echo", "-c", code])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn line_of(text: &str) -> usize {
    APP.lines().position(|l| l.contains(text)).unwrap() + 1
}

#[test]
fn computed_attributes_are_named_and_the_model_loads() {
    let Some(python) = peer_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), APP).unwrap();
    run_python(
        &python,
        dir.path(),
        "from app import app, db, User\nwith app.app_context():\n    db.create_all()\n    db.session.add(User(first='Ann', last='Lee', email='ANN@X.ORG', notes='n'))\n    db.session.commit()\n",
    );
    let out = Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .args(["db", "diff"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("no drift"),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Reading: the columns, the deferred one too, as Flask stored them.
    let (ok, out, err) = ormsh(
        dir.path(),
        "let u = User.query.first(); print(u.email); print(u.notes); print(u.first)",
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(out, "ann@x.org\nn\nAnn\n");
    assert!(!err.contains("not loaded"), "{err}");

    // Setting the validated column is refused, naming the hook; nothing written.
    let (ok, _, err) = ormsh(
        dir.path(),
        "let u = User.query.first(); u.email = \"B@Y.ORG\"; db.session.commit()",
    );
    assert!(!ok);
    let hook = line_of("def check_email");
    assert!(
        err.contains("User.email cannot be set in ormsh")
            && err.contains(&format!("`@validates('email')` at app.py:{hook}")),
        "{err}"
    );
    let (ok, _, err) = ormsh(
        dir.path(),
        "db.session.add(User(#{ first: \"B\", last: \"C\", email: \"b@c\" }))",
    );
    assert!(!ok && err.contains("User.email cannot be set"), "{err}");

    // Other columns are written as usual.
    let (ok, out, err) = ormsh(
        dir.path(),
        "let u = User.query.first(); u.last = \"Lim\"; db.session.commit(); User.query.first().last",
    );
    assert!(ok && out.trim() == "Lim", "{out}\n{err}");

    // A column_property of the columns: SQLAlchemy's value, and a filter.
    let (ok, out, err) = ormsh(
        dir.path(),
        "print(User.query.first().full); print(User.query.filter(User.full == \"Ann Lim\").count())",
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(out, "Ann Lim\n1\n");
    let peer = run_python(
        &python,
        dir.path(),
        "from app import app, db, User\nwith app.app_context():\n    print(User.query.first().full)\n    print(User.query.filter(User.full == 'Ann Lim').count())\n",
    );
    assert_eq!(out, peer);

    // Python's computed attributes are named, not guessed.
    for (attr, kind, text) in [
        ("is_ann", "column property", "is_ann = column_property"),
        ("mail", "synonym", "mail = synonym"),
    ] {
        let (ok, _, err) = ormsh(dir.path(), &format!("User.query.first().{attr}"));
        assert!(!ok, "{attr}");
        assert!(
            err.contains(&format!(
                "User.{attr} is a {kind} defined in Python at app.py:{}",
                line_of(text)
            )),
            "{attr}: {err}"
        );
    }
    // A hybrid property is read at both levels, as Python runs it: the
    // getter on the object, its `.expression` on the class.
    let code = "print(User.query.first().initials); print(db.session.execute(db.select(User.initials)).scalar())";
    let (ok, out, err) = ormsh(dir.path(), code);
    assert!(ok, "{out}\n{err}");
    let peer = run_python(
        &python,
        dir.path(),
        "from app import app, db, User\nwith app.app_context():\n    print(User.query.first().initials)\n    print(db.session.execute(db.select(User.initials)).scalar())\n",
    );
    assert_eq!(out, peer);
    assert_eq!(out, "AL\nA\n");
    let (ok, _, err) = ormsh(dir.path(), "User.query.first().check_email(\"k\", \"v\")");
    assert!(
        !ok && err.contains("is a validator defined in Python"),
        "{err}"
    );

    let conn = rusqlite::Connection::open(dir.path().join("instance/shop.db")).unwrap();
    let (email, last): (String, String) = conn
        .query_row("SELECT email, last FROM user", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((email.as_str(), last.as_str()), ("ann@x.org", "Lim"));
}

/// `__repr__` as Python shows it, for the forms real models write, the
/// same text as `repr(obj)` in Flask; a form the reader does not read
/// shows as ormsh's own `<Tag 1>`.
#[test]
fn reprs_as_python_shows_them() {
    let Some(python) = peer_python() else { return };
    let app = r#"from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///shop.db'
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(40))

    def __repr__(self):
        return f'<User {self.username}>'


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(40))
    price = db.Column(db.Numeric(10, 2))

    def __repr__(self):
        return '<Post %r %r>' % (self.title, self.price)


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.String(40))

    def __repr__(self):
        return 'Note({}, {!r})'.format(self.id, self.body)


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40))

    def __repr__(self):
        return f'<Tag {self.name[:2]}>'
"#;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), app).unwrap();
    let flask = run_python(
        &python,
        dir.path(),
        "from decimal import Decimal\nfrom app import app, db, User, Post, Note, Tag\nwith app.app_context():\n    db.create_all()\n    db.session.add_all([User(username='ann'), Post(title=\"o'neil\", price=Decimal('2.50')), Note(body=None), Tag(name='python')])\n    db.session.commit()\n    for m in (User, Post, Note):\n        print(repr(m.query.first()))\n",
    );
    assert_eq!(
        flask,
        "<User ann>\n<Post \"o'neil\" Decimal('2.50')>\nNote(1, None)\n"
    );
    let (ok, out, err) = ormsh(
        dir.path(),
        "for m in [User, Post, Note, Tag] { print(m.query.first()); }",
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(out, format!("{flask}<Tag 1>\n"));
}
