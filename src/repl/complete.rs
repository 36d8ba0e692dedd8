//! Tab completion as a pure function of (line, cursor, names): model names
//! and globals, a model's columns and relationships after `User.`, query
//! methods after `.query.`, session methods after `db.session.`, and
//! dot-commands. It reads only names kept in memory: never the database.

use crate::script::names::{DB_MEMBERS, QUERY_METHODS, SESSION_METHODS};
use crate::script::names::{RESULT_METHODS, SELECT_METHODS, WRITE_METHODS};

/// The names completion draws on, taken from the registry once.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// (model, its columns and relationships).
    pub models: Vec<(String, Vec<String>)>,
    pub globals: Vec<String>,
    /// (model, its `methods`).
    pub methods: Vec<(String, Vec<String>)>,
    /// (variable, the model of the object it holds), so `u.` completes `u`'s own attributes.
    pub objects: Vec<(String, String)>,
}

pub const DOT_COMMANDS: &[&str] = &[
    ".help",
    ".models",
    ".tables",
    ".schema",
    ".rels",
    ".echo",
    ".nplusone",
    ".timing",
    ".diff",
    ".migrations",
    ".sql",
    ".history",
    ".edit",
    ".reload",
    ".pager",
    ".output",
    ".record",
    ".queries",
    ".sandbox",
    ".run",
    ".format",
    ".quit",
    ".exit",
];

