//! `aliased(..)` of models in an inheritance hierarchy (single-table and
//! joined-table), checked against real Flask-SQLAlchemy on the same rows
//! (every database), with the SQL they write and what ormsh refuses.

use crate::common::{Kind, Project, TestDb};

/// Aliases of models in an inheritance hierarchy, asked of ormsh and of
/// Flask-SQLAlchemy on the same rows, one answer a line: an alias of a
/// single-table subclass keeps its discriminator filter (in the WHERE, or
/// the ON of its join), one of a joined-table subclass reads each of its
/// tables under a name of its own.
const HIERARCHY_ALIASES: &[(&str, &str)] = &[
    (
        "(lambda e: db.session.scalars(db.select(e).order_by(e.id)).all())(aliased(Employee))",
        "{ let e = aliased(Employee); db.session.scalars(db.select(e).order_by(e.id)).all() }",
    ),
    (
        "(lambda e: db.session.scalars(db.select(e).order_by(e.id.desc())).all())(aliased(Engineer))",
        "{ let e = aliased(Engineer); db.session.scalars(db.select(e).order_by(e.id.desc())).all() }",
    ),
    (
        "(lambda m: db.session.scalars(db.select(m).where(m.name != 'x')).all())(aliased(Manager))",
        "{ let m = aliased(Manager); db.session.scalars(db.select(m).where(m.name != \"x\")).all() }",
    ),
    (
        "(lambda l: db.session.query(l).all())(aliased(Lead))",
        "{ let l = aliased(Lead); db.session.query(l).all() }",
    ),
    (
        "(lambda e: db.session.execute(db.select(Employee.name, e.name, e.engineer_info).join(e, e.company_id == Employee.company_id).where(Employee.id < e.id).order_by(Employee.id, e.id)).all())(aliased(Engineer))",
        "{ let e = aliased(Engineer); db.session.execute(db.select(Employee.name, e.name, e.engineer_info).join(e, e.company_id == Employee.company_id).where(Employee.id < e.id).order_by(Employee.id, e.id)).all() }",
    ),
    (
        "(lambda m: db.session.query(Employee.name, m.manager_data).join(m, m.company_id == Employee.company_id).order_by(Employee.id).all())(aliased(Manager, name='m'))",
        "{ let m = aliased(Manager, \"m\"); db.session.query(Employee.name, m.manager_data).join(m, m.company_id == Employee.company_id).order_by(Employee.id).all() }",
    ),
    (
        "(lambda e: Employee.query.join(e, e.company_id == Employee.company_id).filter(e.engineer_info == 'go').count())(aliased(Engineer))",
        "{ let e = aliased(Engineer); Employee.query.join(e, e.company_id == Employee.company_id).filter(e.engineer_info == \"go\").count() }",
    ),
    (
        "(lambda e: Company.query.join(e, Company.employees).filter(e.name.like('%1')).count())(aliased(Engineer))",
        "{ let e = aliased(Engineer); Company.query.join(e, e.company_id == Company.id).filter(e.name.like(\"%1\")).count() }",
    ),
    (
        "(lambda a, b: db.session.execute(db.select(a, b.name).join(b, a.company_id == b.company_id).order_by(a.id, b.id)).all())(aliased(Manager), aliased(Lead))",
        "{ let a = aliased(Manager); let b = aliased(Lead); db.session.execute(db.select(a, b.name).join(b, a.company_id == b.company_id).order_by(a.id, b.id)).all() }",
    ),
    (
        "(lambda a, b: db.session.execute(db.select(a.name, b.name).join(b, a.company_id == b.company_id).order_by(a.id, b.id)).all())(aliased(Manager), aliased(Engineer))",
        "{ let a = aliased(Manager); let b = aliased(Engineer); db.session.execute(db.select(a.name, b.name).join(b, a.company_id == b.company_id).order_by(a.id, b.id)).all() }",
    ),
    (
        "(lambda e: db.session.execute(db.select(Engineer.name, e.name).join(e, e.company_id == Engineer.company_id).where(Engineer.id != e.id).order_by(Engineer.id)).all())(aliased(Engineer))",
        "{ let e = aliased(Engineer); db.session.execute(db.select(Engineer.name, e.name).join(e, e.company_id == Engineer.company_id).where(Engineer.id != e.id).order_by(Engineer.id)).all() }",
    ),
    (
        "(lambda m: db.session.execute(db.select(Company.name, m.name).outerjoin(m, m.company_id == Company.id).order_by(Company.id)).all())(aliased(Manager))",
        "{ let m = aliased(Manager); db.session.execute(db.select(Company.name, m.name).outerjoin(m, m.company_id == Company.id).order_by(Company.id)).all() }",
    ),
    (
        "(lambda e: db.session.execute(db.select(Company, e).outerjoin(e, e.company_id == Company.id).order_by(Company.id, e.id)).all())(aliased(Engineer))",
        "{ let e = aliased(Engineer); db.session.execute(db.select(Company, e).outerjoin(e, e.company_id == Company.id).order_by(Company.id, e.id)).all() }",
    ),
    (
        "(lambda e: Company.query.outerjoin(e, Company.engineers).filter(e.id.is_(None)).all())(aliased(Engineer))",
        "{ let e = aliased(Engineer); Company.query.outerjoin(e, e.company_id == Company.id).filter(e.id.is_(())).all() }",
    ),
    (
        "Company.query.outerjoin(Company.engineers).order_by(Company.id, Engineer.id).with_entities(Company.name, Engineer.name).all()",
        "Company.query.outerjoin(Company.engineers).order_by(Company.id, Engineer.id).with_entities(Company.name, Engineer.name).all()",
    ),
    (
        "(lambda e: ''.join(f'{x.id}:{x.company.name};' for x in db.session.scalars(db.select(e).options(db.joinedload(e.company)).order_by(e.id)).all()))(aliased(Engineer))",
        "{ let e = aliased(Engineer); let out = \"\"; for x in db.session.scalars(db.select(e).options(db.joinedload(Engineer.company)).order_by(e.id)).all() { out += `${x.id}:${x.company.name};`; } out }",
    ),
];

