//! SQLAlchemy 2.0's `select(..)` as plain data: what each row holds (models
//! and column expressions, in order) over a `Query` that keeps the FROM,
//! the joins, the filters and the rest of the chain. Running it is the
//! session's (`Session::execute_select`).

use std::rc::Rc;

use crate::error::{Error, Result};
use crate::orm::mapping::model::{Mapper, Registry, column_of};
use crate::orm::query::alias::{FromItem, known_alias, known_subquery};
use crate::orm::query::model_query::Query;
use crate::sql::{Expr, Select};

/// One thing a row of a select holds.
#[derive(Debug, Clone)]
pub enum Entity {
    /// An object of this model (`select(User)`).
    Model(Rc<Mapper>),
    /// An object of a model read from an alias or a subquery
    /// (`select(aliased(User))`).
    Alias(FromItem),
    /// A value, under the name the row gives it (`User.username` is
    /// `username`, `func.count(..)` is `count`, a label its label).
    Column { name: String, expr: Expr },
}

impl Entity {
    /// A column entity named as SQLAlchemy names it in a row.
    pub fn column(expr: Expr) -> Entity {
        Entity::Column {
            name: column_name(&expr),
            expr,
        }
    }

    /// The name a row gives it (`row.User`, `row.username`): empty for an
    /// alias of no name (`aliased(User)`), which SQLAlchemy's row gives no
    /// key (`row._fields` leaves it out; it is read by position).
    pub fn name(&self) -> String {
        match self {
            Entity::Model(m) => m.name.clone(),
            Entity::Alias(a) if crate::sql::anon::is_anonymous(a.name()) => String::new(),
            Entity::Alias(a) => a.name().to_string(),
            Entity::Column { name, .. } => name.clone(),
        }
    }

    /// The model whose objects it holds, and where it reads them.
    pub fn model(&self) -> Option<(&Rc<Mapper>, FromItem)> {
        match self {
            Entity::Model(m) => Some((m, FromItem::table(m.clone()))),
            Entity::Alias(a) => a.model().map(|m| (m, a.clone())),
            Entity::Column { .. } => None,
        }
    }
}

/// The key SQLAlchemy gives a column expression in a row.
pub fn column_name(expr: &Expr) -> String {
    match expr {
        Expr::Column(c) => c.column.clone(),
        Expr::Label { name, .. } => name.clone(),
        Expr::Func { name, .. } => name.clone(),
        Expr::Ordering { expr, .. } => column_name(expr),
        _ => "anon_1".into(),
    }
}

/// The tables an expression reads columns of.
fn tables_of(expr: &Expr, out: &mut Vec<String>) {
    let mut add = |t: &str| {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    };
    match expr {
        Expr::Column(c) => add(&c.table),
        // A subquery's tables are its own, or correlated to the enclosing query's.
        Expr::Bind(..) | Expr::Bool(_) | Expr::Star | Expr::Subquery(_) | Expr::Exists(_) => {}
        Expr::Binary { left, right, .. } => {
            tables_of(left, out);
            tables_of(right, out);
        }
        Expr::InSelect { expr, .. } => tables_of(expr, out),
        Expr::Not(e)
        | Expr::IsNull { expr: e, .. }
        | Expr::LikeEscaped { expr: e, .. }
        | Expr::Label { expr: e, .. }
        | Expr::NullsOrder { expr: e, .. }
        | Expr::Ordering { expr: e, .. } => tables_of(e, out),
        Expr::Over {
            expr,
            partition_by,
            order_by,
        } => {
            tables_of(expr, out);
            partition_by
                .iter()
                .chain(order_by)
                .for_each(|e| tables_of(e, out));
        }
        Expr::InList { expr, list, .. } => {
            tables_of(expr, out);
            list.iter().for_each(|e| tables_of(e, out));
        }
        Expr::Between { expr, low, high } => {
            tables_of(expr, out);
            tables_of(low, out);
            tables_of(high, out);
        }
        Expr::Func { args, .. } => args.iter().for_each(|e| tables_of(e, out)),
        Expr::Case {
            operand,
            whens,
            else_,
        } => {
            operand.iter().chain(else_).for_each(|e| tables_of(e, out));
            for (w, t) in whens {
                tables_of(w, out);
                tables_of(t, out);
            }
        }
    }
}

/// `select(User)`, `select(User.username, func.count(Post.id))`, `select(User, Post)`.
#[derive(Debug, Clone)]
pub struct SelectStatement {
    pub(crate) entities: Vec<Entity>,
    /// The FROM (the first entity's model), joins, filters, order, limits
    /// and loader options.
    pub(crate) query: Query,
    /// No entity names a table (`select(func.count())`, `select(q.exists())`):
    /// a SELECT with no FROM, as SQLAlchemy writes it, until
    /// `select_from(..)` gives one; `query` holds a stand-in meanwhile.
    from_missing: bool,
}

const NO_FROM: &str = "this select names no model's column, so it reads from no table: add .select_from(Model) right after db.select(..), before where(..) and the rest";

