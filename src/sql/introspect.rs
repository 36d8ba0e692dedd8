//! What a live table looks like, as the database describes it: the plain
//! data that introspection fills in, the same for every dialect. Each dialect
//! supplies queries that return these shapes.

/// One column of a live table.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnInfo {
    pub name: String,
    /// The database's own spelling of the type (`character varying(80)`, `int(11)`, `VARCHAR(80)`).
    pub type_name: String,
    pub nullable: bool,
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKeyInfo {
    pub name: String,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    /// The actions, as the database spells them; `None` for no action
    /// (`NO ACTION`, and `RESTRICT`, which MariaDB reports for none said).
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndexInfo {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
}

/// A live table: columns in table order, primary key in key order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableInfo {
    pub name: String,
    pub columns: Vec<ColumnInfo>,
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKeyInfo>,
    pub indexes: Vec<IndexInfo>,
}

/// What one placeholder of an introspection query is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The table's name (`? IS NULL OR table = ?`: NULL for every table,
    /// so a whole schema is one query per kind of fact).
    Table,
    /// The schemas to read besides the search path (PostgreSQL) or the
    /// current database (MySQL), joined by commas (NULL for none); `*` for
    /// every schema but the system's.
    Schemas,
}

/// One introspection query and what its placeholders are bound to, in
/// order. A table outside the current schema is named `schema.table`.
#[derive(Debug, Clone, Copy)]
pub struct Query {
    pub sql: &'static str,
    pub slots: &'static [Slot],
}

/// The introspection queries of one dialect. Each returns rows that start
/// with the table's name, then the documented shape.
#[derive(Debug, Clone, Copy)]
pub struct IntrospectionSql {
    /// (name): the tables, in name order.
    pub tables: Query,
    /// (name, type, nullable 0/1, default or NULL, position in the primary key or 0), in table order.
    pub columns: Query,
    /// (constraint name, column, referenced table, referenced column, on
    /// delete, on update: the action's name), in key order.
    pub foreign_keys: Query,
    /// (index name, column, unique 0/1), primary key excluded, in index order.
    pub indexes: Query,
}

/// The table part of a name that may be qualified (`person.address` →
/// `address`): for names made from a table's (model names, aliases).
pub fn unqualified(table: &str) -> &str {
    table.split_once('.').map_or(table, |(_, name)| name)
}
