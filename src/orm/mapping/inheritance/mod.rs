//! Inheritance between models, as SQLAlchemy maps it: a model that derives
//! from another has its columns and relationships first and its own after
//! them, and is told apart by a discriminator column (`polymorphic_on`)
//! whose value (`polymorphic_identity`) says which model a row is. Without a
//! key of its own it shares its parent's table (single-table inheritance);
//! with one that refers to its parent's it has a table of its own, and a row
//! of it is a row of each table joined on the key (joined-table). A query on
//! a model reads the rows of it and every model under it; each row becomes
//! an object of the model its discriminator names.

mod build;
mod shape;

pub(super) use build::{expand, inherit_relationships, resolve};
pub(super) use shape::table_shape;

use crate::error::{Error, Result};
use crate::orm::mapping::model::{Column, Mapper};
use crate::sql::{BinaryOp, Expr, Join, TableRef, Value};

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
    /// Set by the registry: a joined-table subclass's key columns, which
    /// refer to its parent's key and are not attributes of their own (its
    /// `id` is its parent's `id`).
    pub joined_key: Vec<Column>,
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
    /// The tables a row of it spans, the root's first: more than one under
    /// joined-table inheritance.
    pub tables: Vec<InheritedTable>,
    /// Per column, the index in `tables` of the table that holds it.
    pub column_tables: Vec<usize>,
    /// It has a table of its own under its parent's (joined-table inheritance).
    pub joined: bool,
}

/// A table of a hierarchy: its name and its key columns' database names,
/// in the order of the primary key.
#[derive(Debug, Clone, PartialEq)]
pub struct InheritedTable {
    pub name: String,
    pub key: Vec<String>,
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

    /// The table column `index` lives in: the mapper's own, or under
    /// joined-table inheritance the table of the model that declared it.
    pub fn column_table(&self, index: usize) -> &str {
        match &self.inheritance {
            Some(inh) if inh.tables.len() > 1 => &inh.tables[inh.column_tables[index]].name,
            _ => &self.table,
        }
    }

    /// The table a query of this model reads FROM: its root's.
    pub fn from_table(&self) -> &str {
        match &self.inheritance {
            Some(inh) => &inh.tables[0].name,
            None => &self.table,
        }
    }

    /// The tables joined to `from_table` for a row of this model (joined-
    /// table inheritance): `JOIN engineer ON employee.id = engineer.id`.
    pub fn inherited_joins(&self) -> Vec<Join> {
        let names: Vec<String> = self
            .inheritance
            .iter()
            .flat_map(|i| i.tables.iter().map(|t| t.name.clone()))
            .collect();
        self.inherited_joins_as(&names)
    }

    /// `inherited_joins` with each table read under a name of its own
    /// (`names`, in the order of the tables, the root's first): an alias.
    pub fn inherited_joins_as(&self, names: &[String]) -> Vec<Join> {
        let Some(inh) = &self.inheritance else {
            return Vec::new();
        };
        let root = &inh.tables[0];
        let root_name = &names[0];
        inh.tables[1..]
            .iter()
            .zip(&names[1..])
            .map(|(t, name)| Join {
                table: if *name == t.name {
                    TableRef::new(&t.name)
                } else {
                    TableRef::aliased(&t.name, name)
                },
                on: Expr::and_all(
                    root.key
                        .iter()
                        .zip(&t.key)
                        .zip(&self.primary_key)
                        .map(|((r, k), &pk)| {
                            let ty = self.columns[pk].ty.clone();
                            Expr::binary(
                                BinaryOp::Eq,
                                Expr::column(root_name, r, ty.clone()),
                                Expr::column(name, k, ty),
                            )
                        })
                        .collect(),
                ),
                outer: false,
            })
            .collect()
    }

    /// Whether a row of it spans more than one table.
    pub fn is_joined(&self) -> bool {
        self.inheritance
            .as_ref()
            .is_some_and(|i| i.tables.len() > 1)
    }

    /// What a query on a model under the root adds: its rows only
    /// (`type IN ('engineer', 'manager')`), the discriminator's table named
    /// `alias` where the query aliases it. None for a model with a table of
    /// its own, whose join reads its rows only, as SQLAlchemy's does.
    pub fn polymorphic_criterion(&self, alias: Option<&str>) -> Option<Expr> {
        let inh = self.inheritance.as_ref()?;
        inh.parent?;
        if inh.joined {
            return None;
        }
        let on = inh.polymorphic_on?;
        let col = &self.columns[on];
        let table = alias.unwrap_or_else(|| self.column_table(on));
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
