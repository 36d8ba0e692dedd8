//! `ormsh db upgrade|downgrade|current|history|heads|stamp` against real
//! Flask-Migrate: a small Flask project is written in the test, its
//! migrations made by real `flask db init` / `flask db migrate` in the
//! Python peer, plus a hand-written revision; ormsh applies them to one
//! fresh database and `flask db upgrade` to another, and their schemas
//! (columns, types, nullability, defaults, indexes, keys) and
//! `alembic_version` are compared through a separate connection. Also:
//! downgrading to base, handing a database between the tools at a middle
//! revision both ways, the commands' output, a refused revision (nothing of
//! it applied, those before it applied), and SQLite's batch rebuild keeping
//! the rows.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::python::{peer_python, sqlalchemy_url};
use crate::common::{Kind, TestDb};

const APP: &str = r#"import os
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_migrate import Migrate

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite:///app.db")
db = SQLAlchemy(app)
migrate = Migrate(app, db)

from models import *  # noqa
"#;

const MODELS_V1: &str = r#"from app import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), index=True, unique=True, nullable=False)
    email = db.Column(db.String(120), unique=True)
    status = db.Column(db.String(20), server_default="draft", nullable=False)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(100), nullable=False, index=True)
    body = db.Column(db.Text)
    price = db.Column(db.Numeric(10, 2))
    created = db.Column(db.DateTime)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
"#;

const MODELS_V2: &str = r#"from app import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), index=True, unique=True, nullable=False)
    email = db.Column(db.String(120), unique=True)
    status = db.Column(db.String(20), server_default="draft", nullable=False)
    bio = db.Column(db.String(200))


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(100), nullable=True, index=True)
    body = db.Column(db.Text)
    price = db.Column(db.Numeric(10, 2))
    created = db.Column(db.DateTime)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False)


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), unique=True)
    kind = db.Column(db.Enum("plain", "special", name="tagkind"), nullable=False, server_default="plain")
"#;

