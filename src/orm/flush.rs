//! The unit of work: writes what changed in the session, in an order sorted
//! from the foreign keys (parents inserted before children, children deleted
//! before parents), with inserts of one table batched into multi-row VALUES.
//! A failed flush rolls the whole transaction back so nothing is half-written.
//! Cycles of foreign keys are broken by `post_update` (see `post_update.rs`).

use super::instance::{Instance, ObjectState, Related};
use super::model::{Direction, Mapper};
use super::session::Session;
use std::ops::Range;

use crate::engine::{DeferredFailure, Engine};
use crate::error::{Error, Result};
use crate::sql::{
    BinaryOp, ColumnType, Delete, Expr, Insert, Statement, Update, Value, compile, compile_insert,
};

/// Most rows in one multi-row INSERT, whatever the bind limit allows.
const MAX_BATCH_ROWS: usize = 500;

impl Session {
    /// Write every pending change to the database, inside the transaction.
    pub fn flush(&self) -> Result<()> {
        if self.0.flushing.get() {
            return Ok(());
        }
        if self.0.new.borrow().is_empty()
            && self.0.deleted.borrow().is_empty()
            && self.0.modified.borrow().is_empty()
        {
            return Ok(());
        }
        self.0.flushing.set(true);
        let result = self.flush_changes();
        self.0.flushing.set(false);
        match result {
            Err(Error::Interrupted) => {
                let _ = self.rollback();
                Err(Error::Interrupted)
            }
            Err(err) => Err(self.recover(err)),
            Ok(()) => Ok(()),
        }
    }

    fn flush_changes(&self) -> Result<()> {
        for obj in self.new_objects() {
            self.cascade_pending(&obj)?;
        }
        let order = self.registry().dependency_order();
        // A mapper's place in the order, by mapper index.
        let mut rank = vec![0; self.registry().mappers.len()];
        for (r, &m) in order.iter().enumerate() {
            rank[m] = r;
        }
        self.check_insert_order(&rank)?;

        // Deletes are known first so a parent's delete can tell which children go with it.
        let deleted = self.collect_deletes()?;

        let pending = self.new_objects();
        self.0.identity.borrow_mut().reserve(pending.len());
        self.0.inserted.borrow_mut().reserve(pending.len());
        // Objects whose many-to-many collections may have changed.
        let mut linked: Vec<Instance> = pending.clone();
        let mut by_mapper: Vec<Vec<Instance>> = vec![Vec::new(); self.registry().mappers.len()];
        for obj in pending {
            let index = obj.borrow().mapper.index;
            by_mapper[index].push(obj);
        }
        for &m in &order {
            let objs = std::mem::take(&mut by_mapper[m]);
            if !objs.is_empty() {
                self.insert_all(self.registry().mapper(m).clone(), objs)?;
            }
        }
        // Every pending object now has its row (one pass: the list can be long).
        self.0
            .new
            .borrow_mut()
            .retain(|o| o.state() == ObjectState::Pending);

        let mut modified: Vec<Instance> = self.0.modified.borrow_mut().drain(..).collect();
        modified.sort_by_key(|o| rank[o.borrow().mapper.index]);
        for obj in &modified {
            obj.borrow_mut().queued = false;
            if obj.state() == ObjectState::Persistent {
                self.sync_relationships(obj);
            }
        }
        // Syncing may have queued more objects (children whose key changed).
        modified.extend(self.0.modified.borrow_mut().drain(..));
        let mut to_update: Vec<Instance> = Vec::new();
        // An object can be queued twice (syncing queues children again): once here.
        let mut seen = std::collections::HashSet::new();
        for obj in &modified {
            obj.borrow_mut().queued = false;
            if obj.state() == ObjectState::Persistent
                && obj.has_changes()
                && !deleted.iter().any(|d| d.same(obj))
                && seen.insert(obj.address())
            {
                to_update.push(obj.clone());
            }
        }
        // Runs of rows with the same table and changed columns go as one statement.
        let mut i = 0;
        while i < to_update.len() {
            let key = super::batch_update::batch_key(&to_update[i]);
            let mut end = i + 1;
            while key.is_some()
                && end < to_update.len()
                && super::batch_update::batch_key(&to_update[end]) == key
            {
                end += 1;
            }
            match key {
                Some((_, columns)) if end - i > 1 => {
                    self.update_batch(&to_update[i..end], &columns)?
                }
                _ => self.update_one(&to_update[i])?,
            }
            i = end;
        }

        linked.extend(modified.iter().cloned());
        self.flush_secondary(&linked)?;

        let mut deleted = deleted;
        deleted.sort_by_key(|o| std::cmp::Reverse(rank[o.borrow().mapper.index]));
        self.clear_post_update_keys(&deleted)?;
        self.delete_all(&deleted)?;
        self.0.deleted.borrow_mut().clear();
        Ok(())
    }

