//! `db.Model(..)`: a model's list of columns and relationships and its
//! options (table, bind, constraints, inheritance) collected into a
//! `ModelDecl`, and its closures (`repr`, `methods`, `validates`, events,
//! `column_property`, `hybrid_property`) into its `ModelExtras`.

use rhai::{Array, FnPtr, Map};

use super::{
    Collector, ModelExtras, ModelItem, check_keys, column_property, constraints, hybrid,
    is_identifier, map_string, mapper_args,
};
use crate::orm::ModelDecl;
use crate::script::convert::{RhaiResult, err};

/// Mapper events a model's options may name.
const EVENTS: [&str; 4] = [
    "before_insert",
    "after_insert",
    "before_update",
    "after_update",
];

pub(super) fn model(collector: &Collector, name: &str, items: Array, opts: Map) -> RhaiResult<()> {
    let mut allowed = vec![
        "tablename",
        "schema",
        "repr",
        "bind_key",
        "methods",
        "__table_args__",
        "__mapper_args__",
        "inherits",
        "validates",
        "column_property",
        "hybrid_property",
    ];
    allowed.extend(EVENTS);
    check_keys(&format!("db.Model(\"{name}\")"), &opts, &allowed)?;
    if !is_identifier(name) {
        return err(format!(
            "db.Model(\"{name}\"): a model name must be an identifier, like User or BlogPost"
        ));
    }
    // `schema: "sales"` (SQLAlchemy's `__table_args__ = {"schema": ..}`):
    // the table is `sales.<tablename>`.
    let tablename = match map_string(&opts, "schema")? {
        Some(schema) if schema.is_empty() || schema.contains('.') => {
            return err(format!(
                "db.Model(\"{name}\"): schema {schema:?} must be a schema's name"
            ));
        }
        Some(schema) => Some(format!(
            "{schema}.{}",
            map_string(&opts, "tablename")?
                .unwrap_or_else(|| crate::orm::mapping::naming::camel_to_snake_case(name))
        )),
        None => map_string(&opts, "tablename")?,
    };
    let mut decl = ModelDecl {
        name: name.to_string(),
        tablename,
        columns: Vec::new(),
        relationships: Vec::new(),
        bind_key: map_string(&opts, "bind_key")?,
        constraints: match opts.get("__table_args__") {
            Some(args) => constraints::table_args(name, args)?,
            None => Vec::new(),
        },
        inheritance: mapper_args::inheritance(name, &opts)?,
    };
    for item in items {
        match item.clone().try_cast::<ModelItem>() {
            Some(ModelItem::Column(c)) => decl.columns.push(c),
            Some(ModelItem::Relationship(r)) => decl.relationships.push(r),
            None => {
                return err(format!(
                    "db.Model(\"{name}\"): the list holds db.Column(..) and db.relationship(..) items, not a {}",
                    item.type_name()
                ));
            }
        }
    }
    let mut extras = ModelExtras::default();
    if let Some(repr) = opts.get("repr") {
        match repr.clone().try_cast::<FnPtr>() {
            Some(f) => extras.repr = Some(f),
            None => {
                return err(format!(
                    "db.Model(\"{name}\"): repr must be a closure, like |u| `<User ${{u.username}}>`"
                ));
            }
        }
    }
    if let Some(methods) = opts.get("methods") {
        let Some(map) = methods.clone().try_cast::<Map>() else {
            return err(format!(
                "db.Model(\"{name}\"): methods must be a map of closures"
            ));
        };
        for (method, f) in map {
            match f.try_cast::<FnPtr>() {
                Some(f) => extras.methods.push((method.to_string(), f)),
                None => {
                    return err(format!(
                        "db.Model(\"{name}\"): method `{method}` must be a closure"
                    ));
                }
            }
        }
    }
    if let Some(validates) = opts.get("validates") {
        let Some(map) = validates.clone().try_cast::<Map>() else {
            return err(format!(
                "db.Model(\"{name}\"): validates must be a map of closures, like #{{ email: |key, value| value.to_lower() }}"
            ));
        };
        for (attr, f) in map {
            if !decl.columns.iter().any(|c| c.name == attr.as_str())
                && !decl.relationships.iter().any(|r| r.name == attr.as_str())
            {
                return err(format!(
                    "db.Model(\"{name}\"): validates names `{attr}`, which is not an attribute of {name}"
                ));
            }
            match f.try_cast::<FnPtr>() {
                Some(f) => extras.validators.push((attr.to_string(), f)),
                None => {
                    return err(format!(
                        "db.Model(\"{name}\"): the validator of `{attr}` must be a closure |key, value|"
                    ));
                }
            }
        }
    }
    if let Some(properties) = opts.get("column_property") {
        extras.column_properties = column_property::parse(name, properties)?;
    }
    if let Some(hybrids) = opts.get("hybrid_property") {
        extras.hybrids = hybrid::parse(name, hybrids)?;
    }
    let mut names: Vec<&str> = extras.methods.iter().map(|(n, _)| n.as_str()).collect();
    names.extend(extras.column_properties.iter().map(|(n, _)| n.as_str()));
    for h in &extras.hybrids {
        if names.contains(&h.name.as_str())
            || decl.columns.iter().any(|c| c.name == h.name)
            || decl.relationships.iter().any(|r| r.name == h.name)
        {
            return err(format!(
                "db.Model(\"{name}\"): hybrid_property `{}` has the name of another attribute of {name}",
                h.name
            ));
        }
    }
    for event in EVENTS {
        if let Some(f) = opts.get(event) {
            match f.clone().try_cast::<FnPtr>() {
                Some(f) => extras.events.push((event.to_string(), f)),
                None => {
                    return err(format!(
                        "db.Model(\"{name}\"): {event} must be a closure |obj|"
                    ));
                }
            }
        }
    }
    let mut decls = collector.borrow_mut();
    decls.extras.insert(name.to_string(), extras);
    decls.models.push(decl);
    Ok(())
}
