//! The registry built from declarations: each declared relationship
//! resolved against the mappers (which way it points and which columns join
//! it, worked out from the foreign keys as SQLAlchemy does) and the other
//! side of a `backref`.

use std::collections::HashMap;
use std::rc::Rc;

use crate::error::{Error, Result, did_you_mean};
use crate::orm::mapping::association::TableDecl;
use crate::orm::mapping::model::{
    Column, Direction, Lazy, Mapper, ModelDecl, Registry, Relationship, RelationshipDecl,
    resolve_order_by,
};
use crate::orm::mapping::naming::camel_to_snake_case;
use crate::orm::mapping::naming_convention::NamingConvention;
use crate::orm::mapping::{back_populates, constraints, declared_join, inheritance, secondary};

/// Work out which way a declared relationship points: from its
/// `primaryjoin` where it has one, else from the foreign keys.
pub(super) fn resolve(
    mappers: &[Mapper],
    source: usize,
    target: usize,
    decl: &RelationshipDecl,
) -> Result<Relationship> {
    let src = &mappers[source];
    let tgt = &mappers[target];
    declared_join::check_column_names(src, tgt, decl)
        .map_err(|why| Error::invalid(format!("{}.{}: {why}", src.name, decl.name)))?;
    let (direction, pairs) = match &decl.primaryjoin {
        Some(text) => declared_join::resolve(mappers, source, target, text, decl)?,
        None => from_foreign_keys(src, tgt, decl)?,
    };
    // Two foreign keys to the same column are two ways to link, not one
    // composite key: SQLAlchemy's AmbiguousForeignKeysError. So are two
    // keys of models.py's columns (each its own constraint) with nothing
    // that says which.
    let repeats = |side: Vec<usize>| (1..side.len()).any(|i| side[..i].contains(&side[i]));
    let separate_keys =
        pairs.len() > 1 && decl.primaryjoin.is_none() && decl.foreign_keys.is_empty() && {
            let (owner, columns): (&Mapper, Vec<usize>) = match direction {
                Direction::ManyToOne => (src, pairs.iter().map(|&(l, _)| l).collect()),
                _ => (tgt, pairs.iter().map(|&(_, r)| r).collect()),
            };
            columns.iter().any(|&c| {
                owner.columns[c]
                    .foreign_key
                    .as_ref()
                    .is_some_and(|k| !k.merges)
            })
        };
    if separate_keys
        || repeats(pairs.iter().map(|&(l, _)| l).collect())
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
        target_spans_tables: false,
        viewonly: decl.viewonly,
        passive_deletes: decl.passive_deletes,
    })
}

