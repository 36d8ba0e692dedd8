//! Every relationship shape in one schema (one-to-one, two relationships to
//! one model, back_populates, many-to-many, a hierarchy, a composite foreign
//! key), loaded with chained loader options, `defer`/`load_only`, and eager
//! loads of many-to-many and composite keys, counting the statements sent.

use crate::common::{Kind, Project, TestDb};

const SHAPES: &str = include_str!("fixtures/shapes.rhai");

const DATA: &str = r#"
db.create_all();
let users = [];
for i in 0..3 {
    let u = User(#{ username: `u${i}`, email: `u${i}@example.com`, bio: `bio ${i}` });
    users.push(u);
    db.session.add(u);
}
let tags = [];
for i in 0..3 { let t = Tag(#{ name: `t${i}` }); tags.push(t); db.session.add(t); }
db.session.flush();
for i in 0..6 {
    let p = Post(#{ title: `p${i}`, author: users[i / 2], editor: users[0] });
    p.tags.append(tags[i % 3]);
    p.tags.append(tags[(i + 1) % 3]);
    db.session.add(p);
}
db.session.add(Profile(#{ user: users[0], city: "Oslo" }));
let boss = Employee(#{ name: "boss" });
let a = Employee(#{ name: "a", manager: boss });
db.session.add(Employee(#{ name: "b", manager: boss }));
db.session.add(Employee(#{ name: "c", manager: a }));
let l1 = OrderLine(#{ order_id: 1, line_no: 1, item: "pen" });
let l2 = OrderLine(#{ order_id: 1, line_no: 2, item: "ink" });
db.session.add_all([l1, l2]);
db.session.flush();
db.session.add_all([
    Shipment(#{ line: l1, carrier: "dhl" }),
    Shipment(#{ line: l1, carrier: "ups" }),
    Shipment(#{ line: l2, carrier: "dhl" }),
]);
"#;

fn selects(echo: &str) -> usize {
    echo.lines().filter(|l| l.starts_with("SELECT")).count()
}

/// The output and the number of SELECTs of a script.
fn run(project: &Project, script: &str) -> (String, usize, String) {
    let (out, echo) = project.run_ok(script);
    let n = selects(&echo);
    (out, n, echo)
}

fn shapes(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, SHAPES);
    project.run_ok(DATA);

    // Chained options: posts and their tags, in one statement or several.
    let tags_of_all = |options: &str| {
        run(
            &project,
            &format!(
                "let names = []; for u in User.query.options({options}).order_by(User.id).all() {{ for p in u.posts {{ for t in p.tags {{ names.push(`${{p.title}}:${{t.name}}`); }} }} }} print(names);"
            ),
        )
    };
    let expected = "[\"p0:t0\", \"p0:t1\", \"p1:t1\", \"p1:t2\", \"p2:t0\", \"p2:t2\", \"p3:t0\", \"p3:t1\", \"p4:t1\", \"p4:t2\", \"p5:t0\", \"p5:t2\"]\n";
    for (options, statements) in [
        ("joinedload(User.posts).joinedload(Post.tags)", 1),
        ("joinedload(User.posts).selectinload(Post.tags)", 2),
        ("selectinload(User.posts).joinedload(Post.tags)", 2),
        ("selectinload(User.posts).selectinload(Post.tags)", 3),
        ("subqueryload(User.posts).subqueryload(Post.tags)", 3),
        ("defaultload(User.posts).joinedload(Post.tags)", 1 + 3),
        ("lazyload(User.posts)", 1 + 3 + 6),
    ] {
        let (out, n, echo) = tags_of_all(options);
        assert_eq!(out, expected, "{kind:?} {options}");
        assert_eq!(n, statements, "{kind:?} {options}:\n{echo}");
    }
    let (_, _, echo) = tags_of_all("joinedload(User.posts).joinedload(Post.tags)");
    assert!(
        echo.contains("LEFT OUTER JOIN") && echo.contains("post_tag"),
        "{echo}"
    );

    // Many-to-many alone: joined = 1, selectin = 2, lazy = 1 + 6.
    for (options, statements) in [
        (".options(joinedload(Post.tags))", 1),
        (".options(selectinload(Post.tags))", 2),
        ("", 7),
    ] {
        let (out, n, echo) = run(
            &project,
            &format!(
                "let n = 0; for p in Post.query{options}.all() {{ n += p.tags.len(); }} print(n);"
            ),
        );
        assert_eq!(
            (out.as_str(), n),
            ("12\n", statements),
            "{kind:?} {options}:\n{echo}"
        );
    }

    // A composite foreign key: both directions, lazily and eagerly.
    let (out, n, echo) = run(
        &project,
        "print(Shipment.query.order_by(Shipment.id).first().line); let n = 0; for l in OrderLine.query.options(joinedload(OrderLine.shipments)).all() { n += l.shipments.len(); } print(n);",
    );
    assert_eq!(
        (out.as_str(), n),
        ("<OrderLine 1/1>\n3\n", 3),
        "{kind:?}:\n{echo}"
    );
    let (out, n, echo) = run(
        &project,
        "let names = []; for s in Shipment.query.options(selectinload(Shipment.line)).order_by(Shipment.id).all() { names.push(s.line.item); } print(names); let n = 0; for l in OrderLine.query.options(selectinload(OrderLine.shipments)).all() { n += l.shipments.len(); } print(n);",
    );
    assert_eq!(
        (out.as_str(), n),
        ("[\"pen\", \"pen\", \"ink\"]\n3\n", 4),
        "{kind:?}:\n{echo}"
    );

    // defer and load_only: the columns are left out, and load when read.
    let (out, n, echo) = run(
        &project,
        r#"let u = User.query.options(defer(User.bio, User.email)).filter_by(#{ username: "u1" }).one();
        print(u.username);
        print(u.email);
        let v = User.query.options(load_only(User.username)).filter_by(#{ username: "u2" }).one();
        print(v.bio);"#,
    );
    assert_eq!(out, "u1\nu1@example.com\nbio 2\n", "{kind:?}");
    assert_eq!(n, 4, "{kind:?}:\n{echo}");
    let first = echo.lines().find(|l| l.starts_with("SELECT")).unwrap();
    assert!(
        !first.contains("bio") && !first.contains("email") && first.contains("username"),
        "{first}"
    );

    // One-to-one, two relationships to one model, and the hierarchy.
    let (out, _, _) = run(
        &project,
        r#"let u0 = User.query.filter_by(#{ username: "u0" }).one();
        print(u0.profile.city);
        print(Profile.query.one().user.username);
        print(User.query.filter_by(#{ username: "u1" }).one().profile == ());
        let p = Post.query.filter_by(#{ title: "p3" }).one();
        print(`${p.author.username} ${p.editor.username}`);
        let boss = Employee.query.options(joinedload(Employee.reports).joinedload(Employee.reports)).filter_by(#{ name: "boss" }).one();
        for e in boss.reports { print(`${e.name}: ${e.reports}`); }"#,
    );
    // b was added before a, so it has the lower id and comes first.
    assert_eq!(
        out, "Oslo\nu0\ntrue\nu1 u0\nb: []\na: [<Employee c>]\n",
        "{kind:?}"
    );

    // back_populates keeps both sides in step in memory, before any flush.
    let (out, _, _) = run(
        &project,
        r#"db.session.autoflush = false;
        let u1 = User.query.filter_by(#{ username: "u1" }).one();
        let u2 = User.query.filter_by(#{ username: "u2" }).one();
        let p = Post(#{ title: "moved" });
        u1.posts.append(p);
        print(p.author.username);
        p.author = u2;
        print(u1.posts.contains(p));
        print(u2.posts.contains(p));
        print(u2.posts.len());
        db.session.commit();"#,
    );
    assert_eq!(out, "u1\nfalse\ntrue\n3\n", "{kind:?}");
    assert_eq!(
        db.scalar(&format!(
            "SELECT u.username FROM {} p JOIN {} u ON u.id = p.user_id WHERE p.title = 'moved'",
            db.quote("post"),
            db.quote("user")
        )),
        "u2"
    );
}

on_every_database!(shapes);

/// `lazy: "selectin"` on both sides of a relationship loads each side once:
/// eager defaults stop where they would load back up the path.
fn eager_defaults_stop(kind: Kind) {
    let db = TestDb::new(kind);
    let models = SHAPES
        .replace(
            r#"#{ back_populates: "author", order_by: "Post.id" }"#,
            r#"#{ back_populates: "author", order_by: "Post.id", lazy: "selectin" }"#,
        )
        .replace(
            r#"#{ back_populates: "posts", foreign_keys: ["user_id"] }"#,
            r#"#{ back_populates: "posts", foreign_keys: ["user_id"], lazy: "joined" }"#,
        );
    let project = Project::new(&db.url, &models);
    project.run_ok(DATA);
    let (out, n, echo) = run(
        &project,
        "let n = 0; for u in User.query.all() { for p in u.posts { n += p.author.id; } } print(n);",
    );
    assert_eq!((out.as_str(), n), ("12\n", 2), "{kind:?}:\n{echo}");
    let (out, n, echo) = run(
        &project,
        "let n = 0; for p in Post.query.all() { n += p.author.id; } print(n);",
    );
    assert_eq!((out.as_str(), n), ("12\n", 1), "{kind:?}:\n{echo}");
}

on_every_database!(eager_defaults_stop);

/// Two foreign keys to one model and no `foreign_keys`: the error names the
/// columns and the fix, as SQLAlchemy's AmbiguousForeignKeysError does.
#[test]
fn ambiguous_foreign_keys() {
    let db = TestDb::new(Kind::Sqlite);
    let models = SHAPES.replace(
        r#"#{ back_populates: "posts", foreign_keys: ["user_id"] }"#,
        r#"#{ back_populates: "posts" }"#,
    );
    let project = Project::new(&db.url, &models);
    let out = project.ormsh().args(["-c", "1"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("User.posts: User and Post are linked by more than one foreign key (user_id, editor_id); say which with #{ foreign_keys: [\"user_id\"] }"),
        "{stderr}"
    );
}

/// `.rels`: each relationship with its kind, foreign key, strategy, cascade
/// and partner; as Mermaid and Graphviz; and for one model.
#[test]
fn rels() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, SHAPES);
    let out = project
        .ormsh()
        .arg("shell")
        .write_stdin(".rels\n.rels --mermaid\n.rels --dot\n.rels Tag\n")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "User.posts → Post  o2m  fk post.user_id → user.id  lazy select  cascade save-update, merge  backref Post.author",
        "User.profile → Profile  o2o  fk profile.user_id → user.id",
        "Post.editor → User  m2o  fk post.editor_id → user.id  lazy select  cascade save-update, merge\n",
        "Post.tags → Tag  m2m  fk through post_tag",
        "Employee.manager → Employee  m2o  fk employee.manager_id → employee.id",
        "Shipment.line → OrderLine  m2o  fk shipment.order_id → order_line.order_id, shipment.line_no → order_line.line_no",
        "erDiagram\n",
        "    User ||--o{ Post : posts\n",
        "    User ||--o| Profile : profile\n",
        "    Post }o--o{ Tag : tags\n",
        "    OrderLine ||--o{ Shipment : shipments\n",
        "digraph models {\n",
        "    \"Post\" -> \"Tag\" [label=\"tags (m2m)\"];\n",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    assert_eq!(
        text.matches("}o--o{").count(),
        1,
        "a many-to-many pair is drawn once:\n{text}"
    );
    let last = text.rsplit("digraph").next().unwrap();
    let tag_lines: Vec<&str> = last.lines().filter(|l| l.contains(" → ")).collect();
    assert_eq!(
        tag_lines.len(),
        2,
        ".rels Tag: Tag.posts and Post.tags:\n{last}"
    );
}
