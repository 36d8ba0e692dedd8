//! `db` and `db.session` in Rhai: the models file's declarations, the
//! schema calls, the session's methods, and recorded queries.

use std::cell::{OnceCell, RefCell};
use std::rc::{Rc, Weak};

use rhai::{Array, Dynamic, Engine, FnPtr, Map, NativeCallContext};

use super::Shared;
use super::convert::{OrRhai, RhaiResult, err, rhai_error};
use super::handles::{ModelClass, ObjectHandle};
use super::models::code::CodeRunner;
use super::models::{Collector, DeclarationSource};
use crate::error::Error;
use crate::orm::Instance;
use crate::orm::schema::ddl::SchemaReport;

/// `db`: declarations while the models file runs, the shell's API after.
/// The models' closures keep `db`, and the session keeps the models: `db`
/// holds the shell's state weakly, so the two do not keep each other alive.
#[derive(Clone)]
pub struct Db {
    collector: Collector,
    shared: Rc<OnceCell<Weak<Shared>>>,
    runner: Rc<CodeRunner>,
}

impl Db {
    pub fn new(collector: Collector) -> Self {
        Db {
            collector,
            shared: Rc::new(OnceCell::new()),
            runner: Rc::new(CodeRunner::default()),
        }
    }

    pub fn attach(&self, shared: &Rc<Shared>) {
        let _ = self.shared.set(Rc::downgrade(shared));
    }

    pub(super) fn shared(&self) -> RhaiResult<Rc<Shared>> {
        match self.shared.get() {
            None => Err(rhai_error(Error::invalid(
                "the database is not open while the models file loads: declare models only",
            ))),
            Some(weak) => weak.upgrade().ok_or_else(|| {
                rhai_error(Error::invalid(
                    "this db belongs to a shell that was closed (.reload): use db again",
                ))
            }),
        }
    }
}

impl DeclarationSource for Db {
    fn collector(&self) -> &Collector {
        &self.collector
    }

    fn runner(&self) -> &Rc<CodeRunner> {
        &self.runner
    }
}

/// `db.session.begin_nested()`: commit or roll back to it.
#[derive(Clone)]
pub struct NestedHandle(Rc<Shared>, crate::orm::Savepoint);

/// `db.session`.
#[derive(Clone)]
pub struct SessionHandle(Rc<Shared>);

fn object(d: &Dynamic, what: &str) -> RhaiResult<Instance> {
    // Read in place: a clone of the Dynamic would box a copy of the handle.
    match d.read_lock::<ObjectHandle>() {
        Some(o) => Ok(o.0.clone()),
        None => err(format!(
            "db.session.{what}() takes a model object, like User(#{{..}}), not {}",
            super::errors::described(d)
        )),
    }
}

fn objects_array(list: Vec<Instance>) -> Array {
    list.into_iter()
        .map(|o| Dynamic::from(ObjectHandle(o)))
        .collect()
}

/// `bind_key=` as Flask-SQLAlchemy takes it: absent for every bind, `()`
/// for the default database, a key, or a list of them. `None`: every bind.
fn bind_option(opts: &Map) -> RhaiResult<Option<Vec<Option<String>>>> {
    match opts.get("bind_key") {
        None => Ok(None),
        Some(v) => bind_keys(v).map(Some),
    }
}

fn bind_keys(v: &Dynamic) -> RhaiResult<Vec<Option<String>>> {
    let one = |v: &Dynamic| -> RhaiResult<Option<String>> {
        if v.is_unit() {
            Ok(None)
        } else if v.is_string() {
            Ok(Some(v.to_string()))
        } else {
            err(format!(
                "bind_key must be a string, (), or a list of them, not {}",
                super::errors::described(v)
            ))
        }
    };
    match v.read_lock::<Array>() {
        Some(list) => list.iter().map(one).collect(),
        None => Ok(vec![one(v)?]),
    }
}

