//! Filters that compare along a relationship, as SQLAlchemy's relationship
//! operators compile them: `Post.author == u` (the foreign key columns
//! against `u`'s key; `!=` is "differs or is NULL", `== None` is IS NULL),
//! `User.posts.contains(p)` and `with_parent(u, User.posts)` (the key
//! against the values the other object holds), and `User.posts.any(..)` /
//! `Post.author.has(..)`: `EXISTS (SELECT * FROM post WHERE user.id =
//! post.user_id AND ..)`, through the association table for many-to-many,
//! correlated to the enclosing query's table. What needs an alias (a
//! relationship of a model to itself) is refused, not approximated.

use crate::error::{Error, Result};
use crate::orm::mapping::model::{Direction, Mapper, column_of};
use crate::sql::{BinaryOp, Expr, Join, Select, TableRef, Value};

/// The columns of each side a relationship joins on:
/// (owner's column, target's column).
fn pairs(owner: &Mapper, rel: usize, what: &str) -> Result<Vec<(usize, usize)>> {
    let r = &owner.relationships[rel];
    if r.direction == Direction::ManyToMany {
        return Err(Error::invalid(format!(
            "{what}: {}.{} is many-to-many, which needs a subquery; use any() / has() instead",
            owner.name, r.name
        )));
    }
    Ok(r.pairs.clone())
}

/// `owner.rel == other` (`negated`: `!=`), `other` given as the values of
/// its columns that the relationship refers to (in `target_columns()`
/// order), `None` for `== None`.
pub fn equals(
    owner: &Mapper,
    target: &Mapper,
    rel: usize,
    other: Option<&[Value]>,
    negated: bool,
) -> Result<Expr> {
    let r = &owner.relationships[rel];
    let what = format!(
        "{}.{} {} ..",
        owner.name,
        r.name,
        if negated { "!=" } else { "==" }
    );
    if r.direction != Direction::ManyToOne {
        return Err(Error::invalid(format!(
            "{what}: {}.{} is a collection; compare with contains(obj) or any(..)",
            owner.name, r.name
        )));
    }
    let pairs = pairs(owner, rel, &what)?;
    let parts = pairs
        .iter()
        .enumerate()
        .map(|(i, &(l, t))| {
            let column = column_of(owner, l);
            let null = |negated| Expr::IsNull {
                expr: Box::new(column_of(owner, l)),
                negated,
            };
            match other {
                None => null(negated),
                Some(values) => {
                    let bind = Expr::Bind(values[i].clone(), Some(target.columns[t].ty.clone()));
                    if negated {
                        Expr::binary(
                            BinaryOp::Or,
                            Expr::binary(BinaryOp::Ne, column, bind),
                            null(false),
                        )
                    } else {
                        Expr::binary(BinaryOp::Eq, column, bind)
                    }
                }
            }
        })
        .collect();
    Ok(if negated && other.is_some() {
        Expr::or_all(parts)
    } else {
        Expr::and_all(parts)
    })
}

/// The target's columns a many-to-one relationship refers to, in the order
/// `equals` takes their values.
pub fn target_columns(owner: &Mapper, rel: usize) -> Vec<usize> {
    owner.relationships[rel]
        .pairs
        .iter()
        .map(|&(_, t)| t)
        .collect()
}

/// `owner.rel.contains(item)` for a one-to-many collection, `item`'s values
/// of the columns that refer to the owner given (in `item_columns()` order):
/// the owner's key equal to them.
pub fn contains(owner: &Mapper, rel: usize, item: &[Value]) -> Result<Expr> {
    let r = &owner.relationships[rel];
    let what = format!("{}.{}.contains(..)", owner.name, r.name);
    if r.direction != Direction::OneToMany {
        return Err(Error::invalid(format!(
            "{what}: {}.{} is not a one-to-many collection; compare with == (or any() for many-to-many)",
            owner.name, r.name
        )));
    }
    let pairs = pairs(owner, rel, &what)?;
    Ok(Expr::and_all(
        pairs
            .iter()
            .enumerate()
            .map(|(i, &(o, _))| {
                Expr::binary(
                    BinaryOp::Eq,
                    column_of(owner, o),
                    Expr::Bind(item[i].clone(), Some(owner.columns[o].ty.clone())),
                )
            })
            .collect(),
    ))
}

