//! `Model(#{..})`: a new object, its keywords set as SQLAlchemy's
//! constructor sets them (columns and relationships, then hybrid
//! properties through their setters, validators run), refused where a
//! Python constructor or hook would run in Flask.

use rhai::{Dynamic, Map, NativeCallContext};

use super::Shared;
use super::convert::{OrRhai, RhaiResult, rhai_error};
use super::handles::ObjectHandle;
use super::objects::{dynamic_to_attr, validated};
use super::python_refusals::{attribute_refusal, python_member, write_refusal};
use crate::error::Error;

/// `Model(#{..})`: SQLAlchemy's constructor sets each keyword as an
/// attribute, so a hybrid property's is set through its setter, after the
/// columns.
pub(super) fn construct(
    shared: &Shared,
    ctx: Option<&NativeCallContext>,
    model: &str,
    mut attrs: Map,
) -> RhaiResult<ObjectHandle> {
    let mapper = super::hybrids::any(shared)
        .then(|| shared.session.registry().get(model).cloned())
        .flatten();
    let hybrid_keys: Vec<_> = attrs
        .keys()
        .filter(|k| {
            mapper.as_ref().is_some_and(|m| {
                m.column_index(k).is_none()
                    && m.relationship_index(k).is_none()
                    && super::hybrids::is_hybrid(shared, m, k)
            })
        })
        .cloned()
        .collect();
    if !hybrid_keys.is_empty() {
        let hybrids: Vec<_> = hybrid_keys
            .into_iter()
            .filter_map(|k| attrs.remove(&k).map(|v| (k, v)))
            .collect();
        let obj = construct(shared, ctx, model, attrs)?;
        for (k, v) in hybrids {
            let Some(ctx) = ctx else {
                return Err(rhai_error(Error::invalid(format!(
                    "{model}(..) sets the hybrid property `{k}` here only in a script; set it after: obj.{k} = .."
                ))));
            };
            if let Some(done) = super::hybrids::set(shared, ctx, &obj, &k, v) {
                done?;
            }
        }
        return Ok(obj);
    }
    // A constructor written in Python would set what ormsh cannot know.
    if let Some(e) =
        python_member(shared, model, "__init__").or_else(|| write_refusal(shared, model))
    {
        return Err(rhai_error(e));
    }
    if let Some(e) = attrs
        .keys()
        .find_map(|k| attribute_refusal(shared, model, k))
    {
        return Err(rhai_error(e));
    }
    if shared
        .extras
        .borrow()
        .get(model)
        .is_some_and(|e| !e.validators.is_empty())
    {
        // Validators see the object being made, as `self` in Python's `__init__`.
        let obj = ObjectHandle(shared.session.create_from::<&str>(model, []).rhai()?);
        for (k, v) in attrs {
            let v = validated(shared, model, &obj, &k, v)?;
            shared
                .session
                .set_attribute(&obj.0, &k, dynamic_to_attr(&v)?)
                .rhai()?;
        }
        return Ok(obj);
    }
    let mut pairs = Vec::with_capacity(attrs.len());
    for (k, v) in attrs {
        pairs.push((k, dynamic_to_attr(&v)?));
    }
    shared
        .session
        .create_from(model, pairs)
        .map(ObjectHandle)
        .rhai()
}

/// `Model(#{..})` for a model added after start-up (`db.reflect()`), which
/// has no registered constructor: a resort of the missing-function hook.
pub(super) fn missing_constructor(
    shared: &Shared,
    name: &str,
    args: &[&mut Dynamic],
    is_method_call: bool,
) -> RhaiResult<Option<Dynamic>> {
    if is_method_call
        || args.len() > 1
        || shared.constructed_at_start.contains(name)
        || shared.session.registry().get(name).is_none()
    {
        return Ok(None);
    }
    let attrs = match args.first() {
        None => Map::new(),
        Some(a) => (**a).clone().try_cast::<Map>().ok_or_else(|| {
            rhai_error(Error::invalid(format!(
                "{name}(..) takes a map of attributes, like {name}(#{{ name: \"..\" }})"
            )))
        })?,
    };
    construct(shared, None, name, attrs).map(|o| Some(Dynamic::from(o)))
}
