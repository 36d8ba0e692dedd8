//! A table's constraints and indexes beyond what its columns say, as
//! SQLAlchemy's `__table_args__` and `db.Table(..)` declare them:
//! `UniqueConstraint`, `CheckConstraint`, `PrimaryKeyConstraint`,
//! `ForeignKeyConstraint` and `Index`, each with its name if it has one.
//! Declared columns are named as the models name them (attribute or
//! database name); `resolve` checks them against the table and leaves
//! database names, so DDL and drift work from those alone.

use crate::error::{Error, Result, did_you_mean};
use crate::orm::mapping::column::{Column, ForeignKey, referential_action};
use crate::orm::mapping::naming_convention::{NamingConvention, Subject};

/// What one constraint or index is.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstraintKind {
    /// `PrimaryKeyConstraint("a", "b")`: the key, in its order.
    PrimaryKey(Vec<String>),
    /// `UniqueConstraint("a", "b")`.
    Unique(Vec<String>),
    /// `CheckConstraint("price > 0")`: SQL as written, into CREATE TABLE.
    Check(String),
    /// `ForeignKeyConstraint(["a", "b"], ["t.x", "t.y"])`.
    ForeignKey {
        columns: Vec<String>,
        ref_table: String,
        ref_columns: Vec<String>,
        on_delete: Option<String>,
        on_update: Option<String>,
    },
    /// `Index("ix_name", "a", "b", unique=True)`: a CREATE INDEX of its own.
    Index { columns: Vec<String>, unique: bool },
}

/// One declared constraint or index.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    /// `name=`; `None` leaves the name to the database (an index always has one).
    pub name: Option<String>,
    pub kind: ConstraintKind,
    /// The line of the models file that declares it, for its errors.
    pub line: Option<usize>,
    /// Made from a column's own `unique`, `index`, `primary_key` or
    /// `ForeignKey` to carry the name a naming convention gives it: DDL
    /// writes it in the column's place, drift and the dump leave it to the column.
    pub from_column: bool,
    /// The name as declared, once a naming convention has named it
    /// (`Some(None)`: declared without one): what the dump writes back.
    pub declared_name: Option<Option<String>>,
}

impl Constraint {
    pub fn new(kind: ConstraintKind) -> Constraint {
        Constraint {
            name: None,
            kind,
            line: None,
            from_column: false,
            declared_name: None,
        }
    }

    /// The columns it names (none for a CHECK).
    pub fn columns(&self) -> &[String] {
        match &self.kind {
            ConstraintKind::PrimaryKey(c) | ConstraintKind::Unique(c) => c,
            ConstraintKind::ForeignKey { columns, .. } | ConstraintKind::Index { columns, .. } => {
                columns
            }
            ConstraintKind::Check(_) => &[],
        }
    }

    fn columns_mut(&mut self) -> Option<&mut Vec<String>> {
        match &mut self.kind {
            ConstraintKind::PrimaryKey(c) | ConstraintKind::Unique(c) => Some(c),
            ConstraintKind::ForeignKey { columns, .. } | ConstraintKind::Index { columns, .. } => {
                Some(columns)
            }
            ConstraintKind::Check(_) => None,
        }
    }

