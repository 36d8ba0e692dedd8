//! The tables a hierarchy makes in the database, as the DDL, the drift and
//! the migrations see them.

use crate::orm::mapping::model::{Column, Mapper, ModelDecl};

/// The table a model of a hierarchy makes, as the database has it: for the
/// root, its columns; for a model with a table of its own, its key and its
/// own columns; then the own columns of every model that shares the table
/// (single-table inheritance), with every constraint declared along the
/// way. `None` for a model that shares its parent's table.
pub(in crate::orm::mapping) fn table_shape(
    mappers: &[Mapper],
    decls: &[ModelDecl],
    index: usize,
) -> Option<Mapper> {
    let m = &mappers[index];
    let inh = m.inheritance.as_ref()?;
    if inh.parent.is_some() && !inh.joined {
        return None;
    }
    let key = &decls[index].inheritance.joined_key;
    let mut columns: Vec<Column> = key
        .iter()
        .cloned()
        .chain(m.columns[inh.inherited_columns..].iter().cloned())
        .collect();
    let primary_key = if inh.joined {
        (0..key.len()).collect()
    } else {
        m.primary_key.clone()
    };
    let mut constraints = m.constraints.clone();
    for sub in mappers.iter().filter(|s| {
        s.index != index
            && s.table == m.table
            && s.inheritance
                .as_ref()
                .is_some_and(|si| si.ancestors.contains(&index))
    }) {
        let own = sub
            .inheritance
            .as_ref()
            .map_or(0, |si| si.inherited_columns);
        columns.extend(sub.columns[own..].iter().cloned());
        constraints.extend(sub.constraints.iter().cloned());
    }
    Some(Mapper {
        index: m.index,
        name: m.name.clone(),
        table: m.table.clone(),
        columns,
        relationships: Vec::new(),
        primary_key,
        bind_key: m.bind_key.clone(),
        constraints,
        inheritance: None,
    })
}
