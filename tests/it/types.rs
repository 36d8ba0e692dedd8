//! Every column type round-trips exactly on every database: written and
//! committed by one ormsh process, read back by another (a new session),
//! NULL included; and arbitrary strings come back byte for byte. A Numeric
//! on SQLite is a number there, as SQLAlchemy makes it: exact to the 15
//! significant digits a REAL keeps, read back at the column's scale.

use crate::common::{Kind, Project, TestDb, kinds};
use proptest::prelude::*;

const WRITE: &str = r#"
db.create_all();
db.session.add(Thing(#{ i: 2147483647, bi: 9007199254740993, si: -32768, s: "it's \"q\" \\ %_ é 🎉",
    t: "long\ntext", b: true, f: 0.1, n: "12345678901234.123456", d: "2024-02-29",
    dt: "2024-05-01 10:20:30.123456", tm: "23:59:59.5", bin: "\x00\x01",
    j: #{ a: 1, b: [1, 2.5, "x"], c: () }, e: "draft", u: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" }));
db.session.add(Thing(#{ b: false, f: -1.5e300, n: "-0.000001", i: -2147483648 }));
db.session.add(Thing(#{}));
"#;

const READ: &str = r#"
for o in Thing.query.order_by(Thing.id).all() {
  for c in ["i","bi","si","s","t","b","f","n","d","dt","tm","bin","j","e","u"] {
    let v = o[c];
    print(`${c}=${if v == () { "NULL" } else { v.to_debug() }}`);
  }
}
"#;

const EXPECTED_FIRST: &str = r#"i=2147483647
bi=9007199254740993
si=-32768
s="it's \"q\" \\ %_ é 🎉"
t="long\ntext"
b=true
f=0.1
n=12345678901234.123456
d=2024-02-29
dt=2024-05-01 10:20:30.123456
tm=23:59:59.500
bin=[0001]
j=#{"a": 1, "b": [1, 2.5, "x"], "c": None}
e="draft"
u=a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11
"#;

const EXPECTED_SECOND: &str = "i=-2147483648\nbi=NULL\nsi=NULL\ns=NULL\nt=NULL\nb=false\nf=-1.5e300\nn=-0.000001\nd=NULL\ndt=NULL\ntm=NULL\nbin=NULL\nj=NULL\ne=NULL\nu=NULL\n";

fn round_trip(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, include_str!("fixtures/every_type.rhai"));
    project.run_ok(WRITE);
    let (out, _) = project.run_ok(READ);
    let nulls: String = [
        "i", "bi", "si", "s", "t", "b", "f", "n", "d", "dt", "tm", "bin", "j", "e", "u",
    ]
    .iter()
    .map(|c| format!("{c}=NULL\n"))
    .collect();
    let expected_first = if kind == Kind::Sqlite {
        EXPECTED_FIRST.replace("n=12345678901234.123456", "n=12345678901234.123047")
    } else {
        EXPECTED_FIRST.to_string()
    };
    assert_eq!(
        out,
        format!("{expected_first}{EXPECTED_SECOND}{nulls}"),
        "{kind:?}"
    );
    // What is stored is the exact decimal, not a float near it.
    let thing = db.quote("thing");
    let n = db.scalar(
        &format!("SELECT CAST(n AS CHAR(40)) FROM {thing} WHERE id = 1").replace(
            "CHAR(40)",
            if kind == Kind::Postgres {
                "TEXT"
            } else {
                "CHAR(40)"
            },
        ),
    );
    if kind == Kind::Sqlite {
        assert_eq!(
            db.scalar(&format!("SELECT typeof(n) FROM {thing} WHERE id = 1")),
            "real",
            "a number, so it compares as one"
        );
    } else {
        assert_eq!(n, "12345678901234.123456", "{kind:?}");
    }
}

on_every_database!(round_trip);

/// One table with one String column, opened through the Rust API.
mod strings {
    use crate::common::{Kind, TestDb};
    use ormsh::app::DatabaseUrl;
    use ormsh::engine::{Engine, EngineOptions, QueryLog, Runtime};
    use ormsh::orm::{Attr, Column, Engines, ModelDecl, Registry, Session};
    use ormsh::sql::{ColumnType, Value};
    use std::rc::Rc;

    pub struct Store {
        pub db: TestDb,
        session: Session,
    }

    impl Store {
        pub fn new(kind: Kind) -> Store {
            let db = TestDb::new(kind);
            let mut id = Column::new("id", ColumnType::Integer);
            id.primary_key = true;
            let registry = Registry::build(vec![ModelDecl {
                name: "Note".into(),
                tablename: None,
                columns: vec![id, Column::new("body", ColumnType::String(Some(400)))],
                relationships: vec![],
                bind_key: None,
                constraints: Vec::new(),
                inheritance: Default::default(),
            }])
            .unwrap();
            let url = DatabaseUrl::parse(&db.url, std::path::Path::new("/")).unwrap();
            let engine = Engine::connect(
                &url,
                &EngineOptions::default(),
                &Runtime::new().unwrap(),
                QueryLog::default(),
            )
            .unwrap();
            let session = Session::new(Rc::new(registry), Engines::new(engine, vec![]));
            session.create_all(None).unwrap();
            Store { db, session }
        }

        /// Store `text`, commit, and read it back through a separate connection.
        pub fn round_trip(&self, text: &str) -> String {
            let note = self
                .session
                .create(
                    "Note",
                    vec![("body".into(), Attr::Value(Value::Text(text.into())))],
                )
                .unwrap();
            self.session.add(&note).unwrap();
            self.session.commit().unwrap();
            let id = match self.session.attribute(&note, "id").unwrap() {
                Attr::Value(Value::Int(i)) => i,
                other => panic!("{other:?}"),
            };
            self.db.scalar(&format!(
                "SELECT body FROM {} WHERE id = {id}",
                self.db.quote("note")
            ))
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]
    #[test]
    fn arbitrary_strings_come_back_byte_for_byte(text in "(?s)[\\PC'\"\\\\%_\\n\\t🎉é]{0,60}") {
        thread_local! {
            static STORES: Vec<strings::Store> = kinds().into_iter().map(strings::Store::new).collect();
        }
        // MySQL's utf8mb4 tables and PostgreSQL's text both refuse NUL.
        let text = text.replace('\0', "");
        STORES.with(|stores| {
            for store in stores {
                prop_assert_eq!(store.round_trip(&text), text.clone(), "{:?}", store.db.kind);
            }
            Ok(())
        })?;
    }
}
