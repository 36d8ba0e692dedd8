//! The source text of the closures a models file gives its models (`repr`,
//! `methods`), so `models dump` can write them back. Rhai keeps no text for
//! a closure, so the file is read again: each closure that is the value of a
//! map key is found, with the key and the `db.Model("..")` it follows.

/// One closure written as `key: |params| body` in a models file.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosureText {
    /// The model whose `db.Model(..)` call the closure appears in (the last one before it).
    pub model: Option<String>,
    /// The column whose `db.Column(..)` call the closure appears in, if any.
    pub column: Option<String>,
    pub key: String,
    /// The key of the map the closure is a value of, when that map is
    /// itself a map value (`full` in `full: #{ get: || .. }`).
    pub parent: Option<String>,
    pub text: String,
}

/// Every closure that is a map value in `source`, in the order written.
pub fn closures(source: &str) -> Vec<ClosureText> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut model = None;
    // The `db.Column(..)` call being read, and where it ends.
    let mut column: Option<(String, usize)> = None;
    // The key of each open brace that is a map value, innermost last.
    let mut braces: Vec<Option<String>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(after) = skip_literal(bytes, i) {
            i = after;
            continue;
        }
        match bytes[i] {
            b'{' => {
                let head = source[..i].trim_end();
                let keyed = head
                    .strip_suffix('#')
                    .map(str::trim_end)
                    .and_then(|h| h.strip_suffix(':'))
                    .map(|h| key_before(h, h.len()));
                braces.push(keyed);
            }
            b'}' => {
                braces.pop();
            }
            _ => {}
        }
        if column.as_ref().is_some_and(|(_, end)| i >= *end) {
            column = None;
        }
        if let Some(name) = call_name(source, i, "db.Model(") {
            model = Some(name);
        }
        if let Some(name) = call_name(source, i, "db.Column(") {
            let open = i + "db.Column(".len();
            column = Some((name, scan_to_close(bytes, open, b"")));
        }
        if bytes[i] == b':' {
            let start = skip_space(bytes, i + 1);
            if bytes.get(start) == Some(&b'|') {
                let end = closure_end(bytes, start);
                found.push(ClosureText {
                    model: model.clone(),
                    column: column.as_ref().map(|(name, _)| name.clone()),
                    key: key_before(source, i),
                    parent: braces.last().cloned().flatten(),
                    text: source[start..end].trim_end().to_string(),
                });
                i = end;
                continue;
            }
        }
        i += 1;
    }
    found
}

/// The string a call to `callee` at `i` starts with (`db.Model("User"`).
fn call_name(source: &str, i: usize, callee: &str) -> Option<String> {
    if !source[i..].starts_with(callee) {
        return None;
    }
    let name_at = skip_space(source.as_bytes(), i + callee.len());
    if source.as_bytes().get(name_at) != Some(&b'"') {
        return None;
    }
    let end = source[name_at + 1..].find('"')?;
    Some(source[name_at + 1..name_at + 1 + end].to_string())
}

/// The models `source` declares (`db.Model("User", ..)`), in order.
pub fn declared_models(source: &str) -> Vec<String> {
    let bytes = source.as_bytes();
    let mut models = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(after) = skip_literal(bytes, i) {
            i = after;
            continue;
        }
        if let Some(name) = call_name(source, i, "db.Model(") {
            models.push(name);
        }
        i += 1;
    }
    models
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The identifier (or quoted key) just before the `:` at `colon`.
fn key_before(source: &str, colon: usize) -> String {
    let head = source[..colon].trim_end();
    if let Some(quoted) = head.strip_suffix('"') {
        let open = quoted.rfind('"').map_or(0, |q| q + 1);
        return quoted[open..].to_string();
    }
    let start = head
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |p| p + 1);
    head[start..].to_string()
}

/// Where the closure starting at the `|` at `start` ends: at the `,`, `;`
/// or closing bracket that ends the map value it is.
fn closure_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() && bytes[i] != b'|' {
        i += 1;
    }
    scan_to_close(bytes, i + 1, b",;")
}

