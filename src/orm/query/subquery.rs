//! A select read as a table: `select(..).subquery()`, `.cte()` (recursive
//! too), and a union's `subquery()`, whose columns are `sq.c.name`, each
//! labelled in its SELECT with the name `sq.c` gives it.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use crate::error::{Error, Result, did_you_mean};
use crate::orm::mapping::model::Mapper;
use crate::orm::query::compound::CompoundStatement;
use crate::orm::query::select::{Entity, SelectStatement, column_name};
use crate::sql::anon::{anonymous, is_anonymous};
use crate::sql::{ColumnType, Compound, Expr, Select, SetOp};

/// A select read as a table.
#[derive(Debug)]
pub struct Subquery {
    pub(super) name: String,
    /// Its SELECT, each column labelled with the name `sq.c` gives it.
    pub(super) select: Select,
    pub(super) columns: Vec<(String, Option<ColumnType>)>,
    /// The model of its FROM, whose database runs it.
    pub(super) mapper: Rc<Mapper>,
    /// A `WITH name AS (..)` the enclosing statement names, rather than a
    /// `(SELECT ..) AS name` in its FROM.
    pub(super) cte: bool,
    /// A CTE that may read itself (`cte(recursive=True)`), and does once
    /// `union_all(..)` gives it its recursive part.
    pub(super) recursive: bool,
}

thread_local! {
    /// The subqueries alive, by name: `select(sq.c.n)` reads FROM the
    /// subquery its first column names.
    static KNOWN: RefCell<Vec<Weak<Subquery>>> = const { RefCell::new(Vec::new()) };
}

/// The subquery (or CTE) whose columns are qualified by `name`.
pub fn known_subquery(name: &str) -> Option<Rc<Subquery>> {
    KNOWN.with(|k| {
        let mut k = k.borrow_mut();
        k.retain(|w| w.strong_count() > 0);
        k.iter()
            .rev()
            .filter_map(Weak::upgrade)
            .find(|s| s.name == name)
    })
}

impl Subquery {
    /// `stmt.subquery(name)` / `stmt.cte(name)`; no name, an anonymous
    /// one (`anon_1`).
    pub fn new(stmt: &SelectStatement, name: Option<&str>, cte: bool) -> Result<Rc<Subquery>> {
        let mut select = stmt.to_subquery()?;
        let mut columns: Vec<(String, Option<ColumnType>)> = Vec::new();
        let mut names = Vec::new();
        for e in stmt.entities() {
            match e {
                Entity::Model(m) => names.extend(m.columns.iter().map(|c| c.db_name.clone())),
                Entity::Alias(a) => {
                    names.extend(a.mapper()?.columns.iter().map(|c| c.db_name.clone()))
                }
                Entity::Column { expr, .. } => names.push(column_name(expr)),
            }
        }
        let names = unique_names(names);
        columns.extend(
            select
                .columns
                .iter()
                .zip(&names)
                .map(|(e, n)| (n.clone(), e.type_hint().cloned())),
        );
        select.columns = labelled(std::mem::take(&mut select.columns), &names);
        let sq = Rc::new(Subquery {
            name: name.map_or_else(|| anonymous("anon"), str::to_string),
            select,
            columns,
            mapper: stmt.query().mapper().clone(),
            cte,
            recursive: false,
        });
        KNOWN.with(|k| k.borrow_mut().push(Rc::downgrade(&sq)));
        Ok(sq)
    }

    /// `union(..).subquery(name)`: its columns named by the first
    /// select's, in every select.
    pub fn of_compound(
        stmt: &CompoundStatement,
        name: Option<&str>,
        cte: bool,
    ) -> Result<Rc<Subquery>> {
        let (mut compound, types) = stmt.to_compound();
        let names = stmt.column_names();
        for member in &mut compound.members {
            member.columns = labelled(std::mem::take(&mut member.columns), &names);
        }
        let sq = Rc::new(Subquery {
            name: name.map_or_else(|| anonymous("anon"), str::to_string),
            select: Select {
                compound: Some(Box::new(compound)),
                ..Select::default()
            },
            columns: names.into_iter().zip(types).collect(),
            mapper: stmt.mapper().clone(),
            cte,
            recursive: false,
        });
        KNOWN.with(|k| k.borrow_mut().push(Rc::downgrade(&sq)));
        Ok(sq)
    }