fn schema_report(r: crate::orm::schema::ddl::SchemaReport) -> Dynamic {
    let mut m = Map::new();
    let list =
        |v: Vec<String>| -> Dynamic { v.into_iter().map(Dynamic::from).collect::<Array>().into() };
    if !r.created.is_empty() || !r.existing.is_empty() {
        m.insert("created".into(), list(r.created));
        m.insert("existing".into(), list(r.existing));
    }
    if !r.dropped.is_empty() {
        m.insert("dropped".into(), list(r.dropped));
    }
    m.into()
}

pub fn register(engine: &mut Engine) {
    engine.register_type_with_name::<Db>("SQLAlchemy");
    engine.register_fn("to_string", |_: &mut Db| "<SQLAlchemy>".to_string());
    super::models::register::<Db>(engine);
    engine.register_get("session", |db: &mut Db| -> RhaiResult<SessionHandle> {
        Ok(SessionHandle(db.shared()?))
    });
    /// Each bind of `binds` in turn (`None`: all of them), one report.
    fn each_bind(
        binds: Option<Vec<Option<String>>>,
        mut run: impl FnMut(Option<Option<&str>>) -> crate::error::Result<SchemaReport>,
    ) -> RhaiResult<Dynamic> {
        let report = match binds {
            None => run(None).rhai()?,
            Some(keys) => {
                let mut all = SchemaReport::default();
                for key in &keys {
                    let r = run(Some(key.as_deref())).rhai()?;
                    all.created.extend(r.created);
                    all.existing.extend(r.existing);
                    all.dropped.extend(r.dropped);
                }
                all
            }
        };
        Ok(schema_report(report))
    }
    fn create_all(db: &Db, binds: Option<Vec<Option<String>>>) -> RhaiResult<Dynamic> {
        let s = db.shared()?;
        each_bind(binds, |bind| s.session.create_all(bind))
    }
    fn drop_all(
        db: &Db,
        binds: Option<Vec<Option<String>>>,
        opts: Option<&Map>,
    ) -> RhaiResult<Dynamic> {
        let s = db.shared()?;
        match &binds {
            None => s.session.schema_binds_set(None, "drop_all").rhai()?,
            Some(keys) => {
                for key in keys {
                    s.session
                        .schema_binds_set(Some(key.as_deref()), "drop_all")
                        .rhai()?;
                }
            }
        }
        super::guard::confirm(
            &s,
            opts,
            "db.drop_all() drops every table of the models and all their rows.",
        )?;
        each_bind(binds, |bind| s.session.drop_all(bind))
    }
    engine.register_fn("reflect", |db: &mut Db| -> RhaiResult<rhai::Array> {
        let s = db.shared()?;
        let (added, notes) = s.session.reflect().rhai()?;
        s.reflected.borrow_mut().extend(added.iter().cloned());
        s.notes.borrow_mut().extend(notes);
        Ok(added.into_iter().map(Dynamic::from).collect())
    });
    engine.register_fn("create_all", |db: &mut Db| create_all(db, None));
    engine.register_fn("create_all", |db: &mut Db, opts: Map| {
        create_all(db, bind_option(&opts)?)
    });
    // `db.create_all(["a", "b"])`: bind_keys given by position.
    engine.register_fn("create_all", |db: &mut Db, keys: Array| {
        create_all(db, Some(bind_keys(&keys.into())?))
    });
    // `db.create_all("auth")`: one bind_key by position, as Python passes it.
    engine.register_fn("create_all", |db: &mut Db, key: &str| {
        create_all(db, Some(vec![Some(key.to_string())]))
    });
    engine.register_fn("drop_all", |db: &mut Db| drop_all(db, None, None));
    engine.register_fn("drop_all", |db: &mut Db, key: &str| {
        drop_all(db, Some(vec![Some(key.to_string())]), None)
    });
    engine.register_fn("drop_all", |db: &mut Db, opts: Map| {
        drop_all(db, bind_option(&opts)?, Some(&opts))
    });
    engine.register_fn("drop_all", |db: &mut Db, keys: Array| {
        drop_all(db, Some(bind_keys(&keys.into())?), None)
    });
    engine.register_fn(
        "get_or_404",
        |db: &mut Db, m: ModelClass, pk: Dynamic| -> RhaiResult<ObjectHandle> {
            let s = db.shared()?;
            let shown = pk.to_string();
            let pk = super::query::pk_values(pk)?;
            match s.session.get(&m.0, pk).rhai()? {
                Some(o) => Ok(ObjectHandle(o)),
                None => Err(rhai_error(Error::NoResult(format!(
                    "404 Not Found: no {} with primary key {shown}",
                    m.0.name
                )))),
            }
        },
    );
    // `db.get_or_404(Todo, 1, #{ options: [joinedload(Todo.user)], description: ".." })`:
    // Flask-SQLAlchemy passes the other keywords to `session.get`; ormsh
    // takes `options` of those and refuses the rest.
    engine.register_fn(
        "get_or_404",
        |db: &mut Db, m: ModelClass, pk: Dynamic, opts: Map| -> RhaiResult<ObjectHandle> {
            let s = db.shared()?;
            let mut query = crate::orm::Query::new(m.0.clone());
            let mut description = None;
            for (key, value) in &opts {
                match key.as_str() {
                    "options" => {
                        let Some(list) = value.clone().try_cast::<Array>() else {
                            return err("get_or_404(): `options` takes a list, such as [joinedload(Post.author)]");
                        };
                        for option in &list {
                            query = super::loader::apply(query, option)?;
                        }
                    }
                    "description" => description = Some(value.to_string()),
                    other => {
                        return err(format!(
                            "get_or_404() has no option `{other}` in ormsh; its options are options, description"
                        ));
                    }
                }
            }
            let shown = pk.to_string();
            let pk = super::query::pk_values(pk)?;
            match s.session.get_with(&query, pk).rhai()? {
                Some(o) => Ok(ObjectHandle(o)),
                None => Err(rhai_error(Error::NoResult(format!(
                    "404 Not Found: {}",
                    description.unwrap_or_else(|| format!("no {} with primary key {shown}", m.0.name))
                )))),
            }
        },
    );
    engine.register_fn("execute", |db: &mut Db, sql: &str| {
        super::raw::execute(&*db.shared()?, sql, None, None)
    });
    engine.register_fn("execute", |db: &mut Db, sql: &str, p: Dynamic| {
        super::raw::execute(&*db.shared()?, sql, Some(&p), None)
    });
    engine.register_fn("execute", |db: &mut Db, sql: &str, p: Dynamic, o: Map| {
        super::raw::execute(&*db.shared()?, sql, Some(&p), Some(&o))
    });
    engine.register_fn("execute", |s: SessionHandle, sql: &str| {
        super::raw::execute(&s.0, sql, None, None)
    });
    engine.register_fn("execute", |s: SessionHandle, sql: &str, p: Dynamic| {
        super::raw::execute(&s.0, sql, Some(&p), None)
    });
    engine.register_fn(
        "execute",
        |s: SessionHandle, sql: &str, p: Dynamic, o: Map| {
            super::raw::execute(&s.0, sql, Some(&p), Some(&o))
        },
    );
    // `db.text(..)`, as Flask-SQLAlchemy writes `db.session.execute(db.text(..))`.
    use super::models::TextClause;
    engine.register_fn("execute", |db: &mut Db, sql: TextClause| {
        super::raw::execute(&*db.shared()?, &sql.0, None, None)
    });
    engine.register_fn("execute", |db: &mut Db, sql: TextClause, p: Dynamic| {
        super::raw::execute(&*db.shared()?, &sql.0, Some(&p), None)
    });
    engine.register_fn("execute", |s: SessionHandle, sql: TextClause| {
        super::raw::execute(&s.0, &sql.0, None, None)
    });
    engine.register_fn(
        "execute",
        |s: SessionHandle, sql: TextClause, p: Dynamic| {
            super::raw::execute(&s.0, &sql.0, Some(&p), None)
        },
    );
    engine.register_fn("get_recorded_queries", |db: &mut Db| -> RhaiResult<Array> {
        Ok(db.shared()?.recorded.to_array())
    });

    engine.register_type_with_name::<SessionHandle>("Session");
    engine.register_fn("to_string", |_: SessionHandle| "<Session>".to_string());
    engine.register_fn("add", |s: SessionHandle, o: Dynamic| -> RhaiResult<()> {
        s.0.session.add(&object(&o, "add")?).rhai()
    });
    engine.register_fn(
        "add_all",
        |s: SessionHandle, list: Array| -> RhaiResult<()> {
            for o in list {
                s.0.session.add(&object(&o, "add_all")?).rhai()?;
            }
            Ok(())
        },
    );
    engine.register_fn("delete", |s: SessionHandle, o: Dynamic| -> RhaiResult<()> {
        s.0.session.delete(&object(&o, "delete")?).rhai()
    });
    engine.register_fn(
        "commit",
        |ctx: NativeCallContext, s: SessionHandle| -> RhaiResult<()> {
            commit_with_signals(&ctx, &s.0)
        },
    );
    engine.register_fn(
        "on_before_models_committed",
        |db: &mut Db, f: FnPtr| -> RhaiResult<()> {
            let s = db.shared()?;
            s.signals.connect(&s, f, true)
        },
    );
    engine.register_fn(
        "on_models_committed",
        |db: &mut Db, f: FnPtr| -> RhaiResult<()> {
            let s = db.shared()?;
            s.signals.connect(&s, f, false)
        },
    );
    engine.register_fn("rollback", |s: SessionHandle| -> RhaiResult<()> {
        s.0.session.rollback().rhai()
    });
    engine.register_fn("flush", |s: SessionHandle| -> RhaiResult<()> {
        s.0.session.flush().rhai()
    });
    engine.register_fn(
        "refresh",
        |s: SessionHandle, o: Dynamic| -> RhaiResult<()> {
            s.0.session.refresh(&object(&o, "refresh")?).rhai()
        },
    );
    engine.register_fn("expire", |s: SessionHandle, o: Dynamic| -> RhaiResult<()> {
        s.0.session.expire(&object(&o, "expire")?);
        Ok(())
    });
    engine.register_fn("expire_all", |s: SessionHandle| s.0.session.expire_all());
    engine.register_fn(
        "expunge",
        |s: SessionHandle, o: Dynamic| -> RhaiResult<()> {
            s.0.session.expunge(&object(&o, "expunge")?);
            Ok(())
        },
    );
    engine.register_fn(
        "merge",
        |s: SessionHandle, o: Dynamic| -> RhaiResult<ObjectHandle> {
            s.0.session
                .merge(&object(&o, "merge")?)
                .map(ObjectHandle)
                .rhai()
        },
    );
    engine.register_fn("expunge_all", |s: SessionHandle| s.0.session.expunge_all());
    engine.register_fn(
        "get",
        |s: SessionHandle, m: ModelClass, pk: Dynamic| -> RhaiResult<Dynamic> {
            let pk = super::query::pk_values(pk)?;
            Ok(s.0
                .session
                .get(&m.0, pk)
                .rhai()?
                .map_or(Dynamic::UNIT, |o| Dynamic::from(ObjectHandle(o))))
        },
    );
    engine.register_type_with_name::<NestedHandle>("SessionTransaction");
    engine.register_fn(
        "begin_nested",
        |s: SessionHandle| -> RhaiResult<NestedHandle> {
            Ok(NestedHandle(
                s.0.clone(),
                s.0.session.begin_nested().rhai()?,
            ))
        },
    );
    engine.register_fn("commit", |n: &mut NestedHandle| -> RhaiResult<()> {
        n.0.session.commit_nested(&n.1).rhai()
    });
    engine.register_fn("rollback", |n: &mut NestedHandle| -> RhaiResult<()> {
        n.0.session.rollback_nested(&n.1).rhai()
    });
    engine.register_fn("to_string", |n: &mut NestedHandle| {
        format!("<savepoint {}>", n.1.name)
    });
    engine.register_fn("inspect", |_: &mut Db, o: ObjectHandle| -> Map {
        super::objects::state_map(&o.0)
    });
    engine.register_get("new", |s: &mut SessionHandle| {
        objects_array(s.0.session.new_objects())
    });
    engine.register_get("dirty", |s: &mut SessionHandle| {
        objects_array(s.0.session.dirty_objects())
    });
    engine.register_get("deleted", |s: &mut SessionHandle| {
        objects_array(s.0.session.deleted_objects())
    });
    // `db.session.autoflush = false`, as SQLAlchemy's Session.autoflush.
    engine.register_get("autoflush", |s: &mut SessionHandle| {
        s.0.session.autoflush_enabled()
    });
    engine.register_set("autoflush", |s: &mut SessionHandle, on: bool| {
        s.0.session.set_autoflush(on);
    });
    engine.register_fn(
        "no_autoflush",
        |ctx: NativeCallContext, s: SessionHandle, f: FnPtr| -> RhaiResult<Dynamic> {
            let before = s.0.session.set_autoflush(false);
            let out = f.call_within_context::<Dynamic>(&ctx, ());
            s.0.session.set_autoflush(before);
            out
        },
    );
}

