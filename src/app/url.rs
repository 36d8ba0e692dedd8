//! SQLAlchemy-style database URLs: what a parsed one holds (parsing every
//! form a Flask config may hold is `url_parse`'s), masking passwords for
//! display, and producing the URL sqlx connects with.

use std::fmt;
use std::path::PathBuf;

/// Which database server a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    Sqlite,
    Postgres,
    MySql,
}

/// Where a SQLite database lives.
#[derive(Debug, Clone, PartialEq)]
pub enum SqliteTarget {
    Memory,
    /// Always absolute: relative URLs are resolved against the instance folder.
    File(PathBuf),
}

/// A parsed database URL. Keeps the pieces as written so `masked()` shows
/// the user what they typed, and the decoded pieces so `connect_url()` can
/// re-encode them in the one way sqlx accepts.
#[derive(Debug, Clone)]
pub struct DatabaseUrl {
    /// The scheme as written (`postgresql+psycopg2`), for display.
    pub(super) scheme: String,
    pub(super) backend: Backend,
    pub(super) kind: Kind,
}

#[derive(Debug, Clone)]
pub(super) enum Kind {
    Sqlite {
        target: SqliteTarget,
        /// Everything after `://`, for display.
        rest: String,
        relative: bool,
    },
    Server(Server),
}

#[derive(Debug, Clone)]
pub(super) struct Server {
    pub(super) raw_user: Option<String>,
    pub(super) user: Option<String>,
    pub(super) password: Option<String>,
    /// As written, brackets included for IPv6; may be empty (socket/default).
    pub(super) host: String,
    pub(super) port: Option<u16>,
    pub(super) raw_database: Option<String>,
    pub(super) database: Option<String>,
    pub(super) query: Option<String>,
}

impl DatabaseUrl {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The scheme names MariaDB (`mariadb://`, `mariadb+pymysql://`), as
    /// SQLAlchemy's MariaDB dialect is chosen before it connects.
    pub fn names_mariadb(&self) -> bool {
        let base = self.scheme.split('+').next().unwrap_or("");
        base.eq_ignore_ascii_case("mariadb")
    }

    pub fn sqlite_target(&self) -> Option<&SqliteTarget> {
        match &self.kind {
            Kind::Sqlite { target, .. } => Some(target),
            Kind::Server(_) => None,
        }
    }

    /// `sqlite:///file.db?mode=ro`: open the file read-only (SQLite's URI option).
    pub fn sqlite_read_only(&self) -> bool {
        match &self.kind {
            Kind::Sqlite { rest, .. } => rest
                .split_once('?')
                .is_some_and(|(_, q)| q.split('&').any(|p| p == "mode=ro")),
            Kind::Server(_) => false,
        }
    }

    /// True for `sqlite:///relative.db`, the one form that lives in the
    /// instance folder and so needs it to exist.
    pub fn is_relative_sqlite_file(&self) -> bool {
        matches!(self.kind, Kind::Sqlite { relative: true, .. })
    }

    /// The URL as given, with any password replaced by `***`.
    pub fn masked(&self) -> String {
        match &self.kind {
            Kind::Sqlite { rest, .. } => format!("{}://{rest}", self.scheme),
            Kind::Server(s) => {
                let mut out = format!("{}://", self.scheme);
                if let Some(user) = &s.raw_user {
                    out.push_str(user);
                    if s.password.as_deref().is_some_and(|p| !p.is_empty()) {
                        out.push_str(":***");
                    }
                    out.push('@');
                }
                push_location(&mut out, s, s.raw_database.as_deref());
                if let Some(q) = &s.query {
                    out.push('?');
                    out.push_str(&mask_query_passwords(q));
                }
                out
            }
        }
    }

    /// The URL as SQLAlchemy's engine shows it once Flask-SQLAlchemy has
    /// resolved it: a relative SQLite file as its absolute path in the
    /// instance folder (`sqlite:////app/instance/app.db`, keeping a
    /// driver-level `file:` and the query); otherwise `masked()`.
    pub fn resolved_masked(&self) -> String {
        match &self.kind {
            Kind::Sqlite {
                target: SqliteTarget::File(path),
                rest,
                relative: true,
            } => {
                let (written, query) = match rest.split_once('?') {
                    Some((p, q)) => (p, format!("?{q}")),
                    None => (rest.as_str(), String::new()),
                };
                let file = if written.starts_with("/file:") {
                    "file:"
                } else {
                    ""
                };
                format!("{}:///{file}{}{query}", self.scheme, path.display())
            }
            _ => self.masked(),
        }
    }

