//! The models against the live database: DDL (`create_all`, `drop_all`),
//! drift, and reflection of tables into models.

pub mod ddl;
pub mod drift;
pub mod reflect;
pub mod reflect_names;

pub use ddl::create_statements;
