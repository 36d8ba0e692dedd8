//! The revision graph's targets and the reading of `upgrade()` bodies, on
//! revisions written here (the end-to-end checks against real Flask-Migrate
//! are in `tests/it/migrations.rs`).

use std::path::Path;

use super::graph::Graph;
use super::op::OpKind;
use super::ops::read_function;
use super::revision::Revision;

fn rev(id: &str, down: &str, body: &str) -> Revision {
    let source = format!(
        "\"\"\"{id} message\n\nRevision ID: {id}\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = '{id}'\ndown_revision = {down}\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n{body}\n\n\ndef downgrade():\n    pass\n"
    );
    Revision::from_source(Path::new("x.py"), &format!("versions/{id}.py"), &source).unwrap()
}

/// a1 <- b2 <- c3 (head), and b2 <- d4 (a second head).
fn branched() -> Graph {
    Graph::new(vec![
        rev("a1aaaa", "None", "    pass"),
        rev("b2bbbb", "'a1aaaa'", "    pass"),
        rev("c3cccc", "'b2bbbb'", "    pass"),
        rev("d4dddd", "('b2bbbb',)", "    pass"),
    ])
    .unwrap()
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn heads_targets_and_partial_ids_resolve_as_alembic_does() {
    let g = branched();
    assert_eq!(g.heads(), s(&["c3cccc", "d4dddd"]));
    assert!(g.is_branch_point("b2bbbb"));
    assert_eq!(g.get("a1aaaa").doc(), "a1aaaa message");
    let err = g.upgrade_target("head", &[]).unwrap_err().to_string();
    assert!(err.contains("Multiple head revisions"), "{err}");
    assert_eq!(
        g.upgrade_target("heads", &[]).unwrap(),
        s(&["c3cccc", "d4dddd"])
    );
    assert_eq!(g.upgrade_target("c3", &[]).unwrap(), s(&["c3cccc"]));
    assert_eq!(g.upgrade_target("+1", &[]).unwrap(), s(&["a1aaaa"]));
    assert_eq!(
        g.upgrade_target("+1", &s(&["a1aaaa"])).unwrap(),
        s(&["b2bbbb"])
    );
    assert_eq!(g.upgrade_target("a1aaaa+1", &[]).unwrap(), s(&["b2bbbb"]));
    assert!(
        g.upgrade_target("+1", &s(&["b2bbbb"])).is_err(),
        "a branch point is named"
    );
    assert_eq!(
        g.downgrade_target("-1", &s(&["c3cccc"])).unwrap(),
        s(&["b2bbbb"])
    );
    assert_eq!(
        g.downgrade_target("-2", &s(&["c3cccc"])).unwrap(),
        s(&["a1aaaa"])
    );
    assert_eq!(g.downgrade_target("-1", &s(&["a1aaaa"])).unwrap(), s(&[]));
    assert_eq!(g.downgrade_target("base", &s(&["c3cccc"])).unwrap(), s(&[]));
    assert!(
        g.resolve_one("zz")
            .unwrap_err()
            .to_string()
            .contains("Can't locate revision")
    );
    let g2 = Graph::new(vec![
        rev("ab1", "None", "    pass"),
        rev("ab2", "'ab1'", "    pass"),
    ])
    .unwrap();
    assert!(
        g2.resolve_one("ab")
            .unwrap_err()
            .to_string()
            .contains("Multiple revisions start with")
    );
}

#[test]
fn a_merge_names_both_parents_and_upgrading_heads_applies_each_once() {
    let mut revs = branched().revisions;
    revs.push(rev("e5eeee", "('c3cccc', 'd4dddd')", "    pass"));
    let g = Graph::new(revs).unwrap();
    assert!(g.is_merge_point("e5eeee"));
    assert_eq!(g.heads(), s(&["e5eeee"]));
    let path =
        super::apply::path(&g, super::apply::Direction::Up, &s(&["c3cccc"]), "head").unwrap();
    assert_eq!(path, s(&["d4dddd", "e5eeee"]));
    let down =
        super::apply::path(&g, super::apply::Direction::Down, &s(&["e5eeee"]), "b2bbbb").unwrap();
    // Alembic's walk: the merge's parents in their `down_revision` order.
    assert_eq!(down, s(&["e5eeee", "c3cccc", "d4dddd"]));
}

#[test]
fn op_calls_are_read_with_their_keywords() {
    let r = rev(
        "a1",
        "None",
        "    op.create_table('t',\n    sa.Column('id', sa.Integer(), nullable=False),\n    sa.Column('name', sa.String(length=20), server_default=sa.text(\"'x'\"), nullable=True),\n    sa.PrimaryKeyConstraint('id')\n    )\n    with op.batch_alter_table('t', schema=None) as batch_op:\n        batch_op.create_index(batch_op.f('ix_t_name'), ['name'], unique=True)\n        batch_op.alter_column('name', existing_type=sa.VARCHAR(length=20), nullable=False)",
    );
    let ops = read_function(&r.module, "upgrade").unwrap();
    assert_eq!(ops.len(), 2);
    let OpKind::Batch {
        table, ops: inner, ..
    } = &ops[1].kind
    else {
        panic!("{ops:?}")
    };
    assert_eq!(table, "t");
    assert!(
        matches!(&inner[0].kind, OpKind::CreateIndex { name, unique: true, .. } if name == "ix_t_name")
    );
    assert!(
        matches!(&inner[1].kind, OpKind::AlterColumn(a) if a.nullable == Some(false) && a.table == "t")
    );
}

#[test]
fn what_runs_python_is_refused_at_its_line() {
    for (body, line, says) in [
        (
            "    for t in ['a']:\n        op.drop_table(t)",
            15,
            "a for statement",
        ),
        ("    if True:\n        op.drop_table('a')", 15, "an `if`"),
        (
            "    conn = op.get_bind()",
            15,
            "an assignment ormsh does not apply",
        ),
        ("    op.get_bind().execute('x')", 15, "not an op.* call"),
        ("    op.drop_table('a', if_exists=True)", 15, "`if_exists=`"),
        (
            "    op.execute(sa.select(1))",
            15,
            "op.execute takes a SQL string",
        ),
        ("    pass\n    db.session.add(1)", 16, "not an op.* call"),
    ] {
        let r = rev("a1", "None", body);
        let (at, why) = read_function(&r.module, "upgrade").unwrap_err();
        assert_eq!(at, line, "{body}: {why}");
        assert!(why.contains(says), "{body}: {why}");
    }
}

/// Alembic walks a merge's parents in their `down_revision` order, down
/// one branch while no other head still needs the revision.
#[test]
fn history_walks_branches_as_alembic_does() {
    let g = Graph::new(vec![
        rev("a1aaaa", "None", "    pass"),
        rev("b2bbbb", "'a1aaaa'", "    pass"),
        rev("c3cccc", "'a1aaaa'", "    pass"),
        rev("d4dddd", "('b2bbbb', 'c3cccc')", "    pass"),
    ])
    .unwrap();
    assert_eq!(g.walk(), s(&["d4dddd", "b2bbbb", "c3cccc", "a1aaaa"]));
    assert_eq!(
        g.topological(),
        s(&["a1aaaa", "c3cccc", "b2bbbb", "d4dddd"])
    );
    let g = branched();
    assert_eq!(g.walk(), s(&["c3cccc", "d4dddd", "b2bbbb", "a1aaaa"]));
}

#[test]
fn slugs_ids_and_reprs_are_alembics() {
    use super::script::{new_id, py_str, slug};
    assert_eq!(
        slug(Some("Hello, world! A first revision")),
        "hello_world_a_first_revision"
    );
    assert_eq!(slug(None), "");
    assert_eq!(
        slug(Some("second change with a rather long message to cut")),
        "second_change_with_a_rather_long_"
    );
    let id = new_id();
    assert_eq!(id.len(), 12);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(py_str("it's"), "\"it's\"");
    assert_eq!(py_str("a'b\"c"), "'a\\'b\"c'");
    assert_eq!(py_str("x\ny"), "'x\\ny'");
}

#[test]
fn script_template_renders_alembics_substitutions_and_refuses_the_rest() {
    use super::script::Script;
    let script = Script {
        id: "abc123abc123".into(),
        message: None,
        down: s(&["b2bbbb", "c3cccc"]),
        create_date: "2026-01-01 00:00:00".into(),
        ..Script::default()
    };
    let text = script
        .render(
            "\"\"\"${message}\nRevises: ${down_revision | comma,n}\n\"\"\"\n${imports if imports else \"\"}\nrevision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n## a comment\ndef upgrade():\n    ${upgrades if upgrades else \"pass\"}\n",
            "migrations/script.py.mako",
        )
        .unwrap();
    assert_eq!(
        text,
        "\"\"\"empty message\nRevises: b2bbbb, c3cccc\n\"\"\"\n\nrevision = 'abc123abc123'\ndown_revision = ('b2bbbb', 'c3cccc')\ndef upgrade():\n    pass\n"
    );
    let err = script
        .render("x\n% if upgrades:\n", "migrations/script.py.mako")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("migrations/script.py.mako:2: a Mako control line"),
        "{err}"
    );
    let err = script
        .render("${config.get('x')}\n", "migrations/script.py.mako")
        .unwrap_err()
        .to_string();
    assert!(err.contains(":1: `${config.get('x')}`"), "{err}");
}

