//! What a revision file may hold at its top level, which Python runs when
//! Alembic imports it: the identifiers, a docstring, imports of Alembic,
//! SQLAlchemy and `typing`, definitions, assignments. An import of the app or
//! any other statement there is refused with its line.

use super::items::Read;
use crate::python::{Expr, ExprKind, Module, StmtKind};

/// The module's imports must be Alembic's, SQLAlchemy's or the standard
/// library's typing: a revision that imports the app runs its code.
pub fn check(m: &Module) -> Read<()> {
    let ok = |name: &str| {
        let root = name.split('.').next().unwrap_or(name);
        matches!(root, "alembic" | "sqlalchemy" | "typing" | "__future__")
    };
    for s in &m.body {
        match &s.kind {
            StmtKind::Import(names) => {
                if let Some(bad) = names.iter().find(|a| !ok(&a.name)) {
                    return Err((
                        s.span.line,
                        format!(
                            "`import {}`: a revision that imports other code runs it; ormsh applies only op.* calls (apply this revision with flask db upgrade)",
                            bad.name
                        ),
                    ));
                }
            }
            StmtKind::ImportFrom { module, level, .. } => {
                let name = module.clone().unwrap_or_default();
                if *level > 0 || !ok(&name) {
                    return Err((
                        s.span.line,
                        format!(
                            "`from {}{name} import ..`: a revision that imports other code runs it; ormsh applies only op.* calls (apply this revision with flask db upgrade)",
                            ".".repeat(*level)
                        ),
                    ));
                }
            }
            // The identifiers, a docstring, definitions, assignments (read
            // only when used): nothing else runs at import.
            StmtKind::Expr(e) if matches!(e.kind, ExprKind::Str(_)) => {}
            StmtKind::Assign { .. }
            | StmtKind::AnnAssign { .. }
            | StmtKind::FunctionDef(_)
            | StmtKind::Pass => {}
            _ => {
                return Err((
                    s.span.line,
                    "a statement at the top of a revision runs when Alembic imports it; ormsh applies only op.* calls (apply this revision with flask db upgrade)".into(),
                ));
            }
        }
    }
    Ok(())
}

/// `sa.table('t', ..)`, the lightweight table `op.bulk_insert` takes.
pub fn is_table_call(e: &Expr) -> bool {
    e.as_call().is_some_and(|c| {
        c.func.dotted().is_some_and(|d| {
            matches!(
                d.as_str(),
                "sa.table" | "table" | "sa.sql.table" | "sqlalchemy.table"
            )
        })
    })
}
