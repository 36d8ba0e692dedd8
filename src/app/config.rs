//! `ormsh.toml`: the project's Flask config (SQLALCHEMY_* keys) as TOML,
//! with defaults for everything and unknown keys refused so typos surface.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::url::mask_passwords_in;
use crate::error::{Error, Result};

/// The whole file. Every section is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub database: DatabaseSection,
    /// SQLALCHEMY_BINDS: bind key to URL.
    #[serde(default)]
    pub binds: BTreeMap<String, String>,
    #[serde(default)]
    pub models: ModelsSection,
}

/// `[database]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSection {
    /// SQLALCHEMY_DATABASE_URI; the environment and `--database-url` override it.
    pub url: Option<String>,
    /// SQLALCHEMY_ECHO. On by default: seeing the SQL is the point of a shell.
    pub echo: bool,
    /// SQLALCHEMY_RECORD_QUERIES.
    pub record_queries: bool,
    /// SQLALCHEMY_TRACK_MODIFICATIONS.
    pub track_modifications: bool,
    /// Seconds SQLite waits on a locked database before giving up.
    pub busy_timeout: f64,
    /// Whether SQLite enforces foreign keys; off by default, as in SQLAlchemy.
    pub sqlite_foreign_keys: bool,
    /// Open every connection read-only (`--read-only`, `ORMSH_READ_ONLY=1`).
    pub read_only: bool,
    /// The schemas reflection reads (`--schema`): empty for the search
    /// path (PostgreSQL) or the current database (MySQL), `*` for all.
    pub schemas: Vec<String>,
}

impl Default for DatabaseSection {
    fn default() -> Self {
        DatabaseSection {
            url: None,
            echo: true,
            record_queries: false,
            track_modifications: false,
            busy_timeout: 5.0,
            sqlite_foreign_keys: false,
            read_only: false,
            schemas: Vec::new(),
        }
    }
}

impl DatabaseSection {
    pub fn busy_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.busy_timeout)
    }
}

/// `[models]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelsSection {
    /// Relative to the project folder. None means `models.rhai` if it exists.
    pub file: Option<PathBuf>,
}

impl Config {
    /// Reads and checks `path`.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::config(format!(
                "cannot read {}: {e}; check that it exists and that you may read it",
                path.display()
            ))
        })?;
        Config::parse(&text, path)
    }

    /// Parses TOML text; `path` is only named in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| {
            // toml's message quotes the offending line, which may hold a URL
            // with its password.
            let detail = mask_passwords_in(e.to_string().trim_end());
            Error::config(format!(
                "{} is not a valid ormsh.toml:\n{detail}\nfix it and try again",
                path.display()
            ))
        })?;
        let timeout = config.database.busy_timeout;
        if !timeout.is_finite() || !(0.0..=86_400.0).contains(&timeout) {
            return Err(Error::config(format!(
                "{}: [database] busy_timeout is {timeout}; it must be a number of seconds \
                 from 0 to 86400",
                path.display()
            )));
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("/p/ormsh.toml"))
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        let c = parse("").unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.database.url, None);
        assert!(c.database.echo);
        assert!(!c.database.record_queries);
        assert!(!c.database.track_modifications);
        assert_eq!(c.database.busy_timeout(), Duration::from_secs(5));
        assert!(c.binds.is_empty());
        assert_eq!(c.models.file, None);
    }

    #[test]
    fn a_full_file_is_read() {
        let c = parse(
            r#"
            [database]
            url = "sqlite:///project.db"
            echo = false
            record_queries = true
            track_modifications = true
            busy_timeout = 2.5

            [binds]
            users = "sqlite:///users.db"
            analytics = "postgresql://localhost/analytics"

            [models]
            file = "app/models.rhai"
            "#,
        )
        .unwrap();
        assert_eq!(c.database.url.as_deref(), Some("sqlite:///project.db"));
        assert!(!c.database.echo);
        assert!(c.database.record_queries);
        assert!(c.database.track_modifications);
        assert_eq!(c.database.busy_timeout(), Duration::from_millis(2500));
        let keys: Vec<_> = c.binds.keys().map(String::as_str).collect();
        assert_eq!(keys, ["analytics", "users"]);
        assert_eq!(c.models.file, Some(PathBuf::from("app/models.rhai")));
    }

    #[test]
    fn a_whole_number_timeout_is_accepted() {
        let c = parse("[database]\nbusy_timeout = 10\n").unwrap();
        assert_eq!(c.database.busy_timeout(), Duration::from_secs(10));
    }

    #[test]
    fn mistakes_are_reported_with_file_and_line() {
        // (toml, fragments the message must hold)
        #[rustfmt::skip]
        let cases: &[(&str, &[&str])] = &[
            ("[database]\nurl = \"sqlite://\"\nech = true\n", &["line 3", "ech"]),
            ("[databse]\nurl = \"x\"\n", &["line 1", "databse"]),
            ("[database]\necho = \"yes\"\n", &["line 2", "echo"]),
            ("[database]\nurl = \"sqlite://\n", &["line 2"]),
            ("[binds]\nx = 1\n", &["line 2"]),
            ("[database]\nbusy_timeout = -1\n", &["busy_timeout", "from 0 to 86400"]),
        ];
        for (text, fragments) in cases {
            let Err(Error::Config(msg)) = parse(text) else {
                panic!("should be refused:\n{text}");
            };
            assert!(msg.starts_with("/p/ormsh.toml"), "{msg}");
            for f in *fragments {
                assert!(msg.contains(f), "missing {f:?} in:\n{msg}");
            }
        }
    }

    #[test]
    fn a_password_on_a_bad_line_is_not_shown() {
        let text = "[database]\nurll = \"postgresql://u:hunter2@h/db\"\n";
        let Err(Error::Config(msg)) = parse(text) else {
            panic!("should be refused");
        };
        assert!(msg.contains("urll"), "{msg}");
        assert!(!msg.contains("hunter2"), "{msg}");
    }

    #[test]
    fn a_missing_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ormsh.toml");
        let Err(Error::Config(msg)) = Config::load(&path) else {
            panic!("should be refused");
        };
        assert!(msg.contains(&path.display().to_string()), "{msg}");
    }
}
