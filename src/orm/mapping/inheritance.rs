//! Inheritance between models, as SQLAlchemy's single-table inheritance
//! maps it: a model that derives from another shares its table, has its
//! columns and relationships first and its own after them, and is told
//! apart by a discriminator column (`polymorphic_on`) whose value
//! (`polymorphic_identity`) says which model a row is. A query on a model
//! reads the rows of it and every model under it; each row becomes an
//! object of the model its discriminator names.
//!
//! Joined-table inheritance (a subclass with a table of its own) is refused
//! when declared: it would need every statement to span two tables.

use crate::error::{Error, Result};
use crate::orm::mapping::model::{Mapper, ModelDecl, Relationship};
use crate::sql::{Expr, Value};

/// What a model declares about inheritance (`__mapper_args__` and the
/// model it derives from).
#[derive(Debug, Clone, Default)]
pub struct InheritanceDecl {
    /// The model it derives from.
    pub inherits: Option<String>,
    /// The discriminator column's attribute name.
    pub polymorphic_on: Option<String>,
    /// The discriminator's value for rows of this model.
    pub polymorphic_identity: Option<Value>,
}

impl InheritanceDecl {
    pub fn is_empty(&self) -> bool {
        self.inherits.is_none()
            && self.polymorphic_on.is_none()
            && self.polymorphic_identity.is_none()
    }
}

/// A mapper's place in a hierarchy.
#[derive(Debug, Clone)]
pub struct Inheritance {
    /// The model it derives from; none for the root.
    pub parent: Option<usize>,
    pub root: usize,
    /// How many of its columns come from its parent (they come first).
    pub inherited_columns: usize,
    /// The discriminator column, an index into this mapper's columns.
    pub polymorphic_on: Option<usize>,
    pub identity: Option<Value>,
    /// (identity, mapper index) of this model and every model under it.
    pub family: Vec<(Value, usize)>,
    /// Its parent, its parent's parent, .. up to the root.
    pub ancestors: Vec<usize>,
}

impl Mapper {
    /// The mapper whose index keys this model's rows in the identity map:
    /// the root of its hierarchy, so a row is one object whichever model
    /// loaded it.
    pub fn identity_index(&self) -> usize {
        self.inheritance.as_ref().map_or(self.index, |i| i.root)
    }

    /// Whether `other` is this model or one under it.
    pub fn includes(&self, other: &Mapper) -> bool {
        other.index == self.index
            || other
                .inheritance
                .as_ref()
                .is_some_and(|i| i.ancestors.contains(&self.index))
    }

    /// What a query on a model under the root adds: its rows only
    /// (`type IN ('engineer', 'manager')`), `table` as the query names it.
    pub fn polymorphic_criterion(&self, table: &str) -> Option<Expr> {
        let inh = self.inheritance.as_ref()?;
        inh.parent?;
        let col = &self.columns[inh.polymorphic_on?];
        let column = Expr::column(table, &col.db_name, col.ty.clone());
        let values: Vec<Expr> = inh
            .family
            .iter()
            .map(|(v, _)| Expr::Bind(v.clone(), Some(col.ty.clone())))
            .collect();
        Some(Expr::InList {
            expr: Box::new(column),
            list: values,
            negated: false,
        })
    }

    /// The model a row of this one is, by its discriminator (`values` in
    /// this mapper's column order): none when it is this model, an error
    /// when the value names no model under it.
    pub fn polymorphic_target(&self, values: &[Value]) -> Result<Option<usize>> {
        let Some(inh) = &self.inheritance else {
            return Ok(None);
        };
        let Some(col) = inh.polymorphic_on else {
            return Ok(None);
        };
        if inh.family.len() <= 1 {
            return Ok(None);
        }
        let value = &values[col];
        match inh.family.iter().find(|(v, _)| same_identity(v, value)) {
            Some(&(_, m)) if m == self.index => Ok(None),
            Some(&(_, m)) => Ok(Some(m)),
            None => Err(Error::invalid(format!(
                "a row of {} has {} = {}, which is the polymorphic_identity of no model under {} (known: {})",
                self.name,
                self.columns[col].name,
                value.repr(),
                self.name,
                inh.family
                    .iter()
                    .map(|(v, _)| v.repr())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
}

/// Whether model `m` is `ancestor` or derives from it.
pub(crate) fn derives_from(mappers: &[Mapper], m: usize, ancestor: usize) -> bool {
    mappers[ancestor].includes(&mappers[m])
}

/// A discriminator's value as read against an identity: an integer column
/// may come back as another integer width, a string as itself.
fn same_identity(identity: &Value, read: &Value) -> bool {
    match (identity, read) {
        (Value::Int(a), Value::Decimal(d)) => d.to_string() == a.to_string(),
        _ => identity == read,
    }
}

/// The declarations as the registry builds mappers from them: a model
/// that derives from another gets its parent's columns first, and its
/// parent's table (its relationships follow in `inherit_relationships`). Parents come before their children, as
/// Python requires a class to be defined before one derives from it.
pub(super) fn expand(decls: &[ModelDecl]) -> Result<Vec<ModelDecl>> {
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
        if let Some(c) = decl.columns.iter().find(|c| c.primary_key) {
            return Err(Error::invalid(format!(
                "{}.{}: a model that derives from {parent_name} with a primary key of its own is joined-table inheritance, which ormsh does not support yet; single-table inheritance (no table and no key of its own) is supported",
                decl.name, c.name
            )));
        }
        let parent_table = parent
            .tablename
            .clone()
            .unwrap_or_else(|| crate::orm::mapping::naming::camel_to_snake_case(&parent.name));
        if decl.tablename.as_ref().is_some_and(|t| *t != parent_table) {
            return Err(Error::invalid(format!(
                "{}: a model that derives from {parent_name} with a table of its own is joined-table inheritance, which ormsh does not support yet; leave the table out for single-table inheritance",
                decl.name
            )));
        }
        if decl.bind_key.is_some() && decl.bind_key != parent.bind_key {
            return Err(Error::invalid(format!(
                "{}: a model shares the table, and so the bind, of {parent_name}",
                decl.name
            )));
        }
        for c in &decl.columns {
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
        columns.extend(decl.columns.iter().cloned());
        let mut expanded = decl.clone();
        expanded.tablename = Some(parent_table);
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

/// Each subclass's relationships: its parent's, at the same positions (so
/// the other side of a link finds its end by the parent's index), then its
/// own. `lines` (where each was declared) is kept in step.
pub(super) fn inherit_relationships<L: Clone>(
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
pub(super) fn resolve(
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
        out[i] = Some(Inheritance {
            parent,
            root,
            inherited_columns: parent.map_or(0, |p| mappers[p].columns.len()),
            polymorphic_on,
            identity: decl.inheritance.polymorphic_identity.clone(),
            family: Vec::new(),
            ancestors,
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

/// The table a hierarchy's root maps, as the database has it: the root's
/// columns and then each subclass's own, with every constraint declared
/// along the way. `None` for a mapper that shares its parent's table.
pub(super) fn table_shape(mappers: &[Mapper], index: usize) -> Option<Mapper> {
    let m = &mappers[index];
    let inh = m.inheritance.as_ref()?;
    if inh.parent.is_some() {
        return None;
    }
    let mut columns = m.columns.clone();
    let mut constraints = m.constraints.clone();
    for sub in mappers.iter().filter(|s| {
        s.inheritance
            .as_ref()
            .is_some_and(|si| si.root == index && si.parent.is_some())
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
        primary_key: m.primary_key.clone(),
        bind_key: m.bind_key.clone(),
        constraints,
        inheritance: None,
    })
}
