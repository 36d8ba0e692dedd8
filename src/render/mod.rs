//! The render layer: turns plain data (result sets, single objects, scalars and
//! the statements the ORM sent) into the Strings the prompt prints. It knows
//! nothing of databases or models; callers hand it column names and `Value`s.
//!
//! Conventions shared by every format:
//! - `style.color == false` means no escape byte at all in the output, not even
//!   one that came from the data: control characters in values are shown
//!   escaped (`\x1b`) in tables, cards, scalars and echo lines. CSV is the one
//!   exception: it is data for other programs and is written byte for byte.
//! - NULL is `None` in tables, cards and scalars (dim when coloured), as Python
//!   prints it, `null` in JSON and an empty field in CSV and Markdown.

mod ansi;
mod data;
mod echo;
mod stream;
mod table;
#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use crate::sql::value::Value;

pub use echo::{echo, sql};
pub use stream::RowStream;

/// A warning line (yellow when coloured).
pub fn warning(text: &str, style: &Style) -> String {
    ansi::paint(&format!("warning: {text}"), ansi::WARNING, style)
}

/// How result sets and objects are printed (`.format table|vertical|json|csv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Table,
    Vertical,
    Json,
    Csv,
    Markdown,
}

impl Format {
    /// Every format, in the order `.help` and completion list them.
    pub const ALL: [Format; 5] = [
        Format::Table,
        Format::Vertical,
        Format::Json,
        Format::Csv,
        Format::Markdown,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Vertical => "vertical",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown format '{}': choose table, vertical, json, csv or markdown",
            self.0
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownFormat(wanted.to_string()))
    }
}

/// Where the output goes: whether it may use colour, and how wide it may be.
#[derive(Clone, Debug, Default)]
pub struct Style {
    pub color: bool,
    /// Terminal width in columns; `None` means unlimited (a pipe or a file).
    pub width: Option<u16>,
}

/// A result set: column names and rows of values.
pub struct Rows<'a> {
    pub columns: &'a [String],
    pub rows: &'a [Vec<Value>],
}

/// One object shown as a card: a title line (e.g. `<User 1>` or `User`) then
/// `name  value` lines in order.
pub struct Card<'a> {
    pub title: &'a str,
    pub fields: &'a [(String, Value)],
}

/// A result set in the chosen format. Table and vertical end with a `(N rows)`
/// line; every format ends without a trailing newline.
pub fn rows(r: &Rows, format: Format, style: &Style) -> String {
    match format {
        // Too wide for the terminal: the expanded display, as pgcli's `\x auto`.
        Format::Table
            if style
                .width
                .is_some_and(|w| table::natural_width(r) > w as usize) =>
        {
            table::vertical(r, style)
        }
        Format::Table => table::grid(r, style),
        Format::Vertical => table::vertical(r, style),
        Format::Json => data::json_rows(r),
        Format::Csv => data::csv_rows(r),
        Format::Markdown => data::markdown_rows(r),
    }
}

/// One object. Table and vertical both show the card (it already is vertical);
/// JSON is one object and CSV a header plus one row, neither with the title.
pub fn card(c: &Card, format: Format, style: &Style) -> String {
    match format {
        Format::Table | Format::Vertical => table::card(c, style),
        Format::Json => data::json_card(c),
        Format::Csv => data::csv_card(c),
        Format::Markdown => {
            let columns: Vec<String> = c.fields.iter().map(|(n, _)| n.clone()).collect();
            let row = vec![c.fields.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>()];
            data::markdown_rows(&Rows {
                columns: &columns,
                rows: &row,
            })
        }
    }
}

/// A scalar printed the way a REPL echoes a result: text as it is (no quotes),
/// NULL as `None`, numbers, dates and the rest as a table cell shows them.
pub fn scalar(v: &Value, style: &Style) -> String {
    match v {
        Value::Null => ansi::paint("None", ansi::DIM, style),
        Value::Text(s) => ansi::escape_controls(s, true),
        other => ansi::escape_controls(&other.to_string(), true),
    }
}
