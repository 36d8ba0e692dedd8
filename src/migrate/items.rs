//! The SQLAlchemy schema items a revision writes as arguments: literals,
//! `sa.Column(..)` with its type and keywords, the types (`sa.String(length=64)`,
//! `sa.VARCHAR()`, `postgresql.TIMESTAMP()`, `sa.Enum(..)`), server defaults
//! (`'x'`, `sa.text('1')`), and the table-level constraints of `create_table`
//! (`sa.PrimaryKeyConstraint`, `sa.ForeignKeyConstraint`,
//! `sa.UniqueConstraint`, `sa.CheckConstraint`). Anything else is refused
//! with its line.

use crate::python::{Call, Expr, ExprKind, Module, UnaryOp};
use crate::sql::{ColumnType, ServerDefault, Value};

/// A refusal at a line of a revision file: (line, message).
pub type Refusal = (usize, String);
pub type Read<T> = std::result::Result<T, Refusal>;

pub fn refuse<T>(m: &Module, e: &Expr, why: &str) -> Read<T> {
    Err((e.span.line, format!("`{}`: {why}", short(m.text(e.span)))))
}

fn short(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 80 {
        format!("{}...", one.chars().take(77).collect::<String>())
    } else {
        one
    }
}

/// The last part of a dotted name (`Integer` of `sa.Integer`), when the
/// name is one of SQLAlchemy's modules (`sa`, `sqlalchemy`, `postgresql`,
/// `mysql`, `sqlite`, `db`).
pub fn sa_name(e: &Expr) -> Option<String> {
    let dotted = e.dotted()?;
    let (module, last) = dotted.rsplit_once('.').unwrap_or(("", &dotted));
    let known = module.is_empty()
        || matches!(
            module,
            "sa" | "sqlalchemy"
                | "db"
                | "postgresql"
                | "mysql"
                | "sqlite"
                | "sa.dialects.postgresql"
                | "sa.dialects.mysql"
                | "sqlalchemy.dialects.postgresql"
                | "sqlalchemy.dialects.mysql"
        );
    known.then(|| last.to_string())
}

/// A literal: a string, number, bool, None, or a list/tuple of them.
pub fn literal(m: &Module, e: &Expr) -> Read<Value> {
    Ok(match &e.kind {
        ExprKind::Str(s) if !s.bytes => match s.literal() {
            Some(t) => Value::Text(t),
            None => return refuse(m, e, "an f-string is not read (write the value)"),
        },
        ExprKind::Int(n) => Value::Int(*n),
        ExprKind::Float(f) => Value::Float(*f),
        ExprKind::Bool(b) => Value::Bool(*b),
        ExprKind::None => Value::Null,
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => match literal(m, operand)? {
            Value::Int(n) => Value::Int(-n),
            Value::Float(f) => Value::Float(-f),
            _ => return refuse(m, e, "not a literal ormsh reads"),
        },
        _ => return refuse(m, e, "not a literal ormsh reads"),
    })
}

pub fn string(m: &Module, e: &Expr) -> Read<String> {
    match e.as_str() {
        Some(s) => Ok(s),
        None => refuse(m, e, "must be a string literal"),
    }
}

pub fn opt_string(m: &Module, e: Option<&Expr>) -> Read<Option<String>> {
    match e {
        None => Ok(None),
        Some(e) if matches!(e.kind, ExprKind::None) => Ok(None),
        Some(e) => string(m, e).map(Some),
    }
}

pub fn boolean(m: &Module, e: &Expr) -> Read<bool> {
    match e.kind {
        ExprKind::Bool(b) => Ok(b),
        _ => refuse(m, e, "must be True or False"),
    }
}

/// `['a', 'b']`, `('a',)` or `'a'`.
pub fn strings(m: &Module, e: &Expr) -> Read<Vec<String>> {
    match &e.kind {
        ExprKind::List(items) | ExprKind::Tuple(items) => {
            items.iter().map(|i| string(m, i)).collect()
        }
        ExprKind::Str(_) => Ok(vec![string(m, e)?]),
        _ => refuse(m, e, "must be a list of names"),
    }
}

/// Refuse any keyword not in `allowed`, and `*args`/`**kw`.
pub fn check_keywords(m: &Module, call: &Call, whole: &Expr, allowed: &[&str]) -> Read<()> {
    if call.has_splat() {
        return refuse(m, whole, "`*args` / `**kw` cannot be read");
    }
    for kw in &call.keywords {
        let name = kw.name.as_deref().unwrap_or("");
        if !allowed.contains(&name) {
            return Err((
                kw.span.line,
                format!(
                    "`{name}=` is a keyword ormsh does not apply here (remove it, or apply this revision with flask db upgrade)"
                ),
            ));
        }
    }
    Ok(())
}

