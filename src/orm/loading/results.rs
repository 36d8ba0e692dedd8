//! Running ORM queries on a session: objects through the identity map, eager
//! loads (joined: in the same SELECT; selectin/subquery: one IN query per
//! batch), scalar shortcuts, and bulk UPDATE/DELETE kept in step with the
//! objects already loaded.

use std::rc::Rc;

use crate::error::{Error, Result};
use crate::orm::loading::Loader;
use crate::orm::mapping::model::Mapper;
use crate::orm::mapping::model::column_of;
use crate::orm::query::model_query::Query;
use crate::orm::state::instance::{Collection, Instance, Related};
use crate::sql::{ColumnType, Compiled, Delete, Expr, Statement, Update, Value, compile};

/// What an object query loaded: each object once, in order; and with
/// trailing columns, every row's object with their values.
pub(crate) struct LoadedRows {
    pub objects: Vec<Instance>,
    pub rows: Vec<(Instance, Vec<Value>)>,
}

/// What the identity map answers for a `get`: the object (or that its row
/// is gone), or the key to load by.
pub enum Held {
    Answered(Option<Instance>),
    Load(Vec<Value>),
}

/// Rows of plain values with their column names (`with_entities`).
#[derive(Debug, Clone)]
pub struct RowSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Loader<'_> {
    /// A statement the database refused inside a transaction leaves that
    /// transaction unusable on PostgreSQL: roll the session back and say so.
    pub(crate) fn failed_statement<T>(&self, result: Result<T>) -> Result<T> {
        match result {
            Err(err @ Error::ConnectionLost(_)) => Err(self.recover(err)),
            Err(err @ Error::ReadOnly(_)) => Err(self.recover(err)),
            Err(err @ Error::Database { .. })
                if self.in_transaction()
                    && self
                        .engines()
                        .all()
                        .any(|(_, e)| e.dialect().error_aborts_transaction()) =>
            {
                Err(self.recover(err))
            }
            other => other,
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
        Ok(self.load_objects(query, &[])?.objects)
    }

    /// Run an object query, with `trailing` expressions selected after the
    /// objects' columns (a selectin load's link columns): the objects, each
    /// once, and when there are trailing columns, each row's object with them.
    pub(crate) fn load_objects(&self, query: &Query, trailing: &[Expr]) -> Result<LoadedRows> {
        self.load_objects_keeping(query, trailing, !trailing.is_empty())
    }

    /// As `load_objects`; with `keep_rows`, every row's object is kept in
    /// `rows` too (a 2.0 select gives one per row, repeats and all).
    pub(crate) fn load_objects_keeping(
        &self,
        query: &Query,
        trailing: &[Expr],
        keep_rows: bool,
    ) -> Result<LoadedRows> {
        if query.returns_rows() {
            return Err(Error::invalid(
                "this query returns rows of values (with_entities): use rows()",
            ));
        }
        let mapper = query.mapper().clone();
        let engine = self.engine_for(&mapper)?;
        let registry = self.registry();
        let (mut select, mut types, joined) = query.to_select_with_eager(&registry);
        let after_joins = select.columns.len();
        for e in trailing {
            select.columns.push(e.clone());
            types.push(e.type_hint().cloned());
        }
        let compiled = compile(&Statement::Select(select), engine.dialect());
        let width = mapper.columns.len() - query.deferred.len();
        let mut loaded = LoadedRows {
            objects: Vec::new(),
            rows: Vec::new(),
        };
        // Per joined load: the objects it filled, and their collections.
        let mut owners: Vec<Vec<Instance>> = vec![Vec::new(); joined.len()];
        let mut children: Vec<Vec<Instance>> = vec![Vec::new(); joined.len()];
        let mut collections: foldhash::HashMap<(usize, usize), Vec<Instance>> = Default::default();
        let mark = self.next_query_mark();
        let mut seen_owners: foldhash::HashSet<(usize, usize)> = Default::default();
        let mut seen_children: foldhash::HashSet<(usize, usize)> = Default::default();
        // Each row becomes objects as it is decoded: the result is never
        // held as rows as well as objects.
        let fetched = engine.fetch_rows(&compiled, &types, |columns| {
            let tail = if trailing.is_empty() {
                Vec::new()
            } else {
                columns.values(after_joins, columns.width())?
            };
            let row = columns.values(0, width)?;
            let obj = if query.deferred.is_empty() {
                self.instance_for_row(&mapper, row)?
            } else {
                self.instance_for_partial_row(&mapper, row, &query.deferred)?
            };
            // On the stack: a vector here was an allocation per row of a scan.
            let mut made: smallvec::SmallVec<[Option<Instance>; 4]> = smallvec::SmallVec::new();
            for (k, load) in joined.iter().enumerate() {
                let owner = match load.parent {
                    None => Some(obj.clone()),
                    Some(p) => made[p].clone(),
                };
                let Some(owner) = owner else {
                    made.push(None);
                    continue;
                };
                let child = self.instance_for_joined_row(&load.target, columns, load.offset)?;
                // Owners matter to collections, children to loads under this one.
                if load.relationship().uselist && seen_owners.insert((owner.address(), k)) {
                    owners[k].push(owner.clone());
                }
                if let Some(c) = &child
                    && !load.after.is_empty()
                    && seen_children.insert((c.address(), k))
                {
                    children[k].push(c.clone());
                }
                if load.relationship().uselist {
                    let list = collections.entry((owner.address(), k)).or_default();
                    if let Some(child) = &child
                        && !list.iter().any(|c| c.same(child))
                    {
                        list.push(child.clone());
                    }
                } else {
                    owner.set_related(load.rel, Related::One(child.clone()));
                }
                made.push(child);
            }
            if keep_rows {
                loaded.rows.push((obj.clone(), tail));
            }
            if obj.take_for_query(mark) {
                loaded.objects.push(obj);
            }
            Ok(())
        });
        self.failed_statement(fetched)?;
        for (k, load) in joined.iter().enumerate() {
            if load.relationship().uselist {
                for owner in &owners[k] {
                    let items = collections
                        .remove(&(owner.address(), k))
                        .unwrap_or_default();
                    owner.set_related(load.rel, Related::Many(Collection::new(items)));
                }
            }
        }
        // Lazy strategies a query's options chose stay with its objects.
        for option in query.lazy_options() {
            for obj in &loaded.objects {
                let mut data = obj.borrow_mut();
                data.strategies.retain(|s| s.rel != option.rel);
                data.strategies.push(option.clone());
            }
        }
        self.load_after(
            &loaded.objects,
            &mapper,
            &query.eager_plan(),
            &query.ancestors,
        )?;
        for (k, load) in joined.iter().enumerate() {
            self.load_after(&children[k], &load.target, &load.after, &load.ancestors)?;
        }
        Ok(loaded)
    }

    /// `q.explain()`: the database's plan for the query, as rows; with
    /// `analyze`, the query is run and the plan shows real timings.
    pub fn explain(&self, query: &Query, analyze: bool) -> Result<RowSet> {
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

    /// Whether any row of the query matches (the answer of
    /// `db.session.query(q.exists()).scalar()`, for the Rust API).
    pub fn exists(&self, query: &Query) -> Result<bool> {
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

    /// What the identity map answers for `get(pk)`, or the key (coerced to
    /// the columns' types) to load by when it has no answer.
    pub fn get_held(&self, mapper: &Rc<Mapper>, pk: Vec<Value>) -> Result<Held> {
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
        if let Some(found) = self.identity_lookup(mapper, &key) {
            if found.is_expired() {
                // A row deleted by someone else: get() answers None, as SQLAlchemy does.
                return match self.load_expired(&found) {
                    Ok(()) => Ok(Held::Answered(Some(found))),
                    Err(Error::NoResult(_)) => Ok(Held::Answered(None)),
                    Err(e) => Err(e),
                };
            }
            if found.state() == crate::orm::state::instance::ObjectState::Persistent {
                return Ok(Held::Answered(Some(found)));
            }
        }
        Ok(Held::Load(key))
    }

    /// The object with this (coerced) key, loaded by one SELECT of `base`
    /// (its model, with its loader options) narrowed to the key.
    pub fn get_by_key(&self, base: &Query, key: &[Value]) -> Result<Option<Instance>> {
        let query = base.clone().filter_pk(key);
        Ok(self.all(&query)?.into_iter().next())
    }

    /// Rows of plain values: `with_entities(..)`, or the model's columns.
    pub fn rows(&self, query: &Query) -> Result<RowSet> {
        let engine = self.engine_for(query.mapper())?;
        let compiled = compile(&Statement::Select(query.to_select()), engine.dialect());
        let rows = self.failed_statement(engine.fetch(&compiled, &query.column_types()))?;
        Ok(RowSet {
            columns: query.column_names(),
            rows,
        })
    }

    /// The rows of `query` handed to `each` as they arrive, never held: a
    /// result of any size in bounded memory. No objects are made (nothing
    /// enters the identity map). Returns how many rows there were.
    pub fn stream_rows(
        &self,
        query: &Query,
        each: impl FnMut(Vec<Value>) -> Result<()>,
    ) -> Result<u64> {
        let engine = self.engine_for(query.mapper())?;
        let compiled = compile(&Statement::Select(query.to_select()), engine.dialect());
        self.failed_statement(engine.fetch_each(&compiled, &query.column_types(), each))
    }

    /// The primary keys of the rows a bulk statement will touch, so the
    /// objects already loaded can follow it.
    pub(crate) fn matching_keys(&self, query: &Query) -> Result<Vec<Vec<Value>>> {
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

    pub(crate) fn check_bulk(query: &Query, what: &str) -> Result<()> {
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
        let mapper = query.mapper();
        if mapper.is_joined() {
            return Err(Error::invalid(format!(
                "a bulk {what} of {}, whose rows span tables (joined-table inheritance), is not supported by ormsh: change the objects and commit",
                mapper.name
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
            crate::orm::query::dml::writable(&mapper, &name)?;
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
            filter: query.where_clause(),
            returning: Vec::new(),
        });
        let result = self.failed_statement(engine.execute(&compile(&stmt, engine.dialect())))?;
        for key in keys {
            if let Some(obj) = self.identity_lookup(&mapper, &key) {
                obj.expire();
            }
        }
        self.count_write(
            mapper.index,
            crate::orm::state::transaction_record::WriteKind::Update,
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
            filter: query.where_clause(),
            returning: Vec::new(),
        });
        let result = self.failed_statement(engine.execute(&compile(&stmt, engine.dialect())))?;
        for key in keys {
            if let Some(obj) = self.identity_lookup(&mapper, &key) {
                self.forget(&obj);
                obj.set_state(crate::orm::state::instance::ObjectState::Deleted);
            }
        }
        self.count_write(
            mapper.index,
            crate::orm::state::transaction_record::WriteKind::Delete,
            result.rows_affected,
        );
        Ok(result.rows_affected)
    }
}
