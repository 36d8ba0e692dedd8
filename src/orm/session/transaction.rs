//! The session's transaction calls that flush first: `commit`, the
//! savepoints of `begin_nested`, the real commit at the end of a run with
//! held commits, and `refresh`. The transaction's record, its rollback and
//! the SQL of each savepoint are `orm::state::transaction`.

use crate::error::{Error, Result};
use crate::orm::session::Session;
use crate::orm::state::instance::{Instance, ObjectState};
use crate::orm::state::transaction_record::Savepoint;

impl Session {
    /// Flush, then commit every database (with held commits: mark the
    /// point with a savepoint instead).
    pub fn commit(&self) -> Result<()> {
        self.flush()?;
        self.commit_flushed()
    }

    /// `db.session.begin_nested()`: flush, then a savepoint on every database.
    pub fn begin_nested(&self) -> Result<Savepoint> {
        self.flush()?;
        self.open_savepoint()
    }

    /// Keep what was done since the savepoint (it commits with the transaction).
    pub fn commit_nested(&self, savepoint: &Savepoint) -> Result<()> {
        self.savepoint_is_open(savepoint)?;
        self.flush()?;
        self.release_savepoint(savepoint)
    }

    /// The real commit at the end of a run with held commits: what the
    /// held commits kept. Work after the last of them is rolled back first.
    pub fn commit_held(&self) -> Result<()> {
        if self.uncommitted_changes() > 0 {
            self.rollback()?;
        }
        let held = self.holds_commits();
        self.set_hold_commits(false);
        let result = self.commit();
        self.set_hold_commits(held);
        result
    }

    /// Read the object's row again now.
    pub fn refresh(&self, obj: &Instance) -> Result<()> {
        if obj.state() != ObjectState::Persistent {
            return Err(Error::Session(format!(
                "{} is {}: only a persistent object can be refreshed",
                self.describe(obj),
                obj.state().name()
            )));
        }
        obj.expire();
        self.loader().load_expired(obj)
    }
}