/// Which way a relationship points and the columns that join it, from
/// the foreign keys between the two models (those `foreign_keys` names,
/// when it names some).
fn from_foreign_keys(
    src: &Mapper,
    tgt: &Mapper,
    decl: &RelationshipDecl,
) -> Result<(Direction, Vec<(usize, usize)>)> {
    let allowed = |owner: &Mapper, col: &Column| {
        decl.foreign_keys.is_empty()
            || decl
                .foreign_keys
                .iter()
                .any(|f| declared_join::names_column(f, owner, col))
    };
    // Foreign keys on `from` that point at `to`, as (from column, to column) pairs.
    let fk_pairs = |from: &Mapper, to: &Mapper| -> Vec<(usize, usize)> {
        if from.bind_key != to.bind_key {
            return Vec::new();
        }
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
    let self_referential = src.index == tgt.index;
    let on_target = fk_pairs(tgt, src);
    let on_source = fk_pairs(src, tgt);
    let remote = |c: usize| {
        decl.remote_side
            .iter()
            .any(|r| declared_join::names_column(r, tgt, &tgt.columns[c]))
    };
    Ok(if self_referential {
        // (foreign key, the column it refers to), both of this one model:
        // remote_side says which end is the target's. Without it a
        // self-reference is one-to-many, as in SQLAlchemy.
        if decl.remote_side.is_empty() {
            (
                Direction::OneToMany,
                on_target.into_iter().map(|(t, s)| (s, t)).collect(),
            )
        } else if !on_source.is_empty() && on_source.iter().all(|&(_, r)| remote(r)) {
            (Direction::ManyToOne, on_source)
        } else if !on_target.is_empty() && on_target.iter().all(|&(t, _)| remote(t)) {
            (
                Direction::OneToMany,
                on_target.into_iter().map(|(t, s)| (s, t)).collect(),
            )
        } else {
            return Err(Error::invalid(format!(
                "{}.{}: remote_side names {}, which is neither end of {}'s foreign keys to itself; name the column the key refers to (Model.id) for the parent, or the key for the children",
                src.name,
                decl.name,
                decl.remote_side.join(", "),
                tgt.name
            )));
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
    })
}

/// One declared relationship resolved: through its association table, or
/// directly, where back_populates pairs two declarations and a
/// `foreign_keys` given on one side settles the other.
fn resolve_declared(
    mappers: &[Mapper],
    tables: &[TableDecl],
    decls: &[ModelDecl],
    index: usize,
    target: usize,
    rel: &RelationshipDecl,
) -> Result<Relationship> {
    if rel.viewonly && (rel.cascade_delete || rel.delete_orphan) {
        return Err(Error::invalid(format!(
            "{}.{}: a viewonly relationship writes nothing, so it cannot cascade deletes (SQLAlchemy refuses it too); drop the cascade or viewonly",
            mappers[index].name, rel.name
        )));
    }
    if let Some(table) = &rel.secondary {
        return secondary::resolve(mappers, tables, index, target, table, rel);
    }
    let partner_keys = rel
        .back_populates
        .as_ref()
        .filter(|_| rel.foreign_keys.is_empty() && rel.primaryjoin.is_none())
        .and_then(|back| {
            decls[target]
                .relationships
                .iter()
                .find(|r| r.name == *back && r.target == decls[index].name)
        })
        .map(|r| r.foreign_keys.clone())
        .filter(|keys| !keys.is_empty());
    match partner_keys {
        Some(foreign_keys) => {
            let with_keys = RelationshipDecl {
                foreign_keys,
                ..rel.clone()
            };
            resolve(mappers, index, target, &with_keys)
        }
        None => resolve(mappers, index, target, rel),
    }
}

/// An error of the declaration at `line` of the models file, located there.
fn at(line: Option<usize>, e: Error) -> Error {
    match (line, e) {
        (Some(line), Error::Invalid(message) | Error::Unknown(message)) => {
            Error::Declaration { line, message }
        }
        (_, e) => e,
    }
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
        target_spans_tables: false,
        viewonly: forward.viewonly || options.viewonly,
        passive_deletes: options.passive_deletes,
    }
}

impl Registry {
    pub fn build(decls: Vec<ModelDecl>) -> Result<Registry> {
        Self::build_with_tables(decls, Vec::new())
    }

    /// Models and the association tables their many-to-many relationships use.
    pub fn build_with_tables(decls: Vec<ModelDecl>, tables: Vec<TableDecl>) -> Result<Registry> {
        Self::build_with_convention(decls, tables, NamingConvention::default())
    }

    /// As `build_with_tables`, constraints and indexes named by `convention`
    /// (`MetaData(naming_convention=...)`).
    pub fn build_with_convention(
        decls: Vec<ModelDecl>,
        mut tables: Vec<TableDecl>,
        convention: NamingConvention,
    ) -> Result<Registry> {
        let effective = inheritance::expand(&decls)?;
        let mut by_name = foldhash::HashMap::default();
        let mut by_table = HashMap::new();
        let mut mappers: Vec<Mapper> = Vec::with_capacity(decls.len());
        for (index, decl) in effective.iter().enumerate() {
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
            // A model that derives from another shares its key, and its
            // table unless it has one of its own (joined-table inheritance).
            let parent = decl.inheritance.inherits.as_ref().map(|p| by_name[p]);
            let joined = &decl.inheritance.joined_key;
            // A table name is one table per bind (each bind has its own
            // MetaData in Flask-SQLAlchemy 3).
            if (parent.is_none() || !joined.is_empty())
                && let Some(other) = by_table.insert((decl.bind_key.clone(), table.clone()), index)
            {
                return Err(Error::invalid(format!(
                    "{} and {} both map the table `{table}`; give one a different tablename",
                    decls[other].name, decl.name
                )));
            }
            let inherited = parent.map_or(0, |p: usize| mappers[p].columns.len());
            let mut columns = decl.columns.clone();
            let mut constraints = decl.constraints.clone();
            let declared_key = constraints::resolve(
                &format!("{}.__table_args__", decl.name),
                &mut columns,
                &mut constraints,
            )?;
            let primary_key: Vec<usize> = match parent {
                Some(p) => mappers[p].primary_key.clone(),
                None => declared_key.unwrap_or_else(|| {
                    columns
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.primary_key)
                        .map(|(i, _)| i)
                        .collect()
                }),
            };
            if primary_key.is_empty() {
                return Err(Error::invalid(format!(
                    "{} has no primary key: mark a column with #{{ primary_key: true }}",
                    decl.name
                )));
            }
            // A subclass's own columns make constraints in its table (with
            // its key, where the table is its own); the parent's are made
            // in the parent's.
            let in_table: Vec<Column> = joined
                .iter()
                .chain(&columns[inherited..])
                .cloned()
                .collect();
            let own_key: Vec<usize> = match parent {
                Some(_) => (0..joined.len()).collect(),
                None => primary_key.clone(),
            };
            constraints::apply_convention(
                &format!("{}.__table_args__", decl.name),
                &table,
                &in_table,
                &mut constraints,
                &own_key,
                &convention,
            )?;
            mappers.push(Mapper {
                index,
                name: decl.name.clone(),
                table,
                columns,
                relationships: Vec::new(),
                primary_key,
                bind_key: decl.bind_key.clone(),
                constraints,
                inheritance: None,
            });
        }
        let hierarchy = inheritance::resolve(&effective, &mappers, &by_name)?;
        for (mapper, inh) in mappers.iter_mut().zip(hierarchy) {
            mapper.inheritance = inh;
        }
        for table in &mut tables {
            // Made by an earlier build's convention: made again below.
            table.constraints.retain(|c| !c.from_column);
            let owner = format!("db.Table(\"{}\")", table.name);
            let key = constraints::resolve(&owner, &mut table.columns, &mut table.constraints)?
                .unwrap_or_else(|| {
                    (0..table.columns.len())
                        .filter(|&i| table.columns[i].primary_key)
                        .collect()
                });
            constraints::apply_convention(
                &owner,
                &table.name,
                &table.columns,
                &mut table.constraints,
                &key,
                &convention,
            )?;
        }
        for mapper in &mappers {
            for column in &mapper.columns {
                if let Some(fk) = &column.foreign_key {
                    let target = by_table
                        .get(&(mapper.bind_key.clone(), fk.table.clone()))
                        .map(|&i| &mappers[i])
                        .ok_or_else(|| {
                            let on_bind = by_table
                                .keys()
                                .filter(|(b, _)| *b == mapper.bind_key)
                                .map(|(_, t)| t.as_str());
                            Error::unknown(format!(
                                "{}.{} refers to the table `{}`, which no model {} maps{}",
                                mapper.name,
                                column.name,
                                fk.table,
                                match &mapper.bind_key {
                                    Some(b) => format!("on the bind `{b}`"),
                                    None => "on the default database".to_string(),
                                },
                                did_you_mean(&fk.table, on_bind)
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
        // The models file's line of each relationship, for its errors.
        let mut lines: Vec<Vec<Option<usize>>> = vec![Vec::new(); mappers.len()];
        for (index, decl) in effective.iter().enumerate() {
            for rel in &decl.relationships {
                let target = *by_name.get(&rel.target).ok_or_else(|| {
                    at(
                        rel.line,
                        Error::unknown(format!(
                            "{}.{} refers to the model `{}`, which is not declared{}",
                            decl.name,
                            rel.name,
                            rel.target,
                            did_you_mean(&rel.target, by_name.keys().map(String::as_str))
                        )),
                    )
                })?;
                let forward = resolve_declared(&mappers, &tables, &effective, index, target, rel)
                    .map_err(|e| at(rel.line, e))?;
                let backref = rel.backref.as_ref().map(|(name, b)| (name, b.lazy));
                for (name, lazy) in [(&rel.name, rel.lazy)].into_iter().chain(backref) {
                    let one = if *name == rel.name {
                        !forward.uselist
                    } else {
                        forward.direction == Direction::OneToMany
                    };
                    if lazy == Lazy::Dynamic && one {
                        return Err(at(
                            rel.line,
                            Error::invalid(format!(
                                "{}.{name}: lazy: \"dynamic\" is for a collection, and this relationship holds one object; use lazy: \"select\"",
                                if *name == rel.name {
                                    &decl.name
                                } else {
                                    &rel.target
                                }
                            )),
                        ));
                    }
                }
                if let Some((backref_name, backref_decl)) = &rel.backref {
                    let mut reverse = mirror(&forward, index, backref_name, backref_decl);
                    reverse.reverse = Some(rel.name.clone());
                    reverse.order_by =
                        resolve_order_by(&mappers[target], &mappers[index], backref_decl)
                            .map_err(|e| at(rel.line, e))?;
                    let mut forward = forward;
                    forward.reverse = Some(backref_name.clone());
                    relationships[index].push(forward);
                    relationships[target].push(reverse);
                    lines[target].push(rel.line);
                } else {
                    relationships[index].push(forward);
                }
                lines[index].push(rel.line);
            }
        }
        inheritance::inherit_relationships(&mappers, &mut relationships, &mut lines);
        back_populates::check(&mappers, &relationships)
            .map_err(|(m, r, why)| at(lines[m][r], Error::invalid(why)))?;
        // Two sides of which one is viewonly are not kept in step in memory
        // (SQLAlchemy's `sync_backref` when either side is viewonly).
        let mut unsynced = Vec::new();
        for (m, rels) in relationships.iter().enumerate() {
            for rel in rels.iter().filter(|r| r.viewonly) {
                unsynced.push((m, rel.name.clone()));
                if let Some(back) = &rel.reverse {
                    unsynced.push((rel.target, back.clone()));
                }
            }
        }
        for (m, name) in unsynced {
            for rel in relationships[m].iter_mut().filter(|r| r.name == name) {
                rel.reverse = None;
            }
        }
        for ((mapper, rels), lines) in mappers.iter_mut().zip(relationships).zip(lines) {
            for (rel, line) in rels.iter().zip(lines) {
                if mapper.column_index(&rel.name).is_some()
                    || rels.iter().filter(|r| r.name == rel.name).count() > 1
                {
                    return Err(at(
                        line,
                        Error::invalid(format!(
                            "{}.{} is declared twice (as a column or a relationship)",
                            mapper.name, rel.name
                        )),
                    ));
                }
            }
            mapper.relationships = rels;
        }
        for m in 0..mappers.len() {
            for r in 0..mappers[m].relationships.len() {
                let target = mappers[m].relationships[r].target;
                // A `column_property` names its model's table, not an
                // alias of it: a joined load of such a target runs as
                // selectin too, which answers the same.
                mappers[m].relationships[r].target_spans_tables = mappers[target].is_joined()
                    || mappers[target].columns.iter().any(Column::is_computed);
            }
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
        let table_shapes = (0..mappers.len())
            .map(|i| {
                if mappers[i].inheritance.is_none() {
                    return without_computed(&mappers[i]).map(|m| Some(Rc::new(m)));
                }
                Some(
                    inheritance::table_shape(&mappers, &effective, i)
                        .map(|shape| without_computed(&shape).unwrap_or(shape))
                        .map(Rc::new),
                )
            })
            .collect();
        Ok(Registry {
            mappers: mappers.into_iter().map(Rc::new).collect(),
            by_name,
            tables,
            decls,
            naming_convention: convention,
            table_shapes,
        })
    }
}

/// The table a mapper with `column_property` attributes makes: its columns
/// without them (none is a table column); `None` when it has none.
fn without_computed(mapper: &Mapper) -> Option<Mapper> {
    if !mapper.columns.iter().any(Column::is_computed) {
        return None;
    }
    let kept: Vec<usize> = (0..mapper.columns.len())
        .filter(|&i| !mapper.columns[i].is_computed())
        .collect();
    Some(Mapper {
        index: mapper.index,
        name: mapper.name.clone(),
        table: mapper.table.clone(),
        columns: kept.iter().map(|&i| mapper.columns[i].clone()).collect(),
        relationships: Vec::new(),
        primary_key: mapper
            .primary_key
            .iter()
            .filter_map(|k| kept.iter().position(|i| i == k))
            .collect(),
        bind_key: mapper.bind_key.clone(),
        constraints: mapper.constraints.clone(),
        inheritance: None,
    })
}
