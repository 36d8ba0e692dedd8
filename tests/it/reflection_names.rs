//! Names of reflected models and relationships on schemas as Flask apps make
//! them: a follow graph (two keys from one association table to the same
//! table), two keys from one table to another, plural table names, names
//! that are not identifiers, and names that collide. The shell always opens.

use crate::common::{Kind, Project, TestDb};

/// `ormsh ARGS` in `project`, expecting success: (stdout, stderr).
fn ormsh(project: &Project, args: &[&str], stdin: &str) -> (String, String) {
    let out = project
        .ormsh()
        .args(args)
        .write_stdin(stdin.to_string())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        out.status.success(),
        "ormsh {args:?} failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    (stdout, stderr)
}

fn run(project: &Project, script: &str) -> (String, String) {
    ormsh(project, &["run", "/dev/stdin"], script)
}

fn dump(project: &Project) -> (String, String) {
    ormsh(project, &["models", "dump"], "")
}

/// The lines of `stderr` that are notes.
fn notes(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("note:")).collect()
}

fn serial(kind: Kind) -> &'static str {
    match kind {
        Kind::Sqlite => "INTEGER PRIMARY KEY",
        Kind::Postgres => "SERIAL PRIMARY KEY",
        Kind::MySql => "INTEGER AUTO_INCREMENT PRIMARY KEY",
    }
}

/// The dump, loaded as a models file, dumps the same text and answers
/// `script` as the reflected models did.
fn dump_reloads(db: &TestDb, reflected: &Project, script: &str) {
    let (first, _) = dump(reflected);
    let declared = Project::new(&db.url, &first);
    let (again, stderr) = dump(&declared);
    assert_eq!(again, first, "{:?}", db.kind);
    assert!(notes(&stderr).is_empty(), "{stderr}");
    assert_eq!(
        run(&declared, script).0,
        run(reflected, script).0,
        "{:?}",
        db.kind
    );
}

/// `ormsh db diff` finds the reflected models equal to the database.
fn no_drift(project: &Project) {
    let (out, _) = ormsh(project, &["db", "diff"], "");
    assert!(out.contains("no drift"), "{out}");
}

/// Lists of usernames, sorted, as the script prints them.
const NAMES: &str =
    r#"fn names(users) { let n = []; for u in users { n.push(u.username) } n.sort(); n }"#;

