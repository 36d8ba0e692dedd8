//! Queries as plain data, the loaders that run them (lazy, joined and
//! select-in loads, relationship attributes), their results and pages.

mod dynamic;
pub(crate) mod eager;
pub mod model_query;
pub mod pagination;
pub mod raw;
pub(crate) mod relations;
pub mod results;

pub use crate::orm::mapping::model::column_of;