    /// How the models file spells it (`db.UniqueConstraint`), for messages.
    pub fn spelling(&self) -> &'static str {
        match self.kind {
            ConstraintKind::PrimaryKey(_) => "db.PrimaryKeyConstraint",
            ConstraintKind::Unique(_) => "db.UniqueConstraint",
            ConstraintKind::Check(_) => "db.CheckConstraint",
            ConstraintKind::ForeignKey { .. } => "db.ForeignKeyConstraint",
            ConstraintKind::Index { .. } => "db.Index",
        }
    }

    /// A `ForeignKeyConstraint` from its column lists, checked for shape.
    pub fn foreign_key(
        columns: Vec<String>,
        targets: &[String],
        on_delete: Option<&str>,
        on_update: Option<&str>,
    ) -> Result<Constraint> {
        if columns.is_empty() || columns.len() != targets.len() {
            return Err(Error::invalid(format!(
                "db.ForeignKeyConstraint names {} column(s) and {} referred column(s); give one `table.column` for each column",
                columns.len(),
                targets.len()
            )));
        }
        let mut ref_table: Option<String> = None;
        let mut ref_columns = Vec::new();
        for t in targets {
            let fk = ForeignKey::parse(t)?;
            if ref_table.as_ref().is_some_and(|r| *r != fk.table) {
                return Err(Error::invalid(format!(
                    "db.ForeignKeyConstraint refers to more than one table ({} and {}); a foreign key refers to one",
                    ref_table.unwrap_or_default(),
                    fk.table
                )));
            }
            ref_table = Some(fk.table);
            ref_columns.push(fk.column);
        }
        let action = |a: Option<&str>| a.map(referential_action).transpose();
        Ok(Constraint::new(ConstraintKind::ForeignKey {
            columns,
            ref_table: ref_table.unwrap_or_default(),
            ref_columns,
            on_delete: action(on_delete)?,
            on_update: action(on_update)?,
        }))
    }
}

/// An error of the declaration at `line`, located there.
fn at(line: Option<usize>, message: String) -> Error {
    match line {
        Some(line) => Error::Declaration { line, message },
        None => Error::invalid(message),
    }
}

