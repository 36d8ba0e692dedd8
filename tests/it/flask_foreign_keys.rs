//! A models.py column's `db.ForeignKey` is a constraint of its own, as in
//! SQLAlchemy: two columns with keys to two columns of one table are two
//! keys (not one composite key, which PostgreSQL would refuse without a
//! unique constraint over both), built by ormsh's `db.create_all()` as by
//! real Flask-SQLAlchemy's; a relationship over them without
//! `foreign_keys` is refused as SQLAlchemy refuses it
//! (AmbiguousForeignKeysError).

use crate::common::python::{flask_url, ormsh_in, peer_python, run_python, write_flask_app};
use crate::common::{Kind, TestDb, kinds};

const MODELS: &str = r#"
class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True)


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    user_name = db.Column(db.String(40), db.ForeignKey("user.name"))
"#;

/// The foreign keys of `note`, one line each: its columns and what they refer to.
fn keys(db: &TestDb) -> Vec<Vec<String>> {
    let sql = match db.kind {
        Kind::Sqlite => {
            "SELECT CAST(id AS TEXT), \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('note') ORDER BY 2"
        }
        Kind::Postgres => {
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'note'::regclass AND contype = 'f' ORDER BY 1"
        }
        Kind::MySql => {
            "SELECT CAST(group_concat(column_name ORDER BY ordinal_position) AS CHAR), CAST(referenced_table_name AS CHAR) FROM information_schema.key_column_usage WHERE table_schema = DATABASE() AND table_name = 'note' AND referenced_table_name IS NOT NULL GROUP BY constraint_name ORDER BY 1"
        }
    };
    db.rows(sql)
}

#[test]
fn column_keys_to_one_table_are_keys_of_their_own() {
    let Some(python) = peer_python() else { return };
    for kind in kinds() {
        // Real Flask-SQLAlchemy's create_all.
        let theirs = TestDb::new(kind);
        let dir = tempfile::tempdir().unwrap();
        write_flask_app(dir.path(), &flask_url(&theirs), MODELS);
        run_python(
            &python,
            dir.path(),
            "from app import app, db\nwith app.app_context():\n    db.create_all()\n",
        );
        // ormsh's, from the same models.py.
        let ours = TestDb::new(kind);
        let mine = tempfile::tempdir().unwrap();
        write_flask_app(mine.path(), &flask_url(&ours), MODELS);
        let (ok, out) = ormsh_in(mine.path(), &["--no-echo", "-c", "db.create_all()"]);
        assert!(ok, "{kind:?}: {out}");
        let (mut a, mut b) = (keys(&theirs), keys(&ours));
        if kind == Kind::Sqlite {
            // SQLite numbers the keys in the order it was given them.
            for k in a.iter_mut().chain(b.iter_mut()) {
                k.remove(0);
            }
        }
        assert_eq!(b.len(), 2, "{kind:?}: {b:?}");
        assert_eq!(b, a, "{kind:?}");

        // A relationship over both, with nothing that says which key.
        let models = MODELS.replace(
            "db.ForeignKey(\"user.name\"))\n",
            "db.ForeignKey(\"user.name\"))\n    user = db.relationship(\"User\")\n",
        );
        write_flask_app(dir.path(), &flask_url(&theirs), &models);
        let flask = run_python(
            &python,
            dir.path(),
            "from app import app, db, Note\nwith app.app_context():\n    try:\n        Note.query.all()\n    except Exception as e:\n        print(type(e).__name__)\n",
        );
        assert_eq!(flask, "AmbiguousForeignKeysError\n", "{kind:?}");
        write_flask_app(mine.path(), &flask_url(&ours), &models);
        let (ok, out) = ormsh_in(mine.path(), &["--no-echo", "-c", "Note.query.all()"]);
        assert!(!ok, "{kind:?}: {out}");
        assert!(
            out.contains("Note.user: Note and User are linked by more than one foreign key"),
            "{kind:?}: {out}"
        );
    }
}
