//! SQL the user writes by hand (`db.execute`, `.sql`): its placeholders
//! (`?` in order, or `:name`) become the dialect's, each value bound and
//! never spliced into the text; and what kind of statement it is (does it
//! return rows; is it a DELETE or UPDATE with no WHERE).

use super::compiler::{Bind, Compiled};
use super::dialect::Dialect;
use super::value::Value;
use crate::error::{Error, Result};

/// The values for a hand-written statement's placeholders.
#[derive(Debug, Clone, PartialEq)]
pub enum RawParams {
    /// For `?` placeholders, in order.
    Positional(Vec<Value>),
    /// For `:name` placeholders.
    Named(Vec<(String, Value)>),
}

/// A piece of the statement outside strings, quoted names and comments.
enum Part<'a> {
    Code(&'a str),
    Quoted(&'a str),
}

/// Split `sql` into code and the quoted or commented stretches, which are
/// passed through untouched.
fn parts(sql: &str) -> Vec<Part<'_>> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let end = match (bytes[i], bytes.get(i + 1)) {
            (b'\'' | b'"' | b'`', _) => {
                let quote = bytes[i];
                let mut j = i + 1;
                loop {
                    match bytes.get(j) {
                        None => break j,
                        Some(b'\\') if quote == b'\'' => j += 2,
                        Some(&b) if b == quote && bytes.get(j + 1) == Some(&quote) => j += 2,
                        Some(&b) if b == quote => break j + 1,
                        Some(_) => j += 1,
                    }
                }
            }
            (b'-', Some(b'-')) => sql[i..].find('\n').map_or(bytes.len(), |p| i + p),
            (b'/', Some(b'*')) => sql[i + 2..].find("*/").map_or(bytes.len(), |p| i + p + 4),
            _ => {
                i += 1;
                continue;
            }
        };
        let end = end.min(bytes.len());
        if start < i {
            out.push(Part::Code(&sql[start..i]));
        }
        out.push(Part::Quoted(&sql[i..end]));
        start = end;
        i = end;
    }
    if start < bytes.len() {
        out.push(Part::Code(&sql[start..]));
    }
    out
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The statement with the dialect's placeholders, and its binds.
pub fn prepare(sql: &str, params: &RawParams, dialect: &dyn Dialect) -> Result<Compiled> {
    let mut text = String::with_capacity(sql.len());
    let mut binds = Vec::new();
    let mut positional = 0usize;
    let bind = |value: Value, text: &mut String, binds: &mut Vec<Bind>| {
        binds.push(Bind { value, ty: None });
        dialect.write_placeholder(binds.len(), text);
    };
    for part in parts(sql) {
        let code = match part {
            Part::Quoted(q) => {
                text.push_str(q);
                continue;
            }
            Part::Code(code) => code,
        };
        let mut chars = code.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let prev = code[..at].chars().next_back();
            match (c, params) {
                ('?', RawParams::Positional(values)) => {
                    let value = values.get(positional).cloned().ok_or_else(|| {
                        Error::invalid(format!(
                            "the SQL has more ? placeholders than the {} values given",
                            values.len()
                        ))
                    })?;
                    positional += 1;
                    bind(value, &mut text, &mut binds);
                }
                // `:name`, but not PostgreSQL's `::type` cast or a `:=`.
                (':', RawParams::Named(values))
                    if prev != Some(':')
                        && chars
                            .peek()
                            .is_some_and(|&(_, n)| n.is_alphabetic() || n == '_') =>
                {
                    let mut name = String::new();
                    while let Some(&(_, n)) = chars.peek() {
                        if !is_name_char(n) {
                            break;
                        }
                        name.push(n);
                        chars.next();
                    }
                    let value = values
                        .iter()
                        .find(|(k, _)| *k == name)
                        .map(|(_, v)| v.clone())
                        .ok_or_else(|| {
                            Error::invalid(format!(
                                "the SQL names :{name}, which the parameters do not give"
                            ))
                        })?;
                    bind(value, &mut text, &mut binds);
                }
                _ => text.push(c),
            }
        }
    }
    if let RawParams::Positional(values) = params
        && positional < values.len()
    {
        return Err(Error::invalid(format!(
            "{} values were given for {positional} ? placeholders",
            values.len()
        )));
    }
    Ok(Compiled { sql: text, binds })
}

