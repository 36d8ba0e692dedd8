//! `hybrid_property: #{ .. }` in a models file: by attribute, one closure
//! that is both levels, as SQLAlchemy's `@hybrid_property` runs its one
//! function on an object and on the class (`this` is either), or a map of
//! `get`, and optionally `expression` (the class level, as
//! `@x.expression`) and `set` (`|value| ..`, as `@x.setter`).

use rhai::{Dynamic, FnPtr, Map};

use crate::script::convert::{RhaiResult, err};
use crate::script::hybrids::HybridDecl;

pub(super) fn parse(model: &str, value: &Dynamic) -> RhaiResult<Vec<HybridDecl>> {
    let example = "#{ full_name: || this.first + \" \" + this.last }";
    let Some(map) = value.clone().try_cast::<Map>() else {
        return err(format!(
            "db.Model(\"{model}\"): hybrid_property must be a map, like {example}"
        ));
    };
    let mut out = Vec::new();
    for (name, v) in map {
        let closure = |key: &str, v: Option<&Dynamic>| -> RhaiResult<Option<FnPtr>> {
            match v {
                None => Ok(None),
                Some(v) => match v.clone().try_cast::<FnPtr>() {
                    Some(f) => Ok(Some(f)),
                    None => err(format!(
                        "db.Model(\"{model}\"): hybrid_property `{name}`: `{key}` must be a closure"
                    )),
                },
            }
        };
        let decl = if let Some(f) = v.clone().try_cast::<FnPtr>() {
            HybridDecl {
                name: name.to_string(),
                get: f,
                expression: None,
                set: None,
            }
        } else if let Some(parts) = v.clone().try_cast::<Map>() {
            if let Some(key) = parts
                .keys()
                .find(|k| !matches!(k.as_str(), "get" | "expression" | "set"))
            {
                return err(format!(
                    "db.Model(\"{model}\"): hybrid_property `{name}` takes get, expression and set, not `{key}`"
                ));
            }
            let Some(get) = closure("get", parts.get("get"))? else {
                return err(format!(
                    "db.Model(\"{model}\"): hybrid_property `{name}` needs `get`, the closure that gives its value on an object"
                ));
            };
            HybridDecl {
                name: name.to_string(),
                get,
                expression: closure("expression", parts.get("expression"))?,
                set: closure("set", parts.get("set"))?,
            }
        } else {
            return err(format!(
                "db.Model(\"{model}\"): hybrid_property `{name}` must be a closure or a map of get, expression and set, like {example}"
            ));
        };
        out.push(decl);
    }
    Ok(out)
}
