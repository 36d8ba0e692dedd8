//! Eager loading: which relationships a query loads with its objects (its
//! options, then each relationship's `lazy`), the LEFT OUTER JOINs of the
//! joined ones, chained as deep as the options go, and the IN queries of
//! the selectin ones, which run as queries of their own with the options
//! under them.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::error::Result;
use crate::orm::loading::Loader;
use crate::orm::mapping::model::{Lazy, Mapper, Registry, Relationship};
use crate::orm::query::alias::FromItem;
use crate::orm::query::model_query::{LoadOption, Query};
use crate::orm::state::instance::{Collection, Instance, Related};
use crate::sql::introspect::unqualified;
use crate::sql::{BinaryOp, ColumnType, Expr, Join, Select, TableRef, Value};

/// Parents per batch of an IN query (well inside every database's bind limit).
const SELECTIN_BATCH: usize = 500;

/// One relationship to load with the objects, and the options under it
/// (rooted at its target).
#[derive(Debug, Clone)]
pub(crate) struct EagerLoad {
    pub rel: usize,
    pub strategy: Lazy,
    pub nested: Vec<LoadOption>,
}

/// The eager loads of `mapper`'s objects: an option for the relationship
/// wins, else its own `lazy`, except where that would load back up to a
/// model the objects are loaded under (`ancestors`), as SQLAlchemy stops
/// eager chains that revisit a mapper.
pub(crate) fn plan(mapper: &Mapper, options: &[LoadOption], ancestors: &[usize]) -> Vec<EagerLoad> {
    let mut out = Vec::new();
    for (i, rel) in mapper.relationships.iter().enumerate() {
        let explicit = LoadOption::strategy_for(options, &rel.name);
        let nested = LoadOption::under(options, &rel.name);
        let revisits = ancestors.contains(&rel.target)
            || (rel.target == mapper.index && !ancestors.is_empty());
        let strategy = match explicit {
            Some(s) => s,
            None if revisits => continue,
            None => rel.lazy,
        };
        let strategy = match strategy {
            Lazy::Joined if rel.target_spans_tables => Lazy::Selectin,
            s => s,
        };
        if strategy.is_eager() {
            out.push(EagerLoad {
                rel: i,
                strategy,
                nested,
            });
        }
    }
    out
}

/// A joined eager load in the SELECT: whose objects it fills (another
/// joined load's, or the row's main object), which relationship, where its
/// columns start in the row, and the loads to run after the query under it.
pub struct JoinedLoad {
    pub parent: Option<usize>,
    pub source: Rc<Mapper>,
    pub rel: usize,
    pub target: Rc<Mapper>,
    pub offset: usize,
    pub(crate) after: Vec<EagerLoad>,
    /// The models above this load's objects (for the loads after it).
    pub(crate) ancestors: Vec<usize>,
}

impl JoinedLoad {
    pub fn relationship(&self) -> &Relationship {
        &self.source.relationships[self.rel]
    }
}

fn aliased(alias: &str, mapper: &Mapper, index: usize) -> Expr {
    let c = &mapper.columns[index];
    Expr::column(alias, &c.db_name, c.ty.clone())
}

impl Query {
    /// The eager loads of this query's objects.
    pub(crate) fn eager_plan(&self) -> Vec<EagerLoad> {
        plan(&self.mapper, &self.options, &self.ancestors)
    }

    /// The SELECT with joined eager loads added as LEFT OUTER JOINs of
    /// aliased tables, the types to decode its columns by, and the joined
    /// loads in the order their columns follow the model's. A LIMIT or
    /// OFFSET counts objects, not joined rows: where a joined load brings a
    /// collection, the limited query becomes a subquery and the loads are
    /// joined outside it, as SQLAlchemy nests it.
    pub fn to_select_with_eager(
        &self,
        registry: &Registry,
    ) -> (Select, Vec<Option<ColumnType>>, Vec<JoinedLoad>) {
        let (select, types, joined) = self.with_joined_loads(registry, self.to_select(), None);
        let limited = self.limit.is_some() || self.offset.is_some();
        let multiplies = joined.iter().any(|j| j.relationship().uselist);
        // A LIMIT with contains_eager(..) counts the query's own joined
        // rows, as SQLAlchemy's does: no nesting.
        if limited && multiplies && self.contains.is_empty() {
            let outer = self.limited_subquery();
            return self.with_joined_loads(registry, outer, Some(LIMITED));
        }
        (select, types, joined)
    }

