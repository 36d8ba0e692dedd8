//! Relationships ormsh refuses rather than guesses at: each stops the load
//! with exit code 2 and `models.rhai:LINE:` at the relationship's line,
//! naming it and what to add. A self-referential many-to-many without its
//! joins, an association table with two keys to one model, two foreign keys
//! between two models without `foreign_keys`, join conditions it cannot
//! read or whose columns the models lack, `back_populates` pairs that do not
//! describe one link, and options it does not take.

use crate::common::{Kind, Project, TestDb};

const FOLLOWERS: &str = r#"
db.Table("followers", [
    db.Column("follower_id", db.Integer, db.ForeignKey("user.id"), #{ primary_key: true }),
    db.Column("followed_id", db.Integer, db.ForeignKey("user.id"), #{ primary_key: true }),
]);
db.Model("User", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("username", db.String(40)),
    db.relationship("following", "User", #{ secondary: "followers",
        primaryjoin: "followers.c.follower_id == User.id",
        secondaryjoin: "followers.c.followed_id == User.id",
        back_populates: "followers" }),
    db.relationship("followers", "User", #{ secondary: "followers",
        primaryjoin: "followers.c.followed_id == User.id",
        secondaryjoin: "followers.c.follower_id == User.id",
        back_populates: "following" }),
]);
"#;

