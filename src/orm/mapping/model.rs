//! The model registry: mappers (a model's table, columns and relationships)
//! built from declarations in the order they were made. Declarations are
//! plain data, so Rust code and the models file build registries alike.

use std::collections::HashMap;
use std::rc::Rc;

use crate::error::{Error, Result, did_you_mean};
use crate::orm::mapping::naming::camel_to_snake_case;
use crate::sql::{ColumnType, Expr, Value};

/// `db.ForeignKey("user.id")`.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    pub table: String,
    pub column: String,
}

impl ForeignKey {
    /// Parse `table.column`.
    pub fn parse(target: &str) -> Result<ForeignKey> {
        match target.rsplit_once('.') {
            Some((table, column)) if !table.is_empty() && !column.is_empty() => Ok(ForeignKey {
                table: table.to_string(),
                column: column.to_string(),
            }),
            _ => Err(Error::invalid(format!(
                "ForeignKey(\"{target}\") must name a table and a column, like ForeignKey(\"user.id\")"
            ))),
        }
    }
}

/// A column as declared (`db.Column(..)`).
#[derive(Debug, Clone)]
pub struct Column {
    /// The attribute name (`u.username`).
    pub name: String,
    /// The column name in the database (`name:` option), usually the same.
    pub db_name: String,
    pub ty: ColumnType,
    pub primary_key: bool,
    pub nullable: bool,
    pub unique: bool,
    pub index: bool,
    /// A foreign key column that gets an index of its own, as Django and
    /// Rails give one and as InnoDB makes anyway: `user.posts` is then a
    /// lookup, not a scan of every post. On in a models file unless the
    /// column says `index` either way; off in reflected models, which
    /// mirror the database as it is.
    pub index_foreign_key: bool,
    /// A Python-side default: filled in at INSERT when the attribute was never set.
    pub default: Option<Value>,
    pub server_default: Option<crate::sql::ServerDefault>,
    /// `None` is SQLAlchemy's "auto": a lone integer primary key numbers itself.
    pub autoincrement: Option<bool>,
    pub foreign_key: Option<ForeignKey>,
    /// The foreign key of a `post_update` relationship: written by an UPDATE
    /// after the row's INSERT (and cleared before its DELETE), so two tables
    /// that refer to each other can be ordered. Set by the registry.
    pub post_update: bool,
}

impl Column {
    pub fn new(name: &str, ty: ColumnType) -> Column {
        Column {
            name: name.to_string(),
            db_name: name.to_string(),
            ty,
            primary_key: false,
            nullable: true,
            unique: false,
            index: false,
            index_foreign_key: false,
            default: None,
            server_default: None,
            autoincrement: None,
            foreign_key: None,
            post_update: false,
        }
    }
}

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
            "dynamic" => Lazy::Dynamic,
            "raise" | "raise_on_sql" => Lazy::Raise,
            "noload" => Lazy::NoLoad,
            other => {
                return Err(Error::invalid(format!(
                    "lazy: \"{other}\" is not a loading strategy; use one of select, joined, subquery, selectin, dynamic, raise, noload"
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
    /// `primaryjoin` / `secondaryjoin` of a many-to-many, as SQLAlchemy
    /// spells them (`"followers.c.follower_id == User.id"`): which key of
    /// the association table is this side's, and which the other's.
    pub primaryjoin: Option<String>,
    pub secondaryjoin: Option<String>,
    /// SQLAlchemy's `post_update`: break a cycle of foreign keys by setting
    /// this relationship's key with an UPDATE after the INSERTs.
    pub post_update: bool,
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
        }
    }
}

/// `db.Model(..)` as declared.
#[derive(Debug, Clone)]
pub struct ModelDecl {
    pub name: String,
    pub tablename: Option<String>,
    pub columns: Vec<Column>,
    pub relationships: Vec<RelationshipDecl>,
    pub bind_key: Option<String>,
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
    pub secondary: Option<crate::orm::mapping::secondary::Secondary>,
    /// SQLAlchemy's `post_update` (on either side of a backref pair).
    pub post_update: bool,
}

/// A model: its table and what it maps.
#[derive(Debug)]
pub struct Mapper {
    pub index: usize,
    pub name: String,
    pub table: String,
    pub columns: Vec<Column>,
    pub relationships: Vec<Relationship>,
    /// Column indexes of the primary key, in declaration order.
    pub primary_key: Vec<usize>,
    pub bind_key: Option<String>,
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
    by_name: foldhash::HashMap<String, usize>,
    /// Association tables (`db.Table`), mapped by no model.
    pub tables: Vec<crate::orm::mapping::secondary::TableDecl>,
    /// What the mappers were built from, so reflection at run time can
    /// build a registry that extends this one.
    pub(crate) decls: Vec<ModelDecl>,
}

impl Registry {
    pub fn build(decls: Vec<ModelDecl>) -> Result<Registry> {
        Self::build_with_tables(decls, Vec::new())
    }

    /// Models and the association tables their many-to-many relationships use.
    pub fn build_with_tables(
        decls: Vec<ModelDecl>,
        tables: Vec<crate::orm::mapping::secondary::TableDecl>,
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

    /// The association tables that live on `bind`.
    pub fn tables_on<'a>(
        &'a self,
        bind: Option<&'a str>,
    ) -> impl Iterator<Item = &'a crate::orm::mapping::secondary::TableDecl> + 'a {
        self.tables
            .iter()
            .filter(move |t| self.table_bind(t) == bind)
    }

    /// The bind of an association table: that of the models it links.
    pub fn table_bind(&self, table: &crate::orm::mapping::secondary::TableDecl) -> Option<&str> {
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

    /// Mapper indexes sorted so that every table comes after the tables its
    /// foreign keys refer to (declaration order where nothing constrains it).
    pub fn dependency_order(&self) -> Vec<usize> {
        let n = self.mappers.len();
        let table_index: HashMap<&str, usize> = self
            .mappers
            .iter()
            .map(|m| (m.table.as_str(), m.index))
            .collect();
        let deps: Vec<Vec<usize>> = self
            .mappers
            .iter()
            .map(|m| {
                m.columns
                    .iter()
                    .filter(|c| !c.post_update)
                    .filter_map(|c| c.foreign_key.as_ref())
                    .filter_map(|fk| table_index.get(fk.table.as_str()).copied())
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
    }])
    .unwrap();
    registry.mappers[0].clone()
}

/// `table.column` of a mapper as an expression.
pub fn column_of(mapper: &Mapper, index: usize) -> Expr {
    let c = &mapper.columns[index];
    Expr::column(&mapper.table, &c.db_name, c.ty.clone())
}
