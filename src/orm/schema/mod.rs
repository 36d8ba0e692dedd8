//! The models against the live database: DDL (`create_all`, `drop_all`),
//! drift and the DDL that repairs it, and reflection of tables into models.

pub mod ddl;
pub mod ddl_foreign_keys;
pub mod drift;
pub mod drift_constraints;
pub mod drift_extras;
pub mod drift_sql;
pub mod reflect;
pub mod reflect_binds;
pub mod reflect_names;

pub use ddl::create_statements;

use std::ops::Deref;

use crate::orm::state::session_state::SessionState;

/// A session's state seen by the schema work: its registry and databases.
pub(crate) struct Schema<'s>(pub &'s SessionState);

impl Deref for Schema<'_> {
    type Target = SessionState;

    fn deref(&self) -> &SessionState {
        self.0
    }
}