impl SelectStatement {
    /// A select of `entities`, FROM the table of the first one that names
    /// a model or a model's column (SQLAlchemy's leftmost entity).
    pub fn new(registry: &Registry, entities: Vec<Entity>) -> Result<SelectStatement> {
        if entities.is_empty() {
            return Err(Error::invalid(
                "select() needs something to select: a model (select(User)) or columns (select(User.id, User.username))",
            ));
        }
        let mut tables = Vec::new();
        let mut from = None;
        for e in &entities {
            match e {
                Entity::Model(m) => {
                    from = Some(Query::new(m.clone()));
                    break;
                }
                Entity::Alias(a) => {
                    from = Some(Query::new(a.mapper()?.clone()).reading(a.clone()));
                    break;
                }
                Entity::Column { expr, .. } => {
                    tables_of(expr, &mut tables);
                    // A column of an alias (`select(m.name)`): FROM the alias.
                    if let Some(item) = tables.first().and_then(|t| known_alias(t)) {
                        from = Some(Query::new(item.mapper()?.clone()).reading(item));
                        break;
                    }
                    if let Expr::Column(c) = expr
                        && let Some(via) = c.via
                    {
                        // The column's model (a subclass, a model on a bind).
                        from = Some(Query::new(registry.mapper(via).clone()));
                        break;
                    }
                    if let Some(t) = tables.first() {
                        from = match registry.mappers.iter().find(|m| &m.table == t) {
                            Some(m) => Some(Query::new(m.clone())),
                            None => known_subquery(t).map(|sq| {
                                let item = FromItem::subquery(sq.clone(), None)
                                    .expect("a subquery with no model");
                                Query::new(sq.mapper().clone()).reading(item)
                            }),
                        };
                        if from.is_some() {
                            break;
                        }
                    }
                }
            }
        }
        let from_missing = from.is_none();
        let query = match from {
            Some(q) => q,
            None => match registry.mappers.first() {
                Some(m) => Query::new(m.clone()),
                None => return Err(Error::invalid(NO_FROM)),
            },
        };
        Ok(SelectStatement {
            entities,
            query,
            from_missing,
        })
    }

    /// `select_from(Model)`: read FROM this model's table.
    pub fn select_from(self, mapper: Rc<Mapper>) -> Result<SelectStatement> {
        self.select_from_item(FromItem::table(mapper))
    }

    /// `select_from(alias)`, `select_from(subquery)`.
    pub fn select_from_item(mut self, item: FromItem) -> Result<SelectStatement> {
        if !self.query.joins.is_empty() || !self.query.filters.is_empty() {
            return Err(Error::invalid(
                "select_from() goes before join(), where() and the rest: db.select(..).select_from(Model).join(..)",
            ));
        }
        let mapper = match (item.model(), item.subquery_of()) {
            (Some(m), _) => m.clone(),
            (None, Some(sq)) => sq.mapper().clone(),
            (None, None) => return Err(Error::invalid(NO_FROM)),
        };
        self.query = if item.is_plain() {
            Query::new(mapper)
        } else {
            Query::new(mapper).reading(item)
        };
        self.from_missing = false;
        Ok(self)
    }

    /// The same select with its query refined by `f` (`where`, `join`, ..).
    pub fn refine(mut self, f: impl FnOnce(Query) -> Result<Query>) -> Result<SelectStatement> {
        if self.from_missing {
            return Err(Error::invalid(NO_FROM));
        }
        self.query = f(self.query)?;
        Ok(self)
    }

    pub fn query(&self) -> &Query {
        &self.query
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// The names of the row's items; a column's name made unique as
    /// SQLAlchemy makes it (`id`, `id_1`).
    pub fn column_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(self.entities.len());
        for e in &self.entities {
            let name = match e {
                Entity::Column { .. } => crate::orm::query::subquery::unique_name(&out, &e.name()),
                _ => e.name(),
            };
            out.push(name);
        }
        out
    }

    /// The SELECT this statement is as a subquery (`scalar_subquery()`,
    /// `exists()`).
    pub fn to_subquery(&self) -> Result<Select> {
        self.check_subquery_from()?;
        Ok(self.to_select().0)
    }

    /// The model when the select is of its objects alone, read from
    /// the FROM (`select(User)`, `select(aliased(User))`).
    pub fn single_model(&self) -> Option<&Rc<Mapper>> {
        match self.entities.as_slice() {
            [Entity::Model(m)]
                if m.index == self.query.mapper.index && self.query.from.is_none() =>
            {
                Some(m)
            }
            [Entity::Alias(a)]
                if self
                    .query
                    .from
                    .as_ref()
                    .is_some_and(|f| f.name() == a.name()) =>
            {
                a.model()
            }
            _ => None,
        }
    }

    /// The column expressions, when every entity is one.
    pub fn column_entities(&self) -> Option<Vec<(String, Expr)>> {
        self.entities
            .iter()
            .map(|e| match e {
                Entity::Column { name, expr } => Some((name.clone(), expr.clone())),
                Entity::Model(_) | Entity::Alias(_) => None,
            })
            .collect()
    }

