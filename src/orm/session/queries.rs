//! The session's query entry points: each autoflushes (when autoflush is
//! on) and hands the query to its loader in `orm::loading`; hand-written SQL
//! flushes first.

use std::rc::Rc;

use crate::error::Result;
use crate::orm::loading::raw::RawOutcome;
use crate::orm::loading::results::{Held, RowSet};
use crate::orm::mapping::model::Mapper;
use crate::orm::query::model_query::Query;
use crate::orm::session::Session;
use crate::orm::state::instance::Instance;
use crate::sql::raw::RawParams;
use crate::sql::{Compiled, Value};

impl Session {
    /// The compiled SELECT of a query, as `q.sql()` shows it.
    pub fn compile_query(&self, query: &Query) -> Result<Compiled> {
        self.loader().compile_query(query)
    }

    /// `q.all()`: the objects, each row once, with eager loads done.
    pub fn all(&self, query: &Query) -> Result<Vec<Instance>> {
        self.autoflush()?;
        self.loader().all(query)
    }

    /// `q.first()`.
    pub fn first(&self, query: &Query) -> Result<Option<Instance>> {
        self.autoflush()?;
        self.loader().first(query)
    }

    /// `q.one()`: exactly one row, or an error saying which way it was not.
    pub fn one(&self, query: &Query) -> Result<Instance> {
        self.autoflush()?;
        self.loader().one(query)
    }

    /// `q.one_or_none()`.
    pub fn one_or_none(&self, query: &Query) -> Result<Option<Instance>> {
        self.autoflush()?;
        self.loader().one_or_none(query)
    }

    /// `q.count()`.
    pub fn count(&self, query: &Query) -> Result<i64> {
        self.autoflush()?;
        self.loader().count(query)
    }

    /// Whether any row of the query matches (the answer of
    /// `db.session.query(q.exists()).scalar()`, for the Rust API).
    pub fn exists(&self, query: &Query) -> Result<bool> {
        self.autoflush()?;
        self.loader().exists(query)
    }

    /// `q.explain()`: the database's plan for the query, as rows.
    pub fn explain(&self, query: &Query, analyze: bool) -> Result<RowSet> {
        self.autoflush()?;
        self.loader().explain(query, analyze)
    }

    /// `q.get(pk)` / `db.session.get(Model, pk)`: the identity map first;
    /// only when it has no answer, an autoflush and one SELECT.
    pub fn get(&self, mapper: &Rc<Mapper>, pk: Vec<Value>) -> Result<Option<Instance>> {
        self.get_with(&Query::new(mapper.clone()), pk)
    }

    /// `db.session.get(Model, pk, options=[..])`: as `get`, and when a
    /// SELECT is needed it is `base`'s, so its loader options apply (an
    /// object already held is answered as it is, as SQLAlchemy does).
    pub fn get_with(&self, base: &Query, pk: Vec<Value>) -> Result<Option<Instance>> {
        match self.loader().get_held(base.mapper(), pk)? {
            Held::Answered(found) => Ok(found),
            Held::Load(key) => {
                self.autoflush()?;
                self.loader().get_by_key(base, &key)
            }
        }
    }

    /// Rows of plain values: `with_entities(..)`, or the model's columns.
    pub fn rows(&self, query: &Query) -> Result<RowSet> {
        self.autoflush()?;
        self.loader().rows(query)
    }

    /// The rows of `query` handed to `each` as they arrive, never held.
    /// Returns how many rows there were.
    pub fn stream_rows(
        &self,
        query: &Query,
        each: impl FnMut(Vec<Value>) -> Result<()>,
    ) -> Result<u64> {
        self.autoflush()?;
        self.loader().stream_rows(query, each)
    }

    /// Bulk `q.update(#{..})`: one UPDATE; loaded objects it touched are expired.
    pub fn bulk_update(&self, query: &Query, values: Vec<(String, Value)>) -> Result<u64> {
        self.autoflush()?;
        self.loader().bulk_update(query, values)
    }

    /// Bulk `q.delete()`: one DELETE; loaded objects it removed leave the session.
    pub fn bulk_delete(&self, query: &Query) -> Result<u64> {
        self.autoflush()?;
        self.loader().bulk_delete(query)
    }

    /// Run hand-written `sql` with `params` bound to its placeholders,
    /// after a flush, inside the session's transaction.
    pub fn execute_raw(&self, sql: &str, params: &RawParams) -> Result<RawOutcome> {
        self.flush()?;
        self.loader().execute_raw(sql, params)
    }
}
