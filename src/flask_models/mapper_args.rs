//! A model's `__mapper_args__`: `polymorphic_on` (a column of the class,
//! named or as a string) and `polymorphic_identity`, which single-table
//! inheritance reads. `with_polymorphic` and `polymorphic_load` change only
//! when a subclass's columns load, so they are taken and change nothing;
//! anything else refuses the model with its line.

use crate::orm::mapping::model::InheritanceDecl;
use crate::python::{Env, Expr, ExprKind, Module, PyError, Value};
use crate::sql::Value as SqlValue;

pub(super) fn read(
    module: &Module,
    env: &Env,
    value: &Expr,
    columns: &[String],
    into: &mut InheritanceDecl,
) -> Result<(), PyError> {
    let ExprKind::Dict(items) = &value.kind else {
        return Err(module.error(
            value.span,
            "`__mapper_args__` is read as a dict display, like {\"polymorphic_identity\": \"engineer\"}",
        ));
    };
    for item in items {
        let Some(key) = item.key.as_ref().and_then(Expr::as_str) else {
            return Err(module.error(
                item.value.span,
                "`__mapper_args__` keys are strings that ormsh reads as written",
            ));
        };
        match key.as_str() {
            "polymorphic_on" => {
                let name = match &item.value.kind {
                    ExprKind::Name(n) if columns.contains(n) => n.clone(),
                    _ => match item.value.as_str() {
                        Some(s) => s,
                        None => {
                            return Err(module.error(
                                item.value.span,
                                "`polymorphic_on` names a column of the model (its attribute, or the attribute's name as a string); an expression there is not honoured by ormsh",
                            ));
                        }
                    },
                };
                into.polymorphic_on = Some(name);
            }
            "polymorphic_identity" => {
                into.polymorphic_identity = Some(match env.eval(module, &item.value)? {
                    Value::Str(s) => SqlValue::Text(s),
                    Value::Int(i) => SqlValue::Int(i),
                    other => {
                        return Err(module.error(
                            item.value.span,
                            format!(
                                "`polymorphic_identity` is {}; ormsh reads a string or an int",
                                other.a_type()
                            ),
                        ));
                    }
                });
            }
            "with_polymorphic" | "polymorphic_load" => {}
            other => {
                return Err(module.error(
                    item.value.span,
                    format!(
                        "`{other}` in `__mapper_args__` is not honoured by ormsh (it reads polymorphic_on and polymorphic_identity for single-table inheritance)"
                    ),
                ));
            }
        }
    }
    Ok(())
}
