//! `ormsh db migrate` drops what the models no longer declare (indexes,
//! unique constraints, foreign keys, named checks) and adds new ones to an
//! existing table: the revision, applied by real `flask db upgrade` and by
//! `ormsh db upgrade`, gives the schema real `db.create_all()` makes for
//! the new models; real `flask db downgrade` gives back the old one; `db
//! check` and real `flask db check` agree that nothing is left.

use std::process::Command;

use crate::common::python::sqlalchemy_url;
use crate::common::{Kind, TestDb};
use crate::migrations_autogenerate::Project;

const BOOKS_V1: &str = r#"from app import db


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


class Book(db.Model):
    __table_args__ = (
        db.UniqueConstraint("isbn", "edition", name="uq_book_isbn_edition"),
        db.CheckConstraint("pages > 0", name="ck_book_pages"),
        db.Index("ix_book_title_year", "title", "year"),
    )
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(100), index=True)
    isbn = db.Column(db.String(20), unique=True)
    edition = db.Column(db.Integer)
    year = db.Column(db.Integer)
    pages = db.Column(db.Integer)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id"))
    editor_id = db.Column(db.Integer)
    reviewer_id = db.Column(db.Integer, db.ForeignKey("author.id"))
"#;

/// Every index, unique constraint, foreign key and check of V1 gone, and
/// a column with its foreign key; a new index, unique constraint and
/// foreign key on the existing table.
const BOOKS_V2: &str = r#"from app import db


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


class Book(db.Model):
    __table_args__ = (
        db.UniqueConstraint("title", "year", name="uq_book_title_year"),
    )
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(100))
    isbn = db.Column(db.String(20))
    edition = db.Column(db.Integer)
    year = db.Column(db.Integer, index=True)
    pages = db.Column(db.Integer)
    author_id = db.Column(db.Integer)
    editor_id = db.Column(db.Integer, db.ForeignKey("author.id"))
"#;

/// The schema without the names a database makes up (unnamed constraints
/// and MariaDB's foreign-key indexes are named differently by each path).
fn shape(db: &TestDb) -> Vec<Vec<String>> {
    let queries: &[&str] = match db.kind {
        Kind::Sqlite => &[
            "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk FROM sqlite_master AS m, pragma_table_info(m.name) AS p WHERE m.type = 'table' AND m.name <> 'alembic_version' ORDER BY m.name, p.cid",
            "SELECT m.name, CASE il.origin WHEN 'c' THEN il.name ELSE '' END AS n, il.\"unique\", group_concat(ii.name) AS cols FROM sqlite_master AS m, pragma_index_list(m.name) AS il, pragma_index_info(il.name) AS ii WHERE m.type = 'table' AND m.name <> 'alembic_version' GROUP BY m.name, il.name ORDER BY m.name, n, cols",
            "SELECT m.name, f.\"from\", f.\"table\", f.\"to\" FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' ORDER BY m.name, f.\"from\"",
            "SELECT name, (length(sql) - length(replace(sql, 'CHECK', ''))) / 5 FROM sqlite_master WHERE type = 'table' AND name <> 'alembic_version' ORDER BY name",
        ],
        Kind::Postgres => &[
            "SELECT table_name::text, column_name::text, data_type::text, coalesce(character_maximum_length::text, ''), is_nullable::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> 'alembic_version' ORDER BY table_name, ordinal_position",
            "SELECT c.relname::text, CASE WHEN con.oid IS NULL THEN ic.relname::text ELSE '' END, i.indisunique::text, pg_get_indexdef(i.indexrelid, 1, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid WHERE n.nspname = current_schema() AND c.relname <> 'alembic_version' AND NOT i.indisprimary ORDER BY 1, 2, 4",
            "SELECT conrelid::regclass::text, contype::text, pg_get_constraintdef(oid)::text FROM pg_constraint WHERE connamespace = current_schema()::regnamespace AND contype <> 'p' ORDER BY 1, 2, 3",
        ],
        Kind::MySql => &[
            "SELECT CAST(table_name AS CHAR), CAST(column_name AS CHAR), CAST(column_type AS CHAR), CAST(is_nullable AS CHAR) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name <> 'alembic_version' ORDER BY table_name, ordinal_position",
            "SELECT CAST(table_name AS CHAR), CAST(IF(index_name LIKE 'ix\\_%' OR index_name LIKE 'uq\\_%', index_name, '') AS CHAR) AS n, CAST(non_unique AS CHAR), CAST(group_concat(column_name ORDER BY seq_in_index) AS CHAR) AS cols FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY' AND table_name <> 'alembic_version' GROUP BY table_name, index_name, non_unique ORDER BY 1, 2, 4",
            "SELECT CAST(table_name AS CHAR), CAST(check_clause AS CHAR) FROM information_schema.check_constraints WHERE constraint_schema = DATABASE() ORDER BY 1, 2",
            "SELECT CAST(k.table_name AS CHAR), CAST(k.column_name AS CHAR), CAST(k.referenced_table_name AS CHAR), CAST(k.referenced_column_name AS CHAR) FROM information_schema.key_column_usage AS k WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL ORDER BY 1, 2",
        ],
    };
    queries.iter().flat_map(|q| db.rows(q)).collect()
}