impl Names {
    /// Every model's column and relationship names, once each.
    pub fn attributes(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .models
            .iter()
            .flat_map(|(_, a)| a.iter().cloned())
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

/// The start of the word being completed and the candidates for it.
pub fn complete(line: &str, pos: usize, names: &Names) -> (usize, Vec<String>) {
    let before = &line[..pos];
    if before.starts_with('.') && !before.contains(' ') {
        return (
            0,
            matching(DOT_COMMANDS.iter().map(|s| s.to_string()), before),
        );
    }
    if let Some(rest) = before
        .strip_prefix(".schema ")
        .or_else(|| before.strip_prefix(".rels "))
    {
        let start = pos - rest.len();
        return (
            start,
            matching(names.models.iter().map(|(m, _)| m.clone()), rest),
        );
    }
    if let Some(found) = filter_by_keys(before, pos, names) {
        return found;
    }
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == '.')
        .last()
        .map_or(pos, |(i, _)| i);
    let word = &before[word_start..];
    match word.rfind('.') {
        None => {
            let all = names
                .models
                .iter()
                .map(|(m, _)| m.clone())
                .chain(names.globals.iter().cloned());
            (word_start, matching(all, word))
        }
        Some(dot) => {
            let owner = &word[..dot];
            let partial = &word[dot + 1..];
            let start = word_start + dot + 1;
            let candidates: Vec<String> = if owner == "db" {
                DB_MEMBERS.iter().map(|(s, _)| call(s)).collect()
            } else if owner == "db.session" {
                SESSION_METHODS.iter().map(|(s, _)| call(s)).collect()
            } else if let Some((_, attrs)) = names.models.iter().find(|(m, _)| m == owner) {
                attrs
                    .iter()
                    .cloned()
                    .chain(std::iter::once("query".to_string()))
                    .collect()
            } else if let Some((_, model)) = names.objects.iter().find(|(v, _)| v == owner) {
                let attrs = names.models.iter().find(|(m, _)| m == model);
                let methods = names.methods.iter().find(|(m, _)| m == model);
                attrs
                    .into_iter()
                    .flat_map(|(_, a)| a.iter().cloned())
                    .chain(
                        methods
                            .into_iter()
                            .flat_map(|(_, m)| m.iter().map(|name| format!("{name}("))),
                    )
                    .collect()
            } else if owner.is_empty() && before[..word_start].ends_with(')') {
                // After a call: what the outermost statement on the line makes.
                let line = &before[..word_start];
                let list = if line.contains("session.execute(") || line.contains("session.scalars(")
                {
                    RESULT_METHODS
                } else if line.contains("db.select(") {
                    SELECT_METHODS
                } else if ["db.insert(", "db.update(", "db.delete("]
                    .iter()
                    .any(|p| line.contains(p))
                {
                    WRITE_METHODS
                } else {
                    QUERY_METHODS
                };
                list.iter().map(|(s, _)| call(s)).collect()
            } else if owner.ends_with(".query")
                || before[..word_start].ends_with(')')
                || owner.ends_with(')')
            {
                QUERY_METHODS.iter().map(|(s, _)| call(s)).collect()
            } else {
                // An object variable: every model's attributes, since its type is not known here.
                names
                    .models
                    .iter()
                    .flat_map(|(_, a)| a.iter().cloned())
                    .collect()
            };
            (start, matching(candidates.into_iter(), partial))
        }
    }
}

/// Inside `Model.query.filter_by(#{ ..`: the model's columns as keys.
fn filter_by_keys(before: &str, pos: usize, names: &Names) -> Option<(usize, Vec<String>)> {
    let open = before.rfind("filter_by(#{")?;
    let inside = &before[open + "filter_by(#{".len()..];
    if inside.contains('}') {
        return None;
    }
    let head = &before[..open];
    let model = head
        .strip_suffix(".query.")?
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()?;
    let (_, attrs) = names.models.iter().find(|(m, _)| m == model)?;
    let partial_start = inside.rfind([',', '{', ' ']).map_or(0, |i| i + 1);
    let partial = &inside[partial_start..];
    if partial.contains(':') {
        return None;
    }
    let keys = attrs
        .iter()
        .filter(|a| a.starts_with(partial))
        .map(|a| format!("{a}: "))
        .collect();
    Some((pos - partial.len(), keys))
}

/// A method completes with its opening parenthesis; a property does not.
fn call(name: &str) -> String {
    if PROPERTIES.contains(&name) {
        name.to_string()
    } else {
        format!("{name}(")
    }
}

const PROPERTIES: &[&str] = &[
    "session",
    "new",
    "dirty",
    "deleted",
    "autoflush",
    "func",
    "rowcount",
    "engine",
    "engines",
];

fn matching(candidates: impl Iterator<Item = String>, prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = candidates.filter(|c| c.starts_with(prefix)).collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            models: vec![
                (
                    "User".into(),
                    vec!["id".into(), "username".into(), "posts".into()],
                ),
                ("Post".into(), vec!["id".into(), "title".into()]),
            ],
            globals: vec!["db".into(), "joinedload".into()],
            methods: vec![("User".into(), vec!["greet".into()])],
            objects: vec![("u".into(), "User".into()), ("p".into(), "Post".into())],
        }
    }

    #[test]
    fn completes_by_context() {
        let cases: &[(&str, usize, &[&str])] = &[
            ("Us", 0, &["User"]),
            ("User.us", 5, &["username"]),
            ("User.query.fil", 11, &["filter(", "filter_by("]),
            ("db.session.com", 11, &["commit("]),
            ("db.session.ne", 11, &["new"]),
            (
                "User.query.filter(User.id == 1).fir",
                32,
                &["first(", "first_or_404("],
            ),
            (".sch", 0, &[".schema"]),
            (".schema P", 8, &["Post"]),
            ("x = jo", 4, &["joinedload"]),
            ("User.query.filter_by(#{ us", 24, &["username: "]),
            ("User.query.filter_by(#{ id: 1, user", 31, &["username: "]),
            ("u.", 2, &["greet(", "id", "posts", "username"]),
            ("print(p.ti", 8, &["title"]),
            ("db.select(User).whe", 16, &["where("]),
            ("db.insert(User).val", 16, &["values("]),
            (
                "db.session.execute(db.select(User)).scalar_",
                36,
                &["scalar_one(", "scalar_one_or_none("],
            ),
        ];
        for (line, start, expected) in cases {
            let (s, got) = complete(line, line.len(), &names());
            assert_eq!(
                (s, got.iter().map(String::as_str).collect::<Vec<_>>()),
                (*start, expected.to_vec()),
                "{line}"
            );
        }
    }

    /// 500 models of 20 columns: every context still answers from memory.
    #[test]
    fn five_hundred_models() {
        let models: Vec<(String, Vec<String>)> = (0..500)
            .map(|i| {
                (
                    format!("Model{i}"),
                    (0..20).map(|c| format!("column_{c}")).collect(),
                )
            })
            .collect();
        let names = Names {
            models,
            globals: vec!["db".into()],
            methods: Vec::new(),
            objects: vec![("m".into(), "Model499".into())],
        };
        let started = std::time::Instant::now();
        let (_, got) = complete("Model49", 7, &names);
        assert_eq!(got.len(), 11, "Model49 and Model490..Model499");
        let (_, got) = complete("Model250.column_1", 17, &names);
        assert_eq!(got.len(), 11);
        let (_, got) = complete("m.col", 5, &names);
        assert_eq!(got.len(), 20);
        let (_, got) = complete("Model7.query.filter_by(#{ column_", 33, &names);
        assert_eq!(got.len(), 20);
        // Reported, not asserted: speed is measured, never a test's verdict.
        eprintln!("4 completions over 500 models: {:?}", started.elapsed());
    }
}