/// Microblog's schema: `followers(follower_id, followed_id)` both to
/// `user.id` (with no primary key, as the tutorial makes it), posts, and
/// messages with a sender and a recipient.
fn follow_graph(kind: Kind) {
    let db = TestDb::new(kind);
    let user = db.quote("user");
    let serial = serial(kind);
    for sql in [
        format!("CREATE TABLE {user} (id {serial}, username VARCHAR(64) NOT NULL UNIQUE)"),
        format!(
            "CREATE TABLE followers (follower_id INTEGER REFERENCES {user}(id), followed_id INTEGER REFERENCES {user}(id))"
        ),
        format!(
            "CREATE TABLE post (id {serial}, body VARCHAR(140), user_id INTEGER NOT NULL REFERENCES {user}(id))"
        ),
        format!(
            "CREATE TABLE message (id {serial}, body VARCHAR(140), sender_id INTEGER REFERENCES {user}(id), recipient_id INTEGER REFERENCES {user}(id))"
        ),
        format!("INSERT INTO {user} (username) VALUES ('ann'), ('bob'), ('cat')"),
        // ann follows bob and cat; cat follows bob.
        "INSERT INTO followers (follower_id, followed_id) VALUES (1, 2), (1, 3), (3, 2)".into(),
        "INSERT INTO post (body, user_id) VALUES ('hello', 1)".into(),
        "INSERT INTO message (body, sender_id, recipient_id) VALUES ('hi', 1, 2)".into(),
    ] {
        db.rows(&sql);
    }
    let project = Project::without_models(&db.url, "");
    let (dumped, stderr) = dump(&project);
    assert!(notes(&stderr).is_empty(), "{kind:?}: {stderr}");
    for line in [
        r#"db.relationship("followed", "User", #{ backref: "followers", secondary: "followers", primaryjoin: "followers.c.follower_id == User.id", secondaryjoin: "followers.c.followed_id == User.id" })"#,
        r#"db.relationship("user", "User", #{ backref: "posts" })"#,
        r#"db.relationship("sender", "User", #{ backref: "messages_by_sender", foreign_keys: ["sender_id"] })"#,
        r#"db.relationship("recipient", "User", #{ backref: "messages_by_recipient", foreign_keys: ["recipient_id"] })"#,
    ] {
        assert!(dumped.contains(line), "{kind:?}: {line} in\n{dumped}");
    }

    let graph = format!(
        r#"{NAMES}
        let ann = User.query.filter_by(#{{ username: "ann" }}).one();
        let bob = User.query.filter_by(#{{ username: "bob" }}).one();
        let cat = User.query.filter_by(#{{ username: "cat" }}).one();
        print(names(ann.followed));
        print(names(ann.followers));
        print(names(bob.followers));
        print(names(bob.followed));
        print(names(cat.followed));
        print(names(cat.followers));
        print(ann.posts.len());
        print(Post.query.one().user.username);
        print(Message.query.one().recipient.username);
        print(ann.messages_by_sender.len());
        print(bob.messages_by_recipient.len());
        print(bob.messages_by_sender.len());"#
    );
    let (out, _) = run(&project, &graph);
    assert_eq!(
        out,
        "[\"bob\", \"cat\"]\n[]\n[\"ann\", \"cat\"]\n[]\n[\"bob\"]\n[\"ann\"]\n1\nann\nbob\n1\n1\n0\n",
        "{kind:?}: followed holds whom one follows, followers who follows one"
    );

    // Written through the reflected models: dan follows ann, and bob follows
    // dan from the other side.
    run(
        &project,
        r#"let ann = User.query.filter_by(#{ username: "ann" }).one();
        let bob = User.query.filter_by(#{ username: "bob" }).one();
        let dan = User(#{ username: "dan" });
        dan.followed.append(ann);
        dan.followers.append(bob);
        db.session.add(dan);
        db.session.commit();"#,
    );
    assert_eq!(
        db.rows(&format!(
            "SELECT a.username, b.username FROM followers f JOIN {user} a ON a.id = f.follower_id JOIN {user} b ON b.id = f.followed_id WHERE 'dan' IN (a.username, b.username) ORDER BY a.username"
        )),
        [["bob", "dan"], ["dan", "ann"]]
            .map(|r| r.map(String::from).to_vec())
            .to_vec(),
        "{kind:?}: (follower, followed)"
    );
    no_drift(&project);
    dump_reloads(&db, &project, &graph);
}

on_every_database!(follow_graph);

/// A blog whose tables are plural: models are singular, collections plural
/// once, and the two keys of `messages` to `users` get distinct names.
fn plural_tables(kind: Kind) {
    let db = TestDb::new(kind);
    let serial = serial(kind);
    for sql in [
        format!("CREATE TABLE users (id {serial}, username VARCHAR(64) NOT NULL)"),
        format!("CREATE TABLE categories (id {serial}, name VARCHAR(64) NOT NULL)"),
        format!("CREATE TABLE posts (id {serial}, title VARCHAR(100) NOT NULL, user_id INTEGER NOT NULL REFERENCES users(id), category_id INTEGER REFERENCES categories(id))"),
        format!("CREATE TABLE comments (id {serial}, body TEXT, post_id INTEGER NOT NULL REFERENCES posts(id), user_id INTEGER NOT NULL REFERENCES users(id))"),
        format!("CREATE TABLE messages (id {serial}, body TEXT, sender_id INTEGER NOT NULL REFERENCES users(id), recipient_id INTEGER NOT NULL REFERENCES users(id))"),
        "CREATE TABLE post_tags (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts(id), label VARCHAR(20) NOT NULL)".into(),
        "INSERT INTO users (username) VALUES ('amy'), ('bob')".into(),
        "INSERT INTO categories (name) VALUES ('news')".into(),
        "INSERT INTO posts (title, user_id, category_id) VALUES ('Hello', 1, 1)".into(),
        "INSERT INTO comments (body, post_id, user_id) VALUES ('nice', 1, 2), ('thanks', 1, 1)".into(),
        "INSERT INTO messages (body, sender_id, recipient_id) VALUES ('hi', 2, 1)".into(),
        "INSERT INTO post_tags (id, post_id, label) VALUES (1, 1, 'intro')".into(),
    ] {
        db.rows(&sql);
    }
    let project = Project::without_models(&db.url, "");
    let (out, stderr) = ormsh(&project, &["shell"], ".models\n");
    assert!(notes(&stderr).is_empty(), "{kind:?}: {stderr}");
    for model in [
        "User (reflected)",
        "Category (reflected)",
        "Post (reflected)",
        "Comment (reflected)",
        "Message (reflected)",
        "PostTag (reflected)",
    ] {
        assert!(out.contains(model), "{kind:?}: {model} in\n{out}");
    }
    let (dumped, _) = dump(&project);
    for line in [
        r#"db.relationship("user", "User", #{ backref: "posts" })"#,
        r#"db.relationship("category", "Category", #{ backref: "posts" })"#,
        r#"db.relationship("post", "Post", #{ backref: "comments" })"#,
        r#"db.relationship("user", "User", #{ backref: "comments" })"#,
        r#"db.relationship("post", "Post", #{ backref: "post_tags" })"#,
        r#"db.relationship("sender", "User", #{ backref: "messages_by_sender", foreign_keys: ["sender_id"] })"#,
        r#"], #{ tablename: "users" });"#,
        r#"], #{ tablename: "categories" });"#,
        r#"], #{ tablename: "post_tags" });"#,
    ] {
        assert!(dumped.contains(line), "{kind:?}: {line} in\n{dumped}");
    }
    for doubled in ["userses", "postses", "commentses", "Users\"", "Posts\""] {
        assert!(
            !dumped.contains(doubled),
            "{kind:?}: {doubled} in\n{dumped}"
        );
    }
    let script = r#"let amy = User.query.filter_by(#{ username: "amy" }).one();
        print(amy.posts.len());
        print(amy.comments.len());
        print(amy.messages_by_recipient[0].sender.username);
        let post = Post.query.one();
        print(post.category.name);
        print(post.comments.len());
        print(post.post_tags[0].label);
        print(Category.query.one().posts[0].title);
        print(Comment.query.filter(Comment.body == "nice").one().user.username);
        db.session.add(Comment(#{ body: "more", post: post, user: amy }));
        db.session.commit();
        print(amy.comments.len());"#;
    let (out, _) = run(&project, script);
    assert_eq!(
        out, "1\n1\nbob\nnews\n2\nintro\nHello\nbob\n2\n",
        "{kind:?}"
    );
    assert_eq!(
        db.scalar("SELECT count(*) FROM comments WHERE user_id = 1"),
        "2"
    );
    no_drift(&project);
    dump_reloads(
        &db,
        &project,
        "print(User.query.count()); print(Post.query.one().comments.len());",
    );
}

on_every_database!(plural_tables);

/// Names that collide or are not identifiers: `user` beside `users`, `post`
/// beside `posts`, a table and a column with spaces, a column that takes a
/// backref's name. The shell opens, and one note line tells each choice.
fn collisions(kind: Kind) {
    let db = TestDb::new(kind);
    let serial = serial(kind);
    let q = |name: &str| db.quote(name);
    let (user, order_items, unit_price, first_name) = (
        q("user"),
        q("order items"),
        q("unit price"),
        q("first name"),
    );
    for sql in [
        format!("CREATE TABLE {user} (id {serial}, username VARCHAR(64) NOT NULL)"),
        format!(
            "CREATE TABLE users (id {serial}, {first_name} VARCHAR(20), first_name VARCHAR(20))"
        ),
        format!("CREATE TABLE post (id {serial}, user_id INTEGER REFERENCES {user}(id))"),
        // `comments` here is a count, so the backref from `comments` needs another name.
        format!(
            "CREATE TABLE posts (id {serial}, title VARCHAR(50), comments INTEGER NOT NULL DEFAULT 0, user_id INTEGER REFERENCES users(id))"
        ),
        format!(
            "CREATE TABLE comments (id {serial}, body TEXT, post_id INTEGER REFERENCES posts(id))"
        ),
        // A key to a table with no primary key (so no model) is left out, with a note.
        "CREATE TABLE region (code VARCHAR(5) NOT NULL UNIQUE)".into(),
        format!(
            "CREATE TABLE {order_items} (id {serial}, {unit_price} INTEGER, post_id INTEGER REFERENCES post(id), region_code VARCHAR(5) REFERENCES region(code))"
        ),
        format!("INSERT INTO {user} (username) VALUES ('ann')"),
        format!("INSERT INTO users ({first_name}, first_name) VALUES ('Ann Lee', 'Ann')"),
        "INSERT INTO posts (title, comments, user_id) VALUES ('Hi', 1, 1)".into(),
        "INSERT INTO comments (body, post_id) VALUES ('yes', 1)".into(),
    ] {
        db.rows(&sql);
    }
    let project = Project::without_models(&db.url, "");
    let script = r#"print(User.query.one().username);
        let u = Users.query.one();
        print(u.first_name);
        print(u.first_name_2);
        let p = Posts.query.one();
        print(p.comments);
        print(p.comments_by_post[0].body);
        print(p.user.first_name);
        let post = Post(#{ user: User.query.one() });
        db.session.add(OrderItem(#{ unit_price: 7, post: post }));
        db.session.commit();
        print(post.order_items[0].unit_price);
        print(post.user.posts.len());"#;
    let (out, stderr) = run(&project, script);
    assert_eq!(out, "ann\nAnn\nAnn Lee\n1\nyes\nAnn\n7\n1\n", "{kind:?}");
    assert!(!stderr.contains("error"), "{kind:?}: {stderr}");
    assert_eq!(
        notes(&stderr),
        [
            "note: the model name Post is taken, so the table `posts` is the model Posts",
            "note: the model name User is taken, so the table `users` is the model Users",
            "note: Users.first_name is taken, so the column `users`.`first name` is Users.first_name_2",
            "note: the column `order items`.`region_code` refers to `region`, which no model maps, so OrderItem is reflected without that foreign key",
            "note: Posts.comments is taken, so the collection of Comment through post is Posts.comments_by_post",
        ],
        "{kind:?}"
    );
    assert_eq!(
        db.scalar(&format!("SELECT {unit_price} FROM {order_items}")),
        "7"
    );
    let (dumped, _) = dump(&project);
    for line in [
        r#"db.Column("first_name_2", db.String(20), #{ name: "first name" })"#,
        r#"db.Column("unit_price", db.Integer, #{ name: "unit price" })"#,
        r#"], #{ tablename: "order items" });"#,
        r#"db.relationship("post", "Post", #{ backref: "order_items" })"#,
        r#"db.relationship("user", "Users", #{ backref: "posts" })"#,
    ] {
        assert!(dumped.contains(line), "{kind:?}: {line} in\n{dumped}");
    }
    dump_reloads(
        &db,
        &project,
        "print(Posts.query.one().comments_by_post.len()); print(OrderItem.query.count());",
    );
}

on_every_database!(collisions);
