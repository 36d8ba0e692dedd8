//! Rhai's errors as the person at the prompt reads them: the innermost
//! message at the outermost place (file:line:column, or the prompt's line
//! with a caret), every type by the name users know (`Query`, `User
//! object`, `string`), never a Rust path, and a call that exists with other
//! arguments or on another value said so, not "did you mean" itself.

use rhai::{Dynamic, EvalAltResult, Position};

use super::names::{DB_MEMBERS, GLOBALS, OTHER_FUNCTIONS, QUERY_METHODS, SESSION_METHODS};
use crate::error::{Error, did_you_mean};

/// Carried through Rhai so a database error keeps its exit code.
#[derive(Debug, Clone)]
pub struct ScriptError(pub String, pub i32);

pub(super) fn position(pos: Position) -> String {
    match (pos.line(), pos.position()) {
        (Some(l), Some(c)) => format!("{l}:{c}"),
        (Some(l), None) => format!("{l}"),
        _ => "?".into(),
    }
}

/// `file:line:col: message`, or for the prompt the line with a caret under the spot.
pub(super) fn locate(origin: Option<&str>, pos: Position, message: &str, source: &str) -> String {
    match origin {
        Some(origin) if !pos.is_none() => format!("{origin}:{}: {message}", position(pos)),
        Some(origin) => format!("{origin}: {message}"),
        None => match (pos.line(), pos.position()) {
            (Some(l), Some(c)) => {
                let text = source.lines().nth(l - 1).unwrap_or("");
                format!(
                    "{message} (line {l}, column {c})\n  {text}\n  {}^",
                    " ".repeat(c.saturating_sub(1))
                )
            }
            _ => message.to_string(),
        },
    }
}

pub(super) fn script_error(origin: &str, e: &EvalAltResult) -> Error {
    script_error_in(Some(origin), e, "")
}

/// A Rhai error as our error: the innermost message, at the outermost place.
pub(super) fn script_error_in(origin: Option<&str>, e: &EvalAltResult, source: &str) -> Error {
    let pos = e.position();
    let inner = innermost(e);
    let (message, code) = match inner {
        EvalAltResult::ErrorRuntime(d, _) => match d.clone().try_cast::<ScriptError>() {
            Some(se) => (se.0, se.1),
            None => (d.to_string(), 1),
        },
        EvalAltResult::ErrorFunctionNotFound(sig, _) => (function_not_found(sig), 1),
        EvalAltResult::ErrorVariableNotFound(name, _) => (
            format!("`{name}` is not defined; declare it with `let {name} = ..`"),
            1,
        ),
        EvalAltResult::ErrorDotExpr(text, _) => (unknown_property(text), 1),
        other => {
            // Rhai appends "(line l, position c)"; the place is shown our way.
            let text = other.to_string();
            let text = match text.rfind(" (line ") {
                Some(i) if text.ends_with(')') => text[..i].to_string(),
                _ => text,
            };
            (text, 1)
        }
    };
    let text = locate(origin, pos, &plain_type_names(&message), source);
    if code == 1 {
        Error::Script(text)
    } else {
        Error::Config(text)
    }
}

fn innermost(e: &EvalAltResult) -> &EvalAltResult {
    match e {
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => innermost(inner),
        other => other,
    }
}

/// A type as Rhai names it (its own names, or what `register_type_with_name`
/// gave ours) as users know it.
pub fn user_type_name(rhai_name: &str) -> String {
    match rhai_name {
        "&str | ImmutableString | String" | "ImmutableString" | "String" | "&str" => "string",
        "i64" | "i32" | "u64" | "usize" => "integer",
        "f64" | "f32" => "float",
        "Fn" | "FnPtr" => "function",
        "SqlExpr" => "ColumnElement",
        other if other.contains("::") => return rust_path_name(other),
        other => other,
    }
    .to_string()
}

