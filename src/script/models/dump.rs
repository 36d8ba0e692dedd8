//! `ormsh models dump`: the registry written back as a models file, in the
//! syntax the models file is read in, so loading it gives the same registry.

use std::collections::HashMap;

use super::{ModelExtras, is_identifier};
use crate::orm::mapping::model::Relationship;
use crate::orm::{Column, Direction, Lazy, Mapper, Registry};
use crate::sql::{ColumnType, Value};

fn string(text: &str) -> String {
    format!("{text:?}")
}

fn type_text(ty: &ColumnType) -> String {
    match ty {
        ColumnType::String(Some(n)) => format!("db.String({n})"),
        ColumnType::Numeric(Some((p, s))) => format!("db.Numeric({p}, {s})"),
        ColumnType::Enum(e) => {
            let values = e
                .values
                .iter()
                .map(|v| string(v))
                .collect::<Vec<_>>()
                .join(", ");
            match &e.name {
                Some(name) => format!("db.Enum([{values}], #{{ name: {} }})", string(name)),
                None => format!("db.Enum([{values}])"),
            }
        }
        ColumnType::Json => "db.JSON".to_string(),
        ColumnType::Array(inner) => format!("db.ARRAY({})", type_text(inner)),
        ColumnType::Year => "db.YEAR".to_string(),
        ColumnType::Set(values) => format!(
            "db.SET([{}])",
            values
                .iter()
                .map(|v| string(v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ColumnType::DateTimeTz => "db.DateTime(#{ timezone: true })".to_string(),
        ColumnType::Other(name) => format!("db.Type({})", string(name)),
        other => format!(
            "db.{}",
            other.to_string().split('(').next().unwrap_or("Text")
        ),
    }
}

pub(super) fn literal(v: &Value) -> String {
    match v {
        Value::Text(s) => string(s),
        Value::Null => "()".to_string(),
        other => match other.kind() {
            "integer" | "float" | "boolean" => other.to_string(),
            _ => string(&other.to_string()),
        },
    }
}

fn column(c: &Column) -> String {
    let mut options = Vec::new();
    if c.primary_key {
        options.push("primary_key: true".to_string());
    } else if !c.nullable {
        options.push("nullable: false".to_string());
    }
    if c.unique {
        options.push("unique: true".to_string());
    }
    if c.index {
        options.push("index: true".to_string());
    } else if c.foreign_key.is_some() && !c.index_foreign_key && !c.primary_key && !c.unique {
        // A models file indexes a foreign key unless told not to.
        options.push("index: false".to_string());
    }
    options.extend(super::dump_generated::options(c));
    match &c.server_default {
        Some(crate::sql::ServerDefault::Value(d)) => {
            options.push(format!("server_default: {}", literal(d)));
        }
        Some(crate::sql::ServerDefault::Sql(sql)) => {
            options.push(format!("server_default: db.text({})", string(sql)));
        }
        None => {}
    }
    if let Some(a) = c.autoincrement {
        options.push(format!("autoincrement: {a}"));
    }
    if c.db_name != c.name {
        options.push(format!("name: {}", string(&c.db_name)));
    }
    let fk = c
        .foreign_key
        .as_ref()
        .map(|fk| {
            let mut actions = Vec::new();
            if let Some(a) = &fk.on_delete {
                actions.push(format!("ondelete: {}", string(a)));
            }
            if let Some(a) = &fk.on_update {
                actions.push(format!("onupdate: {}", string(a)));
            }
            if let Some(n) = &fk.name {
                actions.push(format!("name: {}", string(n)));
            }
            let actions = if actions.is_empty() {
                String::new()
            } else {
                format!(", #{{ {} }}", actions.join(", "))
            };
            format!(
                ", db.ForeignKey({}{actions})",
                string(&format!("{}.{}", fk.table, fk.column))
            )
        })
        .unwrap_or_default();
    let opts = if options.is_empty() {
        String::new()
    } else {
        format!(", #{{ {} }}", options.join(", "))
    };
    format!(
        "db.Column({}, {}{fk}{opts})",
        string(&c.name),
        type_text(&c.ty)
    )
}

fn lazy_name(lazy: Lazy) -> Option<&'static str> {
    match lazy {
        Lazy::Select => None,
        Lazy::Joined => Some("joined"),
        Lazy::Subquery => Some("subquery"),
        Lazy::Selectin => Some("selectin"),
        Lazy::Dynamic => Some("dynamic"),
        Lazy::Raise => Some("raise"),
        Lazy::NoLoad => Some("noload"),
    }
}

fn relationships(registry: &Registry, mapper: &Mapper) -> Vec<String> {
    let mut out = Vec::new();
    // A subclass has its parent's first: declared there, not again.
    let inherited = mapper
        .inheritance
        .as_ref()
        .and_then(|i| i.parent)
        .map_or(0, |p| registry.mapper(p).relationships.len());
    for rel in mapper.relationships[inherited..]
        .iter()
        .filter(|r| !r.from_backref)
    {
        let target = registry.mapper(rel.target);
        let mut options = Vec::new();
        if let Some(reverse) = &rel.reverse {
            let partner = target.relationships.iter().find(|r| &r.name == reverse);
            match partner {
                Some(p) if p.from_backref => {
                    let mut back = Vec::new();
                    if let Some(l) = lazy_name(p.lazy) {
                        back.push(format!("lazy: {}", string(l)));
                    }
                    if p.direction == Direction::ManyToOne && rel.target == mapper.index {
                        let pk = &target.columns[target.primary_key[0]].name;
                        back.push(format!(
                            "remote_side: {}",
                            string(&format!("{}.{pk}", target.name))
                        ));
                    }
                    if back.is_empty() {
                        options.push(format!("backref: {}", string(reverse)));
                    } else {
                        options.push(format!(
                            "backref: db.backref({}, #{{ {} }})",
                            string(reverse),
                            back.join(", ")
                        ));
                    }
                }
                _ => options.push(format!("back_populates: {}", string(reverse))),
            }
        }
        if let Some(l) = lazy_name(rel.lazy) {
            options.push(format!("lazy: {}", string(l)));
        }
        if let Some(sec) = &rel.secondary {
            options.push(format!("secondary: {}", string(&sec.table)));
            if secondary_needs_joins(registry, mapper, target, sec) {
                let local: Vec<String> = sec
                    .local
                    .iter()
                    .map(|(s, a, _)| {
                        format!(
                            "{}.c.{a} == {}.{}",
                            sec.table, mapper.name, mapper.columns[*s].name
                        )
                    })
                    .collect();
                let remote: Vec<String> = sec
                    .remote
                    .iter()
                    .map(|(a, _, t)| {
                        format!(
                            "{}.c.{a} == {}.{}",
                            sec.table, target.name, target.columns[*t].name
                        )
                    })
                    .collect();
                options.push(format!("primaryjoin: {}", string(&all_of(local))));
                options.push(format!("secondaryjoin: {}", string(&all_of(remote))));
            }
        } else if !by_foreign_keys(mapper, target, rel) {
            options.push(format!(
                "primaryjoin: {}",
                string(&direct_join(mapper, target, rel))
            ));
        }
        if rel.viewonly {
            options.push("viewonly: true".to_string());
        }
        match rel.passive_deletes {
            crate::orm::mapping::model::PassiveDeletes::No => {}
            crate::orm::mapping::model::PassiveDeletes::Yes => {
                options.push("passive_deletes: true".to_string())
            }
            crate::orm::mapping::model::PassiveDeletes::All => {
                options.push("passive_deletes: \"all\"".to_string())
            }
        }
        if rel.post_update {
            options.push("post_update: true".to_string());
        }
        let default_uselist = rel.direction != Direction::ManyToOne;
        if rel.uselist != default_uselist {
            options.push(format!("uselist: {}", rel.uselist));
        }
        if rel.cascade_delete || rel.delete_orphan {
            let mut c = vec!["all"];
            if rel.delete_orphan {
                c.push("delete-orphan");
            }
            options.push(format!("cascade: {}", string(&c.join(", "))));
        }
        // Name the key when two relationships link the same models (keys
        // both ways count too), or a model to itself.
        let links = mapper
            .relationships
            .iter()
            .filter(|r| r.target == rel.target && !r.from_backref)
            .count()
            + target
                .relationships
                .iter()
                .filter(|r| r.target == mapper.index && !r.from_backref && r.secondary.is_none())
                .count();
        let declared_join = rel.secondary.is_none() && !by_foreign_keys(mapper, target, rel);
        if (links > 1 || rel.target == mapper.index) && rel.secondary.is_none() && !declared_join {
            let (owner, index) = match rel.direction {
                Direction::ManyToOne => (mapper, rel.pairs[0].0),
                _ => (&**target, rel.pairs[0].1),
            };
            options.push(format!(
                "foreign_keys: [{}]",
                string(&owner.columns[index].name)
            ));
        }
        if rel.direction == Direction::ManyToOne && rel.target == mapper.index && !declared_join {
            let pk = &target.columns[target.primary_key[0]].name;
            options.push(format!(
                "remote_side: {}",
                string(&format!("{}.{pk}", target.name))
            ));
        }
        if !rel.order_by.is_empty() {
            let cols: Vec<String> = rel
                .order_by
                .iter()
                .map(|&(c, desc)| {
                    string(&format!(
                        "{}.{}{}",
                        target.name,
                        target.columns[c].name,
                        if desc { ".desc()" } else { "" }
                    ))
                })
                .collect();
            options.push(format!("order_by: [{}]", cols.join(", ")));
        }
        let opts = if options.is_empty() {
            String::new()
        } else {
            format!(", #{{ {} }}", options.join(", "))
        };
        out.push(format!(
            "db.relationship({}, {}{opts})",
            string(&rel.name),
            string(&target.name)
        ));
    }
    out
}

/// Equalities as one condition: `and_(..)` of more than one.
fn all_of(equalities: Vec<String>) -> String {
    match equalities.len() {
        1 => equalities.into_iter().next().unwrap_or_default(),
        _ => format!("and_({})", equalities.join(", ")),
    }
}

/// Whether a many-to-many must say which association columns are whose:
/// a table that links a model to itself, has two keys to one model, or
/// links through a column with no foreign key.
fn secondary_needs_joins(
    registry: &Registry,
    mapper: &Mapper,
    target: &Mapper,
    sec: &crate::orm::mapping::association::Secondary,
) -> bool {
    let Some(table) = registry.tables.iter().find(|t| t.name == sec.table) else {
        return true;
    };
    let keys_to = |m: &Mapper| {
        table
            .columns
            .iter()
            .filter(|c| c.foreign_key.as_ref().is_some_and(|fk| fk.table == m.table))
            .count()
    };
    let refers = |assoc: &str, m: &Mapper, col: usize| {
        table.columns.iter().any(|c| {
            c.db_name == assoc
                && c.foreign_key
                    .as_ref()
                    .is_some_and(|fk| fk.table == m.table && fk.column == m.columns[col].db_name)
        })
    };
    mapper.index == target.index
        || keys_to(mapper) != sec.local.len()
        || keys_to(target) != sec.remote.len()
        || !sec.local.iter().all(|(s, a, _)| refers(a, mapper, *s))
        || !sec.remote.iter().all(|(a, _, t)| refers(a, target, *t))
}

/// Whether a relationship's join is its foreign keys (each pair's foreign
/// column a db.ForeignKey to the other), so that `foreign_keys` says it.
fn by_foreign_keys(mapper: &Mapper, target: &Mapper, rel: &Relationship) -> bool {
    rel.pairs.iter().all(|&(l, t)| {
        let (fk_owner, fk_col, other, other_col) = match rel.direction {
            Direction::ManyToOne => (mapper, l, target, t),
            _ => (target, t, mapper, l),
        };
        fk_owner.columns[fk_col]
            .foreign_key
            .as_ref()
            .is_some_and(|fk| {
                fk.table == other.table && fk.column == other.columns[other_col].db_name
            })
    })
}

/// A relationship's join as a `primaryjoin`: the foreign column marked
/// foreign(..), and in a model's join to itself the target's remote(..).
fn direct_join(mapper: &Mapper, target: &Mapper, rel: &Relationship) -> String {
    let self_referential = mapper.index == target.index;
    let equalities = rel
        .pairs
        .iter()
        .map(|&(l, t)| {
            let local = format!("{}.{}", mapper.name, mapper.columns[l].name);
            let remote = format!("{}.{}", target.name, target.columns[t].name);
            let remote = if self_referential {
                format!("remote({remote})")
            } else {
                remote
            };
            match rel.direction {
                Direction::ManyToOne => format!("foreign({local}) == {remote}"),
                _ => format!("{local} == foreign({remote})"),
            }
        })
        .collect();
    all_of(equalities)
}

/// `repr: ..` and `methods: #{ .. }`, as the models file wrote them. A
/// closure whose text was not found (built by code rather than written)
/// cannot be written back: a comment says so.
fn closures(e: &ModelExtras) -> Vec<String> {
    let missing =
        |key: &str| format!("/* {key}: written by code in the models file, not copied */");
    let mut out = Vec::new();
    if e.repr.is_some() {
        out.push(match e.source("repr") {
            Some(text) => format!("repr: {text}"),
            None => missing("repr"),
        });
    }
    if !e.methods.is_empty() {
        let methods: Vec<String> = e
            .methods
            .iter()
            .map(|(name, _)| match e.source(name) {
                Some(text) if is_identifier(name) => format!("{name}: {text}"),
                Some(text) => format!("{}: {text}", string(name)),
                None => missing(name),
            })
            .collect();
        out.push(format!("methods: #{{ {} }}", methods.join(", ")));
    }
    out.extend(super::dump_generated::hooks(e));
    if !e.hybrids.is_empty() {
        let each: Vec<String> = e.hybrids.iter().map(|h| hybrid(e, h)).collect();
        out.push(format!("hybrid_property: #{{ {} }}", each.join(", ")));
    }
    out
}

/// One `hybrid_property` entry: its closure, or its map of closures.
fn hybrid(e: &ModelExtras, h: &crate::script::hybrids::HybridDecl) -> String {
    let key = if is_identifier(&h.name) {
        h.name.clone()
    } else {
        string(&h.name)
    };
    let text = |part: &str| {
        e.source(&format!("{}.{part}", h.name)).map_or_else(
            || {
                format!(
                    "/* {}.{part}: written by code in the models file, not copied */",
                    h.name
                )
            },
            str::to_string,
        )
    };
    if h.expression.is_none() && h.set.is_none() {
        let get = e
            .source(&h.name)
            .map_or_else(|| text("get"), str::to_string);
        return format!("{key}: {get}");
    }
    let mut parts = vec![format!("get: {}", text("get"))];
    if h.expression.is_some() {
        parts.push(format!("expression: {}", text("expression")));
    }
    if h.set.is_some() {
        parts.push(format!("set: {}", text("set")));
    }
    format!("{key}: #{{ {} }}", parts.join(", "))
}

/// The whole registry as a models file, with the models' closures where
/// the models file they came from could be read back.
pub(crate) fn models_file(registry: &Registry, extras: &HashMap<String, ModelExtras>) -> String {
    let mut out = String::from("// Written by `ormsh models dump`.\n");
    if registry.naming_convention != Default::default() {
        let pairs: Vec<String> = registry
            .naming_convention
            .pairs()
            .iter()
            .map(|(k, t)| format!("{k}: {}", string(t)))
            .collect();
        out.push_str(&format!(
            "\ndb.MetaData(#{{ naming_convention: #{{ {} }} }});\n",
            pairs.join(", ")
        ));
    }
    for table in &registry.tables {
        out.push_str(&format!("\ndb.Table({}, [\n", string(&table.name)));
        for c in &table.columns {
            let c = super::constraints::column_beside(c, &table.constraints);
            out.push_str(&format!("    {},\n", column(&c)));
        }
        for c in table.constraints.iter().filter(|c| !c.from_column) {
            out.push_str(&format!("    {},\n", super::constraints::spelled(c)));
        }
        match &table.bind_key {
            Some(key) => out.push_str(&format!("], #{{ bind_key: {} }});\n", string(key))),
            None => out.push_str("]);\n"),
        }
    }
    for mapper in &registry.mappers {
        out.push_str(&format!("\ndb.Model({}, [\n", string(&mapper.name)));
        let inheritance = mapper.inheritance.as_ref();
        let parent = inheritance
            .and_then(|i| i.parent)
            .map(|p| registry.mapper(p));
        let own = inheritance.map_or(0, |i| i.inherited_columns);
        // A table of its own starts with its key, which refers to its parent's.
        if let Some(shape) = registry
            .table_shape(mapper.index)
            .filter(|_| inheritance.is_some_and(|i| i.joined))
        {
            for &k in &shape.primary_key {
                out.push_str(&format!("    {},\n", column(&shape.columns[k])));
            }
        }
        // A `column_property` is written with the model's options.
        for c in mapper.columns[own..].iter().filter(|c| !c.is_computed()) {
            let c = super::constraints::column_beside(c, &mapper.constraints);
            out.push_str(&format!("    {},\n", column(&c)));
        }
        for r in relationships(registry, mapper) {
            out.push_str(&format!("    {r},\n"));
        }
        let mut options = Vec::new();
        let (schema, table) = match mapper.table.split_once('.') {
            Some((schema, table)) => (Some(schema), table),
            None => (None, mapper.table.as_str()),
        };
        if let Some(parent) = parent {
            options.push(format!("inherits: {}", string(&parent.name)));
        }
        if let Some(args) = inheritance.and_then(|i| mapper_args(mapper, parent.is_none(), i)) {
            options.push(args);
        }
        if parent.is_some() && !inheritance.is_some_and(|i| i.joined) {
            // The table is the parent's.
        } else if crate::orm::mapping::naming::camel_to_snake_case(&mapper.name) != table {
            options.push(format!("tablename: {}", string(table)));
        }
        if let Some(schema) = schema {
            options.push(format!("schema: {}", string(schema)));
        }
        if let Some(bind) = mapper.bind_key.as_ref().filter(|_| parent.is_none()) {
            options.push(format!("bind_key: {}", string(bind)));
        }
        if mapper.constraints.iter().any(|c| !c.from_column) {
            let args: Vec<String> = mapper
                .constraints
                .iter()
                .filter(|c| !c.from_column)
                .map(super::constraints::spelled)
                .collect();
            options.push(format!("__table_args__: [{}]", args.join(", ")));
        }
        if let Some(e) = extras.get(&mapper.name) {
            options.extend(closures(e));
        }
        let opts = if options.is_empty() {
            String::new()
        } else {
            format!(", #{{ {} }}", options.join(", "))
        };
        out.push_str(&format!("]{opts});\n"));
    }
    out
}

/// `__mapper_args__: #{ .. }` of a model in a hierarchy: the root names
/// the discriminator, every model its identity.
fn mapper_args(
    mapper: &Mapper,
    root: bool,
    inheritance: &crate::orm::mapping::model::Inheritance,
) -> Option<String> {
    let mut args = Vec::new();
    if root && let Some(col) = inheritance.polymorphic_on {
        args.push(format!(
            "polymorphic_on: {}",
            string(&mapper.columns[col].name)
        ));
    }
    match &inheritance.identity {
        Some(crate::sql::Value::Text(s)) => {
            args.push(format!("polymorphic_identity: {}", string(s)))
        }
        Some(crate::sql::Value::Int(i)) => args.push(format!("polymorphic_identity: {i}")),
        _ => {}
    }
    (!args.is_empty()).then(|| format!("__mapper_args__: #{{ {} }}", args.join(", ")))
}
