//! The config files a Flask app loads by name, read as Flask reads them:
//! `from_pyfile` (from the app's root, or the instance folder under
//! `instance_relative_config=True`; `silent=True` skips a missing file),
//! `from_envvar`, `from_file` with `json.load` / `tomllib.load`, and
//! `from_object` of a module name; a driver-level SQLite URI. Real Flask-SQLAlchemy writes a row into
//! the database its config names; ormsh, reading the same files, finds that
//! database. What ormsh cannot honour (a missing file Flask would stop on,
//! an engine option that changes answers) stops with where it is, and
//! `--database-url` still opens another database.

use std::path::Path;
use std::process::Command;

use crate::common::python::{peer_python, run_python};

const MODELS: &str = "\nclass Item(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    name = db.Column(db.String(40), nullable=False)\n";

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn ormsh(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> (bool, String, String) {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("ormsh"));
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("SQLALCHEMY_DATABASE_URI")
        .env_remove("ORMSH_APP")
        .env_remove("FLASK_APP")
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("xdg"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// Flask (with `env` set) creates the table and writes one row; ormsh (with
/// the same `env`) counts it, and the database file is `db_file`.
fn same_database_as_flask(files: &[(&str, &str)], env: &[(&str, &str)], db_file: &str) {
    let Some(python) = peer_python() else { return };
    let dir = project(files);
    let setenv: String = env
        .iter()
        .map(|(k, v)| format!("os.environ[{k:?}] = {v:?}\n"))
        .collect();
    let seed = format!(
        "import os\n{setenv}from app import app, db, Item\nwith app.app_context():\n    db.create_all()\n    db.session.add(Item(name='from flask'))\n    db.session.commit()\n    print(db.engine.url.database)\n"
    );
    let printed = run_python(&python, dir.path(), &seed);
    // A driver-level URI prints as `file:/path`.
    assert_eq!(
        Path::new(printed.trim().trim_start_matches("file:")),
        dir.path().join(db_file),
        "Flask's own database file"
    );
    let (ok, out, err) = ormsh(
        dir.path(),
        env,
        &[
            "--no-echo",
            "-c",
            "print(Item.query.first().name); print(db.engine.dialect.name); print(db.engine.url)",
        ],
    );
    assert!(ok, "{out}\n{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[..2], ["from flask", "sqlite"], "{err}");
    if !printed.starts_with("file:") {
        // `db.engine.url` as Flask's engine gives it.
        assert_eq!(lines[2], format!("sqlite:///{}", printed.trim()));
    }
}

#[test]
fn from_pyfile_in_the_instance_folder() {
    same_database_as_flask(
        &[
            (
                "app.py",
                &format!(
                    "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__, instance_relative_config=True)\napp.config.from_mapping(SQLALCHEMY_DATABASE_URI='sqlite:///default.db')\napp.config.from_pyfile('config.py', silent=True)\ndb = SQLAlchemy(app)\n{MODELS}"
                ),
            ),
            (
                "instance/config.py",
                "import os\nSECRET_KEY = 'x'\nSQLALCHEMY_DATABASE_URI = 'sqlite:///' + os.path.join(os.path.dirname(__file__), 'local.db')\n",
            ),
        ],
        &[],
        "instance/local.db",
    );
}

#[test]
fn a_silent_missing_pyfile_leaves_the_earlier_setting() {
    same_database_as_flask(
        &[(
            "app.py",
            &format!(
                "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__, instance_relative_config=True)\napp.config.from_mapping(SQLALCHEMY_DATABASE_URI='sqlite:///default.db')\napp.config.from_pyfile('config.py', silent=True)\ndb = SQLAlchemy(app)\n{MODELS}"
            ),
        )],
        &[],
        "instance/default.db",
    );
}

#[test]
fn from_envvar_names_the_file() {
    same_database_as_flask(
        &[
            (
                "app.py",
                &format!(
                    "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config.from_envvar('SHOP_SETTINGS')\ndb = SQLAlchemy(app)\n{MODELS}"
                ),
            ),
            (
                "settings/prod.cfg",
                "SQLALCHEMY_DATABASE_URI = 'sqlite:///prod.db'\n",
            ),
        ],
        &[("SHOP_SETTINGS", "settings/prod.cfg")],
        "instance/prod.db",
    );
}

#[test]
fn from_file_json_and_toml() {
    same_database_as_flask(
        &[
            (
                "app.py",
                &format!(
                    "import json\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config.from_file('config.json', load=json.load)\ndb = SQLAlchemy(app)\n{MODELS}"
                ),
            ),
            (
                "config.json",
                "{\"SQLALCHEMY_DATABASE_URI\": \"sqlite:///json.db\", \"DEBUG\": true}\n",
            ),
        ],
        &[],
        "instance/json.db",
    );
    same_database_as_flask(
        &[
            (
                "app.py",
                &format!(
                    "import tomllib\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config.from_file('config.toml', load=tomllib.load, text=False)\ndb = SQLAlchemy(app)\n{MODELS}"
                ),
            ),
            (
                "config.toml",
                "SQLALCHEMY_DATABASE_URI = \"sqlite:///toml.db\"\n",
            ),
        ],
        &[],
        "instance/toml.db",
    );
    // The loader by the name it was imported as.
    same_database_as_flask(
        &[
            (
                "app.py",
                &format!(
                    "from tomllib import load as read_toml\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config.from_file('config.toml', load=read_toml, text=False)\ndb = SQLAlchemy(app)\n{MODELS}"
                ),
            ),
            (
                "config.toml",
                "SQLALCHEMY_DATABASE_URI = \"sqlite:///imported.db\"\n",
            ),
        ],
        &[],
        "instance/imported.db",
    );
}

#[test]
fn from_object_of_a_module_name() {
    same_database_as_flask(
        &[
            (
                "app.py",
                &format!(
                    "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config.from_object('settings')\napp.config['SQLALCHEMY_ENGINE_OPTIONS'] = {{'pool_pre_ping': True, 'pool_recycle': 280}}\ndb = SQLAlchemy(app)\n{MODELS}"
                ),
            ),
            (
                "settings.py",
                "import os\nbasedir = os.path.abspath(os.path.dirname(__file__))\nSQLALCHEMY_DATABASE_URI = 'sqlite:///' + os.path.join(basedir, 'mod.db')\nsqlalchemy_database_uri = 'not this one'\n",
            ),
        ],
        &[],
        "mod.db",
    );
}

/// `sqlite:///file:x.db?uri=true` (Flask-SQLAlchemy's
/// `test_sqlite_driver_level_uri`): the file lives in the instance folder.
#[test]
fn a_driver_level_sqlite_uri() {
    same_database_as_flask(
        &[(
            "app.py",
            &format!(
                "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///file:test.db?uri=true'\ndb = SQLAlchemy(app)\n{MODELS}"
            ),
        )],
        &[],
        "instance/test.db",
    );
}

/// A file Flask would stop on is an error naming the line that loads it;
/// `--database-url` opens another database all the same.
#[test]
fn a_missing_config_file_is_named() {
    let dir = project(&[(
        "app.py",
        &format!(
            "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config.from_pyfile('missing.cfg')\ndb = SQLAlchemy(app)\n{MODELS}"
        ),
    )]);
    let (ok, out, err) = ormsh(dir.path(), &[], &["--no-echo", "-c", "1"]);
    assert!(!ok, "{out}");
    assert!(
        err.contains("app.py:4") && err.contains("missing.cfg") && err.contains("does not exist"),
        "{err}"
    );
    let other = dir.path().join("other.db");
    let url = format!("sqlite:///{}", other.display());
    let (ok, out, err) = ormsh(
        dir.path(),
        &[],
        &[
            "--database-url",
            &url,
            "--no-echo",
            "-c",
            "db.create_all(); Item.query.count()",
        ],
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(out.trim(), "0");
}

/// An engine option that can change answers is refused, naming it and the
/// line that sets it; pool options are taken as read.
#[test]
fn an_engine_option_that_changes_answers_is_refused() {
    let dir = project(&[(
        "app.py",
        &format!(
            "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///shop.db'\napp.config['SQLALCHEMY_ENGINE_OPTIONS'] = {{'pool_pre_ping': True, 'isolation_level': 'AUTOCOMMIT'}}\ndb = SQLAlchemy(app)\n{MODELS}"
        ),
    )]);
    let (ok, out, err) = ormsh(dir.path(), &[], &["--no-echo", "-c", "db.create_all(); 1"]);
    assert!(!ok, "{out}");
    assert!(
        err.contains("app.py:5") && err.contains("isolation_level"),
        "{err}"
    );
    assert!(
        !dir.path().join("instance/shop.db").exists(),
        "nothing opened"
    );
}

/// `SQLAlchemy(app, session_options={'autoflush': False})`: a query does not
/// flush what was added, in Flask and in ormsh alike; an option ormsh does
/// not honour refuses to open the app, naming its line.
#[test]
fn session_options_of_the_extension() {
    let Some(python) = peer_python() else { return };
    let app = |options: &str| {
        format!(
            "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///shop.db'\ndb = SQLAlchemy(app, {options})\n{MODELS}"
        )
    };
    let dir = project(&[(
        "app.py",
        &app("session_options={'autoflush': False, 'expire_on_commit': False}"),
    )]);
    let flask = run_python(
        &python,
        dir.path(),
        "from app import app, db, Item\nwith app.app_context():\n    db.create_all()\n    db.session.add(Item(name='a'))\n    print(Item.query.count())\n    db.session.commit()\n    print(Item.query.count())\n",
    );
    assert_eq!(flask, "0\n1\n");
    let (ok, out, err) = ormsh(
        dir.path(),
        &[],
        &[
            "--no-echo",
            "-c",
            "db.session.add(Item(#{ name: \"b\" })); print(Item.query.count()); db.session.commit(); print(Item.query.count());",
        ],
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(out, "1\n2\n", "autoflush off, as in Flask: {err}");

    let dir = project(&[("app.py", &app("session_options={'twophase': True}"))]);
    let (ok, out, err) = ormsh(dir.path(), &[], &["--no-echo", "-c", "1"]);
    assert!(!ok, "{out}");
    assert!(
        err.contains("app.py:5") && err.contains("twophase"),
        "{err}"
    );
    let dir = project(&[(
        "app.py",
        &app("engine_options={'isolation_level': 'AUTOCOMMIT'}"),
    )]);
    let (ok, out, err) = ormsh(dir.path(), &[], &["--no-echo", "-c", "1"]);
    assert!(!ok, "{out}");
    assert!(
        err.contains("app.py:5") && err.contains("isolation_level"),
        "{err}"
    );
}
