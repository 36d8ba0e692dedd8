//! `MetaData(naming_convention=...)`: the names SQLAlchemy gives
//! constraints and indexes, from templates per kind (`ix`, `uq`, `ck`,
//! `fk`, `pk`) with `%(token)s` placeholders. Without one, SQLAlchemy's
//! default holds: indexes are `ix_%(column_0_label)s` and every other
//! unnamed constraint takes the database's own name.

use crate::error::{Error, Result};

/// The kinds a convention names, by SQLAlchemy's keys.
pub const KINDS: [&str; 5] = ["ix", "uq", "ck", "fk", "pk"];

/// What a template's tokens are filled from.
#[derive(Debug, Clone, Default)]
pub struct Subject<'a> {
    pub table: &'a str,
    /// (database name, attribute name) of each column, in order.
    pub columns: Vec<(&'a str, &'a str)>,
    pub referred_table: Option<&'a str>,
    pub referred_columns: Vec<&'a str>,
    /// The name the constraint was given (`name=`).
    pub name: Option<&'a str>,
}

/// The templates, by kind.
#[derive(Debug, Clone, PartialEq)]
pub struct NamingConvention(Vec<(String, String)>);

impl Default for NamingConvention {
    /// SQLAlchemy's `DEFAULT_NAMING_CONVENTION`.
    fn default() -> Self {
        NamingConvention(vec![("ix".into(), "ix_%(column_0_label)s".into())])
    }
}

/// The longest name every database takes (PostgreSQL's 63 bytes).
const MAX_NAME: usize = 63;

impl NamingConvention {
    /// A convention from its (kind, template) pairs, each checked: a kind
    /// or a token SQLAlchemy would not know is refused.
    pub fn new(pairs: Vec<(String, String)>) -> Result<NamingConvention> {
        for (kind, template) in &pairs {
            if !KINDS.contains(&kind.as_str()) {
                return Err(Error::invalid(format!(
                    "naming_convention: `{kind}` is not a kind ormsh names; use ix, uq, ck, fk or pk"
                )));
            }
            for token in tokens(template) {
                if !known_token(token) {
                    return Err(Error::invalid(format!(
                        "naming_convention[\"{kind}\"]: %({token})s is not a token SQLAlchemy fills; use table_name, column_0_name, column_0_label, column_0_key, column_0N_name, column_0_N_name, referred_table_name, referred_column_0_name or constraint_name"
                    )));
                }
            }
        }
        Ok(NamingConvention(pairs))
    }

    pub fn template(&self, kind: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, t)| t.as_str())
    }

    /// The (kind, template) pairs, for `models dump`.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// The name of a constraint or index of `kind`, as SQLAlchemy's
    /// `_constraint_name_for_table` gives it: a given name stands unless
    /// the template uses it (`%(constraint_name)s`); an unnamed one is
    /// named by the template, or left to the database where there is none.
    pub fn name(&self, kind: &str, subject: &Subject) -> Result<Option<String>> {
        let Some(template) = self.template(kind) else {
            return Ok(subject.name.map(str::to_string));
        };
        let uses_name = tokens(template).any(|t| t == "constraint_name");
        if subject.name.is_some() && !uses_name {
            return Ok(subject.name.map(str::to_string));
        }
        let mut out = String::new();
        let mut rest = template;
        while let Some(at) = rest.find("%(") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let Some(end) = after.find(")s") else {
                out.push_str(&rest[at..]);
                rest = "";
                break;
            };
            out.push_str(&fill(&after[..end], subject).ok_or_else(|| {
                Error::invalid(format!(
                    "naming_convention[\"{kind}\"] uses %({})s, which a constraint of {} has no value for{}",
                    &after[..end],
                    subject.table,
                    if &after[..end] == "constraint_name" {
                        ": give the constraint a name"
                    } else {
                        ""
                    }
                ))
            })?);
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        if out.len() > MAX_NAME {
            return Err(Error::invalid(format!(
                "the naming convention makes the name `{out}`, longer than the {MAX_NAME} characters a database takes (SQLAlchemy would shorten it with a hash); give the constraint a shorter name or change the convention"
            )));
        }
        Ok(Some(out))
    }
}

