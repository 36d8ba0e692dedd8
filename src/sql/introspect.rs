//! What a live table looks like, as the database describes it: the plain
//! data that introspection fills in, the same for every dialect. Each dialect
//! supplies queries that return these shapes.

/// One column of a live table.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnInfo {
    pub name: String,
    /// The database's own spelling of the type (`character varying(80)`, `int(11)`, `VARCHAR(80)`).
    pub type_name: String,
    pub nullable: bool,
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKeyInfo {
    pub name: String,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    /// The actions, as the database spells them; `None` for no action
    /// (`NO ACTION`, and `RESTRICT`, which MariaDB reports for none said).
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndexInfo {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
    /// The index behind a UNIQUE constraint (dropped as the constraint,
    /// not as an index), where the database tells them apart: PostgreSQL
    /// and SQLite; MySQL keeps unique indexes only.
    pub constraint: bool,
}

/// A CHECK constraint of a live table.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInfo {
    /// `None` where the database keeps no name (SQLite's unnamed checks).
    pub name: Option<String>,
    /// The condition as the database gives it back (respelled: PostgreSQL
    /// writes `(price > (0)::numeric)` for `price > 0`).
    pub sql: String,
}

/// A live table: columns in table order, primary key in key order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableInfo {
    pub name: String,
    pub columns: Vec<ColumnInfo>,
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKeyInfo>,
    /// Every index, those behind UNIQUE constraints included.
    pub indexes: Vec<IndexInfo>,
    pub checks: Vec<CheckInfo>,
}

/// What one placeholder of an introspection query is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The table's name (`? IS NULL OR table = ?`: NULL for every table,
    /// so a whole schema is one query per kind of fact).
    Table,
    /// The schemas to read besides the search path (PostgreSQL) or the
    /// current database (MySQL), joined by commas (NULL for none); `*` for
    /// every schema but the system's.
    Schemas,
}

/// One introspection query and what its placeholders are bound to, in
/// order. A table outside the current schema is named `schema.table`.
#[derive(Debug, Clone, Copy)]
pub struct Query {
    pub sql: &'static str,
    pub slots: &'static [Slot],
}

/// The introspection queries of one dialect. Each returns rows that start
/// with the table's name, then the documented shape.
#[derive(Debug, Clone, Copy)]
pub struct IntrospectionSql {
    /// (name): the tables, in name order.
    pub tables: Query,
    /// (name, type, nullable 0/1, default or NULL, position in the primary key or 0), in table order.
    pub columns: Query,
    /// (constraint name, column, referenced table, referenced column, on
    /// delete, on update: the action's name), in key order.
    pub foreign_keys: Query,
    /// (index name, column, unique 0/1, behind a UNIQUE constraint 0/1),
    /// primary key excluded, in index order.
    pub indexes: Query,
    /// (constraint name, its condition); or, where the database keeps
    /// checks in no catalog (SQLite), (NULL, the table's CREATE TABLE),
    /// whose CHECK clauses `checks_in_create_table` reads.
    pub checks: Query,
}

/// The CHECK constraints written in a CREATE TABLE statement, each with
/// its name (`CONSTRAINT ck_x CHECK (..)`) or none, the condition as written.
pub fn checks_in_create_table(sql: &str) -> Vec<CheckInfo> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '\'' | '"' | '`' | '[') {
            let close = if c == '[' { ']' } else { c };
            let start = i + 1;
            i += 1;
            while i < chars.len() && chars[i] != close {
                i += 1;
            }
            words.push(chars[start..i.min(chars.len())].iter().collect());
            i += 1;
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if word.eq_ignore_ascii_case("check") {
                let mut j = i;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                if j < chars.len() && chars[j] == '(' {
                    let (text, end) = balanced(&chars, j);
                    let n = words.len();
                    let name = (n >= 2 && words[n - 2].eq_ignore_ascii_case("constraint"))
                        .then(|| words[n - 1].clone());
                    out.push(CheckInfo {
                        name,
                        sql: text.trim().to_string(),
                    });
                    i = end;
                    words.clear();
                    continue;
                }
            }
            words.push(word);
            continue;
        }
        if c == ',' || c == '(' {
            words.clear();
        }
        i += 1;
    }
    out
}

/// The names given to constraints in a `CREATE TABLE` text: (name, kind
/// `UNIQUE`/`FOREIGN`/`CHECK`/`PRIMARY`, its first parenthesised list).
pub fn named_constraints(sql: &str) -> Vec<(String, String, String)> {
    let upper = sql.to_ascii_uppercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = upper[from..].find("CONSTRAINT ") {
        let start = from + pos + "CONSTRAINT ".len();
        let rest = sql[start..].trim_start();
        let (name, after) = match rest.chars().next() {
            Some(q @ ('"' | '`' | '[')) => {
                let close = if q == '[' { ']' } else { q };
                match rest[1..].find(close) {
                    Some(end) => (rest[1..1 + end].to_string(), &rest[end + 2..]),
                    None => break,
                }
            }
            _ => {
                let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
                (rest[..end].to_string(), &rest[end..])
            }
        };
        let after = after.trim_start();
        let kind: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_uppercase();
        let list = parenthesised(after);
        out.push((name, kind, list));
        from = start;
    }
    out
}

/// The text inside the first balanced parentheses (quotes respected).
fn parenthesised(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    match chars.iter().position(|&c| c == '(') {
        Some(open) => balanced(&chars, open).0,
        None => String::new(),
    }
}

/// The column names of a constraint's list as written (`"a", b`).
pub fn column_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(|c| c.trim().trim_matches(['"', '`', '[', ']']).to_string())
        .collect()
}

/// The text inside the parentheses that open at `open`, and where they close.
fn balanced(chars: &[char], open: usize) -> (String, usize) {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (k, &c) in chars.iter().enumerate().skip(open) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return (chars[open + 1..k].iter().collect(), k + 1);
                    }
                }
                _ => {}
            },
        }
    }
    (chars[open + 1..].iter().collect(), chars.len())
}

/// The table part of a name that may be qualified (`person.address` →
/// `address`): for names made from a table's (model names, aliases).
pub fn unqualified(table: &str) -> &str {
    table.split_once('.').map_or(table, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_read_from_create_table() {
        let sql = "CREATE TABLE \"item\" (\n\t\"a\" INTEGER CHECK (a IN ('x', 'y)')),\n\tCONSTRAINT \"ck_a\" CHECK (a > (0)),\n\tCHECK (b < 10), constraint uq unique (a)\n)";
        let checks = checks_in_create_table(sql);
        assert_eq!(
            checks,
            vec![
                CheckInfo {
                    name: None,
                    sql: "a IN ('x', 'y)')".into()
                },
                CheckInfo {
                    name: Some("ck_a".into()),
                    sql: "a > (0)".into()
                },
                CheckInfo {
                    name: None,
                    sql: "b < 10".into()
                },
            ]
        );
    }
}
