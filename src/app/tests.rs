//! Finding and opening a project: ormsh.toml, .env, the environment, flags.

use super::*;

type Pairs<'a> = &'a [(&'a str, &'a str)];

/// A temporary folder with the given files (path, contents).
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn open(
    cwd: &Path,
    app: Option<&str>,
    flag: Option<&str>,
    env: &[(&str, &str)],
) -> Result<AppContext> {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let opts = DiscoverOptions {
        app: app.map(PathBuf::from),
        database_url: flag.map(str::to_string),
        cwd: cwd.to_path_buf(),
        config_name: None,
    };
    AppContext::discover_with_env(opts, &|k| env.get(k).cloned())
}

fn config_error(result: Result<AppContext>) -> String {
    match result {
        Err(Error::Config(msg)) => msg,
        Err(e) => panic!("expected a config error, got {e:?}"),
        Ok(ctx) => panic!("expected a config error, got {ctx:?}"),
    }
}

fn file_name(ctx: &AppContext) -> String {
    match ctx.database_url.as_ref().unwrap().sqlite_target() {
        Some(SqliteTarget::File(p)) => p.file_name().unwrap().to_string_lossy().into_owned(),
        other => panic!("not a sqlite file: {other:?}"),
    }
}

const TOML: &str = "[database]\nurl = \"sqlite:///toml.db\"\n";

#[test]
fn finds_the_project_in_a_parent_folder() {
    let dir = project(&[("proj/ormsh.toml", TOML), ("proj/a/b/x.txt", "")]);
    let ctx = open(&dir.path().join("proj/a/b"), None, None, &[]).unwrap();
    let root = std::fs::canonicalize(dir.path().join("proj")).unwrap();
    assert_eq!(ctx.root, root);
    assert_eq!(ctx.name, "proj");
    assert_eq!(ctx.instance_dir, root.join("instance"));
    assert_eq!(
        ctx.database_url.as_ref().unwrap().sqlite_target(),
        Some(&SqliteTarget::File(root.join("instance/toml.db")))
    );
    assert!(ctx.config.database.echo);
    assert_eq!(ctx.models_file, None);
}

#[test]
fn app_and_ormsh_app_name_the_project() {
    let dir = project(&[
        ("p1/ormsh.toml", TOML),
        ("p2/ormsh.toml", TOML),
        ("elsewhere/x", ""),
    ]);
    let cwd = dir.path().join("elsewhere");
    let p2 = dir.path().join("p2").display().to_string();
    // (--app, ORMSH_APP, expected project name)
    #[rustfmt::skip]
    let cases = [
        (Some("../p1"), None, "p1"),
        (Some("../p1/ormsh.toml"), None, "p1"),
        (None, Some(p2.as_str()), "p2"),
        (Some("../p1"), Some(p2.as_str()), "p1"),
    ];
    for (app, env_app, name) in cases {
        let env: Vec<_> = env_app.map(|p| ("ORMSH_APP", p)).into_iter().collect();
        let ctx = open(&cwd, app, None, &env).unwrap();
        assert_eq!(ctx.name, name, "{app:?} {env_app:?}");
    }
}

#[test]
fn a_bad_app_is_explained() {
    let dir = project(&[("empty/x", "")]);
    #[rustfmt::skip]
    let cases = [
        (Some("empty"), vec![], "--app", "has no ormsh.toml"),
        (Some("missing"), vec![], "--app", "does not exist"),
        (None, vec![("ORMSH_APP", "/no/such/place")], "ORMSH_APP", "does not exist"),
    ];
    for (app, env, source, why) in cases {
        let msg = config_error(open(dir.path(), app, None, &env));
        assert!(msg.starts_with(source) && msg.contains(why), "{msg}");
    }
}

#[test]
fn url_precedence_is_toml_then_dotenv_then_env_then_flag() {
    let dotenv = "DATABASE_URL=sqlite:///dotenv.db\n";
    let both =
        "DATABASE_URL=sqlite:///dotenv.db\nSQLALCHEMY_DATABASE_URI=sqlite:///dotenv_uri.db\n";
    let env = [("DATABASE_URL", "sqlite:///env.db")];
    let env_both = [
        ("DATABASE_URL", "sqlite:///env.db"),
        ("SQLALCHEMY_DATABASE_URI", "sqlite:///env_uri.db"),
    ];
    let env_empty = [("DATABASE_URL", "")];
    // (.env contents, environment, --database-url, expected file)
    #[rustfmt::skip]
    let cases: &[(Option<&str>, Pairs, Option<&str>, &str)] = &[
        (None, &[], None, "toml.db"),
        (Some(dotenv), &[], None, "dotenv.db"),
        (Some(both), &[], None, "dotenv_uri.db"),
        (Some(dotenv), &env, None, "env.db"),
        (Some(dotenv), &env_both, None, "env_uri.db"),
        (Some(dotenv), &env_empty, None, "dotenv.db"),
        (Some(dotenv), &env, Some("sqlite:///flag.db"), "flag.db"),
        (None, &[], Some("sqlite:///flag.db"), "flag.db"),
        (Some("DATABASE_URL=\n"), &[], None, "toml.db"),
    ];
    for (dotenv, env, flag, expected) in cases {
        let mut files = vec![("ormsh.toml", TOML)];
        files.extend(dotenv.map(|d| (".env", d)));
        let dir = project(&files);
        let ctx = open(dir.path(), None, *flag, env).unwrap();
        assert_eq!(file_name(&ctx), *expected, "{dotenv:?} {env:?} {flag:?}");
    }
}