/// The `%(token)s` placeholders of a template.
fn tokens(template: &str) -> impl Iterator<Item = &str> {
    template
        .split("%(")
        .skip(1)
        .filter_map(|t| t.split_once(")s").map(|(t, _)| t))
}

/// `column_0_name`, `column_0N_label`, `referred_column_0_N_name` and the others.
fn column_token(token: &str) -> Option<(bool, bool, &str, &str)> {
    let (referred, rest) = match token.strip_prefix("referred_") {
        Some(rest) => (true, rest),
        None => (false, token),
    };
    let rest = rest.strip_prefix("column_0")?;
    let (joined, sep, field) = if let Some(f) = rest.strip_prefix("_N_") {
        (true, "_", f)
    } else if let Some(f) = rest.strip_prefix("N_") {
        (true, "", f)
    } else if let Some(f) = rest.strip_prefix('_') {
        (false, "", f)
    } else {
        return None;
    };
    matches!(field, "name" | "label" | "key").then_some((referred, joined, sep, field))
}

fn known_token(token: &str) -> bool {
    matches!(
        token,
        "table_name" | "referred_table_name" | "constraint_name"
    ) || column_token(token).is_some()
}

fn fill(token: &str, s: &Subject) -> Option<String> {
    let table = crate::sql::introspect::unqualified(s.table);
    match token {
        "table_name" => return Some(table.to_string()),
        "referred_table_name" => {
            return s
                .referred_table
                .map(|t| crate::sql::introspect::unqualified(t).to_string());
        }
        "constraint_name" => return s.name.map(str::to_string),
        _ => {}
    }
    let (referred, joined, sep, field) = column_token(token)?;
    let words: Vec<String> = if referred {
        let t = crate::sql::introspect::unqualified(s.referred_table?);
        s.referred_columns
            .iter()
            .map(|c| match field {
                "label" => format!("{t}_{c}"),
                _ => c.to_string(),
            })
            .collect()
    } else {
        s.columns
            .iter()
            .map(|(name, key)| match field {
                "label" => format!("{table}_{name}"),
                "key" => key.to_string(),
                _ => name.to_string(),
            })
            .collect()
    };
    if joined {
        (!words.is_empty()).then(|| words.join(sep))
    } else {
        words.into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convention() -> NamingConvention {
        NamingConvention::new(
            [
                ("ix", "ix_%(column_0_label)s"),
                ("uq", "uq_%(table_name)s_%(column_0_N_name)s"),
                ("ck", "ck_%(table_name)s_%(constraint_name)s"),
                (
                    "fk",
                    "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
                ),
                ("pk", "pk_%(table_name)s"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        )
        .unwrap()
    }

    #[test]
    fn names_as_sqlalchemy_gives_them() {
        let c = convention();
        let subject = |name: Option<&'static str>| Subject {
            table: "book",
            columns: vec![("title", "title"), ("edition", "edition")],
            referred_table: Some("shelf"),
            referred_columns: vec!["room"],
            name,
        };
        assert_eq!(
            c.name("uq", &subject(None)).unwrap().unwrap(),
            "uq_book_title_edition"
        );
        assert_eq!(
            c.name("uq", &subject(Some("mine"))).unwrap().unwrap(),
            "mine"
        );
        assert_eq!(
            c.name("ck", &subject(Some("price"))).unwrap().unwrap(),
            "ck_book_price"
        );
        assert!(c.name("ck", &subject(None)).is_err());
        assert_eq!(
            c.name("fk", &subject(None)).unwrap().unwrap(),
            "fk_book_title_shelf"
        );
        assert_eq!(c.name("pk", &subject(None)).unwrap().unwrap(), "pk_book");
        assert_eq!(
            c.name("ix", &subject(None)).unwrap().unwrap(),
            "ix_book_title"
        );
        assert_eq!(
            NamingConvention::default()
                .name("uq", &subject(None))
                .unwrap(),
            None
        );
        assert!(NamingConvention::new(vec![("uq".into(), "%(nope)s".into())]).is_err());
        assert!(NamingConvention::new(vec![("UniqueConstraint".into(), "x".into())]).is_err());
    }
}
