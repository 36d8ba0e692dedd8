//! PostgreSQL: `$n` placeholders, RETURNING, native ILIKE, SERIAL keys, and
//! its own names for bytes, UUIDs and timestamps.

use super::{AutoIncrement, Dialect, enum_length};
use crate::sql::types::ColumnType;

#[derive(Debug, Clone, Copy)]
pub struct Postgres;

impl Dialect for Postgres {
    fn name(&self) -> &'static str {
        "postgresql"
    }
    fn write_placeholder(&self, index: usize, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "${index}");
    }
    fn supports_ilike(&self) -> bool {
        true
    }
    fn max_bind_params(&self) -> usize {
        65535
    }
    fn autoincrement(&self) -> AutoIncrement {
        AutoIncrement::SerialType
    }
    fn serial_type_name(&self, ty: &ColumnType) -> String {
        match ty {
            ColumnType::BigInteger => "BIGSERIAL".into(),
            ColumnType::SmallInteger => "SMALLSERIAL".into(),
            _ => "SERIAL".into(),
        }
    }
    fn table_names_sql(&self) -> &'static str {
        "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname"
    }
    fn type_name(&self, ty: &ColumnType) -> String {
        match ty {
            ColumnType::Integer => "INTEGER".into(),
            ColumnType::BigInteger => "BIGINT".into(),
            ColumnType::SmallInteger => "SMALLINT".into(),
            ColumnType::String(Some(n)) => format!("VARCHAR({n})"),
            ColumnType::String(None) => "VARCHAR".into(),
            ColumnType::Text => "TEXT".into(),
            ColumnType::Boolean => "BOOLEAN".into(),
            ColumnType::Float => "DOUBLE PRECISION".into(),
            ColumnType::Numeric(Some((p, s))) => format!("NUMERIC({p}, {s})"),
            ColumnType::Numeric(None) => "NUMERIC".into(),
            ColumnType::Date => "DATE".into(),
            ColumnType::DateTime => "TIMESTAMP WITHOUT TIME ZONE".into(),
            ColumnType::Time => "TIME WITHOUT TIME ZONE".into(),
            ColumnType::LargeBinary => "BYTEA".into(),
            ColumnType::Json => "JSON".into(),
            ColumnType::Enum(values) => format!("VARCHAR({})", enum_length(values)),
            ColumnType::Uuid => "UUID".into(),
        }
    }
}
