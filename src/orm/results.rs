//! Running ORM queries on a session: objects through the identity map, eager
//! loads (joined: in the same SELECT; selectin/subquery: one IN query per
//! batch), scalar shortcuts, and bulk UPDATE/DELETE kept in step with the
//! objects already loaded.

use std::collections::HashMap;
use std::rc::Rc;

use super::instance::{Collection, Instance, Related};
use super::model::{Lazy, Mapper};
use super::query::{Query, column_of};
use super::session::Session;
use crate::error::{Error, Result};
use crate::sql::{ColumnType, Compiled, Delete, Expr, Statement, Update, Value, compile};

/// Parents per batch of an IN query (well inside every database's bind limit).
const SELECTIN_BATCH: usize = 500;

/// Rows of plain values with their column names (`with_entities`).
#[derive(Debug, Clone)]
pub struct RowSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Session {
    /// A statement the database refused inside a transaction leaves that
    /// transaction unusable on PostgreSQL: roll the session back and say so.
    pub(crate) fn failed_statement<T>(&self, result: Result<T>) -> Result<T> {
        match result {
            Err(Error::Database { message, code })
                if self.in_transaction()
                    && self
                        .engines()
                        .all()
                        .any(|(_, e)| e.dialect().error_aborts_transaction()) =>
            {
                let summary = self.pending_summary();
                let _ = self.rollback();
                let discarded = if summary.is_empty() {
                    String::new()
                } else {
                    format!(" (discarded: {summary})")
                };
                Err(Error::Database {
                    message: format!("{message}\nThe session was rolled back{discarded}."),
                    code,
                })
            }
            other => other,
        }
    }

    fn autoflush(&self) -> Result<()> {
        if self.0.autoflush.get() {
            self.flush()
        } else {
            Ok(())
        }
    }

    /// The compiled SELECT of a query, as `q.sql()` shows it.
    pub fn compile_query(&self, query: &Query) -> Result<Compiled> {
        let engine = self.engine_for(query.mapper())?;
        let (select, _, _) = query.to_select_with_eager(&self.registry());
        Ok(compile(&Statement::Select(select), engine.dialect()))
    }

    /// `q.all()`: the objects, each row once, with eager loads done.
    pub fn all(&self, query: &Query) -> Result<Vec<Instance>> {
        if query.returns_rows() {
            return Err(Error::invalid(
                "this query returns rows of values (with_entities): use rows()",
            ));
        }
        self.autoflush()?;
        let mapper = query.mapper().clone();
        let engine = self.engine_for(&mapper)?;
        let (select, types, joined) = query.to_select_with_eager(&self.registry());
        let compiled = compile(&Statement::Select(select), engine.dialect());
        let rows = self.failed_statement(engine.fetch(&compiled, &types))?;
        let width = mapper.columns.len();
        let mut out: Vec<Instance> = Vec::with_capacity(rows.len());
        let mut collections: HashMap<(usize, usize), Vec<Instance>> = HashMap::new();
        let mut seen: HashMap<usize, ()> = HashMap::new();
        for mut row in rows {
            let extra = if joined.is_empty() {
                Vec::new()
            } else {
                row.split_off(width)
            };
            let obj = self.instance_for_row(&mapper, row);
            let first_time = seen.insert(obj.address(), ()).is_none();
            for load in &joined {
                let slice =
                    &extra[load.offset - width..load.offset - width + load.target.columns.len()];
                let child = if load.target.primary_key.iter().all(|&p| slice[p].is_null()) {
                    None
                } else {
                    Some(self.instance_for_row(&load.target, slice.to_vec()))
                };
                if mapper.relationships[load.rel].uselist {
                    let list = collections.entry((obj.address(), load.rel)).or_default();
                    if let Some(child) = child
                        && !list.iter().any(|c| c.same(&child))
                    {
                        list.push(child);
                    }
                } else {
                    obj.set_related(load.rel, Related::One(child));
                }
            }
            if first_time {
                out.push(obj);
            }
        }
        for load in &joined {
            if mapper.relationships[load.rel].uselist {
                for obj in &out {
                    let items = collections
                        .remove(&(obj.address(), load.rel))
                        .unwrap_or_default();
                    obj.set_related(load.rel, Related::Many(Collection::new(items)));
                }
            }
        }
        // Lazy strategies a query's options chose stay with its objects.
        for (rel, strategy) in query.lazy_options() {
            for obj in &out {
                let mut data = obj.borrow_mut();
                data.strategies.retain(|(r, _)| *r != rel);
                data.strategies.push((rel, strategy));
            }
        }
        for (rel, strategy) in query.eager_loads() {
            if matches!(strategy, Lazy::Selectin | Lazy::Subquery) {
                self.select_in_load(&out, &mapper, rel)?;
            }
        }
        Ok(out)
    }

