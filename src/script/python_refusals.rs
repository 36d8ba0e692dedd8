//! What a Flask model defines in Python and ormsh does not run: using a
//! Python method or property, writing an object an event listener watches,
//! setting a column a `@validates` hook guards. Each is an error naming
//! where the Python is.

use rhai::Dynamic;

use super::Shared;
use super::convert::{RhaiResult, rhai_error};
use super::handles::ObjectHandle;
use crate::error::Error;

/// The error for `name` on a model whose Python defines it as a method or
/// property that ormsh cannot run.
pub(super) fn python_member(s: &Shared, model: &str, name: &str) -> Option<Error> {
    let member = s
        .python_members
        .get(model)?
        .iter()
        .find(|m| m.name == name)?;
    Some(Error::invalid(if name == "__init__" {
        format!(
            "{model}(..) runs its constructor defined in Python at {}, which ormsh cannot run; add {model} rows with hand-written SQL (db.session.execute(db.text(..)))",
            member.at
        )
    } else {
        format!(
            "{model}.{name} is a {} defined in Python at {}, not available in ormsh",
            member.kind, member.at
        )
    }))
}

/// The error for writing an object of `model` when Python would run on it.
pub(super) fn write_refusal(s: &Shared, model: &str) -> Option<Error> {
    let why = s.write_refusals.get(model)?;
    Some(Error::invalid(format!(
        "{model} objects cannot be written in ormsh: {why}"
    )))
}

/// The error for setting `model.name` when Python would run on it.
pub(super) fn attribute_refusal(s: &Shared, model: &str, name: &str) -> Option<Error> {
    let (_, why) = s
        .attribute_refusals
        .get(model)?
        .iter()
        .find(|(attr, _)| attr == name)?;
    Some(Error::invalid(format!(
        "{model}.{name} cannot be set in ormsh: {why}"
    )))
}

/// `obj.method(..)` for a method the model defines in Python: named, not
/// guessed (a resort of the missing-function hook).
pub(super) fn missing_python_method(
    shared: &Shared,
    name: &str,
    args: &[&mut Dynamic],
    is_method_call: bool,
) -> RhaiResult<Option<Dynamic>> {
    if !is_method_call {
        return Ok(None);
    }
    let Some(obj) = args
        .first()
        .and_then(|a| (**a).clone().try_cast::<ObjectHandle>())
    else {
        return Ok(None);
    };
    match python_member(shared, &obj.0.mapper().name, name) {
        Some(e) => Err(rhai_error(e)),
        None => Ok(None),
    }
}