/// A column type: a name or a call of one.
pub fn column_type(m: &Module, e: &Expr) -> Read<ColumnType> {
    let (name, call) = match e.as_call() {
        Some(c) => (sa_name(&c.func), Some(c)),
        None => (sa_name(e), None),
    };
    let Some(name) = name else {
        return refuse(m, e, "not a SQLAlchemy type ormsh knows");
    };
    let int_arg = |i: usize, key: &str| -> Read<Option<u32>> {
        let Some(c) = call else { return Ok(None) };
        match c.args.get(i).or_else(|| c.keyword(key)) {
            None => Ok(None),
            Some(a) => match literal(m, a)? {
                Value::Int(n) if n >= 0 => Ok(Some(n as u32)),
                Value::Null => Ok(None),
                _ => refuse(m, a, "must be a number"),
            },
        }
    };
    // An argument's own refusal (at its line) is kept to be given back whole.
    let inner = std::cell::RefCell::new(None);
    let keep = |r: Refusal| {
        let why = r.1.clone();
        inner.borrow_mut().get_or_insert(r);
        why
    };
    let timezone = || match call.and_then(|c| c.keyword("timezone").or_else(|| c.args.first())) {
        Some(a) => boolean(m, a).map_err(keep),
        None => Ok(false),
    };
    let int = |i: usize, key: &str| int_arg(i, key).map_err(keep);
    let args = crate::sql::types::SqlaTypeArgs {
        int: &int,
        timezone: &timezone,
    };
    if let Some(ty) = ColumnType::from_sqlalchemy(&name, &args) {
        return ty.or_else(|why| match inner.borrow_mut().take() {
            Some(refusal) => Err(refusal),
            None => refuse(m, e, &why),
        });
    }
    Ok(match name.as_str() {
        "Enum" | "ENUM" => {
            let Some(c) = call else {
                return refuse(m, e, "`Enum` needs its values");
            };
            check_keywords(
                m,
                c,
                e,
                &["name", "create_constraint", "native_enum", "length"],
            )?;
            let values = c
                .args
                .iter()
                .map(|a| string(m, a))
                .collect::<Read<Vec<_>>>()?;
            if values.is_empty() {
                return refuse(m, e, "`Enum` needs at least one value");
            }
            ColumnType::enumeration(values, opt_string(m, c.keyword("name"))?)
        }
        _ => return refuse(m, e, "not a SQLAlchemy type ormsh knows"),
    })
}

/// `'x'`, `sa.text('now()')`, `sa.func.now()`.
pub fn server_default(m: &Module, e: &Expr) -> Read<Option<ServerDefault>> {
    if let Some(c) = e.as_call() {
        let name = c.func.dotted().unwrap_or_default();
        if (name == "sa.text" || name == "text" || name == "sqlalchemy.text") && c.args.len() == 1 {
            return Ok(Some(ServerDefault::Sql(string(m, &c.args[0])?)));
        }
        if let Some(f) = name
            .strip_prefix("sa.func.")
            .or_else(|| name.strip_prefix("func."))
            && c.args.is_empty()
        {
            let sql = match f {
                "now" | "current_timestamp" => "CURRENT_TIMESTAMP".to_string(),
                other => format!("{other}()"),
            };
            return Ok(Some(ServerDefault::Sql(sql)));
        }
        return refuse(m, e, "a server_default ormsh does not read");
    }
    match literal(m, e)? {
        Value::Null => Ok(None),
        Value::Text(t) => Ok(Some(ServerDefault::Value(Value::Text(t)))),
        _ => refuse(m, e, "a server_default is a string or sa.text(..)"),
    }
}

/// A column as `sa.Column(..)` declares it.
#[derive(Debug, Clone, PartialEq)]
pub struct Col {
    pub name: String,
    pub ty: ColumnType,
    pub nullable: bool,
    pub primary_key: bool,
    pub autoincrement: Option<bool>,
    pub unique: bool,
    pub index: bool,
    pub server_default: Option<ServerDefault>,
    pub foreign_key: Option<Fk>,
}

/// A foreign key: a `sa.ForeignKeyConstraint` or a column's `sa.ForeignKey`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fk {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub ondelete: Option<String>,
    pub onupdate: Option<String>,
}

/// A table-level constraint of `create_table`.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    PrimaryKey(Vec<String>),
    ForeignKey(Fk),
    Unique(Option<String>, Vec<String>),
    Check(Option<String>, String),
}

