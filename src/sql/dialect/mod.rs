//! What differs between databases, as lookups: each dialect is a few flags and
//! spellings. The compiler asks; nothing outside this folder matches on which
//! database it is talking to.

mod identifier;
mod mysql;
mod postgres;
mod sqlite;

pub use mysql::MySql;
pub use postgres::Postgres;
pub use sqlite::Sqlite;

use super::types::ColumnType;

/// How a single-column integer primary key gets its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoIncrement {
    /// The type itself implies it (SQLite's `INTEGER PRIMARY KEY` rowid alias).
    Implicit,
    /// The type is replaced (`SERIAL`, `BIGSERIAL`, `SMALLSERIAL`).
    SerialType,
    /// A keyword ends the column's definition (`AUTO_INCREMENT`).
    Keyword(&'static str),
}

/// How a database changes an existing column in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlterColumnStyle {
    /// One attribute at a time (`ALTER COLUMN c TYPE ..`, `SET NOT NULL`, `SET DEFAULT ..`).
    PerAttribute,
    /// The whole column restated (`MODIFY COLUMN c <declaration>`).
    Restate,
}

/// A query for the largest key of a table, and what its one row says: the
/// first key new rows get, or `None` where the table numbers its rows some
/// other way and the keys must be asked for.
pub struct RowNumbering {
    pub query: super::Compiled,
    pub first_key: fn(&[super::Value]) -> Option<i64>,
}

