//! The registry's side of inheritance: declarations expanded with their
//! parents' columns and tables, the key of a table of its own checked, the
//! relationships a subclass inherits, and each mapper's place in its
//! hierarchy.

use super::{Inheritance, InheritedTable};
use crate::error::{Error, Result};
use crate::orm::mapping::model::{Column, Mapper, ModelDecl, Relationship};

/// The declarations as the registry builds mappers from them: a model
/// that derives from another gets its parent's columns first, and its
/// parent's table or (with a key of its own) a table of its own; its
/// relationships follow in `inherit_relationships`. Parents come before
/// their children, as Python requires a class to be defined before one
/// derives from it.
pub(in crate::orm::mapping) fn expand(decls: &[ModelDecl]) -> Result<Vec<ModelDecl>> {
    let mut out: Vec<ModelDecl> = Vec::with_capacity(decls.len());
    for decl in decls {
        let Some(parent_name) = &decl.inheritance.inherits else {
            out.push(decl.clone());
            continue;
        };
        let Some(parent) = out.iter().find(|d| &d.name == parent_name) else {
            return Err(Error::invalid(format!(
                "{} derives from {parent_name}, which is not a model declared before it",
                decl.name
            )));
        };
        let parent_table = parent
            .tablename
            .clone()
            .unwrap_or_else(|| crate::orm::mapping::naming::camel_to_snake_case(&parent.name));
        // A key of its own makes a table of its own: joined-table inheritance.
        let keys: Vec<Column> = decl
            .columns
            .iter()
            .filter(|c| c.primary_key)
            .cloned()
            .collect();
        let table = if keys.is_empty() {
            if decl.tablename.as_ref().is_some_and(|t| *t != parent_table) {
                return Err(Error::invalid(format!(
                    "{}: a table of its own needs a primary key of its own that refers to {parent_name}'s (joined-table inheritance), like db.Column(\"id\", db.Integer, db.ForeignKey(\"{parent_table}.id\"), #{{ primary_key: true }}); leave the table out for single-table inheritance",
                    decl.name
                )));
            }
            parent_table.clone()
        } else {
            check_joined_key(decl, parent, &parent_table, &keys)?;
            let own = decl
                .tablename
                .clone()
                .unwrap_or_else(|| crate::orm::mapping::naming::camel_to_snake_case(&decl.name));
            if own == parent_table {
                return Err(Error::invalid(format!(
                    "{}: a model with a key of its own has a table of its own; {own} is {parent_name}'s",
                    decl.name
                )));
            }
            own
        };
        if decl.bind_key.is_some() && decl.bind_key != parent.bind_key {
            return Err(Error::invalid(format!(
                "{}: a model shares the table, and so the bind, of {parent_name}",
                decl.name
            )));
        }
        for c in decl.columns.iter().filter(|c| !c.primary_key) {
            if parent
                .columns
                .iter()
                .any(|p| p.name == c.name || p.db_name == c.db_name)
            {
                return Err(Error::invalid(format!(
                    "{}.{}: {parent_name} already has this column; a model under it cannot declare it again",
                    decl.name, c.name
                )));
            }
        }
        if decl.inheritance.polymorphic_on.is_some() && parent.inheritance.polymorphic_on.is_some()
        {
            return Err(Error::invalid(format!(
                "{}: polymorphic_on is declared by {parent_name} already; a hierarchy has one discriminator",
                decl.name
            )));
        }
        let mut columns = parent.columns.clone();
        columns.extend(decl.columns.iter().filter(|c| !c.primary_key).cloned());
        let mut expanded = decl.clone();
        expanded.tablename = Some(table);
        expanded.inheritance.joined_key = keys;
        expanded.bind_key = parent.bind_key.clone();
        expanded.columns = columns;
        expanded.inheritance.polymorphic_on = decl
            .inheritance
            .polymorphic_on
            .clone()
            .or_else(|| parent.inheritance.polymorphic_on.clone());
        out.push(expanded);
    }
    Ok(out)
}

/// A joined-table subclass's key: one column per key column of its
/// parent, each a foreign key to it, named as the attribute it refers to.
fn check_joined_key(
    decl: &ModelDecl,
    parent: &ModelDecl,
    parent_table: &str,
    keys: &[Column],
) -> Result<()> {
    // The parent's key in its own table: its columns', or its own joined key's.
    let parent_keys: Vec<(&str, &str)> = if parent.inheritance.joined_key.is_empty() {
        parent
            .columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| (c.name.as_str(), c.db_name.as_str()))
            .collect()
    } else {
        parent
            .inheritance
            .joined_key
            .iter()
            .map(|c| (c.name.as_str(), c.db_name.as_str()))
            .collect()
    };
    let example = format!(
        "db.Column(\"{}\", db.Integer, db.ForeignKey(\"{parent_table}.{}\"), #{{ primary_key: true }})",
        parent_keys.first().map_or("id", |k| k.0),
        parent_keys.first().map_or("id", |k| k.1)
    );
    if keys.len() != parent_keys.len() {
        return Err(Error::invalid(format!(
            "{}: its primary key must be {}'s, one column referring to each of its key columns ({example})",
            decl.name, parent.name
        )));
    }
    for (k, (name, db_name)) in keys.iter().zip(&parent_keys) {
        let refers = k
            .foreign_key
            .as_ref()
            .is_some_and(|fk| fk.table == parent_table && fk.column == *db_name);
        if !refers || k.name != *name {
            return Err(Error::invalid(format!(
                "{}.{}: the key of a model with a table of its own is its parent's: name it `{name}` and make it refer to {parent_table}.{db_name} ({example})",
                decl.name, k.name
            )));
        }
    }
    Ok(())
}

