//! `ormsh db init|revision|merge|edit|migrate|check` against real
//! Flask-Migrate: a Flask project written in the test, its migrations
//! folder made by `ormsh db init`, revisions written by `ormsh db migrate`
//! applied and reverted by real `flask db upgrade` / `flask db downgrade`,
//! after which `ormsh db diff` finds no drift; revision and merge files
//! read by real `flask db heads/history/upgrade`; and the checks Alembic
//! does not make: a rename instead of drop + add, the rows a drop loses
//! named, a NOT NULL column added to a table with rows.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::python::{peer_python, sqlalchemy_url};
use crate::common::{Kind, TestDb};
use crate::migrations::schema;

pub(crate) const APP: &str = r#"import os
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
    nickname = db.Column(db.String(40))


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(100), nullable=False, index=True)
    body = db.Column(db.Text)
    price = db.Column(db.Numeric(10, 2))
    created = db.Column(db.DateTime)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False)


class Scratch(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    note = db.Column(db.String(30))
"#;

/// Every kind of change the drift engine finds, against V1.
const MODELS_V2: &str = r#"from app import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), index=True, unique=True, nullable=False)
    email = db.Column(db.String(120), unique=True, nullable=False)
    status = db.Column(db.String(20), server_default="active", nullable=True)
    bio = db.Column(db.Text)
    level = db.Column(db.Integer, nullable=False, server_default="1")
    boss_id = db.Column(db.Integer, db.ForeignKey("user.id"))


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(100), nullable=False, index=True)
    body = db.Column(db.Text)
    price = db.Column(db.Numeric(12, 3))
    created = db.Column(db.DateTime, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False)


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), unique=True)
    kind = db.Column(db.Enum("plain", "special", name="tagkind"), nullable=False, server_default="plain")
    post_id = db.Column(db.Integer, db.ForeignKey("post.id"))
"#;

/// A Flask project with no migrations folder yet.
pub(crate) struct Project {
    dir: tempfile::TempDir,
    python: PathBuf,
}

impl Project {
    pub(crate) fn new(models: &str) -> Option<Project> {
        let python = peer_python()?;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.py"), APP).unwrap();
        std::fs::write(dir.path().join("models.py"), models).unwrap();
        Some(Project { dir, python })
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn models(&self, text: &str) {
        std::fs::write(self.path().join("models.py"), text).unwrap();
    }

    pub(crate) fn versions(&self) -> PathBuf {
        self.path().join("migrations").join("versions")
    }

    /// The revision files' names, sorted.
    pub(crate) fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.versions())
            .unwrap()
            .filter_map(|e| {
                let n = e.ok()?.file_name().to_string_lossy().into_owned();
                n.ends_with(".py").then_some(n)
            })
            .collect();
        v.sort();
        v
    }

    /// `flask db ARGS` on `db`: (success, stdout, stderr).
    pub(crate) fn flask_run(&self, db: &TestDb, args: &[&str]) -> (bool, String, String) {
        let out = Command::new(&self.python)
            .args(["-m", "flask", "--app", "app", "db"])
            .args(args)
            .current_dir(self.path())
            .env("DATABASE_URL", sqlalchemy_url(&db.url))
            .env_remove("FLASK_APP")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    }

    pub(crate) fn flask(&self, db: &TestDb, args: &[&str]) -> String {
        let (ok, out, err) = self.flask_run(db, args);
        assert!(ok, "flask db {args:?} failed:\n{err}\n{out}");
        out
    }

    /// `ormsh db ARGS` on `db`: (exit code, stdout, stderr).
    pub(crate) fn ormsh_env(
        &self,
        db: &TestDb,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> (i32, String, String) {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("ormsh"));
        cmd.arg("--database-url")
            .arg(&db.url)
            .arg("db")
            .args(args)
            .current_dir(self.path())
            .env_remove("DATABASE_URL")
            .env_remove("SQLALCHEMY_DATABASE_URI")
            .env_remove("ORMSH_APP")
            .env("NO_COLOR", "1")
            .env("HOME", self.path())
            .stdin(std::process::Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    }

    pub(crate) fn ormsh(&self, db: &TestDb, args: &[&str]) -> (i32, String, String) {
        self.ormsh_env(db, args, &[])
    }

    pub(crate) fn ormsh_ok(&self, db: &TestDb, args: &[&str]) -> String {
        let (code, out, err) = self.ormsh(db, args);
        assert_eq!(code, 0, "ormsh db {args:?}:\n{out}\n{err}");
        out
    }

    /// `ormsh db migrate ARGS`, which must write one new file: its text.
    pub(crate) fn migrate(&self, db: &TestDb, args: &[&str]) -> String {
        let before = self.files();
        let mut all = vec!["migrate"];
        all.extend_from_slice(args);
        self.ormsh_ok(db, &all);
        let after = self.files();
        let new: Vec<&String> = after.iter().filter(|f| !before.contains(f)).collect();
        assert_eq!(new.len(), 1, "one new revision file: {after:?}");
        std::fs::read_to_string(self.versions().join(new[0])).unwrap()
    }

    pub(crate) fn no_drift(&self, db: &TestDb, when: &str) {
        let (code, out, err) = self.ormsh(db, &["diff"]);
        assert_eq!(code, 0, "{when}: drift left:\n{out}\n{err}");
        let (code, out, err) = self.ormsh(db, &["check"]);
        assert_eq!(code, 0, "{when}: db check:\n{out}\n{err}");
        assert_eq!(out, "No new upgrade operations detected.\n");
        // Real Alembic's own comparison agrees.
        let (ok, out, err) = self.flask_run(db, &["check"]);
        assert!(ok, "{when}: flask db check:\n{out}\n{err}");
    }
}