    /// Load relationship `rel_index` of every object in `parents` with IN queries.
    fn select_in_load(
        &self,
        parents: &[Instance],
        mapper: &Rc<Mapper>,
        rel_index: usize,
    ) -> Result<()> {
        let rel = &mapper.relationships[rel_index];
        if rel.pairs.len() != 1 {
            return Ok(()); // composite keys fall back to lazy loading
        }
        let (local, remote) = rel.pairs[0];
        let target = self.registry().mapper(rel.target).clone();
        let mut keys: Vec<Value> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for p in parents {
            let v = p.value(local);
            if !v.is_null() && seen.insert(v.clone()) {
                keys.push(v);
            }
        }
        let mut by_key: HashMap<Value, Vec<Instance>> = HashMap::new();
        for chunk in keys.chunks(SELECTIN_BATCH) {
            let ty = target.columns[remote].ty.clone();
            let mut q = Query::new(target.clone()).filter(Expr::InList {
                expr: Box::new(column_of(&target, remote)),
                list: chunk
                    .iter()
                    .map(|v| Expr::Bind(v.clone(), Some(ty.clone())))
                    .collect(),
                negated: false,
            });
            for &(c, desc) in &rel.order_by {
                q = q.order_by(Expr::Ordering {
                    expr: Box::new(column_of(&target, c)),
                    descending: desc,
                });
            }
            for item in self.without_autoflush(|| self.all(&q))? {
                by_key.entry(item.value(remote)).or_default().push(item);
            }
        }
        for p in parents {
            let found = by_key.get(&p.value(local)).cloned().unwrap_or_default();
            let related = if rel.uselist {
                Related::Many(Collection::new(found))
            } else {
                Related::One(found.into_iter().next())
            };
            p.set_related(rel_index, related);
        }
        Ok(())
    }

    /// `q.explain()`: the database's plan for the query, as rows; with
    /// `analyze`, the query is run and the plan shows real timings.
    pub fn explain(&self, query: &Query, analyze: bool) -> Result<RowSet> {
        self.autoflush()?;
        let engine = self.engine_for(query.mapper())?;
        let dialect = engine.dialect();
        let (select, _, _) = query.to_select_with_eager(&self.registry());
        let compiled = compile(&Statement::Select(select), dialect);
        let prefixes: Vec<&str> = if analyze {
            dialect.explain_analyze_prefixes().to_vec()
        } else {
            vec![dialect.explain_prefix()]
        };
        if prefixes.is_empty() {
            return Err(Error::invalid(format!(
                "{} has no EXPLAIN ANALYZE; q.explain() shows the plan without running the query",
                dialect.name()
            )));
        }
        let mut last_error = None;
        for prefix in prefixes {
            let plan = Compiled {
                sql: format!("{prefix} {}", compiled.sql),
                binds: compiled.binds.clone(),
            };
            match self.failed_statement(engine.fetch(&plan, &[])) {
                Ok(rows) => {
                    let width = rows.first().map_or(0, Vec::len);
                    let columns = dialect.explain_columns(width);
                    return Ok(RowSet { columns, rows });
                }
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.expect("at least one prefix was tried"))
    }

    /// `q.first()`.
    pub fn first(&self, query: &Query) -> Result<Option<Instance>> {
        Ok(self.all(&query.limited(1))?.into_iter().next())
    }

    /// `q.one()`: exactly one row, or an error saying which way it was not.
    pub fn one(&self, query: &Query) -> Result<Instance> {
        match self.one_or_none(query)? {
            Some(obj) => Ok(obj),
            None => Err(Error::NoResult(format!(
                "one(): no {} matched the query",
                query.mapper().name
            ))),
        }
    }

    /// `q.one_or_none()`.
    pub fn one_or_none(&self, query: &Query) -> Result<Option<Instance>> {
        let q = if query.limit.is_none() {
            query.limited(2)
        } else {
            query.clone()
        };
        let mut found = self.all(&q)?;
        if found.len() > 1 {
            return Err(Error::NoResult(format!(
                "one(): more than one {} matched the query; add filters or use first()",
                query.mapper().name
            )));
        }
        Ok(found.pop())
    }

    /// `q.count()`.
    pub fn count(&self, query: &Query) -> Result<i64> {
        self.autoflush()?;
        let engine = self.engine_for(query.mapper())?;
        let compiled = compile(&Statement::Select(query.to_count()), engine.dialect());
        let rows =
            self.failed_statement(engine.fetch(&compiled, &[Some(ColumnType::BigInteger)]))?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .and_then(Value::as_i64)
            .unwrap_or(0))
    }

    /// `q.exists()`: whether any row matches.
    pub fn exists(&self, query: &Query) -> Result<bool> {
        self.autoflush()?;
        let engine = self.engine_for(query.mapper())?;
        let mut select = query.to_select();
        select.columns = vec![Expr::Bind(Value::Int(1), Some(ColumnType::Integer))];
        select.order_by.clear();
        select.limit = Some(1);
        let compiled = compile(&Statement::Select(select), engine.dialect());
        Ok(!self
            .failed_statement(engine.fetch(&compiled, &[None]))?
            .is_empty())
    }

