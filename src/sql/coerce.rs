//! Turning a value into the value a column of a given type holds: what a user
//! typed (`"2024-05-01"` for a Date) and what a driver decoded by storage class
//! (SQLite's TEXT for a DateTime, 0/1 for a Boolean) meet here, once.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;

use super::types::ColumnType;
use super::value::Value;

/// Why a value does not fit a type, as a sentence fragment: "`'abc'` (string)
/// is not a valid Integer".
#[derive(Debug, Clone, PartialEq)]
pub struct CoerceError(pub String);

impl std::fmt::Display for CoerceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn mismatch(value: &Value, ty: &ColumnType) -> CoerceError {
    CoerceError(format!(
        "{} ({}) is not a valid {ty}",
        value.repr(),
        value.kind()
    ))
}

const DATETIME_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
];

pub fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim().trim_end_matches('Z');
    DATETIME_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

pub fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(text.trim(), "%H:%M"))
        .ok()
}

/// A moment with its offset (`2024-05-01 12:00:00+02:00`, RFC 3339); text
/// without one is a moment in UTC, as the database reads it on a UTC session.
pub fn parse_datetime_tz(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let text = text.trim();
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .or_else(|| {
            ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%#z"]
                .iter()
                .find_map(|f| chrono::DateTime::parse_from_str(text, f).ok())
        })
        .or_else(|| parse_datetime(text).map(|dt| dt.and_utc().fixed_offset()))
}

/// Every item of a list (and of lists in it) is a value of `inner`.
fn check_items(inner: &ColumnType, list: &serde_json::Value) -> Result<(), CoerceError> {
    let serde_json::Value::Array(items) = list else {
        return Err(CoerceError(format!("{list} is not a list")));
    };
    for item in items {
        let value = match item {
            serde_json::Value::Null => continue,
            serde_json::Value::Array(_) => {
                check_items(inner, item)?;
                continue;
            }
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => Value::Text(s.clone()),
            serde_json::Value::Object(_) => Value::Json(Box::new(item.clone())),
        };
        inner.coerce(value)?;
    }
    Ok(())
}

fn parse_uuid(text: &str) -> Option<uuid::Uuid> {
    uuid::Uuid::parse_str(text.trim()).ok()
}

