//! The model registry: mappers (a model's table, columns and relationships)
//! and the declarations they are made from, plain data, so Rust code and the
//! models file declare alike. `resolve` builds a registry from declarations,
//! in the order they were made.

use std::collections::HashMap;
use std::rc::Rc;

use crate::error::{Error, Result, did_you_mean};
pub use crate::orm::mapping::column::{Column, ForeignKey};
pub use crate::orm::mapping::constraints::{Constraint, ConstraintKind};
pub use crate::orm::mapping::inheritance::{Inheritance, InheritanceDecl};
use crate::sql::Expr;

/// The `lazy=` strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lazy {
    Select,
    Joined,
    Subquery,
    Selectin,
    Dynamic,
    Raise,
    NoLoad,
}

impl Lazy {
    /// Whether the relationship loads with its objects' query rather than when read.
    pub fn is_eager(self) -> bool {
        matches!(self, Lazy::Joined | Lazy::Selectin | Lazy::Subquery)
    }

    pub fn parse(name: &str) -> Result<Lazy> {
        Ok(match name {
            "select" | "true" => Lazy::Select,
            "joined" | "false" => Lazy::Joined,
            "subquery" => Lazy::Subquery,
            "selectin" => Lazy::Selectin,
            // A write-only collection is a dynamic one that is never iterated.
            "dynamic" | "write_only" => Lazy::Dynamic,
            "raise" | "raise_on_sql" => Lazy::Raise,
            "noload" => Lazy::NoLoad,
            other => {
                return Err(Error::invalid(format!(
                    "lazy: \"{other}\" is not a loading strategy; use one of select, joined, subquery, selectin, dynamic, write_only, raise, noload"
                )));
            }
        })
    }
}

/// `db.relationship(..)` as declared.
#[derive(Debug, Clone)]
pub struct RelationshipDecl {
    pub name: String,
    pub target: String,
    pub backref: Option<(String, Box<RelationshipDecl>)>,
    pub back_populates: Option<String>,
    pub lazy: Lazy,
    pub uselist: Option<bool>,
    pub order_by: Vec<(String, bool)>,
    pub cascade_delete: bool,
    /// `delete-orphan`: a child taken out of the collection is deleted.
    pub delete_orphan: bool,
    pub foreign_keys: Vec<String>,
    pub remote_side: Vec<String>,
    /// The association table of a many-to-many (`db.Table`).
    pub secondary: Option<String>,
    /// `primaryjoin` as SQLAlchemy spells it (`join_condition.rs`): with a
    /// secondary table, which of its keys is this side's
    /// (`"followers.c.follower_id == User.id"`); without, the columns that
    /// join the two models (`"User.id == foreign(Message.sender_id)"`).
    pub primaryjoin: Option<String>,
    /// With a secondary table, which of its keys is the target's.
    pub secondaryjoin: Option<String>,
    /// SQLAlchemy's `post_update`: break a cycle of foreign keys by setting
    /// this relationship's key with an UPDATE after the INSERTs.
    pub post_update: bool,
    /// `viewonly`: read, never written through.
    pub viewonly: bool,
    /// `passive_deletes`: what deleting the parent does to children not loaded.
    pub passive_deletes: PassiveDeletes,
    /// The line of the models file that declares it, for its errors.
    pub line: Option<usize>,
}

/// SQLAlchemy's `passive_deletes`: whether deleting a parent loads its
/// children to delete them or clear their key (`No`), leaves the children
/// not loaded to the database's ON DELETE (`Yes`), or leaves every child
/// to it (`All`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PassiveDeletes {
    #[default]
    No,
    Yes,
    All,
}

impl RelationshipDecl {
    pub fn new(name: &str, target: &str) -> Self {
        RelationshipDecl {
            name: name.to_string(),
            target: target.to_string(),
            backref: None,
            back_populates: None,
            lazy: Lazy::Select,
            uselist: None,
            order_by: Vec::new(),
            cascade_delete: false,
            delete_orphan: false,
            foreign_keys: Vec::new(),
            remote_side: Vec::new(),
            secondary: None,
            primaryjoin: None,
            secondaryjoin: None,
            post_update: false,
            viewonly: false,
            passive_deletes: PassiveDeletes::No,
            line: None,
        }
    }
}

/// `db.Model(..)` as declared.
#[derive(Debug, Clone, Default)]
pub struct ModelDecl {
    pub name: String,
    pub tablename: Option<String>,
    pub columns: Vec<Column>,
    pub relationships: Vec<RelationshipDecl>,
    pub bind_key: Option<String>,
    /// `__table_args__`: constraints and indexes beyond the columns' own.
    pub constraints: Vec<Constraint>,
    /// The model it derives from and `__mapper_args__`'s polymorphic options.
    pub inheritance: InheritanceDecl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The foreign key is on this side: `post.author`.
    ManyToOne,
    /// The foreign key is on the other side: `user.posts`.
    OneToMany,
    /// Through an association table (`secondary`): `post.tags`.
    ManyToMany,
}

