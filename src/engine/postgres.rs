//! PostgreSQL: typed parameters (a NULL is bound with its column's type) and
//! decoding by the type the server reports, then read as the declared type.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use sqlx::postgres::types::PgInterval;
use sqlx::postgres::{PgArguments, PgConnectOptions, PgRow, PgSslMode};
use sqlx::{Arguments, Column, Row};

use super::connection::{Backend, Connection, session_pool};
use super::decode::widen_f32;
use super::{EngineOptions, ExecResult, database_error};
use crate::error::{Error, Result};
use crate::sql::dialect;
use crate::sql::{Bind, ColumnType, Value};
use std::sync::Arc;

pub(crate) struct PostgresDriver;

pub(crate) fn connect(
    url: &str,
    options: &EngineOptions,
) -> Result<(Connection<PostgresDriver>, Arc<std::sync::OnceLock<String>>)> {
    let mut connect = PgConnectOptions::from_str(url).map_err(database_error)?;
    // A server on this machine is tried without TLS first (libpq's
    // `allow`), unless the URL names an sslmode: TLS to loopback protects
    // nothing, and its handshake was nine tenths of start-up (90 ms of
    // 100). A server that insists on TLS still gets it, on the second try.
    let loopback = matches!(connect.get_host(), "localhost" | "127.0.0.1" | "::1");
    if loopback && !url.contains("sslmode=") {
        connect = connect.ssl_mode(PgSslMode::Allow);
    }
    let (pool, session_id, version) = session_pool(connect, options, &dialect::Postgres);
    Ok((Connection::new(pool, session_id), version))
}

/// Text whose parameter type PostgreSQL infers from where it stands: an
/// Enum value may meet a native enum column (`mpaa_rating`), which a TEXT
/// parameter cannot be compared with or stored in. The binary form of an
/// enum label, as of VARCHAR, is its text.
struct Inferred(String);

impl sqlx::Type<sqlx::Postgres> for Inferred {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        sqlx::postgres::PgTypeInfo::with_oid(sqlx::postgres::types::Oid(0))
    }
}

impl sqlx::Encode<'_, sqlx::Postgres> for Inferred {
    fn encode_by_ref(
        &self,
        buf: &mut sqlx::postgres::PgArgumentBuffer,
    ) -> std::result::Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <&str as sqlx::Encode<sqlx::Postgres>>::encode_by_ref(&self.0.as_str(), buf)
    }
}

fn bind_error(e: sqlx::error::BoxDynError) -> Error {
    Error::invalid(format!("cannot bind a parameter: {e}"))
}

/// A NULL with the type PostgreSQL expects for the column.
fn bind_null(
    args: &mut PgArguments,
    ty: Option<&ColumnType>,
) -> std::result::Result<(), sqlx::error::BoxDynError> {
    match ty {
        Some(ColumnType::Integer) => args.add(None::<i32>),
        Some(ColumnType::BigInteger) => args.add(None::<i64>),
        Some(ColumnType::SmallInteger) => args.add(None::<i16>),
        Some(ColumnType::Boolean) => args.add(None::<bool>),
        Some(ColumnType::Float) => args.add(None::<f64>),
        Some(ColumnType::Numeric(_)) => args.add(None::<Decimal>),
        Some(ColumnType::Date) => args.add(None::<NaiveDate>),
        Some(ColumnType::DateTime) => args.add(None::<NaiveDateTime>),
        Some(ColumnType::DateTimeTz) => args.add(None::<chrono::DateTime<chrono::FixedOffset>>),
        Some(ColumnType::Time) => args.add(None::<NaiveTime>),
        Some(ColumnType::LargeBinary) => args.add(None::<Vec<u8>>),
        Some(ColumnType::Json) => args.add(None::<sqlx::types::Json<serde_json::Value>>),
        Some(ColumnType::Uuid) => args.add(None::<uuid::Uuid>),
        Some(ColumnType::Interval) => args.add(None::<PgInterval>),
        // Text columns include those of types ormsh reads as text (arrays,
        // tsvector, a native enum): an untyped NULL fits any of them.
        Some(ColumnType::Enum(..) | ColumnType::Text | ColumnType::String(_)) => {
            args.add(None::<Inferred>)
        }
        _ => args.add(None::<String>),
    }
}

impl Backend for PostgresDriver {
    type Db = sqlx::Postgres;

