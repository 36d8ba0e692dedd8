//! SQLite: binding by storage class and decoding by storage class, then read
//! as the model's declared type (SQLite reports no type for expressions).

use std::time::Duration;

use sqlx::sqlite::{SqliteArguments, SqliteConnectOptions, SqlitePoolOptions, SqliteRow};
use sqlx::{Arguments, Row, TypeInfo, ValueRef};

use super::connection::{Backend, Connection};
use super::{EngineOptions, ExecResult, database_error};
use crate::app::SqliteTarget;
use crate::error::{Error, Result};
use crate::sql::{Bind, Value};

pub(crate) struct SqliteDriver;

pub(crate) fn connect(
    target: &SqliteTarget,
    options: &EngineOptions,
    read_only: bool,
) -> Result<Connection<SqliteDriver>> {
    let connect = match target {
        SqliteTarget::Memory => SqliteConnectOptions::new().in_memory(true),
        SqliteTarget::File(path) => SqliteConnectOptions::new()
            .filename(path)
            .read_only(read_only)
            .create_if_missing(!read_only),
    }
    .busy_timeout(options.busy_timeout)
    // As SQLAlchemy leaves it: foreign keys unenforced unless the project
    // asks, so ormsh agrees with the Flask app on the same file.
    .foreign_keys(options.sqlite_foreign_keys)
    // A 64 MiB page cache: a console scans whole tables often, and the
    // default 2 MiB re-reads them from the OS on every scan.
    .pragma("cache_size", "-65536")
    // Rows cross from SQLite's worker thread in batches, not one thread
    // switch each.
    .row_buffer_size(4096);
    // One connection: an in-memory database exists per connection, and a
    // file needs no more for one person at a prompt.
    // Ctrl-C stops a running statement through SQLite's progress handler,
    // which the connection's stop flag answers (sqlite3_interrupt in effect).
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watched = stop.clone();
    let pool = SqlitePoolOptions::new()
        .after_connect(move |conn, _| {
            let stop = watched.clone();
            Box::pin(async move {
                conn.lock_handle()
                    .await?
                    .set_progress_handler(10_000, move || {
                        !stop.load(std::sync::atomic::Ordering::Relaxed)
                    });
                Ok(())
            })
        })
        .max_connections(1)
        .min_connections(0)
        .idle_timeout(None::<Duration>)
        .max_lifetime(None::<Duration>)
        .acquire_timeout(options.connect_timeout)
        .connect_lazy_with(connect);
    Ok(Connection::new(pool, Default::default(), stop))
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

/// What SQLite stored a value as, whatever the column was declared.
#[derive(Clone, Copy)]
enum StorageClass {
    Integer,
    Real,
    Blob,
    Text,
}

impl StorageClass {
    fn of(name: &str) -> StorageClass {
        match name {
            "INTEGER" | "BOOLEAN" => StorageClass::Integer,
            "REAL" => StorageClass::Real,
            "BLOB" => StorageClass::Blob,
            _ => StorageClass::Text,
        }
    }
}

/// Decode straight from the raw value: the row's own checks were done by
/// looking at the storage class.
fn decode_stored(raw: sqlx::sqlite::SqliteValueRef<'_>, class: StorageClass) -> Result<Value> {
    use sqlx::Decode;
    let decoded = match class {
        StorageClass::Integer => <i64 as Decode<sqlx::Sqlite>>::decode(raw).map(Value::Int),
        StorageClass::Real => <f64 as Decode<sqlx::Sqlite>>::decode(raw).map(Value::Float),
        StorageClass::Blob => <Vec<u8> as Decode<sqlx::Sqlite>>::decode(raw).map(Value::Bytes),
        StorageClass::Text => <String as Decode<sqlx::Sqlite>>::decode(raw).map(Value::Text),
    };
    decoded.map_err(|e| Error::invalid(format!("cannot decode a stored value: {e}")))
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

    fn decode_column(row: &SqliteRow, i: usize) -> Result<Value> {
        let raw = row.try_get_raw(i).map_err(database_error)?;
        if raw.is_null() {
            return Ok(Value::Null);
        }
        let class = StorageClass::of(raw.type_info().name());
        decode_stored(raw, class)
    }

    fn exec_result(result: &sqlx::sqlite::SqliteQueryResult) -> ExecResult {
        ExecResult {
            rows_affected: result.rows_affected(),
            last_insert_id: Some(result.last_insert_rowid()),
        }
    }
}
