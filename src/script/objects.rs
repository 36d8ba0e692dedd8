//! Models, objects and collections in Rhai: `User` (its columns as
//! expressions, `User.query`, `User(#{..})`), `u.username` read and written
//! through the session, `u.posts` as a live collection, and model `methods`.

use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, Map, NativeCallContext};

use super::Shared;
use super::construct::construct;
use super::convert::{OrRhai, RhaiResult, err, from_value, from_value_ref, rhai_error, to_value};
use super::expr::SqlExpr;
use super::handles::{
    Appender, CollectionHandle, ModelClass, ObjectHandle, QueryHandle, RelationshipAttr,
};
use super::python_refusals::{attribute_refusal, python_member, write_refusal};
use crate::error::Error;
use crate::orm::mapping::model::column_of;
use crate::orm::{Attr, Collection, Instance, Query, Related, default_repr};
use crate::sql::Value;

/// An attribute value as Rhai holds it.
pub fn attr_to_dynamic(owner: &Instance, name: &str, attr: Attr) -> Dynamic {
    match attr {
        Attr::Value(v) => from_value(v),
        Attr::Object(Some(o)) => Dynamic::from(ObjectHandle(o)),
        Attr::Object(None) => Dynamic::UNIT,
        // A dynamic relationship: a query that `append` and `remove` write through.
        Attr::Query(query) => Dynamic::from(QueryHandle(
            *query,
            owner.mapper().relationship_index(name).map(|rel| Appender {
                owner: owner.clone(),
                rel,
            }),
        )),
        Attr::Collection(items) => {
            let rel = owner.mapper().relationship_index(name).unwrap_or(0);
            Dynamic::from(CollectionHandle {
                owner: owner.clone(),
                rel,
                items,
            })
        }
    }
}

/// A Rhai value given to an attribute.
pub fn dynamic_to_attr(d: &Dynamic) -> RhaiResult<Attr> {
    if let Some(o) = d.read_lock::<ObjectHandle>() {
        return Ok(Attr::Object(Some(o.0.clone())));
    }
    if let Some(c) = d.read_lock::<CollectionHandle>() {
        return Ok(Attr::Collection(c.items.clone()));
    }
    if let Some(q) = d.read_lock::<QueryHandle>() {
        return Ok(Attr::Query(Box::new(q.0.clone())));
    }
    // A list of objects (or an empty list) is a collection's new contents.
    if let Ok(a) = d.as_array_ref()
        && a.iter().all(|x| x.is::<ObjectHandle>())
    {
        let items = a
            .iter()
            .filter_map(|x| x.read_lock::<ObjectHandle>().map(|o| o.0.clone()))
            .collect();
        return Ok(Attr::Collection(Collection::new(items)));
    }
    to_value(d).map(Attr::Value).rhai()
}

/// Who runs a `repr` closure: a running script, or the engine between lines.
pub enum Caller<'a> {
    Context(&'a NativeCallContext<'a>),
    Engine(&'a Engine),
}

/// The object's repr: the model's `repr` closure, or its Python
/// `__repr__` read as a template, else `<User 1>`.
pub fn repr(shared: &Shared, obj: &Instance, caller: Caller) -> String {
    let name = obj.mapper().name.clone();
    if let Some(template) = shared.python_reprs.get(&name) {
        let mapper = obj.mapper().clone();
        let text = crate::flask_models::repr::render(template, |attr| {
            let col = mapper.column_index(attr)?;
            shared.session.read_column(obj, col, Clone::clone).ok()
        });
        return text.unwrap_or_else(|| default_repr(obj));
    }
    if let Some(f) = shared
        .extras
        .borrow()
        .get(&name)
        .and_then(|e| e.repr.clone())
    {
        let arg = Dynamic::from(ObjectHandle(obj.clone()));
        let result = match caller {
            Caller::Context(ctx) => f.call_within_context::<Dynamic>(ctx, (arg,)),
            Caller::Engine(engine) => f.call::<Dynamic>(engine, &shared.functions, (arg,)),
        };
        if let Ok(text) = result {
            return text.to_string();
        }
    }
    default_repr(obj)
}

