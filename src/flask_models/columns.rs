//! A column as SQLAlchemy declares it (`db.Column(..)`, `mapped_column(..)`,
//! and the columns of `db.Table(..)`), read into ormsh's `Column`. Every
//! keyword ormsh cannot honour is refused at its line.

use crate::orm::mapping::column::{Column, DefaultFn, ForeignKey, referential_action};
use crate::orm::mapping::generated::{Generated, SqlValue};
use crate::python::{Call, Env, Expr, ExprKind, Module, PyError, Value};
use crate::sql::{ColumnType, ServerDefault};

use super::types::{column_type, is_type, last};

/// Marks a foreign key's table that is a model's name (`ForeignKey(User.id)`),
/// put right once every model's table name is known.
pub(super) const MODEL_MARK: &str = "\u{1}model:";

/// Read `db.Column(..)` or `mapped_column(..)` for attribute `attr` (empty
/// in `db.Table(..)`, where the first argument names the column). `implied`
/// is the type and nullability a 2.0 annotation gives.
pub(super) fn column(
    module: &Module,
    env: &Env,
    attr: &str,
    call: &Call,
    span: crate::python::Span,
    implied: Option<(Option<ColumnType>, bool)>,
) -> Result<Column, PyError> {
    if call.has_splat() {
        return Err(module.error(
            span,
            "a column built from `*args`/`**kwargs` cannot be read",
        ));
    }
    let mut db_name = None;
    let mut ty = None;
    let mut foreign_key = None;
    for arg in &call.args {
        if let ExprKind::Str(_) = arg.kind
            && db_name.is_none()
            && ty.is_none()
        {
            db_name = arg.as_str();
        } else if is_type(arg) {
            ty = Some(column_type(module, env, arg)?);
        } else if let Some(fk) = arg
            .as_call()
            .filter(|c| c.func.dotted().is_some_and(|d| last(&d) == "ForeignKey"))
        {
            foreign_key = Some(foreign_key_of(module, env, fk, arg)?);
        } else {
            return Err(module.error(
                arg.span,
                format!(
                    "`{}` in a column is not something ormsh honours",
                    module.text(arg.span)
                ),
            ));
        }
    }
    let name = if attr.is_empty() {
        db_name
            .clone()
            .ok_or_else(|| module.error(span, "a table's column needs its name first"))?
    } else {
        attr.to_string()
    };
    let (implied_ty, optional) = implied.unwrap_or((None, true));
    let ty = ty.or(implied_ty).ok_or_else(|| {
        module.error(
            span,
            format!(
                "the column `{name}` has no type ormsh can read (give it one, like db.Integer)"
            ),
        )
    })?;
    let mut c = Column::new(&name, ty);
    if let Some(db_name) = db_name.filter(|_| !attr.is_empty()) {
        c.db_name = db_name;
    }
    let flag = |e: &Expr| -> Result<bool, PyError> {
        env.eval(module, e)?
            .truthy()
            .map_err(|m| module.error(e.span, m))
    };
    let mut nullable = None;
    let mut index = None;
    for kw in &call.keywords {
        let Some(key) = kw.name.as_deref() else {
            continue;
        };
        match key {
            "primary_key" => c.primary_key = flag(&kw.value)?,
            "nullable" => nullable = Some(flag(&kw.value)?),
            "unique" => c.unique = flag(&kw.value)?,
            "index" => index = Some(flag(&kw.value)?),
            "autoincrement" => match env.eval(module, &kw.value)? {
                Value::Bool(b) => c.autoincrement = Some(b),
                _ => {
                    return Err(module.error(
                        kw.span,
                        "`autoincrement` other than True or False is not mapped",
                    ));
                }
            },
            "name" => {
                c.db_name = env
                    .eval(module, &kw.value)?
                    .as_str()
                    .unwrap_or(&name)
                    .to_string()
            }
            "doc" => {}
            "default" => default(module, env, &mut c, &kw.value)?,
            "onupdate" => c.onupdate = Some(onupdate(module, env, &c.ty, &kw.value)?),
            "server_onupdate" => {
                server_onupdate(module, env, &kw.value)?;
                c.server_onupdate = true;
            }
            "server_default" => c.server_default = Some(server_default(module, env, &kw.value)?),
            "type_" => c.ty = column_type(module, env, &kw.value)?,
            _ => {
                return Err(module.error(
                    kw.span,
                    format!(
                        "`{}` on the column `{name}` is not honoured by ormsh yet",
                        module.text(kw.span)
                    ),
                ));
            }
        }
    }
    c.nullable = nullable.unwrap_or(!c.primary_key && optional);
    c.index = index.unwrap_or(false);
    c.index_foreign_key = false;
    c.foreign_key = foreign_key;
    Ok(c)
}

