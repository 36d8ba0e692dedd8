//! The ORM: the model registry, instances and their states, the session
//! (identity map, unit of work), queries and loading. A Rust API that needs
//! no Rhai: `script` adapts it for the shell.

mod batch_update;
pub mod column_flags;
pub mod drift;
mod eager;
pub mod engines;
mod flush;
mod identity;
mod insert;
mod insert_log;
pub mod instance;
pub mod model;
pub mod naming;
pub mod pagination;
mod post_update;
pub mod query;
pub mod raw;
pub mod reflect;
pub mod reflect_names;
mod relations;
mod resolve;
pub mod results;
pub mod schema;
pub mod secondary;
pub mod session;
mod transaction;

pub use engines::Engines;
pub use instance::{Collection, Instance, ObjectState, Related};
pub use model::{
    Column, Direction, ForeignKey, Lazy, Mapper, ModelDecl, Registry, RelationshipDecl,
};
pub use pagination::{PageItems, PageRequest, Pagination};
pub use query::{LoadOption, Query};
pub use results::RowSet;
pub use session::{Attr, Session, default_repr};
pub use transaction::{Savepoint, WriteKind};
