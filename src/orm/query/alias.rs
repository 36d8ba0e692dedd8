//! What a query reads under another name: SQLAlchemy's `aliased(Model)`
//! (the model's table again, for self-joins), a subquery or CTE
//! (`subquery`), and `aliased(Model, sq)`, the model's objects read from one.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use crate::error::{Error, Result};
use crate::orm::mapping::model::{Mapper, column_of};
pub use crate::orm::query::subquery::{Subquery, known_subquery};
use crate::sql::anon::{anonymous, is_anonymous};
use crate::sql::{Cte, Expr, Join, TableRef};

/// A subquery's rows as a model whose rows span tables (joined-table
/// inheritance) would need each table's key told apart in it (`id`,
/// `id_1`), which ormsh does not map back.
fn refuse_joined(mapper: &Mapper) -> Result<()> {
    if mapper.is_joined() {
        return Err(Error::invalid(format!(
            "aliased({}, sq): {}'s rows span the tables {}, which ormsh does not read back from a subquery; use aliased({}) and filter it, or select its columns in the subquery",
            mapper.name,
            mapper.name,
            table_names(mapper).join(" and "),
            mapper.name
        )));
    }
    Ok(())
}

/// The tables a row of the model spans, its root's first.
fn table_names(mapper: &Mapper) -> Vec<&str> {
    match &mapper.inheritance {
        Some(inh) => inh.tables.iter().map(|t| t.name.as_str()).collect(),
        None => vec![mapper.table.as_str()],
    }
}

fn unqualified(table: &str) -> &str {
    table.rsplit('.').next().unwrap_or(table)
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
    /// An alias of a model whose rows span tables (joined-table
    /// inheritance): the names its tables after the root's are read under,
    /// in the order of `Inheritance::tables` (the root's is `name`), as
    /// SQLAlchemy's `aliased(Model, flat=True)` names each table.
    joined: Vec<String>,
    /// An alias's copies hold it; `KNOWN` forgets the alias when the last
    /// copy goes.
    _token: Option<Rc<()>>,
}

thread_local! {
    /// The aliases of models alive, by name: `select(m.name)` reads FROM
    /// the alias its first column names, as a subquery's columns do.
    static KNOWN: RefCell<Vec<(Weak<()>, FromItem)>> = const { RefCell::new(Vec::new()) };
}

/// The alias of a model whose columns are qualified by `name`.
pub fn known_alias(name: &str) -> Option<FromItem> {
    KNOWN.with(|k| {
        let mut k = k.borrow_mut();
        k.retain(|(w, _)| w.strong_count() > 0);
        k.iter()
            .rev()
            .find(|(_, item)| item.name == name)
            .map(|(_, item)| item.clone())
    })
}

impl FromItem {
    /// The model's own table.
    pub fn table(mapper: Rc<Mapper>) -> FromItem {
        FromItem {
            name: mapper.table.clone(),
            mapper: Some(mapper),
            aliased: false,
            subquery: None,
            joined: Vec::new(),
            _token: None,
        }
    }

    /// `aliased(Model)`, `aliased(Model, name="mgr")`. A model in an
    /// inheritance hierarchy is read from its root's table under the name;
    /// the other tables a row of it spans each get an anonymous name. A
    /// `column_property` that holds a subquery would correlate to the
    /// table, not the alias: refused.
    pub fn alias(mapper: Rc<Mapper>, name: Option<&str>) -> Result<FromItem> {
        if let Some(c) = mapper
            .columns
            .iter()
            .find(|c| c.expression.as_ref().is_some_and(|e| e.reads_a_subquery()))
        {
            return Err(Error::invalid(format!(
                "aliased({}): its column_property `{}` holds a subquery, which ormsh does not read through an alias",
                mapper.name, c.name
            )));
        }
        let tables = table_names(&mapper);
        let joined = tables[1..]
            .iter()
            .map(|t| anonymous(unqualified(t)))
            .collect();
        let item = FromItem {
            name: name.map_or_else(|| anonymous(unqualified(tables[0])), str::to_string),
            mapper: Some(mapper),
            aliased: true,
            subquery: None,
            joined,
            _token: None,
        };
        let token = Rc::new(());
        KNOWN.with(|k| k.borrow_mut().push((Rc::downgrade(&token), item.clone())));
        Ok(FromItem {
            _token: Some(token),
            ..item
        })
    }

