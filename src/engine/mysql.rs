//! MySQL and MariaDB: binding by value, decoding by the type the server
//! reports, then read as the declared type (BOOL arrives as TINYINT(1), JSON
//! on MariaDB as LONGTEXT, UUIDs as CHAR(32)).

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use sqlx::mysql::{MySqlArguments, MySqlConnectOptions, MySqlRow};
use sqlx::{Arguments, Column, Row};

use super::connection::{Backend, Connection, session_pool};
use super::decode::widen_f32;
use super::{EngineOptions, ExecResult, database_error};
use crate::error::{Error, Result};
use crate::sql::dialect;
use crate::sql::{Bind, Value};
use std::sync::Arc;

pub(crate) struct MySqlDriver;

pub(crate) fn connect(
    url: &str,
    options: &EngineOptions,
) -> Result<(Connection<MySqlDriver>, Arc<std::sync::OnceLock<String>>)> {
    let connect = MySqlConnectOptions::from_str(url).map_err(database_error)?;
    let (pool, session_id, version) = session_pool(connect, options, &dialect::MySql::MYSQL);
    Ok((Connection::new(pool, session_id), version))
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
            // DATETIME holds no offset: the moment in UTC.
            Value::DateTimeTz(d) => args.add(d.naive_utc()),
            Value::Time(t) => args.add(*t),
            Value::Json(j) => args.add(j.to_string()),
            Value::Uuid(u) => args.add(u.simple().to_string()),
            // As SQLAlchemy's Interval stores it here: the DATETIME that far
            // from 1970-01-01.
            Value::Interval(d) => match crate::sql::interval::as_epoch_datetime(*d) {
                Ok(dt) => args.add(dt),
                Err(why) => return Err(Error::invalid(why)),
            },
        }
        .map_err(bind_error)
    }

    fn decode_column(row: &MySqlRow, i: usize) -> Result<Value> {
        super::decode::not_null(row, i, decode_by_name)
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
        // Text first: as the last arm it was compared with every name above.
        "VARCHAR" | "CHAR" | "TEXT" | "TINYTEXT" | "MEDIUMTEXT" | "LONGTEXT" => Value::Text(
            row.try_get_unchecked::<String, _>(i)
                .map_err(database_error)?,
        ),
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
        "FLOAT" => Value::Float(widen_f32(
            row.try_get_unchecked::<f32, _>(i).map_err(database_error)?,
        )),
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
        // A spatial value's bytes are MariaDB's own (an SRID, then WKB):
        // model queries read it as text; hand-written SQL names the function.
        "GEOMETRY" => {
            return Err(Error::invalid(format!(
                "column {} is a spatial value, which ormsh reads as text: write ST_AsText({}) in the SQL",
                i + 1,
                row.columns()[i].name()
            )));
        }
        // A BIT(n) as its number, as SQLAlchemy reads it.
        "BIT" => Value::Int(
            row.try_get_unchecked::<Vec<u8>, _>(i)
                .map_err(database_error)?
                .iter()
                .fold(0i64, |n, b| (n << 8) | i64::from(*b)),
        ),
        "BINARY" | "VARBINARY" | "TINYBLOB" | "BLOB" | "MEDIUMBLOB" | "LONGBLOB" => Value::Bytes(
            row.try_get_unchecked::<Vec<u8>, _>(i)
                .map_err(database_error)?,
        ),
        "JSON" => Value::Json(
            row.try_get_unchecked::<sqlx::types::Json<serde_json::Value>, _>(i)
                .map_err(database_error)?
                .0
                .into(),
        ),
        _ => Value::Text(
            row.try_get_unchecked::<String, _>(i)
                .map_err(database_error)?,
        ),
    };
    Ok(v)
}
