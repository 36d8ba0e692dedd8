//! `column_property: #{ full: || User.first + " " + User.last }`: the
//! models file's `column_property(..)` attributes. Each is a closure that
//! builds the SQL expression from the models (`User.first`, a correlated
//! `db.select(..).where(..).scalar_subquery()`); the models and the shell's
//! `db` exist only once the registry is built, so the closures run then, on
//! the shell's engine, and the registry is built again with the expressions
//! as computed columns (`Column::computed`).

use rhai::{Dynamic, Engine, FnPtr, Map};

use crate::error::{Error, Result};
use crate::orm::{Column, ModelDecl, Registry};
use crate::script::convert::{RhaiResult, err};
use crate::script::expr::SqlExpr;

/// The option's closures, by attribute, as the models file gives them.
pub(super) fn parse(model: &str, value: &Dynamic) -> RhaiResult<Vec<(String, FnPtr)>> {
    let Some(map) = value.clone().try_cast::<Map>() else {
        return err(format!(
            "db.Model(\"{model}\"): column_property must be a map of closures, like #{{ full: || {model}.first + \" \" + {model}.last }}"
        ));
    };
    let mut out = Vec::new();
    for (attr, f) in map {
        match f.try_cast::<FnPtr>() {
            Some(f) => out.push((attr.to_string(), f)),
            None => {
                return err(format!(
                    "db.Model(\"{model}\"): column_property `{attr}` must be a closure that gives an SQL expression, like || {model}.first + \" \" + {model}.last"
                ));
            }
        }
    }
    Ok(out)
}

/// Run every model's `column_property` closures against `registry` (built
/// without them) and add the attributes to `decls`, each at the end of its
/// model's columns. `false` when there were none (the registry stands).
pub fn add_to(
    engine: &Engine,
    functions: &rhai::AST,
    registry: &Registry,
    decls: &mut [ModelDecl],
    properties: &[(String, Vec<(String, FnPtr)>)],
    origin: &str,
) -> Result<bool> {
    let mut added = false;
    for (model, list) in properties {
        for (attr, f) in list {
            let mut f = f.clone();
            super::code::resolve_curry(&mut f, registry);
            let at = |what: String| Error::Config(format!("{origin}: {model}.{attr}: {what}"));
            let value = f
                .call::<Dynamic>(engine, functions, ())
                .map_err(|e| super::super::errors::script_error(origin, &e))?;
            let Some(SqlExpr(expr)) = value.clone().try_cast::<SqlExpr>() else {
                return Err(at(format!(
                    "column_property gives a {}, not an SQL expression of the model's columns (like {model}.first + \" \" + {model}.last)",
                    value.type_name()
                )));
            };
            let Some(ty) = expr.type_hint().cloned() else {
                return Err(at(
                    "the type of this expression is not known (a function whose result type ormsh does not know), so its values cannot be read as SQLAlchemy reads them"
                        .to_string(),
                ));
            };
            let Some(decl) = decls.iter_mut().find(|d| d.name == *model) else {
                continue;
            };
            if decl.columns.iter().any(|c| c.name == *attr)
                || decl.relationships.iter().any(|r| r.name == *attr)
            {
                return Err(at(format!(
                    "column_property `{attr}` has the name of a column or relationship of {model}"
                )));
            }
            decl.columns.push(Column::computed(attr, expr, ty));
            added = true;
        }
    }
    Ok(added)
}
