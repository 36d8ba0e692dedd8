//! A large flush's INSERTs that need no keys back run while the next batch
//! is being made (on SQLite, on a second thread): every row lands with the
//! key its object holds, every statement is logged in order, and one that
//! fails after the flush has gone on still names its rows, writes nothing,
//! and leaves the session usable.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

/// More users than one INSERT takes (500 rows), so a commit sends three.
const USERS: usize = 1200;

fn many_users(name_of_1100: &str) -> String {
    format!(
        r#"let users = [];
        for i in 0..{USERS} {{
            let name = if i == 1100 {{ "{name_of_1100}" }} else {{ `user${{i}}` }};
            let u = User(#{{ username: name, email: `e${{i}}@x` }});
            db.session.add(u);
            users.push(u);
        }}"#
    )
}

fn every_row_has_its_objects_key(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    let (out, echo) = project.run_ok(&format!(
        r#"{}
        db.session.commit();
        for u in users {{ print(`${{u.username}} ${{u.id}}`); }}"#,
        many_users("user1100")
    ));
    let mut rows = db.rows(&format!("SELECT username, id FROM {}", db.quote("user")));
    rows.sort_by_key(|r| r[1].parse::<i64>().unwrap());
    assert_eq!(rows.len(), USERS, "{kind:?}");
    let mut printed: Vec<Vec<String>> = out
        .lines()
        .map(|l| l.split(' ').map(String::from).collect())
        .collect();
    printed.sort_by_key(|r| r[1].parse::<i64>().unwrap());
    assert_eq!(printed, rows, "{kind:?}");

    // Logged as they ran: three INSERTs, then the COMMIT.
    let statements: Vec<&str> = echo
        .lines()
        .filter(|l| l.starts_with("INSERT") || l.starts_with("COMMIT"))
        .take_while(|l| !l.starts_with("COMMIT"))
        .chain(echo.lines().filter(|l| l.starts_with("COMMIT")).take(1))
        .collect();
    assert_eq!(statements.len(), 4, "{kind:?}\n{echo}");
    assert!(statements[3].starts_with("COMMIT"), "{kind:?}\n{echo}");
}

on_every_database!(every_row_has_its_objects_key);

fn a_failing_later_batch_writes_nothing(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    // User 1100 takes user 5's name: the third INSERT fails, after the
    // flush has made it and gone on.
    let (out, echo) = project.run_ok(&format!(
        r#"{}
        try {{ db.session.commit(); print("committed"); }} catch (e) {{
            print(`${{e}}`.contains("while inserting 200 User rows"));
            print(`${{e}}`.contains("The session was rolled back"));
        }}
        print(users[0].id == ());
        print(users[{last}].id == ());
        db.session.add(User(#{{ username: "after", email: "a@x" }}));
        db.session.commit();
        print(User.query.count());"#,
        many_users("user5"),
        last = USERS - 1
    ));
    assert_eq!(out, "true\ntrue\ntrue\ntrue\n1\n", "{kind:?}\n{echo}");
    assert_eq!(
        db.rows(&format!("SELECT username FROM {}", db.quote("user"))),
        [["after"]],
        "{kind:?}"
    );
}

on_every_database!(a_failing_later_batch_writes_nothing);
