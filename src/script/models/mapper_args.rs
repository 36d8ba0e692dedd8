//! A models file's inheritance options: `inherits: "Employee"` (the model
//! a model derives from, Python's base class) and `__mapper_args__` with
//! `polymorphic_on` and `polymorphic_identity`, as SQLAlchemy spells them.

use rhai::{Dynamic, Map};

use super::map_string;
use crate::orm::mapping::model::InheritanceDecl;
use crate::script::convert::{RhaiResult, err};
use crate::sql::Value;

/// Options SQLAlchemy's `__mapper_args__` may hold that change only when
/// a subclass's columns load, never what a query answers.
const LOADING_ONLY: [&str; 2] = ["with_polymorphic", "polymorphic_load"];

pub(super) fn inheritance(model: &str, opts: &Map) -> RhaiResult<InheritanceDecl> {
    let mut decl = InheritanceDecl {
        inherits: map_string(opts, "inherits")?,
        ..InheritanceDecl::default()
    };
    let Some(args) = opts.get("__mapper_args__") else {
        return Ok(decl);
    };
    let Some(args) = args.clone().try_cast::<Map>() else {
        return err(format!(
            "db.Model(\"{model}\"): __mapper_args__ is a map, like #{{ polymorphic_on: \"type\", polymorphic_identity: \"employee\" }}"
        ));
    };
    for (key, value) in args {
        match key.as_str() {
            "polymorphic_on" => match value.clone().into_string() {
                Ok(name) => decl.polymorphic_on = Some(name),
                Err(_) => {
                    return err(format!(
                        "db.Model(\"{model}\"): polymorphic_on names the discriminator column as a string, like \"type\""
                    ));
                }
            },
            "polymorphic_identity" => decl.polymorphic_identity = Some(identity(model, &value)?),
            k if LOADING_ONLY.contains(&k) => {}
            other => {
                return err(format!(
                    "db.Model(\"{model}\"): __mapper_args__ option `{other}` is not supported by ormsh; it reads polymorphic_on and polymorphic_identity (and with_polymorphic, polymorphic_load, which change only when columns load)"
                ));
            }
        }
    }
    Ok(decl)
}

fn identity(model: &str, value: &Dynamic) -> RhaiResult<Value> {
    if let Ok(s) = value.clone().into_string() {
        return Ok(Value::Text(s));
    }
    if let Ok(i) = value.as_int() {
        return Ok(Value::Int(i));
    }
    err(format!(
        "db.Model(\"{model}\"): polymorphic_identity is a string or an integer, not a {}",
        value.type_name()
    ))
}
