//! The inserts of a flush: a mapper's pending objects written in multi-row
//! INSERTs of up to 500 rows, their keys read back (RETURNING, or
//! LAST_INSERT_ID one row at a time) or, on SQLite once the transaction
//! holds the write lock, numbered here as SQLite would; such INSERTs need
//! nothing back and run while the next is made (`Engine::execute_deferred`).

use std::ops::Range;

use crate::engine::{DeferredFailure, Engine};
use crate::error::{Error, Result};
use crate::orm::flush::UnitOfWork;
use crate::orm::flush::flush_error;
use crate::orm::mapping::model::{Direction, Mapper};
use crate::orm::state::instance::{Instance, ObjectState, Related};
use crate::orm::state::transaction_record::WriteKind;
use crate::sql::{Value, compile_insert};

/// Most rows in one multi-row INSERT, whatever the bind limit allows.
const MAX_BATCH_ROWS: usize = 500;

impl UnitOfWork<'_> {
    /// Insert the pending objects of one mapper.
    pub(super) fn insert_all(
        &self,
        mapper: std::rc::Rc<Mapper>,
        mut objs: Vec<Instance>,
    ) -> Result<()> {
        let engine = self.engine_for(&mapper)?;
        let self_referential = mapper
            .relationships
            .iter()
            .any(|r| r.target == mapper.index && r.direction == Direction::ManyToOne);
        if self_referential {
            objs = parents_first(&mapper, objs);
        }
        let auto = mapper.autoincrement_column();
        // Connected before the dialect is asked: the server's version
        // refines it (MariaDB's RETURNING on a `mysql://` URL).
        engine.ensure_transaction()?;
        let can_batch = !self_referential && engine.dialect().supports_returning();
        let mut run = InsertRun {
            objs: &objs,
            next_key: None,
            deferred: Vec::new(),
        };
        let mut i = 0;
        while i < objs.len() {
            self.sync_relationships_before_insert(&objs[i]);
            let columns = insert_columns(&mapper, &objs[i], auto);
            let mut len = 1;
            // A row that names no column is `DEFAULT VALUES`, one row a statement.
            if can_batch && !columns.is_empty() {
                let limit = (engine.dialect().max_bind_params() / columns.len().max(1))
                    .clamp(1, MAX_BATCH_ROWS);
                while len < limit && i + len < objs.len() {
                    let next = &objs[i + len];
                    self.sync_relationships_before_insert(next);
                    if !inserts_columns(&mapper, next, auto, &columns) {
                        break;
                    }
                    len += 1;
                }
            }
            let rows = i..i + len;
            i += len;
            let fetched =
                self.insert_batch(engine, &mapper, &columns, auto, &mut run, rows.clone())?;
            for obj in &objs[rows] {
                self.after_insert(&mapper, obj, &columns, fetched)?;
            }
            self.count_write(mapper.index, WriteKind::Insert, len as u64);
        }
        run.settle(engine, &mapper)
    }

    fn sync_relationships_before_insert(&self, obj: &Instance) {
        let mapper = obj.mapper();
        for (i, rel) in mapper
            .relationships
            .iter()
            .enumerate()
            .filter(|(_, x)| !x.viewonly)
        {
            if rel.direction == Direction::ManyToOne
                && matches!(obj.related(i), Related::One(Some(_)))
            {
                self.sync_many_to_one(obj, i);
            }
        }
    }

    fn insert_batch(
        &self,
        engine: &Engine,
        mapper: &Mapper,
        columns: &[usize],
        auto: Option<usize>,
        run: &mut InsertRun,
        rows: Range<usize>,
    ) -> Result<bool> {
        let objs = run.objs;
        let batch = &objs[rows.clone()];
        let mut needs_key = auto.filter(|a| !columns.contains(a));
        if auto.is_some() && needs_key.is_none() {
            // Keys the objects were given: numbering asks the table again.
            run.next_key = None;
        }
        let with_key: Vec<usize>;
        let mut columns = columns;
        let numbered = match needs_key {
            Some(key_col) => self.number_new_rows(engine, mapper, key_col, batch, run)?,
            None => false,
        };
        if let (true, Some(key_col)) = (numbered, needs_key) {
            with_key = {
                let mut c = columns.to_vec();
                c.push(key_col);
                c.sort_unstable();
                c
            };
            columns = &with_key;
            needs_key = None;
        }
        // SQLAlchemy's eager defaults: what the database fills in comes
        // back through the INSERT's RETURNING, where there is one.
        let fetch = super::eager_defaults::server_filled(engine, mapper, columns, auto);
        if !fetch.is_empty() {
            run.settle(engine, mapper)?;
            let returning = match needs_key {
                Some(key_col) => vec![key_col],
                None => mapper.primary_key.clone(),
            };
            let stmt =
                super::eager_defaults::insert_statement(mapper, columns, batch, &returning, &fetch);
            let compiled = compile_insert(stmt, engine.dialect());
            self.insert_returning(
                engine, mapper, batch, &compiled, &returning, &fetch, needs_key,
            )?;
            return Ok(true);
        }
        let key: Vec<usize> = needs_key.into_iter().collect();
        let stmt = super::eager_defaults::insert_statement(mapper, columns, batch, &key, &[]);
        let compiled = compile_insert(stmt, engine.dialect());
        let Some(key_col) = needs_key else {
            // Nothing to read back: the statement runs while the next is made.
            run.deferred.push(rows);
            return engine
                .execute_deferred(compiled)
                .map_err(|f| {
                    // A failed statement wrote no rows: the numbers given them are taken back.
                    if let (true, Some(key_col)) = (numbered, auto) {
                        for obj in batch {
                            obj.borrow_mut().values[key_col] = Value::Null;
                        }
                    }
                    run.failed(f, &run.deferred, mapper)
                })
                .map(|()| false);
        };
        run.settle(engine, mapper)?;
        let failed = |e: Error| flush_error(e, "inserting", batch, mapper);
        if engine.dialect().supports_returning() {
            let ty = mapper.columns[key_col].ty.clone();
            let rows = engine
                .execute_returning(&compiled, &[Some(ty)])
                .map_err(failed)?;
            let mut keys: Vec<Value> = rows
                .into_iter()
                .filter_map(|r| r.into_iter().next())
                .collect();
            // Generated keys ascend in VALUES order; RETURNING's own order is not promised.
            keys.sort_by_key(|k| k.as_i64().unwrap_or(i64::MAX));
            if keys.len() != batch.len() {
                return Err(Error::Session(format!(
                    "the database returned {} keys for {} rows",
                    keys.len(),
                    batch.len()
                )));
            }
            for (obj, key) in batch.iter().zip(keys) {
                obj.borrow_mut().values[key_col] = key;
            }
        } else {
            let result = engine.execute(&compiled).map_err(failed)?;
            let id = result.last_insert_id.ok_or_else(|| {
                Error::Session("the database did not report the generated key".into())
            })?;
            batch[0].borrow_mut().values[key_col] = Value::Int(id);
        }
        Ok(false)
    }

    /// Give `batch` the keys the database would (`Dialect::row_numbering`),
    /// where it can tell them: whether it did.
    fn number_new_rows(
        &self,
        engine: &Engine,
        mapper: &Mapper,
        key_col: usize,
        batch: &[Instance],
        run: &mut InsertRun,
    ) -> Result<bool> {
        let first = match run.next_key {
            // The lock is held, and only this flush has added rows since.
            Some(next) => next,
            None => {
                if !engine.holds_write_lock() {
                    return Ok(false);
                }
                let Some(numbering) = engine
                    .dialect()
                    .row_numbering(&mapper.table, &mapper.columns[key_col].db_name)
                else {
                    return Ok(false);
                };
                run.settle(engine, mapper)?;
                let rows = engine.fetch(&numbering.query, &[])?;
                match rows.first().and_then(|row| (numbering.first_key)(row)) {
                    Some(first) => first,
                    None => return Ok(false),
                }
            }
        };
        let Some(next) = first.checked_add(batch.len() as i64) else {
            return Ok(false);
        };
        for (n, obj) in (first..).zip(batch) {
            obj.borrow_mut().values[key_col] = Value::Int(n);
        }
        run.next_key = Some(next);
        Ok(true)
    }

    fn after_insert(
        &self,
        mapper: &Mapper,
        obj: &Instance,
        columns: &[usize],
        fetched: bool,
    ) -> Result<()> {
        {
            let mut data = obj.borrow_mut();
            data.state = ObjectState::Persistent;
            data.changes.clear();
            for (i, col) in mapper.columns.iter().enumerate() {
                data.set.put(i, true);
                // What the database filled in, unless the INSERT returned
                // it, is read back on access.
                // So is a `column_property`, which no INSERT writes.
                if col.is_computed()
                    || (!fetched && !columns.contains(&i) && col.server_default.is_some())
                {
                    data.loaded.put(i, false);
                }
            }
        }
        self.register_persistent(obj)?;
        self.after_insert_post_update(mapper, obj);
        self.record_insert(obj);
        self.track(obj, WriteKind::Insert);
        // Children in this object's collections get its new key.
        for (i, rel) in mapper
            .relationships
            .iter()
            .enumerate()
            .filter(|(_, x)| !x.viewonly)
        {
            if rel.direction == Direction::OneToMany {
                self.sync_one_to_many(obj, i);
            }
        }
        Ok(())
    }
}

