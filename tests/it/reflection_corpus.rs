//! Reflection of a real-world schema: the tables Django's own `migrate`
//! makes for `auth`, `contenttypes`, `sessions` and `admin` (the peer's
//! Django, on the test's database), with users, groups, permissions, a
//! session and admin log entries written by Django's ORM, on every
//! database. ormsh opened on that database with no models file:
//!
//! - opens with no warning and no error;
//! - `models dump` makes one model per table, and the dump reloads as a
//!   models file with no drift (`db diff` exits 0 there and in the folder
//!   with no models file);
//! - every model's `query.count()` is the table's `COUNT(*)`;
//! - each relationship, both ways (user → user_groups → group and back,
//!   permission → content type and back, group → permissions, user →
//!   permissions, log entry → user and content type), gives the rows of the
//!   same SQL join;
//! - a row prints the values Django wrote: integers, small integers,
//!   varchars, text, booleans, NULLs, datetimes with and without
//!   microseconds (on PostgreSQL Django's datetimes are `timestamp with
//!   time zone`, and print with their offset);
//! - filters on booleans, datetimes and NULLs, joins through the
//!   association tables and an eager load answer as the same SQL does;
//! - in `--sandbox`, rows that leave the nullable columns out go in, and
//!   are rolled back.
//!
//! The tests at the end hold what this corpus found: a `timestamp with
//! time zone` keeps its offset, in values, in the dump and in `db diff`.

use std::collections::BTreeMap;

use crate::common::python::{peer_python, run_python};
use crate::common::{self, Kind, Project, TestDb};

/// Django's settings for the database at `URL` (prepended by the test),
/// `migrate`, then the rows: two users (one superuser with a last login,
/// one without), two groups, memberships both ways, group and user
/// permissions, a session and two admin log entries (one with no content
/// type and no object id).
const DJANGO_SETUP: &str = r#"
import datetime
from urllib.parse import urlsplit
import pymysql
pymysql.install_as_MySQLdb()
import django
from django.conf import settings

u = urlsplit(URL)
if u.scheme == "sqlite":
    db = {"ENGINE": "django.db.backends.sqlite3", "NAME": URL[len("sqlite:///"):]}
else:
    engine = "postgresql" if u.scheme.startswith("postgres") else "mysql"
    db = {"ENGINE": "django.db.backends." + engine, "NAME": u.path[1:],
          "USER": u.username or "", "PASSWORD": u.password or "",
          "HOST": u.hostname or "", "PORT": str(u.port or "")}
settings.configure(
    SECRET_KEY="corpus",
    USE_TZ=True,
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes",
                    "django.contrib.sessions", "django.contrib.admin",
                    "django.contrib.messages"],
    DATABASES={"default": db},
)
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session

utc = datetime.timezone.utc
admin = User(username="admin", email="admin@example.com", first_name="Ada",
             password="pbkdf2_sha256$1$corpus$fixed", is_superuser=True, is_staff=True,
             last_login=datetime.datetime(2024, 5, 2, 8, 0, 0, tzinfo=utc),
             date_joined=datetime.datetime(2024, 5, 1, 12, 30, 45, tzinfo=utc))
admin.save()
ann = User(username="ann", email="ann@example.com", password="!",
           date_joined=datetime.datetime(2024, 6, 1, 9, 0, 0, tzinfo=utc))
ann.save()
editors = Group.objects.create(name="editors")
readers = Group.objects.create(name="readers")
Group.objects.create(name="nobody")
ann.groups.add(editors, readers)
admin.groups.add(editors)
user_type = ContentType.objects.get(app_label="auth", model="user")
editors.permissions.add(*Permission.objects.filter(content_type=user_type))
readers.permissions.add(Permission.objects.get(codename="view_group"))
ann.user_permissions.add(Permission.objects.get(codename="view_group"))
Session.objects.create(session_key="corpus-session", session_data="e30:1",
                       expire_date=datetime.datetime(2024, 8, 1, 0, 0, 0, 123456, tzinfo=utc))