/// The spellings and abilities of one database.
pub trait Dialect: Send + Sync + std::fmt::Debug {
    /// `sqlite`, `postgresql` or `mysql`, as SQLAlchemy names them.
    fn name(&self) -> &'static str;
    /// The character that quotes identifiers.
    fn identifier_quote(&self) -> char {
        '"'
    }
    /// The words SQLAlchemy quotes as identifiers here (sorted, lower case).
    fn reserved_words(&self) -> &'static identifier::Reserved;
    /// Write `name` as an identifier: bare where SQLAlchemy writes it bare
    /// for this database, else quoted.
    fn push_identifier(&self, out: &mut String, name: &str) {
        identifier::push_identifier(out, self.identifier_quote(), self.reserved_words(), name);
    }
    /// `name` as an identifier, on its own.
    fn identifier(&self, name: &str) -> String {
        let mut out = String::with_capacity(name.len() + 2);
        self.push_identifier(&mut out, name);
        out
    }
    /// Write the placeholder for the `index`th bind (1-based).
    fn write_placeholder(&self, _index: usize, out: &mut String) {
        out.push('?');
    }
    /// INSERT .. RETURNING (else the engine reads the last insert id).
    fn supports_returning(&self) -> bool {
        true
    }
    /// `func.now()`: the current timestamp as SQLAlchemy writes it here.
    fn now_function(&self) -> &'static str {
        "now()"
    }
    /// UPDATE .. RETURNING.
    fn supports_update_returning(&self) -> bool {
        self.supports_returning()
    }
    /// DELETE .. RETURNING.
    fn supports_delete_returning(&self) -> bool {
        self.supports_returning()
    }
    /// A native ILIKE (else `lower(a) LIKE lower(b)`).
    /// Whether a member of a UNION may stand in parentheses (with its own
    /// ORDER BY or LIMIT); where not, it is read from as a subquery.
    fn compound_member_parens(&self) -> bool {
        true
    }
    fn supports_ilike(&self) -> bool {
        false
    }
    /// A native ENUM column type (else VARCHAR with a CHECK constraint).
    fn native_enum(&self) -> bool {
        false
    }
    /// A named enum is a type made before its tables (`CREATE TYPE mood AS
    /// ENUM (..)`), else a column type like an unnamed one.
    fn makes_enum_types(&self) -> bool {
        false
    }
    /// A query with no parameters whose rows are the names of the enum
    /// types on the search path, where the database makes them.
    fn enum_type_names_sql(&self) -> Option<&'static str> {
        None
    }
    /// `CREATE INDEX IF NOT EXISTS`.
    fn supports_index_if_not_exists(&self) -> bool {
        true
    }
    fn bool_literal(&self, value: bool) -> &'static str {
        if value { "true" } else { "false" }
    }
    /// The LIMIT that means "no limit", for an OFFSET alone where the
    /// database needs a LIMIT first.
    fn unbounded_limit(&self) -> Option<&'static str> {
        None
    }
    /// The most bind parameters one statement may carry.
    fn max_bind_params(&self) -> usize;
    fn autoincrement(&self) -> AutoIncrement;
    /// The DDL type name for a column type.
    fn type_name(&self, ty: &ColumnType) -> String;
    /// The serial type that replaces an integer type, where `autoincrement()` is `SerialType`.
    fn serial_type_name(&self, ty: &ColumnType) -> String {
        self.type_name(ty)
    }
    /// The queries that describe a live table.
    fn introspection(&self) -> crate::sql::introspect::IntrospectionSql;
    /// The statement prefix that shows the plan of a query (`EXPLAIN QUERY PLAN`).
    fn explain_prefix(&self) -> &'static str {
        "EXPLAIN"
    }
    /// Prefixes that run a query and show its plan with real timings, tried
    /// in order (MariaDB and MySQL 8 spell it differently); none where the
    /// database has no such command.
    fn explain_analyze_prefixes(&self) -> &'static [&'static str] {
        &[]
    }
    /// Whether UPDATEs of many rows go as one statement (`SET c = CASE id
    /// WHEN ..`): one round trip instead of one per row, where each
    /// statement crosses to a server.
    fn batches_updates(&self) -> bool {
        true
    }
    /// How the flush may number a batch of new rows itself instead of
    /// asking for their keys back, where the database numbers a row one past
    /// its table's largest key (SQLite). Asked only while this connection
    /// holds the database's write lock, so nobody can insert in between.
    fn row_numbering(&self, _table: &str, _key: &str) -> Option<RowNumbering> {
        None
    }
    /// Whether an UPDATE reports the rows it matched (MySQL reports only the
    /// rows it changed, so 0 does not mean the row is gone).
    fn update_counts_matched_rows(&self) -> bool {
        true
    }
    /// The query giving the time zone a client that sets none works in
    /// (PostgreSQL's `TimeZone` as the server starts a session), where a
    /// moment with a time zone written to a column without one is read in
    /// that zone; `None` where such a moment keeps its wall time as given.
    fn client_time_zone_sql(&self) -> Option<&'static str> {
        None
    }
    /// Whether a failed statement leaves the whole transaction unusable
    /// (PostgreSQL) rather than just that statement undone.
    fn error_aborts_transaction(&self) -> bool {
        false
    }
    /// How an INSERT of nothing but defaults ends (after the table name).
    fn insert_default_values(&self) -> &'static str {
        " DEFAULT VALUES"
    }
    /// The query that tells which server (and version) this is, where the
    /// dialect varies with it.
    fn server_version_sql(&self) -> Option<&'static str> {
        None
    }
    /// The dialect for a server that reported `version`, where it is not
    /// this one (a server that adds what this dialect goes without).
    fn for_server_version(&self, _version: &str) -> Option<&'static dyn Dialect> {
        None
    }
    /// The query that names this connection on the server, to cancel its
    /// running statement from another one (Ctrl-C); none where cancelling
    /// goes another way (SQLite).
    fn session_id_sql(&self) -> Option<&'static str> {
        None
    }
    /// The statement that cancels the running statement of session `id`
    /// (an integer the server gave, never user input).
    fn cancel_sql(&self, _id: i64) -> Option<String> {
        None
    }
    /// Whether DDL commits the open transaction by itself (so a script's
    /// `create_all` stays even when the script fails).
    fn ddl_commits(&self) -> bool {
        false
    }
    /// Whether an error code is the database refusing a write on a
    /// read-only connection or transaction (SQLSTATE 25006 on the servers).
    fn read_only_violation(&self, code: &str) -> bool {
        code == "25006"
    }
    /// The statement that makes a new server session read-only, so every
    /// transaction on it refuses writes (`--read-only`).
    fn read_only_session_sql(&self) -> Option<&'static str> {
        None
    }
    /// Why a model column of this type cannot live here (arrays are
    /// PostgreSQL's, YEAR and SET MySQL's): refused before any SQL.
    fn lacks(&self, ty: &ColumnType) -> Option<&'static str> {
        match ty {
            ColumnType::Array(_) => Some("only PostgreSQL has arrays: use db.JSON for a list"),
            ColumnType::Year => Some("only MySQL and MariaDB have YEAR: use db.SmallInteger"),
            ColumnType::Set(_) => Some("only MySQL and MariaDB have SET: use db.String"),
            _ => None,
        }
    }
    /// How a SELECT list reads a column of a type ormsh has no decoder for
    /// (`ColumnType::Other`: as its text) or an array (as a JSON list): the
    /// text around the column, or none where the driver already gives text.
    fn read_wrapped(&self, _ty: &ColumnType) -> Option<(&'static str, &'static str)> {
        None
    }
    /// How a value written to such a column is converted from the text or
    /// list bound (`CAST(CAST($1 AS TEXT) AS tsvector)`): the text around
    /// the placeholder, or none where the database converts by itself.
    fn write_wrapped(&self, _ty: &ColumnType) -> Option<(String, String)> {
        None
    }
    /// How `a / b` divides exactly (integers divide as integers in most
    /// databases' `/`).
    fn true_division(&self) -> TrueDivision {
        TrueDivision::CastNumeric
    }
    /// The operator that joins two strings (`a + b` of text); none where
    /// it is the function `concat(a, b)` instead.
    fn concat_operator(&self) -> Option<&'static str> {
        Some(" || ")
    }
    /// Whether `SAVEPOINT x` replaces an open savepoint of the same name (so
    /// moving one needs no RELEASE); elsewhere savepoints of one name stack.
    fn savepoint_replaces_same_name(&self) -> bool {
        false
    }
    /// Names for the columns of an EXPLAIN result of `width` columns.
    fn explain_columns(&self, width: usize) -> Vec<String> {
        (1..=width).map(|i| format!("column_{i}")).collect()
    }
    /// How an existing column's type, nullability or default is changed in
    /// place; none where the table must be rebuilt instead (SQLite).
    fn alter_column_style(&self) -> Option<AlterColumnStyle> {
        Some(AlterColumnStyle::PerAttribute)
    }
    /// Whether an error code means the server ended the connection
    /// (SQLSTATE class 08, a shutdown or termination), not the statement.
    fn connection_lost(&self, code: &str) -> bool {
        code.starts_with("08")
    }
    /// Whether an error code means a statement gave up waiting for another
    /// connection's lock (SQLite's SQLITE_BUSY after the busy timeout).
    fn lock_wait_ended(&self, _code: &str) -> bool {
        false
    }
    /// What names a foreign key in `ALTER TABLE .. DROP ..`.
    fn drop_foreign_key_keyword(&self) -> &'static str {
        "CONSTRAINT"
    }
    /// Whether a foreign key can be added to an existing table.
    fn supports_add_constraint(&self) -> bool {
        true
    }
    /// Whether adding a foreign key with no index leading with its columns
    /// makes one (named after the key) that stays when the key is dropped
    /// (MySQL and MariaDB).
    fn foreign_key_makes_index(&self) -> bool {
        false
    }
    /// Whether `ALTER TABLE .. ADD COLUMN` of a NOT NULL column needs a
    /// default even when the table is empty (SQLite refuses it outright).
    fn add_not_null_column_needs_default(&self) -> bool {
        false
    }
    /// The literal text of a live column default as introspection reports
    /// it (`'x''y'` → `x'y`); none for no default, an expression, or the
    /// key's own numbering (a sequence).
    fn read_default(&self, live: &str) -> Option<String> {
        unquote_default(live)
    }
    /// A live default that is an expression (`CURRENT_TIMESTAMP`, `now()`),
    /// as the database spells it; none for a literal, NULL, or a key's own
    /// numbering.
    fn read_default_sql(&self, live: &str) -> Option<String> {
        expression_default(live)
    }
    /// The type as SQLAlchemy's own DDL names it (what `op.create_table`
    /// makes under Alembic), where ormsh's models choose otherwise.
    fn sqlalchemy_type_name(&self, ty: &ColumnType) -> String {
        self.type_name(ty)
    }
    /// `DROP INDEX` of index `index` on `table` (both quoted already):
    /// MySQL names the table.
    fn drop_index_sql(&self, index: &str, _table: &str) -> String {
        format!("DROP INDEX {index}")
    }
    /// What follows `ALTER TABLE t ` to drop the constraint `name` (quoted
    /// already) of Alembic's `type_` (`foreignkey`, `unique`, `check`,
    /// `primary`, or none given).
    fn drop_constraint_clause(&self, name: &str, _kind: Option<&str>) -> String {
        format!("DROP CONSTRAINT {name}")
    }
    /// The queries that read a table for SQLite's batch mode (Alembic's
    /// copy-and-move rebuild); none where a table is altered in place.
    fn rebuild_sql(&self) -> Option<RebuildSql> {
        None
    }
    /// A string literal for DDL (defaults, enum values), which cannot take binds.
    fn string_literal(&self, text: &str) -> String {
        format!("'{}'", text.replace('\'', "''"))
    }
}

