//! The unit of work: writes what changed in the session, in an order sorted
//! from the foreign keys (parents inserted before children, children deleted
//! before parents); the inserts themselves are `insert.rs`. A failed flush
//! rolls the whole transaction back so nothing is half-written. Cycles of
//! foreign keys are broken by `post_update` (see `post_update.rs`).

use std::rc::Rc;

use crate::error::{Error, Result};
use crate::orm::flush::UnitOfWork;
use crate::orm::flush::flush_error;
use crate::orm::flush::generated_values;
use crate::orm::mapping::model::{Direction, Mapper, PassiveDeletes};
use crate::orm::state::instance::{Instance, ObjectState, Related};
use crate::orm::state::listeners::MapperEvent;
use crate::orm::state::transaction_record::WriteKind;
use crate::sql::{BinaryOp, ColumnType, Delete, Expr, Statement, Update, Value, compile};

/// Most rows in one multi-row DELETE, whatever the bind limit allows.
const MAX_BATCH_ROWS: usize = 500;

impl UnitOfWork<'_> {
    /// Write every pending change to the database, inside the transaction
    /// (the facade's `flush()` guards it and recovers from a failure).
    pub(crate) fn run(&self) -> Result<()> {
        self.warn_left_out();
        let new_objects = self.new_objects();
        self.dispatch(MapperEvent::BeforeInsert, &new_objects)?;
        let mut wall_time_checked = false;
        for obj in self.new_objects() {
            refuse_unrunnable_defaults(&obj)?;
            self.compute_python_defaults(&obj, &mut wall_time_checked)?;
        }
        let order = self.registry().dependency_order();
        // A mapper's place in the order, by mapper index.
        let mut rank = vec![0; self.registry().mappers.len()];
        for (r, &m) in order.iter().enumerate() {
            rank[m] = r;
        }
        self.check_insert_order(&rank)?;

        // Deletes are known first so a parent's delete can tell which children go with it.
        // The children are read inside the transaction the deletes run in
        // (SQLAlchemy's autobegin), so a child added meanwhile by another
        // connection is not missed between that read and the DELETE.
        for obj in &self.deleted_objects() {
            self.engine_for(&obj.mapper())?.ensure_transaction()?;
        }
        let deleted = self.collect_deletes()?;

        let pending = self.new_objects();
        self.reserve_identity(pending.len());
        self.reserve_inserts(pending.len());
        // Objects whose many-to-many collections may have changed.
        let mut linked: Vec<Instance> = pending.clone();
        let mut by_mapper: Vec<Vec<Instance>> = vec![Vec::new(); self.registry().mappers.len()];
        // The models of one hierarchy share a table: their rows are
        // inserted in the order the objects are added to the session, as
        // SQLAlchemy inserts them, a run of one model at a time.
        for obj in pending {
            let index = obj.borrow().mapper.identity_index();
            by_mapper[index].push(obj);
        }
        for &m in &order {
            let objs = std::mem::take(&mut by_mapper[m]);
            let mut objs = objs.into_iter().peekable();
            while let Some(first) = objs.next() {
                let mapper = first.mapper();
                let mut run = vec![first];
                while let Some(next) = objs.next_if(|o| Rc::ptr_eq(&o.borrow().mapper, &mapper)) {
                    run.push(next);
                }
                if mapper.is_joined() {
                    self.insert_joined(mapper, run)?;
                } else {
                    self.insert_all(mapper, run)?;
                }
            }
        }
        // Every pending object now has its row.
        self.keep_unflushed_new();
        self.dispatch(MapperEvent::AfterInsert, &new_objects)?;

        let mut modified: Vec<Instance> = self.take_modified();
        modified.sort_by_key(|o| rank[o.borrow().mapper.index]);
        for obj in &modified {
            obj.borrow_mut().queued = false;
            if obj.state() == ObjectState::Persistent {
                self.sync_relationships(obj);
            }
        }
        // Syncing may have queued more objects (children whose key changed).
        modified.extend(self.take_modified());
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
        if self.listens(MapperEvent::BeforeUpdate) {
            // A listener's own changes go into the same UPDATE.
            self.dispatch(MapperEvent::BeforeUpdate, &to_update)?;
            for obj in self.take_modified() {
                obj.borrow_mut().queued = false;
                if obj.state() == ObjectState::Persistent
                    && obj.has_changes()
                    && !deleted.iter().any(|d| d.same(&obj))
                    && seen.insert(obj.address())
                {
                    to_update.push(obj);
                }
            }
        }
        self.apply_onupdates(&to_update)?;
        // Runs of rows with the same table and changed columns go as one statement.
        let mut i = 0;
        while i < to_update.len() {
            let key = crate::orm::flush::batch_update::batch_key(&to_update[i]);
            let mut end = i + 1;
            while key.is_some()
                && end < to_update.len()
                && crate::orm::flush::batch_update::batch_key(&to_update[end]) == key
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

        self.dispatch(MapperEvent::AfterUpdate, &to_update)?;
        linked.extend(modified.iter().cloned());
        self.flush_secondary(&linked)?;

        let mut deleted = deleted;
        deleted.sort_by_key(|o| std::cmp::Reverse(rank[o.borrow().mapper.index]));
        self.clear_post_update_keys(&deleted)?;
        self.delete_all(&deleted)?;
        self.clear_deleted();
        Ok(())
    }

    /// A transient object in a relationship of one the flush writes is not
    /// in the session (it came there along a backref, which cascades
    /// nothing in SQLAlchemy 2.0): it is not inserted, and, as SQLAlchemy
    /// warns, the session says so.
    fn warn_left_out(&self) {
        let mut objs = self.new_objects();
        objs.extend(self.queued_persistent());
        for obj in objs {
            let mapper = obj.mapper();
            for (slot, rel) in mapper
                .relationships
                .iter()
                .enumerate()
                .filter(|(_, x)| !x.viewonly)
            {
                let items = match obj.related(slot) {
                    Related::One(Some(o)) => vec![o],
                    Related::Many(c) => c.items(),
                    _ => continue,
                };
                for item in items {
                    if item.state() == ObjectState::Transient {
                        self.warn(format!(
                            "{} is in {}.{} but not in the session, so it was not inserted (SQLAlchemy 2.0 adds no object along a backref): add it with db.session.add(..)",
                            self.describe(&item),
                            mapper.name,
                            rel.name
                        ));
                    }
                }
            }
        }
    }

    /// Copy keys along every loaded relationship of `obj`.
    fn sync_relationships(&self, obj: &Instance) {
        let mapper = obj.mapper();
        for (i, rel) in mapper
            .relationships
            .iter()
            .enumerate()
            .filter(|(_, x)| !x.viewonly)
        {
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

    pub(super) fn update_one(&self, obj: &Instance) -> Result<()> {
        let mapper = obj.mapper();
        let engine = self.engine_for(&mapper)?;
        let (assignments, key, sql) = {
            let data = obj.borrow();
            let mut assignments: Vec<(String, Expr)> = data
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
            let sql = generated_values::sql_onupdates(&data);
            for &(c, value) in &sql {
                assignments.push((
                    mapper.columns[c].db_name.clone(),
                    generated_values::sql_expr(value),
                ));
            }
            // A changed primary key is found by its old value.
            let key = obj.original_key().unwrap_or_default();
            (assignments, key, sql)
        };
        // Under joined-table inheritance, one UPDATE per table whose columns changed.
        let statements: Vec<Statement> = match &mapper.inheritance {
            Some(inh) if inh.tables.len() > 1 => {
                let mut per_table: Vec<Vec<(String, Expr)>> = vec![Vec::new(); inh.tables.len()];
                for (name, set) in assignments {
                    let c = mapper
                        .columns
                        .iter()
                        .position(|c| c.db_name == name)
                        .unwrap_or(0);
                    per_table[inh.column_tables[c]].push((name, set));
                }
                per_table
                    .into_iter()
                    .enumerate()
                    .filter(|(_, a)| !a.is_empty())
                    .map(|(t, assignments)| {
                        Statement::Update(Update {
                            table: inh.tables[t].name.clone(),
                            assignments,
                            filter: Some(Self::key_filter_in(&mapper, t, &key)),
                            returning: Vec::new(),
                        })
                    })
                    .collect()
            }
            _ => vec![Statement::Update(Update {
                table: mapper.table.clone(),
                assignments,
                filter: Some(pk_filter(&mapper, &key)),
                returning: Vec::new(),
            })],
        };
        let mut result = crate::engine::ExecResult::default();
        for stmt in &statements {
            result = engine
                .execute(&compile(stmt, engine.dialect()))
                .map_err(|e| flush_error(e, "updating", std::slice::from_ref(obj), &mapper))?;
        }
        if result.rows_affected == 0 && engine.dialect().update_counts_matched_rows() {
            return Err(Error::Session(format!(
                "UPDATE of {} matched no row: it was deleted by another connection",
                self.describe(obj)
            )));
        }
        self.count_write(mapper.index, WriteKind::Update, 1);
        self.track(obj, WriteKind::Update);
        let old_key = self.identity_key_for(&mapper, &key);
        obj.borrow_mut().changes.clear();
        generated_values::expire_database_values(obj, &sql);
        if let Some(old) = old_key {
            self.forget_key(&old);
            self.register_persistent(obj)?;
        }
        Ok(())
    }

    fn identity_key_for(
        &self,
        mapper: &Mapper,
        key: &[Value],
    ) -> Option<crate::orm::state::identity::IdentityKey> {
        Some((mapper.identity_index(), key.into()))
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
            for (r, rel) in mapper
                .relationships
                .iter()
                .enumerate()
                .filter(|(_, x)| !x.viewonly)
            {
                if rel.direction != Direction::OneToMany {
                    continue;
                }
                // passive_deletes: children not loaded are the database's
                // (its ON DELETE); with "all", every child is.
                let children = match rel.passive_deletes {
                    PassiveDeletes::No => self.related_for_unit_of_work(&obj, r)?,
                    PassiveDeletes::Yes => match obj.related(r) {
                        Related::Many(c) => c.items(),
                        Related::One(Some(o)) => vec![o],
                        _ => Vec::new(),
                    },
                    PassiveDeletes::All => Vec::new(),
                };
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
                                // The child's own name for the link, when it has one.
                                rel.reverse
                                    .as_deref()
                                    .unwrap_or(&child_mapper.columns[remote].name),
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
                    expr: Box::new(crate::orm::mapping::model::column_of(&mapper, col)),
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
            self.delete_joined_rows(&mapper, &batch)?;
            let stmt = Statement::Delete(Delete {
                table: mapper.from_table().to_string(),
                filter: Some(filter),
                returning: Vec::new(),
            });
            engine
                .execute(&compile(&stmt, engine.dialect()))
                .map_err(|e| flush_error(e, "deleting", &batch, &mapper))?;
            for obj in &batch {
                self.forget(obj);
                obj.set_state(ObjectState::Deleted);
                self.record_delete(obj);
                self.track(obj, WriteKind::Delete);
            }
            self.count_write(mapper.index, WriteKind::Delete, batch.len() as u64);
        }
        Ok(())
    }
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
                    crate::orm::mapping::model::column_of(mapper, i),
                    Expr::Bind(v.clone(), Some(ty)),
                )
            })
            .collect(),
    )
}

