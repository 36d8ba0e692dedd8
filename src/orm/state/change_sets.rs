//! The sets of objects a session's next flush looks at: pending (added),
//! changed, and marked for deletion. How objects move between them is
//! `changes.rs`.

use std::cell::RefCell;

use crate::orm::state::instance::Instance;

#[derive(Default)]
pub(super) struct Changes {
    /// Pending objects, in the order they were added.
    pub new: RefCell<Vec<Instance>>,
    /// Persistent objects with changes (or changed collections) to look at in the next flush.
    pub modified: RefCell<Vec<Instance>>,
    pub deleted: RefCell<Vec<Instance>>,
}
