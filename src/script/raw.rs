//! `db.execute(sql, params)` and `db.session.execute(..)`: SQL written by
//! hand, its values bound (`?` with an array, `:name` with a map), rows
//! printed as a table, a write answered with its row count. A DELETE or
//! UPDATE with no WHERE asks first, as bulk statements do.

use rhai::{Dynamic, Map};

use super::Shared;
use super::convert::{OrRhai, RhaiResult, err, to_value};
use super::handles::Rows;
use crate::orm::loading::raw::RawOutcome;
use crate::sql::raw::{RawParams, touches_every_row};

fn params(given: Option<&Dynamic>) -> RhaiResult<RawParams> {
    let Some(given) = given else {
        return Ok(RawParams::Positional(Vec::new()));
    };
    if let Some(list) = given.clone().try_cast::<rhai::Array>() {
        return list
            .iter()
            .map(to_value)
            .collect::<Result<Vec<_>, _>>()
            .map(RawParams::Positional)
            .rhai();
    }
    if let Some(map) = given.clone().try_cast::<Map>() {
        return map
            .iter()
            .map(|(k, v)| to_value(v).map(|v| (k.to_string(), v)))
            .collect::<Result<Vec<_>, _>>()
            .map(RawParams::Named)
            .rhai();
    }
    err(format!(
        "execute(sql, params): params is an array for ? placeholders or a map for :name ones, not {}",
        super::errors::described(given)
    ))
}

/// Run one hand-written statement.
pub fn execute(
    shared: &Shared,
    sql: &str,
    given: Option<&Dynamic>,
    options: Option<&Map>,
) -> RhaiResult<Dynamic> {
    if let Some(verb) = touches_every_row(sql) {
        super::guard::confirm(
            shared,
            options,
            &format!("this {verb} has no WHERE: it touches every row."),
        )?;
    }
    let params = params(given)?;
    match shared.session.execute_raw(sql, &params).rhai()? {
        RawOutcome::Rows(rows) => Ok(Dynamic::from(Rows(std::rc::Rc::new(rows)))),
        RawOutcome::Written(n) => Ok(Dynamic::from(n as rhai::INT)),
    }
}
