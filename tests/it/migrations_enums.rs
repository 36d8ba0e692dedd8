//! A named enum type's values changed in the models (PostgreSQL), which
//! Alembic's autogenerate does not see: `ormsh db migrate` writes
//! `op.execute(..)` statements that real `flask db upgrade` applies (values
//! added in place, in the models' order; values removed by making the type
//! again) and `flask db downgrade` reverses; rows holding a value the
//! upgrade removes stop `db migrate` with their count.

use crate::common::{Kind, TestDb, available};
use crate::migrations::schema;
use crate::migrations_autogenerate::Project;

const TAGS: &str = r#"from app import db


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.Enum(VALUES, name="tagkind"), nullable=False, server_default="plain")


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.Enum(VALUES, name="tagkind"))
"#;

fn models(values: &[&str]) -> String {
    let list: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    TAGS.replace("VALUES", &list.join(", "))
}

fn labels(db: &TestDb) -> String {
    db.scalar("SELECT string_agg(e.enumlabel::text, ',' ORDER BY e.enumsortorder) FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typname = 'tagkind'")
}

#[test]
fn enum_values_change_on_postgres() {
    if !available(Kind::Postgres) {
        return;
    }
    let Some(p) = Project::new(&models(&["plain", "special"])) else {
        return;
    };
    let db = TestDb::new(Kind::Postgres);
    p.ormsh_ok(&db, &["init"]);
    p.migrate(&db, &["-m", "tags"]);
    p.flask(&db, &["upgrade"]);
    db.rows("INSERT INTO tag (id, kind) VALUES (1, 'plain'), (2, 'special')");
    db.rows("INSERT INTO note (id, kind) VALUES (1, 'special')");
    let at_v1 = schema(&db);

    // Values added before, between and after: in place, in order.
    p.models(&models(&["draft", "plain", "archived", "special", "gone"]));
    let (code, _, _) = p.ormsh(&db, &["check"]);
    assert_eq!(code, 1, "db check sees new enum values");
    let text = p.migrate(&db, &["-m", "more kinds"]);
    for e in [
        r#"op.execute("ALTER TYPE tagkind ADD VALUE 'draft' BEFORE 'plain'")"#,
        r#"op.execute("ALTER TYPE tagkind ADD VALUE 'archived' AFTER 'plain'")"#,
        r#"op.execute("ALTER TYPE tagkind ADD VALUE 'gone' AFTER 'special'")"#,
    ] {
        assert!(text.contains(e), "{e}\nnot in\n{text}");
    }
    assert!(!text.contains("alter_column"), "{text}");
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, "after adding values");
    assert_eq!(labels(&db), "draft,plain,archived,special,gone");
    db.rows("INSERT INTO tag (id, kind) VALUES (3, 'archived')");
    // The downgrade makes the old type again; a row holding a new value
    // makes the database refuse it, and nothing of it stays.
    let (ok, _, err) = p.flask_run(&db, &["downgrade"]);
    assert!(!ok, "a row holds 'archived'");
    assert!(err.contains("archived"), "{err}");
    assert_eq!(labels(&db), "draft,plain,archived,special,gone");
    db.rows("DELETE FROM tag WHERE id = 3");
    p.flask(&db, &["downgrade"]);
    assert_eq!(schema(&db), at_v1, "downgraded");
    p.ormsh_ok(&db, &["upgrade"]);
    p.no_drift(&db, "after ormsh's upgrade");

    // A value removed while rows hold it: refused with their count.
    p.models(&models(&["draft", "plain", "archived", "gone"]));
    let (code, _, err) = p.ormsh(&db, &["migrate", "-m", "fewer"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("1 row of note.kind holds 'special', which the enum type tagkind loses"),
        "{err}"
    );
    db.rows("UPDATE tag SET kind = 'archived' WHERE id = 2");
    db.rows("UPDATE note SET kind = 'gone' WHERE id = 1");
    let at_v2 = schema(&db);
    let text = p.migrate(&db, &["-m", "fewer"]);
    assert!(
        text.contains(r#"op.execute('ALTER TYPE tagkind RENAME TO tagkind_old')"#),
        "{text}"
    );
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, "after removing a value");
    assert_eq!(labels(&db), "draft,plain,archived,gone");
    assert_eq!(db.scalar("SELECT kind FROM tag WHERE id = 2"), "archived");
    // The default is the column's again.
    db.rows("INSERT INTO tag (id) VALUES (9)");
    assert_eq!(db.scalar("SELECT kind FROM tag WHERE id = 9"), "plain");
    db.rows("DELETE FROM tag WHERE id = 9");
    p.ormsh_ok(&db, &["downgrade"]);
    assert_eq!(
        schema(&db),
        at_v2,
        "ormsh's downgrade gives the values back"
    );
    p.flask(&db, &["upgrade"]);
    p.flask(&db, &["downgrade"]);
    assert_eq!(
        schema(&db),
        at_v2,
        "flask's downgrade gives the values back"
    );
}

