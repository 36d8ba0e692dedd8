//! The human formats, built on comfy-table: the bordered grid for result sets,
//! the psql `\x`-style vertical records, and the card for one object. Rows are
//! one line each (long or multi-line text ends in `…`) so that a result set
//! stays scannable; a card wraps instead, since it is the place to read a
//! whole value.

use comfy_table::{
    Attribute, Cell, CellAlignment, ColumnConstraint, ContentArrangement, ContentLineStyle,
    LineStyle, Row, Table, TableStyle,
};

use super::ansi::{self, DIM};
use super::{Card, Rows, Style};
use crate::sql::value::Value;

/// pgcli-like: light single lines, a plain rule under the header, no rules
/// between rows.
const GRID: TableStyle = TableStyle::new()
    .top_border(LineStyle::new('┌', '─', '┬', '┐'))
    .header_lines(ContentLineStyle::new('│', '│', '│'))
    .header_separator(LineStyle::new('├', '─', '┼', '┤'))
    .content_lines(ContentLineStyle::new('│', '│', '│'))
    .bottom_border(LineStyle::new('└', '─', '┴', '┘'));

/// psql's expanded display: `name | value`, nothing else.
const PIPE: TableStyle = TableStyle::new().content_lines(ContentLineStyle::none().junction('|'));

/// A table set up for `style`: comfy-table otherwise looks at whether stdout is
/// a terminal, and the caller has already decided that.
fn new_table(style: &Style, preset: TableStyle) -> Table {
    let mut table = Table::new();
    table.load_style(preset).force_no_tty();
    if style.color {
        table.enforce_styling().style_text_only();
    }
    match style.width {
        Some(width) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table
}

fn is_number(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Float(_) | Value::Decimal(_))
}

/// How NULL shows in a cell: Python's spelling, dim when coloured.
const NULL_CELL: &str = "None";

/// A value as a cell: NULL as `None`, numbers right-aligned, control
/// characters escaped.
fn cell(v: &Value) -> Cell {
    match v {
        Value::Null => Cell::new(NULL_CELL).add_attribute(Attribute::Dim),
        Value::Text(s) => Cell::new(ansi::escape_controls(&s.replace('\t', "    "), true)),
        v if is_number(v) => Cell::new(v.to_string()).set_alignment(CellAlignment::Right),
        v => Cell::new(ansi::escape_controls(&v.to_string(), true)),
    }
}

fn header_cell(name: &str) -> Cell {
    Cell::new(ansi::escape_controls(name, false)).add_attribute(Attribute::Bold)
}

/// One line per row: the first line of a multi-line value, or the part of a
/// long one that fits the width, then `…`.
fn one_line(cells: Vec<Cell>) -> Row {
    // Cells are cut by characters, not at a word: NUL never reaches a cell
    // unescaped, so as the delimiter it makes each line one unbreakable word.
    let cells = cells.into_iter().map(|c| c.set_delimiter('\0'));
    let mut row: Row = cells.collect::<Vec<_>>().into();
    row.max_height(1);
    row
}

pub(super) fn count_line(n: usize, style: &Style) -> String {
    let text = if n == 1 {
        "(1 row)".to_string()
    } else {
        format!("({n} rows)")
    };
    ansi::paint(&text, DIM, style)
}

fn with_count(body: String, n: usize, style: &Style) -> String {
    let count = count_line(n, style);
    if body.is_empty() {
        count
    } else {
        format!("{body}\n{count}")
    }
}

/// How wide the grid would be with nothing cut short.
pub fn natural_width(r: &Rows) -> usize {
    let plain = Style {
        color: false,
        width: None,
    };
    grid(r, &plain)
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
}

/// The grid: header, rows, then `(N rows)`. With no rows it is the header
/// alone, so the user still sees which columns the query returned.
pub fn grid(r: &Rows, style: &Style) -> String {
    if r.columns.is_empty() {
        return count_line(r.rows.len(), style);
    }
    with_count(grid_body(r, style), r.rows.len(), style)
}

/// The grid's header and rows, without the count.
pub(super) fn grid_body(r: &Rows, style: &Style) -> String {
    if r.columns.is_empty() {
        return String::new();
    }
    let mut table = new_table(style, GRID);
    table.set_header(one_line(r.columns.iter().map(|c| header_cell(c)).collect()));
    for row in r.rows {
        table.add_row(one_line(row.iter().map(cell).collect()));
    }
    // A column of numbers reads best with its header over the digits.
    for (i, column) in table.column_iter_mut().enumerate() {
        let mut values = r
            .rows
            .iter()
            .filter_map(|row| row.get(i))
            .filter(|v| !v.is_null())
            .peekable();
        if values.peek().is_some() && values.all(is_number) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.trim_fmt()
}

/// psql's `\x` layout: one `-[ RECORD n ]---` rule per row, then `name | value`
/// lines, then `(N rows)`.
pub fn vertical(r: &Rows, style: &Style) -> String {
    if r.columns.is_empty() || r.rows.is_empty() {
        return count_line(r.rows.len(), style);
    }
    with_count(vertical_body(r, style, 1), r.rows.len(), style)
}

/// The records, numbered from `first`, without the count.
pub(super) fn vertical_body(r: &Rows, style: &Style, first: usize) -> String {
    if r.columns.is_empty() || r.rows.is_empty() {
        return String::new();
    }
    // One table holds every record so that all of them share column widths;
    // with one line per row its output splits back into records exactly.
    let mut table = new_table(style, PIPE);
    for row in r.rows {
        for (i, name) in r.columns.iter().enumerate() {
            let value = row.get(i).unwrap_or(&Value::Null);
            let value = cell(value).set_alignment(CellAlignment::Left);
            table.add_row(one_line(vec![
                Cell::new(ansi::escape_controls(name, false)),
                value,
            ]));
        }
    }
    if let Some(names) = table.column_mut(0) {
        names.set_padding((0, 1));
        names.set_constraint(ColumnConstraint::ContentWidth);
    }
    if let Some(values) = table.column_mut(1) {
        values.set_padding((1, 0));
    }
    let widths = table.column_max_content_widths();
    let mut rule_width = usize::from(widths[0]) + 3 + usize::from(widths[1]);
    if let Some(width) = style.width {
        rule_width = rule_width.min(usize::from(width));
    }

    let lines: Vec<String> = table.lines().map(|l| l.trim_end().to_string()).collect();
    let mut out = String::new();
    for (n, record) in lines.chunks(r.columns.len()).enumerate() {
        let label = format!("-[ RECORD {} ]", n + first);
        let fill = rule_width.saturating_sub(label.chars().count());
        out.push_str(&label);
        out.push_str(&"-".repeat(fill));
        out.push('\n');
        for line in record {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.pop();
    out
}

/// A title line, then the fields as an indented two-column list, values
/// wrapped to the width rather than cut.
pub fn card(c: &Card, style: &Style) -> String {
    let title = ansi::paint(&ansi::escape_controls(c.title, false), ansi::BOLD, style);
    if c.fields.is_empty() {
        return title;
    }
    let mut table = new_table(style, TableStyle::new());
    for (name, value) in c.fields {
        table.add_row(vec![
            Cell::new(ansi::escape_controls(name, false)),
            cell(value).set_alignment(CellAlignment::Left),
        ]);
    }
    if let Some(names) = table.column_mut(0) {
        names.set_padding((2, 2));
        names.set_constraint(ColumnConstraint::ContentWidth);
    }
    if let Some(values) = table.column_mut(1) {
        values.set_padding((0, 0));
    }
    format!("{title}\n{}", table.trim_fmt())
}
