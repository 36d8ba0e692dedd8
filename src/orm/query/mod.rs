//! Queries as plain data: what `Model.query` chains build, and SQLAlchemy
//! 2.0's `select(..)`, `insert/update/delete(..)` over them; compiled to SQL
//! by `orm::loading` when they run.

pub mod alias;
pub mod compound;
pub mod dml;
pub mod joins;
pub mod model_query;
pub mod relationship_filters;
pub mod select;
pub mod subquery;

pub use crate::orm::mapping::model::column_of;