impl ColumnType {
    /// The value as this type holds it, or why it cannot be. NULL passes
    /// through; nullability is checked by the database.
    pub fn coerce(&self, value: Value) -> Result<Value, CoerceError> {
        use ColumnType as T;
        use Value as V;
        let out = match (self, value) {
            (_, V::Null) => V::Null,
            (T::Integer | T::BigInteger | T::SmallInteger, v) => match v {
                V::Int(i) => V::Int(i),
                V::Bool(b) => V::Int(b as i64),
                V::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => V::Int(f as i64),
                // Past i64 (MySQL's BIGINT UNSIGNED), a whole number stays
                // exact as a decimal, and the database checks its range.
                V::Decimal(d) if d.fract().is_zero() => {
                    i64::try_from(d).map_or(V::Decimal(d), V::Int)
                }
                V::Text(ref s) => V::Int(s.trim().parse().map_err(|_| mismatch(&v, self))?),
                other => return Err(mismatch(&other, self)),
            },
            (T::String(_) | T::Text, v) => match v {
                V::Text(s) => V::Text(s),
                // Numbers and dates read naturally as text; bytes and JSON do not.
                V::Int(_)
                | V::Float(_)
                | V::Decimal(_)
                | V::Date(_)
                | V::DateTime(_)
                | V::DateTimeTz(_)
                | V::Time(_)
                | V::Uuid(_)
                | V::Interval(_) => V::Text(v.to_string()),
                other => return Err(mismatch(&other, self)),
            },
            (T::Enum(e), v) => match v {
                V::Text(s) if e.values.contains(&s) => V::Text(s),
                V::Text(s) => {
                    return Err(CoerceError(format!(
                        "'{s}' is not one of the Enum's values ({})",
                        e.values.join(", ")
                    )));
                }
                other => return Err(mismatch(&other, self)),
            },
            (T::Boolean, v) => match v {
                V::Bool(b) => V::Bool(b),
                V::Int(0) => V::Bool(false),
                V::Int(1) => V::Bool(true),
                V::Text(ref s) => match s.as_str() {
                    "0" | "false" | "f" => V::Bool(false),
                    "1" | "true" | "t" => V::Bool(true),
                    _ => return Err(mismatch(&v, self)),
                },
                other => return Err(mismatch(&other, self)),
            },
            (T::Float, v) => match v {
                V::Float(f) => V::Float(f),
                V::Int(i) => V::Float(i as f64),
                V::Decimal(d) => V::Float(d.to_string().parse().unwrap_or(f64::NAN)),
                V::Text(ref s) => V::Float(s.trim().parse().map_err(|_| mismatch(&v, self))?),
                other => return Err(mismatch(&other, self)),
            },
            (T::Numeric(_), v) => match v {
                V::Decimal(d) => V::Decimal(d),
                V::Int(i) => V::Decimal(Decimal::from(i)),
                // A float goes through its shortest text form, so 0.1 stays 0.1.
                V::Float(f) => V::Decimal(
                    Decimal::from_str(&f.to_string()).map_err(|_| mismatch(&V::Float(f), self))?,
                ),
                V::Text(ref s) => V::Decimal(
                    Decimal::from_str(s.trim())
                        .or_else(|_| Decimal::from_scientific(s.trim()))
                        .map_err(|_| mismatch(&v, self))?,
                ),
                other => return Err(mismatch(&other, self)),
            },
            (T::Date, v) => match v {
                V::Date(d) => V::Date(d),
                V::DateTime(dt) => V::Date(dt.date()),
                V::Text(ref s) => V::Date(
                    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                        .ok()
                        .or_else(|| parse_datetime(s).map(|dt| dt.date()))
                        .ok_or_else(|| mismatch(&v, self))?,
                ),
                other => return Err(mismatch(&other, self)),
            },
            (T::DateTime, v) => match v {
                V::DateTime(dt) => V::DateTime(dt),
                // The moment in UTC, as a database on a UTC session stores it.
                V::DateTimeTz(dt) => V::DateTime(dt.naive_utc()),
                V::Date(d) => V::DateTime(d.and_hms_opt(0, 0, 0).expect("midnight exists")),
                V::Text(ref s) => V::DateTime(parse_datetime(s).ok_or_else(|| mismatch(&v, self))?),
                other => return Err(mismatch(&other, self)),
            },
            (T::DateTimeTz, v) => match v {
                V::DateTimeTz(dt) => V::DateTimeTz(dt),
                V::DateTime(dt) => V::DateTimeTz(dt.and_utc().fixed_offset()),
                V::Date(d) => V::DateTimeTz(
                    d.and_hms_opt(0, 0, 0)
                        .expect("midnight exists")
                        .and_utc()
                        .fixed_offset(),
                ),
                V::Text(ref s) => {
                    V::DateTimeTz(parse_datetime_tz(s).ok_or_else(|| mismatch(&v, self))?)
                }
                other => return Err(mismatch(&other, self)),
            },
            (T::Time, v) => match v {
                V::Time(t) => V::Time(t),
                V::Text(ref s) => V::Time(parse_time(s).ok_or_else(|| mismatch(&v, self))?),
                other => return Err(mismatch(&other, self)),
            },
            (T::LargeBinary, v) => match v {
                V::Bytes(b) => V::Bytes(b),
                V::Text(s) => V::Bytes(s.into_bytes()),
                other => return Err(mismatch(&other, self)),
            },
            (T::Json, v) => match v {
                V::Json(j) => V::Json(j),
                V::Bool(b) => V::Json(Box::new(b.into())),
                V::Int(i) => V::Json(Box::new(i.into())),
                V::Float(f) => V::Json(Box::new(
                    serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into),
                )),
                V::Text(s) => V::Json(Box::new(s.into())),
                other => return Err(mismatch(&other, self)),
            },
            (T::Uuid, v) => match v {
                V::Uuid(u) => V::Uuid(u),
                V::Text(ref s) => V::Uuid(parse_uuid(s).ok_or_else(|| mismatch(&v, self))?),
                // Sixteen bytes, or the text MariaDB's UUID type sends.
                V::Bytes(ref b) => V::Uuid(
                    uuid::Uuid::from_slice(b)
                        .ok()
                        .or_else(|| std::str::from_utf8(b).ok().and_then(parse_uuid))
                        .ok_or_else(|| mismatch(&v, self))?,
                ),
                other => return Err(mismatch(&other, self)),
            },
            // A timedelta, or its text (`1 day, 2:03:04`); a number is
            // refused, as SQLAlchemy refuses it: seconds or days?
            (T::Interval, v) => match v {
                V::Interval(d) => V::Interval(d),
                V::Text(ref s) => {
                    V::Interval(super::interval::parse(s).ok_or_else(|| mismatch(&v, self))?)
                }
                other => return Err(mismatch(&other, self)),
            },
            (T::Year, v) => match T::Integer.coerce(v)? {
                V::Int(y) if y == 0 || (1901..=2155).contains(&y) => V::Int(y),
                other => {
                    return Err(CoerceError(format!(
                        "{other} is not a YEAR (1901 to 2155, or 0)"
                    )));
                }
            },
            // Members joined by commas, as MySQL writes a SET; a list of
            // members is joined.
            (T::Set(allowed), v) => {
                let members: Vec<String> = match v {
                    V::Text(s) => s
                        .split(',')
                        .filter(|m| !m.is_empty())
                        .map(str::to_string)
                        .collect(),
                    V::Json(list) => match *list {
                        serde_json::Value::Array(items) => items
                            .into_iter()
                            .map(|i| match i {
                                serde_json::Value::String(s) => Ok(s),
                                other => {
                                    Err(CoerceError(format!("{other} is not a member of {self}")))
                                }
                            })
                            .collect::<Result<_, _>>()?,
                        other => return Err(mismatch(&V::Json(Box::new(other)), self)),
                    },
                    other => return Err(mismatch(&other, self)),
                };
                if let Some(m) = members.iter().find(|m| !allowed.contains(m)) {
                    return Err(CoerceError(format!(
                        "'{m}' is not one of the SET's members ({})",
                        allowed.join(", ")
                    )));
                }
                V::Text(members.join(","))
            }
            // A list whose items the inner type holds; or the database's
            // own literal (`{a,"b c"}`), which it parses.
            (T::Array(inner), v) => match v {
                V::Json(list) => {
                    check_items(inner, &list)
                        .map_err(|e| CoerceError(format!("{}: {}", self, e.0)))?;
                    V::Json(list)
                }
                V::Text(s) => V::Text(s),
                other => return Err(mismatch(&other, self)),
            },
            // Its text, which the database reads as the type.
            (T::Other(_), v) => match v {
                V::Text(s) => V::Text(s),
                V::Bytes(b) => V::Text(
                    String::from_utf8(b).map_err(|e| mismatch(&V::Bytes(e.into_bytes()), self))?,
                ),
                other => V::Text(other.to_string()),
            },
        };
        Ok(out)
    }

    /// Whether `value` is already what this type holds, so that reading it
    /// back needs no conversion (most values of most rows).
    pub fn holds_as_is(&self, value: &Value) -> bool {
        use ColumnType as T;
        use Value as V;
        matches!(
            (self, value),
            (_, V::Null)
                | (T::Integer | T::BigInteger | T::SmallInteger, V::Int(_))
                | (T::String(_) | T::Text, V::Text(_))
                | (T::Boolean, V::Bool(_))
                | (T::Float, V::Float(_))
                | (T::Numeric(None), V::Decimal(_))
                | (T::Date, V::Date(_))
                | (T::DateTime, V::DateTime(_))
                | (T::DateTimeTz, V::DateTimeTz(_))
                | (T::Year, V::Int(_))
                | (T::Time, V::Time(_))
                | (T::LargeBinary, V::Bytes(_))
                | (T::Json, V::Json(_))
                | (T::Uuid, V::Uuid(_))
                | (T::Interval, V::Interval(_))
                | (T::Other(_), V::Text(_))
        ) || matches!((self, value), (T::Numeric(Some((_, s))), V::Decimal(d)) if d.scale() >= *s)
    }

    /// A value a driver decoded by storage class, read as this type. Unlike
    /// `coerce`, JSON arrives as its text and is parsed.
    pub fn from_stored(&self, value: Value) -> Result<Value, CoerceError> {
        match (self, value) {
            // A number read as a Boolean is its truth, as SQLAlchemy reads it
            // (MySQL's COALESCE of a TINYINT(1) comes back as a DECIMAL).
            (ColumnType::Boolean, Value::Int(i)) => Ok(Value::Bool(i != 0)),
            (ColumnType::Boolean, Value::Decimal(d)) => Ok(Value::Bool(!d.is_zero())),
            // Text a driver hands over as bytes (MariaDB's `VARCHAR(n) BINARY`,
            // a `_bin` collation): still text.
            (ColumnType::String(_) | ColumnType::Text | ColumnType::Enum(..), Value::Bytes(b)) => {
                match String::from_utf8(b) {
                    Ok(text) => self.coerce(Value::Text(text)),
                    Err(e) => Err(mismatch(&Value::Bytes(e.into_bytes()), self)),
                }
            }
            // A database without a decimal type (SQLite) stores a number: it
            // reads back as SQLAlchemy's Numeric reads it, an exact decimal at
            // the column's scale (10 when the column declares none).
            (ColumnType::Numeric(spec), v @ (Value::Float(_) | Value::Int(_) | Value::Text(_))) => {
                let scale = spec.map_or(10, |(_, s)| s);
                let exact = match v {
                    Value::Float(f) => Decimal::from_str(&format!("{f:.*}", scale as usize))
                        .or_else(|_| Decimal::from_str(&f.to_string()))
                        .map_err(|_| mismatch(&Value::Float(f), self))?,
                    other => match self.coerce(other)? {
                        Value::Decimal(d) => d,
                        other => return Ok(other),
                    },
                };
                let mut scaled = exact;
                scaled.rescale(scale);
                // Past the 28 digits a decimal holds, the value stays as it was.
                Ok(Value::Decimal(if scaled.scale() == scale {
                    scaled
                } else {
                    exact
                }))
            }
            // A decimal that came back short of its column's scale (the
            // PostgreSQL driver reads a zero as `0`): padded, as the
            // database's client prints it (`0.0000`).
            (ColumnType::Numeric(Some((_, scale))), Value::Decimal(mut d))
                if d.scale() < *scale =>
            {
                d.rescale(*scale);
                Ok(Value::Decimal(d))
            }
            (ColumnType::Json, Value::Text(s)) => serde_json::from_str(&s)
                .map(|j| Value::Json(Box::new(j)))
                .map_err(|e| CoerceError(format!("stored JSON does not parse: {e}"))),
            (ColumnType::Json, Value::Bytes(b)) => serde_json::from_slice(&b)
                .map(|j| Value::Json(Box::new(j)))
                .map_err(|e| CoerceError(format!("stored JSON does not parse: {e}"))),
            (ColumnType::Uuid, Value::Text(s)) if s.len() == 32 => uuid::Uuid::try_parse(&s)
                .map(Value::Uuid)
                .map_err(|_| CoerceError(format!("stored UUID '{s}' does not parse"))),
            // Where the database has no interval type: a DATETIME that far
            // from the epoch (SQLite's is text).
            (ColumnType::Interval, Value::DateTime(dt)) => {
                Ok(Value::Interval(super::interval::from_epoch_datetime(dt)))
            }
            (ColumnType::Interval, Value::Text(s)) => match parse_datetime(&s) {
                Some(dt) => Ok(Value::Interval(super::interval::from_epoch_datetime(dt))),
                None => self.coerce(Value::Text(s)),
            },
            (ty, v) => ty.coerce(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coerces_what_users_type() {
        let cases: Vec<(ColumnType, Value, Value)> = vec![
            (
                ColumnType::Integer,
                Value::Text(" 42".into()),
                Value::Int(42),
            ),
            (ColumnType::Boolean, Value::Int(1), Value::Bool(true)),
            (ColumnType::Float, Value::Int(3), Value::Float(3.0)),
            (
                ColumnType::Numeric(None),
                Value::Float(0.1),
                Value::Decimal(Decimal::from_str("0.1").unwrap()),
            ),
            (
                ColumnType::Date,
                Value::Text("2024-05-01".into()),
                Value::Date(NaiveDate::from_ymd_opt(2024, 5, 1).unwrap()),
            ),
            (
                ColumnType::DateTime,
                Value::Text("2024-05-01T10:20:30.5".into()),
                Value::DateTime(
                    NaiveDate::from_ymd_opt(2024, 5, 1)
                        .unwrap()
                        .and_hms_milli_opt(10, 20, 30, 500)
                        .unwrap(),
                ),
            ),
            (
                ColumnType::String(Some(5)),
                Value::Int(7),
                Value::Text("7".into()),
            ),
            (ColumnType::Text, Value::Null, Value::Null),
        ];
        for (ty, input, expected) in cases {
            assert_eq!(
                ty.coerce(input.clone()),
                Ok(expected),
                "{ty} from {input:?}"
            );
        }
    }

    /// The shortcut of reading rows back agrees with the conversion it skips.
    #[test]
    fn a_value_held_as_is_reads_back_unchanged() {
        let types = [
            ColumnType::Integer,
            ColumnType::String(Some(3)),
            ColumnType::Text,
            ColumnType::Boolean,
            ColumnType::Float,
            ColumnType::Numeric(Some((5, 2))),
            ColumnType::Date,
            ColumnType::DateTime,
            ColumnType::Time,
            ColumnType::LargeBinary,
            ColumnType::Json,
            ColumnType::enumeration(vec!["a".into()], None),
            ColumnType::Uuid,
            ColumnType::Interval,
        ];
        let values = [
            Value::Null,
            Value::Int(7),
            Value::Text("abcdef".into()),
            Value::Text("a".into()),
            Value::Text("zz".into()),
            Value::Bool(true),
            Value::Float(0.5),
            Value::Decimal(Decimal::from_str("1.005").unwrap()),
            Value::Date(NaiveDate::from_ymd_opt(2024, 5, 1).unwrap()),
            Value::Bytes(vec![1, 2]),
            Value::Json(Box::new(serde_json::json!({"k": [1]}))),
            Value::Uuid(uuid::Uuid::nil()),
            Value::Interval(chrono::TimeDelta::seconds(90)),
        ];
        let mut as_is = 0;
        for ty in &types {
            for v in &values {
                if ty.holds_as_is(v) {
                    as_is += 1;
                    assert_eq!(ty.from_stored(v.clone()), Ok(v.clone()), "{ty} {v:?}");
                }
            }
        }
        assert!(as_is > types.len(), "{as_is}");
        assert!(
            !ColumnType::enumeration(vec!["a".into()], None).holds_as_is(&Value::Text("zz".into()))
        );
    }

    #[test]
    fn refuses_what_cannot_fit() {
        let err = ColumnType::Integer
            .coerce(Value::Text("abc".into()))
            .unwrap_err();
        assert_eq!(err.0, "'abc' (string) is not a valid Integer");
        assert!(
            ColumnType::enumeration(vec!["a".into()], None)
                .coerce(Value::Text("b".into()))
                .is_err()
        );
        assert!(ColumnType::Date.coerce(Value::Bool(true)).is_err());
    }
}
