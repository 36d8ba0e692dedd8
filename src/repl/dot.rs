//! Dot-commands beside the language: `.help`, `.models`, `.schema`,
//! `.echo`, `.format`, `.quit`.

use crate::cli::App;
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
  .help                 this text
  .models               the models, their tables and binds
  .schema [Model]       the CREATE TABLE of one model, or of all
  .echo on|off          show each SQL statement sent (now: {echo})
  .format table|vertical|json|csv   how results print (now: {format})
  .quit                 leave (also .exit, Ctrl-D)";

pub fn run(app: &mut App, line: &str) -> Result<Next> {
    let mut parts = line.split_whitespace();
    let command = parts.next().unwrap_or("");
    let arg = parts.next();
    match command {
        ".help" => {
            let text = HELP
                .replace("{echo}", if app.echo.get() { "on" } else { "off" })
                .replace("{format}", app.format.name());
            println!("{text}");
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
        ".schema" => schema(app, arg)?,
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
            vec![
                Value::Text(m.name.clone()),
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
    for mapper in mappers {
        let engine = app.host.session().engine_for(&mapper)?;
        println!("-- {} (model)", mapper.name);
        for stmt in crate::orm::schema::create_statements(&mapper, engine.dialect()) {
            println!("{};", stmt.sql);
        }
        match engine.describe_table(&mapper.table)? {
            None => println!(
                "-- the table `{}` does not exist in {} yet: db.create_all() creates it\n",
                mapper.table,
                engine.url()
            ),
            Some(live) => {
                println!("-- {} (live, in {})", mapper.table, engine.url());
                print_live(app, &live);
            }
        }
    }
    Ok(())
}

/// A live table as the database describes it: columns, then keys and indexes.
fn print_live(app: &App, live: &crate::sql::introspect::TableInfo) {
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
    app.print_output(&Output::Table { columns, rows });
    for fk in &live.foreign_keys {
        println!(
            "foreign key ({}) → {} ({})",
            fk.columns.join(", "),
            fk.ref_table,
            fk.ref_columns.join(", ")
        );
    }
    for index in &live.indexes {
        println!(
            "{}index {} ({})",
            if index.unique { "unique " } else { "" },
            index.name,
            index.columns.join(", ")
        );
    }
    println!();
}
