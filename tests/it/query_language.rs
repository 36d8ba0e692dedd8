//! The query language on every database: operators, functions, joins,
//! grouping, the result methods and bulk statements, checked by what they
//! print (the same text on all three) and by the rows left behind.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

const DATA: &str = r#"
db.create_all();
let amy = User(#{ username: "amy", email: "amy@example.com" });
let bob = User(#{ username: "Bob", email: "bob@example.org" });
let cy = User(#{ username: "cy_100%", email: "cy@example.com" });
db.session.add_all([amy, bob, cy]);
db.session.add(Post(#{ title: "Flask 101", content: "a", author: amy }));
db.session.add(Post(#{ title: "flask tips", content: "bb", author: amy }));
db.session.add(Post(#{ title: "Rust", content: "ccc", author: bob }));
"#;

const QUERIES: &str = r#"
fn names(list) { let out = []; for u in list { out.push(u.username); } out }
print(names(User.query.filter(User.id > 1).order_by(User.id).all()));
print(names(User.query.filter((User.id == 1) | (User.username == "Bob")).order_by(User.id.desc()).all()));
print(names(User.query.filter(and_(User.id >= 2, not_(User.username == "Bob"))).all()));
print(names(User.query.filter(!(User.id < 3)).all()));
print(names(User.query.filter(User.id.in_([1, 3])).order_by(User.id).all()));
print(User.query.filter(User.id.in_([])).count());
print(User.query.filter(User.id.not_in([])).count());
print(names(User.query.filter(User.id.between(2, 3)).order_by(User.id).all()));
print(User.query.filter(User.email.is_(())).count());
print(User.query.filter(User.email.is_not(())).count());
print(User.query.filter(User.email == ()).count());
print(names(User.query.filter(User.username.startswith("cy_1")).all()));
print(User.query.filter(User.username.contains("_")).count());
print(User.query.filter(User.username.contains("%")).count());
print(User.query.filter(User.username.like("c%")).count());
print(names(User.query.filter(User.username.icontains("BO")).all()));
print(names(User.query.filter(User.username.ilike("b%")).all()));
print(Post.query.filter(Post.title.icontains("FLASK")).count());
print(names(User.query.filter(User.email.endswith(".org")).all()));
print(names(User.query.order_by(User.email.desc(), User.id).limit(2).offset(1).all()));
print(Post.query.filter((Post.id + 1) * 2 > 6).count());
print(User.query.filter(User.id % 2 == 1).count());
print(Post.query.join(User).filter(User.username == "amy").count());
print(User.query.outerjoin(Post).filter(Post.id == ()).count());
print(Post.query.join(User, User.id == Post.user_id).filter(User.username == "Bob").count());
print(User.query.with_entities(User.username).order_by(User.username).all().to_array());
let rows = User.query.join(Post).with_entities(User.username, func.count(Post.id).label("posts")).group_by(User.username).having(func.count(Post.id) > 1).all();
print(rows.to_array());
print(Post.query.with_entities(func.max(Post.content)).scalar());
print(Post.query.with_entities(func.upper(Post.content)).order_by(Post.id).all().to_array());
print(User.query.with_entities(User.email).distinct().count());
print(Post.query.with_entities(func.sign(Post.id - 2)).order_by(Post.id).all().to_array());
print(User.query.filter_by(#{ username: "amy" }).one().email);
print(User.query.filter_by(#{ username: "nobody" }).one_or_none());
print(db.session.query(User.query.filter_by(#{ username: "amy" }).exists()).scalar());
print(db.session.scalar(db.select(User.query.filter_by(#{ username: "zed" }).exists())));
print(User.query.get(2).username);
print(User.query.get(99));
print(User.query.get_or_404(1).username);
print(User.query.filter(User.id > 2).first().username);
let q = User.query.filter_by(#{ username: "amy" });
print(q.sql().params);
print(q.explain().len() > 0);
let u = User.query.get(2);
print(User.query.filter(User.id == 2).update(#{ email: "b@x.org" }));
print(u.email);
print(Post.query.filter(Post.title.startswith("Rust")).delete());
print(Post.query.count());
"#;

const EXPECTED: &str = r#"["Bob", "cy_100%"]
["Bob", "amy"]
["cy_100%"]
["cy_100%"]
["amy", "cy_100%"]
0
3
["Bob", "cy_100%"]
0
3
0
["cy_100%"]
1
1
1
["Bob"]
["Bob"]
2
["Bob"]
["Bob", "amy"]
1
2
2
1
1
[["Bob"], ["amy"], ["cy_100%"]]
[["amy", 2]]
ccc
[["A"], ["BB"], ["CCC"]]
3
[[-1], [0], [1]]
amy@example.com
None
true
false
Bob
None
amy
cy_100%
["amy"]
true
1
b@x.org
1
2
"#;

fn query_language(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(DATA);
    let (out, _) = project.run_ok(QUERIES);
    // PostgreSQL's sign() returns double precision.
    let expected = if kind == Kind::Postgres {
        EXPECTED.replace("[[-1], [0], [1]]", "[[-1.0], [0.0], [1.0]]")
    } else {
        EXPECTED.to_string()
    };
    let expected = expected.replace(
        r#"[["Bob"], ["amy"], ["cy_100%"]]"#,
        match kind {
            // Collation orders capitals before lower case on SQLite and PostgreSQL (C), not on MariaDB.
            Kind::MySql => r#"[["amy"], ["Bob"], ["cy_100%"]]"#,
            _ => r#"[["Bob"], ["amy"], ["cy_100%"]]"#,
        },
    );
    assert_eq!(out, expected, "{kind:?}");
    assert_eq!(
        db.scalar(&format!(
            "SELECT email FROM {} WHERE id = 2",
            db.quote("user")
        )),
        "b@x.org"
    );
}

on_every_database!(query_language);

#[test]
fn one_says_which_way_it_failed() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(DATA);
    for (script, message) in [
        (
            "User.query.filter_by(#{ username: \"zed\" }).one()",
            "one(): no User matched the query",
        ),
        (
            "User.query.one()",
            "one(): more than one User matched the query",
        ),
        (
            "User.query.get_or_404(42)",
            "404 Not Found: no User with primary key 42",
        ),
        (
            "User.query.filter_by(#{ username: \"zed\" }).first_or_404()",
            "404 Not Found: no User matched the query",
        ),
    ] {
        let out = project.ormsh().arg("-c").arg(script).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{script}: {err}");
    }
}

/// Counts through ormsh's filters equal counts through hand-written SQL on
/// the same rows, read by a separate connection.
fn filters_agree_with_plain_sql(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(DATA);
    let user = db.quote("user");
    let post = db.quote("post");
    let cases = [
        (
            "User.query.filter(User.id > 1)",
            format!("SELECT count(*) FROM {user} WHERE id > 1"),
        ),
        (
            "User.query.filter(User.id != 2)",
            format!("SELECT count(*) FROM {user} WHERE id <> 2"),
        ),
        (
            "User.query.filter(User.id <= 2 & User.email.endswith(\".com\"))",
            format!("SELECT count(*) FROM {user} WHERE id <= 2 AND email LIKE '%.com'"),
        ),
        (
            "User.query.filter(User.id.in_([1, 2, 9]))",
            format!("SELECT count(*) FROM {user} WHERE id IN (1, 2, 9)"),
        ),
        (
            "User.query.filter(User.id.not_in([1]))",
            format!("SELECT count(*) FROM {user} WHERE id NOT IN (1)"),
        ),
        (
            "User.query.filter(User.id.between(1, 2))",
            format!("SELECT count(*) FROM {user} WHERE id BETWEEN 1 AND 2"),
        ),
        (
            "User.query.filter(User.username.icontains(\"B\"))",
            format!("SELECT count(*) FROM {user} WHERE lower(username) LIKE '%b%'"),
        ),
        (
            "User.query.filter(User.username.not_like(\"a%\"))",
            format!("SELECT count(*) FROM {user} WHERE username NOT LIKE 'a%'"),
        ),
        (
            "User.query.filter(or_(User.id == 1, User.id == 3))",
            format!("SELECT count(*) FROM {user} WHERE id = 1 OR id = 3"),
        ),
        (
            "Post.query.join(User).filter(User.username == \"amy\")",
            format!(
                "SELECT count(*) FROM {post} p JOIN {user} u ON p.user_id = u.id WHERE u.username = 'amy'"
            ),
        ),
        (
            "Post.query.filter(Post.id * 2 - 1 >= 3)",
            format!("SELECT count(*) FROM {post} WHERE id * 2 - 1 >= 3"),
        ),
        (
            "User.query.outerjoin(Post).filter(Post.id == ())",
            format!(
                "SELECT count(*) FROM {user} u LEFT JOIN {post} p ON p.user_id = u.id WHERE p.id IS NULL"
            ),
        ),
        (
            "User.query.order_by(User.id).limit(2).offset(1)",
            format!(
                "SELECT count(*) FROM (SELECT id FROM {user} ORDER BY id LIMIT 2 OFFSET 1) AS t"
            ),
        ),
    ];
    for (query, sql) in cases {
        let (out, _) = project.run_ok(&format!("print({query}.count());"));
        assert_eq!(
            out.trim(),
            db.scalar(&sql),
            "{kind:?}: {query} against {sql}"
        );
    }
    // explain() everywhere; explain(#{ analyze: true }) where the database has it.
    let (out, _) = project.run_ok("print(User.query.filter(User.id > 1).explain().len() > 0);");
    assert_eq!(out, "true\n");
    let analyzed = project
        .ormsh()
        .arg("-c")
        .arg("User.query.explain(#{ analyze: true }).len() > 0")
        .output()
        .unwrap();
    match kind {
        Kind::Sqlite => assert!(
            String::from_utf8_lossy(&analyzed.stderr).contains("sqlite has no EXPLAIN ANALYZE")
        ),
        _ => assert_eq!(
            String::from_utf8_lossy(&analyzed.stdout),
            "true\n",
            "{kind:?} {}",
            String::from_utf8_lossy(&analyzed.stderr)
        ),
    }
    // A bulk statement without a filter asks first at the prompt.
    let out = project
        .ormsh()
        .arg("shell")
        .write_stdin("User.query.delete()\nn\n")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not confirmed"));
    assert_eq!(db.scalar(&format!("SELECT count(*) FROM {user}")), "3");
    // db.get_or_404 and q.sql().
    let out = project
        .ormsh()
        .arg("-c")
        .arg("db.get_or_404(User, 99)")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("404 Not Found: no User with primary key 99")
    );
    let out = project
        .ormsh()
        .arg("-c")
        .arg("User.query.filter_by(#{ username: \"amy\" }).sql()")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("WHERE") && text.contains("[params: 'amy']"),
        "{text}"
    );
}

on_every_database!(filters_agree_with_plain_sql);

/// `get()` on a query with criteria is refused, as SQLAlchemy refuses it
/// ("Query.get() being called on a Query with existing criterion"), rather
/// than answering from the whole table.
#[test]
fn get_on_a_query_with_criteria_is_refused() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(DATA);
    for code in [
        r#"User.query.filter_by(#{ username: "Bob" }).get(1)"#,
        "User.query.limit(1).get(1)",
        "Post.query.join(User).get(1)",
        r#"User.query.filter(User.id > 5).get_or_404(1)"#,
    ] {
        let out = project.ormsh().args(["-c", code]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains("existing criterion"),
            "{code}: {err}"
        );
    }
    let (out, _) = project.run_ok(
        "print(User.query.get(1).username); print(User.query.order_by(User.id).get(2).username);",
    );
    assert_eq!(out, "amy\nBob\n");
}
