//! A Miguel-Grinberg-style `config.py`, evaluated with and without its
//! environment variables, and the evaluator's operators, calls and refusals.

use std::collections::HashMap;

use crate::python::*;

const CONFIG: &str = r#"import os
from datetime import timedelta
basedir = os.path.abspath(os.path.dirname(__file__))


class Config:
    SECRET_KEY = os.environ.get('SECRET_KEY') or 'hard to guess string'
    MAIL_PORT = int(os.environ.get('MAIL_PORT', '587'))
    MAIL_USE_TLS = os.environ.get('MAIL_USE_TLS', 'true').lower() in \
        ['true', 'on', '1']
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    ADMINS = ['admin@example.com']
    REMEMBER = timedelta(days=7)

    @staticmethod
    def init_app(app):
        pass


class DevelopmentConfig(Config):
    DEBUG = True
    SQLALCHEMY_DATABASE_URI = os.environ.get('DEV_DATABASE_URL') or \
        'sqlite:///' + os.path.join(basedir, 'data-dev.sqlite')


class ProductionConfig(Config):
    SQLALCHEMY_DATABASE_URI = os.environ.get('DATABASE_URL', '').replace(
        'postgres://', 'postgresql://') or f"sqlite:///{os.path.join(basedir, 'app.db')}"


config = {
    'development': DevelopmentConfig,
    'production': ProductionConfig,
    'default': DevelopmentConfig,
}
"#;

fn env_of(vars: &[(&str, &str)]) -> Env {
    let environ: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Env::new(environ).with_file("/srv/blog/config.py")
}

fn run(vars: &[(&str, &str)]) -> Env {
    let m = parse("config.py", CONFIG).unwrap();
    let mut env = env_of(vars);
    env.exec(&m, &m.body);
    env
}

fn class(env: &Env, name: &str) -> std::sync::Arc<Class> {
    match env.value(name) {
        Some(Ok(Value::Class(c))) => c,
        other => panic!("{name} is {other:?}"),
    }
}

fn attr(c: &Class, name: &str) -> Value {
    match c.attr(name) {
        Some(Ok(v)) => v.clone(),
        other => panic!("{name} is {other:?}"),
    }
}

fn s(v: &str) -> Value {
    Value::Str(v.into())
}

#[test]
fn config_without_environment() {
    let env = run(&[]);
    assert_eq!(env.value("basedir"), Some(Ok(s("/srv/blog"))));
    let dev = class(&env, "DevelopmentConfig");
    assert_eq!(attr(&dev, "SECRET_KEY"), s("hard to guess string"));
    assert_eq!(attr(&dev, "MAIL_PORT"), Value::Int(587));
    assert_eq!(attr(&dev, "MAIL_USE_TLS"), Value::Bool(true));
    assert_eq!(attr(&dev, "DEBUG"), Value::Bool(true));
    assert_eq!(
        attr(&dev, "SQLALCHEMY_TRACK_MODIFICATIONS"),
        Value::Bool(false)
    );
    assert_eq!(
        attr(&dev, "ADMINS"),
        Value::List(vec![s("admin@example.com")])
    );
    assert_eq!(
        attr(&dev, "SQLALCHEMY_DATABASE_URI"),
        s("sqlite:////srv/blog/data-dev.sqlite")
    );
    let prod = class(&env, "ProductionConfig");
    assert_eq!(
        attr(&prod, "SQLALCHEMY_DATABASE_URI"),
        s("sqlite:////srv/blog/app.db")
    );
    // The unknown call is refused where it is used, with its line.
    let Some(Err(e)) = dev.attr("REMEMBER") else {
        panic!()
    };
    assert_eq!(
        e.to_string(),
        "config.py:13: `timedelta(days=7)` cannot be evaluated without running Python: it calls `datetime.timedelta`, which the reader does not run (write the value as a literal, or read it from os.environ)"
    );
    // `dir()` order: inherited names first, the subclass's value wins.
    let names: Vec<_> = dev.all_attrs().into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "SECRET_KEY",
            "MAIL_PORT",
            "MAIL_USE_TLS",
            "SQLALCHEMY_TRACK_MODIFICATIONS",
            "ADMINS",
            "REMEMBER",
            "init_app",
            "DEBUG",
            "SQLALCHEMY_DATABASE_URI"
        ]
    );
}