/// Real `db.create_all()` of the project's models on `db`.
fn create_all(p: &Project, python: &std::path::Path, db: &TestDb) {
    let out = Command::new(python)
        .args([
            "-c",
            "from app import app, db\nwith app.app_context():\n    db.create_all()\n",
        ])
        .current_dir(p.path())
        .env("DATABASE_URL", sqlalchemy_url(&db.url))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "create_all: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn drops_and_adds_constraints(kind: Kind) {
    let Some(p) = Project::new(BOOKS_V1) else {
        return;
    };
    let python = crate::common::python::peer_python().unwrap();
    let db = TestDb::new(kind);
    // V1 as real Flask-Migrate writes and applies it (unnamed keys and
    // uniques named by each database).
    p.flask(&db, &["init"]);
    p.flask(&db, &["migrate", "-m", "v1"]);
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, "at V1");
    let at_v1 = shape(&db);

    p.models(BOOKS_V2);
    let (code, _, _) = p.ormsh(&db, &["check"]);
    assert_eq!(code, 1, "db check sees the drops");
    let text = p.migrate(&db, &["-m", "v2"]);
    let mut expected = vec![
        "batch_op.drop_index(batch_op.f('ix_book_title'))",
        "batch_op.drop_index(batch_op.f('ix_book_title_year'))",
        "batch_op.drop_constraint(batch_op.f('ck_book_pages'), type_='check')",
        "batch_op.create_index(batch_op.f('ix_book_year'), ['year'], unique=False)",
        "batch_op.create_unique_constraint(batch_op.f('uq_book_title_year'), ['title', 'year'])",
        "batch_op.create_foreign_key(batch_op.f('fk_book_editor_id'), 'author', ['editor_id'], ['id'])",
        "batch_op.drop_column('reviewer_id')",
    ];
    match kind {
        Kind::Sqlite => expected.extend([
            "with op.batch_alter_table('book', schema=None, naming_convention={'fk': 'fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s', 'uq': 'uq_%(table_name)s_%(column_0_N_name)s'}) as batch_op:",
            "batch_op.drop_constraint(batch_op.f('uq_book_isbn_edition'), type_='unique')",
            "batch_op.drop_constraint(batch_op.f('uq_book_isbn'), type_='unique')",
            "batch_op.drop_constraint(batch_op.f('fk_book_author_id_author'), type_='foreignkey')",
            // The dropped column's key, by the convention's name, so
            // that the downgrade makes it again.
            "batch_op.drop_constraint(batch_op.f('fk_book_reviewer_id_author'), type_='foreignkey')",
        ]),
        Kind::Postgres => expected.extend([
            "batch_op.drop_constraint(batch_op.f('uq_book_isbn_edition'), type_='unique')",
            "batch_op.drop_constraint(batch_op.f('book_isbn_key'), type_='unique')",
            "batch_op.drop_constraint(batch_op.f('book_author_id_fkey'), type_='foreignkey')",
            "batch_op.drop_constraint(batch_op.f('book_reviewer_id_fkey'), type_='foreignkey')",
        ]),
        Kind::MySql => expected.extend([
            "batch_op.drop_index(batch_op.f('uq_book_isbn_edition'))",
            "batch_op.drop_index(batch_op.f('isbn'))",
            "batch_op.drop_constraint(batch_op.f('book_ibfk_1'), type_='foreignkey')",
            "batch_op.drop_constraint(batch_op.f('book_ibfk_2'), type_='foreignkey')",
        ]),
    }
    for e in expected {
        assert!(text.contains(e), "{e}\nnot in\n{text}");
    }

    // The models' schema, as real create_all makes it.
    let fresh = TestDb::new(kind);
    create_all(&p, &python, &fresh);
    let want = shape(&fresh);

    both_ways(&p, &db, &want, &at_v1);
}