pub fn register(engine: &mut Engine, shared: &Rc<Shared>) {
    engine.register_type_with_name::<ModelClass>("Model");
    for name in ["to_string", "to_debug"] {
        engine.register_fn(name, |m: &mut ModelClass| format!("<class '{}'>", m.0.name));
    }
    engine.register_get("query", |m: &mut ModelClass| {
        QueryHandle::of(Query::new(m.0.clone()))
    });
    engine.register_get("__name__", |m: &mut ModelClass| m.0.name.clone());
    engine.register_get("__tablename__", |m: &mut ModelClass| m.0.table.clone());
    let s = shared.clone();
    engine.register_indexer_get(
        move |ctx: NativeCallContext, m: &mut ModelClass, name: &str| -> RhaiResult<Dynamic> {
            if let Some(i) = m.0.column_index(name) {
                return Ok(Dynamic::from(SqlExpr(column_of(&m.0, i))));
            }
            if let Some(index) = m.0.relationship_index(name) {
                return Ok(Dynamic::from(RelationshipAttr {
                    mapper: m.0.clone(),
                    index,
                }));
            }
            if let Some(found) = super::hybrids::on_class(&s, &ctx, m, name) {
                return found;
            }
            Err(rhai_error(m.0.unknown_attribute(name)))
        },
    );
    engine.register_fn("==", |a: ModelClass, b: ModelClass| Rc::ptr_eq(&a.0, &b.0));
    engine.register_type_with_name::<RelationshipAttr>("Relationship");
    engine.register_fn("to_string", |r: &mut RelationshipAttr| {
        format!("{}.{}", r.mapper.name, r.mapper.relationships[r.index].name)
    });

    engine.register_type_with_name::<ObjectHandle>("Object");
    for name in ["to_string", "to_debug"] {
        let s = shared.clone();
        engine.register_fn(name, move |ctx: NativeCallContext, o: &mut ObjectHandle| {
            repr(&s, &o.0, Caller::Context(&ctx))
        });
    }
    let s = shared.clone();
    engine.register_indexer_get(
        move |ctx: NativeCallContext, o: &mut ObjectHandle, name: &str| -> RhaiResult<Dynamic> {
            read_attribute(&s, &ctx, o, name)
        },
    );
    let s = shared.clone();
    engine.register_indexer_set(
        move |ctx: NativeCallContext,
              o: &mut ObjectHandle,
              name: &str,
              value: Dynamic|
              -> RhaiResult<()> { write_attribute(&s, &ctx, o, name, value) },
    );
    engine.register_fn("==", |a: ObjectHandle, b: ObjectHandle| a.0.same(&b.0));
    engine.register_fn("!=", |a: ObjectHandle, b: ObjectHandle| !a.0.same(&b.0));
    engine.register_fn("state", |o: &mut ObjectHandle| -> Map { state_map(&o.0) });

    engine.register_type_with_name::<CollectionHandle>("Collection");
    engine.register_iterator::<CollectionHandle>();
    for name in ["to_string", "to_debug"] {
        let s = shared.clone();
        engine.register_fn(
            name,
            move |ctx: NativeCallContext, c: &mut CollectionHandle| {
                let items: Vec<String> = c
                    .items
                    .items()
                    .iter()
                    .map(|o| repr(&s, o, Caller::Context(&ctx)))
                    .collect();
                format!("[{}]", items.join(", "))
            },
        );
    }
    engine.register_fn("len", |c: &mut CollectionHandle| c.items.len() as rhai::INT);
    engine.register_get("len", |c: &mut CollectionHandle| c.items.len() as rhai::INT);
    engine.register_fn("is_empty", |c: &mut CollectionHandle| c.items.is_empty());
    engine.register_fn("contains", |c: &mut CollectionHandle, o: ObjectHandle| {
        c.items.contains(&o.0)
    });
    engine.register_fn("to_array", |c: &mut CollectionHandle| -> Array {
        c.items
            .items()
            .into_iter()
            .map(|o| Dynamic::from(ObjectHandle(o)))
            .collect()
    });
    engine.register_indexer_get(
        |c: &mut CollectionHandle, i: rhai::INT| -> RhaiResult<ObjectHandle> {
            let len = c.items.len() as rhai::INT;
            let index = if i < 0 { len + i } else { i };
            match usize::try_from(index).ok().and_then(|i| c.items.get(i)) {
                Some(o) => Ok(ObjectHandle(o)),
                None => err(format!(
                    "index {i} is out of range for a collection of {len}"
                )),
            }
        },
    );
    let s = shared.clone();
    engine.register_fn(
        "append",
        move |c: &mut CollectionHandle, o: ObjectHandle| -> RhaiResult<()> {
            s.session.collection_append(&c.owner, c.rel, &o.0).rhai()
        },
    );
    let s = shared.clone();
    engine.register_fn(
        "push",
        move |c: &mut CollectionHandle, o: ObjectHandle| -> RhaiResult<()> {
            s.session.collection_append(&c.owner, c.rel, &o.0).rhai()
        },
    );
    let s = shared.clone();
    engine.register_fn(
        "remove",
        move |c: &mut CollectionHandle, o: ObjectHandle| -> RhaiResult<()> {
            s.session.collection_remove(&c.owner, c.rel, &o.0).rhai()
        },
    );
    super::dynamic_relationship::register(engine, shared);
    let s = shared.clone();
    engine.register_fn("clear", move |c: &mut CollectionHandle| -> RhaiResult<()> {
        for o in c.items.items() {
            s.session.collection_remove(&c.owner, c.rel, &o).rhai()?;
        }
        Ok(())
    });
}

