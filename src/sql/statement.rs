//! Statement trees: SELECT, INSERT, UPDATE, DELETE and the DDL that
//! `create_all`/`drop_all` send. Plain data; `compiler` turns them into SQL.

use super::expr::Expr;
use super::types::ColumnType;
use super::value::Value;

/// A table in a FROM or JOIN, optionally under an alias; or, with
/// `subquery`, `(SELECT ..) AS alias`. A name or alias made by
/// `anon::anonymous` is numbered when the statement is compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRef {
    pub name: String,
    pub alias: Option<String>,
    pub subquery: Option<Box<Select>>,
    /// Tables joined to it inside parentheses, `(a JOIN b ON ..)`: a row
    /// that spans tables (joined-table inheritance), read whole by an
    /// outer join.
    pub nested: Vec<Join>,
}

impl TableRef {
    pub fn new(name: &str) -> Self {
        TableRef {
            name: name.to_string(),
            alias: None,
            subquery: None,
            nested: Vec::new(),
        }
    }

    /// `table AS alias`.
    pub fn aliased(name: &str, alias: &str) -> Self {
        TableRef {
            alias: Some(alias.to_string()),
            ..TableRef::new(name)
        }
    }

    /// `(SELECT ..) AS alias`.
    pub fn subquery(select: Select, alias: &str) -> Self {
        TableRef {
            name: alias.to_string(),
            alias: Some(alias.to_string()),
            subquery: Some(Box::new(select)),
            nested: Vec::new(),
        }
    }

    /// `(this JOIN joined ON ..)`: `joins` read inside parentheses with it.
    pub fn with_nested(mut self, joins: Vec<Join>) -> Self {
        self.nested = joins;
        self
    }
}

/// `WITH name AS (SELECT ..)`: a common table expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Cte {
    pub name: String,
    pub select: Select,
    /// Its SELECT reads the CTE itself (`WITH RECURSIVE`).
    pub recursive: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    pub table: TableRef,
    pub on: Expr,
    pub outer: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Select {
    /// `WITH ..` before the SELECT.
    pub ctes: Vec<Cte>,
    /// This SELECT is a `UNION` (or another set operation) of others: the
    /// rest of its fields are unused (a union read as a subquery).
    pub compound: Option<Box<Compound>>,
    pub distinct: bool,
    pub columns: Vec<Expr>,
    pub from: Option<TableRef>,
    /// `FROM (SELECT ..) AS alias`, used instead of `from` (counting a limited query).
    pub from_subquery: Option<(Box<Select>, String)>,
    pub joins: Vec<Join>,
    pub filter: Option<Expr>,
    pub group_by: Vec<Expr>,
    pub having: Option<Expr>,
    pub order_by: Vec<Expr>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// `UNION`, `UNION ALL`, `INTERSECT`, `EXCEPT` (and their `ALL` forms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    Union,
    UnionAll,
    Intersect,
    IntersectAll,
    Except,
    ExceptAll,
}

impl SetOp {
    pub fn sql(self) -> &'static str {
        match self {
            SetOp::Union => " UNION ",
            SetOp::UnionAll => " UNION ALL ",
            SetOp::Intersect => " INTERSECT ",
            SetOp::IntersectAll => " INTERSECT ALL ",
            SetOp::Except => " EXCEPT ",
            SetOp::ExceptAll => " EXCEPT ALL ",
        }
    }
}

