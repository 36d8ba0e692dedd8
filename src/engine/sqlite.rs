//! SQLite: binding by storage class and decoding by storage class, then read
//! as the model's declared type (SQLite reports no type for expressions).

use std::time::Duration;

use sqlx::sqlite::{SqliteArguments, SqliteConnectOptions, SqlitePoolOptions, SqliteRow};
use sqlx::{Arguments, Row, TypeInfo, ValueRef};

use super::connection::{Backend, Connection};
use super::{EngineOptions, ExecResult, database_error};
use crate::app::SqliteTarget;
use crate::error::{Error, Result};
use crate::sql::{Bind, ColumnType, Value};

pub(crate) struct SqliteDriver;

pub(crate) fn connect(
    target: &SqliteTarget,
    options: &EngineOptions,
) -> Result<Connection<SqliteDriver>> {
    let connect = match target {
        SqliteTarget::Memory => SqliteConnectOptions::new().in_memory(true),
        SqliteTarget::File(path) => SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true),
    }
    .busy_timeout(options.busy_timeout)
    // As SQLAlchemy leaves it: foreign keys unenforced unless the project
    // asks, so ormsh agrees with the Flask app on the same file.
    .foreign_keys(options.sqlite_foreign_keys)
    // A 64 MiB page cache: a console scans whole tables often, and the
    // default 2 MiB re-reads them from the OS on every scan.
    .pragma("cache_size", "-65536");
    // One connection: an in-memory database exists per connection, and a
    // file needs no more for one person at a prompt.
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(0)
        .idle_timeout(None::<Duration>)
        .max_lifetime(None::<Duration>)
        .acquire_timeout(options.connect_timeout)
        .connect_lazy_with(connect);
    Ok(Connection::new(pool))
}

fn bind_error(e: sqlx::error::BoxDynError) -> Error {
    Error::invalid(format!("cannot bind a parameter: {e}"))
}

/// The text SQLAlchemy writes for dates and times in SQLite.
fn stored_text(value: &Value) -> Option<String> {
    Some(match value {
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::DateTime(dt) => dt.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
        Value::Time(t) => t.format("%H:%M:%S%.6f").to_string(),
        Value::Decimal(d) => d.to_string(),
        Value::Json(j) => j.to_string(),
        Value::Uuid(u) => u.simple().to_string(),
        _ => return None,
    })
}

impl Backend for SqliteDriver {
    type Db = sqlx::Sqlite;

    fn bind(args: &mut SqliteArguments, bind: &Bind) -> Result<()> {
        match &bind.value {
            Value::Null => args.add(None::<i64>),
            Value::Bool(b) => args.add(*b),
            Value::Int(i) => args.add(*i),
            Value::Float(f) => args.add(*f),
            Value::Text(s) => args.add(s.clone()),
            Value::Bytes(b) => args.add(b.clone()),
            other => args.add(stored_text(other).expect("every other value is stored as text")),
        }
        .map_err(bind_error)
    }

    fn decode_row(row: &SqliteRow, types: &[Option<ColumnType>]) -> Result<Vec<Value>> {
        let width = row.len();
        let mut out = Vec::with_capacity(width);
        for i in 0..width {
            let raw = row.try_get_raw(i).map_err(database_error)?;
            let stored = if raw.is_null() {
                Value::Null
            } else {
                let class = raw.type_info().name().to_string();
                match class.as_str() {
                    "INTEGER" | "BOOLEAN" => {
                        Value::Int(row.try_get::<i64, _>(i).map_err(database_error)?)
                    }
                    "REAL" => Value::Float(row.try_get::<f64, _>(i).map_err(database_error)?),
                    "BLOB" => Value::Bytes(row.try_get::<Vec<u8>, _>(i).map_err(database_error)?),
                    _ => Value::Text(row.try_get::<String, _>(i).map_err(database_error)?),
                }
            };
            let value = match types.get(i).and_then(Option::as_ref) {
                Some(ty) => ty
                    .from_stored(stored)
                    .map_err(|e| Error::invalid(format!("column {i}: {e}")))?,
                None => stored,
            };
            out.push(value);
        }
        Ok(out)
    }

    fn exec_result(result: &sqlx::sqlite::SqliteQueryResult) -> ExecResult {
        ExecResult {
            rows_affected: result.rows_affected(),
            last_insert_id: Some(result.last_insert_rowid()),
        }
    }
}
