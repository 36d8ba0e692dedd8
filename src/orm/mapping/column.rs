//! A column as declared (`db.Column(..)`), and the foreign key it names.

use crate::error::{Error, Result};
use crate::sql::{ColumnType, Value};

/// `db.ForeignKey("user.id")`.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    pub table: String,
    pub column: String,
    /// `ondelete=` / `onupdate=`, as the database spells the action
    /// (`CASCADE`, `SET NULL`, `SET DEFAULT`, `RESTRICT`); `None`: none said.
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
    /// `name=`: the constraint's name; `None`: the database names it (or
    /// the metadata's naming convention does).
    pub name: Option<String>,
    /// Whether the unnamed keys of one table's columns to one other table
    /// are one composite key (a models file's way to declare one, and a
    /// live or `ForeignKeyConstraint` key read back per column); false for
    /// models.py's `ForeignKey`, each a constraint of its own, as in SQLAlchemy.
    pub merges: bool,
}

impl ForeignKey {
    /// Parse `table.column`.
    pub fn parse(target: &str) -> Result<ForeignKey> {
        match target.rsplit_once('.') {
            Some((table, column)) if !table.is_empty() && !column.is_empty() => Ok(ForeignKey {
                table: table.to_string(),
                column: column.to_string(),
                on_delete: None,
                on_update: None,
                name: None,
                merges: true,
            }),
            _ => Err(Error::invalid(format!(
                "ForeignKey(\"{target}\") must name a table and a column, like ForeignKey(\"user.id\")"
            ))),
        }
    }
}

/// `ondelete=`/`onupdate=` as the database spells it, or why it is refused.
pub fn referential_action(text: &str) -> Result<String> {
    let action = text.trim().to_ascii_uppercase();
    match action.as_str() {
        "CASCADE" | "SET NULL" | "SET DEFAULT" | "RESTRICT" | "NO ACTION" => Ok(action),
        _ => Err(Error::invalid(format!(
            "\"{text}\" is not a referential action; use CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION"
        ))),
    }
}

/// A column as declared (`db.Column(..)`).
#[derive(Debug, Clone)]
pub struct Column {
    /// The attribute name (`u.username`).
    pub name: String,
    /// The column name in the database (`name:` option), usually the same.
    pub db_name: String,
    pub ty: ColumnType,
    pub primary_key: bool,
    pub nullable: bool,
    pub unique: bool,
    pub index: bool,
    /// A foreign key column that gets an index of its own, as Django and
    /// Rails give one and as InnoDB makes anyway: `user.posts` is then a
    /// lookup, not a scan of every post. On in a models file unless the
    /// column says `index` either way; off in reflected models, which
    /// mirror the database as it is.
    pub index_foreign_key: bool,
    /// A Python-side default: filled in at INSERT when the attribute was never set.
    pub default: Option<Value>,
    pub server_default: Option<crate::sql::ServerDefault>,
    /// `None` is SQLAlchemy's "auto": a lone integer primary key numbers itself.
    pub autoincrement: Option<bool>,
    pub foreign_key: Option<ForeignKey>,
    /// The foreign key of a `post_update` relationship: written by an UPDATE
    /// after the row's INSERT (and cleared before its DELETE), so two tables
    /// that refer to each other can be ordered. Set by the registry.
    pub post_update: bool,
    /// A default the models compute in Python that ormsh cannot run (a
    /// models.py `default=` that is a function): an INSERT that leaves the
    /// column unset is refused with this message rather than guessed.
    pub default_refusal: Option<String>,
    /// A default computed per row at INSERT, as SQLAlchemy calls a Python
    /// default (`default=datetime.utcnow`).
    pub default_fn: Option<DefaultFn>,
    /// A default the models compute per row with their own code (a closure
    /// of the models file), called at the flush.
    pub default_call: Option<super::generated::Callable>,
    /// `onupdate=`: the value an UPDATE of the row writes when the flush
    /// updates it without this column being set.
    pub onupdate: Option<super::generated::Generated>,
    /// `server_onupdate=`: the database changes the column on UPDATE (a
    /// trigger, MySQL's ON UPDATE), so after one the value is expired and
    /// read again on access.
    pub server_onupdate: bool,
    /// `column_property(..)`: a read-only attribute whose value is this SQL
    /// expression, selected with the object's row. No table column holds
    /// it: DDL, INSERT and UPDATE leave it out, a flush of the object
    /// expires it, and setting it is refused.
    pub expression: Option<Box<crate::sql::Expr>>,
}

/// The Python defaults ormsh computes itself, each as Python computes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultFn {
    /// `datetime.utcnow`: the UTC wall time, naive.
    UtcNow,
    /// `datetime.now`: the local wall time, naive.
    LocalNow,
    /// `datetime.now(timezone.utc)`: the moment, in UTC.
    UtcNowAware,
}

impl DefaultFn {
    /// The value for one row, for a column of type `ty`.
    pub fn value(self, ty: &ColumnType) -> Value {
        let now = chrono::Utc::now();
        match (self, ty) {
            (DefaultFn::UtcNowAware, ColumnType::DateTimeTz) => {
                Value::DateTimeTz(now.fixed_offset())
            }
            (DefaultFn::LocalNow, _) => Value::DateTime(chrono::Local::now().naive_local()),
            // An aware moment in a column without a time zone keeps its
            // UTC wall time (the PostgreSQL case is checked at the flush).
            _ => Value::DateTime(now.naive_utc()),
        }
    }
}

impl Column {
    pub fn new(name: &str, ty: ColumnType) -> Column {
        Column {
            name: name.to_string(),
            db_name: name.to_string(),
            ty,
            primary_key: false,
            nullable: true,
            unique: false,
            index: false,
            index_foreign_key: false,
            default: None,
            server_default: None,
            autoincrement: None,
            foreign_key: None,
            post_update: false,
            default_refusal: None,
            default_fn: None,
            default_call: None,
            onupdate: None,
            server_onupdate: false,
            expression: None,
        }
    }

    /// `column_property(expression)`: the attribute `name` of type `ty`.
    pub fn computed(name: &str, expression: crate::sql::Expr, ty: ColumnType) -> Column {
        Column {
            expression: Some(Box::new(expression)),
            ..Column::new(name, ty)
        }
    }

    /// Whether it is a `column_property` (an expression, not a table column).
    pub fn is_computed(&self) -> bool {
        self.expression.is_some()
    }
}
