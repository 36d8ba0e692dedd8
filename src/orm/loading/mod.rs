//! The loaders: running queries on a session's state into objects through
//! the identity map (`results`), eager loads (`eager`: joined in the same
//! SELECT, select-in as one IN query per batch), relationship attributes
//! loaded lazily (`relations`) and kept in step in memory (`mirror`), a
//! dynamic relationship written to (`dynamic`), attribute access
//! (`attributes`), SQLAlchemy 2.0 statements (`statement`), and hand-written SQL (`raw`). A loader never flushes: the
//! session's query entry points autoflush before they call one.

pub(crate) mod attributes;
pub(crate) mod dynamic;
pub(crate) mod eager;
mod mirror;
pub mod raw;
pub(crate) mod relations;
pub mod results;
pub mod statement;

use std::ops::Deref;

use crate::orm::state::session_state::SessionState;

/// A session's state seen by the loaders: every loader is a method of it,
/// and what the state offers (the identity map, the engines) it reaches
/// through `Deref`.
#[derive(Clone, Copy)]
pub(crate) struct Loader<'s>(pub &'s SessionState);

impl Deref for Loader<'_> {
    type Target = SessionState;

    fn deref(&self) -> &SessionState {
        self.0
    }
}
