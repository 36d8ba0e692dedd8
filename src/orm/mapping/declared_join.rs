//! The columns a relationship names without an association table:
//! `foreign_keys` and `remote_side` (checked to be columns of the models it
//! links), and `primaryjoin`, read into the pairs of columns it joins and
//! the way it points. Which column of an equality is the foreign one comes
//! from `foreign(..)`, else `foreign_keys`, else the `db.ForeignKey` that
//! refers to the other column; which is remote in a model's join to itself
//! from `remote(..)`, else `remote_side`, else the foreign one (one-to-many),
//! as in SQLAlchemy. Where none of these settles it, the load stops.

use crate::error::{Error, Result, did_you_mean};
use crate::orm::mapping::join_condition::{self, Place, Side};
use crate::orm::mapping::model::{Column, Direction, Mapper, RelationshipDecl};

/// Whether `spec` (an entry of `foreign_keys` or `remote_side`) names
/// `column` of `owner`: `column`, `Model.column`, `table.c.column` or
/// `Model.__table__.c.column`.
pub(crate) fn names_column(spec: &str, owner: &Mapper, column: &Column) -> bool {
    let spec = spec.trim();
    spec == column.name
        || spec == format!("{}.{}", owner.name, column.name)
        || spec == format!("{}.c.{}", owner.table, column.db_name)
        || spec == format!("{}.__table__.c.{}", owner.name, column.db_name)
}

/// Every entry of `foreign_keys` and `remote_side` must name a column of
/// the models the relationship links: one that names nothing would be
/// ignored, and the relationship would point another way than declared.
pub(crate) fn check_column_names(
    src: &Mapper,
    tgt: &Mapper,
    decl: &RelationshipDecl,
) -> std::result::Result<(), String> {
    for (option, specs) in [
        ("foreign_keys", &decl.foreign_keys),
        ("remote_side", &decl.remote_side),
    ] {
        for spec in specs {
            let found = [src, tgt]
                .iter()
                .any(|m| m.columns.iter().any(|c| names_column(spec, m, c)));
            if !found {
                let known: Vec<String> = [src, tgt]
                    .iter()
                    .flat_map(|m| m.columns.iter().map(|c| format!("{}.{}", m.name, c.name)))
                    .collect();
                let models = if src.index == tgt.index {
                    src.name.clone()
                } else {
                    format!("{} or {}", src.name, tgt.name)
                };
                return Err(format!(
                    "{option} names `{spec}`, which is not a column of {models}{}; write it as Model.column",
                    did_you_mean(spec, known.iter().map(String::as_str))
                ));
            }
        }
    }
    Ok(())
}

/// A declared `primaryjoin` without a secondary table: its (column on this
/// mapper, column on the target) pairs and the way it points.
pub(crate) fn resolve(
    mappers: &[Mapper],
    source: usize,
    target: usize,
    text: &str,
    decl: &RelationshipDecl,
) -> Result<(Direction, Vec<(usize, usize)>)> {
    let (src, tgt) = (&mappers[source], &mappers[target]);
    let fail = |why: String| {
        Error::invalid(format!(
            "{}.{}: primaryjoin `{text}`: {why}",
            src.name, decl.name
        ))
    };
    let equalities =
        join_condition::resolve(text, mappers, &[source, target], None).map_err(fail)?;
    let column = |s: &Side| match s.place {
        Place::Model(m, c) => (m, c),
        Place::Association(..) => unreachable!("no association table was given"),
    };
    let explicit_foreign =
        !decl.foreign_keys.is_empty() || equalities.iter().flatten().any(|s| s.foreign);
    let is_foreign = |s: &Side, other: &Side| {
        let (m, c) = column(s);
        let (om, oc) = column(other);
        if explicit_foreign {
            s.foreign
                || decl
                    .foreign_keys
                    .iter()
                    .any(|f| names_column(f, &mappers[m], &mappers[m].columns[c]))
        } else {
            mappers[m].columns[c]
                .foreign_key
                .as_ref()
                .is_some_and(|fk| {
                    fk.table == mappers[om].table && fk.column == mappers[om].columns[oc].db_name
                })
        }
    };
    let in_remote_side = |s: &Side| {
        let (m, c) = column(s);
        decl.remote_side
            .iter()
            .any(|r| names_column(r, &mappers[m], &mappers[m].columns[c]))
    };
    let mut pairs = Vec::new();
    let mut many_to_one: Option<bool> = None;
    for [a, b] in &equalities {
        let (fa, fb) = (is_foreign(a, b), is_foreign(b, a));
        let a_is_foreign = match (fa, fb) {
            (true, false) => true,
            (false, true) => false,
            (false, false) => {
                return Err(fail(format!(
                    "neither `{}` nor `{}` is a foreign key; mark the one that refers to the other foreign(..), or name it in foreign_keys",
                    a.text, b.text
                )));
            }
            (true, true) => {
                return Err(fail(format!(
                    "`{}` and `{}` are both taken as foreign keys; say which one refers to the other with foreign(..) or foreign_keys",
                    a.text, b.text
                )));
            }
        };
        let (ma, mb) = (column(a).0, column(b).0);
        // Which operand is the target's.
        let b_is_remote = if source != target {
            if ma == mb {
                return Err(fail(format!(
                    "`{} == {}` compares two columns of {}; a primaryjoin compares a column of {} with one of {}",
                    a.text, b.text, mappers[ma].name, src.name, tgt.name
                )));
            }
            let b_is_remote = mb == target;
            let local = if b_is_remote { a } else { b };
            if local.remote || (in_remote_side(local) && !decl.remote_side.is_empty()) {
                return Err(fail(format!(
                    "`{}` is a column of {}, this side, so it cannot be remote",
                    local.text, src.name
                )));
            }
            b_is_remote
        } else {
            match (a.remote, b.remote) {
                (true, true) => {
                    return Err(fail(format!(
                        "`{}` and `{}` are both marked remote(..); mark the target's column only",
                        a.text, b.text
                    )));
                }
                (true, false) => false,
                (false, true) => true,
                (false, false) if !decl.remote_side.is_empty() => {
                    match (in_remote_side(a), in_remote_side(b)) {
                        (true, false) => false,
                        (false, true) => true,
                        _ => {
                            return Err(fail(format!(
                                "remote_side must name one of `{}` and `{}`",
                                a.text, b.text
                            )));
                        }
                    }
                }
                // Without remote_side a join of a model to itself is one-to-many.
                (false, false) => !a_is_foreign,
            }
        };
        let (local, remote, local_is_foreign) = if b_is_remote {
            (a, b, a_is_foreign)
        } else {
            (b, a, !a_is_foreign)
        };
        if many_to_one.is_some_and(|m| m != local_is_foreign) {
            return Err(fail(
                "its equalities point different ways (a foreign key on each side); the foreign keys of one relationship are all on one side".into(),
            ));
        }
        many_to_one = Some(local_is_foreign);
        pairs.push((column(local).1, column(remote).1));
    }
    let direction = if many_to_one == Some(true) {
        Direction::ManyToOne
    } else {
        Direction::OneToMany
    };
    Ok((direction, pairs))
}
