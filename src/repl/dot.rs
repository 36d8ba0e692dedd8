//! Dot-commands beside the language: `.help`, `.models`, `.schema`,
//! `.echo`, `.format`, `.quit`.

use super::app::App;
use crate::error::{Error, Result, did_you_mean};
use crate::render::Format;
use crate::script::Output;
use crate::sql::Value;

/// What the loop does after a dot-command.
pub enum Next {
    Continue,
    Quit,
}

const HELP: &str = "\
Type Flask-SQLAlchemy code as Rhai:
  User.query.filter_by(#{ username: \"john\" }).first()
  db.session.add(User(#{ username: \"x\", email: \"x@example.com\" }))
  db.session.commit()
  Post.query.filter(Post.title.contains(\"Flask\")).join(User).all()
  Post.query.options(joinedload(Post.author)).all()
Unfinished input (an open bracket or string) continues on the next line.
Ctrl-C cancels the line or interrupts a running statement; Ctrl-D leaves.

Dot-commands:
  .help [COMMAND]       this text, or the lines on one command (.help schema)
  .history [N]          the last N inputs (default 20)
  .edit                 open $EDITOR on the last input, then run what was saved
  .reload               read the models file again (objects loaded before become stale)
  .models               the models, their tables and binds
  .tables               the tables in the database, and the model of each
  .schema [Model]       the CREATE TABLE of one model, or of all
  .echo on|off          show each SQL statement sent (now: {echo})
  .nplusone N|off       warn when one relationship loads lazily more than N times in a line
  .format table|vertical|json|csv|markdown   how results print (now: {format})
  .rels [Model] [--mermaid|--dot]   the relationships, as text or a diagram
  .pager on|off         long results through $PAGER (default less -SRXF)
  .output [FILE]        results to FILE, or back to the screen
  .timing on|off        after each line: its time, the time in the database, the statements
  .record on|off        record every statement for .queries and db.get_recorded_queries()
  .queries              the recorded statements, slowest marked
  .diff [--sql]         where the models and the database disagree (or the DDL to fix it)
  .migrations           the revision the database is at, the head, and the revisions pending
  .sql STATEMENT        run SQL as written (db.execute(sql, [params]) binds values)
  .sandbox              from now on, roll everything back when leaving
  .run FILE             run a script here (in the sandbox, if it is on)
  .quit                 leave (also .exit, Ctrl-D)";

/// The help lines of one dot-command (`schema` or `.schema`).
fn help_for(text: &str, command: &str) -> Result<String> {
    let name = format!(".{}", command.trim_start_matches('.'));
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.trim_start()
                .strip_prefix(name.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '|']))
        })
        .collect();
    if lines.is_empty() {
        return Err(Error::unknown(format!(
            "no command `{name}`{}; .help lists them",
            did_you_mean(&name, super::complete::DOT_COMMANDS.iter().copied())
        )));
    }
    Ok(lines.join("\n"))
}

pub fn run(app: &mut App, line: &str) -> Result<Next> {
    let mut parts = line.split_whitespace();
    let command = parts.next().unwrap_or("");
    let arg = parts.next();
    match command {
        ".help" => {
            let text = HELP
                .replace("{echo}", if app.echo.get() { "on" } else { "off" })
                .replace("{format}", app.format.name());
            match arg {
                None => println!("{text}"),
                Some(command) => println!("{}", help_for(&text, command)?),
            }
        }
        ".quit" | ".exit" => return Ok(Next::Quit),
        ".echo" => match arg {
            Some("on") => app.echo.set(true),
            Some("off") => app.echo.set(false),
            None => println!("echo is {}", if app.echo.get() { "on" } else { "off" }),
            Some(other) => {
                return Err(Error::invalid(format!(
                    ".echo takes on or off, not `{other}`"
                )));
            }
        },
        ".format" => match arg {
            Some(f) => {
                app.format = f
                    .parse::<Format>()
                    .map_err(|e| Error::invalid(e.to_string()))?
            }
            None => println!("format is {}", app.format.name()),
        },
        ".models" => models(app),
        ".tables" => tables(app)?,
        ".migrations" => match app.migration_status()? {
            Some(status) => println!("{}", status.describe()),
            None => println!(
                "no migrations folder at {} (`ormsh db init` or `flask db init` makes one)",
                app.settings.project.root.join("migrations").display()
            ),
        },
        ".diff" => {
            app.diff(arg == Some("--sql"))?;
        }
        ".pager" => match arg {
            Some("on") => app.pager = true,
            Some("off") => app.pager = false,
            _ => println!(
                "the pager is {} (.pager on|off)",
                if app.pager { "on" } else { "off" }
            ),
        },
        ".output" => {
            app.set_output(arg)?;
            if let Some(path) = arg {
                println!("results go to {path} (.output alone brings them back)");
            }
        }
        ".timing" => match arg {
            Some("on") => app.timing = true,
            Some("off") => app.timing = false,
            _ => println!(
                "timing is {} (.timing on|off)",
                if app.timing { "on" } else { "off" }
            ),
        },
        ".record" => match arg {
            Some("on") => app.host.set_recording(true),
            Some("off") => app.host.set_recording(false),
            _ => return Err(Error::invalid(".record takes on or off")),
        },
        ".queries" => queries(app),
        ".sandbox" => {
            if !app.sandbox {
                app.enter_sandbox();
            }
            println!("SANDBOX: commits only flush, and everything is rolled back when you leave.");
        }
        ".run" => {
            let Some(file) = arg else {
                return Err(Error::invalid(
                    ".run takes a script file: .run scripts/seed.rhai",
                ));
            };
            let source = std::fs::read_to_string(file).map_err(|e| Error::Io {
                path: file.into(),
                source: e,
            })?;
            app.run_parts(&source, file, true)?;
        }
        ".nplusone" => match arg {
            Some("off") => app.host.set_nplusone_threshold(None),
            Some(n) => match n.parse::<u64>() {
                Ok(n) => app.host.set_nplusone_threshold(Some(n)),
                Err(_) => {
                    return Err(Error::invalid(format!(
                        ".nplusone takes a number of lazy loads or off, not `{n}`"
                    )));
                }
            },
            None => match app.host.nplusone_threshold() {
                Some(n) => println!("N+1 warnings after {n} lazy loads of one relationship"),
                None => println!("N+1 warnings are off"),
            },
        },
        ".reload" => {
            app.reload()?;
            let registry = app.host.registry();
            let names: Vec<&str> = registry.mappers.iter().map(|m| m.name.as_str()).collect();
            println!("models reloaded: {}", names.join(", "));
        }
        ".schema" => schema(app, arg)?,
        ".sql" => {
            let sql = line.trim_start().strip_prefix(".sql").unwrap_or("").trim();
            if sql.is_empty() {
                return Err(Error::invalid(
                    ".sql takes a statement: .sql SELECT count(*) FROM post",
                ));
            }
            app.run_sql(sql)?;
        }
        ".rels" => {
            let rest: Vec<&str> = line.split_whitespace().skip(1).collect();
            println!("{}", rels(app, &rest)?);
        }
        other => {
            return Err(Error::unknown(format!(
                "unknown command `{other}`{}; .help lists them",
                did_you_mean(other, super::complete::DOT_COMMANDS.iter().copied())
            )));
        }
    }
    Ok(Next::Continue)
}

fn models(app: &App) {
    let registry = app.host.registry();
    let rows = registry
        .mappers
        .iter()
        .map(|m| {
            let rels: Vec<String> = m
                .relationships
                .iter()
                .map(|r| format!("{} → {}", r.name, registry.mapper(r.target).name))
                .collect();
            // `Engineer(Employee)`: the model it derives from, as Python writes it.
            let name = match m.inheritance.as_ref().and_then(|i| i.parent) {
                Some(p) => format!("{}({})", m.name, registry.mapper(p).name),
                None => m.name.clone(),
            };
            vec![
                Value::Text(if app.host.is_reflected(&m.name) {
                    format!("{name} (reflected)")
                } else if let Some(file) = app.host.python_file(&m.name) {
                    format!("{name} ({file})")
                } else {
                    name
                }),
                Value::Text(m.table.clone()),
                Value::Text(m.bind_key.clone().unwrap_or_else(|| "(default)".into())),
                Value::Text(
                    m.columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Value::Text(rels.join(", ")),
            ]
        })
        .collect();
    let columns = ["model", "table", "bind", "columns", "relationships"]
        .map(String::from)
        .to_vec();
    app.print_output(&Output::Table { columns, rows });
}

/// `.tables`: the tables each database has, and the model that maps each.
fn tables(app: &App) -> Result<()> {
    let registry = app.host.registry();
    let session = app.host.session();
    let mut rows = Vec::new();
    for (bind, engine) in session.engines().all() {
        for table in engine.table_names()? {
            let model = registry
                .mappers
                .iter()
                .find(|m| m.table == table && m.bind_key.as_deref() == bind)
                .map_or(Value::Null, |m| Value::Text(m.name.clone()));
            rows.push(vec![
                Value::Text(table),
                model,
                Value::Text(bind.unwrap_or("(default)").to_string()),
            ]);
        }
    }
    let columns = ["table", "model", "bind"].map(String::from).to_vec();
    app.print_output(&Output::Table { columns, rows });
    Ok(())
}

/// `.schema [Model]`: each model's CREATE TABLE beside its live table. The
/// live tables are read first and the text printed whole after, so the echo
/// of those reads never lands inside it.
fn schema(app: &App, model: Option<&str>) -> Result<()> {
    let registry = app.host.registry();
    let mappers = match model {
        Some(name) => vec![registry.lookup(name)?.clone()],
        None => registry
            .dependency_order()
            .into_iter()
            .map(|i| registry.mapper(i).clone())
            .collect(),
    };
    let mut described = Vec::new();
    for mapper in mappers {
        let engine = app.host.session().engine_for(&mapper)?;
        let live = engine.describe_table(&mapper.table)?;
        described.push((mapper, engine, live));
    }
    let mut text = Vec::new();
    for (mapper, engine, live) in described {
        text.push(format!("-- {} (model)", mapper.name));
        for stmt in crate::orm::schema::ddl::create_statements(&mapper, engine.dialect()) {
            text.push(format!("{};", stmt.sql));
        }
        match live {
            None => text.push(format!(
                "-- the table `{}` does not exist in {} yet: db.create_all() creates it\n",
                mapper.table,
                engine.url()
            )),
            Some(live) => {
                text.push(format!("-- {} (live, in {})", mapper.table, engine.url()));
                text.push(live_text(app, &live));
            }
        }
    }
    app.print_output(&Output::Text(text.join("\n")));
    Ok(())
}

/// A live table as the database describes it: columns, then keys and indexes.
fn live_text(app: &App, live: &crate::sql::introspect::TableInfo) -> String {
    let rows = live
        .columns
        .iter()
        .map(|c| {
            let key = live
                .primary_key
                .iter()
                .position(|p| *p == c.name)
                .map_or(String::new(), |i| format!("PK {}", i + 1));
            vec![
                Value::Text(c.name.clone()),
                Value::Text(c.type_name.clone()),
                Value::Bool(c.nullable),
                c.default.clone().map_or(Value::Null, Value::Text),
                Value::Text(key),
            ]
        })
        .collect();
    let columns = ["column", "type", "nullable", "default", "key"]
        .map(String::from)
        .to_vec();
    let mut lines = vec![app.output_text(&Output::Table { columns, rows })];
    for fk in &live.foreign_keys {
        lines.push(format!(
            "foreign key ({}) → {} ({})",
            fk.columns.join(", "),
            fk.ref_table,
            fk.ref_columns.join(", ")
        ));
    }
    for index in &live.indexes {
        lines.push(format!(
            "{}index {} ({})",
            if index.unique { "unique " } else { "" },
            index.name,
            index.columns.join(", ")
        ));
    }
    lines.push(String::new());
    lines.join("\n")
}

/// The relationship graph: one line per relationship, or a Mermaid
/// `erDiagram` / Graphviz digraph of it.
fn rels(app: &App, args: &[&str]) -> Result<String> {
    use crate::orm::Direction;
    let registry = app.host.registry();
    let mut model = None;
    let mut form = "text";
    for arg in args {
        match *arg {
            "--mermaid" => form = "mermaid",
            "--dot" => form = "dot",
            name => model = Some(registry.lookup(name)?.index),
        }
    }
    let mut lines = Vec::new();
    match form {
        "mermaid" => lines.push("erDiagram".to_string()),
        "dot" => lines.push("digraph models {".to_string()),
        _ => {}
    }
    for mapper in &registry.mappers {
        for rel in &mapper.relationships {
            if model.is_some_and(|m| m != mapper.index && m != rel.target) {
                continue;
            }
            let target = registry.mapper(rel.target);
            let kind = match (rel.direction, rel.uselist) {
                (Direction::ManyToOne, _) => "m2o",
                (Direction::OneToMany, true) => "o2m",
                (Direction::OneToMany, false) => "o2o",
                (Direction::ManyToMany, _) => "m2m",
            };
            let (fk_side, pk_side) = match rel.direction {
                Direction::ManyToOne => (mapper, target),
                _ => (target, mapper),
            };
            let fk: Vec<String> = rel
                .pairs
                .iter()
                .map(|&(l, r)| {
                    let (f, p) = if rel.direction == Direction::ManyToOne {
                        (l, r)
                    } else {
                        (r, l)
                    };
                    format!(
                        "{}.{} → {}.{}",
                        fk_side.table,
                        fk_side.columns[f].db_name,
                        pk_side.table,
                        pk_side.columns[p].db_name
                    )
                })
                .chain(rel.secondary.iter().map(|s| format!("through {}", s.table)))
                .collect();
            match form {
                "mermaid" => {
                    // Each pair once: from the one-to-many side.
                    if rel.direction == Direction::OneToMany {
                        let card = if rel.uselist { "o{" } else { "o|" };
                        lines.push(format!(
                            "    {} ||--{card} {} : {}",
                            mapper.name, target.name, rel.name
                        ));
                    } else if rel.direction == Direction::ManyToMany {
                        // Once per pair: the declared side, or the first of two declared.
                        let partner = rel
                            .reverse
                            .as_ref()
                            .and_then(|r| target.relationships.iter().find(|x| &x.name == r));
                        let first = !rel.from_backref
                            && partner.is_none_or(|x| {
                                x.from_backref
                                    || (mapper.index, &rel.name) < (target.index, &x.name)
                            });
                        if first {
                            lines.push(format!(
                                "    {} }}o--o{{ {} : {}",
                                mapper.name, target.name, rel.name
                            ));
                        }
                    } else if rel.reverse.is_none() {
                        lines.push(format!(
                            "    {} ||--o{{ {} : {}",
                            target.name, mapper.name, rel.name
                        ));
                    }
                }
                "dot" => lines.push(format!(
                    "    \"{}\" -> \"{}\" [label=\"{} ({kind})\"];",
                    mapper.name, target.name, rel.name
                )),
                _ => lines.push(format!(
                    "{}.{} → {}  {kind}  fk {}  lazy {}  cascade {}{}",
                    mapper.name,
                    rel.name,
                    target.name,
                    fk.join(", "),
                    format!("{:?}", rel.lazy).to_lowercase(),
                    if rel.delete_orphan {
                        "all, delete-orphan"
                    } else if rel.cascade_delete {
                        "all, delete"
                    } else {
                        "save-update, merge"
                    },
                    rel.reverse
                        .as_ref()
                        .map_or(String::new(), |r| format!("  backref {}.{r}", target.name)),
                )),
            }
        }
    }
    if form == "dot" {
        lines.push("}".to_string());
    }
    if lines.is_empty() {
        lines.push("(no relationships)".to_string());
    }
    Ok(lines.join("\n"))
}

/// The recorded statements as a table, the slowest one marked.
fn queries(app: &App) {
    let recorded = app.host.recorded_queries();
    if recorded.is_empty() {
        println!("no statements recorded (.record on, or record_queries = true in ormsh.toml)");
        return;
    }
    let slowest = recorded
        .iter()
        .map(|r| r.event.elapsed)
        .max()
        .unwrap_or_default();
    let rows = recorded
        .iter()
        .map(|r| {
            let q = &r.event;
            let params: Vec<String> = q.params.iter().map(Value::repr).collect();
            vec![
                Value::Text(q.sql.clone()),
                Value::Text(params.join(", ")),
                Value::Float((q.elapsed.as_secs_f64() * 1e5).round() / 100.0),
                Value::Text(r.location.clone()),
                Value::Text(if q.elapsed == slowest {
                    "◀ slowest".into()
                } else {
                    String::new()
                }),
            ]
        })
        .collect();
    let columns = ["statement", "parameters", "ms", "location", ""]
        .map(String::from)
        .to_vec();
    app.print_output(&Output::Table { columns, rows });
}
