//! Random models with random objects, through the Rust API: created,
//! added, committed, and read back by a second session on its own
//! connection, equal on every database.

use std::cell::Cell;
use std::rc::Rc;

use crate::common::{Kind, TestDb, kinds};
use chrono::{NaiveDate, NaiveDateTime};
use ormsh::app::DatabaseUrl;
use ormsh::engine::{Engine, EngineOptions, QueryLog, Runtime};
use ormsh::orm::{Attr, Column, Engines, ModelDecl, Query, Registry, Session};
use ormsh::sql::{ColumnType, Value};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn column_type() -> impl Strategy<Value = ColumnType> {
    prop_oneof![
        Just(ColumnType::Integer),
        Just(ColumnType::BigInteger),
        Just(ColumnType::String(Some(40))),
        Just(ColumnType::Text),
        Just(ColumnType::Boolean),
        Just(ColumnType::Float),
        Just(ColumnType::Numeric(Some((15, 3)))),
        Just(ColumnType::Date),
        Just(ColumnType::DateTime),
        Just(ColumnType::LargeBinary),
    ]
}

/// A value a column of `ty` holds.
fn value_of(ty: &ColumnType) -> BoxedStrategy<Value> {
    match ty {
        ColumnType::Integer => any::<i32>().prop_map(|i| Value::Int(i.into())).boxed(),
        ColumnType::BigInteger => any::<i64>().prop_map(Value::Int).boxed(),
        ColumnType::String(_) => "[a-zA-Z0-9 '\"%_\\\\é🎉]{0,40}"
            .prop_map(Value::Text)
            .boxed(),
        ColumnType::Text => "(?s)[^\u{0}]{0,300}".prop_map(Value::Text).boxed(),
        ColumnType::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
        ColumnType::Float => (-1e300f64..1e300).prop_map(Value::Float).boxed(),
        ColumnType::Numeric(_) => (-999_999_999_999_999i64..999_999_999_999_999)
            .prop_map(|n| Value::Decimal(Decimal::new(n, 3)))
            .boxed(),
        ColumnType::Date => (0i64..60_000)
            .prop_map(|d| {
                Value::Date(
                    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(d as u64),
                )
            })
            .boxed(),
        ColumnType::DateTime => (0i64..4_000_000_000, 0u32..1_000_000)
            .prop_map(|(s, us)| {
                Value::DateTime(NaiveDateTime::from_timestamp_opt_compat(s, us * 1000))
            })
            .boxed(),
        _ => proptest::collection::vec(any::<u8>(), 0..64)
            .prop_map(Value::Bytes)
            .boxed(),
    }
}

trait FromTimestamp {
    fn from_timestamp_opt_compat(secs: i64, nanos: u32) -> NaiveDateTime;
}

impl FromTimestamp for NaiveDateTime {
    fn from_timestamp_opt_compat(secs: i64, nanos: u32) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(secs, nanos)
            .unwrap()
            .naive_utc()
    }
}

/// Columns (type, nullable) and rows (a value or NULL for each column).
fn model_and_rows() -> impl Strategy<Value = (Vec<(ColumnType, bool)>, Vec<Vec<Value>>)> {
    proptest::collection::vec((column_type(), any::<bool>()), 1..6).prop_flat_map(|columns| {
        let row: Vec<BoxedStrategy<Value>> = columns
            .iter()
            .map(|(ty, nullable)| {
                if *nullable {
                    prop_oneof![1 => Just(Value::Null), 4 => value_of(ty)].boxed()
                } else {
                    value_of(ty)
                }
            })
            .collect();
        (Just(columns), proptest::collection::vec(row, 1..4))
    })
}

fn registry(table: &str, columns: &[(ColumnType, bool)]) -> Registry {
    let mut id = Column::new("id", ColumnType::Integer);
    id.primary_key = true;
    let mut decl = ModelDecl {
        name: "Random".into(),
        tablename: Some(table.to_string()),
        columns: vec![id],
        relationships: Vec::new(),
        bind_key: None,
        constraints: Vec::new(),
        inheritance: Default::default(),
    };
    for (i, (ty, nullable)) in columns.iter().enumerate() {
        let mut c = Column::new(&format!("c{i}"), ty.clone());
        c.nullable = *nullable;
        decl.columns.push(c);
    }
    Registry::build(vec![decl]).unwrap()
}

fn session(db: &TestDb, registry: Registry) -> Session {
    let runtime = Runtime::new().unwrap();
    let url = DatabaseUrl::parse(&db.url, std::path::Path::new("/nonexistent")).unwrap();
    let engine = Engine::connect(
        &url,
        &EngineOptions::default(),
        &runtime,
        QueryLog::default(),
    )
    .unwrap();
    Session::new(Rc::new(registry), Engines::new(engine, vec![]))
}

