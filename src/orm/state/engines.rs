//! The databases a session talks to: the default one and each `[binds]`
//! entry, chosen per model by its `bind_key`. As in Flask-SQLAlchemy, the
//! default may be absent (binds and no SQLALCHEMY_DATABASE_URI): the models
//! on binds work, and whatever needs the default is refused when used.

use crate::engine::Engine;
use crate::error::{Error, Result, did_you_mean};
use crate::orm::mapping::model::Mapper;

pub struct Engines {
    default: Option<Engine>,
    named: Vec<(String, Engine)>,
}

impl Engines {
    pub fn new(default: Engine, named: Vec<(String, Engine)>) -> Self {
        Engines {
            default: Some(default),
            named,
        }
    }

    /// Binds and no default database, as Flask-SQLAlchemy allows when
    /// SQLALCHEMY_BINDS is set and SQLALCHEMY_DATABASE_URI is not.
    pub fn binds_only(named: Vec<(String, Engine)>) -> Result<Self> {
        if named.is_empty() {
            return Err(Error::config(
                "no database: set the default database's URL or at least one bind",
            ));
        }
        Ok(Engines {
            default: None,
            named,
        })
    }

    pub fn has_default(&self) -> bool {
        self.default.is_some()
    }

    /// The default database's engine, or why there is none.
    pub fn default_engine(&self) -> Result<&Engine> {
        self.default.as_ref().ok_or_else(|| self.no_default())
    }

    /// The default engine, or the first bind's where there is none: for
    /// what every engine shares (the query log).
    pub fn first(&self) -> &Engine {
        match &self.default {
            Some(e) => e,
            None => &self.named[0].1,
        }
    }

    /// Flask-SQLAlchemy's refusal ("'SQLALCHEMY_DATABASE_URI' config is
    /// not set"), saying which binds there are.
    fn no_default(&self) -> Error {
        Error::config(format!(
            "{}: use the models with a bind key, or set the default database's URL",
            self.no_default_clause()
        ))
    }

    /// "there is no default database (..), only the binds `a`, `b`".
    pub fn no_default_clause(&self) -> String {
        let binds: Vec<String> = self.named.iter().map(|(n, _)| format!("`{n}`")).collect();
        format!(
            "there is no default database (SQLALCHEMY_DATABASE_URI, or `url` under [database], is not set), only the binds {}",
            binds.join(", ")
        )
    }

    /// The engine for a bind key (`None` is the default database).
    pub fn get(&self, key: Option<&str>) -> Result<&Engine> {
        match key {
            None => self.default_engine(),
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
        match (&mapper.bind_key, &self.default) {
            (None, None) => Err(Error::config(format!(
                "{} has no bind key, and {}: give it one (`__bind_key__`, `bind_key:`), or set the default database's URL",
                mapper.name,
                self.no_default_clause()
            ))),
            (key, _) => self.get(key.as_deref()),
        }
    }

    /// Every engine with its bind key, the default (where there is one) first.
    pub fn all(&self) -> impl Iterator<Item = (Option<&str>, &Engine)> {
        self.default
            .iter()
            .map(|e| (None, e))
            .chain(self.named.iter().map(|(n, e)| (Some(n.as_str()), e)))
    }
}
