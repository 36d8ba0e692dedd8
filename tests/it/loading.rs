//! Loading strategies send the number of statements SQLAlchemy's do, and the
//! N+1 detector warns about the lazy loop but not the eager one.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

const DATA: &str = r#"
db.create_all();
for i in 0..20 {
    let u = User(#{ username: `u${i}`, email: `u${i}@example.com` });
    db.session.add(u);
    for j in 0..5 { db.session.add(Post(#{ title: `p${i}.${j}`, content: "x", author: u })); }
}
"#;

fn selects(echo: &str) -> usize {
    echo.lines().filter(|l| l.starts_with("SELECT")).count()
}

fn strategies(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(DATA);
    let scan = |options: &str| {
        project.run_ok(&format!(
            "let total = 0; for p in Post.query{options}.order_by(Post.id).all() {{ total += p.author.username.len(); }} print(total);"
        ))
    };
    // 100 posts by 20 authors: lazy = 1 + 20, joined = 1, selectin/subquery = 2.
    let (out, echo) = scan("");
    assert_eq!(out, "250\n");
    assert_eq!(selects(&echo), 21, "{kind:?} lazy:\n{echo}");
    assert!(
        echo.contains("N+1: Post.author was loaded lazily 20 times (20 queries)"),
        "{echo}"
    );
    assert!(
        echo.contains("step.rhai:1: "),
        "the script line is named:\n{echo}"
    );
    let (out, echo) = scan(".options(joinedload(Post.author))");
    assert_eq!(out, "250\n");
    assert_eq!(selects(&echo), 1, "{kind:?} joined:\n{echo}");
    assert!(!echo.contains("N+1"), "{echo}");
    for option in ["selectinload", "subqueryload"] {
        let (out, echo) = scan(&format!(".options({option}(Post.author))"));
        assert_eq!(out, "250\n");
        assert_eq!(selects(&echo), 2, "{kind:?} {option}:\n{echo}");
    }
    // One-to-many both ways: every user's posts.
    let (out, echo) = project.run_ok("let n = 0; for u in User.query.options(joinedload(User.posts)).all() { n += u.posts.len(); } print(n);");
    assert_eq!(
        (out.as_str(), selects(&echo)),
        ("100\n", 1),
        "{kind:?}:\n{echo}"
    );
    let (out, echo) = project.run_ok("let n = 0; for u in User.query.options(selectinload(User.posts)).all() { n += u.posts.len(); } print(n);");
    assert_eq!(
        (out.as_str(), selects(&echo)),
        ("100\n", 2),
        "{kind:?}:\n{echo}"
    );
    // raiseload refuses, naming the relationship.
    let out = project
        .ormsh()
        .arg("-c")
        .arg("Post.query.options(raiseload(Post.author)).first().author")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Post.author is not loaded"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // At the prompt the warning follows the result; .nplusone off silences it.
    let out = project
        .ormsh()
        .arg("shell")
        .write_stdin("let t = 0; for p in Post.query.all() { t += p.author.id; } t\n.nplusone off\nlet t = 0; for p in Post.query.all() { t += p.author.id; } t\n")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("N+1").count(), 1, "{err}");
}

on_every_database!(strategies);

/// The identity map holds objects weakly, as SQLAlchemy's does: one that a
/// variable holds is found again without SQL, one nobody holds is gone.
fn weak_identity_map(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(DATA);
    let (out, echo) = project.run_ok(
        r#"let u = db.session.get(User, 1); let again = db.session.get(User, 1);
        print(u == again); u = (); again = ();
        db.session.get(User, 1);
        let p = Post.query.filter_by(#{ id: 6 }).first(); print(p.author.username);
        print(db.session.get(User, 2).username);"#,
    );
    assert_eq!(out, "true\nu1\nu1\n", "{echo}");
    // get(1) held: one SELECT for two gets; let go: a second; the post and
    // its author: two; the author found again by get(2) while p holds it.
    assert_eq!(selects(&echo), 4, "{kind:?}:\n{echo}");
}
on_every_database!(weak_identity_map);
