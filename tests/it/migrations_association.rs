//! Association tables (`db.Table`) in `ormsh db diff`, `db check` and `db
//! migrate`, as Alembic compares them: columns added and dropped, their
//! types and nullability, indexes, unique constraints and foreign keys.
//! The revision `ormsh db migrate` writes is applied and reverted by real
//! `flask db upgrade` / `downgrade`, after which neither tool finds drift;
//! a dropped column's values are named, as for a model's table.

use crate::common::{Kind, TestDb};
use crate::migrations::schema;
use crate::migrations_autogenerate::Project;

const V1: &str = r#"from app import db

post_tags = db.Table(
    "post_tags",
    db.Column("post_id", db.Integer, db.ForeignKey("post.id"), primary_key=True),
    db.Column("tag_id", db.Integer, db.ForeignKey("tag.id"), primary_key=True),
)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    tags = db.relationship("Tag", secondary=post_tags)


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
"#;

/// V1's association table with a column of each kind, an indexed one, a
/// unique constraint and a foreign key more.
const V2: &str = r#"from app import db

post_tags = db.Table(
    "post_tags",
    db.Column("post_id", db.Integer, db.ForeignKey("post.id"), primary_key=True),
    db.Column("tag_id", db.Integer, db.ForeignKey("tag.id"), primary_key=True),
    db.Column("weight", db.Integer, nullable=False, server_default="1"),
    db.Column("note", db.String(50), index=True),
    db.Column("author_id", db.Integer, db.ForeignKey("author.id", name="fk_post_tags_author")),
    db.UniqueConstraint("post_id", "weight", name="uq_post_tags_weight"),
)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    tags = db.relationship("Tag", secondary=post_tags)


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
"#;

fn sorted(mut rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    rows.sort();
    rows
}

fn association_table_drift_is_migrated(kind: Kind) {
    let Some(p) = Project::new(V1) else {
        return;
    };
    let db = TestDb::new(kind);
    p.ormsh_ok(&db, &["init"]);
    p.migrate(&db, &["-m", "one"]);
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, &format!("{kind:?} at one"));
    let one = schema(&db);
    db.rows("INSERT INTO post (id) VALUES (1)");
    db.rows("INSERT INTO tag (id) VALUES (1)");
    db.rows("INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1)");

    // Every change to the association table is seen and written.
    p.models(V2);
    let (code, out, _) = p.ormsh(&db, &["diff"]);
    assert_eq!(code, 1, "{kind:?}: {out}");
    assert!(out.contains("post_tags"), "{kind:?}: {out}");
    // `db diff --sql` does not make the existing table again.
    let (_, out, _) = p.ormsh(&db, &["diff", "--sql"]);
    assert!(
        !out.contains("CREATE TABLE post_tags")
            && out.contains("an association table's columns change by the revision"),
        "{kind:?}: {out}"
    );
    let (code, out, _) = p.ormsh(&db, &["check"]);
    assert_eq!(code, 1, "{kind:?}: {out}");
    let (ok, _, _) = p.flask_run(&db, &["check"]);
    assert!(!ok, "{kind:?}: flask db check sees it too");
    let text = p.migrate(&db, &["-m", "two"]);
    for needle in [
        "add_column(sa.Column('weight'",
        "add_column(sa.Column('note'",
        "'ix_post_tags_note'",
        "'uq_post_tags_weight'",
        "'fk_post_tags_author'",
    ] {
        assert!(text.contains(needle), "{kind:?}: {needle}:\n{text}");
    }
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, &format!("{kind:?} at two"));
    assert_eq!(
        db.rows("SELECT post_id, tag_id, weight FROM post_tags"),
        vec![vec!["1", "1", "1"]],
        "{kind:?}: the row keeps its place and takes the default"
    );
    let two = schema(&db);
    p.flask(&db, &["downgrade"]);
    assert_eq!(schema(&db), one, "{kind:?}: flask's downgrade");
    p.ormsh_ok(&db, &["upgrade"]);
    assert_eq!(schema(&db), two, "{kind:?}: ormsh's upgrade");

    // And back: the drops name the values they lose.
    db.rows("UPDATE post_tags SET note = 'keep'");
    p.models(V1);
    let before = p.files();
    let (code, _, err) = p.ormsh(&db, &["migrate", "-m", "three"]);
    assert_eq!(code, 0, "{kind:?}: {err}");
    assert!(
        err.contains("column post_tags.note is dropped with its 1 value"),
        "{kind:?}: {err}"
    );
    assert_eq!(p.files().len(), before.len() + 1);
    let new = p.files().into_iter().find(|f| !before.contains(f)).unwrap();
    if kind == Kind::Sqlite {
        eprintln!(
            "THREE {}",
            std::fs::read_to_string(p.versions().join(new)).unwrap()
        );
    }
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, &format!("{kind:?} at three"));
    assert_eq!(schema(&db), one, "{kind:?}: the schema of one again");
    p.flask(&db, &["downgrade"]);
    // The columns come back last, in the reverse order of their drops, as
    // Alembic's own downgrade adds them.
    assert_eq!(
        sorted(schema(&db)),
        sorted(two),
        "{kind:?}: flask's downgrade of three"
    );
}
on_every_database!(association_table_drift_is_migrated);