#[test]
fn config_with_environment() {
    let env = run(&[
        ("SECRET_KEY", "s3cret"),
        ("MAIL_PORT", " 25 "),
        ("MAIL_USE_TLS", "Off"),
        ("DEV_DATABASE_URL", "postgresql://localhost/dev"),
        ("DATABASE_URL", "postgres://u@db/prod"),
    ]);
    let dev = class(&env, "DevelopmentConfig");
    assert_eq!(attr(&dev, "SECRET_KEY"), s("s3cret"));
    assert_eq!(attr(&dev, "MAIL_PORT"), Value::Int(25));
    assert_eq!(attr(&dev, "MAIL_USE_TLS"), Value::Bool(false));
    assert_eq!(
        attr(&dev, "SQLALCHEMY_DATABASE_URI"),
        s("postgresql://localhost/dev")
    );
    let prod = class(&env, "ProductionConfig");
    assert_eq!(
        attr(&prod, "SQLALCHEMY_DATABASE_URI"),
        s("postgresql://u@db/prod")
    );
}

#[test]
fn config_dict_names_the_classes() {
    let env = run(&[]);
    let Some(Ok(config)) = env.value("config") else {
        panic!()
    };
    let Some(Value::Class(default)) = config.get("default") else {
        panic!("{config:?}")
    };
    assert_eq!(default.name, "DevelopmentConfig");
    assert_eq!(default.line, 20);
    assert_eq!(default.bases[0], Value::Class(class(&env, "Config")));
    // `config['default'].SQLALCHEMY_DATABASE_URI`, as a factory reads it.
    let m = parse("app.py", "config['default'].SQLALCHEMY_DATABASE_URI").unwrap();
    let StmtKind::Expr(e) = &m.body[0].kind else {
        panic!()
    };
    assert_eq!(
        env.eval(&m, e),
        Ok(s("sqlite:////srv/blog/data-dev.sqlite"))
    );
}

fn eval_with(env: &Env, src: &str) -> Result<Value, PyError> {
    let m = parse("expr.py", src).unwrap();
    let StmtKind::Expr(e) = &m.body[0].kind else {
        panic!("not an expression: {src}")
    };
    env.eval(&m, e)
}

fn eval(src: &str) -> Result<Value, PyError> {
    eval_with(
        &env_of(&[("HOME", "/home/me"), ("EMPTY", "")]).with_cwd("/work"),
        src,
    )
}

