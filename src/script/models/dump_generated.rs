//! How `models dump` writes what a column generates: `default`,
//! `onupdate` and `server_onupdate` (the closures as the models file wrote
//! them, Python's clocks as `datetime`'s), and which of them a models file
//! cannot say; and a model's `validates` and mapper events.

use crate::orm::Column;
use crate::orm::mapping::column::DefaultFn;
use crate::orm::mapping::generated::{Generated, SqlValue};

/// The options for what `c` generates, as a models file writes them.
pub fn options(c: &Column) -> Vec<String> {
    let mut out = Vec::new();
    let default = match (&c.default_call, &c.default, c.default_fn) {
        (Some(call), ..) => call.source.clone(),
        (None, Some(v), _) => Some(super::dump::literal(v)),
        (None, None, Some(f)) => clock(f).map(str::to_string),
        _ => None,
    };
    if let Some(text) = default {
        out.push(format!("default: {text}"));
    }
    let onupdate = match &c.onupdate {
        Some(Generated::Value(v)) => Some(super::dump::literal(v)),
        Some(Generated::Clock(f)) => clock(*f).map(str::to_string),
        Some(Generated::Call(call)) => call.source.clone(),
        Some(Generated::Sql(SqlValue::Now)) => Some("db.func.now()".to_string()),
        None => None,
    };
    if let Some(text) = onupdate {
        out.push(format!("onupdate: {text}"));
    }
    if c.server_onupdate {
        out.push("server_onupdate: db.FetchedValue()".to_string());
    }
    out
}

/// A Python clock as a models file's closure.
fn clock(f: DefaultFn) -> Option<&'static str> {
    match f {
        DefaultFn::UtcNow => Some("|| datetime.utcnow()"),
        DefaultFn::LocalNow => Some("|| datetime.now()"),
        DefaultFn::UtcNowAware => None,
    }
}

/// Whether `c` generates a value a models file cannot say (Python ormsh
/// cannot run, or a closure whose text was not found).
pub fn unsayable(c: &Column) -> bool {
    let default = c.default_refusal.is_some()
        || c.default_call.as_ref().is_some_and(|f| f.source.is_none())
        || (c.default_call.is_none()
            && c.default.is_none()
            && c.default_fn.is_some_and(|f| clock(f).is_none()));
    let onupdate = match &c.onupdate {
        Some(Generated::Clock(f)) => clock(*f).is_none(),
        Some(Generated::Call(call)) => call.source.is_none(),
        _ => false,
    };
    default || onupdate
}

/// `validates: #{ .. }` and the mapper events of a model, as the models
/// file wrote them (a closure whose text was not found: a comment says so).
pub fn hooks(e: &super::ModelExtras) -> Vec<String> {
    let text = |key: &str| {
        e.source(key).map_or_else(
            || format!("/* {key}: written by code in the models file, not copied */"),
            str::to_string,
        )
    };
    let mut out = Vec::new();
    if !e.validators.is_empty() {
        let each: Vec<String> = e
            .validators
            .iter()
            .map(|(name, _)| format!("{name}: {}", text(name)))
            .collect();
        out.push(format!("validates: #{{ {} }}", each.join(", ")));
    }
    for (event, _) in &e.events {
        out.push(format!("{event}: {}", text(event)));
    }
    if !e.column_properties.is_empty() {
        let each: Vec<String> = e
            .column_properties
            .iter()
            .map(|(name, _)| format!("{name}: {}", text(name)))
            .collect();
        out.push(format!("column_property: #{{ {} }}", each.join(", ")));
    }
    out
}
