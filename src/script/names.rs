//! The names of the shell's methods, in one place: for "did you mean" on a
//! misspelt call, and for the prompt's completion.

/// Methods of a query (`User.query.…`).
pub const QUERY_METHODS: &[&str] = &[
    "filter",
    "filter_by",
    "order_by",
    "limit",
    "offset",
    "join",
    "outerjoin",
    "options",
    "distinct",
    "group_by",
    "having",
    "with_entities",
    "all",
    "first",
    "one",
    "one_or_none",
    "get",
    "count",
    "exists",
    "update",
    "delete",
    "sql",
    "explain",
    "get_or_404",
    "first_or_404",
    "one_or_404",
    "scalar",
    "paginate",
];

/// Methods and properties of `db.session`.
pub const SESSION_METHODS: &[&str] = &[
    "add",
    "add_all",
    "delete",
    "commit",
    "rollback",
    "flush",
    "get",
    "refresh",
    "expire",
    "expire_all",
    "expunge",
    "expunge_all",
    "merge",
    "new",
    "dirty",
    "deleted",
    "no_autoflush",
    "begin_nested",
];

/// Members of `db`.
pub const DB_MEMBERS: &[&str] = &[
    "session",
    "create_all",
    "drop_all",
    "get_recorded_queries",
    "paginate",
    "get_or_404",
    "inspect",
];

/// Everything else users call: column operators, loaders, collection methods.
pub const OTHER_FUNCTIONS: &[&str] = &[
    "contains",
    "icontains",
    "startswith",
    "endswith",
    "like",
    "ilike",
    "not_like",
    "in_",
    "not_in",
    "is_",
    "is_not",
    "between",
    "asc",
    "desc",
    "label",
    "and_",
    "or_",
    "not_",
    "append",
    "remove",
    "len",
    "print",
    "state",
];

/// The names in scope beside the models, as `flask shell` has them.
pub const GLOBALS: &[&str] = &[
    "db",
    "app",
    "func",
    "joinedload",
    "selectinload",
    "subqueryload",
    "lazyload",
    "raiseload",
    "noload",
    "defaultload",
    "defer",
    "load_only",
    "and_",
    "or_",
    "not_",
    "print",
];

/// Every name above.
pub fn known() -> impl Iterator<Item = &'static str> {
    QUERY_METHODS
        .iter()
        .chain(SESSION_METHODS)
        .chain(DB_MEMBERS)
        .chain(OTHER_FUNCTIONS)
        .chain(GLOBALS)
        .copied()
}