/// The hand-written third revision: SQL, rows, an index, a column.
fn hand_revision(id: &str, down: &str) -> String {
    format!(
        r#""""seed tags and index posts

Revision ID: {id}
Revises: {down}
Create Date: 2026-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '{id}'
down_revision = '{down}'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("INSERT INTO tag (id, name) VALUES (1, 'first')")
    tag = sa.table('tag', sa.column('id', sa.Integer), sa.column('name', sa.String))
    op.bulk_insert(tag, [{{'id': 10, 'name': 'ten'}}, {{'id': 11, 'name': 'eleven'}}])
    op.create_index('ix_post_created', 'post', ['created'], unique=False)
    op.add_column('tag', sa.Column('color', sa.String(length=20), server_default='red', nullable=False))
    with op.batch_alter_table('tag', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_tag_color_name', ['color', 'name'])
        batch_op.create_check_constraint('ck_tag_color', "color <> ''")
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('bio', existing_type=sa.VARCHAR(length=200), type_=sa.String(length=300), existing_nullable=True)
        batch_op.alter_column('status', existing_type=sa.VARCHAR(length=20), server_default='active', existing_nullable=False)
        batch_op.alter_column('email', existing_type=sa.VARCHAR(length=120), new_column_name='email_address', existing_nullable=True)
    op.create_table('note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name='fk_note_post', ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.rename_table('note', 'memo')


def downgrade():
    op.drop_table('memo')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('email_address', existing_type=sa.VARCHAR(length=120), new_column_name='email', existing_nullable=True)
        batch_op.alter_column('status', existing_type=sa.VARCHAR(length=20), server_default='draft', existing_nullable=False)
        batch_op.alter_column('bio', existing_type=sa.String(length=300), type_=sa.VARCHAR(length=200), existing_nullable=True)
    with op.batch_alter_table('tag', schema=None) as batch_op:
        batch_op.drop_constraint('ck_tag_color', type_='check')
        batch_op.drop_constraint('uq_tag_color_name', type_='unique')
        batch_op.drop_column('color')
    op.drop_index('ix_post_created', table_name='post')
    op.execute(sa.text("DELETE FROM tag"))
"#
    )
}

/// A Flask project whose migrations folder holds three revisions (two made
/// by `flask db migrate` against `gen`, one written by hand); their ids.
struct Flask {
    dir: tempfile::TempDir,
    python: PathBuf,
    revs: Vec<String>,
}

impl Flask {
    fn new(kind: Kind) -> Option<Flask> {
        let python = peer_python()?;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.py"), APP).unwrap();
        std::fs::write(dir.path().join("models.py"), MODELS_V1).unwrap();
        let mut f = Flask {
            dir,
            python,
            revs: Vec::new(),
        };
        let gen_db = TestDb::new(kind);
        f.flask(&gen_db, &["init"]);
        f.flask(&gen_db, &["migrate", "-m", "create tables"]);
        f.flask(&gen_db, &["upgrade"]);
        f.revs.push(f.newest());
        std::fs::write(f.dir.path().join("models.py"), MODELS_V2).unwrap();
        f.flask(&gen_db, &["migrate", "-m", "add bio and tags"]);
        f.revs.push(f.newest());
        let third = "c0ffee000003".to_string();
        std::fs::write(
            f.versions().join(format!("{third}_seed_tags.py")),
            hand_revision(&third, &f.revs[1]),
        )
        .unwrap();
        f.revs.push(third);
        Some(f)
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn versions(&self) -> PathBuf {
        self.path().join("migrations").join("versions")
    }

    /// The revision file made last whose id is not already known.
    fn newest(&self) -> String {
        std::fs::read_dir(self.versions())
            .unwrap()
            .filter_map(|e| {
                let name = e.ok()?.file_name().to_string_lossy().into_owned();
                let id = name.strip_suffix(".py")?.split('_').next()?.to_string();
                (!self.revs.contains(&id)).then_some(id)
            })
            .next()
            .expect("a new revision file")
    }

    /// `flask db ARGS` on `db`, which must succeed; its stdout.
    fn flask(&self, db: &TestDb, args: &[&str]) -> String {
        let out = Command::new(&self.python)
            .args(["-m", "flask", "--app", "app", "db"])
            .args(args)
            .current_dir(self.path())
            .env("DATABASE_URL", sqlalchemy_url(&db.url))
            .env_remove("FLASK_APP")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "flask db {args:?} failed:\n{}\n{stdout}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    /// `ormsh db ARGS` on `db`: (exit code, stdout, stderr).
    fn ormsh(&self, db: &TestDb, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
            .arg("--database-url")
            .arg(&db.url)
            .arg("db")
            .args(args)
            .current_dir(self.path())
            .env_remove("DATABASE_URL")
            .env_remove("SQLALCHEMY_DATABASE_URI")
            .env_remove("ORMSH_APP")
            .env("NO_COLOR", "1")
            .env("HOME", self.path())
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    }

    fn ormsh_ok(&self, db: &TestDb, args: &[&str]) -> String {
        let (code, out, err) = self.ormsh(db, args);
        assert_eq!(code, 0, "ormsh db {args:?}:\n{out}\n{err}");
        out
    }
}

/// What a database's schema is, as rows of text read through a separate
/// connection: columns (type, nullability, default), indexes, keys.
pub(crate) fn schema(db: &TestDb) -> Vec<Vec<String>> {
    let queries: &[&str] = match db.kind {
        Kind::Sqlite => &[
            "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk FROM sqlite_master AS m, pragma_table_info(m.name) AS p WHERE m.type = 'table' ORDER BY m.name, p.cid",
            // A UNIQUE constraint's index is named by its place in CREATE TABLE.
            "SELECT m.name, CASE il.origin WHEN 'c' THEN il.name ELSE '' END AS n, il.\"unique\", il.origin, group_concat(ii.name) AS cols FROM sqlite_master AS m, pragma_index_list(m.name) AS il, pragma_index_info(il.name) AS ii WHERE m.type = 'table' GROUP BY m.name, il.name ORDER BY m.name, n, cols",
            "SELECT m.name, f.\"from\", f.\"table\", f.\"to\", f.on_delete FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' ORDER BY m.name, f.\"from\"",
            "SELECT name, instr(sql, 'CONSTRAINT ck_tag_color CHECK') > 0 OR instr(sql, 'CONSTRAINT \"ck_tag_color\" CHECK') > 0 FROM sqlite_master WHERE type = 'table' ORDER BY name",
        ],
        Kind::Postgres => &[
            "SELECT table_name::text, column_name::text, data_type::text, coalesce(character_maximum_length::text, ''), coalesce(numeric_precision::text, ''), coalesce(numeric_scale::text, ''), is_nullable::text, coalesce(column_default::text, '') FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
            "SELECT tablename::text, indexname::text, indexdef::text FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1, 2",
            "SELECT conrelid::regclass::text, conname::text, pg_get_constraintdef(oid)::text FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2",
            "SELECT t.typname::text, string_agg(e.enumlabel::text, ',' ORDER BY e.enumsortorder) FROM pg_type AS t JOIN pg_enum AS e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY 1",
        ],
        Kind::MySql => &[
            "SELECT CAST(table_name AS CHAR), CAST(column_name AS CHAR), CAST(column_type AS CHAR), CAST(is_nullable AS CHAR), CAST(coalesce(column_default, '') AS CHAR), CAST(extra AS CHAR) FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position",
            "SELECT CAST(table_name AS CHAR), CAST(index_name AS CHAR), CAST(non_unique AS CHAR), CAST(group_concat(column_name ORDER BY seq_in_index) AS CHAR) FROM information_schema.statistics WHERE table_schema = DATABASE() GROUP BY table_name, index_name, non_unique ORDER BY 1, 2",
            "SELECT CAST(table_name AS CHAR), CAST(constraint_name AS CHAR), CAST(check_clause AS CHAR) FROM information_schema.check_constraints WHERE constraint_schema = DATABASE() ORDER BY 1, 2",
            "SELECT CAST(k.table_name AS CHAR), CAST(k.constraint_name AS CHAR), CAST(k.column_name AS CHAR), CAST(k.referenced_table_name AS CHAR), CAST(k.referenced_column_name AS CHAR), CAST(r.delete_rule AS CHAR) FROM information_schema.key_column_usage AS k JOIN information_schema.referential_constraints AS r ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name WHERE k.table_schema = DATABASE() ORDER BY 1, 2, 3",
        ],
    };
    queries.iter().flat_map(|q| db.rows(q)).collect()
}

fn versions(db: &TestDb) -> Vec<String> {
    let mut v: Vec<String> = db
        .rows("SELECT version_num FROM alembic_version")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    v.sort();
    v
}

fn assert_same(ormsh: &TestDb, flask: &TestDb, when: &str) {
    let (a, b) = (schema(ormsh), schema(flask));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "{when}: the first difference (ormsh, then flask)");
    }
    assert_eq!(a.len(), b.len(), "{when}: ormsh\n{a:#?}\nflask\n{b:#?}");
    assert_eq!(versions(ormsh), versions(flask), "{when}: alembic_version");
}

/// ormsh's upgrade to head gives flask's schema, with the hand-written
/// revision's rows; downgrading to base empties both the same way.
fn upgrade_and_downgrade_match_flask(kind: Kind) {
    let Some(f) = Flask::new(kind) else { return };
    let (mine, theirs) = (TestDb::new(kind), TestDb::new(kind));
    let out = f.ormsh(&mine, &["upgrade"]);
    assert_eq!(out.0, 0, "{out:?}");
    assert!(
        out.2
            .contains(&format!("Running upgrade  -> {}, create tables", f.revs[0])),
        "{}",
        out.2
    );
    if kind == Kind::MySql {
        assert!(
            out.2.contains("commit each DDL statement by itself"),
            "{}",
            out.2
        );
    }
    f.flask(&theirs, &["upgrade"]);
    assert_same(&mine, &theirs, "at head");
    assert_eq!(versions(&mine), vec![f.revs[2].clone()]);
    assert_eq!(
        mine.rows("SELECT id, name, color FROM tag ORDER BY id"),
        theirs.rows("SELECT id, name, color FROM tag ORDER BY id")
    );
    assert_eq!(mine.scalar("SELECT count(*) FROM tag"), "3");
    assert_eq!(
        f.ormsh_ok(&mine, &["current"]),
        format!("{} (head)\n", f.revs[2])
    );

    f.ormsh_ok(&mine, &["downgrade", "base"]);
    f.flask(&theirs, &["downgrade", "base"]);
    assert_same(&mine, &theirs, "at base");
    assert!(versions(&mine).is_empty());
    assert_eq!(f.ormsh_ok(&mine, &["current"]), "");
}
on_every_database!(upgrade_and_downgrade_match_flask);

/// A database handed from one tool to the other at a middle revision, both
/// ways, ends as the other tool alone would leave it.
fn switching_tools_at_any_revision(kind: Kind) {
    let Some(f) = Flask::new(kind) else { return };
    let reference = TestDb::new(kind);
    f.flask(&reference, &["upgrade"]);

    // ormsh to revision 2 (`+2` from base), flask on to head.
    let a = TestDb::new(kind);
    f.ormsh_ok(&a, &["upgrade", "+2"]);
    assert_eq!(versions(&a), vec![f.revs[1].clone()]);
    assert_eq!(f.flask(&a, &["current"]).trim(), format!("{}", f.revs[1]));
    f.flask(&a, &["upgrade"]);
    assert_same(&a, &reference, "ormsh to 2, flask to head");

    // flask to revision 1, ormsh on to head (by partial id and then head).
    let b = TestDb::new(kind);
    f.flask(&b, &["upgrade", &f.revs[0]]);
    f.ormsh_ok(&b, &["upgrade", &f.revs[1][..6]]);
    assert_eq!(versions(&b), vec![f.revs[1].clone()]);
    f.ormsh_ok(&b, &["upgrade", "head"]);
    assert_same(&b, &reference, "flask to 1, ormsh to head");

    // Down one step each, then flask down to base from where ormsh left it.
    f.ormsh_ok(&b, &["downgrade", "-1"]);
    f.flask(&reference, &["downgrade", &f.revs[1]]);
    assert_same(&b, &reference, "each down one");
    f.flask(&b, &["downgrade", "base"]);
    f.flask(&reference, &["downgrade", "base"]);
    assert_same(&b, &reference, "flask to base after ormsh");
}
on_every_database!(switching_tools_at_any_revision);

#[test]
fn current_heads_history_and_show_print_as_alembic_does() {
    let Some(f) = Flask::new(Kind::Sqlite) else {
        return;
    };
    let db = TestDb::new(Kind::Sqlite);
    let [r1, r2, r3] = [&f.revs[0], &f.revs[1], &f.revs[2]];
    assert_eq!(f.ormsh_ok(&db, &["heads"]), format!("{r3} (head)\n"));
    assert_eq!(f.ormsh_ok(&db, &["heads"]), f.flask(&db, &["heads"]));
    let history = f.ormsh_ok(&db, &["history"]);
    assert_eq!(
        history,
        format!(
            "{r2} -> {r3} (head), seed tags and index posts\n{r1} -> {r2}, add bio and tags\n<base> -> {r1}, create tables\n"
        )
    );
    assert_eq!(history, f.flask(&db, &["history"]));
    // `-d DIR` names the folder, as Flask-Migrate's does.
    std::fs::rename(f.path().join("migrations"), f.path().join("alembic")).unwrap();
    assert!(
        f.ormsh(&db, &["history"])
            .2
            .contains("no migrations folder")
    );
    assert_eq!(f.ormsh_ok(&db, &["history", "-d", "alembic"]), history);
    std::fs::rename(f.path().join("alembic"), f.path().join("migrations")).unwrap();
    assert_eq!(f.ormsh_ok(&db, &["current"]), "");
    f.ormsh_ok(&db, &["upgrade", "+1"]);
    assert_eq!(f.ormsh_ok(&db, &["current"]), format!("{r1}\n"));
    assert_eq!(f.ormsh_ok(&db, &["current"]), f.flask(&db, &["current"]));
    assert_eq!(f.ormsh_ok(&db, &["show", r2]), f.flask(&db, &["show", r2]));
    assert_eq!(f.ormsh_ok(&db, &["branches"]), "");
    // `--sql` prints and runs nothing.
    let sql = f.ormsh_ok(&db, &["upgrade", "--sql", r1]);
    assert!(
        sql.starts_with("BEGIN;\n\nCREATE TABLE alembic_version"),
        "{sql}"
    );
    assert!(
        sql.contains("CREATE UNIQUE INDEX ix_user_username ON user (username);"),
        "{sql}"
    );
    assert!(
        sql.contains(&format!(
            "INSERT INTO alembic_version (version_num) VALUES ('{r1}');"
        )),
        "{sql}"
    );
    // A batch block that rebuilds a SQLite table needs the live table: refused.
    let (code, _, err) = f.ormsh(&db, &["upgrade", "--sql", &format!("{r1}:{r3}")]);
    assert_eq!(code, 1);
    assert!(
        err.contains("batch_alter_table('post') rebuilds the table on SQLite"),
        "{err}"
    );
    assert_eq!(versions(&db), vec![r1.clone()]);
    // stamp moves the row and runs nothing.
    f.ormsh_ok(&db, &["stamp", r3]);
    assert_eq!(versions(&db), vec![r3.clone()]);
    assert!(!db.has_table("tag"));
    // An unknown target is named.
    let (code, _, err) = f.ormsh(&db, &["upgrade", "ffff"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("Can't locate revision identified by 'ffff'"),
        "{err}"
    );
}

/// A revision that runs Python is refused at its line; the revisions before
/// it are applied, nothing of it is.
fn refused_revision_stops_before_it(kind: Kind) {
    let Some(f) = Flask::new(kind) else { return };
    let fourth = "d00d00000004";
    std::fs::write(
        f.versions().join(format!("{fourth}_loop.py")),
        format!(
            "\"\"\"a loop\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = '{fourth}'\ndown_revision = '{}'\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    op.add_column('tag', sa.Column('x', sa.Integer()))\n    for name in ['a', 'b']:\n        op.add_column('tag', sa.Column(name, sa.Integer()))\n\n\ndef downgrade():\n    pass\n",
            f.revs[2]
        ),
    )
    .unwrap();
    let db = TestDb::new(kind);
    let (code, _, err) = f.ormsh(&db, &["upgrade"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "migrations/versions/{fourth}_loop.py:13: a for statement"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "applied: {}, {}, {}",
            f.revs[0], f.revs[1], f.revs[2]
        )),
        "{err}"
    );
    assert_eq!(versions(&db), vec![f.revs[2].clone()]);
    let cols: Vec<String> = schema(&db).iter().flatten().cloned().collect();
    assert!(
        !cols.contains(&"x".to_string()),
        "nothing of the refused revision ran"
    );

    // An import of the app is refused before anything runs.
    let fresh = TestDb::new(kind);
    std::fs::write(
        f.versions().join(format!("{fourth}_loop.py")),
        format!(
            "\"\"\"imports the app\"\"\"\nfrom alembic import op\nfrom app import db\n\nrevision = '{fourth}'\ndown_revision = '{}'\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n",
            f.revs[2]
        ),
    )
    .unwrap();
    let (code, _, err) = f.ormsh(&fresh, &["upgrade", "+3"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = f.ormsh(&fresh, &["upgrade"]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("{fourth}_loop.py:3: `from app import ..`")),
        "{err}"
    );
    assert!(err.contains("nothing was applied"), "{err}");
}
on_every_database!(refused_revision_stops_before_it);

/// SQLite's batch mode rebuilds the table and keeps its rows: a column made
/// nullable (the autogenerated revision 2) and a column dropped by hand.
#[test]
fn sqlite_batch_alter_table_keeps_the_rows() {
    let Some(f) = Flask::new(Kind::Sqlite) else {
        return;
    };
    let db = TestDb::new(Kind::Sqlite);
    f.ormsh_ok(&db, &["upgrade", &f.revs[0]]);
    db.rows("INSERT INTO user (id, username, email) VALUES (1, 'ann', 'a@x')");
    db.rows("INSERT INTO post (id, title, body, user_id) VALUES (1, 'hello', 'b1', 1), (2, 'again', 'b2', 1)");
    let (code, _, err) = f.ormsh(&db, &["upgrade", &f.revs[1]]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        db.rows("SELECT id, title, body, user_id FROM post ORDER BY id"),
        vec![vec!["1", "hello", "b1", "1"], vec!["2", "again", "b2", "1"]]
    );
    assert_eq!(
        db.scalar("SELECT \"notnull\" FROM pragma_table_info('post') WHERE name = 'title'"),
        "0"
    );
    // The rebuilt table kept its index and its key's ON DELETE.
    assert_eq!(
        db.scalar("SELECT count(*) FROM pragma_index_list('post') WHERE name = 'ix_post_title'"),
        "1"
    );
    assert_eq!(
        db.scalar("SELECT on_delete FROM pragma_foreign_key_list('post')"),
        "CASCADE"
    );
    std::fs::write(
        f.versions().join("e0000000005_drop_body.py"),
        format!(
            "\"\"\"drop body\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = 'e0000000005'\ndown_revision = '{}'\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    with op.batch_alter_table('post', schema=None) as batch_op:\n        batch_op.drop_column('body')\n        batch_op.alter_column('title', existing_type=sa.VARCHAR(length=100), nullable=False, new_column_name='headline')\n\n\ndef downgrade():\n    with op.batch_alter_table('post', schema=None) as batch_op:\n        batch_op.alter_column('headline', new_column_name='title', nullable=True)\n        batch_op.add_column(sa.Column('body', sa.TEXT(), nullable=True))\n",
            f.revs[2]
        ),
    )
    .unwrap();
    f.ormsh_ok(&db, &["upgrade"]);
    assert_eq!(
        db.rows("SELECT id, headline, user_id FROM post ORDER BY id"),
        vec![vec!["1", "hello", "1"], vec!["2", "again", "1"]]
    );
    assert_eq!(
        db.scalar("SELECT \"notnull\" FROM pragma_table_info('post') WHERE name = 'headline'"),
        "1"
    );
    // Real Alembic takes the database back down through ormsh's rebuild.
    f.flask(&db, &["downgrade", &f.revs[1]]);
    assert_eq!(
        db.rows("SELECT id, title, user_id FROM post ORDER BY id"),
        vec![vec!["1", "hello", "1"], vec!["2", "again", "1"]]
    );
}
