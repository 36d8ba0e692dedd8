//! The databases a session talks to: the default one and each `[binds]`
//! entry, chosen per model by its `bind_key`.

use crate::engine::Engine;
use crate::error::{Error, Result, did_you_mean};
use crate::orm::mapping::model::Mapper;

pub struct Engines {
    default: Engine,
    named: Vec<(String, Engine)>,
}

impl Engines {
    pub fn new(default: Engine, named: Vec<(String, Engine)>) -> Self {
        Engines { default, named }
    }

    pub fn default_engine(&self) -> &Engine {
        &self.default
    }

    /// The engine for a bind key (`None` is the default database).
    pub fn get(&self, key: Option<&str>) -> Result<&Engine> {
        match key {
            None => Ok(&self.default),
            Some(k) => self
                .named
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, e)| e)
                .ok_or_else(|| {
                    Error::unknown(format!(
                        "there is no bind named `{k}` in [binds]{}",
                        did_you_mean(k, self.named.iter().map(|(n, _)| n.as_str()))
                    ))
                }),
        }
    }

    pub fn for_mapper(&self, mapper: &Mapper) -> Result<&Engine> {
        self.get(mapper.bind_key.as_deref())
    }

    /// Every engine with its bind key, the default first.
    pub fn all(&self) -> impl Iterator<Item = (Option<&str>, &Engine)> {
        std::iter::once((None, &self.default))
            .chain(self.named.iter().map(|(n, e)| (Some(n.as_str()), e)))
    }
}
