//! Inheritance (#23 item 4, #25), single-table and joined-table, declared in
//! a models.py (`class Engineer(Employee)` with `__mapper_args__`) or in the
//! models file (`inherits:`), on every database. Real Flask-SQLAlchemy
//! builds the schema and writes rows; ormsh reads the same answers, writes
//! rows Flask reads back as the right classes, and finds no drift. A query
//! on the base returns subclass objects; one on a subclass reads its rows
//! only. What ormsh cannot honour is refused with the line that declares it.

use std::path::Path;
use std::process::Command;

use crate::common::python::{flask_url, ormsh_in, peer_python, run_python, write_flask_app};
use crate::common::{Kind, Project, TestDb};

pub(crate) const SINGLE: &str = r#"
class Company(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
    employees = db.relationship('Employee', backref='company', order_by='Employee.id')
    engineers = db.relationship('Engineer', order_by='Engineer.id')


class Employee(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
    type = db.Column(db.String(20))
    company_id = db.Column(db.Integer, db.ForeignKey('company.id'))
    __mapper_args__ = {'polymorphic_on': type, 'polymorphic_identity': 'employee'}


class Engineer(Employee):
    engineer_info = db.Column(db.String(50))
    __mapper_args__ = {'polymorphic_identity': 'engineer'}


class Manager(Employee):
    __tablename__ = None
    manager_data = db.Column(db.String(50))
    __mapper_args__ = {'polymorphic_identity': 'manager'}


class Lead(Engineer):
    __mapper_args__ = {'polymorphic_identity': 'lead'}
"#;

/// The same hierarchy with tables of their own for Engineer and Manager
/// (Flask-SQLAlchemy names them), Lead in Engineer's.
pub(crate) const JOINED: &str = r#"
class Company(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
    employees = db.relationship('Employee', backref='company', order_by='Employee.id')
    engineers = db.relationship('Engineer', order_by='Engineer.id')


class Employee(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
    type = db.Column(db.String(20))
    company_id = db.Column(db.Integer, db.ForeignKey('company.id'))
    __mapper_args__ = {'polymorphic_on': type, 'polymorphic_identity': 'employee'}


class Engineer(Employee):
    id = db.Column(db.Integer, db.ForeignKey('employee.id'), primary_key=True)
    engineer_info = db.Column(db.String(50))
    __mapper_args__ = {'polymorphic_identity': 'engineer'}


class Manager(Employee):
    __tablename__ = 'managers'
    id = db.Column(db.Integer, db.ForeignKey('employee.id'), primary_key=True)
    manager_data = db.Column(db.String(50))
    __mapper_args__ = {'polymorphic_identity': 'manager'}


class Lead(Engineer):
    __mapper_args__ = {'polymorphic_identity': 'lead'}
"#;

fn ormsh(dir: &Path, code: &str) -> (bool, String) {
    ormsh_in(dir, &["--no-echo", "-c", code])
}

/// The same questions, asked in Python and in ormsh, one answer a line.
const QUESTIONS: [(&str, &str); 12] = [
    (
        "Employee.query.order_by(Employee.id).all()",
        "Employee.query.order_by(Employee.id).all()",
    ),
    (
        "Engineer.query.order_by(Engineer.id).all()",
        "Engineer.query.order_by(Engineer.id).all()",
    ),
    ("Manager.query.count()", "Manager.query.count()"),
    ("Lead.query.all()", "Lead.query.all()"),
    (
        "Company.query.filter_by(name='acme').one().employees",
        r#"Company.query.filter_by(#{ name: "acme" }).one().employees"#,
    ),
    (
        "Company.query.filter_by(name='acme').one().engineers",
        r#"Company.query.filter_by(#{ name: "acme" }).one().engineers"#,
    ),
    (
        "len(db.session.execute(db.select(Engineer.name)).scalars().all())",
        "db.session.execute(db.select(Engineer.name)).scalars().all().len()",
    ),
    (
        "Company.query.filter(Company.engineers.any(Engineer.name == 'emp1')).count()",
        r#"Company.query.filter(Company.engineers.any(Engineer.name == "emp1")).count()"#,
    ),
    (
        "Company.query.filter(Company.engineers.any(Engineer.name == 'lead1')).count()",
        r#"Company.query.filter(Company.engineers.any(Engineer.name == "lead1")).count()"#,
    ),
    (
        "db.session.execute(db.select(Company).options(db.joinedload(Company.engineers))).unique().scalar_one().engineers",
        "db.session.execute(db.select(Company).options(db.joinedload(Company.engineers))).unique().scalar_one().engineers",
    ),
    (
        "Engineer.query.options(db.joinedload(Engineer.company)).order_by(Engineer.id).all()",
        "Engineer.query.options(db.joinedload(Engineer.company)).order_by(Engineer.id).all()",
    ),
    (
        "[db.session.get(Manager, 1), db.session.get(Employee, 2)]",
        "[db.session.get(Manager, 1), db.session.get(Employee, 2)]",
    ),
];

fn single_table_answers_match_flask(kind: Kind) {
    answers_match_flask(kind, SINGLE);
}
crate::on_every_database!(single_table_answers_match_flask);

fn joined_table_answers_match_flask(kind: Kind) {
    answers_match_flask(kind, JOINED);
}
crate::on_every_database!(joined_table_answers_match_flask);

fn answers_match_flask(kind: Kind, models: &str) {
    let Some(python) = peer_python() else { return };
    let db = TestDb::new(kind);
    let dir = tempfile::tempdir().unwrap();
    write_flask_app(dir.path(), &flask_url(&db), models);
    // Flask builds the schema and writes a mixed hierarchy, out of class order.
    run_python(
        &python,
        dir.path(),
        "from app import *\nwith app.app_context():\n    db.create_all()\n    c = Company(name='acme')\n    c.employees = [Engineer(name='eng1', engineer_info='rust'), Manager(name='mgr1', manager_data='budget'), Employee(name='emp1'), Lead(name='lead1', engineer_info='go')]\n    db.session.add(c)\n    db.session.commit()\n",
    );
    let python_code = format!(
        "from app import *\nwith app.app_context():\n{}",
        QUESTIONS
            .iter()
            .map(|(q, _)| format!("    print({q})\n"))
            .collect::<String>()
    );
    let flask = run_python(&python, dir.path(), &python_code);
    let rhai: String = QUESTIONS
        .iter()
        .map(|(_, q)| format!("print({q});\n"))
        .collect();
    let (ok, out) = ormsh(dir.path(), &rhai);
    assert!(ok, "{kind:?}: {out}");
    assert_eq!(out.trim(), flask.trim(), "{kind:?}");
    assert!(
        flask.contains("<Engineer 1>, <Manager 2>, <Employee 3>, <Lead 4>"),
        "{flask}"
    );

    // ormsh writes; Flask reads the rows back as the classes ormsh made.
    let (ok, out) = ormsh(
        dir.path(),
        r#"let c = Company.query.one();
           c.employees.append(Manager(#{ name: "mgr2", manager_data: "ops" }));
           db.session.add(Lead(#{ name: "lead2", engineer_info: "zig", company: c }));
           let e = Engineer.query.filter_by(#{ name: "eng1" }).one();
           e.engineer_info = "rust 2";
           db.session.commit();
           db.session.delete(Manager.query.filter_by(#{ name: "mgr1" }).one());
           db.session.commit();"#,
    );
    assert!(ok, "{kind:?}: {out}");
    let back = run_python(
        &python,
        dir.path(),
        "from app import *\nwith app.app_context():\n    for e in Employee.query.order_by(Employee.id):\n        print(type(e).__name__, e.name, e.type, getattr(e, 'engineer_info', '-'), getattr(e, 'manager_data', '-'))\n",
    );
    assert_eq!(
        back.trim(),
        "Engineer eng1 engineer rust 2 -\nEmployee emp1 employee - -\nLead lead1 lead go -\nManager mgr2 manager - ops\nLead lead2 lead zig -",
        "{kind:?}"
    );
    // Read through a separate connection too: one table, the discriminator set.
    let rows = db.rows("SELECT name, type FROM employee ORDER BY id");
    assert_eq!(rows.len(), 5, "{kind:?}: {rows:?}");
    assert_eq!(rows[3], vec!["mgr2".to_string(), "manager".to_string()]);

    // The schema Flask made is the one ormsh's models describe.
    let (ok, out) = ormsh_in(dir.path(), &["db", "diff"]);
    assert!(ok, "db diff finds drift on {kind:?}: {out}");
    // Dumped as a models file, the hierarchy reloads and describes the same schema.
    let dump = Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("FLASK_APP")
        .env("HOME", dir.path())
        .args(["models", "dump"])
        .output()
        .unwrap();
    let dumped = String::from_utf8_lossy(&dump.stdout).to_string();
    assert!(
        dump.status.success() && dumped.contains(r#"inherits: "Employee""#),
        "{dumped}"
    );
    let again = Project::new(&db.url, &dumped);
    let diff = again.ormsh().args(["db", "diff"]).output().unwrap();
    assert_eq!(diff.status.code(), Some(0), "{kind:?}: {diff:?}\n{dumped}");
    // An outer join to rows that span tables reads them whole, in
    // parentheses: the same rows as Flask's.
    let question = "Company.query.outerjoin(Company.engineers).order_by(Engineer.id).with_entities(Company.name, Engineer.name).all()";
    let (ok, out) = ormsh(dir.path(), &format!("print({question});"));
    let flask = run_python(
        &python,
        dir.path(),
        &format!("from app import *\nwith app.app_context():\n    print({question})\n"),
    );
    assert!(ok && out.trim() == flask.trim(), "{kind:?}: {out}\n{flask}");
}

const RHAI_MODELS: &str = r#"db.Model("Employee", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("name", db.String(50)),
    db.Column("type", db.String(20)),
], #{ __mapper_args__: #{ polymorphic_on: "type", polymorphic_identity: "employee" } });
db.Model("Engineer", [
    db.Column("engineer_info", db.String(50)),
], #{ inherits: "Employee", __mapper_args__: #{ polymorphic_identity: "engineer" } });
db.Model("Manager", [
    db.Column("manager_data", db.String(50)),
], #{ inherits: "Employee", __mapper_args__: #{ polymorphic_identity: "manager" } });
"#;

/// The models file: one table made for the hierarchy, rows in the order
/// they were added, bulk statements on a subclass touch its rows only.
fn models_file_hierarchy(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, RHAI_MODELS);
    project.run_ok(
        r#"db.create_all();
           db.session.add_all([Engineer(#{ name: "a", engineer_info: "x" }), Employee(#{ name: "b" }), Manager(#{ name: "c", manager_data: "y" }), Engineer(#{ name: "d" })]);"#,
    );
    assert_eq!(
        db.rows("SELECT id, name, type FROM employee ORDER BY id"),
        vec![
            vec!["1", "a", "engineer"],
            vec!["2", "b", "employee"],
            vec!["3", "c", "manager"],
            vec!["4", "d", "engineer"]
        ]
        .into_iter()
        .map(|r| r.into_iter().map(String::from).collect::<Vec<_>>())
        .collect::<Vec<_>>()
    );
    let diff = project.ormsh().args(["db", "diff"]).output().unwrap();
    assert_eq!(diff.status.code(), Some(0), "{kind:?}: {diff:?}");
    // `models dump` writes the hierarchy so that the file reloads as it was.
    let dump = project.ormsh().args(["models", "dump"]).output().unwrap();
    let dumped = String::from_utf8_lossy(&dump.stdout).to_string();
    assert!(
        dumped.contains(r#"#{ inherits: "Engineer""#)
            || dumped.contains(
                r#"inherits: "Employee", __mapper_args__: #{ polymorphic_identity: "engineer" }"#
            ),
        "{dumped}"
    );
    let again = Project::new(&db.url, &dumped);
    let diff = again.ormsh().args(["db", "diff"]).output().unwrap();
    assert_eq!(diff.status.code(), Some(0), "{kind:?}: {diff:?}");
    let (out, _) = project.run_ok(
        r#"print(Engineer.query.filter_by(#{ name: "b" }).count());
           print(Employee.query.filter_by(#{ name: "a" }).one().engineer_info);
           print(Engineer.query.filter(Engineer.name != "zzz").update(#{ engineer_info: "set" }));
           print(Manager.query.delete());"#,
    );
    assert!(out.contains("0\nx\n2\n1\n"), "{kind:?}: {out}");
    assert_eq!(
        db.rows(
            "SELECT name, engineer_info FROM employee WHERE engineer_info IS NOT NULL ORDER BY id"
        ),
        vec![
            vec!["a".to_string(), "set".to_string()],
            vec!["d".into(), "set".into()]
        ]
    );
    assert_eq!(db.scalar("SELECT COUNT(*) FROM employee"), "3");
    // A row whose discriminator names no model is an error, not a guess.
    db.rows("UPDATE employee SET type = 'intern' WHERE name = 'b'");
    let out = project
        .ormsh()
        .args(["-c", "print(Employee.query.all())"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("'intern'"),
        "{kind:?}: {err}"
    );
}
crate::on_every_database!(models_file_hierarchy);

#[test]
fn what_ormsh_cannot_honour_is_refused_at_its_line() {
    let cases = [
        (
            "db.Model(\"Engineer\", [db.Column(\"key\", db.Integer, db.ForeignKey(\"employee.id\"), #{ primary_key: true })], #{ inherits: \"Employee\", __mapper_args__: #{ polymorphic_identity: \"e\" } });",
            "name it `id` and make it refer to employee.id",
        ),
        (
            "db.Model(\"Engineer\", [], #{ inherits: \"Employee\", tablename: \"engineer\", __mapper_args__: #{ polymorphic_identity: \"e\" } });",
            "a table of its own needs a primary key of its own",
        ),
        (
            "db.Model(\"Engineer\", [], #{ inherits: \"Employee\", __mapper_args__: #{ concrete: true } });",
            "`concrete` is not supported",
        ),
        (
            "db.Model(\"Engineer\", [], #{ inherits: \"Employee\", __mapper_args__: #{ polymorphic_identity: \"employee\" } });",
            "the same polymorphic_identity",
        ),
        (
            "db.Model(\"Engineer\", [], #{ inherits: \"Employee\" });",
            "needs a polymorphic_identity",
        ),
        (
            "db.Model(\"Engineer\", [], #{ inherits: \"Nobody\", __mapper_args__: #{ polymorphic_identity: \"e\" } });",
            "not a model declared before it",
        ),
    ];
    let base = r#"db.Model("Employee", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("type", db.String(20)),
], #{ __mapper_args__: #{ polymorphic_on: "type", polymorphic_identity: "employee" } });
"#;
    for (decl, message) in cases {
        let project = Project::new("sqlite:///app.db", &format!("{base}{decl}\n"));
        let out = project.ormsh().args(["-c", "1"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains(message),
            "{decl}: {err}"
        );
    }
}

/// Statements that would touch one table of a joined-table row are refused.
#[test]
fn bulk_statements_on_joined_rows_are_refused() {
    let models = r#"db.Model("Employee", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("type", db.String(20)),
], #{ __mapper_args__: #{ polymorphic_on: "type", polymorphic_identity: "employee" } });
db.Model("Engineer", [
    db.Column("id", db.Integer, db.ForeignKey("employee.id"), #{ primary_key: true }),
    db.Column("info", db.String(20)),
], #{ inherits: "Employee", __mapper_args__: #{ polymorphic_identity: "engineer" } });
"#;
    let project = Project::new("sqlite:///app.db", models);
    project.run_ok("db.create_all(); db.session.add(Engineer(#{ info: \"x\" }));");
    for (code, message) in [
        (
            "Engineer.query.filter(Engineer.info == \"x\").delete()",
            "joined-table inheritance",
        ),
        (
            "Engineer.query.filter(Engineer.info == \"x\").update(#{ info: \"y\" })",
            "joined-table inheritance",
        ),
        (
            "db.session.execute(db.insert(Engineer).values(#{ info: \"y\" }))",
            "rows span tables",
        ),
    ] {
        let out = project.ormsh().args(["-c", code]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains(message),
            "{code}: {err}"
        );
    }
    let (out, _) =
        project.run_ok("print(Engineer.query.count()); print(Employee.query.one().info);");
    assert!(out.contains("1\nx\n"), "{out}");
}
