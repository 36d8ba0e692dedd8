//! The session's entry points for SQLAlchemy 2.0 statements
//! (`session.execute(select(..))`, `insert/update/delete(..)`, `get_one`):
//! each autoflushes first, as SQLAlchemy's `Session.execute` does, and
//! hands the statement to `orm::loading::statement`.

use std::rc::Rc;

use crate::error::{Error, Result};
use crate::orm::loading::statement::{StatementRows, WriteOutcome};
use crate::orm::mapping::model::Mapper;
use crate::orm::query::compound::CompoundStatement;
use crate::orm::query::dml::WriteStatement;
use crate::orm::query::select::SelectStatement;
use crate::orm::session::Session;
use crate::orm::state::instance::Instance;
use crate::sql::{Compiled, Value};

impl Session {
    /// `session.execute(select(..))`: every row, objects through the identity map.
    pub fn execute_select(&self, stmt: &SelectStatement) -> Result<StatementRows> {
        self.autoflush()?;
        self.loader().select_statement(stmt)
    }

    /// `session.execute(union(..))`: rows of values.
    pub fn execute_compound(&self, stmt: &CompoundStatement) -> Result<StatementRows> {
        self.autoflush()?;
        self.loader().compound_statement(stmt)
    }

    /// The SQL of `union(..)` and the like.
    pub fn compile_compound(&self, stmt: &CompoundStatement) -> Result<Compiled> {
        self.loader().compile_compound(stmt)
    }

    /// The SQL of a 2.0 select, as `stmt.sql()` shows it.
    pub fn compile_select(&self, stmt: &SelectStatement) -> Result<Compiled> {
        self.loader().compile_select_statement(stmt)
    }

    /// `session.execute(insert/update/delete(..))`, inside the session's
    /// transaction: written at once, kept only by a commit.
    pub fn execute_write(&self, stmt: &WriteStatement) -> Result<WriteOutcome> {
        self.autoflush()?;
        self.loader().write_statement(stmt)
    }

    /// The SQL of a write statement, as `stmt.sql()` shows it.
    pub fn compile_write(&self, stmt: &WriteStatement) -> Result<Compiled> {
        self.loader().compile_write(stmt)
    }

    /// `session.get_one(Model, pk)`: as `get`, an error where there is no such row.
    pub fn get_one(&self, mapper: &Rc<Mapper>, pk: Vec<Value>) -> Result<Instance> {
        let shown = pk.iter().map(Value::repr).collect::<Vec<_>>().join(", ");
        self.get(mapper, pk)?.ok_or_else(|| {
            Error::NoResult(format!(
                "get_one(): no {} with primary key {shown} (SQLAlchemy's NoResultFound: No row was found when one was required)",
                mapper.name
            ))
        })
    }
}
