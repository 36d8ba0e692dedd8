//! The unit of work: what a flush writes, in which order, and how (inserts
//! in batches, updates of many rows, the post-update of a cycle).

pub(crate) mod batch_update;
pub(crate) mod insert;
pub(crate) mod insert_log;
pub(crate) mod post_update;
pub(crate) mod unit_of_work;
