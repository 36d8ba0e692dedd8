//! What a session holds at run time: instances of models and their states,
//! the identity map (one object per row), the changes waiting for the next
//! flush, and the open transaction's record with its savepoints. The loaders
//! and the unit of work act on it through `SessionState`'s methods.

pub mod attr;
pub(crate) mod change_sets;
pub(crate) mod changes;
pub mod engines;
pub(crate) mod identity;
pub(crate) mod insert_log;
pub mod instance;
pub mod listeners;
pub(crate) mod rows;
pub mod session_state;
pub mod transaction;
pub mod transaction_record;
pub mod writes;