/// Only single-table: a subquery's rows as a subclass.
const SINGLE_TABLE_ALIASES: &[(&str, &str)] = &[(
    "(lambda m: db.session.scalars(db.select(m).order_by(m.id)).all())(aliased(Engineer, db.select(Engineer).where(Engineer.id > 1).subquery()))",
    "{ let m = aliased(Engineer, db.select(Engineer).where(Engineer.id > 1).subquery()); db.session.scalars(db.select(m).order_by(m.id)).all() }",
)];

fn hierarchy_aliases_match_flask(kind: Kind, models: &str, extra: &[(&str, &str)]) {
    use crate::common::python::{flask_url, ormsh_in, peer_python, run_python, write_flask_app};
    let Some(python) = peer_python() else { return };
    let db = TestDb::new(kind);
    let dir = tempfile::tempdir().unwrap();
    write_flask_app(dir.path(), &flask_url(&db), models);
    run_python(
        &python,
        dir.path(),
        "from app import *\nwith app.app_context():\n    db.create_all()\n    c = Company(name='acme')\n    c.employees = [Engineer(name='eng1', engineer_info='rust'), Manager(name='mgr1', manager_data='budget'), Employee(name='emp1'), Lead(name='lead1', engineer_info='go')]\n    db.session.add_all([c, Company(name='empty')])\n    db.session.commit()\n",
    );
    let questions: Vec<&(&str, &str)> = HIERARCHY_ALIASES.iter().chain(extra).collect();
    let python_code = format!(
        "from app import *\nfrom sqlalchemy.orm import aliased\nwith app.app_context():\n{}",
        questions
            .iter()
            .map(|(q, _)| format!("    print({q})\n"))
            .collect::<String>()
    );
    let flask = run_python(&python, dir.path(), &python_code);
    let rhai: String = questions
        .iter()
        .map(|(_, q)| format!("print({q});\n"))
        .collect();
    let (ok, out) = ormsh_in(dir.path(), &["--no-echo", "-c", &rhai]);
    assert!(ok, "{kind:?}: {out}");
    for (i, (a, b)) in out.lines().zip(flask.lines()).enumerate() {
        assert_eq!(
            a, b,
            "{kind:?}: question {i}: {}\n{out}\n{flask}",
            questions[i].1
        );
    }
    assert_eq!(out.lines().count(), questions.len(), "{kind:?}: {out}");
}