    /// A subquery's rows; as `mapper`'s objects (`aliased(Model, sq)`)
    /// when the subquery has every column of it.
    pub fn subquery(sq: Rc<Subquery>, mapper: Option<Rc<Mapper>>) -> Result<FromItem> {
        if let Some(m) = &mapper {
            refuse_joined(m)?;
        }
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
            joined: Vec::new(),
            _token: None,
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

    /// Every name its columns are qualified by: an alias of a model whose
    /// rows span tables has one per table.
    pub fn names(&self) -> Vec<String> {
        std::iter::once(self.name.clone())
            .chain(self.joined.iter().cloned())
            .collect()
    }

    /// What column `index` of `mapper` is qualified by when read from it:
    /// under joined-table inheritance, the name of the table that holds it.
    fn qualifier_of(&self, mapper: &Mapper, index: usize) -> &str {
        match &mapper.inheritance {
            Some(inh) if !self.joined.is_empty() => match inh.column_tables[index] {
                0 => &self.name,
                t => self.joined.get(t - 1).unwrap_or(&self.name),
            },
            _ => &self.name,
        }
    }

    /// Column `index` of its model, as read from it: a `column_property`
    /// reads the alias's columns in place of the table's.
    pub fn column(&self, mapper: &Mapper, index: usize) -> Expr {
        if !self.aliased {
            return column_of(mapper, index);
        }
        let c = &mapper.columns[index];
        match &c.expression {
            Some(expression) => self.retable(mapper, expression),
            None => Expr::column(self.qualifier_of(mapper, index), &c.db_name, c.ty.clone()),
        }
    }

    /// An expression of `mapper`'s columns (a hybrid property's) as read
    /// from this: refused when it holds a subquery, whose correlation
    /// names the table.
    pub fn read_through(&self, mapper: &Mapper, e: &Expr) -> Result<Expr> {
        if !self.aliased {
            return Ok(e.clone());
        }
        if e.reads_a_subquery() {
            return Err(Error::invalid(format!(
                "an expression of {} with a subquery is not read through an alias ({}) by ormsh",
                mapper.name, self.name
            )));
        }
        Ok(self.retable(mapper, e))
    }

    /// `e` with the columns of `mapper`'s tables read from this instead,
    /// each table's under its name here.
    fn retable(&self, mapper: &Mapper, e: &Expr) -> Expr {
        let tables = table_names(mapper);
        e.map_columns(&|col| {
            let t = tables.iter().position(|t| *t == col.table)?;
            let name = match t {
                0 => &self.name,
                t => self.joined.get(t - 1).unwrap_or(&self.name),
            };
            Some(Expr::Column(crate::sql::ColumnRef {
                table: name.clone(),
                via: None,
                ..col.clone()
            }))
        })
    }

    /// How a FROM or JOIN writes it (the root's table, for a model whose
    /// rows span tables: `inherited_joins` adds the rest).
    pub fn table_ref(&self) -> TableRef {
        match (&self.subquery, &self.mapper) {
            (Some(sq), _) if sq.cte => TableRef::new(&sq.name),
            (Some(sq), _) => TableRef::subquery(sq.select.clone(), &sq.name),
            (None, Some(m)) if self.aliased => TableRef::aliased(m.from_table(), &self.name),
            (None, Some(m)) => TableRef::new(m.from_table()),
            (None, None) => TableRef::new(&self.name),
        }
    }

    /// The joins of the other tables a row of its model spans (joined-
    /// table inheritance), each under its name here.
    pub fn inherited_joins(&self) -> Vec<Join> {
        match (&self.subquery, &self.mapper) {
            (None, Some(m)) if self.aliased => m.inherited_joins_as(&self.names()),
            (None, Some(m)) => m.inherited_joins(),
            _ => Vec::new(),
        }
    }

    /// Its model's rows only, where the model shares a table with others
    /// (single-table inheritance): `employee_1.type IN ('manager')`, the
    /// discriminator read from it.
    pub fn criterion(&self) -> Option<Expr> {
        let m = self.mapper.as_ref()?;
        if !self.aliased {
            return m.polymorphic_criterion(None);
        }
        let on = m.inheritance.as_ref()?.polymorphic_on?;
        m.polymorphic_criterion(Some(self.qualifier_of(m, on)))
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