/// Each subclass's relationships: its parent's, at the same positions (so
/// the other side of a link finds its end by the parent's index), then its
/// own. `lines` (where each is declared) follows the same order.
pub(in crate::orm::mapping) fn inherit_relationships<L: Clone>(
    mappers: &[Mapper],
    relationships: &mut [Vec<Relationship>],
    lines: &mut [Vec<L>],
) {
    for i in 0..mappers.len() {
        if let Some(p) = mappers[i].inheritance.as_ref().and_then(|h| h.parent) {
            let own = std::mem::take(&mut relationships[i]);
            relationships[i] = relationships[p].iter().cloned().chain(own).collect();
            let own = std::mem::take(&mut lines[i]);
            lines[i] = lines[p].iter().cloned().chain(own).collect();
        }
    }
}

/// Each mapper's place in its hierarchy, from the expanded declarations
/// (`expand`) and the parents' column counts.
pub(in crate::orm::mapping) fn resolve(
    decls: &[ModelDecl],
    mappers: &[Mapper],
    by_name: &foldhash::HashMap<String, usize>,
) -> Result<Vec<Option<Inheritance>>> {
    let mut out: Vec<Option<Inheritance>> = vec![None; decls.len()];
    let in_hierarchy: Vec<bool> = decls
        .iter()
        .map(|d| {
            d.inheritance.inherits.is_some()
                || decls
                    .iter()
                    .any(|o| o.inheritance.inherits.as_deref() == Some(d.name.as_str()))
        })
        .collect();
    for (i, decl) in decls.iter().enumerate() {
        // A discriminator on a model nothing derives from changes nothing.
        if !in_hierarchy[i] {
            continue;
        }
        let parent = decl.inheritance.inherits.as_ref().map(|p| by_name[p]);
        let root = match parent {
            Some(p) => out[p].as_ref().map_or(p, |inh| inh.root),
            None => i,
        };
        let ancestors: Vec<usize> = match parent {
            Some(p) => std::iter::once(p)
                .chain(out[p].iter().flat_map(|inh| inh.ancestors.iter().copied()))
                .collect(),
            None => Vec::new(),
        };
        let polymorphic_on = match &decl.inheritance.polymorphic_on {
            Some(name) => Some(mappers[i].column_index(name).ok_or_else(|| {
                Error::invalid(format!(
                    "{}: polymorphic_on names `{name}`, which is not one of its columns",
                    decl.name
                ))
            })?),
            None => None,
        };
        if polymorphic_on.is_some()
            && decl.inheritance.polymorphic_identity.is_none()
            && parent.is_some()
        {
            return Err(Error::invalid(format!(
                "{}: a model in a hierarchy with polymorphic_on needs a polymorphic_identity (the discriminator's value for its rows)",
                decl.name
            )));
        }
        let (tables, column_tables) = match parent.and_then(|p| out[p].as_ref()) {
            None => (
                vec![InheritedTable {
                    name: mappers[i].table.clone(),
                    key: mappers[i]
                        .primary_key
                        .iter()
                        .map(|&k| mappers[i].columns[k].db_name.clone())
                        .collect(),
                }],
                vec![0; mappers[i].columns.len()],
            ),
            Some(p) => {
                let mut tables = p.tables.clone();
                if !decl.inheritance.joined_key.is_empty() {
                    tables.push(InheritedTable {
                        name: mappers[i].table.clone(),
                        key: decl
                            .inheritance
                            .joined_key
                            .iter()
                            .map(|c| c.db_name.clone())
                            .collect(),
                    });
                }
                let own = tables.len() - 1;
                let mut column_tables = p.column_tables.clone();
                column_tables.resize(mappers[i].columns.len(), own);
                (tables, column_tables)
            }
        };
        out[i] = Some(Inheritance {
            parent,
            root,
            inherited_columns: parent.map_or(0, |p| mappers[p].columns.len()),
            polymorphic_on,
            identity: decl.inheritance.polymorphic_identity.clone(),
            family: Vec::new(),
            ancestors,
            joined: parent.is_some() && !decl.inheritance.joined_key.is_empty(),
            tables,
            column_tables,
        });
    }
    // Each model's family: itself and every model under it, by identity.
    for i in 0..decls.len() {
        let Some(identity) = out[i].as_ref().and_then(|inh| inh.identity.clone()) else {
            continue;
        };
        let mut at = Some(i);
        while let Some(m) = at {
            let inh = out[m].as_mut().expect("in the hierarchy");
            if let Some((_, other)) = inh.family.iter().find(|(v, _)| *v == identity)
                && *other != i
            {
                return Err(Error::invalid(format!(
                    "{} and {} have the same polymorphic_identity {}",
                    decls[*other].name,
                    decls[i].name,
                    identity.repr()
                )));
            }
            if !inh.family.iter().any(|(_, o)| *o == i) {
                inh.family.push((identity.clone(), i));
            }
            at = inh.parent;
        }
    }
    Ok(out)
}
