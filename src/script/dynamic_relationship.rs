//! A dynamic or write-only relationship at the prompt (`u.followed`): a
//! query of its objects that also writes to it, as SQLAlchemy's
//! AppenderQuery (`append`, `extend`, `remove`) and WriteOnlyCollection
//! (`add`, `add_all`, `remove`, `select()`) do.

use std::rc::Rc;

use rhai::{Array, Engine};

use super::Shared;
use super::convert::{OrRhai, RhaiResult, err};
use super::handles::{Appender, ObjectHandle, QueryHandle, SelectHandle};

pub fn register(engine: &mut Engine, shared: &Rc<Shared>) {
    for name in ["append", "add", "remove"] {
        let s = shared.clone();
        engine.register_fn(
            name,
            move |q: &mut QueryHandle, o: ObjectHandle| -> RhaiResult<()> {
                let a = appender(q, name)?;
                if name == "remove" {
                    s.session.collection_remove(&a.owner, a.rel, &o.0).rhai()
                } else {
                    s.session.collection_append(&a.owner, a.rel, &o.0).rhai()
                }
            },
        );
    }
    for name in ["extend", "add_all"] {
        let s = shared.clone();
        engine.register_fn(
            name,
            move |q: &mut QueryHandle, items: Array| -> RhaiResult<()> {
                let a = appender(q, name)?;
                for item in items {
                    let Some(o) = item.clone().try_cast::<ObjectHandle>() else {
                        return err(format!(
                            "{name}() takes a list of objects, not a {}",
                            item.type_name()
                        ));
                    };
                    s.session.collection_append(&a.owner, a.rel, &o.0).rhai()?;
                }
                Ok(())
            },
        );
    }
    // `db.session.scalars(user.posts.select())`: the relationship's rows as a 2.0 select.
    engine.register_fn(
        "select",
        |q: &mut QueryHandle| -> RhaiResult<SelectHandle> {
            appender(q, "select")?;
            Ok(SelectHandle(crate::orm::SelectStatement::of_query(
                q.0.clone(),
            )))
        },
    );
}

/// The relationship a query writes to, or why a plain query does not.
fn appender<'a>(q: &'a QueryHandle, name: &str) -> RhaiResult<&'a Appender> {
    match &q.1 {
        Some(a) => Ok(a),
        None if matches!(name, "add" | "add_all") => err(format!(
            "`{name}` is a method of db.session, not of a Query (db.session.{name}(..)); on a write-only relationship (`user.posts.{name}(..)`) it adds to it"
        )),
        None => err(format!(
            "{name}() writes to a dynamic or write-only relationship (`user.followed.{name}(..)`), not to a query"
        )),
    }
}