impl UnitOfWork<'_> {
    /// Fill in the defaults of the columns the object left unset, one value
    /// per row, as SQLAlchemy does at the INSERT: a literal, the models'
    /// own code (a closure), or a clock Python reads (`datetime.utcnow`).
    fn compute_python_defaults(&self, obj: &Instance, wall_time_checked: &mut bool) -> Result<()> {
        let mapper = obj.mapper();
        for (i, column) in mapper.columns.iter().enumerate() {
            if obj.borrow().set.get(i) {
                continue;
            }
            if let Some(call) = &column.default_call {
                let value = crate::orm::mapping::generated::Generated::Call(call.clone())
                    .value(&column.ty)
                    .map_err(|e| {
                        crate::orm::flush::generated_values::failed(&mapper, column, "default", e)
                    })?;
                obj.set_value(i, value.unwrap_or(Value::Null));
                continue;
            }
            if let Some(value) = &column.default {
                obj.set_value(i, value.clone());
                continue;
            }
            let Some(f) = column.default_fn else { continue };
            if f == crate::orm::mapping::column::DefaultFn::UtcNowAware
                && column.ty != ColumnType::DateTimeTz
                && !*wall_time_checked
            {
                self.check_utc_wall_time(&mapper, &column.name)?;
                *wall_time_checked = true;
            }
            obj.set_value(i, f.value(&column.ty));
        }
        Ok(())
    }

    /// A moment in UTC written to a column without a time zone: Flask's
    /// driver leaves PostgreSQL to read it in the server's own time zone,
    /// so ormsh writes its UTC wall time only where that zone is UTC.
    pub(super) fn check_utc_wall_time(&self, mapper: &Mapper, column: &str) -> Result<()> {
        let engine = self.engine_for(mapper)?;
        let Some(sql) = engine.dialect().client_time_zone_sql() else {
            return Ok(());
        };
        let compiled = crate::sql::Compiled {
            sql: sql.to_string(),
            binds: Vec::new(),
        };
        let zone = engine
            .fetch(&compiled, &[Some(ColumnType::Text)])?
            .first()
            .and_then(|r| r.first())
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let zone = zone.as_str();
        if matches!(
            zone,
            "UTC" | "Etc/UTC" | "GMT" | "Etc/GMT" | "UCT" | "Zulu" | "Etc/Zulu" | "Universal"
        ) {
            return Ok(());
        }
        Err(Error::invalid(format!(
            "{}.{column}: its default is the UTC time given to a column without a time zone, which PostgreSQL would read in the server's time zone ({zone}) under Flask; give {column} a value",
            mapper.name
        )))
    }
}

/// A pending object whose model computes a default in Python that ormsh
/// cannot run, left unset: refused before anything is sent.
fn refuse_unrunnable_defaults(obj: &Instance) -> Result<()> {
    let data = obj.borrow();
    for (i, column) in data.mapper.columns.iter().enumerate() {
        if let Some(why) = &column.default_refusal
            && !data.set.get(i)
        {
            return Err(Error::invalid(format!(
                "{}.{} cannot be inserted unset: {why}",
                data.mapper.name, column.name
            )));
        }
    }
    Ok(())
}