thread_local! {
    static DATABASES: Vec<TestDb> = kinds().into_iter().map(TestDb::new).collect();
    static CASE: Cell<usize> = const { Cell::new(0) };
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
    #[test]
    fn random_models_and_objects_round_trip((columns, rows) in model_and_rows()) {
        let case = CASE.with(|c| { c.set(c.get() + 1); c.get() });
        let table = format!("random_{case}");
        DATABASES.with(|dbs| {
            for db in dbs {
                let writer = session(db, registry(&table, &columns));
                writer.create_all(None).unwrap();
                for row in &rows {
                    let attrs = row
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (format!("c{i}"), Attr::Value(v.clone())))
                        .collect();
                    let obj = writer.create("Random", attrs).unwrap();
                    writer.add(&obj).unwrap();
                }
                writer.commit().unwrap();
                // A second session, on its own connection, reads them back.
                let reader = session(db, registry(&table, &columns));
                let mapper = reader.registry().get("Random").unwrap().clone();
                let objects = reader.all(&Query::new(mapper)).unwrap();
                prop_assert_eq!(objects.len(), rows.len(), "{:?}", db.kind);
                let mut read: Vec<Vec<Value>> = objects
                    .iter()
                    .map(|o| (0..columns.len()).map(|i| o.value(i + 1)).collect())
                    .collect();
                let mut written = rows.clone();
                let key = |r: &Vec<Value>| format!("{r:?}");
                read.sort_by_key(key);
                written.sort_by_key(key);
                prop_assert_eq!(read, written, "{:?} {:?}", db.kind, columns);
            }
            Ok(())
        })?;
    }
}

/// Values at the edges: each comes back as it went in, or is refused with
/// a message naming the problem (never a panic, never a changed value).
fn edges(kind: Kind) {
    let db = TestDb::new(kind);
    let columns = [
        (ColumnType::BigInteger, true),
        (ColumnType::Float, true),
        (ColumnType::Text, true),
        (ColumnType::LargeBinary, true),
    ];
    let s = session(&db, registry("edges", &columns));
    s.create_all(None).unwrap();
    let cases: Vec<[Value; 4]> = vec![
        [
            Value::Int(i64::MIN),
            Value::Float(f64::MAX),
            Value::Text("é🎉\u{7f}\\".into()),
            Value::Bytes(vec![0xff, 0xfe, 0, 0x80]),
        ],
        [
            Value::Int(i64::MAX),
            Value::Float(-f64::MIN_POSITIVE),
            Value::Text("'; DROP TABLE edges; --".into()),
            Value::Bytes(vec![0; 100_000]),
        ],
    ];
    for values in &cases {
        let attrs = values
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("c{i}"), Attr::Value(v.clone())))
            .collect();
        let obj = s.create("Random", attrs).unwrap();
        s.add(&obj).unwrap();
    }
    s.commit().unwrap();
    let reader = session(&db, registry("edges", &columns));
    let mapper = reader.registry().get("Random").unwrap().clone();
    let objects = reader.all(&Query::new(mapper)).unwrap();
    assert_eq!(objects.len(), 2, "{kind:?}");
    for (o, values) in objects.iter().zip(&cases) {
        for (i, v) in values.iter().enumerate() {
            assert!(o.value(i + 1) == *v, "{kind:?}: column {i} changed");
        }
    }
    // A huge string: a megabyte comes back whole, or (MySQL's TEXT holds
    // 64 KiB, as SQLAlchemy's Text maps it) is refused, saying so.
    let huge = "x'\"\\".repeat(250_000);
    let obj = s
        .create(
            "Random",
            vec![("c2".into(), Attr::Value(Value::Text(huge.clone())))],
        )
        .unwrap();
    s.add(&obj).unwrap();
    match s.commit() {
        Ok(()) => {
            let id = obj.value(0);
            let again = session(&db, registry("edges", &columns));
            let mapper = again.registry().get("Random").unwrap().clone();
            let back = again.get(&mapper, vec![id]).unwrap().unwrap();
            assert!(
                back.value(3) == Value::Text(huge),
                "{kind:?}: the huge string changed"
            );
        }
        Err(e) => {
            assert_eq!(kind, Kind::MySql, "{e}");
            assert!(
                e.to_string().contains("Data too long for column 'c2'"),
                "{e}"
            );
        }
    }
    // A NUL in text: kept where the database can (SQLite, MariaDB);
    // PostgreSQL refuses it, saying so.
    let obj = s
        .create(
            "Random",
            vec![("c2".into(), Attr::Value(Value::Text("a\0b".into())))],
        )
        .unwrap();
    s.add(&obj).unwrap();
    match s.commit() {
        Ok(()) => {
            let again = session(&db, registry("edges", &columns));
            let mapper = again.registry().get("Random").unwrap().clone();
            let back = again.get(&mapper, vec![obj.value(0)]).unwrap().unwrap();
            assert!(
                back.value(3) == Value::Text("a\0b".into()),
                "{kind:?}: NUL changed"
            );
        }
        Err(e) => {
            assert_eq!(kind, Kind::Postgres, "{e}");
            let message = e.to_string();
            assert!(
                message.contains("0x00") || message.to_lowercase().contains("invalid"),
                "{kind:?}: {message}"
            );
            assert!(message.contains("rolled back"), "{kind:?}: {message}");
        }
    }
    // Not-a-number: stored where the database has it, else refused.
    let obj = s
        .create(
            "Random",
            vec![("c1".into(), Attr::Value(Value::Float(f64::NAN)))],
        )
        .unwrap();
    s.add(&obj).unwrap();
    if let Err(e) = s.commit() {
        assert!(!e.to_string().is_empty(), "{kind:?}");
    }
}

on_every_database!(edges);
