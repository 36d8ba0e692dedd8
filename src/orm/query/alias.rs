//! What a query reads under another name: SQLAlchemy's `aliased(Model)`
//! (the model's table again, for self-joins), and a select read as a
//! table, `select(..).subquery()` or `.cte()`, whose columns are `sq.c.name`
//! (and `aliased(Model, sq)`, the model's objects read from it).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use crate::error::{Error, Result, did_you_mean};
use crate::orm::mapping::model::Mapper;
use crate::orm::query::compound::CompoundStatement;
use crate::orm::query::select::{Entity, SelectStatement, column_name};
use crate::sql::anon::{anonymous, is_anonymous, shown};
use crate::sql::{ColumnType, Compound, Cte, Expr, Select, SetOp, TableRef};

/// A select read as a table.
#[derive(Debug)]
pub struct Subquery {
    name: String,
    /// Its SELECT, each column labelled with the name `sq.c` gives it.
    select: Select,
    columns: Vec<(String, Option<ColumnType>)>,
    /// The model of its FROM, whose database runs it.
    mapper: Rc<Mapper>,
    /// A `WITH name AS (..)` the enclosing statement names, rather than a
    /// `(SELECT ..) AS name` in its FROM.
    cte: bool,
    /// A CTE that may read itself (`cte(recursive=True)`), and does once
    /// `union_all(..)` gives it its recursive part.
    recursive: bool,
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
            format!("{kind} of {}", shown(&self.name))
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

/// A table or subquery in a FROM or JOIN, with the name its columns are
/// qualified by; the model whose rows it holds, where there is one.
#[derive(Debug, Clone)]
pub struct FromItem {
    mapper: Option<Rc<Mapper>>,
    name: String,
    /// The model's table under another name (`user AS user_1`).
    aliased: bool,
    subquery: Option<Rc<Subquery>>,
}

impl FromItem {
    /// The model's own table.
    pub fn table(mapper: Rc<Mapper>) -> FromItem {
        FromItem {
            name: mapper.table.clone(),
            mapper: Some(mapper),
            aliased: false,
            subquery: None,
        }
    }

    /// `aliased(Model)`, `aliased(Model, name="mgr")`.
    pub fn alias(mapper: Rc<Mapper>, name: Option<&str>) -> FromItem {
        let base = mapper.table.rsplit('.').next().unwrap_or(&mapper.table);
        FromItem {
            name: name.map_or_else(|| anonymous(base), str::to_string),
            mapper: Some(mapper),
            aliased: true,
            subquery: None,
        }
    }

    /// A subquery's rows; as `mapper`'s objects (`aliased(Model, sq)`)
    /// when the subquery has every column of it.
    pub fn subquery(sq: Rc<Subquery>, mapper: Option<Rc<Mapper>>) -> Result<FromItem> {
        if let Some(m) = &mapper
            && let Some(missing) = m
                .columns
                .iter()
                .find(|c| !sq.columns.iter().any(|(n, _)| *n == c.db_name))
        {
            return Err(Error::invalid(format!(
                "aliased({}, ..): the {} has no column `{}`; select the whole model in it, e.g. db.select({}).where(..).subquery()",
                m.name,
                sq.describe(),
                missing.db_name,
                m.name
            )));
        }
        Ok(FromItem {
            name: sq.name.clone(),
            mapper,
            aliased: true,
            subquery: Some(sq),
        })
    }

    /// The model whose rows it holds.
    pub fn mapper(&self) -> Result<&Rc<Mapper>> {
        self.mapper.as_ref().ok_or_else(|| {
            Error::invalid(format!(
                "the {} holds no model's rows: name its columns, sq.c.name",
                self.subquery
                    .as_ref()
                    .map_or_else(String::new, |s| s.describe())
            ))
        })
    }

    pub fn model(&self) -> Option<&Rc<Mapper>> {
        self.mapper.as_ref()
    }

    /// What its columns are qualified by.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether it is a model's own table, under its own name.
    pub fn is_plain(&self) -> bool {
        !self.aliased
    }

    pub fn subquery_of(&self) -> Option<&Rc<Subquery>> {
        self.subquery.as_ref()
    }

    /// Column `index` of its model, as read from it.
    pub fn column(&self, mapper: &Mapper, index: usize) -> Expr {
        let c = &mapper.columns[index];
        Expr::column(&self.name, &c.db_name, c.ty.clone())
    }

    /// How a FROM or JOIN writes it.
    pub fn table_ref(&self) -> TableRef {
        match (&self.subquery, &self.mapper) {
            (Some(sq), _) if sq.cte => TableRef::new(&sq.name),
            (Some(sq), _) => TableRef::subquery(sq.select.clone(), &sq.name),
            (None, Some(m)) if self.aliased => TableRef::aliased(&m.table, &self.name),
            _ => TableRef::new(&self.name),
        }
    }

    /// The `WITH` clauses reading it needs, in order: a CTE's own first.
    pub fn add_ctes(&self, out: &mut Vec<Cte>) {
        let Some(sq) = self.subquery.as_ref().filter(|s| s.cte) else {
            return;
        };
        let mut select = sq.select.clone();
        for inner in std::mem::take(&mut select.ctes) {
            if !out.iter().any(|c| c.name == inner.name) {
                out.push(inner);
            }
        }
        if !out.iter().any(|c| c.name == sq.name) {
            out.push(Cte {
                name: sq.name.clone(),
                select,
                recursive: sq.recursive,
            });
        }
    }

    /// `aliased(Book)`, `subquery anon_1`, for messages.
    pub fn describe(&self) -> String {
        match (&self.subquery, &self.mapper) {
            (Some(sq), Some(m)) => format!("aliased({}, {})", m.name, sq.describe()),
            (Some(sq), None) => sq.describe(),
            (None, Some(m)) if self.aliased && is_anonymous(&self.name) => {
                format!("aliased({})", m.name)
            }
            (None, Some(m)) if self.aliased => format!("aliased({}, name={:?})", m.name, self.name),
            (None, Some(m)) => m.name.clone(),
            (None, None) => self.name.clone(),
        }
    }
}
