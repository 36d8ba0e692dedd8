//! Drift of a table's declared constraints and indexes (`__table_args__`,
//! a `db.Table`'s constraints) and of its primary key, against the live
//! table, and the DDL that adds what is missing.
//!
//! What counts as the same: a UNIQUE constraint is there when a unique
//! index or constraint covers the same columns (databases name and keep
//! them differently: SQLite's `sqlite_autoindex_..`, MariaDB's index named
//! after the first column); a named CHECK by its name, an unnamed one by
//! its condition as the database respells it; a foreign key by its columns
//! and what they refer to; an index by its name, or else by the same
//! columns and uniqueness. What the database has beyond the models (the
//! index MariaDB makes for each foreign key, a JSON column's check) is not
//! drift.

use crate::orm::mapping::constraints::{Constraint, ConstraintKind};
use crate::orm::schema::drift_extras::{Declared, extras};
use crate::sql::introspect::{CheckInfo, ForeignKeyInfo, IndexInfo, TableInfo, unqualified};
use crate::sql::{
    AddForeignKey, Compiled, CreateIndex, Dialect, DropForeignKey, ForeignKeyDdl, Statement,
    compile,
};

/// One disagreement about a declared constraint, an index or the primary key.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstraintDrift {
    /// Declared, and not in the database.
    Missing(Constraint),
    /// The index of that name covers other columns, or differs in
    /// uniqueness: the declared one (`Index`) and the live one.
    IndexDiffers {
        constraint: Constraint,
        live: IndexInfo,
    },
    /// A declared foreign key is there with other `ON DELETE`/`ON UPDATE`.
    ForeignKeyActionsDiffer {
        constraint: Constraint,
        /// The live constraint's name (dropped and added again to fix it).
        live_name: String,
        model: String,
        live: String,
    },
    PrimaryKeyDiffers {
        model: Vec<String>,
        live: Vec<String>,
    },
    /// In the database, declared by no model: an index, or the index
    /// behind a UNIQUE constraint (`constraint`).
    ExtraIndex(IndexInfo),
    ExtraForeignKey(ForeignKeyInfo),
    /// A named CHECK in the database that no model declares.
    ExtraCheck(CheckInfo),
}

impl ConstraintDrift {
    /// A line for the drift table: (what, detail).
    pub fn describe(&self) -> (String, String) {
        match self {
            ConstraintDrift::Missing(c) => {
                let what = match &c.kind {
                    ConstraintKind::PrimaryKey(_) => "missing primary key",
                    ConstraintKind::Unique(_) => "missing unique",
                    ConstraintKind::Check(_) => "missing check",
                    ConstraintKind::ForeignKey { .. } => "missing foreign key",
                    ConstraintKind::Index { .. } => "missing index",
                };
                (what.into(), spell(c))
            }
            ConstraintDrift::IndexDiffers { constraint, live } => {
                let spell = |cols: &[String], u: bool| {
                    format!("{}({})", if u { "unique " } else { "" }, cols.join(", "))
                };
                let unique = matches!(constraint.kind, ConstraintKind::Index { unique: true, .. });
                (
                    "index differs".into(),
                    format!(
                        "{}: model {}, database {}",
                        live.name,
                        spell(constraint.columns(), unique),
                        spell(&live.columns, live.unique)
                    ),
                )
            }
            ConstraintDrift::ForeignKeyActionsDiffer {
                constraint,
                model,
                live,
                ..
            } => (
                "foreign key actions differ".into(),
                format!(
                    "{}: models {model}, database {live}",
                    constraint.columns().join(", ")
                ),
            ),
            ConstraintDrift::ExtraIndex(i) => (
                if i.unique && (i.constraint || !i.name.starts_with("ix_")) {
                    "extra unique".into()
                } else {
                    "extra index".into()
                },
                format!(
                    "{} ({}) (in the database, not the models)",
                    i.name,
                    i.columns.join(", ")
                ),
            ),
            ConstraintDrift::ExtraForeignKey(f) => (
                "extra foreign key".into(),
                format!(
                    "({}) → {} ({}) (in the database, not the models)",
                    f.columns.join(", "),
                    f.ref_table,
                    f.ref_columns.join(", ")
                ),
            ),
            ConstraintDrift::ExtraCheck(c) => (
                "extra check".into(),
                format!(
                    "{} CHECK ({}) (in the database, not the models)",
                    c.name.as_deref().unwrap_or_default(),
                    c.sql
                ),
            ),
            ConstraintDrift::PrimaryKeyDiffers { model, live } => (
                "primary key differs".into(),
                format!(
                    "model ({}), database ({})",
                    model.join(", "),
                    live.join(", ")
                ),
            ),
        }
    }
}

