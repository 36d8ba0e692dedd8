//! The table-level constraints and indexes of the models file, spelled as
//! Flask-SQLAlchemy spells them: `db.UniqueConstraint("a", "b", #{ name })`,
//! `db.CheckConstraint("price > 0", #{ name })`,
//! `db.PrimaryKeyConstraint("a", "b", #{ name })`,
//! `db.ForeignKeyConstraint(["a", "b"], ["t.x", "t.y"], #{ name, ondelete,
//! onupdate })` and `db.Index("ix_t_a", "a", #{ unique })`, each read into a
//! `Constraint` with the line that declares it. They go in a model's
//! `__table_args__: [..]` or among a `db.Table`'s columns.

use rhai::{Array, Dynamic, Engine, Map, NativeCallContext};

use super::{DeclarationSource, check_keys, map_bool, map_string};
use crate::orm::{Constraint, ConstraintKind};
use crate::script::convert::{RhaiResult, err, rhai_error};

/// A constraint or index before it is put in a table.
#[derive(Debug, Clone)]
pub struct ConstraintSpec(pub Constraint);

/// The arguments of one call: the positional ones, and the options map
/// that may end them.
fn split(args: Vec<Dynamic>) -> (Vec<Dynamic>, Map) {
    let mut args = args;
    let opts = match args.last().and_then(|a| a.clone().try_cast::<Map>()) {
        Some(m) => {
            args.pop();
            m
        }
        None => Map::new(),
    };
    (args, opts)
}

fn strings(what: &str, args: &[Dynamic]) -> RhaiResult<Vec<String>> {
    args.iter()
        .map(|a| {
            a.clone().into_string().or_else(|t| {
                err(format!(
                    "{what}: each column is named by a string, not a {t}"
                ))
            })
        })
        .collect()
}

fn string_list(what: &str, v: &Dynamic) -> RhaiResult<Vec<String>> {
    match v.clone().try_cast::<Array>() {
        Some(items) => strings(what, &items),
        None => err(format!(
            "{what}: the columns are a list of strings, like [\"a\", \"b\"]"
        )),
    }
}

/// Build the named constructor from its arguments.
fn build(name: &str, args: Vec<Dynamic>, line: Option<usize>) -> RhaiResult<ConstraintSpec> {
    let what = format!("db.{name}(..)");
    let (args, opts) = split(args);
    let mut constraint = match name {
        "UniqueConstraint" | "PrimaryKeyConstraint" => {
            check_keys(&what, &opts, &["name"])?;
            let columns = strings(&what, &args)?;
            Constraint::new(if name == "UniqueConstraint" {
                ConstraintKind::Unique(columns)
            } else {
                ConstraintKind::PrimaryKey(columns)
            })
        }
        "CheckConstraint" => {
            check_keys(&what, &opts, &["name"])?;
            match strings(&what, &args)?.as_slice() {
                [sql] => Constraint::new(ConstraintKind::Check(sql.clone())),
                _ => {
                    return err(format!(
                        "{what} takes the SQL of the check as one string, like db.CheckConstraint(\"price > 0\", #{{ name: \"ck_price\" }})"
                    ));
                }
            }
        }
        "ForeignKeyConstraint" => {
            check_keys(&what, &opts, &["name", "ondelete", "onupdate"])?;
            let [columns, targets] = args.as_slice() else {
                return err(format!(
                    "{what} takes the columns and the columns they refer to, like db.ForeignKeyConstraint([\"a\", \"b\"], [\"t.x\", \"t.y\"])"
                ));
            };
            Constraint::foreign_key(
                string_list(&what, columns)?,
                &string_list(&what, targets)?,
                map_string(&opts, "ondelete")?.as_deref(),
                map_string(&opts, "onupdate")?.as_deref(),
            )
            .map_err(rhai_error)?
        }
        "Index" => {
            check_keys(&what, &opts, &["unique"])?;
            let mut names = strings(&what, &args)?;
            if names.len() < 2 {
                return err(format!(
                    "{what} takes its name and then its columns, like db.Index(\"ix_post_a_b\", \"a\", \"b\")"
                ));
            }
            let index_name = names.remove(0);
            let mut c = Constraint::new(ConstraintKind::Index {
                columns: names,
                unique: map_bool(&opts, "unique")?.unwrap_or(false),
            });
            c.name = Some(index_name);
            c
        }
        _ => return err(format!("db.{name} is not a constraint")),
    };
    if constraint.name.is_none() {
        constraint.name = map_string(&opts, "name")?;
    }
    constraint.line = line;
    Ok(ConstraintSpec(constraint))
}

const CONSTRUCTORS: [&str; 5] = [
    "UniqueConstraint",
    "CheckConstraint",
    "PrimaryKeyConstraint",
    "ForeignKeyConstraint",
    "Index",
];

/// Register the constructors on `T`, the type of `db`, for one to eight arguments.
pub fn register<T: DeclarationSource>(engine: &mut Engine) {
    engine.register_type_with_name::<ConstraintSpec>("Constraint");
    engine.register_fn("MetaData", |db: &mut T, opts: Map| {
        metadata(db.collector(), opts)
    });
    macro_rules! arity {
        ($($a:ident),+) => {
            for name in CONSTRUCTORS {
                engine.register_fn(
                    name,
                    move |ctx: NativeCallContext, _: &mut T, $($a: Dynamic),+| {
                        build(name, vec![$($a),+], ctx.call_position().line())
                    },
                );
            }
        };
    }
    arity!(a);
    arity!(a, b);
    arity!(a, b, c);
    arity!(a, b, c, d);
    arity!(a, b, c, d, e);
    arity!(a, b, c, d, e, f);
    arity!(a, b, c, d, e, f, g);
    arity!(a, b, c, d, e, f, g, h);
}

