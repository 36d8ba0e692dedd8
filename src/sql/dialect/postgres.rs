//! PostgreSQL: `$n` placeholders, RETURNING, native ILIKE, SERIAL keys, and
//! its own names for bytes, UUIDs and timestamps.

use super::identifier::Reserved;
use super::{AutoIncrement, Dialect, enum_length};
use crate::sql::introspect::{IntrospectionSql, Query, Slot};
use crate::sql::types::ColumnType;

#[derive(Debug, Clone, Copy)]
pub struct Postgres;

impl Dialect for Postgres {
    fn name(&self) -> &'static str {
        "postgresql"
    }
    fn reserved_words(&self) -> &'static Reserved {
        &super::identifier::POSTGRESQL
    }
    fn write_placeholder(&self, index: usize, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "${index}");
    }
    /// PostgreSQL casts its defaults (`'x'::character varying`) and numbers
    /// serial keys from a sequence (`nextval(..)`).
    fn read_default_sql(&self, live: &str) -> Option<String> {
        if live.starts_with("nextval(") || self.read_default(live).is_some() {
            return None;
        }
        super::expression_default(live)
    }
    fn read_default(&self, live: &str) -> Option<String> {
        if live.starts_with("nextval(") {
            return None;
        }
        let uncast = match live.rfind("::") {
            Some(at) if live[at..].chars().all(|c| c != '\'') => &live[..at],
            _ => live,
        };
        super::unquote_default(uncast)
    }
    fn lacks(&self, ty: &ColumnType) -> Option<&'static str> {
        match ty {
            ColumnType::Year => Some("only MySQL and MariaDB have YEAR: use db.SmallInteger"),
            ColumnType::Set(_) => Some("only MySQL and MariaDB have SET: use db.String"),
            _ => None,
        }
    }
    fn makes_enum_types(&self) -> bool {
        true
    }
    fn enum_type_names_sql(&self) -> Option<&'static str> {
        Some(
            "SELECT t.typname::text FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e' AND n.nspname = ANY(current_schemas(false))",
        )
    }
    fn read_wrapped(&self, ty: &ColumnType) -> Option<(&'static str, &'static str)> {
        match ty {
            ColumnType::Other(_) => Some(("CAST(", " AS TEXT)")),
            ColumnType::Array(_) => Some(("array_to_json(", ")")),
            _ => None,
        }
    }
    fn write_wrapped(&self, ty: &ColumnType) -> Option<(String, String)> {
        // The type's name as the catalog spells it, never a value: DDL-like
        // text, as a models file's `db.Type(..)` gives. A list is bound as
        // the array's text (`{a,"b c"}`).
        match ty {
            ColumnType::Other(_) | ColumnType::Array(_) => Some((
                "CAST(CAST(".to_string(),
                format!(" AS TEXT) AS {})", self.type_name(ty)),
            )),
            _ => None,
        }
    }
    fn read_only_session_sql(&self) -> Option<&'static str> {
        Some("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    }
    /// Besides class 08: admin_shutdown, crash_shutdown, cannot_connect_now
    /// (`pg_terminate_backend`, a restart).
    fn connection_lost(&self, code: &str) -> bool {
        code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03")
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
    /// A partition, or a table that INHERITs another, is part of its parent:
    /// its rows are read through the parent, so it is neither a model nor
    /// an extra table.
    fn session_id_sql(&self) -> Option<&'static str> {
        Some("SELECT CAST(pg_backend_pid() AS BIGINT)")
    }
    fn cancel_sql(&self, id: i64) -> Option<String> {
        Some(format!("SELECT pg_cancel_backend({id})"))
    }
    fn error_aborts_transaction(&self) -> bool {
        true
    }
    fn client_time_zone_sql(&self) -> Option<&'static str> {
        Some("SELECT reset_val FROM pg_settings WHERE name = 'TimeZone'")
    }
    fn explain_analyze_prefixes(&self) -> &'static [&'static str] {
        &["EXPLAIN ANALYZE"]
    }
    fn explain_columns(&self, _width: usize) -> Vec<String> {
        vec!["QUERY PLAN".to_string()]
    }
    fn introspection(&self) -> IntrospectionSql {
        const SLOTS: &[Slot] = &[Slot::Table, Slot::Table, Slot::Schemas];
        let query = |sql| Query { sql, slots: SLOTS };
        IntrospectionSql {
            tables: query(
                "SELECT CASE WHEN n.nspname = current_schema() THEN c.relname::text ELSE n.nspname || '.' || c.relname END FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND (n.nspname = ANY(current_schemas(false)) OR n.nspname = ANY(string_to_array($3::text, ',')) OR ('*' = ANY(string_to_array($3::text, ',')) AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema')) AND NOT c.relispartition AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits inh JOIN pg_catalog.pg_class parent ON parent.oid = inh.inhparent WHERE inh.inhrelid = c.oid AND parent.relkind = 'r') AND ($1::text IS NULL OR CASE WHEN n.nspname = current_schema() THEN c.relname::text ELSE n.nspname || '.' || c.relname END = $2) ORDER BY 1",
            ),
            columns: query(
                "SELECT CASE WHEN n.nspname = current_schema() THEN c.relname::text ELSE n.nspname || '.' || c.relname END, a.attname::text, CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) WHEN t.typtype = 'e' THEN 'enum(' || (SELECT string_agg(quote_literal(e.enumlabel), ',' ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) || ')' || ' ' || t.typname ELSE format_type(a.atttypid, a.atttypmod) END, CASE WHEN a.attnotnull THEN 0 ELSE 1 END, pg_get_expr(d.adbin, d.adrelid), COALESCE((SELECT k.ord FROM pg_catalog.pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) WHERE i.indrelid = c.oid AND i.indisprimary AND k.attnum = a.attnum), 0) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_type t ON t.oid = a.atttypid LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE ($1::text IS NULL OR CASE WHEN n.nspname = current_schema() THEN c.relname::text ELSE n.nspname || '.' || c.relname END = $2) AND c.relkind IN ('r', 'p') AND (n.nspname = ANY(current_schemas(false)) OR n.nspname = ANY(string_to_array($3::text, ',')) OR ('*' = ANY(string_to_array($3::text, ',')) AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema')) AND NOT c.relispartition AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits inh JOIN pg_catalog.pg_class parent ON parent.oid = inh.inhparent WHERE inh.inhrelid = c.oid AND parent.relkind = 'r') AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, a.attnum",
            ),
            foreign_keys: query(
                "SELECT CASE WHEN n.nspname = current_schema() THEN c.relname::text ELSE n.nspname || '.' || c.relname END, con.conname::text, att.attname::text, CASE WHEN refn.nspname = current_schema() THEN ref.relname::text ELSE refn.nspname || '.' || ref.relname END, ratt.attname::text, CASE con.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END, CASE con.confupdtype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_class ref ON ref.oid = con.confrelid JOIN pg_catalog.pg_namespace refn ON refn.oid = ref.relnamespace CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(col, refcol, ord) JOIN pg_catalog.pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = k.col JOIN pg_catalog.pg_attribute ratt ON ratt.attrelid = con.confrelid AND ratt.attnum = k.refcol WHERE con.contype = 'f' AND ($1::text IS NULL OR CASE WHEN n.nspname = current_schema() THEN c.relname::text ELSE n.nspname || '.' || c.relname END = $2) AND (n.nspname = ANY(current_schemas(false)) OR n.nspname = ANY(string_to_array($3::text, ',')) OR ('*' = ANY(string_to_array($3::text, ',')) AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema')) AND NOT c.relispartition AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits inh JOIN pg_catalog.pg_class parent ON parent.oid = inh.inhparent WHERE inh.inhrelid = c.oid AND parent.relkind = 'r') ORDER BY 1, con.conname, k.ord",
            ),
            indexes: query(
                "SELECT CASE WHEN n.nspname = current_schema() THEN c.relname::text ELSE n.nspname || '.' || c.relname END, ic.relname::text, a.attname::text, CASE WHEN i.indisunique THEN 1 ELSE 0 END, CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_constraint uc WHERE uc.conindid = i.indexrelid AND uc.contype = 'u') THEN 1 ELSE 0 END FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum WHERE ($1::text IS NULL OR CASE WHEN n.nspname = current_schema() THEN c.relname::text ELSE n.nspname || '.' || c.relname END = $2) AND (n.nspname = ANY(current_schemas(false)) OR n.nspname = ANY(string_to_array($3::text, ',')) OR ('*' = ANY(string_to_array($3::text, ',')) AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema')) AND NOT c.relispartition AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits inh JOIN pg_catalog.pg_class parent ON parent.oid = inh.inhparent WHERE inh.inhrelid = c.oid AND parent.relkind = 'r') AND NOT i.indisprimary ORDER BY 1, ic.relname, k.ord",
            ),
            checks: query(
                "SELECT CASE WHEN n.nspname = current_schema() THEN c.relname::text ELSE n.nspname || '.' || c.relname END, con.conname::text, pg_get_expr(con.conbin, con.conrelid) FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE con.contype = 'c' AND ($1::text IS NULL OR CASE WHEN n.nspname = current_schema() THEN c.relname::text ELSE n.nspname || '.' || c.relname END = $2) AND (n.nspname = ANY(current_schemas(false)) OR n.nspname = ANY(string_to_array($3::text, ',')) OR ('*' = ANY(string_to_array($3::text, ',')) AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema')) ORDER BY 1, 2",
            ),
        }
    }
    /// SQLAlchemy's PostgreSQL DDL: `FLOAT`, `TIMESTAMP`, `TIME`.
    fn sqlalchemy_type_name(&self, ty: &ColumnType) -> String {
        match ty {
            ColumnType::Float => "FLOAT".into(),
            ColumnType::DateTime => "TIMESTAMP WITHOUT TIME ZONE".into(),
            other => self.type_name(other),
        }
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
            ColumnType::DateTimeTz => "TIMESTAMP WITH TIME ZONE".into(),
            ColumnType::Time => "TIME WITHOUT TIME ZONE".into(),
            ColumnType::LargeBinary => "BYTEA".into(),
            ColumnType::Json => "JSON".into(),
            // A named enum is its own type, made before the table.
            ColumnType::Enum(e) => match &e.name {
                Some(name) => self.identifier(name),
                None => format!("VARCHAR({})", enum_length(&e.values)),
            },
            ColumnType::Uuid => "UUID".into(),
            ColumnType::Interval => "INTERVAL".into(),
            ColumnType::Other(name) => name.clone(),
            ColumnType::Array(inner) => format!("{}[]", self.type_name(inner)),
            // Refused before any SQL: see `Dialect::lacks`.
            ColumnType::Year | ColumnType::Set(_) => ty.to_string(),
        }
    }
}
