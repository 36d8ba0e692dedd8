//! Where the database stands against the project's migrations folder:
//! `.migrations` names the revision it is at, the head and the pending
//! revisions in order, and says "up to date" after `db upgrade`; a
//! revision the database is at but the folder lacks is named.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

pub(crate) fn revision(id: &str, down: Option<&str>, table: &str) -> String {
    let down_text = down.map_or("None".to_string(), |d| format!("'{d}'"));
    format!(
        "\"\"\"add {table}\n\nRevision ID: {id}\nRevises: {}\nCreate Date: 2026-01-01 00:00:00\n\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = '{id}'\ndown_revision = {down_text}\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    op.create_table('{table}', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))\n\n\ndef downgrade():\n    op.drop_table('{table}')\n",
        down.unwrap_or("")
    )
}

/// A project whose migrations folder has three revisions in a line.
pub(crate) fn with_migrations(url: &str) -> Project {
    let project = Project::new(url, BLOG_MODELS);
    std::fs::create_dir_all(project.path().join("migrations/versions")).unwrap();
    for (id, down, table) in [
        ("aaa111", None, "one"),
        ("bbb222", Some("aaa111"), "two"),
        ("ccc333", Some("bbb222"), "three"),
    ] {
        project.file(
            &format!("migrations/versions/{id}_add_{table}.py"),
            &revision(id, down, table),
        );
    }
    project
}

fn status(kind: Kind) {
    let db = TestDb::new(kind);
    let project = with_migrations(&db.url);
    let (out, _) = project.ok(&["--no-echo", "-c", ".migrations"]);
    assert!(
        out.contains("current: (none")
            && out.contains("head:    ccc333")
            && out.contains(
                "pending (3):\n  aaa111  add one\n  bbb222  add two\n  ccc333  add three"
            ),
        "{out}"
    );
    project.ok(&["db", "upgrade", "aaa111"]);
    assert!(db.has_table("one") && !db.has_table("two"));
    let (out, _) = project.ok(&["--no-echo", "-c", ".migrations"]);
    assert!(
        out.contains("current: aaa111\n")
            && out.contains("pending (2):\n  bbb222  add two\n  ccc333  add three"),
        "{out}"
    );
    project.ok(&["db", "upgrade"]);
    let (out, _) = project.ok(&["--no-echo", "-c", ".migrations"]);
    assert!(
        out.contains("current: ccc333 (head)") && out.contains("up to date"),
        "{out}"
    );
    // A revision the folder does not have.
    std::fs::remove_file(
        project
            .path()
            .join("migrations/versions/ccc333_add_three.py"),
    )
    .unwrap();
    let out = project
        .ormsh()
        .args(["--no-echo", "-c", ".migrations"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ccc333"), "{err}");
}
on_every_database!(status);

#[test]
fn without_a_migrations_folder() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, BLOG_MODELS);
    let (out, _) = project.ok(&["--no-echo", "-c", ".migrations"]);
    assert!(out.contains("no migrations folder"), "{out}");
}
