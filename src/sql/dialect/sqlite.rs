//! SQLite: `?` placeholders, RETURNING since 3.35 (but new rows numbered by
//! the flush where it can), no ILIKE, `LIMIT -1` before a lone OFFSET, and
//! SQLAlchemy's type names.

use super::identifier::Reserved;
use super::{AutoIncrement, Dialect, enum_length};
use crate::sql::introspect::{IntrospectionSql, Query, Slot};
use crate::sql::types::ColumnType;
use crate::sql::value::Value;

#[derive(Debug, Clone, Copy)]
pub struct Sqlite;

impl Dialect for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
    }
    fn reserved_words(&self) -> &'static Reserved {
        &super::identifier::SQLITE
    }
    /// SQLite has no `now()`; SQLAlchemy's `func.now()` is CURRENT_TIMESTAMP here.
    fn now_function(&self) -> &'static str {
        "CURRENT_TIMESTAMP"
    }
    /// In-process, a statement is no round trip, and SQLite evaluates a
    /// CASE branch by branch for every row it updates: a prepared one-row
    /// UPDATE per row took half the time of a batch of 500.
    fn batches_updates(&self) -> bool {
        false
    }
    /// SQLite takes no parentheses around a member of a UNION.
    fn compound_member_parens(&self) -> bool {
        false
    }
    /// RETURNING makes SQLite write each returned row to a temporary table
    /// before the first comes back: a seed's INSERTs took half again as
    /// long with it. A new row's rowid is one past the largest, so the
    /// flush numbers the rows itself, as SQLite would, unless the table
    /// says AUTOINCREMENT (which never reuses a deleted row's key) or
    /// WITHOUT ROWID (whose key is no rowid).
    fn row_numbering(&self, table: &str, key: &str) -> Option<super::RowNumbering> {
        let mut sql = String::from("SELECT max(");
        self.push_identifier(&mut sql, key);
        sql.push_str("), (SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?) FROM ");
        self.push_identifier(&mut sql, table);
        Some(super::RowNumbering {
            query: crate::sql::Compiled {
                sql,
                binds: vec![crate::sql::Bind {
                    value: Value::Text(table.to_string()),
                    ty: None,
                }],
            },
            first_key: |row| {
                let ddl = match row.get(1)? {
                    Value::Text(ddl) => ddl.to_ascii_uppercase(),
                    _ => return None,
                };
                if ddl.contains("AUTOINCREMENT") || ddl.contains("WITHOUT ROWID") {
                    return None;
                }
                match row.first()? {
                    Value::Null => Some(1),
                    Value::Int(largest) => largest.checked_add(1),
                    _ => None,
                }
            },
        })
    }
    fn bool_literal(&self, value: bool) -> &'static str {
        if value { "1" } else { "0" }
    }
    fn unbounded_limit(&self) -> Option<&'static str> {
        Some("-1")
    }
    fn max_bind_params(&self) -> usize {
        32766
    }
    fn autoincrement(&self) -> AutoIncrement {
        AutoIncrement::Implicit
    }
    fn introspection(&self) -> IntrospectionSql {
        // One schema per database file: no schemas are bound.
        const SLOTS: &[Slot] = &[Slot::Table, Slot::Table];
        let query = |sql| Query { sql, slots: SLOTS };
        IntrospectionSql {
            tables: query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND (?1 IS NULL OR name = ?2) ORDER BY name",
            ),
            columns: query(
                "SELECT m.name, p.name, p.type, CASE WHEN p.\"notnull\" = 0 THEN 1 ELSE 0 END, p.dflt_value, p.pk FROM sqlite_master AS m, pragma_table_info(m.name) AS p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND (?1 IS NULL OR m.name = ?2) ORDER BY m.name, p.cid",
            ),
            foreign_keys: query(
                "SELECT m.name, CAST(f.id AS TEXT), f.\"from\", f.\"table\", f.\"to\", f.on_delete, f.on_update FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' AND (?1 IS NULL OR m.name = ?2) ORDER BY m.name, f.id, f.seq",
            ),
            indexes: query(
                "SELECT m.name, il.name, ii.name, il.\"unique\", CASE WHEN il.origin = 'u' THEN 1 ELSE 0 END FROM sqlite_master AS m, pragma_index_list(m.name) AS il, pragma_index_info(il.name) AS ii WHERE m.type = 'table' AND il.origin != 'pk' AND (?1 IS NULL OR m.name = ?2) ORDER BY m.name, il.name, ii.seqno",
            ),
            // SQLite keeps no catalog of checks: they are read from the table's SQL.
            checks: query(
                "SELECT name, NULL, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND (?1 IS NULL OR name = ?2) ORDER BY name",
            ),
        }
    }
    fn rebuild_sql(&self) -> Option<super::RebuildSql> {
        Some(super::RebuildSql {
            table_sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
            columns: "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid",
            foreign_keys: "SELECT id, \"from\", \"table\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq",
            indexes: "SELECT il.name, ii.name, il.\"unique\", il.origin FROM pragma_index_list(?1) AS il, pragma_index_info(il.name) AS ii WHERE il.origin != 'pk' ORDER BY il.seq DESC, ii.seqno",
        })
    }
    fn alter_column_style(&self) -> Option<super::AlterColumnStyle> {
        None
    }
    fn supports_add_constraint(&self) -> bool {
        false
    }
    fn add_not_null_column_needs_default(&self) -> bool {
        true
    }
    /// SQLITE_BUSY, SQLITE_LOCKED and their extended codes.
    fn true_division(&self) -> super::TrueDivision {
        super::TrueDivision::PlusZero
    }
    fn read_only_violation(&self, code: &str) -> bool {
        // SQLITE_READONLY and its extended codes (`PRAGMA query_only`, mode=ro).
        code.parse::<i64>().is_ok_and(|c| c & 0xff == 8)
    }
    fn lock_wait_ended(&self, code: &str) -> bool {
        matches!(code, "5" | "6" | "261" | "262" | "517")
    }
    fn explain_prefix(&self) -> &'static str {
        "EXPLAIN QUERY PLAN"
    }
    fn explain_columns(&self, _width: usize) -> Vec<String> {
        ["id", "parent", "notused", "detail"]
            .map(String::from)
            .to_vec()
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
            ColumnType::Float => "FLOAT".into(),
            // As SQLAlchemy creates it: NUMERIC affinity, so values compare,
            // order and aggregate as numbers; reads give them back as exact
            // decimals at the column's scale.
            ColumnType::Numeric(Some((p, s))) => format!("NUMERIC({p}, {s})"),
            ColumnType::Numeric(None) => "NUMERIC".into(),
            ColumnType::Date => "DATE".into(),
            // SQLAlchemy's Interval here: the DATETIME that far from 1970-01-01.
            ColumnType::DateTime | ColumnType::DateTimeTz | ColumnType::Interval => {
                "DATETIME".into()
            }
            ColumnType::Time => "TIME".into(),
            ColumnType::LargeBinary => "BLOB".into(),
            ColumnType::Json => "JSON".into(),
            ColumnType::Enum(e) => format!("VARCHAR({})", enum_length(&e.values)),
            ColumnType::Uuid => "CHAR(32)".into(),
            ColumnType::Other(name) => name.clone(),
            // Refused before any SQL: see `Dialect::lacks`.
            ColumnType::Array(inner) => format!("{}[]", self.type_name(inner)),
            ColumnType::Year | ColumnType::Set(_) => ty.to_string(),
        }
    }
}
