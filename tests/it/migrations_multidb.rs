//! A migrations folder made by real `flask db init --multidb` (a revision
//! holds `upgrade_()` and `upgrade_<bind>()`): ormsh refuses to apply or
//! write its revisions, naming the databases, and touches no database;
//! what only reads the folder (`heads`) answers as Flask-Migrate does.

use crate::common::{Kind, TestDb};
use crate::migrations_autogenerate::Project;

const APP: &str = r#"import os
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_migrate import Migrate

here = os.path.dirname(os.path.abspath(__file__))
app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite:///app.db")
app.config["SQLALCHEMY_BINDS"] = {"users": "sqlite:///" + os.path.join(here, "users.db")}
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
fn multidb_folders_are_refused_by_name() {
    let Some(p) = Project::new(MODELS) else {
        return;
    };
    std::fs::write(p.path().join("app.py"), APP).unwrap();
    let db = TestDb::new(Kind::Sqlite);
    p.flask(&db, &["init", "--multidb"]);
    p.flask(&db, &["migrate", "-m", "one"]);
    let files = p.files();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(p.versions().join(&files[0])).unwrap();
    assert!(text.contains("def upgrade_users():"), "{text}");

    let before = db.rows("SELECT name, sql FROM sqlite_master ORDER BY name");
    let users_before = std::fs::read(p.path().join("users.db")).ok();
    for args in [
        &["upgrade"][..],
        &["downgrade"],
        &["current"],
        &["stamp", "head"],
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
        std::fs::read(p.path().join("users.db")).ok(),
        users_before,
        "nothing applied to the bind"
    );
    assert_eq!(p.ormsh_ok(&db, &["heads"]), p.flask(&db, &["heads"]));
}
