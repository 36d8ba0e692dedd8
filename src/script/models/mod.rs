//! The models file, read and written: its declarations (`db.Model`,
//! `db.Column`, the type constructors, `db.ForeignKey`, `db.relationship`,
//! `db.backref`, `db.Table`) collected into `ModelDecl`s for the ORM's
//! registry, the closures (`repr`, `methods`) that stay on the Rhai side,
//! and `models dump`, which writes a registry back in the same syntax.

mod closure_source;
pub mod code;
pub mod column_property;
pub mod constraints;
mod db_column;
mod db_model;
pub mod dump;
pub mod dump_generated;
mod hybrid;
mod mapper_args;
mod relationship;

pub use db_column::FetchedValue;
use db_column::column;
use db_model::model;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, FnPtr, Map, NativeCallContext};

use crate::orm::{Column, ForeignKey, ModelDecl, RelationshipDecl};
use crate::script::convert::{RhaiResult, err};
use crate::sql::ColumnType;

/// What the models file declared, in order.
#[derive(Default)]
pub struct Declarations {
    pub models: Vec<ModelDecl>,
    /// Association tables (`db.Table`).
    pub tables: Vec<crate::orm::mapping::association::TableDecl>,
    /// `db.MetaData(#{ naming_convention: #{..} })`.
    pub naming_convention: Option<crate::orm::mapping::naming_convention::NamingConvention>,
    pub extras: HashMap<String, ModelExtras>,
}

/// The parts of a model that are Rhai closures.
#[derive(Default, Clone)]
pub struct ModelExtras {
    pub repr: Option<FnPtr>,
    pub methods: Vec<(String, FnPtr)>,
    /// `validates: #{ email: |key, value| .. }`: by attribute, called on set.
    pub validators: Vec<(String, FnPtr)>,
    /// `before_insert: |obj| ..` and the other mapper events, by event name.
    pub events: Vec<(String, FnPtr)>,
    /// `column_property: #{ full: || User.first + " " + User.last }`: by
    /// attribute, the closure that builds its SQL expression.
    pub column_properties: Vec<(String, FnPtr)>,
    /// `hybrid_property: #{ full: || this.first + " " + this.last }`.
    pub hybrids: Vec<crate::script::hybrids::HybridDecl>,
    /// The closures as the models file writes them, by key (`repr` or the
    /// method's name), for `models dump`.
    pub sources: Vec<(String, String)>,
}

impl ModelExtras {
    /// The source text of the closure under `key`, if the file was read back.
    pub fn source(&self, key: &str) -> Option<&str> {
        self.sources
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, t)| t.as_str())
    }
}

/// Attach to each model's closures their text in `source` (the models file).
pub fn attach_sources(decls: &mut Declarations, source: &str) {
    let extras = &mut decls.extras;
    for found in closure_source::closures(source) {
        if let (Some(model), Some(column)) = (&found.model, &found.column) {
            let callable = decls
                .models
                .iter_mut()
                .filter(|m| m.name == *model)
                .flat_map(|m| m.columns.iter_mut())
                .find(|c| c.name == *column)
                .and_then(|c| match found.key.as_str() {
                    "default" => c.default_call.as_mut(),
                    "onupdate" => match &mut c.onupdate {
                        Some(crate::orm::mapping::generated::Generated::Call(f)) => Some(f),
                        _ => None,
                    },
                    _ => None,
                });
            if let Some(callable) = callable {
                callable.source = Some(found.text);
            }
            continue;
        }
        let Some(e) = found.model.and_then(|m| extras.get_mut(&m)) else {
            continue;
        };
        let named = |list: &[(String, FnPtr)]| list.iter().any(|(name, _)| *name == found.key);
        // A part of a hybrid property given as a map: `full.get`.
        if let Some(parent) = &found.parent
            && matches!(found.key.as_str(), "get" | "expression" | "set")
            && e.hybrids.iter().any(|h| h.name == *parent)
        {
            let key = format!("{parent}.{}", found.key);
            if e.source(&key).is_none() {
                e.sources.push((key, found.text));
            }
            continue;
        }
        let wanted = (found.key == "repr" && e.repr.is_some())
            || e.hybrids.iter().any(|h| h.name == found.key)
            || named(&e.methods)
            || named(&e.validators)
            || named(&e.events)
            || named(&e.column_properties);
        if wanted && e.source(&found.key).is_none() {
            e.sources.push((found.key, found.text));
        }
    }
}

