//! The SQL of every query call, in all three dialects, as `q.sql()` shows
//! it. Nothing connects: compiling needs only the dialect.

use crate::common::{BLOG_MODELS, Project};

const CALLS: &str = r#"
let qs = [
    User.query.filter_by(#{ username: "john" }),
    User.query.filter(User.id == 1, User.username != "x"),
    User.query.filter((User.id < 2) | (User.id >= 5) & !(User.id > 9)),
    User.query.filter(and_(User.id <= 1, or_(User.id == 2, not_(User.id == 3)))),
    User.query.filter(User.username.contains("50%_off")),
    User.query.filter(User.username.startswith("a"), User.email.endswith(".org")),
    User.query.filter(User.username.icontains("JO"), User.username.ilike("j%")),
    User.query.filter(User.username.like("j%"), User.username.not_like("x%")),
    User.query.filter(User.id.in_([1, 2]), User.id.not_in([3])),
    User.query.filter(User.id.in_([])),
    User.query.filter(User.email.is_(()), User.username.is_not(())),
    User.query.filter(User.email == ()),
    User.query.filter(User.id.between(1, 10)),
    Post.query.filter((Post.id + 1) * 2 - 3 / 4 % 5 > 0),
    User.query.order_by(User.username.desc(), User.id.asc()).limit(5).offset(10),
    User.query.offset(3),
    User.query.distinct(),
    Post.query.join(User),
    User.query.outerjoin(Post),
    Post.query.join(User, User.id == Post.user_id),
    User.query.join(Post).with_entities(User.username, func.count(Post.id).label("n")).group_by(User.username).having(func.count(Post.id) > 1),
    User.query.with_entities(func.lower(User.username), func.coalesce(User.email, "none")),
    Post.query.options(joinedload(Post.author)),
    User.query.options(selectinload(User.posts)),
];
for q in qs { print(q.sql()); print(""); }
print(User.query.filter(User.id > 1).count());
"#;

fn sql_for(url: &str) -> String {
    let project = Project::new(url, BLOG_MODELS);
    let out = project
        .ormsh()
        .arg("run")
        .arg(
            project.file(
                "calls.rhai",
                CALLS
                    .replace("print(User.query.filter(User.id > 1).count());", "")
                    .as_str(),
            ),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_call_in_every_dialect() {
    let mut all = String::new();
    for (name, url) in [
        ("sqlite", "sqlite://"),
        ("postgresql", "postgresql://nobody@127.0.0.1:1/none"),
        ("mysql", "mysql://nobody@127.0.0.1:1/none"),
    ] {
        all.push_str(&format!("===== {name}\n{}", sql_for(url)));
    }
    insta::assert_snapshot!(all);
}
