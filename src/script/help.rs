//! `help(x)`: what can be called on `x` (a query, a model, an object,
//! `db`, `db.session`), one line each, printed as a table.

use std::rc::Rc;

use rhai::Engine;

use super::db::{Db, SessionHandle};
use super::handles::{ModelClass, ObjectHandle};
use super::handles::{QueryHandle, Rows};
use super::handles::{SelectHandle, WriteHandle};
use super::names::{DB_MEMBERS, QUERY_METHODS, ROW_MEMBERS, SESSION_METHODS};
use super::names::{RESULT_METHODS, SELECT_METHODS, WRITE_METHODS};
use super::result::{EntityRow, ResultHandle};
use super::rows::Row;
use crate::orm::{Direction, Mapper, RowSet};
use crate::sql::Value;

fn table(entries: impl Iterator<Item = (String, String)>) -> Rows {
    Rows(Rc::new(RowSet {
        columns: vec!["name".into(), "what it does".into()],
        rows: entries
            .map(|(n, d)| vec![Value::Text(n), Value::Text(d)])
            .collect(),
    }))
}

fn listed(list: &'static [(&'static str, &'static str)]) -> Rows {
    table(list.iter().map(|(n, d)| (n.to_string(), d.to_string())))
}

/// A model's columns and relationships, and `query`.
fn model(mapper: &Mapper, methods: &[(String, String)]) -> Rows {
    let columns = mapper.columns.iter().map(|c| {
        let mut what = format!("column, {}", c.ty);
        if c.primary_key {
            what.push_str(", primary key");
        } else if !c.nullable {
            what.push_str(", not null");
        }
        if let Some(fk) = &c.foreign_key {
            what.push_str(&format!(", → {}.{}", fk.table, fk.column));
        }
        (c.name.clone(), what)
    });
    let relationships = mapper.relationships.iter().map(|r| {
        let kind = match (r.direction, r.uselist) {
            (Direction::ManyToOne, _) => "many-to-one",
            (Direction::OneToMany, true) => "one-to-many",
            (Direction::OneToMany, false) => "one-to-one",
            (Direction::ManyToMany, _) => "many-to-many",
        };
        (r.name.clone(), format!("relationship, {kind}"))
    });
    let methods = methods.iter().cloned();
    table(
        columns
            .chain(relationships)
            .chain(methods)
            .chain(std::iter::once((
                "query".to_string(),
                format!("a query of every {} (help(Model.query))", mapper.name),
            ))),
    )
}

pub fn register(engine: &mut Engine, shared: &Rc<super::Shared>) {
    engine.register_fn("help", |_: QueryHandle| listed(QUERY_METHODS));
    engine.register_fn("help", |_: SessionHandle| listed(SESSION_METHODS));
    engine.register_fn("help", |_: Db| listed(DB_MEMBERS));
    engine.register_fn("help", |_: Row| listed(ROW_MEMBERS));
    engine.register_fn("help", |_: Rows| listed(ROW_MEMBERS));
    engine.register_fn("help", |_: EntityRow| listed(ROW_MEMBERS));
    engine.register_fn("help", |_: SelectHandle| listed(SELECT_METHODS));
    engine.register_fn("help", |_: WriteHandle| listed(WRITE_METHODS));
    engine.register_fn("help", |_: ResultHandle| listed(RESULT_METHODS));
    let s = shared.clone();
    // The models file's methods, then what the model defines in Python
    // (named with where, not available here).
    let methods_of = move |model: &str| -> Vec<(String, String)> {
        // A subclass has its parents' hybrids, as in Python.
        let registry = s.session.registry();
        let mut lineage = Vec::new();
        let mut at = registry.get(model).map(|m| m.index);
        while let Some(i) = at {
            let m = registry.mapper(i);
            lineage.push(m.name.clone());
            at = m.inheritance.as_ref().and_then(|h| h.parent);
        }
        let extras = s.extras.borrow();
        let methods = extras.get(model).into_iter().flat_map(|e| {
            e.methods
                .iter()
                .map(|(n, _)| (format!("{n}()"), "method (models file)".to_string()))
        });
        let file_hybrids = lineage
            .iter()
            .filter_map(|m| extras.get(m))
            .flat_map(|e| &e.hybrids)
            .map(|h| (h.name.clone(), "hybrid property (models file)".to_string()));
        let hybrids = lineage
            .iter()
            .filter_map(|m| s.python_hybrids.get(m))
            .flatten()
            .map(|h| {
                let what = match &h.class {
                    Ok(_) => format!("hybrid property, read from Python at {}", h.at),
                    Err(_) => format!(
                        "hybrid property, read from Python at {} (on objects only)",
                        h.at
                    ),
                };
                (h.name.clone(), what)
            });
        let python = s.python_members.get(model).into_iter().flatten().map(|m| {
            let name = match m.kind {
                "property" => m.name.clone(),
                _ => format!("{}()", m.name),
            };
            let what = format!(
                "{} defined in Python at {}, not available in ormsh",
                m.kind, m.at
            );
            (name, what)
        });
        methods
            .chain(file_hybrids)
            .chain(hybrids)
            .chain(python)
            .collect()
    };
    let m = methods_of.clone();
    engine.register_fn("help", move |c: ModelClass| model(&c.0, &m(&c.0.name)));
    engine.register_fn("help", move |o: ObjectHandle| {
        let mapper = o.0.mapper();
        model(&mapper, &methods_of(&mapper.name))
    });
    engine.register_fn("help", || {
        table(
            [
                ("help(User)", "a model's columns, relationships and methods"),
                ("help(User.query)", "what a query can do"),
                ("help(db.select(User))", "what a 2.0 select can do"),
                (
                    "help(result)",
                    "what db.session.execute(..)'s result can do",
                ),
                ("help(db.session)", "the session's methods"),
                ("help(db)", "create_all, drop_all, execute, .."),
                ("help(obj)", "an object's attributes"),
                ("help(row)", "what a result row (with_entities) can do"),
                (".help", "the dot-commands (.help .schema for one)"),
            ]
            .into_iter()
            .map(|(n, d)| (n.to_string(), d.to_string())),
        )
    });
}
