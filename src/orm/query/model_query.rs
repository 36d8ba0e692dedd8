//! ORM queries: `Model.query` and its refinements, as plain data, plus the
//! SELECT each one compiles to. Running them is `Session`'s (see `results`).

use std::rc::Rc;

use crate::error::{Error, Result, did_you_mean};
pub use crate::orm::mapping::loading::LoadOption;
use crate::orm::mapping::model::{Lazy, Mapper, Registry, column_of};
use crate::sql::{BinaryOp, ColumnType, Expr, Join, Select, TableRef, Value};

/// A join the query makes: to which mapper, on what.
#[derive(Debug, Clone)]
pub struct QueryJoin {
    pub target: Rc<Mapper>,
    pub on: Expr,
    pub outer: bool,
}

#[derive(Debug, Clone)]
pub struct Query {
    pub(crate) mapper: Rc<Mapper>,
    /// `with_entities(..)`: rows of plain values instead of objects.
    pub(crate) entities: Option<Vec<(String, Expr)>>,
    pub(crate) filters: Vec<Expr>,
    pub(crate) joins: Vec<QueryJoin>,
    /// Joins to tables no model maps (association tables), before `joins`.
    pub(crate) table_joins: Vec<Join>,
    pub(crate) order_by: Vec<Expr>,
    pub(crate) group_by: Vec<Expr>,
    pub(crate) having: Vec<Expr>,
    pub(crate) limit: Option<u64>,
    pub(crate) offset: Option<u64>,
    pub(crate) distinct: bool,
    pub(crate) options: Vec<LoadOption>,
    /// Columns left out of the SELECT (`defer`, `load_only`): loaded on access.
    pub(crate) deferred: Vec<usize>,
    /// The models this query loads objects under (an eager load's parents),
    /// so the relationships' own `lazy` defaults do not loop back up.
    pub(crate) ancestors: Vec<usize>,
}

impl Query {
    pub fn new(mapper: Rc<Mapper>) -> Query {
        Query {
            mapper,
            entities: None,
            filters: Vec::new(),
            joins: Vec::new(),
            table_joins: Vec::new(),
            order_by: Vec::new(),
            group_by: Vec::new(),
            having: Vec::new(),
            limit: None,
            offset: None,
            distinct: false,
            options: Vec::new(),
            deferred: Vec::new(),
            ancestors: Vec::new(),
        }
    }

    pub fn mapper(&self) -> &Rc<Mapper> {
        &self.mapper
    }

    /// Whether it has no filter at all (a bulk statement would touch every row).
    pub fn is_unfiltered(&self) -> bool {
        self.filters.is_empty() && self.where_clause().is_none()
    }

    /// Whether it returns rows of values (`with_entities`) rather than objects.
    pub fn returns_rows(&self) -> bool {
        self.entities.is_some()
    }

    /// The expression for column `index` of the query's model.
    pub fn column_expr(&self, index: usize) -> Expr {
        column_of(&self.mapper, index)
    }

    pub fn filter(mut self, expr: Expr) -> Query {
        self.filters.push(expr);
        self
    }

    /// `filter_by(#{ username: "x" })`: equality on the columns of the
    /// model last joined, or the query's own model before any join (as
    /// SQLAlchemy's `filter_by` takes the last joined entity).
    pub fn filter_by(mut self, pairs: Vec<(String, Value)>) -> Result<Query> {
        let entity = self
            .joins
            .last()
            .map_or_else(|| self.mapper.clone(), |j| j.target.clone());
        for (name, value) in pairs {
            let index = entity
                .column_index(&name)
                .ok_or_else(|| entity.unknown_attribute(&name))?;
            let column = column_of(&entity, index);
            self.filters.push(compare(BinaryOp::Eq, column, value)?);
        }
        Ok(self)
    }

    pub(crate) fn filter_pk(self, pk: &[Value]) -> Query {
        let mapper = self.mapper.clone();
        mapper.primary_key.iter().zip(pk).fold(self, |q, (&i, v)| {
            let col = q.column_expr(i);
            let ty = mapper.columns[i].ty.clone();
            q.filter(Expr::binary(
                BinaryOp::Eq,
                col,
                Expr::Bind(v.clone(), Some(ty)),
            ))
        })
    }

