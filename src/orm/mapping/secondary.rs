//! Many-to-many through an association table (`db.Table` plus
//! `secondary:`): resolving which columns link the two sides, and the joins
//! that load through it. The rows a flush writes there are
//! `flush::association_rows`'s; the table's DDL is `schema::ddl`'s.

use crate::error::{Error, Result, did_you_mean};
use crate::orm::mapping::association::{Secondary, TableDecl};
use crate::orm::mapping::join_condition::{self, Place};
use crate::orm::mapping::model::column_of;
use crate::orm::mapping::model::{Direction, Mapper, Relationship, RelationshipDecl};
use crate::sql::{BinaryOp, ColumnType, Expr, Join, TableRef, Value};

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

/// (column of the model, association column, its type): one side's link.
type Link = Vec<(usize, String, ColumnType)>;

/// Resolve `db.relationship(name, target, #{ secondary: table })`: which
/// columns of the association table are this side's (`primaryjoin`) and
/// which the target's (`secondaryjoin`), as declared, or else from the
/// foreign keys where they say it one way only.
pub fn resolve(
    mappers: &[Mapper],
    tables: &[TableDecl],
    source: usize,
    target: usize,
    table: &str,
    decl: &RelationshipDecl,
) -> Result<Relationship> {
    let (src, tgt) = (&mappers[source], &mappers[target]);
    let fail = |why: String| Error::invalid(format!("{}.{}: {why}", src.name, decl.name));
    let assoc = tables.iter().find(|t| t.name == table).ok_or_else(|| {
        fail(format!(
            "secondary names the table `{table}`, which no db.Table declares{}",
            did_you_mean(table, tables.iter().map(|t| t.name.as_str()))
        ))
    })?;
    let declared = |text: &Option<String>, what: &str, side: &Mapper| -> Result<Option<Link>> {
        text.as_deref()
            .map(|t| declared_link(t, what, mappers, source, target, assoc, side))
            .transpose()
            .map_err(fail)
    };
    let this_side = declared(&decl.primaryjoin, "primaryjoin", src)?;
    let other_side = declared(&decl.secondaryjoin, "secondaryjoin", tgt)?;
    if source == target && (this_side.is_none() || other_side.is_none()) {
        return Err(fail(self_referential_refusal(src, assoc)));
    }
    let used: Vec<String> = this_side
        .iter()
        .chain(other_side.iter())
        .flatten()
        .map(|(_, a, _)| a.clone())
        .collect();
    let local = match this_side {
        Some(link) => link,
        None => foreign_key_link(assoc, src, &used).map_err(fail)?,
    };
    let remote = match other_side {
        Some(link) => link,
        None => foreign_key_link(assoc, tgt, &used).map_err(fail)?,
    };
    if let Some((_, a, _)) = local
        .iter()
        .find(|(_, a, _)| remote.iter().any(|r| r.1 == *a))
    {
        return Err(fail(format!(
            "`{table}.{a}` is both this side's key and the target's: primaryjoin names the association column that refers to this {}, secondaryjoin the one that refers to the {} it leads to",
            src.name, tgt.name
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
        target_spans_tables: false,
        viewonly: decl.viewonly,
        passive_deletes: decl.passive_deletes,
        secondary: Some(Secondary {
            table: table.to_string(),
            local,
            remote: remote.into_iter().map(|(t, a, ty)| (a, ty, t)).collect(),
        }),
    })
}

/// The refusal of a table that links a model to itself without saying
/// which of its keys is which side: SQLAlchemy's AmbiguousForeignKeysError.
fn self_referential_refusal(model: &Mapper, assoc: &TableDecl) -> String {
    let keys: Vec<&str> = assoc
        .columns
        .iter()
        .filter(|c| {
            c.foreign_key
                .as_ref()
                .is_some_and(|fk| fk.table == model.table)
        })
        .map(|c| c.db_name.as_str())
        .collect();
    let pk = &model.columns[model.primary_key[0]].name;
    let (a, b) = (
        keys.first().copied().unwrap_or("a_id"),
        keys.get(1).copied().unwrap_or("b_id"),
    );
    let table = &assoc.name;
    format!(
        "the table `{table}` links {m} to itself, so which of its keys is this side's cannot be guessed: say it as SQLAlchemy does, #{{ primaryjoin: \"{table}.c.{a} == {m}.{pk}\", secondaryjoin: \"{table}.c.{b} == {m}.{pk}\" }} (and the two the other way round on the relationship that goes back)",
        m = model.name
    )
}

/// The link a declared join condition gives: each equality an association
/// column against a column of `side`.
fn declared_link(
    text: &str,
    what: &str,
    mappers: &[Mapper],
    source: usize,
    target: usize,
    assoc: &TableDecl,
    side: &Mapper,
) -> std::result::Result<Link, String> {
    let equalities = join_condition::resolve(text, mappers, &[source, target], Some(assoc))
        .map_err(|why| format!("{what} `{text}`: {why}"))?;
    let role = if what == "primaryjoin" {
        "this side"
    } else {
        "the target"
    };
    let mut link = Link::new();
    for [a, b] in &equalities {
        let (column, model) = match (&a.place, &b.place) {
            (Place::Association(..), Place::Model(..)) => (a, b),
            (Place::Model(..), Place::Association(..)) => (b, a),
            _ => {
                return Err(format!(
                    "{what} `{text}`: `{} == {}` must compare a column of `{}` with a column of {} ({role})",
                    a.text, b.text, assoc.name, side.name
                ));
            }
        };
        let (Place::Association(name, ty), Place::Model(m, c)) = (&column.place, &model.place)
        else {
            unreachable!("matched above")
        };
        if *m != side.index {
            return Err(format!(
                "{what} `{text}`: `{}` is a column of {}, but {what} links `{}` to {} ({role})",
                model.text, mappers[*m].name, assoc.name, side.name
            ));
        }
        if model.foreign {
            return Err(format!(
                "{what} `{text}`: foreign(..) marks the association table's column, not `{}`",
                model.text
            ));
        }
        if link.iter().any(|(_, a, _)| a == name) {
            return Err(format!(
                "{what} `{text}` names `{}.{name}` twice",
                assoc.name
            ));
        }
        link.push((*c, name.clone(), ty.clone()));
    }
    Ok(link)
}

/// The association columns whose foreign keys refer to `model` (leaving
/// out `used`, which a declared condition took): two of them to the same
/// column are two ways to link, refused as SQLAlchemy refuses them.
fn foreign_key_link(
    assoc: &TableDecl,
    model: &Mapper,
    used: &[String],
) -> std::result::Result<Link, String> {
    let mut link = Link::new();
    for column in assoc.columns.iter().filter(|c| !used.contains(&c.db_name)) {
        let Some(fk) = &column.foreign_key else {
            continue;
        };
        if fk.table != model.table {
            continue;
        }
        let Some(i) = model.columns.iter().position(|c| c.db_name == fk.column) else {
            continue;
        };
        if let Some((_, other, _)) = link.iter().find(|(j, _, _)| *j == i) {
            return Err(format!(
                "the table `{}` has two foreign keys to `{}.{}` ({other}, {}), so which links {} cannot be guessed; say it with #{{ primaryjoin: \"{}.c.{other} == {}.{}\" }} (or secondaryjoin for the target's side)",
                assoc.name,
                model.table,
                fk.column,
                column.db_name,
                model.name,
                assoc.name,
                model.name,
                model.columns[i].name
            ));
        }
        link.push((i, column.db_name.clone(), column.ty.clone()));
    }
    if link.is_empty() {
        return Err(format!(
            "the table `{}` needs a db.ForeignKey to `{}` (or say the link with primaryjoin and secondaryjoin)",
            assoc.name, model.table
        ));
    }
    Ok(link)
}