/// The item's columns `contains` takes the values of.
pub fn item_columns(owner: &Mapper, rel: usize) -> Vec<usize> {
    owner.relationships[rel]
        .pairs
        .iter()
        .map(|&(_, t)| t)
        .collect()
}

/// `with_parent(parent, Parent.rel)` on a query of the relationship's
/// target: its columns equal to the parent's values (given in
/// `parent_columns()` order).
pub fn with_parent(parent: &Mapper, rel: usize, target: &Mapper, values: &[Value]) -> Result<Expr> {
    let r = &parent.relationships[rel];
    let what = format!("with_parent(.., {}.{})", parent.name, r.name);
    let pairs = pairs(parent, rel, &what)?;
    Ok(Expr::and_all(
        pairs
            .iter()
            .enumerate()
            .map(|(i, &(p, t))| {
                Expr::binary(
                    BinaryOp::Eq,
                    column_of(target, t),
                    Expr::Bind(values[i].clone(), Some(parent.columns[p].ty.clone())),
                )
            })
            .collect(),
    ))
}

/// The parent's columns `with_parent` takes the values of.
pub fn parent_columns(parent: &Mapper, rel: usize) -> Vec<usize> {
    parent.relationships[rel]
        .pairs
        .iter()
        .map(|&(p, _)| p)
        .collect()
}

/// `owner.rel.any(criterion)` (a collection) or `owner.rel.has(criterion)`
/// (`has`: a many-to-one), as SQLAlchemy's EXISTS, `criterion` on the
/// target's columns.
pub fn exists(
    owner: &Mapper,
    target: &Mapper,
    rel: usize,
    criterion: Option<Expr>,
    has: bool,
) -> Result<Expr> {
    let r = &owner.relationships[rel];
    let what = format!(
        "{}.{}.{}(..)",
        owner.name,
        r.name,
        if has { "has" } else { "any" }
    );
    match (has, r.direction) {
        (true, Direction::ManyToOne) | (false, Direction::OneToMany | Direction::ManyToMany) => {}
        (true, _) => {
            return Err(Error::invalid(format!(
                "{what}: {}.{} is a collection; use any()",
                owner.name, r.name
            )));
        }
        (false, _) => {
            return Err(Error::invalid(format!(
                "{what}: {}.{} is one object; use has()",
                owner.name, r.name
            )));
        }
    }
    if owner.from_table() == target.from_table() {
        return Err(Error::invalid(format!(
            "{what}: {}.{} leads back to {}'s own table, which needs an alias that ormsh does not make yet",
            owner.name, r.name, owner.name
        )));
    }
    let (joins, link) = match &r.secondary {
        Some(sec) => (
            vec![Join {
                table: TableRef::new(&sec.table),
                on: sec.target_condition(target),
                outer: false,
            }],
            sec.join_from_source(owner, false).on,
        ),
        None => (
            Vec::new(),
            Expr::and_all(
                r.pairs
                    .iter()
                    .map(|&(o, t)| {
                        Expr::binary(BinaryOp::Eq, column_of(owner, o), column_of(target, t))
                    })
                    .collect(),
            ),
        ),
    };
    // A subclass target: its rows only.
    let only = target.polymorphic_criterion(None);
    let filter = Expr::and_all(std::iter::once(link).chain(criterion).chain(only).collect());
    Ok(Expr::Exists(Box::new(Select {
        columns: vec![Expr::Star],
        from: Some(TableRef::new(target.from_table())),
        joins: target.inherited_joins().into_iter().chain(joins).collect(),
        filter: Some(filter),
        ..Select::default()
    })))
}
