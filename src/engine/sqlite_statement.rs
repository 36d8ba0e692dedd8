//! One compiled statement on an SQLite connection: its parameters bound as
//! SQLite stores values (dates, decimals and JSON as SQLAlchemy writes
//! them), its rows stepped through, and SQLite's errors as the engine hands
//! them up.

use rusqlite::fallible_iterator::FallibleIterator;
use rusqlite::types::{ToSqlOutput, ValueRef};

use crate::error::{Error, Result};
use crate::sql::{Bind, Compiled, Value};

/// Run `stmt` on `direct` and hand each row over as SQLite steps to it. A
/// string of several statements (raw SQL) runs them in turn, each taking
/// its share of the parameters.
pub(crate) fn run_statement(
    direct: &rusqlite::Connection,
    stmt: &Compiled,
    each: &mut impl FnMut(&rusqlite::Row<'_>) -> Result<()>,
) -> Result<()> {
    match direct.prepare_cached(&stmt.sql) {
        Ok(mut prepared) => step(&mut prepared, &stmt.binds, each),
        Err(rusqlite::Error::MultipleStatement) => {
            let mut batch = rusqlite::Batch::new(direct, &stmt.sql);
            let mut binds = stmt.binds.as_slice();
            let mut outcome = Ok(());
            while outcome.is_ok() {
                let mut prepared = match batch.next() {
                    Ok(Some(prepared)) => prepared,
                    Ok(None) => break,
                    Err(e) => {
                        outcome = Err(sqlite_error(e));
                        break;
                    }
                };
                let (mine, rest) = binds.split_at(prepared.parameter_count().min(binds.len()));
                binds = rest;
                outcome = step(&mut prepared, mine, each);
            }
            outcome
        }
        Err(e) => Err(sqlite_error(e)),
    }
}

fn step(
    prepared: &mut rusqlite::Statement<'_>,
    binds: &[Bind],
    each: &mut impl FnMut(&rusqlite::Row<'_>) -> Result<()>,
) -> Result<()> {
    for (i, bind) in binds.iter().enumerate() {
        prepared
            .raw_bind_parameter(i + 1, Stored(&bind.value))
            .map_err(|e| Error::invalid(format!("cannot bind a parameter: {e}")))?;
    }
    let mut rows = prepared.raw_query();
    while let Some(row) = rows.next().map_err(sqlite_error)? {
        each(row)?;
    }
    Ok(())
}

/// A value as SQLite stores it: dates, times, decimals, JSON and UUIDs as
/// the text SQLAlchemy writes for them.
struct Stored<'a>(&'a Value);

impl rusqlite::ToSql for Stored<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Bool(b) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*b as i64)),
            Value::Int(i) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*i)),
            Value::Float(f) => ToSqlOutput::Owned(rusqlite::types::Value::Real(*f)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            Value::Date(d) => text(d.format("%Y-%m-%d").to_string()),
            Value::DateTime(dt) => text(dt.format("%Y-%m-%d %H:%M:%S%.6f").to_string()),
            // No offset in SQLite's date text: the moment in UTC.
            Value::DateTimeTz(dt) => {
                text(dt.naive_utc().format("%Y-%m-%d %H:%M:%S%.6f").to_string())
            }
            Value::Time(t) => text(t.format("%H:%M:%S%.6f").to_string()),
            // As SQLAlchemy binds a Decimal here: a float, so that it compares
            // with a NUMERIC column's numbers (and any expression) as a number.
            Value::Decimal(d) => ToSqlOutput::Owned(rusqlite::types::Value::Real(
                rust_decimal::prelude::ToPrimitive::to_f64(d).unwrap_or(f64::NAN),
            )),
            Value::Json(j) => text(j.to_string()),
            Value::Uuid(u) => text(u.simple().to_string()),
            // As SQLAlchemy's Interval stores it here: the DATETIME that far
            // from 1970-01-01.
            Value::Interval(d) => match crate::sql::interval::as_epoch_datetime(*d) {
                Ok(dt) => text(dt.format("%Y-%m-%d %H:%M:%S%.6f").to_string()),
                Err(why) => return Err(rusqlite::Error::ToSqlConversionFailure(why.into())),
            },
        })
    }
}

fn text(s: String) -> ToSqlOutput<'static> {
    ToSqlOutput::Owned(rusqlite::types::Value::Text(s))
}

/// An SQLite error as the engine hands it up: SQLite's message, and the
/// extended result code that the dialect reads; an interrupted statement
/// as `Interrupted`.
pub(crate) fn sqlite_error(err: rusqlite::Error) -> Error {
    match err {
        rusqlite::Error::SqliteFailure(e, _)
            if e.code == rusqlite::ErrorCode::OperationInterrupted =>
        {
            Error::Interrupted
        }
        rusqlite::Error::SqliteFailure(e, message) => Error::Database {
            message: message.unwrap_or_else(|| e.to_string()),
            code: Some(e.extended_code.to_string()),
        },
        other => Error::Database {
            message: other.to_string(),
            code: None,
        },
    }
}
