//! Every code block of the seed document, in order, as Rhai, on every
//! database the environment names: what ormsh prints, and the rows it
//! committed read back through a separate connection.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

fn seed_walkthrough(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    let user = db.quote("user");
    let post = db.quote("post");

    // $ flask shell / >>> db.create_all()
    let (_, echo) = project.run_ok("db.create_all();");
    assert!(echo.contains("CREATE TABLE"), "{echo}");
    assert_eq!(db.scalar(&format!("SELECT count(*) FROM {user}")), "0");
    // create_all leaves existing tables alone.
    let (_, echo) = project.run_ok("db.create_all();");
    assert!(!echo.contains("CREATE TABLE"), "{echo}");

    // Create
    project.run_ok(
        r#"
        new_user = User(#{ username: "johndoe", email: "john@example.com" });
        db.session.add(new_user);
        db.session.commit();  // Persists the changes to the database
        "#,
    );
    assert_eq!(
        db.rows(&format!("SELECT id, username, email FROM {user}")),
        vec![vec!["1", "johndoe", "john@example.com"]]
    );

    // Read
    let (out, _) = project.run_ok(
        r#"
        // Get all users
        users = User.query.all();
        // Get a user by ID
        user = User.query.get(1);
        // Filter users by a attribute
        user = User.query.filter_by(#{ username: "johndoe" }).first();
        print(users);
        print(user);
        print(user.email);
        "#,
    );
    assert_eq!(out, "[<User johndoe>]\n<User johndoe>\njohn@example.com\n");

    // Update: only the changed column is written.
    let (_, echo) = project.run_ok(
        r#"
        user = User.query.get(1);
        user.email = "new_email@example.com";
        db.session.commit();
        "#,
    );
    // How each database quotes `user` is quoting.rs's to check.
    let unquoted = echo.replace(['"', '`'], "");
    assert!(unquoted.contains("UPDATE user SET email = "), "{echo}");
    assert!(!unquoted.contains("SET username ="), "{echo}");
    assert_eq!(
        db.scalar(&format!("SELECT email FROM {user} WHERE id = 1")),
        "new_email@example.com"
    );

    // Delete
    project.run_ok(
        r#"
        user = User.query.get(1);
        db.session.delete(user);
        db.session.commit();
        "#,
    );
    assert_eq!(db.scalar(&format!("SELECT count(*) FROM {user}")), "0");

    // Querying with filters and relationships (with data to find first).
    project.run_ok(
        r#"
        let john = User(#{ username: "johndoe", email: "john@example.com" });
        db.session.add(john);
        db.session.add(Post(#{ title: "Flask tips", content: "Use blueprints.", author: john }));
        db.session.add(Post(#{ title: "Rust notes", content: "Ownership.", author: john }));
        db.session.add(Post(#{ title: "Why Flask-SQLAlchemy", content: "Sessions.", author: john }));
        db.session.commit();
        "#,
    );
    let john_id = db.scalar(&format!("SELECT id FROM {user} WHERE username = 'johndoe'"));
    assert_eq!(
        db.rows(&format!("SELECT title, user_id FROM {post} ORDER BY id")),
        vec![
            vec!["Flask tips".to_string(), john_id.clone()],
            vec!["Rust notes".to_string(), john_id.clone()],
            vec!["Why Flask-SQLAlchemy".to_string(), john_id.clone()],
        ]
    );
    let (out, echo) = project.run_ok(
        r#"
        // Find all posts by a specific user
        user = User.query.filter_by(#{ username: "johndoe" }).first();
        users_posts = user.posts;  // Thanks to the relationship
        print(users_posts);

        // Find all posts with "Flask" in the title, joined with their author
        posts = Post.query.filter(Post.title.contains("Flask")).join(User).all();
        for post in posts {
            print(`Title: ${post.title}, Author: ${post.author.username}`);
        }
        "#,
    );
    assert_eq!(
        out,
        "[<Post Flask tips>, <Post Rust notes>, <Post Why Flask-SQLAlchemy>]\n\
         Title: Flask tips, Author: johndoe\n\
         Title: Why Flask-SQLAlchemy, Author: johndoe\n"
    );
    assert!(echo.contains(" JOIN "), "{echo}");
    assert!(echo.contains(" LIKE "), "{echo}");

    // Pitfall 3: joinedload loads every author in the one query.
    let (out, echo) = project.run_ok(
        r#"
        posts = Post.query.options(joinedload(Post.author)).all();
        for p in posts { print(p.author.username); }
        "#,
    );
    assert_eq!(out, "johndoe\njohndoe\njohndoe\n");
    assert_eq!(
        echo.matches("SELECT").count(),
        1,
        "one query, no N+1:\n{echo}"
    );
    assert!(echo.contains("LEFT OUTER JOIN"), "{echo}");

    // Pitfall 1: without commit nothing is saved, in a script as at the prompt.
    let ghost = project.file(
        "ghost.rhai",
        r#"db.session.add(User(#{ username: "ghost", email: "g@example.com" }));"#,
    );
    let out = project.ormsh().arg("run").arg(&ghost).output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("warning: 1 pending change not committed; rolled back"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = project
        .ormsh()
        .arg("shell")
        .write_stdin("db.session.add(User(#{ username: \"forgot\", email: \"f@example.com\" }))\nUser.query.count()\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        db.scalar(&format!(
            "SELECT count(*) FROM {user} WHERE username = 'forgot'"
        )),
        "0"
    );
    assert_eq!(
        db.scalar(&format!(
            "SELECT count(*) FROM {user} WHERE username = 'ghost'"
        )),
        "0"
    );

    // Pitfall 4: drop_all then create_all loses the data.
    project.run_ok("db.drop_all(#{ confirm: true }); db.create_all();");
    assert_eq!(db.scalar(&format!("SELECT count(*) FROM {user}")), "0");
    assert_eq!(db.scalar(&format!("SELECT count(*) FROM {post}")), "0");
}

on_every_database!(seed_walkthrough);