/// `db migrate` writes revisions that real Flask-Migrate applies (the
/// schema then has no drift from the models) and reverts (the schema is as
/// before); nothing is written when nothing changed; `db check` agrees.
fn migrate_writes_what_flask_applies(kind: Kind) {
    let Some(p) = Project::new(MODELS_V1) else {
        return;
    };
    let db = TestDb::new(kind);
    let init = p.ormsh_ok(&db, &["init"]);
    assert!(init.contains("Generating"), "{init}");
    for f in ["alembic.ini", "env.py", "script.py.mako", "README"] {
        assert!(p.path().join("migrations").join(f).is_file(), "{f}");
    }
    // An empty database: the models need every table.
    let (code, out, _) = p.ormsh(&db, &["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("New upgrade operations detected:"), "{out}");
    let first = p.migrate(&db, &["-m", "create tables"]);
    assert!(
        first.contains("    # ### commands auto generated by Alembic - please adjust! ###\n    op.create_table('user',\n    sa.Column('id', sa.Integer(), nullable=False),\n    sa.Column('username', sa.String(length=64), nullable=False),"),
        "{first}"
    );
    assert!(
        first.contains("    with op.batch_alter_table('user', schema=None) as batch_op:\n        batch_op.create_index(batch_op.f('ix_user_username'), ['username'], unique=True)\n"),
        "{first}"
    );
    assert!(
        first.contains("sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),"),
        "{first}"
    );
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, "after the first revision");
    // Nothing changed: no file.
    let before = p.files();
    let (code, _, err) = p.ormsh(&db, &["migrate", "-m", "nothing"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("No changes in schema detected."), "{err}");
    assert_eq!(p.files(), before);

    let user = db.quote("user");
    db.rows(&format!("INSERT INTO {user} (id, username, email, status) VALUES (1, 'ann', 'a@x', 'draft'), (2, 'bob', 'b@x', 'draft')"));
    db.rows("INSERT INTO post (id, title, price, user_id) VALUES (1, 'hello', 1.50, 1)");
    let at_v1 = schema(&db);

    p.models(MODELS_V2);
    let (code, _, _) = p.ormsh(&db, &["check"]);
    assert_eq!(code, 1);
    let (code, _, err) = p.ormsh(&db, &["migrate", "-m", "second"]);
    // `nickname` and `scratch` are dropped with their values named; the
    // nickname column has none.
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains("user.nickname is dropped"),
        "an empty column loses nothing: {err}"
    );
    let second_file = p
        .files()
        .into_iter()
        .find(|f| f.ends_with("_second.py"))
        .unwrap();
    let second = std::fs::read_to_string(p.versions().join(&second_file)).unwrap();
    for expected in [
        "batch_op.add_column(sa.Column('level', sa.Integer(), server_default='1', nullable=False))",
        "batch_op.alter_column('username',\n               existing_type=sa.VARCHAR(length=64),\n               type_=sa.String(length=80),\n               existing_nullable=False)",
        "batch_op.alter_column('email',\n               existing_type=sa.VARCHAR(length=120),\n               nullable=False)",
        "batch_op.create_foreign_key(batch_op.f('fk_user_boss_id'), 'user', ['boss_id'], ['id'])",
        "batch_op.drop_column('nickname')",
        "batch_op.create_index(batch_op.f('ix_post_created'), ['created'], unique=False)",
        "op.drop_table('scratch')",
        "op.create_table('tag',",
        "sa.Column('kind', sa.Enum('plain', 'special', name='tagkind'), server_default='plain', nullable=False),",
    ] {
        assert!(second.contains(expected), "{expected}\nnot in\n{second}");
    }
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, "after the second revision");
    assert_eq!(
        db.rows(&format!(
            "SELECT id, username, level FROM {user} ORDER BY id"
        )),
        vec![vec!["1", "ann", "1"], vec!["2", "bob", "1"]]
    );
    // Real Alembic reverts it: the schema is V1's again, rows kept.
    p.flask(&db, &["downgrade"]);
    // PostgreSQL's enum type goes with its table (Alembic's autogenerate
    // leaves it, and the next upgrade fails on it).
    assert_eq!(schema(&db), at_v1, "downgraded to V1");
    if kind == Kind::Postgres {
        assert!(
            second.contains("    op.drop_table('tag')\n    op.execute('DROP TYPE tagkind')\n"),
            "{second}"
        );
    }
    assert_eq!(db.scalar("SELECT count(*) FROM post"), "1");
    // And ormsh applies the same file to the same end.
    p.ormsh_ok(&db, &["upgrade"]);
    p.no_drift(&db, "after ormsh's upgrade");
}
on_every_database!(migrate_writes_what_flask_applies);