    /// Objects reachable from a pending one join it (save-update cascade).
    fn cascade_pending(&self, obj: &Instance) -> Result<()> {
        for slot in 0..obj.borrow().related.len() {
            let items = match obj.related(slot) {
                Related::One(Some(o)) => vec![o],
                Related::Many(c) => c.items(),
                _ => continue,
            };
            for item in items {
                if item.state() == ObjectState::Transient {
                    self.add(&item)?;
                }
            }
        }
        Ok(())
    }

    /// Copy keys along every loaded relationship of `obj`.
    fn sync_relationships(&self, obj: &Instance) {
        let mapper = obj.mapper();
        for (i, rel) in mapper.relationships.iter().enumerate() {
            match rel.direction {
                Direction::ManyToOne => {
                    if matches!(obj.related(i), Related::One(Some(_))) {
                        self.sync_many_to_one(obj, i);
                    }
                }
                Direction::OneToMany => self.sync_one_to_many(obj, i),
                // Association rows are written by flush_secondary.
                Direction::ManyToMany => {}
            }
        }
    }

    /// Insert the pending objects of one mapper.
    fn insert_all(&self, mapper: std::rc::Rc<Mapper>, mut objs: Vec<Instance>) -> Result<()> {
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
            if can_batch {
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
            self.insert_batch(engine, &mapper, &columns, auto, &mut run, rows.clone())?;
            for obj in &objs[rows] {
                self.after_insert(&mapper, obj, &columns)?;
            }
            self.count_write(
                mapper.index,
                super::transaction::WriteKind::Insert,
                len as u64,
            );
        }
        run.settle(engine, &mapper)
    }