/// `ForeignKey('user.id', name=.., ondelete=.., onupdate=..)` (other
/// keywords that change the schema are refused).
fn foreign_key_of(
    module: &Module,
    env: &Env,
    call: &Call,
    expr: &Expr,
) -> Result<ForeignKey, PyError> {
    let mut actions = [None, None];
    let mut name = None;
    for kw in &call.keywords {
        let slot = match kw.name.as_deref() {
            Some("ondelete") => 0,
            Some("onupdate") => 1,
            Some("name") => {
                name = match env.eval(module, &kw.value)? {
                    Value::None => None,
                    Value::Str(text) => Some(text),
                    other => {
                        return Err(module.error(
                            kw.span,
                            format!(
                                "`name=` of a ForeignKey is {}, not a string",
                                other.a_type()
                            ),
                        ));
                    }
                };
                continue;
            }
            _ => {
                return Err(module.error(
                    kw.span,
                    format!(
                        "`{}` on a foreign key is not honoured by ormsh yet",
                        module.text(kw.span)
                    ),
                ));
            }
        };
        actions[slot] = match env.eval(module, &kw.value)? {
            Value::None => None,
            Value::Str(text) => {
                Some(referential_action(&text).map_err(|e| module.error(kw.span, e.to_string()))?)
            }
            other => {
                return Err(module.error(
                    kw.span,
                    format!(
                        "`{}` is {}, not an action's name",
                        module.text(kw.span),
                        other.a_type()
                    ),
                ));
            }
        };
    }
    let [on_delete, on_update] = actions;
    let Some(arg) = call.args.first() else {
        return Err(module.error(expr.span, "a ForeignKey names its column, like 'user.id'"));
    };
    // `ForeignKey(User.id)`: the model's table is known once every model is read.
    if !matches!(arg.kind, ExprKind::Str(_))
        && let Some(dotted) = arg.dotted()
        && let Some((model, column)) = dotted.rsplit_once('.')
        && !model.contains('.')
    {
        return Ok(ForeignKey {
            table: format!("{MODEL_MARK}{model}"),
            column: column.to_string(),
            on_delete,
            on_update,
            name,
            merges: false,
        });
    }
    let target = env
        .eval(module, arg)?
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| {
            module.error(
                expr.span,
                "a ForeignKey names its column as a string, like 'user.id'",
            )
        })?;
    let mut fk = ForeignKey::parse(&target).map_err(|e| module.error(expr.span, e.to_string()))?;
    fk.on_delete = on_delete;
    fk.on_update = on_update;
    fk.name = name;
    fk.merges = false;
    Ok(fk)
}

/// `default=`: a literal is the value; anything Python would call per row
/// makes an INSERT without the attribute refuse, naming where it is.
fn default(module: &Module, env: &Env, c: &mut Column, expr: &Expr) -> Result<(), PyError> {
    let literal = matches!(
        expr.kind,
        ExprKind::Str(_)
            | ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Bool(_)
            | ExprKind::None
    ) || matches!(&expr.kind, ExprKind::Unary { operand, .. } if matches!(operand.kind, ExprKind::Int(_) | ExprKind::Float(_)));
    if literal {
        let value = match env.eval(module, expr)? {
            Value::None => crate::sql::Value::Null,
            Value::Bool(b) => crate::sql::Value::Bool(b),
            Value::Int(i) => crate::sql::Value::Int(i),
            Value::Float(f) => crate::sql::Value::Float(f),
            Value::Str(s) => crate::sql::Value::Text(s),
            _ => unreachable_literal(),
        };
        c.default = Some(
            c.ty.coerce(value)
                .map_err(|e| module.error(expr.span, format!("default: {e}")))?,
        );
        return Ok(());
    }
    if let Some(f) = python_default(expr)
        && matches!(c.ty, ColumnType::DateTime | ColumnType::DateTimeTz)
    {
        c.default_fn = Some(f);
        return Ok(());
    }
    if let Some(delta) = timedelta_literal(module, env, expr)? {
        c.default = Some(
            c.ty.coerce(crate::sql::Value::Interval(delta))
                .map_err(|e| module.error(expr.span, format!("default: {e}")))?,
        );
        return Ok(());
    }
    c.default_refusal = Some(format!(
        "{}:{}: its default `{}` is Python that ormsh cannot run; give {} a value",
        module.file,
        expr.span.line,
        module.text(expr.span),
        c.name
    ));
    Ok(())
}

