//! Column types as the models file declares them. A type knows nothing of any
//! database: each dialect maps it to DDL, and the engine decodes by it.

use std::fmt;

/// The types of DESIGN.md, with SQLAlchemy's names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ColumnType {
    Integer,
    BigInteger,
    SmallInteger,
    /// `String(n)`; `None` is a string with no declared length.
    String(Option<u32>),
    Text,
    Boolean,
    Float,
    /// `Numeric(precision, scale)`.
    Numeric(Option<(u32, u32)>),
    Date,
    DateTime,
    /// `DateTime(timezone=True)`: a moment with its offset (`timestamptz`).
    DateTimeTz,
    Time,
    LargeBinary,
    Json,
    /// `Enum([...])`: the allowed strings (boxed: a bind carries its
    /// column's type, and every other type is small).
    Enum(Box<EnumType>),
    Uuid,
    /// `Interval`: a length of time. PostgreSQL's INTERVAL; elsewhere a
    /// DATETIME that far from 1970-01-01, as SQLAlchemy stores it.
    Interval,
    /// MySQL's `YEAR`: a year as a number (1901 to 2155, or 0).
    Year,
    /// MySQL's `SET('a', 'b')`: any of the members, written `a,b`.
    Set(Vec<String>),
    /// `ARRAY(Text)`: PostgreSQL's arrays, read and written as lists.
    Array(Box<ColumnType>),
    /// `Type("tsvector")`: a type ormsh has no decoder for, by the
    /// database's name (`text[]`, `tsvector`, `inet`): read as its text, as
    /// the database's own client prints it, and written as text that the
    /// database converts.
    Other(String),
}

/// An enum's values, in order, and the name of the database type that holds
/// them where the database makes one (PostgreSQL's `CREATE TYPE mood AS ENUM`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumType {
    pub values: Vec<String>,
    pub name: Option<String>,
}

impl ColumnType {
    /// `Enum(values)`, named `name` where the database makes enum types.
    pub fn enumeration(values: Vec<String>, name: Option<String>) -> ColumnType {
        ColumnType::Enum(Box::new(EnumType { values, name }))
    }

    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            ColumnType::Integer | ColumnType::BigInteger | ColumnType::SmallInteger
        )
    }

    pub fn is_textual(&self) -> bool {
        matches!(
            self,
            ColumnType::String(_) | ColumnType::Text | ColumnType::Enum(..)
        )
    }

    pub fn is_numeric(&self) -> bool {
        self.is_integer() || matches!(self, ColumnType::Float | ColumnType::Numeric(_))
    }
}

impl ColumnType {
    /// The type a live column's declared type name means (`character
    /// varying(80)`, `int(11)`, `tinyint(1)`, `DECIMAL_TEXT(10, 2)`, `enum('a','b')`):
    /// every database's spellings, so reflection reads any of them.
    pub fn from_sql_name(name: &str) -> ColumnType {
        Self::known_sql_name(name).unwrap_or(ColumnType::Text)
    }