    /// `select` with the joined loads added, its model's rows read from
    /// `source` (the table itself when `None`).
    fn with_joined_loads(
        &self,
        registry: &Registry,
        mut select: Select,
        source: Option<&str>,
    ) -> (Select, Vec<Option<ColumnType>>, Vec<JoinedLoad>) {
        let mut types = self.column_types();
        let mut joined = Vec::new();
        if !self.returns_rows() {
            let mut ancestors = self.ancestors.clone();
            ancestors.push(self.mapper.index);
            let walk = JoinWalk {
                registry,
                select: &mut select,
                types: &mut types,
                joined: &mut joined,
                contains: &self.contains,
                top: source.is_none().then(|| self.reads()),
            };
            walk.add(
                &self.mapper,
                source.unwrap_or(self.qualifier()),
                None,
                self.eager_plan(),
                &ancestors,
            );
        }
        (select, types, joined)
    }

    /// `SELECT limited.* FROM (the query, limited) AS limited`, ordered as
    /// the query is: an ordering on the model's own columns is read from
    /// the subquery; any other is selected in it under a label.
    fn limited_subquery(&self) -> Select {
        let mut inner = self.to_select();
        // A `column_property` is read from the subquery by its name.
        if self.entities.is_none() {
            for (k, i) in self.selected_columns().enumerate() {
                let c = &self.mapper.columns[i];
                if c.is_computed() {
                    let expr = std::mem::replace(&mut inner.columns[k], Expr::Star);
                    inner.columns[k] = Expr::Label {
                        expr: Box::new(expr),
                        name: c.db_name.clone(),
                    };
                }
            }
        }
        let mut order_by = Vec::new();
        for (k, ordering) in inner.order_by.clone().into_iter().enumerate() {
            let (expr, descending) = match ordering {
                Expr::Ordering { expr, descending } => (*expr, Some(descending)),
                other => (other, None),
            };
            let outside = match &expr {
                Expr::Column(c) if c.table == self.qualifier() => {
                    Expr::column(LIMITED, &c.column, c.ty.clone())
                }
                other => {
                    let label = format!("order_{k}");
                    let ty = other.type_hint().cloned().unwrap_or(ColumnType::Text);
                    inner.columns.push(Expr::Label {
                        expr: Box::new(other.clone()),
                        name: label.clone(),
                    });
                    Expr::column(LIMITED, &label, ty)
                }
            };
            order_by.push(match descending {
                Some(descending) => Expr::Ordering {
                    expr: Box::new(outside),
                    descending,
                },
                None => outside,
            });
        }
        let columns = self
            .selected_columns()
            .map(|i| aliased(LIMITED, &self.mapper, i))
            .collect();
        Select {
            columns,
            from_subquery: Some((Box::new(inner), LIMITED.to_string())),
            order_by,
            ..Select::default()
        }
    }
}

/// The alias of a limited query nested under its joined loads.
const LIMITED: &str = "anon_1";

/// Adds joined loads, and the joined loads under them, to one SELECT.
struct JoinWalk<'a> {
    registry: &'a Registry,
    select: &'a mut Select,
    types: &'a mut Vec<Option<ColumnType>>,
    joined: &'a mut Vec<JoinedLoad>,
    /// `contains_eager(..)`: the query's own relationships read from a
    /// join the query makes, by the name that join reads under.
    contains: &'a [(String, String)],
    /// What the query's own model is read from, where its columns are
    /// not all under one name: a model whose rows span tables, or an
    /// alias of one (none for a limited query read as a subquery).
    top: Option<FromItem>,
}