/// A resolved relationship.
#[derive(Debug, Clone)]
pub struct Relationship {
    pub name: String,
    /// Index of the target mapper in the registry.
    pub target: usize,
    pub direction: Direction,
    /// (column on this mapper, column on the target) pairs joined by `=`.
    pub pairs: Vec<(usize, usize)>,
    pub uselist: bool,
    pub lazy: Lazy,
    /// The relationship on the target that mirrors this one, kept in step in memory.
    pub reverse: Option<String>,
    /// (target column, descending).
    pub order_by: Vec<(usize, bool)>,
    pub cascade_delete: bool,
    pub delete_orphan: bool,
    /// Made by the other side's `backref` (not declared on this model).
    pub from_backref: bool,
    /// For a many-to-many: the association table and how it links both sides.
    pub secondary: Option<crate::orm::mapping::association::Secondary>,
    /// SQLAlchemy's `post_update` (on either side of a backref pair).
    pub post_update: bool,
    /// The target's rows span tables (joined-table inheritance), or it has
    /// a `column_property`: a joined eager load of it runs as a selectin
    /// load, which answers the same.
    pub target_spans_tables: bool,
    /// `viewonly`: loaded, never written through (no keys copied, no rows
    /// of an association table, no cascade); changing it is refused.
    pub viewonly: bool,
    pub passive_deletes: PassiveDeletes,
}

/// A model: its table and what it maps.
#[derive(Debug)]
pub struct Mapper {
    pub index: usize,
    pub name: String,
    pub table: String,
    pub columns: Vec<Column>,
    pub relationships: Vec<Relationship>,
    /// Column indexes of the primary key, in declaration order (in the
    /// order of a `PrimaryKeyConstraint` where there is one).
    pub primary_key: Vec<usize>,
    pub bind_key: Option<String>,
    /// The declared constraints and indexes, columns by database name.
    pub constraints: Vec<Constraint>,
    /// Its place in a hierarchy of models (single-table inheritance).
    pub inheritance: Option<Inheritance>,
}

impl Mapper {
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    pub fn relationship_index(&self, name: &str) -> Option<usize> {
        self.relationships.iter().position(|r| r.name == name)
    }

    pub fn column(&self, name: &str) -> Result<&Column> {
        self.column_index(name)
            .map(|i| &self.columns[i])
            .ok_or_else(|| self.unknown_attribute(name))
    }

    /// The error for an attribute this model does not have.
    pub fn unknown_attribute(&self, name: &str) -> Error {
        let known = self
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .chain(self.relationships.iter().map(|r| r.name.as_str()));
        Error::unknown(format!(
            "{} has no attribute `{name}`{}",
            self.name,
            did_you_mean(name, known)
        ))
    }

    /// The lone integer primary key that the database numbers, if there is one.
    pub fn autoincrement_column(&self) -> Option<usize> {
        match self.primary_key.as_slice() {
            [only] => {
                let c = &self.columns[*only];
                let auto = c
                    .autoincrement
                    .unwrap_or(c.ty.is_integer() && c.foreign_key.is_none());
                (auto && c.ty.is_integer()).then_some(*only)
            }
            _ => None,
        }
    }
}

/// Every model of a project, in declaration order.
#[derive(Debug, Default)]
pub struct Registry {
    pub mappers: Vec<Rc<Mapper>>,
    /// foldhash: every `Model(#{..})` of a seed looks its model up by name.
    pub(super) by_name: foldhash::HashMap<String, usize>,
    /// Association tables (`db.Table`), mapped by no model.
    pub tables: Vec<crate::orm::mapping::association::TableDecl>,
    /// What the mappers were built from, so reflection at run time can
    /// build a registry that extends this one.
    pub(crate) decls: Vec<ModelDecl>,
    /// `MetaData(naming_convention=...)`, by which the constraints were named.
    pub naming_convention: crate::orm::mapping::naming_convention::NamingConvention,
    /// Per mapper, the table it makes in the database where that differs
    /// from the mapper: none for a model that shares its parent's table,
    /// all the hierarchy's columns for the root (`table_shape`).
    pub(super) table_shapes: Vec<Option<Option<Rc<Mapper>>>>,
}

