//! Crossing between Rhai's `Dynamic` and the SQL `Value`, and between the
//! crate's `Error` and Rhai's error type.

use rhai::{Dynamic, EvalAltResult, Position};

pub use super::errors::ScriptError;
use crate::error::Error;
use crate::sql::Value;

pub type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// A value Rhai has no type of its own for (dates, decimals, UUIDs, JSON):
/// kept whole so it round-trips, and shown as its text.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlValue(pub Value);

/// Rhai → SQL. Arrays and maps become JSON; `()` is NULL.
pub fn to_value(d: &Dynamic) -> Result<Value, Error> {
    if d.is_unit() {
        return Ok(Value::Null);
    }
    // Read in place, not through `clone().try_cast()`: a shared string
    // cloned out of Rhai was copied twice (a seed's every column value).
    if let Ok(i) = d.as_int() {
        return Ok(Value::Int(i));
    }
    if let Ok(f) = d.as_float() {
        return Ok(Value::Float(f));
    }
    if let Ok(b) = d.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Ok(s) = d.as_immutable_string_ref() {
        return Ok(Value::Text(s.as_str().to_owned()));
    }
    if let Ok(c) = d.as_char() {
        return Ok(Value::Text(c.to_string()));
    }
    if let Ok(b) = d.as_blob_ref() {
        return Ok(Value::Bytes(b.clone()));
    }
    if let Some(v) = d.read_lock::<SqlValue>() {
        return Ok(v.0.clone());
    }
    if d.is_array() || d.is_map() {
        return serde_json::to_value(d)
            .map(|j| Value::Json(Box::new(j)))
            .map_err(|e| Error::invalid(format!("cannot store this value as JSON: {e}")));
    }
    Err(Error::invalid(format!(
        "{} cannot be stored in a column",
        super::errors::described(d)
    )))
}

/// SQL → Rhai: numbers, strings, booleans and blobs natively, the rest as `SqlValue`.
pub fn from_value(v: Value) -> Dynamic {
    match v {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => b.into(),
        Value::Int(i) => i.into(),
        Value::Float(f) => f.into(),
        Value::Text(s) => s.into(),
        Value::Bytes(b) => Dynamic::from_blob(b),
        Value::Json(j) => {
            rhai::serde::to_dynamic(&j).unwrap_or_else(|_| Dynamic::from(SqlValue(Value::Json(j))))
        }
        other => Dynamic::from(SqlValue(other)),
    }
}

/// As `from_value`, from a value read in place: a string becomes Rhai's
/// without the copy that cloning it out first would make.
pub fn from_value_ref(v: &Value) -> Dynamic {
    match v {
        Value::Text(s) => rhai::ImmutableString::from(s.as_str()).into(),
        other => from_value(other.clone()),
    }
}

/// Our error as a Rhai runtime error (Rhai fills in the call's position).
pub fn rhai_error(e: Error) -> Box<EvalAltResult> {
    match e {
        Error::Interrupted => Box::new(EvalAltResult::ErrorTerminated(
            "interrupted".into(),
            Position::NONE,
        )),
        other => Box::new(EvalAltResult::ErrorRuntime(
            Dynamic::from(ScriptError(other.to_string(), other.exit_code())),
            Position::NONE,
        )),
    }
}

pub fn err<T>(msg: impl Into<String>) -> RhaiResult<T> {
    Err(rhai_error(Error::invalid(msg)))
}

pub trait OrRhai<T> {
    fn rhai(self) -> RhaiResult<T>;
}

impl<T> OrRhai<T> for Result<T, Error> {
    fn rhai(self) -> RhaiResult<T> {
        self.map_err(rhai_error)
    }
}

/// `SqlValue` in Rhai: printable, comparable with its own kind and with the
/// text a user would type (`o.created == "2024-05-01"`).
pub fn register(engine: &mut rhai::Engine) {
    // NULL is `()` in Rhai, and prints as Python prints None: `print(x)`,
    // `${x}` and inside arrays (`[1, None]`).
    for name in ["print", "to_string", "debug", "to_debug"] {
        engine.register_fn(name, |_: ()| -> rhai::ImmutableString { "None".into() });
    }
    // An error caught with `try { .. } catch (e) { .. }` reads as its message.
    engine.register_type_with_name::<ScriptError>("Error");
    engine.register_fn("to_string", |e: &mut ScriptError| e.0.clone());
    engine.register_fn("to_debug", |e: &mut ScriptError| e.0.clone());
    engine.register_get("message", |e: &mut ScriptError| e.0.clone());
    engine.register_type_with_name::<SqlValue>("Value");
    engine.register_fn("to_string", |v: &mut SqlValue| v.0.to_string());
    engine.register_fn("to_debug", |v: &mut SqlValue| v.0.to_string());
    engine.register_get("kind", |v: &mut SqlValue| v.0.kind().to_string());
    engine.register_fn("==", |a: SqlValue, b: SqlValue| a.0 == b.0);
    engine.register_fn("!=", |a: SqlValue, b: SqlValue| a.0 != b.0);
    engine.register_fn("==", |a: SqlValue, b: &str| a.0.to_string() == b);
    engine.register_fn("!=", |a: SqlValue, b: &str| a.0.to_string() != b);
    engine.register_fn("==", |a: &str, b: SqlValue| b.0.to_string() == a);
    engine.register_fn("!=", |a: &str, b: SqlValue| b.0.to_string() != a);
    engine.register_fn("<", |a: SqlValue, b: SqlValue| {
        ordering(&a.0, &b.0) == Some(std::cmp::Ordering::Less)
    });
    engine.register_fn(">", |a: SqlValue, b: SqlValue| {
        ordering(&a.0, &b.0) == Some(std::cmp::Ordering::Greater)
    });
}

fn ordering(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Date(x), Value::Date(y)) => x.partial_cmp(y),
        (Value::DateTime(x), Value::DateTime(y)) => x.partial_cmp(y),
        (Value::DateTimeTz(x), Value::DateTimeTz(y)) => x.partial_cmp(y),
        (Value::Time(x), Value::Time(y)) => x.partial_cmp(y),
        (Value::Decimal(x), Value::Decimal(y)) => x.partial_cmp(y),
        (Value::Interval(x), Value::Interval(y)) => x.partial_cmp(y),
        _ => None,
    }
}
