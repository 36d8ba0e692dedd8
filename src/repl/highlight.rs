//! Highlighting of the line being typed, as a pure function of (line,
//! cursor, names): keywords, strings, numbers, model names, a model's
//! columns and relationships after a `.`, and the bracket matching the one
//! at the cursor, each in its own colour.

use crate::app::preferences::Theme;

/// The colours of one theme.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    keyword: &'static str,
    string: &'static str,
    number: &'static str,
    model: &'static str,
    attribute: &'static str,
}

impl Palette {
    pub fn of(theme: Theme) -> Palette {
        match theme {
            Theme::Dark => Palette {
                keyword: "\x1b[1;34m",
                string: "\x1b[32m",
                number: "\x1b[36m",
                model: "\x1b[1;35m",
                attribute: "\x1b[33m",
            },
            // Darker shades that read on a light background.
            Theme::Light => Palette {
                keyword: "\x1b[1;38;5;19m",
                string: "\x1b[38;5;22m",
                number: "\x1b[38;5;24m",
                model: "\x1b[1;38;5;90m",
                attribute: "\x1b[38;5;94m",
            },
        }
    }
}

const BRACKET: &str = "\x1b[1;4m";
const RESET: &str = "\x1b[0m";

const KEYWORDS: &[&str] = &[
    "let", "const", "if", "else", "for", "in", "while", "loop", "fn", "return", "break",
    "continue", "true", "false", "switch", "do", "until", "throw", "try", "catch", "db", "func",
];

/// The byte index of the bracket matching the one at `at`, if it is one.
fn matching_bracket(line: &[char], at: usize) -> Option<usize> {
    let (open, close, forward) = match line.get(at)? {
        '(' => ('(', ')', true),
        '[' => ('[', ']', true),
        '{' => ('{', '}', true),
        ')' => ('(', ')', false),
        ']' => ('[', ']', false),
        '}' => ('{', '}', false),
        _ => return None,
    };
    let mut depth = 0i32;
    let indexes: Box<dyn Iterator<Item = usize>> = if forward {
        Box::new(at..line.len())
    } else {
        Box::new((0..=at).rev())
    };
    for i in indexes {
        let c = line[i];
        if c == open {
            depth += if forward { 1 } else { -1 };
        } else if c == close {
            depth += if forward { -1 } else { 1 };
        }
        if depth == 0 {
            return Some(i);
        }
    }
    None
}

/// `line` with ANSI colours; the text itself is unchanged.
pub fn highlight(
    line: &str,
    pos: usize,
    models: &[String],
    attributes: &[String],
    palette: &Palette,
) -> String {
    let chars: Vec<char> = line.chars().collect();
    let cursor = line[..pos.min(line.len())].chars().count();
    let bracket = [cursor.checked_sub(1), Some(cursor)]
        .into_iter()
        .flatten()
        .find_map(|at| matching_bracket(&chars, at).map(|m| (at, m)));
    let mut out = String::with_capacity(line.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if bracket.is_some_and(|(a, b)| i == a || i == b) {
            out.push_str(BRACKET);
            out.push(c);
            out.push_str(RESET);
            i += 1;
        } else if c == '"' || c == '`' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != c {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(chars.len());
            out.push_str(palette.string);
            out.extend(&chars[i..end]);
            out.push_str(RESET);
            i = end;
        } else if c.is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'))
        {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_digit() || chars[j] == '.' || chars[j] == '_')
            {
                j += 1;
            }
            out.push_str(palette.number);
            out.extend(&chars[i..j]);
            out.push_str(RESET);
            i = j;
        } else if c.is_alphabetic() || c == '_' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect();
            let after_dot = i > 0 && chars[i - 1] == '.';
            let colour = if !after_dot && KEYWORDS.contains(&word.as_str()) {
                Some(palette.keyword)
            } else if !after_dot && models.contains(&word) {
                Some(palette.model)
            } else if after_dot && attributes.contains(&word) {
                Some(palette.attribute)
            } else {
                None
            };
            match colour {
                Some(code) => {
                    out.push_str(code);
                    out.push_str(&word);
                    out.push_str(RESET);
                }
                None => out.push_str(&word),
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for d in chars.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn colours_without_changing_the_text() {
        let models = vec!["User".to_string()];
        let dark = Palette::of(Theme::Dark);
        let cases = [
            ("let u = User.query.get(1);", 0usize),
            ("print(`${u.name}` + \"x\\\"y\")", 5),
            ("for p in Post.query.all() { p.title }", 30),
            ("", 0),
            ("\"unterminated", 3),
        ];
        for (line, pos) in cases {
            let out = highlight(line, pos, &models, &[], &dark);
            assert_eq!(plain(&out), line, "{line}");
        }
        let out = highlight("let u = User.query.get(1)", 0, &models, &[], &dark);
        let columns = highlight(
            "User.username",
            0,
            &models,
            &["username".to_string()],
            &dark,
        );
        assert!(
            columns.contains(&format!("{}username{RESET}", dark.attribute)),
            "{columns}"
        );
        assert!(
            out.contains(&format!("{}let{RESET}", dark.keyword))
                && out.contains(&format!("{}User{RESET}", dark.model))
        );
        assert!(out.contains(&format!("{}1{RESET}", dark.number)));
        // The cursor after `)` marks it and its `(`.
        let out = highlight("f(x)", 4, &models, &[], &dark);
        assert_eq!(out, format!("f{BRACKET}({RESET}x{BRACKET}){RESET}"));
        // A method named like a keyword stays plain after a dot.
        assert!(!highlight("q.in", 0, &models, &[], &dark).contains(dark.keyword));
    }
}