impl Registry {
    /// The association tables that live on `bind`.
    pub fn tables_on<'a>(
        &'a self,
        bind: Option<&'a str>,
    ) -> impl Iterator<Item = &'a crate::orm::mapping::association::TableDecl> + 'a {
        self.tables
            .iter()
            .filter(move |t| self.table_bind(t) == bind)
    }

    /// The bind of an association table: its `bind_key`, or else that of
    /// the models it links.
    pub fn table_bind<'a>(
        &'a self,
        table: &'a crate::orm::mapping::association::TableDecl,
    ) -> Option<&'a str> {
        if table.bind_key.is_some() {
            return table.bind_key.as_deref();
        }
        table
            .columns
            .iter()
            .filter_map(|c| c.foreign_key.as_ref())
            .find_map(|fk| self.mappers.iter().find(|m| m.table == fk.table))
            .and_then(|m| m.bind_key.as_deref())
    }

    pub fn get(&self, name: &str) -> Option<&Rc<Mapper>> {
        self.by_name.get(name).map(|&i| &self.mappers[i])
    }

    /// The mapper named `name`, or an error that suggests the nearest name.
    pub fn lookup(&self, name: &str) -> Result<&Rc<Mapper>> {
        self.get(name).ok_or_else(|| {
            Error::unknown(format!(
                "there is no model named `{name}`{}",
                did_you_mean(name, self.mappers.iter().map(|m| m.name.as_str()))
            ))
        })
    }

    pub fn mapper(&self, index: usize) -> &Rc<Mapper> {
        &self.mappers[index]
    }

    /// The table mapper `index` makes in the database, as a mapper of its
    /// columns: the mapper itself, or for a hierarchy its root's table with
    /// every subclass's columns; none for a model that shares its parent's.
    pub fn table_shape(&self, index: usize) -> Option<&Rc<Mapper>> {
        match self.table_shapes.get(index) {
            Some(Some(shape)) => shape.as_ref(),
            _ => Some(&self.mappers[index]),
        }
    }

    /// The models' tables, each once, in dependency order (`table_shape`).
    pub fn table_order(&self) -> Vec<&Rc<Mapper>> {
        self.dependency_order()
            .into_iter()
            .filter_map(|m| self.table_shape(m))
            .collect()
    }

    /// Mapper indexes sorted so that every table comes after the tables its
    /// foreign keys refer to (declaration order where nothing constrains it).
    pub fn dependency_order(&self) -> Vec<usize> {
        let n = self.mappers.len();
        let table_index: HashMap<(Option<&str>, &str), usize> = self
            .mappers
            .iter()
            .filter(|m| self.table_shape(m.index).is_some())
            .map(|m| ((m.bind_key.as_deref(), m.table.as_str()), m.index))
            .collect();
        let deps: Vec<Vec<usize>> = self
            .mappers
            .iter()
            // A hierarchy's root depends on what any model of it refers to.
            .map(|m| self.table_shape(m.index).unwrap_or(m))
            .map(|m| {
                m.columns
                    .iter()
                    .filter(|c| !c.post_update)
                    .filter_map(|c| c.foreign_key.as_ref())
                    .filter_map(|fk| {
                        table_index
                            .get(&(m.bind_key.as_deref(), fk.table.as_str()))
                            .copied()
                    })
                    .filter(|&t| t != m.index)
                    .collect()
            })
            .collect();
        let mut order = Vec::with_capacity(n);
        let mut state = vec![0u8; n];
        fn visit(i: usize, deps: &[Vec<usize>], state: &mut [u8], order: &mut Vec<usize>) {
            if state[i] != 0 {
                return; // done, or a cycle: declaration order breaks it
            }
            state[i] = 1;
            for &d in &deps[i] {
                visit(d, deps, state, order);
            }
            state[i] = 2;
            order.push(i);
        }
        for i in 0..n {
            visit(i, &deps, &mut state, &mut order);
        }
        order
    }
}

/// For unit tests: the mapper of a model `Item` with one integer key `id`.
#[cfg(test)]
pub(crate) fn item_mapper() -> Rc<Mapper> {
    let mut id = Column::new("id", crate::sql::ColumnType::Integer);
    id.primary_key = true;
    let registry = Registry::build(vec![ModelDecl {
        name: "Item".into(),
        tablename: None,
        columns: vec![id],
        relationships: vec![],
        bind_key: None,
        constraints: vec![],
        inheritance: Default::default(),
    }])
    .unwrap();
    registry.mappers[0].clone()
}

/// `table.column` of a mapper as an expression.
pub fn column_of(mapper: &Mapper, index: usize) -> Expr {
    let c = &mapper.columns[index];
    if let Some(expression) = &c.expression {
        return (**expression).clone();
    }
    let mut expr = Expr::column(mapper.column_table(index), &c.db_name, c.ty.clone());
    // A subclass's rows are some of its table's; a bind's table may have
    // the name of another bind's: a select of the column names its model.
    if let Expr::Column(col) = &mut expr
        && (mapper.bind_key.is_some()
            || mapper
                .inheritance
                .as_ref()
                .is_some_and(|i| i.parent.is_some()))
    {
        col.via = Some(mapper.index);
    }
    expr
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
