//! The machine formats, JSON and CSV: what each `Value` becomes when another
//! program reads the output. Both share one set of text conventions (ISO 8601
//! dates, exact decimals as strings, bytes in base64) so that switching format
//! never changes a value; neither uses colour, so they can be piped as they are.

use serde_json::{Map, Number, Value as Json};

use super::{Card, Rows};
use crate::sql::value::Value;

const DATE: &str = "%Y-%m-%d";
const TIME: &str = "%H:%M:%S%.f";
const DATETIME: &str = "%Y-%m-%dT%H:%M:%S%.f";

/// A value as JSON. Decimals are strings because a JSON number is a double for
/// most readers and would lose digits; non-finite floats are `null`, as
/// JavaScript's `JSON.stringify` writes them.
pub fn json_value(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(x) => Number::from_f64(*x).map_or(Json::Null, Json::Number),
        Value::Json(j) => (**j).clone(),
        other => Json::String(text(other).unwrap_or_default()),
    }
}

/// A value as the text of a CSV field; `None` for NULL.
fn text(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        // serde_json's shortest round-trip form, so CSV and JSON agree.
        Value::Float(x) => Number::from_f64(*x).map_or_else(|| x.to_string(), |n| n.to_string()),
        Value::Decimal(d) => d.to_string(),
        Value::Text(s) => s.clone(),
        Value::Bytes(b) => base64(b),
        Value::Date(d) => d.format(DATE).to_string(),
        Value::DateTime(d) => d.format(DATETIME).to_string(),
        Value::DateTimeTz(d) => d.to_rfc3339(),
        Value::Time(t) => t.format(TIME).to_string(),
        Value::Json(j) => j.to_string(),
        Value::Uuid(u) => u.to_string(),
        // Python's `str(timedelta)`, as the table shows it.
        Value::Interval(_) => v.to_string(),
    })
}

/// Standard base64 (RFC 4648) with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 0x3f) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Object keys for `names`: a join can select two columns called `id`, and a
/// JSON object would silently keep only one, so repeats become `id_2`, `id_3`.
fn unique_keys<'n>(names: impl Iterator<Item = &'n str>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for name in names {
        let mut key = name.to_string();
        let mut n = 2;
        while keys.contains(&key) {
            key = format!("{name}_{n}");
            n += 1;
        }
        keys.push(key);
    }
    keys
}

fn object(keys: &[String], values: &[Value]) -> Json {
    let mut map = Map::new();
    for (i, key) in keys.iter().enumerate() {
        let value = values.get(i).map_or(Json::Null, json_value);
        map.insert(key.clone(), value);
    }
    Json::Object(map)
}

fn pretty(json: &Json) -> String {
    serde_json::to_string_pretty(json).unwrap_or_else(|_| json.to_string())
}

pub fn json_rows(r: &Rows) -> String {
    let keys = unique_keys(r.columns.iter().map(String::as_str));
    pretty(&Json::Array(
        r.rows.iter().map(|row| object(&keys, row)).collect(),
    ))
}

/// Rows as elements of a pretty JSON array (`json_rows` without its
/// brackets): each indented as the array would indent it, `,\n` between.
pub fn json_elements(r: &Rows) -> String {
    let keys = unique_keys(r.columns.iter().map(String::as_str));
    let elements: Vec<String> = r
        .rows
        .iter()
        .map(|row| {
            let text = pretty(&object(&keys, row));
            let lines: Vec<String> = text.lines().map(|l| format!("  {l}")).collect();
            lines.join("\n")
        })
        .collect();
    elements.join(",\n")
}

pub fn json_card(c: &Card) -> String {
    let keys = unique_keys(c.fields.iter().map(|(name, _)| name.as_str()));
    let values: Vec<Value> = c.fields.iter().map(|(_, v)| v.clone()).collect();
    pretty(&object(&keys, &values))
}

/// CSV records, the header first when `header` says so.
fn csv_records<'v>(
    columns: &[String],
    header: bool,
    rows: impl Iterator<Item = &'v [Value]>,
) -> String {
    if columns.is_empty() {
        return String::new();
    }
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let write = || -> csv::Result<()> {
        if header {
            out.write_record(columns)?;
        }
        for row in rows {
            // Every record as wide as the header, or the csv crate refuses it.
            let fields = (0..columns.len()).map(|i| row.get(i).and_then(text).unwrap_or_default());
            out.write_record(fields)?;
        }
        out.flush()?;
        Ok(())
    };
    if let Err(e) = write() {
        return format!("error writing CSV: {e}");
    }
    let bytes = out.into_inner().unwrap_or_default();
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    if text.ends_with('\n') {
        text.pop();
    }
    text
}

pub fn csv_rows(r: &Rows) -> String {
    csv_records(r.columns, true, r.rows.iter().map(Vec::as_slice))
}

/// More rows of a CSV document whose header is already written.
pub fn csv_more_rows(r: &Rows) -> String {
    csv_records(r.columns, false, r.rows.iter().map(Vec::as_slice))
}

pub fn csv_card(c: &Card) -> String {
    let columns: Vec<String> = c.fields.iter().map(|(name, _)| name.clone()).collect();
    let values: Vec<Value> = c.fields.iter().map(|(_, v)| v.clone()).collect();
    csv_records(&columns, true, std::iter::once(values.as_slice()))
}

/// A Markdown table (GitHub's dialect): `|` in values escaped, NULL empty.
pub fn markdown_rows(r: &Rows) -> String {
    let mut out = format!(
        "| {} |\n",
        r.columns
            .iter()
            .map(|c| c.replace('|', "\\|"))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    out.push_str(&format!("|{}|", vec!["---"; r.columns.len()].join("|")));
    if !r.rows.is_empty() {
        out.push('\n');
        out.push_str(&markdown_more_rows(r));
    }
    out
}

/// More lines of a Markdown table whose header is already written.
pub fn markdown_more_rows(r: &Rows) -> String {
    let cell = |v: &Value| match v {
        Value::Null => String::new(),
        v => super::ansi::escape_controls(&v.to_string(), false).replace('|', "\\|"),
    };
    let lines: Vec<String> = r
        .rows
        .iter()
        .map(|row| {
            format!(
                "| {} |",
                row.iter().map(cell).collect::<Vec<_>>().join(" | ")
            )
        })
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in cases {
            assert_eq!(base64(input.as_bytes()), expected, "{input:?}");
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn repeated_column_names_get_distinct_keys() {
        let keys = unique_keys(["id", "id", "name", "id"].into_iter());
        assert_eq!(keys, ["id", "id_2", "name", "id_3"]);
    }

    #[test]
    fn non_finite_floats_are_null_in_json() {
        assert_eq!(json_value(&Value::Float(f64::NAN)), Json::Null);
        assert_eq!(text(&Value::Float(f64::INFINITY)).as_deref(), Some("inf"));
    }
}