#[test]
fn the_multidb_template_loops_over_the_databases() {
    use super::script::{Database, Script};
    let template = "<%!\nimport re\n\n%>\"\"\"${message}\n\"\"\"\n<%\n    db_names = [''] + bind_names\n%>\n\n## one a database\n% for db_name in db_names:\n\ndef upgrade_${db_name}():\n    ${context.get(\"%s_upgrades\" % db_name, \"pass\")}\n\n% endfor\n";
    let mut script = Script {
        id: "abc123abc123".into(),
        databases: vec![
            Database::default(),
            Database {
                name: "users".into(),
                upgrades: Some("op.drop_table('x')".into()),
                downgrades: None,
            },
        ],
        ..Script::default()
    };
    let text = script.render(template, "m/script.py.mako").unwrap();
    assert_eq!(
        text,
        "\"\"\"empty message\n\"\"\"\n\n\n\ndef upgrade_():\n    pass\n\n\ndef upgrade_users():\n    op.drop_table('x')\n\n"
    );
    // A revision for one database has no databases to loop over.
    script.databases.clear();
    let err = script
        .render(template, "m/script.py.mako")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("m/script.py.mako:6: the multi-database block"),
        "{err}"
    );
    let err = script
        .render("<%\n  x = 1\n%>\n", "m/script.py.mako")
        .unwrap_err()
        .to_string();
    assert!(err.contains(":1: a Mako `<%` block"), "{err}");
}