/// A constraint as a drift line names it: `uq_ab (a, b)`, `CHECK (a > 0)`.
fn spell(c: &Constraint) -> String {
    let body = match &c.kind {
        ConstraintKind::Check(sql) => format!("CHECK ({sql})"),
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            ..
        } => format!(
            "({}) → {ref_table} ({})",
            columns.join(", "),
            ref_columns.join(", ")
        ),
        ConstraintKind::Index { columns, unique } => format!(
            "{}({})",
            if *unique { "unique " } else { "" },
            columns.join(", ")
        ),
        _ => format!("({})", c.columns().join(", ")),
    };
    match &c.name {
        Some(name) => format!("{name} {body}"),
        None => body,
    }
}

/// A condition with the database's respelling taken out: casts
/// (`::numeric`), quotes, parentheses, spaces and case.
pub(crate) fn normalized(sql: &str) -> String {
    let mut text = sql.to_lowercase().replace("::character varying", "");
    while let Some(at) = text.find("::") {
        let rest = &text[at + 2..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        text.replace_range(at..at + 2 + end, "");
    }
    text.chars()
        .filter(|c| !matches!(c, '(' | ')' | '"' | '`' | '[' | ']') && !c.is_whitespace())
        .collect()
}

/// Which declared checks the live table has: a named one by its name, an
/// unnamed one by its condition, or else by a live check that answers to
/// no declared one (databases respell conditions past recognising:
/// PostgreSQL's `IN (..)` comes back as `= ANY (ARRAY[..])`).
fn checks_found(constraints: &[Constraint], live: &TableInfo) -> (Vec<bool>, Vec<bool>) {
    let declared: Vec<(Option<&str>, &str)> = constraints
        .iter()
        .filter(|c| !c.from_column)
        .filter_map(|c| match &c.kind {
            ConstraintKind::Check(sql) => Some((c.name.as_deref(), sql.as_str())),
            _ => None,
        })
        .collect();
    let mut claimed = vec![false; live.checks.len()];
    let mut found: Vec<bool> = declared
        .iter()
        .map(|(name, sql)| {
            let hit = live.checks.iter().enumerate().position(|(i, l)| {
                !claimed[i]
                    && match name {
                        Some(name) => l
                            .name
                            .as_ref()
                            .is_some_and(|n| n.eq_ignore_ascii_case(name)),
                        None => normalized(&l.sql) == normalized(sql),
                    }
            });
            if let Some(i) = hit {
                claimed[i] = true;
            }
            hit.is_some()
        })
        .collect();
    for (k, (name, _)) in declared.iter().enumerate() {
        if found[k] || name.is_some() {
            continue;
        }
        let named_elsewhere = |n: &Option<String>| {
            n.as_deref().is_some_and(|n| {
                declared
                    .iter()
                    .any(|(d, _)| d.is_some_and(|d| d.eq_ignore_ascii_case(n)))
            })
        };
        if let Some(i) =
            (0..live.checks.len()).find(|&i| !claimed[i] && !named_elsewhere(&live.checks[i].name))
        {
            claimed[i] = true;
            found[k] = true;
        }
    }
    (found, claimed)
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

/// `ON DELETE x ON UPDATE y`; no action is `-`.
fn actions(on_delete: Option<&String>, on_update: Option<&String>) -> String {
    let said = |a: Option<&String>| {
        a.map(String::as_str)
            .filter(|a| *a != "NO ACTION" && *a != "RESTRICT")
            .unwrap_or("-")
            .to_string()
    };
    format!(
        "ON DELETE {} ON UPDATE {}",
        said(on_delete),
        said(on_update)
    )
}

/// The drift of a table's declared constraints and primary key (database
/// column names, in key order), and what the live table has beyond them.
pub fn compare(
    declared: &Declared,
    primary_key: &[String],
    live: &TableInfo,
) -> Vec<ConstraintDrift> {
    let constraints = declared.constraints;
    let mut out = Vec::new();
    let (found, claimed) = checks_found(constraints, live);
    let mut checks = found.into_iter();
    if !live.primary_key.is_empty() && !same_set(primary_key, &live.primary_key) {
        out.push(ConstraintDrift::PrimaryKeyDiffers {
            model: primary_key.to_vec(),
            live: live.primary_key.clone(),
        });
    }
    // What a convention made of a column's own flags is the column's to compare.
    for c in constraints.iter().filter(|c| !c.from_column) {
        let found = match &c.kind {
            ConstraintKind::PrimaryKey(_) => true,
            ConstraintKind::Unique(columns) => live
                .indexes
                .iter()
                .any(|i| i.unique && same_set(&i.columns, columns)),
            ConstraintKind::Check(_) => checks.next().unwrap_or(false),
            ConstraintKind::ForeignKey {
                columns,
                ref_table,
                ref_columns,
                on_delete,
                on_update,
            } => {
                let live_key = live.foreign_keys.iter().find(|f| {
                    same_set(&f.columns, columns)
                        && f.ref_table == *ref_table
                        && same_set(&f.ref_columns, ref_columns)
                });
                if let Some(f) = live_key {
                    let (model, live) = (
                        actions(on_delete.as_ref(), on_update.as_ref()),
                        actions(f.on_delete.as_ref(), f.on_update.as_ref()),
                    );
                    if model != live {
                        out.push(ConstraintDrift::ForeignKeyActionsDiffer {
                            constraint: c.clone(),
                            live_name: f.name.clone(),
                            model,
                            live,
                        });
                    }
                }
                live_key.is_some()
            }
            ConstraintKind::Index { columns, unique } => {
                let name = c.name.as_deref().unwrap_or_default();
                match live.indexes.iter().find(|i| i.name == name) {
                    Some(i) if i.columns != *columns || i.unique != *unique => {
                        out.push(ConstraintDrift::IndexDiffers {
                            constraint: c.clone(),
                            live: i.clone(),
                        });
                        true
                    }
                    Some(_) => true,
                    None => live
                        .indexes
                        .iter()
                        .any(|i| i.columns == *columns && i.unique == *unique),
                }
            }
        };
        if !found {
            out.push(ConstraintDrift::Missing(c.clone()));
        }
    }
    let (indexes, keys, checks) = extras(declared, live, &claimed);
    out.extend(indexes.into_iter().map(ConstraintDrift::ExtraIndex));
    out.extend(keys.into_iter().map(ConstraintDrift::ExtraForeignKey));
    out.extend(checks.into_iter().map(ConstraintDrift::ExtraCheck));
    out
}

const REBUILD: &str = "cannot be changed in place on this database: the table must be rebuilt (create it anew, copy the rows, drop the old one, rename)";

/// The statements that repair one item on `table`, or why there are none.
pub fn repair(
    table: &str,
    item: &ConstraintDrift,
    dialect: &dyn Dialect,
) -> Result<Vec<Compiled>, String> {
    let index = |name: String, columns: &[String], unique: bool| {
        compile(
            &Statement::CreateIndex(CreateIndex {
                name,
                table: table.to_string(),
                columns: columns.to_vec(),
                unique,
            }),
            dialect,
        )
    };
    let add_key = |c: &Constraint| -> Result<Compiled, String> {
        let ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            on_delete,
            on_update,
        } = &c.kind
        else {
            return Err("not a foreign key".into());
        };
        if !dialect.supports_add_constraint() {
            return Err(REBUILD.into());
        }
        let key = ForeignKeyDdl {
            name: None,
            columns: columns.clone(),
            ref_table: ref_table.clone(),
            ref_columns: ref_columns.clone(),
            on_delete: on_delete.clone(),
            on_update: on_update.clone(),
        };
        Ok(compile(
            &Statement::AddForeignKey(AddForeignKey {
                table: table.to_string(),
                name: c.name.clone().unwrap_or_else(|| {
                    crate::orm::schema::ddl::foreign_key_name(unqualified(table), &key)
                }),
                key,
            }),
            dialect,
        ))
    };
    match item {
        ConstraintDrift::Missing(c) => match &c.kind {
            // A unique index holds the rows to the same rule, and every
            // database can add one in place.
            ConstraintKind::Unique(columns) => Ok(vec![index(
                c.name
                    .clone()
                    .unwrap_or_else(|| format!("uq_{}_{}", unqualified(table), columns.join("_"))),
                columns,
                true,
            )]),
            ConstraintKind::Index { columns, unique } => Ok(vec![index(
                c.name.clone().unwrap_or_default(),
                columns,
                *unique,
            )]),
            ConstraintKind::ForeignKey { .. } => Ok(vec![add_key(c)?]),
            ConstraintKind::Check(_) if !dialect.supports_add_constraint() => Err(REBUILD.into()),
            ConstraintKind::Check(_) => Err(
                "left for a person to decide: rows already in the table may not pass the check"
                    .into(),
            ),
            ConstraintKind::PrimaryKey(_) => Err("left for a person to decide".into()),
        },
        ConstraintDrift::ForeignKeyActionsDiffer {
            constraint,
            live_name,
            ..
        } => {
            if !dialect.supports_add_constraint() {
                return Err(REBUILD.into());
            }
            let drop = compile(
                &Statement::DropForeignKey(DropForeignKey {
                    table: table.to_string(),
                    name: live_name.clone(),
                }),
                dialect,
            );
            Ok(vec![drop, add_key(constraint)?])
        }
        ConstraintDrift::ExtraIndex(_)
        | ConstraintDrift::ExtraForeignKey(_)
        | ConstraintDrift::ExtraCheck(_) => Err(
            "dropped as the revision `ormsh db migrate` writes drops it (`drift_sql::ExtraSql`)"
                .into(),
        ),
        // A plain index is dropped and made again; one behind a UNIQUE
        // constraint is left to the revision `ormsh db migrate` writes.
        ConstraintDrift::IndexDiffers { constraint, live } if !live.constraint => {
            let ConstraintKind::Index { columns, unique } = &constraint.kind else {
                return Err("not an index".into());
            };
            let qualified = table
                .split('.')
                .map(|part| dialect.identifier(part))
                .collect::<Vec<_>>()
                .join(".");
            let drop = Compiled {
                sql: dialect.drop_index_sql(&dialect.identifier(&live.name), &qualified),
                binds: Vec::new(),
            };
            Ok(vec![drop, index(live.name.clone(), columns, *unique)])
        }
        ConstraintDrift::IndexDiffers { .. } | ConstraintDrift::PrimaryKeyDiffers { .. } => {
            Err("left for a person to decide: drop it and make it again as the models say".into())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn conditions_compare_as_databases_respell_them() {
        for (model, live) in [
            ("price > 0", "(price > (0)::numeric)"),
            ("price > 0", "`price` > 0"),
            ("tag <> ''", "((tag)::text <> ''::text)"),
            (
                "tag <> ''",
                "((tag)::character varying <> ''::character varying)",
            ),
        ] {
            assert_eq!(super::normalized(model), super::normalized(live), "{live}");
        }
        assert_ne!(super::normalized("a > 0"), super::normalized("a >= 0"));
    }
}