/// Where an enum is a column type (MariaDB's `ENUM(..)`, SQLite's
/// `VARCHAR`), new values are a type change real Alembic applies and
/// reverses.
fn enum_values_change_as_a_column_type(kind: Kind) {
    let Some(p) = Project::new(&models(&["plain", "special"])) else {
        return;
    };
    let db = TestDb::new(kind);
    p.ormsh_ok(&db, &["init"]);
    p.migrate(&db, &["-m", "tags"]);
    p.flask(&db, &["upgrade"]);
    db.rows("INSERT INTO tag (id, kind) VALUES (1, 'special')");
    let at_v1 = schema(&db);
    p.models(&models(&["plain", "special", "archived"]));
    let text = p.migrate(&db, &["-m", "more kinds"]);
    assert!(
        text.contains("type_=sa.Enum('plain', 'special', 'archived', name='tagkind')"),
        "{text}"
    );
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, "after adding a value");
    db.rows("INSERT INTO tag (id, kind) VALUES (2, 'archived')");
    db.rows("DELETE FROM tag WHERE id = 2");
    p.flask(&db, &["downgrade"]);
    assert_eq!(schema(&db), at_v1, "downgraded");
    assert_eq!(db.scalar("SELECT kind FROM tag WHERE id = 1"), "special");
}

#[test]
fn enum_values_change_as_a_column_type_on_sqlite() {
    enum_values_change_as_a_column_type(Kind::Sqlite);
}

#[test]
fn enum_values_change_as_a_column_type_on_mysql() {
    if available(Kind::MySql) {
        enum_values_change_as_a_column_type(Kind::MySql);
    }
}

const STAGES: &str = r#"from app import db


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.Enum(VALUES, name="tagkind"), nullable=False, server_default="DEFAULT")
EXTRA"#;

/// A value added to a PostgreSQL enum type and made a server default in
/// the same revision: PostgreSQL refuses the new value until it is
/// committed ("unsafe use of new value"), so the revision adds it in
/// `with op.get_context().autocommit_block():`, which real `flask db
/// upgrade` and ormsh run outside the revision's transaction.
#[test]
fn enum_value_added_and_made_the_default_on_postgres() {
    if !available(Kind::Postgres) {
        return;
    }
    let stages = |values: &[&str], default: &str, extra: &str| {
        let list: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
        STAGES
            .replace("VALUES", &list.join(", "))
            .replace("DEFAULT", default)
            .replace("EXTRA", extra)
    };
    let Some(p) = Project::new(&stages(&["plain", "special"], "plain", "")) else {
        return;
    };
    let db = TestDb::new(Kind::Postgres);
    p.ormsh_ok(&db, &["init"]);
    p.migrate(&db, &["-m", "tags"]);
    p.flask(&db, &["upgrade"]);
    db.rows("INSERT INTO tag (id) VALUES (1)");
    let at_v1 = schema(&db);
    let v1 = p.flask(&db, &["heads"]);
    let v1 = v1.split_whitespace().next().unwrap().to_string();

    p.models(&stages(
        &["plain", "special", "archived"],
        "archived",
        "    stage = db.Column(db.Enum(\"plain\", \"special\", \"archived\", name=\"tagkind\"), server_default=\"archived\")\n",
    ));
    let text = p.migrate(&db, &["-m", "archived by default"]);
    assert!(
        text.contains(
            "    with op.get_context().autocommit_block():\n        op.execute(\"ALTER TYPE tagkind ADD VALUE 'archived' AFTER 'special'\")\n"
        ),
        "{text}"
    );
    // Nothing to add in the downgrade: the type is made again there.
    assert_eq!(text.matches("autocommit_block").count(), 1, "{text}");
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, "after flask's upgrade");
    db.rows("INSERT INTO tag (id) VALUES (2)");
    assert_eq!(
        db.rows("SELECT kind::text, stage::text FROM tag WHERE id = 2"),
        [["archived", "archived"]]
    );
    db.rows("DELETE FROM tag WHERE id = 2");
    p.flask(&db, &["downgrade"]);
    assert_eq!(schema(&db), at_v1, "flask's downgrade");

    // ormsh runs the block outside the revision's transaction too.
    let (code, out, err) = p.ormsh(&db, &["upgrade"]);
    assert_eq!(code, 0, "{out}\n{err}");
    p.no_drift(&db, "after ormsh's upgrade");
    p.ormsh_ok(&db, &["downgrade"]);
    assert_eq!(schema(&db), at_v1, "ormsh's downgrade");
    p.ormsh_ok(&db, &["upgrade"]);
    p.flask(&db, &["downgrade"]);
    assert_eq!(
        schema(&db),
        at_v1,
        "flask's downgrade after ormsh's upgrade"
    );

    // --sql: the script's transaction ends before the block and begins after.
    let sql = p.ormsh_ok(&db, &["upgrade", "--sql", &format!("{v1}:head")]);
    let flask_sql = p.flask(&db, &["upgrade", "--sql", &format!("{v1}:head")]);
    for s in [&sql, &flask_sql] {
        let commit = s.find("COMMIT;").expect(s);
        let add = s.find("ADD VALUE 'archived'").expect(s);
        let begin = s[add..].find("BEGIN;").map(|b| b + add).expect(s);
        assert!(commit < add && add < begin, "{s}");
    }
}
