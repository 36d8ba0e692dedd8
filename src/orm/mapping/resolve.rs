//! The registry built from declarations: each declared relationship
//! resolved against the mappers (which way it points and which columns join
//! it, worked out from the foreign keys as SQLAlchemy does) and the other
//! side of a `backref`.

use std::collections::HashMap;
use std::rc::Rc;

use crate::error::{Error, Result, did_you_mean};
use crate::orm::mapping::model::{
    Column, Direction, Mapper, ModelDecl, Registry, Relationship, RelationshipDecl,
    resolve_order_by,
};
use crate::orm::mapping::naming::camel_to_snake_case;

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
            .map(crate::orm::mapping::association::Secondary::reversed),
        post_update: forward.post_update || options.post_update,
    }
}

impl Registry {
    pub fn build(decls: Vec<ModelDecl>) -> Result<Registry> {
        Self::build_with_tables(decls, Vec::new())
    }

    /// Models and the association tables their many-to-many relationships use.
    pub fn build_with_tables(
        decls: Vec<ModelDecl>,
        tables: Vec<crate::orm::mapping::association::TableDecl>,
    ) -> Result<Registry> {
        let mut by_name = foldhash::HashMap::default();
        let mut by_table = HashMap::new();
        let mut mappers = Vec::with_capacity(decls.len());
        for (index, decl) in decls.iter().enumerate() {
            if by_name.insert(decl.name.clone(), index).is_some() {
                return Err(Error::invalid(format!(
                    "the model {} is declared twice",
                    decl.name
                )));
            }
            let table = decl
                .tablename
                .clone()
                .unwrap_or_else(|| camel_to_snake_case(&decl.name));
            if let Some(other) = by_table.insert(table.clone(), index) {
                return Err(Error::invalid(format!(
                    "{} and {} both map the table `{table}`; give one a different tablename",
                    decls[other].name, decl.name
                )));
            }
            let primary_key: Vec<usize> = decl
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| c.primary_key)
                .map(|(i, _)| i)
                .collect();
            if primary_key.is_empty() {
                return Err(Error::invalid(format!(
                    "{} has no primary key: mark a column with #{{ primary_key: true }}",
                    decl.name
                )));
            }
            mappers.push(Mapper {
                index,
                name: decl.name.clone(),
                table,
                columns: decl.columns.clone(),
                relationships: Vec::new(),
                primary_key,
                bind_key: decl.bind_key.clone(),
            });
        }
        for mapper in &mappers {
            for column in &mapper.columns {
                if let Some(fk) = &column.foreign_key {
                    let target =
                        by_table
                            .get(&fk.table)
                            .map(|&i| &mappers[i])
                            .ok_or_else(|| {
                                Error::unknown(format!(
                                    "{}.{} refers to the table `{}`, which no model maps{}",
                                    mapper.name,
                                    column.name,
                                    fk.table,
                                    did_you_mean(&fk.table, by_table.keys().map(String::as_str))
                                ))
                            })?;
                    if !target.columns.iter().any(|c| c.db_name == fk.column) {
                        return Err(Error::unknown(format!(
                            "{}.{} refers to {}.{}, which is not a column{}",
                            mapper.name,
                            column.name,
                            fk.table,
                            fk.column,
                            did_you_mean(
                                &fk.column,
                                target.columns.iter().map(|c| c.db_name.as_str())
                            )
                        )));
                    }
                }
            }
        }
        let mut relationships: Vec<Vec<Relationship>> = vec![Vec::new(); mappers.len()];
        for (index, decl) in decls.iter().enumerate() {
            for rel in &decl.relationships {
                let target = *by_name.get(&rel.target).ok_or_else(|| {
                    Error::unknown(format!(
                        "{}.{} refers to the model `{}`, which is not declared{}",
                        decl.name,
                        rel.name,
                        rel.target,
                        did_you_mean(&rel.target, by_name.keys().map(String::as_str))
                    ))
                })?;
                let forward = match &rel.secondary {
                    Some(table) => crate::orm::mapping::secondary::resolve(
                        &mappers, &tables, index, target, table, rel,
                    )?,
                    None => {
                        // back_populates pairs two declarations: a foreign_keys
                        // given on one side settles the other.
                        let partner_keys = rel
                            .back_populates
                            .as_ref()
                            .filter(|_| rel.foreign_keys.is_empty())
                            .and_then(|back| {
                                decls[target]
                                    .relationships
                                    .iter()
                                    .find(|r| r.name == *back && r.target == decl.name)
                            })
                            .map(|r| r.foreign_keys.clone())
                            .filter(|keys| !keys.is_empty());
                        match partner_keys {
                            Some(foreign_keys) => {
                                let with_keys = RelationshipDecl {
                                    foreign_keys,
                                    ..rel.clone()
                                };
                                crate::orm::mapping::resolve::resolve(
                                    &mappers, index, target, &with_keys,
                                )?
                            }
                            None => {
                                crate::orm::mapping::resolve::resolve(&mappers, index, target, rel)?
                            }
                        }
                    }
                };
                if let Some((backref_name, backref_decl)) = &rel.backref {
                    let mut reverse = crate::orm::mapping::resolve::mirror(
                        &forward,
                        index,
                        backref_name,
                        backref_decl,
                    );
                    reverse.reverse = Some(rel.name.clone());
                    let mut forward = forward;
                    forward.reverse = Some(backref_name.clone());
                    relationships[index].push(forward);
                    relationships[target].push(reverse);
                } else {
                    relationships[index].push(forward);
                }
            }
        }
        for (mapper, rels) in mappers.iter_mut().zip(relationships) {
            for rel in &rels {
                if mapper.column_index(&rel.name).is_some()
                    || rels.iter().filter(|r| r.name == rel.name).count() > 1
                {
                    return Err(Error::invalid(format!(
                        "{}.{} is declared twice (as a column or a relationship)",
                        mapper.name, rel.name
                    )));
                }
            }
            mapper.relationships = rels;
        }
        // A post_update relationship's foreign key columns, on whichever side holds them.
        let mut post_update = Vec::new();
        for mapper in &mappers {
            for rel in mapper.relationships.iter().filter(|r| r.post_update) {
                for &(local, remote) in &rel.pairs {
                    post_update.push(match rel.direction {
                        Direction::ManyToOne => (mapper.index, local),
                        _ => (rel.target, remote),
                    });
                }
            }
        }
        for (m, c) in post_update {
            mappers[m].columns[c].post_update = true;
        }
        Ok(Registry {
            mappers: mappers.into_iter().map(Rc::new).collect(),
            by_name,
            tables,
            decls,
        })
    }
}