/// The words of the statement's code, upper-cased (strings and comments left out).
fn words(sql: &str) -> Vec<String> {
    parts(sql)
        .into_iter()
        .filter_map(|p| match p {
            Part::Code(c) => Some(c),
            Part::Quoted(_) => None,
        })
        .flat_map(|c| c.split(|ch: char| !is_name_char(ch)))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect()
}

/// Whether the statement gives rows back (a query, or a write with RETURNING).
pub fn returns_rows(sql: &str) -> bool {
    let words = words(sql);
    let first = words.first().map(String::as_str).unwrap_or("");
    matches!(
        first,
        "SELECT"
            | "WITH"
            | "SHOW"
            | "EXPLAIN"
            | "VALUES"
            | "PRAGMA"
            | "DESCRIBE"
            | "DESC"
            | "TABLE"
    ) || words.iter().any(|w| w == "RETURNING")
}

/// `DELETE` or `UPDATE` when the statement is one with no WHERE: it touches every row.
pub fn touches_every_row(sql: &str) -> Option<&'static str> {
    let words = words(sql);
    let verb = match words.first().map(String::as_str) {
        Some("DELETE") => "DELETE",
        Some("UPDATE") => "UPDATE",
        _ => return None,
    };
    (!words.iter().any(|w| w == "WHERE")).then_some(verb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::dialect::{MySql, Postgres, Sqlite};

    #[test]
    fn placeholders_become_the_dialects() {
        let params = RawParams::Positional(vec![Value::Int(1), Value::Text("a?".into())]);
        let sql = "SELECT '?', \"x?\" FROM t WHERE id = ? AND name = ? -- ?\n";
        let pg = prepare(sql, &params, &Postgres).unwrap();
        assert_eq!(
            pg.sql,
            "SELECT '?', \"x?\" FROM t WHERE id = $1 AND name = $2 -- ?\n"
        );
        assert_eq!(pg.params(), vec![Value::Int(1), Value::Text("a?".into())]);
        assert_eq!(prepare(sql, &params, &MySql::MYSQL).unwrap().sql, sql);
        let named = RawParams::Named(vec![("id".into(), Value::Int(7))]);
        let pg = prepare(
            "SELECT x::text, ':id' FROM t WHERE id = :id OR parent = :id",
            &named,
            &Postgres,
        )
        .unwrap();
        assert_eq!(
            pg.sql,
            "SELECT x::text, ':id' FROM t WHERE id = $1 OR parent = $2"
        );
        assert!(prepare("SELECT ?", &RawParams::Positional(vec![]), &Sqlite).is_err());
        assert!(
            prepare(
                "SELECT 1",
                &RawParams::Positional(vec![Value::Int(1)]),
                &Sqlite
            )
            .is_err()
        );
        assert!(prepare("SELECT :nope", &named, &Sqlite).is_err());
    }

    #[test]
    fn kinds_of_statement() {
        assert!(returns_rows("  select 1"));
        assert!(returns_rows("WITH x AS (SELECT 1) SELECT * FROM x"));
        assert!(returns_rows("INSERT INTO t (a) VALUES (1) RETURNING id"));
        assert!(!returns_rows("INSERT INTO t (a) VALUES ('RETURNING')"));
        assert_eq!(touches_every_row("delete from t"), Some("DELETE"));
        assert_eq!(touches_every_row("DELETE FROM t WHERE id = 1"), None);
        assert_eq!(
            touches_every_row("UPDATE t SET a = 'where'"),
            Some("UPDATE")
        );
        assert_eq!(touches_every_row("-- where\nDELETE FROM t"), Some("DELETE"));
    }
}
