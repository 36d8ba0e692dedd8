//! Column types as SQLAlchemy spells them (`db.String(64)`, `sa.Integer`,
//! `Enum(Role)`) and as 2.0 annotations imply them (`Mapped[int]`,
//! `Mapped[Optional[str]]`), mapped to ormsh's column types.

use crate::python::{Env, Expr, ExprKind, Module, PyError, Value};
use crate::sql::ColumnType;
use crate::sql::types::SqlaTypeArgs;

/// The last part of a dotted name: `Integer` of `sa.Integer`.
pub(super) fn last(dotted: &str) -> &str {
    dotted.rsplit('.').next().unwrap_or(dotted)
}

/// Whether `expr` names or calls a column type.
pub(super) fn is_type(expr: &Expr) -> bool {
    let name = match expr.as_call() {
        Some(call) => call.func.dotted(),
        None => expr.dotted(),
    };
    name.is_some_and(|n| type_name(last(&n)))
}

fn type_name(name: &str) -> bool {
    let none = |_: usize, _: &str| Ok(None);
    let naive = || Ok(false);
    let args = SqlaTypeArgs {
        int: &none,
        timezone: &naive,
    };
    ColumnType::from_sqlalchemy(name, &args).is_some()
        || matches!(name, "Enum" | "ARRAY" | "Interval" | "PickleType")
}

/// The type an expression (`db.String(64)`, `sa.Integer`) names.
pub(super) fn column_type(module: &Module, env: &Env, expr: &Expr) -> Result<ColumnType, PyError> {
    let (name, call) = match expr.as_call() {
        Some(call) => (call.func.dotted().unwrap_or_default(), Some(call)),
        None => (expr.dotted().unwrap_or_default(), None),
    };
    let int_arg = |i: usize, key: &str| -> Result<Option<i64>, PyError> {
        let Some(call) = call else { return Ok(None) };
        match call.args.get(i).or_else(|| call.keyword(key)) {
            None => Ok(None),
            Some(e) => match env.eval(module, e)? {
                Value::Int(n) => Ok(Some(n)),
                Value::None => Ok(None),
                _ => Err(module.error(
                    e.span,
                    format!("`{}` must be a number", module.text(e.span)),
                )),
            },
        }
    };
    let refuse = |why: &str| {
        module.error(
            expr.span,
            format!("the type `{}` {why}", module.text(expr.span)),
        )
    };
    // An argument's own refusal (at its line) is kept to be given back whole.
    let inner = std::cell::RefCell::new(None);
    let keep = |e: PyError| {
        let why = e.message.clone();
        inner.borrow_mut().get_or_insert(e);
        why
    };
    let int = |i: usize, key: &str| -> Result<Option<u32>, String> {
        match int_arg(i, key).map_err(keep)? {
            None => Ok(None),
            Some(n) => u32::try_from(n)
                .map(Some)
                .map_err(|_| "has an argument that is not a positive number".to_string()),
        }
    };
    let timezone = || -> Result<bool, String> {
        match call.and_then(|c| c.keyword("timezone").or_else(|| c.args.first())) {
            Some(e) => env.eval(module, e).map_err(keep)?.truthy(),
            None => Ok(false),
        }
    };
    let args = SqlaTypeArgs {
        int: &int,
        timezone: &timezone,
    };
    if matches!(last(&name), "Interval" | "INTERVAL") {
        interval_args(module, env, call)?;
    }
    if let Some(ty) = ColumnType::from_sqlalchemy(last(&name), &args) {
        return ty.map_err(|why| inner.borrow_mut().take().unwrap_or_else(|| refuse(&why)));
    }
    Ok(match last(&name) {
        "Enum" => enum_type(module, env, expr)?,
        "ARRAY" => {
            let inner = call
                .and_then(|c| c.args.first())
                .ok_or_else(|| refuse("needs its item type"))?;
            ColumnType::Array(Box::new(column_type(module, env, inner)?))
        }
        _ => {
            return Err(refuse(
                "is not one ormsh maps (use a type of sqlalchemy's generic types)",
            ));
        }
    })
}

/// `Interval()` as ormsh stores it: SQLAlchemy's defaults. A precision
/// (PostgreSQL's `INTERVAL(6)`, `fields=`) and `native=False` (a DATETIME
/// on PostgreSQL too) would be a different column, and are refused.
fn interval_args(
    module: &Module,
    env: &Env,
    call: Option<&crate::python::Call>,
) -> Result<(), PyError> {
    let Some(call) = call else { return Ok(()) };
    if let Some(arg) = call.args.first() {
        return Err(module.error(
            arg.span,
            format!(
                "`{}`: an Interval's arguments are not mapped (leave them out: ormsh makes SQLAlchemy's default Interval)",
                module.text(arg.span)
            ),
        ));
    }
    for kw in &call.keywords {
        let default = match kw.name.as_deref() {
            Some("native") => Some(Value::Bool(true)),
            Some("second_precision" | "day_precision" | "precision" | "fields") => {
                Some(Value::None)
            }
            _ => None,
        };
        if default.is_none() || Some(env.eval(module, &kw.value)?) != default {
            return Err(module.error(
                kw.span,
                format!(
                    "`Interval(.., {})` is not mapped (leave it out: ormsh makes SQLAlchemy's default Interval)",
                    module.text(kw.span)
                ),
            ));
        }
    }
    Ok(())
}

