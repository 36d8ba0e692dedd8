//! SQLAlchemy's `union(a, b)`, `union_all`, `intersect`, `except_` (and
//! their methods on a select), ordered and limited as a whole. Its rows
//! are values, named by the first select's columns: SQLAlchemy gives
//! columns, not objects, for a compound of `select(Model)`.

use crate::error::{Error, Result};
use crate::orm::query::select::{Entity, SelectStatement};
use crate::sql::{ColumnType, Compound, Expr, SetOp};

#[derive(Debug, Clone)]
pub struct CompoundStatement {
    op: SetOp,
    members: Vec<SelectStatement>,
    order_by: Vec<Expr>,
    limit: Option<u64>,
    offset: Option<u64>,
}

/// `union`, `union_all`, .. as Python spells them.
pub fn set_op_name(op: SetOp) -> &'static str {
    match op {
        SetOp::Union => "union",
        SetOp::UnionAll => "union_all",
        SetOp::Intersect => "intersect",
        SetOp::IntersectAll => "intersect_all",
        SetOp::Except => "except_",
        SetOp::ExceptAll => "except_all",
    }
}

/// The names and types of the values one select's rows hold, each model
/// spread into its columns.
fn columns_of(stmt: &SelectStatement) -> Vec<(String, Option<ColumnType>)> {
    let mut out: Vec<(String, Option<ColumnType>)> = Vec::new();
    let mut push = |base: String, ty: Option<ColumnType>| {
        let mut name = base.clone();
        let mut n = 0;
        while out.iter().any(|(c, _)| *c == name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        out.push((name, ty));
    };
    for e in stmt.entities() {
        match e.model() {
            Some((m, _)) => m
                .columns
                .iter()
                .for_each(|c| push(c.db_name.clone(), Some(c.ty.clone()))),
            None => {
                if let Entity::Column { name, expr } = e {
                    push(name.clone(), expr.type_hint().cloned());
                }
            }
        }
    }
    out
}

impl CompoundStatement {
    /// `members` joined by `op`: each must give as many columns as the first.
    pub fn new(op: SetOp, members: Vec<SelectStatement>) -> Result<CompoundStatement> {
        let name = set_op_name(op);
        if members.len() < 2 {
            return Err(Error::invalid(format!(
                "{name}() takes two selects or more: db.{name}(db.select(..), db.select(..))"
            )));
        }
        let width = columns_of(&members[0]).len();
        if members.iter().any(|m| !m.query().options.is_empty()) {
            return Err(Error::invalid(format!(
                "{name}() gives rows of columns, not objects, so loader options (options(..)) in its selects do nothing: leave them out"
            )));
        }
        for (i, m) in members.iter().enumerate().skip(1) {
            m.check_from()?;
            let n = columns_of(m).len();
            if n != width {
                return Err(Error::invalid(format!(
                    "{name}(): select {} gives {n} columns where the first gives {width}; every select of a {name} gives the same number",
                    i + 1
                )));
            }
        }
        members[0].check_from()?;
        Ok(CompoundStatement {
            op,
            members,
            order_by: Vec::new(),
            limit: None,
            offset: None,
        })
    }

    /// The names of the row's values (the first select's).
    pub fn column_names(&self) -> Vec<String> {
        columns_of(&self.members[0])
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    }

    /// The selects joined.
    pub fn members(&self) -> &[SelectStatement] {
        &self.members
    }

    /// `order_by(..)` of the whole: a column of the result, by name
    /// (`User.name`, its `.desc()`, a label's name, or the name alone as
    /// a column of no table, `order_by("name")`).
    pub fn order_by(mut self, expr: Expr) -> Result<CompoundStatement> {
        let names = self.column_names();
        let bare = |e: &Expr| -> Result<Expr> {
            let name = match e {
                Expr::Column(c) => c.column.clone(),
                Expr::Label { name, .. } => name.clone(),
                other => {
                    return Err(Error::invalid(format!(
                        "order_by() of a {} takes its columns ({}), not {}",
                        set_op_name(self.op),
                        names.join(", "),
                        other.describe()
                    )));
                }
            };
            if !names.contains(&name) {
                return Err(Error::invalid(format!(
                    "order_by({name}): the {} has no column `{name}`; it has {}",
                    set_op_name(self.op),
                    names.join(", ")
                )));
            }
            Ok(Expr::untyped_column("", &name))
        };
        let ordered = match &expr {
            Expr::Ordering { expr, descending } => Expr::Ordering {
                expr: Box::new(bare(expr)?),
                descending: *descending,
            },
            Expr::NullsOrder { .. } => {
                return Err(Error::invalid(format!(
                    "order_by() of a {} takes columns and their asc()/desc(), not nulls_first()/nulls_last()",
                    set_op_name(self.op)
                )));
            }
            other => bare(other)?,
        };
        self.order_by.push(ordered);
        Ok(self)
    }

    /// `order_by()` with nothing: no ordering.
    pub fn clear_order(mut self) -> CompoundStatement {
        self.order_by.clear();
        self
    }

    pub fn limit(mut self, n: u64) -> CompoundStatement {
        self.limit = Some(n);
        self
    }

    pub fn offset(mut self, n: u64) -> CompoundStatement {
        self.offset = Some(n);
        self
    }

    /// The statement tree, with the types to decode each column by (the
    /// first select's, else the first typed one's).
    pub fn to_compound(&self) -> (Compound, Vec<Option<ColumnType>>) {
        let mut types: Vec<Option<ColumnType>> = columns_of(&self.members[0])
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        for m in &self.members[1..] {
            for (t, (_, other)) in types.iter_mut().zip(columns_of(m)) {
                if t.is_none() {
                    *t = other;
                }
            }
        }
        let compound = Compound {
            op: self.op,
            members: self.members.iter().map(|m| m.to_select().0).collect(),
            order_by: self.order_by.clone(),
            limit: self.limit,
            offset: self.offset,
        };
        (compound, types)
    }

    /// The model of the first select's FROM, whose database runs it.
    pub fn mapper(&self) -> &std::rc::Rc<crate::orm::mapping::model::Mapper> {
        self.members[0].query().mapper()
    }
}
