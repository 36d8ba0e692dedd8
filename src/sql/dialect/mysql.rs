//! MySQL and MariaDB: backquoted identifiers, AUTO_INCREMENT, native ENUM,
//! and types wide enough to round-trip exactly (DOUBLE, DATETIME(6)). MySQL
//! has no RETURNING (the engine reads LAST_INSERT_ID, one row at a time
//! where keys are needed); MariaDB 10.5 and later have INSERT .. RETURNING,
//! so a batch of rows gets its keys in one statement. MariaDB reserves a
//! few words MySQL does not and the other way round, so which server it is
//! decides which names are quoted.

use super::identifier::Reserved;
use super::{AutoIncrement, Dialect};
use crate::sql::introspect::{IntrospectionSql, Query, Slot};
use crate::sql::types::ColumnType;

#[derive(Debug, Clone, Copy)]
pub struct MySql {
    insert_returning: bool,
    mariadb: bool,
}

impl MySql {
    pub const MYSQL: MySql = MySql {
        insert_returning: false,
        mariadb: false,
    };
    pub const MARIADB: MySql = MySql {
        insert_returning: true,
        mariadb: true,
    };
    /// MariaDB before 10.5, which has no RETURNING; also MariaDB named by a
    /// `mariadb://` URL until its server says which version it is.
    pub const MARIADB_BEFORE_10_5: MySql = MySql {
        insert_returning: false,
        mariadb: true,
    };
}

/// Whether a `SELECT VERSION()` answer is MariaDB's.
fn is_mariadb(version: &str) -> bool {
    version.to_ascii_lowercase().contains("mariadb")
}

/// Whether a `SELECT VERSION()` answer is MariaDB 10.5 or later.
fn mariadb_with_returning(version: &str) -> bool {
    if !is_mariadb(version) {
        return false;
    }
    // "10.11.6-MariaDB-0+deb12u1"; MariaDB 5.5 once reported "5.5.5-10.x".
    let release = version.strip_prefix("5.5.5-").unwrap_or(version);
    let mut parts = release
        .split(|c: char| !c.is_ascii_digit())
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (10, 5)
}