#[test]
fn without_ormsh_toml_a_url_is_enough() {
    let dir = project(&[("models.rhai", ""), ("sub/x", "")]);
    let cwd = dir.path().join("sub");
    let env = [("DATABASE_URL", "sqlite://")];
    for (flag, env) in [(Some("sqlite://"), &[][..]), (None, &env[..])] {
        let ctx = open(&cwd, None, flag, env).unwrap();
        assert_eq!(ctx.root, std::fs::canonicalize(&cwd).unwrap());
        assert_eq!(ctx.config, Config::default());
        assert_eq!(ctx.models_file, None);
        assert_eq!(
            ctx.database_url.as_ref().unwrap().sqlite_target(),
            Some(&SqliteTarget::Memory)
        );
    }
}

/// As Flask-SQLAlchemy allows SQLALCHEMY_BINDS alone: no default URL.
#[test]
fn binds_alone_make_a_project() {
    let dir = project(&[("ormsh.toml", "[binds]\na = \"sqlite://\"\n")]);
    let ctx = open(dir.path(), None, None, &[]).unwrap();
    assert!(ctx.database_url.is_none());
    assert_eq!(ctx.urls().count(), 1);
    let err = ctx.default_url().unwrap_err().to_string();
    assert!(err.contains("only the binds `a`"), "{err}");
}

#[test]
fn missing_pieces_are_explained() {
    let bad_toml = "[database]\nurl = \"sqlite://\"\nechoo = true\n";
    let bad_bind = "[database]\nurl = \"sqlite://\"\n[binds]\nlogs = \"mongodb://u:secret@h/x\"\n";
    let bad_env = [("DATABASE_URL", "postgresql://u:secret@h:x/db")];
    // (files, env, fragments the message must hold)
    #[rustfmt::skip]
    let cases: &[(Pairs, Pairs, &[&str])] = &[
        (&[("x", "")], &[], &["no ormsh.toml found in", "or any parent folder", "--app PATH or ORMSH_APP"]),
        (&[("ormsh.toml", "")], &[], &["no database URL", "[database]", "DATABASE_URL", "ormsh.toml"]),
        (&[("ormsh.toml", "[models]\nfile = \"m/models.rhai\"\nx=1")], &[], &["ormsh.toml", "line 3"]),
        (&[("ormsh.toml", "[database]\nurl=\"sqlite://\"\n[models]\nfile = \"m/models.rhai\"\n")], &[], &["m/models.rhai", "does not exist"]),
        (&[("ormsh.toml", bad_toml)], &[], &["ormsh.toml", "line 3", "echoo"]),
        (&[("ormsh.toml", bad_bind)], &[], &["mongodb", "[binds] logs in"]),
        (&[("ormsh.toml", TOML)], &bad_env, &["port `x`", "DATABASE_URL in the environment"]),
        (&[("ormsh.toml", TOML), (".env", "A=1\nSECRET=\"x\\q\"\n")], &[], &[".env", "line 2 (`SECRET`)"]),
        (&[("ormsh.toml", TOML), (".env", "A=1\nB=2\n just words\n")], &[], &[".env", "line 3 cannot"]),
    ];
    for (files, env, fragments) in cases {
        let dir = project(files);
        let msg = config_error(open(dir.path(), None, None, env));
        let root = std::fs::canonicalize(dir.path()).unwrap();
        for f in *fragments {
            let f = f.replace(
                "m/models.rhai",
                &root.join("m/models.rhai").display().to_string(),
            );
            assert!(msg.contains(&f), "missing {f:?} in:\n{msg}");
        }
        assert!(!msg.contains("secret"), "{msg}");
    }
}

#[test]
fn the_models_file_defaults_to_models_rhai() {
    let dir = project(&[("ormsh.toml", TOML), ("models.rhai", "")]);
    let ctx = open(dir.path(), None, None, &[]).unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    assert_eq!(ctx.models_file, Some(root.join("models.rhai")));
    let named = "[database]\nurl = \"sqlite://\"\n[models]\nfile = \"app/m.rhai\"\n";
    let dir = project(&[("ormsh.toml", named), ("app/m.rhai", "")]);
    let ctx = open(dir.path(), None, None, &[]).unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    assert_eq!(ctx.models_file, Some(root.join("app/m.rhai")));
}

#[test]
fn the_instance_folder_is_made_only_when_needed() {
    // (ormsh.toml, folders that must exist afterwards)
    #[rustfmt::skip]
    let cases: &[(&str, &[&str])] = &[
        ("[database]\nurl = \"sqlite:///a.db\"\n", &["instance"]),
        ("[database]\nurl = \"sqlite:///data/a.db\"\n", &["instance/data"]),
        ("[database]\nurl = \"sqlite://\"\n[binds]\nx = \"sqlite:///b.db\"\n", &["instance"]),
        ("[database]\nurl = \"sqlite://\"\n", &[]),
        ("[database]\nurl = \"postgresql://h/db\"\n", &[]),
    ];
    for (toml, made) in cases {
        let dir = project(&[("ormsh.toml", toml)]);
        let ctx = open(dir.path(), None, None, &[]).unwrap();
        assert!(!ctx.instance_dir.exists(), "discover must not create it");
        ctx.ensure_instance_dir().unwrap();
        assert_eq!(ctx.instance_dir.is_dir(), !made.is_empty(), "{toml}");
        for d in *made {
            assert!(dir.path().join(d).is_dir(), "{d} for {toml}");
        }
    }
}