    /// `cte(recursive=True)`: a CTE its `union_all(..)` may read.
    pub fn recursive(stmt: &SelectStatement, name: Option<&str>) -> Result<Rc<Subquery>> {
        let sq = Subquery::new(stmt, name, true)?;
        let mut sq = Rc::try_unwrap(sq).expect("a new subquery");
        sq.recursive = true;
        let sq = Rc::new(sq);
        KNOWN.with(|k| k.borrow_mut().push(Rc::downgrade(&sq)));
        Ok(sq)
    }

    /// `c.union_all(select)` of a recursive CTE: its first select, then
    /// `select`, which reads the CTE's rows so far.
    pub fn with_recursive_part(&self, op: SetOp, stmt: &SelectStatement) -> Result<Rc<Subquery>> {
        if !self.cte || !self.recursive {
            return Err(Error::invalid(format!(
                "{}.{}(..) is for a recursive CTE: make it with cte(#{{ recursive: true }})",
                self.describe(),
                crate::orm::query::compound::set_op_name(op)
            )));
        }
        if self.select.compound.is_some() {
            return Err(Error::invalid(format!(
                "the {} has its recursive part already",
                self.describe()
            )));
        }
        let mut part = stmt.to_subquery()?;
        if part.columns.len() != self.columns.len() {
            return Err(Error::invalid(format!(
                "the recursive part of the {} gives {} columns where it has {} ({})",
                self.describe(),
                part.columns.len(),
                self.columns.len(),
                self.column_names().join(", ")
            )));
        }
        // It reads the CTE by name, not through a WITH of its own.
        part.ctes.retain(|c| c.name != self.name);
        part.columns = labelled(std::mem::take(&mut part.columns), &self.column_names());
        let sq = Rc::new(Subquery {
            name: self.name.clone(),
            select: Select {
                compound: Some(Box::new(Compound {
                    op,
                    members: vec![self.select.clone(), part],
                    order_by: Vec::new(),
                    limit: None,
                    offset: None,
                })),
                ..Select::default()
            },
            columns: self.columns.clone(),
            mapper: self.mapper.clone(),
            cte: true,
            recursive: true,
        });
        KNOWN.with(|k| k.borrow_mut().push(Rc::downgrade(&sq)));
        Ok(sq)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn is_cte(&self) -> bool {
        self.cte
    }

    pub fn mapper(&self) -> &Rc<Mapper> {
        &self.mapper
    }

    pub fn column_names(&self) -> Vec<String> {
        self.columns.iter().map(|(n, _)| n.clone()).collect()
    }

    /// `sq.c.name`.
    pub fn column(&self, name: &str) -> Result<Expr> {
        match self.columns.iter().find(|(n, _)| n == name) {
            Some((n, Some(ty))) => Ok(Expr::column(&self.name, n, ty.clone())),
            Some((n, None)) => Ok(Expr::untyped_column(&self.name, n)),
            None => Err(Error::unknown(format!(
                "the {} has no column `{name}`; it has {}{}",
                self.describe(),
                self.column_names().join(", "),
                did_you_mean(name, self.columns.iter().map(|(n, _)| n.as_str()))
            ))),
        }
    }

    /// Every column, in order (`select(sq)`).
    pub fn columns(&self) -> Vec<Expr> {
        self.columns
            .iter()
            .map(|(n, _)| self.column(n).expect("its own column"))
            .collect()
    }

    /// `subquery anon_1`, `CTE counts`, for messages.
    pub fn describe(&self) -> String {
        let kind = if self.cte { "CTE" } else { "subquery" };
        if is_anonymous(&self.name) {
            kind.to_string()
        } else {
            format!("{kind} {}", self.name)
        }
    }
}

/// `names` made unique as SQLAlchemy makes a subquery's: `id`, `id_1`.
fn unique_names(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for base in names {
        let mut name = base.clone();
        let mut n = 0;
        while out.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        out.push(name);
    }
    out
}

/// Each column under its name (a label's own name replaced).
fn labelled(columns: Vec<Expr>, names: &[String]) -> Vec<Expr> {
    columns
        .into_iter()
        .zip(names)
        .map(|(expr, name)| {
            let name = name.clone();
            match expr {
                Expr::Label { expr, .. } => Expr::Label { expr, name },
                other => Expr::Label {
                    expr: Box::new(other),
                    name,
                },
            }
        })
        .collect()
}