/// How a table is read to be rebuilt (SQLite's batch mode), each query
/// bound to the table's name.
#[derive(Debug, Clone, Copy)]
pub struct RebuildSql {
    /// (sql): the table's `CREATE TABLE` text.
    pub table_sql: &'static str,
    /// (name, type, notnull 0/1, default or NULL, position in the primary key or 0).
    pub columns: &'static str,
    /// (id, from, table, to, on_update, on_delete), in key then column order.
    pub foreign_keys: &'static str,
    /// (index name, column, unique 0/1, origin `c`/`u`), in index then column order.
    pub indexes: &'static str,
}

/// How `a / b` is written so that it divides exactly, as SQLAlchemy 2's
/// true division does whatever the operands' types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrueDivision {
    /// `a / b`: the database's `/` already divides exactly.
    AsIs,
    /// `a / (b + 0.0)`.
    PlusZero,
    /// `a / CAST(b AS NUMERIC)`, unless `b` is a float or a decimal.
    CastNumeric,
}

/// The dialect for a backend name (`sqlite`, `postgresql`, `mysql`).
pub fn by_name(name: &str) -> Option<&'static dyn Dialect> {
    match name {
        "sqlite" => Some(&Sqlite),
        "postgresql" => Some(&Postgres),
        "mysql" => Some(&MySql::MYSQL),
        _ => None,
    }
}