impl JoinWalk<'_> {
    /// `LEFT OUTER JOIN table AS alias ON a = b AND ..`.
    fn left_join(&mut self, table: &str, alias: &str, on: impl Iterator<Item = (Expr, Expr)>) {
        self.select.joins.push(Join {
            table: TableRef::aliased(table, alias),
            on: Expr::and_all(on.map(|(a, b)| Expr::binary(BinaryOp::Eq, a, b)).collect()),
            outer: true,
        });
    }

    /// Column `index` of `source`, read as `source_alias` (or, for the
    /// query's own model, as its FROM reads it).
    fn source_column(
        &self,
        source: &Mapper,
        source_alias: &str,
        parent: Option<usize>,
        index: usize,
    ) -> Expr {
        match (&self.top, parent) {
            (Some(item), None) => item.column(source, index),
            _ => aliased(source_alias, source, index),
        }
    }

    fn add(
        mut self,
        source: &Rc<Mapper>,
        source_alias: &str,
        parent: Option<usize>,
        loads: Vec<EagerLoad>,
        ancestors: &[usize],
    ) -> Self {
        for load in loads.into_iter().filter(|l| l.strategy == Lazy::Joined) {
            let rel = &source.relationships[load.rel];
            let target = self.registry.mapper(rel.target).clone();
            let n = self.joined.len() + 1;
            let contained = self
                .contains
                .iter()
                .find(|(name, _)| parent.is_none() && *name == rel.name);
            let alias = match contained {
                Some((_, joined_as)) => joined_as.clone(),
                None => format!("{}_{n}", unqualified(&target.table)),
            };
            match &rel.secondary {
                _ if contained.is_some() => {}
                Some(sec) => {
                    let link = format!("{}_{n}", unqualified(&sec.table));
                    let on: Vec<(Expr, Expr)> = sec
                        .local
                        .iter()
                        .map(|(s, a, ty)| {
                            (
                                Expr::column(&link, a, ty.clone()),
                                self.source_column(source, source_alias, parent, *s),
                            )
                        })
                        .collect();
                    self.left_join(&sec.table, &link, on.into_iter());
                    self.left_join(
                        &target.table,
                        &alias,
                        sec.remote.iter().map(|(a, ty, t)| {
                            (
                                aliased(&alias, &target, *t),
                                Expr::column(&link, a, ty.clone()),
                            )
                        }),
                    );
                }
                None => {
                    let on: Vec<(Expr, Expr)> = rel
                        .pairs
                        .iter()
                        .map(|&(l, r)| {
                            (
                                self.source_column(source, source_alias, parent, l),
                                aliased(&alias, &target, r),
                            )
                        })
                        .collect();
                    self.left_join(&target.table, &alias, on.into_iter());
                }
            }
            // A subclass target joins its own rows only (a join the
            // query made itself, for contains_eager, is left as it is).
            if contained.is_none()
                && let Some(only) = target.polymorphic_criterion(Some(&alias))
                && let Some(last) = self.select.joins.last_mut()
            {
                last.on = Expr::and_all(vec![last.on.clone(), only]);
            }
            // The relationship's order_by orders each collection, after
            // the query's own order (not one the query joined itself).
            for &(c, descending) in rel.order_by.iter().filter(|_| contained.is_none()) {
                self.select.order_by.push(Expr::Ordering {
                    expr: Box::new(aliased(&alias, &target, c)),
                    descending,
                });
            }
            let offset = self.select.columns.len();
            for i in 0..target.columns.len() {
                self.select.columns.push(aliased(&alias, &target, i));
                self.types.push(Some(target.columns[i].ty.clone()));
            }
            let index = self.joined.len();
            let mut under = ancestors.to_vec();
            under.push(target.index);
            let nested = plan(&target, &load.nested, ancestors);
            self.joined.push(JoinedLoad {
                parent,
                source: source.clone(),
                rel: load.rel,
                target: target.clone(),
                offset,
                after: nested
                    .iter()
                    .filter(|l| l.strategy != Lazy::Joined)
                    .cloned()
                    .collect(),
                ancestors: ancestors.to_vec(),
            });
            self = self.add(&target, &alias, Some(index), nested, &under);
        }
        self
    }
}

