//! A declared relationship resolved against the mappers: which way it
//! points and which columns join it, worked out from the foreign keys (as
//! SQLAlchemy does), its `order_by`, and the other side of a `backref`.

use crate::error::{Error, Result};
use crate::orm::mapping::model::{Column, Direction, Mapper, Relationship, RelationshipDecl};

/// Work out which way a declared relationship points, from the foreign keys.
pub(super) fn resolve(
    mappers: &[Mapper],
    source: usize,
    target: usize,
    decl: &RelationshipDecl,
) -> Result<Relationship> {
    let src = &mappers[source];
    let tgt = &mappers[target];
    let allowed = |owner: &Mapper, col: &Column| {
        decl.foreign_keys.is_empty()
            || decl
                .foreign_keys
                .iter()
                .any(|f| f == &col.name || *f == format!("{}.{}", owner.name, col.name))
    };
    // Foreign keys on `from` that point at `to`, as (from column, to column) pairs.
    let fk_pairs = |from: &Mapper, to: &Mapper| -> Vec<(usize, usize)> {
        from.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| allowed(from, c))
            .filter_map(|(i, c)| {
                let fk = c.foreign_key.as_ref()?;
                if fk.table != to.table {
                    return None;
                }
                to.columns
                    .iter()
                    .position(|tc| tc.db_name == fk.column)
                    .map(|j| (i, j))
            })
            .collect()
    };
    let self_referential = source == target;
    let remote_is_pk = !decl.remote_side.is_empty()
        && decl.remote_side.iter().all(|r| {
            let col = r.rsplit('.').next().unwrap_or(r);
            tgt.primary_key.iter().any(|&p| tgt.columns[p].name == col)
        });
    let on_target = fk_pairs(tgt, src);
    let on_source = fk_pairs(src, tgt);
    let (direction, pairs) = if self_referential {
        // Without remote_side a self-reference is one-to-many, as in SQLAlchemy.
        if remote_is_pk {
            (Direction::ManyToOne, on_source)
        } else {
            (
                Direction::OneToMany,
                on_target.into_iter().map(|(t, s)| (s, t)).collect(),
            )
        }
    } else if !on_target.is_empty() && on_source.is_empty() {
        (
            Direction::OneToMany,
            on_target.into_iter().map(|(t, s)| (s, t)).collect(),
        )
    } else if !on_source.is_empty() && on_target.is_empty() {
        (Direction::ManyToOne, on_source)
    } else if on_source.is_empty() {
        return Err(Error::invalid(format!(
            "{}.{}: no foreign key links {} and {}; add a db.ForeignKey to one of them",
            src.name, decl.name, src.name, tgt.name
        )));
    } else {
        return Err(Error::invalid(format!(
            "{}.{}: {} and {} are linked by foreign keys both ways; say which with #{{ foreign_keys: [..] }}",
            src.name, decl.name, src.name, tgt.name
        )));
    };
    // Two foreign keys to the same column are two ways to link, not one
    // composite key: SQLAlchemy's AmbiguousForeignKeysError.
    let repeats = |side: Vec<usize>| (1..side.len()).any(|i| side[..i].contains(&side[i]));
    if repeats(pairs.iter().map(|&(l, _)| l).collect())
        || repeats(pairs.iter().map(|&(_, r)| r).collect())
    {
        let (owner, columns): (&Mapper, Vec<usize>) = match direction {
            Direction::ManyToOne => (src, pairs.iter().map(|&(l, _)| l).collect()),
            _ => (tgt, pairs.iter().map(|&(_, r)| r).collect()),
        };
        let names: Vec<&str> = columns
            .iter()
            .map(|&c| owner.columns[c].name.as_str())
            .collect();
        return Err(Error::invalid(format!(
            "{}.{}: {} and {} are linked by more than one foreign key ({}); say which with #{{ foreign_keys: [\"{}\"] }}",
            src.name,
            decl.name,
            src.name,
            tgt.name,
            names.join(", "),
            names[0]
        )));
    }
    let order_by = resolve_order_by(src, tgt, decl)?;
    Ok(Relationship {
        name: decl.name.clone(),
        target,
        direction,
        uselist: decl.uselist.unwrap_or(direction == Direction::OneToMany),
        pairs,
        lazy: decl.lazy,
        reverse: decl.back_populates.clone(),
        order_by,
        cascade_delete: decl.cascade_delete,
        delete_orphan: decl.delete_orphan,
        from_backref: false,
        secondary: None,
        post_update: decl.post_update,
    })
}

/// A relationship's `order_by` as (target column, descending).
pub(crate) fn resolve_order_by(
    src: &Mapper,
    tgt: &Mapper,
    decl: &RelationshipDecl,
) -> Result<Vec<(usize, bool)>> {
    decl.order_by
        .iter()
        .map(|(name, desc)| {
            let col = name.rsplit('.').next().unwrap_or(name);
            let idx = tgt.column_index(col).ok_or_else(|| {
                Error::unknown(format!(
                    "{}.{}: order_by names {name}, which {} does not have",
                    src.name, decl.name, tgt.name
                ))
            })?;
            Ok((idx, *desc))
        })
        .collect()
}

/// The other side of a relationship, for `backref`.
pub(super) fn mirror(
    forward: &Relationship,
    source: usize,
    name: &str,
    options: &RelationshipDecl,
) -> Relationship {
    let direction = match forward.direction {
        Direction::ManyToOne => Direction::OneToMany,
        Direction::OneToMany => Direction::ManyToOne,
        Direction::ManyToMany => Direction::ManyToMany,
    };
    Relationship {
        name: name.to_string(),
        target: source,
        direction,
        pairs: forward.pairs.iter().map(|&(a, b)| (b, a)).collect(),
        uselist: options.uselist.unwrap_or(direction != Direction::ManyToOne),
        lazy: options.lazy,
        reverse: None,
        order_by: Vec::new(),
        cascade_delete: options.cascade_delete,
        delete_orphan: options.delete_orphan,
        from_backref: true,
        secondary: forward
            .secondary
            .as_ref()
            .map(crate::orm::mapping::secondary::Secondary::reversed),
        post_update: forward.post_update || options.post_update,
    }
}