/// `db revision` and `db merge` write files real Flask-Migrate reads as
/// its own; `upgrade` refuses two heads and offers the merge; `history
/// -r` and `stamp --sql` print as Flask-Migrate's do.
#[test]
fn revision_and_merge_files_are_alembics() {
    let Some(p) = Project::new(MODELS_V1) else {
        return;
    };
    let db = TestDb::new(Kind::Sqlite);
    p.flask(&db, &["init"]);
    let out = p.ormsh_ok(
        &db,
        &[
            "revision",
            "-m",
            "Hello, world! A first revision",
            "--rev-id",
            "aaaa00000001",
        ],
    );
    assert!(out.starts_with("Generating "), "{out}");
    assert!(
        out.trim_end().ends_with(
            "migrations/versions/aaaa00000001_hello_world_a_first_revision.py ...  done"
        ),
        "{out}"
    );
    // The same command of Flask-Migrate writes the same text but for ids and dates.
    p.flask(
        &db,
        &[
            "revision",
            "-m",
            "Hello, world! A first revision",
            "--rev-id",
            "bbbb00000002",
        ],
    );
    let mine = std::fs::read_to_string(
        p.versions()
            .join("aaaa00000001_hello_world_a_first_revision.py"),
    )
    .unwrap();
    let theirs = std::fs::read_to_string(
        p.versions()
            .join("bbbb00000002_hello_world_a_first_revision.py"),
    )
    .unwrap();
    let plain = |t: &str| -> String {
        t.lines()
            .filter(|l| !l.starts_with("Create Date:"))
            .collect::<Vec<_>>()
            .join("\n")
            .replace("bbbb00000002", "ID")
            .replace("aaaa00000001", "ID")
    };
    assert_eq!(
        plain(&mine),
        plain(&theirs)
            .replace("Revises: ID", "Revises: ")
            .replace("down_revision = 'ID'", "down_revision = None")
    );
    // A second branch on the first revision (Flask-Migrate's --splice), so two heads.
    p.flask(
        &db,
        &[
            "revision",
            "-m",
            "other branch",
            "--rev-id",
            "cccc00000003",
            "--head",
            "aaaa00000001",
            "--splice",
        ],
    );
    let (code, _, err) = p.ormsh(&db, &["upgrade"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Multiple head revisions are present"), "{err}");
    assert!(
        err.contains("bbbb00000002") && err.contains("cccc00000003"),
        "{err}"
    );
    assert!(err.contains("ormsh db merge heads"), "{err}");
    let (code, _, err) = p.ormsh(&db, &["revision", "-m", "x"]);
    assert_eq!(code, 2);
    assert!(err.contains("Multiple heads are present"), "{err}");

    p.ormsh_ok(
        &db,
        &[
            "merge",
            "heads",
            "-m",
            "join them",
            "--rev-id",
            "dddd00000004",
        ],
    );
    assert_eq!(p.flask(&db, &["heads"]), "dddd00000004 (head)\n");
    assert_eq!(p.ormsh_ok(&db, &["heads"]), "dddd00000004 (head)\n");
    assert_eq!(p.ormsh_ok(&db, &["history"]), p.flask(&db, &["history"]));
    for range in [
        "aaaa00000001:",
        ":cccc00000003",
        "bbbb00000002:dddd00000004",
    ] {
        assert_eq!(
            p.ormsh_ok(&db, &["history", "-r", range]),
            p.flask(&db, &["history", "-r", range]),
            "history -r {range}"
        );
    }
    p.flask(&db, &["upgrade"]);
    assert_eq!(
        p.ormsh_ok(&db, &["current"]),
        "dddd00000004 (head) (mergepoint)\n"
    );
    // stamp --sql prints and runs nothing.
    let sql = p.ormsh_ok(&db, &["stamp", "--sql", "dddd00000004"]);
    assert!(
        sql.contains("CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)"),
        "{sql}"
    );
    assert!(
        sql.contains("INSERT INTO alembic_version (version_num) VALUES ('dddd00000004');"),
        "{sql}"
    );
    let sql = p.ormsh_ok(&db, &["stamp", "--sql", "bbbb00000002:dddd00000004"]);
    assert!(!sql.contains("CREATE TABLE"), "{sql}");
    assert!(
        sql.contains("UPDATE alembic_version SET version_num='dddd00000004' WHERE alembic_version.version_num = 'bbbb00000002';"),
        "{sql}"
    );
    // A merge of one revision is refused.
    let (code, _, err) = p.ormsh(&db, &["merge", "heads"]);
    assert_eq!(code, 2);
    assert!(err.contains("nothing to merge"), "{err}");
    // edit opens the head in $EDITOR.
    let editor = p.path().join("editor.sh");
    std::fs::write(&editor, "#!/bin/sh\necho '# edited' >> \"$1\"\n").unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&editor)
        .status()
        .unwrap();
    let (code, _, err) = p.ormsh_env(&db, &["edit"], &[("EDITOR", editor.to_str().unwrap())]);
    assert_eq!(code, 0, "{err}");
    let merged = p
        .files()
        .into_iter()
        .find(|f| f.starts_with("dddd00000004"))
        .unwrap();
    assert!(
        std::fs::read_to_string(p.versions().join(merged))
            .unwrap()
            .ends_with("# edited\n")
    );
}

/// What Alembic does not ask: a rename, the values a drop loses, and a NOT
/// NULL column added to a table with rows.
fn renames_losses_and_not_null(kind: Kind) {
    let Some(p) = Project::new(MODELS_V1) else {
        return;
    };
    let db = TestDb::new(kind);
    p.ormsh_ok(&db, &["init"]);
    p.migrate(&db, &["-m", "create tables"]);
    p.flask(&db, &["upgrade"]);
    let user = db.quote("user");
    db.rows(&format!("INSERT INTO {user} (id, username, email, status, nickname) VALUES (1, 'ann', 'a@x', 'draft', 'annie'), (2, 'bob', 'b@x', 'draft', NULL)"));
    db.rows("INSERT INTO scratch (id, note) VALUES (1, 'a'), (2, 'b'), (3, 'c')");

    // nickname → handle (same type), scratch gone, a NOT NULL score.
    let v2 = MODELS_V1
        .replace("nickname = db.Column(db.String(40))", "handle = db.Column(db.String(40))\n    score = db.Column(db.Integer, nullable=False)")
        .replace("class Scratch(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    note = db.Column(db.String(30))\n", "");
    p.models(&v2);
    let before = p.files();
    let (code, _, err) = p.ormsh(&db, &["migrate", "-m", "v2"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("score is added NOT NULL with no server_default, and the table has 2 rows")
            && err.contains("--default user.score=VALUE"),
        "{err}"
    );
    assert_eq!(p.files(), before, "nothing written");

    // Without --rename a script is told the rename it may mean, and the
    // values each drop loses.
    let text = {
        let (code, _, err) = p.ormsh(&db, &["migrate", "-m", "v2", "--default", "user.score=7"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("--rename user.nickname=handle"), "{err}");
        assert!(
            err.contains("column user.nickname is dropped with its 1 value"),
            "{err}"
        );
        assert!(
            err.contains("table scratch is dropped with its 3 rows"),
            "{err}"
        );
        let file = p.files().into_iter().find(|f| !before.contains(f)).unwrap();
        std::fs::remove_file(p.versions().join(&file)).unwrap();
        // With it, the column is renamed and keeps its values.
        p.migrate(
            &db,
            &[
                "-m",
                "v2",
                "--default",
                "user.score=7",
                "--rename",
                "user.nickname=handle",
            ],
        )
    };
    assert!(text.contains("new_column_name='handle'"), "{text}");
    assert!(!text.contains("drop_column('nickname')"), "{text}");
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, "after the rename");
    assert_eq!(
        db.rows(&format!("SELECT id, score FROM {user} ORDER BY id")),
        vec![vec!["1", "7"], vec!["2", "7"]]
    );
    assert_eq!(
        db.scalar(&format!("SELECT handle FROM {user} WHERE id = 1")),
        "annie"
    );
    // The one-off default is gone again.
    let (code, _, _) = p.ormsh(&db, &["check"]);
    assert_eq!(code, 0);
    p.flask(&db, &["downgrade"]);
    assert_eq!(
        db.rows(&format!("SELECT id, nickname FROM {user} ORDER BY id"))[0],
        vec!["1".to_string(), "annie".to_string()]
    );
}
on_every_database!(renames_losses_and_not_null);

/// At a terminal the rename is asked, and a yes writes it (run under
/// `script`, which gives the command a terminal; skipped without it).
#[test]
fn a_terminal_is_asked_about_the_rename() {
    let Some(p) = Project::new(MODELS_V1) else {
        return;
    };
    if Command::new("script").arg("--version").output().is_err() {
        crate::common::skipped("`script` (util-linux), which gives the command a terminal");
        return;
    }
    let db = TestDb::new(Kind::Sqlite);
    p.ormsh_ok(&db, &["init"]);
    p.migrate(&db, &["-m", "create tables"]);
    p.ormsh_ok(&db, &["upgrade"]);
    p.models(&MODELS_V1.replace("nickname = ", "handle = "));
    let ormsh = assert_cmd::cargo::cargo_bin("ormsh");
    let command = format!(
        "'{}' --database-url '{}' db migrate -m renamed",
        ormsh.display(),
        db.url
    );
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(p.path())
        .env("NO_COLOR", "1")
        .env("HOME", p.path())
        .env_remove("ORMSH_APP")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(b"y\n").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("Was user.nickname renamed to user.handle (same type)?"),
        "{text}"
    );
    let file = p
        .files()
        .into_iter()
        .find(|f| f.ends_with("_renamed.py"))
        .unwrap();
    let revision = std::fs::read_to_string(p.versions().join(file)).unwrap();
    assert!(revision.contains("new_column_name='handle'"), "{revision}");
}

const CONSTRAINTS_V1: &str = r#"from app import db


class Item(db.Model):
    __table_args__ = (
        db.UniqueConstraint("code", "shop", name="uq_item_code_shop"),
        db.CheckConstraint("price >= 0", name="ck_item_price"),
        db.Index("ix_item_shop_code", "shop", "code"),
    )
    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(20), nullable=False)
    shop = db.Column(db.String(20), nullable=False)
    price = db.Column(db.Integer, nullable=False)