    fn sync_relationships_before_insert(&self, obj: &Instance) {
        let mapper = obj.mapper();
        for (i, rel) in mapper.relationships.iter().enumerate() {
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
    ) -> Result<()> {
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
        let stmt = Insert {
            table: mapper.table.clone(),
            columns: columns
                .iter()
                .map(|&c| {
                    (
                        mapper.columns[c].db_name.clone(),
                        mapper.columns[c].ty.clone(),
                    )
                })
                .collect(),
            rows: batch
                .iter()
                .map(|o| {
                    let data = o.borrow();
                    columns.iter().map(|&c| data.values[c].clone()).collect()
                })
                .collect(),
            returning: needs_key
                .map(|c| vec![mapper.columns[c].db_name.clone()])
                .unwrap_or_default(),
        };
        let compiled = compile_insert(stmt, engine.dialect());
        let Some(key_col) = needs_key else {
            // Nothing to read back: the statement runs while the next is made.
            run.deferred.push(rows);
            return engine.execute_deferred(compiled).map_err(|f| {
                // The rows were not written: their numbers go with them.
                if let (true, Some(key_col)) = (numbered, auto) {
                    for obj in batch {
                        obj.borrow_mut().values[key_col] = Value::Null;
                    }
                }
                run.failed(f, &run.deferred, mapper)
            });
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
        Ok(())
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

    fn after_insert(&self, mapper: &Mapper, obj: &Instance, columns: &[usize]) -> Result<()> {
        {
            let mut data = obj.borrow_mut();
            data.state = ObjectState::Persistent;
            data.changes.clear();
            for (i, col) in mapper.columns.iter().enumerate() {
                data.set.put(i, true);
                // What the database filled in is read back on access.
                if !columns.contains(&i) && col.server_default.is_some() {
                    data.loaded.put(i, false);
                }
            }
        }
        self.register_persistent(obj)?;
        self.after_insert_post_update(mapper, obj);
        self.0.inserted.borrow_mut().push(obj);
        self.track(obj, super::transaction::WriteKind::Insert);
        // Children in this object's collections get its new key.
        for (i, rel) in mapper.relationships.iter().enumerate() {
            if rel.direction == Direction::OneToMany {
                self.sync_one_to_many(obj, i);
            }
        }
        Ok(())
    }

    pub(super) fn update_one(&self, obj: &Instance) -> Result<()> {
        let mapper = obj.mapper();
        let engine = self.engine_for(&mapper)?;
        let (assignments, key) = {
            let data = obj.borrow();
            let assignments: Vec<(String, Expr)> = data
                .changes
                .iter()
                .map(|&(c, _)| {
                    let col = &mapper.columns[c];
                    (
                        col.db_name.clone(),
                        Expr::Bind(data.values[c].clone(), Some(col.ty.clone())),
                    )
                })
                .collect();
            // A changed primary key is found by its old value.
            let key = obj.original_key().unwrap_or_default();
            (assignments, key)
        };
        let stmt = Statement::Update(Update {
            table: mapper.table.clone(),
            assignments,
            filter: Some(pk_filter(&mapper, &key)),
        });
        let result = engine
            .execute(&compile(&stmt, engine.dialect()))
            .map_err(|e| flush_error(e, "updating", std::slice::from_ref(obj), &mapper))?;
        if result.rows_affected == 0 && engine.dialect().update_counts_matched_rows() {
            return Err(Error::Session(format!(
                "UPDATE of {} matched no row: it was deleted by another connection",
                self.describe(obj)
            )));
        }
        self.count_write(mapper.index, super::transaction::WriteKind::Update, 1);
        self.track(obj, super::transaction::WriteKind::Update);
        let old_key = self.identity_key_for(&mapper, &key);
        let mut data = obj.borrow_mut();
        data.changes.clear();
        drop(data);
        if let Some(old) = old_key {
            self.0.identity.borrow_mut().remove(&old);
            self.register_persistent(obj)?;
        }
        Ok(())
    }

    fn identity_key_for(
        &self,
        mapper: &Mapper,
        key: &[Value],
    ) -> Option<super::session::IdentityKey> {
        Some((mapper.index, key.into()))
    }

    /// The objects to delete, with children that go with their parents
    /// (cascade delete) or whose foreign key must be cleared first.
    fn collect_deletes(&self) -> Result<Vec<Instance>> {
        let mut out: Vec<Instance> = self.deleted_objects();
        let mut i = 0;
        while i < out.len() {
            let obj = out[i].clone();
            i += 1;
            let mapper = obj.mapper();
            for (r, rel) in mapper.relationships.iter().enumerate() {
                if rel.direction != Direction::OneToMany {
                    continue;
                }
                let children = self.related_for_unit_of_work(&obj, r)?;
                for child in children {
                    if out.iter().any(|o| o.same(&child))
                        || child.state() != ObjectState::Persistent
                    {
                        continue;
                    }
                    if rel.cascade_delete {
                        out.push(child);
                    } else {
                        // SQLAlchemy's default: the child stays, its foreign key is
                        // cleared, which a NOT NULL key cannot be: refuse before any SQL.
                        let child_mapper = child.mapper();
                        if let Some(&(_, remote)) = rel
                            .pairs
                            .iter()
                            .find(|&&(_, r)| !child_mapper.columns[r].nullable)
                        {
                            return Err(Error::Session(format!(
                                "deleting {} would leave {} without its {} (NOT NULL {}.{}); delete the children first, or declare the relationship with #{{ cascade: \"all, delete-orphan\" }}",
                                self.describe(&obj),
                                self.describe(&child),
                                mapper.relationships[r].name,
                                child_mapper.table,
                                child_mapper.columns[remote].db_name
                            )));
                        }
                        let mut changed = false;
                        for &(_, remote) in &rel.pairs {
                            changed |= child.set_value(remote, Value::Null);
                        }
                        if changed {
                            self.queue_modified(&child);
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    fn delete_all(&self, objs: &[Instance]) -> Result<()> {
        let mut i = 0;
        while i < objs.len() {
            let mapper = objs[i].mapper();
            let engine = self.engine_for(&mapper)?;
            let mut batch = vec![objs[i].clone()];
            if mapper.primary_key.len() == 1 {
                while i + batch.len() < objs.len()
                    && batch.len() < MAX_BATCH_ROWS
                    && objs[i + batch.len()].borrow().mapper.index == mapper.index
                {
                    batch.push(objs[i + batch.len()].clone());
                }
            }
            i += batch.len();
            let filter = if batch.len() == 1 {
                let key = batch[0].original_key().unwrap_or_default();
                pk_filter(&mapper, &key)
            } else {
                let col = mapper.primary_key[0];
                let ty = mapper.columns[col].ty.clone();
                Expr::InList {
                    expr: Box::new(super::query::column_of(&mapper, col)),
                    list: batch
                        .iter()
                        .map(|o| {
                            Expr::Bind(
                                o.original_key().map_or(Value::Null, |k| k[0].clone()),
                                Some(ty.clone()),
                            )
                        })
                        .collect(),
                    negated: false,
                }
            };
            self.delete_secondary_rows(&mapper, &batch)?;
            let stmt = Statement::Delete(Delete {
                table: mapper.table.clone(),
                filter: Some(filter),
            });
            engine
                .execute(&compile(&stmt, engine.dialect()))
                .map_err(|e| flush_error(e, "deleting", &batch, &mapper))?;
            for obj in &batch {
                self.forget(obj);
                obj.set_state(ObjectState::Deleted);
            }
            self.0
                .flushed_deletes
                .borrow_mut()
                .extend(batch.iter().cloned());
            for obj in &batch {
                self.track(obj, super::transaction::WriteKind::Delete);
            }
            self.count_write(
                mapper.index,
                super::transaction::WriteKind::Delete,
                batch.len() as u64,
            );
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
/// a column left to its server default, when unset.
fn inserts_column(mapper: &Mapper, values: &[Value], auto: Option<usize>, i: usize) -> bool {
    let c = &mapper.columns[i];
    let unset = values[i].is_null();
    !c.post_update && !(unset && (Some(i) == auto || c.server_default.is_some()))
}

/// `pk1 = ? AND pk2 = ?`.
pub(super) fn pk_filter(mapper: &Mapper, key: &[Value]) -> Expr {
    Expr::and_all(
        mapper
            .primary_key
            .iter()
            .zip(key)
            .map(|(&i, v)| {
                let ty: ColumnType = mapper.columns[i].ty.clone();
                Expr::binary(
                    BinaryOp::Eq,
                    super::query::column_of(mapper, i),
                    Expr::Bind(v.clone(), Some(ty)),
                )
            })
            .collect(),
    )
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

/// Name the object a failed statement was writing.
pub(super) fn flush_error(err: Error, doing: &str, batch: &[Instance], mapper: &Mapper) -> Error {
    let which = if batch.len() == 1 {
        super::session::default_repr(&batch[0])
    } else {
        format!("{} {} rows", batch.len(), mapper.name)
    };
    match err {
        Error::Database { message, code } => Error::Database {
            message: format!("{message} (while {doing} {which})"),
            code,
        },
        other => other,
    }
}
