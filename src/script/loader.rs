//! Loader options for `q.options(..)`: `joinedload(User.posts)` and its
//! siblings, chained along a path (`joinedload(User.posts).selectinload(Post.tags)`),
//! and the column options `defer(User.bio)`, `load_only(User.username, ..)`
//! and `undefer(User.bio)` (which loads a column an earlier option left out);
//! `contains_eager(Post.author)`, read from the query's own join.

use rhai::{Dynamic, Engine};

use super::convert::{OrRhai, RhaiResult, err};
use super::expr::SqlExpr;
use super::handles::RelationshipAttr;
use crate::orm::{Lazy, LoadOption, Mapper, Query};
use crate::sql::Expr;

/// A chain of relationships from one model down, each with how to load it
/// (`None`: as it would load anyway, for `defaultload`).
#[derive(Clone)]
pub struct LoaderOption {
    pub steps: Vec<(RelationshipAttr, Option<Lazy>)>,
}

/// `contains_eager(Post.author)`, `contains_eager(Post.author.of_type(a))`.
#[derive(Clone)]
pub struct ContainsEager {
    attr: RelationshipAttr,
    alias: Option<crate::orm::query::alias::FromItem>,
}

/// `defer(..)`, `load_only(..)` or `undefer(..)`: which columns of one
/// model to leave out, or to load after all.
#[derive(Clone)]
pub struct ColumnOption {
    pub columns: Vec<(String, String)>,
    pub kind: ColumnLoad,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ColumnLoad {
    Defer,
    LoadOnly,
    Undefer,
}

pub(super) const STRATEGIES: [(&str, Option<Lazy>); 7] = [
    ("joinedload", Some(Lazy::Joined)),
    ("selectinload", Some(Lazy::Selectin)),
    ("subqueryload", Some(Lazy::Subquery)),
    ("lazyload", Some(Lazy::Select)),
    ("raiseload", Some(Lazy::Raise)),
    ("noload", Some(Lazy::NoLoad)),
    ("defaultload", None),
];

fn attr_name(a: &RelationshipAttr) -> String {
    format!("{}.{}", a.mapper.name, a.mapper.relationships[a.index].name)
}

impl LoaderOption {
    /// Add the next step: it must start where the chain ends.
    fn then(&self, attr: RelationshipAttr, strategy: Option<Lazy>) -> RhaiResult<LoaderOption> {
        let (last, _) = self.steps.last().expect("a chain has a first step");
        let target = last.mapper.relationships[last.index].target;
        if attr.mapper.index != target {
            return err(format!(
                "{} leads to a model without {}: chain a relationship of the model {} loads",
                attr_name(last),
                attr_name(&attr),
                attr_name(last)
            ));
        }
        let mut steps = self.steps.clone();
        steps.push((attr, strategy));
        Ok(LoaderOption { steps })
    }