"#;

/// Table-level constraints and indexes: written into `create_table`, and
/// added to an existing table, as real Flask-Migrate then applies them.
fn table_constraints_are_written(kind: Kind) {
    let Some(p) = Project::new(CONSTRAINTS_V1) else {
        return;
    };
    let db = TestDb::new(kind);
    p.ormsh_ok(&db, &["init"]);
    let first = p.migrate(&db, &["-m", "items"]);
    assert!(
        first.contains("    sa.CheckConstraint('price >= 0', name='ck_item_price'),"),
        "{first}"
    );
    assert!(
        first.contains("    sa.UniqueConstraint('code', 'shop', name='uq_item_code_shop')"),
        "{first}"
    );
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, "after create_table");
    let v2 = CONSTRAINTS_V1.replace(
        "        db.Index(\"ix_item_shop_code\", \"shop\", \"code\"),\n",
        "        db.Index(\"ix_item_shop_code\", \"shop\", \"code\"),\n        db.Index(\"ix_item_price\", \"price\"),\n        db.UniqueConstraint(\"shop\", \"price\", name=\"uq_item_shop_price\"),\n        db.CheckConstraint(\"price < 1000000\", name=\"ck_item_price_max\"),\n",
    );
    p.models(&v2);
    let second = p.migrate(&db, &["-m", "more"]);
    assert!(
        second.contains(
            "batch_op.create_check_constraint(batch_op.f('ck_item_price_max'), 'price < 1000000')"
        ),
        "{second}"
    );
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, "after adding constraints");
    p.flask(&db, &["downgrade"]);
    p.models(CONSTRAINTS_V1);
    let (code, out, err) = p.ormsh(&db, &["diff"]);
    assert_eq!(code, 0, "after the downgrade: drift left:\n{out}\n{err}");
}
on_every_database!(table_constraints_are_written);