impl Dialect for MySql {
    fn name(&self) -> &'static str {
        "mysql"
    }
    fn identifier_quote(&self) -> char {
        '`'
    }
    fn reserved_words(&self) -> &'static Reserved {
        if self.mariadb {
            &super::identifier::MARIADB
        } else {
            &super::identifier::MYSQL
        }
    }
    fn supports_returning(&self) -> bool {
        self.insert_returning
    }
    /// MariaDB has INSERT and DELETE .. RETURNING, but no UPDATE .. RETURNING.
    fn supports_update_returning(&self) -> bool {
        false
    }
    fn server_version_sql(&self) -> Option<&'static str> {
        Some("SELECT VERSION()")
    }
    fn for_server_version(&self, version: &str) -> Option<&'static dyn Dialect> {
        let server = if mariadb_with_returning(version) {
            &MySql::MARIADB
        } else if is_mariadb(version) {
            &MySql::MARIADB_BEFORE_10_5
        } else {
            &MySql::MYSQL
        };
        let same =
            server.insert_returning == self.insert_returning && server.mariadb == self.mariadb;
        (!same).then_some(server)
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
    /// SQLAlchemy's MySQL DDL: no fractional seconds, FLOAT, BLOB.
    fn sqlalchemy_type_name(&self, ty: &ColumnType) -> String {
        match ty {
            ColumnType::DateTime | ColumnType::DateTimeTz | ColumnType::Interval => {
                "DATETIME".into()
            }
            ColumnType::Time => "TIME".into(),
            ColumnType::Float => "FLOAT".into(),
            ColumnType::LargeBinary => "BLOB".into(),
            ColumnType::Numeric(None) => "NUMERIC".into(),
            other => self.type_name(other),
        }
    }
    fn foreign_key_makes_index(&self) -> bool {
        true
    }
    fn drop_index_sql(&self, index: &str, table: &str) -> String {
        format!("DROP INDEX {index} ON {table}")
    }
    fn drop_constraint_clause(&self, name: &str, kind: Option<&str>) -> String {
        match kind {
            Some("foreignkey") => format!("DROP FOREIGN KEY {name}"),
            Some("unique") => format!("DROP INDEX {name}"),
            Some("primary") => "DROP PRIMARY KEY".into(),
            _ => format!("DROP CONSTRAINT {name}"),
        }
    }
    fn ddl_commits(&self) -> bool {
        true
    }
    /// `/` divides exactly (giving a DECIMAL).
    fn true_division(&self) -> super::TrueDivision {
        super::TrueDivision::AsIs
    }
    /// `||` is OR here.
    fn concat_operator(&self) -> Option<&'static str> {
        None
    }
    fn lacks(&self, ty: &ColumnType) -> Option<&'static str> {
        match ty {
            ColumnType::Array(_) => Some("only PostgreSQL has arrays: use db.JSON for a list"),
            _ => None,
        }
    }
    fn read_wrapped(&self, ty: &ColumnType) -> Option<(&'static str, &'static str)> {
        let ColumnType::Other(name) = ty else {
            return None;
        };
        Some(match type_family(name) {
            // As the spatial functions write it: `POINT(1 2)`.
            Family::Spatial => ("ST_AsText(", ")"),
            // A BIT(n) as its number, as SQLAlchemy reads it.
            Family::Bit => ("(", " + 0)"),
            Family::Other => ("CAST(", " AS CHAR)"),
        })
    }
    fn write_wrapped(&self, ty: &ColumnType) -> Option<(String, String)> {
        match ty {
            ColumnType::Other(name) => match type_family(name) {
                Family::Spatial => Some(("ST_GeomFromText(".to_string(), ")".to_string())),
                Family::Bit => Some(("CAST(".to_string(), " AS UNSIGNED)".to_string())),
                Family::Other => None,
            },
            _ => None,
        }
    }
    fn savepoint_replaces_same_name(&self) -> bool {
        true
    }
    fn read_only_violation(&self, code: &str) -> bool {
        // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION, by SQLSTATE or number.
        matches!(code, "25006" | "1792")
    }
    fn read_only_session_sql(&self) -> Option<&'static str> {
        Some("SET SESSION TRANSACTION READ ONLY")
    }
    fn update_counts_matched_rows(&self) -> bool {
        false
    }
    fn introspection(&self) -> IntrospectionSql {
        // `?` is positional: the schemas are bound once per use.
        const SLOTS: &[Slot] = &[Slot::Schemas, Slot::Schemas, Slot::Table, Slot::Table];
        let query = |sql| Query { sql, slots: SLOTS };
        IntrospectionSql {
            tables: query(
                "SELECT IF(table_schema = DATABASE(), table_name, CONCAT(table_schema, '.', table_name)) FROM information_schema.tables WHERE (table_schema = DATABASE() OR FIND_IN_SET(table_schema, ?) > 0 OR (FIND_IN_SET('*', ?) > 0 AND table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys'))) AND (? IS NULL OR IF(table_schema = DATABASE(), table_name, CONCAT(table_schema, '.', table_name)) = ?) AND table_type = 'BASE TABLE' ORDER BY 1",
            ),
            columns: query(
                "SELECT IF(c.table_schema = DATABASE(), c.table_name, CONCAT(c.table_schema, '.', c.table_name)), c.column_name, c.column_type, CASE WHEN c.is_nullable = 'YES' THEN 1 ELSE 0 END, c.column_default, COALESCE((SELECT k.ordinal_position FROM information_schema.key_column_usage k WHERE k.table_schema = c.table_schema AND k.table_name = c.table_name AND k.column_name = c.column_name AND k.constraint_name = 'PRIMARY'), 0) FROM information_schema.columns c WHERE (c.table_schema = DATABASE() OR FIND_IN_SET(c.table_schema, ?) > 0 OR (FIND_IN_SET('*', ?) > 0 AND c.table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys'))) AND (? IS NULL OR IF(c.table_schema = DATABASE(), c.table_name, CONCAT(c.table_schema, '.', c.table_name)) = ?) AND EXISTS (SELECT 1 FROM information_schema.tables t WHERE t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE') ORDER BY 1, c.ordinal_position",
            ),
            foreign_keys: query(
                "SELECT IF(k.table_schema = DATABASE(), k.table_name, CONCAT(k.table_schema, '.', k.table_name)), k.constraint_name, k.column_name, IF(k.referenced_table_schema = DATABASE(), k.referenced_table_name, CONCAT(k.referenced_table_schema, '.', k.referenced_table_name)), k.referenced_column_name, r.delete_rule, r.update_rule FROM information_schema.key_column_usage k JOIN information_schema.referential_constraints r ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name AND r.table_name = k.table_name WHERE (k.table_schema = DATABASE() OR FIND_IN_SET(k.table_schema, ?) > 0 OR (FIND_IN_SET('*', ?) > 0 AND k.table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys'))) AND (? IS NULL OR IF(k.table_schema = DATABASE(), k.table_name, CONCAT(k.table_schema, '.', k.table_name)) = ?) AND k.referenced_table_name IS NOT NULL ORDER BY 1, k.constraint_name, k.ordinal_position",
            ),
            indexes: query(
                "SELECT IF(table_schema = DATABASE(), table_name, CONCAT(table_schema, '.', table_name)), index_name, column_name, CASE WHEN non_unique = 0 THEN 1 ELSE 0 END, 0 FROM information_schema.statistics WHERE (table_schema = DATABASE() OR FIND_IN_SET(table_schema, ?) > 0 OR (FIND_IN_SET('*', ?) > 0 AND table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys'))) AND (? IS NULL OR IF(table_schema = DATABASE(), table_name, CONCAT(table_schema, '.', table_name)) = ?) AND index_name != 'PRIMARY' ORDER BY 1, index_name, seq_in_index",
            ),
            checks: query(
                "SELECT IF(constraint_schema = DATABASE(), table_name, CONCAT(constraint_schema, '.', table_name)), constraint_name, check_clause FROM information_schema.check_constraints WHERE (constraint_schema = DATABASE() OR FIND_IN_SET(constraint_schema, ?) > 0 OR (FIND_IN_SET('*', ?) > 0 AND constraint_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys'))) AND (? IS NULL OR IF(constraint_schema = DATABASE(), table_name, CONCAT(constraint_schema, '.', table_name)) = ?) ORDER BY 1, 2",
            ),
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
            // SQLAlchemy's Interval here: the DATETIME that far from 1970-01-01.
            ColumnType::DateTime | ColumnType::DateTimeTz | ColumnType::Interval => {
                "DATETIME(6)".into()
            }
            ColumnType::Time => "TIME(6)".into(),
            ColumnType::LargeBinary => "LONGBLOB".into(),
            ColumnType::Json => "JSON".into(),
            ColumnType::Enum(e) => {
                let quoted: Vec<String> = e.values.iter().map(|v| self.string_literal(v)).collect();
                format!("ENUM({})", quoted.join(", "))
            }
            ColumnType::Uuid => "CHAR(32)".into(),
            ColumnType::Other(name) => name.clone(),
            ColumnType::Year => "YEAR".into(),
            ColumnType::Set(values) => format!(
                "SET({})",
                values
                    .iter()
                    .map(|v| format!("'{}'", v.replace('\'', "''")))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            // Refused before any SQL: only PostgreSQL has arrays.
            ColumnType::Array(inner) => format!("{}[]", self.type_name(inner)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mariadb_from_10_5_returns_inserted_keys() {
        let cases = [
            ("10.11.6-MariaDB-0+deb12u1", true),
            ("10.5.0-MariaDB", true),
            ("11.4.2-MariaDB-log", true),
            ("10.4.32-MariaDB", false),
            ("5.5.5-10.6.12-MariaDB", true),
            ("8.0.36", false),
            ("8.4.0-0ubuntu0.24.04.1", false),
        ];
        for (version, returning) in cases {
            assert_eq!(
                MySql::MYSQL
                    .for_server_version(version)
                    .is_some_and(|d| d.supports_returning()),
                returning,
                "{version}"
            );
        }
        assert!(
            MySql::MARIADB
                .for_server_version("10.11.6-MariaDB")
                .is_none()
        );
    }

    #[test]
    fn mariadb_and_mysql_reserve_different_words() {
        let mariadb = MySql::MYSQL.for_server_version("10.4.32-MariaDB").unwrap();
        assert_eq!(mariadb.identifier("position"), "`position`");
        assert_eq!(mariadb.identifier("rank"), "rank");
        assert_eq!(MySql::MYSQL.identifier("position"), "position");
        assert_eq!(MySql::MYSQL.identifier("rank"), "`rank`");
        assert!(MySql::MYSQL.for_server_version("8.0.36").is_none());
    }
}

#[derive(PartialEq)]
enum Family {
    Spatial,
    Bit,
    Other,
}

/// Which kind of MySQL type a catalog name is, for reading it as text.
fn type_family(name: &str) -> Family {
    let base = name
        .split('(')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match base.as_str() {
        "geometry" | "point" | "linestring" | "polygon" | "multipoint" | "multilinestring"
        | "multipolygon" | "geometrycollection" | "geomcollection" => Family::Spatial,
        "bit" => Family::Bit,
        _ => Family::Other,
    }
}
