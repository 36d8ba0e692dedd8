//! The names of the shell's methods, in one place, with a line on each:
//! for "did you mean" on a misspelt call, the prompt's completion, and `help(..)`.

/// Methods of a query (`User.query.…`).
pub const QUERY_METHODS: &[(&str, &str)] = &[
    (
        "filter",
        "keep rows where the expressions hold: filter(User.id > 1, ..)",
    ),
    (
        "filter_by",
        "keep rows whose columns equal: filter_by(#{ username: \"x\" })",
    ),
    ("order_by", "sort: order_by(User.id.desc(), ..)"),
    ("limit", "at most n rows"),
    ("offset", "skip n rows"),
    (
        "join",
        "join a model along its relationship, or on a condition",
    ),
    ("outerjoin", "LEFT OUTER JOIN a model"),
    (
        "options",
        "loader options: joinedload(..), selectinload(..), defer(..), ..",
    ),
    ("distinct", "SELECT DISTINCT"),
    ("group_by", "GROUP BY expressions"),
    ("having", "HAVING conditions (with group_by)"),
    (
        "with_entities",
        "rows of chosen columns or aggregates instead of objects",
    ),
    ("all", "every object (a table)"),
    (
        "first",
        "the first object (a Row with with_entities), or () (None)",
    ),
    (
        "one",
        "exactly one object or Row, else an error saying which way",
    ),
    ("one_or_none", "one object or Row, or (); an error for more"),
    ("get", "by primary key: get(1), get([1, 2])"),
    ("count", "how many rows"),
    (
        "exists",
        "EXISTS (SELECT 1 ..): db.session.query(q.exists()).scalar() says whether any row matches",
    ),
    (
        "update",
        "bulk UPDATE: update(#{ col: value }[, #{ confirm: true }])",
    ),
    ("delete", "bulk DELETE: delete([#{ confirm: true }])"),
    ("sql", "the SQL and its parameters, without running it"),
    (
        "explain",
        "the database's plan: explain([#{ analyze: true }])",
    ),
    ("get_or_404", "get(pk), else a 404 error"),
    ("first_or_404", "first(), else a 404 error"),
    ("one_or_404", "one(), else a 404 error (none or several)"),
    (
        "scalar",
        "the first column of the one row, None for none, an error for several",
    ),
    (
        "paginate",
        "a page: paginate(#{ page, per_page, max_per_page, error_out, count })",
    ),
];

/// Methods and properties of `db.session`.
pub const SESSION_METHODS: &[(&str, &str)] = &[
    ("add", "make an object pending (and what it refers to)"),
    ("add_all", "add each object of an array"),
    ("delete", "mark an object for deletion at the next flush"),
    ("commit", "flush, then commit the transaction"),
    ("rollback", "undo everything since the last commit"),
    ("flush", "write pending changes inside the transaction"),
    (
        "get",
        "get(Model, pk): the identity map first, then one SELECT",
    ),
    ("refresh", "read an object's row again now"),
    ("expire", "read an object's row again on next access"),
    ("expire_all", "expire every object"),
    ("expunge", "detach an object from the session"),
    ("expunge_all", "detach every object"),
    (
        "merge",
        "copy an object's values onto the session's own object for its key",
    ),
    ("new", "the pending objects"),
    ("dirty", "the changed persistent objects"),
    ("deleted", "the objects marked for deletion"),
    ("no_autoflush", "run a closure with autoflush off"),
    ("begin_nested", "a SAVEPOINT: .commit() or .rollback() it"),
    (
        "execute",
        "run db.select(..)/insert/update/delete into a Result, or SQL as written: execute(sql, [params])",
    ),
    (
        "scalars",
        "scalars(db.select(User)): the first item of each row",
    ),
    (
        "scalar",
        "scalar(db.select(..)): the first item of the first row, or ()",
    ),
    (
        "get_one",
        "get_one(Model, pk): as get, an error when there is no row",
    ),
    (
        "query",
        "the legacy query: query(User), query(User.id, User.username)",
    ),
    ("autoflush", "whether queries flush first (settable)"),
];

/// Methods of a 2.0 select (`db.select(..)`).
pub const SELECT_METHODS: &[(&str, &str)] = &[
    (
        "where",
        "keep rows where the expressions hold (also filter)",
    ),
    ("filter", "the same as where"),
    (
        "filter_by",
        "keep rows whose columns equal: filter_by(#{ username: \"x\" })",
    ),
    (
        "join",
        "join a model along its relationship, or on a condition",
    ),
    ("outerjoin", "LEFT OUTER JOIN a model"),
    ("select_from", "read FROM this model: select_from(User)"),
    ("order_by", "sort: order_by(User.id.desc(), ..)"),
    ("group_by", "GROUP BY expressions"),
    ("having", "HAVING conditions (with group_by)"),
    ("limit", "at most n rows"),
    ("offset", "skip n rows"),
    ("distinct", "SELECT DISTINCT"),
    (
        "options",
        "loader options: joinedload(..), selectinload(..), ..",
    ),
    (
        "scalar_subquery",
        "the select as one value inside another: (SELECT ..)",
    ),
    ("label", "scalar_subquery() named: label(\"n\")"),
    (
        "subquery",
        "the select as a table to join or select from; its columns are sq.c.name",
    ),
    (
        "cte",
        "the select as WITH name AS (..); its columns are c.c.name",
    ),
    (
        "union",
        "UNION with other selects: a.union(b), as db.union(a, b)",
    ),
    ("union_all", "UNION ALL with other selects"),
    ("intersect", "INTERSECT with other selects"),
    ("except_", "EXCEPT: rows of this select not in the others"),
    (
        "exists",
        "EXISTS (SELECT ..), for where(..) or db.select(..)",
    ),
    ("sql", "the SQL and its parameters, without running it"),
];