    /// Join a table no model maps (an association table).
    pub fn join_table(mut self, join: Join) -> Query {
        self.table_joins.push(join);
        self
    }

    pub fn order_by(mut self, expr: Expr) -> Query {
        self.order_by.push(expr);
        self
    }

    pub fn limit(mut self, n: u64) -> Query {
        self.limit = Some(n);
        self
    }

    pub fn offset(mut self, n: u64) -> Query {
        self.offset = Some(n);
        self
    }

    pub fn distinct(mut self) -> Query {
        self.distinct = true;
        self
    }

    pub fn group_by(mut self, expr: Expr) -> Query {
        self.group_by.push(expr);
        self
    }

    pub fn having(mut self, expr: Expr) -> Query {
        self.having.push(expr);
        self
    }

    pub fn with_entities(mut self, entities: Vec<(String, Expr)>) -> Query {
        self.entities = Some(entities);
        self
    }

    /// A loader option; a later option for the same path replaces an earlier one.
    pub fn options(mut self, option: LoadOption) -> Result<Query> {
        let first = option.path.first().map(String::as_str).unwrap_or("");
        if self.mapper.relationship_index(first).is_none() {
            return Err(self.mapper.unknown_attribute(first));
        }
        self.options.retain(|o| o.path != option.path);
        self.options.push(option);
        Ok(self)
    }

    /// `defer(User.bio)`: leave the column out of the SELECT; it loads when read.
    pub fn defer(mut self, column: usize) -> Result<Query> {
        if self.mapper.primary_key.contains(&column) {
            return Err(Error::invalid(format!(
                "{}.{} is the primary key, which is always loaded",
                self.mapper.name, self.mapper.columns[column].name
            )));
        }
        if !self.deferred.contains(&column) {
            self.deferred.push(column);
        }
        Ok(self)
    }

    /// `load_only(User.username, ..)`: only these columns (and the primary key).
    pub fn load_only(mut self, columns: &[usize]) -> Query {
        self.deferred = (0..self.mapper.columns.len())
            .filter(|i| !columns.contains(i) && !self.mapper.primary_key.contains(i))
            .collect();
        self
    }

    /// `join(Model)` along the one relationship that links them, or `on` when given.
    pub fn join(
        mut self,
        registry: &Registry,
        target: &Rc<Mapper>,
        on: Option<Expr>,
        outer: bool,
    ) -> Result<Query> {
        let on = match on {
            Some(on) => on,
            None => {
                // Many-to-many: through the association table first.
                let through = self
                    .mapper
                    .relationships
                    .iter()
                    .find(|r| r.target == target.index)
                    .and_then(|r| r.secondary.clone());
                match through {
                    Some(sec) => {
                        self.table_joins
                            .push(sec.join_from_source(&self.mapper, outer));
                        sec.target_condition(target)
                    }
                    None => self.join_condition(registry, target)?,
                }
            }
        };
        self.push_join(QueryJoin {
            target: target.clone(),
            on,
            outer,
        })
    }

    /// Add a join; an outer join to a model whose rows span tables is
    /// refused (it would need a nested join that ormsh does not write).
    fn push_join(mut self, join: QueryJoin) -> Result<Query> {
        if join.outer && join.target.is_joined() {
            return Err(Error::invalid(format!(
                "an outer join to {}, whose rows span the tables {}, is not supported by ormsh; use join(..), an inner join",
                join.target.name,
                join.target
                    .inheritance
                    .iter()
                    .flat_map(|i| i.tables.iter().map(|t| t.name.as_str()))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )));
        }
        self.joins.push(join);
        Ok(self)
    }

