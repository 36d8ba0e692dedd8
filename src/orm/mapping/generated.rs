//! Values the ORM makes for a column at a flush, as SQLAlchemy's column
//! defaults: `default=` for a row inserted without the attribute,
//! `onupdate=` for a row the flush updates without setting the column.
//! Each is a literal, a clock Python reads (`datetime.utcnow`), code of the
//! models called once per row (a closure of the models file), or SQL the
//! database evaluates in the statement (`func.now()`), whose value is then
//! the database's and is read back on access.

use std::fmt;
use std::rc::Rc;

use crate::error::{Error, Result};
use crate::orm::mapping::column::DefaultFn;
use crate::sql::{ColumnType, Value};

/// Code of the models that makes one value, called once per row.
pub type CallFn = Rc<dyn Fn() -> Result<Value>>;

/// A callable default (`default: || ..` in a models file), with its text
/// when known (for `models dump` and messages).
#[derive(Clone)]
pub struct Callable {
    pub call: CallFn,
    pub source: Option<String>,
}

impl Callable {
    pub fn new(call: impl Fn() -> Result<Value> + 'static) -> Callable {
        Callable {
            call: Rc::new(call),
            source: None,
        }
    }
}

impl fmt::Debug for Callable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(text) => write!(f, "Callable({text})"),
            None => f.write_str("Callable"),
        }
    }
}

/// SQL that the database evaluates in the statement itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlValue {
    /// `func.now()`: the current timestamp, as each database spells it.
    Now,
}

/// How a value is made at a flush.
#[derive(Debug, Clone)]
pub enum Generated {
    Value(Value),
    Clock(DefaultFn),
    Call(Callable),
    Sql(SqlValue),
}

impl Generated {
    /// The value for one row of a column of type `ty`, or `None` for SQL
    /// that the statement carries (its value is the database's).
    pub fn value(&self, ty: &ColumnType) -> Result<Option<Value>> {
        Ok(match self {
            Generated::Value(v) => Some(v.clone()),
            Generated::Clock(f) => Some(f.value(ty)),
            Generated::Call(c) => Some(
                ty.coerce((c.call)()?)
                    .map_err(|e| Error::invalid(e.to_string()))?,
            ),
            Generated::Sql(_) => None,
        })
    }
}
