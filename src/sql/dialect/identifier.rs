//! When a name is written bare and when it is quoted, as SQLAlchemy's
//! `IdentifierPreparer._requires_quotes` decides: a name is quoted when it is
//! one of the database's reserved words, starts with a digit or `$`, holds a
//! character outside `[a-z0-9_$]` (an upper-case letter included, so that
//! `"Album"` keeps its case), or is empty. Every other name is written as it
//! is: `SELECT user.id FROM user` on SQLite, `"user"` on PostgreSQL.

/// A database's reserved words (sorted, lower case), with what rules out
/// most names before the search: for each first letter, the lengths its
/// words have.
pub struct Reserved {
    words: &'static [&'static str],
    lengths: [u32; 26],
}

impl Reserved {
    pub const fn new(words: &'static [&'static str]) -> Reserved {
        let mut lengths = [0u32; 26];
        let mut i = 0;
        while i < words.len() {
            let w = words[i].as_bytes();
            if !w.is_empty() && w[0].is_ascii_lowercase() {
                let len = if w.len() < 31 { w.len() } else { 31 };
                lengths[(w[0] - b'a') as usize] |= 1 << len;
            }
            i += 1;
        }
        Reserved { words, lengths }
    }

    /// Whether `name` (lower case) is one of the words.
    pub fn contains(&self, name: &str) -> bool {
        let b = name.as_bytes();
        match b.first() {
            Some(&f) if f.is_ascii_lowercase() => {
                self.lengths[(f - b'a') as usize] & (1 << b.len().min(31)) != 0
                    && self.words.binary_search(&name).is_ok()
            }
            _ => false,
        }
    }
}

/// Whether `name` must be quoted on a database that reserves `reserved`.
/// No allocation: a name that passes the character test is lower case
/// already, so it is looked up as it is.
pub fn requires_quotes(name: &str, reserved: &Reserved) -> bool {
    let bytes = name.as_bytes();
    let Some(&first) = bytes.first() else {
        return true;
    };
    if first.is_ascii_digit() || first == b'$' {
        return true;
    }
    let legal = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'$');
    !bytes.iter().all(legal) || reserved.contains(name)
}

/// Write `name` between `quote`s, a quote inside it doubled.
pub fn push_quoted(out: &mut String, quote: char, name: &str) {
    out.push(quote);
    for ch in name.chars() {
        if ch == quote {
            out.push(quote);
        }
        out.push(ch);
    }
    out.push(quote);
}

/// Write `name` bare where SQLAlchemy writes it bare, else quoted.
pub fn push_identifier(out: &mut String, quote: char, reserved: &Reserved, name: &str) {
    if requires_quotes(name, reserved) {
        push_quoted(out, quote, name);
    } else {
        out.push_str(name);
    }
}

/// SQLite's reserved words (117), as SQLAlchemy's SQLite dialect lists them.
#[rustfmt::skip]
pub(super) static SQLITE: Reserved = Reserved::new(&[
    "add", "after", "all", "alter", "analyze", "and", "as", "asc", "attach", "autoincrement",
    "before", "begin", "between", "by", "cascade", "case", "cast", "check", "collate", "column",
    "commit", "conflict", "constraint", "create", "cross", "current_date", "current_time",
    "current_timestamp", "database", "default", "deferrable", "deferred", "delete", "desc",
    "detach", "distinct", "drop", "each", "else", "end", "escape", "except", "exclusive", "exists",
    "explain", "fail", "false", "for", "foreign", "from", "full", "glob", "group", "having", "if",
    "ignore", "immediate", "in", "index", "indexed", "initially", "inner", "insert", "instead",
    "intersect", "into", "is", "isnull", "join", "key", "left", "like", "limit", "match",
    "natural", "not", "notnull", "null", "of", "offset", "on", "or", "order", "outer", "plan",
    "pragma", "primary", "query", "raise", "references", "reindex", "rename", "replace",
    "restrict", "right", "rollback", "row", "select", "set", "table", "temp", "temporary", "then",
    "to", "transaction", "trigger", "true", "union", "unique", "update", "using", "vacuum",
    "values", "view", "virtual", "when", "where",
]);

/// PostgreSQL's reserved words (102), as SQLAlchemy's PostgreSQL dialect lists them.
#[rustfmt::skip]
pub(super) static POSTGRESQL: Reserved = Reserved::new(&[
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
    "between", "binary", "both", "case", "cast", "check", "collate", "column", "constraint",
    "create", "cross", "current_catalog", "current_date", "current_role", "current_schema",
    "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc",
    "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "freeze",
    "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
    "into", "is", "isnull", "join", "leading", "left", "like", "limit", "localtime",
    "localtimestamp", "natural", "new", "not", "notnull", "null", "of", "off", "offset", "old",
    "on", "only", "or", "order", "outer", "over", "overlaps", "placing", "primary", "references",
    "returning", "right", "select", "session_user", "similar", "some", "symmetric", "table",
    "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose",
    "when", "where", "window", "with",
]);