    /// The select a `Model.query` chain is (`q.subquery()`, `q.union(..)`,
    /// a write-only relationship's `select()`): its model's objects, or
    /// its `with_entities(..)` columns.
    pub fn of_query(query: Query) -> SelectStatement {
        let entities = match &query.entities {
            Some(cols) => cols
                .iter()
                .map(|(name, expr)| Entity::Column {
                    name: name.clone(),
                    expr: expr.clone(),
                })
                .collect(),
            None => match &query.from {
                Some(item) => vec![Entity::Alias(item.clone())],
                None => vec![Entity::Model(query.mapper.clone())],
            },
        };
        let mut query = query;
        query.entities = None;
        SelectStatement {
            entities,
            query,
            from_missing: false,
        }
    }

    /// The `Model.query` that gives the same rows, where there is one: a
    /// select of one model, or of columns alone.
    pub fn as_query(&self) -> Option<Query> {
        // A select of no table (`query(q.exists())`) has no model's chain.
        if self.from_missing {
            return None;
        }
        if self.single_model().is_some() {
            return Some(self.query.clone());
        }
        self.column_entities()
            .map(|cols| self.query.clone().with_entities(cols))
    }

    /// Every table the entities read must be in the FROM or joined: a
    /// table that is not would be a cartesian product, which ormsh does
    /// not write (SQLAlchemy warns of it).
    pub fn check_from(&self) -> Result<()> {
        self.check_tables(true)
    }

    /// `check_from` for a subquery: its filters may read the enclosing
    /// query's tables (correlation), its entities may not.
    pub fn check_subquery_from(&self) -> Result<()> {
        self.check_tables(false)
    }

    fn check_tables(&self, with_filters: bool) -> Result<()> {
        if self.from_missing {
            return Ok(());
        }
        // A model's tables: its own, and under joined-table inheritance those it joins.
        let tables_of_model = |m: &'_ Mapper| -> Vec<String> {
            std::iter::once(m.table.clone())
                .chain(
                    m.inheritance
                        .iter()
                        .flat_map(|i| i.tables.iter().map(|t| t.name.clone())),
                )
                .collect()
        };
        // What the FROM and each join read under: a model's tables, or the
        // name of an alias or subquery.
        let tables_of_item = |item: &FromItem| -> Vec<String> {
            match item.model() {
                Some(m) if item.is_plain() => tables_of_model(m),
                _ => item.names(),
            }
        };
        let from = self.query.reads();
        let mut owned: Vec<String> = tables_of_item(&from);
        for j in &self.query.joins {
            owned.extend(tables_of_item(&j.item));
        }
        let mut present: Vec<&str> = owned.iter().map(String::as_str).collect();
        present.extend(self.query.table_joins.iter().map(|j| j.table.name.as_str()));
        let mut wanted = Vec::new();
        for e in &self.entities {
            match e {
                Entity::Model(m) => {
                    for t in tables_of_model(m) {
                        if !wanted.contains(&t) {
                            wanted.push(t);
                        }
                    }
                }
                Entity::Alias(a) => {
                    if !wanted.iter().any(|w| w == a.name()) {
                        wanted.push(a.name().to_string());
                    }
                }
                Entity::Column { expr, .. } => tables_of(expr, &mut wanted),
            }
        }
        if with_filters {
            for f in &self.query.filters {
                tables_of(f, &mut wanted);
            }
        }
        match wanted.iter().find(|t| !present.contains(&t.as_str())) {
            None => Ok(()),
            Some(t) => {
                let named = |n: &str| match crate::sql::anon::is_anonymous(n) {
                    true => format!("an alias of `{}`", crate::sql::anon::shown(n)),
                    false => format!("`{n}`"),
                };
                let (t, f) = (named(t), named(from.name()));
                Err(Error::invalid(format!(
                    "this select reads {t} without joining it to {f} (a cartesian product, which ormsh does not write): add .join(..) to {t}"
                )))
            }
        }
    }

    /// The SELECT of every entity's columns, in order (a model's columns
    /// where it stands), with the types to decode them by; each model's
    /// columns start at the offset given.
    pub(crate) fn to_select(&self) -> (Select, Vec<Option<crate::sql::ColumnType>>, Vec<usize>) {
        let mut select = self.query.to_select();
        let mut columns = Vec::new();
        let mut types = Vec::new();
        let mut offsets = Vec::new();
        for e in &self.entities {
            offsets.push(columns.len());
            match e {
                Entity::Model(m) => {
                    for (i, c) in m.columns.iter().enumerate() {
                        columns.push(column_of(m, i));
                        types.push(Some(c.ty.clone()));
                    }
                }
                Entity::Alias(a) => {
                    if let Some(m) = a.model() {
                        for (i, c) in m.columns.iter().enumerate() {
                            columns.push(a.column(m, i));
                            types.push(Some(c.ty.clone()));
                        }
                    }
                }
                Entity::Column { expr, .. } => {
                    types.push(expr.type_hint().cloned());
                    columns.push(expr.clone());
                }
            }
        }
        select.columns = columns;
        if self.from_missing {
            select.from = None;
        }
        (select, types, offsets)
    }
}