/// From `i`, the index of the first closing bracket, or of one of `stops`,
/// outside any bracket opened after `i` (strings and comments skipped).
fn scan_to_close(bytes: &[u8], mut i: usize, stops: &[u8]) -> usize {
    let mut depth = 0usize;
    while i < bytes.len() {
        if let Some(after) = skip_literal(bytes, i) {
            i = after;
            continue;
        }
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => return i,
            b')' | b']' | b'}' => depth -= 1,
            b if depth == 0 && stops.contains(&b) => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// If a string, character or comment starts at `i`, the index after it.
fn skip_literal(bytes: &[u8], i: usize) -> Option<usize> {
    match (bytes[i], bytes.get(i + 1)) {
        (b'/', Some(b'/')) => Some(
            bytes[i..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |p| i + p + 1),
        ),
        (b'/', Some(b'*')) => Some(
            (i + 2..bytes.len().saturating_sub(1))
                .find(|&j| bytes[j] == b'*' && bytes[j + 1] == b'/')
                .map_or(bytes.len(), |j| j + 2),
        ),
        (b'"' | b'\'', _) => {
            let quote = bytes[i];
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != quote {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            Some((j + 1).min(bytes.len()))
        }
        (b'`', _) => Some(skip_backtick(bytes, i)),
        _ => None,
    }
}

/// A backtick string, whose `${ .. }` parts are code (with strings of their own).
fn skip_backtick(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'`' => return j + 1,
            b'$' if bytes.get(j + 1) == Some(&b'{') => {
                j = scan_to_close(bytes, j + 2, b"") + 1;
            }
            _ => j += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_repr_and_methods_with_their_models() {
        let source = r#"
// a comment with key: |x| not code
db.Model("User", [
    db.Column("name", db.String(80)),
], #{ repr: |u| `<User ${u.name}, ${if u.id == () { "new" } else { `${u.id}` }}>`,
      methods: #{ greet: |who| "hi, " + who + "!", "shout": |s| { let t = s.to_upper(); t } } });
db.Model("Post", [], #{ repr: |p| p.title.sub_string(0, 3) });
"#;
        let found = closures(source);
        let short: Vec<(Option<&str>, &str, &str)> = found
            .iter()
            .map(|c| (c.model.as_deref(), c.key.as_str(), c.text.as_str()))
            .collect();
        assert!(found.iter().all(|c| c.column.is_none()));
        assert_eq!(
            short,
            vec![
                (
                    Some("User"),
                    "repr",
                    r#"|u| `<User ${u.name}, ${if u.id == () { "new" } else { `${u.id}` }}>`"#
                ),
                (Some("User"), "greet", r#"|who| "hi, " + who + "!""#),
                (Some("User"), "shout", "|s| { let t = s.to_upper(); t }"),
                (Some("Post"), "repr", "|p| p.title.sub_string(0, 3)"),
            ]
        );
    }

    #[test]
    fn finds_column_closures_and_declared_models() {
        let source = r#"
db.Model("Post", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("slug", db.String(20), #{ default: || `s${rand()}`, onupdate: || "x" }),
    db.Column("n", db.Integer),
], #{ repr: |p| p.slug });
"#;
        let found = closures(source);
        let short: Vec<(Option<&str>, &str, &str)> = found
            .iter()
            .map(|c| (c.column.as_deref(), c.key.as_str(), c.text.as_str()))
            .collect();
        assert_eq!(
            short,
            vec![
                (Some("slug"), "default", "|| `s${rand()}`"),
                (Some("slug"), "onupdate", "|| \"x\""),
                (None, "repr", "|p| p.slug"),
            ]
        );
        assert_eq!(declared_models(source), vec!["Post".to_string()]);
    }

    #[test]
    fn a_closure_in_a_nested_map_knows_the_key_of_its_map() {
        let source = r#"
db.Model("User", [], #{ hybrid_property: #{
    full: || this.first,
    "shout": #{ get: || this.first.to_upper(), set: |v| { if v == "" { throw "empty"; } this.first = v; } },
}, repr: |u| u.first });
"#;
        let all = closures(source);
        let found: Vec<(Option<&str>, &str)> = all
            .iter()
            .map(|c| (c.parent.as_deref(), c.key.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (Some("hybrid_property"), "full"),
                (Some("shout"), "get"),
                (Some("shout"), "set"),
                (None, "repr"),
            ]
        );
    }
}