    /// The URL to give sqlx: `postgres://` or `mysql://` with the `+driver`
    /// dropped and the query string passed through unchanged. For SQLite
    /// `sqlite::memory:` or `sqlite://<abs path>`.
    pub fn connect_url(&self) -> String {
        match &self.kind {
            Kind::Sqlite { target, .. } => match target {
                SqliteTarget::Memory => "sqlite::memory:".to_string(),
                SqliteTarget::File(p) => format!("sqlite://{}", p.display()),
            },
            Kind::Server(s) => {
                let scheme = match self.backend {
                    Backend::Postgres => "postgres",
                    _ => "mysql",
                };
                let mut out = format!("{scheme}://");
                if let Some(user) = &s.user {
                    // Re-encoding the decoded form makes a raw `/` or `:` in a
                    // password (which SQLAlchemy tolerates) safe for sqlx.
                    out.push_str(&percent_encode(user));
                    if let Some(pw) = &s.password {
                        out.push(':');
                        out.push_str(&percent_encode(pw));
                    }
                    out.push('@');
                }
                let db = s.database.as_deref().map(percent_encode);
                push_location(&mut out, s, db.as_deref());
                if let Some(q) = &s.query {
                    out.push('?');
                    out.push_str(q);
                }
                out
            }
        }
    }

    /// The database name (path part) for postgres/mysql, None for sqlite.
    pub fn database_name(&self) -> Option<&str> {
        self.server()?.database.as_deref()
    }

    /// The user name, percent-decoded; None for sqlite or when not given.
    pub fn username(&self) -> Option<&str> {
        self.server()?.user.as_deref()
    }

    /// The password, percent-decoded. Never print it: use `masked()`.
    pub fn password(&self) -> Option<&str> {
        self.server()?.password.as_deref()
    }

    /// The host as written (IPv6 keeps its brackets); None for sqlite or when empty.
    /// The server's host when it looks like production: a server database
    /// not on this machine (the prompt shows it, in red).
    pub fn remote_host(&self) -> Option<&str> {
        let host = self.host()?;
        let local =
            ["localhost", "127.0.0.1", "::1", "[::1]", ""].contains(&host) || host.starts_with('/');
        (self.backend() != Backend::Sqlite && !local).then_some(host)
    }

    pub fn host(&self) -> Option<&str> {
        self.server()
            .map(|s| s.host.as_str())
            .filter(|h| !h.is_empty())
    }

    pub fn port(&self) -> Option<u16> {
        self.server()?.port
    }

    /// A copy of this URL pointing at another database name on the same
    /// server (tests use it to create unique databases). A SQLite URL is
    /// returned unchanged: it has no server to hold other databases.
    pub fn with_database(&self, name: &str) -> DatabaseUrl {
        let mut copy = self.clone();
        if let Kind::Server(s) = &mut copy.kind {
            s.database = Some(name.to_string());
            s.raw_database = Some(percent_encode(name));
        }
        copy
    }