const MESSAGES: &str = r#"
db.Model("User", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.relationship("sent", "Message", #{ foreign_keys: ["Message.sender_id"], back_populates: "sender" }),
]);
db.Model("Message", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("sender_id", db.Integer, db.ForeignKey("user.id")),
    db.Column("recipient_id", db.Integer, db.ForeignKey("user.id")),
    db.relationship("sender", "User", #{ back_populates: "sent" }),
    db.relationship("recipient", "User", #{ foreign_keys: "[Message.recipient_id]" }),
]);
"#;

const TREE: &str = r#"
db.Model("Node", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("parent_id", db.Integer, db.ForeignKey("node.id")),
    db.relationship("parent", "Node", #{ remote_side: "Node.id", back_populates: "children" }),
    db.relationship("children", "Node", #{ back_populates: "parent" }),
]);
"#;

/// `models` with `from` replaced by `to` (which must be there).
fn with(models: &str, from: &str, to: &str) -> String {
    assert!(models.contains(from), "{from}");
    models.replacen(from, to, 1)
}

/// The load of `models` stops at the line holding `at`, saying each of `says`.
fn refused(models: &str, at: &str, says: &[&str]) {
    let line = models
        .lines()
        .position(|l| l.contains(at))
        .unwrap_or_else(|| panic!("no line holds {at}"))
        + 1;
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, models);
    let out = project.ormsh().args(["-c", "1"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}\n{models}");
    let place = format!("models.rhai:{line}:");
    assert!(stderr.contains(&place), "expected {place}\n{stderr}");
    for s in says {
        assert!(stderr.contains(s), "expected {s:?}\n{stderr}");
    }
}

#[test]
fn the_models_as_given_load() {
    for models in [FOLLOWERS, MESSAGES, TREE] {
        let db = TestDb::new(Kind::Sqlite);
        Project::new(&db.url, models).ok(&["-c", "1"]);
    }
}

#[test]
fn a_self_referential_many_to_many_without_its_joins() {
    let models = with(
        FOLLOWERS,
        "primaryjoin: \"followers.c.followed_id == User.id\",",
        "",
    );
    let models = with(
        &models,
        "secondaryjoin: \"followers.c.follower_id == User.id\",",
        "",
    );
    refused(
        &models,
        "db.relationship(\"followers\"",
        &[
            "User.followers: the table `followers` links User to itself",
            "primaryjoin: \"followers.c.follower_id == User.id\", secondaryjoin: \"followers.c.followed_id == User.id\"",
        ],
    );
}

#[test]
fn an_association_table_with_two_keys_to_one_model() {
    let models = r#"
db.Model("Tag", [db.Column("id", db.Integer, #{ primary_key: true })]);
db.Table("post_tag", [
    db.Column("post_id", db.Integer, db.ForeignKey("post.id")),
    db.Column("tag_id", db.Integer, db.ForeignKey("tag.id")),
    db.Column("replaced_tag_id", db.Integer, db.ForeignKey("tag.id")),
]);
db.Model("Post", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.relationship("tags", "Tag", #{ secondary: "post_tag" }),
]);
"#;
    refused(
        models,
        "db.relationship(\"tags\"",
        &[
            "Post.tags: the table `post_tag` has two foreign keys to `tag.id` (tag_id, replaced_tag_id)",
            "secondaryjoin",
        ],
    );
}

#[test]
fn two_foreign_keys_without_foreign_keys() {
    let models = with(
        MESSAGES,
        "#{ foreign_keys: [\"Message.sender_id\"], back_populates: \"sender\" }",
        "#{ back_populates: \"sender\" }",
    );
    refused(
        &models,
        "db.relationship(\"sent\"",
        &[
            "User.sent: User and Message are linked by more than one foreign key (sender_id, recipient_id)",
            "foreign_keys",
        ],
    );
}

#[test]
fn join_conditions_it_cannot_read() {
    for (condition, says) in [
        ("followers.c.follower_id = User.id", "cannot be read"),
        ("followers.c.follower_id != User.id", "equalities (`==`)"),
        (
            "or_(followers.c.follower_id == User.id, followers.c.followed_id == User.id)",
            "`or_(..)` is not taken",
        ),
        (
            "followers.c.follower_id == User.id and followers.c.followed_id == User.id",
            "join several with and_(..)",
        ),
        (
            "followers.c.folower_id == User.id",
            "the table `followers` has no column `folower_id` (did you mean `follower_id`?)",
        ),
        (
            "followers.follower_id == User.id",
            "write `followers.c.follower_id`",
        ),
        (
            "followers.c.follower_id == Usr.id",
            "`Usr` is not a model this relationship links",
        ),
        (
            "followers.c.follower_id == followers.c.followed_id",
            "must compare a column of `followers` with a column of User",
        ),
        (
            "followers.c.followed_id == User.id",
            "`followers.followed_id` is both this side's key and the target's",
        ),
    ] {
        let models = with(
            FOLLOWERS,
            "primaryjoin: \"followers.c.follower_id == User.id\"",
            &format!("primaryjoin: \"{condition}\""),
        );
        refused(
            &models,
            "db.relationship(\"following\"",
            &["User.following: ", says],
        );
    }
}

#[test]
fn a_back_populates_pair_that_joins_the_same_way_round() {
    // The way back copied without swapping its two joins.
    let models = with(
        FOLLOWERS,
        "primaryjoin: \"followers.c.followed_id == User.id\",\n        secondaryjoin: \"followers.c.follower_id == User.id\",",
        "primaryjoin: \"followers.c.follower_id == User.id\",\n        secondaryjoin: \"followers.c.followed_id == User.id\",",
    );
    refused(
        &models,
        "db.relationship(\"following\"",
        &[
            "User.following and User.followers are each other's back_populates but do not join the same way",
            "give User.followers the primaryjoin and secondaryjoin of User.following swapped",
        ],
    );
    // Both ends of an adjacency list one-to-many.
    let models = with(TREE, "remote_side: \"Node.id\", ", "");
    refused(
        &models,
        "db.relationship(\"parent\"",
        &["Node.parent and Node.children", "remote_side: \"Node.id\""],
    );
    // A name that is not there.
    let models = with(
        TREE,
        "back_populates: \"parent\"",
        "back_populates: \"parnt\"",
    );
    refused(
        &models,
        "db.relationship(\"parent\"",
        &[
            "Node.parent: back_populates names Node.children, whose own back_populates names `parnt`",
        ],
    );
    let models = with(
        TREE,
        "back_populates: \"children\"",
        "back_populates: \"childs\"",
    );
    refused(
        &models,
        "db.relationship(\"parent\"",
        &["Node.parent: back_populates names `childs`, which Node does not have as a relationship"],
    );
}

#[test]
fn columns_that_are_not_there() {
    let models = with(
        TREE,
        "remote_side: \"Node.id\"",
        "remote_side: \"Node.idd\"",
    );
    refused(
        &models,
        "db.relationship(\"parent\"",
        &[
            "Node.parent: remote_side names `Node.idd`, which is not a column of Node (did you mean `Node.id`?)",
        ],
    );
    let models = with(
        MESSAGES,
        "foreign_keys: \"[Message.recipient_id]\"",
        "foreign_keys: \"[Message.recipiant_id]\"",
    );
    refused(
        &models,
        "db.relationship(\"recipient\"",
        &["Message.recipient: foreign_keys names `Message.recipiant_id`"],
    );
    let models = with(
        MESSAGES,
        "foreign_keys: \"[Message.recipient_id]\"",
        "primaryjoin: \"User.id == Message.id\"",
    );
    refused(
        &models,
        "db.relationship(\"recipient\"",
        &[
            "neither `User.id` nor `Message.id` is a foreign key",
            "foreign(..)",
        ],
    );
}

#[test]
fn options_it_does_not_take() {
    for (from, to, says) in [
        (
            "back_populates: \"following\" }",
            "back_populates: \"following\", lazzy: \"dynamic\" }",
            "has no option `lazzy` (did you mean `lazy`?)",
        ),
        (
            "back_populates: \"following\" }",
            "back_populates: \"following\", innerjoin: true }",
            "ormsh does not take SQLAlchemy's `innerjoin`",
        ),
        (
            "back_populates: \"following\" }",
            "backref: db.backref(\"x\", #{ secondary: \"followers\" }) }",
            "db.backref(\"x\") has no option `secondary`",
        ),
        (
            "back_populates: \"following\" }",
            "back_populates: \"following\", lazy: \"eager\" }",
            "lazy: \"eager\" is not a loading strategy",
        ),
    ] {
        let models = with(FOLLOWERS, from, to);
        refused(&models, "db.relationship(\"followers\"", &[says]);
    }
    let models = with(
        TREE,
        "#{ remote_side: \"Node.id\", back_populates: \"children\" }",
        "#{ remote_side: \"Node.id\", back_populates: \"children\", lazy: \"dynamic\" }",
    );
    refused(
        &models,
        "db.relationship(\"parent\"",
        &["Node.parent: lazy: \"dynamic\" is for a collection"],
    );
    let models = with(
        TREE,
        "#{ back_populates: \"parent\" }",
        "#{ back_populates: \"parent\", secondaryjoin: \"Node.id == Node.parent_id\" }",
    );
    refused(
        &models,
        "db.relationship(\"children\"",
        &["secondaryjoin is taken with a secondary table only"],
    );
}