    fn bind(args: &mut PgArguments, bind: &Bind) -> Result<()> {
        let ty = bind.ty.as_ref();
        match &bind.value {
            Value::Null => bind_null(args, ty),
            Value::Bool(b) => args.add(*b),
            Value::Int(i) => match ty {
                Some(ColumnType::SmallInteger) if i16::try_from(*i).is_ok() => args.add(*i as i16),
                Some(ColumnType::Integer) if i32::try_from(*i).is_ok() => args.add(*i as i32),
                Some(ColumnType::Float) => args.add(*i as f64),
                Some(ColumnType::Numeric(_)) => args.add(Decimal::from(*i)),
                // A value that meets no column is an integer as PostgreSQL
                // types a literal (int4 where it fits), so that it fits a
                // function's integer parameter (`substr(s, 1, 2)`), as the
                // literal SQLAlchemy's driver sends does.
                None if i32::try_from(*i).is_ok() => args.add(*i as i32),
                _ => args.add(*i),
            },
            Value::Float(f) => args.add(*f),
            Value::Decimal(d) => args.add(*d),
            Value::Text(s) => match ty {
                Some(ColumnType::Enum(..)) => args.add(Inferred(s.clone())),
                _ => args.add(s.clone()),
            },
            Value::Bytes(b) => args.add(b.clone()),
            Value::Date(d) => args.add(*d),
            Value::DateTime(d) => args.add(*d),
            Value::DateTimeTz(d) => args.add(*d),
            Value::Time(t) => args.add(*t),
            Value::Json(j) => match ty {
                Some(ColumnType::Array(_)) => args.add(array_literal(j)),
                _ => args.add(sqlx::types::Json((**j).clone())),
            },
            Value::Uuid(u) => args.add(*u),
            // As psycopg sends a timedelta: its days, and the rest as time.
            Value::Interval(d) => match crate::sql::interval::to_postgres(*d) {
                Some((days, microseconds)) => args.add(PgInterval {
                    months: 0,
                    days,
                    microseconds,
                }),
                None => {
                    return Err(Error::invalid(format!(
                        "the interval {} is past the days an INTERVAL holds",
                        bind.value.repr()
                    )));
                }
            },
        }
        .map_err(bind_error)
    }

    fn decode_column(row: &PgRow, i: usize) -> Result<Value> {
        super::decode::not_null(row, i, decode_by_name)
    }

    fn exec_result(result: &sqlx::postgres::PgQueryResult) -> ExecResult {
        ExecResult {
            rows_affected: result.rows_affected(),
            last_insert_id: None,
        }
    }
}

/// A list as PostgreSQL's array text: `{a,"b c",NULL}`, items quoted and
/// escaped, lists in it as inner braces.
fn array_literal(list: &serde_json::Value) -> String {
    fn item(out: &mut String, v: &serde_json::Value) {
        match v {
            serde_json::Value::Null => out.push_str("NULL"),
            serde_json::Value::Array(items) => {
                out.push('{');
                for (i, x) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item(out, x);
                }
                out.push('}');
            }
            serde_json::Value::String(s) => quoted(out, s),
            other => quoted(out, &other.to_string()),
        }
    }
    fn quoted(out: &mut String, s: &str) {
        out.push('"');
        for c in s.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    }
    let mut out = String::new();
    item(&mut out, list);
    out
}

fn decode_by_name(row: &PgRow, i: usize, name: &str) -> Result<Value> {
    let v = match name {
        // Text first: as the last arm it was compared with every name above.
        // sqlx names `character(n)` CHAR, and the one-byte `"char"` "CHAR" in
        // quotes; XML and citext are sent as their text.
        "TEXT" | "VARCHAR" | "CHAR" | "BPCHAR" | "NAME" | "XML" | "citext" | "UNKNOWN" => {
            Value::Text(
                row.try_get_unchecked::<String, _>(i)
                    .map_err(database_error)?,
            )
        }
        "INT2" => Value::Int(row.try_get_unchecked::<i16, _>(i).map_err(database_error)? as i64),
        "INT4" => Value::Int(row.try_get_unchecked::<i32, _>(i).map_err(database_error)? as i64),
        "INT8" => Value::Int(row.try_get_unchecked::<i64, _>(i).map_err(database_error)?),
        "OID" => Value::Int(
            row.try_get_unchecked::<sqlx::postgres::types::Oid, _>(i)
                .map_err(database_error)?
                .0 as i64,
        ),
        "FLOAT4" => Value::Float(widen_f32(
            row.try_get_unchecked::<f32, _>(i).map_err(database_error)?,
        )),
        "FLOAT8" => Value::Float(row.try_get_unchecked::<f64, _>(i).map_err(database_error)?),
        "NUMERIC" => Value::Decimal(
            row.try_get_unchecked::<Decimal, _>(i)
                .map_err(database_error)?,
        ),
        "BOOL" => Value::Bool(
            row.try_get_unchecked::<bool, _>(i)
                .map_err(database_error)?,
        ),
        "BYTEA" => Value::Bytes(
            row.try_get_unchecked::<Vec<u8>, _>(i)
                .map_err(database_error)?,
        ),
        "DATE" => Value::Date(
            row.try_get_unchecked::<NaiveDate, _>(i)
                .map_err(database_error)?,
        ),
        "TIMESTAMP" => Value::DateTime(
            row.try_get_unchecked::<NaiveDateTime, _>(i)
                .map_err(database_error)?,
        ),
        // The session runs in UTC (the driver sets it), so the offset is +00:00.
        "TIMESTAMPTZ" => Value::DateTimeTz(
            row.try_get_unchecked::<chrono::DateTime<chrono::Utc>, _>(i)
                .map_err(database_error)?
                .fixed_offset(),
        ),
        "TIME" => Value::Time(
            row.try_get_unchecked::<NaiveTime, _>(i)
                .map_err(database_error)?,
        ),
        "JSON" | "JSONB" => Value::Json(
            row.try_get_unchecked::<sqlx::types::Json<serde_json::Value>, _>(i)
                .map_err(database_error)?
                .0
                .into(),
        ),
        "UUID" => Value::Uuid(
            row.try_get_unchecked::<uuid::Uuid, _>(i)
                .map_err(database_error)?,
        ),
        // As psycopg reads it: a year is 365 days, a month 30.
        "INTERVAL" => {
            let v = row
                .try_get_unchecked::<PgInterval, _>(i)
                .map_err(database_error)?;
            Value::Interval(crate::sql::interval::from_postgres(
                v.months,
                v.days,
                v.microseconds,
            ))
        }
        _ => decode_other(row, i, name)?,
    };
    Ok(v)
}