LogEntry.objects.create(user=admin, content_type=user_type, object_id=str(ann.pk),
                        object_repr="ann", action_flag=ADDITION, change_message="[]",
                        action_time=datetime.datetime(2024, 6, 1, 9, 5, 0, tzinfo=utc))
LogEntry.objects.create(user=admin, content_type=None, object_id=None,
                        object_repr="nothing", action_flag=CHANGE, change_message="",
                        action_time=datetime.datetime(2024, 6, 2, 10, 0, 0, tzinfo=utc))
print("migrated")
"#;

/// Every table Django's migrate makes for these apps, with the model
/// reflection names it.
const TABLES: &[(&str, &str)] = &[
    ("auth_group", "AuthGroup"),
    ("auth_group_permissions", "AuthGroupPermission"),
    ("auth_permission", "AuthPermission"),
    ("auth_user", "AuthUser"),
    ("auth_user_groups", "AuthUserGroup"),
    ("auth_user_user_permissions", "AuthUserUserPermission"),
    ("django_admin_log", "DjangoAdminLog"),
    ("django_content_type", "DjangoContentType"),
    ("django_migrations", "DjangoMigration"),
    ("django_session", "DjangoSession"),
];

/// Each relationship both ways, one line per pair, as `name|left|right`.
const RELATIONSHIPS: &str = r#"
for u in AuthUser.query.all() {
    for m in u.auth_user_groups { print(`user_groups|${u.username}|${m.group.name}`); }
    for m in u.auth_user_user_permissions { print(`user_permissions|${u.username}|${m.permission.codename}`); }
    for l in u.django_admin_logs { print(`user_logs|${u.username}|${l.object_repr}`); }
}
for g in AuthGroup.query.all() {
    for m in g.auth_user_groups { print(`group_users|${g.name}|${m.user.username}`); }
    for m in g.auth_group_permissions { print(`group_permissions|${g.name}|${m.permission.codename}`); }
}
for p in AuthPermission.query.all() {
    print(`permission_type|${p.codename}|${p.content_type.app_label}|${p.content_type.model}`);
}
for t in DjangoContentType.query.all() {
    for p in t.auth_permissions { print(`type_permissions|${t.model}|${p.codename}`); }
    for l in t.django_admin_logs { print(`type_logs|${t.model}|${l.object_repr}`); }
}
for l in DjangoAdminLog.query.all() {
    let t = l.content_type;
    print(`log_user_type|${l.object_repr}|${l.user.username}|${if t == () { "-" } else { t.model }}`);
}
"#;

/// The same pairs as `RELATIONSHIPS`, by SQL joins.
const RELATIONSHIPS_SQL: &[&str] = &[
    "SELECT 'user_groups', u.username, g.name FROM auth_user u JOIN auth_user_groups m ON m.user_id = u.id JOIN auth_group g ON g.id = m.group_id",
    "SELECT 'user_permissions', u.username, p.codename FROM auth_user u JOIN auth_user_user_permissions m ON m.user_id = u.id JOIN auth_permission p ON p.id = m.permission_id",
    "SELECT 'user_logs', u.username, l.object_repr FROM auth_user u JOIN django_admin_log l ON l.user_id = u.id",
    "SELECT 'group_users', g.name, u.username FROM auth_group g JOIN auth_user_groups m ON m.group_id = g.id JOIN auth_user u ON u.id = m.user_id",
    "SELECT 'group_permissions', g.name, p.codename FROM auth_group g JOIN auth_group_permissions m ON m.group_id = g.id JOIN auth_permission p ON p.id = m.permission_id",
    "SELECT 'permission_type', p.codename, t.app_label, t.model FROM auth_permission p JOIN django_content_type t ON t.id = p.content_type_id",
    "SELECT 'type_permissions', t.model, p.codename FROM django_content_type t JOIN auth_permission p ON p.content_type_id = t.id",
    "SELECT 'type_logs', t.model, l.object_repr FROM django_content_type t JOIN django_admin_log l ON l.content_type_id = t.id",
    "SELECT 'log_user_type', l.object_repr, u.username, COALESCE(t.model, '-') FROM django_admin_log l JOIN auth_user u ON u.id = l.user_id LEFT JOIN django_content_type t ON t.id = l.content_type_id",
];

