//! MySQL and MariaDB: binding by value, decoding by the type the server
//! reports, then read as the declared type (BOOL arrives as TINYINT(1), JSON
//! on MariaDB as LONGTEXT, UUIDs as CHAR(32)).

use std::str::FromStr;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use sqlx::mysql::{MySqlArguments, MySqlConnectOptions, MySqlPoolOptions, MySqlRow};
use sqlx::{Arguments, Row, TypeInfo, ValueRef};

use super::connection::{Backend, Connection};
use super::{EngineOptions, ExecResult, database_error};
use crate::error::{Error, Result};
use crate::sql::{Bind, ColumnType, Value};
use std::sync::Arc;
use std::sync::atomic::AtomicI64;

pub(crate) struct MySqlDriver;

pub(crate) fn connect(url: &str, options: &EngineOptions) -> Result<Connection<MySqlDriver>> {
    let connect = MySqlConnectOptions::from_str(url).map_err(database_error)?;
    let session_id = Arc::new(AtomicI64::new(0));
    let pool = MySqlPoolOptions::new()
        .max_connections(1)
        .idle_timeout(None::<Duration>)
        .max_lifetime(None::<Duration>)
        .acquire_timeout(options.connect_timeout)
        .after_connect(remember_session_id(session_id.clone()))
        .connect_lazy_with(connect);
    Ok(Connection::new(pool, session_id))
}

fn bind_error(e: sqlx::error::BoxDynError) -> Error {
    Error::invalid(format!("cannot bind a parameter: {e}"))
}

impl Backend for MySqlDriver {
    type Db = sqlx::MySql;

    fn bind(args: &mut MySqlArguments, bind: &Bind) -> Result<()> {
        match &bind.value {
            Value::Null => args.add(None::<String>),
            Value::Bool(b) => args.add(*b),
            Value::Int(i) => args.add(*i),
            Value::Float(f) => args.add(*f),
            Value::Decimal(d) => args.add(*d),
            Value::Text(s) => args.add(s.clone()),
            Value::Bytes(b) => args.add(b.clone()),
            Value::Date(d) => args.add(*d),
            Value::DateTime(d) => args.add(*d),
            Value::Time(t) => args.add(*t),
            Value::Json(j) => args.add(j.to_string()),
            Value::Uuid(u) => args.add(u.simple().to_string()),
        }
        .map_err(bind_error)
    }

    fn decode_row(row: &MySqlRow, types: &[Option<ColumnType>]) -> Result<Vec<Value>> {
        let width = row.len();
        let mut out = Vec::with_capacity(width);
        for i in 0..width {
            let raw = row.try_get_raw(i).map_err(database_error)?;
            let decoded = if raw.is_null() {
                Value::Null
            } else {
                let name = raw.type_info().name().to_string();
                decode_by_name(row, i, &name)?
            };
            let value = match types.get(i).and_then(Option::as_ref) {
                Some(ty) => ty
                    .from_stored(decoded)
                    .map_err(|e| Error::invalid(format!("column {i}: {e}")))?,
                None => decoded,
            };
            out.push(value);
        }
        Ok(out)
    }

    fn exec_result(result: &sqlx::mysql::MySqlQueryResult) -> ExecResult {
        ExecResult {
            rows_affected: result.rows_affected(),
            last_insert_id: Some(result.last_insert_id() as i64),
        }
    }
}

fn decode_by_name(row: &MySqlRow, i: usize, name: &str) -> Result<Value> {
    let v = match name {
        "BOOLEAN" => Value::Bool(
            row.try_get_unchecked::<bool, _>(i)
                .map_err(database_error)?,
        ),
        "TINYINT" | "SMALLINT" | "INT" | "MEDIUMINT" | "BIGINT" | "YEAR" => {
            Value::Int(row.try_get_unchecked::<i64, _>(i).map_err(database_error)?)
        }
        "TINYINT UNSIGNED" | "SMALLINT UNSIGNED" | "INT UNSIGNED" | "MEDIUMINT UNSIGNED"
        | "BIGINT UNSIGNED" => {
            let u = row.try_get_unchecked::<u64, _>(i).map_err(database_error)?;
            i64::try_from(u)
                .map(Value::Int)
                .unwrap_or(Value::Decimal(Decimal::from(u)))
        }
        "FLOAT" => Value::Float(row.try_get_unchecked::<f32, _>(i).map_err(database_error)? as f64),
        "DOUBLE" => Value::Float(row.try_get_unchecked::<f64, _>(i).map_err(database_error)?),
        "DECIMAL" => Value::Decimal(
            row.try_get_unchecked::<Decimal, _>(i)
                .map_err(database_error)?,
        ),
        "DATE" => Value::Date(
            row.try_get_unchecked::<NaiveDate, _>(i)
                .map_err(database_error)?,
        ),
        "DATETIME" | "TIMESTAMP" => Value::DateTime(
            row.try_get_unchecked::<NaiveDateTime, _>(i)
                .map_err(database_error)?,
        ),
        "TIME" => Value::Time(
            row.try_get_unchecked::<NaiveTime, _>(i)
                .map_err(database_error)?,
        ),
        "BINARY" | "VARBINARY" | "TINYBLOB" | "BLOB" | "MEDIUMBLOB" | "LONGBLOB" | "BIT"
        | "GEOMETRY" => Value::Bytes(
            row.try_get_unchecked::<Vec<u8>, _>(i)
                .map_err(database_error)?,
        ),
        "JSON" => Value::Json(
            row.try_get_unchecked::<sqlx::types::Json<serde_json::Value>, _>(i)
                .map_err(database_error)?
                .0,
        ),
        _ => Value::Text(
            row.try_get_unchecked::<String, _>(i)
                .map_err(database_error)?,
        ),
    };
    Ok(v)
}

/// On every new connection, note the server's id for it (to cancel from another).
fn remember_session_id(
    slot: Arc<AtomicI64>,
) -> impl for<'c> Fn(
    &'c mut sqlx::MySqlConnection,
    sqlx::pool::PoolConnectionMetadata,
) -> futures_util::future::BoxFuture<'c, Result<(), sqlx::Error>>
+ Send
+ Sync
+ 'static {
    move |conn, _| {
        let slot = slot.clone();
        Box::pin(async move {
            use crate::sql::Dialect;
            if let Some(sql) = crate::sql::dialect::MySql.session_id_sql() {
                let id: i64 = sqlx::query_scalar(sql).fetch_one(&mut *conn).await?;
                slot.store(id, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(())
        })
    }
}
