//! The ORM: the model registry, instances and their states, the session
//! (identity map, unit of work), queries and loading. A Rust API that needs
//! no Rhai: `script` adapts it for the shell.
//!
//! The folders, from the ground up: `mapping` (what the models say),
//! `query` (queries as plain data), `state` (what a session holds: objects,
//! the identity map, pending changes, the transaction and its savepoints),
//! `loading` (running queries and loading attributes), `flush` (the unit of
//! work), `schema` (DDL, drift and reflection against the live database),
//! and `session` (the facade over them all).

pub mod flush;
pub mod loading;
pub mod mapping;
pub mod query;
pub mod schema;
pub mod session;
pub mod state;

pub use loading::results::RowSet;
pub use loading::statement::{Cell, StatementRows, WriteOutcome};
pub use mapping::association::TableDecl;
pub use mapping::model::{
    Column, Constraint, ConstraintKind, Direction, ForeignKey, Lazy, Mapper, ModelDecl, Registry,
    RelationshipDecl,
};
pub use query::dml::WriteStatement;
pub use query::model_query::{LoadOption, Query};
pub use query::select::{Entity, SelectStatement};
pub use session::pagination::{PageItems, PageRequest, Pagination};
pub use session::{Attr, Session, default_repr};
pub use state::engines::Engines;
pub use state::instance::{Collection, Instance, ObjectState, Related};
pub use state::transaction_record::{Savepoint, WriteKind};
