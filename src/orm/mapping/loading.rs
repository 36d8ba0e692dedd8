//! Loader options: which relationships a query loads, and how (the path
//! from the query's model, and the strategy: joined, select-in, lazy).

use crate::orm::mapping::model::Lazy;

/// `joinedload(Post.author)` and friends: how to load one relationship for
/// this query. The path names relationships from the query's model down
/// (`["posts", "tags"]` for `joinedload(User.posts).joinedload(Post.tags)`).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadOption {
    pub path: Vec<String>,
    pub strategy: Lazy,
}

impl LoadOption {
    pub fn new(relationship: &str, strategy: Lazy) -> LoadOption {
        LoadOption {
            path: vec![relationship.to_string()],
            strategy,
        }
    }

    /// The strategy `options` give the relationship `name` itself.
    pub(crate) fn strategy_for(options: &[LoadOption], name: &str) -> Option<Lazy> {
        options
            .iter()
            .find(|o| o.path.len() == 1 && o.path[0] == name)
            .map(|o| o.strategy)
    }

    /// The options under the relationship `name`, rooted at its target.
    pub(crate) fn under(options: &[LoadOption], name: &str) -> Vec<LoadOption> {
        options
            .iter()
            .filter(|o| o.path.len() > 1 && o.path[0] == name)
            .map(|o| LoadOption {
                path: o.path[1..].to_vec(),
                strategy: o.strategy,
            })
            .collect()
    }
}