/// `onupdate=`: a literal, a clock ormsh reads as Python does
/// (`datetime.utcnow`), or `func.now()`; any other Python stops the model's
/// load at its line (every UPDATE of the model would need it).
fn onupdate(
    module: &Module,
    env: &Env,
    ty: &ColumnType,
    expr: &Expr,
) -> Result<Generated, PyError> {
    let literal = matches!(
        expr.kind,
        ExprKind::Str(_) | ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Bool(_)
    );
    if literal {
        let value = match env.eval(module, expr)? {
            Value::Bool(b) => crate::sql::Value::Bool(b),
            Value::Int(i) => crate::sql::Value::Int(i),
            Value::Float(f) => crate::sql::Value::Float(f),
            Value::Str(s) => crate::sql::Value::Text(s),
            _ => crate::sql::Value::Null,
        };
        return ty
            .coerce(value)
            .map(Generated::Value)
            .map_err(|e| module.error(expr.span, format!("onupdate: {e}")));
    }
    if let Some(f) = python_default(expr)
        && matches!(ty, ColumnType::DateTime | ColumnType::DateTimeTz)
    {
        return Ok(Generated::Clock(f));
    }
    if let Some(delta) = timedelta_literal(module, env, expr)? {
        return ty
            .coerce(crate::sql::Value::Interval(delta))
            .map(Generated::Value)
            .map_err(|e| module.error(expr.span, format!("onupdate: {e}")));
    }
    if is_func_now(expr) {
        return Ok(Generated::Sql(SqlValue::Now));
    }
    Err(module.error(
        expr.span,
        format!(
            "the onupdate `{}` is Python that ormsh cannot run on every UPDATE (it takes a literal, datetime.utcnow, datetime.now or func.now())",
            module.text(expr.span)
        ),
    ))
}

/// `server_onupdate=`: a value the database makes on UPDATE (`FetchedValue()`,
/// `text(..)`, `func.now()`), which SQLAlchemy writes into no DDL.
fn server_onupdate(module: &Module, env: &Env, expr: &Expr) -> Result<(), PyError> {
    let _ = env;
    let known = is_func_now(expr)
        || expr
            .as_call()
            .and_then(|c| c.func.dotted())
            .is_some_and(|d| matches!(last(&d), "FetchedValue" | "text"));
    if known {
        return Ok(());
    }
    Err(module.error(
        expr.span,
        format!(
            "the server_onupdate `{}` is not one ormsh reads (FetchedValue(), text(..) or func.now())",
            module.text(expr.span)
        ),
    ))
}

