//! The SQL toolkit: values, column types, expression and statement trees, the
//! compiler, and one dialect per database. Knows nothing of the layers above.

pub mod anon;
pub mod coerce;
pub mod compiler;
pub mod dialect;
pub mod expr;
pub mod interval;
pub mod introspect;
pub mod raw;
pub mod statement;
pub mod types;
pub mod value;

pub use compiler::{Bind, Compiled, compile, compile_insert};
pub use dialect::Dialect;
pub use expr::{BinaryOp, ColumnRef, Expr};
pub use statement::*;
pub use types::ColumnType;
pub use value::Value;
