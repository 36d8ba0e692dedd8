//! The echo of one statement the ORM sent (SQLALCHEMY_ECHO): the SQL, then a
//! dim line with its parameters, how long it took and how many rows came back.
//! A small tokenizer colours keywords; it only has to tell keywords, string
//! literals, identifiers and comments apart, never parse. Names are bare
//! unless they need quotes, as SQLAlchemy writes them, so a bare word next
//! to a `.` (`post.key`, `user.index`) is a name, never a keyword.

use std::time::Duration;

use super::Style;
use super::ansi::{self, DIM, KEYWORD};
use crate::sql::value::Value;

/// A parameter longer than this is cut: a blob or an essay as a bound value
/// would otherwise bury the statement it belongs to.
const MAX_PARAM_CHARS: usize = 80;
/// Past this many parameters (a batched insert) the rest are only counted.
const MAX_PARAMS: usize = 20;

const KEYWORDS: &[&str] = &[
    "ALL",
    "AND",
    "AS",
    "ASC",
    "AUTOINCREMENT",
    "BEGIN",
    "BETWEEN",
    "BY",
    "CASE",
    "CAST",
    "COMMIT",
    "CONSTRAINT",
    "COUNT",
    "CREATE",
    "CROSS",
    "DEFAULT",
    "DELETE",
    "DESC",
    "DISTINCT",
    "DROP",
    "ELSE",
    "END",
    "ESCAPE",
    "EXISTS",
    "EXPLAIN",
    "FOREIGN",
    "FROM",
    "FULL",
    "GROUP",
    "HAVING",
    "IF",
    "ILIKE",
    "IN",
    "INDEX",
    "INNER",
    "INSERT",
    "INTO",
    "IS",
    "JOIN",
    "KEY",
    "LEFT",
    "LIKE",
    "LIMIT",
    "NOT",
    "NULL",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "OUTER",
    "PRIMARY",
    "REFERENCES",
    "RELEASE",
    "RETURNING",
    "RIGHT",
    "ROLLBACK",
    "SAVEPOINT",
    "SELECT",
    "SET",
    "TABLE",
    "THEN",
    "UNION",
    "UNIQUE",
    "UPDATE",
    "VALUES",
    "WHEN",
    "WHERE",
    "WITH",
];

/// The echo lines for one statement:
///
/// ```text
/// SELECT user.id FROM user WHERE user.username = ? LIMIT ?
/// [params: 'johndoe', 1] 0.21 ms · 1 row
/// ```
///
/// `rows` is `None` when the statement returns no count worth showing.
pub fn echo(
    sql: &str,
    params: &[Value],
    elapsed: Duration,
    rows: Option<u64>,
    style: &Style,
) -> String {
    let mut details = params_text(params);
    details.push(' ');
    details.push_str(&duration_text(elapsed));
    if let Some(n) = rows {
        let unit = if n == 1 { "row" } else { "rows" };
        details.push_str(&format!(" · {n} {unit}"));
    }
    format!(
        "{}\n{}",
        highlight(sql, style),
        ansi::paint(&details, DIM, style)
    )
}

/// SQL shown for reading (`q.sql()`): highlighted, its parameters below.
pub fn sql(sql: &str, params: &[Value], style: &Style) -> String {
    format!(
        "{}\n{}",
        highlight(sql, style),
        ansi::paint(&params_text(params), DIM, style)
    )
}

fn params_text(params: &[Value]) -> String {
    if params.is_empty() {
        return "[no params]".to_string();
    }
    let mut shown: Vec<String> = params.iter().take(MAX_PARAMS).map(param_text).collect();
    if params.len() > MAX_PARAMS {
        shown.push(format!("… {} more", params.len() - MAX_PARAMS));
    }
    format!("[params: {}]", shown.join(", "))
}