/// `db.ForeignKey("user.id")` before it is attached to a column.
#[derive(Clone)]
pub struct ForeignKeySpec(pub ForeignKey);

/// `db.text("now()")`: SQL as written, for a `server_default` that is an
/// expression (written into CREATE TABLE as it stands, as SQLAlchemy's).
#[derive(Debug, Clone)]
pub struct TextClause(pub String);

/// `db.backref("author", #{..})`.
#[derive(Clone)]
pub struct BackrefSpec(pub String, pub Map);

/// One item of a `db.Model` list.
#[derive(Clone)]
pub enum ModelItem {
    Column(Column),
    Relationship(RelationshipDecl),
}

/// The models a models file declares, found in its text before it runs.
pub fn declared_models(source: &str) -> Vec<String> {
    closure_source::declared_models(source)
}

/// A name Rhai can use bare: a model's, or a map key's.
pub(crate) fn is_identifier(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The shared collector the models file writes into.
pub type Collector = Rc<RefCell<Declarations>>;

pub(super) fn map_bool(opts: &Map, key: &str) -> RhaiResult<Option<bool>> {
    match opts.get(key) {
        None => Ok(None),
        Some(v) => match v.as_bool() {
            Ok(b) => Ok(Some(b)),
            Err(t) => err(format!("option `{key}` must be true or false, not a {t}")),
        },
    }
}

pub(super) fn map_string(opts: &Map, key: &str) -> RhaiResult<Option<String>> {
    match opts.get(key) {
        None => Ok(None),
        Some(v) if v.is_string() => Ok(Some(v.clone().into_string().unwrap_or_default())),
        Some(v) => err(format!(
            "option `{key}` must be a string, not a {}",
            v.type_name()
        )),
    }
}

pub(super) fn check_keys(what: &str, opts: &Map, allowed: &[&str]) -> RhaiResult<()> {
    for key in opts.keys() {
        if !allowed.contains(&key.as_str()) {
            return err(format!(
                "{what} has no option `{key}`{}; its options are {}",
                crate::error::did_you_mean(key, allowed.iter().copied()),
                allowed.join(", ")
            ));
        }
    }
    Ok(())
}

/// `db.Table("post_tag", [db.Column(..), ..])`: an association table, its
/// list holding its columns and any constraints and indexes.
fn table(collector: &Collector, name: &str, items: Array, opts: Map) -> RhaiResult<()> {
    check_keys(&format!("db.Table(\"{name}\")"), &opts, &["bind_key"])?;
    let mut columns = Vec::new();
    let mut table_constraints = Vec::new();
    for item in items {
        if let Some(c) = item.clone().try_cast::<constraints::ConstraintSpec>() {
            table_constraints.push(c.0);
            continue;
        }
        match item.clone().try_cast::<ModelItem>() {
            Some(ModelItem::Column(c)) => columns.push(c),
            _ => {
                return err(format!(
                    "db.Table(\"{name}\"): the list holds db.Column(..) items and constraints, not a {}",
                    item.type_name()
                ));
            }
        }
    }
    let mut decls = collector.borrow_mut();
    if decls.tables.iter().any(|t| t.name == name) {
        return err(format!("db.Table(\"{name}\") is declared twice"));
    }
    decls
        .tables
        .push(crate::orm::mapping::association::TableDecl {
            name: name.to_string(),
            columns,
            constraints: table_constraints,
            bind_key: map_string(&opts, "bind_key")?,
        });
    Ok(())
}

/// The `db` object as the models file sees it (the shell's `db` extends it).
pub trait DeclarationSource: Clone + 'static {
    fn collector(&self) -> &Collector;
    /// Runs the closures the models give the ORM.
    fn runner(&self) -> &Rc<code::CodeRunner>;
}

