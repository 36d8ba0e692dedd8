//! Queries as plain data: what `Model.query` chains build, compiled to SQL
//! by `orm::loading` when they run.

pub mod model_query;
pub mod relationship_filters;

pub use crate::orm::mapping::model::column_of;