#[test]
fn operators_and_literals() {
    let cases: &[(&str, Value)] = &[
        ("1 + 2 * 3", Value::Int(7)),
        (
            "7 // -2, 7 % -2, -7 % 3",
            Value::Tuple(vec![Value::Int(-4), Value::Int(-1), Value::Int(2)]),
        ),
        ("2 ** 10", Value::Int(1024)),
        ("1 / 4", Value::Float(0.25)),
        ("0x1F + 0o7 + 0b1 + 1_000", Value::Int(1039)),
        ("-3 if not [] else 3", Value::Int(-3)),
        ("1 < 2 <= 2 != 3", Value::Bool(true)),
        ("'a' 'b' \"c\"", s("abc")),
        ("'x' * 3", s("xxx")),
        ("r'\\d+' + '\\t'", s("\\d+\t")),
        ("'\\x41\\u00e9\\101'", s("AéA")),
        ("b'\\x00ab'", Value::Bytes(vec![0, b'a', b'b'])),
        ("f'{{literal}}'", s("{literal}")),
        ("f'{1 + 1} {\"x\"!r} {None}'", s("2 'x' None")),
        ("'%s:%d' % ('db', 5432)", s("db:5432")),
        ("'{}/{name}'.format('a', name='b')", s("a/b")),
        ("None or 0 or ''", s("")),
        ("'x' and 'y'", s("y")),
        ("'b' in {'a': 1, 'b': 2}", Value::Bool(true)),
        ("{'a': 1, **{'b': 2}}['b']", Value::Int(2)),
        ("[1, *(2, 3)][-1]", Value::Int(3)),
        ("(1,)", Value::Tuple(vec![Value::Int(1)])),
        (
            "1.5e-5, 1e20, 2.0",
            Value::Tuple(vec![
                Value::Float(1.5e-5),
                Value::Float(1e20),
                Value::Float(2.0),
            ]),
        ),
        ("str(2.0) + str(1e20) + str(True)", s("2.01e+20True")),
        (
            "' A b '.strip().upper().split()",
            Value::List(vec![s("A"), s("B")]),
        ),
        ("','.join(['a', 'b'])", s("a,b")),
        (
            "'postgres://x'.startswith(('mysql', 'postgres'))",
            Value::Bool(true),
        ),
        ("len('héllo') + len([1]) + len({})", Value::Int(6)),
        ("dict(a=1)", Value::Dict(vec![(s("a"), Value::Int(1))])),
        ("os.getenv('NOPE') is None", Value::Bool(true)),
    ];
    for (src, want) in cases {
        assert_eq!(eval(src).as_ref(), Ok(want), "{src}");
    }
}

#[test]
fn environment_and_paths() {
    let cases: &[(&str, Value)] = &[
        ("os.environ['HOME']", s("/home/me")),
        ("os.getenv('NOPE')", Value::None),
        ("os.getenv('NOPE', default='d')", s("d")),
        ("os.environ.get('EMPTY') or 'fallback'", s("fallback")),
        ("os.path.join('/a', 'b', '/c', 'd')", s("/c/d")),
        ("os.path.join('a/', 'b')", s("a/b")),
        ("os.path.abspath('data/../app.db')", s("/work/app.db")),
        ("os.path.normpath('//a/./b/../c/')", s("//a/c")),
        ("os.path.dirname('/srv/x/config.py')", s("/srv/x")),
        ("os.path.basename('/srv/x/config.py')", s("config.py")),
        ("os.path.expanduser('~/db.sqlite')", s("/home/me/db.sqlite")),
        ("os.getcwd()", s("/work")),
        ("__file__", s("/srv/blog/config.py")),
    ];
    for (src, want) in cases {
        assert_eq!(eval(src).as_ref(), Ok(want), "{src}");
    }
    // Names from `from os import environ` and `import os.path as osp`.
    let m = parse(
        "config.py",
        "from os import environ, getenv\nimport os.path as osp\nA = environ.get('HOME')\nB = osp.join(getenv('HOME'), 'x')\n",
    )
    .unwrap();
    let mut env = env_of(&[("HOME", "/h")]);
    env.exec(&m, &m.body);
    assert_eq!(env.value("A"), Some(Ok(s("/h"))));
    assert_eq!(env.value("B"), Some(Ok(s("/h/x"))));
}