pub fn column(m: &Module, e: &Expr) -> Read<Col> {
    let Some(c) = e
        .as_call()
        .filter(|c| sa_name(&c.func).as_deref() == Some("Column"))
    else {
        return refuse(m, e, "expected `sa.Column(..)`");
    };
    check_keywords(
        m,
        c,
        e,
        &[
            "nullable",
            "primary_key",
            "autoincrement",
            "unique",
            "index",
            "server_default",
        ],
    )?;
    let mut args = c.args.iter();
    let name = match args.next() {
        Some(a) => string(m, a)?,
        None => return refuse(m, e, "a column needs its name"),
    };
    let mut ty = None;
    let mut foreign_key = None;
    for a in args {
        let callee = a.as_call().and_then(|c| sa_name(&c.func));
        if callee.as_deref() == Some("ForeignKey") {
            let fc = a.as_call().unwrap_or(c);
            check_keywords(m, fc, a, &["ondelete", "onupdate", "name"])?;
            let target = match fc.args.first() {
                Some(t) => string(m, t)?,
                None => return refuse(m, a, "a ForeignKey needs its target"),
            };
            let Some((table, col)) = target.rsplit_once('.') else {
                return refuse(m, a, "the target must be 'table.column'");
            };
            foreign_key = Some(Fk {
                name: opt_string(m, fc.keyword("name"))?,
                columns: vec![name.clone()],
                ref_table: table.to_string(),
                ref_columns: vec![col.to_string()],
                ondelete: opt_string(m, fc.keyword("ondelete"))?,
                onupdate: opt_string(m, fc.keyword("onupdate"))?,
            });
        } else if ty.is_none() {
            ty = Some(column_type(m, a)?);
        } else {
            return refuse(m, a, "an argument of sa.Column ormsh does not read");
        }
    }
    let Some(ty) = ty else {
        return refuse(m, e, "a column needs its type");
    };
    let flag = |k: &str| -> Read<Option<bool>> { c.keyword(k).map(|v| boolean(m, v)).transpose() };
    let primary_key = flag("primary_key")?.unwrap_or(false);
    let autoincrement = match c.keyword("autoincrement") {
        Some(v) if v.as_str().as_deref() == Some("auto") => None,
        Some(v) => Some(boolean(m, v)?),
        None => None,
    };
    Ok(Col {
        name,
        ty,
        nullable: flag("nullable")?.unwrap_or(!primary_key),
        primary_key,
        autoincrement,
        unique: flag("unique")?.unwrap_or(false),
        index: flag("index")?.unwrap_or(false),
        server_default: match c.keyword("server_default") {
            Some(v) => server_default(m, v)?,
            None => None,
        },
        foreign_key,
    })
}

/// `sa.PrimaryKeyConstraint('id')` and its kin.
pub fn constraint(m: &Module, e: &Expr) -> Read<Constraint> {
    let Some(c) = e.as_call() else {
        return refuse(m, e, "expected a column or a constraint");
    };
    let kind = sa_name(&c.func).unwrap_or_default();
    let name = opt_string(m, c.keyword("name"))?;
    let cols = |args: &[Expr]| -> Read<Vec<String>> { args.iter().map(|a| string(m, a)).collect() };
    match kind.as_str() {
        "PrimaryKeyConstraint" => {
            check_keywords(m, c, e, &["name"])?;
            Ok(Constraint::PrimaryKey(cols(&c.args)?))
        }
        "UniqueConstraint" => {
            check_keywords(m, c, e, &["name"])?;
            Ok(Constraint::Unique(name, cols(&c.args)?))
        }
        "CheckConstraint" => {
            check_keywords(m, c, e, &["name"])?;
            let sql = match c.args.first() {
                Some(a) => match a.as_call() {
                    Some(t) if t.func.dotted().is_some_and(|d| d.ends_with("text")) => {
                        string(m, t.args.first().unwrap_or(a))?
                    }
                    _ => string(m, a)?,
                },
                None => return refuse(m, e, "a CheckConstraint needs its condition"),
            };
            Ok(Constraint::Check(name, sql))
        }
        "ForeignKeyConstraint" => {
            check_keywords(m, c, e, &["name", "ondelete", "onupdate"])?;
            let (Some(local), Some(remote)) = (c.args.first(), c.args.get(1)) else {
                return refuse(m, e, "a ForeignKeyConstraint needs its columns and targets");
            };
            let local = strings(m, local)?;
            let remote_full = strings(m, remote)?;
            let mut ref_table = String::new();
            let mut ref_columns = Vec::new();
            for r in &remote_full {
                let Some((t, col)) = r.rsplit_once('.') else {
                    return refuse(m, remote, "each target must be 'table.column'");
                };
                ref_table = t.to_string();
                ref_columns.push(col.to_string());
            }
            Ok(Constraint::ForeignKey(Fk {
                name,
                columns: local,
                ref_table,
                ref_columns,
                ondelete: opt_string(m, c.keyword("ondelete"))?,
                onupdate: opt_string(m, c.keyword("onupdate"))?,
            }))
        }
        _ => refuse(m, e, "a table argument ormsh does not read"),
    }
}