/// Methods of an insert, update or delete (`db.insert(User)`, ..).
pub const WRITE_METHODS: &[(&str, &str)] = &[
    (
        "values",
        "the columns to write: values(#{ col: value }) or an array of maps",
    ),
    (
        "where",
        "the rows an update or delete touches (also filter, filter_by)",
    ),
    (
        "returning",
        "read back columns of the rows written: returning(User.id) or returning(User)",
    ),
    ("sql", "the SQL and its parameters, without running it"),
];

/// Methods of what `db.session.execute(..)` gives.
pub const RESULT_METHODS: &[(&str, &str)] = &[
    ("all", "every row not read yet"),
    ("first", "the first row, or (); closes the result"),
    ("one", "exactly one row, else an error"),
    ("one_or_none", "one row or (); an error for several"),
    ("scalar", "the first item of the first row, or ()"),
    ("scalar_one", "the first item of exactly one row"),
    ("scalar_one_or_none", "the first item of one row, or ()"),
    ("partitions", "the rows left, n at a time: partitions(100)"),
    (
        "scalars",
        "a result of each row's first item (objects of select(User))",
    ),
    ("mappings", "a result of each row as a map"),
    (
        "unique",
        "leave out repeated rows (needed after joinedload of a collection)",
    ),
    ("fetchone", "the next row, or ()"),
    ("fetchmany", "the next n rows"),
    ("keys", "the names of the row's items"),
    (
        "rowcount",
        "how many rows an insert, update or delete wrote",
    ),
];

/// Members of `db`.
pub const DB_MEMBERS: &[(&str, &str)] = &[
    ("session", "the session"),
    ("create_all", "create the models' missing tables"),
    ("drop_all", "drop the models' tables (asks first)"),
    (
        "get_recorded_queries",
        "the recorded statements (record_queries, .record on)",
    ),
    (
        "select",
        "a 2.0 select: select(User), select(User.id, func.count(Post.id))",
    ),
    (
        "insert",
        "insert(User).values(#{ .. }), run by db.session.execute",
    ),
    (
        "update",
        "update(User).where(..).values(#{ .. }), run by db.session.execute",
    ),
    (
        "delete",
        "delete(User).where(..), run by db.session.execute",
    ),
    ("func", "SQL functions: db.func.count(User.id), as func"),
    (
        "aliased",
        "the model's table again, for self-joins: m = db.aliased(User)",
    ),
    (
        "union",
        "db.union(select_a, select_b, ..), run by db.session.execute",
    ),
    (
        "paginate",
        "paginate(db.select(User).order_by(User.id), #{ page, per_page, .. })",
    ),
    (
        "get_or_404",
        "get_or_404(Model, pk, #{ options: [joinedload(..)] })",
    ),
    (
        "first_or_404",
        "first_or_404(select): its first item, else a 404 error",
    ),
    (
        "one_or_404",
        "one_or_404(select): its one item, else a 404 error (none or several)",
    ),
    ("inspect", "an object's state and changed attributes"),
    ("reflect", "add a model for every table no model maps"),
    (
        "engine",
        "the default database's engine: engine.url, engine.name",
    ),
    (
        "engines",
        "each bind's engine: engines[\"key\"], engines[()] the default",
    ),
    (
        "get_engine",
        "get_engine(\"key\"): a bind's engine (none: the default)",
    ),
    (
        "execute",
        "SQL as written: execute(sql, [params] or #{ name: value })",
    ),
];

/// Members of a result row (`Row`) and of a list of them (`Rows`).
pub const ROW_MEMBERS: &[(&str, &str)] = &[
    ("row.name", "the value of the column or label `name`"),
    ("row[0]", "the value at a position (row[-1]: the last)"),
    ("_mapping", "the row as a map of name to value"),
    ("_asdict", "the same map: row._asdict()"),
    ("_fields", "the names, in order (also keys())"),
    ("_t", "the values as an array (also _tuple(), to_array())"),
    ("len", "how many values"),
    (
        "rows[0]",
        "of a list of rows: one Row (for row in rows: each)",
    ),
    ("to_array", "of a list of rows: arrays of plain values"),
];

/// Everything else users call: column operators, loaders, collection methods.
pub const OTHER_FUNCTIONS: &[&str] = &[
    "of_type",
    "from_statement",
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
    "contains_eager",
    "defer",
    "undefer",
    "load_only",
    "aliased",
    "union",
    "union_all",
    "intersect",
    "except_",
    "and_",
    "or_",
    "not_",
    "timedelta",
    "print",
];

/// Every name above.
pub fn known() -> impl Iterator<Item = &'static str> {
    QUERY_METHODS
        .iter()
        .chain(SESSION_METHODS)
        .chain(DB_MEMBERS)
        .chain(SELECT_METHODS)
        .chain(WRITE_METHODS)
        .chain(RESULT_METHODS)
        .map(|(name, _)| *name)
        .chain(OTHER_FUNCTIONS.iter().chain(GLOBALS).copied())
}