    /// The ORM options: one per step that says how to load.
    fn load_options(&self) -> Vec<LoadOption> {
        let mut path = Vec::new();
        let mut out = Vec::new();
        for (attr, strategy) in &self.steps {
            path.push(attr.mapper.relationships[attr.index].name.clone());
            if let Some(strategy) = strategy {
                out.push(LoadOption {
                    path: path.clone(),
                    strategy: *strategy,
                });
            }
        }
        out
    }
}

fn column_option(args: Vec<Dynamic>, kind: ColumnLoad, name: &str) -> RhaiResult<ColumnOption> {
    let mut columns = Vec::new();
    for a in args {
        match a.clone().try_cast::<SqlExpr>().map(|e| e.0) {
            Some(Expr::Column(c)) => columns.push((c.table, c.column)),
            _ => {
                return err(format!(
                    "{name}() takes model columns, like {name}(User.email), not {}",
                    super::errors::described(&a)
                ));
            }
        }
    }
    Ok(ColumnOption { columns, kind })
}

fn column_index(mapper: &Mapper, table: &str, column: &str) -> RhaiResult<usize> {
    match mapper.columns.iter().position(|c| c.db_name == column) {
        Some(i) if table == mapper.table => Ok(i),
        _ => err(format!(
            "{table}.{column} is not a column of {}, which this query loads",
            mapper.name
        )),
    }
}

/// Apply one argument of `q.options(..)`.
pub fn apply(query: Query, option: &Dynamic) -> RhaiResult<Query> {
    if let Some(opt) = option.clone().try_cast::<LoaderOption>() {
        let (first, _) = &opt.steps[0];
        if !first.mapper.includes(query.mapper()) {
            return err(format!(
                "{} is not a relationship of {}, which this query loads",
                attr_name(first),
                query.mapper().name
            ));
        }
        return opt
            .load_options()
            .into_iter()
            .try_fold(query, |q, o| q.options(o))
            .rhai();
    }
    if let Some(opt) = option.clone().try_cast::<ContainsEager>() {
        if opt.attr.mapper.index != query.mapper().index {
            return err(format!(
                "contains_eager({}): not a relationship of {}, which this query loads",
                attr_name(&opt.attr),
                query.mapper().name
            ));
        }
        return query
            .contains_eager(opt.attr.index, opt.alias.as_ref())
            .rhai();
    }
    if let Some(opt) = option.clone().try_cast::<ColumnOption>() {
        let mapper = query.mapper().clone();
        let indexes = opt
            .columns
            .iter()
            .map(|(t, c)| column_index(&mapper, t, c))
            .collect::<RhaiResult<Vec<usize>>>()?;
        return match opt.kind {
            ColumnLoad::LoadOnly => Ok(query.load_only(&indexes)),
            ColumnLoad::Undefer => Ok(indexes.into_iter().fold(query, Query::undefer)),
            ColumnLoad::Defer => indexes
                .into_iter()
                .try_fold(query, |q, i| q.defer(i))
                .rhai(),
        };
    }
    err(format!(
        "options() takes loader options such as joinedload(Post.author) or defer(User.bio), not {}",
        super::errors::described(option)
    ))
}

macro_rules! variadic_columns {
    ($engine:expr, $name:literal, $kind:expr) => {
        variadic_columns!(@one $engine, $name, $kind, a);
        variadic_columns!(@one $engine, $name, $kind, a, b);
        variadic_columns!(@one $engine, $name, $kind, a, b, c);
        variadic_columns!(@one $engine, $name, $kind, a, b, c, d);
        variadic_columns!(@one $engine, $name, $kind, a, b, c, d, e);
        variadic_columns!(@one $engine, $name, $kind, a, b, c, d, e, f);
    };
    (@one $engine:expr, $name:literal, $kind:expr, $($arg:ident),+) => {
        $engine.register_fn($name, move |$($arg: Dynamic),+| -> RhaiResult<ColumnOption> {
            column_option(vec![$($arg),+], $kind, $name)
        });
    };
}

pub fn register(engine: &mut Engine) {
    engine.register_type_with_name::<LoaderOption>("LoaderOption");
    engine.register_type_with_name::<ColumnOption>("ColumnOption");
    for (name, strategy) in STRATEGIES {
        engine.register_fn(name, move |attr: RelationshipAttr| LoaderOption {
            steps: vec![(attr, strategy)],
        });
        // `db.joinedload(..)`: Flask-SQLAlchemy's `db` has sqlalchemy.orm's names.
        engine.register_fn(
            name,
            move |_: &mut super::db::Db, attr: RelationshipAttr| LoaderOption {
                steps: vec![(attr, strategy)],
            },
        );
        engine.register_fn(
            name,
            move |opt: &mut LoaderOption, attr: RelationshipAttr| opt.then(attr, strategy),
        );
    }
    engine.register_type_with_name::<ContainsEager>("LoaderOption");
    engine.register_fn("contains_eager", |attr: RelationshipAttr| ContainsEager {
        attr,
        alias: None,
    });
    engine.register_fn("contains_eager", |r: super::aliases::RelationshipOfType| {
        ContainsEager {
            attr: r.attr,
            alias: Some(r.alias),
        }
    });
    engine.register_fn(
        "contains_eager",
        |attr: RelationshipAttr, m: rhai::Map| -> RhaiResult<ContainsEager> {
            match m.get("alias").and_then(|a| a.read_lock::<super::aliases::AliasedClass>().map(|a| a.0.clone())) {
                Some(alias) if m.len() == 1 => Ok(ContainsEager {
                    attr,
                    alias: Some(alias),
                }),
                _ => err("contains_eager(Rel, ..) takes #{ alias: a }, a being aliased(Model), or write contains_eager(Rel.of_type(a))"),
            }
        },
    );
    variadic_columns!(engine, "defer", ColumnLoad::Defer);
    variadic_columns!(engine, "load_only", ColumnLoad::LoadOnly);
    variadic_columns!(engine, "undefer", ColumnLoad::Undefer);
}
