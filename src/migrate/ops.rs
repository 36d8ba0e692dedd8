//! The body of a revision's `upgrade()` or `downgrade()`, read into
//! [`Op`]s: the `op.*` calls autogenerate and hand edits write,
//! `with op.batch_alter_table(..) as batch_op:` blocks and `with
//! op.get_context().autocommit_block():` blocks. Everything else (a
//! loop, an `if`, an import, `op.get_bind()`, an ORM session, an `op.` call
//! or keyword ormsh does not know) is refused with its file and line, before
//! anything runs.

use std::collections::HashMap;

use super::items::{
    Fk, Read, boolean, check_keywords, column, column_type, constraint, opt_string, refuse,
    server_default, string, strings,
};
use super::op::{AlterColumn, Op, OpKind};
use crate::python::{Call, Expr, ExprKind, FunctionDef, Module, StmtKind};

/// Reads `upgrade()` or `downgrade()` of a revision's module.
pub fn read_function(m: &Module, name: &str) -> Read<Vec<Op>> {
    super::module::check(m)?;
    let Some(f) = m.function(name) else {
        return Err((1, format!("no `def {name}():`")));
    };
    read_def(m, f)
}

struct Reader<'m> {
    m: &'m Module,
    /// Names the body binds: `t = sa.table(..)`.
    locals: HashMap<String, Expr>,
}

fn read_def(m: &Module, f: &FunctionDef) -> Read<Vec<Op>> {
    let mut r = Reader {
        m,
        locals: HashMap::new(),
    };
    // Module-level `name = sa.table(..)` too.
    for s in &m.body {
        if let StmtKind::Assign { targets, value } = &s.kind
            && let [t] = targets.as_slice()
            && let ExprKind::Name(n) = &t.kind
            && super::module::is_table_call(value)
        {
            r.locals.insert(n.clone(), value.clone());
        }
    }
    let mut out = Vec::new();
    r.body(&f.body, None, &mut out)?;
    Ok(out)
}

