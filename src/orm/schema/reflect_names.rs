//! Names for what reflection makes, as sqlacodegen gives them: singular
//! model names from table names (`users` → `User`), collections pluralised
//! once (`posts`, never `postses`), names from foreign-key columns
//! (`author_id` → `author`), every name a valid identifier, and a distinct
//! name, with a note saying so, wherever the preferred one is taken.

use std::collections::{HashMap, HashSet};

use crate::orm::mapping::naming::camel_to_snake_case;
use crate::sql::introspect::unqualified;

/// Whether `name` is an identifier the shell's language accepts bare:
/// ASCII letters, digits and `_`, with a letter before any digit.
pub fn is_identifier(name: &str) -> bool {
    let mut letter = false;
    for c in name.chars() {
        match c {
            '_' => {}
            c if c.is_ascii_alphabetic() => letter = true,
            c if c.is_ascii_digit() && letter => {}
            _ => return false,
        }
    }
    letter
}

/// `raw` as an identifier: each run of other characters becomes one `_`
/// (none left at either end), and `prefix` goes in front of a name that
/// would start with a digit or has no letter at all.
pub fn identifier(raw: &str, prefix: &str) -> String {
    if is_identifier(raw) {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_');
    if is_identifier(out) {
        out.to_string()
    } else {
        format!("{prefix}{out}")
    }
}

/// The singular of a word or of the last word of a snake_case name
/// (`categories` → `category`, `post_tags` → `post_tag`); a singular stays.
pub fn singular(word: &str) -> String {
    pluralizer::pluralize(word, 1, false)
}

/// The plural of a word or of the last word of a snake_case name
/// (`post` → `posts`, `person` → `people`); a plural stays (`comments`).
pub fn plural(word: &str) -> String {
    pluralizer::pluralize(word, 2, false)
}

/// The model for a table: its name as an identifier, its last word made
/// singular, CamelCased (`users` → `User`, `post_tags` → `PostTag`,
/// `order items` → `OrderItem`).
pub fn model_name(table: &str) -> String {
    camel(&singular(&identifier(unqualified(table), "")), "Table")
}

/// `table` CamelCased as it is, not made singular (`users` → `Users`): the
/// second choice when the singular name is taken.
pub fn model_name_as_is(table: &str) -> String {
    camel(&identifier(table, ""), "Table")
}

fn camel(snake: &str, prefix: &str) -> String {
    let name: String = snake
        .split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars
                .next()
                .map(|f| f.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    if is_identifier(&name) {
        name
    } else {
        format!("{prefix}{name}")
    }
}

/// The collection a table's rows make on the model they refer to: the
/// table's name in snake_case, pluralised once (`post` and `posts` →
/// `posts`, `PostTag` → `post_tags`).
pub fn collection(table: &str) -> String {
    // `Order Details` → `Order_Details` → `order_details`, one underscore.
    let snake = camel_to_snake_case(&identifier(unqualified(table), "t_"));
    plural(
        &snake
            .split('_')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("_"),
    )
}

/// The object a foreign-key column names: `author_id` → `author`,
/// `authorId` → `author`; `None` for a column with no such suffix.
pub fn key_stem(column: &str) -> Option<String> {
    let lower = column.to_ascii_lowercase();
    let stem = if lower.ends_with("_id") {
        &column[..column.len() - 3]
    } else if column.ends_with("Id")
        && column[..column.len() - 2]
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_lowercase())
    {
        &column[..column.len() - 2]
    } else {
        return None;
    };
    let stem = camel_to_snake_case(stem.trim_end_matches('_'));
    is_identifier(&stem).then_some(stem)
}

/// The collection a role column of a self-referential association table
/// names: `follower_id` → `followers`. A past participle names its group as
/// it is (`followed_id` → `followed`, `blocked_id` → `blocked`), as Flask
/// apps name these sides; `None` for a column with no `_id` suffix.
pub fn role_collection(column: &str) -> Option<String> {
    let stem = key_stem(column)?;
    let participle = stem.len() > 4 && stem.ends_with("ed") && !stem.ends_with("eed");
    Some(if participle { stem } else { plural(&stem) })
}

/// The names taken on each model (columns, relationships and backrefs) and
/// the notes for every name that had to differ from the preferred one.
#[derive(Debug, Default)]
pub struct Claims {
    taken: HashMap<String, HashSet<String>>,
    pub notes: Vec<String>,
}

impl Claims {
    /// Mark `name` taken on `model` (a name already there, declared).
    pub fn reserve(&mut self, model: &str, name: &str) {
        self.taken
            .entry(model.to_string())
            .or_default()
            .insert(name.to_string());
    }

    /// Whether `name` is taken on `model`.
    pub fn is_taken(&self, model: &str, name: &str) -> bool {
        self.taken.get(model).is_some_and(|s| s.contains(name))
    }

    /// Take `preferred` on `model`, or the first free of `alternatives`, or
    /// `preferred` numbered (`posts_2`); a note says when it is not
    /// `preferred`. `what` describes the thing named, for that note.
    pub fn claim(
        &mut self,
        model: &str,
        preferred: &str,
        alternatives: &[String],
        what: &str,
    ) -> String {
        let taken = self.taken.entry(model.to_string()).or_default();
        if taken.insert(preferred.to_string()) {
            return preferred.to_string();
        }
        let chosen = alternatives
            .iter()
            .find(|a| !taken.contains(*a))
            .cloned()
            .unwrap_or_else(|| numbered(preferred, |n| taken.contains(n)));
        taken.insert(chosen.clone());
        self.notes.push(format!(
            "{model}.{preferred} is taken, so {what} is {model}.{chosen}"
        ));
        chosen
    }
}

/// `name_2`, `name_3`, … : the first that `taken` does not hold.
pub fn numbered(name: &str, taken: impl Fn(&str) -> bool) -> String {
    (2..)
        .map(|n| format!("{name}_{n}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_are_singular_camel_case() {
        for (table, model) in [
            ("users", "User"),
            ("user", "User"),
            ("categories", "Category"),
            ("post_tags", "PostTag"),
            ("user_account", "UserAccount"),
            ("order_line_item", "OrderLineItem"),
            ("people", "Person"),
            ("order items", "OrderItem"),
            ("user-profiles", "UserProfile"),
            ("2fa_codes", "Table2faCode"),
            ("Addresses", "Address"),
        ] {
            assert_eq!(model_name(table), model, "{table}");
        }
        assert_eq!(model_name_as_is("users"), "Users");
    }

    #[test]
    fn collections_are_plural_once() {
        for (table, many) in [
            ("post", "posts"),
            ("posts", "posts"),
            ("comments", "comments"),
            ("category", "categories"),
            ("categories", "categories"),
            ("box", "boxes"),
            ("address", "addresses"),
            ("post_tag", "post_tags"),
            ("PostTag", "post_tags"),
            ("person", "people"),
            ("order items", "order_items"),
        ] {
            assert_eq!(collection(table), many, "{table}");
        }
    }

    #[test]
    fn stems_and_roles_from_columns() {
        assert_eq!(key_stem("author_id").as_deref(), Some("author"));
        assert_eq!(key_stem("authorId").as_deref(), Some("author"));
        assert_eq!(key_stem("Author_ID").as_deref(), Some("author"));
        assert_eq!(key_stem("author"), None);
        assert_eq!(key_stem("_id"), None);
        assert_eq!(key_stem("paid"), None);
        assert_eq!(role_collection("follower_id").as_deref(), Some("followers"));
        assert_eq!(role_collection("followed_id").as_deref(), Some("followed"));
        assert_eq!(role_collection("parent_id").as_deref(), Some("parents"));
        assert_eq!(role_collection("child_id").as_deref(), Some("children"));
        assert_eq!(role_collection("feed_id").as_deref(), Some("feeds"));
    }

    #[test]
    fn identifiers() {
        for (raw, id) in [
            ("name", "name"),
            ("first name", "first_name"),
            ("e-mail", "e_mail"),
            ("price ($)", "price"),
            ("2fa", "c_2fa"),
            ("_private", "_private"),
            ("naïve", "na_ve"),
            ("%", "c_"),
        ] {
            assert_eq!(identifier(raw, "c_"), id, "{raw}");
        }
        for bad in ["", "_", "_1", "1a", "a b", "é"] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn claims_pick_a_free_name_and_say_so() {
        let mut claims = Claims::default();
        claims.reserve("User", "posts");
        assert_eq!(claims.claim("User", "name", &[], "x"), "name");
        assert_eq!(
            claims.claim("User", "posts", &["post_likes".into()], "the relationship"),
            "post_likes"
        );
        assert_eq!(claims.claim("User", "posts", &[], "another"), "posts_2");
        assert_eq!(claims.notes.len(), 2);
        assert_eq!(
            claims.notes[0],
            "User.posts is taken, so the relationship is User.post_likes"
        );
    }
}
