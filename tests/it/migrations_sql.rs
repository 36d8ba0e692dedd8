//! `--sql` where autogenerate is: `ormsh db migrate --sql` and `db revision
//! --autogenerate --sql` are refused as real Flask-Migrate (Alembic)
//! refuses them, and `db revision --sql` as well, with nothing written and
//! no database touched; `ormsh db diff --sql` prints the drops of indexes,
//! UNIQUE constraints, foreign keys and checks the models no longer
//! declare as the SQL the revision `db migrate` writes runs (on SQLite the
//! batch rebuild), which brings the database in line with the models as
//! real `flask db check` sees them.

use crate::common::{Kind, TestDb, kinds};
use crate::migrations::schema;
use crate::migrations_autogenerate::Project;

const MODELS: &str = r#"from app import db


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40))
"#;

#[test]
fn sql_with_autogenerate_is_refused_as_alembic_refuses_it() {
    let Some(p) = Project::new(MODELS) else {
        return;
    };
    let db = TestDb::new(Kind::Sqlite);
    p.flask(&db, &["init"]);
    let before = schema(&db);
    for (args, flask_args, said) in [
        (
            &["migrate", "--sql"][..],
            &["migrate", "--sql"][..],
            "Using --sql with --autogenerate does not make any sense",
        ),
        (
            &["revision", "--autogenerate", "--sql"],
            &["revision", "--autogenerate", "--sql"],
            "Using --sql with --autogenerate does not make any sense",
        ),
        (
            &["revision", "--sql", "-m", "x"],
            &["revision", "--sql", "-m", "x"],
            "Using --sql with the revision command when revision_environment is not configured does not make any sense",
        ),
    ] {
        let (ok, out, err) = p.flask_run(&db, flask_args);
        assert!(
            !ok && format!("{out}{err}").contains(said),
            "flask db {flask_args:?}:\n{out}\n{err}"
        );
        let (code, out, err) = p.ormsh(&db, args);
        assert_eq!(code, 2, "ormsh db {args:?}:\n{out}\n{err}");
        assert!(err.contains(said), "ormsh db {args:?}:\n{err}");
        assert!(p.files().is_empty(), "nothing written: {:?}", p.files());
    }
    assert_eq!(schema(&db), before, "no database touched");
}

const BOOKS_V1: &str = r#"from app import db


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Book(db.Model):
    __table_args__ = (db.CheckConstraint("price > 0", name="ck_book_price"),)
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(50), index=True)
    isbn = db.Column(db.String(20), unique=True)
    price = db.Column(db.Integer)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id"))
"#;

/// `BOOKS_V1` without the index, the unique constraint, the foreign key
/// and the check.
const BOOKS_V2: &str = r#"from app import db


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(50))
    isbn = db.Column(db.String(20))
    price = db.Column(db.Integer)
    author_id = db.Column(db.Integer)
"#;

/// The statements of a `--sql` script, without comments, the transaction
/// and `alembic_version`.
fn statements(script: &str) -> Vec<String> {
    crate::migrations_multidb::script_statements(script)
        .into_iter()
        .filter(|s| !s.contains("alembic_version"))
        .collect()
}

#[test]
fn diff_sql_drops_what_the_models_no_longer_declare() {
    for kind in kinds() {
        let Some(p) = Project::new(BOOKS_V1) else {
            return;
        };
        let db = TestDb::new(kind);
        p.flask(&db, &["init"]);
        p.migrate(&db, &["-m", "books"]);
        p.flask(&db, &["upgrade"]);
        let v1 = p.flask(&db, &["heads"]);
        let v1 = v1.split_whitespace().next().unwrap().to_string();
        p.models(BOOKS_V2);
        let (code, out, err) = p.ormsh(&db, &["diff", "--sql"]);
        assert_eq!(code, 1, "{kind:?}:\n{out}\n{err}");
        assert!(
            !out.lines().any(|l| l.starts_with("--")),
            "{kind:?}: a comment left:\n{out}"
        );
        let diff = statements(&out);
        // SQLite drops the constraints by the batch block's rebuild, which
        // makes again only the indexes the models keep.
        let expected = if kind == Kind::Sqlite {
            "_alembic_tmp_book"
        } else {
            "ix_book_title"
        };
        assert!(
            diff.iter().any(|s| s.contains(expected)),
            "{kind:?}: {diff:?}"
        );
        if kind != Kind::Sqlite {
            // What `db upgrade --sql` prints for the revision `db migrate`
            // writes: the same statements.
            let dir = p.path().join("migrations").join("versions");
            p.migrate(&db, &["-m", "fewer"]);
            let upgrade = p.ormsh_ok(&db, &["upgrade", "--sql", &format!("{v1}:head")]);
            assert_eq!(diff, statements(&upgrade), "{kind:?}");
            for f in p.files() {
                if !f.starts_with(&v1) {
                    std::fs::remove_file(dir.join(f)).unwrap();
                }
            }
        }
        // Run by hand, they leave nothing for either tool to find.
        for s in &diff {
            db.rows(s);
        }
        p.no_drift(&db, &format!("{kind:?} after db diff --sql"));
    }
}
