//! `SQLALCHEMY_ENGINE_OPTIONS`: an option that only changes how connections
//! are pooled or logged is taken as read (ormsh keeps its own pool and shows
//! every statement); one that could change what the database answers or
//! how it is reached (an isolation level, a search path or TLS settings in
//! `connect_args`, execution options) is refused, naming where it is set,
//! rather than ignored.

use crate::python::Value;

/// Engine options without an effect on answers.
const POOL_AND_LOGGING: &[&str] = &[
    "pool_size",
    "max_overflow",
    "pool_timeout",
    "pool_recycle",
    "pool_pre_ping",
    "pool_use_lifo",
    "pool_reset_on_return",
    "echo",
    "echo_pool",
    "hide_parameters",
    "logging_name",
    "pool_logging_name",
    "query_cache_size",
    "future",
    "insertmanyvalues_page_size",
];

/// `connect_args` keys without an effect on answers: SQLite's thread check
/// and lock timeout, a server's connect timeout and application name.
const CONNECT_ARGS: &[&str] = &[
    "check_same_thread",
    "timeout",
    "connect_timeout",
    "application_name",
];

/// Why the options set at `at` cannot be honoured, if one of them cannot.
pub(crate) fn refusal(options: &Value, at: &str) -> Option<String> {
    let items = match options {
        Value::Dict(items) => items,
        Value::None => return None,
        other => {
            return Some(format!(
                "SQLALCHEMY_ENGINE_OPTIONS at {at} is {}, not a dict",
                other.a_type()
            ));
        }
    };
    for (key, value) in items {
        let Some(key) = key.as_str() else {
            return Some(format!(
                "SQLALCHEMY_ENGINE_OPTIONS at {at} has a key that is not a string"
            ));
        };
        if POOL_AND_LOGGING.contains(&key) {
            continue;
        }
        if key == "connect_args"
            && let Value::Dict(args) = value
        {
            if let Some(arg) = args
                .iter()
                .filter_map(|(k, _)| k.as_str())
                .find(|k| !CONNECT_ARGS.contains(k))
            {
                return Some(unhonoured(at, &format!("connect_args[{arg:?}]")));
            }
            continue;
        }
        return Some(unhonoured(at, key));
    }
    None
}

fn unhonoured(at: &str, what: &str) -> String {
    format!(
        "SQLALCHEMY_ENGINE_OPTIONS at {at} sets {what}, which ormsh does not honour and which can change how the database answers (put it in the database URL's query if the driver takes it there, or pass --database-url)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(items: &[(&str, Value)]) -> Value {
        Value::Dict(
            items
                .iter()
                .map(|(k, v)| (Value::Str(k.to_string()), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn pool_options_pass_and_others_are_refused() {
        let pool = dict(&[
            ("pool_pre_ping", Value::Bool(true)),
            ("pool_recycle", Value::Int(280)),
            (
                "connect_args",
                dict(&[("check_same_thread", Value::Bool(false))]),
            ),
        ]);
        assert_eq!(refusal(&pool, "config.py:3"), None);
        let isolation = dict(&[("isolation_level", Value::Str("AUTOCOMMIT".into()))]);
        let why = refusal(&isolation, "config.py:3").unwrap();
        assert!(
            why.contains("config.py:3") && why.contains("isolation_level"),
            "{why}"
        );
        let search_path = dict(&[(
            "connect_args",
            dict(&[("options", Value::Str("-csearch_path=x".into()))]),
        )]);
        let why = refusal(&search_path, "config.py:3").unwrap();
        assert!(why.contains("connect_args[\"options\"]"), "{why}");
    }
}