impl Reader<'_> {
    fn body(
        &mut self,
        body: &[crate::python::Stmt],
        batch: Option<(&str, &str)>,
        out: &mut Vec<Op>,
    ) -> Read<()> {
        let m = self.m;
        for s in body {
            match &s.kind {
                StmtKind::Pass => {}
                StmtKind::Expr(e) if matches!(e.kind, ExprKind::Str(_)) => {}
                StmtKind::Expr(e) => match e.as_call() {
                    Some(c) => out.push(self.call(e, c, batch)?),
                    None => return refuse(m, e, "not an op.* call; ormsh applies only those"),
                },
                StmtKind::Assign { targets, value } => match targets.as_slice() {
                    [t] if super::module::is_table_call(value) => {
                        let ExprKind::Name(n) = &t.kind else {
                            return refuse(m, t, "the target must be a name");
                        };
                        self.locals.insert(n.clone(), value.clone());
                    }
                    _ => {
                        return refuse(
                            m,
                            value,
                            "an assignment ormsh does not apply (only `t = sa.table(..)` for op.bulk_insert; apply this revision with flask db upgrade)",
                        );
                    }
                },
                StmtKind::With { items, body } if batch.is_none() => {
                    let [item] = items.as_slice() else {
                        return Err((s.span.line, "a `with` of several items".into()));
                    };
                    if is_autocommit_block(&item.context) {
                        if item.target.is_some() {
                            return Err((
                                s.span.line,
                                "`with op.get_context().autocommit_block():` takes no `as`".into(),
                            ));
                        }
                        let mut ops = Vec::new();
                        self.body(body, None, &mut ops)?;
                        if let Some(inner) =
                            ops.iter().find(|o| matches!(o.kind, OpKind::Autocommit(_)))
                        {
                            return Err((inner.line, "an autocommit block inside another".into()));
                        }
                        out.push(Op {
                            line: s.span.line,
                            kind: OpKind::Autocommit(ops),
                        });
                        continue;
                    }
                    let Some(c) = item
                        .context
                        .as_call()
                        .filter(|c| c.func.dotted().as_deref() == Some("op.batch_alter_table"))
                    else {
                        return refuse(
                            m,
                            &item.context,
                            "only `with op.batch_alter_table(..) as batch_op:` and `with op.get_context().autocommit_block():` are applied",
                        );
                    };
                    check_keywords(
                        m,
                        c,
                        &item.context,
                        &["schema", "recreate", "naming_convention"],
                    )?;
                    let naming_convention = match c.keyword("naming_convention") {
                        None => Vec::new(),
                        Some(e) => convention(m, e)?,
                    };
                    if let Some(schema) = c.keyword("schema")
                        && !matches!(schema.kind, ExprKind::None)
                    {
                        return refuse(
                            m,
                            schema,
                            "a schema other than the default is not applied yet",
                        );
                    }
                    if let Some(rc) = c.keyword("recreate")
                        && rc.as_str().as_deref() != Some("auto")
                    {
                        return refuse(m, rc, "only recreate='auto' (the default) is applied");
                    }
                    let table = match c.args.first() {
                        Some(a) => string(m, a)?,
                        None => return refuse(m, &item.context, "needs the table's name"),
                    };
                    let alias = match &item.target {
                        Some(t) => match &t.kind {
                            ExprKind::Name(n) => n.clone(),
                            _ => return refuse(m, t, "the target must be a name"),
                        },
                        None => return Err((s.span.line, "`as batch_op` is missing".into())),
                    };
                    let mut ops = Vec::new();
                    self.body(body, Some((&alias, &table)), &mut ops)?;
                    out.push(Op {
                        line: s.span.line,
                        kind: OpKind::Batch {
                            table,
                            ops,
                            naming_convention,
                        },
                    });
                }
                StmtKind::Other(kind) => {
                    return Err((
                        s.span.line,
                        format!(
                            "a {} in a revision: ormsh applies only op.* calls in order, never Python's control flow (apply this revision with flask db upgrade)",
                            kind.replace('_', " ")
                        ),
                    ));
                }
                StmtKind::If { .. } => {
                    return Err((
                        s.span.line,
                        "an `if` in a revision: ormsh applies only op.* calls in order, never Python's control flow (apply this revision with flask db upgrade)".into(),
                    ));
                }
                _ => {
                    return Err((
                        s.span.line,
                        "a statement ormsh does not apply (only op.* calls)".into(),
                    ));
                }
            }
        }
        Ok(())
    }

    /// `op.X(..)` or, inside a batch block, `batch_op.X(..)` (whose table is
    /// the block's).
    fn call(&self, e: &Expr, c: &Call, batch: Option<(&str, &str)>) -> Read<Op> {
        let m = self.m;
        let func = c.func.dotted().unwrap_or_default();
        let (owner, name) = func.rsplit_once('.').unwrap_or(("", &func));
        let table_given = match batch {
            Some((alias, table)) if owner == alias => Some(table.to_string()),
            None if owner == "op" => None,
            _ => {
                return refuse(
                    m,
                    e,
                    "not an op.* call: ormsh applies only Alembic's operations (apply this revision with flask db upgrade)",
                );
            }
        };
        let line = e.span.line;
        for key in ["schema", "source_schema", "referent_schema"] {
            if let Some(v) = c.keyword(key)
                && !matches!(v.kind, ExprKind::None)
            {
                return refuse(
                    m,
                    v,
                    "a schema other than the default one is not applied yet (apply this revision with flask db upgrade)",
                );
            }
        }
        let mut args: Vec<&Expr> = c.args.iter().collect();
        // Outside a batch the first argument is the table.
        let mut table = |what: &str| -> Read<String> {
            match &table_given {
                Some(t) => Ok(t.clone()),
                None if args.is_empty() => refuse(m, e, &format!("{what} needs the table's name")),
                None => string(m, args.remove(0)),
            }
        };
        let kind = match name {
            "create_table" if table_given.is_none() => {
                check_keywords(m, c, e, &[])?;
                let t = table("create_table")?;
                let mut columns = Vec::new();
                let mut constraints = Vec::new();
                for a in args {
                    if a.as_call()
                        .and_then(|c| super::items::sa_name(&c.func))
                        .as_deref()
                        == Some("Column")
                    {
                        columns.push(column(m, a)?);
                    } else {
                        constraints.push(constraint(m, a)?);
                    }
                }
                OpKind::CreateTable {
                    table: t,
                    columns,
                    constraints,
                }
            }
            "drop_table" if table_given.is_none() => {
                check_keywords(m, c, e, &[])?;
                OpKind::DropTable(table("drop_table")?)
            }
            "add_column" => {
                check_keywords(m, c, e, &["schema"])?;
                let t = table("add_column")?;
                let Some(col) = args.first() else {
                    return refuse(m, e, "needs the column");
                };
                OpKind::AddColumn {
                    table: t,
                    column: column(m, col)?,
                }
            }
            "drop_column" => {
                check_keywords(m, c, e, &["schema"])?;
                let t = table("drop_column")?;
                let Some(col) = args.first() else {
                    return refuse(m, e, "needs the column's name");
                };
                OpKind::DropColumn {
                    table: t,
                    column: string(m, col)?,
                }
            }
            "alter_column" => {
                check_keywords(
                    m,
                    c,
                    e,
                    &[
                        "nullable",
                        "type_",
                        "existing_type",
                        "server_default",
                        "existing_server_default",
                        "existing_nullable",
                        "new_column_name",
                        "existing_comment",
                        "existing_autoincrement",
                        "schema",
                        "postgresql_using",
                    ],
                )?;
                if let Some(u) = c.keyword("postgresql_using") {
                    return refuse(m, u, "postgresql_using is not applied yet");
                }
                let t = table("alter_column")?;
                let Some(col) = args.first() else {
                    return refuse(m, e, "needs the column's name");
                };
                let ty = |k: &str| c.keyword(k).map(|v| column_type(m, v)).transpose();
                let flag = |k: &str| c.keyword(k).map(|v| boolean(m, v)).transpose();
                OpKind::AlterColumn(AlterColumn {
                    table: t,
                    column: string(m, col)?,
                    nullable: flag("nullable")?,
                    type_: ty("type_")?,
                    server_default: match c.keyword("server_default") {
                        // `server_default=False` is "no change".
                        Some(v) if matches!(v.kind, ExprKind::Bool(false)) => None,
                        Some(v) => Some(server_default(m, v)?),
                        None => None,
                    },
                    new_name: opt_string(m, c.keyword("new_column_name"))?,
                    existing_type: ty("existing_type")?,
                    existing_nullable: flag("existing_nullable")?,
                    existing_server_default: match c.keyword("existing_server_default") {
                        Some(v) if matches!(v.kind, ExprKind::Bool(false)) => None,
                        Some(v) => server_default(m, v)?,
                        None => None,
                    },
                })
            }
            "create_index" => {
                check_keywords(m, c, e, &["unique", "schema"])?;
                let (Some(n), rest) = (args.first().copied(), &args[1.min(args.len())..]) else {
                    return refuse(m, e, "needs the index's name");
                };
                let name = self.name(n)?;
                let (t, cols) = match (&table_given, rest) {
                    (Some(t), [cols]) => (t.clone(), *cols),
                    (None, [t, cols]) => (string(m, t)?, *cols),
                    _ => return refuse(m, e, "needs the index's table and columns"),
                };
                OpKind::CreateIndex {
                    name,
                    table: t,
                    columns: strings(m, cols)?,
                    unique: c
                        .keyword("unique")
                        .map(|v| boolean(m, v))
                        .transpose()?
                        .unwrap_or(false),
                }
            }
            "drop_index" => {
                check_keywords(m, c, e, &["table_name", "schema"])?;
                let Some(n) = args.first() else {
                    return refuse(m, e, "needs the index's name");
                };
                let table = match (&table_given, args.get(1).copied(), c.keyword("table_name")) {
                    (Some(t), _, _) => Some(t.clone()),
                    (None, Some(t), _) | (None, None, Some(t)) => Some(string(m, t)?),
                    _ => None,
                };
                OpKind::DropIndex {
                    name: self.name(n)?,
                    table,
                }
            }
            "create_foreign_key" => {
                check_keywords(
                    m,
                    c,
                    e,
                    &["ondelete", "onupdate", "source_schema", "referent_schema"],
                )?;
                let parts: Vec<&Expr> = args.clone();
                let (n, src, referent, local, remote) = match (&table_given, parts.as_slice()) {
                    (Some(t), [n, r, l, rc]) => (*n, t.clone(), *r, *l, *rc),
                    (None, [n, s, r, l, rc]) => (*n, string(m, s)?, *r, *l, *rc),
                    _ => return refuse(m, e, "needs a name, the tables and the columns"),
                };
                OpKind::CreateForeignKey {
                    table: src,
                    key: Fk {
                        name: self.opt_name(n)?,
                        columns: strings(m, local)?,
                        ref_table: string(m, referent)?,
                        ref_columns: strings(m, remote)?,
                        ondelete: opt_string(m, c.keyword("ondelete"))?,
                        onupdate: opt_string(m, c.keyword("onupdate"))?,
                    },
                }
            }
            "create_unique_constraint" => {
                check_keywords(m, c, e, &["schema"])?;
                let (n, t, cols) = match (&table_given, args.as_slice()) {
                    (Some(t), [n, cols]) => (*n, t.clone(), *cols),
                    (None, [n, t, cols]) => (*n, string(m, t)?, *cols),
                    _ => return refuse(m, e, "needs a name, the table and the columns"),
                };
                OpKind::CreateUnique {
                    name: self.opt_name(n)?,
                    table: t,
                    columns: strings(m, cols)?,
                }
            }
            "create_check_constraint" => {
                check_keywords(m, c, e, &["schema"])?;
                let (n, t, cond) = match (&table_given, args.as_slice()) {
                    (Some(t), [n, cond]) => (*n, t.clone(), *cond),
                    (None, [n, t, cond]) => (*n, string(m, t)?, *cond),
                    _ => return refuse(m, e, "needs a name, the table and the condition"),
                };
                let condition = match cond.as_call() {
                    Some(tc) if tc.func.dotted().is_some_and(|d| d.ends_with("text")) => {
                        match tc.args.first() {
                            Some(a) => string(m, a)?,
                            None => return refuse(m, cond, "needs the condition"),
                        }
                    }
                    _ => string(m, cond)?,
                };
                OpKind::CreateCheck {
                    name: self.opt_name(n)?,
                    table: t,
                    condition,
                }
            }
            "drop_constraint" => {
                check_keywords(m, c, e, &["type_", "schema"])?;
                let (n, t) = match (&table_given, args.as_slice()) {
                    (Some(t), [n]) => (*n, t.clone()),
                    (None, [n, t]) => (*n, string(m, t)?),
                    _ => return refuse(m, e, "needs the constraint's name and table"),
                };
                OpKind::DropConstraint {
                    name: self.name(n)?,
                    table: t,
                    kind: opt_string(m, c.keyword("type_"))?,
                }
            }
            "rename_table" if table_given.is_none() => {
                check_keywords(m, c, e, &["schema"])?;
                match args.as_slice() {
                    [a, b] => OpKind::RenameTable {
                        old: string(m, a)?,
                        new: string(m, b)?,
                    },
                    _ => return refuse(m, e, "needs the old and the new name"),
                }
            }
            "execute" => {
                check_keywords(m, c, e, &[])?;
                let [a] = args.as_slice() else {
                    return refuse(m, e, "needs one SQL string");
                };
                let sql = match a.as_call() {
                    Some(t)
                        if t.func.dotted().is_some_and(|d| {
                            d == "sa.text" || d == "text" || d == "sqlalchemy.text"
                        }) =>
                    {
                        if !t.keywords.is_empty() || t.args.len() != 1 {
                            return refuse(m, a, "sa.text(..) with one string is read");
                        }
                        string(m, &t.args[0])?
                    }
                    _ => match a.as_str() {
                        Some(s) => s,
                        None => {
                            return refuse(
                                m,
                                a,
                                "op.execute takes a SQL string or sa.text(..) here (a SQLAlchemy statement is not built)",
                            );
                        }
                    },
                };
                OpKind::Execute(sql)
            }
            "bulk_insert" if table_given.is_none() => {
                check_keywords(m, c, e, &["multiinsert"])?;
                let [t, rows] = args.as_slice() else {
                    return refuse(m, e, "needs a sa.table(..) and a list of rows");
                };
                super::bulk::bulk_insert(m, &self.locals, t, rows)?
            }
            _ => {
                return refuse(
                    m,
                    e,
                    "an operation ormsh does not apply (apply this revision with flask db upgrade)",
                );
            }
        };
        Ok(Op { line, kind })
    }

    /// A constraint's or index's name: a string, or `op.f('..')`.
    fn name(&self, e: &Expr) -> Read<String> {
        match self.opt_name(e)? {
            Some(n) => Ok(n),
            None => refuse(self.m, e, "needs a name"),
        }
    }

    fn opt_name(&self, e: &Expr) -> Read<Option<String>> {
        if let Some(c) = e.as_call()
            && c.func.dotted().is_some_and(|d| d.ends_with(".f"))
            && let [a] = c.args.as_slice()
        {
            return string(self.m, a).map(Some);
        }
        opt_string(self.m, Some(e))
    }
}

