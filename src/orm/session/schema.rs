//! The session's schema calls (`db.create_all()`, `db.drop_all()`,
//! `db.reflect()`, drift), done by `orm::schema` on the session's databases.

use crate::error::Result;
use crate::orm::schema::Schema;
use crate::orm::schema::ddl::SchemaReport;
use crate::orm::schema::drift::Drift;
use crate::orm::session::Session;

impl Session {
    /// The tables of the database under `bind` (the default with `None`).
    pub fn table_names(&self, bind: Option<&str>) -> Result<Vec<String>> {
        Schema(self).table_names(bind)
    }

    /// `db.create_all()`: every model's table (of one bind, or all of them).
    pub fn create_all(&self, bind: Option<Option<&str>>) -> Result<SchemaReport> {
        Schema(self).create_all(bind)
    }

    /// Whether `db.{call}(..)` on `bind` can reach its databases: the
    /// default one must be set where it is included (to ask before a drop
    /// only what can be done).
    pub fn schema_binds_set(&self, bind: Option<Option<&str>>, call: &str) -> Result<()> {
        Schema(self).default_is_set(bind, call)
    }

    /// `db.drop_all()`.
    pub fn drop_all(&self, bind: Option<Option<&str>>) -> Result<SchemaReport> {
        Schema(self).drop_all(bind)
    }

    /// Where the models and the live database disagree.
    pub fn diff(&self) -> Result<Vec<Drift>> {
        Schema(self).diff()
    }

    /// The statements that would bring the database to the models;
    /// `extras` gives those that drop what a table has beyond them.
    pub fn diff_sql(
        &self,
        drift: &[Drift],
        extras: &crate::orm::schema::drift_sql::ExtraSql,
    ) -> Result<Vec<String>> {
        Schema(self).diff_sql(drift, extras)
    }

    /// `db.reflect()`: a model for every table of the default database that
    /// no model maps yet. Returns the models added and the notes on names
    /// that had to differ.
    pub fn reflect(&self) -> Result<(Vec<String>, Vec<String>)> {
        Schema(self).reflect()
    }
}