/// The new revision applied and reverted by real Flask-Migrate, then by
/// ormsh: upgraded, the schema is `want` (real create_all's) and neither
/// tool finds drift; downgraded, it is `before` again.
fn both_ways(p: &Project, db: &TestDb, want: &[Vec<String>], before: &[Vec<String>]) {
    let kind = db.kind;
    p.flask(db, &["upgrade"]);
    p.no_drift(db, &format!("{kind:?} after flask's upgrade"));
    assert_eq!(
        shape(db),
        want,
        "{kind:?}: flask upgrade gives create_all's schema"
    );
    p.flask(db, &["downgrade"]);
    assert_eq!(
        shape(db),
        before,
        "{kind:?}: flask downgrade gives the old schema back"
    );
    p.ormsh_ok(db, &["upgrade"]);
    p.no_drift(db, &format!("{kind:?} after ormsh's upgrade"));
    assert_eq!(
        shape(db),
        want,
        "{kind:?}: ormsh upgrade gives create_all's schema"
    );
    p.ormsh_ok(db, &["downgrade"]);
    assert_eq!(
        shape(db),
        before,
        "{kind:?}: ormsh downgrade gives the old schema back"
    );
}
on_every_database!(drops_and_adds_constraints);

const SHELF_V1: &str = r#"from app import db


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Shelf(db.Model):
    __table_args__ = (
        db.Index("ix_shelf_label_room", "label", "room"),
        db.ForeignKeyConstraint(["owner_id"], ["author.id"], ondelete="CASCADE", name="fk_shelf_owner"),
    )
    id = db.Column(db.Integer, primary_key=True)
    label = db.Column(db.String(20))
    room = db.Column(db.Integer)
    owner_id = db.Column(db.Integer)
"#;

/// An index of the same name over other columns and made unique, and a
/// foreign key with another ON DELETE: each dropped and made again, as
/// Alembic writes an index that changed.
const SHELF_V2: &str = r#"from app import db


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Shelf(db.Model):
    __table_args__ = (
        db.Index("ix_shelf_label_room", "label", "room", "owner_id", unique=True),
        db.ForeignKeyConstraint(["owner_id"], ["author.id"], ondelete="SET NULL", name="fk_shelf_owner"),
    )
    id = db.Column(db.Integer, primary_key=True)
    label = db.Column(db.String(20))
    room = db.Column(db.Integer)
    owner_id = db.Column(db.Integer)
"#;

fn changed_index_and_key_actions(kind: Kind) {
    let Some(p) = Project::new(SHELF_V1) else {
        return;
    };
    let python = crate::common::python::peer_python().unwrap();
    let db = TestDb::new(kind);
    p.flask(&db, &["init"]);
    p.flask(&db, &["migrate", "-m", "v1"]);
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, "at V1");
    let at_v1 = shape(&db);

    p.models(SHELF_V2);
    let (code, out, _) = p.ormsh(&db, &["check"]);
    assert_eq!(code, 1, "{kind:?}: {out}");
    let (code, out, _) = p.ormsh(&db, &["diff", "--sql"]);
    assert_eq!(code, 1, "{kind:?}: {out}");
    assert!(
        out.contains("DROP INDEX ix_shelf_label_room")
            && out.contains("UNIQUE INDEX")
            && out.contains("ix_shelf_label_room ON shelf (label, room, owner_id);")
            && !out.contains("CONSTRAINT fk_shelf_owner CONSTRAINT"),
        "{kind:?}: {out}"
    );
    let text = p.migrate(&db, &["-m", "v2"]);
    for e in [
        "batch_op.drop_index(batch_op.f('ix_shelf_label_room'))",
        "batch_op.create_index(batch_op.f('ix_shelf_label_room'), ['label', 'room', 'owner_id'], unique=True)",
        "batch_op.drop_constraint(batch_op.f('fk_shelf_owner'), type_='foreignkey')",
        "batch_op.create_foreign_key(batch_op.f('fk_shelf_owner'), 'author', ['owner_id'], ['id'], ondelete='SET NULL')",
    ] {
        assert!(text.contains(e), "{kind:?}: {e}\nnot in\n{text}");
    }
    let fresh = TestDb::new(kind);
    create_all(&p, &python, &fresh);
    let want = shape(&fresh);
    both_ways(&p, &db, &want, &at_v1);
}
on_every_database!(changed_index_and_key_actions);
