//! A result printed as its rows arrive, a chunk at a time, so that memory
//! holds one chunk and never the whole result, and the first rows are out
//! before the last are read. JSON, CSV and Markdown come out as one
//! document, byte for byte what [`super::rows`] gives for the same rows;
//! table and vertical print each chunk as its own block (as psql does with
//! FETCH_COUNT), with one count at the end. A result of one chunk prints
//! exactly as [`super::rows`] prints it.

use std::io::{self, Write};

use super::{Format, Rows, Style, data, table};
use crate::sql::value::Value;

/// Rows per chunk: each chunk of a table is one grid, its widths its own.
pub const CHUNK_ROWS: usize = 1000;

pub struct RowStream<'w> {
    columns: Vec<String>,
    format: Format,
    style: Style,
    out: &'w mut dyn Write,
    chunk: Vec<Vec<Value>>,
    /// Rows written before the current chunk.
    written: usize,
}

impl<'w> RowStream<'w> {
    pub fn new(columns: Vec<String>, format: Format, style: Style, out: &'w mut dyn Write) -> Self {
        RowStream {
            columns,
            format,
            style,
            out,
            chunk: Vec::with_capacity(CHUNK_ROWS),
            written: 0,
        }
    }

    pub fn push(&mut self, row: Vec<Value>) -> io::Result<()> {
        self.chunk.push(row);
        if self.chunk.len() == CHUNK_ROWS {
            self.write_chunk()?;
        }
        Ok(())
    }

    /// The last rows and the end of the document; how many rows there were.
    pub fn finish(mut self) -> io::Result<usize> {
        if self.written == 0 {
            // One chunk or none: exactly what the whole result prints as.
            let rows = Rows {
                columns: &self.columns,
                rows: &self.chunk,
            };
            writeln!(self.out, "{}", super::rows(&rows, self.format, &self.style))?;
            return Ok(self.chunk.len());
        }
        if !self.chunk.is_empty() {
            self.write_chunk()?;
        }
        let total = self.written;
        match self.format {
            Format::Json => writeln!(self.out, "\n]")?,
            Format::Table | Format::Vertical => {
                writeln!(self.out, "{}", table::count_line(total, &self.style))?
            }
            Format::Csv | Format::Markdown => {}
        }
        self.out.flush()?;
        Ok(total)
    }

    fn write_chunk(&mut self) -> io::Result<()> {
        let rows = Rows {
            columns: &self.columns,
            rows: &self.chunk,
        };
        let first = self.written == 0;
        let text = match self.format {
            // Too wide for the terminal: every chunk in the expanded display.
            Format::Table
                if self
                    .style
                    .width
                    .is_some_and(|w| table::natural_width(&rows) > w as usize) =>
            {
                self.format = Format::Vertical;
                table::vertical_body(&rows, &self.style, self.written + 1)
            }
            Format::Table => table::grid_body(&rows, &self.style),
            Format::Vertical => table::vertical_body(&rows, &self.style, self.written + 1),
            Format::Json if first => format!("[\n{}", data::json_elements(&rows)),
            Format::Json => format!(",\n{}", data::json_elements(&rows)),
            Format::Csv if first => data::csv_rows(&rows),
            Format::Csv => data::csv_more_rows(&rows),
            Format::Markdown if first => data::markdown_rows(&rows),
            Format::Markdown => data::markdown_more_rows(&rows),
        };
        // JSON's separator comes with the next chunk; every other chunk ends its line.
        if matches!(self.format, Format::Json) {
            write!(self.out, "{text}")?;
        } else {
            writeln!(self.out, "{text}")?;
        }
        self.written += self.chunk.len();
        self.chunk.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize) -> (Vec<String>, Vec<Vec<Value>>) {
        let columns = vec!["id".to_string(), "name".to_string()];
        let rows = (0..n)
            .map(|i| vec![Value::Int(i as i64), Value::Text(format!("n{i}"))])
            .collect();
        (columns, rows)
    }

    fn streamed(format: Format, n: usize) -> String {
        let (columns, data) = rows(n);
        let mut out = Vec::new();
        let mut stream = RowStream::new(columns, format, Style::default(), &mut out);
        for row in data {
            stream.push(row).unwrap();
        }
        assert_eq!(stream.finish().unwrap(), n);
        String::from_utf8(out).unwrap()
    }

    fn whole(format: Format, n: usize) -> String {
        let (columns, data) = rows(n);
        let rows = Rows {
            columns: &columns,
            rows: &data,
        };
        format!("{}\n", super::super::rows(&rows, format, &Style::default()))
    }

    #[test]
    fn documents_are_the_same_however_many_chunks() {
        for format in [Format::Json, Format::Csv, Format::Markdown] {
            for n in [
                0,
                1,
                CHUNK_ROWS - 1,
                CHUNK_ROWS,
                CHUNK_ROWS + 1,
                2 * CHUNK_ROWS + 7,
            ] {
                assert_eq!(
                    streamed(format, n),
                    whole(format, n),
                    "{format} with {n} rows"
                );
            }
        }
    }

    #[test]
    fn one_chunk_prints_as_the_whole_result() {
        for format in Format::ALL {
            for n in [0, 1, CHUNK_ROWS] {
                assert_eq!(
                    streamed(format, n),
                    whole(format, n),
                    "{format} with {n} rows"
                );
            }
        }
    }

    #[test]
    fn blocks_of_a_long_table_share_one_count() {
        let text = streamed(Format::Table, 2 * CHUNK_ROWS + 1);
        assert_eq!(text.matches("name").count(), 3, "a header per chunk");
        assert!(text.ends_with(&format!("({} rows)\n", 2 * CHUNK_ROWS + 1)));
        assert_eq!(text.matches(" rows)").count(), 1);
        let text = streamed(Format::Vertical, CHUNK_ROWS + 2);
        assert!(text.contains(&format!("-[ RECORD {} ]", CHUNK_ROWS + 2)));
        assert_eq!(text.matches("-[ RECORD 1 ]").count(), 1);
    }
}