fn single_table_aliases_match_flask(kind: Kind) {
    hierarchy_aliases_match_flask(kind, crate::inheritance::SINGLE, SINGLE_TABLE_ALIASES);
}

on_every_database!(single_table_aliases_match_flask);

fn joined_table_aliases_match_flask(kind: Kind) {
    hierarchy_aliases_match_flask(kind, crate::inheritance::JOINED, &[]);
}

on_every_database!(joined_table_aliases_match_flask);

/// The SQL of an alias in a hierarchy, and an outer join to one whose rows
/// span tables (in parentheses); a subquery read as such a model is
/// refused by name.
fn hierarchy_alias_sql_and_refusals(kind: Kind) {
    let db = TestDb::new(kind);
    let models = r#"db.Model("Employee", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("name", db.String(50)),
    db.Column("type", db.String(20)),
    db.Column("boss_id", db.Integer, db.ForeignKey("employee.id")),
], #{ __mapper_args__: #{ polymorphic_on: "type", polymorphic_identity: "employee" } });
db.Model("Engineer", [
    db.Column("id", db.Integer, db.ForeignKey("employee.id"), #{ primary_key: true }),
    db.Column("engineer_info", db.String(50)),
], #{ inherits: "Employee", __mapper_args__: #{ polymorphic_identity: "engineer" } });
db.Model("Manager", [
    db.Column("manager_data", db.String(50)),
], #{ inherits: "Employee", __mapper_args__: #{ polymorphic_identity: "manager" } });
"#;
    let project = Project::new(&db.url, models);
    let (out, _) = project.run_ok(
        r#"
db.create_all();
let e = aliased(Engineer);
let m = aliased(Manager);
print(db.select(Employee.name, e.engineer_info).join(e, e.boss_id == Employee.id).to_string());
print(db.select(m).where(m.id > 1).to_string());
print(Employee.query.outerjoin(e, e.boss_id == Employee.id).to_string());
for code in [
    || aliased(Engineer, db.select(Engineer).subquery()),
] {
    try { code.call(); print("no error"); } catch (e) { print(e); }
}
"#,
    );
    // None of these names needs quoting on any database.
    let q = |s: &str| s.replace('"', "");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        q(
            r#"SELECT "employee"."name", "engineer_1"."engineer_info" FROM "employee" JOIN "employee" AS "employee_1" ON "employee_1"."boss_id" = "employee"."id" JOIN "engineer" AS "engineer_1" ON "employee_1"."id" = "engineer_1"."id""#
        ),
        "{kind:?}"
    );
    assert!(
        lines[1].starts_with(&q(
            r#"SELECT "employee_1"."id", "employee_1"."name", "employee_1"."type", "employee_1"."boss_id", "employee_1"."manager_data" FROM "employee" AS "employee_1" WHERE "employee_1"."id" > "#
        )) && lines[1].contains(&q(r#" AND "employee_1"."type" IN ("#)),
        "{kind:?}: {}",
        lines[1]
    );
    assert!(
        lines[2].contains(&q(
            r#" FROM "employee" LEFT OUTER JOIN ("employee" AS "employee_1" JOIN "engineer" AS "engineer_1" ON "employee_1"."id" = "engineer_1"."id") ON "employee_1"."boss_id" = "employee"."id""#
        )),
        "{kind:?}: {}",
        lines[2]
    );
    assert!(
        lines[3].contains("which ormsh does not read back from a subquery"),
        "{out}"
    );
    assert_eq!(lines.len(), 4, "{out}");
}

on_every_database!(hierarchy_alias_sql_and_refusals);
