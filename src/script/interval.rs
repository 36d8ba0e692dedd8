//! Intervals in Rhai, as Python's `datetime.timedelta`: made with
//! `timedelta(#{ days: 1, hours: 2 })` (or `datetime.timedelta(..)`),
//! read through `days`, `seconds`, `microseconds` and `total_seconds()`,
//! added, subtracted, negated and compared.

use chrono::TimeDelta;
use rhai::{Engine, Map};

use super::convert::{RhaiResult, SqlValue, err};
use super::models::code::Datetime;
use crate::sql::{Value, interval};

/// `timedelta(#{ .. })`: Python's keywords, each a number.
fn timedelta(units: &Map) -> RhaiResult<SqlValue> {
    let mut parts = Vec::with_capacity(units.len());
    for (name, amount) in units {
        let amount = match (amount.as_int(), amount.as_float()) {
            (Ok(i), _) => i as f64,
            (_, Ok(f)) => f,
            _ => {
                return err(format!(
                    "timedelta(#{{ {name}: .. }}) takes a number, not {}",
                    super::errors::described(amount)
                ));
            }
        };
        parts.push((name.as_str(), amount));
    }
    interval::from_units(&parts)
        .map(|d| SqlValue(Value::Interval(d)))
        .or_else(err)
}

/// The interval a value holds, or an error naming what it is.
fn of(v: &SqlValue, what: &str) -> RhaiResult<TimeDelta> {
    match v.0 {
        Value::Interval(d) => Ok(d),
        ref other => err(format!(
            "`{what}` is a timedelta's, and this value is a {}",
            other.kind()
        )),
    }
}

fn both(a: &SqlValue, b: &SqlValue, op: &str) -> RhaiResult<(TimeDelta, TimeDelta)> {
    Ok((of(a, op)?, of(b, op)?))
}

fn made(d: Option<TimeDelta>) -> RhaiResult<SqlValue> {
    match d {
        Some(d) => Ok(SqlValue(Value::Interval(d))),
        None => err("the timedelta is too large"),
    }
}

pub fn register(engine: &mut Engine) {
    engine.register_fn("timedelta", |units: Map| timedelta(&units));
    engine.register_fn("timedelta", || SqlValue(Value::Interval(TimeDelta::zero())));
    engine.register_fn("timedelta", |_: &mut Datetime, units: Map| {
        timedelta(&units)
    });
    engine.register_get("days", |v: &mut SqlValue| -> RhaiResult<rhai::INT> {
        Ok(interval::python_parts(of(v, "days")?).0)
    });
    engine.register_get("seconds", |v: &mut SqlValue| -> RhaiResult<rhai::INT> {
        Ok(interval::python_parts(of(v, "seconds")?).1)
    });
    engine.register_get(
        "microseconds",
        |v: &mut SqlValue| -> RhaiResult<rhai::INT> {
            Ok(interval::python_parts(of(v, "microseconds")?).2)
        },
    );
    engine.register_fn("total_seconds", |v: &mut SqlValue| -> RhaiResult<f64> {
        Ok(interval::total_micros(of(v, "total_seconds")?) as f64 / 1e6)
    });
    engine.register_fn("+", |a: SqlValue, b: SqlValue| {
        let (a, b) = both(&a, &b, "+")?;
        made(a.checked_add(&b))
    });
    engine.register_fn("-", |a: SqlValue, b: SqlValue| {
        let (a, b) = both(&a, &b, "-")?;
        made(a.checked_sub(&b))
    });
    engine.register_fn("-", |a: SqlValue| made(Some(-of(&a, "-")?)));
    engine.register_fn("<=", |a: SqlValue, b: SqlValue| -> RhaiResult<bool> {
        let (a, b) = both(&a, &b, "<=")?;
        Ok(a <= b)
    });
    engine.register_fn(">=", |a: SqlValue, b: SqlValue| -> RhaiResult<bool> {
        let (a, b) = both(&a, &b, ">=")?;
        Ok(a >= b)
    });
}
