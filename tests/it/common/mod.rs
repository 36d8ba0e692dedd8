//! Test support: a project folder per test, one throwaway database per test
//! on each server the environment names, and a separate connection (sqlx,
//! not ormsh) to read back what ormsh committed.
#![allow(dead_code)]

pub mod orm;
pub mod python;
pub mod server_gate;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;
use sqlx::{Connection, Row, TypeInfo, ValueRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
    MySql,
}

/// The backends to run against: SQLite always, the servers whose URLs are set.
/// With ORMSH_TEST_REQUIRE_ALL=1 a missing server URL is a failure.
pub fn kinds() -> Vec<Kind> {
    let mut out = vec![Kind::Sqlite];
    let require = std::env::var("ORMSH_TEST_REQUIRE_ALL").is_ok_and(|v| v == "1");
    for (var, kind) in [
        ("ORMSH_TEST_POSTGRES_URL", Kind::Postgres),
        ("ORMSH_TEST_MYSQL_URL", Kind::MySql),
    ] {
        match std::env::var(var) {
            Ok(url) if !url.is_empty() => out.push(kind),
            _ if require => panic!("{var} is not set and ORMSH_TEST_REQUIRE_ALL=1"),
            _ => skipped(&format!("{kind:?} ({var} is not set)")),
        }
    }
    out
}

/// Say that the running test skips `what`, where `cargo test` shows it
/// whether the test passes or not: written to the process's standard error
/// itself, which the test harness leaves alone (it captures `eprintln!`, and
/// shows what it captured only for a failing test, so a skip said that way
/// would read as a plain "ok").
pub fn skipped(what: &str) {
    use std::io::Write;
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let _ = writeln!(std::io::stderr(), "skipped: {test}: {what}");
}

/// Whether tests may run on `kind` here: SQLite always, a server when its
/// URL is set. With ORMSH_TEST_REQUIRE_ALL=1 a missing URL fails the test.
pub fn available(kind: Kind) -> bool {
    let var = match kind {
        Kind::Sqlite => return true,
        Kind::Postgres => "ORMSH_TEST_POSTGRES_URL",
        Kind::MySql => "ORMSH_TEST_MYSQL_URL",
    };
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => true,
        _ if std::env::var("ORMSH_TEST_REQUIRE_ALL").is_ok_and(|v| v == "1") => {
            panic!("{var} is not set and ORMSH_TEST_REQUIRE_ALL=1")
        }
        _ => {
            skipped(&format!("{kind:?} ({var} is not set)"));
            false
        }
    }
}

