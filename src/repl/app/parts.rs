//! A script or `-c` text cut into its code and its dot-commands, so that
//! `.models`, `.schema User` or `.echo on` work on a line of their own in
//! `ormsh -c`, a script on standard input, `ormsh run` and `.run`, as at
//! the prompt. A line is a dot-command when it starts with `.name` followed
//! by a space or its end (never `(`, so a chain continued on the next line,
//! `    .filter(..)`, stays code), and either `name` is a dot-command or the
//! code before it is finished (it ends with `;` or `}`, or there is none).

/// One piece of a script.
#[derive(Debug, PartialEq)]
pub enum Part {
    /// Code, padded with blank lines so that errors give the script's own
    /// line numbers.
    Code(String),
    /// A dot-command and its 1-based line.
    Command(String, usize),
}

/// `source` cut into code and dot-commands, in order. Text with no
/// dot-command is one `Code` part, as it is.
pub fn split(source: &str, commands: &[&str]) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut code = String::new();
    // The line the current code starts on (0-based).
    let mut code_start = 0;
    let mut code_lines = 0;
    for (n, line) in source.split_inclusive('\n').enumerate() {
        if is_command(line, &code, commands) {
            if !code.trim().is_empty() {
                parts.push(Part::Code(padded(&code, code_start)));
            }
            parts.push(Part::Command(line.trim().to_string(), n + 1));
            code.clear();
            code_start = n + 1;
            code_lines = 0;
            continue;
        }
        code.push_str(line);
        code_lines += 1;
    }
    if parts.is_empty() {
        return vec![Part::Code(source.to_string())];
    }
    if code_lines > 0 && !code.trim().is_empty() {
        parts.push(Part::Code(padded(&code, code_start)));
    }
    parts
}

fn padded(code: &str, start: usize) -> String {
    format!("{}{code}", "\n".repeat(start))
}

fn is_command(line: &str, code_before: &str, commands: &[&str]) -> bool {
    let trimmed = line.trim();
    let Some(rest) = trimmed.strip_prefix('.') else {
        return false;
    };
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return false;
    }
    let after = &rest[name.len()..];
    if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
        return false;
    }
    if commands.contains(&format!(".{name}").as_str()) {
        return true;
    }
    finished(code_before)
}

/// Whether code ends where a new statement may start: nothing but blanks
/// and `//` comments, or a last line ending with `;` or `}`.
fn finished(code: &str) -> bool {
    let last = code
        .lines()
        .map(|l| l.split("//").next().unwrap_or("").trim())
        .rfind(|l| !l.is_empty());
    match last {
        None => true,
        Some(l) => l.ends_with(';') || l.ends_with('}'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMANDS: &[&str] = &[".models", ".schema", ".echo", ".sql"];

    #[test]
    fn code_without_commands_is_one_part_as_it_is() {
        let source = "let q = User.query\n    .filter(User.id > 1)\n    .all();\n";
        assert_eq!(split(source, COMMANDS), vec![Part::Code(source.into())]);
    }

    #[test]
    fn commands_on_their_own_lines_keep_the_code_lines() {
        let source = ".models\nlet n = 1;\n.schema User\nprint(n);\n";
        assert_eq!(
            split(source, COMMANDS),
            vec![
                Part::Command(".models".into(), 1),
                Part::Code("\nlet n = 1;\n".into()),
                Part::Command(".schema User".into(), 3),
                Part::Code("\n\n\nprint(n);\n".into()),
            ]
        );
    }

    #[test]
    fn a_continued_chain_is_code() {
        let source = "let q = User\n.query\n.sql()";
        assert_eq!(split(source, COMMANDS), vec![Part::Code(source.into())]);
        // A dot-command's name followed by `(` is a method.
        let source = "User.query\n.sql()";
        assert_eq!(split(source, COMMANDS), vec![Part::Code(source.into())]);
    }

    #[test]
    fn an_unknown_command_after_finished_code_is_a_command() {
        assert_eq!(
            split("db.create_all();\n.tabels", COMMANDS),
            vec![
                Part::Code("db.create_all();\n".into()),
                Part::Command(".tabels".into(), 2),
            ]
        );
        assert_eq!(
            split(".tables", COMMANDS),
            vec![Part::Command(".tables".into(), 1)]
        );
    }
}