/// `obj.state()` / `db.inspect(obj)`: the state, and each changed column's
/// old and new value.
pub fn state_map(obj: &Instance) -> Map {
    let mut m = Map::new();
    m.insert("state".into(), obj.state().name().into());
    let data = obj.borrow();
    let changes: Map = data
        .changes
        .iter()
        .map(|(c, old)| {
            let mut change = Map::new();
            change.insert("old".into(), from_value(old.clone()));
            change.insert("new".into(), from_value(data.values[*c].clone()));
            (
                data.mapper.columns[*c].name.as_str().into(),
                Dynamic::from(change),
            )
        })
        .collect();
    m.insert("changes".into(), changes.into());
    m
}

/// `o.name`: a column's value, or a relationship loaded as its strategy says.
fn read_attribute(
    s: &Shared,
    ctx: &NativeCallContext,
    o: &ObjectHandle,
    name: &str,
) -> RhaiResult<Dynamic> {
    let column = o.0.borrow().mapper.column_index(name);
    if let Some(col) = column {
        return s.session.read_column(&o.0, col, from_value_ref).rhai();
    }
    let before = s.session.lazy_loads();
    let attr = match s.session.attribute(&o.0, name) {
        Ok(attr) => attr,
        Err(e) => {
            if let Some(found) = super::hybrids::on_object(s, ctx, o, name) {
                return found;
            }
            return Err(python_member(s, &o.0.mapper().name, name).unwrap_or(e)).rhai();
        }
    };
    if s.session.lazy_loads() > before {
        s.nplusone
            .record(&o.0.mapper().name, name, ctx.call_position().line());
    }
    Ok(attr_to_dynamic(&o.0, name, attr))
}

fn write_attribute(
    s: &Shared,
    ctx: &NativeCallContext,
    o: &ObjectHandle,
    name: &str,
    value: Dynamic,
) -> RhaiResult<()> {
    if unchanged(&o.0, name, &value) {
        return Ok(());
    }
    let mapper = o.0.mapper().clone();
    if mapper.column_index(name).is_none()
        && mapper.relationship_index(name).is_none()
        && let Some(done) = super::hybrids::set(s, ctx, o, name, value.clone())
    {
        return done;
    }
    let model = &o.0.mapper().name;
    if let Some(e) = write_refusal(s, model).or_else(|| attribute_refusal(s, model, name)) {
        return Err(rhai_error(e));
    }
    let value = validated(s, &o.0.mapper().name, o, name, value)?;
    let attr = dynamic_to_attr(&value)?;
    match s.session.set_attribute(&o.0, name, attr) {
        Err(e) => Err(python_member(s, &o.0.mapper().name, name).unwrap_or(e)).rhai(),
        ok => ok.rhai(),
    }
}

/// `value` as the model's validator of `name` returns it (`validates:
/// #{ email: |key, value| .. }`, called with `this` the object, as
/// SQLAlchemy's `@validates`); an error it throws refuses the set.
pub(super) fn validated(
    s: &Shared,
    model: &str,
    obj: &ObjectHandle,
    name: &str,
    value: Dynamic,
) -> RhaiResult<Dynamic> {
    let Some(f) = s
        .extras
        .borrow()
        .get(model)
        .and_then(|e| e.validators.iter().find(|(n, _)| n == name))
        .map(|(_, f)| f.clone())
    else {
        return Ok(value);
    };
    s.runner
        .run(
            &f,
            Some(Dynamic::from(obj.clone())),
            vec![name.into(), value],
        )
        .map_err(|e| {
            rhai_error(Error::invalid(format!(
                "{model}.{name} was not set: its validator refused: {e}"
            )))
        })
}

/// Whether `value` is what `obj.name` holds already. Rhai writes a property
/// back after any method call on it (`u.email.len()`, `p.author.greet()`):
/// such a write changes nothing, is not a reassignment to sync, and should
/// cost no more than the comparison.
fn unchanged(obj: &Instance, name: &str, value: &Dynamic) -> bool {
    let data = obj.borrow();
    if let Some(col) = data.mapper.column_index(name) {
        // A column never set keeps its default: writing it is not a no-op.
        if !data.loaded.get(col) || !data.set.get(col) {
            return false;
        }
        return match &data.values[col] {
            Value::Text(current) => value
                .read_lock::<rhai::ImmutableString>()
                .is_some_and(|v| v.as_str() == current),
            Value::Int(current) => value.as_int().is_ok_and(|v| v == *current),
            Value::Bool(current) => value.as_bool().is_ok_and(|v| v == *current),
            _ => false,
        };
    }
    let rel = data.mapper.relationship_index(name);
    match rel.and_then(|r| data.related.get(r)) {
        Some(Related::One(Some(current))) => value
            .read_lock::<ObjectHandle>()
            .is_some_and(|v| v.0.same(current)),
        Some(Related::Many(current)) => value
            .read_lock::<CollectionHandle>()
            .is_some_and(|v| v.items.same(current)),
        _ => false,
    }
}