    /// As `from_sql_name`, or none for a type none of ormsh's types is.
    pub fn known_sql_name(name: &str) -> Option<ColumnType> {
        let lower = name.trim().to_lowercase();
        // The arguments keep their case: an ENUM's values are data.
        let args: Vec<String> = name
            .trim()
            .split_once('(')
            .and_then(|(_, rest)| rest.rsplit_once(')'))
            .map(|(inside, _)| {
                inside
                    .split(',')
                    .map(|a| a.trim().trim_matches('\'').to_string())
                    .collect()
            })
            .unwrap_or_default();
        let number = |i: usize| args.get(i).and_then(|a| a.parse::<u32>().ok());
        let base = lower.split(['(', ' ']).next().unwrap_or("");
        if let Some(inner) = name.trim().strip_suffix("[]") {
            let inner = inner.trim_end_matches("[]");
            return Some(ColumnType::Array(Box::new(
                ColumnType::known_sql_name(inner)
                    .unwrap_or_else(|| ColumnType::Other(inner.to_string())),
            )));
        }
        if let Some(inner) = lower
            .strip_prefix("array(")
            .and_then(|r| r.strip_suffix(')'))
        {
            return Some(ColumnType::Array(Box::new(
                ColumnType::known_sql_name(inner)
                    .unwrap_or_else(|| ColumnType::Other(inner.to_string())),
            )));
        }
        Some(match base {
            "tinyint" if number(0) == Some(1) => ColumnType::Boolean,
            "bool" | "boolean" => ColumnType::Boolean,
            "bigint" | "int8" | "bigserial" => ColumnType::BigInteger,
            "smallint" | "int2" | "tinyint" | "smallserial" => ColumnType::SmallInteger,
            // SQLite's rule (a declared type containing INT is an integer),
            // short of PostgreSQL's interval, point and ranges.
            _ if base.contains("int")
                && !base.contains("interval")
                && !base.contains("point")
                && !base.ends_with("range") =>
            {
                ColumnType::Integer
            }
            "serial" => ColumnType::Integer,
            "varchar" | "character" | "char" | "nvarchar" | "nchar" | "bpchar"
                if !lower.contains("varying") || number(0).is_some() =>
            {
                ColumnType::String(number(0))
            }
            _ if lower.starts_with("character varying") => ColumnType::String(number(0)),
            "text" | "mediumtext" | "longtext" | "tinytext" | "clob" => ColumnType::Text,
            "uuid" => ColumnType::Uuid,
            "json" | "jsonb" => ColumnType::Json,
            "date" => ColumnType::Date,
            "timestamptz" => ColumnType::DateTimeTz,
            "timestamp" if lower.contains("with time zone") && !lower.contains("without") => {
                ColumnType::DateTimeTz
            }
            "datetime" | "timestamp" => ColumnType::DateTime,
            // A time with an offset has no type of ormsh's: read as its text.
            "time" if lower.contains("with time zone") && !lower.contains("without") => {
                return None;
            }
            "timetz" => return None,
            "time" => ColumnType::Time,
            "interval" => ColumnType::Interval,
            "numeric" | "decimal" | "decimal_text" => match (number(0), number(1)) {
                (Some(p), Some(s)) => ColumnType::Numeric(Some((p, s))),
                _ => ColumnType::Numeric(None),
            },
            "real" | "float" | "float4" | "float8" | "double" => ColumnType::Float,
            "blob" | "bytea" | "binary" | "varbinary" | "longblob" | "mediumblob" | "tinyblob" => {
                ColumnType::LargeBinary
            }
            // PostgreSQL's introspection names the type after the labels.
            "enum" => ColumnType::enumeration(
                args,
                name.rsplit_once(')')
                    .map(|(_, n)| n.trim())
                    .filter(|n| !n.is_empty())
                    .map(str::to_string),
            ),
            "year" => ColumnType::Year,
            "set" => ColumnType::Set(args),
            "string" | "nvarchar2" | "varchar2" | "ntext" | "citext" => ColumnType::Text,
            _ => return None,
        })
    }
}

/// SQLAlchemy's spelling: `String(80)`, `Numeric(10, 2)`, `Enum('a', 'b')`.
impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnType::Integer => f.write_str("Integer"),
            ColumnType::BigInteger => f.write_str("BigInteger"),
            ColumnType::SmallInteger => f.write_str("SmallInteger"),
            ColumnType::String(Some(n)) => write!(f, "String({n})"),
            ColumnType::String(None) => f.write_str("String"),
            ColumnType::Text => f.write_str("Text"),
            ColumnType::Boolean => f.write_str("Boolean"),
            ColumnType::Float => f.write_str("Float"),
            ColumnType::Numeric(Some((p, s))) => write!(f, "Numeric({p}, {s})"),
            ColumnType::Numeric(None) => f.write_str("Numeric"),
            ColumnType::Date => f.write_str("Date"),
            ColumnType::DateTime => f.write_str("DateTime"),
            ColumnType::DateTimeTz => f.write_str("DateTime(timezone=True)"),
            ColumnType::Time => f.write_str("Time"),
            ColumnType::LargeBinary => f.write_str("LargeBinary"),
            ColumnType::Json => f.write_str("JSON"),
            ColumnType::Enum(e) => {
                let quoted: Vec<String> = e.values.iter().map(|v| format!("'{v}'")).collect();
                match &e.name {
                    Some(name) => write!(f, "Enum({}, name='{name}')", quoted.join(", ")),
                    None => write!(f, "Enum({})", quoted.join(", ")),
                }
            }
            ColumnType::Uuid => f.write_str("Uuid"),
            ColumnType::Interval => f.write_str("Interval"),
            ColumnType::Array(inner) => write!(f, "ARRAY({inner})"),
            ColumnType::Year => f.write_str("YEAR"),
            ColumnType::Set(values) => {
                let quoted: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
                write!(f, "SET({})", quoted.join(", "))
            }
            ColumnType::Other(name) => write!(f, "Type({name:?})"),
        }
    }
}