/// A value of a type no arm of `decode_by_name` names (hand-written SQL;
/// model queries read such columns as text or JSON). Text on the wire is
/// taken as it is; a one-dimensional array of a known item type becomes a
/// list; any other binary value is refused by its type's name, never shown as wire bytes.
fn decode_other(row: &PgRow, i: usize, name: &str) -> Result<Value> {
    use serde_json::Value as J;
    let raw = row.try_get_raw(i).map_err(database_error)?;
    // An enum's label is its text on the wire, in either format.
    let is_enum = matches!(
        row.columns()[i].type_info().kind(),
        sqlx::postgres::PgTypeKind::Enum(_)
    );
    if is_enum || raw.format() == sqlx::postgres::PgValueFormat::Text {
        return Ok(Value::Text(
            row.try_get_unchecked::<String, _>(i)
                .map_err(database_error)?,
        ));
    }
    let refuse = |what: &str| {
        Error::invalid(format!(
            "column {} is {what}, which ormsh reads only as text: cast it in the SQL (`{}::text`)",
            i + 1,
            row.columns()[i].name()
        ))
    };
    // A list of one dimension; an array of more is refused.
    let list_of = |name: &str| {
        format!(
            "a PostgreSQL array of more than one dimension (`{}`)",
            name.to_lowercase()
        )
    };
    fn list<T>(row: &PgRow, i: usize, item: impl Fn(T) -> J) -> Option<Value>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
        Vec<Option<T>>: for<'r> sqlx::Decode<'r, sqlx::Postgres>,
    {
        let items = row.try_get_unchecked::<Vec<Option<T>>, _>(i).ok()?;
        Some(Value::Json(Box::new(J::Array(
            items
                .into_iter()
                .map(|x| x.map_or(J::Null, &item))
                .collect(),
        ))))
    }
    let text = |v: &dyn std::fmt::Display| J::String(v.to_string());
    match name {
        "TEXT[]" | "VARCHAR[]" | "BPCHAR[]" | "NAME[]" => {
            list::<String>(row, i, J::String).ok_or_else(|| refuse(&list_of(name)))
        }
        "INT2[]" => list::<i16>(row, i, J::from).ok_or_else(|| refuse(&list_of(name))),
        "INT4[]" => list::<i32>(row, i, J::from).ok_or_else(|| refuse(&list_of(name))),
        "INT8[]" => list::<i64>(row, i, J::from).ok_or_else(|| refuse(&list_of(name))),
        "FLOAT4[]" => {
            list::<f32>(row, i, |x| J::from(widen_f32(x))).ok_or_else(|| refuse(&list_of(name)))
        }
        "FLOAT8[]" => list::<f64>(row, i, J::from).ok_or_else(|| refuse(&list_of(name))),
        "BOOL[]" => list::<bool>(row, i, J::Bool).ok_or_else(|| refuse(&list_of(name))),
        "NUMERIC[]" => list::<Decimal>(row, i, |d| text(&d)).ok_or_else(|| refuse(&list_of(name))),
        "UUID[]" => list::<uuid::Uuid>(row, i, |u| text(&u)).ok_or_else(|| refuse(&list_of(name))),
        "DATE[]" => list::<NaiveDate>(row, i, |d| text(&d)).ok_or_else(|| refuse(&list_of(name))),
        "TIMESTAMP[]" => {
            list::<NaiveDateTime>(row, i, |d| text(&d)).ok_or_else(|| refuse(&list_of(name)))
        }
        "\"CHAR\"" => {
            let byte = row.try_get_unchecked::<i8, _>(i).map_err(database_error)?;
            Ok(Value::Text(char::from(byte as u8).to_string()))
        }
        "TIMETZ" => {
            let v = row
                .try_get_unchecked::<sqlx::postgres::types::PgTimeTz, _>(i)
                .map_err(database_error)?;
            // As PostgreSQL prints it: `10:11:12+02`, `10:11:12+05:30`.
            let seconds = v.offset.local_minus_utc();
            let sign = if seconds < 0 { '-' } else { '+' };
            let (h, m) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
            let offset = if m == 0 {
                format!("{sign}{h:02}")
            } else {
                format!("{sign}{h:02}:{m:02}")
            };
            Ok(Value::Text(format!("{}{offset}", v.time)))
        }
        _ => Err(refuse(&format!(
            "of the PostgreSQL type `{}`",
            name.to_lowercase()
        ))),
    }
}
