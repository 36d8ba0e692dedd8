//! One operation of a revision, as read from its `op.*` call: what the
//! reader (`ops.rs`, `bulk.rs`) makes and the planner (`ddl.rs`, `batch.rs`)
//! turns into SQL.

use super::items::{Col, Constraint, Fk};
use crate::sql::{ColumnType, ServerDefault, Value};

/// One operation, at its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub line: usize,
    pub kind: OpKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OpKind {
    CreateTable {
        table: String,
        columns: Vec<Col>,
        constraints: Vec<Constraint>,
    },
    DropTable(String),
    AddColumn {
        table: String,
        column: Col,
    },
    DropColumn {
        table: String,
        column: String,
    },
    AlterColumn(AlterColumn),
    CreateIndex {
        name: String,
        table: String,
        columns: Vec<String>,
        unique: bool,
    },
    DropIndex {
        name: String,
        table: Option<String>,
    },
    CreateForeignKey {
        table: String,
        key: Fk,
    },
    CreateUnique {
        name: Option<String>,
        table: String,
        columns: Vec<String>,
    },
    CreateCheck {
        name: Option<String>,
        table: String,
        condition: String,
    },
    DropConstraint {
        name: String,
        table: String,
        kind: Option<String>,
    },
    RenameTable {
        old: String,
        new: String,
    },
    Execute(String),
    BulkInsert {
        table: String,
        columns: Vec<(String, ColumnType)>,
        rows: Vec<Vec<(String, Value)>>,
    },
    /// `with op.get_context().autocommit_block():` and its operations,
    /// run outside the revision's transaction: what ran before them is
    /// committed first, and a new transaction begins after them (what
    /// PostgreSQL needs before a value `ALTER TYPE .. ADD VALUE` added can
    /// be used).
    Autocommit(Vec<Op>),
    /// `with op.batch_alter_table(table) as batch_op:` and its operations.
    Batch {
        table: String,
        ops: Vec<Op>,
        /// `naming_convention=`: (kind, template) for the rebuild's reading
        /// of unnamed constraints.
        naming_convention: Vec<(String, String)>,
    },
}

/// `op.alter_column(..)`: what changes (`Some`) and what the column is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlterColumn {
    pub table: String,
    pub column: String,
    pub nullable: Option<bool>,
    pub type_: Option<ColumnType>,
    /// `Some(None)`: drop the default.
    pub server_default: Option<Option<ServerDefault>>,
    pub new_name: Option<String>,
    pub existing_type: Option<ColumnType>,
    pub existing_nullable: Option<bool>,
    pub existing_server_default: Option<ServerDefault>,
}