/// Check `constraints` of the table `owner` (a model's name, or `table
/// name` for an association table) against its `columns`, and leave each
/// column named by its database name. A primary key constraint marks its
/// columns as the key; columns of a foreign key constraint learn what they
/// refer to (for relationships), unless they say so themselves.
pub fn resolve(
    owner: &str,
    columns: &mut [Column],
    constraints: &mut [Constraint],
) -> Result<Option<Vec<usize>>> {
    let mut primary_key = None;
    let mut names: Vec<&str> = Vec::new();
    for c in constraints.iter() {
        if let Some(name) = c.name.as_deref() {
            if name.is_empty() {
                return Err(at(
                    c.line,
                    format!("{owner}: {} has an empty name", c.spelling()),
                ));
            }
            if names.contains(&name) {
                return Err(at(
                    c.line,
                    format!("{owner}: two constraints or indexes are named `{name}`"),
                ));
            }
            names.push(name);
        }
    }
    for c in constraints.iter_mut() {
        let line = c.line;
        let spelling = c.spelling();
        match &c.kind {
            ConstraintKind::Check(sql) if sql.trim().is_empty() => {
                return Err(at(line, format!("{owner}: {spelling} has no SQL")));
            }
            ConstraintKind::Check(_) => continue,
            ConstraintKind::Index { .. } if c.name.is_none() => {
                return Err(at(
                    line,
                    format!(
                        "{owner}: {spelling} needs a name as its first argument, like db.Index(\"ix_{}_{}\", ..)",
                        crate::sql::introspect::unqualified(owner).to_lowercase(),
                        c.columns().join("_")
                    ),
                ));
            }
            _ => {}
        }
        if c.columns().is_empty() {
            return Err(at(line, format!("{owner}: {spelling} names no column")));
        }
        let mut seen: Vec<usize> = Vec::new();
        for name in c.columns_mut().into_iter().flatten() {
            let i = columns
                .iter()
                .position(|col| col.name == *name)
                .or_else(|| columns.iter().position(|col| col.db_name == *name))
                .ok_or_else(|| {
                    at(
                        line,
                        format!(
                            "{owner}: {spelling} names the column `{name}`, which the table does not have{}",
                            did_you_mean(name, columns.iter().map(|c| c.name.as_str()))
                        ),
                    )
                })?;
            if seen.contains(&i) {
                return Err(at(
                    line,
                    format!("{owner}: {spelling} names the column `{name}` twice"),
                ));
            }
            seen.push(i);
            *name = columns[i].db_name.clone();
        }
        match &c.kind {
            ConstraintKind::PrimaryKey(_) => {
                if primary_key.is_some() {
                    return Err(at(
                        line,
                        format!(
                            "{owner}: a table has one primary key; {spelling} is declared twice"
                        ),
                    ));
                }
                let flagged: Vec<usize> = (0..columns.len())
                    .filter(|&i| columns[i].primary_key)
                    .collect();
                let mut sorted = seen.clone();
                sorted.sort_unstable();
                if !flagged.is_empty() && flagged != sorted {
                    return Err(at(
                        line,
                        format!(
                            "{owner}: {spelling} names {}, but the columns marked primary_key are {}; declare the key one way",
                            c.columns().join(", "),
                            flagged
                                .iter()
                                .map(|&i| columns[i].name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                for &i in &seen {
                    columns[i].primary_key = true;
                    columns[i].nullable = false;
                }
                primary_key = Some(seen);
            }
            ConstraintKind::ForeignKey {
                ref_table,
                ref_columns,
                on_delete,
                on_update,
                ..
            } => {
                for (&i, ref_column) in seen.iter().zip(ref_columns) {
                    let col = &mut columns[i];
                    match &col.foreign_key {
                        Some(fk) if fk.table != *ref_table || fk.column != *ref_column => {
                            return Err(at(
                                line,
                                format!(
                                    "{owner}: {spelling} makes {} refer to {ref_table}.{ref_column}, but its db.ForeignKey refers to {}.{}",
                                    col.name, fk.table, fk.column
                                ),
                            ));
                        }
                        // The same key said twice (or a table resolved again).
                        Some(fk) if fk.on_delete == *on_delete && fk.on_update == *on_update => {}
                        Some(_) => {
                            return Err(at(
                                line,
                                format!(
                                    "{owner}: {} has a db.ForeignKey with other actions and is in {spelling} too; declare the key once",
                                    col.name
                                ),
                            ));
                        }
                        None => {
                            col.foreign_key = Some(ForeignKey {
                                table: ref_table.clone(),
                                column: ref_column.clone(),
                                on_delete: on_delete.clone(),
                                on_update: on_update.clone(),
                                // The constraint names the key.
                                name: None,
                                merges: true,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(primary_key)
}

/// The convention's kind of a constraint (`uq`, `ix`, ..).
fn convention_kind(kind: &ConstraintKind) -> &'static str {
    match kind {
        ConstraintKind::PrimaryKey(_) => "pk",
        ConstraintKind::Unique(_) => "uq",
        ConstraintKind::Check(_) => "ck",
        ConstraintKind::ForeignKey { .. } => "fk",
        ConstraintKind::Index { .. } => "ix",
    }
}

/// Name the constraints of the table `table` (resolved, so columns by
/// database name) as `convention` says, and add, for what its columns
/// declare themselves (`unique`, `index`, `primary_key`, `ForeignKey`), a
/// constraint that carries the convention's name where the convention
/// names that kind otherwise than SQLAlchemy's default does.
pub fn apply_convention(
    owner: &str,
    table: &str,
    columns: &[Column],
    constraints: &mut Vec<Constraint>,
    primary_key: &[usize],
    convention: &NamingConvention,
) -> Result<()> {
    let key_of = |db_name: &str| {
        columns
            .iter()
            .find(|c| c.db_name == db_name)
            .map_or(db_name, |c| c.name.as_str())
            .to_string()
    };
    let keys: Vec<Vec<String>> = constraints
        .iter()
        .map(|c| c.columns().iter().map(|n| key_of(n)).collect())
        .collect();
    for (c, keys) in constraints.iter_mut().zip(&keys) {
        // Named once already (a registry built again): from the declared name.
        let declared = c.declared_name.take().unwrap_or_else(|| c.name.clone());
        c.name = declared.clone();
        c.declared_name = Some(declared);
        let (referred_table, referred_columns) = match &c.kind {
            ConstraintKind::ForeignKey {
                ref_table,
                ref_columns,
                ..
            } => (
                Some(ref_table.as_str()),
                ref_columns.iter().map(String::as_str).collect(),
            ),
            _ => (None, Vec::new()),
        };
        let subject = Subject {
            table,
            columns: c
                .columns()
                .iter()
                .zip(keys)
                .map(|(n, k)| (n.as_str(), k.as_str()))
                .collect(),
            referred_table,
            referred_columns,
            name: c.name.as_deref(),
        };
        let named = convention
            .name(convention_kind(&c.kind), &subject)
            .map_err(|e| at(c.line, format!("{owner}: {} {e}", c.spelling())))?;
        c.name = named;
    }
    let default = NamingConvention::default();
    let names = |kind: &str| convention.template(kind) != default.template(kind);
    let mut made = Vec::new();
    let declared_key = constraints
        .iter()
        .any(|c| matches!(c.kind, ConstraintKind::PrimaryKey(_)));
    if names("pk") && !declared_key && !primary_key.is_empty() {
        made.push(Constraint::new(ConstraintKind::PrimaryKey(
            primary_key
                .iter()
                .map(|&i| columns[i].db_name.clone())
                .collect(),
        )));
    }
    for c in columns {
        if names("uq") && c.unique && !c.index && !c.primary_key {
            made.push(Constraint::new(ConstraintKind::Unique(vec![
                c.db_name.clone(),
            ])));
        }
    }
    let in_declared_key: Vec<&String> = declared_foreign_keys(constraints)
        .flat_map(|c| c.columns())
        .collect();
    for c in columns {
        if let Some(fk) = &c.foreign_key
            && names("fk")
            && !in_declared_key.contains(&&c.db_name)
        {
            // Its own `name=` stands unless the template uses it.
            made.push(Constraint {
                name: fk.name.clone(),
                ..Constraint::new(ConstraintKind::ForeignKey {
                    columns: vec![c.db_name.clone()],
                    ref_table: fk.table.clone(),
                    ref_columns: vec![fk.column.clone()],
                    on_delete: fk.on_delete.clone(),
                    on_update: fk.on_update.clone(),
                })
            });
        }
    }
    for c in columns {
        if names("ix") && c.index {
            made.push(Constraint::new(ConstraintKind::Index {
                columns: vec![c.db_name.clone()],
                unique: c.unique,
            }));
        }
    }
    for mut c in made {
        c.from_column = true;
        let referred: Vec<&str> = match &c.kind {
            ConstraintKind::ForeignKey { ref_columns, .. } => {
                ref_columns.iter().map(String::as_str).collect()
            }
            _ => Vec::new(),
        };
        let subject = Subject {
            table,
            columns: c
                .columns()
                .iter()
                .map(|n| {
                    let key = columns
                        .iter()
                        .find(|col| col.db_name == *n)
                        .map_or(n.as_str(), |col| col.name.as_str());
                    (n.as_str(), key)
                })
                .collect(),
            referred_table: match &c.kind {
                ConstraintKind::ForeignKey { ref_table, .. } => Some(ref_table.as_str()),
                _ => None,
            },
            referred_columns: referred,
            name: c.name.as_deref(),
        };
        let named = convention
            .name(convention_kind(&c.kind), &subject)
            .map_err(|e| Error::invalid(format!("{owner}: {e}")))?;
        if named.is_none() && matches!(c.kind, ConstraintKind::Index { .. }) {
            return Err(Error::invalid(format!(
                "{owner}: the index of {} has no name: the naming convention has no `ix` template (SQLAlchemy cannot create it either); add one, like ix: \"ix_%(column_0_label)s\"",
                c.columns().join(", ")
            )));
        }
        c.name = named;
        constraints.push(c);
    }
    Ok(())
}

/// The declared foreign key constraints, for the DDL.
pub fn declared_foreign_keys(constraints: &[Constraint]) -> impl Iterator<Item = &Constraint> {
    constraints
        .iter()
        .filter(|c| matches!(c.kind, ConstraintKind::ForeignKey { .. }))
}
