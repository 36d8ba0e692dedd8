//! The ORM: the model registry, instances and their states, the session
//! (identity map, unit of work), queries and loading. A Rust API that needs
//! no Rhai: `script` adapts it for the shell.
//!
//! The folders, from the ground up: `mapping` (what the models say),
//! `state` (instances and the identity map), `session` (the facade and its
//! transaction), `query` (queries and loaders), `flush` (the unit of work),
//! `schema` (DDL, drift and reflection against the live database).

pub mod flush;
pub mod mapping;
pub mod query;
pub mod schema;
pub mod session;
pub mod state;

pub use mapping::association::TableDecl;
pub use mapping::model::{
    Column, Direction, ForeignKey, Lazy, Mapper, ModelDecl, Registry, RelationshipDecl,
};
pub use query::model_query::{LoadOption, Query};
pub use query::pagination::{PageItems, PageRequest, Pagination};
pub use query::results::RowSet;
pub use session::engines::Engines;
pub use session::transaction::{Savepoint, WriteKind};
pub use session::{Attr, Session, default_repr};
pub use state::instance::{Collection, Instance, ObjectState, Related};
