//! The Rust types behind Rhai's values: a model, one of its relationships
//! as an option target, an object, a live collection, a query, its rows and
//! its SQL. `objects`, `query` and `loader` register what each can do.

use std::rc::Rc;

use crate::orm::{Collection, Instance, Mapper, Query, RowSet};
use crate::sql::Value;

/// `User`: the model itself.
#[derive(Clone)]
pub struct ModelClass(pub Rc<Mapper>);

/// `Post.author` used as an option target, e.g. `joinedload(Post.author)`.
#[derive(Clone)]
pub struct RelationshipAttr {
    pub mapper: Rc<Mapper>,
    pub index: usize,
}

/// One object.
#[derive(Clone)]
pub struct ObjectHandle(pub Instance);

/// `u.posts`.
#[derive(Clone)]
pub struct CollectionHandle {
    pub owner: Instance,
    pub rel: usize,
    pub items: Collection,
}

impl IntoIterator for CollectionHandle {
    type Item = ObjectHandle;
    type IntoIter = std::vec::IntoIter<ObjectHandle>;
    fn into_iter(self) -> Self::IntoIter {
        self.items
            .items()
            .into_iter()
            .map(ObjectHandle)
            .collect::<Vec<_>>()
            .into_iter()
    }
}

#[derive(Clone)]
pub struct QueryHandle(pub Query, pub Option<Appender>);

/// The object and dynamic relationship a query was read from (`u.followed`):
/// `append` and `remove` on the query write to that relationship.
#[derive(Clone)]
pub struct Appender {
    pub owner: Instance,
    pub rel: usize,
}

impl QueryHandle {
    /// A query that writes to no relationship.
    pub fn of(query: Query) -> QueryHandle {
        QueryHandle(query, None)
    }
}

/// Rows of plain values, printed as a table.
#[derive(Clone)]
pub struct Rows(pub Rc<RowSet>);

/// `q.sql()`: the SQL and its parameters.
#[derive(Clone)]
pub struct SqlText {
    pub sql: String,
    pub params: Vec<Value>,
}

/// `db.select(..)`: a SQLAlchemy 2.0 select, run by `db.session.execute`.
#[derive(Clone)]
pub struct SelectHandle(pub crate::orm::SelectStatement);

/// `db.insert(..)`, `db.update(..)`, `db.delete(..)`.
#[derive(Clone)]
pub struct WriteHandle(pub crate::orm::WriteStatement);