    /// `q.get(pk)` / `db.session.get(Model, pk)`: the identity map first, then one SELECT.
    pub fn get(&self, mapper: &Rc<Mapper>, pk: Vec<Value>) -> Result<Option<Instance>> {
        if pk.len() != mapper.primary_key.len() {
            return Err(Error::invalid(format!(
                "{} has a primary key of {} column(s); get() was given {}",
                mapper.name,
                mapper.primary_key.len(),
                pk.len()
            )));
        }
        let mut key = Vec::with_capacity(pk.len());
        for (&i, v) in mapper.primary_key.iter().zip(pk) {
            let col = &mapper.columns[i];
            key.push(col.ty.coerce(v).map_err(|e| {
                Error::invalid(format!("get(): {}.{}: {e}", mapper.name, col.name))
            })?);
        }
        if let Some(found) = self.identity_lookup(mapper.index, &key) {
            if found.is_expired() {
                // A row deleted by someone else: get() answers None, as SQLAlchemy does.
                return match self.load_expired(&found) {
                    Ok(()) => Ok(Some(found)),
                    Err(Error::NoResult(_)) => Ok(None),
                    Err(e) => Err(e),
                };
            }
            if found.state() == super::instance::ObjectState::Persistent {
                return Ok(Some(found));
            }
        }
        let query = Query::new(mapper.clone()).filter_pk(&key);
        Ok(self.all(&query)?.into_iter().next())
    }

    /// Rows of plain values: `with_entities(..)`, or the model's columns.
    pub fn rows(&self, query: &Query) -> Result<RowSet> {
        self.autoflush()?;
        let engine = self.engine_for(query.mapper())?;
        let compiled = compile(&Statement::Select(query.to_select()), engine.dialect());
        let rows = self.failed_statement(engine.fetch(&compiled, &query.column_types()))?;
        Ok(RowSet {
            columns: query.column_names(),
            rows,
        })
    }

    /// The primary keys of the rows a bulk statement will touch, so the
    /// objects already loaded can follow it.
    fn matching_keys(&self, query: &Query) -> Result<Vec<Vec<Value>>> {
        let mapper = query.mapper();
        let q = query.clone().with_entities(
            mapper
                .primary_key
                .iter()
                .map(|&i| (mapper.columns[i].name.clone(), column_of(mapper, i)))
                .collect(),
        );
        Ok(self.rows(&q)?.rows)
    }

    fn check_bulk(query: &Query, what: &str) -> Result<()> {
        if !query.joins.is_empty()
            || !query.table_joins.is_empty()
            || query.limit.is_some()
            || query.offset.is_some()
            || !query.group_by.is_empty()
            || !query.having.is_empty()
            || query.distinct
        {
            return Err(Error::invalid(format!(
                "a bulk {what} takes filters only (no join, limit, offset, group_by, having or distinct)"
            )));
        }
        Ok(())
    }

    /// Bulk `q.update(#{..})`: one UPDATE; loaded objects it touched are expired.
    pub fn bulk_update(&self, query: &Query, values: Vec<(String, Value)>) -> Result<u64> {
        Self::check_bulk(query, "update")?;
        if values.is_empty() {
            return Err(Error::invalid(
                "update(#{..}) needs at least one column to set",
            ));
        }
        let mapper = query.mapper().clone();
        let mut assignments = Vec::with_capacity(values.len());
        for (name, value) in values {
            let col = mapper.column(&name)?;
            let value = col
                .ty
                .coerce(value)
                .map_err(|e| Error::invalid(format!("update(): {}.{name}: {e}", mapper.name)))?;
            assignments.push((col.db_name.clone(), Expr::Bind(value, Some(col.ty.clone()))));
        }
        let keys = self.matching_keys(query)?;
        let engine = self.engine_for(&mapper)?;
        let stmt = Statement::Update(Update {
            table: mapper.table.clone(),
            assignments,
            filter: (!query.filters.is_empty()).then(|| Expr::and_all(query.filters.clone())),
        });
        let result = self.failed_statement(engine.execute(&compile(&stmt, engine.dialect())))?;
        for key in keys {
            if let Some(obj) = self.identity_lookup(mapper.index, &key) {
                obj.expire();
            }
        }
        self.count_write(
            mapper.index,
            super::transaction::WriteKind::Update,
            result.rows_affected,
        );
        Ok(result.rows_affected)
    }

    /// Bulk `q.delete()`: one DELETE; loaded objects it removed leave the session.
    pub fn bulk_delete(&self, query: &Query) -> Result<u64> {
        Self::check_bulk(query, "delete")?;
        let mapper = query.mapper().clone();
        let keys = self.matching_keys(query)?;
        let engine = self.engine_for(&mapper)?;
        let stmt = Statement::Delete(Delete {
            table: mapper.table.clone(),
            filter: (!query.filters.is_empty()).then(|| Expr::and_all(query.filters.clone())),
        });
        let result = self.failed_statement(engine.execute(&compile(&stmt, engine.dialect())))?;
        for key in keys {
            if let Some(obj) = self.identity_lookup(mapper.index, &key) {
                self.forget(&obj);
                obj.set_state(super::instance::ObjectState::Deleted);
            }
        }
        self.count_write(
            mapper.index,
            super::transaction::WriteKind::Delete,
            result.rows_affected,
        );
        Ok(result.rows_affected)
    }
}