#[test]
fn refusals_name_the_line_and_the_expression() {
    let refused: &[(&str, &str)] = &[
        (
            "os.environ['MISSING']",
            "`MISSING` is not set in the environment",
        ),
        (
            "db.Integer + 1",
            "`+` between a name whose value is not known and an int",
        ),
        (
            "open('secret').read()",
            "it calls `open`, which the reader does not run",
        ),
        ("f'{x:>10}'", "format spec"),
        ("[x for x in y]", "it is a list comprehension"),
        ("lambda: 1", "it is a lambda"),
        ("1 // 0", "a division by zero"),
        ("2 ** 64", "beyond 64 bits"),
        ("99999999999999999999", "integer beyond 64 bits"),
        (
            "'a'.center(9)",
            "`str.center`, which the reader does not run",
        ),
        ("{1, 2}", "it is a set"),
        ("int('x')", "not a whole number"),
        (
            "os.path.abspath(x)",
            "`os.path.abspath` of a name whose value is not known, not a str",
        ),
        (
            "SOMETHING or 'x'",
            "whether `SOMETHING` is true is not known",
        ),
        ("'x' * 10000000", "a repetition longer than"),
        ("x is None", "the value of `x` is not known"),
    ];
    for (src, why) in refused {
        let err = eval(src).expect_err(src);
        assert_eq!(err.file, "expr.py");
        assert_eq!(err.line, 1);
        assert!(err.message.contains(why), "{src}: {err}");
        assert!(err.message.ends_with(')'), "{err}");
    }
    // Without `with_cwd`, a relative path has no absolute form.
    let env = env_of(&[]);
    let e = eval_with(&env, "os.path.abspath('x')").unwrap_err();
    assert!(e.message.contains("the working folder is not known"), "{e}");
}

#[test]
fn statements_bind_names_as_python_runs_them() {
    let src = "\
A, B = 1, 2
A += 10
C = D = 'same'
if os.environ.get('PROD'):
    E = 'prod'
elif A > 5:
    E = 'big'
else:
    E = 'small'
if UNKNOWN:
    F = 1
try:
    G = 1
except ImportError:
    pass
H: int = 5
";
    let m = parse("config.py", src).unwrap();
    let mut env = env_of(&[]);
    env.exec(&m, &m.body);
    assert_eq!(env.value("A"), Some(Ok(Value::Int(11))));
    assert_eq!(env.value("B"), Some(Ok(Value::Int(2))));
    assert_eq!(env.value("D"), Some(Ok(s("same"))));
    assert_eq!(env.value("E"), Some(Ok(s("big"))));
    let Some(Err(e)) = env.value("F") else {
        panic!()
    };
    assert_eq!(e.line, 10);
    assert!(
        e.message.contains("whether `UNKNOWN` is true is not known"),
        "{e}"
    );
    // `try` is passed over: its names stay unbound.
    assert_eq!(env.value("G"), None);
    assert_eq!(env.value("H"), Some(Ok(Value::Int(5))));
    assert!(matches!(&m.body[5].kind, StmtKind::Other(k) if k == "try_statement"));
}

/// A config on pathlib, as Django-style and newer Flask projects write it.
#[test]
fn pathlib_paths() {
    let source = r#"from pathlib import Path
import pathlib
BASE_DIR = Path(__file__).resolve().parent
DB = f"sqlite:///{BASE_DIR / 'instance' / 'app.db'}"
OTHER = 'sqlite:///' + str(pathlib.Path('/srv') / 'data.db')
NAME = (BASE_DIR / 'x.tar.gz').suffix
STEM = Path('/a/b.txt').stem
PARENT = str(Path('/a/b.txt').parent.parent)
JOINED = str(Path('/a').joinpath('b', 'c'))
BAD = 'sqlite:///' + BASE_DIR
"#;
    let module = parse("config.py", source).unwrap();
    let mut env = Env::new(HashMap::new())
        .with_file("/proj/config.py")
        .with_cwd("/proj");
    env.exec(&module, &module.body);
    let get = |n: &str| env.value(n).unwrap();
    assert_eq!(
        get("DB").unwrap(),
        Value::Str("sqlite:////proj/instance/app.db".into())
    );
    assert_eq!(
        get("OTHER").unwrap(),
        Value::Str("sqlite:////srv/data.db".into())
    );
    assert_eq!(get("NAME").unwrap(), Value::Str(".gz".into()));
    assert_eq!(get("STEM").unwrap(), Value::Str("b".into()));
    assert_eq!(get("PARENT").unwrap(), Value::Str("/".into()));
    assert_eq!(get("JOINED").unwrap(), Value::Str("/a/b/c".into()));
    // str + Path is a TypeError in Python: refused, never joined.
    assert!(get("BAD").is_err());
}
