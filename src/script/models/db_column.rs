//! `db.Column(..)`: a column's type, foreign key and options (`default`,
//! `onupdate`, `server_default`, `server_onupdate`, ..) read into the ORM's
//! `Column`, and `db.FetchedValue()`.

use std::rc::Rc;

use rhai::{Dynamic, FnPtr, Map};

use super::{ForeignKeySpec, ModelItem, TextClause, check_keys, code, map_bool, map_string};
use crate::orm::Column;
use crate::script::convert::{RhaiResult, err, to_value};
use crate::sql::ColumnType;

fn type_of(d: &Dynamic) -> Option<ColumnType> {
    d.clone().try_cast::<ColumnType>()
}

const COLUMN_OPTIONS: &[&str] = &[
    "primary_key",
    "nullable",
    "unique",
    "index",
    "default",
    "onupdate",
    "server_default",
    "server_onupdate",
    "autoincrement",
    "name",
];

/// `db.FetchedValue()`: a value the database makes (a trigger), for `server_onupdate`.
#[derive(Debug, Clone)]
pub struct FetchedValue;

pub(super) fn column(
    runner: &Rc<code::CodeRunner>,
    name: &str,
    ty: Dynamic,
    fk: Option<ForeignKeySpec>,
    opts: Map,
) -> RhaiResult<ModelItem> {
    let Some(ty) = type_of(&ty) else {
        return err(format!(
            "db.Column(\"{name}\", ..): the second argument must be a type such as db.Integer or db.String(80), not a {}",
            ty.type_name()
        ));
    };
    check_keys(&format!("db.Column(\"{name}\")"), &opts, COLUMN_OPTIONS)?;
    let mut c = Column::new(name, ty);
    c.primary_key = map_bool(&opts, "primary_key")?.unwrap_or(false);
    c.nullable = map_bool(&opts, "nullable")?.unwrap_or(!c.primary_key);
    c.unique = map_bool(&opts, "unique")?.unwrap_or(false);
    let index = map_bool(&opts, "index")?;
    c.index = index.unwrap_or(false);
    c.index_foreign_key = index.is_none() && fk.is_some();
    c.autoincrement = map_bool(&opts, "autoincrement")?;
    if let Some(db_name) = map_string(&opts, "name")? {
        c.db_name = db_name;
    }
    let c_ty = c.ty.clone();
    let coerced = |key: &str, v: &Dynamic| -> RhaiResult<crate::sql::Value> {
        let value = to_value(v).map_err(crate::script::convert::rhai_error)?;
        c_ty.coerce(value).map_err(|e| {
            crate::script::convert::rhai_error(crate::Error::invalid(format!(
                "db.Column(\"{name}\") {key}: {e}"
            )))
        })
    };
    if let Some(v) = opts.get("default") {
        if let Some(f) = v.clone().try_cast::<FnPtr>() {
            c.default_call = Some(runner.callable(f));
        } else if is_sql_now(v) {
            return err(format!(
                "db.Column(\"{name}\") default: SQL evaluated at the INSERT is not supported; use server_default: db.func.now(), which the table's DDL carries"
            ));
        } else {
            c.default = Some(coerced("default", v)?);
        }
    }
    if let Some(v) = opts.get("onupdate") {
        use crate::orm::mapping::generated::{Generated, SqlValue};
        c.onupdate = Some(if let Some(f) = v.clone().try_cast::<FnPtr>() {
            Generated::Call(runner.callable(f))
        } else if is_sql_now(v) {
            Generated::Sql(SqlValue::Now)
        } else if v.is::<crate::script::expr::SqlExpr>() || v.is::<TextClause>() {
            return err(format!(
                "db.Column(\"{name}\") onupdate: the one SQL ormsh sends is db.func.now(); use a value or a closure"
            ));
        } else {
            Generated::Value(coerced("onupdate", v)?)
        });
    }
    if let Some(v) = opts.get("server_default") {
        c.server_default = Some(match v.clone().try_cast::<TextClause>() {
            Some(TextClause(sql)) => crate::sql::ServerDefault::Sql(sql),
            None if is_sql_now(v) => crate::sql::ServerDefault::Sql("CURRENT_TIMESTAMP".into()),
            None if v.is::<crate::script::expr::SqlExpr>() => {
                return err(format!(
                    "db.Column(\"{name}\") server_default: write SQL as db.text(\"..\"); the one function ormsh writes is db.func.now()"
                ));
            }
            None => crate::sql::ServerDefault::Value(coerced("server_default", v)?),
        });
    }
    if let Some(v) = opts.get("server_onupdate") {
        // No DDL, as in SQLAlchemy: the database changes the value itself
        // (a trigger), and the ORM reads it again after an UPDATE.
        if !(v.is::<FetchedValue>() || v.is::<TextClause>() || is_sql_now(v)) {
            return err(format!(
                "db.Column(\"{name}\") server_onupdate: say that the database sets the value with db.FetchedValue(), not a {}",
                v.type_name()
            ));
        }
        c.server_onupdate = true;
    }
    c.foreign_key = fk.map(|f| f.0);
    Ok(ModelItem::Column(c))
}

/// Whether `v` is `db.func.now()`.
fn is_sql_now(v: &Dynamic) -> bool {
    v.read_lock::<crate::script::expr::SqlExpr>().is_some_and(|e| {
        matches!(&e.0, crate::sql::Expr::Func { name, args } if args.is_empty() && name.eq_ignore_ascii_case("now"))
    })
}
