//! Every type a catalog can hold, reflected: a table with a column of each
//! of the database's built-in types (PostgreSQL's arrays, ranges,
//! geometry, network and text-search types, an enum, a domain and a
//! composite type too; MariaDB's spatial, BIT, YEAR and SET; SQLite's
//! declared types of every affinity), one row of values and one of NULLs.
//! For each database: a model query prints every value with no wire bytes
//! and no internal error; hand-written SQL over the same table prints or
//! refuses with the cast that reads the column; every value copied into a
//! new row is written back (in `--sandbox`); and the dump reloads with no
//! drift.

use crate::common::{Kind, Project, TestDb};

/// (column, type, a literal of that type).
fn columns(kind: Kind) -> Vec<(&'static str, &'static str, &'static str)> {
    match kind {
        Kind::Postgres => vec![
            ("c_smallint", "smallint", "1"),
            ("c_integer", "integer", "2"),
            ("c_bigint", "bigint", "3"),
            ("c_numeric", "numeric(5,2)", "1.50"),
            ("c_numeric_any", "numeric", "1.25"),
            ("c_real", "real", "1.5"),
            ("c_double", "double precision", "2.5"),
            ("c_money", "money", "12.5"),
            ("c_varchar", "varchar(5)", "'abc'"),
            ("c_char", "char(3)", "'ab'"),
            ("c_text", "text", "'text'"),
            ("c_qchar", "\"char\"", "'q'"),
            ("c_name", "name", "'nm'"),
            ("c_bytea", "bytea", "'\\x0102'"),
            ("c_timestamp", "timestamp", "'2024-05-01 12:00:00'"),
            ("c_timestamptz", "timestamptz", "'2024-05-01 12:00:00+02'"),
            ("c_date", "date", "'2024-05-01'"),
            ("c_time", "time", "'10:11:12'"),
            ("c_timetz", "timetz", "'10:11:12+02'"),
            ("c_interval", "interval", "'1 day 02:00:00'"),
            ("c_boolean", "boolean", "true"),
            ("c_point", "point", "'(1,2)'"),
            ("c_line", "line", "'{1,2,3}'"),
            ("c_lseg", "lseg", "'[(0,0),(1,1)]'"),
            ("c_box", "box", "'(1,1),(0,0)'"),
            ("c_path", "path", "'[(0,0),(1,1)]'"),
            ("c_polygon", "polygon", "'((0,0),(1,1),(1,0))'"),
            ("c_circle", "circle", "'<(0,0),1>'"),
            ("c_cidr", "cidr", "'10.0.0.0/8'"),
            ("c_inet", "inet", "'10.0.0.1/24'"),
            ("c_macaddr", "macaddr", "'08:00:2b:01:02:03'"),
            ("c_macaddr8", "macaddr8", "'08:00:2b:01:02:03:04:05'"),
            ("c_bit", "bit(3)", "B'101'"),
            ("c_varbit", "varbit(5)", "B'10'"),
            (
                "c_tsvector",
                "tsvector",
                "to_tsvector('english', 'hello world')",
            ),
            (
                "c_tsquery",
                "tsquery",
                "to_tsquery('english', 'hello & world')",
            ),
            ("c_uuid", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"),
            ("c_xml", "xml", "'<a>x</a>'"),
            ("c_json", "json", "'{\"a\": [1, 2]}'"),
            ("c_jsonb", "jsonb", "'{\"a\": [1, 2]}'"),
            ("c_jsonpath", "jsonpath", "'$.a'"),
            ("c_int4range", "int4range", "'[1,5)'"),
            ("c_numrange", "numrange", "'[1.5,2.5]'"),
            ("c_tstzrange", "tstzrange", "'[2024-01-01,2024-02-01)'"),
            ("c_daterange", "daterange", "'[2024-01-01,2024-02-01)'"),
            ("c_int4multirange", "int4multirange", "'{[1,3),[5,7)}'"),
            ("c_oid", "oid", "42"),
            ("c_regclass", "regclass", "'pg_class'"),
            ("c_pg_lsn", "pg_lsn", "'0/16'"),
            ("c_text_array", "text[]", "'{a,\"b c\"}'"),
            ("c_int_array", "integer[]", "'{1,NULL,3}'"),
            ("c_numeric_array", "numeric[]", "'{1.5,2}'"),
            ("c_bool_array", "boolean[]", "'{t,f}'"),
            ("c_date_array", "date[]", "'{2024-01-01}'"),
            (
                "c_tstz_array",
                "timestamptz[]",
                "'{\"2024-01-01 10:00:00+00\"}'",
            ),
            (
                "c_uuid_array",
                "uuid[]",
                "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'",
            ),
            ("c_jsonb_array", "jsonb[]", "ARRAY['{\"a\":1}'::jsonb]"),
            ("c_grid", "integer[][]", "'{{1,2},{3,4}}'"),
            ("c_mood", "mood", "'happy'"),
            ("c_mood_array", "mood[]", "'{happy,sad}'"),
            ("c_posint", "posint", "7"),
            ("c_pair", "pair", "ROW(1, 'x')"),
        ],
        Kind::MySql => vec![
            ("c_tinyint", "TINYINT", "1"),
            ("c_bool", "TINYINT(1)", "1"),
            ("c_smallint", "SMALLINT", "2"),
            ("c_mediumint", "MEDIUMINT", "3"),
            ("c_int", "INT", "4"),
            ("c_bigint", "BIGINT", "5"),
            ("c_uint", "INT UNSIGNED", "4000000000"),
            ("c_ubigint", "BIGINT UNSIGNED", "18446744073709551615"),
            ("c_decimal", "DECIMAL(5,2)", "1.50"),
            ("c_float", "FLOAT", "1.5"),
            ("c_double", "DOUBLE", "2.5"),
            ("c_bit", "BIT(3)", "b'101'"),
            ("c_char", "CHAR(3)", "'ab'"),
            ("c_varchar", "VARCHAR(10)", "'abc'"),
            ("c_varchar_bin", "VARCHAR(10) BINARY", "'abc'"),
            ("c_binary", "BINARY(3)", "'abc'"),
            ("c_varbinary", "VARBINARY(10)", "'xyz'"),
            ("c_tinytext", "TINYTEXT", "'t'"),
            ("c_text", "TEXT", "'text'"),
            ("c_mediumtext", "MEDIUMTEXT", "'m'"),
            ("c_longtext", "LONGTEXT", "'l'"),
            ("c_tinyblob", "TINYBLOB", "'b'"),
            ("c_blob", "BLOB", "'b'"),
            ("c_mediumblob", "MEDIUMBLOB", "'b'"),
            ("c_longblob", "LONGBLOB", "'b'"),
            ("c_enum", "ENUM('x','Y')", "'Y'"),
            ("c_set", "SET('a','b','c')", "'a,c'"),
            ("c_date", "DATE", "'2024-05-01'"),
            ("c_datetime", "DATETIME", "'2024-05-01 12:00:00'"),
            ("c_datetime6", "DATETIME(6)", "'2024-05-01 12:00:00.5'"),
            ("c_timestamp", "TIMESTAMP NULL", "'2024-05-01 12:00:00'"),
            ("c_time", "TIME", "'10:11:12'"),
            ("c_year", "YEAR", "2006"),
            ("c_json", "JSON", "'{\"a\": [1, 2]}'"),
            ("c_uuid", "UUID", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"),
            ("c_inet4", "INET4", "'10.0.0.1'"),
            ("c_inet6", "INET6", "'::1'"),
            ("c_geometry", "GEOMETRY", "ST_GeomFromText('POINT(1 2)')"),
            ("c_point", "POINT", "ST_GeomFromText('POINT(3 4)')"),
            (
                "c_linestring",
                "LINESTRING",
                "ST_GeomFromText('LINESTRING(0 0,1 1)')",
            ),
            (
                "c_polygon",
                "POLYGON",
                "ST_GeomFromText('POLYGON((0 0,1 1,1 0,0 0))')",
            ),
        ],
        Kind::Sqlite => vec![
            ("c_integer", "INTEGER", "1"),
            ("c_int", "INT", "2"),
            ("c_bigint", "BIGINT", "3"),
            ("c_unsigned", "UNSIGNED BIG INT", "4"),
            ("c_real", "REAL", "1.5"),
            ("c_double", "DOUBLE PRECISION", "2.5"),
            ("c_numeric", "NUMERIC", "1.25"),
            ("c_decimal", "DECIMAL(5,2)", "1.5"),
            ("c_boolean", "BOOLEAN", "1"),
            ("c_text", "TEXT", "'text'"),
            ("c_varchar", "VARCHAR(10)", "'abc'"),
            ("c_nchar", "NATIVE CHARACTER(70)", "'n'"),
            ("c_clob", "CLOB", "'c'"),
            ("c_blob", "BLOB", "x'0102'"),
            ("c_none", "", "'anything'"),
            ("c_date", "DATE", "'2024-05-01'"),
            ("c_datetime", "DATETIME", "'2024-05-01 12:00:00'"),
            ("c_time", "TIME", "'10:11:12'"),
            ("c_json", "JSON", "'{\"a\": 1}'"),
            ("c_year", "YEAR", "2006"),
            ("c_made_up", "FLUFFY WIDGET", "'w'"),
        ],
    }
}

fn run(project: &Project, args: &[&str]) -> (bool, String, String) {
    let out = project.ormsh().args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// What must never reach the user: a panic, wire bytes, a driver's own
/// decoding message.
fn assert_clean(what: &str, text: &str) {
    for leak in [
        "panicked",
        "\\x00",
        "\u{0}",
        "error occurred while decoding",
        "invalid utf-8",
        "mismatched types",
    ] {
        assert!(
            !text.contains(leak),
            "{what}: `{leak}` reached the user:\n{text}"
        );
    }
}

fn every_type(kind: Kind) {
    let db = TestDb::new(kind);
    if kind == Kind::Postgres {
        db.rows("CREATE TYPE mood AS ENUM ('happy', 'sad')");
        db.rows("CREATE DOMAIN posint AS integer CHECK (VALUE > 0)");
        db.rows("CREATE TYPE pair AS (a integer, b text)");
    }
    let columns = columns(kind);
    let ddl: Vec<String> = columns
        .iter()
        .map(|(name, ty, _)| format!("{name} {ty}"))
        .collect();
    db.rows(&format!(
        "CREATE TABLE every (id INTEGER PRIMARY KEY, {})",
        ddl.join(", ")
    ));
    let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
    let values: Vec<&str> = columns.iter().map(|c| c.2).collect();
    db.rows(&format!(
        "INSERT INTO every (id, {}) VALUES (1, {})",
        names.join(", "),
        values.join(", ")
    ));
    db.rows("INSERT INTO every (id) VALUES (2)");
    let project = Project::without_models(&db.url, "");

    // A model query prints every value.
    for format in ["table", "csv", "json"] {
        let (ok, out, err) = run(
            &project,
            &[
                "--format",
                format,
                "-c",
                "Every.query.order_by(Every.id).all()",
            ],
        );
        assert!(ok, "{kind:?} {format}: {err}");
        assert_clean(&format!("{kind:?} {format}"), &format!("{out}{err}"));
    }
    let (ok, out, err) = run(&project, &["--format", "csv", "-c", "Every.query.get(1)"]);
    assert!(ok, "{kind:?}: {err}");
    assert_clean(&format!("{kind:?} card"), &out);

    // Hand-written SQL over each column: printed, or refused with the cast.
    for name in &names {
        let sql = format!("db.session.execute(db.text(\"SELECT {name} FROM every ORDER BY id\"))");
        let (ok, out, err) = run(&project, &["-c", &sql]);
        assert_clean(&format!("{kind:?} SQL {name}"), &format!("{out}{err}"));
        assert!(
            ok || err.contains(&format!("{name}::text"))
                || err.contains("`column::text`")
                || err.contains(&format!("ST_AsText({name})")),
            "{kind:?} SQL {name}: neither printed nor refused with its cast:\n{err}"
        );
    }

    // Every value copied into a new row goes back in.
    let copy: Vec<String> = names.iter().map(|n| format!("c.{n} = r.{n};")).collect();
    let script = format!(
        "let r = Every.query.get(1); let c = Every(#{{ id: 3 }}); {} db.session.add(c); db.session.commit(); print(Every.query.count());",
        copy.join(" ")
    );
    let (ok, out, err) = run(&project, &["--sandbox", "-c", &script]);
    assert!(ok, "{kind:?} copy: {err}");
    assert_clean(&format!("{kind:?} copy"), &format!("{out}{err}"));
    assert!(out.starts_with("3\n"), "{kind:?}: {out}");

    // The dump reloads with no drift.
    let (ok, dump, err) = run(&project, &["models", "dump"]);
    assert!(ok, "{kind:?} dump: {err}");
    let reloaded = Project::new(&db.url, &dump);
    let (ok, out, err) = run(&reloaded, &["db", "diff"]);
    assert!(ok, "{kind:?} diff of the dump:\n{dump}\n{out}{err}");
}

on_every_database!(every_type);
