//! Many-to-many through an association table (`db.Table` plus
//! `secondary:`): resolving which columns link the two sides, and the joins
//! that load through it. The rows a flush writes there are
//! `flush::association_rows`'s; the table's DDL is `schema::ddl`'s.

use crate::error::{Error, Result, did_you_mean};
use crate::orm::mapping::association::{Secondary, TableDecl};
use crate::orm::mapping::model::column_of;
use crate::orm::mapping::model::{Direction, Mapper, Relationship, RelationshipDecl};
use crate::sql::{BinaryOp, Expr, Join, TableRef, Value};

impl Secondary {
    /// `JOIN secondary ON secondary.remote = target.col`, for loading targets.
    pub fn join_to_target(&self, target: &Mapper) -> Join {
        Join {
            table: TableRef::new(&self.table),
            on: Expr::and_all(
                self.remote
                    .iter()
                    .map(|(a, ty, t)| {
                        Expr::binary(BinaryOp::Eq, self.column(a, ty), column_of(target, *t))
                    })
                    .collect(),
            ),
            outer: false,
        }
    }

    /// `JOIN secondary ON secondary.local = source.col`, for `join(Target)`.
    pub fn join_from_source(&self, source: &Mapper, outer: bool) -> Join {
        Join {
            table: TableRef::new(&self.table),
            on: Expr::and_all(
                self.local
                    .iter()
                    .map(|(s, a, ty)| {
                        Expr::binary(BinaryOp::Eq, self.column(a, ty), column_of(source, *s))
                    })
                    .collect(),
            ),
            outer,
        }
    }

    /// `target.col = secondary.remote`, the second join of `join(Target)`.
    pub fn target_condition(&self, target: &Mapper) -> Expr {
        Expr::and_all(
            self.remote
                .iter()
                .map(|(a, ty, t)| {
                    Expr::binary(BinaryOp::Eq, column_of(target, *t), self.column(a, ty))
                })
                .collect(),
        )
    }

    /// `secondary.local = value` for each local column, for a lazy load.
    pub fn local_filter(&self, values: &[Value]) -> Expr {
        Expr::and_all(
            self.local
                .iter()
                .zip(values)
                .map(|((_, a, ty), v)| {
                    Expr::binary(
                        BinaryOp::Eq,
                        self.column(a, ty),
                        Expr::Bind(v.clone(), Some(ty.clone())),
                    )
                })
                .collect(),
        )
    }
}

