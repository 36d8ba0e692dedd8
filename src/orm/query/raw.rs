//! Hand-written SQL on the session (`db.execute`, `db.session.execute`,
//! `.sql`): flushed first and run inside the session's transaction on the
//! default database, as SQLAlchemy's `Session.execute(text(..))`.

use crate::error::Result;
use crate::orm::query::results::RowSet;
use crate::orm::session::Session;
use crate::sql::raw::{RawParams, prepare, returns_rows};

/// What a hand-written statement gave back.
#[derive(Debug, Clone)]
pub enum RawOutcome {
    Rows(RowSet),
    /// A write: how many rows it touched.
    Written(u64),
}

impl Session {
    /// Run `sql` with `params` bound to its placeholders.
    pub fn execute_raw(&self, sql: &str, params: &RawParams) -> Result<RawOutcome> {
        self.flush()?;
        let engine = self.engines().default_engine();
        let stmt = prepare(sql, params, engine.dialect())?;
        if returns_rows(sql) {
            let (columns, rows) = self.failed_statement(engine.fetch_named(&stmt))?;
            return Ok(RawOutcome::Rows(RowSet { columns, rows }));
        }
        let result = self.failed_statement(engine.execute(&stmt))?;
        self.0.raw_writes.set(self.0.raw_writes.get() + 1);
        Ok(RawOutcome::Written(result.rows_affected))
    }
}
