//! Relationship shapes beyond the seed's: a self-referential hierarchy with
//! `remote_side`, and `lazy: "dynamic"` collections that are queries.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

const EMPLOYEES: &str = r#"
db.Model("Employee", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("name", db.String(50), #{ nullable: false }),
    db.Column("manager_id", db.Integer, db.ForeignKey("employee.id")),
    db.relationship("reports", "Employee", #{ backref: db.backref("manager", #{ remote_side: "Employee.id" }) }),
], #{ repr: |e| `<Employee ${e.name}>` });
"#;

fn hierarchy(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, EMPLOYEES);
    // Reports added before their manager: the flush still inserts the manager first.
    project.run_ok(
        r#"db.create_all();
        let boss = Employee(#{ name: "boss" });
        let a = Employee(#{ name: "a", manager: boss });
        let b = Employee(#{ name: "b" });
        db.session.add(a);
        boss.reports.append(b);"#,
    );
    let employee = db.quote("employee");
    assert_eq!(
        db.rows(&format!("SELECT e.name, m.name FROM {employee} e JOIN {employee} m ON e.manager_id = m.id ORDER BY e.name")),
        [["a", "boss"], ["b", "boss"]].map(|r| r.map(String::from).to_vec()).to_vec(),
        "{kind:?}"
    );
    let (out, _) = project.run_ok(
        r#"let boss = Employee.query.filter_by(#{ name: "boss" }).one();
        print(boss.reports);
        print(Employee.query.filter_by(#{ name: "a" }).one().manager);
        print(boss.manager == ());"#,
    );
    assert_eq!(
        out, "[<Employee a>, <Employee b>]\n<Employee boss>\ntrue\n",
        "{kind:?}"
    );
}

on_every_database!(hierarchy);

fn dynamic(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(
        &db.url,
        &BLOG_MODELS.replace("lazy: true", "lazy: \"dynamic\""),
    );
    project.run_ok(
        r#"db.create_all();
        let u = User(#{ username: "a", email: "a@x" });
        db.session.add(u);
        for i in 0..5 { db.session.add(Post(#{ title: `t${i}`, content: "c", author: u })); }"#,
    );
    let (out, echo) = project.run_ok(
        r#"let u = User.query.first();
        print(u.posts.count());
        print(u.posts.filter(Post.title > "t2").order_by(Post.id).all());
        print(u.posts.paginate(#{ per_page: 2 }).pages);"#,
    );
    assert_eq!(out, "5\n[<Post t3>, <Post t4>]\n3\n", "{kind:?}");
    assert!(echo.contains("count(*)"), "{echo}");
}

on_every_database!(dynamic);