    /// `join(User.posts)`: along relationship `rel` of `owner`, the query's
    /// model or one joined already, to the relationship's target.
    pub fn join_along(
        mut self,
        registry: &Registry,
        owner: &Rc<Mapper>,
        rel: usize,
        outer: bool,
    ) -> Result<Query> {
        let relationship = &owner.relationships[rel];
        let target = registry.mappers[relationship.target].clone();
        let path = format!("{}.{}", owner.name, relationship.name);
        let in_query = |m: &Mapper| {
            self.mapper.index == m.index || self.joins.iter().any(|j| j.target.index == m.index)
        };
        if !in_query(owner) {
            return Err(Error::invalid(format!(
                "join({path}): {} is not in the query; join {} first",
                owner.name, owner.name
            )));
        }
        if in_query(&target) {
            return Err(Error::invalid(format!(
                "join({path}): {} is in the query already, and joining it again needs aliased({}), which ormsh does not support yet",
                target.name, target.name
            )));
        }
        let on = match &relationship.secondary {
            Some(sec) if owner.index == self.mapper.index => {
                self.table_joins.push(sec.join_from_source(owner, outer));
                sec.target_condition(&target)
            }
            Some(_) => {
                return Err(Error::invalid(format!(
                    "join({path}): a many-to-many join from a joined model is not supported; start the query from {}",
                    owner.name
                )));
            }
            None => Expr::and_all(
                relationship
                    .pairs
                    .iter()
                    .map(|&(l, r)| {
                        Expr::binary(BinaryOp::Eq, column_of(owner, l), column_of(&target, r))
                    })
                    .collect(),
            ),
        };
        self.push_join(QueryJoin { target, on, outer })
    }

    fn join_condition(&self, registry: &Registry, target: &Rc<Mapper>) -> Result<Expr> {
        let sources = std::iter::once(&self.mapper).chain(self.joins.iter().map(|j| &j.target));
        let mut found: Vec<Expr> = Vec::new();
        for source in sources {
            for rel in source
                .relationships
                .iter()
                .filter(|r| r.target == target.index)
            {
                let parts = rel
                    .pairs
                    .iter()
                    .map(|&(l, r)| {
                        Expr::binary(BinaryOp::Eq, column_of(source, l), column_of(target, r))
                    })
                    .collect();
                let cond = Expr::and_all(parts);
                if !found.contains(&cond) {
                    found.push(cond);
                }
            }
        }
        let _ = registry;
        match found.len() {
            1 => Ok(found.pop().expect("one")),
            0 => Err(Error::invalid(format!(
                "no relationship links {} to {}: give the condition, e.g. join({}, {}.{} == {}.{})",
                self.mapper.name,
                target.name,
                target.name,
                target.name,
                target.columns[target.primary_key[0]].name,
                self.mapper.name,
                "..."
            ))),
            _ => Err(Error::invalid(format!(
                "{} and {} are linked by more than one relationship: give the condition as join({}, ..)",
                self.mapper.name, target.name, target.name
            ))),
        }
    }

    /// The declared types of the columns the SELECT returns, for decoding.
    pub fn column_types(&self) -> Vec<Option<ColumnType>> {
        match &self.entities {
            Some(entities) => entities
                .iter()
                .map(|(_, e)| e.type_hint().cloned())
                .collect(),
            None => self
                .selected_columns()
                .map(|i| Some(self.mapper.columns[i].ty.clone()))
                .collect(),
        }
    }

