//! Parsing a database URL: every form a Flask config may hold, SQLite's
//! (a relative file resolved against the instance folder, the driver-level
//! `file:` URI and its options) and a server's (user, password, host, port,
//! database, query), the parts percent-decoded.

use std::path::{Path, PathBuf};

use super::url::{
    Backend, DatabaseUrl, Kind, Server, SqliteTarget, mask_passwords_in, split_userinfo,
};
use crate::error::{Error, Result};

const ACCEPTED: &str = "sqlite://, postgresql://, postgres://, mysql://, mariadb:// \
     (optionally with a +driver part, such as postgresql+psycopg2:// or mysql+pymysql://)";

impl DatabaseUrl {
    /// `instance_dir` is where `sqlite:///relative.db` lives (Flask-SQLAlchemy 3:
    /// the project's `instance/` folder). Does NOT create it.
    pub fn parse(url: &str, instance_dir: &Path) -> Result<DatabaseUrl> {
        let url = url.trim();
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(Error::config(format!(
                "`{}` is not a database URL: it should look like scheme://user:password@host/database \
                 or sqlite:///file.db; accepted schemes are {ACCEPTED}",
                mask_passwords_in(url)
            )));
        };
        let base = scheme.split('+').next().unwrap_or("").to_ascii_lowercase();
        let backend = match base.as_str() {
            "sqlite" => Backend::Sqlite,
            "postgresql" | "postgres" => Backend::Postgres,
            "mysql" | "mariadb" => Backend::MySql,
            _ => {
                return Err(Error::config(format!(
                    "unknown database scheme `{scheme}` in `{}`; accepted schemes are {ACCEPTED}",
                    mask_passwords_in(url)
                )));
            }
        };
        let kind = if backend == Backend::Sqlite {
            parse_sqlite(url, rest, instance_dir)?
        } else {
            Kind::Server(parse_server(url, rest)?)
        };
        Ok(DatabaseUrl {
            scheme: scheme.to_string(),
            backend,
            kind,
        })
    }
}

fn parse_sqlite(url: &str, rest: &str, instance_dir: &Path) -> Result<Kind> {
    // SQLite's own options (`?mode=ro`, `?uri=true`) are not part of the
    // path: `mode=ro` is read by `sqlite_read_only`, the rest kept for display.
    let (path_part, query) = rest.split_once('?').unwrap_or((rest, ""));
    // `sqlite:///file:app.db?uri=true`: the driver-level URI form. Its path
    // follows `file:` (relative to the instance folder, as Flask-SQLAlchemy
    // resolves it); `mode=memory` opens a database in memory.
    let uri = query
        .split('&')
        .any(|p| matches!(p, "uri=true" | "uri=True" | "uri=1"));
    let unprefixed;
    let path_part = match path_part.strip_prefix("/file:") {
        Some(path) if uri => {
            check_uri_options(url, query)?;
            if query.split('&').any(|p| p == "mode=memory") {
                ""
            } else {
                unprefixed = format!("/{path}");
                unprefixed.as_str()
            }
        }
        _ => path_part,
    };
    let (target, relative) = if path_part.is_empty() {
        (SqliteTarget::Memory, false)
    } else if let Some(path) = path_part.strip_prefix('/') {
        if path.is_empty() || path == ":memory:" {
            (SqliteTarget::Memory, false)
        } else if path.starts_with('/') {
            (SqliteTarget::File(PathBuf::from(path)), false)
        } else {
            (SqliteTarget::File(instance_dir.join(path)), true)
        }
    } else {
        return Err(Error::config(format!(
            "`{}` is not a valid SQLite URL: SQLite has no host; write sqlite:///file.db \
             (relative to the instance folder), sqlite:////absolute/path.db, or sqlite:// for an \
             in-memory database",
            mask_passwords_in(url)
        )));
    };
    Ok(Kind::Sqlite {
        target,
        rest: rest.to_string(),
        relative,
    })
}

/// The options of a driver-level SQLite URI (`?uri=true`) that ormsh opens
/// the file with (`mode`, `cache`); any other would change how SQLite reads
/// the file, so it is refused.
fn check_uri_options(url: &str, query: &str) -> Result<()> {
    for option in query.split('&').filter(|p| !p.is_empty()) {
        let known = matches!(
            option,
            "uri=true"
                | "uri=True"
                | "uri=1"
                | "mode=ro"
                | "mode=rw"
                | "mode=rwc"
                | "mode=memory"
                | "cache=shared"
                | "cache=private"
        );
        if !known {
            return Err(Error::config(format!(
                "`{option}` in `{}` is a SQLite URI option that ormsh does not honour (it takes mode=ro|rw|rwc|memory and cache=shared|private)",
                mask_passwords_in(url)
            )));
        }
    }
    Ok(())
}

fn parse_server(url: &str, rest: &str) -> Result<Server> {
    let (raw_user, raw_password, after) = match split_userinfo(rest) {
        Some((u, p, after)) => (Some(u), p, after),
        None => (None, None, rest),
    };
    let (location, query) = match after.split_once('?') {
        Some((l, q)) => (l, Some(q.to_string())),
        None => (after, None),
    };
    let (hostport, raw_database) = match location.split_once('/') {
        Some((h, d)) => (h, Some(d)),
        None => (location, None),
    };
    let bad = |what: String| {
        Error::config(format!(
            "the database URL `{}` {what}; the form is scheme://user:password@host:port/database",
            mask_passwords_in(url)
        ))
    };
    let (host, port_text) = if let Some(v6) = hostport.strip_prefix('[') {
        let Some(close) = v6.find(']') else {
            return Err(bad("has an IPv6 host without its closing `]`".into()));
        };
        let tail = &v6[close + 1..];
        let port = match tail.strip_prefix(':') {
            Some(p) => Some(p),
            None if tail.is_empty() => None,
            None => return Err(bad(format!("has `{tail}` after the IPv6 host"))),
        };
        (&hostport[..close + 2], port)
    } else {
        match hostport.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    let port = match port_text.filter(|p| !p.is_empty()) {
        Some(p) => Some(p.parse::<u16>().ok().filter(|&p| p != 0).ok_or_else(|| {
            bad(format!(
                "has port `{p}`, which is not a number from 1 to 65535"
            ))
        })?),
        None => None,
    };
    let raw_database = raw_database.filter(|d| !d.is_empty());
    Ok(Server {
        raw_user: raw_user.map(str::to_string),
        user: raw_user.map(percent_decode),
        password: raw_password.map(percent_decode),
        host: host.to_string(),
        port,
        raw_database: raw_database.map(str::to_string),
        database: raw_database.map(percent_decode),
        query,
    })
}

/// `%XX` decoding as SQLAlchemy's `unquote`: a malformed escape is kept as
/// written rather than refused, and `+` stays a plus.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}
