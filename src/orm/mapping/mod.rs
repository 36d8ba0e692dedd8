//! What the models say, with no runtime state: mappers, their columns and
//! relationships, association tables, and the names SQLAlchemy derives.

pub mod association;
mod back_populates;
pub mod column;
pub mod column_flags;
pub mod constraints;
pub(crate) mod declared_join;
pub mod generated;
pub mod inheritance;
pub mod join_condition;
pub mod loading;
pub mod model;
pub mod naming;
pub mod naming_convention;
pub(crate) mod resolve;
pub mod secondary;