/// Resolve `db.relationship(name, target, #{ secondary: table })`.
pub fn resolve(
    mappers: &[Mapper],
    tables: &[TableDecl],
    source: usize,
    target: usize,
    table: &str,
    decl: &RelationshipDecl,
) -> Result<Relationship> {
    let (src, tgt) = (&mappers[source], &mappers[target]);
    let assoc = tables.iter().find(|t| t.name == table).ok_or_else(|| {
        Error::unknown(format!(
            "{}.{}: secondary names the table `{table}`, which no db.Table declares{}",
            src.name,
            decl.name,
            did_you_mean(table, tables.iter().map(|t| t.name.as_str()))
        ))
    })?;
    // Which key is which side, where the declaration says: required when
    // the table links a model to itself, where any choice would be a guess.
    let named = |condition: &Option<String>, what: &str| -> Result<Option<String>> {
        condition
            .as_deref()
            .map(|c| join_column(c, &assoc.name, src))
            .transpose()
            .map_err(|why| Error::invalid(format!("{}.{}: {what} {why}", src.name, decl.name)))
    };
    let this_side = named(&decl.primaryjoin, "primaryjoin")?;
    let other_side = named(&decl.secondaryjoin, "secondaryjoin")?;
    if source == target && (this_side.is_none() || other_side.is_none()) {
        let keys: Vec<&str> = assoc
            .columns
            .iter()
            .filter(|c| {
                c.foreign_key
                    .as_ref()
                    .is_some_and(|fk| fk.table == src.table)
            })
            .map(|c| c.db_name.as_str())
            .collect();
        let pk = &src.columns[src.primary_key[0]].db_name;
        let (a, b) = (
            keys.first().copied().unwrap_or("a_id"),
            keys.get(1).copied().unwrap_or("b_id"),
        );
        return Err(Error::invalid(format!(
            "{}.{}: the table `{table}` links {} to itself, so which of its keys is this side's cannot be guessed: say it as SQLAlchemy does, #{{ primaryjoin: \"{table}.c.{a} == {}.{pk}\", secondaryjoin: \"{table}.c.{b} == {}.{pk}\" }}",
            src.name, decl.name, src.name, src.name, src.name
        )));
    }
    let mut local = Vec::new();
    let mut remote = Vec::new();
    for column in &assoc.columns {
        let Some(fk) = &column.foreign_key else {
            continue;
        };
        if let (Some(this), Some(other)) = (&this_side, &other_side) {
            let index = |m: &Mapper| m.columns.iter().position(|c| c.db_name == fk.column);
            if column.db_name == *this
                && let Some(i) = index(src)
            {
                local.push((i, column.db_name.clone(), column.ty.clone()));
            } else if column.db_name == *other
                && let Some(i) = index(tgt)
            {
                remote.push((column.db_name.clone(), column.ty.clone(), i));
            }
            continue;
        }
        let points_to = |m: &Mapper| {
            (fk.table == m.table)
                .then(|| m.columns.iter().position(|c| c.db_name == fk.column))
                .flatten()
        };
        // A self-referential table links through its first key to this side.
        if let Some(i) = points_to(src).filter(|_| local.is_empty()) {
            local.push((i, column.db_name.clone(), column.ty.clone()));
        } else if let Some(i) = points_to(tgt) {
            remote.push((column.db_name.clone(), column.ty.clone(), i));
        }
    }
    if local.is_empty() || remote.is_empty() {
        return Err(Error::invalid(format!(
            "{}.{}: the table `{table}` needs a db.ForeignKey to `{}` and one to `{}`",
            src.name, decl.name, src.table, tgt.table
        )));
    }
    Ok(Relationship {
        name: decl.name.clone(),
        target,
        direction: Direction::ManyToMany,
        pairs: Vec::new(),
        uselist: decl.uselist.unwrap_or(true),
        lazy: decl.lazy,
        reverse: decl.back_populates.clone(),
        order_by: crate::orm::mapping::model::resolve_order_by(src, tgt, decl)?,
        cascade_delete: decl.cascade_delete,
        delete_orphan: false,
        from_backref: false,
        post_update: false,
        secondary: Some(Secondary {
            table: table.to_string(),
            local,
            remote,
        }),
    })
}

/// The association table's column that a join condition names, as
/// SQLAlchemy writes it: `"followers.c.follower_id == User.id"`, either way
/// round. Anything else is refused, never guessed at.
fn join_column(
    condition: &str,
    table: &str,
    model: &Mapper,
) -> std::result::Result<String, String> {
    let expected = format!("`{table}.c.<column> == {}.<column>`", model.name);
    let sides: Vec<&str> = condition.split("==").map(str::trim).collect();
    let [left, right] = sides[..] else {
        return Err(format!("`{condition}` is not of the form {expected}"));
    };
    let prefix = format!("{table}.c.");
    let (column, other) = match (left.strip_prefix(&prefix), right.strip_prefix(&prefix)) {
        (Some(c), None) => (c, right),
        (None, Some(c)) => (c, left),
        _ => return Err(format!("`{condition}` is not of the form {expected}")),
    };
    other
        .strip_prefix(&format!("{}.", model.name))
        .filter(|c| {
            model
                .columns
                .iter()
                .any(|m| m.name == *c || m.db_name == *c)
        })
        .ok_or_else(|| format!("`{condition}`: `{other}` is not a column of {}", model.name))?;
    Ok(column.to_string())
}
