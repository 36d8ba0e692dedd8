//! tests/test_model_name.py (Flask-SQLAlchemy 3.1), translated: the table
//! name each model of a real `app.py` gets, read by ormsh from the source
//! and compared with the tables real Flask-SQLAlchemy made.
//! test_camel_to_snake_case is the unit test in src/orm/mapping/naming.rs.
//!
//! Not meaningful in a shell (Python that runs when a class is made, which
//! ormsh reads without running):
//! - test_mixin_attr, test_complex_inheritance: `__tablename__` or the
//!   primary key made by a `declared_attr` function.
//! - test_no_access_to_class_property: when Python evaluates descriptors.

use std::process::Command;

use crate::common::python::{peer_python, run_python};

/// test_name, test_single_name, test_joined_name, test_mixin_id, test_abstract_name,
/// test_manual_name, test_primary_constraint, test_single_has_parent_table,
/// and a long name of test_camel_to_snake_case as a real model.
#[test]
fn table_names_from_class_names() {
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

class FOOBar(db.Model):
    id = sa.Column(sa.Integer, primary_key=True)

class BazBar(db.Model):
    id = sa.Column(sa.Integer, primary_key=True)

class Ham(db.Model):
    __tablename__ = "spam"
    id = sa.Column(sa.Integer, primary_key=True)

class Duck(db.Model):
    id = sa.Column(sa.Integer, primary_key=True)

class Mallard(Duck):
    pass

class Donald(Duck):
    id = sa.Column(sa.Integer, sa.ForeignKey(Duck.id), primary_key=True)

class IdMixin:
    id = sa.Column(sa.Integer, primary_key=True)

class Drake(IdMixin, db.Model):
    pass

class Base(db.Model):
    __abstract__ = True
    id = sa.Column(sa.Integer, primary_key=True)

class Goose(Base):
    pass

class Swan(db.Model):
    __tablename__ = "SWAN"
    id = sa.Column(sa.Integer, primary_key=True)
    type = sa.Column(sa.String)
    __mapper_args__ = {{"polymorphic_on": type}}

class Daffy(Swan):
    id = sa.Column(sa.Integer, sa.ForeignKey(Swan.id), primary_key=True)
    __mapper_args__ = {{"polymorphic_identity": "Tower"}}

class Cygnet(Swan):
    __mapper_args__ = {{"polymorphic_identity": "Mouse"}}

class Teal(db.Model):
    id = sa.Column(sa.Integer)
    __table_args__ = (sa.PrimaryKeyConstraint(id),)

class HTTP2ClientType3EncoderParametersSSE(db.Model):
    id = sa.Column(sa.Integer, primary_key=True)
"#,
            path.display()
        ),
    )
    .unwrap();
    let models = "FOOBar, BazBar, Ham, Duck, Mallard, Donald, Drake, Goose, Swan, Daffy, Cygnet, Teal, HTTP2ClientType3EncoderParametersSSE";
    let flask = run_python(
        &python,
        dir.path(),
        &format!(
            "from app import *\nwith app.app_context():\n    db.create_all()\n    for m in [{models}]: print(m.__tablename__)\n"
        ),
    );
    let expect = "foo_bar\nbaz_bar\nspam\nduck\nduck\ndonald\ndrake\ngoose\nSWAN\ndaffy\nSWAN\nteal\nhttp2_client_type3_encoder_parameters_sse\n";
    assert_eq!(flask, expect);
    let ormsh = |args: &[&str]| {
        let out = Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("SQLALCHEMY_DATABASE_URI")
            .env_remove("FLASK_APP")
            .env("NO_COLOR", "1")
            .env("HOME", dir.path())
            .args(args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &*String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}\n{text}");
        text
    };
    let names = ormsh(&[
        "--no-echo",
        "-c",
        &format!("for m in [{models}] {{ print(m.__tablename__) }}"),
    ]);
    assert_eq!(names, expect);
    // The single-table subclasses live in their parent's table, the joined
    // ones in their own: the same schema, so no drift.
    let diff = ormsh(&["db", "diff"]);
    assert!(diff.contains("no drift"), "{diff}");
    // Rows written through the subclasses land in those tables.
    ormsh(&[
        "--no-echo",
        "-c",
        "db.session.add(Mallard()); db.session.add(Donald()); db.session.add(Drake()); db.session.add(Daffy()); db.session.add(Cygnet()); db.session.commit();",
    ]);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM duck"), 2);
    assert_eq!(count("SELECT count(*) FROM donald"), 1);
    assert_eq!(count("SELECT count(*) FROM drake"), 1);
    assert_eq!(count("SELECT count(*) FROM daffy"), 1);
    assert_eq!(
        count("SELECT count(*) FROM SWAN WHERE type IN ('Tower', 'Mouse')"),
        2
    );
}

/// test_correct_error_for_no_primary_key: SQLAlchemy raises "could not
/// assemble any primary key"; ormsh refuses the model, naming it.
#[test]
fn no_primary_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "import sqlalchemy as sa\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\ndb = SQLAlchemy(app)\n\nclass User(db.Model):\n    pass\n",
    )
    .unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("SQLALCHEMY_DATABASE_URI")
        .env_remove("FLASK_APP")
        .env("NO_COLOR", "1")
        .env("HOME", dir.path())
        .args(["--no-echo", "-c", "User.query.count()"])
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &*String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("app.py: User has no primary key"), "{text}");
}

/// test_metadata_has_table: `class User(db.Model): pass` after
/// `db.Table("user", ..)` maps User onto that table (Flask-SQLAlchemy's
/// `__table_cls__`); a table of that name on another bind is not its table.
#[test]
fn a_model_with_no_columns_maps_its_table() {
    let Some(python) = peer_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let app = format!(
        "import sqlalchemy as sa\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///{}'\napp.config['SQLALCHEMY_BINDS'] = {{'other': 'sqlite://'}}\ndb = SQLAlchemy(app)\n\nuser = db.Table('user', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(20)))\nlog = db.Table('log', sa.Column('id', sa.Integer, primary_key=True), bind_key='other')\n\nclass User(db.Model):\n    pass\n",
        path.display()
    );
    std::fs::write(dir.path().join("app.py"), &app).unwrap();
    let ormsh = |code: &str| {
        let out = Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("SQLALCHEMY_DATABASE_URI")
            .env_remove("FLASK_APP")
            .env("NO_COLOR", "1")
            .env("HOME", dir.path())
            .args(["--no-echo", "-c", code])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &*String::from_utf8_lossy(&out.stderr);
        (out.status.success(), text)
    };
    let (ok, out) = ormsh(
        r#"db.create_all(); db.session.add(User(#{ name: "ann" })); db.session.commit(); print(User.__tablename__); print(User.query.one().name);"#,
    );
    assert!(ok, "{out}");
    assert_eq!(out, "user\nann\n");
    let back = run_python(
        &python,
        dir.path(),
        "from app import *\nwith app.app_context():\n    print(User.__table__ is user, db.session.execute(db.select(User.name)).scalar_one())\n",
    );
    assert_eq!(back.trim(), "True ann");
    // `Log` finds no `log` table in the default metadata (it is on `other`):
    // no columns, so no primary key, as SQLAlchemy says.
    std::fs::write(
        dir.path().join("app.py"),
        format!("{app}\nclass Log(db.Model):\n    pass\n"),
    )
    .unwrap();
    let (ok, out) = ormsh("print(Log.query.count())");
    assert!(!ok && out.contains("Log has no primary key"), "{out}");
}