/// Register every declaration function on `T`, the type of `db`.
pub fn register<T: DeclarationSource>(engine: &mut Engine) {
    let simple: [(&str, ColumnType); 14] = [
        ("Integer", ColumnType::Integer),
        ("BigInteger", ColumnType::BigInteger),
        ("SmallInteger", ColumnType::SmallInteger),
        ("String", ColumnType::String(None)),
        ("Text", ColumnType::Text),
        ("Boolean", ColumnType::Boolean),
        ("Float", ColumnType::Float),
        ("Numeric", ColumnType::Numeric(None)),
        ("Date", ColumnType::Date),
        ("DateTime", ColumnType::DateTime),
        ("Time", ColumnType::Time),
        ("LargeBinary", ColumnType::LargeBinary),
        ("Uuid", ColumnType::Uuid),
        ("Interval", ColumnType::Interval),
    ];
    engine.register_type_with_name::<ColumnType>("ColumnType");
    engine.register_fn("to_string", |t: &mut ColumnType| t.to_string());
    engine.register_fn("to_debug", |t: &mut ColumnType| t.to_string());
    for (name, ty) in simple {
        engine.register_get(name, move |_: &mut T| ty.clone());
    }
    engine.register_get("JSON", |_: &mut T| ColumnType::Json);
    engine.register_type_with_name::<TextClause>("TextClause");
    engine.register_fn("text", |_: &mut T, sql: &str| TextClause(sql.to_string()));
    engine.register_fn("to_string", |t: &mut TextClause| t.0.clone());
    engine.register_fn(
        "String",
        |_: &mut T, n: rhai::INT| -> RhaiResult<ColumnType> {
            match u32::try_from(n) {
                Ok(n) if n > 0 => Ok(ColumnType::String(Some(n))),
                _ => err(format!(
                    "db.String({n}): the length must be a positive number"
                )),
            }
        },
    );
    // SQLAlchemy's `DateTime(timezone=True)`.
    engine.register_fn(
        "DateTime",
        |_: &mut T, opts: Map| -> RhaiResult<ColumnType> {
            let mut timezone = false;
            for (key, value) in opts {
                match (key.as_str(), value.as_bool()) {
                    ("timezone", Ok(b)) => timezone = b,
                    _ => {
                        return err(format!(
                            "db.DateTime(#{{ {key}: .. }}): the one option is `timezone: true` or `false`"
                        ));
                    }
                }
            }
            Ok(if timezone {
                ColumnType::DateTimeTz
            } else {
                ColumnType::DateTime
            })
        },
    );
    // MySQL's YEAR and SET.
    engine.register_get("YEAR", |_: &mut T| ColumnType::Year);
    engine.register_fn(
        "SET",
        |_: &mut T, values: Array| -> RhaiResult<ColumnType> {
            let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            if values.is_empty() || values.iter().any(|v| v.contains(',')) {
                return err("db.SET([..]) needs at least one member, none with a comma");
            }
            Ok(ColumnType::Set(values))
        },
    );
    // PostgreSQL's arrays: `db.ARRAY(db.Text)`.
    engine.register_fn("ARRAY", |_: &mut T, inner: ColumnType| {
        ColumnType::Array(Box::new(inner))
    });
    // A type by the database's own name, read and written as its text.
    engine.register_fn("Type", |_: &mut T, name: &str| {
        ColumnType::Other(name.to_string())
    });
    engine.register_fn("Numeric", |_: &mut T, p: rhai::INT, s: rhai::INT| -> RhaiResult<ColumnType> {
        match (u32::try_from(p), u32::try_from(s)) {
            (Ok(p), Ok(s)) if p > 0 && s <= p => Ok(ColumnType::Numeric(Some((p, s)))),
            _ => err(format!("db.Numeric({p}, {s}): precision must be positive and scale at most the precision")),
        }
    });
    engine.register_fn("Enum", |_: &mut T, values: Array| {
        enum_type(values, Map::new())
    });
    // `#{ name: "mood" }`: the database type (PostgreSQL's CREATE TYPE), as
    // SQLAlchemy's `Enum(..., name="mood")`.
    engine.register_fn("Enum", |_: &mut T, values: Array, opts: Map| {
        enum_type(values, opts)
    });
    engine.register_type_with_name::<ForeignKeySpec>("ForeignKey");
    engine.register_fn(
        "ForeignKey",
        |_: &mut T, target: &str| -> RhaiResult<ForeignKeySpec> {
            ForeignKey::parse(target)
                .map(ForeignKeySpec)
                .map_err(crate::script::convert::rhai_error)
        },
    );
    // `db.ForeignKey("user.id", #{ ondelete: "CASCADE", name: "fk_post_user" })`.
    engine.register_fn(
        "ForeignKey",
        |_: &mut T, target: &str, opts: Map| -> RhaiResult<ForeignKeySpec> {
            check_keys(
                &format!("db.ForeignKey(\"{target}\")"),
                &opts,
                &["ondelete", "onupdate", "name"],
            )?;
            let mut fk = ForeignKey::parse(target).map_err(crate::script::convert::rhai_error)?;
            let action = |key: &str| -> RhaiResult<Option<String>> {
                map_string(&opts, key)?
                    .map(|a| {
                        crate::orm::mapping::column::referential_action(&a)
                            .map_err(crate::script::convert::rhai_error)
                    })
                    .transpose()
            };
            fk.on_delete = action("ondelete")?;
            fk.on_update = action("onupdate")?;
            fk.name = map_string(&opts, "name")?;
            Ok(ForeignKeySpec(fk))
        },
    );
    engine.register_type_with_name::<ModelItem>("ModelItem");
    engine.register_fn("Column", |db: &mut T, name: &str, ty: Dynamic| {
        column(db.runner(), name, ty, None, Map::new())
    });
    engine.register_fn(
        "Column",
        |db: &mut T, name: &str, ty: Dynamic, opts: Map| column(db.runner(), name, ty, None, opts),
    );
    engine.register_fn(
        "Column",
        |db: &mut T, name: &str, ty: Dynamic, fk: ForeignKeySpec| {
            column(db.runner(), name, ty, Some(fk), Map::new())
        },
    );
    engine.register_fn(
        "Column",
        |db: &mut T, name: &str, ty: Dynamic, fk: ForeignKeySpec, opts: Map| {
            column(db.runner(), name, ty, Some(fk), opts)
        },
    );
    engine.register_type_with_name::<FetchedValue>("FetchedValue");
    engine.register_fn("FetchedValue", |_: &mut T| FetchedValue);
    engine.register_get("func", |_: &mut T| crate::script::expr::FuncNamespace);
    code::register(engine);
    engine.register_fn(
        "relationship",
        |ctx: NativeCallContext, _: &mut T, name: &str, target: &str| {
            relationship::relationship(name, target, Map::new(), ctx.call_position().line())
                .map(ModelItem::Relationship)
        },
    );
    engine.register_fn(
        "relationship",
        |ctx: NativeCallContext, _: &mut T, name: &str, target: &str, opts: Map| {
            relationship::relationship(name, target, opts, ctx.call_position().line())
                .map(ModelItem::Relationship)
        },
    );
    engine.register_type_with_name::<BackrefSpec>("Backref");
    engine.register_fn("backref", |_: &mut T, name: &str| {
        BackrefSpec(name.to_string(), Map::new())
    });
    engine.register_fn("backref", |_: &mut T, name: &str, opts: Map| {
        BackrefSpec(name.to_string(), opts)
    });
    constraints::register::<T>(engine);
    engine.register_fn("Table", |db: &mut T, name: &str, items: Array| {
        table(db.collector(), name, items, Map::new())
    });
    engine.register_fn(
        "Table",
        |db: &mut T, name: &str, items: Array, opts: Map| table(db.collector(), name, items, opts),
    );
    engine.register_fn("Model", |db: &mut T, name: &str, items: Array| {
        model(db.collector(), name, items, Map::new())
    });
    engine.register_fn(
        "Model",
        |db: &mut T, name: &str, items: Array, opts: Map| model(db.collector(), name, items, opts),
    );
}

fn enum_type(values: Array, opts: Map) -> RhaiResult<ColumnType> {
    check_keys("db.Enum([..], #{..})", &opts, &["name"])?;
    let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    if values.is_empty() {
        return err("db.Enum([..]) needs at least one value");
    }
    let name = map_string(&opts, "name")?;
    if name.as_deref().is_some_and(|n| !is_identifier(n)) {
        return err(format!(
            "db.Enum([..], #{{ name: {name:?} }}): the type's name must be an identifier"
        ));
    }
    Ok(ColumnType::enumeration(values, name))
}
