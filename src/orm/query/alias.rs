//! What a query reads under another name: SQLAlchemy's `aliased(Model)`
//! (the model's table again, for self-joins), a subquery or CTE
//! (`subquery`), and `aliased(Model, sq)`, the model's objects read from one.

use std::rc::Rc;

use crate::error::{Error, Result};
use crate::orm::mapping::model::{Mapper, column_of};
pub use crate::orm::query::subquery::{Subquery, known_subquery};
use crate::sql::anon::{anonymous, is_anonymous};
use crate::sql::{Cte, Expr, TableRef};

/// An alias of a model in an inheritance hierarchy would need its
/// discriminator or its tables under the alias too, which ormsh does not
/// write.
fn refuse_hierarchy(mapper: &Mapper) -> Result<()> {
    match mapper.inheritance {
        Some(_) => Err(Error::invalid(format!(
            "aliased({}): an alias of a model in an inheritance hierarchy is not supported by ormsh; join it under its own name, or select its columns in a subquery",
            mapper.name
        ))),
        None => Ok(()),
    }
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

    /// `aliased(Model)`, `aliased(Model, name="mgr")`. A `column_property`
    /// that holds a subquery would correlate to the table, not the alias:
    /// refused.
    pub fn alias(mapper: Rc<Mapper>, name: Option<&str>) -> Result<FromItem> {
        refuse_hierarchy(&mapper)?;
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
        let base = mapper.table.rsplit('.').next().unwrap_or(&mapper.table);
        Ok(FromItem {
            name: name.map_or_else(|| anonymous(base), str::to_string),
            mapper: Some(mapper),
            aliased: true,
            subquery: None,
        })
    }

    /// A subquery's rows; as `mapper`'s objects (`aliased(Model, sq)`)
    /// when the subquery has every column of it.
    pub fn subquery(sq: Rc<Subquery>, mapper: Option<Rc<Mapper>>) -> Result<FromItem> {
        if let Some(m) = &mapper {
            refuse_hierarchy(m)?;
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

    /// Column `index` of its model, as read from it: a `column_property`
    /// reads the alias's columns in place of the table's.
    pub fn column(&self, mapper: &Mapper, index: usize) -> Expr {
        if !self.aliased {
            return column_of(mapper, index);
        }
        let c = &mapper.columns[index];
        match &c.expression {
            Some(expression) => self.retable(mapper, expression),
            None => Expr::column(&self.name, &c.db_name, c.ty.clone()),
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

    /// `e` with the columns of `mapper`'s tables read from this instead.
    fn retable(&self, mapper: &Mapper, e: &Expr) -> Expr {
        let tables: Vec<&str> = (0..mapper.columns.len())
            .map(|i| mapper.column_table(i))
            .collect();
        e.map_columns(&|col| {
            tables.contains(&col.table.as_str()).then(|| {
                Expr::Column(crate::sql::ColumnRef {
                    table: self.name.clone(),
                    via: None,
                    ..col.clone()
                })
            })
        })
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
