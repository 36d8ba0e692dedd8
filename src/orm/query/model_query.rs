//! ORM queries: `Model.query` and its refinements, as plain data, plus the
//! SELECT each one compiles to. Running them is `Session`'s (see `results`).

use std::rc::Rc;

use crate::error::{Error, Result, did_you_mean};
pub use crate::orm::mapping::loading::LoadOption;
use crate::orm::mapping::model::{Lazy, Mapper, column_of};
use crate::orm::query::alias::FromItem;
use crate::sql::{BinaryOp, ColumnType, Expr, Join, Select, TableRef, Value};

/// A join the query makes: to what (a model's table, an alias of it, a
/// subquery), on what.
#[derive(Debug, Clone)]
pub struct QueryJoin {
    pub item: FromItem,
    pub on: Expr,
    pub outer: bool,
}

impl QueryJoin {
    /// The model it joins under its own name, if it is one.
    pub fn plain_model(&self) -> Option<&Rc<Mapper>> {
        self.item.model().filter(|_| self.item.is_plain())
    }
}

#[derive(Debug, Clone)]
pub struct Query {
    pub(crate) mapper: Rc<Mapper>,
    /// What the FROM reads instead of the model's table: an alias of it,
    /// or a subquery (`mapper` then only says which database runs it).
    pub(crate) from: Option<FromItem>,
    /// The model's own columns in later filters, orderings and groupings
    /// read from `from` (the legacy `q1.union(q2)`, whose model stands for
    /// the union's rows, as SQLAlchemy adapts them).
    pub(crate) adapt: bool,
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
    /// `contains_eager(..)`: relationships read from the query's own joins
    /// (relationship name, the name the join reads under).
    pub(crate) contains: Vec<(String, String)>,
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
            from: None,
            adapt: false,
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
            contains: Vec::new(),
            deferred: Vec::new(),
            ancestors: Vec::new(),
        }
    }

    pub fn mapper(&self) -> &Rc<Mapper> {
        &self.mapper
    }

    /// The query `q.get(pk)` loads by: the model's own, with this one's
    /// loader options (`joinedload`, `defer`, ..), as SQLAlchemy's
    /// `Query.get()` takes them (a query with criteria is refused by the caller first).
    pub fn for_get(&self) -> Query {
        let mut q = Query::new(self.mapper.clone());
        q.options = self.options.clone();
        q.deferred = self.deferred.clone();
        q
    }

    /// Whether it has no filter at all (a bulk statement would touch every row).
    pub fn is_unfiltered(&self) -> bool {
        self.filters.is_empty() && self.where_clause().is_none()
    }

    /// Whether it returns rows of values (`with_entities`) rather than objects.
    pub fn returns_rows(&self) -> bool {
        self.entities.is_some()
    }

    /// The query reading FROM `item` instead of its model's table.
    pub fn reading(mut self, item: FromItem) -> Query {
        self.from = Some(item);
        self
    }

    /// `reading(item)` for a query whose model's columns stand for the
    /// item's from now on.
    pub fn reading_adapted(self, item: FromItem) -> Query {
        let mut q = self.reading(item);
        q.adapt = true;
        q
    }

    /// An expression given to the chain, with the model's columns read
    /// from the FROM when the query adapts them.
    fn adapted(&self, expr: Expr) -> Expr {
        let Some(item) = self.from.as_ref().filter(|_| self.adapt) else {
            return expr;
        };
        let table = &self.mapper.table;
        expr.map_columns(&|c| {
            (c.table == *table).then(|| {
                let mut c = c.clone();
                c.table = item.name().to_string();
                Expr::Column(c)
            })
        })
    }

    /// What the FROM reads: the model's table, or `reading(..)`'s item.
    pub fn reads(&self) -> FromItem {
        self.from
            .clone()
            .unwrap_or_else(|| FromItem::table(self.mapper.clone()))
    }

    /// What the model's columns are qualified by in the SQL.
    pub(crate) fn qualifier(&self) -> &str {
        self.from.as_ref().map_or(&self.mapper.table, |f| f.name())
    }

    /// The expression for column `index` of the query's model.
    pub fn column_expr(&self, index: usize) -> Expr {
        match &self.from {
            Some(item) => item.column(&self.mapper, index),
            None => column_of(&self.mapper, index),
        }
    }

    pub fn filter(mut self, expr: Expr) -> Query {
        let expr = self.adapted(expr);
        self.filters.push(expr);
        self
    }

    /// What `filter_by` reads the columns of: the last joined, else what
    /// the query reads.
    pub fn filter_by_target(&self) -> FromItem {
        self.joins
            .last()
            .map_or_else(|| self.reads(), |j| j.item.clone())
    }

    /// `filter_by(#{ username: "x" })`: equality on the columns of the
    /// model last joined, or the query's own model before any join (as
    /// SQLAlchemy's `filter_by` takes the last joined entity).
    pub fn filter_by(mut self, pairs: Vec<(String, Value)>) -> Result<Query> {
        let item = self.filter_by_target();
        let Some(entity) = item.model().cloned() else {
            return Err(Error::invalid(format!(
                "filter_by() reads the columns of the model last joined, and the {} holds no model: use where(sq.c.name == ..)",
                item.describe()
            )));
        };
        for (name, value) in pairs {
            let index = entity
                .column_index(&name)
                .ok_or_else(|| entity.unknown_attribute(&name))?;
            let column = item.column(&entity, index);
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
        let expr = self.adapted(expr);
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
        let expr = self.adapted(expr);
        self.group_by.push(expr);
        self
    }

    pub fn having(mut self, expr: Expr) -> Query {
        let expr = self.adapted(expr);
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

    /// `contains_eager(Post.author)`: load the relationship from the join
    /// the query makes to its model (`alias`, when it is joined under
    /// another name), not from a join of its own.
    pub fn contains_eager(mut self, rel: usize, alias: Option<&FromItem>) -> Result<Query> {
        let mapper = self.mapper.clone();
        let relationship = &mapper.relationships[rel];
        let path = format!("{}.{}", self.mapper.name, relationship.name);
        let joins: Vec<&QueryJoin> = self
            .joins
            .iter()
            .filter(|j| match alias {
                Some(a) => j.item.name() == a.name(),
                None => j
                    .plain_model()
                    .is_some_and(|m| m.index == relationship.target),
            })
            .collect();
        let joined_as = match joins.as_slice() {
            [one]
                if one
                    .item
                    .model()
                    .is_some_and(|m| m.index == relationship.target) =>
            {
                one.item.name().to_string()
            }
            [] | [_] => {
                return Err(Error::invalid(format!(
                    "contains_eager({path}) reads the relationship from a join the query makes: join it first, e.g. .join({path}) before .options(contains_eager({path}))"
                )));
            }
            _ => {
                return Err(Error::invalid(format!(
                    "contains_eager({path}): the query joins that model more than once; say which, contains_eager({path}, #{{ alias: a }})"
                )));
            }
        };
        self.contains.retain(|(n, _)| *n != relationship.name);
        self.contains.push((relationship.name.clone(), joined_as));
        self.options(LoadOption {
            path: vec![relationship.name.clone()],
            strategy: Lazy::Joined,
        })
    }

    /// `undefer(User.bio)`: load the column after all.
    pub fn undefer(mut self, column: usize) -> Query {
        self.deferred.retain(|&c| c != column);
        self
    }

    /// `load_only(User.username, ..)`: only these columns (and the primary key).
    pub fn load_only(mut self, columns: &[usize]) -> Query {
        self.deferred = (0..self.mapper.columns.len())
            .filter(|i| !columns.contains(i) && !self.mapper.primary_key.contains(i))
            .collect();
        self
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
        let from = self.reads();
        // An alias reads the tables a row spans under its own names; a
        // subquery holds the rows whole.
        let inherited = from.inherited_joins();
        let mut ctes = Vec::new();
        from.add_ctes(&mut ctes);
        self.joins.iter().for_each(|j| j.item.add_ctes(&mut ctes));
        Select {
            ctes,
            compound: None,
            distinct: self.distinct,
            columns,
            from: Some(match &self.from {
                Some(item) => item.table_ref(),
                None => TableRef::new(self.mapper.from_table()),
            }),
            from_subquery: None,
            joins: inherited
                .into_iter()
                .chain(self.table_joins.iter().cloned())
                .chain(self.joins.iter().flat_map(|j| {
                    // A model under the root of its hierarchy joins its own
                    // rows: the discriminator in the ON, or the tables of
                    // its own, in parentheses for an outer join, which
                    // reads them whole (as SQLAlchemy nests it).
                    let on = match j.item.criterion() {
                        Some(only) => Expr::and_all(vec![j.on.clone(), only]),
                        None => j.on.clone(),
                    };
                    let table = j.item.table_ref();
                    let rest = j.item.inherited_joins();
                    if j.outer && !rest.is_empty() {
                        return vec![Join {
                            table: table.with_nested(rest),
                            on,
                            outer: true,
                        }];
                    }
                    std::iter::once(Join {
                        table,
                        on,
                        outer: j.outer,
                    })
                    .chain(rest)
                    .collect()
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
        // An alias or subquery read instead says it of its own columns.
        let only = match &self.from {
            Some(item) => item.criterion(),
            None => self.mapper.polymorphic_criterion(None),
        };
        let all: Vec<Expr> = self.filters.iter().cloned().chain(only).collect();
        (!all.is_empty()).then(|| Expr::and_all(all))
    }

    /// The SELECT of the legacy `q.exists()`, `EXISTS (SELECT 1 FROM ..)`:
    /// the query's rows, each read as 1, as SQLAlchemy's `Query.exists()`
    /// writes it (its order and limits kept).
    pub fn to_exists(&self) -> Select {
        let mut select = self.to_select();
        select.columns = vec![Expr::Bind(
            crate::sql::Value::Int(1),
            Some(crate::sql::ColumnType::Integer),
        )];
        select
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
            let contained = self.contains.iter().any(|(n, _)| *n == rel.name);
            if load.strategy == Lazy::Joined && rel.uselist && !contained {
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
