//! Snapshot tests of everything the render layer prints, plain (no colour) so
//! the snapshots stay readable, and checks that colour appears only when asked.

use std::time::Duration;

use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;

use super::*;

fn plain() -> Style {
    Style::default()
}

fn colour() -> Style {
    Style {
        color: true,
        width: None,
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn users() -> (Vec<String>, Vec<Vec<Value>>) {
    let columns = names(&["id", "username", "email", "score"]);
    let rows = vec![
        vec![
            Value::Int(1),
            text("johndoe"),
            text("john@example.com"),
            Value::Float(9.5),
        ],
        vec![
            Value::Int(2),
            text("susan"),
            Value::Null,
            Value::Float(12.25),
        ],
        vec![
            Value::Int(10),
            text("NULL"),
            text("x@example.com"),
            Value::Null,
        ],
    ];
    (columns, rows)
}

/// One value of every variant, with its column name.
fn every_variant() -> Vec<(String, Value)> {
    let date = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let time = NaiveTime::from_hms_micro_opt(13, 5, 9, 250_000).unwrap();
    vec![
        ("null".into(), Value::Null),
        ("bool".into(), Value::Bool(true)),
        ("int".into(), Value::Int(-42)),
        ("float".into(), Value::Float(1.5)),
        (
            "decimal".into(),
            Value::Decimal(Decimal::new(1_234_567_890_123_456_789, 4)),
        ),
        ("text".into(), text("say \"hi\", it's fine")),
        ("bytes".into(), Value::Bytes(vec![0, 1, 2, 250, 255])),
        ("date".into(), Value::Date(date)),
        ("datetime".into(), Value::DateTime(date.and_time(time))),
        ("time".into(), Value::Time(time)),
        (
            "json".into(),
            Value::Json(Box::new(serde_json::json!({"b": [1, 2], "a": null}))),
        ),
        (
            "uuid".into(),
            Value::Uuid(uuid::Uuid::from_u128(
                0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8,
            )),
        ),
    ]
}

fn every_variant_rows() -> (Vec<String>, Vec<Vec<Value>>) {
    let fields = every_variant();
    let columns = fields.iter().map(|(n, _)| n.clone()).collect();
    let row = fields.into_iter().map(|(_, v)| v).collect();
    (columns, vec![row])
}

#[test]
fn table_with_a_null() {
    let (columns, rows) = users();
    let r = Rows {
        columns: &columns,
        rows: &rows,
    };
    insta::assert_snapshot!(super::rows(&r, Format::Table, &plain()));
}

#[test]
fn table_with_one_row_says_row() {
    let (columns, rows) = users();
    let r = Rows {
        columns: &columns,
        rows: &rows[..1],
    };
    assert!(super::rows(&r, Format::Table, &plain()).ends_with("\n(1 row)"));
}

#[test]
fn empty_table() {
    let columns = names(&["id", "title", "content", "user_id"]);
    let r = Rows {
        columns: &columns,
        rows: &[],
    };
    insta::assert_snapshot!(super::rows(&r, Format::Table, &plain()));
}

#[test]
fn table_truncated_to_width() {
    let columns = names(&["id", "title", "content"]);
    let rows = vec![
        vec![
            Value::Int(1),
            text("Flask is great"),
            text(
                "Flask is a lightweight WSGI web application framework. It is designed to make getting started quick and easy.",
            ),
        ],
        vec![
            Value::Int(2),
            text("Two lines"),
            text("first line\nsecond line"),
        ],
    ];
    let r = Rows {
        columns: &columns,
        rows: &rows,
    };
    let style = Style {
        color: false,
        width: Some(50),
    };
    let out = super::rows(&r, Format::Table, &style);
    for line in out.lines() {
        assert!(line.chars().count() <= 50, "too wide: {line}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn vertical() {
    let (columns, rows) = users();
    let r = Rows {
        columns: &columns,
        rows: &rows[..2],
    };
    insta::assert_snapshot!(super::rows(&r, Format::Vertical, &plain()));
}

#[test]
fn card_table() {
    let fields = vec![
        ("id".to_string(), Value::Int(1)),
        ("username".to_string(), text("johndoe")),
        ("email".to_string(), text("john@example.com")),
        ("bio".to_string(), Value::Null),
    ];
    let c = Card {
        title: "<User johndoe>",
        fields: &fields,
    };
    insta::assert_snapshot!(card(&c, Format::Table, &plain()));
}

#[test]
fn card_json_and_csv() {
    let fields = vec![
        ("id".to_string(), Value::Int(1)),
        ("username".to_string(), text("johndoe")),
        ("bio".to_string(), Value::Null),
    ];
    let c = Card {
        title: "<User johndoe>",
        fields: &fields,
    };
    let out = format!(
        "{}\n---\n{}",
        card(&c, Format::Json, &plain()),
        card(&c, Format::Csv, &plain())
    );
    insta::assert_snapshot!(out);
}

#[test]
fn json_every_variant() {
    let (columns, rows) = every_variant_rows();
    let r = Rows {
        columns: &columns,
        rows: &rows,
    };
    insta::assert_snapshot!(super::rows(&r, Format::Json, &plain()));
}

#[test]
fn table_every_variant() {
    let fields = every_variant();
    let c = Card {
        title: "Everything",
        fields: &fields,
    };
    insta::assert_snapshot!(card(&c, Format::Table, &plain()));
}

#[test]
fn csv_rows() {
    let (columns, mut rows) = users();
    rows.push(vec![
        Value::Int(3),
        text("quote \"me\", ok"),
        text("a\nb"),
        Value::Float(1.0),
    ]);
    let r = Rows {
        columns: &columns,
        rows: &rows,
    };
    insta::assert_snapshot!(super::rows(&r, Format::Csv, &plain()));
}

#[test]
fn csv_every_variant() {
    let (columns, rows) = every_variant_rows();
    let r = Rows {
        columns: &columns,
        rows: &rows,
    };
    insta::assert_snapshot!(super::rows(&r, Format::Csv, &plain()));
}

#[test]
fn echo_with_params() {
    let sql = "SELECT user.id, user.username FROM user WHERE user.username = ? LIMIT ?";
    let params = [text("johndoe"), Value::Int(1)];
    insta::assert_snapshot!(echo(
        sql,
        &params,
        Duration::from_micros(210),
        Some(1),
        &plain()
    ));
}

#[test]
fn echo_without_params() {
    let sql = r#"CREATE TABLE "user" (id INTEGER NOT NULL, PRIMARY KEY (id))"#;
    insta::assert_snapshot!(echo(sql, &[], Duration::from_micros(1_530), None, &plain()));
}

#[test]
fn echo_colours_keywords_only_when_asked() {
    let sql = "SELECT \"order\" FROM t WHERE a = 'x'";
    let out = echo(
        sql,
        &[Value::Null],
        Duration::from_micros(50),
        Some(3),
        &colour(),
    );
    assert!(out.contains("\x1b[1;34mSELECT\x1b[0m"));
    assert!(out.contains("\x1b[2m'x'\x1b[0m"));
    assert!(!out.contains("\x1b[1;34m\"order\""));
    assert!(out.ends_with("\x1b[2m[params: None] 0.05 ms · 3 rows\x1b[0m"));
}

#[test]
fn scalars_print_like_a_repl() {
    assert_eq!(scalar(&text("hello"), &plain()), "hello");
    assert_eq!(scalar(&Value::Null, &plain()), "None");
    assert_eq!(scalar(&Value::Int(3), &plain()), "3");
    assert_eq!(scalar(&Value::Float(2.0), &plain()), "2.0");
    assert_eq!(
        scalar(&Value::Decimal(Decimal::new(1050, 2)), &plain()),
        "10.50"
    );
}

#[test]
fn no_colour_means_no_escape_byte() {
    let (columns, mut rows) = users();
    // Even an escape sequence stored in the data must not reach the terminal.
    rows.push(vec![
        Value::Int(4),
        text("\x1b[31mred\x1b[0m"),
        Value::Null,
        Value::Null,
    ]);
    let r = Rows {
        columns: &columns,
        rows: &rows,
    };
    let fields = every_variant();
    let c = Card {
        title: "<Evil \x1b[2J>",
        fields: &fields,
    };
    let narrow = Style {
        color: false,
        width: Some(30),
    };
    let mut outputs = Vec::new();
    for style in [plain(), narrow] {
        for format in [Format::Table, Format::Vertical, Format::Json] {
            outputs.push(super::rows(&r, format, &style));
            outputs.push(card(&c, format, &style));
        }
        outputs.push(scalar(&text("\x1b[2J"), &style));
        outputs.push(scalar(&Value::Null, &style));
        let params = [text("\x1b[2J"), Value::Null];
        outputs.push(echo("SELECT 1", &params, Duration::ZERO, Some(1), &style));
    }
    for out in outputs {
        assert!(!out.contains('\x1b'), "escape byte in {out:?}");
    }
}

#[test]
fn colour_marks_headers_and_nulls() {
    let (columns, rows) = users();
    let r = Rows {
        columns: &columns,
        rows: &rows,
    };
    let out = super::rows(&r, Format::Table, &colour());
    assert!(out.contains("\x1b[1mid\x1b[0m"), "{out:?}");
    assert!(out.contains("\x1b[2mNone\x1b[0m"), "{out:?}");
}

#[test]
fn formats_parse_and_list_the_choices() {
    assert_eq!("table".parse::<Format>(), Ok(Format::Table));
    assert_eq!(" Vertical ".parse::<Format>(), Ok(Format::Vertical));
    assert_eq!("json".parse::<Format>(), Ok(Format::Json));
    assert_eq!("csv".parse::<Format>(), Ok(Format::Csv));
    let err = "xml".parse::<Format>().unwrap_err().to_string();
    assert_eq!(
        err,
        "unknown format 'xml': choose table, vertical, json, csv or markdown"
    );
    for f in Format::ALL {
        assert_eq!(f.to_string().parse::<Format>(), Ok(f));
    }
}