/// MySQL's reserved words (278), as SQLAlchemy's MySQL dialect lists them.
#[rustfmt::skip]
pub(super) static MYSQL: Reserved = Reserved::new(&[
    "accessible", "add", "admin", "all", "alter", "analyze", "and", "array", "as", "asc",
    "asensitive", "before", "between", "bigint", "binary", "blob", "both", "by", "call", "cascade",
    "case", "change", "char", "character", "check", "collate", "column", "condition", "constraint",
    "continue", "convert", "create", "cross", "cube", "cume_dist", "current_date", "current_time",
    "current_timestamp", "current_user", "cursor", "database", "databases", "day_hour",
    "day_microsecond", "day_minute", "day_second", "dec", "decimal", "declare", "default",
    "delayed", "delete", "dense_rank", "desc", "describe", "deterministic", "distinct",
    "distinctrow", "div", "double", "drop", "dual", "each", "else", "elseif", "empty", "enclosed",
    "escaped", "except", "exists", "exit", "explain", "false", "fetch", "first_value", "float",
    "float4", "float8", "for", "force", "foreign", "from", "fulltext", "function", "general",
    "generated", "get", "get_master_public_key", "grant", "group", "grouping", "groups", "having",
    "high_priority", "hour_microsecond", "hour_minute", "hour_second", "if", "ignore",
    "ignore_server_ids", "in", "index", "infile", "inner", "inout", "insensitive", "insert", "int",
    "int1", "int2", "int3", "int4", "int8", "integer", "intersect", "interval", "into",
    "io_after_gtids", "io_before_gtids", "is", "iterate", "join", "json_table", "key", "keys",
    "kill", "lag", "last_value", "lateral", "lead", "leading", "leave", "left", "like", "limit",
    "linear", "lines", "load", "localtime", "localtimestamp", "lock", "long", "longblob",
    "longtext", "loop", "low_priority", "master_bind", "master_heartbeat_period",
    "master_ssl_verify_server_cert", "match", "maxvalue", "mediumblob", "mediumint", "mediumtext",
    "member", "middleint", "minute_microsecond", "minute_second", "mod", "modifies", "natural",
    "no_write_to_binlog", "not", "nth_value", "ntile", "null", "numeric", "of", "on", "optimize",
    "optimizer_costs", "option", "optionally", "or", "order", "out", "outer", "outfile", "over",
    "parallel", "parse_gcol_expr", "partition", "percent_rank", "persist", "persist_only",
    "precision", "primary", "procedure", "purge", "qualify", "range", "rank", "read", "read_write",
    "reads", "real", "recursive", "references", "regexp", "release", "rename", "repeat", "replace",
    "require", "resignal", "restrict", "return", "revoke", "right", "rlike", "role", "row",
    "row_number", "rows", "schema", "schemas", "second_microsecond", "select", "sensitive",
    "separator", "set", "show", "signal", "slow", "smallint", "spatial", "specific", "sql",
    "sql_after_gtids", "sql_before_gtids", "sql_big_result", "sql_calc_found_rows",
    "sql_small_result", "sqlexception", "sqlstate", "sqlwarning", "ssl", "starting", "stored",
    "straight_join", "system", "table", "terminated", "then", "tinyblob", "tinyint", "tinytext",
    "to", "trailing", "trigger", "true", "undo", "union", "unique", "unlock", "unsigned", "update",
    "usage", "use", "using", "utc_date", "utc_time", "utc_timestamp", "values", "varbinary",
    "varchar", "varcharacter", "varying", "virtual", "when", "where", "while", "window", "with",
    "write", "xor", "year_month", "zerofill",
]);

