//! Errors as the engine hands them up: a driver's error as the person at
//! the prompt should read it, and the line for a write that read-only mode
//! refused.

use crate::error::Error;

/// The one line for a write refused in read-only mode.
pub fn read_only_refusal(what: &str) -> String {
    format!(
        "read-only mode: {what}; ormsh was started read-only (--read-only, ORMSH_READ_ONLY=1 or read_only = true in ormsh.toml): start it without to write"
    )
}

/// A driver error as the person at the prompt should read it.
pub(crate) fn database_error(err: sqlx::Error) -> Error {
    match err {
        sqlx::Error::Database(db) => Error::Database {
            message: db.message().to_string(),
            code: db.code().map(|c| c.to_string()),
        },
        sqlx::Error::PoolTimedOut => Error::Connection(
            "could not connect to the database in time: is the server running and reachable?"
                .into(),
        ),
        sqlx::Error::Io(e) => Error::ConnectionLost(e.to_string()),
        sqlx::Error::Tls(e) => Error::Connection(format!("TLS with the database failed: {e}")),
        sqlx::Error::Configuration(e) => {
            Error::Config(format!("the database URL is not usable: {e}"))
        }
        sqlx::Error::Protocol(e) => Error::ConnectionLost(e),
        // The driver could not describe a result column's type (a
        // PostgreSQL multirange): the query's own fault, not the data's.
        sqlx::Error::ColumnDecode { index, source }
            if source.to_string().contains("unknown type") =>
        {
            Error::invalid(format!(
                "the query returns a column of a type that cannot be read here ({index}: {source}); cast it to text in the SQL (`column::text`)"
            ))
        }
        other => Error::Database {
            message: other.to_string(),
            code: None,
        },
    }
}