    /// The model's columns the SELECT reads, deferred ones left out.
    pub(crate) fn selected_columns(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.mapper.columns.len()).filter(|i| !self.deferred.contains(i))
    }

    /// The names of the columns it returns.
    pub fn column_names(&self) -> Vec<String> {
        match &self.entities {
            Some(entities) => entities.iter().map(|(n, _)| n.clone()).collect(),
            None => self
                .selected_columns()
                .map(|i| self.mapper.columns[i].name.clone())
                .collect(),
        }
    }

    /// The SELECT for this query (eager loads are added by the runner).
    pub fn to_select(&self) -> Select {
        let columns = match &self.entities {
            Some(entities) => entities.iter().map(|(_, e)| e.clone()).collect(),
            None => self
                .selected_columns()
                .map(|i| self.column_expr(i))
                .collect(),
        };
        Select {
            distinct: self.distinct,
            columns,
            from: Some(TableRef::new(self.mapper.from_table())),
            from_subquery: None,
            joins: self
                .mapper
                .inherited_joins()
                .into_iter()
                .chain(self.table_joins.iter().cloned())
                .chain(self.joins.iter().flat_map(|j| {
                    // A model under the root of its hierarchy joins its own
                    // rows: the discriminator, or the tables of its own.
                    let first = Join {
                        table: TableRef::new(j.target.from_table()),
                        on: match j.target.polymorphic_criterion(None) {
                            Some(only) => Expr::and_all(vec![j.on.clone(), only]),
                            None => j.on.clone(),
                        },
                        outer: j.outer,
                    };
                    std::iter::once(first).chain(j.target.inherited_joins())
                }))
                .collect(),
            filter: self.where_clause(),
            group_by: self.group_by.clone(),
            having: (!self.having.is_empty()).then(|| Expr::and_all(self.having.clone())),
            order_by: self.order_by.clone(),
            limit: self.limit,
            offset: self.offset,
        }
    }

    /// The WHERE clause: the filters, and for a model under the root of
    /// its hierarchy, its rows only (as SQLAlchemy adds to every query).
    pub(crate) fn where_clause(&self) -> Option<Expr> {
        let only = self.mapper.polymorphic_criterion(None);
        let all: Vec<Expr> = self.filters.iter().cloned().chain(only).collect();
        (!all.is_empty()).then(|| Expr::and_all(all))
    }

    /// `SELECT count(*)` of what this query returns.
    pub fn to_count(&self) -> Select {
        let star = Expr::Func {
            name: "count".into(),
            args: vec![Expr::Star],
        };
        let simple = self.limit.is_none()
            && self.offset.is_none()
            && !self.distinct
            && self.group_by.is_empty()
            && self.entities.is_none();
        if simple {
            let mut select = self.to_select();
            select.columns = vec![star];
            select.order_by.clear();
            return select;
        }
        Select {
            columns: vec![star],
            from_subquery: Some((Box::new(self.to_select()), "anon_1".into())),
            ..Select::default()
        }
    }

    /// The relationships that load when read whose loading an option
    /// changed: a lazy strategy (`raiseload`, `lazyload`, `noload`), or
    /// options for under the load.
    pub(crate) fn lazy_options(&self) -> Vec<crate::orm::state::instance::LazyOption> {
        let mut out = Vec::new();
        for (i, rel) in self.mapper.relationships.iter().enumerate() {
            let explicit = LoadOption::strategy_for(&self.options, &rel.name);
            let strategy = explicit.unwrap_or(rel.lazy);
            if strategy.is_eager() {
                continue;
            }
            let nested = LoadOption::under(&self.options, &rel.name);
            if explicit.is_some() || !nested.is_empty() {
                out.push(crate::orm::state::instance::LazyOption {
                    rel: i,
                    strategy,
                    nested,
                });
            }
        }
        out
    }

    /// This query with a LIMIT, its joined collections loaded by selectin
    /// instead (a LIMIT on the joined rows would cut the collections short).
    pub fn limited(&self, limit: u64) -> Query {
        let mut q = self.clone().limit(limit);
        for load in self.eager_plan() {
            let rel = &self.mapper.relationships[load.rel];
            if load.strategy == Lazy::Joined && rel.uselist {
                let path = vec![rel.name.clone()];
                q.options.retain(|o| o.path != path);
                q.options.push(LoadOption {
                    path,
                    strategy: Lazy::Selectin,
                });
            }
        }
        q
    }
}

/// `left op value`, with the value coerced to the column's type (a
/// comparison with no SQL meaning is an error naming both sides). NULL with
/// `==`/`!=` becomes IS [NOT] NULL.
pub fn compare(op: BinaryOp, left: Expr, value: Value) -> Result<Expr> {
    if value.is_null() {
        return match op {
            BinaryOp::Eq => Ok(Expr::IsNull {
                expr: Box::new(left),
                negated: false,
            }),
            BinaryOp::Ne => Ok(Expr::IsNull {
                expr: Box::new(left),
                negated: true,
            }),
            _ => Err(Error::invalid(format!(
                "cannot compare {} with NULL using {}",
                left.describe(),
                op.sql().trim()
            ))),
        };
    }
    let ty = left.type_hint().cloned();
    let value = match &ty {
        Some(ty) => ty.coerce(value.clone()).map_err(|e| {
            Error::invalid(format!(
                "cannot compare {} ({ty}) with {} ({}): {e}",
                left.describe(),
                value.repr(),
                value.kind()
            ))
        })?,
        None => value,
    };
    Ok(Expr::binary(op, left, Expr::Bind(value, ty)))
}

/// The error for a name that is not a column of `mapper` (for `Model.name`).
pub fn unknown_column(mapper: &Mapper, name: &str) -> Error {
    Error::unknown(format!(
        "{} has no column `{name}`{}",
        mapper.name,
        did_you_mean(name, mapper.columns.iter().map(|c| c.name.as_str()))
    ))
}