/// A whole-number argument of a type, by position or keyword, or why not.
pub type IntArg<'a> = dyn Fn(usize, &str) -> Result<Option<u32>, String> + 'a;

/// How a reader of SQLAlchemy's Python (a Flask project's models, an
/// Alembic revision) gives a type's arguments, each read only when the
/// type takes it: a whole-number argument by position or keyword, and
/// `timezone=`.
pub struct SqlaTypeArgs<'a> {
    pub int: &'a IntArg<'a>,
    pub timezone: &'a dyn Fn() -> Result<bool, String>,
}

impl ColumnType {
    /// SQLAlchemy's generic and uppercase type names (`String(64)`,
    /// `VARCHAR`, `Numeric(10, 2)`, `DateTime(timezone=True)`): `None` for
    /// a name that is none of these (`Enum` and `ARRAY` take their own
    /// arguments, and are read by the caller).
    pub fn from_sqlalchemy(
        name: &str,
        args: &SqlaTypeArgs<'_>,
    ) -> Option<Result<ColumnType, String>> {
        let numeric = || match ((args.int)(0, "precision")?, (args.int)(1, "scale")?) {
            // `Numeric(10)` has the database's scale of none: 0.
            (Some(p), s) => Ok(ColumnType::Numeric(Some((p, s.unwrap_or(0))))),
            (None, None) => Ok(ColumnType::Numeric(None)),
            (None, Some(_)) => Err("has a scale without a precision".to_string()),
        };
        Some(match name {
            "Integer" | "INTEGER" | "INT" => Ok(ColumnType::Integer),
            "BigInteger" | "BIGINT" => Ok(ColumnType::BigInteger),
            "SmallInteger" | "SMALLINT" => Ok(ColumnType::SmallInteger),
            "String" | "VARCHAR" | "Unicode" | "NVARCHAR" => {
                (args.int)(0, "length").map(ColumnType::String)
            }
            "Text" | "TEXT" | "UnicodeText" => Ok(ColumnType::Text),
            "Boolean" | "BOOLEAN" => Ok(ColumnType::Boolean),
            "Float" | "FLOAT" | "Double" | "DOUBLE" | "DOUBLE_PRECISION" | "REAL" => {
                Ok(ColumnType::Float)
            }
            "Numeric" | "NUMERIC" | "DECIMAL" => numeric(),
            "Date" | "DATE" => Ok(ColumnType::Date),
            "DateTime" | "DATETIME" | "TIMESTAMP" => (args.timezone)().map(|tz| {
                if tz {
                    ColumnType::DateTimeTz
                } else {
                    ColumnType::DateTime
                }
            }),
            "Time" | "TIME" => Ok(ColumnType::Time),
            "LargeBinary" | "BLOB" | "BYTEA" => Ok(ColumnType::LargeBinary),
            "JSON" => Ok(ColumnType::Json),
            "Uuid" | "UUID" => Ok(ColumnType::Uuid),
            // `postgresql.INTERVAL` is the same type where it is native.
            "Interval" | "INTERVAL" => Ok(ColumnType::Interval),
            _ => return None,
        })
    }
}