/// A default that is neither a literal nor NULL: the expression itself.
pub(crate) fn expression_default(live: &str) -> Option<String> {
    let text = live.trim();
    let null = text.is_empty() || text.eq_ignore_ascii_case("null");
    (!null && unquote_default(text).is_none()).then(|| text.to_string())
}

/// Two spellings of one default expression, as databases respell them:
/// case, spaces, outer parentheses, `current_timestamp()` or
/// `current_timestamp(6)` for `CURRENT_TIMESTAMP`, and `now()` for either.
pub fn same_default_sql(a: &str, b: &str) -> bool {
    fn normal(text: &str) -> String {
        let mut t: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        while t.len() >= 2 && t.starts_with('(') && t.ends_with(')') {
            t = t[1..t.len() - 1].to_string();
        }
        // `current_timestamp(6)`: a precision that the column's own type sets.
        let bare = match t.split_once('(') {
            Some((name, rest))
                if rest
                    .trim_end_matches(')')
                    .chars()
                    .all(|c| c.is_ascii_digit()) =>
            {
                name
            }
            _ => t.as_str(),
        };
        match bare {
            "now" | "current_timestamp" => "now()".to_string(),
            _ => t,
        }
    }
    normal(a) == normal(b)
}

/// `'x''y'` → `x'y`; `(-1)` → `-1`; `NULL` → none. An expression
/// (`CURRENT_TIMESTAMP`, `now()`) is none too: `read_default_sql` reads it.
pub(crate) fn unquote_default(live: &str) -> Option<String> {
    let mut text = live.trim();
    while text.len() >= 2 && text.starts_with('(') && text.ends_with(')') {
        text = text[1..text.len() - 1].trim();
    }
    if let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        return Some(inner.replace("''", "'"));
    }
    let literal = text.parse::<f64>().is_ok()
        || text.eq_ignore_ascii_case("true")
        || text.eq_ignore_ascii_case("false");
    literal.then(|| text.to_string())
}

/// The CHAR(n)/VARCHAR(n) length that holds every value of an enum.
pub(crate) fn enum_length(values: &[String]) -> usize {
    values
        .iter()
        .map(|v| v.chars().count())
        .max()
        .unwrap_or(1)
        .max(1)
}

/// The type a live column declared as `name` is on `dialect`, as
/// reflection maps it and `db diff` compares it. A type none of ormsh's is
/// read as its text where the driver would hand over its wire form (the
/// servers); SQLite stores values whatever a column declares, so there a
/// `YEAR` is a number and an unknown name is text.
pub fn reflected_type(name: &str, dialect: &dyn Dialect) -> ColumnType {
    match ColumnType::known_sql_name(name) {
        Some(ty) if dialect.lacks(&ty).is_none() => ty,
        Some(ColumnType::Year) => ColumnType::Integer,
        Some(_) => ColumnType::Text,
        None => {
            let other = ColumnType::Other(name.to_string());
            if dialect.read_wrapped(&other).is_some() {
                other
            } else {
                ColumnType::Text
            }
        }
    }
}
