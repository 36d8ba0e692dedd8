//! The unit of work: what a flush writes, in which order, and how (inserts
//! in batches, updates of many rows, the post-update of a cycle).

pub(crate) mod association_rows;
pub(crate) mod batch_update;
pub(crate) mod eager_defaults;
pub(crate) mod generated_values;
pub(crate) mod insert;
pub(crate) mod joined_tables;
pub(crate) mod post_update;
pub(crate) mod unit_of_work;

use std::ops::Deref;

use crate::error::Error;
use crate::orm::loading::Loader;
use crate::orm::mapping::model::Mapper;
use crate::orm::state::instance::{Instance, default_repr};

/// A session's state seen by a flush: the steps of a flush are its
/// methods, and it reaches the loaders (the children a cascade deletes, a
/// row read again) and through them the state by `Deref`.
pub(crate) struct UnitOfWork<'s>(pub Loader<'s>);

impl<'s> Deref for UnitOfWork<'s> {
    type Target = Loader<'s>;

    fn deref(&self) -> &Loader<'s> {
        &self.0
    }
}

/// Name the object a failed statement was writing.
pub(crate) fn flush_error(err: Error, doing: &str, batch: &[Instance], mapper: &Mapper) -> Error {
    let which = if batch.len() == 1 {
        default_repr(&batch[0])
    } else {
        format!("{} {} rows", batch.len(), mapper.name)
    };
    match err {
        Error::Database { message, code } => Error::Database {
            message: format!("{message} (while {doing} {which})"),
            code,
        },
        other => other,
    }
}
