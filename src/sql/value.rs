//! `Value`: the one representation of a database value that every layer above
//! `sql` reads and writes. Drivers decode into it, binds encode from it, the
//! renderer prints it.

use std::fmt;
use std::hash::{Hash, Hasher};

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;

/// A single SQL value. `Null` is distinct from every other value.
#[derive(Debug, Clone, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Decimal(Decimal),
    Text(String),
    Bytes(Vec<u8>),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    /// A moment with its offset from UTC (`timestamptz`, `DateTime(timezone=True)`).
    DateTimeTz(chrono::DateTime<FixedOffset>),
    Time(NaiveTime),
    /// Boxed: unboxed it would make every value of every row 72 bytes, not 32.
    Json(Box<serde_json::Value>),
    Uuid(uuid::Uuid),
    /// A length of time (`Interval`, Python's `timedelta`), to the microsecond.
    Interval(chrono::TimeDelta),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// A short name of the kind of value, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "float",
            Value::Decimal(_) => "decimal",
            Value::Text(_) => "string",
            Value::Bytes(_) => "bytes",
            Value::Date(_) => "date",
            Value::DateTime(_) => "datetime",
            Value::DateTimeTz(_) => "datetime with time zone",
            Value::Time(_) => "time",
            Value::Json(_) => "JSON",
            Value::Uuid(_) => "UUID",
            Value::Interval(_) => "interval",
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(*b as i64),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Float(a), Float(b)) => a.to_bits() == b.to_bits() || a == b,
            (Decimal(a), Decimal(b)) => a == b,
            (Text(a), Text(b)) => a == b,
            (Bytes(a), Bytes(b)) => a == b,
            (Date(a), Date(b)) => a == b,
            (DateTime(a), DateTime(b)) => a == b,
            (DateTimeTz(a), DateTimeTz(b)) => a == b,
            (Time(a), Time(b)) => a == b,
            (Json(a), Json(b)) => a == b,
            (Uuid(a), Uuid(b)) => a == b,
            (Interval(a), Interval(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Value::Null => {}
            Value::Bool(b) => b.hash(state),
            Value::Int(i) => i.hash(state),
            Value::Float(f) => f.to_bits().hash(state),
            Value::Decimal(d) => d.normalize().hash(state),
            Value::Text(s) => s.hash(state),
            Value::Bytes(b) => b.hash(state),
            Value::Date(d) => d.hash(state),
            Value::DateTime(d) => d.hash(state),
            Value::DateTimeTz(d) => d.hash(state),
            Value::Time(t) => t.hash(state),
            Value::Json(j) => j.to_string().hash(state),
            Value::Uuid(u) => u.hash(state),
            Value::Interval(d) => d.hash(state),
        }
    }
}

/// The plain text of a value, as a table cell shows it (`NULL` is the caller's
/// business: it is rendered distinctly).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("NULL"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => {
                if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e16 {
                    write!(f, "{x:.1}")
                } else {
                    write!(f, "{x}")
                }
            }
            Value::Decimal(d) => write!(f, "{d}"),
            Value::Text(s) => f.write_str(s),
            Value::Bytes(b) => {
                f.write_str("b'")?;
                for byte in b {
                    if byte.is_ascii_graphic() || *byte == b' ' {
                        write!(f, "{}", *byte as char)?;
                    } else {
                        write!(f, "\\x{byte:02x}")?;
                    }
                }
                f.write_str("'")
            }
            Value::Date(d) => write!(f, "{d}"),
            Value::DateTime(d) => write!(f, "{}", d.format("%Y-%m-%d %H:%M:%S%.f")),
            // As Python prints an aware datetime: `2024-05-01 12:00:00+00:00`.
            Value::DateTimeTz(d) => write!(f, "{}", d.format("%Y-%m-%d %H:%M:%S%.f%:z")),
            Value::Time(t) => write!(f, "{t}"),
            Value::Json(j) => write!(f, "{j}"),
            Value::Uuid(u) => write!(f, "{u}"),
            // As Python prints a timedelta: `1 day, 2:03:04`.
            Value::Interval(d) => f.write_str(&super::interval::python_str(*d)),
        }
    }
}

impl Value {
    /// The value as a literal a user would type: strings quoted, NULL as `None`
    /// the way SQLAlchemy's echo shows parameters.
    pub fn repr(&self) -> String {
        match self {
            Value::Null => "None".to_string(),
            Value::Text(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            Value::Date(_)
            | Value::DateTime(_)
            | Value::DateTimeTz(_)
            | Value::Time(_)
            | Value::Uuid(_)
            | Value::Interval(_) => {
                format!("'{self}'")
            }
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            other => other.to_string(),
        }
    }
}