/// The last part of a Rust path, as a name users might know: `Row` of
/// `ormsh::script::rows::Row`, `Collection` of `..::CollectionHandle`.
fn rust_path_name(path: &str) -> String {
    let base = path.split('<').next().unwrap_or(path);
    let last = base.rsplit("::").next().unwrap_or(base);
    let name = last.strip_suffix("Handle").unwrap_or(last);
    match name {
        "ImmutableString" | "String" | "str" => "string".into(),
        "SqlExpr" => "ColumnElement".into(),
        "SqlValue" => "Value".into(),
        "Map" | "BTreeMap" => "map".into(),
        "Vec" | "Array" => "array".into(),
        other => other.to_string(),
    }
}

/// What a value is, with its article, for "takes .., not {this}".
pub fn described(d: &Dynamic) -> String {
    if d.is_unit() {
        return "() (None)".into();
    }
    if let Some(o) = d.read_lock::<super::handles::ObjectHandle>() {
        return format!("a {} object", o.0.mapper().name);
    }
    if let Some(c) = d.read_lock::<super::handles::CollectionHandle>() {
        let mapper = c.owner.mapper();
        return format!(
            "a collection ({}.{})",
            mapper.name, mapper.relationships[c.rel].name
        );
    }
    let name = user_type_name(d.type_name());
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// Any Rust path left in a message (`ormsh::script::handles::QueryHandle`,
/// `alloc::vec::Vec<..>`), and Rhai's `&str | ImmutableString | String`,
/// in the names users know.
pub fn plain_type_names(message: &str) -> String {
    const CRATES: &[&str] = &["ormsh::", "alloc::", "core::", "std::", "rhai::"];
    let message = message.replace("&str | ImmutableString | String", "string");
    let is_path = |c: char| c.is_alphanumeric() || matches!(c, '_' | ':' | '<' | '>');
    let mut out = String::with_capacity(message.len());
    let mut rest = message.as_str();
    // Only paths of these crates: `price::text` in SQL stays as it is.
    while let Some(start) = CRATES
        .iter()
        .filter_map(|c| {
            rest.match_indices(c)
                .map(|(i, _)| i)
                .find(|&i| !rest[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        })
        .min()
    {
        let end = rest[start..]
            .find(|c: char| !is_path(c))
            .map_or(rest.len(), |i| start + i);
        out.push_str(&rest[..start]);
        out.push_str(&rust_path_name(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A list of methods: (name, what it does).
type Methods = &'static [(&'static str, &'static str)];

/// Where a method lives: its list, the type that has it, and how users reach it.
const NAMESPACES: &[(Methods, &str, &str)] = &[
    (QUERY_METHODS, "Query", "a query (User.query)"),
    (SESSION_METHODS, "Session", "db.session"),
    (DB_MEMBERS, "SQLAlchemy", "db"),
];

/// Rhai's "function not found" for `name (Type, ..)`: what was called, on
/// what, and what would work. A name that exists is never suggested as
/// its own correction: the message says it takes other arguments, or that
/// it belongs to another value.
fn function_not_found(signature: &str) -> String {
    let (name, args) = match signature.split_once(" (") {
        Some((name, rest)) => (name, rest.strip_suffix(')').unwrap_or(rest)),
        None => (signature, ""),
    };
    let args: Vec<String> = if args.is_empty() {
        Vec::new()
    } else {
        args.split(", ").map(user_type_name).collect()
    };
    let shown = format!("{name} ({})", args.join(", "));
    if !name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        return match args.as_slice() {
            [a, b] => format!(
                "no operator `{name}` between {} and {}",
                with_article(a),
                with_article(b)
            ),
            [a] => format!("no operator `{name}` for {}", with_article(a)),
            _ => format!("no operator `{shown}`"),
        };
    }
    let receiver = args.first().map(String::as_str).unwrap_or("");
    let homes: Vec<&(Methods, &str, &str)> = NAMESPACES
        .iter()
        .filter(|(list, _, _)| list.iter().any(|(n, _)| *n == name))
        .collect();
    if let Some((list, owner, _)) = homes.iter().find(|(_, owner, _)| *owner == receiver) {
        let what = list
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, w)| *w);
        return format!(
            "`{name}` of a {owner} does not take ({}): {name}: {what}; help({}) lists what it can do",
            args[1..].join(", "),
            help_target(owner)
        );
    }
    if !homes.is_empty() {
        let places: Vec<String> = homes
            .iter()
            .map(|(_, _, place)| place.to_string())
            .collect();
        let on = if receiver.is_empty() {
            String::new()
        } else {
            format!(", not of {}", with_article(receiver))
        };
        return format!(
            "`{name}` is a method of {}{on} (called as `{shown}`)",
            places.join(" and of ")
        );
    }
    if OTHER_FUNCTIONS.contains(&name) || GLOBALS.contains(&name) {
        return format!(
            "`{name}` does not take ({}); help() lists what each value can do",
            args.join(", ")
        );
    }
    let known = super::names::known();
    format!(
        "no function or method `{shown}`{}",
        did_you_mean(name, known)
    )
}

fn help_target(owner: &str) -> &'static str {
    match owner {
        "Query" => "User.query",
        "Session" => "db.session",
        _ => "db",
    }
}

fn with_article(name: &str) -> String {
    if name == "()" {
        return "() (None)".into();
    }
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// Rhai's "Unknown property 'x' - a getter is not registered for type 'T'":
/// which value has no such property, and the method of that name if it is
/// one (`User.query.all` without its parentheses).
fn unknown_property(text: &str) -> String {
    let quoted: Vec<&str> = text.split('\'').collect();
    let (Some(property), Some(ty)) = (quoted.get(1), quoted.get(3)) else {
        return text.to_string();
    };
    let ty = user_type_name(ty);
    let methods: &[(&str, &str)] = match ty.as_str() {
        "Query" => QUERY_METHODS,
        "Session" => SESSION_METHODS,
        "SQLAlchemy" => DB_MEMBERS,
        _ => &[],
    };
    if methods.iter().any(|(n, _)| n == property) {
        return format!(
            "`{property}` of {} is a method: call it as {property}(..)",
            with_article(&ty)
        );
    }
    format!(
        "{} has no property `{property}`{}",
        with_article(&ty),
        did_you_mean(property, methods.iter().map(|(n, _)| *n))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_paths_become_the_names_users_know() {
        assert_eq!(
            plain_type_names("not a ormsh::script::handles::CollectionHandle, sadly"),
            "not a Collection, sadly"
        );
        assert_eq!(
            plain_type_names("(alloc::vec::Vec<ormsh::script::rows::Row>)"),
            "(array)"
        );
        assert_eq!(
            plain_type_names("limit (Query, &str | ImmutableString | String)"),
            "limit (Query, string)"
        );
        assert_eq!(
            plain_type_names("cast it in the SQL (`column::text`)"),
            "cast it in the SQL (`column::text`)"
        );
    }

    #[test]
    fn a_name_that_exists_is_not_its_own_suggestion() {
        let m = function_not_found("limit (Query, &str | ImmutableString | String)");
        assert!(
            m.starts_with("`limit` of a Query does not take (string)"),
            "{m}"
        );
        assert!(!m.contains("did you mean"), "{m}");
        let m = function_not_found("add (Query, i64)");
        assert_eq!(
            m,
            "`add` is a method of db.session, not of a Query (called as `add (Query, integer)`)"
        );
        let m = function_not_found("+ (Collection, i64)");
        assert_eq!(m, "no operator `+` between a Collection and an integer");
        let m = function_not_found("fliter_by (Query, map)");
        assert_eq!(
            m,
            "no function or method `fliter_by (Query, map)` (did you mean `filter_by`?)"
        );
    }

    #[test]
    fn a_method_read_as_a_property_is_named() {
        assert_eq!(
            unknown_property(
                "Unknown property 'all' - a getter is not registered for type 'Query'"
            ),
            "`all` of a Query is a method: call it as all(..)"
        );
        assert_eq!(
            unknown_property(
                "Unknown property 'foo' - a getter is not registered for type 'SqlExpr'"
            ),
            "a ColumnElement has no property `foo`"
        );
    }
}
