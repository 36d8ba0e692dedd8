//! The shell's input before it runs: whether it is unfinished (the prompt
//! reads on), and the Python-style `x = 1` that declares a new variable.

use rhai::{Dynamic, Engine};

use super::ScriptHost;

impl ScriptHost {
    /// Python habits: `x = 1` at the top level declares `x` when it is new,
    /// so seed code runs without `let`.
    pub(super) fn declare_assigned(&mut self, source: &str) {
        let mut depth: i32 = 0;
        for line in source.lines() {
            let trimmed = line.trim_start();
            if depth == 0 {
                let ident: String = trimmed
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let rest = trimmed[ident.len()..].trim_start();
                if !ident.is_empty()
                    && !ident.chars().next().is_some_and(|c| c.is_ascii_digit())
                    && rest.starts_with('=')
                    && !rest.starts_with("==")
                    && !is_keyword(&ident)
                    && !self.scope.contains(&ident)
                {
                    self.scope.push_dynamic(ident, Dynamic::UNIT);
                }
            }
            for ch in line.chars() {
                match ch {
                    '{' | '(' | '[' => depth += 1,
                    '}' | ')' | ']' => depth -= 1,
                    _ => {}
                }
            }
        }
    }

    /// Whether a line's input is unfinished (an open bracket or string), so
    /// the prompt keeps reading.
    pub fn is_incomplete(&self, source: &str) -> bool {
        is_incomplete(&self.engine, source)
    }
}

/// Whether `source` is unfinished input, checked with a bare engine (only
/// the syntax matters), for the prompt's validator.
pub fn is_incomplete_input(source: &str) -> bool {
    thread_local! {
        static SYNTAX: Engine = const { Engine::new_raw() };
    }
    SYNTAX.with(|engine| is_incomplete(engine, source))
}

/// Rhai has no "incomplete input" answer: an unexpected end of input, an
/// unterminated string, or a token missing at the very end means "go on".
pub fn is_incomplete(engine: &Engine, source: &str) -> bool {
    use rhai::{LexError, ParseErrorType};
    match engine.compile(source) {
        Ok(_) => false,
        Err(e) => {
            let at_end = {
                let pos = e.position();
                let lines: Vec<&str> = source.lines().collect();
                match pos.line() {
                    None => true,
                    Some(l) => l >= lines.len() || source.ends_with('\n') && l + 1 >= lines.len(),
                }
            };
            match e.err_type() {
                ParseErrorType::UnexpectedEOF => true,
                ParseErrorType::BadInput(LexError::UnterminatedString) => true,
                ParseErrorType::MissingToken(..) => at_end,
                _ => false,
            }
        }
    }
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "let"
            | "const"
            | "if"
            | "else"
            | "for"
            | "while"
            | "loop"
            | "do"
            | "fn"
            | "return"
            | "break"
            | "continue"
            | "throw"
            | "try"
            | "catch"
            | "switch"
            | "import"
            | "export"
            | "in"
            | "this"
            | "true"
            | "false"
            | "global"
            | "private"
    )
}
