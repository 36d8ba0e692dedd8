//! MySQL and MariaDB: backquoted identifiers, no RETURNING (the engine reads
//! LAST_INSERT_ID), AUTO_INCREMENT, native ENUM, and types wide enough to
//! round-trip exactly (DOUBLE, DATETIME(6)).

use super::{AutoIncrement, Dialect};
use crate::sql::introspect::IntrospectionSql;
use crate::sql::types::ColumnType;

#[derive(Debug, Clone, Copy)]
pub struct MySql;

impl Dialect for MySql {
    fn name(&self) -> &'static str {
        "mysql"
    }
    fn identifier_quote(&self) -> char {
        '`'
    }
    fn supports_returning(&self) -> bool {
        false
    }
    fn native_enum(&self) -> bool {
        true
    }
    fn supports_index_if_not_exists(&self) -> bool {
        false
    }
    fn unbounded_limit(&self) -> Option<&'static str> {
        Some("18446744073709551615")
    }
    fn max_bind_params(&self) -> usize {
        65535
    }
    fn autoincrement(&self) -> AutoIncrement {
        AutoIncrement::Keyword("AUTO_INCREMENT")
    }
    fn string_literal(&self, text: &str) -> String {
        format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
    }
    fn table_names_sql(&self) -> &'static str {
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name"
    }
    fn explain_analyze_prefixes(&self) -> &'static [&'static str] {
        &["ANALYZE", "EXPLAIN ANALYZE"]
    }
    fn explain_columns(&self, width: usize) -> Vec<String> {
        const PLAN: &[&str] = &[
            "id",
            "select_type",
            "table",
            "type",
            "possible_keys",
            "key",
            "key_len",
            "ref",
            "rows",
            "Extra",
        ];
        // MariaDB's ANALYZE adds what it measured.
        const ANALYZED: &[&str] = &[
            "id",
            "select_type",
            "table",
            "type",
            "possible_keys",
            "key",
            "key_len",
            "ref",
            "rows",
            "r_rows",
            "filtered",
            "r_filtered",
            "Extra",
        ];
        match width {
            10 => PLAN.iter().map(|s| s.to_string()).collect(),
            13 => ANALYZED.iter().map(|s| s.to_string()).collect(),
            _ => (1..=width).map(|i| format!("column_{i}")).collect(),
        }
    }
    fn session_id_sql(&self) -> Option<&'static str> {
        Some("SELECT CAST(CONNECTION_ID() AS SIGNED)")
    }
    fn cancel_sql(&self, id: i64) -> Option<String> {
        Some(format!("KILL QUERY {id}"))
    }
    fn insert_default_values(&self) -> &'static str {
        " () VALUES ()"
    }
    fn alter_column_style(&self) -> Option<super::AlterColumnStyle> {
        Some(super::AlterColumnStyle::Restate)
    }
    fn drop_foreign_key_keyword(&self) -> &'static str {
        "FOREIGN KEY"
    }
    fn ddl_commits(&self) -> bool {
        true
    }
    fn update_counts_matched_rows(&self) -> bool {
        false
    }
    fn introspection(&self) -> IntrospectionSql {
        IntrospectionSql {
            columns: "SELECT c.table_name, c.column_name, c.column_type, CASE WHEN c.is_nullable = 'YES' THEN 1 ELSE 0 END, c.column_default, COALESCE((SELECT k.ordinal_position FROM information_schema.key_column_usage k WHERE k.table_schema = c.table_schema AND k.table_name = c.table_name AND k.column_name = c.column_name AND k.constraint_name = 'PRIMARY'), 0) FROM information_schema.columns c WHERE c.table_schema = DATABASE() AND (? IS NULL OR c.table_name = ?) ORDER BY c.table_name, c.ordinal_position",
            foreign_keys: "SELECT table_name, constraint_name, column_name, referenced_table_name, referenced_column_name FROM information_schema.key_column_usage WHERE table_schema = DATABASE() AND (? IS NULL OR table_name = ?) AND referenced_table_name IS NOT NULL ORDER BY table_name, constraint_name, ordinal_position",
            indexes: "SELECT table_name, index_name, column_name, CASE WHEN non_unique = 0 THEN 1 ELSE 0 END FROM information_schema.statistics WHERE table_schema = DATABASE() AND (? IS NULL OR table_name = ?) AND index_name != 'PRIMARY' ORDER BY table_name, index_name, seq_in_index",
        }
    }
    fn type_name(&self, ty: &ColumnType) -> String {
        match ty {
            ColumnType::Integer => "INTEGER".into(),
            ColumnType::BigInteger => "BIGINT".into(),
            ColumnType::SmallInteger => "SMALLINT".into(),
            ColumnType::String(Some(n)) => format!("VARCHAR({n})"),
            // MySQL will not take a VARCHAR without a length.
            ColumnType::String(None) => "VARCHAR(255)".into(),
            ColumnType::Text => "TEXT".into(),
            ColumnType::Boolean => "BOOL".into(),
            ColumnType::Float => "DOUBLE".into(),
            ColumnType::Numeric(Some((p, s))) => format!("NUMERIC({p}, {s})"),
            ColumnType::Numeric(None) => "NUMERIC(65, 30)".into(),
            ColumnType::Date => "DATE".into(),
            ColumnType::DateTime => "DATETIME(6)".into(),
            ColumnType::Time => "TIME(6)".into(),
            ColumnType::LargeBinary => "LONGBLOB".into(),
            ColumnType::Json => "JSON".into(),
            ColumnType::Enum(values) => {
                let quoted: Vec<String> = values.iter().map(|v| self.string_literal(v)).collect();
                format!("ENUM({})", quoted.join(", "))
            }
            ColumnType::Uuid => "CHAR(32)".into(),
        }
    }
}