/// One parameter on one line: its repr, control characters escaped, cut short
/// when long.
fn param_text(v: &Value) -> String {
    let repr = ansi::escape_controls(&v.repr(), false);
    if repr.chars().count() <= MAX_PARAM_CHARS {
        return repr;
    }
    let mut cut: String = repr.chars().take(MAX_PARAM_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// Milliseconds with about three significant digits, seconds past one second.
fn duration_text(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 100.0 {
        format!("{ms:.1} ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Keyword,
    /// String literals and comments: shown dim.
    Quiet,
    Plain,
}

/// The SQL, keywords bold blue and literals dim when colour is on; control
/// characters escaped either way.
fn highlight(sql: &str, style: &Style) -> String {
    if !style.color {
        return ansi::escape_controls(sql, true);
    }
    let mut out = String::with_capacity(sql.len() + 64);
    for (kind, text) in tokens(sql) {
        let text = ansi::escape_controls(text, true);
        match kind {
            Kind::Keyword => out.push_str(&ansi::paint(&text, KEYWORD, style)),
            Kind::Quiet => out.push_str(&ansi::paint(&text, DIM, style)),
            Kind::Plain => out.push_str(&text),
        }
    }
    out
}

/// The end (byte index) of a quoted run opened at `start`, where the quote is
/// escaped by doubling it, as SQL does; the end of `sql` if it never closes.
fn quoted_end(sql: &str, start: usize, quote: char) -> usize {
    let mut chars = sql[start + 1..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            if chars.peek().is_some_and(|&(_, next)| next == quote) {
                chars.next();
            } else {
                return start + 1 + i + 1;
            }
        }
    }
    sql.len()
}

/// Splits `sql` into runs that concatenate back to it exactly.
fn tokens(sql: &str) -> Vec<(Kind, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    while let Some(c) = sql[start..].chars().next() {
        let rest = &sql[start..];
        let (kind, len) = match c {
            '\'' => (Kind::Quiet, quoted_end(sql, start, '\'') - start),
            // Quoted identifiers may hold keywords ("order"): never coloured.
            '"' | '`' => (Kind::Plain, quoted_end(sql, start, c) - start),
            '-' if rest.starts_with("--") => (Kind::Quiet, rest.find('\n').unwrap_or(rest.len())),
            '/' if rest.starts_with("/*") => (
                Kind::Quiet,
                rest[2..].find("*/").map_or(rest.len(), |i| i + 4),
            ),
            c if c.is_alphabetic() || c == '_' => {
                let len = rest
                    .find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '$'))
                    .unwrap_or(rest.len());
                let word = &rest[..len];
                let qualified = sql[..start].ends_with('.') || rest[len..].starts_with('.');
                let keyword = !qualified && KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word));
                (if keyword { Kind::Keyword } else { Kind::Plain }, len)
            }
            c => (Kind::Plain, c.len_utf8()),
        };
        out.push((kind, &sql[start..start + len]));
        start += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(sql: &str) -> Vec<(Kind, String)> {
        tokens(sql)
            .into_iter()
            .filter(|(_, t)| !t.trim().is_empty())
            .map(|(k, t)| (k, t.to_string()))
            .collect()
    }

    #[test]
    fn tokens_rebuild_the_sql() {
        let sql = "SELECT 'it''s', \"order\" -- note\nFROM t /* x */ WHERE a = 'é";
        let joined: String = tokens(sql).iter().map(|(_, t)| *t).collect();
        assert_eq!(joined, sql);
    }

    #[test]
    fn quoted_identifiers_and_literals_are_not_keywords() {
        let got = kinds("select \"order\", 'from' from t");
        assert_eq!(
            got,
            [
                (Kind::Keyword, "select".into()),
                (Kind::Plain, "\"order\"".into()),
                (Kind::Plain, ",".into()),
                (Kind::Quiet, "'from'".into()),
                (Kind::Keyword, "from".into()),
                (Kind::Plain, "t".into()),
            ]
        );
    }

    #[test]
    fn bare_names_beside_a_dot_are_not_keywords() {
        let got = kinds("SELECT post.key, index.desc FROM post");
        assert_eq!(
            got,
            [
                (Kind::Keyword, "SELECT".into()),
                (Kind::Plain, "post".into()),
                (Kind::Plain, ".".into()),
                (Kind::Plain, "key".into()),
                (Kind::Plain, ",".into()),
                (Kind::Plain, "index".into()),
                (Kind::Plain, ".".into()),
                (Kind::Plain, "desc".into()),
                (Kind::Keyword, "FROM".into()),
                (Kind::Plain, "post".into()),
            ]
        );
    }

    #[test]
    fn durations_keep_about_three_digits() {
        assert_eq!(duration_text(Duration::from_micros(210)), "0.21 ms");
        assert_eq!(duration_text(Duration::from_micros(12_340)), "12.3 ms");
        assert_eq!(duration_text(Duration::from_micros(123_400)), "123 ms");
        assert_eq!(duration_text(Duration::from_millis(2_500)), "2.50 s");
    }

    #[test]
    fn long_and_many_params_are_cut() {
        let long = Value::Text("x".repeat(200));
        let text = param_text(&long);
        assert_eq!(text.chars().count(), MAX_PARAM_CHARS);
        assert!(text.ends_with('…'));
        let many: Vec<Value> = (0..25).map(Value::Int).collect();
        assert!(params_text(&many).ends_with("19, … 5 more]"));
    }
}