/// MariaDB's reserved words (263), as SQLAlchemy's MariaDB dialect lists them.
#[rustfmt::skip]
pub(super) static MARIADB: Reserved = Reserved::new(&[
    "accessible", "add", "all", "alter", "analyze", "and", "as", "asc", "asensitive", "before",
    "between", "bigint", "binary", "blob", "body", "both", "by", "call", "cascade", "case",
    "change", "char", "character", "check", "collate", "column", "condition", "constraint",
    "continue", "convert", "create", "cross", "current_date", "current_role", "current_time",
    "current_timestamp", "current_user", "cursor", "database", "databases", "day_hour",
    "day_microsecond", "day_minute", "day_second", "dec", "decimal", "declare", "default",
    "delayed", "delete", "desc", "describe", "deterministic", "distinct", "distinctrow", "div",
    "do_domain_ids", "double", "drop", "dual", "each", "else", "elseif", "elsif", "enclosed",
    "escaped", "except", "exists", "exit", "explain", "false", "fetch", "float", "float4",
    "float8", "for", "force", "foreign", "from", "fulltext", "general", "goto", "grant", "group",
    "having", "high_priority", "history", "hour_microsecond", "hour_minute", "hour_second", "if",
    "ignore", "ignore_domain_ids", "ignore_server_ids", "in", "index", "infile", "inner", "inout",
    "insensitive", "insert", "int", "int1", "int2", "int3", "int4", "int8", "integer", "intersect",
    "interval", "into", "is", "iterate", "join", "key", "keys", "kill", "leading", "leave", "left",
    "like", "limit", "linear", "lines", "load", "localtime", "localtimestamp", "lock", "long",
    "longblob", "longtext", "loop", "low_priority", "master_heartbeat_period",
    "master_ssl_verify_server_cert", "match", "maxvalue", "mediumblob", "mediumint", "mediumtext",
    "middleint", "minute_microsecond", "minute_second", "mod", "modifies", "natural",
    "no_write_to_binlog", "not", "null", "numeric", "offset", "on", "optimize", "option",
    "optionally", "or", "order", "others", "out", "outer", "outfile", "over", "package",
    "page_checksum", "parse_vcol_expr", "partition", "period", "position", "precision", "primary",
    "procedure", "purge", "raise", "range", "read", "read_write", "reads", "real", "recursive",
    "ref_system_id", "references", "regexp", "release", "rename", "repeat", "replace", "require",
    "resignal", "restrict", "return", "returning", "revoke", "right", "rlike", "row_number",
    "rows", "rowtype", "schema", "schemas", "second_microsecond", "select", "sensitive",
    "separator", "set", "show", "signal", "slow", "smallint", "spatial", "specific", "sql",
    "sql_big_result", "sql_calc_found_rows", "sql_small_result", "sqlexception", "sqlstate",
    "sqlwarning", "ssl", "starting", "stats_auto_recalc", "stats_persistent", "stats_sample_pages",
    "straight_join", "system", "system_time", "table", "terminated", "then", "tinyblob", "tinyint",
    "tinytext", "to", "trailing", "trigger", "true", "undo", "union", "unique", "unlock",
    "unsigned", "update", "usage", "use", "using", "utc_date", "utc_time", "utc_timestamp",
    "values", "varbinary", "varchar", "varcharacter", "varying", "versioning", "when", "where",
    "while", "window", "with", "without", "write", "xor", "year_month", "zerofill",
]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_and_lower_case() {
        let none = Reserved::new(&[]);
        for reserved in [&SQLITE, &POSTGRESQL, &MYSQL, &MARIADB] {
            let list = reserved.words;
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{:?}", &list[..3]);
            assert!(list.iter().all(|w| !requires_quotes(w, &none)), "{list:?}");
            // Each word starts with a letter, which `contains` relies on.
            assert!(list.iter().all(|w| w.as_bytes()[0].is_ascii_lowercase()));
            assert!(list.iter().all(|w| reserved.contains(w)));
        }
    }

    #[test]
    fn quoted_as_sqlalchemy_quotes() {
        let cases: &[(&str, &Reserved, bool)] = &[
            ("user", &SQLITE, false),
            ("user", &POSTGRESQL, true),
            ("user", &MARIADB, false),
            ("order", &SQLITE, true),
            ("order", &POSTGRESQL, true),
            ("order", &MYSQL, true),
            ("position", &MARIADB, true),
            ("position", &MYSQL, false),
            ("rank", &MYSQL, true),
            ("rank", &MARIADB, false),
            ("user_id", &POSTGRESQL, false),
            ("_private", &SQLITE, false),
            ("price$", &SQLITE, false),
            ("anon_1", &SQLITE, false),
            ("Album", &SQLITE, true),
            ("invoiceLine", &POSTGRESQL, true),
            ("first name", &SQLITE, true),
            ("2fa", &SQLITE, true),
            ("$x", &SQLITE, true),
            ("a-b", &MYSQL, true),
            ("café", &SQLITE, true),
            ("", &SQLITE, true),
        ];
        for &(name, reserved, quoted) in cases {
            assert_eq!(requires_quotes(name, reserved), quoted, "{name}");
        }
    }

    #[test]
    fn quotes_inside_a_name_are_doubled() {
        let mut out = String::new();
        push_identifier(&mut out, '"', &SQLITE, "say \"hi\"");
        push_identifier(&mut out, '`', &MYSQL, "a`b");
        assert_eq!(out, "\"say \"\"hi\"\"\"`a``b`");
    }
}