/// SELECTs joined by one set operator, then ordered and limited as a
/// whole; `order_by` names the result's columns (a `ColumnRef` with no
/// table is written bare).
#[derive(Debug, Clone, PartialEq)]
pub struct Compound {
    pub op: SetOp,
    pub members: Vec<Select>,
    pub order_by: Vec<Expr>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// One row of an INSERT: a value per column, with the column's type.
#[derive(Debug, Clone, PartialEq)]
pub struct Insert {
    pub table: String,
    pub columns: Vec<(String, ColumnType)>,
    pub rows: Vec<Vec<Value>>,
    /// Columns to read back (generated keys); used where the dialect supports RETURNING.
    pub returning: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub table: String,
    pub assignments: Vec<(String, Expr)>,
    pub filter: Option<Expr>,
    /// Columns to read back from the rows changed (`update(..).returning(..)`);
    /// the caller checks `Dialect::supports_update_returning` first.
    pub returning: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Delete {
    pub table: String,
    pub filter: Option<Expr>,
    /// Columns to read back from the rows deleted (`delete(..).returning(..)`);
    /// the caller checks `Dialect::supports_delete_returning` first.
    pub returning: Vec<String>,
}

/// What the database fills in for a column an INSERT leaves out.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerDefault {
    /// A value, written as a literal (`DEFAULT 'draft'`).
    Value(Value),
    /// SQL written as it stands (`DEFAULT CURRENT_TIMESTAMP`, `now()`):
    /// `db.text(..)` in a models file, or a live default that is an
    /// expression. DDL takes no binds; this text comes from the models file
    /// or the database, never from a value typed at the prompt.
    Sql(String),
}

impl ServerDefault {
    /// As a models file and a message spell it: `'draft'`, `db.text("now()")`.
    pub fn repr(&self) -> String {
        match self {
            ServerDefault::Value(v) => v.repr(),
            ServerDefault::Sql(sql) => format!("db.text({sql:?})"),
        }
    }
}

/// A column as CREATE TABLE declares it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDdl {
    pub name: String,
    pub ty: ColumnType,
    pub nullable: bool,
    /// The single integer primary key that the database numbers itself.
    pub autoincrement: bool,
    pub unique: bool,
    pub server_default: Option<ServerDefault>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKeyDdl {
    /// `CONSTRAINT name`; `None` leaves the name to the database.
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    /// `ON DELETE ..` / `ON UPDATE ..`, when the models say one.
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
}

/// A table-level constraint of CREATE TABLE, as the models declare it.
#[derive(Debug, Clone, PartialEq)]
pub enum TableConstraintDdl {
    Unique {
        name: Option<String>,
        columns: Vec<String>,
    },
    /// The models' SQL, written as it stands (as SQLAlchemy's `CheckConstraint`).
    Check {
        name: Option<String>,
        sql: String,
    },
    ForeignKey(ForeignKeyDdl),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CreateTable {
    pub name: String,
    pub columns: Vec<ColumnDdl>,
    pub primary_key: Vec<String>,
    /// `CONSTRAINT name PRIMARY KEY (..)`.
    pub primary_key_name: Option<String>,
    /// The declared constraints, in declaration order, after the primary
    /// key and before the columns' own (as SQLAlchemy orders them).
    pub constraints: Vec<TableConstraintDdl>,
    /// The columns' foreign keys.
    pub foreign_keys: Vec<ForeignKeyDdl>,
    pub if_not_exists: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CreateIndex {
    pub name: String,
    pub table: String,
    pub columns: Vec<String>,
    pub unique: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DropTable {
    pub name: String,
    pub if_exists: bool,
}

/// `CREATE TYPE mood AS ENUM ('happy', 'sad')` (PostgreSQL).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateEnumType {
    pub name: String,
    pub values: Vec<String>,
}

/// `DROP TYPE IF EXISTS mood` (PostgreSQL).
#[derive(Debug, Clone, PartialEq)]
pub struct DropEnumType {
    pub name: String,
}

/// `ALTER TABLE t ADD COLUMN ..`.
#[derive(Debug, Clone, PartialEq)]
pub struct AddColumn {
    pub table: String,
    pub column: ColumnDdl,
}

/// What one `ALTER TABLE .. ALTER COLUMN` changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnChange {
    Type,
    Nullability,
    Default,
}

/// Bring one existing column in line with `column` (the whole declaration,
/// because some databases restate the column to change any part of it).
#[derive(Debug, Clone, PartialEq)]
pub struct AlterColumn {
    pub table: String,
    pub column: ColumnDdl,
    pub change: ColumnChange,
}

/// `ALTER TABLE t ADD CONSTRAINT name FOREIGN KEY ..`.
#[derive(Debug, Clone, PartialEq)]
pub struct AddForeignKey {
    pub table: String,
    pub name: String,
    pub key: ForeignKeyDdl,
}

/// `ALTER TABLE t DROP CONSTRAINT name` (MySQL: `DROP FOREIGN KEY`).
#[derive(Debug, Clone, PartialEq)]
pub struct DropForeignKey {
    pub table: String,
    pub name: String,
}

/// Any statement the compiler can write.
// Statements live for one compile; boxing the large SELECT would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    Select(Select),
    Compound(Compound),
    Insert(Insert),
    Update(Update),
    Delete(Delete),
    CreateTable(CreateTable),
    CreateIndex(CreateIndex),
    DropTable(DropTable),
    CreateEnumType(CreateEnumType),
    DropEnumType(DropEnumType),
    AddColumn(AddColumn),
    AlterColumn(AlterColumn),
    AddForeignKey(AddForeignKey),
    DropForeignKey(DropForeignKey),
}
