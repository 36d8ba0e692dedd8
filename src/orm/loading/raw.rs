//! Hand-written SQL on the session (`db.execute`, `db.session.execute`,
//! `.sql`): run (after the session flushed) inside the session's transaction on the
//! default database, as SQLAlchemy's `Session.execute(text(..))`.

use crate::error::Result;
use crate::orm::loading::Loader;
use crate::orm::loading::results::RowSet;
use crate::sql::raw::{RawParams, prepare, returns_rows};

/// What a hand-written statement gave back.
#[derive(Debug, Clone)]
pub enum RawOutcome {
    Rows(RowSet),
    /// A write: how many rows it touched.
    Written(u64),
}

impl Loader<'_> {
    /// Run `sql` with `params` bound to its placeholders.
    pub fn execute_raw(&self, sql: &str, params: &RawParams) -> Result<RawOutcome> {
        let engine = self.engines().default_engine()?;
        let stmt = prepare(sql, params, engine.dialect())?;
        if returns_rows(sql) {
            let (columns, rows) = self.failed_statement(engine.fetch_named(&stmt))?;
            return Ok(RawOutcome::Rows(RowSet { columns, rows }));
        }
        let result = self.failed_statement(engine.execute(&stmt))?;
        self.count_raw_write();
        Ok(RawOutcome::Written(result.rows_affected))
    }
}