/// The columns an INSERT of `obj` names: every column, except a generated
/// key or a server default that was never given a value.
fn insert_columns(mapper: &Mapper, obj: &Instance, auto: Option<usize>) -> Vec<usize> {
    let data = obj.borrow();
    (0..mapper.columns.len())
        .filter(|&i| inserts_column(mapper, &data.values, auto, i))
        .collect()
}

/// Whether `obj` inserts exactly `columns` (and so joins their batch),
/// without making its own list for each row of a large flush.
fn inserts_columns(
    mapper: &Mapper,
    obj: &Instance,
    auto: Option<usize>,
    columns: &[usize],
) -> bool {
    let data = obj.borrow();
    (0..mapper.columns.len())
        .filter(|&i| inserts_column(mapper, &data.values, auto, i))
        .eq(columns.iter().copied())
}

/// Whether an INSERT writes column `i`: not a key the database fills in or
/// a column left to its server default, when unset, nor a `column_property`.
fn inserts_column(mapper: &Mapper, values: &[Value], auto: Option<usize>, i: usize) -> bool {
    let c = &mapper.columns[i];
    let unset = values[i].is_null();
    !c.post_update
        && !c.is_computed()
        && !(unset && (Some(i) == auto || c.server_default.is_some()))
}

/// A self-referential table's rows, each parent before its children.
fn parents_first(mapper: &Mapper, objs: Vec<Instance>) -> Vec<Instance> {
    let parent_of = |o: &Instance| -> Option<Instance> {
        mapper
            .relationships
            .iter()
            .enumerate()
            .filter(|(_, r)| r.target == mapper.index && r.direction == Direction::ManyToOne)
            .find_map(|(i, _)| match o.related(i) {
                Related::One(Some(p)) if p.state() == ObjectState::Pending => Some(p),
                _ => None,
            })
    };
    let mut out: Vec<Instance> = Vec::with_capacity(objs.len());
    fn place(
        o: &Instance,
        objs: &[Instance],
        out: &mut Vec<Instance>,
        parent_of: &dyn Fn(&Instance) -> Option<Instance>,
        depth: usize,
    ) {
        if out.iter().any(|x| x.same(o)) || depth > objs.len() {
            return;
        }
        if let Some(p) = parent_of(o)
            && objs.iter().any(|x| x.same(&p))
        {
            place(&p, objs, out, parent_of, depth + 1);
        }
        if !out.iter().any(|x| x.same(o)) {
            out.push(o.clone());
        }
    }
    for o in &objs {
        place(o, &objs, &mut out, &parent_of, 0);
    }
    out
}

/// One mapper's inserts under way: its objects, where SQLite's row
/// numbering has reached, and the rows each INSERT still running on the
/// engine's second thread writes (`Engine::execute_deferred`).
struct InsertRun<'a> {
    objs: &'a [Instance],
    next_key: Option<i64>,
    deferred: Vec<Range<usize>>,
}

impl InsertRun<'_> {
    /// Wait for the deferred INSERTs; a failure names the rows it wrote.
    fn settle(&mut self, engine: &Engine, mapper: &Mapper) -> Result<()> {
        let outcome = engine.settle();
        let sent = std::mem::take(&mut self.deferred);
        outcome.map_err(|f| self.failed(f, &sent, mapper))
    }

    fn failed(&self, f: DeferredFailure, sent: &[Range<usize>], mapper: &Mapper) -> Error {
        match sent.get(f.index) {
            Some(rows) => flush_error(f.error, "inserting", &self.objs[rows.clone()], mapper),
            None => f.error,
        }
    }
}