/// `db.MetaData(#{ naming_convention: #{ ix: "..", uq: "..", .. } })`:
/// the names of the constraints and indexes, as SQLAlchemy's
/// `MetaData(naming_convention=...)` gives them.
pub fn metadata(collector: &super::Collector, opts: Map) -> RhaiResult<()> {
    check_keys("db.MetaData(#{..})", &opts, &["naming_convention"])?;
    let Some(convention) = opts.get("naming_convention") else {
        return Ok(());
    };
    let Some(map) = convention.clone().try_cast::<Map>() else {
        return err(
            "db.MetaData(#{ naming_convention: .. }) takes a map of templates, like #{ uq: \"uq_%(table_name)s_%(column_0_name)s\" }",
        );
    };
    let mut pairs = Vec::new();
    for (kind, template) in map {
        let Ok(template) = template.into_string() else {
            return err(format!(
                "db.MetaData: the naming convention's `{kind}` must be a template string"
            ));
        };
        pairs.push((kind.to_string(), template));
    }
    let convention =
        crate::orm::mapping::naming_convention::NamingConvention::new(pairs).map_err(rhai_error)?;
    let mut decls = collector.borrow_mut();
    if decls.naming_convention.is_some() {
        return err("db.MetaData(..) is declared twice; the models have one");
    }
    decls.naming_convention = Some(convention);
    Ok(())
}

/// A model's `__table_args__: [..]`: its constraints and indexes.
pub fn table_args(model: &str, value: &Dynamic) -> RhaiResult<Vec<Constraint>> {
    let Some(items) = value.clone().try_cast::<Array>() else {
        return err(format!(
            "db.Model(\"{model}\"): __table_args__ is a list of constraints and indexes, like [db.UniqueConstraint(\"a\", \"b\")]"
        ));
    };
    items
        .into_iter()
        .map(|item| {
            let type_name = item.type_name();
            item.try_cast::<ConstraintSpec>().map(|c| c.0).ok_or_else(|| {
                rhai_error(crate::Error::invalid(format!(
                    "db.Model(\"{model}\"): __table_args__ holds constraints and indexes (db.UniqueConstraint, db.CheckConstraint, db.PrimaryKeyConstraint, db.ForeignKeyConstraint, db.Index), not a {type_name}"
                )))
            })
        })
        .collect()
}

/// A constraint as the models file spells it, for `models dump`.
pub(crate) fn spelled(c: &Constraint) -> String {
    let quote = |s: &str| format!("{s:?}");
    let list = |cols: &[String]| cols.iter().map(|c| quote(c)).collect::<Vec<_>>();
    let mut options = Vec::new();
    let (call, mut args) = match &c.kind {
        ConstraintKind::PrimaryKey(cols) => ("PrimaryKeyConstraint", list(cols)),
        ConstraintKind::Unique(cols) => ("UniqueConstraint", list(cols)),
        ConstraintKind::Check(sql) => ("CheckConstraint", vec![quote(sql)]),
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            ..
        } => {
            let targets: Vec<String> = ref_columns
                .iter()
                .map(|r| quote(&format!("{ref_table}.{r}")))
                .collect();
            (
                "ForeignKeyConstraint",
                vec![
                    format!("[{}]", list(columns).join(", ")),
                    format!("[{}]", targets.join(", ")),
                ],
            )
        }
        ConstraintKind::Index { columns, .. } => {
            let name = c.declared_name.as_ref().unwrap_or(&c.name);
            let mut args = vec![quote(name.as_deref().unwrap_or_default())];
            args.extend(list(columns));
            ("Index", args)
        }
    };
    match &c.kind {
        ConstraintKind::Index { unique, .. } => {
            if *unique {
                options.push("unique: true".to_string());
            }
        }
        kind => {
            if let Some(name) = c.declared_name.as_ref().unwrap_or(&c.name) {
                options.push(format!("name: {}", quote(name)));
            }
            if let ConstraintKind::ForeignKey {
                on_delete,
                on_update,
                ..
            } = kind
            {
                if let Some(a) = on_delete {
                    options.push(format!("ondelete: {}", quote(a)));
                }
                if let Some(a) = on_update {
                    options.push(format!("onupdate: {}", quote(a)));
                }
            }
        }
    }
    if !options.is_empty() {
        args.push(format!("#{{ {} }}", options.join(", ")));
    }
    format!("db.{call}({})", args.join(", "))
}

/// A column as the dump writes it beside its table's constraints: what a
/// `PrimaryKeyConstraint` or `ForeignKeyConstraint` says of it is left to
/// the constraint, so the file reloads into the same table.
pub(crate) fn column_beside(
    column: &crate::orm::Column,
    constraints: &[Constraint],
) -> crate::orm::Column {
    let mut c = column.clone();
    for k in constraints.iter().filter(|k| !k.from_column) {
        if !k.columns().contains(&c.db_name) {
            continue;
        }
        match k.kind {
            ConstraintKind::PrimaryKey(_) => {
                c.primary_key = false;
                c.nullable = true;
            }
            ConstraintKind::ForeignKey { .. } => c.foreign_key = None,
            _ => {}
        }
    }
    c
}