/// Flask-SQLAlchemy's `before_models_committed` and `models_committed`.
#[derive(Default)]
pub struct Signals {
    before: RefCell<Vec<FnPtr>>,
    after: RefCell<Vec<FnPtr>>,
}

impl Signals {
    fn connect(&self, shared: &Shared, f: FnPtr, before: bool) -> RhaiResult<()> {
        if !shared.session.tracks_modifications() {
            return err(
                "the commit signals need track_modifications = true under [database] in ormsh.toml",
            );
        }
        if before {
            self.before.borrow_mut().push(f)
        } else {
            self.after.borrow_mut().push(f)
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        self.before.borrow().is_empty() && self.after.borrow().is_empty()
    }
}

/// `[[obj, "insert"], ..]`, the changes a signal receives.
fn changes_array(changes: &[(crate::orm::Instance, crate::orm::WriteKind)]) -> Array {
    changes
        .iter()
        .map(|(o, k)| {
            Dynamic::from(vec![
                Dynamic::from(ObjectHandle(o.clone())),
                Dynamic::from(k.name()),
            ])
        })
        .collect()
}

/// `db.session.commit()`, with the signals around it when any are connected.
fn commit_with_signals(ctx: &NativeCallContext, shared: &Shared) -> RhaiResult<()> {
    if shared.signals.is_empty() {
        return shared.session.commit().rhai();
    }
    shared.session.flush().rhai()?;
    let changes = changes_array(&shared.session.tracked_changes());
    let before: Vec<FnPtr> = shared.signals.before.borrow().clone();
    for f in before {
        let _ = f.call_within_context::<Dynamic>(ctx, (changes.clone(),))?;
    }
    // What the before-signal changed commits too.
    shared.session.flush().rhai()?;
    let changes = changes_array(&shared.session.tracked_changes());
    shared.session.commit().rhai()?;
    let after: Vec<FnPtr> = shared.signals.after.borrow().clone();
    for f in after {
        let _ = f.call_within_context::<Dynamic>(ctx, (changes.clone(),))?;
    }
    Ok(())
}

/// Answers a yes/no question at the prompt (always yes where there is none).
pub type Confirm = Box<dyn Fn(&str) -> bool>;
