//! ANSI colour codes and the escaping of control characters, so that colour is
//! only ever what the renderer chose: a value holding an escape sequence must
//! not be able to restyle (or clear) the user's terminal.

use std::fmt::Write;

use super::Style;

pub const BOLD: &str = "1";
pub const DIM: &str = "2";
pub const KEYWORD: &str = "1;34";
pub const WARNING: &str = "33";

/// `text` wrapped in the SGR `code` when colour is on, `text` as is otherwise.
pub fn paint(text: &str, code: &str, style: &Style) -> String {
    if style.color && !text.is_empty() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// `text` with every control character written as an escape (`\x1b`, `\n`),
/// except line breaks and tabs when `keep_layout` is set (a CRLF counts as one
/// line break).
pub fn escape_controls(text: &str, keep_layout: bool) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' if keep_layout => out.push(c),
            '\r' if keep_layout && chars.peek() == Some(&'\n') => {}
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let code = u32::from(c);
                if code <= 0xff {
                    let _ = write!(out, "\\x{code:02x}");
                } else {
                    let _ = write!(out, "\\u{{{code:04x}}}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_layout_kept_on_request() {
        assert_eq!(escape_controls("a\x1b[2Jb", true), "a\\x1b[2Jb");
        assert_eq!(escape_controls("a\r\nb\tc", true), "a\nb\tc");
        assert_eq!(escape_controls("a\r\nb", false), "a\\r\\nb");
        assert_eq!(escape_controls("\u{9b}", false), "\\x9b");
    }

    #[test]
    fn paint_is_a_no_op_without_colour() {
        let plain = Style::default();
        assert_eq!(paint("x", BOLD, &plain), "x");
        let colour = Style {
            color: true,
            width: None,
        };
        assert_eq!(paint("x", BOLD, &colour), "\x1b[1mx\x1b[0m");
    }
}
