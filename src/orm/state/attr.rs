//! What an attribute of an object holds, as the session hands it out: a
//! column's value, a related object, a collection, or a dynamic
//! relationship's query.

use crate::orm::query::model_query::Query;
use crate::orm::state::instance::{Collection, Instance};
use crate::sql::Value;

/// What an attribute holds.
#[derive(Debug, Clone)]
pub enum Attr {
    Value(Value),
    Object(Option<Instance>),
    Collection(Collection),
    /// A `lazy: "dynamic"` relationship: a query of the related rows.
    Query(Box<Query>),
}