impl Loader<'_> {
    /// Run the loads that follow a query (selectin and subquery) for
    /// `objects`, all of `mapper`, loaded under `ancestors`.
    pub(crate) fn load_after(
        &self,
        objects: &[Instance],
        mapper: &Rc<Mapper>,
        loads: &[EagerLoad],
        ancestors: &[usize],
    ) -> Result<()> {
        for load in loads {
            if matches!(load.strategy, Lazy::Selectin | Lazy::Subquery) {
                self.select_in_load(objects, mapper, load, ancestors)?;
            }
        }
        Ok(())
    }

    /// Load one relationship of every object in `parents` with IN queries
    /// (one per batch of parents), the options under it applied to them.
    fn select_in_load(
        &self,
        parents: &[Instance],
        mapper: &Rc<Mapper>,
        load: &EagerLoad,
        ancestors: &[usize],
    ) -> Result<()> {
        let rel = &mapper.relationships[load.rel];
        let target = self.registry().mapper(rel.target).clone();
        // (parent column, column to match it in the loading query)
        let link: Vec<(usize, Expr)> = match &rel.secondary {
            Some(sec) => sec
                .local
                .iter()
                .map(|(s, a, ty)| (*s, Expr::column(&sec.table, a, ty.clone())))
                .collect(),
            None => rel
                .pairs
                .iter()
                .map(|&(l, r)| (l, crate::orm::mapping::model::column_of(&target, r)))
                .collect(),
        };
        let mut keys: Vec<Vec<Value>> = Vec::new();
        let mut seen = HashSet::new();
        for p in parents {
            let key: Vec<Value> = link.iter().map(|(l, _)| p.value(*l)).collect();
            if !key.iter().any(Value::is_null) && seen.insert(key.clone()) {
                keys.push(key);
            }
        }
        let mut under = ancestors.to_vec();
        under.push(mapper.index);
        let mut by_key: HashMap<Vec<Value>, Vec<Instance>> = HashMap::new();
        for chunk in keys.chunks(SELECTIN_BATCH) {
            let mut q = Query::new(target.clone()).filter(key_filter(&link, chunk));
            if let Some(sec) = &rel.secondary {
                q = q.join_table(sec.join_to_target(&target));
            }
            q.options = load.nested.clone();
            q.ancestors = under.clone();
            for &(c, desc) in &rel.order_by {
                q = q.order_by(Expr::Ordering {
                    expr: Box::new(crate::orm::mapping::model::column_of(&target, c)),
                    descending: desc,
                });
            }
            let trailing: Vec<Expr> = match &rel.secondary {
                Some(_) => link.iter().map(|(_, e)| e.clone()).collect(),
                None => Vec::new(),
            };
            let loaded = self.load_objects(&q, &trailing)?;
            // Through an association table the link is in the trailing
            // columns (a target can belong to many parents); else in the target.
            let keyed: Vec<(Instance, Vec<Value>)> = if rel.secondary.is_some() {
                loaded.rows
            } else {
                loaded
                    .objects
                    .into_iter()
                    .map(|item| {
                        let key = rel.pairs.iter().map(|&(_, r)| item.value(r)).collect();
                        (item, key)
                    })
                    .collect()
            };
            for (item, key) in keyed {
                let list = by_key.entry(key).or_default();
                if !list.iter().any(|o| o.same(&item)) {
                    list.push(item);
                }
            }
        }
        for p in parents {
            let key: Vec<Value> = link.iter().map(|(l, _)| p.value(*l)).collect();
            let found = by_key.get(&key).cloned().unwrap_or_default();
            let related = if rel.uselist {
                Related::Many(Collection::new(found))
            } else {
                Related::One(found.into_iter().next())
            };
            p.set_related(load.rel, related);
        }
        Ok(())
    }
}

/// `col IN (..)` for one linking column, else `(a = ? AND b = ?) OR ..`.
fn key_filter(link: &[(usize, Expr)], keys: &[Vec<Value>]) -> Expr {
    let bind = |e: &Expr, v: &Value| Expr::Bind(v.clone(), e.type_hint().cloned());
    if let [(_, column)] = link {
        return Expr::InList {
            expr: Box::new(column.clone()),
            list: keys.iter().map(|k| bind(column, &k[0])).collect(),
            negated: false,
        };
    }
    Expr::or_all(
        keys.iter()
            .map(|k| {
                Expr::and_all(
                    link.iter()
                        .zip(k)
                        .map(|((_, c), v)| Expr::binary(BinaryOp::Eq, c.clone(), bind(c, v)))
                        .collect(),
                )
            })
            .collect(),
    )
}