/// One `#[test]` per database for `body(kind)`, named `<name>_on_sqlite`,
/// `_on_postgres` and `_on_mysql`, so the output shows each one ran.
#[macro_export]
macro_rules! on_every_database {
    ($body:ident) => {
        mod $body {
            #[test]
            fn on_sqlite() {
                super::$body($crate::common::Kind::Sqlite);
            }
            #[test]
            fn on_postgres() {
                if $crate::common::available($crate::common::Kind::Postgres) {
                    super::$body($crate::common::Kind::Postgres);
                }
            }
            #[test]
            fn on_mysql() {
                if $crate::common::available($crate::common::Kind::MySql) {
                    super::$body($crate::common::Kind::MySql);
                }
            }
        }
    };
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// One database for one test, dropped when the test ends.
pub struct TestDb {
    pub kind: Kind,
    /// The URL to give ormsh (SQLAlchemy form).
    pub url: String,
    /// What a separate connection opens: the file's path on SQLite
    /// (rusqlite), the URL on a server (sqlx).
    pub sqlx_url: String,
    admin_url: Option<String>,
    name: String,
    _dir: Option<tempfile::TempDir>,
    /// PostgreSQL's server in use (server_gate.rs); dropped after the database.
    _server: Option<server_gate::ServerUse>,
}

impl TestDb {
    pub fn new(kind: Kind) -> TestDb {
        let name = format!(
            "ormsh_t{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        match kind {
            Kind::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join(format!("{name}.db"));
                TestDb {
                    kind,
                    url: format!("sqlite:///{}", path.display()).replacen(
                        "sqlite:///",
                        "sqlite:////",
                        1,
                    ),
                    sqlx_url: path.display().to_string(),
                    admin_url: None,
                    name,
                    _dir: Some(dir),
                    _server: None,
                }
            }
            Kind::Postgres | Kind::MySql => {
                let var = if kind == Kind::Postgres {
                    "ORMSH_TEST_POSTGRES_URL"
                } else {
                    "ORMSH_TEST_MYSQL_URL"
                };
                let admin = std::env::var(var).unwrap();
                let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
                let sqlx_base = base.replacen("postgresql://", "postgres://", 1);
                let server = (kind == Kind::Postgres).then(server_gate::use_server);
                admin_execute(kind, &admin, &format!("CREATE DATABASE {name}"));
                TestDb {
                    kind,
                    url: format!("{base}/{name}"),
                    sqlx_url: format!("{sqlx_base}/{name}"),
                    admin_url: Some(admin),
                    name,
                    _dir: None,
                    _server: server,
                }
            }
        }
    }

    /// End every other connection to this database on the server side
    /// (`pg_terminate_backend`, MariaDB `KILL`), as a restart or an
    /// administrator would.
    pub fn kill_other_connections(&self) {
        match self.kind {
            Kind::Sqlite => {}
            Kind::Postgres => {
                self.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
            }
            Kind::MySql => {
                for row in self.rows("SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()") {
                    self.rows(&format!("KILL {}", row[0]));
                }
            }
        }
    }

    /// Every row of `sql`, each value as text (`NULL` for NULL), read through
    /// a new connection (rusqlite on SQLite, sqlx on a server).
    pub fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        if self.kind == Kind::Sqlite {
            return sqlite_rows(&self.sqlx_url, sql);
        }
        let sql = sql.to_string();
        let url = self.sqlx_url.clone();
        runtime().block_on(async move {
            match self.kind {
                Kind::Sqlite => unreachable!("read above"),
                Kind::Postgres => {
                    let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
                    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .fetch_all(&mut c)
                        .await
                        .unwrap();
                    rows.iter().map(text_row).collect()
                }
                Kind::MySql => {
                    let mut c = sqlx::MySqlConnection::connect(&url).await.unwrap();
                    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .fetch_all(&mut c)
                        .await
                        .unwrap();
                    rows.iter().map(text_row).collect()
                }
            }
        })
    }

    /// The one value of a one-row, one-column query.
    pub fn scalar(&self, sql: &str) -> String {
        let rows = self.rows(sql);
        assert_eq!(rows.len(), 1, "{sql} returned {} rows", rows.len());
        rows[0][0].clone()
    }

    /// Whether the table exists, asked through a separate connection.
    pub fn has_table(&self, name: &str) -> bool {
        let sql = match self.kind {
            Kind::Sqlite => format!(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{name}'"
            ),
            Kind::Postgres => format!(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{name}'"
            ),
            Kind::MySql => format!(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{name}'"
            ),
        };
        self.scalar(&sql) != "0"
    }

    /// A table name as this database's SQL quotes it.
    pub fn quote(&self, ident: &str) -> String {
        match self.kind {
            Kind::MySql => format!("`{ident}`"),
            _ => format!("\"{ident}\""),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(admin) = &self.admin_url {
            let sql = match self.kind {
                Kind::Postgres => format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
                _ => format!("DROP DATABASE IF EXISTS {}", self.name),
            };
            admin_execute(self.kind, admin, &sql);
        }
    }
}

fn admin_execute(kind: Kind, admin: &str, sql: &str) {
    let admin = admin.replacen("postgresql://", "postgres://", 1);
    let sql = sql.to_string();
    runtime().block_on(async move {
        match kind {
            Kind::Postgres => {
                let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut c)
                    .await
                    .unwrap();
            }
            Kind::MySql => {
                let mut c = sqlx::MySqlConnection::connect(&admin).await.unwrap();
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut c)
                    .await
                    .unwrap();
            }
            Kind::Sqlite => {}
        }
    });
}