/// `Enum(Role)` of an `enum.Enum` class (its members' names, as
/// SQLAlchemy stores them) or `Enum('a', 'b', name='mood')`.
fn enum_type(module: &Module, env: &Env, expr: &Expr) -> Result<ColumnType, PyError> {
    let call = expr
        .as_call()
        .ok_or_else(|| module.error(expr.span, "`Enum` needs its values or an enum class"))?;
    for kw in &call.keywords {
        match kw.name.as_deref() {
            Some("name") | Some("create_constraint") | Some("length") => {}
            Some("native_enum") => {
                if env.eval(module, &kw.value)? != Value::Bool(true) {
                    return Err(module.error(
                        kw.span,
                        "`native_enum=False` is not mapped yet (leave it out)",
                    ));
                }
            }
            _ => {
                return Err(module.error(
                    kw.span,
                    format!(
                        "`Enum(.., {})` is not an option ormsh honours",
                        module.text(kw.span)
                    ),
                ));
            }
        }
    }
    let name = match call.keyword("name") {
        Some(e) => env.eval(module, e)?.as_str().map(str::to_string),
        None => None,
    };
    let mut values = Vec::new();
    for arg in &call.args {
        match env.eval(module, arg)? {
            Value::Str(s) => values.push(s),
            Value::Class(class) => {
                values.extend(
                    class
                        .attrs
                        .iter()
                        .filter(|(n, _)| !n.starts_with('_'))
                        .map(|(n, _)| n.clone()),
                );
                // SQLAlchemy names an enum class's type after the class.
                if name.is_none() {
                    return Ok(ColumnType::enumeration(
                        values,
                        Some(class.name.to_lowercase()),
                    ));
                }
            }
            _ => {
                return Err(module.error(
                    arg.span,
                    format!(
                        "`{}` is not an enum class or a string",
                        module.text(arg.span)
                    ),
                ));
            }
        }
    }
    if values.is_empty() {
        return Err(module.error(expr.span, "`Enum` needs at least one value"));
    }
    Ok(ColumnType::enumeration(values, name))
}

/// What a 2.0 annotation says: `Mapped[Optional[int]]` is (the type of
/// `int`, nullable). `None` for the type when the annotation names a class
/// of the project (a relationship's target) or a collection.
pub(super) struct Annotated {
    pub inner: Expr,
    pub optional: bool,
    /// `Mapped`, `WriteOnlyMapped`, `DynamicMapped`.
    pub wrapper: String,
}

/// Unwrap `Mapped[...]` and `Optional[...]` / `X | None`.
pub(super) fn annotation(expr: &Expr) -> Option<Annotated> {
    let ExprKind::Subscript { value, index } = &expr.kind else {
        return None;
    };
    let wrapper = last(&value.dotted()?).to_string();
    if !matches!(
        wrapper.as_str(),
        "Mapped" | "WriteOnlyMapped" | "DynamicMapped"
    ) {
        return None;
    }
    let (inner, optional) = unwrap_optional(index);
    Some(Annotated {
        inner,
        optional,
        wrapper,
    })
}

fn unwrap_optional(expr: &Expr) -> (Expr, bool) {
    match &expr.kind {
        ExprKind::Subscript { value, index }
            if value.dotted().is_some_and(|d| last(&d) == "Optional") =>
        {
            (index.as_ref().clone(), true)
        }
        ExprKind::BinOp { left, right, .. } if matches!(right.kind, ExprKind::None) => {
            (left.as_ref().clone(), true)
        }
        ExprKind::BinOp { left, right, .. } if matches!(left.kind, ExprKind::None) => {
            (right.as_ref().clone(), true)
        }
        _ => (expr.clone(), false),
    }
}

/// The column type a Python type in an annotation implies (`int`,
/// `datetime`, an enum class); `None` when it is not a column's type.
pub(super) fn python_type(
    module: &Module,
    env: &Env,
    expr: &Expr,
) -> Result<Option<ColumnType>, PyError> {
    let Some(name) = expr.dotted() else {
        return Ok(None);
    };
    Ok(Some(match last(&name) {
        "int" => ColumnType::Integer,
        "str" => ColumnType::String(None),
        "bool" => ColumnType::Boolean,
        "float" => ColumnType::Float,
        "Decimal" => ColumnType::Numeric(None),
        "datetime" => ColumnType::DateTime,
        "date" => ColumnType::Date,
        "time" => ColumnType::Time,
        "bytes" => ColumnType::LargeBinary,
        "UUID" => ColumnType::Uuid,
        "timedelta" => ColumnType::Interval,
        _ => match env.eval(module, expr) {
            Ok(Value::Class(class))
                if class
                    .bases
                    .iter()
                    .any(|b| matches!(b, Value::Ref(r) if last(r) == "Enum")) =>
            {
                let values = class
                    .attrs
                    .iter()
                    .filter(|(n, _)| !n.starts_with('_'))
                    .map(|(n, _)| n.clone())
                    .collect();
                ColumnType::enumeration(values, Some(class.name.to_lowercase()))
            }
            _ => return Ok(None),
        },
    }))
}