/// Queries that filter and join on the reflected models, one line each.
const QUERIES: &str = r#"
print(AuthUser.query.filter_by(#{ is_staff: true }).count());
print(AuthUser.query.filter(AuthUser.is_active == true & AuthUser.is_superuser == false).count());
print(AuthUser.query.filter(AuthUser.date_joined > "2024-05-15").count());
print(AuthUser.query.filter(AuthUser.last_login.is_(())).count());
print(AuthUser.query.join(AuthUserGroup).join(AuthGroup).filter(AuthGroup.name == "editors").count());
print(AuthPermission.query.join(DjangoContentType).filter(DjangoContentType.model == "user").count());
for u in AuthUser.query.options(joinedload(AuthUser.auth_user_groups)).order_by(AuthUser.id).all() {
    print(`${u.username} ${u.auth_user_groups.len()}`);
}
"#;

/// What `QUERIES` prints, by SQL: each query's one row, its values joined
/// by a space.
const QUERIES_SQL: &[&str] = &[
    "SELECT COUNT(*) FROM auth_user WHERE is_staff = TRUE",
    "SELECT COUNT(*) FROM auth_user WHERE is_active = TRUE AND is_superuser = FALSE",
    "SELECT COUNT(*) FROM auth_user WHERE date_joined > '2024-05-15'",
    "SELECT COUNT(*) FROM auth_user WHERE last_login IS NULL",
    "SELECT COUNT(*) FROM auth_user u JOIN auth_user_groups m ON m.user_id = u.id JOIN auth_group g ON g.id = m.group_id WHERE g.name = 'editors'",
    "SELECT COUNT(*) FROM auth_permission p JOIN django_content_type t ON t.id = p.content_type_id WHERE t.model = 'user'",
    "SELECT u.username, COUNT(*) FROM auth_user u JOIN auth_user_groups m ON m.user_id = u.id WHERE u.id = 1 GROUP BY u.username",
    "SELECT u.username, COUNT(*) FROM auth_user u JOIN auth_user_groups m ON m.user_id = u.id WHERE u.id = 2 GROUP BY u.username",
];

/// Rows that leave every nullable column out (`last_login`, a log entry's
/// `object_id` and `content_type_id`), one of them linked through a
/// relationship, committed in a sandbox and read back.
const SANDBOX_INSERT: &str = r#"
let u = AuthUser(#{ password: "!", username: "bob", first_name: "", last_name: "", email: "",
    is_superuser: false, is_staff: false, is_active: true, date_joined: "2024-07-01 10:00:00" });
let g = AuthGroup(#{ name: "writers" });
db.session.add(u);
db.session.add(g);
db.session.add(AuthUserGroup(#{ user: u, group: g }));
db.session.add(DjangoAdminLog(#{ user: u, object_repr: "bob", action_flag: 2, change_message: "",
    action_time: "2024-07-01 10:05:00" }));
db.session.add(DjangoSession(#{ session_key: "new", session_data: "e30", expire_date: "2024-09-01 00:00:00" }));
db.session.commit();
db.session.expire_all();
let b = AuthUser.query.filter_by(#{ username: "bob" }).one();
print(`last_login null: ${b.last_login == ()}`);
for m in b.auth_user_groups { print(`group: ${m.group.name}`); }
for l in b.django_admin_logs { print(`log: ${l.object_id == ()} ${l.content_type_id == ()} ${l.action_flag}`); }
print(`users: ${AuthUser.query.count()}`);
print(`session: ${DjangoSession.query.get("new").expire_date}`);
"#;

/// The database after Django's migrate and its rows, or None when there is
/// no peer (skipped).
fn django_database(kind: Kind) -> Option<TestDb> {
    let python = peer_python()?;
    let db = TestDb::new(kind);
    let dir = tempfile::tempdir().unwrap();
    let out = run_python(
        &python,
        dir.path(),
        &format!("URL = {:?}\n{DJANGO_SETUP}", db.url),
    );
    assert!(out.contains("migrated"), "{kind:?}: Django said {out}");
    Some(db)
}

/// The fields of a card (`<Model 1>` then `  name  value` lines).
fn card(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .skip_while(|l| !l.starts_with('<'))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(|l| {
            let l = l.trim_start();
            match l.split_once(' ') {
                Some((name, value)) => (name.to_string(), value.trim().to_string()),
                None => (l.to_string(), String::new()),
            }
        })
        .collect()
}

/// The SQL rows of `queries`, each as `a|b|c`, sorted.
fn sql_lines(db: &TestDb, queries: &[&str]) -> Vec<String> {
    let mut lines: Vec<String> = queries
        .iter()
        .flat_map(|q| db.rows(q))
        .map(|row| row.join("|"))
        .collect();
    lines.sort();
    lines
}

fn sorted_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

/// What each table's `COUNT(*)` is, as `table|n` lines.
fn sql_counts(db: &TestDb) -> String {
    TABLES
        .iter()
        .map(|(table, _)| {
            format!(
                "{table}|{}\n",
                db.scalar(&format!("SELECT COUNT(*) FROM {table}"))
            )
        })
        .collect()
}

fn django_schema_reflects(kind: Kind) {
    let Some(db) = django_database(kind) else {
        return;
    };
    let project = Project::without_models(&db.url, "");

    // Django made exactly the tables named above (SQLite's own
    // sqlite_sequence aside).
    let tables_sql = match kind {
        Kind::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence'"
        }
        Kind::Postgres => {
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        }
        Kind::MySql => {
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
        }
    };
    let mut tables: Vec<String> = db
        .rows(tables_sql)
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    tables.sort();
    let expected: Vec<String> = TABLES.iter().map(|(t, _)| t.to_string()).collect();
    assert_eq!(tables, expected, "{kind:?}: the tables Django made");

    // a. The shell opens on the reflected models, quietly.
    let (out, stderr) = project.ok(&["-c", "AuthUser.query.count()"]);
    assert_eq!(out.trim(), "2", "{kind:?}: users");
    let lower = stderr.to_lowercase();
    assert!(
        !lower.contains("warning") && !lower.contains("error"),
        "{kind:?}: opening the Django schema says nothing on stderr, it said:\n{stderr}"
    );

    // b. One model per table; the dump reloads with no drift; and the
    // reflected models themselves have none.
    let (dump, stderr) = project.ok(&["models", "dump"]);
    assert!(
        !stderr.to_lowercase().contains("warning"),
        "{kind:?}: models dump warned:\n{stderr}"
    );
    assert_eq!(
        dump.matches("db.Model(").count(),
        TABLES.len(),
        "{kind:?}: one model per table, no more (no sqlite_sequence)\n{dump}"
    );
    for (_, model) in TABLES {
        assert!(
            dump.contains(&format!("db.Model(\"{model}\", [")),
            "{kind:?}: no model {model} in the dump\n{dump}"
        );
    }
    let (diff, _) = project.ok(&["db", "diff"]);
    assert!(diff.contains("no drift"), "{kind:?}: reflected: {diff}");
    let reloaded = Project::new(&db.url, &dump);
    let (diff, _) = reloaded.ok(&["db", "diff"]);
    assert!(diff.contains("no drift"), "{kind:?}: the dump: {diff}");

    // c. Counts, in both folders.
    let count_script: String = TABLES
        .iter()
        .map(|(table, model)| format!("print(`{table}|${{{model}.query.count()}}`);\n"))
        .collect();
    let expected = sql_counts(&db);
    assert!(
        expected.contains("auth_permission|") && !expected.contains("|0\n"),
        "{kind:?}: every table has rows\n{expected}"
    );
    for p in [&project, &reloaded] {
        let (out, _) = p.ok(&["-c", &count_script]);
        assert_eq!(
            out, expected,
            "{kind:?}: Model.query.count() against COUNT(*)"
        );
    }

    // d. Every relationship, both ways, against the SQL joins.
    let expected = sql_lines(&db, RELATIONSHIPS_SQL);
    assert!(
        expected.contains(&"user_groups|ann|readers".to_string())
            && expected.contains(&"group_users|editors|admin".to_string())
            && expected.contains(&"permission_type|view_group|auth|group".to_string())
            && expected.contains(&"type_permissions|user|add_user".to_string())
            && expected.contains(&"log_user_type|nothing|admin|-".to_string()),
        "{kind:?}: the joins found Django's rows\n{expected:#?}"
    );
    for p in [&project, &reloaded] {
        let (out, _) = p.ok(&["-c", RELATIONSHIPS]);
        assert_eq!(
            sorted_lines(&out),
            expected,
            "{kind:?}: relationships against the SQL joins"
        );
    }

    // e. Rows print the values Django wrote.
    let (out, _) = project.ok(&["-c", "AuthUser.query.get(1)"]);
    let mut want: BTreeMap<&str, &str> = [
        ("id", "1"),
        ("password", "pbkdf2_sha256$1$corpus$fixed"),
        ("last_login", "2024-05-02 08:00:00"),
        ("is_superuser", "true"),
        ("username", "admin"),
        ("first_name", "Ada"),
        ("last_name", ""),
        ("email", "admin@example.com"),
        ("is_staff", "true"),
        ("is_active", "true"),
        ("date_joined", "2024-05-01 12:30:45"),
    ]
    .into_iter()
    .collect();
    if kind == Kind::Postgres {
        // Django makes these `timestamp with time zone` on PostgreSQL:
        // they keep their offset, as psql and SQLAlchemy show them.
        want.insert("last_login", "2024-05-02 08:00:00+00:00");
        want.insert("date_joined", "2024-05-01 12:30:45+00:00");
    }
    let got = card(&out);
    let got_ref: BTreeMap<&str, &str> = got.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        got_ref, want,
        "{kind:?}: auth_user 1 as ormsh prints it\n{out}"
    );

    let (out, _) = project.ok(&[
            "-c",
            "let u = AuthUser.query.filter_by(#{ username: \"ann\" }).one(); print(u.last_login == ()); print(u.is_superuser); print(u.is_staff); print(u.is_active)",
        ],
    );
    assert_eq!(
        out, "true\nfalse\nfalse\ntrue\n",
        "{kind:?}: ann's NULL and booleans"
    );

    let user_type =
        db.scalar("SELECT id FROM django_content_type WHERE app_label = 'auth' AND model = 'user'");
    let (out, _) = project.ok(&[
        "-c",
        "DjangoAdminLog.query.filter_by(#{ object_repr: \"ann\" }).one()",
    ]);
    let mut want: BTreeMap<&str, &str> = [
        ("object_id", "2"),
        ("object_repr", "ann"),
        ("action_flag", "1"),
        ("change_message", "[]"),
        ("content_type_id", user_type.as_str()),
        ("user_id", "1"),
        ("action_time", "2024-06-01 09:05:00"),
    ]
    .into_iter()
    .collect();
    let mut got = card(&out);
    got.remove("id");
    if kind == Kind::Postgres {
        want.insert("action_time", "2024-06-01 09:05:00+00:00");
    }
    let got_ref: BTreeMap<&str, &str> = got.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        got_ref, want,
        "{kind:?}: the log entry as ormsh prints it\n{out}"
    );

    let (out, _) = project.ok(&[
            "-c",
            "let l = DjangoAdminLog.query.filter_by(#{ object_repr: \"nothing\" }).one(); print(l.object_id == ()); print(l.content_type_id == ()); print(l.content_type == ())",
        ],
    );
    assert_eq!(out, "true\ntrue\ntrue\n", "{kind:?}: a log entry's NULLs");

    let (out, _) = project.ok(&[
            "-c",
            "let s = DjangoSession.query.get(\"corpus-session\"); print(s.session_data); print(s.expire_date)",
        ],
    );
    let offset = if kind == Kind::Postgres { "+00:00" } else { "" };
    assert_eq!(
        out,
        format!("e30:1\n2024-08-01 00:00:00.123456{offset}\n"),
        "{kind:?}: a session (text, microseconds)"
    );

    // Queries on the reflected columns and relationships: booleans,
    // datetimes and NULLs in filters, a join through the association
    // table, an eager load, each against the same SQL.
    let (out, _) = project.ok(&["-c", QUERIES]);
    let expected: String = QUERIES_SQL
        .iter()
        .map(|q| format!("{}\n", db.rows(q)[0].join(" ")))
        .collect();
    assert_eq!(out, expected, "{kind:?}: queries against SQL\n{QUERIES}");

    // f. In a sandbox, rows that leave the nullable columns out go in, and
    // nothing stays.
    let before = sql_counts(&db);
    let (out, _) = project.ok(&["--sandbox", "-c", SANDBOX_INSERT]);
    let offset = if kind == Kind::Postgres { "+00:00" } else { "" };
    let expected = format!(
        "last_login null: true\ngroup: writers\nlog: true true 2\nusers: 3\nsession: 2024-09-01 00:00:00{offset}\n"
    );
    assert!(
        out.starts_with(&expected),
        "{kind:?}: sandbox insert\n--- want\n{expected}\n--- got\n{out}"
    );
    assert_eq!(sql_counts(&db), before, "{kind:?}: the sandbox left rows");
}

on_every_database!(django_schema_reflects);

/// A `timestamp with time zone` column, as Django makes every DateTimeField
/// on PostgreSQL, with one row.
fn timestamptz_table() -> TestDb {
    let db = TestDb::new(Kind::Postgres);
    db.rows("CREATE TABLE stamp (id INTEGER PRIMARY KEY, at TIMESTAMP WITH TIME ZONE NOT NULL)");
    db.rows("INSERT INTO stamp VALUES (1, '2024-05-01 12:30:45+00')");
    db
}

#[test]
fn timestamptz_prints_its_offset() {
    if !common::available(Kind::Postgres) {
        return;
    }
    let db = timestamptz_table();
    let (out, _) = Project::without_models(&db.url, "").ok(&["-c", "print(Stamp.query.get(1).at)"]);
    assert_eq!(
        out, "2024-05-01 12:30:45+00:00\n",
        "a timestamptz value prints with its offset"
    );
}

#[test]
fn timestamptz_dump_creates_timestamptz() {
    if !common::available(Kind::Postgres) {
        return;
    }
    let db = timestamptz_table();
    let (dump, _) = Project::without_models(&db.url, "").ok(&["models", "dump"]);
    let fresh = TestDb::new(Kind::Postgres);
    Project::new(&fresh.url, &dump).run_ok("db.create_all();");
    assert_eq!(
        fresh.scalar("SELECT data_type FROM information_schema.columns WHERE table_name = 'stamp' AND column_name = 'at'"),
        "timestamp with time zone",
        "create_all from the dump makes the column it was dumped from\n{dump}"
    );
}

#[test]
fn timestamptz_against_a_naive_model_is_drift() {
    if !common::available(Kind::Postgres) {
        return;
    }
    let db = timestamptz_table();
    let project = Project::new(
        &db.url,
        r#"db.Model("Stamp", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("at", db.DateTime, #{ nullable: false }),
]);"#,
    );
    let out = project.ormsh().args(["db", "diff"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a db.DateTime model against a timestamptz column is drift: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}