    fn server(&self) -> Option<&Server> {
        match &self.kind {
            Kind::Server(s) => Some(s),
            Kind::Sqlite { .. } => None,
        }
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

fn push_location(out: &mut String, s: &Server, database: Option<&str>) {
    out.push_str(&s.host);
    if let Some(port) = s.port {
        out.push_str(&format!(":{port}"));
    }
    if let Some(db) = database {
        out.push('/');
        out.push_str(db);
    }
}

/// Follows SQLAlchemy's URL pattern: the user name stops at the first `:` or
/// `/`, the password runs to the next `@`, so a password may hold `:` and `/`.
pub(super) fn split_userinfo(rest: &str) -> Option<(&str, Option<&str>, &str)> {
    let stop = rest.find([':', '/']).unwrap_or(rest.len());
    if rest[stop..].starts_with(':')
        && let Some(at) = rest[stop + 1..].find('@')
    {
        let at = stop + 1 + at;
        return Some((&rest[..stop], Some(&rest[stop + 1..at]), &rest[at + 1..]));
    }
    let at = rest[..stop].rfind('@')?;
    Some((&rest[..at], None, &rest[at + 1..]))
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn mask_query_passwords(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Masks the passwords of every URL found in free text (a TOML error shows
/// the offending line, which may hold a URL with its password).
pub fn mask_passwords_in(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("://") {
        let (head, tail) = rest.split_at(pos + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| c.is_whitespace() || "\"'`<>".contains(c))
            .unwrap_or(tail.len());
        let token = &tail[..end];
        match split_userinfo(token) {
            Some((user, Some(pw), after)) if !pw.is_empty() => {
                out.push_str(user);
                out.push_str(":***@");
                out.push_str(&mask_token_query(after));
            }
            _ => out.push_str(&mask_token_query(token)),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn mask_token_query(token: &str) -> String {
    match token.split_once('?') {
        Some((loc, q)) => format!("{loc}?{}", mask_query_passwords(q)),
        None => token.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::error::{Error, Result};

    fn parse(url: &str) -> Result<DatabaseUrl> {
        DatabaseUrl::parse(url, Path::new("/proj/instance"))
    }

    #[test]
    fn remote_hosts_are_marked() {
        for (url, host) in [
            ("postgresql://u@db.example.com/shop", Some("db.example.com")),
            ("mysql://root@10.0.0.5:3306/shop", Some("10.0.0.5")),
            ("postgresql://u@localhost/shop", None),
            ("mysql://root@127.0.0.1/shop", None),
            ("sqlite:///project.db", None),
        ] {
            assert_eq!(parse(url).unwrap().remote_host(), host, "{url}");
        }
    }

    #[test]
    fn mariadb_is_named_by_its_scheme() {
        for (url, mariadb) in [
            ("mariadb://root@127.0.0.1/shop", true),
            ("MariaDB+pymysql://root@127.0.0.1/shop", true),
            ("mysql://root@127.0.0.1/shop", false),
            ("postgresql://u@localhost/shop", false),
        ] {
            assert_eq!(parse(url).unwrap().names_mariadb(), mariadb, "{url}");
        }
    }

    #[test]
    fn sqlite_forms() {
        let file = |p: &str| SqliteTarget::File(PathBuf::from(p));
        #[rustfmt::skip]
        let cases = [
            ("sqlite://", SqliteTarget::Memory, false, "sqlite::memory:"),
            ("sqlite:///:memory:", SqliteTarget::Memory, false, "sqlite::memory:"),
            ("sqlite:///", SqliteTarget::Memory, false, "sqlite::memory:"),
            ("sqlite:///project.db", file("/proj/instance/project.db"), true, "sqlite:///proj/instance/project.db"),
            ("sqlite+pysqlite:///project.db", file("/proj/instance/project.db"), true, "sqlite:///proj/instance/project.db"),
            ("sqlite:///data/x.db?mode=ro", file("/proj/instance/data/x.db"), true, "sqlite:///proj/instance/data/x.db"),
            ("sqlite:///file:x.db?uri=true", file("/proj/instance/x.db"), true, "sqlite:///proj/instance/x.db"),
            ("sqlite:///file:/abs/x.db?mode=ro&uri=true", file("/abs/x.db"), false, "sqlite:///abs/x.db"),
            ("sqlite:///file:mem?mode=memory&cache=shared&uri=true", SqliteTarget::Memory, false, "sqlite::memory:"),
            ("sqlite:///file:x.db", file("/proj/instance/file:x.db"), true, "sqlite:///proj/instance/file:x.db"),
            ("sqlite:////abs/path.db", file("/abs/path.db"), false, "sqlite:///abs/path.db"),
            ("SQLite:////abs/path.db", file("/abs/path.db"), false, "sqlite:///abs/path.db"),
        ];
        for (url, target, relative, connect) in cases {
            let u = parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(u.backend(), Backend::Sqlite, "{url}");
            assert_eq!(u.sqlite_target(), Some(&target), "{url}");
            assert_eq!(u.is_relative_sqlite_file(), relative, "{url}");
            assert_eq!(u.connect_url(), connect, "{url}");
            assert_eq!(u.masked(), url, "{url}");
            assert_eq!(u.database_name(), None, "{url}");
            if relative {
                assert!(u.resolved_masked().contains("/proj/instance/"), "{url}");
            } else {
                assert_eq!(u.resolved_masked(), url, "{url}");
            }
        }
    }

    #[test]
    fn server_forms() {
        use Backend::*;
        // (url, backend, masked, connect_url, database)
        #[rustfmt::skip]
        let cases = [
            ("postgresql://scott:tiger@localhost/mydb", Postgres, "postgresql://scott:***@localhost/mydb", "postgres://scott:tiger@localhost/mydb", Some("mydb")),
            ("postgres://localhost/analytics", Postgres, "postgres://localhost/analytics", "postgres://localhost/analytics", Some("analytics")),
            ("postgresql+psycopg2://u:p@db.example.com:5433/app?sslmode=require&application_name=x", Postgres, "postgresql+psycopg2://u:***@db.example.com:5433/app?sslmode=require&application_name=x", "postgres://u:p@db.example.com:5433/app?sslmode=require&application_name=x", Some("app")),
            ("postgresql://u:p%40ss%2Fw@h/db", Postgres, "postgresql://u:***@h/db", "postgres://u:p%40ss%2Fw@h/db", Some("db")),
            ("postgresql://u:pa/ss:x@h/db", Postgres, "postgresql://u:***@h/db", "postgres://u:pa%2Fss%3Ax@h/db", Some("db")),
            ("postgresql://u@[::1]:5432/db", Postgres, "postgresql://u@[::1]:5432/db", "postgres://u@[::1]:5432/db", Some("db")),
            ("postgresql:///db", Postgres, "postgresql:///db", "postgres:///db", Some("db")),
            ("postgresql://h/db?user=u&password=secret", Postgres, "postgresql://h/db?user=u&password=***", "postgres://h/db?user=u&password=secret", Some("db")),
            ("postgresql://h", Postgres, "postgresql://h", "postgres://h", None),
            ("mysql://root@127.0.0.1:3306/test", MySql, "mysql://root@127.0.0.1:3306/test", "mysql://root@127.0.0.1:3306/test", Some("test")),
            ("mysql+pymysql://u:p@h/db?charset=utf8mb4", MySql, "mysql+pymysql://u:***@h/db?charset=utf8mb4", "mysql://u:p@h/db?charset=utf8mb4", Some("db")),
            ("mariadb://u:p@h/db", MySql, "mariadb://u:***@h/db", "mysql://u:p@h/db", Some("db")),
            ("mariadb+mariadbconnector://h:3307/db", MySql, "mariadb+mariadbconnector://h:3307/db", "mysql://h:3307/db", Some("db")),
        ];
        for (url, backend, masked, connect, db) in cases {
            let u = parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(u.backend(), backend, "{url}");
            assert_eq!(u.masked(), masked, "{url}");
            assert_eq!(u.to_string(), masked, "{url}");
            assert_eq!(u.connect_url(), connect, "{url}");
            assert_eq!(u.database_name(), db, "{url}");
            assert_eq!(u.sqlite_target(), None, "{url}");
        }
    }

    #[test]
    fn parts_are_percent_decoded() {
        let u = parse("postgresql://jo%20e:p%40ss%2Fw%ZZ@db.local:6543/my%2Ddb").unwrap();
        assert_eq!(u.username(), Some("jo e"));
        assert_eq!(u.password(), Some("p@ss/w%ZZ"));
        assert_eq!(u.host(), Some("db.local"));
        assert_eq!(u.port(), Some(6543));
        assert_eq!(u.database_name(), Some("my-db"));
        assert!(!u.masked().contains("p%40ss"));
    }

    #[test]
    fn bad_urls_are_explained_without_passwords() {
        #[rustfmt::skip]
        let cases = [
            ("mongodb://u:secret@h/db", "unknown database scheme `mongodb`"),
            ("mongodb://u:secret@h/db", "postgresql+psycopg2://"),
            ("localhost/db", "is not a database URL"),
            ("postgresql://u:secret@h:abc/db", "port `abc`"),
            ("postgresql://u:secret@h:99999/db", "port `99999`"),
            ("postgresql://u:secret@h:0/db", "port `0`"),
            ("postgresql://u:secret@[::1/db", "closing `]`"),
            ("sqlite://host/db.sqlite", "SQLite has no host"),
            ("sqlite:///file:x.db?immutable=1&uri=true", "`immutable=1`"),
        ];
        for (url, wanted) in cases {
            let Err(Error::Config(msg)) = parse(url) else {
                panic!("{url} should be refused");
            };
            assert!(msg.contains(wanted), "{url}: {msg}");
            assert!(!msg.contains("secret"), "{url} leaks its password: {msg}");
        }
    }

    #[test]
    fn with_database_keeps_the_server() {
        let u = parse("postgresql+psycopg2://u:p@h:5432/app?sslmode=disable").unwrap();
        let t = u.with_database("ormsh_test_1");
        assert_eq!(t.database_name(), Some("ormsh_test_1"));
        assert_eq!(
            t.connect_url(),
            "postgres://u:p@h:5432/ormsh_test_1?sslmode=disable"
        );
        assert_eq!(u.database_name(), Some("app"));
        let bare = parse("mysql://h").unwrap().with_database("x");
        assert_eq!(bare.connect_url(), "mysql://h/x");
        let lite = parse("sqlite:///a.db").unwrap().with_database("x");
        assert_eq!(lite.connect_url(), "sqlite:///proj/instance/a.db");
    }

    #[test]
    fn passwords_in_text_are_masked() {
        #[rustfmt::skip]
        let cases = [
            ("url = \"postgresql://u:secret@h/db\"", "url = \"postgresql://u:***@h/db\""),
            ("a mysql://u:se:cr/et@h/db b", "a mysql://u:***@h/db b"),
            ("x postgres://h/db?password=secret&a=1", "x postgres://h/db?password=***&a=1"),
            ("sqlite:///a.db and postgresql://u@h/db", "sqlite:///a.db and postgresql://u@h/db"),
            ("no urls here", "no urls here"),
        ];
        for (text, masked) in cases {
            assert_eq!(mask_passwords_in(text), masked);
        }
    }
}
