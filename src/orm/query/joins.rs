//! The joins of a query: to a model along the relationship that links it
//! or on a condition, along a named relationship (`join(User.posts)`),
//! and to an alias or subquery (`join(aliased(User), ..)`, `join(sq, ..)`).

use std::rc::Rc;

use crate::error::{Error, Result};
use crate::orm::mapping::model::{Mapper, Registry, column_of};
use crate::orm::query::alias::FromItem;
use crate::orm::query::model_query::{Query, QueryJoin};
use crate::sql::{BinaryOp, Expr};

impl Query {
    /// `join(Model)` along the one relationship that links them, or `on` when given.
    pub fn join(
        self,
        registry: &Registry,
        target: &Rc<Mapper>,
        on: Option<Expr>,
        outer: bool,
    ) -> Result<Query> {
        self.join_item(registry, FromItem::table(target.clone()), on, outer)
    }

    /// `join(aliased(Model), ..)`, `join(subquery, on)`: a model's table
    /// under another name joins along the one relationship that links it
    /// when `on` is not given; a subquery needs `on`.
    pub fn join_item(
        mut self,
        registry: &Registry,
        item: FromItem,
        on: Option<Expr>,
        outer: bool,
    ) -> Result<Query> {
        let target = match (item.model(), &on) {
            (Some(m), _) => m.clone(),
            (None, Some(_)) => self.mapper.clone(),
            (None, None) => {
                return Err(Error::invalid(format!(
                    "join({}) needs the condition to join on: join(sq, Model.id == sq.c.model_id)",
                    item.describe()
                )));
            }
        };
        if on.is_none() && !item.is_plain() {
            return self.join_alias_along_relationship(registry, item, &target, outer);
        }
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
                    Some(_) if self.from.is_some() => {
                        return Err(Error::invalid(format!(
                            "join({}) from {}: a many-to-many join from an alias or subquery is not supported by ormsh; give the condition, or start from {}",
                            target.name,
                            self.reads().describe(),
                            self.mapper.name
                        )));
                    }
                    Some(sec) => {
                        self.table_joins
                            .push(sec.join_from_source(&self.mapper, outer));
                        sec.target_condition(&target)
                    }
                    None => self.join_condition(registry, &target)?,
                }
            }
        };
        self.push_join(QueryJoin { item, on, outer })
    }

    /// `join(aliased(Model))`: along the one relationship (not through an
    /// association table) that links the query's models to the model.
    fn join_alias_along_relationship(
        self,
        registry: &Registry,
        item: FromItem,
        target: &Rc<Mapper>,
        outer: bool,
    ) -> Result<Query> {
        let on = self
            .join_condition_to(registry, target, Some(&item))
            .map_err(|e| {
                Error::invalid(format!(
                    "join({}): {e}; give the condition, e.g. join(alias, Model.parent_id == alias.id)",
                    item.describe()
                ))
            })?;
        self.push_join(QueryJoin { item, on, outer })
    }

    /// `join(User.posts)`: along relationship `rel` of `owner`, the query's
    /// model or one joined already, to the relationship's target.
    pub fn join_along(
        self,
        registry: &Registry,
        owner: &Rc<Mapper>,
        rel: usize,
        outer: bool,
    ) -> Result<Query> {
        self.join_along_as(registry, owner, rel, None, outer)
    }

    /// `join(alias, User.posts)`: along the relationship, to its target
    /// read as `alias` (an `aliased(..)` of the target) when given.
    pub fn join_along_as(
        self,
        registry: &Registry,
        owner: &Rc<Mapper>,
        rel: usize,
        alias: Option<FromItem>,
        outer: bool,
    ) -> Result<Query> {
        self.join_along_from(registry, None, owner, rel, alias, outer)
    }

    /// `join(u.posts)` for `u = aliased(User)`: along the relationship of
    /// `source` (an alias of `owner` the query reads or has joined; `None`:
    /// `owner`'s own table), to its target (read as `alias` when given).
    pub fn join_along_from(
        mut self,
        registry: &Registry,
        source: Option<&FromItem>,
        owner: &Rc<Mapper>,
        rel: usize,
        alias: Option<FromItem>,
        outer: bool,
    ) -> Result<Query> {
        let relationship = &owner.relationships[rel];
        let target = registry.mappers[relationship.target].clone();
        let path = match source {
            Some(s) => format!("{}.{}", s.describe(), relationship.name),
            None => format!("{}.{}", owner.name, relationship.name),
        };
        if let Some(a) = &alias
            && a.model().is_none_or(|m| m.index != target.index)
        {
            return Err(Error::invalid(format!(
                "join({}, {path}): {path} leads to {}",
                a.describe(),
                target.name
            )));
        }
        let in_query = |m: &Mapper| {
            (self.mapper.index == m.index && self.from.is_none())
                || self
                    .joins
                    .iter()
                    .any(|j| j.plain_model().is_some_and(|t| t.index == m.index))
        };
        match source {
            Some(s) => {
                let name = s.name();
                if self.reads().name() != name && !self.joins.iter().any(|j| j.item.name() == name)
                {
                    return Err(Error::invalid(format!(
                        "join({path}): {} is not in the query; join it first",
                        s.describe()
                    )));
                }
            }
            None if !in_query(owner) => {
                return Err(Error::invalid(format!(
                    "join({path}): {} is not in the query; join {} first",
                    owner.name, owner.name
                )));
            }
            None => {}
        }
        if alias.as_ref().is_none_or(FromItem::is_plain) && in_query(&target) {
            return Err(Error::invalid(format!(
                "join({path}): {} is in the query already; join it again under another name: m = db.aliased({}), then join(m, <condition>)",
                target.name, target.name
            )));
        }
        let item = alias.unwrap_or_else(|| FromItem::table(target.clone()));
        let on = match &relationship.secondary {
            Some(_) if source.is_some() => {
                return Err(Error::invalid(format!(
                    "join({path}): a many-to-many join from an alias is not supported by ormsh; give the condition through the association table"
                )));
            }
            Some(_) if !item.is_plain() => {
                return Err(Error::invalid(format!(
                    "join({}, {path}): a many-to-many join into an alias is not supported by ormsh; give the condition through the association table",
                    item.describe()
                )));
            }
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
                        let left = match source {
                            Some(s) => s.column(owner, l),
                            None => column_of(owner, l),
                        };
                        Expr::binary(BinaryOp::Eq, left, item.column(&target, r))
                    })
                    .collect(),
            ),
        };
        self.push_join(QueryJoin { item, on, outer })
    }

    fn push_join(mut self, join: QueryJoin) -> Result<Query> {
        self.joins.push(join);
        Ok(self)
    }

    fn join_condition(&self, registry: &Registry, target: &Rc<Mapper>) -> Result<Expr> {
        self.join_condition_to(registry, target, None)
    }

    /// The condition of the one relationship that links the query's
    /// models to `target`, read from `alias` when given.
    fn join_condition_to(
        &self,
        registry: &Registry,
        target: &Rc<Mapper>,
        alias: Option<&FromItem>,
    ) -> Result<Expr> {
        let to = alias
            .cloned()
            .unwrap_or_else(|| FromItem::table(target.clone()));
        let sources =
            std::iter::once(self.reads()).chain(self.joins.iter().map(|j| j.item.clone()));
        let mut found: Vec<Expr> = Vec::new();
        for from in sources {
            let Some(source) = from.model() else { continue };
            for rel in source
                .relationships
                .iter()
                .filter(|r| r.target == target.index)
            {
                if rel.secondary.is_some() && alias.is_some() {
                    continue;
                }
                let parts = rel
                    .pairs
                    .iter()
                    .map(|&(l, r)| {
                        Expr::binary(BinaryOp::Eq, from.column(source, l), to.column(target, r))
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
}