/// `naming_convention={'fk': '..', 'uq': '..'}` of a batch block: the
/// names its rebuild gives the live table's unnamed foreign keys and
/// unique constraints (Alembic's way to drop them on SQLite).
fn convention(m: &Module, e: &Expr) -> Read<Vec<(String, String)>> {
    let ExprKind::Dict(items) = &e.kind else {
        return refuse(m, e, "naming_convention must be a dict literal");
    };
    let mut out = Vec::new();
    for item in items {
        let Some(key) = &item.key else {
            return refuse(m, e, "naming_convention: `**` is not read");
        };
        let kind = string(m, key)?;
        if kind != "fk" && kind != "uq" {
            return refuse(
                m,
                key,
                "naming_convention: ormsh's batch names only unnamed foreign keys ('fk') and unique constraints ('uq')",
            );
        }
        out.push((kind, string(m, &item.value)?));
    }
    crate::orm::mapping::naming_convention::NamingConvention::new(out.clone())
        .map_err(|err| (e.span.line, err.to_string()))?;
    Ok(out)
}

/// Whether `e` is `op.get_context().autocommit_block()`.
fn is_autocommit_block(e: &Expr) -> bool {
    let Some(c) = e.as_call() else { return false };
    let ExprKind::Attribute { value, attr } = &c.func.kind else {
        return false;
    };
    attr == "autocommit_block"
        && c.args.is_empty()
        && c.keywords.is_empty()
        && value.as_call().is_some_and(|g| {
            g.func.dotted().as_deref() == Some("op.get_context")
                && g.args.is_empty()
                && g.keywords.is_empty()
        })
}