/// Every row of `sql` on the SQLite file at `path`, each value as text by
/// the class SQLite stored it in (`NULL` for NULL; a value that is not
/// UTF-8 as `<TEXT>` or `<BLOB>`).
fn sqlite_rows(path: &str, sql: &str) -> Vec<Vec<String>> {
    use rusqlite::types::ValueRef;
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    let width = stmt.column_count();
    stmt.query_map([], |row| {
        Ok((0..width)
            .map(|i| match row.get_ref(i).unwrap() {
                ValueRef::Null => "NULL".to_string(),
                ValueRef::Integer(v) => v.to_string(),
                ValueRef::Real(v) => v.to_string(),
                ValueRef::Text(t) => {
                    String::from_utf8(t.to_vec()).unwrap_or_else(|_| "<TEXT>".into())
                }
                ValueRef::Blob(b) => {
                    String::from_utf8(b.to_vec()).unwrap_or_else(|_| "<BLOB>".into())
                }
            })
            .collect())
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn text_row<R: Row>(row: &R) -> Vec<String>
where
    usize: sqlx::ColumnIndex<R>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i32: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i16: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> f64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    (0..row.columns().len())
        .map(|i| {
            let raw = row.try_get_raw(i).unwrap();
            if raw.is_null() {
                return "NULL".to_string();
            }
            let ty = raw.type_info().name().to_uppercase();
            if ty.contains("BOOL") {
                return row
                    .try_get_unchecked::<bool, _>(i)
                    .map(|b| b.to_string())
                    .unwrap_or_default();
            }
            match ty.as_str() {
                "INT2" => {
                    return row
                        .try_get_unchecked::<i16, _>(i)
                        .map(|v| v.to_string())
                        .unwrap_or_default();
                }
                "INT4" => {
                    return row
                        .try_get_unchecked::<i32, _>(i)
                        .map(|v| v.to_string())
                        .unwrap_or_default();
                }
                t if t.contains("INT") => {
                    return row
                        .try_get_unchecked::<i64, _>(i)
                        .map(|v| v.to_string())
                        .unwrap_or_default();
                }
                _ => {}
            }
            if (ty.contains("FLOAT") || ty.contains("REAL") || ty.contains("DOUBLE"))
                && let Ok(v) = row.try_get_unchecked::<f64, _>(i)
            {
                return v.to_string();
            }
            row.try_get_unchecked::<String, _>(i)
                .unwrap_or_else(|_| format!("<{ty}>"))
        })
        .collect()
}

/// A project folder with `ormsh.toml` pointing at `url` and `models.rhai`.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new(url: &str, models: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("ormsh.toml"),
            format!("[database]\nurl = \"{url}\"\n\n[models]\nfile = \"models.rhai\"\n"),
        )
        .unwrap();
        std::fs::write(dir.path().join("models.rhai"), models).unwrap();
        Project { dir }
    }

    /// A project with no models file: ormsh reflects the database at `url`;
    /// `extra` is more of `[database]` (`schemas = [..]`).
    pub fn without_models(url: &str, extra: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("ormsh.toml"),
            format!("[database]\nurl = \"{url}\"\n{extra}"),
        )
        .unwrap();
        Project { dir }
    }

    /// Run ormsh with `args`, which must succeed; (stdout, stderr).
    pub fn ok(&self, args: &[&str]) -> (String, String) {
        let out = self.ormsh().args(args).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "{args:?}: {stdout}\n{stderr}");
        (stdout, stderr)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// `ormsh` started in the project folder, with no inherited URL overrides.
    pub fn ormsh(&self) -> Command {
        Command::from_std(self.spawnable())
    }

    /// The same as `ormsh()`, as a std Command, to write to its stdin while it runs.
    pub fn spawnable(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("ormsh"));
        cmd.current_dir(self.dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("SQLALCHEMY_DATABASE_URI")
            .env_remove("ORMSH_APP")
            .env("NO_COLOR", "1")
            .env("XDG_DATA_HOME", self.dir.path().join("xdg"))
            .env("HOME", self.dir.path());
        cmd
    }

    /// `ormsh ARGS` running with stdin, stdout and stderr piped: write to
    /// it while it runs (a prompt left waiting, a server killed meanwhile).
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        use std::process::Stdio;
        self.spawnable()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Run `script` with `ormsh run` as one unit of work, expecting success:
    /// a commit closes it (a script's uncommitted work is rolled back, as in
    /// Flask); returns (stdout, stderr).
    pub fn run_ok(&self, script: &str) -> (String, String) {
        let path = self.file("step.rhai", &format!("{script}\ndb.session.commit();\n"));
        let out = self
            .ormsh()
            .arg("--echo")
            .arg("run")
            .arg(&path)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            out.status.success(),
            "script failed:\n{script}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        );
        (stdout, stderr)
    }
}

/// The seed's models, as README shows them.
pub const BLOG_MODELS: &str = include_str!("../../../scripts/blog/models.rhai");
