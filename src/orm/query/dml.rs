//! SQLAlchemy 2.0's `insert(User)`, `update(User)` and `delete(User)` as
//! plain data: the model, the rows or assignments, the filters (kept in a
//! `Query`, as the bulk statements of `Model.query` keep theirs), and what
//! `returning(..)` reads back. Running them is the session's
//! (`Session::execute_write`).

use std::rc::Rc;

use crate::error::{Error, Result};
use crate::orm::mapping::model::Mapper;
use crate::orm::query::model_query::Query;
use crate::orm::query::select::Entity;
use crate::sql::{Expr, Value};

/// What a write statement is.
#[derive(Debug, Clone)]
pub enum WriteKind {
    /// Rows of (attribute name, value).
    Insert(Vec<Vec<(String, Value)>>),
    /// (attribute name, what to set it to) on every matching row: a value
    /// (`Expr::Bind`), or an expression of the row (`User.visits + 1`).
    Update(Vec<(String, Expr)>),
    Delete,
}

/// `insert(User).values(..)`, `update(User).where(..).values(..)`,
/// `delete(User).where(..)`.
#[derive(Debug, Clone)]
pub struct WriteStatement {
    pub(crate) kind: WriteKind,
    /// The model, and for update/delete the filters.
    pub(crate) query: Query,
    pub(crate) returning: Vec<Entity>,
}

impl WriteStatement {
    pub fn insert(mapper: Rc<Mapper>) -> WriteStatement {
        WriteStatement {
            kind: WriteKind::Insert(Vec::new()),
            query: Query::new(mapper),
            returning: Vec::new(),
        }
    }

    pub fn update(mapper: Rc<Mapper>) -> WriteStatement {
        WriteStatement {
            kind: WriteKind::Update(Vec::new()),
            query: Query::new(mapper),
            returning: Vec::new(),
        }
    }

    pub fn delete(mapper: Rc<Mapper>) -> WriteStatement {
        WriteStatement {
            kind: WriteKind::Delete,
            query: Query::new(mapper),
            returning: Vec::new(),
        }
    }

    pub fn mapper(&self) -> &Rc<Mapper> {
        self.query.mapper()
    }

    pub fn query(&self) -> &Query {
        &self.query
    }

    /// `insert`, `update` or `delete`, as the statement is written.
    pub fn verb(&self) -> &'static str {
        match self.kind {
            WriteKind::Insert(_) => "insert",
            WriteKind::Update(_) => "update",
            WriteKind::Delete => "delete",
        }
    }

    /// Whether it touches every row of the table (an update or delete with no filter).
    pub fn is_unfiltered(&self) -> bool {
        !matches!(self.kind, WriteKind::Insert(_)) && self.query.is_unfiltered()
    }

    /// `.values(#{..})`: for an insert, one more row (several calls add
    /// rows); for an update, the columns to set (a later value for a
    /// column replaces an earlier one). Names are checked against the model.
    pub fn values(mut self, rows: Vec<Vec<(String, Value)>>) -> Result<WriteStatement> {
        let mapper = self.query.mapper().clone();
        for row in &rows {
            for (name, _) in row {
                if mapper.column_index(name).is_none() {
                    return Err(crate::orm::query::model_query::unknown_column(
                        &mapper, name,
                    ));
                }
            }
        }
        match &mut self.kind {
            WriteKind::Insert(existing) => existing.extend(rows),
            WriteKind::Update(set) => {
                for (name, value) in rows.into_iter().flatten() {
                    set.retain(|(n, _)| n != &name);
                    set.push((name, Expr::Bind(value, None)));
                }
            }
            WriteKind::Delete => {
                return Err(Error::invalid(
                    "delete() takes no values(): db.delete(Model).where(..)",
                ));
            }
        }
        Ok(self)
    }

    /// `.values(#{ visits: User.visits + 1 })`: an update's column set to an
    /// expression of the row (an insert takes values only).
    pub fn set_expr(mut self, name: String, expr: Expr) -> Result<WriteStatement> {
        let mapper = self.query.mapper().clone();
        if mapper.column_index(&name).is_none() {
            return Err(crate::orm::query::model_query::unknown_column(
                &mapper, &name,
            ));
        }
        match &mut self.kind {
            WriteKind::Update(set) => {
                set.retain(|(n, _)| n != &name);
                set.push((name, expr));
                Ok(self)
            }
            _ => Err(Error::invalid(format!(
                "{}(): `{name}` is given an expression; only an update sets a column to an expression of the row, an insert takes values",
                self.verb()
            ))),
        }
    }

    /// `.where(..)` / `.filter_by(..)`: the rows an update or delete touches.
    pub fn refine(mut self, f: impl FnOnce(Query) -> Result<Query>) -> Result<WriteStatement> {
        if matches!(self.kind, WriteKind::Insert(_)) {
            return Err(Error::invalid(
                "an insert has no where(): db.insert(Model).values(#{..})",
            ));
        }
        self.query = f(self.query)?;
        Ok(self)
    }

    /// `.returning(User.id, ..)` or `.returning(User)`: columns of the
    /// statement's own model, read back from the rows written.
    pub fn returning(mut self, entities: Vec<Entity>) -> Result<WriteStatement> {
        let mapper = self.query.mapper().clone();
        for e in &entities {
            let ok = match e {
                Entity::Model(m) => m.index == mapper.index,
                Entity::Column {
                    expr: Expr::Column(c),
                    ..
                } => {
                    c.table == mapper.table
                        && mapper.columns.iter().any(|col| col.db_name == c.column)
                }
                Entity::Column { .. } | Entity::Alias(_) => false,
            };
            if !ok {
                return Err(Error::invalid(format!(
                    "returning() takes {} or its columns (such as {}.{}); ormsh returns no other expression",
                    mapper.name, mapper.name, mapper.columns[0].name
                )));
            }
        }
        self.returning.extend(entities);
        Ok(self)
    }

    /// The database column names `returning` reads, with for each entity
    /// where its columns start.
    pub(crate) fn returning_columns(&self) -> (Vec<String>, Vec<usize>) {
        let mapper = self.query.mapper();
        let mut names = Vec::new();
        let mut offsets = Vec::new();
        for e in &self.returning {
            offsets.push(names.len());
            match e {
                Entity::Model(_) => names.extend(mapper.columns.iter().map(|c| c.db_name.clone())),
                Entity::Column {
                    expr: Expr::Column(c),
                    ..
                } => names.push(c.column.clone()),
                Entity::Column { .. } | Entity::Alias(_) => {}
            }
        }
        (names, offsets)
    }
}