/// `timedelta(hours=1)` (or `datetime.timedelta(..)`) of numbers: the
/// interval, as Python makes it; none for any other expression.
fn timedelta_literal(
    module: &Module,
    env: &Env,
    expr: &Expr,
) -> Result<Option<chrono::TimeDelta>, PyError> {
    let Some(call) = expr.as_call() else {
        return Ok(None);
    };
    if call.func.dotted().is_none_or(|d| last(&d) != "timedelta") {
        return Ok(None);
    }
    // Python's order of the positional arguments.
    const POSITIONAL: [&str; 7] = [
        "days",
        "seconds",
        "microseconds",
        "milliseconds",
        "minutes",
        "hours",
        "weeks",
    ];
    let number = |e: &Expr| -> Result<f64, PyError> {
        match env.eval(module, e)? {
            Value::Int(i) => Ok(i as f64),
            Value::Float(f) => Ok(f),
            _ => Err(module.error(
                e.span,
                format!(
                    "`{}` is not a number timedelta() takes",
                    module.text(e.span)
                ),
            )),
        }
    };
    let mut units = Vec::new();
    for (i, arg) in call.args.iter().enumerate() {
        let name = POSITIONAL
            .get(i)
            .ok_or_else(|| module.error(arg.span, "timedelta() takes at most 7 arguments"))?;
        units.push((*name, number(arg)?));
    }
    for kw in &call.keywords {
        let Some(name) = kw.name.as_deref() else {
            return Err(module.error(kw.span, "`**` in timedelta() is not read"));
        };
        units.push((name, number(&kw.value)?));
    }
    crate::sql::interval::from_units(&units)
        .map(Some)
        .map_err(|why| module.error(expr.span, why))
}

/// `func.now()` (or `db.func.now()`, `sa.func.now()`).
fn is_func_now(expr: &Expr) -> bool {
    expr.as_call().is_some_and(|call| {
        call.args.is_empty()
            && call
                .func
                .dotted()
                .is_some_and(|d| d == "func.now" || d.ends_with(".func.now"))
    })
}

/// The Python defaults ormsh computes as Python does: `datetime.utcnow`,
/// `datetime.now`, and `lambda: datetime.now(timezone.utc)` (or `utcnow()`).
fn python_default(expr: &Expr) -> Option<DefaultFn> {
    let is_datetime = |d: &str| d == "datetime" || d.ends_with(".datetime");
    match &expr.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } => {
            let dotted = expr.dotted()?;
            let (owner, f) = dotted.rsplit_once('.')?;
            match (is_datetime(owner), f) {
                (true, "utcnow") => Some(DefaultFn::UtcNow),
                (true, "now") => Some(DefaultFn::LocalNow),
                _ => None,
            }
        }
        ExprKind::Lambda { params, body } if params.is_empty() => {
            let call = body.as_call()?;
            let dotted = call.func.dotted()?;
            let (owner, f) = dotted.rsplit_once('.')?;
            if !is_datetime(owner)
                || !call
                    .keywords
                    .iter()
                    .all(|k| k.name.as_deref() == Some("tz"))
            {
                return None;
            }
            let arg = call.args.first().or_else(|| call.keyword("tz"));
            match (f, arg.and_then(Expr::dotted)) {
                ("utcnow", None) if call.args.is_empty() && call.keywords.is_empty() => {
                    Some(DefaultFn::UtcNow)
                }
                ("now", None) if call.args.is_empty() && call.keywords.is_empty() => {
                    Some(DefaultFn::LocalNow)
                }
                ("now", Some(tz))
                    if tz == "timezone.utc"
                        || tz.ends_with(".timezone.utc")
                        || tz == "UTC"
                        || tz.ends_with(".UTC") =>
                {
                    Some(DefaultFn::UtcNowAware)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn unreachable_literal() -> crate::sql::Value {
    crate::sql::Value::Null
}

/// `server_default=`: a string is a literal, `text(..)` is SQL, `func.now()`
/// is the current timestamp.
fn server_default(module: &Module, env: &Env, expr: &Expr) -> Result<ServerDefault, PyError> {
    if let Some(s) = expr.as_str() {
        return Ok(ServerDefault::Value(crate::sql::Value::Text(s)));
    }
    if let Some(call) = expr.as_call()
        && let Some(name) = call.func.dotted()
    {
        match last(&name) {
            "text" => {
                if let Some(sql) = call
                    .args
                    .first()
                    .map(|a| env.eval(module, a))
                    .transpose()?
                    .and_then(|v| v.as_str().map(str::to_string))
                {
                    return Ok(ServerDefault::Sql(sql));
                }
            }
            "now" if name.contains("func") => {
                return Ok(ServerDefault::Sql("CURRENT_TIMESTAMP".into()));
            }
            _ => {}
        }
    }
    Err(module.error(
        expr.span,
        format!(
            "the server default `{}` is not one ormsh can write (use a string or text(..))",
            module.text(expr.span)
        ),
    ))
}
