//! The peer: a Python virtual environment with Flask, Flask-SQLAlchemy,
//! Flask-Migrate, Alembic and Django from the package registry, built once per
//! test run (and kept in `target/` for the next), so that tests can run the
//! real thing beside ormsh on the same database.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// What the environment holds; a change here builds it anew.
const PACKAGES: &[&str] = &[
    "flask",
    "flask-sqlalchemy",
    "flask-migrate",
    "alembic",
    "psycopg[binary]",
    "pymysql",
    "django",
];

/// The Python of the peer's environment, or why there is none. With
/// ORMSH_TEST_REQUIRE_ALL=1 (CI) a missing peer fails the test instead.
pub fn peer_python() -> Option<PathBuf> {
    static PEER: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PEER.get_or_init(build) {
        Ok(python) => Some(python.clone()),
        Err(why) => {
            assert!(
                !std::env::var("ORMSH_TEST_REQUIRE_ALL").is_ok_and(|v| v == "1"),
                "the Python peer is needed (ORMSH_TEST_REQUIRE_ALL=1): {why}"
            );
            super::skipped(&format!("the Python peer ({why})"));
            None
        }
    }
}

fn build() -> Result<PathBuf, String> {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let home = target.join("peer-venv");
    let marker = home.join("ormsh-packages.txt");
    let wanted = PACKAGES.join("\n");
    let python = home.join("bin").join("python");
    if std::fs::read_to_string(&marker).is_ok_and(|m| m == wanted) && python.exists() {
        return Ok(python);
    }
    // Built beside, then moved into place: a second test process that
    // builds at the same time loses the move and uses the winner's.
    let staging = target.join(format!("peer-venv.{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&target).map_err(|e| format!("cannot create {target:?}: {e}"))?;
    let run = |cmd: &mut Command, what: &str| -> Result<(), String> {
        let out = cmd
            .output()
            .map_err(|e| format!("{what}: cannot start it: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{what} failed: {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            ))
        }
    };
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&staging),
        "python3 -m venv",
    )?;
    run(
        Command::new(staging.join("bin").join("python"))
            .args(["-m", "pip", "install", "-q", "--disable-pip-version-check"])
            .args(PACKAGES),
        "pip install",
    )?;
    std::fs::write(staging.join("ormsh-packages.txt"), &wanted)
        .map_err(|e| format!("cannot write the marker: {e}"))?;
    let _ = std::fs::remove_dir_all(&home);
    if std::fs::rename(&staging, &home).is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    if python.exists() {
        Ok(python)
    } else {
        Err("the environment was not built".into())
    }
}

/// The URL SQLAlchemy needs for the same database as `url` (ormsh's):
/// the drivers installed in the environment named.
pub fn sqlalchemy_url(url: &str) -> String {
    if let Some(rest) = url.strip_prefix("postgresql://") {
        format!("postgresql+psycopg://{rest}")
    } else if let Some(rest) = url.strip_prefix("mysql://") {
        format!("mysql+pymysql://{rest}")
    } else {
        url.to_string()
    }
}

/// Run `script` with the peer's Python in `dir`; its standard output, or
/// a panic that shows what it printed.
pub fn run_python(python: &Path, dir: &Path, script: &str) -> String {
    let path = dir.join("peer.py");
    std::fs::write(&path, script).unwrap();
    let out = Command::new(python)
        .arg(&path)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "the Python peer failed:\n{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The URL Flask-SQLAlchemy opens for the test database `db` (a SQLite
/// file by its path, a server through the peer's drivers).
pub fn flask_url(db: &crate::common::TestDb) -> String {
    if db.kind == crate::common::Kind::Sqlite {
        format!("sqlite:///{}", db.sqlx_url)
    } else {
        sqlalchemy_url(&db.url)
    }
}

/// Write `dir/app.py`: a Flask app on `url` with `db = SQLAlchemy(app)`,
/// then `models`.
pub fn write_flask_app(dir: &Path, url: &str, models: &str) {
    std::fs::write(
        dir.join("app.py"),
        format!(
            "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = {url:?}\ndb = SQLAlchemy(app)\n{models}"
        ),
    )
    .unwrap();
}

/// ormsh run with `args` in the Flask project at `dir` (no ormsh.toml, no
/// URL from the environment): whether it succeeded, and what it printed
/// (standard output, then standard error).
pub fn ormsh_in(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("SQLALCHEMY_DATABASE_URI")
        .env_remove("FLASK_APP")
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string() + &*String::from_utf8_lossy(&out.stderr),
    )
}