/// A property getter and setter for every attribute name of the models.
/// Without them each `p.author` went to the indexer only after Rhai had
/// failed to find a getter and built the error it then threw away, most of
/// what reading an attribute cost. Models added later (`db.reflect()`) are
/// read through the indexer.
fn register_attributes(engine: &mut Engine, shared: &Rc<Shared>) {
    let registry = shared.session.registry();
    let mut names: Vec<&str> = registry
        .mappers
        .iter()
        .flat_map(|m| {
            let columns = m.columns.iter().map(|c| c.name.as_str());
            columns.chain(m.relationships.iter().map(|r| r.name.as_str()))
        })
        .collect();
    let hybrids = super::hybrids::names(shared);
    names.extend(hybrids.iter().map(String::as_str));
    names.sort_unstable();
    names.dedup();
    for name in names {
        let (s, attr) = (shared.clone(), name.to_string());
        engine.register_fn(
            format!("get${name}"),
            move |ctx: NativeCallContext, o: &mut ObjectHandle| read_attribute(&s, &ctx, o, &attr),
        );
        let (s, attr) = (shared.clone(), name.to_string());
        engine.register_fn(
            format!("set${name}"),
            move |ctx: NativeCallContext, o: &mut ObjectHandle, value: Dynamic| {
                write_attribute(&s, &ctx, o, &attr, value)
            },
        );
    }
}

/// After the models file: `User(#{..})` for each model, its attributes,
/// and each model's `methods` as `obj.name(..)`.
pub fn register_models(engine: &mut Engine, shared: &Rc<Shared>) {
    register_attributes(engine, shared);
    for mapper in &shared.session.registry().mappers {
        let name = mapper.name.clone();
        let s = shared.clone();
        let model = name.clone();
        engine.register_fn(name.as_str(), move |ctx: NativeCallContext, attrs: Map| {
            construct(&s, Some(&ctx), &model, attrs)
        });
        let s = shared.clone();
        let model = name.clone();
        engine.register_fn(name.as_str(), move || {
            construct(&s, None, &model, Map::new())
        });
    }
    let mut method_names: Vec<String> = shared
        .extras
        .borrow()
        .values()
        .flat_map(|e| e.methods.iter().map(|(n, _)| n.clone()))
        .collect();
    method_names.sort();
    method_names.dedup();
    for method in method_names {
        for arity in 0..=3usize {
            let s = shared.clone();
            let m = method.clone();
            let call = move |ctx: NativeCallContext,
                             o: &mut ObjectHandle,
                             args: Vec<Dynamic>|
                  -> RhaiResult<Dynamic> {
                let model = o.0.mapper().name.clone();
                let f = s
                    .extras
                    .borrow()
                    .get(&model)
                    .and_then(|e| e.methods.iter().find(|(n, _)| *n == m))
                    .map(|(_, f)| f.clone())
                    .ok_or_else(|| {
                        rhai_error(Error::unknown(format!("{model} has no method `{m}`")))
                    })?;
                let mut this = Dynamic::from(o.clone());
                let mut args = args;
                f.call_raw(&ctx, Some(&mut this), &mut args)
            };
            match arity {
                0 => engine.register_fn(
                    method.as_str(),
                    move |ctx: NativeCallContext, o: &mut ObjectHandle| call(ctx, o, vec![]),
                ),
                1 => engine.register_fn(
                    method.as_str(),
                    move |ctx: NativeCallContext, o: &mut ObjectHandle, a: Dynamic| {
                        call(ctx, o, vec![a])
                    },
                ),
                2 => engine.register_fn(
                    method.as_str(),
                    move |ctx: NativeCallContext, o: &mut ObjectHandle, a: Dynamic, b: Dynamic| {
                        call(ctx, o, vec![a, b])
                    },
                ),
                _ => engine.register_fn(
                    method.as_str(),
                    move |ctx: NativeCallContext,
                          o: &mut ObjectHandle,
                          a: Dynamic,
                          b: Dynamic,
                          c: Dynamic| { call(ctx, o, vec![a, b, c]) },
                ),
            };
        }
    }
}
